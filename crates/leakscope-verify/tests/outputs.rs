//! Response outputs: verify.json, affected_customers.csv, merchant packs, HTML section.

mod common;

use common::*;
use leakscope_verify::dates::days_from_civil;
use leakscope_verify::{html_section, verify_batches, write_outputs, VerifyOptions};

#[test]
fn outputs_hold_only_ids_we_already_have_and_html_is_escaped() {
    let mut people = customers(400, 101);
    people[0].tenant = "<script>alert(1)</script>".into();
    people[1].tenant = "Cửa hàng Ánh/Dương".into();
    let idx = index(&people);
    let mut rng = Rng::new(102);
    let rows: Vec<Vec<String>> = people
        .iter()
        .take(150)
        .map(|p| faithful_row(&mut rng, p))
        .collect();
    let opts = VerifyOptions {
        claimed_rows: Some(10_000),
        today: Some(days_from_civil(2026, 11, 22)),
        ..Default::default()
    };
    let out = verify_batches(
        &[(table("leak", &SAMPLE_HEADERS), batch(&rows))],
        &idx,
        &hashing(),
        &opts,
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    write_outputs(dir.path(), &out.report, &out.affected).unwrap();

    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("verify.json")).unwrap())
            .unwrap();
    assert_eq!(json["schema"], "leakscope.verify/1");
    assert_eq!(json["verdict"], "authentic");
    for k in [
        "sample_rows",
        "matched_rows",
        "consistent_rows",
        "partial_rows",
    ] {
        assert!(json[k].is_u64(), "{k}");
    }
    assert_eq!(json["sample_rows"], 150);
    assert!(json["tenants"].as_array().unwrap().len() >= 3);
    assert!(!json["evidence"].as_array().unwrap().is_empty());
    assert_eq!(json["extrapolation"]["claimed_rows"], 10_000);

    let csv = std::fs::read_to_string(dir.path().join("affected_customers.csv")).unwrap();
    assert_eq!(csv.lines().count(), 151);
    assert!(csv
        .lines()
        .next()
        .unwrap()
        .starts_with("customer_id,tenant"));
    for p in people.iter().take(150) {
        assert!(csv.contains(&format!("\"{}\"", p.id)));
    }
    let packs: Vec<String> = std::fs::read_dir(dir.path().join("merchants"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let tenants = out.report.tenants.len();
    assert_eq!(packs.len(), tenants * 2, "{packs:?}");
    assert!(packs.iter().all(|f| !f.contains('<') && !f.contains('/')));
    let pack: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("merchants/shop-003.json")).unwrap(),
    )
    .unwrap();
    let expect = people
        .iter()
        .take(150)
        .filter(|p| p.tenant == "shop-003")
        .count();
    assert_eq!(pack["customer_ids"].as_array().unwrap().len(), expect);
    assert_eq!(pack["affected_customers"], expect);

    // Nothing raw: no e-mail, phone, name or address of any customer in any output.
    let mut all = std::fs::read_to_string(dir.path().join("verify.json")).unwrap() + &csv;
    for f in &packs {
        all += &std::fs::read_to_string(dir.path().join("merchants").join(f)).unwrap();
    }
    for p in people.iter().take(150) {
        assert!(
            !all.contains(&p.email)
                && !all.contains(&p.phone[1..])
                && !all.contains(&p.name)
                && !all.contains(&p.address),
            "raw data in outputs"
        );
    }

    let (title, html) = html_section(&out.report);
    assert_eq!(title, "Authenticity and scope");
    assert!(!html.contains("<script>") && html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("Verdict: authentic"));
}
