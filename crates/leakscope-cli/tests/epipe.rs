//! Every verb handles a closed pipe quietly (`leakscope scan --json | head -1`): no panic, no
//! error message, exit 0. Each test runs one verb with its standard output already closed by
//! the reader, so its first write fails with EPIPE.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Runs leakscope with a standard output whose reading end is closed; returns (exit code,
/// stderr).
fn closed_stdout(home: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_leakscope"))
        .arg("--data-dir")
        .arg(home)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env("NO_COLOR", "1")
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_quiet(what: &str, (code, stderr): (Option<i32>, String)) {
    assert!(!stderr.contains("panicked"), "{what} panicked: {stderr}");
    assert!(
        !stderr.contains("Broken pipe"),
        "{what} reported the pipe: {stderr}"
    );
    assert_eq!(code, Some(0), "{what}: {stderr}");
}

/// A data directory with a secret, a corpus breach and an API key; a small leak and a profile.
struct World {
    _dir: tempfile::TempDir,
    home: PathBuf,
    leak: String,
    profile: String,
    index: String,
}

fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let run = |args: &[&str]| {
        let o = Command::new(env!("CARGO_BIN_EXE_leakscope"))
            .arg("--data-dir")
            .arg(&home)
            .args(args)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        o.stdout
    };
    run(&["init"]);
    let leak = dir.path().join("leak.csv");
    let mut f = std::fs::File::create(&leak).unwrap();
    writeln!(f, "customer_id,full_name,email,phone").unwrap();
    for i in 0..400 {
        writeln!(
            f,
            "C{i},Nguyen Van {i},user{i}@mail.example.vn,+8490{:07}",
            1_000_000 + i
        )
        .unwrap();
    }
    drop(f);
    let leak = leak.display().to_string();
    run(&["corpus", "add", &leak, "--breach", "shop", "-q"]);
    run(&["serve", "keys", "add"]);
    let profile = dir.path().join("profile.json");
    std::fs::write(&profile, run(&["scan", "-q", "--json", &leak])).unwrap();
    let index = dir.path().join("ref.idx");
    run(&[
        "index",
        "build",
        &leak,
        "--out",
        index.to_str().unwrap(),
        "-q",
    ]);
    World {
        home,
        leak,
        profile: profile.display().to_string(),
        index: index.display().to_string(),
        _dir: dir,
    }
}

#[test]
fn inspect_scan_and_detect() {
    let w = world();
    let l = w.leak.as_str();
    assert_quiet("inspect", closed_stdout(&w.home, &["inspect", l]));
    assert_quiet(
        "inspect --json",
        closed_stdout(&w.home, &["inspect", "--json", l]),
    );
    assert_quiet("scan", closed_stdout(&w.home, &["scan", "-q", l]));
    assert_quiet(
        "scan --json",
        closed_stdout(&w.home, &["scan", "-q", "--json", l]),
    );
    assert_quiet(
        "detect --rules",
        closed_stdout(&w.home, &["detect", "--rules"]),
    );
    assert_quiet(
        "detect --value",
        closed_stdout(&w.home, &["detect", "--value", "user1@mail.example.vn"]),
    );
}

#[test]
fn obligations_generate_and_demo() {
    let w = world();
    assert_quiet(
        "obligations",
        closed_stdout(&w.home, &["obligations", &w.profile]),
    );
    assert_quiet(
        "obligations --json",
        closed_stdout(&w.home, &["obligations", "--json", &w.profile]),
    );
    assert_quiet(
        "generate --out -",
        closed_stdout(
            &w.home,
            &[
                "generate",
                "--flavour",
                "vn-shop",
                "--rows",
                "5000",
                "--table",
                "orders",
                "--out",
                "-",
            ],
        ),
    );
    let demo = w.home.parent().unwrap().join("demo");
    assert_quiet(
        "demo",
        closed_stdout(
            &w.home,
            &[
                "demo",
                "--rows",
                "300",
                "-q",
                "--out",
                demo.to_str().unwrap(),
            ],
        ),
    );
}

#[test]
fn verify_index_corpus_serve_and_init() {
    let w = world();
    let l = w.leak.as_str();
    assert_quiet(
        "verify",
        closed_stdout(&w.home, &["verify", l, "--index", &w.index, "-q"]),
    );
    assert_quiet(
        "verify --json",
        closed_stdout(&w.home, &["verify", l, "--reference", l, "--json", "-q"]),
    );
    assert_quiet(
        "index info",
        closed_stdout(&w.home, &["index", "info", &w.index]),
    );
    let out = w.home.parent().unwrap().join("again.idx");
    assert_quiet(
        "index build",
        closed_stdout(
            &w.home,
            &["index", "build", l, "--out", out.to_str().unwrap(), "-q"],
        ),
    );
    for args in [
        vec!["corpus", "list"],
        vec!["corpus", "list", "--json"],
        vec!["corpus", "show", "shop"],
        vec!["corpus", "check", "--email", "user1@mail.example.vn"],
        vec!["corpus", "overlap", l, "-q"],
        vec!["corpus", "mark", "shop", "--verified"],
        vec!["corpus", "add", l, "--breach", "again", "-q"],
    ] {
        assert_quiet(&args.join(" "), closed_stdout(&w.home, &args));
    }
    assert_quiet(
        "serve keys list",
        closed_stdout(&w.home, &["serve", "keys", "list"]),
    );
    assert_quiet(
        "serve keys add",
        closed_stdout(&w.home, &["serve", "keys", "add"]),
    );
    assert_quiet("init", closed_stdout(&w.home, &["init"]));
}

#[test]
fn help_and_bench() {
    let w = world();
    for verb in [
        "inspect",
        "scan",
        "demo",
        "detect",
        "obligations",
        "generate",
        "verify",
        "index",
        "corpus",
        "serve",
        "init",
        "bench",
    ] {
        assert_quiet(
            &format!("{verb} --help"),
            closed_stdout(&w.home, &[verb, "--help"]),
        );
    }
    assert_quiet("--version", closed_stdout(&w.home, &["--version"]));
    let dir = w.home.parent().unwrap().join("bench");
    assert_quiet(
        "bench",
        closed_stdout(
            &w.home,
            &[
                "bench",
                "--size",
                "2MB",
                "--runs",
                "1",
                "--dir",
                dir.to_str().unwrap(),
            ],
        ),
    );
}
