//! Streaming reader for delimited text (CSV, TSV, `;`, `|`, combolists) built on `csv-core`.
//!
//! Inputs that fit in one block are read by [`sequential`]. Larger inputs are cut at record
//! boundaries into blocks that [`parallel`] parses on every core and delivers in order; any block
//! that is not clean (a quoted field across the cut, an unbalanced quote, an oversized record)
//! hands the rest of the input to the sequential reader, so both paths give the same rows and
//! diagnostics.

mod block;
mod fast;
pub(crate) mod parallel;
mod sequential;

use crate::ctx::{synth_headers, Ctx, Table};
use crate::model::{Diagnostic, RowBatch, Severity};
use crate::sniff::Dialect;
use std::io::Read;

/// A quoted field spanning more lines than this is taken as an unbalanced quote: the lines are
/// re-read without quote handling.
pub const MAX_RECORD_LINES: u64 = 1000;

/// Per-table counters of problems reported once at the end.
#[derive(Default, Clone, Debug, PartialEq, Eq)]
pub(crate) struct Problems {
    invalid_utf8_rows: u64,
    first_invalid_line: u64,
    ragged_rows: u64,
    first_ragged_line: u64,
    /// Records whose every field is empty (`,,,`), not delivered.
    empty_rows: u64,
    /// Records wider than the column cap, and the fields dropped from them.
    capped_rows: u64,
    capped_fields: u64,
    first_capped_line: u64,
}

impl Problems {
    /// Adds the problems of a block whose line numbers are relative to `base_lines` newlines.
    fn absorb(&mut self, block: &Problems, base_lines: u64) {
        if self.first_invalid_line == 0 && block.first_invalid_line > 0 {
            self.first_invalid_line = base_lines + block.first_invalid_line;
        }
        if self.first_ragged_line == 0 && block.first_ragged_line > 0 {
            self.first_ragged_line = base_lines + block.first_ragged_line;
        }
        if self.first_capped_line == 0 && block.first_capped_line > 0 {
            self.first_capped_line = base_lines + block.first_capped_line;
        }
        self.capped_rows += block.capped_rows;
        self.capped_fields += block.capped_fields;
        self.invalid_utf8_rows += block.invalid_utf8_rows;
        self.ragged_rows += block.ragged_rows;
        self.empty_rows += block.empty_rows;
    }
}

/// Where a record came from.
#[derive(Clone, Copy)]
struct Loc {
    line: u64,
    offset: u64,
}

/// Reads delimited text from `input` (UTF-8) as one table named `name`.
pub(crate) fn read_delimited(
    ctx: &mut Ctx,
    source: &str,
    name: &str,
    input: &mut dyn Read,
    dialect: &Dialect,
) {
    let threads = ctx.opts.parse_threads();
    let mut capped = dialect.clone();
    capped.max_columns = ctx.opts.max_columns.max(1);
    let dialect = &capped;
    if threads > 1 {
        parallel::read(ctx, source, name, input, dialect, threads);
    } else {
        sequential::read(
            ctx,
            source,
            name,
            input,
            dialect,
            sequential::Resume::start(),
        );
    }
}

/// The header names of a first record (lossy UTF-8, byte-order mark removed).
fn header_names(rec: &[u8], ends: &[usize]) -> Vec<String> {
    let mut headers = Vec::with_capacity(ends.len());
    let mut s = 0;
    for &e in ends {
        headers.push(String::from_utf8_lossy(&rec[s..e]).into_owned());
        s = e;
    }
    if let Some(h) = headers.first_mut() {
        if let Some(stripped) = h.strip_prefix('\u{feff}') {
            *h = stripped.to_string();
        }
    }
    headers
}

/// Columns of a header-less table whose first record has `first_fields` fields (at most the
/// column cap).
fn headerless_width(dialect: &Dialect, first_fields: usize) -> usize {
    dialect
        .columns
        .max(first_fields)
        .min(dialect.max_columns)
        .max(1)
}

/// Header names cut to the column cap (the fields past it are dropped from every row).
fn capped_names(dialect: &Dialect, mut names: Vec<String>) -> Vec<String> {
    names.truncate(dialect.max_columns.max(1));
    names
}

/// Starts the table from the first record.
fn begin(
    ctx: &mut Ctx,
    source: &str,
    name: &str,
    dialect: &Dialect,
    rec: &[u8],
    ends: &[usize],
) -> Table {
    if dialect.has_header {
        ctx.begin_table(
            source,
            name,
            capped_names(dialect, header_names(rec, ends)),
            true,
        )
    } else {
        let n = headerless_width(dialect, ends.len());
        ctx.begin_table(source, name, synth_headers(n), false)
    }
}

