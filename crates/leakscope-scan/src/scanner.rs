//! The [`Scanner`]: a [`Sink`] that buffers the first rows of each table (bounded), has a worker
//! decide its columns, streams every batch through a bounded channel to the pool of worker
//! threads, and merges their partial counts into a [`ScanProfile`] at the end.
//!
//! Column decisions run on the workers, not on the reading thread: a dump of many small tables
//! goes on being read while earlier tables are classified. A worker that takes a batch of a table
//! still being decided waits for the decision (it was queued first, so another worker has it).

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;

use leakscope_formats::{Diagnostic, Flow, RowBatch, Sink, SourceInfo, TableInfo, TableStats};

use crate::memo::{PublishOnDrop, Reference, Shape, CONFIRM_ROWS, MEMO_SHAPES};
use leakscope_profile::ScanProfile;

use crate::assemble::{assemble, summarise_table, Assembly, TableDone, TableSummary};
use crate::keyset::KeySet;
use crate::oracle::Classifier;
use crate::plan::TablePlan;
use crate::worker::{Ctx, Partial};
use crate::{ScanError, ScanOptions, ScanProgress};

/// Where a table's column decision stands.
enum PlanState {
    Pending,
    /// Decided; batches of the table may still come.
    Plan(Arc<TablePlan>),
    /// Decided and counted whole by one worker: its profile entry.
    Done {
        summary: Option<Box<TableSummary>>,
    },
}

/// A table's column decision, made by a worker and awaited by the others.
pub(crate) struct PlanCell {
    state: Mutex<PlanState>,
    ready: Condvar,
}

impl Default for PlanCell {
    fn default() -> Self {
        PlanCell {
            state: Mutex::new(PlanState::Pending),
            ready: Condvar::new(),
        }
    }
}

impl PlanCell {
    fn lock(&self) -> std::sync::MutexGuard<'_, PlanState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn set(&self, state: PlanState) {
        *self.lock() = state;
        self.ready.notify_all();
    }

    fn wait_decided(&self) -> std::sync::MutexGuard<'_, PlanState> {
        let mut g = self.lock();
        while matches!(*g, PlanState::Pending) {
            g = self.ready.wait(g).unwrap_or_else(|e| e.into_inner());
        }
        g
    }

    /// The plan of a table whose batches still come (decided first).
    fn wait(&self) -> Arc<TablePlan> {
        match &*self.wait_decided() {
            PlanState::Plan(p) => Arc::clone(p),
            // A finished table gets no more batches; this is a bug, not bad input.
            _ => panic!("a batch arrived for a table already summarised"),
        }
    }

    /// What the scan's end needs of this table.
    fn take_done(&self, info: TableInfo, rows_skipped: u64) -> TableDone {
        let mut g = self.wait_decided();
        match &mut *g {
            PlanState::Plan(p) => TableDone::Open {
                info,
                plan: Arc::clone(p),
                rows_skipped,
            },
            PlanState::Done { summary } => TableDone::Finished(
                summary
                    .take()
                    .expect("a finished table's summary is taken once"),
            ),
            PlanState::Pending => unreachable!("waited for the decision"),
        }
    }
}

/// What a column decision needs: the table, its source's format and its buffered sample; for
/// a table whose headers grew after its first decision, that decision (kept for its columns).
struct Decide {
    cell: Arc<PlanCell>,
    index: usize,
    info: TableInfo,
    format: Option<String>,
    sample: Vec<RowBatch>,
    previous: Option<Arc<PlanCell>>,
    /// How an earlier table of the same shape takes part in the decision.
    memo: Memo,
    /// The table ended within its sample: these are all its rows.
    complete: bool,
    rows_skipped: u64,
}

/// A table's part in remembered decisions (see [`crate::memo`]).
enum Memo {
    /// Decided on its whole sample, nothing remembered.
    None,
    /// The first table of its shape: decided on its whole sample, the decision published.
    Reference(Arc<Reference>),
    /// A later table of the shape: confirmed against the reference's decision.
    Confirm(Arc<Reference>),
}

enum Job {
    /// Decide a table's columns, then count its sample rows.
    Decide(Box<Decide>),
    /// Count a batch of a table (waiting for its decision if needed).
    Rows(Arc<PlanCell>, RowBatch),
}

struct Shared {
    keyset: KeySet,
    names: KeySet,
    seed: u64,
    classifier: Arc<dyn Classifier>,
    sample_rows: usize,
    reveal: bool,
    address_check: Arc<crate::oracle::ColumnCheck>,
}

