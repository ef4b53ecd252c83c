//! The web app in a real browser: `leakscope serve` started on loopback by the test, Debian's
//! Chromium driven headless through chromedriver (W3C WebDriver, `webdriver/mod.rs`), one
//! browser session for the whole walk:
//!
//! an analyst signs in, sees the overview and the claims feed (the post's claim with its
//! watchlist hit), opens a case from the claim, uploads a generated sample and watches the scan
//! finish without a reload, sees the verdict and the nearest deadline counting down, records a
//! notification, exports STIX 2.1, reads the advisory, searches the corpus and signs out; a
//! forged CSRF token is refused; the session cookie copied before sign-out no longer works; a
//! viewer cannot upload; an admin sees the users and the audit log. Every page is screenshotted
//! at 1400 px and 390 px into `target/screenshots/` (printed) and must not scroll sideways at
//! either width.
//!
//! Skipped with a notice when Chromium or chromedriver is missing, failing under `CI`.

#[path = "../../leakscope-cases/tests/common/mod.rs"]
mod common;
mod webdriver;

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use webdriver::{available, http, png_size, Browser};

const ANALYST_PW: &str = "analyst password 2026";
const VIEWER_PW: &str = "viewer password 2026";
const ADMIN_PW: &str = "admin password 2026";

fn leakscope(home: &Path, args: &[&str], stdin: Option<&str>) -> String {
    let mut c = Command::new(env!("CARGO_BIN_EXE_leakscope"))
        .args(args)
        .env("LEAKSCOPE_HOME", home)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(s) = stdin {
        c.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    }
    drop(c.stdin.take());
    let o = c.wait_with_output().unwrap();
    assert!(
        o.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `leakscope serve` on a free loopback port, killed when dropped.
struct Server {
    child: Child,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(home: &Path, reference: &Path) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_leakscope"))
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--access-log",
        ])
        .arg("--case-reference")
        .arg(reference)
        .env("LEAKSCOPE_HOME", home)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let started = Instant::now();
    let mut line = String::new();
    while !line.contains("web app on") {
        line.clear();
        assert!(err.read_line(&mut line).unwrap() > 0, "serve ended early");
        assert!(started.elapsed() < Duration::from_secs(30));
    }
    // Keep draining the access log (route templates only) so the pipe never fills.
    let log = home.parent().unwrap().join("serve.log");
    std::thread::spawn(move || {
        let mut f = std::fs::File::create(log).unwrap();
        let mut l = String::new();
        while err.read_line(&mut l).unwrap_or(0) > 0 {
            let _ = f.write_all(l.as_bytes());
            l.clear();
        }
    });
    Server { child, port }
}

fn screenshots_dir() -> PathBuf {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    std::fs::create_dir_all(&d).unwrap();
    d.canonicalize().unwrap()
}

/// Screenshots the current page at both widths; the page must fit each width.
fn snap(b: &Browser, dir: &Path, name: &str, shots: &mut Vec<String>) {
    for w in [1400, 390] {
        let (path, layout) = b.screenshot(dir, name, w);
        let (pw, ph) = png_size(&path);
        assert!(pw >= w - 20 && ph >= 300, "{name} at {w}: {pw}x{ph}");
        assert!(
            layout <= u64::from(w),
            "{name} is {layout} px wide at a {w} px window: it scrolls sideways"
        );
        shots.push(path.file_name().unwrap().to_string_lossy().into_owned());
    }
}

fn sign_in(b: &Browser, base: &str, name: &str, password: &str) {
    b.goto(&format!("{base}/login"));
    b.type_in("#name", name);
    b.type_in("#password", password);
    b.click("#sign-in");
    b.wait_for("#signed-in-user", Duration::from_secs(10));
    assert_eq!(b.text("#signed-in-user"), name);
}

fn sign_out(b: &Browser) {
    b.click("#sign-out");
    b.wait_for("#login-form", Duration::from_secs(10));
}

