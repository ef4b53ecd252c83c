//! Shared state of one read: the sink, counters, table ids, and helpers that build tables,
//! batches and diagnostics so every reader accounts for rows the same way.

use crate::model::{Diagnostic, Flow, RowBatch, Severity, Sink, SourceInfo, TableInfo, TableStats};
use crate::{ReadOptions, ReadSummary};

/// Batches are also flushed once they hold this many bytes of text, so huge rows stay bounded.
pub(crate) const MAX_BATCH_BYTES: usize = 8 << 20;
/// ... or this many fields (8 MiB of field ends), so wide sparse tables stay bounded too.
pub(crate) const MAX_BATCH_FIELDS: usize = 1 << 20;

/// State shared by every reader during one `read_paths` call.
pub(crate) struct Ctx<'a> {
    pub opts: &'a ReadOptions,
    sink: &'a mut dyn Sink,
    pub summary: ReadSummary,
    next_table: u32,
    /// The sink asked to stop.
    pub stopped: bool,
    /// Expansion state of the current top-level input.
    pub limits: crate::limits::InputLimits,
    /// Error diagnostics seen since the current source began.
    pub source_errors: u64,
    /// Rows delivered when the current source began.
    source_rows_at_start: u64,
    /// Table definitions seen in this read, and where to look for more.
    pub schemas: crate::schema::Registry,
    /// This read is a schema probe: SQL text only, at most this many bytes per input.
    pub probe_limit: Option<u64>,
    /// Bytes a probe read.
    pub probe_read: u64,
    /// The TOC of the pg_dump tar archive being read, for its data members.
    pub pg_tar: Option<Box<crate::pgdump::TarState>>,
}

/// A table being written: its info, the batch being filled and its counts.
pub(crate) struct Table {
    pub info: TableInfo,
    pub batch: RowBatch,
    pub stats: TableStats,
}

impl Diagnostic {
    /// A diagnostic with no location; add one with the builder methods.
    pub fn new(severity: Severity, code: &str, source: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            code: code.to_string(),
            message: message.into(),
            source: source.to_string(),
            table: None,
            line: None,
            offset: None,
            rows_skipped: 0,
        }
    }

    /// Sets the table (or sheet) name.
    pub fn table(mut self, table: &str) -> Self {
        self.table = Some(table.to_string());
        self
    }

    /// Sets the 1-based line.
    pub fn line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    /// Sets the byte offset.
    pub fn offset(mut self, offset: u64) -> Self {
        self.offset = Some(offset);
        self
    }

    /// Sets how many rows this problem skipped.
    pub fn skipped(mut self, rows: u64) -> Self {
        self.rows_skipped = rows;
        self
    }
}

impl<'a> Ctx<'a> {
    pub fn new(opts: &'a ReadOptions, sink: &'a mut dyn Sink) -> Self {
        Ctx {
            opts,
            sink,
            summary: ReadSummary::default(),
            next_table: 0,
            stopped: false,
            limits: crate::limits::InputLimits::default(),
            source_errors: 0,
            source_rows_at_start: 0,
            schemas: crate::schema::Registry::default(),
            probe_limit: None,
            probe_read: 0,
            pg_tar: None,
        }
    }

    /// Reports a diagnostic (rows it skipped are added to the summary).
    pub fn diag(&mut self, d: Diagnostic) {
        if d.severity == Severity::Error {
            self.source_errors += 1;
        }
        self.summary.rows_skipped += d.rows_skipped;
        self.sink.diagnostic(&d);
    }

    /// Starts a source.
    pub fn begin_source(&mut self, src: &SourceInfo) {
        self.summary.sources += 1;
        self.source_errors = 0;
        self.source_rows_at_start = self.summary.rows;
        self.sink.begin_source(src);
    }

    /// Ends a source; it counts as failed when it had an error and delivered no rows.
    pub fn end_source(&mut self, src: &SourceInfo) {
        if self.source_errors > 0 && self.summary.rows == self.source_rows_at_start {
            self.summary.sources_failed += 1;
        }
        self.sink.end_source(src);
    }

    /// Starts a table with the given headers (empty or duplicate names are made unique).
    pub fn begin_table(
        &mut self,
        source: &str,
        name: &str,
        headers: Vec<String>,
        has_header_row: bool,
    ) -> Table {
        let info = TableInfo {
            id: self.next_table,
            name: name.to_string(),
            source: source.to_string(),
            headers: unique_headers(headers),
            has_header_row,
        };
        self.next_table += 1;
        self.summary.tables += 1;
        self.sink.begin_table(&info);
        Table {
            info,
            batch: RowBatch::new(1),
            stats: TableStats::default(),
        }
    }

