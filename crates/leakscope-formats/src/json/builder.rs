//! One table being built from records: the first records decide the headers, later keys add
//! columns (up to the column limit), and every record becomes a row in column order.

use super::flat::{Field, Shape};
use crate::ctx::{Ctx, Table};
use crate::model::{Diagnostic, Severity};
use std::collections::{HashMap, HashSet};

/// Records buffered to learn a table's columns before it begins.
const HEADER_SAMPLE: usize = 1000;
/// ... or this many bytes of their text, whichever comes first.
const HEADER_SAMPLE_BYTES: usize = 8 << 20;
/// Distinct dropped keys counted exactly (past this, "at least").
const DROPPED_KEYS_COUNTED: usize = 100_000;

/// One record to add to a table.
pub(super) struct RowIn<'a> {
    pub text: &'a str,
    pub fields: &'a [Field],
    /// A field that comes first (`_id` from a `_bulk` action).
    pub extra: Option<(&'a str, &'a str)>,
    pub shape: Shape,
    pub no: u64,
    pub invalid_utf8: bool,
}

fn text_of(text: &str, r: (u32, u32)) -> &str {
    text.get(r.0 as usize..r.1 as usize).unwrap_or("\u{fffd}")
}

/// A record kept before its table begins (its own copy of keys and values).
struct Kept {
    text: String,
    fields: Vec<Field>,
    no: u64,
    invalid_utf8: bool,
}

/// A fast, unkeyed hash for column keys (a table has at most `max_columns` of them, so
/// colliding keys cannot make it degrade far).
#[derive(Default, Clone, Copy)]
struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            h = (h.rotate_left(5) ^ w).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
        for &b in chunks.remainder() {
            h = (h.rotate_left(5) ^ b as u64).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
        self.0 = h;
    }
}

type KeyBuild = std::hash::BuildHasherDefault<KeyHasher>;

/// Key → column, with the columns of the previous record's keys remembered by position:
/// records of one table mostly list the same keys in the same order, so most lookups are one
/// string comparison.
#[derive(Default)]
struct KeyMap {
    index: HashMap<Box<str>, u32, KeyBuild>,
    keys: Vec<Box<str>>,
    order: Vec<u32>,
}

impl KeyMap {
    /// The column of `key`, the `pos`-th key of its record.
    fn lookup(&mut self, pos: usize, key: &str) -> Option<u32> {
        if let Some(&c) = self.order.get(pos) {
            if self.keys.get(c as usize).is_some_and(|k| &**k == key) {
                return Some(c);
            }
        }
        let c = *self.index.get(key)?;
        self.remember(pos, c);
        Some(c)
    }

    fn remember(&mut self, pos: usize, c: u32) {
        if pos < self.order.len() {
            self.order[pos] = c;
        } else if pos == self.order.len() {
            self.order.push(c);
        }
    }

    /// Adds `key` as the next column.
    fn insert(&mut self, pos: usize, key: &str) -> u32 {
        let c = self.keys.len() as u32;
        self.keys.push(key.into());
        self.index.insert(key.into(), c);
        self.remember(pos, c);
        c
    }
}

/// One table being built.
pub(super) struct Builder {
    pub name: String,
    path: String,
    /// Shape of the first record: records of another shape are skipped.
    shape: Option<Shape>,
    table: Option<Table>,
    kept: Vec<Kept>,
    kept_bytes: usize,
    /// Key → column.
    index: KeyMap,
    /// Headers before the table begins.
    headers: Vec<String>,
    /// Scratch: (column, value) of the current row.
    cells: Vec<(u32, (u32, u32), bool)>,
    items: u64,
    skipped_before: u64,
    other_shape: u64,
    first_other_shape: u64,
    dropped_values: u64,
    dropped_rows: u64,
    dropped_keys: HashSet<Box<str>>,
    invalid_rows: u64,
    first_invalid: u64,
}

