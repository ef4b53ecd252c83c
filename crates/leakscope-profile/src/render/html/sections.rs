//! The report's sections, in reading order.

use super::charts::{hbars, timeline, Bar, AMBER, BLUE, FULL, GREY, HALF, PHONE, PRINT, RED, TEAL};
use super::esc;
use crate::model::ScanProfile;
use crate::render::facts::{
    age, class_volumes, column_count, date_range, headline, level_id, nothing_read, people_parts,
};
use crate::render::markdown::title;
use crate::text::{bytes, pct, pct_short, thousands};
use std::fmt::Write;

/// Display name of a data class id (falls back to the id).
fn class_label(id: &str) -> String {
    let s = match id {
        "person_name" => "Person name",
        "email" => "E-mail",
        "phone" => "Phone",
        "national_id" => "National ID",
        "address" => "Address",
        "postal_code" => "Postal code",
        "date_of_birth" => "Date of birth",
        "gender" => "Gender",
        "password_hash" => "Password hash",
        "password" => "Plaintext password",
        "payment_card" => "Card number",
        "payment_card_partial" => "Partial card",
        "bank_account" => "Bank account",
        "ip_address" => "IP address",
        "username" => "Username",
        "order_id" => "Order id",
        "amount" => "Amount",
        "timestamp" => "Timestamp",
        "product" => "Product",
        "merchant" => "Merchant",
        other => other,
    };
    s.to_string()
}

/// Bar colour of a data class: red for identity and secrets, amber for contact, grey for context.
fn class_color(id: &str) -> &'static str {
    match id {
        "national_id"
        | "payment_card"
        | "payment_card_partial"
        | "password"
        | "password_hash"
        | "bank_account"
        | "date_of_birth" => RED,
        "person_name" | "email" | "phone" | "address" | "postal_code" | "ip_address"
        | "username" => AMBER,
        _ => GREY,
    }
}

/// `2026-11-22T04:30:00Z` → `2026-11-22 04:30 UTC`; anything else unchanged.
fn readable_time(t: &str) -> String {
    let b = t.as_bytes();
    if t.len() >= 17 && t.is_ascii() && b[10] == b'T' && t.ends_with('Z') {
        format!("{} {} UTC", &t[..10], &t[11..16])
    } else {
        t.to_string()
    }
}

/// Title, source, sensitivity badge, the masked/revealed marker, and the nearest deadline.
pub(crate) fn header(o: &mut String, p: &ScanProfile, deadline: Option<&crate::render::Deadline>) {
    let level = p.sensitivity.level;
    let shown = if p.revealed {
        r#"<span class="badge revealed" title="generated with --reveal">RAW VALUES REVEALED</span>"#
    } else {
        r#"<span class="badge masked" title="examples are masked">VALUES MASKED</span>"#
    };
    let _ = write!(
        o,
        "<header class=\"top\">\n<div><h1>Leak profile</h1><div class=\"sub\">{}</div><div class=\"meta\">Scanned {} · {} {}{}</div></div>\n\
         <div class=\"pills\"><span id=\"sensitivity-badge\" class=\"badge {}\">SENSITIVITY: {}</span>{shown}</div>\n</header>\n",
        esc(&title(p)),
        esc(&readable_time(&p.generated_at)),
        esc(&p.tool.name),
        esc(&p.tool.version),
        p.found_on.as_deref().map(|f| format!(" · found on {}", esc(f))).unwrap_or_default(),
        if nothing_read(p) { "none" } else { level_id(level) },
        headline(p)
    );
    if let Some(d) = deadline {
        let _ = writeln!(
            o,
            "<div id=\"nearest-deadline\" class=\"deadline{}\"><span class=\"k\">Nearest deadline</span> {} <a href=\"#obligations\">obligations ↓</a></div>",
            if d.overdue { " overdue" } else { "" },
            esc(&d.text)
        );
    }
}

fn kpi(o: &mut String, k: &str, v: &str, d: &str) {
    let _ = writeln!(o, "<div class=\"kpi\"><div class=\"k\">{}</div><div class=\"v\">{}</div><div class=\"d\">{}</div></div>", esc(k), esc(v), esc(d));
}

