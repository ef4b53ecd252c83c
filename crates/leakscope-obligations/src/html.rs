//! The obligations section of the HTML report: a deadline timeline as inline SVG and tables.
//! All text is HTML-escaped.

use chrono::{DateTime, Utc};

use crate::report::ObligationsReport;

pub use leakscope_profile::render::html::escape;
pub use leakscope_profile::text::clean;

fn ts(t: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(t)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// Returns the section title and its HTML (timeline, obligations, rules that do not apply).
pub fn html_section(r: &ObligationsReport) -> (String, String) {
    let title = "Notification obligations".to_string();
    let mut h = String::new();
    let no_rule: Vec<String> = r
        .affected
        .iter()
        .filter(|a| a.source == crate::engine::NO_RULE)
        .filter_map(|a| {
            a.people
                .map(|n| format!("{} ({})", escape(&a.name), crate::facts::thousands(n)))
        })
        .collect();
    h.push_str(&timeline(r));
    if !no_rule.is_empty() {
        h.push_str(&format!(
            "<p class=\"no-rule\">No rule loaded, so no duty computed, for residents of: {}.</p>\n",
            no_rule.join(", ")
        ));
    }
    h.push_str("<table class=\"obligations stack\"><thead><tr><th>Due (local)</th><th>Remaining</th><th>Jurisdiction</th><th>Notify</th><th>Why</th><th>Individuals</th><th>Citation</th></tr></thead><tbody>\n");
    for o in &r.obligations {
        let (due, ind) = (o.due_text(), o.individuals_text());
        let mut why = escape(&o.reason);
        for c in &o.caveats {
            why.push_str(&format!("<br><em class=\"caveat\">{}</em>", escape(c)));
        }
        let cite = match o.sources.first() {
            Some(src) => format!("<a href=\"{}\">{}</a>", escape(src), escape(&o.citation)),
            None => escape(&o.citation),
        };
        h.push_str(&format!(
            "<tr><td class=\"name\">{}</td><td data-label=\"Remaining\">{}</td><td data-label=\"Where\">{}</td><td data-label=\"Notify\">{}</td><td data-label=\"Why\">{}</td><td data-label=\"Individuals\">{}</td><td data-label=\"Citation\">{}</td></tr>\n",
            escape(&due),
            escape(&o.deadline.remaining),
            escape(&o.jurisdiction),
            escape(&o.recipient),
            why,
            escape(&ind),
            cite
        ));
    }
    h.push_str("</tbody></table>\n");
    if !r.not_applicable.is_empty() {
        h.push_str("<details><summary>Rules that do not apply</summary><ul>\n");
        for n in &r.not_applicable {
            h.push_str(&format!(
                "<li><strong>{}</strong> ({}): {}</li>\n",
                escape(&n.jurisdiction),
                escape(&n.citation),
                escape(&n.reason)
            ));
        }
        h.push_str("</ul></details>\n");
    }
    (title, h)
}

fn timeline(r: &ObligationsReport) -> String {
    let now = ts(&r.now);
    let rows: Vec<(String, DateTime<Utc>, DateTime<Utc>, bool)> = r
        .obligations
        .iter()
        .filter_map(|o| {
            let due = ts(o.deadline.due_utc.as_deref()?)?;
            let start = ts(&o.deadline.anchor_at)?;
            let label = format!(
                "{} · {} · {}",
                o.jurisdiction_code,
                o.recipient,
                o.deadline.due_utc.as_deref().unwrap_or("")
            );
            Some((
                label,
                start,
                due,
                o.deadline.remaining_seconds.is_some_and(|s| s < 0),
            ))
        })
        .collect();
    if rows.is_empty() {
        return "<p>No fixed deadline.</p>\n".to_string();
    }
    let mut lo = rows.iter().map(|r| r.1.min(r.2)).min().unwrap_or_default();
    let mut hi = rows.iter().map(|r| r.2.max(r.1)).max().unwrap_or_default();
    if let Some(n) = now {
        lo = lo.min(n);
        hi = hi.max(n);
    }
    let span = ((hi - lo).num_seconds().max(1)) as f64;
    // Each row: its label on a line of its own above the bar, so long regulator names never run
    // past the right edge.
    let (left, width, row_h) = (10.0, 950.0, 34.0);
    let x = |t: DateTime<Utc>| left + width * ((t - lo).num_seconds() as f64 / span);
    let height = row_h * rows.len() as f64 + 30.0;
    let mut s = format!(
        "<svg class=\"deadline-timeline\" role=\"img\" aria-label=\"Deadline timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"980\" height=\"{height:.0}\" viewBox=\"0 0 980 {height:.0}\">\n"
    );
    for (i, (label, start, due, overdue)) in rows.iter().enumerate() {
        let y = 24.0 + row_h * i as f64;
        let label: String = if label.chars().count() > 150 {
            label.chars().take(149).chain(['…']).collect()
        } else {
            label.clone()
        };
        let colour = if *overdue { "#c0392b" } else { "#2c3e50" };
        s.push_str(&format!(
            "<line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#95a5a6\" stroke-width=\"3\"/><circle cx=\"{:.1}\" cy=\"{y:.1}\" r=\"5\" fill=\"{colour}\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\">{}</text>\n",
            x(*start),
            x(*due),
            x(*due),
            left,
            y - 8.0,
            escape(&label)
        ));
    }
    if let Some(n) = now {
        let nx = x(n);
        s.push_str(&format!(
            "<line x1=\"{nx:.1}\" y1=\"4\" x2=\"{nx:.1}\" y2=\"{:.1}\" stroke=\"#e67e22\" stroke-dasharray=\"4 3\"/><text x=\"{nx:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">now</text>\n",
            height - 14.0,
            height - 3.0
        ));
    }
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralises_markup_controls_and_bidi() {
        let e = escape("<a href='x'>\"S&P\"</a>\x1b[31m\u{202E}gnp.exe\tend");
        assert_eq!(e, "&lt;a href=&#39;x&#39;&gt;&quot;S&amp;P&quot;&lt;/a&gt;\u{FFFD}[31m\u{FFFD}gnp.exe end");
    }
}
