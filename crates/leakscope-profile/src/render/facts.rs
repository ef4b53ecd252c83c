//! Figures derived from a profile that several renderers show the same way.

use crate::model::{Level, ScanProfile};
use crate::text::{pct, thousands};

/// Upper-case label of a level.
pub(crate) fn level_label(level: Level) -> &'static str {
    match level {
        Level::Low => "LOW",
        Level::Moderate => "MODERATE",
        Level::High => "HIGH",
        Level::Critical => "CRITICAL",
    }
}

/// True when nothing was read (no rows): the profile says "nothing read" instead of a
/// sensitivity level, which would be a claim about data nobody saw.
pub(crate) fn nothing_read(p: &ScanProfile) -> bool {
    p.rows == 0
}

/// The profile's headline: its sensitivity level, or `NOTHING READ`.
pub(crate) fn headline(p: &ScanProfile) -> &'static str {
    if nothing_read(p) {
        "NOTHING READ"
    } else {
        level_label(p.sensitivity.level)
    }
}

/// Lower-case id of a level.
pub(crate) fn level_id(level: Level) -> &'static str {
    match level {
        Level::Low => "low",
        Level::Moderate => "moderate",
        Level::High => "high",
        Level::Critical => "critical",
    }
}

/// "898,791 (exact count)" or "1,093,406 ± 0.8% (HyperLogLog estimate)".
pub(crate) fn people(p: &ScanProfile) -> String {
    let i = &p.individuals;
    if i.basis == "none" {
        return "unknown (no e-mail, phone, ID or name column)".to_string();
    }
    if i.basis == "names" {
        return format!(
            "≈ {} (by names; no e-mail, phone or ID column)",
            thousands(i.estimate)
        );
    }
    if i.method == "exact" || i.relative_error <= 0.0 {
        format!("{} ({} count)", thousands(i.estimate), i.method)
    } else {
        let method = if i.method == "hyperloglog" {
            "HyperLogLog"
        } else {
            i.method.as_str()
        };
        format!(
            "{} ± {} ({method} estimate)",
            thousands(i.estimate),
            pct(i.relative_error, 1)
        )
    }
}

/// The people figure and how it was obtained, separately: ("898,791", "exact count") or
/// ("1,093,406", "± 0.8% · HyperLogLog estimate").
pub(crate) fn people_parts(p: &ScanProfile) -> (String, String) {
    let i = &p.individuals;
    if i.basis == "none" {
        return (
            "unknown".into(),
            "no e-mail, phone, ID or name column".into(),
        );
    }
    if i.basis == "names" {
        return (
            format!("≈ {}", thousands(i.estimate)),
            "by names · no e-mail, phone or ID column".into(),
        );
    }
    if i.method == "exact" || i.relative_error <= 0.0 {
        (thousands(i.estimate), format!("{} count", i.method))
    } else {
        let method = if i.method == "hyperloglog" {
            "HyperLogLog"
        } else {
            i.method.as_str()
        };
        (
            thousands(i.estimate),
            format!("± {} · {method} estimate", pct(i.relative_error, 1)),
        )
    }
}

/// "2017-02-11 → 2019-08-14" or "no dated records".
pub(crate) fn date_range(p: &ScanProfile) -> String {
    match (&p.records.oldest, &p.records.newest) {
        (Some(o), Some(n)) => format!("{o} → {n}"),
        (None, Some(n)) => format!("up to {n}"),
        (Some(o), None) => format!("from {o}"),
        (None, None) => "no dated records found".to_string(),
    }
}

/// The age phrase, falling back to `age_days` when the scanner left no text.
pub(crate) fn age(p: &ScanProfile) -> Option<String> {
    if let Some(t) = &p.records.age_text {
        return Some(t.clone());
    }
    let days = p.records.age_days?;
    Some(match &p.found_on {
        Some(f) => format!("newest record {days} days before discovery ({f})"),
        None => format!("newest record {days} days old"),
    })
}

/// Values present per data class: Σ rows × fill over the columns of that class, in the order
/// of `data_classes` (then any class only seen in columns). Drives the data-class chart.
pub(crate) fn class_volumes(p: &ScanProfile) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = p.data_classes.iter().map(|c| (c.clone(), 0)).collect();
    for t in &p.tables {
        for c in &t.columns {
            if c.class == "other" {
                continue;
            }
            let v = (t.rows as f64 * c.fill_rate.clamp(0.0, 1.0)).round() as u64;
            match out.iter_mut().find(|(k, _)| *k == c.class) {
                Some(slot) => slot.1 += v,
                None => out.push((c.class.clone(), v)),
            }
        }
    }
    // Plaintext passwords often hide inside a hash column: count them from the password census.
    if let Some(slot) = out.iter_mut().find(|(k, _)| k == "password") {
        slot.1 = slot.1.max(p.passwords.plaintext);
    }
    out
}

/// Number of columns across all tables.
pub(crate) fn column_count(p: &ScanProfile) -> usize {
    p.tables.iter().map(|t| t.columns.len()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::sample_profile;

    #[test]
    fn class_volumes_weight_rows_by_fill() {
        let p = sample_profile();
        let v = class_volumes(&p);
        let email = v.iter().find(|(c, _)| c == "email").unwrap().1;
        // customers: 1,104,312 rows × 98.6% fill.
        assert_eq!(email, (1_104_312f64 * 0.986).round() as u64);
        // Two timestamp columns add up.
        let ts = v.iter().find(|(c, _)| c == "timestamp").unwrap().1;
        assert_eq!(ts, 1_104_312 + 412_087);
        assert!(v.iter().all(|(c, _)| c != "other"));
    }

    #[test]
    fn people_states_method_and_error() {
        let mut p = sample_profile();
        assert_eq!(people(&p), "898,791 (exact count)");
        p.individuals.method = "hyperloglog".into();
        p.individuals.relative_error = 0.0081;
        assert_eq!(people(&p), "898,791 ± 0.8% (HyperLogLog estimate)");
    }

    #[test]
    fn age_falls_back_to_days() {
        let mut p = sample_profile();
        p.records.age_text = None;
        assert_eq!(
            age(&p).unwrap(),
            "newest record 556 days before discovery (2021-02-20)"
        );
        p.records.age_days = None;
        assert!(age(&p).is_none());
    }
}
