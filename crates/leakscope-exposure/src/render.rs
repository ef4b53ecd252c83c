//! The exposure document for people: a terminal table and a self-contained HTML report. Names
//! of stores pass through `leakscope_text::display_name` (identifiers in names masked, terminal
//! escapes removed); no value of the data is ever shown (the profiles hold none).

use crate::model::{Auth, ExposureReport, Finding};
use leakscope_profile::render::html::escape;
use leakscope_text::{display_name, thousands, Col, TextTable};

fn opt_num(v: Option<u64>) -> String {
    v.map_or_else(|| "unknown".into(), thousands)
}

fn product(f: &Finding) -> String {
    let s = &f.service;
    match (&s.product, &s.version) {
        (Some(p), Some(v)) => format!("{p} {v}"),
        (Some(p), None) => p.clone(),
        _ => s.kind.id().into(),
    }
}

/// The window in words: "open for at least 87 days (first seen 2026-01-01)".
pub fn window(f: &Finding) -> String {
    let day = |s: &str| s.get(..10).unwrap_or(s).to_string();
    if f.observations <= 1 {
        format!("first seen {} (one observation)", day(&f.open_since))
    } else {
        format!(
            "open for at least {} day{} (since {}, seen {} times)",
            f.open_days,
            if f.open_days == 1 { "" } else { "s" },
            day(&f.open_since),
            f.observations
        )
    }
}

/// Terminal text, fitted to `width`.
pub fn human(r: &ExposureReport, width: usize) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "exposure scan at {} — {} endpoint(s) probed, {} service(s) answered, {} finding(s), {} closed, {} refused by the scope\n",
        r.scan.at,
        r.scan.endpoints,
        r.services.len(),
        r.findings.len(),
        r.closed.len(),
        r.refused.len()
    ));
    if !r.findings.is_empty() {
        out.push_str("\nFINDINGS — readable without credentials\n");
        let mut t = TextTable::new(
            &[
                Col::FIXED,
                Col::capped(40),
                Col::capped(28),
                Col::NUM,
                Col::NUM,
                Col::FIXED,
                Col::TEXT,
            ],
            &[
                "id", "location", "product", "records", "people", "level", "window",
            ],
        );
        for f in &r.findings {
            t.push([
                f.id.clone(),
                display_name(&f.location),
                product(f),
                opt_num(f.records.value),
                opt_num(f.people.value),
                f.sensitivity.clone(),
                window(f),
            ]);
        }
        out.push_str(&t.render(width));
        for f in &r.findings {
            out.push_str(&format!("\n{}  {}\n", f.id, display_name(&f.location)));
            out.push_str(&finding_detail(f, width));
        }
    }
    let others: Vec<_> = r
        .services
        .iter()
        .filter(|s| !r.findings.iter().any(|f| f.location == s.location()))
        .collect();
    if !others.is_empty() {
        out.push_str("\nOTHER SERVICES\n");
        let mut t = TextTable::new(
            &[Col::capped(40), Col::capped(28), Col::FIXED, Col::TEXT],
            &["location", "product", "auth", "how decided"],
        );
        for s in others {
            t.push([
                display_name(&s.location()),
                s.product
                    .clone()
                    .map(|p| {
                        format!("{p} {}", s.version.clone().unwrap_or_default())
                            .trim()
                            .to_string()
                    })
                    .unwrap_or_default(),
                match s.auth {
                    Auth::None => "none".into(),
                    Auth::Required => "required".into(),
                    Auth::Unknown => "unknown".into(),
                },
                display_name(&s.auth_detail),
            ]);
        }
        out.push_str(&t.render(width));
    }
    if !r.closed.is_empty() {
        out.push_str("\nCLOSED since the last scan\n");
        for c in &r.closed {
            out.push_str(&format!(
                "  {}  {}  was open for at least {} days (first seen {}, last seen {})\n",
                c.id,
                display_name(&c.location),
                c.open_days,
                c.first_seen,
                c.last_seen
            ));
        }
    }
    if !r.refused.is_empty() {
        out.push_str("\nREFUSED (nothing sent)\n");
        for x in &r.refused {
            out.push_str(&format!("  {} — {}\n", display_name(&x.target), x.reason));
        }
    }
    if !r.failures.is_empty() {
        out.push_str("\nPROBES THAT FAILED\n");
        for x in &r.failures {
            out.push_str(&format!(
                "  {} — {}\n",
                display_name(&x.endpoint),
                display_name(&x.message)
            ));
        }
    }
    out
}

