//! SQL dumps: `mysqldump` (CREATE TABLE + multi-row INSERT) and `pg_dump` plain format (COPY
//! blocks and INSERTs), parsed statement by statement from a stream; each SQL table is a table.

mod copy;
mod lex;
mod out;
mod parallel;

use crate::ctx::Ctx;
use crate::model::{Diagnostic, Severity};
use lex::{Lexer, Tok};
use out::{BlockOut, CtxOut, Out, Target};
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

/// Where a parse starts or stops: between statements, or inside a statement that a block cut
/// split (the parallel reader cuts large dumps into blocks; see [`parallel`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum Mode {
    /// Between statements.
    #[default]
    Statement,
    /// At the start of a line of a `COPY … FROM stdin` data section.
    Copy(Target),
    /// Inside an `INSERT`'s value list, before the next value tuple.
    Values(Target),
}

/// Parser state shared by the statement handlers.
pub(crate) struct Dump<'r, O: Out> {
    out: O,
    lex: Lexer<'r>,
    source: String,
    /// The fields of the row being read, concatenated, and where each ends.
    row: Vec<u8>,
    ends: Vec<usize>,
    max_record: usize,
    /// The input really ends where this parse ends (the whole dump, or its last block): an
    /// unfinished statement at the end is a truncated dump, not a block cut.
    authoritative: bool,
    /// A block ended somewhere no parse can resume from (inside a statement, string or comment).
    dirty: bool,
    /// Where the parse stopped, when it stopped cleanly.
    end: Option<Mode>,
}

/// Where the sequential reader starts: the beginning of the dump, or where the parallel reader
/// handed over.
pub(crate) struct Resume {
    pub mode: Mode,
    /// 1-based line of the first byte.
    pub line: u64,
    /// Byte offset of the first byte.
    pub offset: u64,
}

/// Reads a SQL dump from `input` (UTF-8): large dumps in parallel blocks, otherwise (or with one
/// thread) statement by statement.
pub(crate) fn read_sql(ctx: &mut Ctx, source: &str, input: &mut dyn Read, pg: bool) {
    let threads = ctx.opts.parse_threads();
    let mut out = CtxOut::new(ctx, source);
    let start = Resume {
        mode: Mode::Statement,
        line: 1,
        offset: 0,
    };
    if threads > 1 {
        parallel::read(&mut out, input, pg, threads);
    } else {
        sequential(&mut out, input, pg, start);
    }
    if let Some(t) = out.current.take() {
        out.ctx.finish_table(t);
    } else if out.ctx.summary.tables == 0 && out.ctx.source_errors == 0 {
        out.ctx.diag(Diagnostic::new(
            Severity::Warning,
            "no-rows",
            source,
            "no INSERT or COPY data found in the SQL dump",
        ));
    }
}

/// Reads the rest of a dump from `input` with one thread, starting as `resume` says.
pub(crate) fn sequential(out: &mut CtxOut, input: &mut dyn Read, pg: bool, resume: Resume) {
    let max = out.ctx.opts.max_record_bytes.max(1024);
    let source = out.source.clone();
    let mut d = Dump::new(&mut *out, input, &source, pg, max, true);
    d.lex.start_at(resume.line, resume.offset);
    d.parse(resume.mode);
    let failure = d.lex.error.take().map(|e| (e, d.lex.line(), d.lex.offset));
    drop(d);
    if let Some((e, line, off)) = failure {
        let table = out.current_name();
        crate::source::io_failure(
            out.ctx,
            &source,
            table.as_deref(),
            &e,
            Some(line),
            Some(off),
        );
    }
}

/// How one block parsed on a parser thread.
pub(crate) struct BlockParse {
    pub events: Vec<out::Event>,
    /// Where the block ended; `None` when no parse can resume there.
    pub end: Option<Mode>,
}

/// Parses one block of a dump, starting in `mode`; `last` when the dump ends with it.
pub(crate) fn parse_block(
    bytes: &[u8],
    mode: Mode,
    last: bool,
    pg: bool,
    source: &str,
    max_record: usize,
    batch_rows: usize,
) -> BlockParse {
    let mut input = bytes;
    let mut d = Dump::new(
        BlockOut::new(batch_rows),
        &mut input,
        source,
        pg,
        max_record,
        last,
    );
    d.parse(mode);
    let clean = !d.dirty && !d.lex.unterminated;
    let end = if clean { d.end.take() } else { None };
    BlockParse {
        events: d.out.finish(),
        end,
    }
}

