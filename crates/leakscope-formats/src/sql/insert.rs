//! `INSERT` statements in every dialect's spelling — `INSERT INTO t VALUES (…),(…);`,
//! `INSERT [dbo].[T] ([a]) VALUES (…)` (no `INTO`, no `;`), `INSERT OR REPLACE INTO`,
//! `REPLACE INTO`, `INSERT IGNORE`, `… OVERRIDING SYSTEM VALUE VALUES`, Oracle's
//! `INSERT ALL INTO … VALUES (…) INTO … SELECT … FROM dual` — and their value tuples.

use super::lex::Tok;
use super::out::{Out, Target};
use super::value::{null_word, without_cast, Stop};
use super::{is, starts_statement, Dump, Mode};
use crate::model::{Diagnostic, Severity};

/// Words allowed between `INSERT` and the table name.
const MODIFIERS: [&str; 10] = [
    "LOW_PRIORITY",
    "DELAYED",
    "HIGH_PRIORITY",
    "IGNORE",
    "OR",
    "REPLACE",
    "ABORT",
    "FAIL",
    "ROLLBACK",
    "OVERWRITE",
];

/// How a value tuple ended.
pub(super) enum TupleEnd {
    /// At its `)`.
    Done { oversize: bool },
    /// At the end of input.
    Eof,
    /// The statement ended inside it (a `;` or `GO` before its `)`).
    Broken,
}