/// Pushes the fields of one record (its bytes `rec`, field ends `ends`) into `batch`, counting
/// invalid UTF-8 and rows whose width differs from `width`; `line` gives the record's first line,
/// asked only for the first problem of each kind. The caller ends the row.
#[allow(clippy::too_many_arguments)]
fn emit(
    batch: &mut RowBatch,
    width: usize,
    dialect: &Dialect,
    rec: &[u8],
    ends: &[usize],
    line: impl Fn() -> u64,
    problems: &mut Problems,
    scratch: &mut String,
) {
    let limit = dialect.max_fields.unwrap_or(usize::MAX);
    let ends = if ends.len() > dialect.max_columns && limit > dialect.max_columns {
        problems.capped_rows += 1;
        problems.capped_fields += (ends.len() - dialect.max_columns) as u64;
        if problems.first_capped_line == 0 {
            problems.first_capped_line = line();
        }
        &ends[..dialect.max_columns]
    } else {
        ends
    };
    match simdutf8::basic::from_utf8(rec) {
        Ok(text) => push_fields(batch, text, ends, limit, dialect.delimiter, scratch),
        Err(_) => {
            problems.invalid_utf8_rows += 1;
            if problems.first_invalid_line == 0 {
                problems.first_invalid_line = line();
            }
            // Lossy replacement changes lengths: rebuild field ends from the per-field lossy text.
            let mut s = 0;
            let mut fixed = String::with_capacity(rec.len() + 8);
            let mut fixed_ends = Vec::with_capacity(ends.len());
            for &e in ends {
                fixed.push_str(&String::from_utf8_lossy(&rec[s..e]));
                fixed_ends.push(fixed.len());
                s = e;
            }
            push_fields(
                batch,
                &fixed,
                &fixed_ends,
                limit,
                dialect.delimiter,
                scratch,
            );
        }
    }
    let n = ends.len().min(limit);
    if n != width {
        problems.ragged_rows += 1;
        if problems.first_ragged_line == 0 {
            problems.first_ragged_line = line();
        }
    }
}

/// Pushes the fields of a valid UTF-8 record; fields past `limit` are joined back with the delimiter.
fn push_fields(
    batch: &mut RowBatch,
    text: &str,
    ends: &[usize],
    limit: usize,
    delim: u8,
    scratch: &mut String,
) {
    if ends.len() <= limit && batch.push_fields_concat(text, ends) {
        return;
    }
    let mut s = 0;
    for (i, &e) in ends.iter().enumerate() {
        if i + 1 == limit && ends.len() > limit {
            scratch.clear();
            let mut fs = s;
            for (j, &fe) in ends[i..].iter().enumerate() {
                if j > 0 {
                    scratch.push(delim as char);
                }
                scratch.push_str(text.get(fs..fe).unwrap_or("\u{fffd}"));
                fs = fe;
            }
            batch.push_field(scratch);
            return;
        }
        match text.get(s..e) {
            Some(f) => batch.push_field(f),
            None => batch.push_field(&String::from_utf8_lossy(&text.as_bytes()[s..e])),
        }
        s = e;
    }
}

/// Reports per-table problems and ends the table.
fn finish(ctx: &mut Ctx, t: Table, source: &str, name: &str, p: &Problems) {
    if p.invalid_utf8_rows > 0 {
        ctx.diag(
            Diagnostic::new(
                Severity::Warning,
                "invalid-utf8",
                source,
                format!(
                    "{} rows held invalid UTF-8 bytes, replaced with U+FFFD (first at line {})",
                    p.invalid_utf8_rows, p.first_invalid_line
                ),
            )
            .table(name)
            .line(p.first_invalid_line),
        );
    }
    if p.ragged_rows > 0 {
        ctx.diag(
            Diagnostic::new(Severity::Info, "ragged-rows", source, format!("{} rows have a different number of fields than the {} columns (first at line {}); they were kept as they are", p.ragged_rows, t.info.headers.len(), p.first_ragged_line))
                .table(name)
                .line(p.first_ragged_line),
        );
    }
    if p.capped_rows > 0 {
        ctx.diag(
            Diagnostic::new(
                Severity::Warning,
                "too-many-columns",
                source,
                format!(
                    "{} fields beyond the first {} columns were not read ({} records, first at line {}); --max-columns raises the limit",
                    p.capped_fields,
                    t.info.headers.len(),
                    p.capped_rows,
                    p.first_capped_line
                ),
            )
            .table(name)
            .line(p.first_capped_line),
        );
    }
    if p.empty_rows > 0 {
        ctx.diag(
            Diagnostic::new(
                Severity::Info,
                "empty-rows",
                source,
                format!(
                    "{} rows had no value in any column (only delimiters) and were left out",
                    p.empty_rows
                ),
            )
            .table(name),
        );
    }
    ctx.finish_table(t);
}
