//! The serialisable partial profile, its merge, and [`finish`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

use leakscope_formats::{Diagnostic, Severity, SourceInfo};
use leakscope_profile::ScanProfile;
use serde::{Deserialize, Serialize};

use super::{PartialError, ScanPlan, PARTIAL_SCHEMA};
use crate::assemble::{assemble, Assembly, TableDone};
use crate::dates::Ymd;
use crate::hll::Hll;
use crate::oracle::Classifier;
use crate::scanner::BuiltinDetectors;
use crate::worker::{CountryAcc, Partial as Counts, TableAcc, COLUMN_HLL_P, PEOPLE_HLL_P};

/// Diagnostics a partial keeps (the first ones in a fixed order); the rest are counted.
pub const DIAGNOSTICS_KEPT: usize = 1000;

/// A source a partial read (see [`SourceInfo`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourcePart {
    /// Display path.
    pub path: String,
    /// Detected format.
    pub format: String,
    /// Detected encoding.
    pub encoding: Option<String>,
    /// Stored size of the whole source (a partial that read a byte range still says the whole).
    pub bytes: u64,
    /// Unpacking steps.
    pub compression: Vec<String>,
}

/// A reader diagnostic a partial kept (see [`Diagnostic`]); never holds raw values.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DiagnosticPart {
    /// Display path of the source.
    pub source: String,
    /// Stable code.
    pub code: String,
    /// `info`, `warning` or `error`.
    pub severity: String,
    /// Human message.
    pub message: String,
    /// Table, when inside one.
    pub table: Option<String>,
    /// 1-based line.
    pub line: Option<u64>,
    /// Byte offset.
    pub offset: Option<u64>,
    /// Rows skipped because of it.
    pub rows_skipped: u64,
}

/// Per-country counts of a partial.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct CountryPart {
    people: Hll,
    signals: u8,
}

/// Everything counted under one [`ScanPlan`] from some of the rows (`schema`
/// `leakscope.partial/1`). Merging is associative and commutative; [`finish`] turns the merge
/// of all partials into the profile.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Partial {
    /// `leakscope.partial/1`.
    pub schema: String,
    /// [`ScanPlan::fingerprint`] of the plan it was counted under.
    pub plan: u64,
    exact_limit: u64,
    tables: Vec<Option<Box<TableAcc>>>,
    tables_rows_skipped: Vec<u64>,
    people: Hll,
    keyed_by: [u64; 3],
    rows_without_identifier: u64,
    name_keyed_rows: u64,
    name_people: Hll,
    countries: BTreeMap<String, CountryPart>,
    oldest: Option<Ymd>,
    newest: Option<Ymd>,
    months: Vec<(i32, u32, u64)>,
    passwords: BTreeMap<String, u64>,
    /// Exact people keys with the country each was placed in; `None` once past the limit.
    people_keys: Option<BTreeMap<u64, Option<String>>>,
    /// Exact name-based keys; `None` once past the limit.
    name_keys: Option<Vec<u64>>,
    sources: Vec<SourcePart>,
    diagnostics: Vec<DiagnosticPart>,
    diagnostics_dropped: u64,
    rows_skipped_diag: u64,
}

/// The static ISO code for `code` (two upper-case ASCII letters), interned once per code.
pub(crate) fn static_country(code: &str) -> Result<&'static str, PartialError> {
    if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(PartialError::Malformed(format!(
            "{code:?} is not an ISO 3166-1 alpha-2 country code"
        )));
    }
    if let Some(c) = leakscope_detect::country::code(code) {
        if c == code {
            return Ok(c);
        }
    }
    // Codes outside the country table (at most 26² of them) are interned once each.
    static INTERNED: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut set = INTERNED
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(c) = set.get(code) {
        return Ok(c);
    }
    let c: &'static str = Box::leak(code.to_string().into_boxed_str());
    set.insert(c);
    Ok(c)
}

impl Partial {
    /// Nothing counted yet, under `plan`.
    pub fn empty(plan: &ScanPlan) -> Partial {
        Partial::from_counts(
            plan.fingerprint(),
            plan.exact_individuals_limit,
            Counts::default(),
        )
    }

