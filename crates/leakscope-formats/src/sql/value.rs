//! Values of INSERT tuples that are expressions rather than plain literals: `CAST(N'…' AS
//! DateTime)`, `CONVERT(datetime, '…', 120)`, `TO_DATE('…', 'mask')`, `DATE '…'`, `{ts '…'}`,
//! `'…'::date`, `replace('a\nb', '\n', char(10))` (`sqlite3 .dump`), `N'a' + CHAR(13) + N'b'`,
//! `'a' || 'b'`, `CONCAT(…)`, `UNHEX('…')`, `unistr('…')`. They reduce to the value they
//! stand for; anything else is kept as its own text (`NOW()`, `1+2`).
//!
//! Plain literals never come here: the tuple reader handles a lone literal followed by `,` or
//! `)` itself (the fast path every dump's bulk takes).

use super::dates;
use super::lex::{printable_utf8, Tok};
use super::out::Out;
use super::Dump;

/// A value being computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Val {
    /// SQL NULL (and `DEFAULT`): an empty cell.
    Null,
    /// A string literal's text.
    Text(Vec<u8>),
    /// Unquoted text: a number, a word, or an expression kept as written.
    Raw(Vec<u8>),
}

impl Val {
    /// The cell text.
    pub fn bytes(&self) -> &[u8] {
        match self {
            Val::Null => b"",
            Val::Text(b) | Val::Raw(b) => b,
        }
    }

    fn is_text(&self) -> bool {
        matches!(self, Val::Text(_))
    }

    fn text(&self) -> Option<&str> {
        match self {
            Val::Text(b) => std::str::from_utf8(b).ok(),
            _ => None,
        }
    }

    fn number(&self) -> Option<u32> {
        match self {
            Val::Raw(b) | Val::Text(b) => std::str::from_utf8(b).ok()?.trim().parse().ok(),
            Val::Null => None,
        }
    }
}

/// Why an expression stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// At this `,` or `)` (consumed).
    Punct(u8),
    /// At a token that continues no expression (left unread for the caller).
    Other,
    /// The statement ended inside the tuple (`;` or a batch terminator, left unread).
    Statement,
    /// The input ended.
    Eof,
}

/// Binary operators of string expressions.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Concat,
    Plus,
    Other(u8),
}

fn is_word(text: &[u8], w: &str) -> bool {
    text.eq_ignore_ascii_case(w.as_bytes())
}

/// A word that means "no value".
#[inline]
pub(crate) fn null_word(text: &[u8]) -> bool {
    match text.len() {
        4 => text.eq_ignore_ascii_case(b"NULL"),
        7 => text.eq_ignore_ascii_case(b"DEFAULT"),
        _ => false,
    }
}

/// A word without a trailing PostgreSQL cast (`NULL::text` → `NULL`, `1::int` → `1`).
pub(crate) fn without_cast(text: &[u8]) -> &[u8] {
    let Some(i) = memchr::memchr(b':', text) else {
        return text;
    };
    match text.get(i + 1) {
        Some(b':') if i > 0 => &text[..i],
        _ => text,
    }
}

