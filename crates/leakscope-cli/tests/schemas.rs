//! Every machine-readable output carries a versioned `schema` field (docs/schemas.md): the
//! detector listing, a detector test and the generator's ground truth included.

use std::process::Command;

fn json(args: &[&str]) -> serde_json::Value {
    let o = Command::new(env!("CARGO_BIN_EXE_leakscope"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{args:?}: not JSON: {e}"))
}

#[test]
fn detect_and_generate_documents_name_their_schema() {
    let v = json(&["detect", "--value", "an@x.vn", "--json"]);
    assert_eq!(v["schema"], "leakscope.detect/1");
    assert!(v["matches"].is_array());
    let v = json(&["detect", "--rules", "--json"]);
    assert_eq!(v["schema"], "leakscope.detectors/1");
    assert!(v["detectors"].as_array().unwrap().len() > 10);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("leak");
    let v = json(&[
        "generate",
        "--flavour",
        "sg-grocery",
        "--rows",
        "50",
        "--out",
        out.to_str().unwrap(),
        "--truth",
    ]);
    assert_eq!(v["schema"], "leakscope.generate.truth/1");
    let big = dir.path().join("big.csv");
    let v = json(&[
        "generate",
        "--flavour",
        "vn-shop",
        "--size",
        "200KB",
        "--out",
        big.to_str().unwrap(),
        "--truth",
    ]);
    assert_eq!(v["schema"], "leakscope.generate.large/1");
    assert!(v["rows"].as_u64().unwrap() > 100);
}
