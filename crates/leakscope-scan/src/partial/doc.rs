//! The serialisable scan plan: every table's column decisions from a sample, and how to build
//! one (from sampled batches, or by sampling paths).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use leakscope_detect::{ColumnVerdict, CountryContext, CountrySignal, DataClass};
use leakscope_formats::{read_paths, Flow, ReadOptions, RowBatch, Sink, SourceInfo, TableInfo};
use serde::{Deserialize, Serialize};

use super::{PartialError, PLAN_SCHEMA};
use crate::oracle::Classifier;
use crate::plan::{ColumnPlan, TablePlan};
use crate::scanner::BuiltinDetectors;
use crate::{ScanError, ScanOptions};

/// Where a phone column's row country comes from (see [`CountrySignal`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "signal", content = "column", rename_all = "snake_case")]
pub enum SignalDoc {
    /// A column naming the country.
    CountryColumn(usize),
    /// An e-mail column (country-code TLDs).
    Email(usize),
    /// An address column.
    Address(usize),
}

/// A phone column's country context (see [`CountryContext`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountryDoc {
    /// Signals tried in order for each row.
    pub signals: Vec<SignalDoc>,
    /// The table's majority country (ISO 3166-1 alpha-2).
    pub default: Option<String>,
}

/// A column verdict as stored in a plan (see [`ColumnVerdict`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerdictDoc {
    /// Winning class.
    pub class: DataClass,
    /// Sub-kind (ID kind, hash algorithm, card brand).
    pub kind: Option<String>,
    /// 0.0–1.0.
    pub confidence: f64,
    /// One line, no raw values.
    pub evidence: String,
    /// Share of sampled non-empty values that validated.
    pub validation_share: f64,
    /// Other classes of a mixed column with their shares.
    pub mixed: Vec<(DataClass, f64)>,
    /// PII embedded in free text with the share of values containing it.
    pub embedded: Vec<(DataClass, f64)>,
    /// Country context of a phone column.
    pub country: Option<CountryDoc>,
}

/// One column's decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnDecision {
    /// Header or `col_N`.
    pub name: String,
    /// Whether every cell is validated.
    pub checked: bool,
    /// Up to three examples, masked unless the plan reveals.
    pub examples: Vec<String>,
    /// The detector's verdict from the sample.
    pub verdict: VerdictDoc,
}

/// One table of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedTable {
    /// Table name (SQL table, sheet, file stem).
    pub name: String,
    /// Display path of its source.
    pub source: String,
    /// Detected format of its source.
    pub format: Option<String>,
    /// Column headers when it was decided.
    pub headers: Vec<String>,
    /// Whether the headers came from the data.
    pub has_header_row: bool,
    /// Column decisions in order.
    pub columns: Vec<ColumnDecision>,
}

/// Every table's column decisions, made once from a sample, and the options every partial
/// must count under (`schema` `leakscope.plan/1`, documented in `docs/scale.md`).
///
/// The plan holds the run's secret `seed`: people keys are keyed hashes under it. Treat a
/// serialised plan like the run's key (it holds no raw values unless `reveal`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanPlan {
    /// `leakscope.plan/1`.
    pub schema: String,
    /// Secret seed of the people keys (random per plan).
    pub seed: u64,
    /// Discovery date, `YYYY-MM-DD`.
    pub found_on: Option<String>,
    /// Raw examples kept.
    pub reveal: bool,
    /// Distinct people counted exactly (over all merged partials) before HyperLogLog.
    pub exact_individuals_limit: u64,
    /// Rows each table's decision was made from (at most).
    pub sample_rows: usize,
    /// Tables in reading order.
    pub tables: Vec<PlannedTable>,
}

/// A table's sample, as input of [`ScanPlan::decide`].
#[derive(Debug, Clone)]
pub struct SampledTable {
    /// The table.
    pub info: TableInfo,
    /// Its source's detected format.
    pub format: Option<String>,
    /// Its first batches (only the first `sample_rows` rows are looked at).
    pub batches: Vec<RowBatch>,
}

impl ScanPlan {
    /// Decides every sampled table's columns with the built-in detectors.
    pub fn decide(tables: &[SampledTable], opts: &ScanOptions) -> Result<ScanPlan, ScanError> {
        Self::decide_with(tables, opts, &BuiltinDetectors)
    }

