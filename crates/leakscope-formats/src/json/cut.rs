//! Finding where JSON values end without parsing them, over a streaming window: the reading
//! thread cuts records (array elements, concatenated values, lines) with this and hands their
//! bytes to parser threads. Strings are skipped with `memchr`; outside strings only brackets
//! are counted, so the scan runs at memory speed. Bracket *matching* is checked later by the
//! parser of each record.

use super::blocks::{self, Step, BLOCK};
use std::io::{self, Read};

/// Bytes read from the input at a time.
const READ_CHUNK: usize = 256 << 10;

/// The bytes that matter outside strings: `"`, `{`, `}`, `[`, `]`.
static STRUCTURAL: [bool; 256] = {
    let mut t = [false; 256];
    t[b'"' as usize] = true;
    t[b'{' as usize] = true;
    t[b'}' as usize] = true;
    t[b'[' as usize] = true;
    t[b']' as usize] = true;
    t
};

/// Which bytes [`swar_find`] looks for.
#[derive(Clone, Copy)]
struct Targets {
    /// Bytes matched as they are.
    exact: [u8; 2],
    /// Bytes matched after setting bit 0x20 (`[`/`{` and `]`/`}` alike), when `fold`.
    folded: [u8; 2],
    fold: bool,
}

const QUOTE_OR_ESCAPE: Targets = Targets {
    exact: [b'"', b'\\'],
    folded: [0, 0],
    fold: false,
};
#[cfg(test)]
const STRUCTURAL_BYTES: Targets = Targets {
    exact: [b'"', b'"'],
    folded: [b'{', b'}'],
    fold: true,
};

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// High bit set in every byte of `v` that is zero (exact for the lowest one, which is all
/// [`swar_find`] uses).
#[inline]
fn zero_bytes(v: u64) -> u64 {
    v.wrapping_sub(LO) & !v & HI
}

/// The first byte of `hay` among `t`, eight bytes at a time.
#[inline(always)]
fn swar_find(hay: &[u8], t: Targets) -> Option<usize> {
    let mut j = 0;
    let (e0, e1) = (LO * t.exact[0] as u64, LO * t.exact[1] as u64);
    let (f0, f1) = (LO * t.folded[0] as u64, LO * t.folded[1] as u64);
    while j + 8 <= hay.len() {
        let mut w = [0u8; 8];
        w.copy_from_slice(&hay[j..j + 8]);
        let w = u64::from_le_bytes(w);
        let mut m = zero_bytes(w ^ e0) | zero_bytes(w ^ e1);
        if t.fold {
            let f = w | (LO * 0x20);
            m |= zero_bytes(f ^ f0) | zero_bytes(f ^ f1);
        }
        if m != 0 {
            return Some(j + (m.trailing_zeros() / 8) as usize);
        }
        j += 8;
    }
    hay[j..]
        .iter()
        .position(|&c| {
            c == t.exact[0]
                || c == t.exact[1]
                || (t.fold && (c | 0x20 == t.folded[0] || c | 0x20 == t.folded[1]))
        })
        .map(|k| j + k)
}

/// Resumable search for the end of one value that starts at the first byte fed.
#[derive(Debug, Default, Clone)]
pub(crate) struct EndScan {
    depth: u32,
    in_str: bool,
    esc: bool,
    started: bool,
    scalar: bool,
}

