//! Evaluates every rule against a profile and the organisation facts.

use std::collections::BTreeSet;

use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use leakscope_profile::ScanProfile;

use crate::condition::Context;
use crate::deadline::{due, remaining_text, Anchor, Due, Unit};
use crate::facts::{thousands, Facts};
use crate::report::*;
use crate::rules::{Jurisdiction, Rule, RuleSet};

/// Evaluates `rules` for `profile` and `facts`; remaining times are measured from `now`.
/// `origin` names where the rules came from (`built-in` or a path).
pub fn evaluate(
    rules: &RuleSet,
    origin: &str,
    profile: &ScanProfile,
    facts: &Facts,
    now: DateTime<Utc>,
) -> ObligationsReport {
    let mut warnings = Vec::new();
    if facts.discovered_at.is_none() {
        warnings.push("detection time not given (--discovered-at) and the profile has no found_on date: counted from now".into());
    }
    if profile.countries.is_empty() && facts.affected_overrides.is_empty() {
        warnings.push("the profile has no country information: give per-country counts with --affected CODE=N".into());
    }
    let classes = profile_classes(profile);
    let kinds: BTreeSet<String> = profile
        .tables
        .iter()
        .flat_map(|t| t.columns.iter())
        .filter_map(|c| c.kind.clone())
        .collect();

    let mut affected = Vec::new();
    let mut obligations = Vec::new();
    let mut not_applicable = Vec::new();
    for j in &rules.jurisdictions {
        let (people, source) = affected_in(j, profile, facts);
        affected.push(AffectedCount {
            code: j.code.clone(),
            name: j.name.clone(),
            people,
            source,
        });
        let tz: Tz = j.timezone.parse().unwrap_or(Tz::UTC);
        let established = j
            .member_countries()
            .iter()
            .any(|c| facts.established_in.contains(c))
            || facts.established_in.contains(&j.code);
        let ctx = Context {
            jurisdiction: &j.name,
            affected: people,
            classes: &classes,
            kinds: &kinds,
            facts,
            established,
            sensitivity: profile.sensitivity.level,
        };
        for rule in rules.rules.iter().filter(|r| r.jurisdiction == j.code) {
            match evaluate_rule(rule, j, tz, &ctx, facts, now) {
                Ok(o) => obligations.push(o),
                Err(reason) => not_applicable.push(NotApplicable {
                    rule_id: rule.id.clone(),
                    jurisdiction_code: j.code.clone(),
                    jurisdiction: j.name.clone(),
                    title: rule.title.clone(),
                    citation: rule.citation(),
                    reason,
                    verified: rule.verified,
                }),
            }
        }
    }
    affected.extend(without_rule(rules, profile, facts));
    obligations.sort_by(|a, b| {
        let key = |o: &Obligation| (o.deadline.due_utc.is_none(), o.deadline.due_utc.clone());
        key(a)
            .cmp(&key(b))
            .then_with(|| a.jurisdiction.cmp(&b.jurisdiction))
            .then_with(|| a.rule_id.cmp(&b.rule_id))
    });
    let mut report = ObligationsReport {
        schema: OBLIGATIONS_SCHEMA.to_string(),
        now: rfc(now),
        rules: RulesInfo {
            origin: origin.to_string(),
            checked_on: rules.checked_on.clone(),
        },
        facts: echo(facts, profile, &classes, now),
        affected,
        obligations,
        not_applicable,
        drafts: Vec::new(),
        warnings,
    };
    report.drafts = crate::drafts::build(rules, &report, profile);
    report
}

