//! Exit codes when nothing is read, whatever the format: a non-empty input yielding no row is
//! exit 1 with the reason on stderr (and a profile that says "nothing read", not "LOW"); some
//! inputs unreadable is exit 3; rows read is exit 0.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn leakscope(args: &[&str], paths: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leakscope"))
        .args(args)
        .args(paths)
        .output()
        .unwrap()
}

fn write(dir: &Path, name: &str, body: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn inputs_with_no_rows_exit_1_and_say_why() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let cases = [
        (
            write(d, "header.csv", b"name,email,phone\n"),
            "no data rows",
        ),
        (
            write(
                d,
                "schema.sql",
                b"CREATE TABLE `users` (`id` int, `email` varchar(50));\nCREATE TABLE `orders` (`id` int);\n",
            ),
            "2 table definitions",
        ),
        (write(d, "empty.json", b"[]"), "no JSON records"),
        (write(d, "blank.csv", b""), "empty"),
    ];
    for (path, why) in &cases {
        let out = leakscope(&["scan", "--quiet", "--json"], &[path]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{}: {}",
            path.display(),
            stderr(&out)
        );
        let err = stderr(&out);
        assert!(
            err.contains("nothing read") && err.contains(why),
            "{}: {err}",
            path.display()
        );
        // The profile is still printed, and claims no sensitivity level.
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(doc["rows"], 0);
        assert_eq!(doc["sensitivity"]["reasons"][0]["code"], "nothing-read");
        let human = leakscope(&["scan", "--quiet"], &[path]);
        let text = String::from_utf8_lossy(&human.stdout);
        assert!(
            text.contains("NOTHING READ") && !text.contains(" LOW"),
            "{text}"
        );
        let md = d.join("r.md");
        leakscope(
            &["scan", "--quiet", "--markdown", md.to_str().unwrap()],
            &[path],
        );
        assert!(std::fs::read_to_string(&md)
            .unwrap()
            .contains("Sensitivity: NOTHING READ"));
        let inspect = leakscope(&["inspect"], &[path]);
        assert_eq!(inspect.status.code(), Some(1), "inspect {}", path.display());
        assert!(stderr(&inspect).contains("nothing read"));
    }
}

#[test]
fn partial_and_full_reads() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let good = write(d, "good.csv", b"email\nan@example.vn\n");
    let bad = write(
        d,
        "bad.bin",
        &[0u8, 1, 2, 3, 0, 0, 7, 8, 0, 0, 0, 1].repeat(200),
    );
    let schema = write(d, "schema.sql", b"CREATE TABLE t (email text);\n");
    let out = leakscope(&["scan", "--quiet", "--json"], &[&good]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = leakscope(&["scan", "--quiet", "--json"], &[&good, &bad]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    // A schema file beside data is no failure: it named nothing, but nothing was lost.
    let out = leakscope(&["scan", "--quiet", "--json"], &[&good, &schema]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = leakscope(&["scan", "--quiet", "--json"], &[&bad]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("binary-unknown"), "{}", stderr(&out));
}
