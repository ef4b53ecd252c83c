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
    sample: Vec<Vec<String>>,
    actions: Option<Vec<crate::extract::Action>>,
    progress: Progress<'a>,
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
    fn classify(&mut self, table: &TableInfo) {
        // The shared column decision (the same as `scan` and `verify`), in `extract`.
        let plan = crate::extract::plan_table(table, self.format.as_deref(), &self.sample);
        for name in plan.data_classes {
            self.ing.push(Item::DataClass(name.to_string()));
        }
        self.actions = Some(plan.actions);
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
                crate::extract::Action::Id(kind, id_kind) => {
                    match normalize_cell(*kind, id_kind.as_deref(), cell) {
                        Some(v) => self.ing.push(Item::Id(*kind, v)),
                        None => self.stats.rejected += 1,
                    }
                }
                crate::extract::Action::Password => self.ing.push(Item::Password(cell.to_string())),
                crate::extract::Action::Skip => {}
            }
        }
    }
}

impl Sink for CorpusSink<'_> {
    fn begin_source(&mut self, source: &leakscope_formats::SourceInfo) {
        self.format = Some(source.format.clone());
    }

    fn begin_table(&mut self, _table: &TableInfo) {
        self.sample.clear();
        self.actions = None;
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
        sample: Vec::new(),
        actions: None,
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
