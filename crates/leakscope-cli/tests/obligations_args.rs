//! `leakscope obligations` refuses unknown country codes and sectors (listing the valid ones),
//! and lists affected residents of countries without a loaded rule as "no rule" instead of
//! dropping them.

use std::path::PathBuf;
use std::process::{Command, Output};

fn fixture() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../leakscope-obligations/tests/fixtures/sg-grocery.scan.json")
        .display()
        .to_string()
}

fn obligations(extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_leakscope"))
        .arg("obligations")
        .arg(fixture())
        .args([
            "--now",
            "2026-01-03T04:00:00Z",
            "--discovered-at",
            "2026-01-01T01:00:00Z",
        ])
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn unknown_codes_and_sectors_are_refused_with_the_valid_ones() {
    let o = obligations(&["--affected", "XX=5"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("\"XX\" is not a known code"),
        "{}",
        stderr(&o)
    );
    assert!(
        stderr(&o).contains("SG") && stderr(&o).contains("VN"),
        "valid codes listed"
    );

    let o = obligations(&["--established-in", "VNM"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("VN for VNM"), "{}", stderr(&o));

    let o = obligations(&["--sector", "finanse"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("finanse") && e.contains("finance") && e.contains("retail"),
        "{e}"
    );

    for ok in [
        vec!["--affected", "sg=10"],
        vec!["--established-in", "sg,vn"],
        vec!["--sector", "Banking"],
        vec!["--affected", "BR=3"],
    ] {
        let o = obligations(&ok);
        assert_eq!(o.status.code(), Some(0), "{ok:?}: {}", stderr(&o));
    }
}

#[test]
fn residents_of_countries_without_a_rule_are_listed() {
    let o = obligations(&["--affected", "BR=2451", "--affected", "SG=898791", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let affected = v["affected"].as_array().unwrap();
    let brazil = affected
        .iter()
        .find(|a| a["code"] == "BR")
        .expect("Brazil listed although no rule covers it");
    assert_eq!(brazil["source"], "no rule");
    assert_eq!(brazil["people"], 2451);
    let text = obligations(&["--affected", "BR=2451"]);
    let out = String::from_utf8_lossy(&text.stdout);
    assert!(
        out.contains("No rule loaded") && out.contains("2,451"),
        "{out}"
    );
}
