//! `mongodump` BSON files (`<collection>.bson`, also gzipped): a sequence of length-prefixed
//! documents, each a row of the table named after the collection. Nested documents flatten to
//! dotted columns as JSON does; arrays become compact JSON text; ObjectIds become hex, dates
//! ISO 8601 (UTC), binary base64 (UUIDs as UUIDs), Decimal128 its decimal text.
//!
//! Documents are cut on the reading thread (each is read whole, up to
//! `ReadOptions::max_record_bytes`; a larger one is skipped) and decoded on all cores through
//! the same ordered pipeline as JSON records.

use crate::ctx::Ctx;
use crate::json::flat::{Out, Shape};
use crate::json::pipeline::{self, Encoding, Entry, Items, Kind, Mode, Pipeline, Rec};
use crate::json::Tables;
use crate::source::Origin;
use std::io::{self, Read};

mod decode;
pub mod write;

use decode::flatten;

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

#[cfg(test)]
mod tests {
    use super::decode::{decimal128, fields_of};
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
