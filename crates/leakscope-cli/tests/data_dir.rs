//! The data directory: one global `--data-dir` (else `LEAKSCOPE_HOME`), created only by `init`,
//! private (0700 directories, 0600 files, including the corpus segments and the unkeyed e-mail
//! SHA-1 file), and refused with the fix when other users can read it.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

fn leakscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leakscope"))
        .args(args)
        .env_remove("LEAKSCOPE_HOME")
        .env("HOME", "/nonexistent-home-for-tests")
        .env_remove("XDG_DATA_HOME")
        .output()
        .expect("run leakscope")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

/// Every file and directory below `root`, with its mode.
fn modes(root: &Path) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(p) = stack.pop() {
        out.push((p.display().to_string(), mode(&p)));
        if p.is_dir() {
            for e in std::fs::read_dir(&p).unwrap() {
                stack.push(e.unwrap().path());
            }
        }
    }
    out
}

#[test]
fn only_init_creates_the_data_directory_and_secret() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let h = home.to_str().unwrap();
    let leak = tmp.path().join("leak.csv");
    std::fs::write(
        &leak,
        "email,phone\nan@x.vn,+84901234567\nbo@y.vn,+84901234568\n",
    )
    .unwrap();
    let l = leak.to_str().unwrap();
    for args in [
        vec!["--data-dir", h, "corpus", "list"],
        vec!["corpus", "add", l, "--breach", "b", "--data-dir", h],
        vec!["--data-dir", h, "serve", "keys", "add"],
        vec!["--data-dir", h, "index", "build", l, "--out", "/dev/null"],
        vec!["--data-dir", h, "verify", l, "--reference", l],
    ] {
        let o = leakscope(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", text(&o));
        assert!(
            text(&o).contains("run `leakscope init` first"),
            "{args:?}: {}",
            text(&o)
        );
        assert!(!home.exists(), "{args:?} created the data directory");
    }
    let o = leakscope(&["init", "--data-dir", h]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(mode(&home), 0o700);
    assert_eq!(mode(&home.join("secret.key")), 0o600);
    let o = leakscope(&[
        "--data-dir",
        h,
        "corpus",
        "add",
        l,
        "--breach",
        "b",
        "--email-range",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let o = leakscope(&["--data-dir", h, "serve", "keys", "add"]);
    assert!(o.status.success(), "{}", text(&o));
    let all = modes(&home);
    assert!(
        all.iter().any(|(p, _)| p.ends_with("email_sha1.seg")),
        "{all:?}"
    );
    for (p, m) in &all {
        assert_eq!(m & 0o077, 0, "{p} is readable by others: {m:o}");
    }
}

#[test]
fn environment_variable_is_the_fallback_and_the_flag_wins() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    let run = |env: &Path, args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_leakscope"))
            .args(args)
            .env("LEAKSCOPE_HOME", env)
            .output()
            .unwrap()
    };
    assert!(run(&a, &["init"]).status.success());
    assert!(a.join("secret.key").exists(), "LEAKSCOPE_HOME is used");
    let o = run(&a, &["init", "--data-dir", b.to_str().unwrap()]);
    assert!(o.status.success());
    assert!(
        b.join("secret.key").exists(),
        "--data-dir overrides the variable"
    );
    let fp = |o: Output| {
        let t = String::from_utf8(o.stdout).unwrap();
        t[t.find("fingerprint ").unwrap()..].to_string()
    };
    let again = fp(run(&a, &["init"]));
    assert_eq!(
        again,
        fp(run(&b, &["init", "--data-dir", a.to_str().unwrap()]))
    );
}

#[test]
fn a_world_readable_data_directory_is_refused_with_the_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let h = home.to_str().unwrap();
    assert!(leakscope(&["--data-dir", h, "init"]).status.success());
    std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o755)).unwrap();
    for args in [
        vec!["--data-dir", h, "corpus", "list"],
        vec!["--data-dir", h, "serve", "keys", "list"],
        vec!["--data-dir", h, "init"],
    ] {
        let o = leakscope(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {}", text(&o));
        let t = text(&o);
        assert!(t.contains("can be read by other users (mode 0755)"), "{t}");
        assert!(t.contains(&format!("chmod -R go-rwx {h}")), "{t}");
    }
    std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o700)).unwrap();
    assert!(leakscope(&["--data-dir", h, "corpus", "list"])
        .status
        .success());
}
