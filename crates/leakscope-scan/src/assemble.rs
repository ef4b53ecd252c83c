//! Turns the merged counts into the [`ScanProfile`] document.

use std::collections::BTreeSet;
use std::sync::Arc;

use leakscope_detect::DataClass;
use leakscope_formats::{Diagnostic, Severity, SourceInfo, TableInfo};
use leakscope_profile::{
    AlgorithmCount, ClassShare, ColumnProfile, CountryShare, DiagnosticSummary, Individuals,
    KeyCount, MonthCount, Passwords, RecordDates, ScanProfile, SourceSummary, TableProfile,
    TenantCount, Tenants, ToolInfo, SCAN_SCHEMA,
};

use crate::classes::{hibp_name, importance_rank, weak_algorithm, KEY_CLASSES};
use crate::countries::country_name;
use crate::dates::{age, format_ymd, now_rfc3339, Ymd};
use crate::hll::Hll;
use crate::plan::TablePlan;
use crate::sensitivity::{LeakFacts, RuleSet};
use crate::worker::{Partial, TableAcc, PEOPLE_HLL_P, SIGNAL_NAMES};

/// Share of a mixed column's values a class needs to count as present in the leak.
const MIXED_PRESENT: f64 = 0.2;
/// Share of free-text values with embedded PII for the class to count as present.
const EMBEDDED_PRESENT: f64 = 0.05;
/// Tenants listed.
const TOP_TENANTS: usize = 20;

/// A table at the end of a scan.
pub enum TableDone {
    /// Decided, with counts spread over the workers' partials.
    Open {
        /// As announced by the reader.
        info: TableInfo,
        /// Column decisions.
        plan: Arc<TablePlan>,
        /// Rows the reader skipped in it.
        rows_skipped: u64,
    },
    /// Already summarised by the worker that saw all its rows (a table that ended within its
    /// classification sample): its plan and counts are gone, so a dump of 200,000 small
    /// tables holds a profile entry per table, not a plan and counts.
    Finished(Box<TableSummary>),
}

/// One table's profile entry and what the leak-wide facts need of it.
#[derive(Debug, Clone)]
pub struct TableSummary {
    /// The table's profile entry.
    pub profile: TableProfile,
    /// Classes present in it.
    pub present: Vec<DataClass>,
    /// Its event-timestamp columns (`table.column`).
    pub ts_columns: Vec<String>,
    /// Its tenants, when it has a tenant column with values: (rows, tenants).
    pub tenant: Option<(u64, Tenants)>,
}

/// Inputs of [`assemble`].
pub struct Assembly {
    /// Tables in reading order.
    pub tables: Vec<TableDone>,
    /// All workers' counts.
    pub merged: Partial,
    /// Sources in reading order.
    pub sources: Vec<SourceInfo>,
    /// Reader diagnostics (already bounded), each with the number of problems it stands for.
    pub diagnostics: Vec<(Diagnostic, u64)>,
    /// Rows skipped according to the diagnostics.
    pub rows_skipped: u64,
    /// Exact number of people, when the exact set did not overflow.
    pub people_exact: Option<u64>,
    /// Exact number of distinct name-based keys, when that set did not overflow.
    pub names_exact: Option<u64>,
    /// Discovery date.
    pub found_on: Option<Ymd>,
    /// Raw examples were kept.
    pub reveal: bool,
}

