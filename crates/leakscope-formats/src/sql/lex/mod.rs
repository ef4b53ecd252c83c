//! A streaming SQL tokenizer over any `Read`, for every dialect the reader knows (see
//! [`Dialect`]): strings with their prefixes resolved (`N'…'`, `E'…'`, `X'…'`, `b'…'`, `q'[…]'`,
//! `_utf8mb4'…'`, `0x…`, `$tag$…$tag$`), quoted identifiers (`` `…` ``, `"…"`, `[…]`), words,
//! punctuation and batch terminators (`GO`, `/` alone on a line); comments skipped. Keeps line
//! and byte offset.

mod literal;

use super::dialect::Dialect;
pub(crate) use literal::printable_utf8;
use std::io::{self, Read};

/// Token kinds; the token's text is in [`Lexer::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tok {
    /// Unquoted word, number or operator run (`INSERT`, `NULL`, `-1.5`, `||`).
    Word,
    /// String literal (text unescaped, prefixes resolved, binary literals decoded).
    Str,
    /// Quoted identifier (`` `name` ``, `[name]`, or `"name"` outside MySQL).
    Ident,
    /// One of `( ) , ; .`
    Punct(u8),
    /// A batch terminator line: `GO` (T-SQL) or `/` (Oracle SQL*Plus).
    BatchEnd,
    /// End of input.
    Eof,
}

/// A block comment that is not closed within this many bytes is taken as unclosed: its opener
/// is ignored and what follows is read as SQL (with a warning), so one stray `/*` cannot hide
/// the rest of a dump.
pub(crate) const COMMENT_LIMIT: usize = 1 << 20;

/// Something the lexer noticed that the parser reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Note {
    /// A `/*` at this line and offset has no `*/` within [`COMMENT_LIMIT`] bytes (or before the
    /// end of input); it was ignored.
    UnclosedComment { line: u64, offset: u64 },
}

/// Bytes that may start whitespace or a comment (or close an executable comment).
const SPACE_OR_COMMENT: [bool; 256] = {
    let mut t = [false; 256];
    let bytes = b" \t\n\r\x0b\x0c-#/*";
    let mut i = 0;
    while i < bytes.len() {
        t[bytes[i] as usize] = true;
        i += 1;
    }
    t
};

/// Bytes that end an unquoted word (`[` too where brackets quote identifiers).
fn word_ends(brackets: bool) -> [bool; 256] {
    let mut t = [false; 256];
    for &b in b" \t\n\r\x0c(),;'\"`" {
        t[b as usize] = true;
    }
    if brackets {
        t[b'[' as usize] = true;
    }
    t
}

/// Streaming tokenizer.
pub(crate) struct Lexer<'a> {
    r: &'a mut dyn Read,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    eof: bool,
    word_end: [bool; 256],
    /// Text of the last token (unescaped for strings).
    pub text: Vec<u8>,
    /// True when the last token was longer than the limit (its text was cut).
    pub overflow: bool,
    /// The quote that delimited the last `Str` or `Ident` (`'`, `"`, `` ` ``, `[`, `$`), or 0.
    pub quote: u8,
    /// The last token began a line (only whitespace or comments before it on its line).
    pub tok_bol: bool,
    /// The next byte is at the start of a line.
    bol: bool,
    /// The last token is to be returned again by [`Lexer::next`].
    replay: Option<Tok>,
    /// Open MySQL executable comments (`/*!50705 …`), whose `*/` is skipped.
    exec_depth: u32,
    /// 1-based line of `buf[counted]` (lines are counted lazily, see [`Lexer::line`]).
    line_base: u64,
    /// Position in `buf` up to which newlines are counted into `line_base`.
    counted: usize,
    /// Bytes consumed.
    pub offset: u64,
    /// The dialect's rules.
    pub dialect: Dialect,
    /// Longest token text kept.
    pub max_text: usize,
    /// The input really ends where this input ends (not at a block cut): an unclosed comment
    /// at the end is decided here rather than left to the next block.
    pub last: bool,
    /// First read error, if any (reported by the parser).
    pub error: Option<io::Error>,
    /// The input ended inside a string, quoted identifier, comment or skipped line.
    pub unterminated: bool,
    /// Problems noticed, for the parser to report.
    pub notes: Vec<Note>,
}

