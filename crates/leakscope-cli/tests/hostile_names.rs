//! Names from a leak are output safely everywhere: a header that is itself an identifier
//! (`{"an.nguyen@x.vn": {...}}`) is masked in `inspect`, every `scan` output, stderr and
//! `verify.json`; an archive member name carrying terminal escapes never reaches the terminal.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

fn leakscope(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_leakscope"));
    c.env("LEAKSCOPE_HOME", home).env("NO_COLOR", "1");
    c
}

fn text(o: &Output) -> String {
    format!(
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// An export whose records use customer e-mails and one phone number as keys (so they become
/// column headers), and a broken record so that the reader reports a diagnostic about the file.
fn keyed_export(dir: &Path) -> std::path::PathBuf {
    let mut records = Vec::new();
    for i in 0..40 {
        let mut rec = serde_json::Map::new();
        rec.insert("name".into(), serde_json::json!(format!("Nguyen Van {i}")));
        rec.insert(format!("customer{i}.nguyen@x.vn"), serde_json::json!("vip"));
        rec.insert("0912345678".into(), serde_json::json!("called"));
        records.push(serde_json::Value::Object(rec));
    }
    let p = dir.join("by-email.json");
    std::fs::write(&p, serde_json::to_string(&records).unwrap()).unwrap();
    p
}

fn assert_masked(what: &str, out: &str) {
    assert!(
        !out.contains("customer1.nguyen"),
        "{what} shows an e-mail header:\n{out}"
    );
    assert!(
        !out.contains("0912345678"),
        "{what} shows a phone-number key:\n{out}"
    );
}

#[test]
fn identifier_headers_are_masked_in_every_output() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let leak = keyed_export(dir.path());
    for args in [vec!["inspect"], vec!["inspect", "--json"]] {
        let o = leakscope(&home).args(&args).arg(&leak).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", text(&o));
        assert_masked(&format!("{args:?}"), &text(&o));
        assert!(text(&o).contains("@x.vn"), "domain kept for context");
    }
    let html = dir.path().join("r.html");
    let md = dir.path().join("r.md");
    let o = leakscope(&home)
        .args(["scan", "-q", "--html"])
        .arg(&html)
        .arg("--markdown")
        .arg(&md)
        .arg(&leak)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_masked("scan summary and stderr", &text(&o));
    assert_masked("scan --html", &std::fs::read_to_string(&html).unwrap());
    assert_masked("scan --markdown", &std::fs::read_to_string(&md).unwrap());
    let o = leakscope(&home)
        .args(["scan", "-q", "--json"])
        .arg(&leak)
        .output()
        .unwrap();
    assert_masked("scan --json", &text(&o));

    // verify: the sample's headers appear in verify.json's table descriptions.
    let init = leakscope(&home).arg("init").output().unwrap();
    assert!(init.status.success(), "{}", text(&init));
    let reference = dir.path().join("customers.csv");
    let mut f = std::fs::File::create(&reference).unwrap();
    writeln!(f, "customer_id,email,phone").unwrap();
    for i in 0..40 {
        writeln!(f, "{i},customer{i}.nguyen@x.vn,+8491234{i:04}").unwrap();
    }
    drop(f);
    let out = dir.path().join("response");
    let o = leakscope(&home)
        .arg("verify")
        .arg(&leak)
        .arg("--reference")
        .arg(&reference)
        .arg("--out")
        .arg(&out)
        .arg("--json")
        .output()
        .unwrap();
    assert_masked("verify --json", &text(&o));
    if let Ok(doc) = std::fs::read_to_string(out.join("verify.json")) {
        assert_masked("verify.json", &doc);
    }
}

#[test]
fn archive_member_names_cannot_drive_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let zip_path = dir.path().join("leak.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let opts = zip::write::SimpleFileOptions::default();
    // Clear screen, home the cursor, print a forged line, hide the rest (SGR 8).
    let evil = "\x1b[2J\x1b[Hleakscope: all clear\x1b[8m.csv";
    z.start_file(evil, opts).unwrap();
    z.write_all(b"id,email\n1,a@b.vn\n").unwrap();
    z.start_file("\u{202E}vsc.exe", opts).unwrap();
    z.write_all(b"id\n1\n").unwrap();
    z.finish().unwrap();
    for args in [
        vec!["inspect"],
        vec!["scan"],
        vec!["scan", "--json"],
        vec!["inspect", "--json"],
    ] {
        let o = leakscope(&home)
            .args(&args)
            .arg(&zip_path)
            .output()
            .unwrap();
        let all = text(&o);
        assert!(!all.contains('\x1b'), "{args:?} printed an escape: {all:?}");
        assert!(
            !all.contains('\u{202E}'),
            "{args:?} printed a bidi override: {all:?}"
        );
    }
}
