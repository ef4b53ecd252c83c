//! Every rule file loads, and every detector's examples behave: positives validate, negatives
//! do not.

use leakscope_detect::rules::{compile, BUILTIN_RULES};
use leakscope_detect::validators::REGISTRY;
use leakscope_detect::{DataClass, Detectors};

#[test]
fn every_example_of_every_detector() {
    let dets = compile(BUILTIN_RULES).expect("rules compile");
    assert!(
        dets.len() >= 30,
        "expected the full built-in set, got {}",
        dets.len()
    );
    let mut failures = Vec::new();
    for d in &dets {
        assert!(
            !d.def.positive.is_empty(),
            "{} has no positive examples",
            d.def.id
        );
        assert!(
            !d.def.negative.is_empty(),
            "{} has no negative examples",
            d.def.id
        );
        assert!(
            !d.def.description.is_empty() && !d.def.label.is_empty(),
            "{} lacks text",
            d.def.id
        );
        for p in &d.def.positive {
            if d.check(p).is_none() {
                failures.push(format!("{}: positive {p:?} does not validate", d.def.id));
            }
        }
        for n in &d.def.negative {
            if d.check(n).is_some() {
                failures.push(format!("{}: negative {n:?} validates", d.def.id));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn identifier_detectors_cite_references_and_every_validator_is_used() {
    let dets = compile(BUILTIN_RULES).unwrap();
    for d in &dets {
        if d.class != DataClass::Other {
            assert!(
                !d.def.references.is_empty(),
                "{} has no references",
                d.def.id
            );
        }
    }
    for (name, _) in REGISTRY {
        assert!(
            dets.iter().any(|d| d.def.validator == *name),
            "validator {name} is not used by any rule"
        );
    }
}

#[test]
fn a_country_is_a_file() {
    let extra = r#"
[[detector]]
id = "test_my_phone"
class = "phone"
country = "MY"
label = "MY phones"
description = "Malaysian numbers through the metadata validator"
validator = "intl_phone"
header_keywords = ["no telefon"]
positive = ["+60 12-345 6789"]
negative = ["+60 1"]
"#;
    let mut files = BUILTIN_RULES.to_vec();
    files.push(("my.toml", extra));
    let ds = Detectors::from_rule_files(&files).unwrap();
    let v = ds.classify_column(
        Some("No Telefon"),
        &[
            "+60 12-345 6789",
            "+60 12-345 6790",
            "+60 19-876 5432",
            "+60 13-222 3344",
            "+60 17-555 0101",
        ],
    );
    assert_eq!(v.class, DataClass::Phone, "{}", v.evidence);
    let bad = r#"
[[detector]]
id = "x"
class = "nonsense"
label = "x"
description = "x"
validator = "email"
"#;
    let err = Detectors::from_rule_files(&[("bad.toml", bad)]).unwrap_err();
    assert!(err.to_string().contains("bad.toml") && err.message.contains("unknown class"));
}

#[test]
fn hibp_names_cover_every_class() {
    for c in DataClass::ALL {
        assert!(!c.hibp_name().is_empty());
        assert_eq!(DataClass::from_id(c.id()), Some(c));
    }
    assert_eq!(DataClass::NationalId.hibp_name(), "Government issued IDs");
    assert_eq!(
        DataClass::PaymentCardPartial.hibp_name(),
        "Partial credit card data"
    );
}

#[test]
fn odd_input_never_panics() {
    let ds = Detectors::builtin();
    let mut odd: Vec<String> = [
        "",
        " ",
        "$",
        "*",
        "$2b$",
        "pbkdf2_",
        "年月日",
        "2019年13月2日",
        "2019-03-02T",
        "+",
        "+84",
        "00",
        "@",
        "a@",
        "@b.",
        "1.2.3.4.5",
        "::",
        "•••• ",
        "x".repeat(5000).as_str(),
        "9".repeat(40).as_str(),
        "ế̂̃",
        "😀😀😀😀😀😀😀😀😀😀",
        "S123456€",
        "11010519491231002€",
        "1,2,3",
        ".5",
        "0.",
        "12:30 2019-01-01",
        "#01-23",
        "Blk",
        "¥",
        "S$",
        "đ",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Every cut of a multi-byte sample, to catch slicing at non-boundaries.
    let sample = "Nguyễn 0912345678 ng@x.vn 身份证11010519491231002X ¥1,299.00";
    for (i, _) in sample.char_indices() {
        odd.push(sample[i..].to_string());
        odd.push(sample[..i].to_string());
    }
    for v in &odd {
        for d in ds.detectors() {
            let _ = d.check(v);
        }
        for c in DataClass::ALL {
            let _ = ds.check_value(c, None, v);
            let _ = leakscope_detect::mask(c, v);
        }
    }
    let vals: Vec<&str> = odd.iter().map(String::as_str).collect();
    let verdict = ds.classify_column(Some("😀"), &vals);
    assert!(
        !verdict.class.is_sensitive_identifier(),
        "{}",
        verdict.evidence
    );
}

/// Prepared per-column checks give exactly what `check_value` gives, for every class, every kind
/// a rule reports (and none), on every example value of every rule.
#[test]
fn prepared_checks_agree_with_check_value() {
    let d = Detectors::builtin();
    let values: Vec<&str> = d
        .detectors()
        .iter()
        .flat_map(|x| x.def.positive.iter().chain(x.def.negative.iter()))
        .map(String::as_str)
        .collect();
    let mut kinds: Vec<Option<&str>> = vec![None, Some("no_such_kind")];
    kinds.extend(
        d.detectors()
            .iter()
            .filter_map(|x| x.def.kind.as_deref().map(Some)),
    );
    let mut compared = 0;
    for class in DataClass::ALL {
        for &kind in &kinds {
            let check = d.prepare(class, kind);
            for v in &values {
                assert_eq!(
                    d.check_prepared(&check, v),
                    d.check_value(class, kind, v),
                    "{class:?} {kind:?} {v:?}"
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 10_000, "{compared}");
}
