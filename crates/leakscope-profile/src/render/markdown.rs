//! Markdown for pasting into tickets (GitHub, GitLab, Jira's Markdown mode).

use super::facts::{age, column_count, date_range, headline, level_id, nothing_read, people};
use crate::model::ScanProfile;
use crate::text::{bytes, class_kind, clean, pct, pct_short, thousands};
use std::fmt::Write;

/// Escapes a profile string for Markdown text or a table cell: controls neutralised, newlines
/// flattened, Markdown and HTML metacharacters escaped so a hostile header cannot inject links (`[`),
/// images, HTML or break the table.
pub(crate) fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in clean(s).chars() {
        match ch {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '~' | '$' => {
                out.push('\\');
                out.push(ch);
            }
            c => out.push(c),
        }
    }
    out
}

/// Renders the profile as a Markdown document.
pub fn markdown(p: &ScanProfile) -> String {
    markdown_report(p, &super::Extras::default())
}

/// Renders the profile as a Markdown document with what other verbs add: the nearest deadline
/// under the title, their sections right after "why it is …".
pub fn markdown_report(p: &ScanProfile, extras: &super::Extras) -> String {
    let p = &*crate::names::for_output(p);
    let mut o = String::new();
    summary(&mut o, p, extras.deadline.as_ref());
    for s in &extras.markdown {
        let _ = writeln!(o, "## {}\n\n{}\n", md(&s.title), s.markdown.trim_end());
    }
    details(&mut o, p);
    tables(&mut o, p);
    reading(&mut o, p);
    o
}

/// Title for a set of sources.
pub(crate) fn title(p: &ScanProfile) -> String {
    match p.sources.as_slice() {
        [one] => one.path.clone(),
        [] => "no sources".to_string(),
        many => format!("{} and {} more", many[0].path, many.len() - 1),
    }
}

fn summary(o: &mut String, p: &ScanProfile, deadline: Option<&super::Deadline>) {
    let _ = writeln!(o, "# Leak profile: {}\n", md(&title(p)));
    let shown = if p.revealed {
        "⚠ **RAW VALUES REVEALED**"
    } else {
        "examples masked"
    };
    let _ = writeln!(
        o,
        "**Sensitivity: {}** · {shown} · {} {} · {} · generated {}\n",
        headline(p),
        md(&p.tool.name),
        md(&p.tool.version),
        md(&p.schema),
        md(&p.generated_at)
    );
    if let Some(d) = deadline {
        let mark = if d.overdue { "⚠ " } else { "" };
        let _ = writeln!(o, "**{mark}Nearest deadline:** {}\n", md(&d.text));
    }
    let _ = writeln!(o, "| | |\n|---|---|");
    let skipped = if p.rows_skipped > 0 {
        format!(" ({} skipped)", thousands(p.rows_skipped))
    } else {
        String::new()
    };
    let _ = writeln!(o, "| Rows | {} read{skipped} |", thousands(p.rows));
    let _ = writeln!(o, "| People | {} |", md(&people(p)));
    let _ = writeln!(
        o,
        "| Tables | {} tables, {} columns |",
        p.tables.len(),
        column_count(p)
    );
    let _ = writeln!(o, "| Sources | {}, {} |", p.sources.len(), bytes(p.bytes));
    let mut rec = md(&date_range(p));
    if let Some(a) = age(p) {
        rec = format!("{rec}; {}", md(&a));
    }
    let _ = writeln!(o, "| Records | {rec} |");
    let tenants = match &p.tenants {
        Some(t) => format!("{} in {}", thousands(t.count), md(&t.column)),
        None => "no tenant column".to_string(),
    };
    let _ = writeln!(o, "| Tenants | {tenants} |");
    let _ = writeln!(o, "| Data classes | {} |", md(&p.data_classes.join(", ")));
    if !p.data_classes_hibp.is_empty() {
        let _ = writeln!(
            o,
            "| Breach vocabulary | {} |",
            md(&p.data_classes_hibp.join(", "))
        );
    }
    let _ = writeln!(o);
    if nothing_read(p) {
        let _ = writeln!(o, "## Nothing read\n");
    } else {
        let _ = writeln!(o, "## Why it is {}\n", level_id(p.sensitivity.level));
    }
    if p.sensitivity.reasons.is_empty() {
        let _ = writeln!(o, "No sensitive data class found.\n");
    }
    for r in &p.sensitivity.reasons {
        let _ = writeln!(o, "- **{}**: {}", level_id(r.level), md(&r.text));
    }
    let _ = writeln!(o);
}

