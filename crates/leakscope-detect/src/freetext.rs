//! The column nobody claimed: `other`, with the identifiers found inside its values (free text,
//! structured records) — claimed only when they dominate the column or its header names them.

use crate::column::{class_label, pct, thousands, verdict, Shares, Tally};
use crate::distribution::{embedded_in, EMBEDDED_CLASSES};
use crate::{ColumnVerdict, DataClass, Detectors};

/// Nothing won: report the best partial evidence and PII embedded in free text.
pub(crate) fn other(
    ds: &Detectors,
    header: Option<&str>,
    header_class: Option<DataClass>,
    vals: &[&str],
    t: &Tally,
    rejected: &[String],
) -> ColumnVerdict {
    let mut embedded = Vec::new();
    let avg_len = vals.iter().map(|v| v.chars().count()).sum::<usize>() as f64 / vals.len() as f64;
    if avg_len >= 12.0 {
        let mut counts = [0usize; 4];
        for v in vals {
            let f = embedded_in(ds, v);
            for (i, c) in counts.iter_mut().enumerate() {
                if f & (1 << i) != 0 {
                    *c += 1;
                }
            }
        }
        for (i, c) in counts.iter().enumerate() {
            let s = *c as f64 / vals.len() as f64;
            if s >= 0.01 && *c >= 2 {
                embedded.push((EMBEDDED_CLASSES[i], s));
            }
        }
    }
    // Identifiers inside other values count for the column only when they dominate it or its
    // header names them; the rest is stated, not claimed.
    let (claimed, noted): (Shares, Shares) = embedded
        .into_iter()
        .partition(|(c, s)| *s >= 0.5 || header_class == Some(*c));
    let embedded = claimed;
    // Structured values (`[{"name": …, "tel": …}]`) that nearly all hold an identifier: the
    // column is that identifier's, nested.
    let structured =
        vals.iter().filter(|v| v.starts_with(['[', '{'])).count() * 10 >= vals.len() * 8;
    if let Some(&(c, s)) = embedded
        .iter()
        .filter(|(_, s)| *s >= 0.8)
        .max_by(|a, b| a.1.total_cmp(&b.1))
    {
        if structured {
            let mut v = verdict(
                c,
                Some("nested".into()),
                0.8,
                format!(
                    "{} of {} sampled values are structured records holding {}{}",
                    pct(s),
                    thousands(t.n),
                    class_label(c),
                    header.map(|h| format!("; header {h}")).unwrap_or_default()
                ),
                s,
            );
            v.embedded = embedded;
            return v;
        }
    }
    let mut evidence = if embedded.is_empty() {
        format!("no detector matched {} sampled values", thousands(t.n))
    } else {
        let parts: Vec<String> = embedded
            .iter()
            .map(|(c, s)| format!("{} contain {}", pct(*s), class_label(*c)))
            .collect();
        format!(
            "free text: {} (of {} sampled values)",
            parts.join(", "),
            thousands(t.n)
        )
    };
    if !noted.is_empty() {
        let parts: Vec<String> = noted
            .iter()
            .map(|(c, s)| format!("{} contain {}", pct(*s), class_label(*c)))
            .collect();
        evidence.push_str(&format!(
            "; {} (not counted: neither dominant nor named by the header)",
            parts.join(", ")
        ));
    }
    if let Some(h) = header {
        evidence.push_str(&format!("; header {h}"));
    }
    for r in rejected {
        evidence.push_str("; ");
        evidence.push_str(r);
    }
    let mut v = verdict(DataClass::Other, None, 0.5, evidence, 0.0);
    v.embedded = embedded;
    v
}