#[test]
fn the_web_app_in_chromium() {
    if !available("the_web_app_in_chromium") {
        return;
    }
    let started = Instant::now();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let home = d.join("home");
    let people = common::people(400);
    common::write_reference(&d.join("ref.csv"), &people);
    let sample = common::write_sample(&d.join("sample.csv"), &people, 2);
    std::fs::write(d.join("post-vi.txt"), common::POST_VI).unwrap();
    let mut old = String::from("email,full_name\n");
    for p in people.iter().take(50) {
        old.push_str(&format!("{},{}\n", p.email, p.name));
    }
    std::fs::write(d.join("old-leak.csv"), old).unwrap();
    leakscope(&home, &["init"], None);
    for (u, role, pw) in [
        ("ana", "analyst", ANALYST_PW),
        ("vic", "viewer", VIEWER_PW),
        ("ada", "admin", ADMIN_PW),
    ] {
        leakscope(
            &home,
            &["user", "add", u, "--role", role, "--password-stdin"],
            Some(pw),
        );
    }
    leakscope(
        &home,
        &[
            "watch",
            "add",
            "Công ty Cổ phần Chợ Lúa",
            "--domain",
            "cholua.vn",
        ],
        None,
    );
    leakscope(
        &home,
        &[
            "claim",
            "extract",
            d.join("post-vi.txt").to_str().unwrap(),
            "--store",
        ],
        None,
    );
    leakscope(
        &home,
        &[
            "corpus",
            "add",
            d.join("old-leak.csv").to_str().unwrap(),
            "--breach",
            "cholua-2025",
            "--title",
            "Chợ Lúa forum dump 2025",
        ],
        None,
    );
    let server = serve(&home, &d.join("ref.csv"));
    let base = format!("http://127.0.0.1:{}", server.port);
    let shots_dir = screenshots_dir();
    let mut shots = Vec::new();
    let b = Browser::start();

    // Sign-in page, then the analyst signs in and lands on the overview.
    b.goto(&format!("{base}/cases/1"));
    b.wait_for("#login-form", Duration::from_secs(10));
    assert!(b.url().contains("/login?next=/cases/1"));
    snap(&b, &shots_dir, "01-sign-in", &mut shots);
    sign_in(&b, &base, "ana", ANALYST_PW);
    b.goto(&format!("{base}/"));
    b.wait_for("#open-cases", Duration::from_secs(10));
    snap(&b, &shots_dir, "02-overview", &mut shots);

    // The claims feed: the post's claim, its watchlist hit, one click to a case.
    b.click("nav.mainnav a[href='/claims']");
    b.wait_for("#claims article.claim", Duration::from_secs(10));
    let feed = b.page_text();
    assert!(
        feed.contains("Chợ Lúa") && feed.contains("Watchlist"),
        "{feed}"
    );
    snap(&b, &shots_dir, "03-claims", &mut shots);
    b.click("button.open-case");
    b.wait_for("#case-header", Duration::from_secs(20));
    assert!(b.url().ends_with("/cases/1"), "{}", b.url());
    assert!(b.text("#kpi-verdict").contains("not verified"));
    snap(&b, &shots_dir, "04-case-opened", &mut shots);

    // Upload the sample and watch the scan finish: the result appears without a reload.
    b.js("window.__noReload = 'still here'", json!([]));
    b.type_in("#sample-file", d.join("sample.csv").to_str().unwrap());
    b.click("#upload-button");
    b.wait_for("#jobs .job", Duration::from_secs(10));
    let result = b.wait_for("#scan-result", Duration::from_secs(120));
    let _ = result;
    assert_eq!(
        b.js("return window.__noReload", json!([])),
        json!("still here"),
        "the page was reloaded"
    );
    let notice = b.text("#scan-result");
    assert!(
        notice.contains("scanned") && notice.contains("verdict authentic"),
        "{notice}"
    );
    assert!(
        notice.contains(&format!("{} rows", sample.len())),
        "{notice}"
    );
    assert!(b.text("#kpi-verdict").contains("authentic"));
    let deadline = b.text("#kpi-deadline");
    assert!(
        deadline.contains("left") || deadline.contains("overdue"),
        "a deadline counting down: {deadline}"
    );
    let due_before = b.text("#kpi-deadline time.countdown");
    assert!(b.exists("#merchant-table") && b.exists("#profile .lsp svg"));
    snap(&b, &shots_dir, "05-case-scanned", &mut shots);

    // Record a notification.
    b.js(
        "document.getElementById('event-kind').value = 'notified'",
        json!([]),
    );
    b.type_in("#event-text", "notified A05 by e-mail");
    b.click("#event-submit");
    b.wait_for_text(
        "#timeline",
        "notified A05 by e-mail",
        Duration::from_secs(10),
    );
    assert!(!due_before.is_empty());

    // Export STIX 2.1 with the browser's session.
    let stix = b.js_async(
        "const done = arguments[arguments.length - 1]; fetch('/cases/1/export/stix', {credentials: 'same-origin'}).then(r => r.text().then(t => done([r.status, r.headers.get('content-disposition'), t])));",
        json!([]),
    );
    assert_eq!(stix[0], json!(200));
    assert!(stix[1].as_str().unwrap().contains("case-1.stix.json"));
    let bundle: Value = serde_json::from_str(stix[2].as_str().unwrap()).unwrap();
    assert_eq!(bundle["type"], "bundle");
    assert!(bundle["objects"]
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["type"] == "report"));
    for v in common::raw_values(&sample) {
        assert!(
            !stix[2].as_str().unwrap().contains(&v),
            "a raw value in the STIX export"
        );
    }

    // The advisory and the merchants.
    b.click("#view-advisory");
    b.wait_for("h1", Duration::from_secs(10));
    assert!(b.url().ends_with("/cases/1/view/advisory"));
    snap(&b, &shots_dir, "06-advisory", &mut shots);
    b.goto(&format!("{base}/cases/1/merchants"));
    b.wait_for("#merchant-table", Duration::from_secs(10));
    snap(&b, &shots_dir, "07-merchants", &mut shots);
    b.goto(&format!("{base}/cases"));
    b.wait_for("#case-table", Duration::from_secs(10));
    snap(&b, &shots_dir, "08-cases", &mut shots);
    b.click("#new-case");
    b.wait_for("#new-case-form", Duration::from_secs(10));
    snap(&b, &shots_dir, "08-new-case", &mut shots);

    // Corpus search.
    b.click("nav.mainnav a[href='/corpus']");
    b.type_in("#corpus-q", &people[3].email);
    b.click("#corpus-search");
    b.wait_for("#corpus-results", Duration::from_secs(10));
    assert!(b.text("#corpus-count").contains("1 breach"));
    assert!(b.text("#corpus-table").contains("cholua-2025"));
    assert!(
        !b.page_text().contains(&people[3].email),
        "the searched value is shown masked"
    );
    snap(&b, &shots_dir, "09-corpus", &mut shots);

    // A forged CSRF token is refused.
    b.goto(&format!("{base}/cases/1"));
    b.wait_for("#event-form", Duration::from_secs(10));
    b.js("document.querySelector('#event-form input[name=csrf]').value = 'forged-forged-forged-forged-forged-forged1'", json!([]));
    b.type_in("#event-text", "this must not be recorded");
    b.click("#event-submit");
    b.wait_for_text("#error-message", "security token", Duration::from_secs(10));
    snap(&b, &shots_dir, "10-forged-csrf", &mut shots);
    b.goto(&format!("{base}/cases/1"));
    b.wait_for("#timeline", Duration::from_secs(10));
    assert!(!b.text("#timeline").contains("must not be recorded"));

    // A copied session cookie works until sign-out, and not after.
    let cookie = b
        .cookies()
        .into_iter()
        .find(|c| c["name"] == "__Host-leakscope")
        .expect("the session cookie");
    assert_eq!(cookie["httpOnly"], json!(true));
    assert_eq!(cookie["secure"], json!(true));
    assert_eq!(cookie["sameSite"], json!("Strict"));
    let stolen = format!("__Host-leakscope={}", cookie["value"].as_str().unwrap());
    let (status, _, _) =
        http(server.port, "GET", "/cases/1", &[("Cookie", &stolen)], None).unwrap();
    assert_eq!(status, 200, "the cookie works while the session lives");
    assert_eq!(
        b.js("return document.cookie", json!([])),
        json!(""),
        "HttpOnly: no script sees it"
    );
    sign_out(&b);
    let (status, headers, _) =
        http(server.port, "GET", "/cases/1", &[("Cookie", &stolen)], None).unwrap();
    assert_eq!(status, 303, "a stolen cookie after sign-out");
    assert!(headers
        .iter()
        .any(|(k, v)| k == "location" && v.starts_with("/login")));

    // A viewer reads the case but cannot upload.
    sign_in(&b, &base, "vic", VIEWER_PW);
    b.goto(&format!("{base}/cases/1"));
    b.wait_for("#case-header", Duration::from_secs(10));
    assert!(!b.exists("#upload-form") && b.exists("#upload-denied"));
    let status = b.js_async(
        "const done = arguments[arguments.length - 1]; const f = new FormData(); f.append('csrf', document.querySelector('input[name=csrf]').value); f.append('sample', new Blob(['email\\nan@example.vn\\n']), 's.csv'); fetch('/cases/1/samples', {method: 'POST', body: f, headers: {Accept: 'application/json'}}).then(r => done(r.status));",
        json!([]),
    );
    assert_eq!(status, json!(403), "a viewer's upload");
    snap(&b, &shots_dir, "11-case-viewer", &mut shots);
    sign_out(&b);

    // The admin: users and the audit log.
    sign_in(&b, &base, "ada", ADMIN_PW);
    b.goto(&format!("{base}/admin/users"));
    b.wait_for("#user-table", Duration::from_secs(10));
    snap(&b, &shots_dir, "12-users", &mut shots);
    b.goto(&format!("{base}/admin/audit"));
    b.wait_for("#audit-table", Duration::from_secs(10));
    let audit = b.text("#audit-table");
    for a in [
        "sample_upload",
        "sample_scanned",
        "case_open",
        "export",
        "corpus_search",
        "sign_out",
    ] {
        assert!(audit.contains(a), "audit lacks {a}");
    }
    assert!(!audit.contains(&people[3].email));
    snap(&b, &shots_dir, "13-audit", &mut shots);
    sign_out(&b);
    drop(b);

    // The access log names route templates, never a path with a value in it.
    let log = std::fs::read_to_string(d.join("serve.log")).unwrap_or_default();
    assert!(log.contains("/cases/{id}"), "{log}");
    for v in common::raw_values(&sample) {
        assert!(!log.contains(&v));
    }
    assert!(!log.contains(&people[3].email));
    eprintln!(
        "web app screenshots ({}): {}\n  {}",
        shots.len(),
        shots_dir.display(),
        shots.join("\n  ")
    );
    eprintln!("browser walk took {:.1} s", started.elapsed().as_secs_f64());
}