impl<'a> Lexer<'a> {
    /// A lexer for the given dialect.
    pub fn new(r: &'a mut dyn Read, dialect: Dialect, max_text: usize) -> Self {
        Lexer {
            r,
            buf: vec![0; 256 << 10],
            pos: 0,
            end: 0,
            eof: false,
            word_end: word_ends(dialect.brackets()),
            text: Vec::new(),
            overflow: false,
            quote: 0,
            tok_bol: true,
            bol: true,
            replay: None,
            exec_depth: 0,
            line_base: 1,
            counted: 0,
            offset: 0,
            dialect,
            max_text,
            last: true,
            error: None,
            unterminated: false,
            notes: Vec::new(),
        }
    }

    /// 1-based line of the next unread byte.
    #[inline]
    pub fn line(&mut self) -> u64 {
        if self.counted < self.pos {
            let span = &self.buf[self.counted..self.pos];
            // Between two tuples of a dump the span is a line or so: a plain loop beats
            // setting up a vector search.
            let n = if span.len() < 256 {
                span.iter().filter(|&&c| c == b'\n').count()
            } else {
                memchr::memchr_iter(b'\n', span).count()
            };
            self.line_base += n as u64;
            self.counted = self.pos;
        }
        self.line_base
    }

    /// Sets the line and byte offset of the next unread byte (a parse resumed mid-input), and
    /// whether it starts a line.
    pub fn start_at(&mut self, line: u64, offset: u64, bol: bool) {
        self.line_base = line;
        self.counted = self.pos;
        self.offset = offset;
        self.bol = bol;
    }