impl<O: Out> Dump<'_, O> {
    /// Reads one whole value expression of a tuple, up to the `,` or `)` after it.
    pub(super) fn value_expr(&mut self, oversize: &mut bool) -> (Val, Stop) {
        let (v, stop) = self.expr(oversize);
        if stop != Stop::Other {
            return (v, stop);
        }
        // Trailing words that change no value (`COLLATE x`, `USING utf8`, `AS alias`): skipped
        // up to the end of the value.
        let mut depth = 0usize;
        loop {
            match self.tok() {
                Tok::Punct(b'(') => depth += 1,
                Tok::Punct(b')') if depth > 0 => depth -= 1,
                Tok::Punct(c @ (b',' | b')')) if depth == 0 => return (v, Stop::Punct(c)),
                t @ (Tok::Punct(b';') | Tok::BatchEnd) => {
                    self.lex.unread(t);
                    return (v, Stop::Statement);
                }
                Tok::Eof => return (v, Stop::Eof),
                _ => *oversize |= self.lex.overflow,
            }
        }
    }

    /// `operand { operator operand }`.
    fn expr(&mut self, oversize: &mut bool) -> (Val, Stop) {
        let (mut acc, mut stop) = self.operand(oversize);
        while stop == Stop::Other {
            let t = self.tok();
            let Some(op) = self.operator(t) else {
                self.lex.unread(t);
                break;
            };
            let (rhs, s) = self.operand(oversize);
            stop = s;
            acc = apply_op(op, acc, rhs);
        }
        (acc, stop)
    }

    /// The token as an operator, splitting a glued operand off (`+CHAR` → `+`, `CHAR` unread);
    /// casts and collations are consumed as postfixes and reported as a no-op concatenation
    /// with NULL.
    fn operator(&mut self, t: Tok) -> Option<Op> {
        if t != Tok::Word {
            return None;
        }
        let text = self.lex.text.clone();
        if text.starts_with(b"::") {
            self.skip_type_args();
            return Some(Op::Other(0));
        }
        if is_word(&text, "COLLATE") {
            self.tok();
            return Some(Op::Other(0));
        }
        let (op, n) = if text.starts_with(b"||") {
            (Op::Concat, 2)
        } else if text[0] == b'+' {
            (Op::Plus, 1)
        } else if matches!(text[0], b'-' | b'*' | b'/' | b'%') {
            (Op::Other(text[0]), 1)
        } else {
            return None;
        };
        if text.len() > n {
            self.lex.text = text[n..].to_vec();
            self.lex.unread(Tok::Word);
        }
        Some(op)
    }

    /// After `::type`: a parenthesised length (`::varchar(10)`) belongs to the cast.
    fn skip_type_args(&mut self) {
        if self.lex.skip_space() != Some(b'(') {
            return;
        }
        let mut depth = 0usize;
        loop {
            match self.tok() {
                Tok::Punct(b'(') => depth += 1,
                Tok::Punct(b')') => {
                    depth -= 1;
                    if depth == 0 {
                        return;
                    }
                }
                t @ (Tok::Eof | Tok::BatchEnd | Tok::Punct(b';')) => {
                    self.lex.unread(t);
                    return;
                }
                _ => {}
            }
        }
    }

    /// One operand; the stop says whether the value ended right after it.
    fn operand(&mut self, oversize: &mut bool) -> (Val, Stop) {
        let t = self.tok();
        *oversize |= self.lex.overflow;
        let v = match t {
            Tok::Str | Tok::Ident => {
                let mut s = self.lex.text.clone();
                // Adjacent literals concatenate (`'a' 'b'`, a long string split over lines).
                while t == Tok::Str && self.lex.skip_space() == Some(b'\'') {
                    self.tok();
                    *oversize |= self.lex.overflow;
                    s.extend_from_slice(&self.lex.text);
                }
                Val::Text(s)
            }
            Tok::Word => match self.word_operand(oversize) {
                (v, Some(stop)) => return (v, stop),
                (v, None) => v,
            },
            Tok::Punct(b'(') => {
                let (v, stop) = self.value_expr(oversize);
                if stop != Stop::Punct(b')') {
                    return (v, stop);
                }
                v
            }
            Tok::Punct(c @ (b',' | b')')) => return (Val::Null, Stop::Punct(c)),
            Tok::Punct(b';') | Tok::BatchEnd => {
                self.lex.unread(t);
                return (Val::Null, Stop::Statement);
            }
            Tok::Eof => return (Val::Null, Stop::Eof),
            Tok::Punct(c) => Val::Raw(vec![c]),
        };
        (v, self.after_operand())
    }

    /// Whether the value ends after an operand: at `,` / `)` (consumed) or goes on.
    fn after_operand(&mut self) -> Stop {
        match self.lex.skip_space() {
            Some(c @ (b',' | b')')) => {
                self.tok();
                Stop::Punct(c)
            }
            None => Stop::Other,
            Some(_) => Stop::Other,
        }
    }

    /// An operand that starts with a word: NULL, a typed literal, an ODBC escape, a function
    /// call, a unary sign, or a bare word. A stop is returned when the operand's own parts
    /// already ended the value.
    fn word_operand(&mut self, oversize: &mut bool) -> (Val, Option<Stop>) {
        let w = self.lex.text.clone();
        if null_word(without_cast(&w)) {
            return (Val::Null, None);
        }
        let typed = [
            "DATE",
            "TIME",
            "TIMESTAMP",
            "DATETIME",
            "INTERVAL",
            "TIMESTAMPTZ",
        ]
        .iter()
        .any(|k| is_word(&w, k));
        if typed && self.lex.skip_space() == Some(b'\'') {
            // `DATE '2020-01-01'`, `TIMESTAMP '…'`.
            self.tok();
            return (Val::Text(self.lex.text.clone()), None);
        }
        if w.first() == Some(&b'{') {
            // ODBC escapes `{d '…'}`, `{ts '…'}`.
            if self.lex.skip_space() == Some(b'\'') {
                self.tok();
                let v = Val::Text(self.lex.text.clone());
                if self.lex.skip_space() == Some(b'}') {
                    self.tok();
                }
                return (v, None);
            }
            return (Val::Raw(w), None);
        }
        if w == b"-" || w == b"+" {
            let (v, stop) = self.operand(oversize);
            let mut raw = w;
            raw.extend_from_slice(v.bytes());
            return (Val::Raw(raw), Some(stop));
        }
        if self.lex.skip_space() == Some(b'(') {
            self.tok();
            return self.call(&w, oversize);
        }
        (Val::Raw(without_cast(&w).to_vec()), None)
    }

    /// A function call after its `(`; the arguments are read up to the matching `)`.
    fn call(&mut self, name: &[u8], oversize: &mut bool) -> (Val, Option<Stop>) {
        let fname = {
            let n = name.rsplit(|&c| c == b'.').next().unwrap_or(name);
            String::from_utf8_lossy(n).to_ascii_uppercase()
        };
        let mut args = Vec::new();
        let mut broken = None;
        if self.lex.skip_space() == Some(b')') {
            self.tok();
        } else {
            loop {
                let (v, stop) = self.arg(oversize);
                args.push(v);
                match stop {
                    Stop::Punct(b',') => continue,
                    Stop::Punct(_) => break,
                    Stop::Statement | Stop::Eof | Stop::Other => {
                        broken = Some(stop);
                        break;
                    }
                }
            }
        }
        (function(&fname, name, args), broken)
    }

    /// One argument of a call; `CAST(x AS type)` stops at `AS` and the type (like any trailing
    /// words) is skipped to the end of the argument, as for a value.
    fn arg(&mut self, oversize: &mut bool) -> (Val, Stop) {
        self.value_expr(oversize)
    }
}