/// The headline figures.
pub(crate) fn kpis(o: &mut String, p: &ScanProfile) {
    o.push_str("<section class=\"kpis\" id=\"headline\">\n");
    let skipped = if p.rows_skipped > 0 {
        format!("{} skipped (see Reading)", thousands(p.rows_skipped))
    } else {
        "none skipped".into()
    };
    kpi(o, "Rows", &thousands(p.rows), &skipped);
    let (n, how) = people_parts(p);
    kpi(o, "People", &n, &how);
    kpi(
        o,
        "Tables",
        &p.tables.len().to_string(),
        &format!("{} columns", column_count(p)),
    );
    let formats: Vec<String> = p
        .sources
        .iter()
        .map(|s| s.format.clone())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    kpi(
        o,
        "Sources",
        &p.sources.len().to_string(),
        &format!("{} · {}", bytes(p.bytes), formats.join(", ")),
    );
    kpi(
        o,
        "Newest record",
        p.records.newest.as_deref().unwrap_or("unknown"),
        &age(p).unwrap_or_else(|| date_range(p)),
    );
    match &p.tenants {
        Some(t) => kpi(
            o,
            "Tenants",
            &thousands(t.count),
            &format!("in {}", t.column),
        ),
        None => kpi(o, "Tenants", "–", "no merchant / shop column"),
    }
    o.push_str("</section>\n");
}

/// Sensitivity reasons.
pub(crate) fn reasons(o: &mut String, p: &ScanProfile) {
    let title = if nothing_read(p) {
        "Nothing read".to_string()
    } else {
        format!("Why it is {}", level_id(p.sensitivity.level))
    };
    let _ = write!(
        o,
        "<section id=\"sensitivity\">\n<h2>{title}</h2>\n<ul class=\"reasons\">\n"
    );
    if p.sensitivity.reasons.is_empty() {
        o.push_str("<li><span class=\"muted\">No sensitive data class found.</span></li>\n");
    }
    for r in &p.sensitivity.reasons {
        let _ = writeln!(
            o,
            "<li><span class=\"lvl {0}\">{0}</span><span>{1}</span></li>",
            level_id(r.level),
            esc(&r.text)
        );
    }
    o.push_str("</ul>\n</section>\n");
}

/// Writes a chart three times: drawn for a desktop screen, a phone (390 px) and an A4 page, so
/// that its text keeps its size in each (CSS shows one of them per medium and width).
fn three(o: &mut String, screen: String, phone: String, print: String) {
    let _ = write!(
        o,
        "<div class=\"scr\">{screen}</div><div class=\"mob\">{phone}</div><div class=\"prt\">{print}</div>"
    );
}

/// The four charts.
pub(crate) fn charts(o: &mut String, p: &ScanProfile) {
    o.push_str("<section id=\"overview\">\n<h2>Overview</h2>\n<div class=\"grid2\">\n");
    let classes: Vec<Bar> = class_volumes(p)
        .into_iter()
        .map(|(c, v)| Bar {
            label: class_label(&c),
            value: v as f64,
            value_text: thousands(v),
            color: class_color(&c),
        })
        .collect();
    o.push_str("<figure><figcaption>Data classes <span class=\"meta\">values present (rows × fill) · red identity &amp; secrets, amber contact</span></figcaption>\n");
    if classes.is_empty() {
        o.push_str("<div class=\"empty\">No data class recognised.</div>");
    } else {
        let (id, title) = ("chart-data-classes", "Values present per data class");
        three(
            o,
            hbars(id, title, &classes, 20, HALF),
            hbars(&format!("{id}-phone"), title, &classes, 16, PHONE),
            hbars(&format!("{id}-print"), title, &classes, 20, PRINT),
        );
    }
    if !p.data_classes_hibp.is_empty() {
        let _ = write!(
            o,
            "<div class=\"meta vocab\">Breach vocabulary: {}</div>",
            esc(&p.data_classes_hibp.join(", "))
        );
    }
    o.push_str("</figure>\n");
    let countries: Vec<Bar> = p
        .countries
        .iter()
        .map(|c| Bar {
            label: format!("{} {}", c.code, c.name),
            value: c.share,
            value_text: format!("{} · {}", pct(c.share, 1), thousands(c.people)),
            color: BLUE,
        })
        .collect();
    o.push_str("<figure><figcaption>Countries <span class=\"meta\">share of people with a known country</span></figcaption>\n");
    if countries.is_empty() {
        o.push_str("<div class=\"empty\">No country signal (no phone country codes, ID kinds or address tokens).</div>");
    } else {
        let (id, title) = ("chart-countries", "Share of people by country");
        three(
            o,
            hbars(id, title, &countries, 22, HALF),
            hbars(&format!("{id}-phone"), title, &countries, 16, PHONE),
            hbars(&format!("{id}-print"), title, &countries, 22, PRINT),
        );
    }
    o.push_str("</figure>\n</div>\n");
    let cols = if p.records.columns.is_empty() {
        String::new()
    } else {
        format!(" · from {}", p.records.columns.join(", "))
    };
    let _ = writeln!(o, "<figure><figcaption>Records over time <span class=\"meta\">records per month, {}{}</span></figcaption>", esc(&date_range(p)), esc(&cols));
    if p.records.by_month.is_empty() {
        o.push_str("<div class=\"empty\">No dated records.</div>");
    } else {
        let (id, title, m) = ("chart-records", "Records per month", &p.records.by_month);
        three(
            o,
            timeline(id, title, m, FULL),
            timeline(&format!("{id}-phone"), title, m, PHONE),
            timeline(&format!("{id}-print"), title, m, PRINT),
        );
    }
    o.push_str("</figure>\n");
    match &p.tenants {
        Some(t) if !t.top.is_empty() => {
            let shown: u64 = t.top.iter().map(|x| x.rows).sum();
            let _ = writeln!(
                o,
                "<figure><figcaption>Top tenants <span class=\"meta\">{} of {} tenants by rows ({} rows) · column {}</span></figcaption>",
                t.top.len(),
                thousands(t.count),
                thousands(shown),
                esc(&t.column)
            );
            let bars: Vec<Bar> = t.top.iter().map(|x| Bar { label: x.display(), value: x.rows as f64, value_text: thousands(x.rows), color: TEAL }).collect();
            let (id, title) = ("chart-tenants", "Largest tenants by rows");
            three(
                o,
                hbars(id, title, &bars, 28, FULL),
                hbars(&format!("{id}-phone"), title, &bars, 18, PHONE),
                hbars(&format!("{id}-print"), title, &bars, 28, PRINT),
            );
            o.push_str("</figure>\n");
        }
        _ => o.push_str("<figure><figcaption>Top tenants</figcaption><div class=\"empty\">No tenant (merchant / shop) column: not a multi-tenant platform dump.</div></figure>\n"),
    }
    o.push_str("</section>\n");
}

