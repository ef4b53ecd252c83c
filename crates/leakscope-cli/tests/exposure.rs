//! `leakscope exposure` end to end through the binary against a replayed Elasticsearch on
//! loopback: a dry run sends nothing, an out-of-scope target is refused without a connection,
//! two scans a day apart give the window, `show --profile` writes a profile `obligations`
//! takes as is, and `case open --exposure` makes a case of the finding.

use leakscope_exposure::replay::{self, Product};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Output};

fn leakscope(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leakscope"))
        .args(args)
        .env("LEAKSCOPE_HOME", home)
        .env("NO_COLOR", "1")
        .output()
        .expect("leakscope runs")
}

fn json(o: &Output) -> Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

#[test]
fn scan_twice_show_obligations_and_case() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let home = d.join("home");
    let es = replay::start(
        Product::Elasticsearch,
        "127.0.0.1".parse().unwrap(),
        0,
        replay::customers(300, 5),
        9_000,
        false,
    )
    .unwrap();
    let outside = replay::start(
        Product::Counter,
        "127.0.0.4".parse().unwrap(),
        0,
        Vec::new(),
        0,
        false,
    )
    .unwrap();
    let scope = d.join("scope.txt");
    std::fs::write(&scope, "# our loopback lab\n127.0.0.1\n").unwrap();
    let target = format!("127.0.0.1:{}", es.addr().port());
    let out_target = format!("127.0.0.4:{}", outside.addr().port());
    let s = scope.display().to_string();
    let common = ["--rate", "200", "--sample", "200"];

    // Dry run: the plan, nothing sent.
    let o = leakscope(
        &home,
        &[
            &[
                "exposure",
                "scan",
                &target,
                &out_target,
                "--scope",
                &s,
                "--dry-run",
                "--json",
            ][..],
            &common,
        ]
        .concat(),
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let plan = json(&o);
    assert_eq!(plan["dry_run"], true);
    assert_eq!(plan["endpoints"].as_array().unwrap().len(), 1);
    assert_eq!(plan["refused"][0]["target"], out_target.as_str());
    assert_eq!(es.accepts(), 0);

    // Only out-of-scope targets: usage error, nothing sent.
    let o = leakscope(&home, &["exposure", "scan", &out_target, "--scope", &s]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("outside the scope"));

    // Day 1 and day 2.
    let o = leakscope(
        &home,
        &[
            &[
                "exposure",
                "scan",
                &target,
                &out_target,
                "--scope",
                &s,
                "--json",
                "--now",
                "2026-11-01 09:00",
            ][..],
            &common,
        ]
        .concat(),
    );
    assert_eq!(
        o.status.code(),
        Some(3),
        "refused target → partial: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let r1 = json(&o);
    assert_eq!(r1["schema"], "leakscope.exposure/1");
    let id = r1["findings"][0]["id"].as_str().unwrap().to_string();
    let html = d.join("exposure.html");
    let o = leakscope(
        &home,
        &[
            &[
                "exposure",
                "scan",
                &target,
                "--scope",
                &s,
                "--now",
                "2026-11-02 09:00",
                "--html",
                &html.display().to_string(),
            ][..],
            &common,
        ]
        .concat(),
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("open for at least 1 day"), "{text}");
    assert!(text.contains(&id));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("Exposure report") && page.contains("customers-2026"));
    assert_eq!(
        outside.accepts(),
        0,
        "the out-of-scope listener was contacted"
    );

    let o = leakscope(&home, &["exposure", "list", "--json"]);
    let l = json(&o);
    assert_eq!(l["findings"][0]["open_days"], 1);
    assert_eq!(l["findings"][0]["observations"], 2);

    // The finding's profile, as `obligations` takes it.
    let prof = d.join("finding.json");
    let o = leakscope(
        &home,
        &[
            "exposure",
            "show",
            &id,
            "--profile",
            &prof.display().to_string(),
        ],
    );
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains("history:"));
    let o = leakscope(
        &home,
        &[
            "obligations",
            &prof.display().to_string(),
            "--established-in",
            "SG",
            "--json",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(json(&o)["schema"]
        .as_str()
        .unwrap()
        .starts_with("leakscope.obligations/"));

    // A case from the finding: its profile is the case's scan, deadlines count from first seen.
    let o = leakscope(
        &home,
        &[
            "case",
            "open",
            "--exposure",
            &id,
            "--json",
            "--now",
            "2026-11-02T10:00:00Z",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let c = json(&o);
    let v = c.to_string();
    assert!(v.contains("Exposed without credentials"), "{v}");
    assert!(v.contains("readable without credentials"));
    assert!(v.contains("leakscope.scan/1"));
    // No raw value reached any output or the database.
    let email = replay::customers(1, 5)[0]["email"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(!v.contains(&email) && !page.contains(&email));
    let db = std::fs::read(home.join("leakscope.db")).unwrap();
    assert!(!String::from_utf8_lossy(&db).contains(&email));
}
