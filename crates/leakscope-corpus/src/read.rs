//! Reads leaks of any format through the shared reader (`leakscope_formats::read_paths`),
//! classifies each table's columns with the shared detectors on a sample of rows, and feeds
//! normalised identifiers, plaintext passwords and data classes to an [`Ingest`].

use crate::ingest::{Ingest, IngestOptions, Item, Prepared};
use leakscope_detect::{DataClass, Detectors};
use leakscope_formats::{
    Diagnostic, Flow, ReadOptions, RowBatch, Severity, Sink, TableInfo, TableStats,
};
use leakscope_keys::{IdKind, Secret};
use std::collections::HashMap;
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
    format: Option<String>,
    stats: ReadStats,
    /// Per table id: tables of one source can interleave (Elasticsearch hits of several
    /// indices, `_bulk` bodies), so each keeps its own sample and column actions.
    tables: HashMap<u32, TableState>,
    progress: Progress<'a>,
}

/// One table's column decision in progress.
#[derive(Default)]
struct TableState {
    /// Rows held until their columns are decided: the first rows of the table, later only
    /// rows with a value in a column not decided yet (a JSON key first seen late, a column
    /// empty in the first rows).
    sample: Vec<Vec<String>>,
    /// The decided action per column (`None`: no value seen yet, undecided); `None` until
    /// the first decision. Columns past its end (headers that grew) are undecided too.
    actions: Option<Vec<Option<crate::extract::Action>>>,
}

impl TableState {
    /// Whether `row` has a value in a column that is not decided yet.
    fn has_undecided_value(&self, row: &leakscope_formats::Row<'_>) -> bool {
        let Some(actions) = &self.actions else {
            return true;
        };
        row.iter()
            .enumerate()
            .any(|(c, v)| matches!(actions.get(c), None | Some(None)) && !v.trim().is_empty())
    }
}

/// How far a read has come, for a progress bar.
#[derive(Debug, Default, Clone, Copy)]
pub struct ReadProgress {
    /// Stored bytes of the sources read to the end.
    pub source_bytes_done: u64,
    /// Cell text seen so far (≈ bytes of a plain text source).
    pub text_bytes: u64,
    /// Rows read so far.
    pub rows: u64,
    /// Reading is over; the sets are being sorted and written.
    pub finishing: bool,
}

/// A progress callback and its state.
#[derive(Default)]
struct Progress<'a> {
    hook: Option<&'a (dyn Fn(&ReadProgress) + Sync)>,
    now: ReadProgress,
}

impl Progress<'_> {
    fn report(&self) {
        if let Some(h) = self.hook {
            h(&self.now);
        }
    }
}

impl CorpusSink<'_> {
    /// Decides the undecided columns of `table` that have a value in the sample held in `st`,
    /// then emits those columns of the held rows (decided columns of those rows were emitted
    /// when they arrived).
    fn classify(&mut self, table: &TableInfo, st: &mut TableState) {
        let rows = std::mem::take(&mut st.sample);
        // The shared column decision (the same as `scan` and `verify`), in `extract`.
        let plan = crate::extract::plan_table(table, self.format.as_deref(), &rows);
        for name in plan.data_classes {
            self.ing.push(Item::DataClass(name.to_string()));
        }
        let actions = st.actions.get_or_insert_with(Vec::new);
        let mut fresh = vec![false; plan.actions.len()];
        for (c, action) in plan.actions.into_iter().enumerate() {
            if c >= actions.len() {
                actions.resize(c + 1, None);
            }
            let seen = rows
                .iter()
                .any(|r| r.get(c).is_some_and(|v| !v.trim().is_empty()));
            if actions[c].is_none() && seen {
                actions[c] = Some(action);
                fresh[c] = true;
            }
        }
        for r in &rows {
            for (c, cell) in r.iter().enumerate() {
                if fresh.get(c).copied().unwrap_or(false) {
                    emit(&mut self.ing, &mut self.stats, actions[c].as_ref(), cell);
                }
            }
        }
    }
}

