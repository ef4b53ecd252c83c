//! Headers that are themselves identifiers (`{"an.nguyen@x.vn": {...}}` flattened to columns,
//! per-customer table names, phone numbers as keys) are masked in every renderer and in the JSON
//! document, and shown as they are only in a `--reveal` profile.

mod common;

use leakscope_profile::render::{html, human, json, markdown, HumanOptions};

const EMAIL: &str = "an.nguyen@x.vn";
const PHONE: &str = "0912345678";

fn with_identifier_names() -> leakscope_profile::ScanProfile {
    let mut p = common::vn();
    p.sources[0].path = format!("export/{PHONE}.json");
    let t = &mut p.tables[0];
    t.name = format!("customers.{PHONE}");
    t.columns[0].name = format!("{EMAIL}.name");
    t.columns[1].name = format!("{EMAIL}.phone");
    t.columns[1].evidence = format!("header `{EMAIL}.phone` and 99% valid phones");
    if let Some(tn) = &mut p.tenants {
        tn.column = format!("orders.{EMAIL}.shop");
    }
    p.diagnostics[0].message = format!("objects have keys not seen before (e.g. {EMAIL})");
    p.diagnostics[0].source = format!("export/{PHONE}.json");
    p
}

#[test]
fn every_renderer_masks_identifiers_in_names() {
    let p = with_identifier_names();
    let outputs = [
        (
            "human",
            human(
                &p,
                &HumanOptions {
                    color: false,
                    width: 200,
                },
            ),
        ),
        ("markdown", markdown(&p)),
        ("html", html(&p, &[])),
        ("json", json(&p)),
    ];
    for (name, out) in &outputs {
        assert!(!out.contains("an.nguyen"), "{name} shows the e-mail header");
        assert!(!out.contains(PHONE), "{name} shows the phone number name");
        assert!(out.contains("@x.vn"), "{name} keeps the domain for context");
    }
    assert!(
        outputs[0].1.contains("an•••@x.vn.name"),
        "masked header is shown"
    );
}

#[test]
fn revealed_profiles_show_names_as_they_are() {
    let mut p = with_identifier_names();
    p.revealed = true;
    let out = json(&p);
    assert!(out.contains("an.nguyen@x.vn.name"));
    assert!(markdown(&p).contains(PHONE));
}
