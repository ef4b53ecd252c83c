//! `kill -9` during `leakscope corpus add` leaves the corpus at its previous consistent state,
//! usable, and the same add then succeeds.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn leakscope(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_leakscope"));
    c.env("LEAKSCOPE_HOME", home)
        .env_remove("LEAKSCOPE_DATABASE");
    c
}

fn run_ok(home: &Path, args: &[&str]) -> String {
    let out = leakscope(home).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn write_leak(path: &Path, prefix: &str, rows: usize) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(f, "id,email,phone,password").unwrap();
    for i in 0..rows {
        writeln!(
            f,
            "{i},{prefix}{i}@mail{}.vn,+849{:08},p{}",
            i % 97,
            (i * 7919) % 100_000_000,
            i % 5000
        )
        .unwrap();
    }
}

fn breach_names(home: &Path) -> Vec<String> {
    let v: serde_json::Value =
        serde_json::from_str(&run_ok(home, &["corpus", "list", "--json"])).unwrap();
    v["breaches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["Name"].as_str().unwrap().to_string())
        .collect()
}

fn found(home: &Path, email: &str) -> bool {
    let v: serde_json::Value = serde_json::from_str(&run_ok(
        home,
        &["corpus", "check", "--email", email, "--json"],
    ))
    .unwrap();
    v["found"].as_bool().unwrap()
}

/// Spawns an add and SIGKILLs it when `when` says so; true if it was killed before finishing.
fn kill_add(home: &Path, leak: &Path, when: &dyn Fn(Duration, &Path) -> bool) -> bool {
    let mut child = leakscope(home)
        .args(["corpus", "add", leak.to_str().unwrap(), "--breach", "big"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        if when(start.elapsed(), &home.join("corpus")) {
            child.kill().unwrap(); // SIGKILL
            child.wait().unwrap();
            return true;
        }
        std::thread::sleep(Duration::from_micros(500));
    }
}

fn writing(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("tmp-"))
        })
        .unwrap_or(false)
}

#[test]
fn kill_9_mid_add_keeps_previous_state() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    run_ok(&home, &["init"]);
    let base = tmp.path().join("base.csv");
    write_leak(&base, "base", 2000);
    run_ok(
        &home,
        &["corpus", "add", base.to_str().unwrap(), "--breach", "base"],
    );
    let big = tmp.path().join("big.csv");
    write_leak(&big, "big", 250_000);

    // 1: killed while reading and hashing; 2: killed while writing its segment files.
    assert!(
        kill_add(&home, &big, &|t, _| t > Duration::from_millis(150)),
        "add finished before the kill"
    );
    assert_eq!(breach_names(&home), ["base"]);
    let mut killed_mid_write = false;
    for _ in 0..5 {
        if kill_add(&home, &big, &|_, dir| writing(dir)) {
            killed_mid_write = true;
            break;
        }
        run_ok(&home, &["corpus", "remove", "big"]);
    }
    assert!(killed_mid_write, "never caught the writer mid-write");
    assert!(
        writing(&home.join("corpus")),
        "the killed writer left its temporary directory"
    );

    // The corpus is at the previous state and usable.
    assert_eq!(breach_names(&home), ["base"]);
    assert!(found(&home, "base7@mail7.vn"));
    assert!(!found(&home, "big7@mail7.vn"));
    // The same add now succeeds and cleans up the leftovers.
    let out = run_ok(
        &home,
        &[
            "corpus",
            "add",
            big.to_str().unwrap(),
            "--breach",
            "big",
            "--json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["breach"]["PwnCount"], 250_000);
    assert!(!writing(&home.join("corpus")));
    assert_eq!(breach_names(&home), ["base", "big"]);
    assert!(found(&home, "big7@mail7.vn"));
}
