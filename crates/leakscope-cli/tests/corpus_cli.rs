//! `leakscope corpus` end to end: exit codes when inputs are missing, no breach created from a
//! leak without identifiers, flags set with `corpus mark` and by `verify --breach`, and the
//! progress bar (on a terminal only, never with `-q`).

use std::path::Path;
use std::process::{Command, Output};

fn leakscope(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leakscope"))
        .arg("--data-dir")
        .arg(home)
        .args(args)
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn setup() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    assert!(leakscope(&home, &["init"]).status.success());
    let leak = dir.path().join("customers.csv");
    let mut s = String::from("customer_id,email,phone\n");
    for i in 0..300 {
        s.push_str(&format!(
            "C{i},cust{i}@mail.example.com,+659{:07}\n",
            1_000_000 + i * 37
        ));
    }
    std::fs::write(&leak, s).unwrap();
    let leak = leak.to_str().unwrap().to_string();
    (dir, home, leak)
}

fn breaches(home: &Path) -> serde_json::Value {
    let o = leakscope(home, &["corpus", "list", "--json"]);
    serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()["breaches"].clone()
}

#[test]
fn exit_codes_say_whether_everything_was_read() {
    let (dir, home, leak) = setup();
    let missing = dir.path().join("missing.csv");
    let m = missing.to_str().unwrap();
    let o = leakscope(&home, &["corpus", "add", m, "--breach", "none"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("nothing was added"));
    assert_eq!(breaches(&home), serde_json::json!([]));

    let o = leakscope(&home, &["corpus", "add", &leak, m, "--breach", "part"]);
    assert_eq!(o.status.code(), Some(3), "partial read: {}", text(&o));
    assert_eq!(breaches(&home)[0]["Name"], "part");

    let o = leakscope(&home, &["corpus", "overlap", &leak, m]);
    assert_eq!(o.status.code(), Some(3), "{}", text(&o));
    let o = leakscope(&home, &["corpus", "overlap", &leak]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(text(&o).contains("likely a re-post"), "{}", text(&o));
}

#[test]
fn a_leak_without_identifiers_creates_no_breach() {
    let (dir, home, _) = setup();
    let names = dir.path().join("names.csv");
    std::fs::write(&names, "product,colour\nlamp,red\nchair,blue\n").unwrap();
    let o = leakscope(
        &home,
        &[
            "corpus",
            "add",
            names.to_str().unwrap(),
            "--breach",
            "empty",
        ],
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("no breach was created"), "{}", text(&o));
    assert_eq!(breaches(&home), serde_json::json!([]));
    let corpus = home.join("corpus");
    let left: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with("b-"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn breaches_are_marked_by_hand_and_by_verify() {
    let (_dir, home, leak) = setup();
    let o = leakscope(&home, &["corpus", "add", &leak, "--breach", "shop"]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(breaches(&home)[0]["IsVerified"], false);
    for bad in [
        vec!["corpus", "mark", "shop"],
        vec!["corpus", "mark", "shop", "--verified", "--unverified"],
    ] {
        assert_eq!(leakscope(&home, &bad).status.code(), Some(2), "{bad:?}");
    }
    let o = leakscope(&home, &["corpus", "mark", "nope", "--verified"]);
    assert_eq!(o.status.code(), Some(1));
    let o = leakscope(
        &home,
        &["corpus", "mark", "shop", "--fabricated", "--sensitive"],
    );
    assert!(o.status.success(), "{}", text(&o));
    let b = &breaches(&home)[0];
    assert_eq!(
        (b["IsFabricated"].clone(), b["IsSensitive"].clone()),
        (true.into(), true.into())
    );

    // The sample is the organisation's own customers: verify says authentic and marks it.
    let o = leakscope(
        &home,
        &[
            "verify",
            &leak,
            "--reference",
            &leak,
            "--breach",
            "shop",
            "-q",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("AUTHENTIC"), "{}", text(&o));
    assert!(text(&o).contains("marked verified"), "{}", text(&o));
    let b = &breaches(&home)[0];
    assert_eq!(b["IsVerified"], true);
    assert_eq!(
        b["IsFabricated"], false,
        "an authentic verdict clears fabricated"
    );
    assert_eq!(b["IsSensitive"], true, "other flags are left alone");
}

/// Runs `leakscope` under `script` so that stdout and stderr are a terminal.
fn on_terminal(home: &Path, args: &str) -> Option<String> {
    let bin = env!("CARGO_BIN_EXE_leakscope");
    let cmd = format!("{bin} --data-dir {} {args}", home.display());
    let o = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .env("COLUMNS", "120")
        .output()
        .ok()?;
    Some(String::from_utf8_lossy(&o.stdout).into_owned())
}

#[test]
fn progress_bars_on_a_terminal_only_and_never_with_quiet() {
    let (dir, home, _) = setup();
    // Enough rows that the bar draws at least once.
    let big = dir.path().join("big.csv");
    let mut s = String::from("email,phone\n");
    for i in 0..40_000 {
        s.push_str(&format!(
            "user{i}@mail.example.com,+659{:07}\n",
            1_000_000 + i
        ));
    }
    std::fs::write(&big, s).unwrap();
    let b = big.display().to_string();
    let Some(shown) = on_terminal(&home, &format!("corpus add {b} --breach big")) else {
        if std::env::var_os("CI").is_some() {
            panic!("`script` (util-linux) is needed under CI");
        }
        eprintln!("SKIPPED progress bar test: `script` not runnable");
        return;
    };
    assert!(shown.contains("added `big`"), "{shown}");
    assert!(shown.contains("ETA"), "bar drawn: {shown:?}");
    let quiet = on_terminal(&home, &format!("corpus overlap {b} -q")).unwrap();
    assert!(!quiet.contains("ETA"), "{quiet:?}");
    let idx = dir.path().join("ref.idx").display().to_string();
    let built = on_terminal(&home, &format!("index build {b} --out {idx}")).unwrap();
    assert!(built.contains("ETA"), "index build draws a bar: {built:?}");
    let verified = on_terminal(&home, &format!("verify {b} --index {idx}")).unwrap();
    assert!(verified.contains("ETA"), "verify draws a bar: {verified:?}");
    let piped = leakscope(&home, &["corpus", "overlap", &b]);
    assert!(!text(&piped).contains("ETA") && !text(&piped).contains('\u{1b}'));
}
