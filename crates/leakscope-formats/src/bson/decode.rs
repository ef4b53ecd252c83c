//! Decoding one BSON document into flattened fields (dotted keys for nested documents, compact
//! JSON for arrays, plain text for every scalar type).

use crate::json::ext::{encode_base64, push_iso_millis, uuid};
use crate::json::flat::{Field, Out};

/// Documents nested deeper than this are kept as JSON text.
const MAX_DEPTH: usize = 64;

/// Reads little-endian integers and strings from a document, failing at its end.
struct Rd<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Rd<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], usize> {
        let s = self.b.get(self.i..self.i + n).ok_or(self.i)?;
        self.i += n;
        Ok(s)
    }
    fn i32(&mut self) -> Result<i32, usize> {
        let s = self.take(4)?;
        Ok(i32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn i64(&mut self) -> Result<i64, usize> {
        let s = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(s);
        Ok(i64::from_le_bytes(a))
    }
    fn cstring(&mut self) -> Result<&'a [u8], usize> {
        let k = memchr::memchr(0, &self.b[self.i.min(self.b.len())..]).ok_or(self.i)?;
        let s = &self.b[self.i..self.i + k];
        self.i += k + 1;
        Ok(s)
    }
    /// A length-prefixed string (the length counts its trailing NUL).
    fn string(&mut self) -> Result<&'a [u8], usize> {
        let at = self.i;
        let n = self.i32()?;
        if n < 1 {
            return Err(at);
        }
        let s = self.take(n as usize)?;
        Ok(&s[..s.len() - 1])
    }
    /// An embedded document's bytes (with its length and terminator).
    fn document(&mut self) -> Result<&'a [u8], usize> {
        let at = self.i;
        let n = self.i32()?;
        if n < 5 {
            return Err(at);
        }
        self.i = at;
        self.take(n as usize)
    }
}

fn lossy(b: &[u8]) -> std::borrow::Cow<'_, str> {
    match simdutf8::basic::from_utf8(b) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(b),
    }
}

/// Appends a scalar element's text to `out`; `Ok(false)` (nothing written) for documents and
/// arrays.
fn scalar_into(t: u8, r: &mut Rd, out: &mut Vec<u8>) -> Result<bool, usize> {
    let at = r.i;
    match t {
        0x01 => {
            let f = f64::from_bits(r.i64()? as u64);
            push_display(out, f);
        }
        0x02 | 0x0d | 0x0e => out.extend_from_slice(lossy(r.string()?).as_bytes()),
        0x05 => {
            let n = r.i32()?;
            if n < 0 {
                return Err(at);
            }
            let sub = r.take(1)?[0];
            let data = r.take(n as usize)?;
            match (sub, <[u8; 16]>::try_from(data)) {
                (3 | 4, Ok(u)) => out.extend_from_slice(uuid(&u).as_bytes()),
                _ => out.extend_from_slice(encode_base64(data).as_bytes()),
            }
        }
        0x06 | 0x0a => {}
        0x07 => push_hex(out, r.take(12)?),
        0x08 => out.extend_from_slice(if r.take(1)?[0] == 0 {
            b"false"
        } else {
            b"true"
        }),
        0x09 => push_iso_millis(out, r.i64()?),
        0x0b => {
            out.push(b'/');
            out.extend_from_slice(lossy(r.cstring()?).as_bytes());
            out.push(b'/');
            out.extend_from_slice(lossy(r.cstring()?).as_bytes());
        }
        0x0c => {
            r.string()?;
            push_hex(out, r.take(12)?);
        }
        0x0f => {
            let total = r.i32()?;
            let start = r.i;
            let code = r.string()?;
            r.document()?;
            if total < 4 || r.i != start - 4 + total as usize {
                return Err(at);
            }
            out.extend_from_slice(lossy(code).as_bytes());
        }
        0x10 => push_display(out, r.i32()?),
        0x11 => {
            let v = r.i64()? as u64;
            push_iso_millis(out, ((v >> 32) as i64) * 1000);
        }
        0x12 => push_display(out, r.i64()?),
        0x13 => {
            let s = r.take(16)?;
            let mut a = [0u8; 16];
            a.copy_from_slice(s);
            out.extend_from_slice(decimal128(u128::from_le_bytes(a)).as_bytes());
        }
        0x7f => out.extend_from_slice(b"MaxKey"),
        0xff => out.extend_from_slice(b"MinKey"),
        0x03 | 0x04 => return Ok(false),
        _ => return Err(at),
    }
    Ok(true)
}

/// A scalar element's text; `None` for documents and arrays.
fn scalar(t: u8, r: &mut Rd) -> Result<Option<String>, usize> {
    let mut out = Vec::new();
    if !scalar_into(t, r, &mut out)? {
        return Ok(None);
    }
    Ok(Some(String::from_utf8(out).unwrap_or_default()))
}

fn push_display(out: &mut Vec<u8>, v: impl std::fmt::Display) {
    use std::io::Write;
    let _ = write!(out, "{v}");
}

fn push_hex(out: &mut Vec<u8>, b: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for &x in b {
        out.push(HEX[(x >> 4) as usize]);
        out.push(HEX[(x & 15) as usize]);
    }
}

