//! Response outputs: affected customer ids, per-tenant notification packs, `verify.json`, and the
//! HTML report section. Only ids the organisation already holds leave the tool.

use crate::error::VerifyError;
use crate::report::{AffectedCustomer, VerifyReport};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

fn csv_field(s: &str) -> String {
    // Quote always; neutralise spreadsheet formulas.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// A file-name-safe form of a tenant id (with a short hash suffix when characters were changed,
/// so distinct tenants never share a file).
pub fn tenant_file_stem(t: &str) -> String {
    let safe: String = t
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    if safe == t && !t.is_empty() {
        return safe;
    }
    let h = t.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    format!("{safe}-{:08x}", h as u32)
}

/// Writes `verify.json`, `affected_customers.csv` and `merchants/<tenant>.{json,md}` into `dir`.
pub fn write_outputs(
    dir: &Path,
    report: &VerifyReport,
    affected: &[AffectedCustomer],
) -> Result<(), VerifyError> {
    let io =
        |p: &Path, e: std::io::Error| VerifyError::Io(format!("cannot write {}: {e}", p.display()));
    let mdir = dir.join("merchants");
    std::fs::create_dir_all(&mdir).map_err(|e| io(&mdir, e))?;
    let p = dir.join("verify.json");
    let json = serde_json::to_string_pretty(report).map_err(|e| VerifyError::Io(e.to_string()))?;
    std::fs::write(&p, json + "\n").map_err(|e| io(&p, e))?;
    let mut csv = String::from("customer_id,tenant,matched,sample_rows\n");
    for a in affected {
        let _ = writeln!(
            csv,
            "{},{},{},{}",
            csv_field(&a.customer_id),
            csv_field(a.tenant.as_deref().unwrap_or("")),
            a.matched,
            a.rows
        );
    }
    let p = dir.join("affected_customers.csv");
    std::fs::write(&p, csv).map_err(|e| io(&p, e))?;
    let mut by_tenant: BTreeMap<&str, Vec<&AffectedCustomer>> = BTreeMap::new();
    for a in affected {
        if let Some(t) = &a.tenant {
            by_tenant.entry(t).or_default().push(a);
        }
    }
    for (tenant, list) in by_tenant {
        let scope = report.tenants.iter().find(|s| s.tenant == tenant);
        let consistent = list.iter().filter(|a| a.matched == "consistent").count();
        let summary = format!(
            "A data sample assessed as `{}` contains {} of your customers ({} matched consistently). Verdict: {}",
            serde_json::to_value(report.verdict).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default(),
            list.len(),
            consistent,
            report.summary
        );
        let pack = serde_json::json!({
            "schema": "leakscope.verify.merchant/1",
            "tenant": tenant,
            "verdict": report.verdict,
            "affected_customers": list.len(),
            "consistent_customers": consistent,
            "estimated_rows_in_claim": scope.and_then(|s| s.estimated_rows_in_claim),
            "currency": report.currency.statement,
            "summary": summary,
            "customer_ids": list.iter().map(|a| serde_json::json!({"customer_id": a.customer_id, "matched": a.matched})).collect::<Vec<_>>(),
            "recommended_actions": ["force a password reset for the listed customers", "enrol them in MFA", "watch their accounts for takeover attempts"],
        });
        let stem = tenant_file_stem(tenant);
        let p = mdir.join(format!("{stem}.json"));
        std::fs::write(
            &p,
            serde_json::to_string_pretty(&pack).map_err(|e| VerifyError::Io(e.to_string()))? + "\n",
        )
        .map_err(|e| io(&p, e))?;
        let mut md = format!(
            "# Data exposure notice for tenant `{tenant}`\n\n{summary}\n\n- Currency: {}\n",
            report.currency.statement
        );
        if let Some(n) = scope.and_then(|s| s.estimated_rows_in_claim) {
            let _ = writeln!(md, "- Estimated rows of yours in the claimed dump: {n}");
        }
        md.push_str("\n## Recommended actions\n\n- Force a password reset for the customers below.\n- Enrol them in MFA.\n- Watch their accounts for takeover attempts.\n\n## Affected customer ids\n\n| customer id | matched |\n|---|---|\n");
        for a in &list {
            let _ = writeln!(
                md,
                "| {} | {} |",
                a.customer_id.replace('|', "\\|"),
                a.matched
            );
        }
        let p = mdir.join(format!("{stem}.md"));
        std::fs::write(&p, md).map_err(|e| io(&p, e))?;
    }
    Ok(())
}

/// The report section for the HTML report: `(title, html)`; every text is escaped.
pub fn html_section(r: &VerifyReport) -> (String, String) {
    let title = "Authenticity and scope".to_string();
    let verdict = serde_json::to_value(r.verdict)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let mut h = String::new();
    let _ = write!(
        h,
        "<p class=\"verdict verdict-{v}\"><strong>Verdict: {v}</strong> — {}</p>",
        esc(&r.summary),
        v = esc(&verdict)
    );
    h.push_str("<table class=\"counts\"><tr><th>sample rows</th><th>with identifiers</th><th>matched</th><th>consistent</th><th>partial</th><th>uncorroborated</th><th>unmatched</th><th>customers</th></tr>");
    let _ = write!(
        h,
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr></table>",
        r.sample_rows, r.informative_rows, r.matched_rows, r.consistent_rows, r.partial_rows, r.uncorroborated_rows, r.unmatched_rows, r.affected_customers
    );
    if let Some(n) = r.minimum_rows_needed {
        let _ = write!(h, "<p>Minimum sample rows needed for a verdict: {n}</p>");
    }
    h.push_str("<h3>Evidence</h3><ul>");
    for e in &r.evidence {
        let _ = write!(h, "<li>{}</li>", esc(e));
    }
    h.push_str("</ul>");
    let _ = write!(h, "<h3>Currency</h3><p>{}</p>", esc(&r.currency.statement));
    if !r.tenants.is_empty() {
        h.push_str("<h3>Affected tenants</h3><table class=\"tenants\"><tr><th>tenant</th><th>customers</th><th>consistent</th><th>sample rows</th><th>est. rows in claim</th></tr>");
        for t in &r.tenants {
            let est = t
                .estimated_rows_in_claim
                .map(|n| n.to_string())
                .unwrap_or_else(|| "–".into());
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&t.tenant),
                t.customers,
                t.consistent_customers,
                t.rows,
                esc(&est)
            );
        }
        h.push_str("</table>");
    }
    if let Some(x) = &r.extrapolation {
        let _ = write!(h, "<h3>Extrapolation</h3><p>{}</p>", esc(&x.statement));
    }
    (title, h)
}
