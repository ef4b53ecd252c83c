//! A streaming SQL tokenizer over any `Read`: strings (MySQL backslash escapes, `''`), quoted
//! identifiers, words, punctuation; comments skipped. Keeps line and byte offset.

use std::io::{self, Read};

/// Token kinds; the token's text is in [`Lexer::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tok {
    /// Unquoted word, number or operator run (`INSERT`, `NULL`, `-1.5`, `0x1F`).
    Word,
    /// String literal (text unescaped).
    Str,
    /// Quoted identifier (`` `name` `` or `"name"` in PostgreSQL).
    Ident,
    /// One of `( ) , ; .`
    Punct(u8),
    /// End of input.
    Eof,
}

/// Bytes that end an unquoted word.
const WORD_END: [bool; 256] = {
    let mut t = [false; 256];
    let ends = b" \t\n\r\x0c(),;'\"`";
    let mut i = 0;
    while i < ends.len() {
        t[ends[i] as usize] = true;
        i += 1;
    }
    t
};

/// Streaming tokenizer.
pub(crate) struct Lexer<'a> {
    r: &'a mut dyn Read,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    eof: bool,
    /// Text of the last token (unescaped for strings).
    pub text: Vec<u8>,
    /// True when the last token was longer than the limit (its text was cut).
    pub overflow: bool,
    /// 1-based line of `buf[counted]` (lines are counted lazily, see [`Lexer::line`]).
    line_base: u64,
    /// Position in `buf` up to which newlines are counted into `line_base`.
    counted: usize,
    /// Bytes consumed.
    pub offset: u64,
    /// Backslash escapes in `'...'` strings (MySQL; PostgreSQL only for `E'...'`).
    pub backslash: bool,
    /// `"..."` is an identifier (PostgreSQL) rather than a string (MySQL).
    pub dq_ident: bool,
    /// Longest token text kept.
    pub max_text: usize,
    /// First read error, if any (reported by the parser).
    pub error: Option<io::Error>,
    /// The input ended inside a string, quoted identifier, comment or skipped line.
    pub unterminated: bool,
}

impl<'a> Lexer<'a> {
    /// A lexer for the given dialect.
    pub fn new(r: &'a mut dyn Read, pg: bool, max_text: usize) -> Self {
        Lexer {
            r,
            buf: vec![0; 256 << 10],
            pos: 0,
            end: 0,
            eof: false,
            text: Vec::new(),
            overflow: false,
            line_base: 1,
            counted: 0,
            offset: 0,
            backslash: !pg,
            dq_ident: pg,
            max_text,
            error: None,
            unterminated: false,
        }
    }

    /// 1-based line of the next unread byte.
    pub fn line(&mut self) -> u64 {
        if self.counted < self.pos {
            let span = &self.buf[self.counted..self.pos];
            self.line_base += memchr::memchr_iter(b'\n', span).count() as u64;
            self.counted = self.pos;
        }
        self.line_base
    }

    /// Sets the line and byte offset of the next unread byte (a parse resumed mid-input).
    pub fn start_at(&mut self, line: u64, offset: u64) {
        self.line_base = line;
        self.counted = self.pos;
        self.offset = offset;
    }

    /// Reads more input after the unread bytes `buf[pos..end]` (moved to the front);
    /// false when nothing more came.
    fn refill(&mut self) -> bool {
        if self.eof {
            return false;
        }
        self.line();
        self.buf.copy_within(self.pos..self.end, 0);
        self.end -= self.pos;
        self.pos = 0;
        self.counted = 0;
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
        self.pos += n;
        self.offset += n as u64;
    }

    /// Skips whitespace and comments; returns the next significant byte without consuming it.
    pub fn skip_space(&mut self) -> Option<u8> {
        loop {
            if !self.fill() {
                return None;
            }
            let rest = &self.buf[self.pos..self.end];
            let n = rest
                .iter()
                .position(|c| !c.is_ascii_whitespace())
                .unwrap_or(rest.len());
            self.pos += n;
            self.offset += n as u64;
            if n == rest.len() {
                continue;
            }
            let b = rest[n];
            if (b == b'-' && self.second() == Some(b'-')) || (b == b'#' && !self.dq_ident) {
                self.skip_line();
            } else if b == b'/' && self.second() == Some(b'*') {
                self.bump();
                self.bump();
                let mut prev = 0;
                let mut closed = false;
                while let Some(c) = self.bump() {
                    if prev == b'*' && c == b'/' {
                        closed = true;
                        break;
                    }
                    prev = c;
                }
                self.unterminated |= !closed;
            } else {
                return Some(b);
            }
        }
    }

    /// The byte after the next one.
    fn second(&mut self) -> Option<u8> {
        if self.pos + 1 >= self.end && !self.refill() {
            return None;
        }
        self.buf[..self.end].get(self.pos + 1).copied()
    }

    /// Consumes the rest of the current line, including its newline.
    pub fn skip_line(&mut self) {
        while self.fill() {
            let rest = &self.buf[self.pos..self.end];
            match memchr::memchr(b'\n', rest) {
                Some(i) => {
                    self.pos += i + 1;
                    self.offset += i as u64 + 1;
                    return;
                }
                None => {
                    self.offset += rest.len() as u64;
                    self.pos = self.end;
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
            self.pos += take;
            self.offset += take as u64;
            if done {
                self.pos += 1;
                self.offset += 1;
                return (true, true);
            }
        }
        (any, false)
    }

    /// Next token.
    pub fn next(&mut self) -> Tok {
        self.text.clear();
        self.overflow = false;
        let Some(b) = self.skip_space() else {
            return Tok::Eof;
        };
        match b {
            b'(' | b')' | b',' | b';' | b'.' => {
                self.bump();
                Tok::Punct(b)
            }
            b'\'' => {
                self.bump();
                let bs = self.backslash;
                self.string(b'\'', bs);
                Tok::Str
            }
            b'"' => {
                self.bump();
                if self.dq_ident {
                    self.string(b'"', false);
                    Tok::Ident
                } else {
                    self.string(b'"', true);
                    Tok::Str
                }
            }
            b'`' => {
                self.bump();
                self.string(b'`', false);
                Tok::Ident
            }
            _ => {
                while self.fill() {
                    let rest = &self.buf[self.pos..self.end];
                    let n = rest
                        .iter()
                        .position(|&c| WORD_END[c as usize])
                        .unwrap_or(rest.len());
                    let more = n == rest.len();
                    self.take(n);
                    if !more {
                        break;
                    }
                }
                if (self.text == b"E" || self.text == b"e") && self.peek() == Some(b'\'') {
                    self.bump();
                    self.text.clear();
                    self.string(b'\'', true);
                    return Tok::Str;
                }
                Tok::Word
            }
        }
    }

    /// Reads a quoted run up to the closing `q` (doubled `q` is a literal `q`).
    fn string(&mut self, q: u8, backslash: bool) {
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
                    self.bump();
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
