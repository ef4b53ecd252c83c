//! Human-readable table of obligations, in due order, optionally coloured (ANSI).

use crate::facts::thousands;
use crate::html::clean;
use crate::report::{Obligation, ObligationsReport};
use leakscope_text::{wrap, Col, TextTable};

use anstyle::{AnsiColor, Style};

const RED: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red)));
const YELLOW: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow)));
const DIM: Style = Style::new().dimmed();
const BOLD: Style = Style::new().bold();

fn paint(on: bool, style: Style, text: &str) -> String {
    if on {
        leakscope_profile::render::styled(style, text)
    } else {
        text.to_string()
    }
}

fn urgency(o: &Obligation) -> Style {
    match o.deadline.remaining_seconds {
        Some(s) if s < 0 => RED,
        Some(s) if s < 24 * 3600 => YELLOW,
        _ => Style::new(),
    }
}

/// Renders the report as text for a 100-column terminal: see [`human_table_width`].
pub fn human_table(r: &ObligationsReport, color: bool) -> String {
    human_table_width(r, color, 100)
}

/// Renders the report as text fitted to `width` columns: obligations in due order (a table,
/// each row followed by its details, wrapped), then rules that do not apply.
pub fn human_table_width(r: &ObligationsReport, color: bool, width: usize) -> String {
    let detail = |label: &str, text: &str| -> String {
        let mut out = String::new();
        for (i, line) in wrap(&format!("{label}{text}"), width.saturating_sub(6))
            .into_iter()
            .enumerate()
        {
            let pad = if i == 0 { "    " } else { "      " };
            out.push_str(&format!("{pad}{line}\n"));
        }
        out
    };
    let mut s = String::new();
    let head = format!(
        "Notification obligations (detected {}, now {}; rules checked {})",
        r.facts.discovered_at, r.now, r.rules.checked_on
    );
    let title = "Notification obligations";
    for (i, line) in wrap(&head, width).into_iter().enumerate() {
        match line.strip_prefix(title).filter(|_| i == 0) {
            Some(rest) => s.push_str(&format!("{}{rest}\n", paint(color, BOLD, title))),
            None => s.push_str(&format!("{line}\n")),
        }
    }
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
    let mut para = |text: String| {
        for line in wrap(&text, width) {
            s.push_str(&line);
            s.push('\n');
        }
    };
    if !known.is_empty() {
        para(format!("Affected residents: {}", known.join(" · ")));
    }
    if !no_rule.is_empty() {
        para(format!(
            "No rule loaded (no duty computed) for residents of: {}",
            no_rule.join(" · ")
        ));
    }
    s.push('\n');
    if r.obligations.is_empty() {
        s.push_str("No notification obligation applies under the loaded rules.\n");
    }
    let mut table = TextTable::new(
        &[
            Col::NUM,
            Col::FIXED,
            Col::FIXED,
            Col::FIXED,
            Col::FIXED,
            Col::TEXT,
        ],
        &[
            "#",
            "DUE (local)",
            "DUE (UTC)",
            "REMAINING",
            "WHERE",
            "NOTIFY",
        ],
    );
    for (i, o) in r.obligations.iter().enumerate() {
        let due = |t: &Option<String>| t.as_deref().map(short).unwrap_or_else(|| "-".into());
        table.push([
            (i + 1).to_string(),
            due(&o.deadline.due_local),
            due(&o.deadline.due_utc),
            clean(&o.deadline.remaining),
            clean(&o.jurisdiction_code),
            clean(&o.recipient),
        ]);
    }
    let lines = table.lines(width);
    let mut lines = lines.into_iter();
    if let (Some(h), false) = (lines.next(), r.obligations.is_empty()) {
        s.push_str(&h);
        s.push('\n');
    }
    for (line, o) in lines.zip(&r.obligations) {
        let code = urgency(o);
        s.push_str(&if code == Style::new() {
            line
        } else {
            paint(color, code, &line)
        });
        s.push('\n');
        s.push_str(&detail("", &format!("{} — {}", o.title, o.deadline.text)));
        s.push_str(&detail("why: ", &clean(&o.reason)));
        if let Some(t) = &o.tier {
            s.push_str(&detail("level: ", t));
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
        s.push_str(&detail("individuals: ", &ind));
        s.push_str(&detail(
            "cite: ",
            &format!("{} · penalty: {}", o.citation, o.penalty),
        ));
        s.push_str(&detail("source: ", &o.sources.join(" ; ")));
        for c in &o.caveats {
            s.push_str(&paint(color, YELLOW, &detail("caveat: ", c)));
        }
    }
    if !r.not_applicable.is_empty() {
        s.push_str(&format!("\n{}\n", paint(color, BOLD, "Not applicable")));
        let mut na = TextTable::new(&[Col::FIXED, Col::FIXED, Col::TEXT], &[]).indent(2);
        for n in &r.not_applicable {
            na.push([
                clean(&n.jurisdiction_code),
                clean(&n.rule_id),
                clean(&n.reason),
            ]);
        }
        for line in na.lines(width) {
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
