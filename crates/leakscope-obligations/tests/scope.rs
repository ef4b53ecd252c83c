//! Scope and counting: thresholds at the boundary, per-country overrides, missing country data.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use leakscope_obligations::examples::minimal_profile;
use leakscope_obligations::facts::parse_time;
use leakscope_obligations::*;
use leakscope_profile::ScanProfile;

fn sgt(s: &str) -> DateTime<Utc> {
    parse_time(s, "Asia/Singapore".parse::<Tz>().unwrap()).unwrap()
}

fn utc(s: &str) -> DateTime<Utc> {
    parse_time(s, Tz::UTC).unwrap()
}

fn run(p: &ScanProfile, facts: &Facts, now: DateTime<Utc>) -> ObligationsReport {
    evaluate(&builtin().unwrap(), "built-in", p, facts, now)
}

fn ob<'a>(r: &'a ObligationsReport, id: &str) -> &'a Obligation {
    r.obligations
        .iter()
        .find(|o| o.rule_id == id)
        .unwrap_or_else(|| panic!("{id} does not apply"))
}

fn na<'a>(r: &'a ObligationsReport, id: &str) -> &'a NotApplicable {
    r.not_applicable
        .iter()
        .find(|n| n.rule_id == id)
        .unwrap_or_else(|| panic!("{id} applies"))
}

#[test]
fn thresholds_are_inclusive_at_the_boundary() {
    let facts = Facts {
        discovered_at: Some(sgt("2026-04-01 09:00")),
        ..Facts::default()
    };
    let at = |n: u64| {
        run(
            &minimal_profile(&["email", "phone"], &[("SG", n)]),
            &facts,
            sgt("2026-04-01 10:00"),
        )
    };
    assert_eq!(
        na(&at(499), "sg-pdpa-26d").reason,
        "499 affected Singapore residents < 500 and no significant-harm data (Schedule)"
    );
    let o = ob(&at(500), "sg-pdpa-26d").clone();
    assert_eq!(o.reason, "≥ 500 affected Singapore residents: 500");
    // Scale alone: PDPC only, not the individuals.
    assert!(!o.individuals.required);
    assert!(
        o.individuals
            .reason
            .starts_with("not required: no significant-harm data"),
        "{}",
        o.individuals.reason
    );
}

#[test]
fn overrides_replace_profile_counts_per_member_country() {
    // The profile places nobody in the EU; a per-member override brings GDPR into scope.
    let p = minimal_profile(&["email"], &[("SG", 10_000)]);
    let mut facts = Facts {
        discovered_at: Some(utc("2026-05-04T10:00:00Z")),
        ..Facts::default()
    };
    let r = run(&p, &facts, utc("2026-05-04T10:00:00Z"));
    assert!(na(&r, "eu-gdpr-33")
        .reason
        .contains("no affected EU/EEA residents"));
    facts.affected_overrides.insert("DE".into(), 120);
    facts.affected_overrides.insert("SG".into(), 300);
    let r = run(&p, &facts, utc("2026-05-04T10:00:00Z"));
    let eu = r.affected.iter().find(|a| a.code == "EU").unwrap();
    assert_eq!((eu.people, eu.source.as_str()), (Some(120), "override"));
    ob(&r, "eu-gdpr-33");
    // The SG override (300) wins over the profile's 10,000.
    assert!(na(&r, "sg-pdpa-26d")
        .reason
        .starts_with("300 affected Singapore residents < 500"));
}

#[test]
fn no_country_information_is_a_warning_not_a_guess() {
    let p = minimal_profile(&["email", "password"], &[]);
    let facts = Facts {
        discovered_at: Some(utc("2026-05-04T10:00:00Z")),
        ..Facts::default()
    };
    let r = run(&p, &facts, utc("2026-05-04T10:00:00Z"));
    assert!(r.obligations.is_empty());
    assert!(r
        .warnings
        .iter()
        .any(|w| w.contains("no country information")));
    assert!(na(&r, "sg-pdpa-26d")
        .reason
        .contains("give --affected SG=N"));
    // Establishment alone brings Singapore into scope; the harm limb then applies.
    let facts = Facts {
        established_in: vec!["SG".into()],
        ..facts
    };
    let r = run(&p, &facts, utc("2026-05-04T10:00:00Z"));
    let o = ob(&r, "sg-pdpa-26d");
    assert!(
        o.caveats.iter().any(|c| c.contains("unknown")),
        "{:?}",
        o.caveats
    );
}