fn rfc(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Data classes present in the profile: the document's list, every column's class, mixed and
/// embedded classes, and password material counted by `passwords`.
pub fn profile_classes(profile: &ScanProfile) -> BTreeSet<String> {
    let mut set: BTreeSet<String> = profile.data_classes.iter().cloned().collect();
    for col in profile.tables.iter().flat_map(|t| t.columns.iter()) {
        set.insert(col.class.clone());
        set.extend(
            col.mixed
                .iter()
                .chain(col.embedded.iter())
                .filter(|s| s.share > 0.0)
                .map(|s| s.class.clone()),
        );
    }
    if profile.passwords.plaintext > 0 {
        set.insert("password".into());
    }
    if profile.passwords.total > profile.passwords.plaintext {
        set.insert("password_hash".into());
    }
    set.remove("other");
    set
}

fn affected_in(j: &Jurisdiction, profile: &ScanProfile, facts: &Facts) -> (Option<u64>, String) {
    if let Some(n) = facts.affected_overrides.get(&j.code) {
        return (Some(*n), "override".into());
    }
    let mut total = 0u64;
    let mut overridden = false;
    for m in j.member_countries() {
        if let Some(n) = facts.affected_overrides.get(&m) {
            total += n;
            overridden = true;
        } else if let Some(c) = profile
            .countries
            .iter()
            .find(|c| c.code.eq_ignore_ascii_case(&m))
        {
            total += c.people;
        }
    }
    if overridden {
        (Some(total), "override".into())
    } else if let Some(parent) = subdivision_parent(j, profile) {
        (
            None,
            format!(
                "unknown: the profile counts {} people in {} without a subdivision",
                thousands(parent.1),
                parent.0
            ),
        )
    } else if profile.countries.is_empty() {
        (None, "unknown".into())
    } else {
        (Some(total), "profile".into())
    }
}

/// Residents of countries no loaded rule covers (from the profile or `--affected`), listed with
/// source `no rule` so that the reader sees them instead of their silently being dropped.
fn without_rule(rules: &RuleSet, profile: &ScanProfile, facts: &Facts) -> Vec<AffectedCount> {
    let covered: BTreeSet<String> = rules.codes().into_iter().collect();
    let mut out: Vec<AffectedCount> = Vec::new();
    for (code, n) in &facts.affected_overrides {
        if !covered.contains(code) {
            let name = profile
                .countries
                .iter()
                .find(|c| c.code.eq_ignore_ascii_case(code))
                .map_or_else(|| code.clone(), |c| c.name.clone());
            out.push(AffectedCount {
                code: code.clone(),
                name,
                people: Some(*n),
                source: NO_RULE.into(),
            });
        }
    }
    for c in &profile.countries {
        let code = c.code.to_ascii_uppercase();
        if !covered.contains(&code) && !out.iter().any(|a| a.code == code) {
            out.push(AffectedCount {
                code,
                name: c.name.clone(),
                people: Some(c.people),
                source: NO_RULE.into(),
            });
        }
    }
    out.sort_by(|a, b| b.people.cmp(&a.people).then_with(|| a.code.cmp(&b.code)));
    out
}

/// `AffectedCount::source` of residents of a country without a loaded rule.
pub const NO_RULE: &str = "no rule";

/// For a subdivision (`US-CA`), the parent country's people in the profile, if any.
fn subdivision_parent(j: &Jurisdiction, profile: &ScanProfile) -> Option<(String, u64)> {
    let (parent, _) = j.code.split_once('-')?;
    let c = profile
        .countries
        .iter()
        .find(|c| c.code.eq_ignore_ascii_case(parent) && c.people > 0)?;
    Some((c.code.clone(), c.people))
}

fn evaluate_rule(
    rule: &Rule,
    j: &Jurisdiction,
    tz: Tz,
    ctx: &Context<'_>,
    facts: &Facts,
    now: DateTime<Utc>,
) -> Result<Obligation, String> {
    let detected = facts.discovered_at.unwrap_or(now);
    let day = detected.with_timezone(&tz).date_naive();
    if let Some(from) = rule.from_date() {
        if day < from {
            return Err(format!(
                "not yet in force on the detection date {day} (applies from {from})"
            ));
        }
    }
    if let Some(until) = rule.until_date() {
        if day > until {
            return Err(format!(
                "no longer in force on the detection date {day} (applied until {until})"
            ));
        }
    }
    let in_scope = ctx.established || ctx.affected.is_some_and(|n| n > 0);
    if !in_scope {
        return Err(match ctx.affected {
            Some(_) => format!("no affected {} residents and not established there", j.name),
            None => format!(
                "affected {} residents unknown (give --affected {}=N) and not established there",
                j.name, j.code
            ),
        });
    }
    let trigger = rule.trigger.eval(ctx);
    if !trigger.holds {
        return Err(trigger.why);
    }
    let mut caveats = Vec::new();
    if !rule.verified {
        caveats.push(format!(
            "Unverified: {}",
            rule.caveat
                .as_deref()
                .unwrap_or("facts not confirmed on an official text")
        ));
    }
    if ctx.affected.is_none() {
        caveats.push(format!(
            "number of affected {} residents unknown: applies through establishment",
            j.name
        ));
    }
    let tier = rule
        .tiers
        .iter()
        .rev()
        .find(|t| t.when.eval(ctx).holds)
        .map(|t| t.label.clone());

    let (mut recipient, mut deadline, individuals);
    if let (true, Some(duty)) = (facts.processor, &rule.processor_duty) {
        recipient = "the controller (you act as a processor)".to_string();
        let (anchor_at, note) = Anchor::Awareness.resolve(facts, now);
        caveats.extend(note);
        deadline = deadline_out(
            duty,
            Anchor::Awareness,
            anchor_at,
            Unit::AsSoonAsPracticable,
            None,
            tz,
            now,
        );
        individuals = IndividualsOut {
            required: false,
            reason: "the controller decides and notifies; you act as a processor".into(),
            text: rule.individuals.text.clone(),
            deadline: None,
        };
    } else {
        recipient = rule.regulator.clone();
        let d = &rule.deadline;
        let chosen = d.overrides.iter().find(|o| o.when.eval(ctx).holds);
        let (unit, amount, text) = match chosen {
            Some(o) => (o.unit, o.amount, o.text.clone()),
            None => (d.unit, d.amount, d.text.clone()),
        };
        let (anchor_at, note) = d.anchor.resolve(facts, now);
        caveats.extend(note);
        deadline = deadline_out(&text, d.anchor, anchor_at, unit, amount, tz, now);
        individuals = individuals_out(rule, ctx, facts, tz, now, &mut caveats);
    }
    if recipient.is_empty() {
        recipient = "the regulator".into();
    }
    if deadline.text.is_empty() {
        deadline.text = "see the rule".into();
    }
    Ok(Obligation {
        rule_id: rule.id.clone(),
        jurisdiction_code: j.code.clone(),
        jurisdiction: j.name.clone(),
        title: rule.title.clone(),
        citation: rule.citation(),
        recipient,
        channel: rule.channel.clone(),
        reason: trigger.why,
        tier,
        deadline,
        individuals,
        content: rule.content.iter().map(|c| c.en.clone()).collect(),
        penalty: rule.penalty.clone(),
        notes: rule.notes.clone(),
        sources: rule.sources.clone(),
        verified: rule.verified,
        caveats,
        languages: j.languages.clone(),
    })
}

fn individuals_out(
    rule: &Rule,
    ctx: &Context<'_>,
    facts: &Facts,
    tz: Tz,
    now: DateTime<Utc>,
    caveats: &mut Vec<String>,
) -> IndividualsOut {
    let duty = &rule.individuals;
    let text = duty.text.clone();
    if duty.never {
        return IndividualsOut {
            required: false,
            reason: "this rule does not require telling individuals".into(),
            text,
            deadline: None,
        };
    }
    let when = duty.when.eval(ctx);
    if !when.holds {
        return IndividualsOut {
            required: false,
            reason: format!("not required: {}", when.why),
            text,
            deadline: None,
        };
    }
    if let Some(ex) = &duty.exempt_if {
        let e = ex.eval(ctx);
        if e.holds {
            return IndividualsOut {
                required: false,
                reason: format!("exempt: {}", e.why),
                text,
                deadline: None,
            };
        }
    }
    let deadline = duty.deadline.as_ref().map(|d| {
        let (anchor_at, note) = d.anchor.resolve(facts, now);
        if let Some(n) = note {
            if !caveats.contains(&n) {
                caveats.push(n);
            }
        }
        deadline_out(&d.text, d.anchor, anchor_at, d.unit, d.amount, tz, now)
    });
    IndividualsOut {
        required: true,
        reason: when.why,
        text,
        deadline,
    }
}

fn deadline_out(
    text: &str,
    anchor: Anchor,
    anchor_at: DateTime<Utc>,
    unit: Unit,
    amount: Option<u32>,
    tz: Tz,
    now: DateTime<Utc>,
) -> DeadlineOut {
    let due_at = due(unit, amount, anchor_at, tz);
    let (due_local, due_utc, remaining_seconds, remaining) = match (due_at, unit) {
        (Due::At(t), _) => {
            let secs = (t - now).num_seconds();
            let words = if unit == Unit::Immediately {
                format!("immediately ({})", remaining_text(secs))
            } else {
                remaining_text(secs)
            };
            (
                Some(
                    t.with_timezone(&tz)
                        .to_rfc3339_opts(SecondsFormat::Secs, false),
                ),
                Some(rfc(t)),
                Some(secs),
                words,
            )
        }
        (Due::Open, _) => (None, None, None, "as soon as practicable".to_string()),
    };
    DeadlineOut {
        text: text.to_string(),
        anchor: anchor.name().to_string(),
        anchor_at: rfc(anchor_at),
        unit: unit_name(unit).to_string(),
        amount,
        due_local,
        due_utc,
        timezone: tz.name().to_string(),
        remaining_seconds,
        remaining,
    }
}

fn unit_name(u: Unit) -> &'static str {
    match u {
        Unit::Hours => "hours",
        Unit::CalendarDays => "calendar_days",
        Unit::Immediately => "immediately",
        Unit::AsSoonAsPracticable => "as_soon_as_practicable",
    }
}