fn details(o: &mut String, p: &ScanProfile) {
    let _ = writeln!(o, "## Countries\n");
    if p.countries.is_empty() {
        let _ = writeln!(o, "No country signal.\n");
    } else {
        let _ = writeln!(
            o,
            "| Country | People | Share | Signals |\n|---|--:|--:|---|"
        );
        for c in &p.countries {
            let _ = writeln!(
                o,
                "| {} {} | {} | {} | {} |",
                md(&c.code),
                md(&c.name),
                thousands(c.people),
                pct(c.share, 1),
                md(&c.signals.join(", "))
            );
        }
        let _ = writeln!(o);
    }
    if let Some(t) = &p.tenants {
        let _ = writeln!(
            o,
            "## Tenants\n\n{} tenants in {}. Largest by rows:\n",
            thousands(t.count),
            md(&t.column)
        );
        let _ = writeln!(o, "| # | Tenant | Rows |\n|--:|---|--:|");
        for (i, x) in t.top.iter().enumerate() {
            let _ = writeln!(
                o,
                "| {} | {} | {} |",
                i + 1,
                md(&x.display()),
                thousands(x.rows)
            );
        }
        let _ = writeln!(o);
    }
    let pw = &p.passwords;
    let _ = writeln!(o, "## Passwords\n");
    if pw.total == 0 {
        let _ = writeln!(o, "No password material found.\n");
    } else {
        let _ = writeln!(
            o,
            "{} values; {} fast or unsalted hashes; {} plaintext.\n",
            thousands(pw.total),
            thousands(pw.fast_or_unsalted),
            thousands(pw.plaintext)
        );
        let _ = writeln!(o, "| Algorithm | Values | Weak |\n|---|--:|---|");
        for a in &pw.by_algorithm {
            let _ = writeln!(
                o,
                "| {} | {} | {} |",
                md(&a.algorithm),
                thousands(a.count),
                if a.weak { "yes" } else { "no" }
            );
        }
        let _ = writeln!(o);
    }
}

fn tables(o: &mut String, p: &ScanProfile) {
    let ex = if p.revealed {
        "Examples (REVEALED)"
    } else {
        "Examples (masked)"
    };
    for t in &p.tables {
        let skipped = if t.rows_skipped > 0 {
            format!(", {} skipped", thousands(t.rows_skipped))
        } else {
            String::new()
        };
        let _ = writeln!(
            o,
            "## Table {}\n\n{} · {} rows{skipped}\n",
            md(&t.name),
            md(&t.source),
            thousands(t.rows)
        );
        let _ = writeln!(
            o,
            "| Column | Class | Confidence | Fill | Distinct | {ex} |\n|---|---|--:|--:|--:|---|"
        );
        for c in &t.columns {
            let mut class = md(&class_kind(&c.class, c.kind.as_deref()));
            for m in &c.mixed {
                class.push_str(&format!(
                    "<br>mixed {} {}",
                    md(&m.class),
                    pct_short(m.share)
                ));
            }
            for m in &c.embedded {
                class.push_str(&format!(
                    "<br>embedded {} in {}",
                    md(&m.class),
                    pct_short(m.share)
                ));
            }
            let conf = if c.class == "other" {
                "–".to_string()
            } else {
                pct_short(c.confidence)
            };
            let examples: Vec<String> = c.examples.iter().map(|e| md(e)).collect();
            let _ = writeln!(
                o,
                "| {} | {class} | {conf} | {} | {} | {} |",
                md(&c.name),
                pct_short(c.fill_rate),
                thousands(c.distinct_estimate),
                examples.join(" · ")
            );
        }
        let _ = writeln!(o);
    }
}

fn reading(o: &mut String, p: &ScanProfile) {
    let _ = writeln!(o, "## Reading\n");
    let _ = writeln!(
        o,
        "| Source | Format | Encoding | Bytes | Rows |\n|---|---|---|--:|--:|"
    );
    for s in &p.sources {
        let mut format = md(&s.format);
        if !s.compression.is_empty() {
            format = format!("{format} in {}", md(&s.compression.join("+")));
        }
        let enc = s
            .encoding
            .as_deref()
            .map(md)
            .unwrap_or_else(|| "binary".to_string());
        let _ = writeln!(
            o,
            "| {} | {format} | {enc} | {} | {} |",
            md(&s.path),
            bytes(s.bytes),
            thousands(s.rows)
        );
    }
    let _ = writeln!(o);
    if p.diagnostics.is_empty() {
        let _ = writeln!(o, "No reading problems.");
    }
    for d in &p.diagnostics {
        let skipped = if d.rows_skipped > 0 {
            format!(" ({} rows skipped)", thousands(d.rows_skipped))
        } else {
            String::new()
        };
        let _ = writeln!(
            o,
            "- **{}** {} in {}: {}{skipped}",
            md(&d.severity),
            md(&d.code),
            md(&d.source),
            md(&d.message)
        );
    }
}