/// Applies a binary operator: string concatenation (`||`, or `+` with a string side), else
/// the expression is kept as written.
fn apply_op(op: Op, a: Val, b: Val) -> Val {
    let sym = match op {
        Op::Other(0) => return a,
        Op::Concat => return concat(&[a, b]),
        Op::Plus if a.is_text() || b.is_text() => return concat(&[a, b]),
        Op::Plus => b'+',
        Op::Other(c) => c,
    };
    let mut raw = a.bytes().to_vec();
    raw.push(sym);
    raw.extend_from_slice(b.bytes());
    Val::Raw(raw)
}

/// Concatenation of strings; NULL parts are left out (Oracle's rule, and what a reader of the
/// dump would see).
fn concat(parts: &[Val]) -> Val {
    let mut out = Vec::new();
    for p in parts {
        out.extend_from_slice(p.bytes());
    }
    Val::Text(out)
}

/// Evaluates a function that stands for a value; any other call is kept as written.
fn function(fname: &str, name: &[u8], args: Vec<Val>) -> Val {
    let arg = |i: usize| args.get(i).cloned().unwrap_or(Val::Null);
    match fname {
        "CAST" | "TRY_CAST" | "SAFE_CAST" | "TO_NUMBER" | "TO_CHAR" | "TO_NCHAR" | "TO_CLOB"
        | "TO_NCLOB" | "TO_BINARY_DOUBLE" | "TO_BINARY_FLOAT" | "NVL" | "IFNULL" | "COALESCE" => {
            if matches!(fname, "NVL" | "IFNULL" | "COALESCE") {
                return args
                    .into_iter()
                    .find(|a| *a != Val::Null)
                    .unwrap_or(Val::Null);
            }
            arg(0)
        }
        "CONVERT" | "TRY_CONVERT" => {
            // T-SQL `CONVERT(type, value[, style])`; MySQL `CONVERT(value, type)`.
            match (&arg(0), &arg(1)) {
                (Val::Raw(_), v @ (Val::Text(_) | Val::Raw(_))) if args.len() >= 2 => v.clone(),
                _ => arg(0),
            }
        }
        "TO_DATE" | "TO_TIMESTAMP" | "TO_TIMESTAMP_TZ" => match (arg(0).text(), arg(1).text()) {
            (Some(v), Some(mask)) => dates::oracle(v, mask)
                .map(|d| Val::Text(d.into_bytes()))
                .unwrap_or_else(|| arg(0)),
            _ => arg(0),
        },
        "STR_TO_DATE" => match (arg(0).text(), arg(1).text()) {
            (Some(v), Some(f)) => dates::mysql(v, f)
                .map(|d| Val::Text(d.into_bytes()))
                .unwrap_or_else(|| arg(0)),
            _ => arg(0),
        },
        "REPLACE" if args.len() == 3 && args.iter().all(|a| !matches!(a, Val::Raw(_))) => {
            let (s, from, to) = (arg(0), arg(1), arg(2));
            if from.bytes().is_empty() {
                return s;
            }
            Val::Text(replace(s.bytes(), from.bytes(), to.bytes()))
        }
        "CHAR" | "CHR" | "NCHAR" if !args.is_empty() => {
            let mut out = String::new();
            for a in &args {
                match a.number().and_then(char::from_u32) {
                    Some(c) => out.push(c),
                    None => return kept(name, &args),
                }
            }
            Val::Text(out.into_bytes())
        }
        "CONCAT" => concat(&args),
        "UNHEX" | "HEXTORAW" => match arg(0).text() {
            Some(h) if h.len() % 2 == 0 && h.bytes().all(|c| c.is_ascii_hexdigit()) => {
                let bytes: Vec<u8> = (0..h.len())
                    .step_by(2)
                    .filter_map(|i| u8::from_str_radix(&h[i..i + 2], 16).ok())
                    .collect();
                if printable_utf8(&bytes) {
                    Val::Text(bytes)
                } else {
                    Val::Text(h.to_ascii_lowercase().into_bytes())
                }
            }
            _ => arg(0),
        },
        "UNISTR" => match arg(0).text() {
            Some(s) => Val::Text(unistr(s).into_bytes()),
            None => arg(0),
        },
        _ => kept(name, &args),
    }
}

