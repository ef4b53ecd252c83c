//! JSON out and in: round trip, schema check, clear errors.

mod common;

use leakscope_profile::{from_json, json, ProfileError, SCAN_SCHEMA};

#[test]
fn samples_round_trip() {
    for p in [common::sg(), common::vn(), common::hostile(), common::cjk()] {
        let text = json(&p);
        let back = from_json(&text).expect("reads back");
        assert_eq!(back, p);
    }
}

#[test]
fn json_has_the_documented_fields() {
    let v: serde_json::Value = serde_json::from_str(&json(&common::vn())).unwrap();
    assert_eq!(v["schema"], SCAN_SCHEMA);
    assert_eq!(v["rows"], 4_022_956);
    assert_eq!(v["individuals"]["estimate"], 1_093_406);
    assert_eq!(v["data_classes"][0], "national_id");
    assert_eq!(v["tables"][1]["columns"][3]["name"], "CCCD");
    assert_eq!(v["tables"][1]["columns"][3]["class"], "national_id");
    assert!(v["tables"][1]["columns"][3]["confidence"].is_f64());
    assert_eq!(v["records"]["newest"], "2024-06-28");
    assert_eq!(v["countries"][0]["code"], "VN");
    assert_eq!(v["tenants"]["count"], 1_500);
    assert_eq!(v["tenants"]["top"].as_array().unwrap().len(), 20);
    assert_eq!(v["sensitivity"]["level"], "critical");
    assert!(v["sensitivity"]["reasons"][0]["text"]
        .as_str()
        .unwrap()
        .contains("CCCD"));
    // Pretty-printed for humans.
    assert!(json(&common::sg()).contains("\n  \"schema\": \"leakscope.scan/1\""));
}

#[test]
fn other_schema_is_refused_clearly() {
    let text = json(&common::sg()).replace(SCAN_SCHEMA, "leakscope.verify/1");
    let err = from_json(&text).unwrap_err();
    assert!(
        matches!(&err, ProfileError::SchemaMismatch { found } if found == "leakscope.verify/1")
    );
    let msg = err.to_string();
    assert!(
        msg.contains("leakscope.verify/1") && msg.contains("expected \"leakscope.scan/1\""),
        "{msg}"
    );
    let future = json(&common::sg()).replace(SCAN_SCHEMA, "leakscope.scan/2");
    assert!(matches!(
        from_json(&future),
        Err(ProfileError::SchemaMismatch { .. })
    ));
}

#[test]
fn missing_schema_not_json_and_bad_fields_are_distinguished() {
    let mut v: serde_json::Value = serde_json::from_str(&json(&common::sg())).unwrap();
    v.as_object_mut().unwrap().remove("schema");
    assert!(matches!(
        from_json(&v.to_string()),
        Err(ProfileError::MissingSchema)
    ));
    assert!(matches!(
        from_json("not json"),
        Err(ProfileError::NotJson(_))
    ));
    assert!(matches!(from_json("[1,2]"), Err(ProfileError::NotJson(_))));
    let mut v: serde_json::Value = serde_json::from_str(&json(&common::sg())).unwrap();
    v["rows"] = serde_json::json!("many");
    let err = from_json(&v.to_string()).unwrap_err();
    assert!(matches!(err, ProfileError::Invalid(_)));
    assert!(
        err.to_string()
            .contains("invalid leakscope.scan/1 document"),
        "{err}"
    );
}

#[test]
fn optional_fields_may_be_absent() {
    let mut v: serde_json::Value = serde_json::from_str(&json(&common::sg())).unwrap();
    for k in ["found_on", "tenants", "revealed"] {
        v.as_object_mut().unwrap().remove(k);
    }
    let p = from_json(&v.to_string()).expect("optional fields default");
    assert!(p.found_on.is_none() && p.tenants.is_none() && !p.revealed);
}

#[test]
fn non_finite_numbers_still_read_back() {
    let mut p = common::sg();
    p.tables[0].columns[1].confidence = f64::NAN;
    p.individuals.relative_error = f64::INFINITY;
    let back = from_json(&json(&p)).expect("NaN written as a number");
    assert_eq!(back.tables[0].columns[1].confidence, 0.0);
    assert_eq!(back.individuals.relative_error, 0.0);
}