/// Builds the profile.
pub fn assemble(a: Assembly) -> ScanProfile {
    let Assembly {
        tables,
        mut merged,
        sources,
        diagnostics,
        rows_skipped,
        people_exact,
        names_exact,
        found_on,
        reveal,
    } = a;
    let mut present: BTreeSet<DataClass> = BTreeSet::new();
    let mut table_profiles = Vec::with_capacity(tables.len());
    let mut ts_columns = Vec::new();
    let mut best_tenant: Option<(u64, Tenants)> = None;
    let mut total_rows = 0u64;
    let mut table_skipped = 0u64;
    // Each table's plan and counts are dropped once its profile entry is built, so a dump of
    // 200,000 tables does not hold both at once.
    for t in tables {
        let sum = match t {
            TableDone::Finished(sum) => *sum,
            TableDone::Open {
                info,
                plan,
                rows_skipped,
            } => {
                let acc = merged.tables.get_mut(plan.index).and_then(Option::take);
                summarise_table(&info, &plan, acc.as_deref(), rows_skipped)
            }
        };
        total_rows += sum.profile.rows;
        table_skipped += sum.profile.rows_skipped;
        present.extend(sum.present);
        ts_columns.extend(sum.ts_columns);
        if let Some((rows, tenants)) = sum.tenant {
            if best_tenant.as_ref().is_none_or(|(r, _)| rows > *r) {
                best_tenant = Some((rows, tenants));
            }
        }
        table_profiles.push(sum.profile);
    }

    let individuals = individuals(&merged, people_exact, names_exact);
    let countries = countries(&merged, people_exact.is_some());
    let records = records(&merged, ts_columns, found_on);
    let passwords = passwords(&merged);

    let mut data_classes: Vec<DataClass> = present.into_iter().collect();
    data_classes.sort_by_key(|&c| importance_rank(c));
    let mut hibp: Vec<String> = Vec::new();
    for name in data_classes.iter().filter_map(|&c| hibp_name(c)) {
        if !hibp.iter().any(|h| h == name) {
            hibp.push(name.to_string());
        }
    }
    let mut weak: Vec<&AlgorithmCount> = passwords
        .by_algorithm
        .iter()
        .filter(|a| a.weak && a.algorithm != "plaintext")
        .collect();
    weak.sort_by_key(|a| std::cmp::Reverse(a.count));
    let facts = LeakFacts {
        classes: data_classes.iter().copied().collect(),
        people: individuals.estimate,
        weak_passwords: passwords.fast_or_unsalted,
        weak_algorithms: weak.iter().map(|a| a.algorithm.clone()).collect(),
        plaintext_passwords: passwords.plaintext,
        strong_passwords: passwords
            .by_algorithm
            .iter()
            .filter(|a| !a.weak)
            .map(|a| a.count)
            .sum(),
    };
    let sensitivity = RuleSet::builtin().evaluate(&facts);

    let mut rows_of: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
    for t in &table_profiles {
        *rows_of.entry(t.source.as_str()).or_insert(0) += t.rows;
    }
    let source_summaries: Vec<SourceSummary> = sources
        .iter()
        .map(|s| SourceSummary {
            path: s.path.clone(),
            format: s.format.clone(),
            encoding: s.encoding.clone(),
            bytes: s.bytes,
            compression: s.compression.clone(),
            rows: rows_of.get(s.path.as_str()).copied().unwrap_or(0),
        })
        .collect();
    let diagnostics: Vec<_> = diagnostics.iter().map(|(d, n)| summarise(d, *n)).collect();
    let sensitivity = if total_rows == 0 {
        crate::empty::sensitivity(&crate::empty::why(&diagnostics, source_summaries.len()))
    } else {
        sensitivity
    };
    ScanProfile {
        schema: SCAN_SCHEMA.to_string(),
        tool: ToolInfo {
            name: "leakscope".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        generated_at: now_rfc3339(),
        found_on: found_on.map(format_ymd),
        rows: total_rows,
        rows_skipped: rows_skipped.max(table_skipped),
        bytes: sources.iter().map(|s| s.bytes).sum(),
        sources: source_summaries,
        tables: table_profiles,
        individuals,
        data_classes: data_classes.iter().map(|c| c.id().to_string()).collect(),
        data_classes_hibp: hibp,
        countries,
        records,
        tenants: best_tenant.map(|(_, t)| t),
        passwords,
        sensitivity,
        diagnostics,
        revealed: reveal,
    }
}

/// One table's profile entry from its plan and its (merged) counts.
pub fn summarise_table(
    info: &TableInfo,
    plan: &TablePlan,
    acc: Option<&TableAcc>,
    rows_skipped: u64,
) -> TableSummary {
    let mut present: BTreeSet<DataClass> = BTreeSet::new();
    let mut ts_columns = Vec::new();
    let mut tenant = None;
    let rows = acc.map_or(0, |a| a.rows);
    let mut columns = Vec::with_capacity(plan.columns.len());
    for (c, cp) in plan.columns.iter().enumerate() {
        let col = acc.and_then(|a| a.cols.get(c));
        let filled = col.map_or(0, |c| c.filled);
        let v = &cp.verdict;
        if filled > 0 && v.class != DataClass::Other {
            present.insert(v.class);
        }
        if filled > 0 {
            present.extend(v.mixed.iter().filter(|m| m.1 >= MIXED_PRESENT).map(|m| m.0));
            present.extend(
                v.embedded
                    .iter()
                    .filter(|m| m.1 >= EMBEDDED_PRESENT)
                    .map(|m| m.0),
            );
        }
        if v.class == DataClass::Timestamp && filled > 0 {
            ts_columns.push(format!("{}.{}", info.name, cp.name));
        }
        let validation_share = match col {
            Some(col) if cp.checked && col.filled > 0 => col.valid as f64 / col.filled as f64,
            _ => v.validation_share,
        };
        let shares = |xs: &[(DataClass, f64)]| {
            xs.iter()
                .map(|(c, s)| ClassShare {
                    class: c.id().to_string(),
                    share: *s,
                })
                .collect::<Vec<_>>()
        };
        columns.push(ColumnProfile {
            name: cp.name.clone(),
            class: v.class.id().to_string(),
            kind: v.kind.clone(),
            confidence: v.confidence,
            evidence: v.evidence.clone(),
            fill_rate: if rows > 0 {
                filled as f64 / rows as f64
            } else {
                0.0
            },
            // A sketch can overshoot on small columns: never more distinct values than filled cells.
            distinct_estimate: col.map_or(0, |c| c.distinct.estimate().min(c.filled)),
            validation_share,
            examples: cp.examples.clone(),
            mixed: shares(&v.mixed),
            embedded: shares(&v.embedded),
        });
    }
    if let (Some(tc), Some(acc)) = (plan.tenant_col, acc) {
        if let Some(counter) = &acc.tenants {
            let count = if counter.is_exact() {
                counter.tracked() as u64
            } else {
                acc.cols[tc].distinct.estimate()
            };
            let tenants = Tenants {
                column: format!("{}.{}", info.name, plan.columns[tc].name),
                count,
                top: counter
                    .top_labelled(TOP_TENANTS)
                    .into_iter()
                    .map(|(name, rows, label)| TenantCount { name, rows, label })
                    .collect(),
            };
            if count > 0 {
                tenant = Some((rows, tenants));
            }
        }
    }
    let profile = TableProfile {
        name: info.name.clone(),
        source: info.source.clone(),
        rows,
        rows_skipped,
        columns,
    };
    TableSummary {
        profile,
        present: present.into_iter().collect(),
        ts_columns,
        tenant,
    }
}

fn individuals(m: &Partial, exact: Option<u64>, names_exact: Option<u64>) -> Individuals {
    let keyed: u64 = m.keyed_by.iter().sum();
    if keyed == 0 && m.name_keyed_rows > 0 {
        // No identifier column anywhere: people told apart by their names (an approximation,
        // never an exact count).
        let (estimate, relative_error) = match names_exact {
            Some(n) => (n, 0.0),
            None => (m.name_people.estimate(), Hll::relative_error(PEOPLE_HLL_P)),
        };
        return Individuals {
            estimate,
            method: "names".into(),
            relative_error,
            keyed_by: vec![KeyCount {
                key: DataClass::PersonName.id().to_string(),
                rows: m.name_keyed_rows,
            }],
            rows_without_identifier: m.rows_without_identifier,
            basis: "names".into(),
        };
    }
    let (estimate, method, relative_error) = match exact {
        Some(n) => (n, "exact", 0.0),
        None => (
            m.people.estimate(),
            "hyperloglog",
            Hll::relative_error(PEOPLE_HLL_P),
        ),
    };
    let mut keyed_by: Vec<KeyCount> = KEY_CLASSES
        .iter()
        .zip(m.keyed_by)
        .filter(|(_, n)| *n > 0)
        .map(|(c, rows)| KeyCount {
            key: c.id().to_string(),
            rows,
        })
        .collect();
    keyed_by.sort_by_key(|k| DataClass::from_id(&k.key).map(importance_rank));
    Individuals {
        estimate,
        method: if keyed == 0 { "none" } else { method }.into(),
        relative_error,
        keyed_by,
        rows_without_identifier: m.rows_without_identifier,
        basis: if keyed == 0 { "none" } else { "identifiers" }.into(),
    }
}

fn countries(m: &Partial, exact: bool) -> Vec<CountryShare> {
    let mut v: Vec<(&str, u64, u8)> = m
        .countries
        .iter()
        .map(|(code, c)| {
            (
                *code,
                if exact {
                    c.exact_people
                } else {
                    c.people.estimate()
                },
                c.signals,
            )
        })
        .filter(|x| x.1 > 0)
        .collect();
    let known: u64 = v.iter().map(|x| x.1).sum();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    v.into_iter()
        .map(|(code, people, signals)| CountryShare {
            code: code.to_string(),
            name: country_name(code),
            people,
            share: people as f64 / known as f64,
            signals: SIGNAL_NAMES
                .iter()
                .enumerate()
                .filter(|(i, _)| signals & (1 << i) != 0)
                .map(|(_, s)| s.to_string())
                .collect(),
        })
        .collect()
}

fn records(m: &Partial, columns: Vec<String>, found_on: Option<Ymd>) -> RecordDates {
    let mut months: Vec<((i32, u32), u64)> = m.months.iter().map(|(k, v)| (*k, *v)).collect();
    months.sort();
    let (age_days, age_text) = match (m.newest, found_on) {
        (Some(n), Some(f)) => {
            let (d, t) = age(n, f);
            (Some(d), Some(t))
        }
        _ => (None, None),
    };
    RecordDates {
        oldest: m.oldest.map(format_ymd),
        newest: m.newest.map(format_ymd),
        columns,
        age_days,
        age_text,
        by_month: months
            .into_iter()
            .map(|((y, mo), count)| MonthCount {
                month: format!("{y:04}-{mo:02}"),
                count,
            })
            .collect(),
    }
}

fn passwords(m: &Partial) -> Passwords {
    let mut by: Vec<AlgorithmCount> = m
        .passwords
        .iter()
        .map(|(a, n)| AlgorithmCount {
            algorithm: a.clone(),
            count: *n,
            weak: weak_algorithm(a),
        })
        .collect();
    by.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.algorithm.cmp(&b.algorithm))
    });
    Passwords {
        total: by.iter().map(|a| a.count).sum(),
        plaintext: by
            .iter()
            .filter(|a| a.algorithm == "plaintext")
            .map(|a| a.count)
            .sum(),
        fast_or_unsalted: by
            .iter()
            .filter(|a| a.weak && a.algorithm != "plaintext")
            .map(|a| a.count)
            .sum(),
        by_algorithm: by,
    }
}

fn summarise(d: &Diagnostic, count: u64) -> DiagnosticSummary {
    let severity = match d.severity {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Error => "error",
    };
    let mut loc = String::new();
    if let Some(t) = &d.table {
        loc.push_str(&format!(" [table {t}"));
        if let Some(l) = d.line {
            loc.push_str(&format!(", line {l}"));
        }
        loc.push(']');
    } else if let Some(l) = d.line {
        loc.push_str(&format!(" [line {l}]"));
    } else if let Some(o) = d.offset {
        loc.push_str(&format!(" [byte {o}]"));
    }
    DiagnosticSummary {
        severity: severity.into(),
        code: d.code.clone(),
        message: format!("{}{loc}", d.message),
        source: d.source.clone(),
        rows_skipped: d.rows_skipped,
        count,
    }
}
