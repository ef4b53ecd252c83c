//! Where the SQL statement handlers put what they find: straight into the read's sink
//! ([`CtxOut`], used by the sequential reader and by the replay of parsed blocks), or into an
//! ordered list of [`Event`]s that the reading thread replays later ([`BlockOut`], on a parser
//! thread of the parallel reader).

use crate::ctx::{synth_headers, Ctx, Table, MAX_BATCH_BYTES};
use crate::model::{Diagnostic, RowBatch};
use std::collections::HashMap;

/// The table rows go to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// A table named by the statement, with the statement's own column list, if any.
    Named {
        name: String,
        explicit: Option<Vec<String>>,
    },
    /// The table of a statement that began in an earlier block (a block that starts inside a
    /// COPY data section or an INSERT's value list); the reading thread knows which.
    Inherited,
}

impl Target {
    /// The table name, when known here.
    pub fn name(&self) -> Option<&str> {
        match self {
            Target::Named { name, .. } => Some(name),
            Target::Inherited => None,
        }
    }
}

/// The receiving end of the statement handlers.
pub(crate) trait Out {
    /// The sink asked to stop.
    fn stopped(&self) -> bool;
    /// `CREATE TABLE name (cols…)` was read.
    fn define(&mut self, table: String, cols: Vec<String>);
    /// The next rows belong to `target`; `width` is the first row's width (for synthesised
    /// headers when the dump names no columns).
    fn table_for(&mut self, target: &Target, width: usize);
    /// Name of the table rows currently go to, when known.
    fn current_name(&self) -> Option<String>;
    /// One row of the current table: its fields concatenated in `text`, ending at `ends`.
    fn row(&mut self, text: &[u8], ends: &[usize]);
    /// A located problem; rows it skipped are counted against the current table.
    fn problem(&mut self, d: Diagnostic);
}

impl<T: Out + ?Sized> Out for &mut T {
    fn stopped(&self) -> bool {
        (**self).stopped()
    }
    fn define(&mut self, table: String, cols: Vec<String>) {
        (**self).define(table, cols)
    }
    fn table_for(&mut self, target: &Target, width: usize) {
        (**self).table_for(target, width)
    }
    fn current_name(&self) -> Option<String> {
        (**self).current_name()
    }
    fn row(&mut self, text: &[u8], ends: &[usize]) {
        (**self).row(text, ends)
    }
    fn problem(&mut self, d: Diagnostic) {
        (**self).problem(d)
    }
}

/// Appends a row's fields to `batch` (invalid UTF-8 replaced field by field).
fn push_row(batch: &mut RowBatch, text: &[u8], ends: &[usize]) {
    if let Ok(s) = simdutf8::basic::from_utf8(text) {
        if batch.push_fields_concat(s, ends) {
            return;
        }
    }
    let mut start = 0;
    for &e in ends {
        let e = e.clamp(start, text.len());
        batch.push_field(&String::from_utf8_lossy(&text[start..e]));
        start = e;
    }
}

/// Delivers to the read's sink: the tables a dump defined and the one being filled.
pub(crate) struct CtxOut<'c, 'o> {
    pub ctx: &'c mut Ctx<'o>,
    pub source: String,
    /// Columns of every `CREATE TABLE` read so far.
    columns: HashMap<String, Vec<String>>,
    /// The table rows go to.
    pub current: Option<Table>,
    /// What header-less tables got from other inputs' schemas.
    notes: crate::schema::Notes,
}

impl<'c, 'o> CtxOut<'c, 'o> {
    pub fn new(ctx: &'c mut Ctx<'o>, source: &str) -> Self {
        CtxOut {
            ctx,
            source: source.to_string(),
            columns: HashMap::new(),
            current: None,
            notes: crate::schema::Notes::default(),
        }
    }

    /// Ends the table being filled and says what header-less tables got their columns from.
    pub fn finish(mut self) {
        if let Some(t) = self.current.take() {
            self.ctx.finish_table(t);
        }
        let notes = std::mem::take(&mut self.notes);
        notes.report(self.ctx, &self.source);
    }

    /// Reports a problem of the read (no table, no location) right away.
    pub fn problem_now(&mut self, severity: crate::model::Severity, code: &str, message: String) {
        let mut d = Diagnostic::new(severity, code, &self.source, message);
        d.table = self.current_name();
        self.problem(d);
    }

    /// Tables this dump defined with `CREATE TABLE`.
    pub fn defined(&self) -> usize {
        self.columns.len()
    }

