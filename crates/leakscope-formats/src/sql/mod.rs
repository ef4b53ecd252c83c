//! SQL dumps and scripts of every common dialect — `mysqldump`/phpMyAdmin, `pg_dump` plain
//! format, SQL Server (T-SQL) scripts, Oracle scripts, `sqlite3 .dump` — parsed statement by
//! statement from a stream; each SQL table is a table. Columns come from `CREATE TABLE` (or the
//! statement's own column list); values are reduced to what they stand for (see [`value`]).

mod copy;
mod create;
mod dates;
pub(crate) mod dialect;
mod insert;
pub(crate) mod lex;
pub(crate) mod out;
mod parallel;
mod value;

use crate::ctx::Ctx;
use crate::model::{Diagnostic, Severity};
pub(crate) use dialect::Dialect;
use lex::{Lexer, Note, Tok};
use out::{BlockOut, CtxOut, Out, Target};
use std::io::Read;

/// Where a parse starts or stops: between statements, or inside a statement that a block cut
/// split (the parallel reader cuts large dumps into blocks; see [`parallel`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum Mode {
    /// Between statements.
    #[default]
    Statement,
    /// At the start of a line of a `COPY … FROM stdin` data section.
    Copy(Target),
    /// Inside an `INSERT`'s value list, before the next value tuple (after a `,`).
    Values(Target),
    /// Right after a complete value tuple of an `INSERT`: a `,` and more tuples, the
    /// statement's end, or (in T-SQL, where `;` is optional) the next statement follows.
    AfterTuple(Target),
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
    /// The first byte starts a line.
    pub bol: bool,
}

impl Resume {
    /// The beginning of a dump.
    pub fn start() -> Resume {
        Resume {
            mode: Mode::Statement,
            line: 1,
            offset: 0,
            bol: true,
        }
    }
}

/// Reads a SQL dump from `input` (UTF-8): large dumps in parallel blocks, otherwise (or with one
/// thread) statement by statement.
pub(crate) fn read_sql(ctx: &mut Ctx, source: &str, input: &mut dyn Read, dialect: Dialect) {
    if let Some(limit) = ctx.probe_limit {
        // A schema probe: table definitions only, from the first `limit` bytes.
        let mut head = input.take(limit);
        let mut out = CtxOut::new(ctx, source);
        sequential(&mut out, &mut head, dialect, Resume::start());
        drop(out);
        ctx.probe_read += limit - head.limit();
        return;
    }
    let threads = ctx.opts.parse_threads();
    let tables_before = ctx.summary.tables;
    let mut out = CtxOut::new(ctx, source);
    if threads > 1 {
        parallel::read(&mut out, input, dialect, threads);
    } else {
        sequential(&mut out, input, dialect, Resume::start());
    }
    let defined = out.defined();
    out.finish();
    if ctx.summary.tables == tables_before && ctx.source_errors == 0 {
        let msg = if defined > 0 {
            format!(
                "the SQL file holds {defined} table definitions (CREATE TABLE) but no INSERT or COPY data: a schema file; its columns name the data of the other inputs"
            )
        } else {
            "no INSERT or COPY data found in the SQL dump".to_string()
        };
        ctx.diag(Diagnostic::new(Severity::Warning, "no-rows", source, msg));
    }
}

/// Reads the rest of a dump from `input` with one thread, starting as `resume` says.
pub(crate) fn sequential(out: &mut CtxOut, input: &mut dyn Read, dialect: Dialect, resume: Resume) {
    let max = out.ctx.opts.max_record_bytes.max(1024);
    let source = out.source.clone();
    let mut d = Dump::new(&mut *out, input, &source, dialect, max, true);
    d.lex.start_at(resume.line, resume.offset, resume.bol);
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

/// What a parser thread needs to know about the dump.
#[derive(Clone, Copy)]
pub(crate) struct BlockSpec<'s> {
    pub dialect: Dialect,
    pub source: &'s str,
    pub max_record: usize,
    pub batch_rows: usize,
}