/// Password material.
pub(crate) fn passwords(o: &mut String, p: &ScanProfile) {
    let pw = &p.passwords;
    o.push_str("<section id=\"passwords\">\n<h2>Passwords</h2>\n");
    if pw.total == 0 {
        o.push_str("<p class=\"muted\">No password material found.</p>\n</section>\n");
        return;
    }
    let _ = write!(
        o,
        "<p>{} values · <strong>{}</strong> fast or unsalted hashes · <strong>{}</strong> plaintext</p>\n\
         <table><thead><tr><th>Algorithm</th><th class=\"n\">Values</th><th class=\"n\">Share</th><th>Strength</th></tr></thead><tbody>\n",
        thousands(pw.total),
        thousands(pw.fast_or_unsalted),
        thousands(pw.plaintext)
    );
    for a in &pw.by_algorithm {
        let share = if pw.total > 0 {
            a.count as f64 / pw.total as f64
        } else {
            0.0
        };
        let strength = if a.weak {
            "<span class=\"sev-warning\">weak: crackable</span>"
        } else {
            "slow hash"
        };
        let _ = writeln!(
            o,
            "<tr><td class=\"name\">{}</td><td class=\"n\" data-label=\"Values\">{}</td><td class=\"n\" data-label=\"Share\">{}</td><td data-label=\"Strength\">{strength}</td></tr>",
            esc(&a.algorithm),
            thousands(a.count),
            pct_short(share)
        );
    }
    o.push_str("</tbody></table>\n</section>\n");
}

