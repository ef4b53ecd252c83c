//! SQL dumps: `mysqldump` (CREATE TABLE + multi-row INSERT) and `pg_dump` plain format (COPY
//! blocks and INSERTs), parsed statement by statement from a stream; each SQL table is a table.

mod copy;
mod lex;

use crate::ctx::{synth_headers, Ctx, Table};
use crate::model::{Diagnostic, Severity};
use lex::{Lexer, Tok};
use std::collections::HashMap;
use std::io::Read;

/// Words that start a constraint rather than a column inside `CREATE TABLE (...)`.
const NOT_COLUMNS: [&str; 12] = [
    "PRIMARY",
    "KEY",
    "UNIQUE",
    "CONSTRAINT",
    "INDEX",
    "FULLTEXT",
    "FOREIGN",
    "CHECK",
    "SPATIAL",
    "EXCLUDE",
    "LIKE",
    "PERIOD",
];

/// Parser state shared by the statement handlers.
pub(crate) struct Dump<'c, 'o, 'r> {
    ctx: &'c mut Ctx<'o>,
    lex: Lexer<'r>,
    source: String,
    columns: HashMap<String, Vec<String>>,
    current: Option<Table>,
    vals: Vec<String>,
}

/// Reads a SQL dump from `input` (UTF-8).
pub(crate) fn read_sql(ctx: &mut Ctx, source: &str, input: &mut dyn Read, pg: bool) {
    let max = ctx.opts.max_record_bytes.max(1024);
    let mut d = Dump {
        ctx,
        lex: Lexer::new(input, pg, max),
        source: source.to_string(),
        columns: HashMap::new(),
        current: None,
        vals: Vec::new(),
    };
    d.run();
    if let Some(e) = d.lex.error.take() {
        let (line, off) = (d.lex.line, d.lex.offset);
        let table = d.current.as_ref().map(|t| t.info.name.clone());
        crate::source::io_failure(d.ctx, source, table.as_deref(), &e, Some(line), Some(off));
    }
    if let Some(t) = d.current.take() {
        d.ctx.finish_table(t);
    } else if d.ctx.summary.tables == 0 && d.ctx.source_errors == 0 {
        d.ctx.diag(Diagnostic::new(
            Severity::Warning,
            "no-rows",
            source,
            "no INSERT or COPY data found in the SQL dump",
        ));
    }
}

