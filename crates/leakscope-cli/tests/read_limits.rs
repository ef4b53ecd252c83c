//! The reading options (`--max-columns`, `--max-ratio`, …) are one set of flags accepted by
//! every verb that reads leaks, and hostile inputs end with a named diagnostic while the other
//! inputs of the run are read.

use std::process::Command;

fn leakscope() -> Command {
    Command::new(env!("CARGO_BIN_EXE_leakscope"))
}

#[test]
fn every_reading_verb_accepts_the_same_limit_flags() {
    for verb in [&["inspect"][..], &["scan"], &["corpus", "add"], &["verify"]] {
        let out = leakscope().args(verb).arg("--help").output().unwrap();
        let help = String::from_utf8_lossy(&out.stdout);
        for flag in [
            "--encoding",
            "--password",
            "--max-expanded-bytes",
            "--max-ratio",
            "--max-depth",
            "--max-record-bytes",
            "--max-columns",
        ] {
            assert!(help.contains(flag), "{verb:?} --help lacks {flag}");
        }
    }
}

#[test]
fn limits_apply_in_inspect_and_scan() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("keys.ndjson");
    std::fs::write(
        &p,
        "{\"email\":\"a@x.vn\",\"phone\":\"+84912345678\",\"city\":\"Huế\"}\n{\"email\":\"b@x.vn\"}\n",
    )
    .unwrap();
    let out = leakscope()
        .args(["inspect", "--json", "--max-columns", "2"])
        .arg(&p)
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let src = &doc["sources"][0];
    assert_eq!(
        src["tables"][0]["headers"],
        serde_json::json!(["email", "phone"])
    );
    assert!(src["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "too-many-columns"));
    let out = leakscope()
        .args(["scan", "--json", "-q", "--max-columns", "1"])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["tables"][0]["columns"].as_array().unwrap().len(), 1);
}

#[cfg(unix)]
#[test]
fn a_fifo_is_skipped_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.csv");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skip: mkfifo is not available");
        return;
    }
    let good = dir.path().join("good.csv");
    std::fs::write(&good, "email,name\na@x.vn,An\n").unwrap();
    let out = leakscope()
        .args(["inspect", "--json"])
        .arg(&fifo)
        .arg(&good)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "partial: one input unreadable");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("special-file-skipped"), "{text}");
    assert!(
        text.contains("\"rows\": 1") || text.contains("\"rows\":1"),
        "{text}"
    );
}