fn echo(
    facts: &Facts,
    profile: &ScanProfile,
    classes: &BTreeSet<String>,
    now: DateTime<Utc>,
) -> FactsEcho {
    FactsEcho {
        discovered_at: rfc(facts.discovered_at.unwrap_or(now)),
        aware_at: facts.aware_at.map(rfc),
        assessed_at: facts.assessed_at.map(rfc),
        occurred_at: facts.occurred_at.map(rfc),
        ciio: facts.ciio,
        processor: facts.processor,
        encrypted: facts.encrypted,
        sector: facts.sector.clone(),
        established_in: facts.established_in.clone(),
        data_classes: ordered_classes(profile, classes),
        individuals: profile.individuals.estimate,
    }
}

/// The profile's own class order (most important first), then any other class found.
fn ordered_classes(profile: &ScanProfile, classes: &BTreeSet<String>) -> Vec<String> {
    let mut out: Vec<String> = profile
        .data_classes
        .iter()
        .filter(|c| classes.contains(*c))
        .cloned()
        .collect();
    out.dedup();
    for c in classes {
        if !out.contains(c) {
            out.push(c.clone());
        }
    }
    out
}

/// "898,791 people" or "an unknown number of people".
pub fn people_words(n: Option<u64>) -> String {
    match n {
        Some(n) => format!("{} people", thousands(n)),
        None => "an unknown number of people".into(),
    }
}
