//! Runs `leakscope obligations` on a JSON scan-profile fixture (the Singapore grocery case).

use std::path::PathBuf;
use std::process::Command;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../leakscope-obligations/tests/fixtures/sg-grocery.scan.json")
}

fn leakscope(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_leakscope"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run leakscope")
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "leakscope-obligations-{name}-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn json_output_for_the_grocery_profile() {
    let f = fixture();
    let out = leakscope(&[
        "obligations",
        f.to_str().unwrap(),
        "--json",
        "--tz",
        "Asia/Singapore",
        "--discovered-at",
        "2026-01-01 09:00",
        "--assessed-at",
        "2026-01-02 15:00",
        "--now",
        "2026-01-03T04:00:00Z",
        "--affected",
        "SG=898791",
    ]);
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(v["schema"], "leakscope.obligations/1");
    let obs = v["obligations"].as_array().unwrap();
    let sg = obs
        .iter()
        .find(|o| o["rule_id"] == "sg-pdpa-26d")
        .expect("Singapore obligation");
    assert_eq!(sg["deadline"]["due_local"], "2026-01-05T23:59:59+08:00");
    assert_eq!(sg["individuals"]["required"], true);
    assert!(sg["reason"].as_str().unwrap().contains("898,791"));
    // 2,113 Malaysian residents in the fixture: Malaysia (> 1,000) applies too, earlier.
    assert_eq!(obs[0]["rule_id"], "my-pdpa-12b");
    let affected = v["affected"].as_array().unwrap();
    let sg_aff = affected.iter().find(|a| a["code"] == "SG").unwrap();
    assert_eq!(sg_aff["source"], "override");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        !text.contains("4242"),
        "masked card digits from the profile must not reach the output"
    );
}

#[test]
fn human_table_drafts_and_ciio_override() {
    let f = fixture();
    let dir = scratch("drafts");
    let out = leakscope(&[
        "obligations",
        f.to_str().unwrap(),
        "--affected",
        "CN=1200000",
        "--ciio",
        "--discovered-at",
        "2026-03-02T09:00:00+08:00",
        "--now",
        "2026-03-02T09:30:00+08:00",
        "--drafts",
        dir.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains('\x1b'), "no colour when not a terminal");
    assert!(text.contains("within 1 hour of discovery"), "{text}");
    assert!(text.contains("2026-03-02 10:00 +08:00"), "{text}");
    assert!(text.contains("Not applicable"));
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for want in [
        "cn-cac-incident.regulator.zh.md",
        "cn-cac-incident.regulator.en.md",
        "cn-pipl-57.individuals.zh.md",
        "sg-pdpa-26d.regulator.en.md",
    ] {
        assert!(names.iter().any(|n| n == want), "{want} not in {names:?}");
    }
    let zh = std::fs::read_to_string(dir.join("cn-cac-incident.regulator.zh.md")).unwrap();
    assert!(zh.contains("1,200,000") && zh.contains("密码哈希"), "{zh}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_inputs_give_clear_errors() {
    let f = fixture();
    let out = leakscope(&[
        "obligations",
        f.to_str().unwrap(),
        "--discovered-at",
        "yesterday",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--discovered-at"));

    let out = leakscope(&["obligations", f.to_str().unwrap(), "--affected", "SG=lots"]);
    assert_eq!(out.status.code(), Some(2));

    let dir = scratch("bad");
    std::fs::create_dir_all(&dir).unwrap();
    let wrong = dir.join("other.json");
    std::fs::write(&wrong, r#"{"schema": "leakscope.verify/1"}"#).unwrap();
    let out = leakscope(&["obligations", wrong.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("leakscope.scan/1"));

    let broken = dir.join("broken.json");
    std::fs::write(
        &broken,
        "{\"schema\": \"leakscope.scan/1\", \"rows\": \"S1234567D\"}",
    )
    .unwrap();
    let out = leakscope(&["obligations", broken.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !err.contains("S1234567D"),
        "error echoed a raw value: {err}"
    );

    let csv = dir.join("dump.csv");
    std::fs::write(&csv, "name,email\n").unwrap();
    // Leak files (not a profile) are scanned first; a header-only dump affects nobody.
    let out = leakscope(&["obligations", csv.to_str().unwrap(), "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["schema"], "leakscope.obligations/1");

    let rules = dir.join("rules.toml");
    std::fs::write(&rules, "format = 2\n").unwrap();
    let out = leakscope(&[
        "obligations",
        f.to_str().unwrap(),
        "--rules",
        rules.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn rules_override_file_is_used() {
    let f = fixture();
    let dir = scratch("rules");
    std::fs::create_dir_all(&dir).unwrap();
    let builtin = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../leakscope-obligations/rules/obligations.toml"),
    )
    .unwrap();
    // A stricter local policy: Singapore within 1 calendar day instead of 3.
    let custom = builtin.replacen(
        "unit = \"calendar_days\"\namount = 3\n",
        "unit = \"calendar_days\"\namount = 1\n",
        1,
    );
    assert_ne!(custom, builtin);
    let path = dir.join("rules.toml");
    std::fs::write(&path, custom).unwrap();
    let out = leakscope(&[
        "obligations",
        f.to_str().unwrap(),
        "--json",
        "--rules",
        path.to_str().unwrap(),
        "--tz",
        "Asia/Singapore",
        "--discovered-at",
        "2026-01-01 09:00",
        "--assessed-at",
        "2026-01-02 15:00",
    ]);
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["rules"]["origin"], path.to_str().unwrap());
    let sg = v["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["rule_id"] == "sg-pdpa-26d")
        .unwrap();
    assert_eq!(sg["deadline"]["due_local"], "2026-01-03T23:59:59+08:00");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn html_report_carries_the_obligations_timeline() {
    let f = fixture();
    let dir = scratch("html");
    std::fs::create_dir_all(&dir).unwrap();
    let page = dir.join("report.html");
    let out = leakscope(&[
        "obligations",
        f.to_str().unwrap(),
        "--discovered-at",
        "2026-03-02T09:00:00Z",
        "--html",
        page.to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        html.contains("id=\"obligations\""),
        "obligations section missing"
    );
    assert!(html.contains("<svg"), "no timeline chart");
    assert!(
        html.contains("PDPC"),
        "Singapore obligation missing from the report"
    );
}