    /// [`ScanPlan::decide`] with another classifier.
    pub fn decide_with(
        tables: &[SampledTable],
        opts: &ScanOptions,
        classifier: &dyn Classifier,
    ) -> Result<ScanPlan, ScanError> {
        if let Some(s) = &opts.found_on {
            if crate::dates::parse_ymd(s.trim()).is_none() {
                return Err(ScanError::InvalidFoundOn(s.clone()));
            }
        }
        let address = Arc::new(classifier.prepare(DataClass::Address, None));
        let planned = tables
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let plan = TablePlan::decide_with(
                    i,
                    &t.info,
                    t.format.as_deref(),
                    &t.batches,
                    opts.sample_rows,
                    classifier,
                    opts.reveal,
                    None,
                    &address,
                );
                PlannedTable {
                    name: t.info.name.clone(),
                    source: t.info.source.clone(),
                    format: t.format.clone(),
                    headers: t.info.headers.clone(),
                    has_header_row: t.info.has_header_row,
                    columns: plan.columns.iter().map(decision_of).collect(),
                }
            })
            .collect();
        Ok(ScanPlan {
            schema: PLAN_SCHEMA.to_string(),
            seed: std::hash::BuildHasher::hash_one(
                &std::collections::hash_map::RandomState::new(),
                0x706c_616e_u64,
            ),
            found_on: opts.found_on.as_ref().map(|s| s.trim().to_string()),
            reveal: opts.reveal,
            exact_individuals_limit: opts.exact_individuals_limit,
            sample_rows: opts.sample_rows.max(1),
            tables: planned,
        })
    }

    /// The plan as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("a plan always serialises")
    }

    /// A plan from JSON, checked (schema, country codes, a valid `found_on`).
    pub fn from_json(text: &str) -> Result<ScanPlan, PartialError> {
        let plan: ScanPlan =
            serde_json::from_str(text).map_err(|e| PartialError::Json(e.to_string()))?;
        if plan.schema != PLAN_SCHEMA {
            return Err(PartialError::Schema {
                expected: PLAN_SCHEMA,
                found: plan.schema,
            });
        }
        if let Some(s) = &plan.found_on {
            if crate::dates::parse_ymd(s).is_none() {
                return Err(PartialError::Options(format!(
                    "found_on must be a date YYYY-MM-DD (got {s:?})"
                )));
            }
        }
        // Resolving the columns checks their country codes.
        plan.table_plans(&BuiltinDetectors)?;
        Ok(plan)
    }

    /// A fingerprint of the plan: partials remember it, and only partials of the same plan merge.
    pub fn fingerprint(&self) -> u64 {
        crate::hll::fast_hash(self.to_json().as_bytes())
    }

    /// Index of the table `name` of source `source`.
    pub fn table_index(&self, source: &str, name: &str) -> Option<usize> {
        self.tables
            .iter()
            .position(|t| t.source == source && t.name == name)
    }

    /// The workers' form of every table's plan (checks resolved by `classifier`).
    pub fn table_plans(
        &self,
        classifier: &dyn Classifier,
    ) -> Result<Vec<Arc<TablePlan>>, PartialError> {
        let address = Arc::new(classifier.prepare(DataClass::Address, None));
        self.tables
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let columns = t
                    .columns
                    .iter()
                    .map(|c| {
                        let verdict = verdict_of(&c.verdict, t.columns.len())?;
                        let check = classifier.prepare(verdict.class, verdict.kind.as_deref());
                        Ok(ColumnPlan {
                            name: c.name.clone(),
                            verdict,
                            checked: c.checked,
                            examples: c.examples.clone(),
                            check,
                        })
                    })
                    .collect::<Result<Vec<_>, PartialError>>()?;
                Ok(Arc::new(TablePlan::from_columns(i, columns, &address)))
            })
            .collect()
    }

    /// The table as the reader would announce it (id = its index in the plan).
    pub fn table_info(&self, index: usize) -> Option<TableInfo> {
        self.tables.get(index).map(|t| TableInfo {
            id: index as u32,
            name: t.name.clone(),
            source: t.source.clone(),
            headers: t.headers.clone(),
            has_header_row: t.has_header_row,
        })
    }
}

fn decision_of(c: &ColumnPlan) -> ColumnDecision {
    let v = &c.verdict;
    ColumnDecision {
        name: c.name.clone(),
        checked: c.checked,
        examples: c.examples.clone(),
        verdict: VerdictDoc {
            class: v.class,
            kind: v.kind.clone(),
            confidence: v.confidence,
            evidence: v.evidence.clone(),
            validation_share: v.validation_share,
            mixed: v.mixed.clone(),
            embedded: v.embedded.clone(),
            country: v.country.as_ref().map(|cc| CountryDoc {
                signals: cc
                    .signals
                    .iter()
                    .map(|s| match *s {
                        CountrySignal::CountryColumn(c) => SignalDoc::CountryColumn(c),
                        CountrySignal::Email(c) => SignalDoc::Email(c),
                        CountrySignal::Address(c) => SignalDoc::Address(c),
                    })
                    .collect(),
                default: cc.default.map(str::to_string),
            }),
        },
    }
}

