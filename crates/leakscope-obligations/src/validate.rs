//! Static checks of a rules file: every rule cited and sourced, timezones valid, dates sane,
//! conditions naming known data classes and flags, templates complete.

use std::collections::BTreeSet;

use chrono_tz::Tz;
use leakscope_detect::DataClass;

use crate::condition::Condition;
use crate::deadline::{Deadline, Unit};
use crate::drafts::{placeholders_in, CONTENT_KEYS, PHRASE_KEYS, PLACEHOLDERS};
use crate::facts::KNOWN_FLAGS;
use crate::rules::{parse_date, RuleSet};

/// Draft languages the engine supports.
pub const LANGUAGES: [&str; 3] = ["en", "vi", "zh"];

/// Returns every problem found (empty when the file is valid).
pub fn validate(set: &RuleSet) -> Vec<String> {
    let mut p = Vec::new();
    if set.format != 1 {
        p.push(format!(
            "format = {} is not supported (expected 1)",
            set.format
        ));
    }
    if parse_date(&set.checked_on).is_none() {
        p.push(format!("checked_on {:?} is not YYYY-MM-DD", set.checked_on));
    }
    let mut codes = BTreeSet::new();
    for j in &set.jurisdictions {
        if !codes.insert(j.code.clone()) {
            p.push(format!("jurisdiction {} declared twice", j.code));
        }
        if j.timezone.parse::<Tz>().is_err() {
            p.push(format!(
                "jurisdiction {}: timezone {:?} is not an IANA name",
                j.code, j.timezone
            ));
        }
        for c in j.member_countries() {
            if c.len() != 2 && !c.contains('-') {
                p.push(format!(
                    "jurisdiction {}: member {c:?} is not an ISO code",
                    j.code
                ));
            }
        }
        for l in &j.languages {
            if !LANGUAGES.contains(&l.as_str()) {
                p.push(format!(
                    "jurisdiction {}: language {l:?} unsupported",
                    j.code
                ));
            }
            for key in PHRASE_KEYS {
                if set.drafts.phrases.get(l).and_then(|m| m.get(key)).is_none() {
                    p.push(format!(
                        "jurisdiction {}: no phrase {key} for language {l}",
                        j.code
                    ));
                }
            }
            for audience in ["regulator", "individuals"] {
                if !set
                    .drafts
                    .templates
                    .contains_key(&format!("{audience}.{l}"))
                {
                    p.push(format!(
                        "jurisdiction {}: no template {audience}.{l}",
                        j.code
                    ));
                }
            }
        }
    }
    let mut ids = BTreeSet::new();
    for r in &set.rules {
        let at = format!("rule {}", r.id);
        if r.id.is_empty() || !ids.insert(r.id.clone()) {
            p.push(format!("{at}: empty or duplicate id"));
        }
        if !codes.contains(&r.jurisdiction) {
            p.push(format!("{at}: unknown jurisdiction {}", r.jurisdiction));
        }
        for (name, v) in [
            ("title", &r.title),
            ("law", &r.law),
            ("article", &r.article),
            ("regulator", &r.regulator),
            ("penalty", &r.penalty),
        ] {
            if v.trim().is_empty() {
                p.push(format!("{at}: {name} is empty"));
            }
        }
        if r.sources.is_empty() || r.sources.iter().any(|s| !s.starts_with("https://")) {
            p.push(format!("{at}: needs at least one https:// source"));
        }
        match (r.from_date(), &r.effective_until) {
            (None, _) => p.push(format!(
                "{at}: effective_from {:?} is not YYYY-MM-DD",
                r.effective_from
            )),
            (Some(from), Some(u)) => match parse_date(u) {
                Some(until) if until >= from => {}
                _ => p.push(format!(
                    "{at}: effective_until {u:?} is not a date on or after effective_from"
                )),
            },
            _ => {}
        }
        if let Some(from) = r.from_date() {
            if from.format("%Y").to_string().parse::<i32>().unwrap_or(0) < 1990 {
                p.push(format!("{at}: effective_from {from} is implausibly early"));
            }
        }
        if !r.verified && r.caveat.as_deref().is_none_or(|c| c.trim().is_empty()) {
            p.push(format!("{at}: unverified rules need a caveat"));
        }
        check_condition(&r.trigger, &at, "trigger", &mut p);
        check_deadline(&r.deadline, &at, "deadline", &mut p);
        for t in &r.tiers {
            check_condition(&t.when, &at, "tier", &mut p);
        }
        check_condition(&r.individuals.when, &at, "individuals.when", &mut p);
        if let Some(e) = &r.individuals.exempt_if {
            check_condition(e, &at, "individuals.exempt_if", &mut p);
        }
        if let Some(d) = &r.individuals.deadline {
            check_deadline(d, &at, "individuals.deadline", &mut p);
        }
        if r.content.is_empty() {
            p.push(format!("{at}: content list is empty"));
        }
        for c in &r.content {
            if !CONTENT_KEYS.contains(&c.key.as_str()) {
                p.push(format!("{at}: content key {:?} unknown", c.key));
            }
        }
        let positives = r.examples.iter().filter(|e| e.applies).count();
        if positives == 0 || positives == r.examples.len() {
            p.push(format!(
                "{at}: needs at least one example that applies and one that does not"
            ));
        }
        for e in &r.examples {
            for c in &e.classes {
                if DataClass::from_id(c).is_none() {
                    p.push(format!("{at}: example names unknown class {c:?}"));
                }
            }
            for f in &e.flags {
                if !KNOWN_FLAGS.contains(&f.as_str()) {
                    p.push(format!("{at}: example names unknown flag {f:?}"));
                }
            }
        }
    }
    for (key, t) in &set.drafts.templates {
        for ph in placeholders_in(t) {
            if !PLACEHOLDERS.contains(&ph.as_str()) {
                p.push(format!("template {key}: unknown placeholder {{{ph}}}"));
            }
        }
    }
    p
}

fn check_condition(c: &Condition, at: &str, field: &str, p: &mut Vec<String>) {
    for (kind, value) in c.references() {
        let known = match kind {
            "class" => DataClass::from_id(&value).is_some() && value != "other",
            "flag" => KNOWN_FLAGS.contains(&value.as_str()),
            _ => !value.is_empty(),
        };
        if !known {
            p.push(format!("{at}: {field} names unknown {kind} {value:?}"));
        }
    }
}

fn check_deadline(d: &Deadline, at: &str, field: &str, p: &mut Vec<String>) {
    let needs_amount = |u: Unit| matches!(u, Unit::Hours | Unit::CalendarDays);
    if needs_amount(d.unit) && d.amount.is_none_or(|a| a == 0) {
        p.push(format!("{at}: {field} needs a positive amount"));
    }
    for o in &d.overrides {
        if needs_amount(o.unit) && o.amount.is_none_or(|a| a == 0) {
            p.push(format!("{at}: {field} override needs a positive amount"));
        }
        check_condition(&o.when, at, field, p);
    }
}
