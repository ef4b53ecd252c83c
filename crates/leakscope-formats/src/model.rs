//! The data model shared by every reader and every consumer of the reading layer.
//!
//! This is a contract between crates: readers produce these types, `leakscope-scan` and later
//! verbs consume them. Extend it, but do not change the meaning of existing items.

use serde::Serialize;

/// Facts about one source: a file, a member of an archive, or stdin.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SourceInfo {
    /// Display path; members of archives are written `outer.zip!/inner/users.csv`.
    pub path: String,
    /// Detected content format id: `csv`, `xlsx`, `xls`, `ods`, `json`, `ndjson`, `mysql-dump`,
    /// `pg-dump`, `combolist`, `unknown`, ...
    pub format: String,
    /// Detected (or overridden) text encoding, as an encoding label (`UTF-8`, `GBK`, `UTF-16LE`...);
    /// `None` for binary formats.
    pub encoding: Option<String>,
    /// Size in bytes of the source as stored (compressed size for compressed sources).
    pub bytes: u64,
    /// Decompression/unpacking steps from the outside in, e.g. `["zip", "gzip"]`.
    pub compression: Vec<String>,
}

/// One table inside a source: a CSV file, a sheet, a SQL table, a JSON array.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TableInfo {
    /// Sequential id of the table within one read, unique across all sources of that read.
    pub id: u32,
    /// Table name: the SQL table name, the sheet name, or the file stem.
    pub name: String,
    /// Display path of the source the table came from (same as [`SourceInfo::path`]).
    pub source: String,
    /// Column headers; `col_1`, `col_2`... when the source has no header row. They may grow
    /// at the end while the table is read ([`Sink::headers_extended`]); the info handed to
    /// [`Sink::rows`] and [`Sink::end_table`] has the headers known at that point.
    pub headers: Vec<String>,
    /// Whether the headers came from the data (false when synthesised as `col_N`).
    pub has_header_row: bool,
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something was odd but everything was read.
    Info,
    /// Part of the input was skipped; the rest was read.
    Warning,
    /// A source (or table) could not be read at all, or reading stopped early.
    Error,
}

/// A located message about the input: where, what, and what was done about it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// Stable machine-readable code, e.g. `truncated-gzip`, `zip-bomb`, `encrypted-archive`.
    pub code: String,
    /// Human message; never contains raw cell values.
    pub message: String,
    /// Display path of the source.
    pub source: String,
    /// Table name, or sheet, when the problem is inside one.
    pub table: Option<String>,
    /// 1-based line number, when known.
    pub line: Option<u64>,
    /// Byte offset in the (decompressed) stream, when known.
    pub offset: Option<u64>,
    /// Rows skipped because of this problem.
    pub rows_skipped: u64,
}

/// Counts for one finished table.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct TableStats {
    /// Rows delivered to the sink.
    pub rows: u64,
    /// Rows that could not be read; each is accounted for by a [`Diagnostic`].
    pub rows_skipped: u64,
}

/// A batch of rows of one table, stored contiguously so it is cheap to move between threads.
#[derive(Debug, Clone, Default)]
pub struct RowBatch {
    text: String,
    field_ends: Vec<usize>,
    row_ends: Vec<usize>,
    /// 1-based number of the first row of this batch within its table.
    pub first_row: u64,
}

impl RowBatch {
    /// An empty batch whose first row will be row `first_row` of its table.
    pub fn new(first_row: u64) -> Self {
        RowBatch {
            first_row,
            ..Default::default()
        }
    }

    /// An empty batch with room for `text_bytes` of cell text, `fields` fields and `rows` rows.
    pub fn with_capacity(first_row: u64, text_bytes: usize, fields: usize, rows: usize) -> Self {
        RowBatch {
            text: String::with_capacity(text_bytes),
            field_ends: Vec::with_capacity(fields),
            row_ends: Vec::with_capacity(rows),
            first_row,
        }
    }

    /// Bytes of buffer capacity held (text, field and row ends).
    pub fn capacity_bytes(&self) -> usize {
        self.text.capacity()
            + (self.field_ends.capacity() + self.row_ends.capacity()) * std::mem::size_of::<usize>()
    }

    /// Makes room for at least this much more text, fields and rows.
    pub fn reserve(&mut self, text_bytes: usize, fields: usize, rows: usize) {
        self.text.reserve(text_bytes);
        self.field_ends.reserve(fields);
        self.row_ends.reserve(rows);
    }

    /// Number of fields held (all rows).
    pub fn field_count(&self) -> usize {
        self.field_ends.len()
    }

    /// Appends a field to the current row.
    #[inline]
    pub fn push_field(&mut self, value: &str) {
        self.text.push_str(value);
        self.field_ends.push(self.text.len());
    }

    /// Appends several fields at once: `text` is their concatenation and `ends` their end offsets
    /// within it (ascending). Returns false, adding nothing, when an end is out of order, past the
    /// text, or not on a character boundary.
    pub fn push_fields_concat(&mut self, text: &str, ends: &[usize]) -> bool {
        let mut prev = 0;
        for &e in ends {
            if e < prev || !text.is_char_boundary(e) {
                return false;
            }
            prev = e;
        }
        let base = self.text.len();
        self.text.push_str(&text[..prev]);
        self.field_ends.extend(ends.iter().map(|&e| base + e));
        true
    }

