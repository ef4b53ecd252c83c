//! Reads leaks of any format through the shared reader (`leakscope_formats::read_paths`),
//! classifies each table's columns with the shared detectors on a sample of rows, and feeds
//! normalised identifiers, plaintext passwords and data classes to an [`Ingest`].

use crate::ingest::{Ingest, IngestOptions, Item, Prepared};
use leakscope_detect::{DataClass, Detectors};
use leakscope_formats::{
    Diagnostic, Flow, ReadOptions, RowBatch, Severity, Sink, TableInfo, TableStats,
};
use leakscope_keys::{IdKind, Secret};
use std::path::PathBuf;

/// Rows sampled per table before its columns are classified.
const SAMPLE_ROWS: usize = 500;

/// What a read found, beyond the identifiers.
#[derive(Debug, Default, Clone, Copy)]
pub struct ReadStats {
    /// Sources opened.
    pub sources: u64,
    /// Sources that could not be read at all.
    pub sources_failed: u64,
    /// Rows read.
    pub rows: u64,
    /// Rows skipped by the reader (each reported as a diagnostic).
    pub rows_skipped: u64,
    /// Cells in identifier columns that did not validate (not stored).
    pub rejected: u64,
    /// Reader warnings and errors.
    pub problems: u64,
}

/// What to do with one column.
#[derive(Debug, Clone, PartialEq)]
enum Action {
    Id(IdKind, DataClass, Option<String>),
    Password,
    Skip,
}

fn action_for(class: DataClass, kind: Option<String>) -> Action {
    match class {
        DataClass::Email => Action::Id(IdKind::Email, class, None),
        DataClass::Phone => Action::Id(IdKind::Phone, class, None),
        DataClass::NationalId => Action::Id(IdKind::NationalId, class, kind),
        DataClass::Username => Action::Id(IdKind::Username, class, None),
        DataClass::Password => Action::Password,
        _ => Action::Skip,
    }
}

/// Normalises one identifier cell with the shared canonical forms of
/// `leakscope_detect::normalize` (`kind:VALUE` for national IDs). `id_kind`, the kind a column or
/// a user named, does not change a national ID's key: the kind is taken from the value, so the same
/// ID hashes the same here and in `leakscope verify`.
pub fn normalize_cell(kind: IdKind, id_kind: Option<&str>, value: &str) -> Option<String> {
    let d = Detectors::builtin();
    match kind {
        IdKind::Email => crate::normalize::email(value),
        IdKind::Phone => d.check_value(DataClass::Phone, None, value)?.normalized,
        IdKind::NationalId => {
            let _named_kind_is_not_part_of_the_key = id_kind;
            crate::normalize::national_id(value)
        }
        IdKind::Username => crate::normalize::username(value),
    }
}

struct CorpusSink<'a> {
    ing: Ingest<'a>,
    stats: ReadStats,
    sample: Vec<Vec<String>>,
    actions: Option<Vec<Action>>,
}

impl CorpusSink<'_> {
    fn classify(&mut self, table: &TableInfo) {
        let width = table
            .headers
            .len()
            .max(self.sample.iter().map(Vec::len).max().unwrap_or(0));
        let mut actions = Vec::with_capacity(width);
        for c in 0..width {
            let values: Vec<&str> = self
                .sample
                .iter()
                .filter_map(|r| r.get(c).map(String::as_str))
                .collect();
            let header = table
                .headers
                .get(c)
                .map(String::as_str)
                .filter(|_| table.has_header_row);
            let v = Detectors::builtin().classify_column(header, &values);
            let confident = v.confidence >= 0.5 && v.class != DataClass::Other;
            if confident {
                self.ing
                    .push(Item::DataClass(v.class.hibp_name().to_string()));
            }
            actions.push(if confident {
                action_for(v.class, v.kind)
            } else {
                Action::Skip
            });
        }
        self.actions = Some(actions);
        let rows = std::mem::take(&mut self.sample);
        for r in &rows {
            self.emit(r.iter().map(String::as_str));
        }
    }

    fn emit<'r>(&mut self, cells: impl Iterator<Item = &'r str>) {
        let Some(actions) = &self.actions else { return };
        for (cell, action) in cells.zip(actions.iter()) {
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            match action {
                Action::Id(kind, _, id_kind) => {
                    match normalize_cell(*kind, id_kind.as_deref(), cell) {
                        Some(v) => self.ing.push(Item::Id(*kind, v)),
                        None => self.stats.rejected += 1,
                    }
                }
                Action::Password => self.ing.push(Item::Password(cell.to_string())),
                Action::Skip => {}
            }
        }
    }
}

impl Sink for CorpusSink<'_> {
    fn begin_table(&mut self, _table: &TableInfo) {
        self.sample.clear();
        self.actions = None;
    }

    fn rows(&mut self, table: &TableInfo, batch: RowBatch) -> Flow {
        self.stats.rows += batch.len() as u64;
        let mut rows = batch.rows();
        if self.actions.is_none() {
            for r in rows.by_ref() {
                self.sample.push(r.iter().map(str::to_string).collect());
                if self.sample.len() >= SAMPLE_ROWS {
                    self.classify(table);
                    break;
                }
            }
        }
        for r in rows {
            self.emit(r.iter());
        }
        Flow::Continue
    }

    fn end_table(&mut self, table: &TableInfo, _stats: &TableStats) {
        if self.actions.is_none() {
            self.classify(table);
        }
    }

    fn diagnostic(&mut self, d: &Diagnostic) {
        if d.severity >= Severity::Warning {
            self.stats.problems += 1;
        }
    }
}

/// Reads every path (any format the shared reader knows) into a [`Prepared`] leak.
pub fn prepare_paths(
    paths: &[PathBuf],
    secret: &Secret,
    opts: IngestOptions,
) -> (Prepared, ReadStats) {
    prepare_paths_with(paths, secret, opts, &ReadOptions::default())
}

/// [`prepare_paths`] with the reader's options (encoding, password, limits).
pub fn prepare_paths_with(
    paths: &[PathBuf],
    secret: &Secret,
    opts: IngestOptions,
    read: &ReadOptions,
) -> (Prepared, ReadStats) {
    let mut sink = CorpusSink {
        ing: Ingest::new(secret, opts),
        stats: ReadStats::default(),
        sample: Vec::new(),
        actions: None,
    };
    let summary = leakscope_formats::read_paths(paths, read, &mut sink);
    let mut stats = sink.stats;
    stats.sources = summary.sources;
    stats.sources_failed = summary.sources_failed;
    stats.rows_skipped = summary.rows_skipped;
    (sink.ing.finish(), stats)
}