impl EndScan {
    /// Scans `b[from..]`; returns the end of the value (exclusive) once it is complete. A
    /// scalar ends at the first delimiter; at the end of input it ends there (see
    /// [`EndScan::ends_at_eof`]).
    pub fn feed(&mut self, b: &[u8], from: usize) -> Option<usize> {
        let n = b.len();
        let mut i = from;
        if !self.started {
            if i >= n {
                return None;
            }
            self.started = true;
            match b[i] {
                b'{' | b'[' => {
                    self.depth = 1;
                    i += 1;
                }
                b'"' => {
                    self.in_str = true;
                    i += 1;
                }
                _ => {
                    self.scalar = true;
                    // Whatever it is, a value takes at least one byte (a stray `]` too), so
                    // every caller makes progress.
                    i += 1;
                }
            }
        }
        if self.scalar {
            while i < n {
                if matches!(
                    b[i],
                    b',' | b']' | b'}' | b' ' | b'\t' | b'\r' | b'\n' | b'{' | b'[' | b'"' | b':'
                ) {
                    return Some(i);
                }
                i += 1;
            }
            return None;
        }
        // Blocks before this offset are scanned byte by byte (one held a backslash outside
        // every string).
        let mut bytewise_until = 0;
        loop {
            if self.esc {
                if i >= n {
                    return None;
                }
                self.esc = false;
                i += 1;
            }
            while self.depth > 0 && !self.esc && i >= bytewise_until && i + BLOCK <= n {
                let Ok(block) = <&[u8; BLOCK]>::try_from(&b[i..i + BLOCK]) else {
                    break;
                };
                match blocks::scan(block, self.in_str, &mut self.depth) {
                    Step::End(k) => {
                        self.in_str = false;
                        return Some(i + k);
                    }
                    Step::Next {
                        in_str,
                        escape_next,
                    } => {
                        self.in_str = in_str;
                        self.esc = escape_next;
                        i += BLOCK;
                    }
                    Step::Bytewise => bytewise_until = i + BLOCK,
                }
            }
            if self.esc {
                continue;
            }
            if self.in_str {
                // Most strings are short: eight bytes at a time first, memchr for long ones.
                let start = i.min(n);
                let k = match swar_find(&b[start..n.min(start + 64)], QUOTE_OR_ESCAPE) {
                    Some(k) => k,
                    None => memchr::memchr2(b'"', b'\\', &b[start..])?,
                };
                i = start + k;
                if b[i] == b'\\' {
                    self.esc = true;
                    i += 1;
                    continue;
                }
                self.in_str = false;
                i += 1;
                if self.depth == 0 {
                    return Some(i);
                }
            }
            // Outside strings the next quote or bracket is a few bytes away (`": "`, `, "`):
            // byte by byte is quickest.
            while i < n && !STRUCTURAL[b[i] as usize] {
                i += 1;
            }
            if i >= n {
                return None;
            }
            match b[i] {
                b'"' => self.in_str = true,
                b'{' | b'[' => self.depth += 1,
                _ => {
                    self.depth -= 1;
                    if self.depth == 0 {
                        return Some(i + 1);
                    }
                }
            }
            i += 1;
        }
    }

    /// True when a value cut off by the end of input is complete anyway (a bare scalar).
    pub fn ends_at_eof(&self) -> bool {
        self.scalar
    }
}

/// True for a byte that can start a JSON value.
pub(crate) fn value_start(c: u8) -> bool {
    matches!(
        c,
        b'{' | b'[' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n'
    )
}

/// End of the complete value starting at `b[from]`, if it ends within `b`.
pub(crate) fn value_end(b: &[u8], from: usize) -> Option<usize> {
    let mut s = EndScan::default();
    s.feed(b, from)
        .or_else(|| s.ends_at_eof().then_some(b.len()))
}

/// How taking a value ended.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Took {
    /// The value's bytes were appended to the output.
    Value,
    /// Longer than the limit: skipped to its end, nothing appended.
    Oversize,
    /// The input ended inside the value.
    Truncated,
}

/// A read window over a stream with byte offsets and line numbers.
pub(crate) struct Cursor<'r> {
    input: &'r mut dyn Read,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    eof: bool,
    /// Stream offset of `buf[0]`.
    base: u64,
    /// Newlines before `buf[line_mark]`.
    lines: u64,
    line_mark: usize,
    /// Bytes from here on are kept in the window (see [`Cursor::set_mark`]).
    mark: Option<usize>,
    /// Consumed bytes past the mark beyond which it is forgotten.
    mark_limit: usize,
    /// The read error that ended the input, if any.
    pub failed: Option<io::Error>,
}

impl<'r> Cursor<'r> {
    pub fn new(input: &'r mut dyn Read) -> Self {
        Cursor {
            input,
            buf: vec![0; READ_CHUNK],
            pos: 0,
            end: 0,
            eof: false,
            base: 0,
            lines: 0,
            line_mark: 0,
            mark: None,
            mark_limit: 0,
            failed: None,
        }
    }

    /// Byte offset of the next unread byte.
    pub fn offset(&self) -> u64 {
        self.base + self.pos as u64
    }