impl<O: Out> Dump<'_, O> {
    /// Handles an `INSERT` or `REPLACE` statement (the keyword was read).
    pub(super) fn insert(&mut self) {
        let mut after_into = false;
        let name = loop {
            let t = self.tok();
            match t {
                Tok::Word if !after_into && is(&self.lex.text, "INTO") => after_into = true,
                Tok::Word
                    if !after_into
                        && (is(&self.lex.text, "ALL") || is(&self.lex.text, "FIRST")) =>
                {
                    return self.insert_all();
                }
                Tok::Word if !after_into && MODIFIERS.iter().any(|m| is(&self.lex.text, m)) => {}
                _ if self.is_name(t) => break self.qualified(),
                Tok::Eof => {
                    self.dirty = true;
                    return;
                }
                _ => {
                    self.lex.unread(t);
                    return self.skip_statement();
                }
            }
        };
        let Some(explicit) = self.insert_columns() else {
            return self.skip_statement();
        };
        self.values(Target::Named { name, explicit });
    }

    /// After an INSERT's table name: the optional column list, then `VALUES` (or `VALUE`);
    /// `None` when no value list follows (`INSERT … SELECT`, `DEFAULT VALUES`, `SET a = 1`).
    fn insert_columns(&mut self) -> Option<Option<Vec<String>>> {
        let mut explicit = None;
        loop {
            let t = self.tok();
            match t {
                Tok::Punct(b'(') if explicit.is_none() => {
                    explicit = Some(self.column_list());
                }
                Tok::Word if is(&self.lex.text, "VALUES") || is(&self.lex.text, "VALUE") => {
                    return Some(explicit)
                }
                // `OVERRIDING SYSTEM VALUE` / `OVERRIDING USER VALUE` (PostgreSQL).
                Tok::Word if is(&self.lex.text, "OVERRIDING") => {
                    self.tok();
                    self.tok();
                }
                // `PARTITION (p0)` (MySQL), `WITH (TABLOCK)` (T-SQL).
                Tok::Word if is(&self.lex.text, "PARTITION") || is(&self.lex.text, "WITH") => {
                    if self.lex.skip_space() == Some(b'(') {
                        self.skip_parens();
                    }
                }
                _ => {
                    self.lex.unread(t);
                    return None;
                }
            }
        }
    }

    /// Skips a parenthesised group starting at the next token.
    fn skip_parens(&mut self) {
        let mut depth = 0usize;
        loop {
            match self.tok() {
                Tok::Punct(b'(') => depth += 1,
                Tok::Punct(b')') => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return;
                    }
                }
                t @ (Tok::Punct(b';') | Tok::BatchEnd | Tok::Eof) => {
                    self.lex.unread(t);
                    return;
                }
                _ => {}
            }
        }
    }

    /// Oracle's multi-table insert: `INSERT ALL INTO t (…) VALUES (…) INTO u VALUES (…) SELECT
    /// * FROM dual;` — one row per `INTO` clause.
    fn insert_all(&mut self) {
        loop {
            let t = self.tok();
            match t {
                Tok::Word if is(&self.lex.text, "INTO") => {}
                Tok::Eof => {
                    self.dirty = true;
                    return;
                }
                Tok::Punct(b';') | Tok::BatchEnd => return,
                _ => return self.skip_statement(),
            }
            let t = self.tok();
            if !self.is_name(t) {
                return self.skip_statement();
            }
            let name = self.qualified();
            let Some(explicit) = self.insert_columns() else {
                return self.skip_statement();
            };
            let target = Target::Named { name, explicit };
            let line = self.lex.line();
            let offset = self.lex.offset;
            match self.tok() {
                Tok::Punct(b'(') => {}
                Tok::Eof => {
                    self.dirty = true;
                    return;
                }
                _ => return self.skip_statement(),
            }
            match self.tuple() {
                TupleEnd::Done { oversize } => {
                    self.out.table_for(&target, self.ends.len());
                    self.emit_vals(oversize, line, offset);
                }
                TupleEnd::Eof => {
                    self.out.table_for(&target, self.ends.len());
                    self.dirty = true;
                    if self.authoritative {
                        self.truncated(&target, line, offset, 1);
                    }
                    return;
                }
                TupleEnd::Broken => return self.broken_tuple(&target, line, offset),
            }
        }
    }

    /// Reads the value tuples of an INSERT up to its end.
    pub(super) fn values(&mut self, target: Target) {
        loop {
            self.lex.skip_space();
            let start_line = self.lex.line();
            let start_off = self.lex.offset;
            let t = self.tok();
            match t {
                Tok::Punct(b'(') => {}
                Tok::Eof if !self.authoritative => {
                    // A block cut between two tuples: the next block goes on from here.
                    self.end = Some(Mode::Values(target));
                    return;
                }
                Tok::Eof => return self.truncated(&target, start_line, start_off, 0),
                _ => {
                    self.lex.unread(t);
                    return self.skip_statement();
                }
            }
            match self.tuple() {
                TupleEnd::Done { oversize } => {
                    self.out.table_for(&target, self.ends.len());
                    self.emit_vals(oversize, start_line, start_off);
                }
                TupleEnd::Eof => {
                    self.out.table_for(&target, self.ends.len());
                    return self.truncated(&target, start_line, start_off, 1);
                }
                TupleEnd::Broken => return self.broken_tuple(&target, start_line, start_off),
            }
            if !self.after_tuple(&target) || self.out.stopped() {
                return;
            }
        }
    }

    /// What follows a complete tuple: true when another tuple follows (after a `,`). The end
    /// of the statement is its `;`, a batch terminator, or — where `;` is optional — the next
    /// statement's keyword.
    pub(super) fn after_tuple(&mut self, target: &Target) -> bool {
        let t = self.tok();
        match t {
            Tok::Punct(b',') => true,
            Tok::Punct(b';') | Tok::BatchEnd => false,
            Tok::Eof if !self.authoritative => {
                self.end = Some(Mode::AfterTuple(target.clone()));
                false
            }
            Tok::Eof if self.lex.dialect.optional_semicolons() => false,
            Tok::Eof => {
                let line = self.lex.line();
                self.truncated(target, line, self.lex.offset, 0);
                false
            }
            Tok::Word if starts_statement(&self.lex.text) => {
                self.lex.unread(t);
                false
            }
            _ => {
                // `ON DUPLICATE KEY UPDATE …`, `RETURNING id`, a statement without `;`.
                self.lex.unread(t);
                self.skip_statement();
                false
            }
        }
    }

    /// Reads one value tuple after its `(` into `self.row` and `self.ends`. A lone literal
    /// followed by `,` or `)` is copied straight in; anything else is evaluated (see `value`).
    pub(super) fn tuple(&mut self) -> TupleEnd {
        self.row.clear();
        self.ends.clear();
        let mut oversize = false;
        loop {
            let start = self.row.len();
            let t = self.tok();
            let simple = match t {
                Tok::Str | Tok::Ident => {
                    oversize |= self.lex.overflow;
                    self.row.extend_from_slice(&self.lex.text);
                    true
                }
                Tok::Word => {
                    let w = without_cast(&self.lex.text);
                    if !null_word(w) {
                        self.row.extend_from_slice(w);
                    }
                    // A sign, a typed literal or a call is an expression.
                    !matches!(w, b"-" | b"+") && w.first() != Some(&b'{')
                }
                Tok::Punct(b',') => {
                    self.ends.push(self.row.len());
                    continue;
                }
                Tok::Punct(b')') => {
                    self.ends.push(self.row.len());
                    return TupleEnd::Done { oversize };
                }
                Tok::Eof => {
                    self.ends.push(self.row.len());
                    return TupleEnd::Eof;
                }
                _ => false,
            };
            if simple {
                match self.lex.skip_space() {
                    Some(b',') => {
                        self.lex.take_punct();
                        self.ends.push(self.row.len());
                        continue;
                    }
                    Some(b')') => {
                        self.lex.take_punct();
                        self.ends.push(self.row.len());
                        return TupleEnd::Done { oversize };
                    }
                    _ => {}
                }
            }
            // An expression: read it again from its first token.
            self.row.truncate(start);
            self.lex.unread(t);
            let (v, stop) = self.value_expr(&mut oversize);
            self.row.extend_from_slice(v.bytes());
            self.ends.push(self.row.len());
            match stop {
                Stop::Punct(b',') => {}
                Stop::Punct(_) => return TupleEnd::Done { oversize },
                Stop::Eof => return TupleEnd::Eof,
                Stop::Statement | Stop::Other => return TupleEnd::Broken,
            }
        }
    }

    /// Delivers the parsed tuple as a row (or skips it when oversize).
    pub(super) fn emit_vals(&mut self, oversize: bool, line: u64, offset: u64) {
        if oversize {
            let max = self.max_record;
            let mut d = Diagnostic::new(
                Severity::Warning,
                "record-too-large",
                &self.source,
                format!("a value larger than {max} bytes; the row was skipped"),
            )
            .line(line)
            .offset(offset)
            .skipped(1);
            d.table = self.out.current_name();
            self.out.problem(d);
            return;
        }
        self.out.row(&self.row, &self.ends);
    }

    /// Name of `target`'s table, when known on this thread.
    pub(super) fn table_name(&self, target: &Target) -> Option<String> {
        target
            .name()
            .map(str::to_string)
            .or_else(|| self.out.current_name())
    }

    /// A tuple the statement ended inside (`(1, 'a';`): the row is skipped and reported.
    fn broken_tuple(&mut self, target: &Target, line: u64, offset: u64) {
        self.out.table_for(target, self.ends.len());
        let mut d = Diagnostic::new(
            Severity::Warning,
            "sql-syntax",
            &self.source,
            "a value tuple is not closed before its statement ends; that row was skipped",
        )
        .line(line)
        .offset(offset)
        .skipped(1);
        d.table = self.table_name(target);
        self.out.problem(d);
    }

    /// The dump ended inside a statement.
    pub(super) fn truncated(&mut self, target: &Target, line: u64, offset: u64, skipped: u64) {
        self.dirty = true;
        let msg = if skipped > 0 {
            "the dump ends inside an INSERT value tuple (cut mid-statement); that partial row was skipped"
        } else {
            "the dump ends inside an INSERT statement (cut mid-statement); all complete rows were kept"
        };
        let mut d = Diagnostic::new(Severity::Warning, "truncated-statement", &self.source, msg)
            .line(line)
            .offset(offset)
            .skipped(skipped);
        d.table = self.table_name(target);
        self.out.problem(d);
    }
}