struct TableState {
    info: TableInfo,
    plan: Option<Arc<PlanCell>>,
    /// Columns the current plan has (the headers when it was asked for); more headers than
    /// this: columns first seen later, to decide on the rows that follow.
    decided_width: usize,
    pending: Vec<RowBatch>,
    pending_rows: usize,
    pending_bytes: usize,
    rows_skipped: u64,
}

/// Diagnostics kept in full; the rest are summarised per code.
const DIAGNOSTICS_KEPT: usize = 1000;
/// Diagnostics kept individually per code, so a flood of one kind (a bad line per row) never
/// crowds out the rarer ones (a table's summary of skipped keys).
pub const DIAGNOSTICS_KEPT_PER_CODE: usize = 50;

/// The scan engine as a [`Sink`]: feed it with `leakscope_formats::read_paths` or by hand, then
/// call [`Scanner::finish`].
pub struct Scanner {
    opts: ScanOptions,
    found_on: Option<crate::dates::Ymd>,
    shared: Arc<Shared>,
    tx: Option<SyncSender<Job>>,
    workers: Vec<JoinHandle<Partial>>,
    tables: Vec<TableState>,
    by_id: HashMap<u32, usize>,
    sources: Vec<SourceInfo>,
    diagnostics: Vec<Diagnostic>,
    diag_overflow: Vec<(Diagnostic, u64)>,
    /// Diagnostics seen per code.
    diag_counts: HashMap<String, usize>,
    rows_skipped_diag: u64,
    progress: ScanProgress,
    worker_failed: bool,
    /// The reference table of each table shape seen (see [`crate::memo`]).
    references: HashMap<Shape, Arc<Reference>>,
    /// The same for tables of at most [`CONFIRM_ROWS`] sample rows whose shape has no larger
    /// reference yet: small tables confirm against them, larger ones never do.
    small_references: HashMap<Shape, Arc<Reference>>,
}

impl Scanner {
    /// A scanner using the built-in detectors.
    pub fn new(opts: ScanOptions) -> Result<Scanner, ScanError> {
        Scanner::with_classifier(opts, Arc::new(BuiltinDetectors))
    }

    /// A scanner using `classifier` for column decisions and value checks.
    pub fn with_classifier(
        opts: ScanOptions,
        classifier: Arc<dyn Classifier>,
    ) -> Result<Scanner, ScanError> {
        let found_on = match &opts.found_on {
            None => None,
            Some(s) => Some(
                crate::dates::parse_ymd(s.trim())
                    .ok_or_else(|| ScanError::InvalidFoundOn(s.clone()))?,
            ),
        };
        let threads = if opts.threads == 0 {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        } else {
            opts.threads
        };
        let shared = Arc::new(Shared {
            keyset: KeySet::new(opts.exact_individuals_limit),
            names: KeySet::new(opts.exact_individuals_limit),
            // A fresh secret per run (the standard library seeds RandomState from the OS).
            seed: std::hash::BuildHasher::hash_one(&RandomState::new(), 0x6c65_616b_u64),
            address_check: Arc::new(classifier.prepare(leakscope_detect::DataClass::Address, None)),
            classifier,
            sample_rows: opts.sample_rows,
            reveal: opts.reveal,
        });
        let (tx, rx) = sync_channel::<Job>(threads * 2);
        let rx = Arc::new(Mutex::new(rx));
        let mut workers = Vec::with_capacity(threads);
        for i in 0..threads {
            let rx = Arc::clone(&rx);
            let shared = Arc::clone(&shared);
            let h = std::thread::Builder::new()
                .name(format!("scan-worker-{i}"))
                .spawn(move || work(&rx, &shared))
                .map_err(|e| ScanError::Thread(e.to_string()))?;
            workers.push(h);
        }
        Ok(Scanner {
            opts,
            found_on,
            shared,
            tx: Some(tx),
            workers,
            tables: Vec::new(),
            by_id: HashMap::new(),
            sources: Vec::new(),
            diagnostics: Vec::new(),
            diag_overflow: Vec::new(),
            diag_counts: HashMap::new(),
            rows_skipped_diag: 0,
            progress: ScanProgress::default(),
            worker_failed: false,
            references: HashMap::new(),
            small_references: HashMap::new(),
        })
    }