fn is(text: &[u8], word: &str) -> bool {
    text.eq_ignore_ascii_case(word.as_bytes())
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

impl Dump<'_, '_, '_> {
    fn run(&mut self) {
        loop {
            if self.ctx.stopped {
                return;
            }
            match self.lex.next() {
                Tok::Eof => return,
                Tok::Punct(b';') => {}
                Tok::Word if is(&self.lex.text, "CREATE") => self.create(),
                Tok::Word if is(&self.lex.text, "INSERT") || is(&self.lex.text, "REPLACE") => {
                    self.insert()
                }
                Tok::Word if is(&self.lex.text, "COPY") => self.copy(),
                _ => self.skip_statement(),
            }
        }
    }

    /// Skips to the end of the statement (`;` outside parentheses and strings).
    fn skip_statement(&mut self) {
        loop {
            match self.lex.next() {
                Tok::Eof | Tok::Punct(b';') => return,
                _ => {}
            }
        }
    }

    /// Finishes a possibly qualified name whose first part is the current token
    /// (`db.t`, `"public"."users"`); returns the last part.
    fn qualified(&mut self) -> String {
        let first = lossy(&self.lex.text);
        let mut last = first.rsplit('.').next().unwrap_or(&first).to_string();
        // A bare word may swallow the dot (`public."users"` lexes as `public.` + `"users"`).
        let mut pending_dot = first.ends_with('.');
        loop {
            if !pending_dot {
                if self.lex.skip_space() != Some(b'.') {
                    break;
                }
                self.lex.next();
            }
            match self.lex.next() {
                Tok::Word | Tok::Ident => {
                    let t = lossy(&self.lex.text);
                    pending_dot = t.ends_with('.');
                    last = t.rsplit('.').next().unwrap_or(&t).to_string();
                }
                _ => break,
            }
        }
        last
    }

    fn create(&mut self) {
        let mut found = false;
        for _ in 0..4 {
            match self.lex.next() {
                Tok::Word if is(&self.lex.text, "TABLE") => {
                    found = true;
                    break;
                }
                Tok::Word => {}
                Tok::Eof => return,
                _ => break,
            }
        }
        if !found {
            return self.skip_statement();
        }
        loop {
            match self.lex.next() {
                Tok::Word
                    if ["IF", "NOT", "EXISTS", "ONLY"]
                        .iter()
                        .any(|w| is(&self.lex.text, w)) => {}
                Tok::Word | Tok::Ident => {
                    let name = self.qualified();
                    return self.columns_of(name);
                }
                Tok::Eof => return,
                _ => return self.skip_statement(),
            }
        }
    }

    /// Reads `( col type ..., CONSTRAINT ... )` after the table name.
    fn columns_of(&mut self, table: String) {
        if self.lex.skip_space() != Some(b'(') {
            return self.skip_statement();
        }
        self.lex.next();
        let mut cols = Vec::new();
        let mut depth = 1;
        let mut item_start = true;
        loop {
            let tok = self.lex.next();
            match tok {
                Tok::Eof => break,
                Tok::Punct(b'(') => depth += 1,
                Tok::Punct(b')') => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                Tok::Punct(b',') if depth == 1 => {
                    item_start = true;
                    continue;
                }
                Tok::Word | Tok::Ident if item_start && depth == 1 => {
                    let w = lossy(&self.lex.text);
                    if tok == Tok::Ident || !NOT_COLUMNS.iter().any(|k| w.eq_ignore_ascii_case(k)) {
                        cols.push(w);
                    }
                }
                _ => {}
            }
            item_start = false;
        }
        self.columns.insert(table, cols);
        self.skip_statement();
    }

    /// Switches the current table, beginning a new one when the name changes.
    fn table_for(&mut self, name: &str, explicit: &Option<Vec<String>>, width: usize) {
        if self.current.as_ref().is_some_and(|t| t.info.name == name) {
            return;
        }
        if let Some(t) = self.current.take() {
            self.ctx.finish_table(t);
        }
        let (headers, real) = match explicit.clone().or_else(|| self.columns.get(name).cloned()) {
            Some(h) if !h.is_empty() => (h, true),
            _ => (synth_headers(width), false),
        };
        self.current = Some(self.ctx.begin_table(&self.source, name, headers, real));
    }

    fn insert(&mut self) {
        loop {
            match self.lex.next() {
                Tok::Word if is(&self.lex.text, "INTO") => break,
                Tok::Word => {}
                _ => return self.skip_statement(),
            }
        }
        let name = match self.lex.next() {
            Tok::Word | Tok::Ident => self.qualified(),
            _ => return self.skip_statement(),
        };
        let mut explicit = None;
        if self.lex.skip_space() == Some(b'(') {
            self.lex.next();
            let mut cols = Vec::new();
            loop {
                match self.lex.next() {
                    Tok::Word | Tok::Ident => cols.push(lossy(&self.lex.text)),
                    Tok::Punct(b',') => {}
                    _ => break,
                }
            }
            explicit = Some(cols);
        }
        match self.lex.next() {
            Tok::Word if is(&self.lex.text, "VALUES") || is(&self.lex.text, "VALUE") => {}
            _ => return self.skip_statement(),
        }
        loop {
            self.lex.skip_space();
            let start_line = self.lex.line;
            let start_off = self.lex.offset;
            match self.lex.next() {
                Tok::Punct(b'(') => {}
                Tok::Eof => return self.truncated(&name, start_line, start_off, 0),
                _ => return self.skip_statement(),
            }
            match self.tuple() {
                TupleEnd::Done { oversize } => {
                    self.table_for(&name, &explicit, self.vals.len());
                    self.emit_vals(oversize, start_line, start_off);
                }
                TupleEnd::Eof => {
                    self.table_for(&name, &explicit, self.vals.len());
                    return self.truncated(&name, start_line, start_off, 1);
                }
            }
            match self.lex.next() {
                Tok::Punct(b',') => {}
                Tok::Punct(b';') => return,
                Tok::Eof => return self.truncated(&name, self.lex.line, self.lex.offset, 0),
                _ => return self.skip_statement(),
            }
            if self.ctx.stopped {
                return;
            }
        }
    }

    /// Reads one value tuple after its `(` into `self.vals`.
    fn tuple(&mut self) -> TupleEnd {
        let mut n = 0;
        let mut depth = 1;
        let mut oversize = false;
        let mut fresh = true;
        loop {
            let tok = self.lex.next();
            if n == self.vals.len() {
                self.vals.push(String::new());
            }
            if fresh {
                self.vals[n].clear();
                fresh = false;
            }
            match tok {
                Tok::Eof => {
                    self.vals.truncate(n + 1);
                    return TupleEnd::Eof;
                }
                Tok::Punct(b'(') => {
                    depth += 1;
                    self.vals[n].push('(');
                }
                Tok::Punct(b')') => {
                    depth -= 1;
                    if depth == 0 {
                        self.vals.truncate(n + 1);
                        return TupleEnd::Done { oversize };
                    }
                    self.vals[n].push(')');
                }
                Tok::Punct(b',') if depth == 1 => {
                    n += 1;
                    fresh = true;
                }
                Tok::Punct(c) => self.vals[n].push(c as char),
                Tok::Word => {
                    let underscore = self.lex.text.first() == Some(&b'_');
                    let introducer = underscore && self.lex.skip_space() == Some(b'\'');
                    let t = &self.lex.text;
                    if !(introducer || depth == 1 && is(t, "NULL")) {
                        append(&mut self.vals[n], t);
                    }
                }
                Tok::Str | Tok::Ident => {
                    oversize |= self.lex.overflow;
                    append(&mut self.vals[n], &self.lex.text);
                }
            }
        }
    }

    /// Delivers the parsed tuple as a row (or skips it when oversize).
    fn emit_vals(&mut self, oversize: bool, line: u64, offset: u64) {
        let Some(t) = self.current.as_mut() else {
            return;
        };
        if oversize {
            let max = self.ctx.opts.max_record_bytes;
            self.ctx.diag(
                Diagnostic::new(
                    Severity::Warning,
                    "record-too-large",
                    &self.source,
                    format!("a value larger than {max} bytes; the row was skipped"),
                )
                .table(&t.info.name)
                .line(line)
                .offset(offset)
                .skipped(1),
            );
            self.ctx.skip_rows(t, 1);
            return;
        }
        for v in &self.vals {
            t.batch.push_field(v);
        }
        self.ctx.end_row(t);
    }

    /// The dump ended inside a statement.
    fn truncated(&mut self, table: &str, line: u64, offset: u64, skipped: u64) {
        let msg = if skipped > 0 {
            "the dump ends inside an INSERT value tuple (cut mid-statement); that partial row was skipped"
        } else {
            "the dump ends inside an INSERT statement (cut mid-statement); all complete rows were kept"
        };
        self.ctx.diag(
            Diagnostic::new(Severity::Warning, "truncated-statement", &self.source, msg)
                .table(table)
                .line(line)
                .offset(offset)
                .skipped(skipped),
        );
        if let Some(t) = self.current.as_mut() {
            t.stats.rows_skipped += skipped;
        }
    }
}

/// How a value tuple ended.
enum TupleEnd {
    Done { oversize: bool },
    Eof,
}

/// Appends token bytes as text (lossy for invalid UTF-8, e.g. `_binary` blobs).
fn append(out: &mut String, b: &[u8]) {
    match std::str::from_utf8(b) {
        Ok(s) => out.push_str(s),
        Err(_) => out.push_str(&String::from_utf8_lossy(b)),
    }
}
