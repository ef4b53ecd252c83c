//! Terminal output of `leakscope claim` and `leakscope watch`.

use leakscope_claims::accuracy::Report;
use leakscope_claims::feeds::{Feed, PollReport};
use leakscope_claims::store::{Listed, Stored};
use leakscope_claims::Claim;
use std::fmt::Write;

/// ` (item X)` when a document is one of several.
pub fn item_suffix(item: Option<&str>) -> String {
    item.map(|i| format!(" (item {i})")).unwrap_or_default()
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn bytes(n: u64) -> String {
    const UNITS: [(&str, f64); 4] = [("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3)];
    for (u, v) in UNITS {
        if n as f64 >= v {
            return format!("{:.1} {u}", n as f64 / v);
        }
    }
    format!("{n} bytes")
}

fn money(amount: Option<f64>, currency: Option<&str>) -> String {
    let a = amount.map_or("?".to_string(), |a| {
        if a.fract() == 0.0 {
            thousands(a as u64)
        } else {
            format!("{a}")
        }
    });
    format!("{a} {}", currency.unwrap_or("(currency unknown)"))
}

/// A claim as a few lines.
pub fn claim_summary(c: &Claim) -> String {
    let mut s = String::new();
    let kinds = if c.kind.is_empty() {
        "no kind stated".to_string()
    } else {
        c.kind
            .iter()
            .map(|k| k.id())
            .collect::<Vec<_>>()
            .join(" + ")
    };
    let status = c.status.map_or("status unknown", |s| s.id());
    let origin = c.source.path.clone().unwrap_or_default();
    let _ = writeln!(
        s,
        "{origin}{}: {kinds} ({status}) [{}]",
        item_suffix(c.source.item.as_deref()),
        c.id
    );
    for v in &c.victims {
        let mut facts: Vec<String> = Vec::new();
        if let Some(x) = &v.country {
            facts.push(x.clone());
        }
        if let Some(x) = &v.sector {
            facts.push(x.clone());
        }
        if let Some(x) = &v.domain {
            facts.push(x.clone());
        }
        let rel =
            v.of.as_ref()
                .map(|o| format!(" of {o}"))
                .unwrap_or_default();
        let facts = if facts.is_empty() {
            String::new()
        } else {
            format!(" [{}]", facts.join(", "))
        };
        let _ = writeln!(s, "  {}{rel}: {}{facts}", v.role, v.name);
    }
    let mut line = Vec::new();
    for r in &c.records {
        let q = match r.qualifier.as_deref() {
            Some("about") => "about ",
            Some("more_than") => "more than ",
            Some("up_to") => "up to ",
            _ => "",
        };
        line.push(format!(
            "{q}{} {}",
            thousands(r.count),
            r.unit.as_deref().unwrap_or("records")
        ));
    }
    if let Some(b) = c.size_bytes {
        line.push(bytes(b));
    }
    if let Some(p) = &c.price {
        line.push(format!("price {}", money(p.amount, p.currency.as_deref())));
    }
    if !line.is_empty() {
        let _ = writeln!(s, "  claimed: {}", line.join("; "));
    }
    if !c.data_classes.is_empty() || !c.data_other.is_empty() {
        let mut d = c.data_classes.clone();
        d.extend(c.data_other.iter().map(|o| format!("{o} (other)")));
        let _ = writeln!(s, "  data: {}", d.join(", "));
    }
    if let Some(sm) = &c.sample {
        let p = match sm.provided {
            Some(true) => "offered",
            Some(false) => "none",
            None => "?",
        };
        let f = if sm.formats.is_empty() {
            String::new()
        } else {
            format!(" ({})", sm.formats.join(", "))
        };
        let _ = writeln!(s, "  sample: {p}{f}");
    }
    let mut who = Vec::new();
    if !c.actors.is_empty() {
        who.push(format!(
            "actor {}",
            c.actors
                .iter()
                .map(|a| a.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if let Some(v) = &c.venue {
        who.push(format!(
            "on {}{}",
            v.kind.replace('_', " "),
            v.name.as_ref().map(|n| format!(" {n}")).unwrap_or_default()
        ));
    }
    if !c.contacts.is_empty() {
        who.push(format!(
            "contact {}",
            c.contacts
                .iter()
                .map(|k| match &k.handle {
                    Some(h) => format!("{} {h}", k.kind),
                    None => k.kind.replace('_', " "),
                })
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !who.is_empty() {
        let _ = writeln!(s, "  {}", who.join("; "));
    }
    let dates: Vec<String> = c
        .dates
        .fields()
        .iter()
        .filter_map(|(k, v)| {
            v.as_ref().map(|d| {
                let val = d
                    .value
                    .clone()
                    .unwrap_or_else(|| "unresolved (no post date)".into());
                let note = if d.year_inferred {
                    ", year inferred"
                } else {
                    ""
                };
                format!("{} {val}{note}", k.replace('_', " "))
            })
        })
        .collect();
    if !dates.is_empty() {
        let _ = writeln!(s, "  dates: {}", dates.join("; "));
    }
    if let Some(x) = &c.exposure {
        let mut e = Vec::new();
        if let Some(v) = &x.service {
            e.push(v.clone());
        }
        if let Some(v) = &x.auth {
            e.push(format!("auth {v}"));
        }
        if let Some(v) = x.duration_days {
            e.push(format!("{v} days"));
        }
        let _ = writeln!(s, "  exposure: {}", e.join(", "));
    }
    if !c.laws.is_empty() || !c.regulators.is_empty() {
        let laws = c
            .laws
            .iter()
            .map(|l| l.name.clone().unwrap_or(l.id.clone()))
            .collect::<Vec<_>>()
            .join(", ");
        let regs = c
            .regulators
            .iter()
            .map(|r| {
                let ob = if r.obligations.is_empty() {
                    String::new()
                } else {
                    format!(" → obligations {}", r.obligations.join(", "))
                };
                format!("{}{ob}", r.name.clone().unwrap_or(r.id.clone()))
            })
            .collect::<Vec<_>>()
            .join("; ");
        let _ = writeln!(
            s,
            "  legal: {}{}{}",
            laws,
            if !laws.is_empty() && !regs.is_empty() {
                "; "
            } else {
                ""
            },
            regs
        );
    }
    for p in &c.penalties {
        let what = match (p.amount, p.percent) {
            (Some(_), _) => money(p.amount, p.currency.as_deref()),
            (None, Some(pc)) => format!(
                "{pc}% of {}",
                p.basis.as_deref().unwrap_or("turnover").replace('_', " ")
            ),
            _ => "?".into(),
        };
        let _ = writeln!(s, "  penalty ({}): {what}", p.kind);
    }
    for h in &c.watch {
        let _ = writeln!(s, "  WATCHLIST HIT {} ({}): {}", h.entry, h.how, h.why);
    }
    let spans: usize = c.evidence.values().map(Vec::len).sum();
    let _ = writeln!(s, "  evidence: {spans} span(s) (--json shows them)");
    s
}

/// What storing did.
pub fn stored_line(s: &Stored) -> String {
    match s {
        Stored::New { .. } => "stored: new claim".into(),
        Stored::Duplicate { claim_id, how, .. } => {
            format!(
                "stored: same post as {claim_id} ({}) — source added",
                how.replace('_', " ")
            )
        }
    }
}

/// A stored claim in `claim list`.
pub fn listed(r: &Listed) -> String {
    let mut s = claim_summary(&r.claim);
    let srcs: Vec<String> = r
        .sources
        .iter()
        .map(|x| {
            format!(
                "{} {}{}",
                x.kind,
                x.location,
                item_suffix(x.item.as_deref())
            )
        })
        .collect();
    let _ = writeln!(
        s,
        "  first seen {}; sources: {}",
        r.first_seen_at,
        srcs.join(" | ")
    );
    s
}

/// One feed.
pub fn feed_line(f: &Feed) -> String {
    format!(
        "{:>4}  {}  {}  last poll: {}{}",
        f.id,
        leakscope_claims::http::redact_url(&f.url),
        f.name.as_deref().unwrap_or("-"),
        f.last_polled_at.as_deref().unwrap_or("never"),
        match (&f.last_error, f.last_status) {
            (Some(e), _) => format!(" (error: {e})"),
            (None, Some(s)) => format!(" (HTTP {s})"),
            _ => String::new(),
        }
    )
}

/// The poll summary.
pub fn poll_report(r: &PollReport) -> String {
    let mut s = String::new();
    for f in &r.feeds {
        if let Some(e) = &f.error {
            let _ = writeln!(s, "feed {} ({}): failed: {e}", f.feed_id, f.host);
            continue;
        }
        if f.not_modified {
            let _ = writeln!(s, "feed {} ({}): not modified", f.feed_id, f.host);
            continue;
        }
        let _ = writeln!(
            s,
            "feed {} ({}): {} item(s): {} new claim(s), {} already stored (re-shared), {} seen before, {} without a claim, {} watchlist hit(s)",
            f.feed_id,
            f.host,
            f.items,
            f.new_claims.len(),
            f.duplicates.len(),
            f.seen_before,
            f.no_claim,
            f.hits
        );
    }
    for d in &r.deliveries {
        let _ = writeln!(
            s,
            "alert {} → {}: {} after {} attempt(s){}",
            d.claim_id,
            d.host,
            d.status,
            d.attempts,
            d.error
                .as_ref()
                .map(|e| format!(" (last error: {e})"))
                .unwrap_or_default()
        );
    }
    s
}

/// The accuracy report.
pub fn accuracy(r: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: {} posts, {} claims expected, {} extracted",
        r.corpus, r.files, r.claims_expected, r.claims_extracted
    );
    let _ = writeln!(
        s,
        "field precision {:.1}%  recall {:.1}%  (matched {}, extra {}, missed {})",
        100.0 * r.precision,
        100.0 * r.recall,
        r.total.tp,
        r.total.fp,
        r.total.fn_
    );
    let _ = writeln!(
        s,
        "{:<24} {:>9} {:>8} {:>5} {:>5} {:>5}",
        "field", "precision", "recall", "tp", "fp", "fn"
    );
    for (k, c) in &r.fields {
        let _ = writeln!(
            s,
            "{k:<24} {:>8.1}% {:>7.1}% {:>5} {:>5} {:>5}",
            100.0 * c.precision(),
            100.0 * c.recall(),
            c.tp,
            c.fp,
            c.fn_
        );
    }
    let gaps: usize = r.per_file.iter().map(|f| f.evidence_gaps.len()).sum();
    let _ = writeln!(s, "fields without evidence: {gaps}");
    for f in &r.per_file {
        if f.false_positives.is_empty() && f.false_negatives.is_empty() {
            continue;
        }
        let _ = writeln!(s, "{}:", f.file);
        for (k, v) in &f.false_positives {
            let _ = writeln!(s, "  + {k} = {v}");
        }
        for (k, v) in &f.false_negatives {
            let _ = writeln!(s, "  - {k} = {v}");
        }
    }
    s
}