impl Builder {
    pub fn new(name: &str, path: &str) -> Self {
        Builder {
            name: name.to_string(),
            path: path.to_string(),
            shape: None,
            table: None,
            kept: Vec::new(),
            kept_bytes: 0,
            index: KeyMap::default(),
            headers: Vec::new(),
            cells: Vec::new(),
            items: 0,
            skipped_before: 0,
            other_shape: 0,
            first_other_shape: 0,
            dropped_values: 0,
            dropped_rows: 0,
            dropped_keys: HashSet::new(),
            invalid_rows: 0,
            first_invalid: 0,
        }
    }

    pub fn skipped(&mut self, n: u64) {
        match self.table.as_mut() {
            Some(t) => t.stats.rows_skipped += n,
            None => self.skipped_before += n,
        }
    }

    pub fn push(&mut self, ctx: &mut Ctx, source: &str, row: RowIn) {
        self.items += 1;
        let shape = *self.shape.get_or_insert(row.shape);
        if row.shape != shape {
            self.other_shape += 1;
            if self.first_other_shape == 0 {
                self.first_other_shape = self.items;
            }
            self.skipped(1);
            return;
        }
        if row.invalid_utf8 {
            self.invalid_rows += 1;
            if self.first_invalid == 0 {
                self.first_invalid = row.no;
            }
        }
        if self.table.is_none() {
            self.keep(ctx, &row);
            if self.kept.len() >= HEADER_SAMPLE || self.kept_bytes >= HEADER_SAMPLE_BYTES {
                self.begin(ctx, source);
            }
            return;
        }
        self.add(ctx, &row);
    }

    /// Keeps a record until the table begins, learning its keys.
    fn keep(&mut self, ctx: &Ctx, row: &RowIn) {
        let max = ctx.opts.max_columns.max(1);
        let mut k = Kept {
            text: String::new(),
            fields: Vec::with_capacity(row.fields.len() + 1),
            no: row.no,
            invalid_utf8: row.invalid_utf8,
        };
        let put = |k: &mut Kept, key: &str, val: &str| {
            let a = k.text.len() as u32;
            k.text.push_str(key);
            let b = k.text.len() as u32;
            k.text.push_str(val);
            let c = k.text.len() as u32;
            k.fields.push(Field {
                key: (a, b),
                val: (b, c),
            });
        };
        if let Some((key, val)) = row.extra {
            put(&mut k, key, val);
        }
        for f in row.fields {
            put(&mut k, text_of(row.text, f.key), text_of(row.text, f.val));
        }
        for (pos, f) in k.fields.iter().enumerate() {
            let key = text_of(&k.text, f.key);
            if self.index.lookup(pos, key).is_none() && self.headers.len() < max {
                self.index.insert(pos, key);
                self.headers.push(key.to_string());
            }
        }
        self.kept_bytes += k.text.len() + k.fields.len() * 16;
        self.kept.push(k);
    }

    fn begin(&mut self, ctx: &mut Ctx, source: &str) {
        let positional = self.shape != Some(Shape::Object);
        let headers = std::mem::take(&mut self.headers);
        let mut t = ctx.begin_table(source, &self.name, headers, !positional);
        t.stats.rows_skipped += self.skipped_before;
        if !self.path.is_empty() && self.path != self.name {
            let d = Diagnostic::new(
                Severity::Info,
                "json-path",
                source,
                format!(
                    "the rows are the records at `{}` in the document",
                    self.path
                ),
            )
            .table(&self.name);
            ctx.diag(d);
        }
        self.table = Some(t);
        for k in std::mem::take(&mut self.kept) {
            let row = RowIn {
                text: &k.text,
                fields: &k.fields,
                extra: None,
                shape: self.shape.unwrap_or(Shape::Object),
                no: k.no,
                invalid_utf8: k.invalid_utf8,
            };
            self.add(ctx, &row);
        }
        self.kept_bytes = 0;
    }