    pub(crate) fn from_counts(plan: u64, exact_limit: u64, c: Counts) -> Partial {
        let mut months: Vec<(i32, u32, u64)> =
            c.months.iter().map(|(&(y, m), &n)| (y, m, n)).collect();
        months.sort_unstable();
        Partial {
            schema: PARTIAL_SCHEMA.to_string(),
            plan,
            exact_limit,
            tables_rows_skipped: vec![0; c.tables.len()],
            tables: c.tables,
            people: c.people,
            keyed_by: c.keyed_by,
            rows_without_identifier: c.rows_without_identifier,
            name_keyed_rows: c.name_keyed_rows,
            name_people: c.name_people,
            countries: c
                .countries
                .into_iter()
                .map(|(code, a)| {
                    (
                        code.to_string(),
                        CountryPart {
                            people: a.people,
                            signals: a.signals,
                        },
                    )
                })
                .collect(),
            oldest: c.oldest,
            newest: c.newest,
            months,
            passwords: c.passwords.into_iter().collect(),
            people_keys: Some(BTreeMap::new()),
            name_keys: Some(Vec::new()),
            sources: Vec::new(),
            diagnostics: Vec::new(),
            diagnostics_dropped: 0,
            rows_skipped_diag: 0,
        }
    }

    /// The counts in the workers' form (exact per-country people from the key set).
    fn to_counts(&self) -> Result<Counts, PartialError> {
        let mut c = Counts::default();
        c.tables = self.tables.clone();
        c.people = self.people.clone();
        c.keyed_by = self.keyed_by;
        c.rows_without_identifier = self.rows_without_identifier;
        c.name_keyed_rows = self.name_keyed_rows;
        c.name_people = self.name_people.clone();
        let mut exact: HashMap<&str, u64> = HashMap::new();
        if let Some(keys) = &self.people_keys {
            for code in keys.values().flatten() {
                *exact.entry(code.as_str()).or_insert(0) += 1;
            }
        }
        for (code, p) in &self.countries {
            c.countries.insert(
                static_country(code)?,
                CountryAcc {
                    exact_people: exact.get(code.as_str()).copied().unwrap_or(0),
                    people: p.people.clone(),
                    signals: p.signals,
                },
            );
        }
        c.oldest = self.oldest;
        c.newest = self.newest;
        c.months = self.months.iter().map(|&(y, m, n)| ((y, m), n)).collect();
        c.passwords = self
            .passwords
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        Ok(c)
    }

    /// Records the exact people keys (with countries) and name keys counted.
    pub(crate) fn set_keys(
        &mut self,
        people: Option<BTreeMap<u64, Option<String>>>,
        names: Option<Vec<u64>>,
    ) {
        self.people_keys = people;
        self.name_keys = names.map(|mut v| {
            v.sort_unstable();
            v.dedup();
            v
        });
        self.cap_keys();
    }

    /// Rows the reader skipped in table `index`.
    pub(crate) fn add_table_skipped(&mut self, index: usize, rows: u64) {
        if self.tables_rows_skipped.len() <= index {
            self.tables_rows_skipped.resize(index + 1, 0);
        }
        self.tables_rows_skipped[index] += rows;
    }

    /// A source read (kept once per path).
    pub(crate) fn add_source(&mut self, s: &SourceInfo) {
        let part = SourcePart {
            path: s.path.clone(),
            format: s.format.clone(),
            encoding: s.encoding.clone(),
            bytes: s.bytes,
            compression: s.compression.clone(),
        };
        self.merge_sources(vec![part]);
    }

    /// A reader diagnostic.
    pub(crate) fn add_diagnostic(&mut self, d: &Diagnostic) {
        self.rows_skipped_diag += d.rows_skipped;
        let part = DiagnosticPart {
            source: d.source.clone(),
            code: d.code.clone(),
            severity: match d.severity {
                Severity::Info => "info",
                Severity::Warning => "warning",
                Severity::Error => "error",
            }
            .to_string(),
            message: d.message.clone(),
            table: d.table.clone(),
            line: d.line,
            offset: d.offset,
            rows_skipped: d.rows_skipped,
        };
        self.diagnostics.push(part);
        if self.diagnostics.len() > 2 * DIAGNOSTICS_KEPT {
            self.bound_diagnostics();
        }
    }

    fn bound_diagnostics(&mut self) {
        self.diagnostics.sort();
        if self.diagnostics.len() > DIAGNOSTICS_KEPT {
            self.diagnostics_dropped += (self.diagnostics.len() - DIAGNOSTICS_KEPT) as u64;
            self.diagnostics.truncate(DIAGNOSTICS_KEPT);
        }
    }