    fn table_index(&mut self, info: &TableInfo) -> usize {
        if let Some(&i) = self.by_id.get(&info.id) {
            return i;
        }
        let i = self.tables.len();
        self.tables.push(TableState {
            info: info.clone(),
            plan: None,
            decided_width: 0,
            pending: Vec::new(),
            pending_rows: 0,
            pending_bytes: 0,
            rows_skipped: 0,
        });
        self.by_id.insert(info.id, i);
        i
    }

    /// Rows and bytes currently buffered for column decisions (for tests of the memory bound).
    pub fn buffered(&self) -> (usize, usize) {
        self.tables.iter().fold((0, 0), |(r, b), t| {
            (r + t.pending_rows, b + t.pending_bytes)
        })
    }

    /// Hands table `i` with its buffered sample to a worker for its column decision;
    /// `complete` when the table has ended (the sample is all its rows). A table already
    /// decided is decided again only when its headers grew since (late columns), keeping the
    /// earlier decision for its columns.
    fn decide(&mut self, i: usize, complete: bool) {
        let format = {
            let source = &self.tables[i].info.source;
            self.sources
                .iter()
                .rev()
                .find(|s| &s.path == source)
                .map(|s| s.format.clone())
        };
        let t = &mut self.tables[i];
        let previous = match &t.plan {
            None => None,
            Some(cell) if t.info.headers.len() > t.decided_width => Some(Arc::clone(cell)),
            Some(_) => return,
        };
        // Only a table decided once, and whose rows are all in the sample, is counted and
        // summarised whole by one worker.
        let complete = complete && previous.is_none();
        let cell = Arc::new(PlanCell::default());
        t.plan = Some(Arc::clone(&cell));
        t.decided_width = t.info.headers.len();
        let sample = std::mem::take(&mut t.pending);
        t.pending_rows = 0;
        t.pending_bytes = 0;
        // A table summarised whole needs its headers no more (they live on in the plan's column
        // names): a dump of 200,000 tables need not keep them twice.
        let info = if complete {
            TableInfo {
                headers: std::mem::take(&mut t.info.headers),
                ..t.info.clone()
            }
        } else {
            t.info.clone()
        };
        let rows_skipped = t.rows_skipped;
        let sample_rows: usize = sample.iter().map(RowBatch::len).sum();
        // A table too small to decide much on its own confirms an earlier decision of its shape;
        // it becomes the reference only of later small tables of its shape (a dump's `staff`
        // table of two rows, thirty times), never of a larger one.
        let small = sample_rows.min(self.shared.sample_rows) <= CONFIRM_ROWS;
        let memo = if previous.is_some() || sample_rows == 0 {
            Memo::None
        } else {
            let shape = Shape::new(
                &info.name,
                format.as_deref(),
                &info.headers,
                info.has_header_row,
            );
            let room = self.references.len() + self.small_references.len() < MEMO_SHAPES;
            match self.references.get(&shape) {
                Some(r) => Memo::Confirm(Arc::clone(r)),
                None if !small && room => {
                    let r = Arc::new(Reference::default());
                    self.references.insert(shape, Arc::clone(&r));
                    Memo::Reference(r)
                }
                None if small => match self.small_references.get(&shape) {
                    Some(r) => Memo::Confirm(Arc::clone(r)),
                    None if room => {
                        let r = Arc::new(Reference::default());
                        self.small_references.insert(shape, Arc::clone(&r));
                        Memo::Reference(r)
                    }
                    None => Memo::None,
                },
                None => Memo::None,
            }
        };
        let job = Job::Decide(Box::new(Decide {
            cell,
            index: i,
            info,
            format,
            sample,
            previous,
            memo,
            complete,
            rows_skipped,
        }));
        self.send(job);
    }

    fn send(&mut self, job: Job) {
        if let Some(tx) = &self.tx {
            if tx.send(job).is_err() {
                self.worker_failed = true;
            }
        }
    }

    fn report(&self) {
        if let Some(p) = &self.opts.progress {
            p(&self.progress);
        }
    }