/// The details of one finding: access, classes, estimates, reasons, stores, window, notes.
pub fn finding_detail(f: &Finding, width: usize) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "  access: {}\n",
        display_name(&f.service.auth_detail)
    ));
    out.push_str(&format!(
        "  data classes: {}\n",
        if f.data_classes.is_empty() {
            "none recognised in the sample".into()
        } else {
            f.data_classes.join(", ")
        }
    ));
    out.push_str(&format!(
        "  records: {} ({})\n  people: {} ({})\n  sample: {} rows profiled\n",
        opt_num(f.records.value),
        f.records.basis,
        opt_num(f.people.value),
        f.people.basis,
        thousands(f.sample_rows)
    ));
    for reason in f.sensitivity_reasons.iter().take(3) {
        out.push_str(&format!("  why {}: {reason}\n", f.sensitivity));
    }
    let mut st = TextTable::new(
        &[Col::capped(48), Col::FIXED, Col::NUM, Col::NUM, Col::FIXED],
        &["store", "kind", "records", "sampled", "newest"],
    )
    .indent(2);
    for s in f.service.stores.iter().take(12) {
        st.push([
            display_name(&s.name),
            s.kind.clone(),
            opt_num(s.records),
            thousands(s.sampled),
            s.newest.clone().unwrap_or_default(),
        ]);
    }
    out.push_str(&st.render(width));
    if f.service.stores.len() > 12 {
        out.push_str(&format!(
            "  … {} more stores (--json lists all)\n",
            f.service.stores.len() - 12
        ));
    }
    out.push_str(&format!("  {}: {}", f.change.state, window(f)));
    if !f.change.details.is_empty() {
        out.push_str(&format!(
            " — {}",
            display_name(&f.change.details.join("; "))
        ));
    }
    out.push('\n');
    for n in &f.service.notes {
        out.push_str(&format!("  note: {}\n", display_name(n)));
    }
    out
}

