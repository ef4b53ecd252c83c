//! Realistic, filled-in profiles built in code, for tests, demos and documentation.
//!
//! The figures mirror real cases (a Singapore grocery database; a Vietnamese shop platform) but
//! every name, example and count here is invented; examples are already masked.

mod sg;
mod vn;

use crate::model::*;

pub use sg::sample_profile;
pub use vn::sample_vn_platform;

/// The profile of a scan that read nothing (no sources, no rows): every list empty, level low.
/// Renderers must cope with it; the scan engine can also start from it.
pub fn empty_profile() -> ScanProfile {
    ScanProfile {
        schema: SCAN_SCHEMA.into(),
        tool: tool(),
        generated_at: "2026-11-22T04:30:00Z".into(),
        found_on: None,
        rows: 0,
        rows_skipped: 0,
        bytes: 0,
        sources: Vec::new(),
        tables: Vec::new(),
        individuals: Individuals {
            estimate: 0,
            method: "exact".into(),
            relative_error: 0.0,
            keyed_by: Vec::new(),
            rows_without_identifier: 0,
            basis: "identifiers".into(),
        },
        data_classes: Vec::new(),
        data_classes_hibp: Vec::new(),
        countries: Vec::new(),
        records: RecordDates::default(),
        tenants: None,
        passwords: Passwords::default(),
        sensitivity: Sensitivity {
            level: Level::Low,
            reasons: Vec::new(),
        },
        diagnostics: Vec::new(),
        revealed: false,
    }
}

/// Shorthand for one column profile.
#[allow(clippy::too_many_arguments)]
pub(crate) fn col(
    name: &str,
    class: &str,
    kind: Option<&str>,
    confidence: f64,
    fill_rate: f64,
    distinct_estimate: u64,
    examples: &[&str],
    evidence: &str,
) -> ColumnProfile {
    ColumnProfile {
        name: name.to_string(),
        class: class.to_string(),
        kind: kind.map(str::to_string),
        confidence,
        evidence: evidence.to_string(),
        fill_rate,
        distinct_estimate,
        validation_share: if class == "other" {
            0.0
        } else {
            confidence.min(0.999)
        },
        examples: examples.iter().map(|s| s.to_string()).collect(),
        mixed: Vec::new(),
        embedded: Vec::new(),
    }
}

/// Shorthand for one sensitivity reason.
pub(crate) fn reason(code: &str, level: Level, text: &str) -> Reason {
    Reason {
        code: code.to_string(),
        level,
        text: text.to_string(),
    }
}

/// Shorthand for one country share; `people` is derived from the share of `known` people.
pub(crate) fn country(
    code: &str,
    name: &str,
    share: f64,
    known: u64,
    signals: &[&str],
) -> CountryShare {
    CountryShare {
        code: code.to_string(),
        name: name.to_string(),
        people: (share * known as f64).round() as u64,
        share,
        signals: signals.iter().map(|s| s.to_string()).collect(),
    }
}

/// Consecutive months from (`year`, `month`) with counts from `count(i)`.
pub(crate) fn months(
    year: i32,
    month: u32,
    n: usize,
    count: impl Fn(usize) -> u64,
) -> Vec<MonthCount> {
    (0..n)
        .map(|i| {
            let m0 = (month - 1) as usize + i;
            let y = year + (m0 / 12) as i32;
            let m = m0 % 12 + 1;
            MonthCount {
                month: format!("{y:04}-{m:02}"),
                count: count(i),
            }
        })
        .collect()
}

/// The tool block of the samples.
pub(crate) fn tool() -> ToolInfo {
    ToolInfo {
        name: "leakscope".to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Consistency checks a real scan would satisfy; they keep the samples honest.
    fn check_consistent(p: &ScanProfile) {
        assert_eq!(p.schema, SCAN_SCHEMA);
        let table_rows: u64 = p.tables.iter().map(|t| t.rows).sum();
        assert_eq!(p.rows, table_rows, "rows = sum of table rows");
        let source_rows: u64 = p.sources.iter().map(|s| s.rows).sum();
        assert_eq!(p.rows, source_rows, "rows = sum of source rows");
        let skipped: u64 = p.tables.iter().map(|t| t.rows_skipped).sum();
        assert_eq!(p.rows_skipped, skipped);
        let diag_skipped: u64 = p.diagnostics.iter().map(|d| d.rows_skipped).sum();
        assert_eq!(
            p.rows_skipped, diag_skipped,
            "every skipped row is explained"
        );
        let bytes: u64 = p.sources.iter().map(|s| s.bytes).sum();
        assert_eq!(p.bytes, bytes);
        let keyed: u64 = p.individuals.keyed_by.iter().map(|k| k.rows).sum();
        assert_eq!(keyed + p.individuals.rows_without_identifier, p.rows);
        let share: f64 = p.countries.iter().map(|c| c.share).sum();
        assert!(
            (share - 1.0).abs() < 1e-6,
            "country shares sum to 1, got {share}"
        );
        assert!(p.countries.windows(2).all(|w| w[0].share >= w[1].share));
        let by_month: u64 = p.records.by_month.iter().map(|m| m.count).sum();
        assert!(by_month > 0 && by_month <= p.rows);
        assert_eq!(
            p.records.by_month.first().map(|m| &m.month[..7]),
            p.records.oldest.as_deref().map(|d| &d[..7])
        );
        assert_eq!(
            p.records.by_month.last().map(|m| &m.month[..7]),
            p.records.newest.as_deref().map(|d| &d[..7])
        );
        let algos: u64 = p.passwords.by_algorithm.iter().map(|a| a.count).sum();
        assert_eq!(algos, p.passwords.total);
        let weak: u64 = p
            .passwords
            .by_algorithm
            .iter()
            .filter(|a| a.weak && a.algorithm != "plaintext")
            .map(|a| a.count)
            .sum();
        assert_eq!(weak, p.passwords.fast_or_unsalted);
        let top = p.sensitivity.reasons.iter().map(|r| r.level).max();
        assert_eq!(top, Some(p.sensitivity.level));
        assert!(p
            .sensitivity
            .reasons
            .windows(2)
            .all(|w| w[0].level >= w[1].level));
        for t in &p.tables {
            for c in &t.columns {
                assert!(c.examples.len() <= 3);
                assert!((0.0..=1.0).contains(&c.fill_rate) && (0.0..=1.0).contains(&c.confidence));
                assert!(c.distinct_estimate <= t.rows);
                if c.class != "other" {
                    assert!(
                        p.data_classes.contains(&c.class),
                        "{} listed in data_classes",
                        c.class
                    );
                }
            }
        }
        assert!(!p.revealed);
    }

    #[test]
    fn singapore_sample_is_consistent() {
        let p = sample_profile();
        check_consistent(&p);
        assert_eq!(p.individuals.estimate, 898_791);
        assert_eq!(p.tables.len(), 2);
        assert_eq!(p.tables.iter().map(|t| t.columns.len()).sum::<usize>(), 12);
        assert_eq!(p.countries[0].code, "SG");
        assert!(p.records.by_month.len() >= 24);
        assert!(p.tenants.is_none());
    }

    #[test]
    fn vietnamese_sample_is_consistent() {
        let p = sample_vn_platform();
        check_consistent(&p);
        let t = p.tenants.as_ref().expect("tenants");
        assert_eq!(t.count, 1_500);
        assert_eq!(t.top.len(), 20);
        assert!(t.top.windows(2).all(|w| w[0].rows >= w[1].rows));
        assert_eq!(p.individuals.method, "hyperloglog");
        assert!(p.individuals.relative_error > 0.0);
    }
}