    /// Finishes the scan: decides tables still buffering, waits for the workers, merges and
    /// builds the profile.
    ///
    /// # Panics
    /// Re-raises a panic of a worker thread (a bug, never bad input).
    pub fn finish(mut self) -> ScanProfile {
        for i in 0..self.tables.len() {
            self.decide(i, false);
        }
        self.tx = None;
        let mut merged = Partial::default();
        for h in std::mem::take(&mut self.workers) {
            match h.join() {
                Ok(p) => merged.merge(p),
                Err(e) => std::panic::resume_unwind(e),
            }
        }
        let tables = std::mem::take(&mut self.tables)
            .into_iter()
            .map(|t| {
                let cell = t.plan.expect("every table was decided above");
                cell.take_done(t.info, t.rows_skipped)
            })
            .collect();
        let mut diagnostics: Vec<(Diagnostic, u64)> = std::mem::take(&mut self.diagnostics)
            .into_iter()
            .map(|d| (d, 1))
            .collect();
        for (d, n) in std::mem::take(&mut self.diag_overflow) {
            let message = format!("{n} more `{}` diagnostics not listed individually", d.code);
            diagnostics.push((Diagnostic { message, ..d }, n));
        }
        assemble(Assembly {
            tables,
            merged,
            sources: std::mem::take(&mut self.sources),
            diagnostics,
            rows_skipped: self.rows_skipped_diag,
            people_exact: (!self.shared.keyset.overflowed()).then(|| self.shared.keyset.len()),
            names_exact: (!self.shared.names.overflowed()).then(|| self.shared.names.len()),
            found_on: self.found_on,
            reveal: self.opts.reveal,
        })
    }
}

fn work(rx: &Mutex<Receiver<Job>>, shared: &Shared) -> Partial {
    let mut partial = Partial::default();
    let ctx = Ctx {
        classifier: shared.classifier.as_ref(),
        keyset: &shared.keyset,
        names: &shared.names,
        seed: shared.seed,
    };
    loop {
        let job = {
            let guard = rx.lock().unwrap_or_else(|e| e.into_inner());
            guard.recv()
        };
        match job {
            Ok(Job::Rows(cell, batch)) => {
                let plan = cell.wait();
                partial.process(&plan, &batch, &ctx);
                leakscope_formats::recycle(batch);
            }
            Ok(Job::Decide(d)) => {
                // Earlier decisions were queued first: they are made, or being made elsewhere.
                let plan = match &d.previous {
                    Some(prev) => TablePlan::extend(
                        &prev.wait(),
                        &d.info,
                        d.format.as_deref(),
                        &d.sample,
                        shared.sample_rows,
                        shared.classifier.as_ref(),
                        shared.reveal,
                    ),
                    None => {
                        let known = match &d.memo {
                            Memo::Confirm(r) => Some(r.wait()),
                            _ => None,
                        };
                        let guard = match &d.memo {
                            Memo::Reference(r) => Some(PublishOnDrop(r)),
                            _ => None,
                        };
                        let (plan, remembered) = TablePlan::decide_remembered(
                            d.index,
                            &d.info,
                            d.format.as_deref(),
                            &d.sample,
                            shared.sample_rows,
                            shared.classifier.as_ref(),
                            shared.reveal,
                            &shared.address_check,
                            known.as_ref().filter(|k| !k.is_empty()),
                            guard.is_some(),
                        );
                        if let (Some(PublishOnDrop(r)), Some(remembered)) = (&guard, remembered) {
                            r.set(remembered);
                        }
                        plan
                    }
                };
                let plan = Arc::new(plan);
                if !d.complete {
                    d.cell.set(PlanState::Plan(Arc::clone(&plan)));
                }
                for batch in d.sample {
                    partial.process(&plan, &batch, &ctx);
                    leakscope_formats::recycle(batch);
                }
                if d.complete {
                    // This worker saw every row: summarise now and drop the plan and counts.
                    let acc = partial.tables.get_mut(d.index).and_then(Option::take);
                    let summary = summarise_table(&d.info, &plan, acc.as_deref(), d.rows_skipped);
                    d.cell.set(PlanState::Done {
                        summary: Some(Box::new(summary)),
                    });
                }
            }
            Err(_) => return partial,
        }
    }
}

impl Sink for Scanner {
    fn begin_source(&mut self, source: &SourceInfo) {
        self.sources.push(source.clone());
        self.progress.current_source = source.path.clone();
        self.progress.sources_started += 1;
        self.report();
    }

    fn begin_table(&mut self, table: &TableInfo) {
        self.table_index(table);
    }

    fn headers_extended(&mut self, table: &TableInfo, _from: usize) {
        let i = self.table_index(table);
        let headers = &mut self.tables[i].info.headers;
        if let Some(new) = table.headers.get(headers.len()..) {
            headers.extend_from_slice(new);
        }
    }