    /// Reads more input after the unread bytes `buf[pos..end]` (moved to the front, the buffer
    /// grown when they fill it); false when nothing more came.
    fn refill(&mut self) -> bool {
        if self.eof {
            return false;
        }
        self.line();
        self.buf.copy_within(self.pos..self.end, 0);
        self.end -= self.pos;
        self.pos = 0;
        self.counted = 0;
        if self.end == self.buf.len() {
            let n = self.buf.len();
            self.buf.resize(n * 2, 0);
        }
        loop {
            match self.r.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return false;
                }
                Ok(n) => {
                    self.end += n;
                    return true;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.error = Some(e);
                    self.eof = true;
                    return false;
                }
            }
        }
    }

    /// Makes sure an unread byte is in the buffer; false at the end of input.
    #[inline]
    fn fill(&mut self) -> bool {
        self.pos < self.end || self.refill()
    }

    /// Makes sure `n` unread bytes are in the buffer, if the input has them.
    fn fill_ahead(&mut self, n: usize) -> bool {
        while self.end - self.pos < n {
            if !self.refill() {
                return false;
            }
        }
        true
    }

    /// Next byte without consuming it.
    #[inline]
    pub fn peek(&mut self) -> Option<u8> {
        if self.fill() {
            Some(self.buf[self.pos])
        } else {
            None
        }
    }

    /// Consumes one byte.
    #[inline]
    pub fn bump(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        self.offset += 1;
        Some(b)
    }

    /// Consumes `n` buffered bytes.
    fn advance(&mut self, n: usize) {
        self.pos += n;
        self.offset += n as u64;
    }

    fn push(&mut self, b: u8) {
        if self.text.len() < self.max_text {
            self.text.push(b);
        } else {
            self.overflow = true;
        }
    }

    /// Appends `buf[pos..pos + n]` to the token text (up to the limit) and consumes it.
    fn take(&mut self, n: usize) {
        let room = self.max_text.saturating_sub(self.text.len());
        if n > room {
            self.overflow = true;
        }
        self.text
            .extend_from_slice(&self.buf[self.pos..self.pos + n.min(room)]);
        self.advance(n);
    }

    /// Skips whitespace and comments; returns the next significant byte without consuming it.
    /// While a token waits to be read again ([`Lexer::unread`]), a byte standing for it.
    #[inline]
    pub fn skip_space(&mut self) -> Option<u8> {
        // The common case: the next byte is significant already (a `,` or `)` after a value).
        if self.replay.is_none() && self.pos < self.end {
            let b = self.buf[self.pos];
            if !SPACE_OR_COMMENT[b as usize] {
                return Some(b);
            }
        }
        self.skip_space_slow()
    }

    fn skip_space_slow(&mut self) -> Option<u8> {
        if let Some(t) = self.replay {
            return match t {
                Tok::Eof => None,
                Tok::Punct(c) => Some(c),
                Tok::Word => Some(self.text.first().copied().unwrap_or(b'w')),
                Tok::Str => Some(b'\''),
                Tok::Ident => Some(b'"'),
                Tok::BatchEnd => Some(b';'),
            };
        }
        loop {
            if !self.fill() {
                return None;
            }
            let rest = &self.buf[self.pos..self.end];
            let mut n = 0;
            let mut newline = false;
            while let Some(&c) = rest.get(n) {
                if !c.is_ascii_whitespace() {
                    break;
                }
                newline |= c == b'\n';
                n += 1;
            }
            let all = n == rest.len();
            let b = rest.get(n).copied();
            self.bol |= newline;
            self.advance(n);
            let Some(b) = b.filter(|_| !all) else {
                continue;
            };
            if (b == b'-' && self.second() == Some(b'-'))
                || (b == b'#' && self.dialect.hash_comments())
            {
                self.skip_line();
            } else if b == b'/' && self.second() == Some(b'*') {
                self.block_comment();
            } else if b == b'*' && self.exec_depth > 0 && self.second() == Some(b'/') {
                self.exec_depth -= 1;
                self.advance(2);
            } else {
                return Some(b);
            }
        }
    }

    /// The byte after the next one.
    fn second(&mut self) -> Option<u8> {
        if !self.fill_ahead(2) {
            return None;
        }
        Some(self.buf[self.pos + 1])
    }

    /// Skips a `/* … */` comment starting at the next byte. MySQL's executable comments only
    /// lose their marks; a comment not closed within [`COMMENT_LIMIT`] bytes loses its opener.
    fn block_comment(&mut self) {
        if self.dialect.executable_comments() && self.fill_ahead(3) {
            let third = self.buf[self.pos + 2];
            let mariadb = third == b'M' && self.fill_ahead(4) && self.buf[self.pos + 3] == b'!';
            if third == b'!' || mariadb {
                self.advance(if mariadb { 4 } else { 3 });
                while let Some(d) = self.peek() {
                    if !d.is_ascii_digit() {
                        break;
                    }
                    self.advance(1);
                }
                self.exec_depth += 1;
                return;
            }
        }
        let line = self.line();
        let offset = self.offset;
        let mut searched: usize = 2;
        loop {
            // Only the first COMMENT_LIMIT bytes count, however much is buffered, so the
            // decision does not depend on how the input was read (or cut into blocks).
            let window = (self.end - self.pos).min(COMMENT_LIMIT);
            let avail = &self.buf[self.pos..self.pos + window];
            // A `*/` may straddle what was searched and what was read since.
            let from = searched.saturating_sub(1).max(2).min(avail.len());
            if let Some(i) = memchr::memmem::find(&avail[from..], b"*/") {
                self.advance(from + i + 2);
                return;
            }
            searched = avail.len();
            if searched >= COMMENT_LIMIT || !self.refill() {
                break;
            }
        }
        let available = self.end - self.pos;
        if available < COMMENT_LIMIT && !self.last && self.error.is_none() {
            // A block cut inside the comment: whether it closes is the next block's business.
            self.advance(available);
            self.unterminated = true;
            return;
        }
        self.notes.push(Note::UnclosedComment { line, offset });
        self.advance(2);
    }

    /// Consumes the rest of the current line, including its newline.
    pub fn skip_line(&mut self) {
        while self.fill() {
            let rest = &self.buf[self.pos..self.end];
            match memchr::memchr(b'\n', rest) {
                Some(i) => {
                    self.advance(i + 1);
                    self.bol = true;
                    return;
                }
                None => {
                    let n = rest.len();
                    self.advance(n);
                }
            }
        }
        // The input ended inside the line (a comment, or the rest of a COPY header's line).
        self.unterminated = true;
    }

    /// Reads one line (without its `\n`) into `text`; false at end of input with nothing read.
    /// `overflow` is set when the line was longer than the limit.
    pub fn read_line(&mut self) -> (bool, bool) {
        self.text.clear();
        self.overflow = false;
        let mut any = false;
        while self.fill() {
            any = true;
            let rest = &self.buf[self.pos..self.end];
            let (take, done) = match memchr::memchr(b'\n', rest) {
                Some(i) => (i, true),
                None => (rest.len(), false),
            };
            let room = self.max_text.saturating_sub(self.text.len());
            if take > room {
                self.overflow = true;
            }
            self.text.extend_from_slice(&rest[..take.min(room)]);
            // Lines counted up to here: the bytes up to the newline hold no other, so the
            // count stays current without scanning them again (COPY data asks every line).
            let counted = self.counted == self.pos;
            self.advance(take);
            if done {
                self.advance(1);
                if counted {
                    self.line_base += 1;
                    self.counted = self.pos;
                }
                self.bol = true;
                return (true, true);
            }
        }
        (any, false)
    }

    /// A MySQL executable comment (`/*!50705 …`) is open.
    pub fn in_executable_comment(&self) -> bool {
        self.exec_depth > 0
    }

    /// Consumes the punctuation byte [`Lexer::skip_space`] just returned (no token text).
    #[inline]
    pub fn take_punct(&mut self) {
        debug_assert!(self.replay.is_none());
        self.bol = false;
        self.advance(1);
    }

    /// Makes the next [`Lexer::next`] return the last token again (its text is kept).
    pub fn unread(&mut self, tok: Tok) {
        self.replay = Some(tok);
    }

    /// Next token.
    pub fn next(&mut self) -> Tok {
        if let Some(t) = self.replay.take() {
            return t;
        }
        self.text.clear();
        self.overflow = false;
        self.quote = 0;
        let Some(b) = self.skip_space() else {
            self.tok_bol = self.bol;
            return Tok::Eof;
        };
        self.tok_bol = self.bol;
        self.bol = false;
        match b {
            b'(' | b')' | b',' | b';' | b'.' => {
                self.advance(1);
                Tok::Punct(b)
            }
            b'\'' => {
                self.advance(1);
                let bs = self.dialect.backslash;
                self.string(b'\'', bs);
                Tok::Str
            }
            b'"' => {
                self.advance(1);
                if self.dialect.dq_ident() {
                    self.string(b'"', false);
                    Tok::Ident
                } else {
                    self.string(b'"', true);
                    Tok::Str
                }
            }
            b'`' => {
                self.advance(1);
                self.string(b'`', false);
                Tok::Ident
            }
            b'[' if self.dialect.brackets() => {
                self.advance(1);
                self.string(b']', false);
                self.quote = b'[';
                Tok::Ident
            }
            b'$' if self.dialect.kind == super::dialect::Kind::Postgres && self.dollar_string() => {
                Tok::Str
            }
            _ => self.word(),
        }
    }

    /// An unquoted word, with what it may turn out to be: a string prefix (`N'`, `X'`…), a
    /// charset introducer (`_utf8mb4'…'`), a binary literal (`0x…`, `0b…`) or a batch terminator.
    fn word(&mut self) -> Tok {
        self.scan_word();
        let next = self.peek();
        if next == Some(b'\'') {
            if let Some(t) = self.prefixed_string() {
                return t;
            }
        }
        let text = &self.text;
        if text.len() > 1 && text[0] == b'_' && text[1..].iter().all(|c| c.is_ascii_alphanumeric())
        {
            return self.introducer();
        }
        if text.len() >= 2 && text[0] == b'0' && matches!(text[1], b'x' | b'X') {
            if text[2..].iter().all(u8::is_ascii_hexdigit) {
                self.text.drain(..2);
                self.decode_hex();
                return Tok::Str;
            }
        } else if text.len() > 2
            && text[0] == b'0'
            && matches!(text[1], b'b' | b'B')
            && text[2..].iter().all(|c| matches!(c, b'0' | b'1'))
        {
            self.text.drain(..2);
            self.decode_bits();
            return Tok::Str;
        }
        if self.tok_bol && (self.text.eq_ignore_ascii_case(b"GO") || self.text == b"/") {
            let go = self.text.len() == 2;
            if self.rest_of_line_blank(go) {
                self.skip_line_quietly();
                return Tok::BatchEnd;
            }
        }
        Tok::Word
    }

    /// Reads an unquoted word into `text`.
    fn scan_word(&mut self) {
        if self.exec_depth > 0 {
            // Inside `/*!… */` a word also ends before the comment's `*/`.
            while let Some(c) = self.peek() {
                if self.word_end[c as usize] || (c == b'*' && self.second() == Some(b'/')) {
                    break;
                }
                self.advance(1);
                self.push(c);
            }
            return;
        }
        while self.fill() {
            let rest = &self.buf[self.pos..self.end];
            let n = rest
                .iter()
                .position(|&c| self.word_end[c as usize])
                .unwrap_or(rest.len());
            let more = n == rest.len();
            self.take(n);
            if !more {
                break;
            }
        }
    }

    /// The rest of the line after a `GO` / `/` word is blank (for `GO`: or a repeat count).
    fn rest_of_line_blank(&mut self, go: bool) -> bool {
        let _ = self.fill_ahead(256);
        let avail = &self.buf[self.pos..self.end];
        let line = match memchr::memchr(b'\n', avail) {
            Some(i) => &avail[..i],
            None if avail.len() < 256 => avail,
            None => return false,
        };
        let line = line.trim_ascii();
        line.is_empty() || (go && line.iter().all(u8::is_ascii_digit))
    }

    /// Consumes the rest of the line without marking the input unterminated at its end.
    fn skip_line_quietly(&mut self) {
        let was = self.unterminated;
        self.skip_line();
        self.unterminated = was;
        self.bol = true;
    }

    /// Reads a quoted run up to the closing `q` (doubled `q` is a literal `q`).
    fn string(&mut self, q: u8, backslash: bool) {
        self.quote = q;
        loop {
            if !self.fill() {
                self.unterminated = true;
                return;
            }
            let rest = &self.buf[self.pos..self.end];
            let hit = if backslash {
                memchr::memchr2(q, b'\\', rest)
            } else {
                memchr::memchr(q, rest)
            };
            let n = hit.unwrap_or(rest.len());
            self.take(n);
            if hit.is_none() {
                continue;
            }
            let c = self.bump().unwrap_or(q);
            if c == q {
                if self.peek() == Some(q) {
                    self.advance(1);
                    self.push(q);
                    continue;
                }
                return;
            }
            // Backslash escape.
            let Some(e) = self.bump() else {
                self.unterminated = true;
                return;
            };
            let out = match e {
                b'0' => 0,
                b'b' => 8,
                b'n' => b'\n',
                b'r' => b'\r',
                b't' => b'\t',
                b'Z' => 0x1a,
                b'%' | b'_' => {
                    self.push(b'\\');
                    e
                }
                other => other,
            };
            self.push(out);
        }
    }
}

#[cfg(test)]
mod tests;
