//! The reading thread's side of the document readers: parsed records (in input order) → tables.
//!
//! A table begins once its first records are known (up to 1,000 records or 8 MiB of them,
//! `builder.rs`), with the keys of those records as headers in first-seen order.
//! A key first seen later adds a column (`Ctx::extend_headers`): nothing is lost, however late
//! it appears. A table has at most `ReadOptions::max_columns` columns; values of further keys
//! are counted and reported (`too-many-columns`), so memory stays linear in the input.

use super::builder::{Builder, RowIn};
use super::es::OpKind;
use super::flat::Field;
use super::pipeline::{Items, Kind, Rec};
use crate::ctx::Ctx;
use crate::model::{Diagnostic, Severity};
use std::collections::HashMap;

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