    fn merge_sources(&mut self, other: Vec<SourcePart>) {
        for s in other {
            match self.sources.binary_search_by(|x| x.path.cmp(&s.path)) {
                Ok(i) => {
                    // The same source read in ranges by several partials: one source, the
                    // largest size any of them saw (each says the whole size).
                    if s.bytes > self.sources[i].bytes {
                        self.sources[i] = s;
                    }
                }
                Err(i) => self.sources.insert(i, s),
            }
        }
    }

    fn cap_keys(&mut self) {
        let limit = self.exact_limit;
        if self
            .people_keys
            .as_ref()
            .is_some_and(|k| k.len() as u64 > limit)
        {
            self.people_keys = None;
        }
        if self
            .name_keys
            .as_ref()
            .is_some_and(|k| k.len() as u64 > limit)
        {
            self.name_keys = None;
        }
    }

    /// Sets the stored size of source `path` (a partial that read a byte range of a file
    /// records the whole file's size, so merged partials report the file once, whole).
    pub fn set_source_bytes(&mut self, path: &str, bytes: u64) {
        if let Some(s) = self.sources.iter_mut().find(|s| s.path == path) {
            s.bytes = bytes;
        }
    }

    /// Rows counted.
    pub fn rows(&self) -> u64 {
        self.tables.iter().flatten().map(|t| t.rows).sum()
    }

    /// Adds everything `other` counted. Fails when `other` was counted under another plan.
    pub fn merge(&mut self, other: Partial) -> Result<(), PartialError> {
        if other.plan != self.plan || other.exact_limit != self.exact_limit {
            return Err(PartialError::PlanMismatch);
        }
        let mut mine = self.to_counts()?;
        let theirs = other.to_counts()?;
        mine.merge(theirs);
        let mut merged = Partial::from_counts(self.plan, self.exact_limit, mine);
        merged.tables_rows_skipped = std::mem::take(&mut self.tables_rows_skipped);
        for (i, n) in other.tables_rows_skipped.iter().enumerate() {
            merged.add_table_skipped(i, *n);
        }
        merged.people_keys = match (self.people_keys.take(), other.people_keys) {
            (Some(mut a), Some(b)) => {
                for (k, c) in b {
                    match a.get_mut(&k) {
                        // Seen in both: the smaller known country (a fixed order, so merging
                        // in any order agrees; people rarely change country between rows).
                        Some(mine) => {
                            if let Some(c) = c {
                                if mine.as_ref().is_none_or(|m| c < *m) {
                                    *mine = Some(c);
                                }
                            }
                        }
                        None => {
                            a.insert(k, c);
                        }
                    }
                }
                Some(a)
            }
            _ => None,
        };
        merged.name_keys = match (self.name_keys.take(), other.name_keys) {
            (Some(mut a), Some(b)) => {
                a.extend(b);
                a.sort_unstable();
                a.dedup();
                Some(a)
            }
            _ => None,
        };
        merged.cap_keys();
        merged.sources = std::mem::take(&mut self.sources);
        merged.merge_sources(other.sources);
        merged.diagnostics = std::mem::take(&mut self.diagnostics);
        merged.diagnostics.extend(other.diagnostics);
        merged.diagnostics_dropped = self.diagnostics_dropped + other.diagnostics_dropped;
        merged.bound_diagnostics();
        merged.rows_skipped_diag = self.rows_skipped_diag + other.rows_skipped_diag;
        *self = merged;
        Ok(())
    }

    /// The partial as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a partial always serialises")
    }

    /// A partial from JSON, checked for consistency (schema, sketch sizes, country codes).
    pub fn from_json(text: &str) -> Result<Partial, PartialError> {
        let p: Partial =
            serde_json::from_str(text).map_err(|e| PartialError::Json(e.to_string()))?;
        if p.schema != PARTIAL_SCHEMA {
            return Err(PartialError::Schema {
                expected: PARTIAL_SCHEMA,
                found: p.schema,
            });
        }
        p.validate()?;
        Ok(p)
    }

    fn validate(&self) -> Result<(), PartialError> {
        let bad = |what: &str| Err(PartialError::Malformed(what.to_string()));
        let sketch = |h: &Hll, p: u8| h.is_well_formed() && h.precision() == p;
        if !sketch(&self.people, PEOPLE_HLL_P) || !sketch(&self.name_people, PEOPLE_HLL_P) {
            return bad("a people sketch has the wrong size");
        }
        for t in self.tables.iter().flatten() {
            if !t.cols.iter().all(|c| sketch(&c.distinct, COLUMN_HLL_P)) {
                return bad("a column sketch has the wrong size");
            }
        }
        for (code, c) in &self.countries {
            static_country(code)?;
            if !sketch(&c.people, COLUMN_HLL_P) {
                return bad("a country sketch has the wrong size");
            }
        }
        if let Some(keys) = &self.people_keys {
            for code in keys.values().flatten() {
                static_country(code)?;
            }
        }
        Ok(())
    }

    /// Checks that the partial fits `plan` (same plan, no table beyond it).
    fn check_plan(&self, plan: &ScanPlan, fingerprint: u64) -> Result<(), PartialError> {
        if self.plan != fingerprint {
            return Err(PartialError::PlanMismatch);
        }
        for (i, t) in self.tables.iter().enumerate() {
            let Some(t) = t else { continue };
            match plan.tables.get(i) {
                Some(pt) if t.cols.len() <= pt.columns.len() => {}
                _ => return Err(PartialError::PlanMismatch),
            }
        }
        Ok(())
    }
}

