//! The [`Scanner`]: a [`Sink`] that buffers the first rows of each table (bounded), decides its
//! columns, then streams every batch through a bounded channel to a pool of worker threads, and
//! merges their partial counts into a [`ScanProfile`] at the end.

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use leakscope_formats::{Diagnostic, Flow, RowBatch, Sink, SourceInfo, TableInfo, TableStats};
use leakscope_profile::ScanProfile;

use crate::assemble::{assemble, Assembly, TableDone};
use crate::keyset::KeySet;
use crate::oracle::Classifier;
use crate::plan::TablePlan;
use crate::worker::{Ctx, Partial};
use crate::{ScanError, ScanOptions, ScanProgress};

type Job = (Arc<TablePlan>, RowBatch);

struct Shared {
    keyset: KeySet,
    names: KeySet,
    seed: u64,
    classifier: Arc<dyn Classifier>,
}

struct TableState {
    info: TableInfo,
    plan: Option<Arc<TablePlan>>,
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
            classifier,
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

    fn decide(&mut self, i: usize) {
        let t = &mut self.tables[i];
        let format = self
            .sources
            .iter()
            .rev()
            .find(|s| s.path == t.info.source)
            .map(|s| s.format.clone());
        let plan = match &t.plan {
            None => TablePlan::decide(
                i,
                &t.info,
                format.as_deref(),
                &t.pending,
                self.opts.sample_rows,
                self.shared.classifier.as_ref(),
                self.opts.reveal,
            ),
            Some(p) if p.columns.len() < t.info.headers.len() => TablePlan::extend(
                p,
                &t.info,
                format.as_deref(),
                &t.pending,
                self.opts.sample_rows,
                self.shared.classifier.as_ref(),
                self.opts.reveal,
            ),
            Some(_) => return,
        };
        let plan = Arc::new(plan);
        t.plan = Some(Arc::clone(&plan));
        let pending = std::mem::take(&mut t.pending);
        t.pending_rows = 0;
        t.pending_bytes = 0;
        for b in pending {
            self.send(Arc::clone(&plan), b);
        }
    }

    fn send(&mut self, plan: Arc<TablePlan>, batch: RowBatch) {
        if let Some(tx) = &self.tx {
            if tx.send((plan, batch)).is_err() {
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
            self.decide(i);
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
            .map(|t| TableDone {
                info: t.info,
                plan: t.plan.expect("every table was decided above"),
                rows_skipped: t.rows_skipped,
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
            Ok((plan, batch)) => {
                partial.process(&plan, &batch, &ctx);
                leakscope_formats::recycle(batch);
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
            // Columns first seen after the plan was made are decided on the rows that follow.
            Some(plan) if plan.columns.len() >= t.info.headers.len() => {
                let plan = Arc::clone(plan);
                self.send(plan, batch);
            }
            _ => {
                t.pending_rows += batch.len();
                t.pending_bytes += batch.text_bytes();
                t.pending.push(batch);
                if t.pending_rows >= self.opts.sample_rows
                    || t.pending_bytes >= self.opts.sample_bytes
                {
                    self.decide(i);
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
        self.decide(i);
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
struct BuiltinDetectors;

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
