//! The reports of `scan` and `demo`: the nearest deadline in the header of every report, the
//! obligations right after "why it is …" (HTML and Markdown, per-leak scans too), `--html -` /
//! `--markdown -` on standard output, and every table readable on a 390 px phone screen
//! (checked in headless Chromium: nothing wider than the screen, no cell content spilling, no
//! cells drawn over each other).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CHROMIUM: &str = "/usr/bin/chromium";

fn leakscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leakscope"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// A generated VN shop-platform order table (phones, e-mails, shop ids and names).
fn orders(dir: &Path) -> String {
    let p = dir.join("orders.csv");
    let o = leakscope(&[
        "generate",
        "--flavour",
        "vn-shop",
        "--rows",
        "1500",
        "--table",
        "orders",
        "--out",
        p.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    p.display().to_string()
}

#[test]
fn per_leak_reports_carry_the_deadline_and_obligations() {
    let dir = tempfile::tempdir().unwrap();
    let leak = orders(dir.path());
    let html = dir.path().join("r.html");
    let o = leakscope(&[
        "scan",
        "-q",
        &leak,
        "--found-on",
        "2026-11-28",
        "--html",
        html.to_str().unwrap(),
        "--markdown",
        "-",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let md = String::from_utf8(o.stdout).unwrap();
    assert!(
        md.starts_with("# Leak profile"),
        "--markdown - writes the report, not the summary"
    );
    let at = |s: &str, n: &str| s.find(n).unwrap_or_else(|| panic!("missing {n}"));
    assert!(at(&md, "Nearest deadline:") < at(&md, "## Why it is"));
    assert!(at(&md, "## Why it is") < at(&md, "## Notification obligations"));
    assert!(
        md.contains("Vietnam"),
        "VN residents: the Vietnamese rule applies"
    );
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(at(&page, "id=\"nearest-deadline\"") < at(&page, "id=\"sensitivity\""));
    assert!(at(&page, "id=\"sensitivity\"") < at(&page, "id=\"obligations\""));
    assert!(at(&page, "id=\"obligations\"") < at(&page, "id=\"overview\""));
    // Shop names beside shop ids.
    assert!(page.contains(" · "), "tenant labels");

    let o = leakscope(&["scan", "-q", &leak, "--html", "-"]);
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("<!DOCTYPE html>"));
    let o = leakscope(&["scan", "-q", &leak, "--html", "-", "--json"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "two documents cannot share stdout"
    );
}

fn chromium_or_skip() -> Option<&'static str> {
    if Path::new(CHROMIUM).exists() {
        return Some(CHROMIUM);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{CHROMIUM} is missing under CI"
    );
    eprintln!("SKIPPED narrow-screen report test: {CHROMIUM} not found");
    None
}

/// The harness's verdict on `report` at 390 px.
fn narrow_layout(chromium: &str, report: &Path) -> String {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(report, dir.path().join("report.html")).unwrap();
    let harness: PathBuf =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/narrow.html");
    std::fs::copy(harness, dir.path().join("narrow.html")).unwrap();
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--allow-file-access-from-files",
            "--virtual-time-budget=15000",
            "--dump-dom",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg(format!(
            "file://{}",
            dir.path().join("narrow.html").display()
        ))
        .output()
        .expect("run chromium");
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    let start = dom.find("<pre id=\"out\">").expect("harness output") + 14;
    let end = start + dom[start..].find("</pre>").unwrap();
    dom[start..end].to_string()
}

#[test]
fn reports_are_readable_on_a_phone() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo");
    let o = leakscope(&[
        "demo",
        "--rows",
        "600",
        "-q",
        "--out",
        demo.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for report in ["report.html", "report-vn-shop.html"] {
        let verdict = narrow_layout(chromium, &demo.join(report));
        assert!(verdict.starts_with("OK "), "{report} at 390 px: {verdict}");
    }
}
