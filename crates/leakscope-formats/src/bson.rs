//! `mongodump` BSON files (`<collection>.bson`, also gzipped): a sequence of length-prefixed
//! documents, each a row of the table named after the collection. Nested documents flatten to
//! dotted columns as JSON does; arrays become compact JSON text; ObjectIds become hex, dates
//! ISO 8601 (UTC), binary base64 (UUIDs as UUIDs), Decimal128 its decimal text.
//!
//! Documents are cut on the reading thread (each is read whole, up to
//! `ReadOptions::max_record_bytes`; a larger one is skipped) and decoded on all cores through
//! the same ordered pipeline as JSON records.

use crate::ctx::Ctx;
use crate::json::ext::{encode_base64, push_iso_millis, uuid};
use crate::json::flat::{Field, Out, Shape};
use crate::json::pipeline::{self, Encoding, Entry, Items, Kind, Mode, Pipeline, Rec};
use crate::json::Tables;
use crate::source::Origin;
use std::io::{self, Read};

/// Documents nested deeper than this are kept as JSON text.
const MAX_DEPTH: usize = 64;
/// No document is larger than this, whatever the record limit (MongoDB's own cap is 16 MiB).
const MAX_PLAUSIBLE: usize = 1 << 30;

/// True when `head` starts like a BSON document: a plausible length, a known element type, a
/// printable field name, and (when it fits in `head`) a document that decodes to its end.
pub(crate) fn sniff(head: &[u8]) -> bool {
    if head.len() < 5 {
        return false;
    }
    let len = i32::from_le_bytes([head[0], head[1], head[2], head[3]]);
    if !(5..=(64 << 20)).contains(&len) {
        return false;
    }
    let len = len as usize;
    if len == 5 {
        return head[4] == 0 && (head.len() == 5 || sniff(&head[5..]));
    }
    if !is_type(head[4]) {
        return false;
    }
    let name_end = match memchr::memchr(0, &head[5..head.len().min(5 + 256)]) {
        Some(k) => 5 + k,
        None => return false,
    };
    if name_end == 5 || !head[5..name_end].iter().all(|&b| b >= 0x20 && b != 0x7f) {
        return false;
    }
    if len <= head.len() {
        let mut out = Out::default();
        return head[len - 1] == 0 && flatten(&head[..len], &mut out, None, 0).is_ok();
    }
    true
}

fn is_type(t: u8) -> bool {
    matches!(t, 0x01..=0x13 | 0x7f | 0xff)
}

/// Reads a BSON stream as one table.
pub(crate) fn read_bson(ctx: &mut Ctx, o: &Origin, input: &mut dyn Read) {
    let info = o.info("bson", None);
    ctx.begin_source(&info);
    let name = percent_decode(&o.table_name());
    let threads = ctx.opts.parse_threads();
    let max = ctx.opts.max_record_bytes.min(MAX_PLAUSIBLE);
    let mut tables = Tables::new(ctx, &o.display, &name);
    let mode = Mode {
        encoding: Encoding::Bson,
        bulk: false,
    };
    let mut input = std::io::BufReader::with_capacity(256 << 10, input);
    let end = pipeline::run(&mut tables, threads, mode, |p| {
        documents(p, &mut input, max)
    });
    match end {
        End::Done => {}
        End::Truncated { offset } => tables.problem(
            "truncated-stream",
            "the BSON file ends inside a document (truncated); everything before was read".into(),
            0,
            offset,
        ),
        End::Corrupt { offset } => tables.problem(
            "corrupt-stream",
            "damaged BSON: a document length that cannot be right; reading stopped here".into(),
            0,
            offset,
        ),
        End::Io(e, offset) => {
            let (source, stem) = (tables.source.clone(), tables.stem().to_string());
            crate::source::io_failure(tables.ctx, &source, Some(&stem), &e, None, Some(offset));
        }
    }
    tables.finish();
    ctx.end_source(&info);
}

enum End {
    Done,
    Truncated { offset: u64 },
    Corrupt { offset: u64 },
    Io(io::Error, u64),
}