    /// Where the row being built stands (text bytes, fields), to undo it with
    /// [`RowBatch::rollback`].
    pub(crate) fn mark(&self) -> (usize, usize) {
        (self.text.len(), self.field_ends.len())
    }

    /// Removes the fields pushed since `mark`.
    pub(crate) fn rollback(&mut self, mark: (usize, usize)) {
        self.text.truncate(mark.0);
        self.field_ends.truncate(mark.1);
    }

    /// Ends the current row.
    #[inline]
    pub fn end_row(&mut self) {
        self.row_ends.push(self.field_ends.len());
    }

    /// Number of complete rows.
    #[inline]
    pub fn len(&self) -> usize {
        self.row_ends.len()
    }

    /// True when the batch holds no rows.
    pub fn is_empty(&self) -> bool {
        self.row_ends.is_empty()
    }

    /// Bytes of cell text held.
    pub fn text_bytes(&self) -> usize {
        self.text.len()
    }

    /// Removes all rows, keeping the allocations; the next row gets number `first_row`.
    pub fn clear(&mut self, first_row: u64) {
        self.text.clear();
        self.field_ends.clear();
        self.row_ends.clear();
        self.first_row = first_row;
    }

    /// Row `i` of the batch.
    #[inline]
    pub fn row(&self, i: usize) -> Row<'_> {
        let end = self.row_ends[i];
        let start = if i == 0 { 0 } else { self.row_ends[i - 1] };
        Row {
            batch: self,
            fields: start..end,
        }
    }

    /// All rows in order.
    pub fn rows(&self) -> impl ExactSizeIterator<Item = Row<'_>> + '_ {
        (0..self.len()).map(move |i| self.row(i))
    }
}

/// A borrowed row of a [`RowBatch`].
#[derive(Debug, Clone)]
pub struct Row<'a> {
    batch: &'a RowBatch,
    fields: std::ops::Range<usize>,
}

impl<'a> Row<'a> {
    /// Number of fields in this row (may differ from the header count in ragged files).
    #[inline]
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// True when the row has no fields.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Field `i`, if present.
    #[inline]
    pub fn get(&self, i: usize) -> Option<&'a str> {
        if i >= self.len() {
            return None;
        }
        let f = self.fields.start + i;
        let end = self.batch.field_ends[f];
        let start = if f == 0 {
            0
        } else {
            self.batch.field_ends[f - 1]
        };
        Some(&self.batch.text[start..end])
    }

    /// All fields in order.
    #[inline]
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &'a str> + 'a {
        let batch: &'a RowBatch = self.batch;
        let ends = &batch.field_ends[self.fields.clone()];
        let mut prev = match self.fields.start {
            0 => 0,
            f => batch.field_ends[f - 1],
        };
        ends.iter().map(move |&e| {
            let field = batch.text.get(prev..e).unwrap_or("");
            prev = e;
            field
        })
    }
}

/// Whether the reader should go on after a sink call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Keep reading.
    Continue,
    /// Stop reading everything (e.g. the user asked for a sample only).
    Stop,
}

/// Receives what the reader finds, in order: a source, its tables, their row batches, and
/// diagnostics whenever they occur.
pub trait Sink {
    /// A new source begins (format and encoding already detected).
    fn begin_source(&mut self, _source: &SourceInfo) {}
    /// A new table begins; its batches follow.
    fn begin_table(&mut self, _table: &TableInfo) {}
    /// The table's header list grew (keys first seen after the table began, e.g. a JSON key
    /// that appears late): `table.headers[from..]` are new. Headers only ever grow at the end.
    /// A row with fewer fields than the headers has empty values in the missing columns, so
    /// rows delivered before (and rows of the batch in progress) read as empty there. Sinks
    /// that ignore this call still get every value: later batches are simply wider.
    fn headers_extended(&mut self, _table: &TableInfo, _from: usize) {}
    /// A batch of rows of `table`. The sink owns the batch.
    fn rows(&mut self, table: &TableInfo, batch: RowBatch) -> Flow;
    /// A table is finished.
    fn end_table(&mut self, _table: &TableInfo, _stats: &TableStats) {}
    /// A source is finished.
    fn end_source(&mut self, _source: &SourceInfo) {}
    /// Something worth reporting happened.
    fn diagnostic(&mut self, _diagnostic: &Diagnostic) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_round_trips_ragged_rows() {
        let mut b = RowBatch::new(1);
        b.push_field("a");
        b.push_field("");
        b.end_row();
        b.push_field("ü");
        b.end_row();
        b.end_row();
        assert_eq!(b.len(), 3);
        assert_eq!(b.row(0).iter().collect::<Vec<_>>(), vec!["a", ""]);
        assert_eq!(b.row(1).get(0), Some("ü"));
        assert_eq!(b.row(1).get(1), None);
        assert!(b.row(2).is_empty());
    }

    #[test]
    fn concat_push_checks_boundaries() {
        let mut b = RowBatch::new(1);
        assert!(b.push_fields_concat("abécd", &[2, 4, 6]));
        b.end_row();
        assert_eq!(b.row(0).iter().collect::<Vec<_>>(), vec!["ab", "é", "cd"]);
        assert!(!b.push_fields_concat("é", &[1]));
        assert!(!b.push_fields_concat("abc", &[2, 1]));
        assert!(!b.push_fields_concat("abc", &[4]));
        assert_eq!(b.field_count(), 3);
    }
}