/// Parses one block of a dump, starting in `mode` (`bol`: the block starts a line); `last`
/// when the dump ends with it.
pub(crate) fn parse_block(
    bytes: &[u8],
    mode: Mode,
    bol: bool,
    last: bool,
    spec: BlockSpec,
) -> BlockParse {
    let mut input = bytes;
    let mut d = Dump::new(
        BlockOut::new(spec.batch_rows),
        &mut input,
        spec.source,
        spec.dialect,
        spec.max_record,
        last,
    );
    d.lex.start_at(1, 0, bol);
    d.parse(mode);
    // Inside a MySQL executable comment (`/*!…` not closed yet) no parse can resume either: its
    // `*/` means something only to a lexer that saw it open.
    let clean = !d.dirty && !d.lex.unterminated && !d.lex.in_executable_comment();
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

/// Statement keywords that begin a statement the reader handles: at the start of a line they
/// end a statement that had no `;` (T-SQL, Oracle `PROMPT` lines…).
fn starts_statement(text: &[u8]) -> bool {
    ["INSERT", "REPLACE", "CREATE", "COPY"]
        .iter()
        .any(|k| is(text, k))
}

impl<'r, O: Out> Dump<'r, O> {
    fn new(
        out: O,
        input: &'r mut dyn Read,
        source: &str,
        dialect: Dialect,
        max_record: usize,
        authoritative: bool,
    ) -> Self {
        let mut lex = Lexer::new(input, dialect, max_record);
        lex.last = authoritative;
        Dump {
            out,
            lex,
            source: source.to_string(),
            row: Vec::new(),
            ends: Vec::new(),
            max_record,
            authoritative,
            dirty: false,
            end: None,
        }
    }

    /// The next token; problems the lexer noticed on the way are reported at once.
    #[inline]
    fn tok(&mut self) -> Tok {
        let t = self.lex.next();
        if !self.lex.notes.is_empty() {
            self.report_notes();
        }
        t
    }

    fn report_notes(&mut self) {
        for note in std::mem::take(&mut self.lex.notes) {
            let Note::UnclosedComment { line, offset } = note;
            let mut d = Diagnostic::new(
                Severity::Warning,
                "unclosed-comment",
                &self.source,
                format!(
                    "a /* comment is not closed within {} KiB (or before the end of the dump); \
                     it was taken as a stray `/*` and what follows was read as SQL",
                    lex::COMMENT_LIMIT >> 10
                ),
            )
            .line(line)
            .offset(offset);
            d.table = self.out.current_name();
            self.out.problem(d);
        }
    }

    /// The last token names something: a word, a quoted identifier, or (MySQL) a `"…"` string.
    fn is_name(&self, t: Tok) -> bool {
        matches!(t, Tok::Word | Tok::Ident) || (t == Tok::Str && self.lex.quote == b'"')
    }

    /// The names of a column list after its `(`, up to the token that ends it (`)` consumed).
    fn column_list(&mut self) -> Vec<String> {
        let mut cols = Vec::new();
        loop {
            let c = self.tok();
            match c {
                Tok::Punct(b',') => {}
                _ if self.is_name(c) => cols.push(lossy(&self.lex.text)),
                _ => return cols,
            }
        }
    }

    /// Finishes the statement a block cut split (if any), then reads statements to the end.
    fn parse(&mut self, mode: Mode) {
        match mode {
            Mode::Statement => {}
            Mode::Copy(target) => self.copy_data(target),
            Mode::Values(target) => self.values(target),
            Mode::AfterTuple(target) => {
                if self.after_tuple(&target) {
                    self.values(target)
                }
            }
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
            match self.tok() {
                Tok::Eof => {
                    if self.end.is_none() {
                        self.end = Some(Mode::Statement);
                    }
                    return;
                }
                Tok::Punct(b';') | Tok::BatchEnd => {}
                Tok::Word if is(&self.lex.text, "CREATE") => self.create(),
                Tok::Word if is(&self.lex.text, "INSERT") || is(&self.lex.text, "REPLACE") => {
                    self.insert()
                }
                Tok::Word if is(&self.lex.text, "COPY") => self.copy(),
                Tok::Word if self.lex.tok_bol && is(&self.lex.text, "DELIMITER") => {
                    self.delimiter()
                }
                Tok::Word if self.anonymous_block() => {
                    let depth = usize::from(is(&self.lex.text, "BEGIN"));
                    self.skip_block(depth)
                }
                _ => self.skip_statement(),
            }
            if self.end.is_some() {
                return;
            }
        }
    }

    /// Skips to the end of the statement: a `;` outside parentheses and strings, a batch
    /// terminator, or a line that starts a statement the reader handles (statements without `;`).
    fn skip_statement(&mut self) {
        loop {
            match self.tok() {
                Tok::Punct(b';') | Tok::BatchEnd => return,
                Tok::Eof => {
                    self.dirty = true;
                    return;
                }
                Tok::Word if self.lex.tok_bol && starts_statement(&self.lex.text) => {
                    self.lex.unread(Tok::Word);
                    return;
                }
                _ => {}
            }
        }
    }

    /// Finishes a possibly qualified name whose first part is the current token
    /// (`db.t`, `"public"."users"`, `[dbo].[T]`); returns the last part.
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
                self.tok();
            }
            let t = self.tok();
            if self.is_name(t) {
                let t = lossy(&self.lex.text);
                pending_dot = t.ends_with('.');
                last = t.rsplit('.').next().unwrap_or(&t).to_string();
            } else {
                self.lex.unread(t);
                break;
            }
        }
        last
    }
}
