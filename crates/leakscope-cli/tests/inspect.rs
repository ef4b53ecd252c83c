//! `leakscope inspect` end to end: human and JSON output, exit codes, no cell values printed.

use std::io::Write;
use std::process::{Command, Stdio};

fn leakscope() -> Command {
    Command::new(env!("CARGO_BIN_EXE_leakscope"))
}

fn fixture(dir: &std::path::Path) -> std::path::PathBuf {
    let p = dir.join("customers.csv");
    std::fs::write(&p, "id,full_name,email\n1,Nguyễn Văn An,an.secret@example.vn\n2,Trần Thị Bích,bich.secret@example.vn\n".bytes().chain(*b"3,Le Minh,bad\xff\n").collect::<Vec<u8>>()).unwrap();
    p
}

#[test]
fn human_output_lists_sources_tables_and_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let p = fixture(dir.path());
    let out = leakscope().arg("inspect").arg(&p).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("format csv, encoding UTF-8"), "{text}");
    assert!(
        text.contains("table \"customers\": 3 columns (header row), 3 rows read, 0 skipped"),
        "{text}"
    );
    assert!(text.contains("columns: id, full_name, email"));
    assert!(
        text.contains("warning invalid-utf8 [table customers, line 4]"),
        "{text}"
    );
    assert!(text.contains("total: 1 sources (0 unreadable), 1 tables, 3 rows read, 0 rows skipped"));
    assert!(
        !text.contains("secret@example.vn") && !text.contains("Nguyễn"),
        "cell values leaked: {text}"
    );
}

#[test]
fn json_output_has_schema_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    let p = fixture(dir.path());
    let missing = dir.path().join("missing.csv");
    let out = leakscope()
        .args(["inspect", "--json"])
        .arg(&p)
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "one of two inputs unreadable is partial"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema"], "leakscope.inspect/1");
    assert_eq!(v["summary"]["rows"], 3);
    assert_eq!(v["summary"]["sources_failed"], 1);
    let src = &v["sources"][0];
    assert_eq!(src["format"], "csv");
    assert_eq!(
        src["tables"][0]["headers"],
        serde_json::json!(["id", "full_name", "email"])
    );
    assert_eq!(v["sources"][1]["diagnostics"][0]["code"], "not-found");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("secret@example.vn"));
}

#[test]
fn stdin_and_failure_exit_codes() {
    let mut child = leakscope()
        .args(["inspect", "--json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"an@example.vn:hunter2\nbo@example.cn:123456\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["sources"][0]["format"], "combolist");
    assert_eq!(v["sources"][0]["path"], "-");
    assert_eq!(v["summary"]["rows"], 2);

    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("fake.xlsx");
    std::fs::write(&p, "<html><table><tr><td>x</td></tr></table></html>").unwrap();
    let out = leakscope().arg("inspect").arg(&p).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("html-not-spreadsheet"));
}