/// Reads exactly `buf.len()` bytes; `Ok(n < len)` at the end of input.
fn read_full(r: &mut dyn Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Cuts documents into the pipeline.
fn documents(p: &mut Pipeline, input: &mut dyn Read, max: usize) -> End {
    let g = p.tables.group("");
    let mut offset = 0u64;
    loop {
        if p.stopped() {
            return End::Done;
        }
        let mut len_bytes = [0u8; 4];
        match read_full(input, &mut len_bytes) {
            Ok(0) => return End::Done,
            Ok(4) => {}
            Ok(_) => return End::Truncated { offset },
            Err(e) => return End::Io(e, offset),
        }
        let len = i32::from_le_bytes(len_bytes);
        if len < 5 || len as usize > MAX_PLAUSIBLE {
            return End::Corrupt { offset };
        }
        let len = len as usize;
        if len > max {
            let mut left = (len - 4) as u64;
            let mut sink = [0u8; 64 << 10];
            while left > 0 {
                let want = left.min(sink.len() as u64) as usize;
                match read_full(input, &mut sink[..want]) {
                    Ok(n) if n == want => left -= n as u64,
                    Ok(_) => return End::Truncated { offset },
                    Err(e) => return End::Io(e, offset),
                }
            }
            p.push_oversize(0, offset, g);
        } else {
            let t = p.text();
            let start = t.len();
            t.extend_from_slice(&len_bytes);
            t.resize(start + len, 0);
            match read_full(input, &mut t[start + 4..]) {
                Ok(n) if n == len - 4 => p.push(start, 0, offset, g, None),
                Ok(_) => {
                    t.truncate(start);
                    return End::Truncated { offset };
                }
                Err(e) => {
                    t.truncate(start);
                    return End::Io(e, offset);
                }
            }
        }
        offset += len as u64;
    }
}

/// Decodes one document into a row (a pipeline parser thread).
pub(crate) fn parse_doc(items: &mut Items, bytes: &[u8], e: &Entry) {
    let mark = (items.out.text.len(), items.out.fields.len());
    let first = mark.1 as u32;
    let kind = match flatten(bytes, &mut items.out, None, 0) {
        Ok(()) => Kind::Row(Shape::Object),
        Err(at) => {
            items.out.text.truncate(mark.0);
            items.out.fields.truncate(mark.1);
            Kind::Bad {
                eof: false,
                column: at as u64 + 1,
            }
        }
    };
    let end = items.out.fields.len() as u32;
    items.recs.push(Rec {
        kind,
        fields: (first, end),
        no: 0,
        offset: e.offset,
        group: e.group,
        route: None,
        invalid_utf8: false,
    });
}

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
fn flatten(
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
fn decimal128(bits: u128) -> String {
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

/// `%XX` escapes (mongodump writes collection names with special characters that way).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = std::str::from_utf8(&b[i + 1..i + 3]).ok();
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// A diagnostic-free check used by tests: the fields of one document.
#[cfg(test)]
fn fields_of(doc: &[u8]) -> Result<Vec<(String, String)>, usize> {
    let mut out = Out::default();
    flatten(doc, &mut out, None, 0)?;
    Ok(out
        .fields
        .iter()
        .map(|f| (out.str(f.key).to_string(), out.str(f.val).to_string()))
        .collect())
}

/// Writes BSON documents (tests and benchmarks build inputs with it).
pub mod write {
    /// A BSON value to write.
    pub enum Val<'a> {
        /// UTF-8 string.
        Str(&'a str),
        /// 32-bit integer.
        I32(i32),
        /// 64-bit integer.
        I64(i64),
        /// Double.
        F64(f64),
        /// Boolean.
        Bool(bool),
        /// Null.
        Null,
        /// ObjectId.
        Oid([u8; 12]),
        /// UTC datetime, milliseconds since 1970.
        Date(i64),
        /// Binary with a subtype.
        Bin(u8, &'a [u8]),
        /// Decimal128 bits.
        Dec(u128),
        /// Embedded document.
        Doc(Vec<(&'a str, Val<'a>)>),
        /// Array.
        Arr(Vec<Val<'a>>),
    }

    /// Appends one document to `out`.
    pub fn document(fields: &[(&str, Val)], out: &mut Vec<u8>) {
        let start = out.len();
        out.extend_from_slice(&[0; 4]);
        for (k, v) in fields {
            element(k, v, out);
        }
        out.push(0);
        let len = (out.len() - start) as i32;
        out[start..start + 4].copy_from_slice(&len.to_le_bytes());
    }

    fn element(k: &str, v: &Val, out: &mut Vec<u8>) {
        let t: u8 = match v {
            Val::Str(_) => 0x02,
            Val::I32(_) => 0x10,
            Val::I64(_) => 0x12,
            Val::F64(_) => 0x01,
            Val::Bool(_) => 0x08,
            Val::Null => 0x0a,
            Val::Oid(_) => 0x07,
            Val::Date(_) => 0x09,
            Val::Bin(..) => 0x05,
            Val::Dec(_) => 0x13,
            Val::Doc(_) => 0x03,
            Val::Arr(_) => 0x04,
        };
        out.push(t);
        out.extend_from_slice(k.as_bytes());
        out.push(0);
        match v {
            Val::Str(s) => {
                out.extend_from_slice(&(s.len() as i32 + 1).to_le_bytes());
                out.extend_from_slice(s.as_bytes());
                out.push(0);
            }
            Val::I32(n) => out.extend_from_slice(&n.to_le_bytes()),
            Val::I64(n) | Val::Date(n) => out.extend_from_slice(&n.to_le_bytes()),
            Val::F64(f) => out.extend_from_slice(&f.to_le_bytes()),
            Val::Bool(b) => out.push(*b as u8),
            Val::Null => {}
            Val::Oid(o) => out.extend_from_slice(o),
            Val::Bin(sub, data) => {
                out.extend_from_slice(&(data.len() as i32).to_le_bytes());
                out.push(*sub);
                out.extend_from_slice(data);
            }
            Val::Dec(d) => out.extend_from_slice(&d.to_le_bytes()),
            Val::Doc(fields) => document(fields, out),
            Val::Arr(items) => {
                let named: Vec<(String, &Val)> = items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| (i.to_string(), v))
                    .collect();
                let start = out.len();
                out.extend_from_slice(&[0; 4]);
                for (k, v) in &named {
                    element(k, v, out);
                }
                out.push(0);
                let len = (out.len() - start) as i32;
                out[start..start + 4].copy_from_slice(&len.to_le_bytes());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::write::{document, Val};
    use super::*;

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn every_type_becomes_plain_text() {
        let mut d = Vec::new();
        let oid = [
            0x5f, 0x1b, 0x2c, 0x3d, 0x4e, 0x5f, 0x6a, 0x7b, 0x8c, 0x9d, 0x0e, 0x1f,
        ];
        let uuid_bytes: Vec<u8> = (0u8..16).collect();
        document(
            &[
                ("_id", Val::Oid(oid)),
                ("name", Val::Str("Trần Thị Bích")),
                ("age", Val::I32(31)),
                ("phone", Val::I64(84912345678)),
                ("score", Val::F64(1.5)),
                ("vip", Val::Bool(true)),
                ("note", Val::Null),
                ("created", Val::Date(1_356_351_330_501)),
                ("key", Val::Bin(4, &uuid_bytes)),
                ("blob", Val::Bin(0, b"hello")),
                ("price", Val::Dec(decimal_bits(false, -2, 123_450))),
                (
                    "address",
                    Val::Doc(vec![("city", Val::Str("Huế")), ("zip", Val::Str("530000"))]),
                ),
                (
                    "tags",
                    Val::Arr(vec![Val::Str("a\"b"), Val::I32(2), Val::Null]),
                ),
            ],
            &mut d,
        );
        assert!(sniff(&d));
        assert_eq!(
            fields_of(&d).unwrap(),
            pairs(&[
                ("_id", "5f1b2c3d4e5f6a7b8c9d0e1f"),
                ("name", "Trần Thị Bích"),
                ("age", "31"),
                ("phone", "84912345678"),
                ("score", "1.5"),
                ("vip", "true"),
                ("note", ""),
                ("created", "2012-12-24T12:15:30.501Z"),
                ("key", "00010203-0405-0607-0809-0a0b0c0d0e0f"),
                ("blob", "aGVsbG8="),
                ("price", "1234.50"),
                ("address.city", "Huế"),
                ("address.zip", "530000"),
                ("tags", r#"["a\"b",2,null]"#),
            ])
        );
    }

    /// Decimal128 bits for sign, exponent and a small coefficient.
    fn decimal_bits(neg: bool, exp: i64, coeff: u128) -> u128 {
        ((neg as u128) << 127) | (((exp + 6176) as u128) << 113) | coeff
    }

    #[test]
    fn decimal128_text() {
        assert_eq!(decimal128(decimal_bits(false, 0, 0)), "0");
        assert_eq!(decimal128(decimal_bits(true, -1, 1)), "-0.1");
        assert_eq!(decimal128(decimal_bits(false, -9, 12)), "1.2E-8");
        assert_eq!(decimal128(decimal_bits(false, 3, 1)), "1E+3");
        assert_eq!(decimal128(decimal_bits(false, -6, 1)), "0.000001");
        assert_eq!(
            decimal128(0x7800_0000_0000_0000_0000_0000_0000_0000),
            "Infinity"
        );
        assert_eq!(decimal128(0x7c00_0000_0000_0000_0000_0000_0000_0000), "NaN");
    }

    #[test]
    fn malformed_documents_are_refused_not_panicking() {
        let mut d = Vec::new();
        document(&[("a", Val::Str("x")), ("b", Val::I32(1))], &mut d);
        for cut in 0..d.len() {
            let mut bad = d[..cut].to_vec();
            if bad.len() >= 4 {
                bad[..4].copy_from_slice(&(cut as i32).to_le_bytes());
            }
            let _ = fields_of(&bad);
        }
        let mut bad = d.clone();
        bad[4] = 0x42;
        assert!(fields_of(&bad).is_err());
        assert!(!sniff(b"id,name\n1,a\n"));
        assert!(!sniff(b"{\"a\":1}"));
        assert_eq!(percent_decode("a%2Fb"), "a/b");
        assert_eq!(percent_decode("100%"), "100%");
    }
}