    /// Adds columns at the end of `t`'s headers (names made unique against the existing ones)
    /// and tells the sink; returns the index of the first new column.
    pub fn extend_headers(&mut self, t: &mut Table, names: Vec<String>) -> usize {
        let from = t.info.headers.len();
        if names.is_empty() {
            return from;
        }
        let mut all = std::mem::take(&mut t.info.headers);
        all.extend(names);
        let total = all.len();
        t.info.headers = unique_headers_from(all, from);
        debug_assert_eq!(t.info.headers.len(), total);
        self.sink.headers_extended(&t.info, from);
        from
    }

    /// Ends the row being built in `t.batch`; flushes the batch when full.
    #[inline]
    pub fn end_row(&mut self, t: &mut Table) {
        t.batch.end_row();
        t.stats.rows += 1;
        if t.batch.len() >= self.opts.batch_rows.max(1)
            || t.batch.text_bytes() >= MAX_BATCH_BYTES
            || t.batch.field_count() >= MAX_BATCH_FIELDS
        {
            self.flush(t);
        }
    }

    /// Counts rows skipped in `t` (the diagnostic that explains them carries `rows_skipped` too).
    pub fn skip_rows(&mut self, t: &mut Table, n: u64) {
        t.stats.rows_skipped += n;
    }

    /// Hands the current batch to the sink.
    pub fn flush(&mut self, t: &mut Table) {
        if t.batch.is_empty() {
            return;
        }
        let next_first = t.batch.first_row + t.batch.len() as u64;
        // Size the next batch like this one so filling it does not reallocate.
        let next = crate::recycle::batch(
            next_first,
            t.batch.text_bytes() + t.batch.text_bytes() / 8,
            t.batch.field_count() + 16,
            t.batch.len() + 1,
        );
        let full = std::mem::replace(&mut t.batch, next);
        self.summary.rows += full.len() as u64;
        if self.sink.rows(&t.info, full) == Flow::Stop {
            self.stopped = true;
        }
    }

    /// Hands the sink a batch parsed elsewhere (by a parallel parser) as the next rows of `t`;
    /// its rows are numbered on from the rows already delivered.
    pub fn deliver(&mut self, t: &mut Table, mut batch: RowBatch) {
        self.flush(t);
        let n = batch.len() as u64;
        if n == 0 {
            return;
        }
        batch.first_row = t.batch.first_row;
        t.batch.first_row += n;
        t.stats.rows += n;
        self.summary.rows += n;
        if self.sink.rows(&t.info, batch) == Flow::Stop {
            self.stopped = true;
        }
    }

    /// Flushes and ends a table.
    pub fn finish_table(&mut self, mut t: Table) {
        self.flush(&mut t);
        self.sink.end_table(&t.info, &t.stats);
    }
}

/// Replaces empty header names with `col_N` and makes duplicates unique with `_2`, `_3`...
pub(crate) fn unique_headers(headers: Vec<String>) -> Vec<String> {
    unique_headers_from(headers, 0)
}

/// [`unique_headers`] for a list whose first `done` names are already unique (kept as they are).
/// Linear in the number of names, however many repeat.
fn unique_headers_from(headers: Vec<String>, done: usize) -> Vec<String> {
    let done = done.min(headers.len());
    let mut seen: std::collections::HashSet<String> = headers[..done].iter().cloned().collect();
    // Next suffix to try per base name.
    let mut next: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut out = Vec::with_capacity(headers.len());
    for (i, h) in headers.into_iter().enumerate() {
        if i < done {
            out.push(h);
            continue;
        }
        let base = if h.trim().is_empty() {
            format!("col_{}", i + 1)
        } else {
            h.trim().to_string()
        };
        let name = if seen.insert(base.clone()) {
            base
        } else {
            let n = next.entry(base.clone()).or_insert(2);
            loop {
                let candidate = format!("{base}_{n}");
                *n += 1;
                if seen.insert(candidate.clone()) {
                    break candidate;
                }
            }
        };
        out.push(name);
    }
    out
}

/// `col_1`..`col_n`.
pub(crate) fn synth_headers(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("col_{i}")).collect()
}
