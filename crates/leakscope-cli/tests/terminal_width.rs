//! The scan summary fits the terminal it is printed on: `COLUMNS` when set, else the terminal's
//! own width (80 columns must look right), and colour follows `--color`.

use std::process::Command;

fn leak(dir: &std::path::Path) -> String {
    let p = dir.join("orders.csv");
    let o = Command::new(env!("CARGO_BIN_EXE_leakscope"))
        .args([
            "generate",
            "--flavour",
            "vn-shop",
            "--rows",
            "800",
            "--table",
            "orders",
            "--out",
        ])
        .arg(&p)
        .output()
        .unwrap();
    assert!(o.status.success());
    p.display().to_string()
}

/// Display width of a line without ANSI sequences (CJK counts two cells).
fn cells(line: &str) -> usize {
    let mut plain = String::new();
    let mut esc = false;
    for c in line.chars() {
        match (esc, c) {
            (false, '\u{1b}') => esc = true,
            (true, 'm') => esc = false,
            (true, _) => {}
            (false, c) => plain.push(c),
        }
    }
    unicode_width::UnicodeWidthStr::width(plain.trim_end_matches('\r'))
}

#[test]
fn summary_fits_80_columns() {
    let dir = tempfile::tempdir().unwrap();
    let l = leak(dir.path());
    for cols in ["80", "120"] {
        let o = Command::new(env!("CARGO_BIN_EXE_leakscope"))
            .args(["scan", "-q", &l])
            .env("COLUMNS", cols)
            .output()
            .unwrap();
        let text = String::from_utf8(o.stdout).unwrap();
        let widest = text.lines().map(cells).max().unwrap();
        let limit: usize = cols.parse().unwrap();
        assert!(widest <= limit, "{widest} > {limit}:\n{text}");
        assert!(
            widest > limit - 25,
            "uses the room it has ({widest} of {limit})"
        );
        assert!(!text.contains('\u{1b}'), "no colour into a pipe");
    }
    let o = Command::new(env!("CARGO_BIN_EXE_leakscope"))
        .args(["--color", "always", "scan", "-q", &l])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("\u{1b}["),
        "--color always colours a pipe"
    );
}

#[test]
fn summary_follows_the_terminal_width() {
    let dir = tempfile::tempdir().unwrap();
    let l = leak(dir.path());
    let bin = env!("CARGO_BIN_EXE_leakscope");
    let run = |extra: &str| {
        Command::new("script")
            .args([
                "-qec",
                &format!("stty cols 72 rows 50; {bin} {extra} scan -q {l}"),
                "/dev/null",
            ])
            .env_remove("COLUMNS")
            .output()
    };
    let Ok(o) = run("") else {
        assert!(
            std::env::var_os("CI").is_none(),
            "`script` is needed under CI"
        );
        eprintln!("SKIPPED terminal width test: `script` not runnable");
        return;
    };
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    let widest = text.lines().map(cells).max().unwrap();
    assert!(widest <= 72, "{widest} > 72:\n{text}");
    assert!(text.contains('\u{1b}'), "a terminal gets colour");
    let plain = String::from_utf8_lossy(&run("--color never").unwrap().stdout).into_owned();
    assert!(!plain.contains("\u{1b}["), "--color never: {plain:?}");
}