    /// Adds a record to the begun table: known keys go to their column, new keys add columns
    /// (up to the limit); the row ends at its last column present.
    fn add(&mut self, ctx: &mut Ctx, row: &RowIn) {
        let Some(t) = self.table.as_mut() else { return };
        let max = ctx.opts.max_columns.max(1);
        let mut width = t.info.headers.len();
        let mut new_names: Vec<String> = Vec::new();
        self.cells.clear();
        let mut dropped = false;
        let extra = row.extra;
        let mut sorted = true;
        let mut last = 0u32;
        // The extra field is placed by key like any other; its value lives outside `text`.
        let mut extra_cell: Option<(u32, &str)> = None;
        let mut resolve = |pos: usize, key: &str, index: &mut KeyMap| -> Option<u32> {
            if let Some(c) = index.lookup(pos, key) {
                return Some(c);
            }
            if width < max {
                width += 1;
                new_names.push(key.to_string());
                return Some(index.insert(pos, key));
            }
            None
        };
        let skip = extra.is_some() as usize;
        if let Some((k, v)) = extra {
            match resolve(0, k, &mut self.index) {
                Some(c) => extra_cell = Some((c, v)),
                None => dropped = true,
            }
        }
        for (pos, f) in row.fields.iter().enumerate() {
            let key = text_of(row.text, f.key);
            match resolve(pos + skip, key, &mut self.index) {
                Some(c) => {
                    sorted &= c >= last;
                    last = c;
                    self.cells.push((c, f.val, false));
                }
                None => {
                    dropped = true;
                    self.dropped_values += 1;
                    if self.dropped_keys.len() < DROPPED_KEYS_COUNTED {
                        self.dropped_keys.insert(key.into());
                    }
                }
            }
        }
        if let Some((c, _)) = extra_cell {
            self.cells.push((c, (0, 0), true));
            sorted = false;
        }
        if dropped {
            self.dropped_rows += 1;
        }
        if !new_names.is_empty() {
            ctx.extend_headers(t, new_names);
        }
        if !sorted {
            // Stable: of two values for one key, the later one wins below.
            self.cells.sort_by_key(|c| c.0);
        }
        let mut next = 0u32;
        let n = self.cells.len();
        for i in 0..n {
            let (c, val, is_extra) = self.cells[i];
            if i + 1 < n && self.cells[i + 1].0 == c {
                continue;
            }
            while next < c {
                t.batch.push_field("");
                next += 1;
            }
            let v = if is_extra {
                extra_cell.map_or("", |e| e.1)
            } else {
                text_of(row.text, val)
            };
            t.batch.push_field(v);
            next = c + 1;
        }
        ctx.end_row(t);
    }

    /// Ends the table (beginning it first if it is still sampling); false when it never had
    /// a record.
    pub fn finish(mut self, ctx: &mut Ctx, source: &str) -> bool {
        if self.table.is_none() && !self.kept.is_empty() {
            self.begin(ctx, source);
        }
        let name = self.name.clone();
        if self.other_shape > 0 {
            let what = match self.shape {
                Some(Shape::Array) => "not JSON arrays like the first",
                Some(Shape::Scalar) => "not plain values like the first",
                _ => "not JSON objects",
            };
            let d = Diagnostic::new(
                Severity::Warning,
                "json-non-object",
                source,
                format!(
                    "{} items are {what} and were skipped (first is item {})",
                    self.other_shape, self.first_other_shape
                ),
            )
            .table(&name)
            .skipped(self.other_shape);
            ctx.diag(d);
        }
        if self.invalid_rows > 0 {
            let d = Diagnostic::new(
                Severity::Warning,
                "invalid-utf8",
                source,
                format!(
                    "{} records held invalid UTF-8 bytes, replaced with U+FFFD (first at line {})",
                    self.invalid_rows, self.first_invalid
                ),
            )
            .table(&name)
            .line(self.first_invalid);
            ctx.diag(d);
        }
        if self.dropped_values > 0 {
            let keys = self.dropped_keys.len();
            let at_least = if keys >= DROPPED_KEYS_COUNTED {
                "at least "
            } else {
                ""
            };
            let max = ctx.opts.max_columns;
            let d = Diagnostic::new(Severity::Warning, "too-many-columns", source, format!("{at_least}{keys} keys beyond the first {max} columns were not read ({} values in {} records); --max-columns raises the limit", self.dropped_values, self.dropped_rows)).table(&name);
            ctx.diag(d);
        }
        match self.table.take() {
            Some(t) => {
                ctx.finish_table(t);
                true
            }
            None => false,
        }
    }
}