/// Feeds one cell to the ingest under its column's action (`None`: undecided, nothing).
fn emit(
    ing: &mut Ingest<'_>,
    stats: &mut ReadStats,
    action: Option<&crate::extract::Action>,
    cell: &str,
) {
    let cell = cell.trim();
    if cell.is_empty() {
        return;
    }
    match action {
        Some(crate::extract::Action::Id(kind, id_kind)) => {
            match normalize_cell(*kind, id_kind.as_deref(), cell) {
                Some(v) => ing.push(Item::Id(*kind, v)),
                None => stats.rejected += 1,
            }
        }
        Some(crate::extract::Action::Password) => ing.push(Item::Password(cell.to_string())),
        Some(crate::extract::Action::Skip) | None => {}
    }
}

impl Sink for CorpusSink<'_> {
    fn begin_source(&mut self, source: &leakscope_formats::SourceInfo) {
        self.format = Some(source.format.clone());
    }

    fn begin_table(&mut self, table: &TableInfo) {
        self.tables.insert(table.id, TableState::default());
    }

    fn end_source(&mut self, source: &leakscope_formats::SourceInfo) {
        self.progress.now.source_bytes_done += source.bytes;
        self.progress.report();
    }

    fn rows(&mut self, table: &TableInfo, batch: RowBatch) -> Flow {
        self.stats.rows += batch.len() as u64;
        self.progress.now.rows += batch.len() as u64;
        self.progress.now.text_bytes += batch.text_bytes() as u64;
        self.progress.report();
        let mut st = self.tables.remove(&table.id).unwrap_or_default();
        for r in batch.rows() {
            // Decided columns are emitted at once; undecided ones wait in the sample.
            if let Some(actions) = &st.actions {
                for (cell, action) in r.iter().zip(actions.iter()) {
                    emit(&mut self.ing, &mut self.stats, action.as_ref(), cell);
                }
            }
            if st.has_undecided_value(&r) {
                st.sample.push(r.iter().map(str::to_string).collect());
                if st.sample.len() >= SAMPLE_ROWS {
                    self.classify(table, &mut st);
                }
            }
        }
        self.tables.insert(table.id, st);
        Flow::Continue
    }

    fn end_table(&mut self, table: &TableInfo, _stats: &TableStats) {
        if let Some(mut st) = self.tables.remove(&table.id) {
            if st.actions.is_none() || !st.sample.is_empty() {
                self.classify(table, &mut st);
            }
        }
    }

    fn diagnostic(&mut self, d: &Diagnostic) {
        if d.severity >= Severity::Warning {
            self.stats.problems += 1;
        }
    }
}

/// How [`prepare`] reads a leak.
#[derive(Default)]
pub struct Prepare<'a> {
    /// Ingest options.
    pub ingest: IngestOptions,
    /// Reader options (forced encoding, archive password, limits).
    pub read: ReadOptions,
    /// Where the ingest's working directory goes: the corpus directory of an embedded store (so
    /// the result is renamed into place); `None`: the system temporary directory.
    pub work_parent: Option<PathBuf>,
    /// Called as reading progresses.
    pub progress: Option<&'a (dyn Fn(&ReadProgress) + Sync)>,
}

/// Reads every path (any format the shared reader knows) into a [`Prepared`] leak; fails only
/// when the ingest's working directory cannot be written.
pub fn prepare(
    paths: &[PathBuf],
    secret: &Secret,
    how: &Prepare<'_>,
) -> crate::store::Result<(Prepared, ReadStats)> {
    let parent = how.work_parent.clone().unwrap_or_else(std::env::temp_dir);
    let mut sink = CorpusSink {
        ing: Ingest::in_dir(secret, how.ingest, &parent),
        format: None,
        stats: ReadStats::default(),
        tables: HashMap::new(),
        progress: Progress {
            hook: how.progress,
            now: ReadProgress::default(),
        },
    };
    let summary = leakscope_formats::read_paths(paths, &how.read, &mut sink);
    let mut stats = sink.stats;
    stats.sources = summary.sources;
    stats.sources_failed = summary.sources_failed;
    stats.rows_skipped = summary.rows_skipped;
    sink.progress.now.finishing = true;
    sink.progress.report();
    Ok((sink.ing.finish()?, stats))
}

/// Reads every path with default reader options into a [`Prepared`] leak.
pub fn prepare_paths(
    paths: &[PathBuf],
    secret: &Secret,
    opts: IngestOptions,
) -> crate::store::Result<(Prepared, ReadStats)> {
    prepare(
        paths,
        secret,
        &Prepare {
            ingest: opts,
            ..Prepare::default()
        },
    )
}
