//! `docs/schema-scan.md` documents exactly the fields of the model, and its example reads back.

use leakscope_profile::sample::sample_vn_platform;
use leakscope_profile::{from_json, SCAN_SCHEMA};
use std::collections::BTreeSet;

fn doc() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/schema-scan.md");
    std::fs::read_to_string(path).expect("docs/schema-scan.md exists")
}

/// Field paths (`tables[].columns[].name`) of a JSON value.
fn paths(v: &serde_json::Value, prefix: &str, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                let p = format!("{prefix}{k}");
                out.insert(p.clone());
                paths(x, &format!("{p}."), out);
            }
        }
        serde_json::Value::Array(items) => {
            let p = format!("{}[].", prefix.trim_end_matches('.'));
            for x in items {
                paths(x, &p, out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_model_field_is_documented_and_nothing_else() {
    let value = serde_json::to_value(sample_vn_platform()).unwrap();
    let mut model = BTreeSet::new();
    paths(&value, "", &mut model);
    let documented: BTreeSet<String> = doc()
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_string)
        .collect();
    let missing: Vec<_> = model.difference(&documented).collect();
    let stale: Vec<_> = documented.difference(&model).collect();
    assert!(
        missing.is_empty(),
        "fields not documented in docs/schema-scan.md: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "documented fields not in the model: {stale:?}"
    );
    assert!(
        model.len() > 80,
        "the sample exercises every field ({})",
        model.len()
    );
}

#[test]
fn the_example_document_reads_back() {
    let text = doc();
    let start = text.find("```json\n").expect("json example") + "```json\n".len();
    let end = start + text[start..].find("\n```").expect("closed block");
    let p = from_json(&text[start..end]).expect("example is a valid leakscope.scan/1 document");
    assert_eq!(p.schema, SCAN_SCHEMA);
    assert!(p.tenants.is_some() && !p.tables.is_empty() && !p.records.by_month.is_empty());
    assert!(!p.revealed, "the example is masked");
}