    /// Hands a batch parsed on another thread to the sink as the next rows of the current table.
    pub fn deliver(&mut self, batch: RowBatch) {
        if let Some(t) = self.current.as_mut() {
            self.ctx.deliver(t, batch);
        }
    }
}

impl Out for CtxOut<'_, '_> {
    fn stopped(&self) -> bool {
        self.ctx.stopped
    }

    fn define(&mut self, table: String, cols: Vec<String>) {
        self.ctx.schemas.define(&table, &cols, &self.source);
        self.columns.insert(table, cols);
    }

    fn table_for(&mut self, target: &Target, width: usize) {
        let Target::Named { name, explicit } = target else {
            // Never reached: the reading thread resolves inherited targets before replaying.
            return;
        };
        if self.current.as_ref().is_some_and(|t| &t.info.name == name) {
            return;
        }
        if let Some(t) = self.current.take() {
            self.ctx.finish_table(t);
        }
        let (headers, real) = match explicit.clone().or_else(|| self.columns.get(name).cloned()) {
            Some(h) if !h.is_empty() => (h, true),
            // Not defined in this dump: a definition from another input of the read.
            _ => {
                let found = crate::schema::columns_for(self.ctx, name, width);
                self.notes.record(name, found.as_ref());
                match found {
                    Some(s) => (s.columns, true),
                    None => (synth_headers(width), false),
                }
            }
        };
        self.current = Some(self.ctx.begin_table(&self.source, name, headers, real));
    }

    fn current_name(&self) -> Option<String> {
        self.current.as_ref().map(|t| t.info.name.clone())
    }

    fn row(&mut self, text: &[u8], ends: &[usize]) {
        let Some(t) = self.current.as_mut() else {
            return;
        };
        push_row(&mut t.batch, text, ends);
        self.ctx.end_row(t);
    }

    fn problem(&mut self, d: Diagnostic) {
        if let Some(t) = self.current.as_mut() {
            t.stats.rows_skipped += d.rows_skipped;
        }
        self.ctx.diag(d);
    }
}

/// What a parser thread found in one block, in order.
#[derive(Debug)]
pub(crate) enum Event {
    /// A `CREATE TABLE` with its columns.
    Define(String, Vec<String>),
    /// The following rows belong to this table (first row `width` fields wide).
    Switch(Target, usize),
    /// Rows of the current table.
    Rows(RowBatch),
    /// A problem, located relative to the block's start (line 1, offset 0).
    Problem(Diagnostic),
}

/// Collects events on a parser thread.
pub(crate) struct BlockOut {
    pub events: Vec<Event>,
    batch: RowBatch,
    batch_rows: usize,
    /// The table of the last `Switch`, `None` before the first.
    current: Option<Target>,
}

impl BlockOut {
    pub fn new(batch_rows: usize) -> Self {
        BlockOut {
            events: Vec::new(),
            batch: RowBatch::new(0),
            batch_rows: batch_rows.max(1),
            current: None,
        }
    }

    fn flush(&mut self) {
        if !self.batch.is_empty() {
            let next = crate::recycle::batch(
                0,
                self.batch.text_bytes() + self.batch.text_bytes() / 8,
                self.batch.field_count() + 16,
                self.batch.len() + 1,
            );
            let full = std::mem::replace(&mut self.batch, next);
            self.events.push(Event::Rows(full));
        }
    }

    /// The events, with the rows still being collected.
    pub fn finish(mut self) -> Vec<Event> {
        self.flush();
        self.events
    }
}

impl Out for BlockOut {
    fn stopped(&self) -> bool {
        false
    }

    fn define(&mut self, table: String, cols: Vec<String>) {
        self.events.push(Event::Define(table, cols));
    }

    fn table_for(&mut self, target: &Target, width: usize) {
        let same = match (&self.current, target) {
            (Some(Target::Named { name: a, .. }), Target::Named { name: b, .. }) => a == b,
            (Some(Target::Inherited), Target::Inherited) => true,
            _ => false,
        };
        if !same {
            self.flush();
            self.events.push(Event::Switch(target.clone(), width));
            self.current = Some(target.clone());
        }
    }

    fn current_name(&self) -> Option<String> {
        self.current
            .as_ref()
            .and_then(|t| t.name())
            .map(str::to_string)
    }

    fn row(&mut self, text: &[u8], ends: &[usize]) {
        push_row(&mut self.batch, text, ends);
        self.batch.end_row();
        if self.batch.len() >= self.batch_rows || self.batch.text_bytes() >= MAX_BATCH_BYTES {
            self.flush();
        }
    }

    fn problem(&mut self, d: Diagnostic) {
        self.flush();
        self.events.push(Event::Problem(d));
    }
}
