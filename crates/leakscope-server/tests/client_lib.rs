//! Real HIBP client libraries pointed at the server, unchanged but for their base URL:
//! `pyhibp` 4.2, `hibpwned` 1.3.9 and `pwnedpasswords` 3.1 (PyPI), `hibp` 15.2 (npm).
//! `.ci/install-deps.sh` installs them. A client that is not installed is skipped with a notice,
//! unless the `CI` environment variable is set (then the test fails).

mod common;

use std::path::PathBuf;
use std::process::Command;

/// Exit code the client scripts use for "library not installed".
const NOT_INSTALLED: i32 = 77;

fn script(name: &str) -> String {
    format!("{}/tests/clients/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// Runs a client script; skips (or fails under CI) when the runtime or library is missing.
fn run_client(test: &str, mut cmd: Command, marker: &str) {
    let ci = std::env::var_os("CI").is_some();
    let out = match cmd.output() {
        Ok(o) => o,
        Err(e) if !ci => {
            eprintln!("SKIPPED {test}: runtime not runnable ({e})");
            return;
        }
        Err(e) => panic!("{test}: runtime not runnable under CI: {e}"),
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    if out.status.code() == Some(NOT_INSTALLED) {
        assert!(
            !ci,
            "{test}: the client must be installed under CI: {stdout}"
        );
        eprintln!("SKIPPED {test}: {stdout}");
        return;
    }
    assert!(
        out.status.success(),
        "{test} checks failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(marker), "{stdout}");
}

/// Runs a Python client script against a fresh server; `key` adds the read key argument.
fn python_client(name: &str, file: &str, key: bool) {
    let s = common::start();
    let mut c = Command::new("python3");
    c.arg(script(file)).arg(format!("http://{}", s.addr));
    if key {
        c.arg(&s.read_key);
    }
    run_client(name, c, "all checks passed");
}

#[test]
fn pyhibp_works_against_the_server() {
    python_client("pyhibp", "pyhibp_client.py", true);
}

#[test]
fn hibpwned_works_against_the_server() {
    python_client("hibpwned", "hibpwned_client.py", true);
}

#[test]
fn pwnedpasswords_works_against_the_server() {
    python_client("pwnedpasswords", "pwnedpasswords_client.py", false);
}

/// The entry file of the globally installed npm `hibp` package, if any.
fn npm_hibp() -> Option<PathBuf> {
    let out = Command::new("npm").args(["root", "-g"]).output().ok()?;
    let root = PathBuf::from(String::from_utf8(out.stdout).ok()?.trim());
    let entry = root.join("hibp/dist/esm/hibp.js");
    entry.exists().then_some(entry)
}

#[test]
fn npm_hibp_works_against_the_server() {
    let ci = std::env::var_os("CI").is_some();
    let Some(entry) = npm_hibp() else {
        assert!(
            !ci,
            "npm hibp must be installed under CI (npm install -g hibp@15.2.1)"
        );
        eprintln!("SKIPPED npm hibp: not installed (npm install -g hibp@15.2.1)");
        return;
    };
    let s = common::start();
    let mut c = Command::new("node");
    c.arg(script("hibp_client.mjs"))
        .arg(format!("http://{}", s.addr))
        .arg(&s.read_key)
        .arg(&s.domain_key)
        .arg(entry);
    run_client("npm hibp", c, "all checks passed");
}
