//! Streaming spreadsheet readers (XLSX and ODS): rows are read as the sheet's XML is
//! decompressed, never a whole sheet at once, so memory does not depend on the file's size or
//! on the dimension it declares. Cells past `ReadOptions::max_columns` are counted and
//! reported; shared strings are bounded in memory (spilled to disk past a limit).
//!
//! Every sheet is a table; its first non-empty rows decide whether the first is a header.
//! A row ends at its last non-empty cell; empty rows are skipped.

mod cells;
mod ods;
mod sst;
mod xlsx;
pub(crate) mod xml;

use crate::ctx::{synth_headers, Ctx, Table};
use crate::model::{Diagnostic, Severity};
use crate::source::Origin;
use std::fs::File;

use cells::Rows;

/// Non-empty rows looked at to decide whether the first is a header.
const SAMPLE_ROWS: usize = 64;

/// Reads an XLSX or ODS workbook from a seekable file.
pub(crate) fn read(ctx: &mut Ctx, o: &Origin, file: File, kind: &str) {
    match kind {
        "ods" => ods::read(ctx, o, file),
        _ => xlsx::read(ctx, o, file),
    }
}

/// Builds one sheet's table from parsed rows, in order.
pub(crate) struct SheetTable {
    source: String,
    name: String,
    sample: Vec<Vec<String>>,
    table: Option<Table>,
    /// Cells beyond the column limit, and the rows that had them.
    pub dropped_cells: u64,
    pub dropped_rows: u64,
    /// Rows read.
    pub rows: u64,
    /// Cells whose shared string does not exist.
    bad_strings: u64,
}

impl SheetTable {
    pub fn new(source: &str, name: &str) -> Self {
        SheetTable {
            source: source.to_string(),
            name: name.to_string(),
            sample: Vec::new(),
            table: None,
            dropped_cells: 0,
            dropped_rows: 0,
            rows: 0,
            bad_strings: 0,
        }
    }

    /// Adds the rows of a parsed block.
    pub fn add(&mut self, ctx: &mut Ctx, rows: &Rows) {
        self.dropped_cells += rows.dropped_cells;
        self.dropped_rows += rows.dropped_rows;
        self.bad_strings += rows.bad_strings;
        for r in 0..rows.len() {
            if ctx.stopped {
                return;
            }
            if rows.row_is_empty(r) {
                continue;
            }
            self.rows += 1;
            if self.table.is_none() {
                let mut row = Vec::new();
                for (col, text) in rows.row(r) {
                    row.resize(col as usize, String::new());
                    row.push(text.to_string());
                }
                self.sample.push(row);
                if self.sample.len() >= SAMPLE_ROWS {
                    self.begin(ctx);
                }
                continue;
            }
            self.push(ctx, rows.row(r));
        }
    }

    fn begin(&mut self, ctx: &mut Ctx) {
        let has_header = crate::sniff::looks_like_header(&self.sample);
        let width = self.sample.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let headers = if has_header {
            let mut h = self.sample[0].clone();
            h.resize(width, String::new());
            h
        } else {
            synth_headers(width)
        };
        let t = ctx.begin_table(&self.source, &self.name, headers, has_header);
        self.table = Some(t);
        let sample = std::mem::take(&mut self.sample);
        for (i, row) in sample.iter().enumerate() {
            if has_header && i == 0 {
                continue;
            }
            let cells = row
                .iter()
                .enumerate()
                .filter(|(_, v)| !v.is_empty())
                .map(|(c, v)| (c as u32, v.as_str()));
            self.push(ctx, cells);
        }
    }

    /// Pushes one row given as (column, text) in column order; the headers grow (`col_N`)
    /// when a row is wider than any before.
    fn push<'a>(&mut self, ctx: &mut Ctx, cells: impl Iterator<Item = (u32, &'a str)> + Clone) {
        let Some(t) = self.table.as_mut() else { return };
        let width = cells.clone().last().map_or(0, |(c, _)| c as usize + 1);
        let have = t.info.headers.len();
        if width > have {
            let names = (have + 1..=width).map(|i| format!("col_{i}")).collect();
            ctx.extend_headers(t, names);
        }
        let mut next = 0u32;
        for (c, v) in cells {
            while next < c {
                t.batch.push_field("");
                next += 1;
            }
            t.batch.push_field(v);
            next = c + 1;
        }
        ctx.end_row(t);
    }

    /// Ends the sheet: begins it if it is still sampling, reports dropped cells, or says it is
    /// empty.
    pub fn finish(mut self, ctx: &mut Ctx) {
        if self.table.is_none() && !self.sample.is_empty() {
            self.begin(ctx);
        }
        if self.dropped_cells > 0 {
            let d = Diagnostic::new(
                Severity::Warning,
                "too-many-columns",
                &self.source,
                format!(
                    "{} cells beyond column {} (in {} rows) were not read; --max-columns raises the limit",
                    self.dropped_cells, ctx.opts.max_columns, self.dropped_rows
                ),
            )
            .table(&self.name);
            ctx.diag(d);
        }
        if self.bad_strings > 0 {
            let d = Diagnostic::new(
                Severity::Warning,
                "missing-shared-string",
                &self.source,
                format!(
                    "{} cells refer to shared strings the workbook does not hold (damaged, or past the shared-strings limit); they read as empty",
                    self.bad_strings
                ),
            )
            .table(&self.name);
            ctx.diag(d);
        }
        match self.table.take() {
            Some(t) => ctx.finish_table(t),
            None => ctx.diag(
                Diagnostic::new(
                    Severity::Info,
                    "empty-sheet",
                    &self.source,
                    "the sheet is empty",
                )
                .table(&self.name),
            ),
        }
    }
}
