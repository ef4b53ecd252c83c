//! `leakscope index build` / `index info` / `verify --index` end to end through the binary: the
//! build leaves no temporary files, an old-format index is refused with a rebuild instruction,
//! and `--since` merges changed customers.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn leakscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leakscope"))
        .args(args)
        .env("NO_COLOR", "1")
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

/// A scratch directory with a private secret file (`--secret` never creates one).
fn scratch() -> PathBuf {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let dir = std::env::temp_dir().join(format!("leakscope-verify-index-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(dir.join("secret.key"))
        .unwrap();
    f.write_all("5e".repeat(32).as_bytes()).unwrap();
    dir
}

const GIVEN: &[&str] = &["Lan", "Hùng", "Wei Ling", "Rajesh", "Siti", "Daniel"];
const FAMILY: &[&str] = &["Nguyễn", "Tan", "Lim", "Kumar", "Ng", "Trần", "Lee"];

fn person(i: usize) -> [String; 7] {
    [
        format!("C{i:05}"),
        format!("{} {}", FAMILY[i % 7], GIVEN[i % 6]),
        format!("cust{i}@mail{}.example.com", i % 9),
        format!("+659{:07}", 1_000_000 + i * 37),
        format!("Blk {} Tampines St {}", i % 400 + 1, i % 90 + 1),
        format!("shop-{}", i % 4),
        "2023-05-01".to_string(),
    ]
}

fn write_ref(path: &Path, people: &[[String; 7]]) {
    let mut s = String::from("customer_id,full_name,email,phone,address,merchant_id,updated_at\n");
    for p in people {
        s.push_str(&p.join(","));
        s.push('\n');
    }
    std::fs::write(path, s).unwrap();
}

#[test]
fn index_build_info_verify_and_since_through_the_cli() {
    let dir = scratch();
    let d = |n: &str| dir.join(n).to_string_lossy().into_owned();
    let people: Vec<[String; 7]> = (0..400).map(person).collect();
    write_ref(&dir.join("ref.csv"), &people);
    let mut sample = String::from("Name,Email Address,Mobile\n");
    for p in people.iter().step_by(3) {
        sample.push_str(&format!("{},{},{}\n", p[1].to_uppercase(), p[2], p[3]));
    }
    std::fs::write(dir.join("sample.csv"), sample).unwrap();

    let o = leakscope(&[
        "index",
        "build",
        &d("ref.csv"),
        "--out",
        &d("ref.lsidx"),
        "--secret",
        &d("secret.key"),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("400 customers, 800 identifiers"),
        "{}",
        text(&o)
    );
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["ref.csv", "ref.lsidx", "sample.csv", "secret.key"],
        "no temporary files left next to the output"
    );

    let o = leakscope(&[
        "index",
        "info",
        &d("ref.lsidx"),
        "--secret",
        &d("secret.key"),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("\"leakscope.index/2\""), "{}", text(&o));
    for p in people.iter().take(20) {
        assert!(!text(&o).contains(&p[2]), "no raw e-mail in index info");
    }

    let o = leakscope(&[
        "verify",
        &d("sample.csv"),
        "--index",
        &d("ref.lsidx"),
        "--secret",
        &d("secret.key"),
        "--json",
        "--today",
        "2024-01-01",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["verdict"], "authentic", "{v}");
    assert_eq!(v["matched_rows"], 134, "{v}");

    // An index of the previous format is refused with a rebuild instruction.
    let mut old = std::fs::read(dir.join("ref.lsidx")).unwrap();
    old[7] = 1;
    std::fs::write(dir.join("old.lsidx"), old).unwrap();
    let o = leakscope(&[
        "verify",
        &d("sample.csv"),
        "--index",
        &d("old.lsidx"),
        "--secret",
        &d("secret.key"),
    ]);
    assert!(!o.status.success());
    assert!(text(&o).contains("leakscope index build"), "{}", text(&o));

    // --since: 10 customers change e-mail, 5 join; the rest are older and skipped.
    let mut changed = people.clone();
    for p in changed.iter_mut().take(10) {
        p[2] = format!("new.{}", p[2]);
        p[6] = "2024-02-01".into();
    }
    for i in 400..405 {
        let mut p = person(i);
        p[6] = "2024-02-02".into();
        changed.push(p);
    }
    write_ref(&dir.join("ref2.csv"), &changed);
    let o = leakscope(&[
        "index",
        "build",
        &d("ref2.csv"),
        "--out",
        &d("ref.lsidx"),
        "--secret",
        &d("secret.key"),
        "--since",
        "2024-01-01",
        "--updated-column",
        "updated_at",
    ]);
    assert!(o.status.success(), "{}", text(&o));
    let t = text(&o);
    assert!(t.contains("405 customers, 810 identifiers"), "{t}");
    assert!(t.contains("10 customers replaced, 5 added"), "{t}");
    let _ = std::fs::remove_dir_all(&dir);
}