    fn rows(&mut self, table: &TableInfo, batch: RowBatch) -> Flow {
        let i = self.table_index(table);
        self.progress.rows += batch.len() as u64;
        self.progress.text_bytes += batch.text_bytes() as u64;
        let t = &mut self.tables[i];
        match &t.plan {
            // Columns first seen after the plan was asked for are decided on the rows that
            // follow.
            Some(cell) if t.info.headers.len() <= t.decided_width => {
                let cell = Arc::clone(cell);
                self.send(Job::Rows(cell, batch));
            }
            _ => {
                t.pending_rows += batch.len();
                t.pending_bytes += batch.text_bytes();
                t.pending.push(batch);
                if t.pending_rows >= self.opts.sample_rows
                    || t.pending_bytes >= self.opts.sample_bytes
                {
                    self.decide(i, false);
                }
            }
        }
        self.report();
        if self.worker_failed {
            Flow::Stop
        } else {
            Flow::Continue
        }
    }

    fn end_table(&mut self, table: &TableInfo, stats: &TableStats) {
        let i = self.table_index(table);
        self.tables[i].rows_skipped += stats.rows_skipped;
        // Not decided yet: the sample holds every row of the table.
        self.decide(i, true);
    }

    fn end_source(&mut self, source: &SourceInfo) {
        self.progress.source_bytes_done += source.bytes;
        self.report();
    }

    fn diagnostic(&mut self, d: &Diagnostic) {
        self.rows_skipped_diag += d.rows_skipped;
        let same_code = self.diag_counts.entry(d.code.clone()).or_insert(0);
        *same_code += 1;
        if *same_code <= DIAGNOSTICS_KEPT_PER_CODE && self.diagnostics.len() < DIAGNOSTICS_KEPT {
            self.diagnostics.push(d.clone());
            return;
        }
        match self
            .diag_overflow
            .iter_mut()
            .find(|(o, _)| o.code == d.code && o.severity == d.severity)
        {
            Some((o, n)) => {
                *n += 1;
                o.rows_skipped += d.rows_skipped;
            }
            None => self.diag_overflow.push((d.clone(), 1)),
        }
    }
}

/// The built-in detector set behind an owned handle.
pub(crate) struct BuiltinDetectors;

impl Classifier for BuiltinDetectors {
    fn classify_column(
        &self,
        header: Option<&str>,
        values: &[&str],
    ) -> leakscope_detect::ColumnVerdict {
        leakscope_detect::Detectors::builtin().classify_column(header, values)
    }

    fn check_value(
        &self,
        class: leakscope_detect::DataClass,
        kind: Option<&str>,
        value: &str,
    ) -> Option<leakscope_detect::ValueFacts> {
        leakscope_detect::Detectors::builtin().check_value(class, kind, value)
    }

    fn mask(&self, class: leakscope_detect::DataClass, value: &str) -> String {
        leakscope_detect::mask(class, value)
    }

    fn prepare(
        &self,
        class: leakscope_detect::DataClass,
        kind: Option<&str>,
    ) -> crate::oracle::ColumnCheck {
        crate::oracle::prepare_with(leakscope_detect::Detectors::builtin(), class, kind)
    }

    fn check_cell(
        &self,
        check: &crate::oracle::ColumnCheck,
        value: &str,
    ) -> Option<leakscope_detect::ValueFacts> {
        crate::oracle::check_cell_with(leakscope_detect::Detectors::builtin(), check, value)
    }

    fn classify_table(
        &self,
        table: &leakscope_detect::TableSample<'_>,
    ) -> Vec<leakscope_detect::ColumnVerdict> {
        leakscope_detect::Detectors::builtin().classify_table(table)
    }

    fn row_country(
        &self,
        ctx: &leakscope_detect::CountryContext,
        cells: &[&str],
    ) -> Option<&'static str> {
        ctx.of_row(leakscope_detect::Detectors::builtin(), cells)
    }

    fn address_country(
        &self,
        _check: &crate::oracle::ColumnCheck,
        value: &str,
    ) -> Option<&'static str> {
        leakscope_detect::address_country(leakscope_detect::Detectors::builtin(), value)
    }

    fn country_free(&self, check: &crate::oracle::ColumnCheck, value: &str) -> bool {
        crate::oracle::Classifier::country_free(
            leakscope_detect::Detectors::builtin(),
            check,
            value,
        )
    }

    fn check_cell_in(
        &self,
        check: &crate::oracle::ColumnCheck,
        value: &str,
        country: Option<&str>,
    ) -> Option<leakscope_detect::ValueFacts> {
        crate::oracle::check_cell_in_with(
            leakscope_detect::Detectors::builtin(),
            check,
            value,
            country,
        )
    }
}