/// Per-table column profiles.
pub(crate) fn columns(o: &mut String, p: &ScanProfile) {
    let ex = if p.revealed {
        "Examples (REVEALED)"
    } else {
        "Examples (masked)"
    };
    o.push_str("<section id=\"columns\" class=\"columns\">\n<h2>Tables and columns</h2>\n");
    for (i, t) in p.tables.iter().enumerate() {
        let skipped = if t.rows_skipped > 0 {
            format!(" · {} skipped", thousands(t.rows_skipped))
        } else {
            String::new()
        };
        let _ = write!(
            o,
            "<section class=\"table\" id=\"table-{i}\"><h3>{}</h3><div class=\"tablemeta\">{} · {} rows{skipped} · {} columns</div>\n\
             <table class=\"cols stack\"><colgroup><col class=\"c-name\"><col class=\"c-class\"><col class=\"c-conf\"><col class=\"c-fill\"><col class=\"c-distinct\"><col class=\"c-ex\"></colgroup><thead><tr><th>Column</th><th>Class</th><th class=\"n\">Confidence</th><th class=\"n\">Fill</th><th class=\"n\">Distinct</th><th>{ex}</th></tr></thead><tbody>\n",
            esc(&t.name),
            esc(&t.source),
            thousands(t.rows),
            t.columns.len()
        );
        for c in &t.columns {
            let kind = c
                .kind
                .as_deref()
                .map(|k| format!("<span class=\"kind\"> / {}</span>", esc(k)))
                .unwrap_or_default();
            let mut notes = String::new();
            for m in &c.mixed {
                let _ = write!(
                    notes,
                    "<span class=\"note\">mixed: {} {}</span>",
                    esc(&m.class),
                    pct_short(m.share)
                );
            }
            for m in &c.embedded {
                let _ = write!(
                    notes,
                    "<span class=\"note\">embedded {} in {} of values</span>",
                    esc(&m.class),
                    pct_short(m.share)
                );
            }
            let conf = if c.class == "other" {
                "–".to_string()
            } else {
                let w = (c.confidence.clamp(0.0, 1.0) * 100.0).round();
                // An SVG bar rather than an inline style: pages that embed this fragment under a
                // strict Content-Security-Policy (the web app) draw it too.
                format!(
                    "{}<svg class=\"conf\" viewBox=\"0 0 100 5\" preserveAspectRatio=\"none\" aria-hidden=\"true\"><rect width=\"{w}\" height=\"5\"/></svg>",
                    pct_short(c.confidence)
                )
            };
            let examples: String = c
                .examples
                .iter()
                .map(|e| format!("<span>{}</span>", esc(e)))
                .collect();
            let _ = writeln!(
                o,
                "<tr><td class=\"name\"><strong>{}</strong></td><td><span class=\"cls\">{}</span>{kind}<span class=\"ev\">{}</span>{notes}</td><td class=\"n\" data-label=\"Confidence\">{conf}</td><td class=\"n\" data-label=\"Fill\">{}</td><td class=\"n\" data-label=\"Distinct\">{}</td><td class=\"ex\" data-label=\"{ex}\">{examples}</td></tr>",
                esc(&c.name),
                esc(&c.class),
                esc(&c.evidence),
                pct_short(c.fill_rate),
                thousands(c.distinct_estimate)
            );
        }
        o.push_str("</tbody></table></section>\n");
    }
    o.push_str("</section>\n");
}

/// Sources read and diagnostics.
pub(crate) fn reading(o: &mut String, p: &ScanProfile) {
    o.push_str("<section id=\"reading\">\n<h2>Reading</h2>\n<table class=\"stack\"><thead><tr><th>Source</th><th>Format</th><th>Encoding</th><th class=\"n\">Bytes</th><th class=\"n\">Rows</th></tr></thead><tbody>\n");
    for s in &p.sources {
        let mut format = esc(&s.format);
        if !s.compression.is_empty() {
            format = format!(
                "{format} <span class=\"muted\">in {}</span>",
                esc(&s.compression.join(" + "))
            );
        }
        let _ = writeln!(
            o,
            "<tr><td class=\"name\">{}</td><td data-label=\"Format\">{format}</td><td data-label=\"Encoding\">{}</td><td class=\"n\" data-label=\"Bytes\">{}</td><td class=\"n\" data-label=\"Rows\">{}</td></tr>",
            esc(&s.path),
            esc(s.encoding.as_deref().unwrap_or("binary")),
            bytes(s.bytes),
            thousands(s.rows)
        );
    }
    o.push_str("</tbody></table>\n");
    if p.diagnostics.is_empty() {
        o.push_str("<p class=\"muted\">No reading problems.</p>\n");
    } else {
        let _ = writeln!(
            o,
            "<h3>Diagnostics <span class=\"meta\">{} rows skipped in total</span></h3>",
            thousands(p.rows_skipped)
        );
        o.push_str("<table class=\"stack\"><thead><tr><th>Severity</th><th>Code</th><th>Source</th><th>Message</th><th class=\"n\">Rows skipped</th></tr></thead><tbody>\n");
        for d in &p.diagnostics {
            let sev = match d.severity.as_str() {
                "error" => "sev-error",
                "warning" => "sev-warning",
                _ => "sev-info",
            };
            let _ = writeln!(
                o,
                "<tr><td class=\"{sev} name\">{}</td><td data-label=\"Code\">{}</td><td data-label=\"Source\">{}</td><td data-label=\"Message\">{}</td><td class=\"n\" data-label=\"Rows skipped\">{}</td></tr>",
                esc(&d.severity),
                esc(&d.code),
                esc(&d.source),
                esc(&d.message),
                thousands(d.rows_skipped)
            );
        }
        o.push_str("</tbody></table>\n");
    }
    o.push_str("</section>\n");
}