/// A call kept as written: `NAME(arg,arg)`.
fn kept(name: &[u8], args: &[Val]) -> Val {
    let mut raw = name.to_vec();
    raw.push(b'(');
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            raw.push(b',');
        }
        match a {
            Val::Null => raw.extend_from_slice(b"NULL"),
            _ => raw.extend_from_slice(a.bytes()),
        }
    }
    raw.push(b')');
    Val::Raw(raw)
}

fn replace(s: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut last = 0;
    for i in memchr::memmem::find_iter(s, from) {
        if i < last {
            continue;
        }
        out.extend_from_slice(&s[last..i]);
        out.extend_from_slice(to);
        last = i + from.len();
    }
    out.extend_from_slice(&s[last..]);
    out
}

/// SQLite's / Oracle's `unistr()` escapes: `\XXXX`, `\uXXXX`, `\+XXXXXX`, `\UXXXXXXXX`, `\\`.
fn unistr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let (digits, skip) = if let Some(r) = after.strip_prefix('u') {
            (r.get(..4), 5)
        } else if let Some(r) = after.strip_prefix('U') {
            (r.get(..8), 9)
        } else if let Some(r) = after.strip_prefix('+') {
            (r.get(..6), 7)
        } else if let Some(r) = after.strip_prefix('\\') {
            out.push('\\');
            rest = r;
            continue;
        } else {
            (after.get(..4), 4)
        };
        match digits
            .and_then(|d| u32::from_str_radix(d, 16).ok())
            .and_then(char::from_u32)
        {
            Some(c) => {
                out.push(c);
                rest = &after[skip..];
            }
            None => {
                out.push('\\');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Val {
        Val::Text(s.as_bytes().to_vec())
    }

    #[test]
    fn functions_reduce_to_their_values() {
        assert_eq!(
            function("CAST", b"CAST", vec![t("1996-07-04")]),
            t("1996-07-04")
        );
        assert_eq!(
            function(
                "CONVERT",
                b"CONVERT",
                vec![
                    Val::Raw(b"datetime".to_vec()),
                    t("x"),
                    Val::Raw(b"120".to_vec())
                ]
            ),
            t("x")
        );
        assert_eq!(
            function(
                "TO_DATE",
                b"TO_DATE",
                vec![t("1962-2-18 00:00:00"), t("yyyy-mm-dd hh24:mi:ss")]
            ),
            t("1962-02-18 00:00:00")
        );
        assert_eq!(
            function("REPLACE", b"replace", vec![t("a\\nb"), t("\\n"), t("\n")]),
            t("a\nb")
        );
        assert_eq!(
            function(
                "CHAR",
                b"CHAR",
                vec![Val::Raw(b"13".to_vec()), Val::Raw(b"10".to_vec())]
            ),
            t("\r\n")
        );
        assert_eq!(function("UNHEX", b"UNHEX", vec![t("4142")]), t("AB"));
        assert_eq!(
            function("UNISTR", b"unistr", vec![t("L\\00ea \\u1ec5")]),
            t("Lê ễ")
        );
        assert_eq!(function("NOW", b"now", vec![]), Val::Raw(b"now()".to_vec()));
        assert_eq!(apply_op(Op::Plus, t("a"), Val::Raw(b"1".to_vec())), t("a1"));
        assert_eq!(
            apply_op(Op::Plus, Val::Raw(b"1".to_vec()), Val::Raw(b"2".to_vec())),
            Val::Raw(b"1+2".to_vec())
        );
    }
}
