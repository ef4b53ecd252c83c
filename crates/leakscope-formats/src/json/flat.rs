//! One JSON value → flattened `(key, value)` fields, written into a shared text buffer.
//!
//! Objects flatten to dotted keys (`user.address.city`); arrays inside a record are kept as
//! compact JSON text; strings are unescaped; numbers keep their exact source text (a 19-digit
//! card number stays exact); `true`/`false` stay as words and `null` becomes empty. MongoDB
//! extended-JSON wrappers (`{"$oid": …}`, `{"$date": …}`, …) become their plain values
//! (`ext.rs`). A top-level array flattens positionally (`col_1`, `col_2`, …) and a top-level
//! scalar to one field `value`, so arrays of arrays and of scalars read as tables too.
//!
//! The parser is iterative over its input and recursive only over nested objects, which are
//! bounded by [`MAX_DEPTH`] (deeper objects are kept as compact JSON text).

use super::ext;

/// Objects nested deeper than this inside a record are kept as compact JSON text.
pub(crate) const MAX_DEPTH: usize = 64;

/// A flattened field: byte ranges of its key and value in [`Out::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Field {
    pub key: (u32, u32),
    pub val: (u32, u32),
}

/// Where flattened fields go: text (valid UTF-8 by construction) and field ranges.
#[derive(Debug, Default)]
pub(crate) struct Out {
    pub text: Vec<u8>,
    pub fields: Vec<Field>,
    /// Scratch outputs for extended-JSON wrappers, kept for reuse.
    spare: Vec<Out>,
}

impl Out {
    /// The text of a range (always valid UTF-8: every write comes from `&str` data).
    pub fn str(&self, r: (u32, u32)) -> &str {
        std::str::from_utf8(&self.text[r.0 as usize..r.1 as usize]).unwrap_or("\u{fffd}")
    }

    fn pos(&self) -> u32 {
        self.text.len() as u32
    }

    /// The bytes of a range (no UTF-8 check: for comparisons).
    pub fn bytes(&self, r: (u32, u32)) -> &[u8] {
        &self.text[r.0 as usize..r.1 as usize]
    }

    /// Appends `s` and returns its range.
    pub fn push_str(&mut self, s: &str) -> (u32, u32) {
        let a = self.pos();
        self.text.extend_from_slice(s.as_bytes());
        (a, self.pos())
    }
}

/// What the top-level value was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    Object,
    Array,
    Scalar,
}

/// Appends the plain value of the extended-JSON wrapper flattened in `aside` to `text` and
/// returns its range; `None` (nothing appended) when it is not a wrapper.
fn convert_wrapper(aside: &Out, text: &mut Vec<u8>) -> Option<(u32, u32)> {
    let all = std::str::from_utf8(&aside.text).unwrap_or_default();
    let s = |r: (u32, u32)| all.get(r.0 as usize..r.1 as usize).unwrap_or("\u{fffd}");
    let mut few = [("", ""); 2];
    let many: Vec<(&str, &str)>;
    let pairs: &[(&str, &str)] = if aside.fields.len() <= few.len() {
        for (slot, f) in few.iter_mut().zip(&aside.fields) {
            *slot = (s(f.key), s(f.val));
        }
        &few[..aside.fields.len()]
    } else {
        many = aside.fields.iter().map(|f| (s(f.key), s(f.val))).collect();
        &many
    };
    let a = text.len() as u32;
    let converted = ext::convert_into(pairs, text);
    converted.then_some((a, text.len() as u32))
}

/// Why a value could not be parsed: where (byte offset in the value) and whether the input
/// simply ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ParseError {
    pub offset: usize,
    pub eof: bool,
}

/// Flattens the single JSON value in `src` (surrounding whitespace allowed) into `out`.
/// On error `out` may hold partial fields; the caller rolls back.
pub(crate) fn flatten(src: &str, out: &mut Out) -> Result<Shape, ParseError> {
    let mut p = Parser {
        b: src.as_bytes(),
        i: 0,
    };
    p.ws();
    let shape = match p.peek() {
        Some(b'{') => {
            p.object(out, None, 0)?;
            Shape::Object
        }
        Some(b'[') => {
            p.positional(out)?;
            Shape::Array
        }
        Some(_) => {
            let key = out.push_str("value");
            p.scalar_field(out, key)?;
            Shape::Scalar
        }
        None => return Err(p.err()),
    };
    p.ws();
    if p.i < p.b.len() {
        return Err(p.err());
    }
    Ok(shape)
}