fn is(text: &[u8], word: &str) -> bool {
    text.eq_ignore_ascii_case(word.as_bytes())
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

impl<'r, O: Out> Dump<'r, O> {
    fn new(
        out: O,
        input: &'r mut dyn Read,
        source: &str,
        pg: bool,
        max_record: usize,
        authoritative: bool,
    ) -> Self {
        Dump {
            out,
            lex: Lexer::new(input, pg, max_record),
            source: source.to_string(),
            row: Vec::new(),
            ends: Vec::new(),
            max_record,
            authoritative,
            dirty: false,
            end: None,
        }
    }

    /// Finishes the statement a block cut split (if any), then reads statements to the end.
    fn parse(&mut self, mode: Mode) {
        match mode {
            Mode::Statement => {}
            Mode::Copy(target) => self.copy_data(target),
            Mode::Values(target) => self.values(target),
        }
        if self.end.is_none() {
            self.run();
        }
    }

    fn run(&mut self) {
        loop {
            if self.out.stopped() {
                return;
            }
            match self.lex.next() {
                Tok::Eof => {
                    if self.end.is_none() {
                        self.end = Some(Mode::Statement);
                    }
                    return;
                }
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
                Tok::Punct(b';') => return,
                Tok::Eof => {
                    self.dirty = true;
                    return;
                }
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
                Tok::Eof => {
                    self.dirty = true;
                    return;
                }
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
                Tok::Eof => {
                    self.dirty = true;
                    return;
                }
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
        self.out.define(table, cols);
        self.skip_statement();
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
        self.values(Target::Named { name, explicit });
    }

    /// Reads the value tuples of an INSERT up to its `;`.
    fn values(&mut self, target: Target) {
        loop {
            self.lex.skip_space();
            let start_line = self.lex.line();
            let start_off = self.lex.offset;
            match self.lex.next() {
                Tok::Punct(b'(') => {}
                Tok::Eof if !self.authoritative => {
                    // A block cut between two tuples: the next block goes on from here.
                    self.end = Some(Mode::Values(target));
                    return;
                }
                Tok::Eof => return self.truncated(&target, start_line, start_off, 0),
                _ => return self.skip_statement(),
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
            }
            match self.lex.next() {
                Tok::Punct(b',') => {}
                Tok::Punct(b';') => return,
                Tok::Eof => {
                    let line = self.lex.line();
                    return self.truncated(&target, line, self.lex.offset, 0);
                }
                _ => return self.skip_statement(),
            }
            if self.out.stopped() {
                return;
            }
        }
    }

    /// Reads one value tuple after its `(` into `self.row` and `self.ends`.
    fn tuple(&mut self) -> TupleEnd {
        self.row.clear();
        self.ends.clear();
        let mut depth = 1;
        let mut oversize = false;
        loop {
            let tok = self.lex.next();
            match tok {
                Tok::Eof => {
                    self.ends.push(self.row.len());
                    return TupleEnd::Eof;
                }
                Tok::Punct(b'(') => {
                    depth += 1;
                    self.row.push(b'(');
                }
                Tok::Punct(b')') => {
                    depth -= 1;
                    if depth == 0 {
                        self.ends.push(self.row.len());
                        return TupleEnd::Done { oversize };
                    }
                    self.row.push(b')');
                }
                Tok::Punct(b',') if depth == 1 => self.ends.push(self.row.len()),
                Tok::Punct(c) => self.row.push(c),
                Tok::Word => {
                    let underscore = self.lex.text.first() == Some(&b'_');
                    let introducer = underscore && self.lex.skip_space() == Some(b'\'');
                    let t = &self.lex.text;
                    if !(introducer || depth == 1 && is(t, "NULL")) {
                        self.row.extend_from_slice(t);
                    }
                }
                Tok::Str | Tok::Ident => {
                    oversize |= self.lex.overflow;
                    self.row.extend_from_slice(&self.lex.text);
                }
            }
        }
    }

    /// Delivers the parsed tuple as a row (or skips it when oversize).
    fn emit_vals(&mut self, oversize: bool, line: u64, offset: u64) {
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
    fn table_name(&self, target: &Target) -> Option<String> {
        target
            .name()
            .map(str::to_string)
            .or_else(|| self.out.current_name())
    }

    /// The dump ended inside a statement.
    fn truncated(&mut self, target: &Target, line: u64, offset: u64, skipped: u64) {
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

/// How a value tuple ended.
enum TupleEnd {
    Done { oversize: bool },
    Eof,
}