/// Flattens document `doc` into `out` under `prefix`; `Err(position)` when it is malformed.
pub(crate) fn flatten(
    doc: &[u8],
    out: &mut Out,
    prefix: Option<(u32, u32)>,
    depth: usize,
) -> Result<(), usize> {
    let mut r = Rd { b: doc, i: 0 };
    let len = r.i32()?;
    if len < 5 || len as usize != doc.len() || doc[doc.len() - 1] != 0 {
        return Err(0);
    }
    let end = doc.len() - 1;
    while r.i < end {
        let t = r.take(1)?[0];
        let name = r.cstring()?;
        let ks = out.text.len() as u32;
        if let Some(p) = prefix {
            out.text.extend_from_within(p.0 as usize..p.1 as usize);
            out.text.push(b'.');
        }
        out.text.extend_from_slice(lossy(name).as_bytes());
        let key = (ks, out.text.len() as u32);
        let a = out.text.len() as u32;
        match scalar_into(t, &mut r, &mut out.text)? {
            true => {
                let val = (a, out.text.len() as u32);
                out.fields.push(Field { key, val });
            }
            false => {
                let sub = r.document()?;
                if t == 0x03 && depth + 1 < MAX_DEPTH {
                    flatten(sub, out, Some(key), depth + 1)?;
                } else {
                    let a = out.text.len() as u32;
                    to_json(sub, t == 0x04, out, depth + 1)?;
                    let val = (a, out.text.len() as u32);
                    out.fields.push(Field { key, val });
                }
            }
        }
    }
    if r.i != end {
        return Err(r.i);
    }
    Ok(())
}

/// Writes document (or array) `doc` as compact JSON.
fn to_json(doc: &[u8], array: bool, out: &mut Out, depth: usize) -> Result<(), usize> {
    if depth > MAX_DEPTH {
        out.text.extend_from_slice(b"null");
        return Ok(());
    }
    let mut r = Rd { b: doc, i: 0 };
    let len = r.i32()?;
    if len < 5 || len as usize != doc.len() {
        return Err(0);
    }
    let end = doc.len() - 1;
    out.text.push(if array { b'[' } else { b'{' });
    let mut first = true;
    while r.i < end {
        if !first {
            out.text.push(b',');
        }
        first = false;
        let t = r.take(1)?[0];
        let name = r.cstring()?;
        if !array {
            json_string(&lossy(name), out);
            out.text.push(b':');
        }
        let numeric = matches!(t, 0x01 | 0x10 | 0x12);
        match scalar(t, &mut r)? {
            Some(v) if numeric && v.parse::<f64>().is_ok_and(f64::is_finite) => {
                out.text.extend_from_slice(v.as_bytes())
            }
            Some(v) if t == 0x08 => out.text.extend_from_slice(v.as_bytes()),
            Some(_) if t == 0x0a || t == 0x06 => out.text.extend_from_slice(b"null"),
            Some(v) => json_string(&v, out),
            None => {
                let sub = r.document()?;
                to_json(sub, t == 0x04, out, depth + 1)?;
            }
        }
    }
    out.text.push(if array { b']' } else { b'}' });
    Ok(())
}

fn json_string(s: &str, out: &mut Out) {
    out.text.push(b'"');
    for c in s.chars() {
        match c {
            '"' => out.text.extend_from_slice(b"\\\""),
            '\\' => out.text.extend_from_slice(b"\\\\"),
            c if (c as u32) < 0x20 => {
                out.text
                    .extend_from_slice(format!("\\u{:04x}", c as u32).as_bytes());
            }
            c => {
                let mut buf = [0u8; 4];
                out.text
                    .extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out.text.push(b'"');
}

/// IEEE 754-2008 decimal128 (BID) → its string, as the BSON spec renders it.
pub(crate) fn decimal128(bits: u128) -> String {
    let negative = bits >> 127 == 1;
    let sign = if negative { "-" } else { "" };
    let combination = (bits >> 122) & 0x1f;
    let (exponent, significand) = if combination >> 3 == 0b11 {
        if combination == 0b11110 {
            return format!("{sign}Infinity");
        }
        if combination == 0b11111 {
            return "NaN".into();
        }
        // Non-canonical: the significand is above 10^34, so it is zero.
        (((bits >> 111) & 0x3fff) as i64, 0u128)
    } else {
        (((bits >> 113) & 0x3fff) as i64, bits & ((1u128 << 113) - 1))
    };
    let exponent = exponent - 6176;
    let significand = if significand > 9_999_999_999_999_999_999_999_999_999_999_999 {
        0
    } else {
        significand
    };
    let digits = significand.to_string();
    let n = digits.len() as i64;
    let adjusted = exponent + n - 1;
    if exponent <= 0 && adjusted >= -6 {
        if exponent == 0 {
            return format!("{sign}{digits}");
        }
        let point = n + exponent;
        if point > 0 {
            let (a, b) = digits.split_at(point as usize);
            format!("{sign}{a}.{b}")
        } else {
            format!("{sign}0.{}{digits}", "0".repeat((-point) as usize))
        }
    } else {
        let (a, b) = digits.split_at(1);
        let frac = if b.is_empty() {
            String::new()
        } else {
            format!(".{b}")
        };
        let esign = if adjusted >= 0 { "+" } else { "-" };
        format!("{sign}{a}{frac}E{esign}{}", adjusted.abs())
    }
}

/// A diagnostic-free check used by tests: the fields of one document.
#[cfg(test)]
pub(crate) fn fields_of(doc: &[u8]) -> Result<Vec<(String, String)>, usize> {
    let mut out = Out::default();
    flatten(doc, &mut out, None, 0)?;
    Ok(out
        .fields
        .iter()
        .map(|f| (out.str(f.key).to_string(), out.str(f.val).to_string()))
        .collect())
}