fn verdict_of(v: &VerdictDoc, width: usize) -> Result<ColumnVerdict, PartialError> {
    let country = match &v.country {
        None => None,
        Some(cc) => {
            let default = match &cc.default {
                None => None,
                Some(code) => Some(super::state::static_country(code)?),
            };
            let signals = cc
                .signals
                .iter()
                .map(|s| {
                    let (sig, c) = match *s {
                        SignalDoc::CountryColumn(c) => (CountrySignal::CountryColumn(c), c),
                        SignalDoc::Email(c) => (CountrySignal::Email(c), c),
                        SignalDoc::Address(c) => (CountrySignal::Address(c), c),
                    };
                    if c >= width {
                        return Err(PartialError::Malformed(format!(
                            "country signal names column {c} of a table of {width}"
                        )));
                    }
                    Ok(sig)
                })
                .collect::<Result<Vec<_>, _>>()?;
            Some(CountryContext { signals, default })
        }
    };
    Ok(ColumnVerdict {
        class: v.class,
        kind: v.kind.clone(),
        confidence: v.confidence,
        evidence: v.evidence.clone(),
        validation_share: v.validation_share,
        mixed: v.mixed.clone(),
        embedded: v.embedded.clone(),
        country,
    })
}

/// Reads `paths` once, keeping the first `opts.sample_rows` rows (and at most
/// `opts.sample_bytes` of text) of every table, and decides a plan from them with the built-in
/// detectors. With `stop_after_bytes`, reading each path stops once that much cell text was
/// seen in it (the head of a huge file is enough for its columns); the plan then covers the
/// tables found so far, and partials report rows of other tables as not planned.
pub fn plan_paths(
    paths: &[PathBuf],
    read: &ReadOptions,
    opts: &ScanOptions,
    stop_after_bytes: Option<u64>,
) -> Result<ScanPlan, ScanError> {
    let mut sampler = Sampler {
        sample_rows: opts.sample_rows.max(1),
        sample_bytes: opts.sample_bytes,
        stop_after_bytes,
        seen_bytes: 0,
        formats: HashMap::new(),
        tables: Vec::new(),
        by_id: HashMap::new(),
    };
    match stop_after_bytes {
        None => {
            read_paths(paths, read, &mut sampler);
        }
        Some(_) => {
            for p in paths {
                // Each read numbers its tables from 0.
                sampler.by_id.clear();
                sampler.seen_bytes = 0;
                read_paths(std::slice::from_ref(p), read, &mut sampler);
            }
        }
    }
    ScanPlan::decide(&sampler.tables, opts)
}

/// A sink keeping each table's sample.
struct Sampler {
    sample_rows: usize,
    sample_bytes: usize,
    stop_after_bytes: Option<u64>,
    seen_bytes: u64,
    formats: HashMap<String, String>,
    tables: Vec<SampledTable>,
    by_id: HashMap<u32, usize>,
}

impl Sampler {
    fn index(&mut self, t: &TableInfo) -> usize {
        if let Some(&i) = self.by_id.get(&t.id) {
            return i;
        }
        self.tables.push(SampledTable {
            info: t.clone(),
            format: self.formats.get(&t.source).cloned(),
            batches: Vec::new(),
        });
        self.by_id.insert(t.id, self.tables.len() - 1);
        self.tables.len() - 1
    }
}

impl Sink for Sampler {
    fn begin_source(&mut self, source: &SourceInfo) {
        self.formats
            .insert(source.path.clone(), source.format.clone());
    }

    fn begin_table(&mut self, table: &TableInfo) {
        self.index(table);
    }

    fn headers_extended(&mut self, table: &TableInfo, _from: usize) {
        let i = self.index(table);
        let rows: usize = self.tables[i].batches.iter().map(RowBatch::len).sum();
        // Headers that grow within the sample are part of the decision.
        if rows < self.sample_rows {
            self.tables[i].info.headers = table.headers.clone();
        }
    }

    fn rows(&mut self, table: &TableInfo, batch: RowBatch) -> Flow {
        let i = self.index(table);
        self.seen_bytes += batch.text_bytes() as u64;
        let t = &mut self.tables[i];
        let rows: usize = t.batches.iter().map(RowBatch::len).sum();
        let bytes: usize = t.batches.iter().map(RowBatch::text_bytes).sum();
        if rows < self.sample_rows && bytes < self.sample_bytes {
            t.batches.push(batch);
        }
        match self.stop_after_bytes {
            Some(limit) if self.seen_bytes >= limit => Flow::Stop,
            _ => Flow::Continue,
        }
    }
}
