//! The README's one command for the web app on demo data, `leakscope demo --serve`: it writes the
//! demo, prints an admin password once and serves; a client signs in with that password and
//! finds the overview, the claims feed (cases opened and one to open), the three demo cases and
//! the corpus search.

mod webdriver;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use webdriver::http;

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn cookie_of(headers: &[(String, String)], name: &str) -> Option<String> {
    headers
        .iter()
        .filter(|(k, _)| k == "set-cookie")
        .filter_map(|(_, v)| v.split(';').next())
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn csrf_in(html: &str) -> String {
    let key = "name=\"csrf\" value=\"";
    let i = html.find(key).expect("a CSRF field") + key.len();
    html[i..].split('"').next().unwrap().to_string()
}

#[test]
fn demo_serve_starts_the_web_app_on_demo_data() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_leakscope"))
        .args(["demo", "--rows", "300", "-q", "--serve", "--listen"])
        .arg(format!("127.0.0.1:{port}"))
        .arg("--out")
        .arg(&out)
        .env_remove("LEAKSCOPE_HOME")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let _guard = Killed(child);
    let started = Instant::now();
    let mut password = None;
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            err.read_line(&mut line).unwrap() > 0,
            "demo --serve ended early"
        );
        if let Some(rest) = line.split("with password ").nth(1) {
            password = rest.split_whitespace().next().map(str::to_string);
        }
        if line.contains("web app on") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(180),
            "demo --serve took too long"
        );
    }
    let password = password.expect("the admin password is printed");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&out).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the demo's data directory is private");
    }
    // Sign in as the printed admin.
    let (status, headers, body) = http(port, "GET", "/login", &[], None).unwrap();
    assert_eq!(status, 200);
    let login = cookie_of(&headers, "__Host-leakscope-login").unwrap();
    let form = format!(
        "csrf={}&name=admin&password={password}&next=%2F",
        csrf_in(&String::from_utf8_lossy(&body))
    );
    let (status, headers, _) = http(
        port,
        "POST",
        "/login",
        &[
            ("Cookie", &format!("__Host-leakscope-login={login}")),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        Some(form.as_bytes()),
    )
    .unwrap();
    assert_eq!(status, 303);
    let session = format!(
        "__Host-leakscope={}",
        cookie_of(&headers, "__Host-leakscope").expect("a session")
    );
    let page = |path: &str| {
        let (status, _, body) = http(port, "GET", path, &[("Cookie", &session)], None).unwrap();
        assert_eq!(status, 200, "{path}");
        String::from_utf8_lossy(&body).into_owned()
    };
    assert!(page("/").contains("Deadlines running out first"));
    let claims = page("/claims");
    assert!(
        claims.contains("Open a case"),
        "a claim nobody opened a case for"
    );
    for id in 1..=3 {
        assert!(
            claims.contains(&format!("href=\"/cases/{id}\"")),
            "case {id} in the feed"
        );
    }
    assert!(claims.contains("Watchlist"));
    let cases = page("/cases");
    assert_eq!(cases.matches("<tr data-case=").count(), 3);
    let case = page("/cases/1");
    assert!(case.contains("data-verdict=\"authentic\""));
    assert!(page("/corpus").contains("corpus-form"));
    // The API answers on the same address.
    let (status, _, body) = http(port, "GET", "/api/v3/dataclasses", &[], None).unwrap();
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
}
