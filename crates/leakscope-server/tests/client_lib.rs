//! A real HIBP client library from PyPI (`pyhibp`) pointed at the server. Skipped when Python or
//! pyhibp is missing, unless the `CI` environment variable is set (then it fails).

mod common;

use std::process::Command;

#[test]
fn pyhibp_works_against_the_server() {
    let s = common::start();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/clients/pyhibp_client.py"
    );
    let base = format!("http://{}", s.addr);
    let ci = std::env::var_os("CI").is_some();
    let out = match Command::new("python3")
        .args([script, &base, &s.read_key])
        .output()
    {
        Ok(o) => o,
        Err(e) if !ci => {
            eprintln!("SKIPPED pyhibp_works_against_the_server: python3 not runnable ({e})");
            return;
        }
        Err(e) => panic!("python3 not runnable under CI: {e}"),
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    if out.status.code() == Some(77) {
        assert!(!ci, "pyhibp must be installed under CI: {stdout}");
        eprintln!("SKIPPED pyhibp_works_against_the_server: {stdout}");
        return;
    }
    assert!(
        out.status.success(),
        "pyhibp checks failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("all checks passed"));
}