/// The profile of everything `partials` counted under `plan` (built-in detectors).
pub fn finish(
    plan: &ScanPlan,
    partials: impl IntoIterator<Item = Partial>,
) -> Result<ScanProfile, PartialError> {
    finish_with(plan, partials, &BuiltinDetectors)
}

/// [`finish`] with another classifier (the one the partials were counted with).
pub fn finish_with(
    plan: &ScanPlan,
    partials: impl IntoIterator<Item = Partial>,
    classifier: &dyn Classifier,
) -> Result<ScanProfile, PartialError> {
    let fingerprint = plan.fingerprint();
    let mut all = Partial::empty(plan);
    for p in partials {
        p.check_plan(plan, fingerprint)?;
        all.merge(p)?;
    }
    let table_plans = plan.table_plans(classifier)?;
    let mut counts = all.to_counts()?;
    // Scan-level per-table figures the assembly reads from the merged counts.
    let tables: Vec<TableDone> = table_plans
        .into_iter()
        .enumerate()
        .map(|(i, tp)| TableDone::Open {
            info: plan.table_info(i).expect("index within the plan"),
            plan: Arc::clone(&tp),
            rows_skipped: all.tables_rows_skipped.get(i).copied().unwrap_or(0),
        })
        .collect();
    counts.tables.resize_with(plan.tables.len(), || None);
    // Sources in the plan's reading order, then the others by path.
    let first_table = |path: &str| {
        plan.tables
            .iter()
            .position(|t| t.source == path)
            .unwrap_or(usize::MAX)
    };
    let mut sources = all.sources.clone();
    sources.sort_by(|a, b| {
        first_table(&a.path)
            .cmp(&first_table(&b.path))
            .then_with(|| a.path.cmp(&b.path))
    });
    let sources: Vec<SourceInfo> = sources
        .into_iter()
        .map(|s| SourceInfo {
            path: s.path,
            format: s.format,
            encoding: s.encoding,
            bytes: s.bytes,
            compression: s.compression,
        })
        .collect();
    let mut diagnostics: Vec<(Diagnostic, u64)> = all
        .diagnostics
        .iter()
        .map(|d| (diagnostic_of(d), 1))
        .collect();
    if all.diagnostics_dropped > 0 {
        diagnostics.push((
            Diagnostic {
                severity: Severity::Info,
                code: "diagnostics-not-listed".into(),
                message: format!(
                    "{} more diagnostics not listed individually",
                    all.diagnostics_dropped
                ),
                source: String::new(),
                table: None,
                line: None,
                offset: None,
                rows_skipped: 0,
            },
            all.diagnostics_dropped,
        ));
    }
    Ok(assemble(Assembly {
        tables,
        merged: counts,
        sources,
        diagnostics,
        rows_skipped: all.rows_skipped_diag,
        people_exact: all.people_keys.as_ref().map(|k| k.len() as u64),
        names_exact: all.name_keys.as_ref().map(|k| k.len() as u64),
        found_on: plan.found_on.as_deref().and_then(crate::dates::parse_ymd),
        reveal: plan.reveal,
    }))
}

fn diagnostic_of(d: &DiagnosticPart) -> Diagnostic {
    Diagnostic {
        severity: match d.severity.as_str() {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            _ => Severity::Info,
        },
        code: d.code.clone(),
        message: d.message.clone(),
        source: d.source.clone(),
        table: d.table.clone(),
        line: d.line,
        offset: d.offset,
        rows_skipped: d.rows_skipped,
    }
}
