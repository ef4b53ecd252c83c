//! What the obligations add to a leak report: the nearest deadline for the header, the
//! obligations section (HTML) placed right after "why it is …", and the same in Markdown.

use crate::engine::NO_RULE;
use crate::facts::thousands;
use crate::report::ObligationsReport;
use leakscope_profile::render::{
    markdown_escape as md, Deadline, Extras, HtmlSection, MarkdownSection,
};
use std::fmt::Write;

/// The nearest deadline in one line: who must be told, by when, how long is left; or why no
/// deadline was computed.
pub fn nearest_deadline(r: &ObligationsReport) -> Deadline {
    let Some(o) = r.obligations.first() else {
        let why = r
            .warnings
            .iter()
            .find(|w| w.contains("country"))
            .cloned()
            .unwrap_or_else(|| "no notification obligation applies under the loaded rules".into());
        return Deadline {
            text: format!("none computed: {why}"),
            overdue: false,
        };
    };
    let when = match &o.deadline.due_local {
        Some(due) => format!("by {} · {}", due.replace('T', " "), o.deadline.remaining),
        None => o.deadline.text.clone(),
    };
    let more = if r.obligations.len() > 1 {
        format!(" (+{} more)", r.obligations.len() - 1)
    } else {
        String::new()
    };
    Deadline {
        text: format!("notify {} ({}) {when}{more}", o.recipient, o.jurisdiction),
        overdue: o.deadline.remaining_seconds.is_some_and(|s| s < 0),
    }
}

/// The obligations as Markdown: a table in due order, countries without a rule, warnings.
pub fn markdown_section(r: &ObligationsReport) -> String {
    let mut m = String::new();
    if r.obligations.is_empty() {
        m.push_str("No notification obligation applies under the loaded rules.\n");
    } else {
        m.push_str("| Due (local) | Remaining | Where | Notify | Individuals | Citation |\n|---|---|---|---|---|---|\n");
        for o in &r.obligations {
            let (due, ind) = (o.due_text(), o.individuals_text());
            let _ = writeln!(
                m,
                "| {} | {} | {} | {} | {} | {} |",
                md(&due),
                md(&o.deadline.remaining),
                md(&o.jurisdiction),
                md(&o.recipient),
                md(&ind),
                md(&o.citation)
            );
        }
    }
    let no_rule: Vec<String> = r
        .affected
        .iter()
        .filter(|a| a.source == NO_RULE)
        .filter_map(|a| {
            a.people
                .map(|n| format!("{} {}", md(&a.name), thousands(n)))
        })
        .collect();
    if !no_rule.is_empty() {
        let _ = writeln!(
            m,
            "\nNo rule loaded, so no duty computed, for residents of: {}.",
            no_rule.join(", ")
        );
    }
    for w in &r.warnings {
        let _ = writeln!(m, "\n> {}", md(w));
    }
    let _ = writeln!(
        m,
        "\nDetected {} (rules checked {}); `leakscope obligations` takes the organisation's facts (establishment, sector, times) and writes drafts.",
        md(&r.facts.discovered_at),
        md(&r.rules.checked_on)
    );
    m
}

/// Everything a leak report shows of the obligations.
pub fn report_extras(r: &ObligationsReport) -> Extras {
    let (title, html) = crate::html::html_section(r);
    Extras {
        deadline: Some(nearest_deadline(r)),
        urgent: vec![HtmlSection {
            id: "obligations".into(),
            title: title.clone(),
            html,
        }],
        appendix: Vec::new(),
        markdown: vec![MarkdownSection {
            title,
            markdown: markdown_section(r),
        }],
    }
}
