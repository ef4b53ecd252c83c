//! Turns a rule's declarative example into a minimal profile and facts, and checks it.

use chrono::{DateTime, Utc};
use leakscope_profile::*;

use crate::facts::{parse_time, Facts};
use crate::rules::{Example, Rule, RuleSet};

/// A minimal valid profile holding `classes` and the people per country in `affected`.
pub fn minimal_profile(classes: &[&str], affected: &[(&str, u64)]) -> ScanProfile {
    let total: u64 = affected.iter().map(|(_, n)| n).sum();
    let countries = affected
        .iter()
        .map(|(code, n)| CountryShare {
            code: code.to_string(),
            name: code.to_string(),
            people: *n,
            share: if total == 0 {
                0.0
            } else {
                *n as f64 / total as f64
            },
            signals: vec!["phone".into()],
        })
        .collect();
    ScanProfile {
        schema: SCAN_SCHEMA.to_string(),
        tool: ToolInfo {
            name: "leakscope".into(),
            version: "test".into(),
        },
        generated_at: "2026-01-01T00:00:00Z".into(),
        found_on: None,
        rows: total,
        rows_skipped: 0,
        bytes: 0,
        sources: Vec::new(),
        tables: Vec::new(),
        individuals: Individuals {
            estimate: total,
            method: "exact".into(),
            relative_error: 0.0,
            keyed_by: Vec::new(),
            rows_without_identifier: 0,
            basis: "identifiers".into(),
        },
        data_classes: classes.iter().map(|c| c.to_string()).collect(),
        data_classes_hibp: Vec::new(),
        countries,
        records: RecordDates::default(),
        tenants: None,
        passwords: Passwords::default(),
        sensitivity: Sensitivity {
            level: Level::Moderate,
            reasons: Vec::new(),
        },
        diagnostics: Vec::new(),
        revealed: false,
    }
}

/// Checks one example of `rule` against the whole rule set; `Err` says what went wrong.
pub fn check_example(set: &RuleSet, rule: &Rule, ex: &Example) -> Result<(), String> {
    let at = parse_time(&ex.detected_at, chrono_tz::Tz::UTC)?;
    let classes: Vec<&str> = ex.classes.iter().map(String::as_str).collect();
    let affected: Vec<(&str, u64)> = ex.affected.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let profile = minimal_profile(&classes, &affected);
    let mut facts = Facts {
        discovered_at: Some(at),
        sector: ex.sector.clone(),
        established_in: ex.established_in.clone(),
        ..Facts::default()
    };
    for f in &ex.flags {
        if !facts.set_flag(f) {
            return Err(format!("unknown flag {f}"));
        }
    }
    // Overrides let examples name subdivisions (US-CA) the profile cannot hold.
    for (k, v) in &ex.affected {
        if k.contains('-') {
            facts.affected_overrides.insert(k.clone(), *v);
        }
    }
    let now: DateTime<Utc> = at;
    let report = crate::evaluate(set, "example", &profile, &facts, now);
    let ob = report.obligations.iter().find(|o| o.rule_id == rule.id);
    let na = report.not_applicable.iter().find(|n| n.rule_id == rule.id);
    match (ex.applies, ob, na) {
        (true, Some(o), _) => {
            if let Some(h) = ex.expect_hours {
                let due = o
                    .deadline
                    .due_utc
                    .as_deref()
                    .ok_or("expected a fixed deadline")?;
                let due = DateTime::parse_from_rfc3339(due).map_err(|e| e.to_string())?;
                let anchor = DateTime::parse_from_rfc3339(&o.deadline.anchor_at)
                    .map_err(|e| e.to_string())?;
                let got = (due - anchor).num_hours();
                if got != h {
                    return Err(format!(
                        "deadline is {got} h after the anchor, expected {h} h"
                    ));
                }
            }
            if let Some(i) = ex.expect_individuals {
                if o.individuals.required != i {
                    return Err(format!(
                        "individuals required = {}, expected {i} ({})",
                        o.individuals.required, o.individuals.reason
                    ));
                }
            }
            if ex.expect_tier.is_some() && o.tier != ex.expect_tier {
                return Err(format!("tier {:?}, expected {:?}", o.tier, ex.expect_tier));
            }
            Ok(())
        }
        (true, None, Some(n)) => Err(format!("expected to apply, but: {}", n.reason)),
        (false, None, Some(_)) => Ok(()),
        (false, Some(o), _) => Err(format!("expected not to apply, but applies: {}", o.reason)),
        _ => Err("rule missing from the report".into()),
    }
}