    /// 1-based line of the next unread byte.
    pub fn line(&mut self) -> u64 {
        self.count_lines_to(self.pos);
        self.lines + 1
    }

    fn count_lines_to(&mut self, upto: usize) {
        if upto > self.line_mark {
            self.lines +=
                memchr::memchr_iter(b'\n', &self.buf[self.line_mark..upto]).count() as u64;
            self.line_mark = upto;
        }
    }

    /// Reads more input, keeping `buf[keep_from..end]`; false at the end of input.
    fn refill(&mut self, keep_from: usize) -> bool {
        if self.eof {
            return false;
        }
        if self.mark.is_some_and(|m| self.pos - m > self.mark_limit) {
            self.mark = None;
        }
        let keep_from = keep_from.min(self.pos).min(self.mark.unwrap_or(usize::MAX));
        if keep_from > 0 {
            self.count_lines_to(keep_from);
            self.buf.copy_within(keep_from..self.end, 0);
            self.end -= keep_from;
            self.pos -= keep_from;
            self.line_mark -= keep_from;
            self.base += keep_from as u64;
            if let Some(m) = self.mark.as_mut() {
                *m -= keep_from;
            }
        }
        // A window that grew for one long value shrinks back once it is mostly unused.
        if self.buf.len() > 4 * READ_CHUNK && self.end < self.buf.len() / 8 {
            self.buf.truncate((2 * self.end).max(READ_CHUNK));
            self.buf.shrink_to_fit();
        }
        if self.buf.len() - self.end < READ_CHUNK / 2 {
            let grow = self.buf.len().max(READ_CHUNK);
            self.buf.resize(self.buf.len() + grow, 0);
        }
        loop {
            match self.input.read(&mut self.buf[self.end..]) {
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
                    self.failed = Some(e);
                    self.eof = true;
                    return false;
                }
            }
        }
    }

    /// Skips whitespace; returns the next byte without consuming it (`None` at the end).
    pub fn peek(&mut self) -> Option<u8> {
        loop {
            while self.pos < self.end {
                match self.buf[self.pos] {
                    b' ' | b'\n' | b'\r' | b'\t' => self.pos += 1,
                    c => return Some(c),
                }
            }
            if !self.refill(self.pos) {
                return None;
            }
        }
    }

    /// Consumes one byte (after [`Cursor::peek`] showed it).
    pub fn bump(&mut self) {
        if self.pos < self.end {
            self.pos += 1;
        }
    }

    /// Looks ahead at the value starting at the next byte without consuming it: `Ok(len)` when
    /// it is complete within `limit` bytes, `Err(true)` when it is longer, `Err(false)` when
    /// the input ends inside it.
    pub fn peek_value(&mut self, limit: usize) -> Result<usize, bool> {
        if self.peek().is_none() {
            return Err(false);
        }
        let mut scan = EndScan::default();
        let mut from = self.pos;
        loop {
            if let Some(e) = scan.feed(&self.buf[..self.end], from) {
                return if e - self.pos > limit {
                    Err(true)
                } else {
                    Ok(e - self.pos)
                };
            }
            from = self.end;
            if self.end - self.pos > limit {
                return Err(true);
            }
            let start = self.pos;
            if !self.refill(start) {
                return if scan.ends_at_eof() && self.end - self.pos <= limit {
                    Ok(self.end - self.pos)
                } else if scan.ends_at_eof() {
                    Err(true)
                } else {
                    Err(false)
                };
            }
            from -= start - self.pos;
        }
    }

    /// What follows the `len` bytes at the next byte (nothing consumed): `None` at the end of
    /// input, else whether a line end comes before the next non-blank byte.
    pub fn peek_after(&mut self, len: usize) -> Option<bool> {
        let mut j = self.pos + len;
        let mut newline = false;
        loop {
            while j < self.end {
                match self.buf[j] {
                    b'\n' => newline = true,
                    b' ' | b'\r' | b'\t' => {}
                    _ => return Some(newline),
                }
                j += 1;
            }
            if j - self.pos > len + (64 << 20) {
                return Some(newline);
            }
            let start = self.pos;
            if !self.refill(start) {
                return None;
            }
            j -= start - self.pos;
        }
    }

    /// Keeps the bytes from the next byte on in the window until [`Cursor::take_mark`], as
    /// long as no more than `limit` of them are consumed: past that the mark is forgotten
    /// (the window stays bounded).
    pub fn set_mark(&mut self, limit: usize) {
        self.peek();
        self.mark = Some(self.pos);
        self.mark_limit = limit;
    }

    /// Forgets the mark: its bytes are not needed.
    pub fn forget_mark(&mut self) {
        self.mark = None;
    }

    /// The bytes consumed since [`Cursor::set_mark`] (and forgets the mark); `None` when
    /// there is no mark or more than its limit were consumed.
    pub fn take_mark(&mut self) -> Option<&[u8]> {
        let m = self.mark.take()?;
        (self.pos - m <= self.mark_limit).then(|| &self.buf[m..self.pos])
    }

    /// The bytes of the window from the next byte on (after a successful peek).
    pub fn window(&self, len: usize) -> &[u8] {
        &self.buf[self.pos..(self.pos + len).min(self.end)]
    }

    /// Consumes `n` bytes of the window.
    pub fn consume(&mut self, n: usize) {
        self.pos = (self.pos + n).min(self.end);
    }

    /// Takes the value at the next byte: appends it to `out` when it is at most `max` bytes,
    /// else skips it (memory stays bounded by `max`).
    pub fn take_value(&mut self, max: usize, out: &mut Vec<u8>) -> Took {
        if self.peek().is_none() {
            return Took::Truncated;
        }
        let mut scan = EndScan::default();
        let mut from = self.pos;
        let mut skipped = 0usize;
        loop {
            if let Some(e) = scan.feed(&self.buf[..self.end], from) {
                let took = if skipped > 0 || e - self.pos > max {
                    Took::Oversize
                } else {
                    out.extend_from_slice(&self.buf[self.pos..e]);
                    Took::Value
                };
                self.pos = e;
                return took;
            }
            from = self.end;
            if skipped > 0 || self.end - self.pos > max {
                // Too long to keep: forget what was scanned.
                skipped += self.end - self.pos;
                self.count_lines_to(self.end);
                self.pos = self.end;
            }
            let start = self.pos;
            if !self.refill(start) {
                let complete = scan.ends_at_eof();
                if self.end - self.pos > max {
                    skipped += self.end - self.pos;
                }
                if complete && skipped == 0 {
                    out.extend_from_slice(&self.buf[self.pos..self.end]);
                }
                self.pos = self.end;
                return match (complete, skipped > 0) {
                    (true, false) => Took::Value,
                    (true, true) => Took::Oversize,
                    _ => Took::Truncated,
                };
            }
            from -= start - self.pos;
        }
    }

    /// The next line (without its line end) into `out`; `None` at the end of input; `Some(false)`
    /// when the line was longer than `max` (skipped, nothing appended).
    pub fn take_line(&mut self, max: usize, out: &mut Vec<u8>) -> Option<bool> {
        let mut from = self.pos;
        let mut skipped = false;
        loop {
            if let Some(k) = memchr::memchr(b'\n', &self.buf[from..self.end]) {
                let nl = from + k;
                let ok = !skipped && nl - self.pos <= max;
                if ok {
                    out.extend_from_slice(&self.buf[self.pos..nl]);
                }
                self.pos = nl + 1;
                return Some(ok);
            }
            from = self.end;
            if skipped || self.end - self.pos > max {
                skipped = true;
                self.count_lines_to(self.end);
                self.pos = self.end;
            }
            let start = self.pos;
            if !self.refill(start) {
                if self.pos == self.end && !skipped {
                    return None;
                }
                let ok = !skipped && self.end - self.pos <= max;
                if ok {
                    out.extend_from_slice(&self.buf[self.pos..self.end]);
                }
                self.pos = self.end;
                return Some(ok);
            }
            from -= start - self.pos;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swar_search_finds_the_first_target() {
        let hay = b"abcdefgh\\ijk\"lmnop[q]";
        assert_eq!(swar_find(hay, QUOTE_OR_ESCAPE), Some(8));
        assert_eq!(swar_find(&hay[9..], QUOTE_OR_ESCAPE), Some(3));
        assert_eq!(swar_find(&hay[13..], STRUCTURAL_BYTES), Some(5));
        assert_eq!(swar_find(b"0123456789abcdef{", STRUCTURAL_BYTES), Some(16));
        assert_eq!(swar_find(b"0123456;789ab", STRUCTURAL_BYTES), None);
        assert_eq!(swar_find(b"\x80\xff\x7b", STRUCTURAL_BYTES), Some(2));
        // Bytes that become a bracket only with bit 0x20 set are brackets already: `[` `]`.
        assert_eq!(swar_find(b"aaaaaaaaa]", STRUCTURAL_BYTES), Some(9));
    }

    #[test]
    fn ends_of_values() {
        let cases: [(&str, Option<usize>); 9] = [
            (r#"{"a":"}"}, x"#, Some(9)),
            (r#"[1,[2,{"b":"\"]"}]] ,"#, Some(19)),
            (r#""a\\" x"#, Some(5)),
            ("123, 4", Some(3)),
            ("true]", Some(4)),
            ("123", Some(3)),
            (r#"{"a":"#, None),
            (r#""abc\"#, None),
            (r#"[[]"#, None),
        ];
        for (src, want) in cases {
            assert_eq!(value_end(src.as_bytes(), 0), want, "{src}");
        }
    }

    /// A reader that hands out one byte at a time, to cross every window boundary.
    struct Trickle<'a>(&'a [u8]);
    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() || buf.is_empty() {
                return Ok(0);
            }
            buf[0] = self.0[0];
            self.0 = &self.0[1..];
            Ok(1)
        }
    }

    #[test]
    fn values_across_reads_with_lines_and_offsets() {
        let src = b" [ {\"a\":\"x\\\"}\"},\n 12 ,\n\"s\" ,{\"big\":\"0123456789\"} ]";
        let mut r = Trickle(src);
        let mut c = Cursor::new(&mut r);
        assert_eq!(c.peek(), Some(b'['));
        c.bump();
        let mut out = Vec::new();
        assert_eq!(c.take_value(100, &mut out), Took::Value);
        assert_eq!(out, br#"{"a":"x\"}"}"#);
        assert_eq!(c.peek(), Some(b','));
        c.bump();
        assert_eq!(c.peek(), Some(b'1'));
        assert_eq!(c.line(), 2);
        out.clear();
        assert_eq!(c.take_value(100, &mut out), Took::Value);
        assert_eq!(out, b"12");
        c.peek();
        c.bump();
        out.clear();
        assert_eq!(c.take_value(100, &mut out), Took::Value);
        assert_eq!((out.as_slice(), c.line()), (&b"\"s\""[..], 3));
        c.peek();
        c.bump();
        out.clear();
        let off = c.offset();
        assert_eq!(c.take_value(5, &mut out), Took::Oversize);
        assert!(out.is_empty());
        assert_eq!(off, 28);
        assert_eq!(c.peek(), Some(b']'));
        c.bump();
        assert_eq!(c.peek(), None);
    }

    #[test]
    fn peeking_does_not_consume_and_reports_long_or_cut_values() {
        let src = br#"{"a":[1,2,3]}{"b":1}"#;
        let mut r = Trickle(src);
        let mut c = Cursor::new(&mut r);
        assert_eq!(c.peek_value(100), Ok(13));
        assert_eq!(c.window(13), br#"{"a":[1,2,3]}"#);
        assert_eq!(c.peek_value(4), Err(true));
        c.consume(13);
        let mut out = Vec::new();
        assert_eq!(c.take_value(100, &mut out), Took::Value);
        let mut cut: &[u8] = br#"{"a":[1,"#;
        let mut c = Cursor::new(&mut cut);
        assert_eq!(c.peek_value(100), Err(false));
        assert_eq!(c.take_value(100, &mut out), Took::Truncated);
    }

    #[test]
    fn lines() {
        let mut src: &[u8] = b"a\n\nlong line here\nlast";
        let mut c = Cursor::new(&mut src);
        let mut out = Vec::new();
        assert_eq!(c.take_line(8, &mut out), Some(true));
        assert_eq!(c.take_line(8, &mut out), Some(true));
        assert_eq!(c.take_line(8, &mut out), Some(false));
        assert_eq!(c.line(), 4);
        assert_eq!(c.take_line(8, &mut out), Some(true));
        assert_eq!(out, b"alast");
        assert_eq!(c.take_line(8, &mut out), None);
    }
}