/// The compact JSON text of the value `src` (whitespace outside strings removed).
#[cfg(test)]
pub(crate) fn compact(src: &str) -> Result<String, ParseError> {
    let mut p = Parser {
        b: src.as_bytes(),
        i: 0,
    };
    p.ws();
    let mut out = Out::default();
    p.compact_into(&mut out)?;
    p.ws();
    if p.i < p.b.len() {
        return Err(p.err());
    }
    Ok(String::from_utf8(out.text).unwrap_or_default())
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn err(&self) -> ParseError {
        ParseError {
            offset: self.i,
            eof: self.i >= self.b.len(),
        }
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline]
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.i += 1;
        }
    }

    fn expect(&mut self, c: u8) -> Result<(), ParseError> {
        self.ws();
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            Err(self.err())
        }
    }

    /// An object at `self.i`; its fields get keys under `prefix` (a range in `out.text`).
    fn object(
        &mut self,
        out: &mut Out,
        prefix: Option<(u32, u32)>,
        depth: usize,
    ) -> Result<(), ParseError> {
        self.expect(b'{')?;
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return Err(self.err());
            }
            let start = out.pos();
            if let Some(p) = prefix {
                out.text.extend_from_within(p.0 as usize..p.1 as usize);
                out.text.push(b'.');
            }
            self.string_into(out)?;
            let key = (start, out.pos());
            self.expect(b':')?;
            self.ws();
            self.member(out, key, depth)?;
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(self.err()),
            }
        }
    }

    /// The value of member `key` of an object at nesting `depth`.
    fn member(&mut self, out: &mut Out, key: (u32, u32), depth: usize) -> Result<(), ParseError> {
        match self.peek() {
            Some(b'{') => {
                if self.first_key_is_dollar() && depth + 1 < MAX_DEPTH {
                    // Maybe an extended-JSON wrapper: flatten it aside and convert it; if it
                    // is not one, read it again as an ordinary object.
                    // The scratch output is reused (every record of a `mongoexport` file
                    // has a few wrappers).
                    let start = self.i;
                    let mut aside = out.spare.pop().unwrap_or_default();
                    aside.text.clear();
                    aside.fields.clear();
                    self.object(&mut aside, None, depth + 1)?;
                    let converted = convert_wrapper(&aside, &mut out.text);
                    out.spare.push(aside);
                    if let Some(val) = converted {
                        out.fields.push(Field { key, val });
                        return Ok(());
                    }
                    self.i = start;
                }
                if depth + 1 >= MAX_DEPTH {
                    let a = out.pos();
                    self.compact_into(out)?;
                    let val = (a, out.pos());
                    out.fields.push(Field { key, val });
                    Ok(())
                } else {
                    self.object(out, Some(key), depth + 1)
                }
            }
            Some(b'[') => {
                let a = out.pos();
                self.compact_into(out)?;
                let val = (a, out.pos());
                out.fields.push(Field { key, val });
                Ok(())
            }
            _ => self.scalar_field(out, key),
        }
    }

    /// A top-level array: element `n` becomes field `col_n`.
    fn positional(&mut self, out: &mut Out) -> Result<(), ParseError> {
        self.expect(b'[')?;
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(());
        }
        let mut n = 0usize;
        loop {
            n += 1;
            self.ws();
            let key = out.push_str(&format!("col_{n}"));
            match self.peek() {
                Some(b'{' | b'[') => {
                    let a = out.pos();
                    self.compact_into(out)?;
                    let val = (a, out.pos());
                    out.fields.push(Field { key, val });
                }
                _ => self.scalar_field(out, key)?,
            }
            self.ws();
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(self.err()),
            }
        }
    }

    /// A string, number or literal as the value of `key`.
    fn scalar_field(&mut self, out: &mut Out, key: (u32, u32)) -> Result<(), ParseError> {
        let a = out.pos();
        match self.peek() {
            Some(b'"') => self.string_into(out)?,
            Some(b't') => self.literal(b"true", out, true)?,
            Some(b'f') => self.literal(b"false", out, true)?,
            Some(b'n') => self.literal(b"null", out, false)?,
            Some(b'-' | b'0'..=b'9') => {
                let s = self.i;
                while let Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') = self.peek() {
                    self.i += 1;
                }
                out.text.extend_from_slice(&self.b[s..self.i]);
            }
            _ => return Err(self.err()),
        }
        out.fields.push(Field {
            key,
            val: (a, out.pos()),
        });
        Ok(())
    }

    fn literal(&mut self, word: &[u8], out: &mut Out, keep: bool) -> Result<(), ParseError> {
        if self.b[self.i..].starts_with(word) {
            self.i += word.len();
            if keep {
                out.text.extend_from_slice(word);
            }
            Ok(())
        } else {
            Err(ParseError {
                offset: self.i,
                eof: self.b.len() - self.i < word.len() && word.starts_with(&self.b[self.i..]),
            })
        }
    }

    /// Unescapes the string at `self.i` (at its opening quote) into `out.text`.
    fn string_into(&mut self, out: &mut Out) -> Result<(), ParseError> {
        self.i += 1;
        loop {
            let rest = &self.b[self.i..];
            let Some(k) = memchr::memchr2(b'"', b'\\', rest) else {
                self.i = self.b.len();
                return Err(self.err());
            };
            out.text.extend_from_slice(&self.b[self.i..self.i + k]);
            self.i += k;
            if self.b[self.i] == b'"' {
                self.i += 1;
                return Ok(());
            }
            self.escape(out)?;
        }
    }

    /// One backslash escape at `self.i`.
    fn escape(&mut self, out: &mut Out) -> Result<(), ParseError> {
        let Some(&c) = self.b.get(self.i + 1) else {
            self.i = self.b.len();
            return Err(self.err());
        };
        self.i += 2;
        let ch = match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = self.hex4()?;
                if (0xd800..0xdc00).contains(&hi)
                    && self.b.get(self.i) == Some(&b'\\')
                    && self.b.get(self.i + 1) == Some(&b'u')
                {
                    let save = self.i;
                    self.i += 2;
                    let lo = self.hex4()?;
                    if (0xdc00..0xe000).contains(&lo) {
                        let cp = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
                        char::from_u32(cp).unwrap_or('\u{fffd}')
                    } else {
                        self.i = save;
                        '\u{fffd}'
                    }
                } else {
                    char::from_u32(hi).unwrap_or('\u{fffd}')
                }
            }
            _ => {
                self.i -= 1;
                return Err(self.err());
            }
        };
        let mut buf = [0u8; 4];
        out.text
            .extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let Some(h) = self.b.get(self.i..self.i + 4) else {
            self.i = self.b.len();
            return Err(self.err());
        };
        let mut v = 0u32;
        for &d in h {
            let x = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return Err(self.err()),
            };
            v = v * 16 + x as u32;
        }
        self.i += 4;
        Ok(v)
    }

    /// True when the object at `self.i` starts with a key beginning with `$`.
    fn first_key_is_dollar(&self) -> bool {
        let mut j = self.i + 1;
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.b.get(j) {
            j += 1;
        }
        self.b.get(j) == Some(&b'"') && self.b.get(j + 1) == Some(&b'$')
    }

    /// Copies the value at `self.i` as compact JSON (brackets checked, strings kept as written).
    fn compact_into(&mut self, out: &mut Out) -> Result<(), ParseError> {
        let mut stack: Vec<u8> = Vec::new();
        loop {
            self.ws();
            let Some(c) = self.peek() else {
                return Err(self.err());
            };
            match c {
                b'{' | b'[' => {
                    stack.push(if c == b'{' { b'}' } else { b']' });
                    out.text.push(c);
                    self.i += 1;
                    continue;
                }
                b'}' | b']' => {
                    if stack.pop() != Some(c) {
                        return Err(self.err());
                    }
                    out.text.push(c);
                    self.i += 1;
                }
                b'"' => {
                    let s = self.i;
                    self.i += 1;
                    loop {
                        let Some(k) = memchr::memchr2(b'"', b'\\', &self.b[self.i..]) else {
                            self.i = self.b.len();
                            return Err(self.err());
                        };
                        self.i += k;
                        if self.b[self.i] == b'"' {
                            self.i += 1;
                            break;
                        }
                        self.i += 2;
                        if self.i > self.b.len() {
                            self.i = self.b.len();
                            return Err(self.err());
                        }
                    }
                    out.text.extend_from_slice(&self.b[s..self.i]);
                }
                b',' | b':' if !stack.is_empty() => {
                    out.text.push(c);
                    self.i += 1;
                    continue;
                }
                _ => {
                    let s = self.i;
                    while let Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'a'..=b'z' | b'A'..=b'Z') =
                        self.peek()
                    {
                        self.i += 1;
                    }
                    if s == self.i {
                        return Err(self.err());
                    }
                    let word = &self.b[s..self.i];
                    let ok = matches!(word, b"true" | b"false" | b"null")
                        || word[0] == b'-'
                        || word[0].is_ascii_digit();
                    if !ok {
                        self.i = s;
                        return Err(self.err());
                    }
                    out.text.extend_from_slice(word);
                }
            }
            if stack.is_empty() {
                return Ok(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(src: &str) -> Result<(Shape, Vec<(String, String)>), ParseError> {
        let mut out = Out::default();
        let shape = flatten(src, &mut out)?;
        let pairs = out
            .fields
            .iter()
            .map(|f| (out.str(f.key).to_string(), out.str(f.val).to_string()))
            .collect();
        Ok((shape, pairs))
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn objects_flatten_to_dotted_keys_with_exact_values() {
        let (shape, got) = flat(
            r#" {"id": 12345678901234567890123, "name":"Nguy\u1ec5n \"A\"", "ok":true,
                "none":null, "user":{"address":{"city":"Hà Nội"},"tags":[1, "a b" ,{"x":null}]},
                "empty":{}, "f":-1.5e3} "#,
        )
        .unwrap();
        assert_eq!(shape, Shape::Object);
        assert_eq!(
            got,
            pairs(&[
                ("id", "12345678901234567890123"),
                ("name", "Nguyễn \"A\""),
                ("ok", "true"),
                ("none", ""),
                ("user.address.city", "Hà Nội"),
                ("user.tags", r#"[1,"a b",{"x":null}]"#),
                ("f", "-1.5e3"),
            ])
        );
    }

    #[test]
    fn arrays_and_scalars_flatten_positionally() {
        let (shape, got) = flat(r#"[1, "x", [2], {"a":1}]"#).unwrap();
        assert_eq!(shape, Shape::Array);
        assert_eq!(
            got,
            pairs(&[
                ("col_1", "1"),
                ("col_2", "x"),
                ("col_3", "[2]"),
                ("col_4", r#"{"a":1}"#)
            ])
        );
        assert_eq!(
            flat(r#""a@b.vn""#).unwrap().1,
            pairs(&[("value", "a@b.vn")])
        );
    }

    #[test]
    fn surrogates_and_bad_escapes() {
        assert_eq!(
            flat(r#"{"e":"\ud83d\ude00 \ud800x"}"#).unwrap().1,
            pairs(&[("e", "😀 \u{fffd}x")])
        );
        assert!(flat(r#"{"e":"\q"}"#).is_err());
    }

    #[test]
    fn errors_are_located_and_eof_is_told_apart() {
        let e = flat(r#"{"a":1,"b":"#).unwrap_err();
        assert!(e.eof);
        let e = flat(r#"{"a" 2}"#).unwrap_err();
        assert!(!e.eof);
        assert_eq!(e.offset, 5);
        assert!(flat(r#"{"a":1} x"#).is_err());
        assert!(flat(r#"{"a":[1,}"#).is_err());
        assert!(flat(r#"{"a":[1}"#).is_err());
        assert!(flat(r#"{"a":tru}"#).is_err());
        assert!(flat("").unwrap_err().eof);
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let deep = format!("{}1{}", r#"{"a":"#.repeat(200), "}".repeat(200));
        let (_, got) = flat(&deep).unwrap();
        assert_eq!(got.len(), 1);
        assert!(got[0].0.starts_with("a.a.a"));
        assert!(got[0].1.starts_with(r#"{"a":"#));
        let deep_arr = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(flat(&format!(r#"{{"x":{deep_arr}}}"#)).is_ok());
    }

    #[test]
    fn compact_keeps_strings_as_written() {
        assert_eq!(
            compact(" [ 1 , { \"a b\" : \"c\\\"d\" } ] ").unwrap(),
            r#"[1,{"a b":"c\"d"}]"#
        );
        assert!(compact("[1,2").is_err());
    }
}
