//! The reading thread's side of the document readers: parsed records (in input order) → tables.
//!
//! A table begins once its first records are known (up to [`HEADER_SAMPLE`] records or
//! [`HEADER_SAMPLE_BYTES`]), with the keys of those records as headers in first-seen order.
//! A key first seen later adds a column (`Ctx::extend_headers`): nothing is lost, however late
//! it appears. A table has at most `ReadOptions::max_columns` columns; values of further keys
//! are counted and reported (`too-many-columns`), so memory stays linear in the input.

use super::es::OpKind;
use super::flat::{Field, Shape};
use super::pipeline::{Items, Kind, Rec};
use crate::ctx::{Ctx, Table};
use crate::model::{Diagnostic, Severity};
use std::collections::{HashMap, HashSet};

/// Records buffered to learn a table's columns before it begins.
const HEADER_SAMPLE: usize = 1000;
/// ... or this many bytes of their text, whichever comes first.
const HEADER_SAMPLE_BYTES: usize = 8 << 20;
/// Distinct dropped keys counted exactly (past this, "at least").
const DROPPED_KEYS_COUNTED: usize = 100_000;

/// A group of records that form one table unless they name their own (an array of records
/// at a key path, a dictionary of records, the lines of a file).
struct Group {
    name: String,
    /// Key path of the records in the document (`result.users`), empty for the whole input.
    path: String,
    builder: Option<usize>,
}

/// A pending `_bulk` action waiting for its document line.
struct Pending {
    kind: OpKind,
    index: Option<String>,
    id: Option<String>,
}

/// Builds the tables of one source.
pub(crate) struct Tables<'c, 'o> {
    pub ctx: &'c mut Ctx<'o>,
    pub source: String,
    stem: String,
    groups: Vec<Group>,
    builders: Vec<Builder>,
    by_name: HashMap<String, usize>,
    stem_taken: bool,
    pending: Option<Pending>,
    bulk_deletes: u64,
    bulk_orphans: u64,
    /// Values outside any array of records (document mode), and some of their key paths.
    pub wrapper_values: u64,
    pub wrapper_paths: Vec<String>,
}

impl<'c, 'o> Tables<'c, 'o> {
    pub fn new(ctx: &'c mut Ctx<'o>, source: &str, stem: &str) -> Self {
        Tables {
            ctx,
            source: source.to_string(),
            stem: stem.to_string(),
            groups: Vec::new(),
            builders: Vec::new(),
            by_name: HashMap::new(),
            stem_taken: false,
            pending: None,
            bulk_deletes: 0,
            bulk_orphans: 0,
            wrapper_values: 0,
            wrapper_paths: Vec::new(),
        }
    }

    /// True when the sink asked to stop.
    pub fn stopped(&self) -> bool {
        self.ctx.stopped
    }

    /// The stem (file name without extension) tables are named after.
    pub fn stem(&self) -> &str {
        &self.stem
    }

    /// Registers a group of records found at key `path` and returns its id. The first group
    /// of a source is named after the file (as a CSV or a top-level array would be); later
    /// ones after their key path.
    pub fn group(&mut self, path: &str) -> u32 {
        let name = if path.is_empty() || !self.stem_taken {
            self.stem.clone()
        } else {
            path.to_string()
        };
        self.stem_taken = true;
        self.groups.push(Group {
            name,
            path: path.to_string(),
            builder: None,
        });
        (self.groups.len() - 1) as u32
    }

    /// Records tables found so far.
    pub fn groups(&self) -> usize {
        self.groups.len()
    }

    /// Notes a value outside every array of records (document mode).
    pub fn wrapper_value(&mut self, path: &str) {
        self.wrapper_values += 1;
        if self.wrapper_paths.len() < 8 && !self.wrapper_paths.iter().any(|p| p == path) {
            self.wrapper_paths.push(path.to_string());
        }
    }

    fn builder_named(&mut self, name: &str, path: &str) -> usize {
        if let Some(&b) = self.by_name.get(name) {
            return b;
        }
        self.builders.push(Builder::new(name, path));
        let b = self.builders.len() - 1;
        self.by_name.insert(name.to_string(), b);
        b
    }

    fn builder_of_group(&mut self, g: u32) -> usize {
        let g = g as usize;
        if g >= self.groups.len() {
            // Records cut before any group was registered belong to the whole input.
            while self.groups.len() <= g {
                self.group("");
            }
        }
        if let Some(b) = self.groups[g].builder {
            return b;
        }
        let (name, path) = (self.groups[g].name.clone(), self.groups[g].path.clone());
        let b = self.builder_named(&name, &path);
        self.groups[g].builder = Some(b);
        b
    }

    /// Applies the parse of one block, record by record, in order.
    pub fn apply(&mut self, items: &Items) {
        // The parse output is valid UTF-8 by construction: checked once per block here, so
        // every field below is a plain slice.
        let owned;
        let text = match simdutf8::basic::from_utf8(&items.out.text) {
            Ok(t) => t,
            Err(_) => {
                owned = String::from_utf8_lossy(&items.out.text).into_owned();
                &owned
            }
        };
        for rec in &items.recs {
            if self.ctx.stopped {
                return;
            }
            self.record(items, text, rec);
        }
    }

