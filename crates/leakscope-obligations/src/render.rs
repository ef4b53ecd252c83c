//! Human-readable table of obligations, in due order, optionally coloured (ANSI).

use crate::facts::thousands;
use crate::html::clean;
use crate::report::{Obligation, ObligationsReport};

const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const DIM: &str = "\x1b[2m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

fn paint(on: bool, code: &str, text: &str) -> String {
    if on {
        format!("{code}{text}{RESET}")
    } else {
        text.to_string()
    }
}

fn urgency(o: &Obligation) -> &'static str {
    match o.deadline.remaining_seconds {
        Some(s) if s < 0 => RED,
        Some(s) if s < 24 * 3600 => YELLOW,
        _ => "",
    }
}

/// Renders the report as text: obligations in due order, then rules that do not apply.
pub fn human_table(r: &ObligationsReport, color: bool) -> String {
    let mut s = String::new();
    s.push_str(&paint(color, BOLD, "Notification obligations"));
    s.push_str(&format!(
        " (detected {}, now {}; rules checked {})\n",
        r.facts.discovered_at, r.now, r.rules.checked_on
    ));
    let listed = |no_rule: bool| -> Vec<String> {
        r.affected
            .iter()
            .filter(|a| (a.source == crate::engine::NO_RULE) == no_rule)
            .filter_map(|a| {
                a.people
                    .filter(|n| *n > 0)
                    .map(|n| format!("{} {}", clean(&a.name), thousands(n)))
            })
            .collect()
    };
    let (known, no_rule) = (listed(false), listed(true));
    if !known.is_empty() {
        s.push_str(&format!("Affected residents: {}\n", known.join(" · ")));
    }
    if !no_rule.is_empty() {
        s.push_str(&format!(
            "No rule loaded (no duty computed) for residents of: {}\n",
            no_rule.join(" · ")
        ));
    }
    s.push('\n');
    if r.obligations.is_empty() {
        s.push_str("No notification obligation applies under the loaded rules.\n");
    } else {
        s.push_str(&format!(
            "{:<3} {:<27} {:<21} {:<32} {:<14} {}\n",
            "#", "DUE (local)", "DUE (UTC)", "REMAINING", "WHERE", "NOTIFY"
        ));
    }
    for (i, o) in r.obligations.iter().enumerate() {
        let local = o
            .deadline
            .due_local
            .as_deref()
            .map(short)
            .unwrap_or_else(|| "-".into());
        let utc = o
            .deadline
            .due_utc
            .as_deref()
            .map(short)
            .unwrap_or_else(|| "-".into());
        let rem = o.deadline.remaining.clone();
        let line = format!(
            "{:<3} {:<27} {:<21} {:<32} {:<14} {}",
            i + 1,
            local,
            utc,
            rem,
            o.jurisdiction_code,
            o.recipient
        );
        let code = urgency(o);
        s.push_str(&if code.is_empty() {
            line
        } else {
            paint(color, code, &line)
        });
        s.push('\n');
        s.push_str(&format!("    {} — {}\n", o.title, o.deadline.text));
        s.push_str(&format!("    why: {}\n", clean(&o.reason)));
        if let Some(t) = &o.tier {
            s.push_str(&format!("    level: {t}\n"));
        }
        let ind = if o.individuals.required {
            let due = o
                .individuals
                .deadline
                .as_ref()
                .map(|d| format!(" ({})", d.text))
                .unwrap_or_default();
            format!("required{due}: {}", o.individuals.reason)
        } else {
            format!("no — {}", o.individuals.reason)
        };
        s.push_str(&format!("    individuals: {ind}\n"));
        s.push_str(&format!(
            "    cite: {} · penalty: {}\n",
            o.citation, o.penalty
        ));
        s.push_str(&format!("    source: {}\n", o.sources.join(" ; ")));
        for c in &o.caveats {
            s.push_str(&format!(
                "    {}\n",
                paint(color, YELLOW, &format!("caveat: {c}"))
            ));
        }
    }
    if !r.not_applicable.is_empty() {
        s.push_str(&format!("\n{}\n", paint(color, BOLD, "Not applicable")));
        for n in &r.not_applicable {
            let line = format!(
                "  {:<5} {:<24} {}",
                n.jurisdiction_code,
                n.rule_id,
                clean(&n.reason)
            );
            s.push_str(&paint(color, DIM, &line));
            s.push('\n');
        }
    }
    for w in &r.warnings {
        s.push_str(&format!(
            "{}\n",
            paint(color, YELLOW, &format!("warning: {w}"))
        ));
    }
    s
}

/// "2026-01-04T23:59:59+08:00" → "2026-01-04 23:59 +08:00".
fn short(t: &str) -> String {
    if t.len() >= 19 {
        let (date_time, offset) = t.split_at(19);
        let offset = if offset == "Z" { "UTC" } else { offset };
        format!("{} {}", &date_time[..16].replace('T', " "), offset)
    } else {
        t.to_string()
    }
}