/// A self-contained HTML report.
pub fn html(r: &ExposureReport) -> String {
    let mut b = String::new();
    b.push_str("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>leakscope exposure report</title><style>");
    b.push_str("body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;color:#222}table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}th,td{text-align:left;padding:.3em .6em;border-bottom:1px solid #ddd;vertical-align:top}td.n{text-align:right;font-variant-numeric:tabular-nums}.critical{color:#fff;background:#b00020}.high{background:#f4a261}.moderate{background:#ffe08a}.low{background:#d8f0d8}.badge{padding:.1em .5em;border-radius:.3em}h2{margin-top:2em}small{color:#666}");
    b.push_str("</style></head><body>");
    b.push_str(&format!(
        "<h1>Exposure report</h1><p>Scan at {} of {} endpoint(s) under scope <code>{}</code>: {} service(s) answered, <strong>{} finding(s)</strong>, {} closed, {} target(s) refused by the scope. <small>Schema {}; samples profiled in memory, no value stored or shown.</small></p>",
        escape(&r.scan.at),
        r.scan.endpoints,
        escape(&r.scan.scope),
        r.services.len(),
        r.findings.len(),
        r.closed.len(),
        r.refused.len(),
        escape(&r.schema)
    ));
    if !r.findings.is_empty() {
        b.push_str("<h2>Findings</h2><table><tr><th>id</th><th>location</th><th>product</th><th>records</th><th>people</th><th>sensitivity</th><th>window</th></tr>");
        for f in &r.findings {
            b.push_str(&format!(
                "<tr><td><a href=\"#{id}\">{id}</a></td><td>{}</td><td>{}</td><td class=n>{}</td><td class=n>{}</td><td><span class=\"badge {lvl}\">{lvl}</span></td><td>{}</td></tr>",
                escape(&display_name(&f.location)),
                escape(&product(f)),
                opt_num(f.records.value),
                opt_num(f.people.value),
                escape(&window(f)),
                id = escape(&f.id),
                lvl = escape(&f.sensitivity)
            ));
        }
        b.push_str("</table>");
        for f in &r.findings {
            b.push_str(&format!(
                "<h3 id=\"{}\">{} — {}</h3><p>Access: {}.<br>Data classes: {}.<br>Records: {} <small>({})</small>; people: {} <small>({})</small>; {} rows profiled.<br>{}: {}{}</p>",
                escape(&f.id),
                escape(&f.id),
                escape(&display_name(&f.location)),
                escape(&display_name(&f.service.auth_detail)),
                escape(&if f.data_classes.is_empty() { "none recognised".to_string() } else { f.data_classes.join(", ") }),
                opt_num(f.records.value),
                escape(&f.records.basis),
                opt_num(f.people.value),
                escape(&f.people.basis),
                thousands(f.sample_rows),
                escape(&f.change.state),
                escape(&window(f)),
                if f.change.details.is_empty() { String::new() } else { format!(" — {}", escape(&display_name(&f.change.details.join("; ")))) }
            ));
            if !f.sensitivity_reasons.is_empty() {
                b.push_str("<ul>");
                for reason in &f.sensitivity_reasons {
                    b.push_str(&format!("<li>{}</li>", escape(reason)));
                }
                b.push_str("</ul>");
            }
            b.push_str("<table><tr><th>store</th><th>kind</th><th>records</th><th>sampled</th><th>newest</th></tr>");
            for s in &f.service.stores {
                b.push_str(&format!(
                    "<tr><td>{}</td><td>{}</td><td class=n>{}</td><td class=n>{}</td><td>{}</td></tr>",
                    escape(&display_name(&s.name)),
                    escape(&s.kind),
                    opt_num(s.records),
                    thousands(s.sampled),
                    escape(s.newest.as_deref().unwrap_or(""))
                ));
            }
            b.push_str("</table>");
            for n in &f.service.notes {
                b.push_str(&format!(
                    "<p><small>note: {}</small></p>",
                    escape(&display_name(n))
                ));
            }
        }
    }
    if !r.services.is_empty() {
        b.push_str("<h2>Every service that answered</h2><table><tr><th>location</th><th>product</th><th>version</th><th>auth</th><th>how decided</th></tr>");
        for s in &r.services {
            b.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&display_name(&s.location())),
                escape(s.product.as_deref().unwrap_or("")),
                escape(s.version.as_deref().unwrap_or("")),
                match s.auth {
                    Auth::None => "none",
                    Auth::Required => "required",
                    Auth::Unknown => "unknown",
                },
                escape(&display_name(&s.auth_detail))
            ));
        }
        b.push_str("</table>");
    }
    if !r.closed.is_empty() {
        b.push_str("<h2>Closed since the last scan</h2><ul>");
        for c in &r.closed {
            b.push_str(&format!(
                "<li>{} {} — open for at least {} days ({} to {})</li>",
                escape(&c.id),
                escape(&display_name(&c.location)),
                c.open_days,
                escape(&c.first_seen),
                escape(&c.last_seen)
            ));
        }
        b.push_str("</ul>");
    }
    if !r.refused.is_empty() {
        b.push_str("<h2>Refused by the scope (nothing sent)</h2><ul>");
        for x in &r.refused {
            b.push_str(&format!(
                "<li>{} — {}</li>",
                escape(&display_name(&x.target)),
                escape(&x.reason)
            ));
        }
        b.push_str("</ul>");
    }
    b.push_str("</body></html>\n");
    b
}