    fn record(&mut self, items: &Items, text: &str, rec: &Rec) {
        let out = &items.out;
        let fields = &out.fields[rec.fields.0 as usize..rec.fields.1 as usize];
        match rec.kind {
            Kind::Action(op) => {
                if self.pending.take().is_some() {
                    self.bulk_orphans += 1;
                }
                let s = |r: Option<(u32, u32)>| r.map(|r| out.str(r).to_string());
                if op.kind == OpKind::Delete {
                    self.bulk_deletes += 1;
                } else {
                    self.pending = Some(Pending {
                        kind: op.kind,
                        index: s(op.index),
                        id: s(op.id),
                    });
                }
            }
            Kind::Row(shape) => {
                let (b, id, selected);
                if let Some(p) = self.pending.take() {
                    let name = p.index.unwrap_or_else(|| self.stem.clone());
                    b = self.builder_named(&name, "");
                    id = p.id;
                    selected = (p.kind == OpKind::Update).then(|| update_fields(out, fields));
                } else if let Some(r) = rec.route {
                    let name = out.str(r).to_string();
                    b = self.builder_named(&name, "");
                    id = None;
                    selected = None;
                } else {
                    b = self.builder_of_group(rec.group);
                    id = None;
                    selected = None;
                }
                let fields = selected.as_deref().unwrap_or(fields);
                let extra = id.as_deref().map(|v| ("_id", v));
                let row = RowIn {
                    text,
                    fields,
                    extra,
                    shape,
                    no: rec.no,
                    invalid_utf8: rec.invalid_utf8,
                };
                let source = self.source.clone();
                self.builders[b].push(self.ctx, &source, row);
            }
            Kind::Bad { eof, column } => {
                let b = self.builder_of_group(rec.group);
                let what = if eof {
                    "JSON record is cut short"
                } else {
                    "JSON record is not valid"
                };
                let msg = format!("{what} (column {column}); the record was skipped");
                self.skip(b, rec, "json-syntax", msg);
            }
            Kind::Oversize => {
                let b = self.builder_of_group(rec.group);
                let max = self.ctx.opts.max_record_bytes;
                let msg = format!("a record longer than {max} bytes was skipped");
                self.skip(b, rec, "record-too-large", msg);
            }
        }
    }

    fn skip(&mut self, b: usize, rec: &Rec, code: &str, msg: String) {
        let name = self.builders[b].name.clone();
        let mut d = Diagnostic::new(Severity::Warning, code, &self.source, msg)
            .table(&name)
            .offset(rec.offset)
            .skipped(1);
        if rec.no > 0 {
            d = d.line(rec.no);
        }
        self.ctx.diag(d);
        self.builders[b].skipped(1);
    }

    /// Reports a problem of the whole source (located), after everything before it was applied.
    pub fn problem(&mut self, code: &str, msg: String, line: u64, offset: u64) {
        let d = Diagnostic::new(Severity::Warning, code, &self.source, msg)
            .line(line)
            .offset(offset);
        self.ctx.diag(d);
    }

    /// Begins and ends every table, with the per-table summaries; `no-rows` when nothing was
    /// found and nothing else explains it.
    pub fn finish(mut self) {
        if self.bulk_orphans > 0 || self.bulk_deletes > 0 {
            let d = Diagnostic::new(Severity::Info, "es-bulk", &self.source, format!("Elasticsearch _bulk body: {} delete actions (no document), {} actions without their document line", self.bulk_deletes, self.bulk_orphans));
            self.ctx.diag(d);
        }
        if self.wrapper_values > 0 {
            let names = self.wrapper_paths.join(", ");
            let more = if self.wrapper_values as usize > self.wrapper_paths.len() {
                ", …"
            } else {
                ""
            };
            let d = Diagnostic::new(
                Severity::Info,
                "json-wrapper",
                &self.source,
                format!(
                    "{} values outside the arrays of records were not read as rows ({names}{more})",
                    self.wrapper_values
                ),
            );
            self.ctx.diag(d);
        }
        let mut any = false;
        let source = self.source.clone();
        for b in std::mem::take(&mut self.builders) {
            any |= b.finish(self.ctx, &source);
        }
        if !any && self.ctx.source_errors == 0 {
            let d = Diagnostic::new(
                Severity::Warning,
                "no-rows",
                &self.source,
                "no JSON records found",
            )
            .table(&self.stem);
            self.ctx.diag(d);
        }
    }
}

/// The document of a `_bulk` update line: `doc.*` fields renamed without the prefix, else
/// `upsert.*` (a scripted update without either has no document).
fn update_fields(out: &super::flat::Out, fields: &[Field]) -> Vec<Field> {
    for prefix in ["doc.", "upsert."] {
        let picked: Vec<Field> = fields
            .iter()
            .filter(|f| out.str(f.key).starts_with(prefix))
            .map(|f| Field {
                key: (f.key.0 + prefix.len() as u32, f.key.1),
                val: f.val,
            })
            .collect();
        if !picked.is_empty() {
            return picked;
        }
    }
    Vec::new()
}

/// One record to add to a table.
struct RowIn<'a> {
    text: &'a str,
    fields: &'a [Field],
    /// A field that comes first (`_id` from a `_bulk` action).
    extra: Option<(&'a str, &'a str)>,
    shape: Shape,
    no: u64,
    invalid_utf8: bool,
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
struct Builder {
    name: String,
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
    fn new(name: &str, path: &str) -> Self {
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

    fn skipped(&mut self, n: u64) {
        match self.table.as_mut() {
            Some(t) => t.stats.rows_skipped += n,
            None => self.skipped_before += n,
        }
    }

    fn push(&mut self, ctx: &mut Ctx, source: &str, row: RowIn) {
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
    fn finish(mut self, ctx: &mut Ctx, source: &str) -> bool {
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
