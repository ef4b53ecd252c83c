//! Literals whose text is not simply what sits between quotes: prefixed strings (`N'…'`,
//! `E'…'`, `X'…'`, `b'…'`, `q'[…]'`, `_utf8mb4'…'`), charset introducers before a spaced
//! literal, binary values (hex, bits) and PostgreSQL dollar-quoted strings.

use super::{Lexer, Tok};

impl Lexer<'_> {
    /// `N'…'`, `E'…'`, `X'…'`, `B'…'`, `Q'[…]'`, `U&'…'`, `_charset'…'` after the prefix word
    /// (the quote is next); `None` when the word is no string prefix.
    pub(super) fn prefixed_string(&mut self) -> Option<Tok> {
        let w = std::mem::take(&mut self.text);
        let lower = w.to_ascii_lowercase();
        let tok = match lower.as_slice() {
            b"n" | b"u&" => {
                self.advance(1);
                let bs = self.dialect.backslash;
                self.string(b'\'', bs);
                Some(Tok::Str)
            }
            b"e" => {
                self.advance(1);
                self.string(b'\'', true);
                Some(Tok::Str)
            }
            b"x" => {
                self.advance(1);
                self.string(b'\'', false);
                self.decode_hex();
                Some(Tok::Str)
            }
            b"b" => {
                self.advance(1);
                self.string(b'\'', false);
                self.decode_bits();
                Some(Tok::Str)
            }
            b"q" | b"nq" => {
                self.advance(1);
                self.q_string();
                Some(Tok::Str)
            }
            _ if w.len() > 1 && w[0] == b'_' && w[1..].iter().all(u8::is_ascii_alphanumeric) => {
                self.advance(1);
                let bs = self.dialect.backslash;
                self.string(b'\'', bs);
                if lower == b"_binary" {
                    self.binary_text();
                }
                Some(Tok::Str)
            }
            _ => None,
        };
        if tok.is_none() {
            self.text = w;
        }
        tok
    }

    /// A charset introducer (`_utf8mb4`, `_binary`) before a spaced literal loses itself:
    /// `_binary 'x'`, `_latin1 0x41`, `_binary X'41'`. Otherwise it is an ordinary word.
    pub(super) fn introducer(&mut self) -> Tok {
        let binary = self.text.eq_ignore_ascii_case(b"_binary");
        let Some(b) = self.skip_space() else {
            return Tok::Word;
        };
        let second = self.second();
        let literal = b == b'\''
            || (b == b'"' && !self.dialect.dq_ident())
            || (b == b'0' && matches!(second, Some(b'x' | b'X' | b'b' | b'B')))
            || (matches!(b, b'x' | b'X' | b'b' | b'B') && second == Some(b'\''));
        if !literal {
            return Tok::Word;
        }
        let t = self.next();
        if t == Tok::Str && binary && self.quote != 0 {
            self.binary_text();
        }
        t
    }

    /// Replaces hex digits in `text` by the bytes they stand for, as text when they are
    /// printable UTF-8, else as lower-case hex digits.
    pub(super) fn decode_hex(&mut self) {
        let digits: Vec<u8> = if self.text.len() % 2 == 1 {
            // `0x1` is `0x01`.
            std::iter::once(b'0')
                .chain(self.text.iter().copied())
                .collect()
        } else {
            std::mem::take(&mut self.text)
        };
        let mut bytes = Vec::with_capacity(digits.len() / 2);
        for pair in digits.chunks_exact(2) {
            match (hex_val(pair[0]), hex_val(pair[1])) {
                (Some(h), Some(l)) => bytes.push(h << 4 | l),
                _ => {
                    // Not hex after all: keep the text as it was.
                    self.text = digits;
                    return;
                }
            }
        }
        self.text = bytes;
        self.binary_text();
    }

    /// Keeps `text` when it is printable UTF-8, else replaces it by lower-case hex digits (how
    /// binary values such as hashes and ids are written).
    fn binary_text(&mut self) {
        if printable_utf8(&self.text) {
            return;
        }
        let mut hex = Vec::with_capacity(self.text.len() * 2);
        for &b in &self.text {
            hex.push(HEX[(b >> 4) as usize]);
            hex.push(HEX[(b & 15) as usize]);
        }
        self.text = hex;
    }

    /// Replaces binary digits in `text` by their decimal value (up to 64 bits; longer runs stay
    /// binary digits).
    pub(super) fn decode_bits(&mut self) {
        let t = &self.text;
        if t.is_empty() || t.len() > 64 || !t.iter().all(|c| matches!(c, b'0' | b'1')) {
            return;
        }
        let v = t.iter().fold(0u64, |v, &c| v << 1 | u64::from(c - b'0'));
        self.text = v.to_string().into_bytes();
    }

    /// Oracle's alternative quoting after `q'`: `q'[…]'`, `q'{…}'`, `q'<…>'`, `q'(…)'` or
    /// `q'!…!'` with any other delimiter.
    fn q_string(&mut self) {
        self.quote = b'\'';
        let Some(open) = self.bump() else {
            self.unterminated = true;
            return;
        };
        let close = match open {
            b'[' => b']',
            b'{' => b'}',
            b'<' => b'>',
            b'(' => b')',
            other => other,
        };
        loop {
            if !self.fill() {
                self.unterminated = true;
                return;
            }
            let rest = &self.buf[self.pos..self.end];
            let hit = memchr::memchr(close, rest);
            let n = hit.unwrap_or(rest.len());
            self.take(n);
            if hit.is_none() {
                continue;
            }
            self.advance(1);
            if self.peek() == Some(b'\'') {
                self.advance(1);
                return;
            }
            self.push(close);
        }
    }

    /// A PostgreSQL dollar-quoted string `$tag$…$tag$` at the next byte; false (nothing
    /// consumed) when the `$` starts no such string.
    pub(super) fn dollar_string(&mut self) -> bool {
        let _ = self.fill_ahead(66);
        let avail = &self.buf[self.pos..self.end];
        let Some(close) = avail[1..].iter().take(64).position(|&c| c == b'$') else {
            return false;
        };
        let tag = &avail[1..1 + close];
        let ident = tag
            .first()
            .is_none_or(|c| c.is_ascii_alphabetic() || *c == b'_')
            && tag.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_');
        if !ident {
            return false;
        }
        let delim = avail[..close + 2].to_vec();
        self.advance(delim.len());
        self.quote = b'$';
        loop {
            let _ = self.fill_ahead(delim.len());
            if self.pos == self.end {
                self.unterminated = true;
                return true;
            }
            let rest = &self.buf[self.pos..self.end];
            match memchr::memmem::find(rest, &delim) {
                Some(i) => {
                    self.take(i);
                    self.advance(delim.len());
                    return true;
                }
                None => {
                    // Keep the last bytes: the delimiter may straddle the next read.
                    let keep = (delim.len() - 1).min(rest.len());
                    let n = rest.len() - keep;
                    self.take(n);
                    if !self.refill() {
                        let n = self.end - self.pos;
                        self.take(n);
                        self.unterminated = true;
                        return true;
                    }
                }
            }
        }
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// Valid UTF-8 without control characters other than tab, CR and LF.
pub(crate) fn printable_utf8(b: &[u8]) -> bool {
    match std::str::from_utf8(b) {
        Ok(s) => !s
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')),
        Err(_) => false,
    }
}
