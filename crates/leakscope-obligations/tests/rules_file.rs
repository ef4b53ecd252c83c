//! Validates the built-in rules file and runs every rule's examples.

use leakscope_obligations::examples::check_example;
use leakscope_obligations::rules::{builtin, load, BUILTIN_RULES};
use leakscope_obligations::validate::validate;

#[test]
fn builtin_rules_are_valid() {
    let set = builtin().unwrap_or_else(|e| panic!("{e}"));
    assert!(set.rules.len() >= 18, "only {} rules", set.rules.len());
    for code in [
        "SG", "CN", "VN", "EU", "TH", "ID", "PH", "MY", "JP", "KR", "IN", "AU", "HK", "US-CA",
    ] {
        assert!(
            set.rules.iter().any(|r| r.jurisdiction == code),
            "no rule for {code}"
        );
    }
    for r in &set.rules {
        assert!(!r.verified || r.caveat.is_none() || !r.caveat.as_deref().unwrap_or("").is_empty());
        assert!(
            r.examples.len() >= 2,
            "{} has {} examples",
            r.id,
            r.examples.len()
        );
    }
}

#[test]
fn every_example_behaves_as_declared() {
    let set = builtin().unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for rule in &set.rules {
        for (i, ex) in rule.examples.iter().enumerate() {
            checked += 1;
            if let Err(e) = check_example(&set, rule, ex) {
                failures.push(format!("{} example {}: {e}", rule.id, i + 1));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} examples failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked >= 40, "only {checked} examples");
}

fn mutate(from: &str, to: &str) -> Vec<String> {
    assert!(
        BUILTIN_RULES.contains(from),
        "fixture text {from:?} not in the rules file"
    );
    let text = BUILTIN_RULES.replacen(from, to, 1);
    match load(&text, "mutated") {
        Ok(set) => validate(&set),
        Err(e) => vec![e],
    }
}

#[test]
fn validation_catches_broken_rules() {
    let bad_tz = mutate(
        "timezone = \"Asia/Singapore\"",
        "timezone = \"Asia/Singapur\"",
    );
    assert!(
        bad_tz.iter().any(|p| p.contains("Asia/Singapur")),
        "{bad_tz:?}"
    );
    let bad_class = mutate(
        "classes_any = [\"payment_card\", \"bank_account\"]",
        "classes_any = [\"credit_card\", \"bank_account\"]",
    );
    assert!(
        bad_class.iter().any(|p| p.contains("credit_card")),
        "{bad_class:?}"
    );
    let bad_dates = mutate(
        "effective_until = \"2025-12-31\"",
        "effective_until = \"2022-12-31\"",
    );
    assert!(
        bad_dates.iter().any(|p| p.contains("effective_until")),
        "{bad_dates:?}"
    );
    let no_source = mutate(
        "sources = [\"https://eur-lex.europa.eu/eli/reg/2016/679/oj\"]",
        "sources = [\"eur-lex.europa.eu\"]",
    );
    assert!(
        no_source
            .iter()
            .any(|p| p.contains("eu-gdpr-33") && p.contains("source")),
        "{no_source:?}"
    );
    let bad_flag = mutate("when = { flag = \"ciio\" }", "when = { flag = \"cii0\" }");
    assert!(bad_flag.iter().any(|p| p.contains("cii0")), "{bad_flag:?}");
    let no_caveat = mutate(
        "caveat = \"Penalty figures come from a single source.\"\n",
        "",
    );
    assert!(
        no_caveat.iter().any(|p| p.contains("caveat")),
        "{no_caveat:?}"
    );
    let unknown_field = mutate("verified = true", "verified = true\nverifed = true");
    assert!(!unknown_field.is_empty());
}
