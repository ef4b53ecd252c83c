//! MongoDB extended JSON (v1 and v2, canonical and relaxed, as `mongoexport` writes it) → plain
//! values: `{"$oid": "5f…"}` → `5f…`, `{"$date": {"$numberLong": "1356351330000"}}` →
//! `2012-12-24T12:15:30.000Z`, `{"$numberDecimal": "1.5"}` → `1.5`, `{"$binary": …}` → base64
//! (or the UUID for subtypes 3 and 4), … Only objects of exactly these shapes are converted; any
//! other object whose first key starts with `$` is flattened like every object.

use serde_json::{Map, Value};

/// The plain value of an extended-JSON wrapper object (its JSON text), if it is one.
pub(crate) fn scalar(src: &str) -> Option<String> {
    if src.len() > 1 << 20 {
        return None;
    }
    let Ok(Value::Object(m)) = serde_json::from_str::<Value>(src) else {
        return None;
    };
    convert(&m)
}

/// Converts a parsed wrapper object.
pub(crate) fn convert(m: &Map<String, Value>) -> Option<String> {
    let one = |k: &str| (m.len() == 1).then(|| m.get(k)).flatten();
    let two = |a: &str, b: &str| {
        (m.len() == 2)
            .then(|| Some((m.get(a)?, m.get(b)?)))
            .flatten()
    };
    if let Some(Value::String(s)) = one("$oid") {
        return Some(s.clone());
    }
    for k in [
        "$numberLong",
        "$numberInt",
        "$numberDecimal",
        "$numberDouble",
    ] {
        match one(k) {
            Some(Value::String(s)) => return Some(s.clone()),
            Some(Value::Number(n)) => return Some(n.to_string()),
            _ => {}
        }
    }
    if let Some(d) = one("$date") {
        return date(d);
    }
    if let Some(Value::String(s)) = one("$uuid") {
        return Some(s.clone());
    }
    if let Some(Value::String(s)) = one("$symbol") {
        return Some(s.clone());
    }
    if let Some(Value::String(s)) = one("$code") {
        return Some(s.clone());
    }
    if let Some((Value::String(code), Value::Object(_))) = two("$code", "$scope") {
        return Some(code.clone());
    }
    if let Some(Value::Object(b)) = one("$binary") {
        let data = b.get("base64")?.as_str()?;
        let sub = b.get("subType").and_then(Value::as_str).unwrap_or("00");
        return Some(binary(data, sub));
    }
    if let Some((Value::String(data), Value::String(sub))) = two("$binary", "$type") {
        return Some(binary(data, sub));
    }
    if let Some(Value::Object(t)) = one("$timestamp") {
        let secs = t.get("t")?.as_i64()?;
        return Some(iso_millis(secs.checked_mul(1000)?));
    }
    if let Some(Value::Object(r)) = one("$regularExpression") {
        let pattern = r.get("pattern")?.as_str()?;
        let options = r.get("options").and_then(Value::as_str).unwrap_or("");
        return Some(format!("/{pattern}/{options}"));
    }
    if let Some((Value::String(p), Value::String(o))) = two("$regex", "$options") {
        return Some(format!("/{p}/{o}"));
    }
    if let Some(Value::Object(p)) = one("$dbPointer") {
        if let Some(Value::Object(id)) = p.get("$id") {
            return convert(id);
        }
    }
    if matches!(one("$minKey"), Some(Value::Number(_))) {
        return Some("MinKey".into());
    }
    if matches!(one("$maxKey"), Some(Value::Number(_))) {
        return Some("MaxKey".into());
    }
    if matches!(one("$undefined"), Some(Value::Bool(true))) {
        return Some(String::new());
    }
    None
}

/// `$date`: relaxed ISO string, canonical `{"$numberLong": ms}`, or v1 milliseconds.
fn date(d: &Value) -> Option<String> {
    match d {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(iso_millis(n.as_i64()?)),
        Value::Object(o) if o.len() == 1 => {
            let ms = match o.get("$numberLong")? {
                Value::String(s) => s.parse::<i64>().ok()?,
                Value::Number(n) => n.as_i64()?,
                _ => return None,
            };
            Some(iso_millis(ms))
        }
        _ => None,
    }
}

/// Binary data: a UUID for subtypes 3 and 4 when it is 16 bytes, else the base64 text.
fn binary(base64: &str, subtype: &str) -> String {
    let sub = u8::from_str_radix(subtype.trim_start_matches("0x"), 16).unwrap_or(0);
    if sub == 3 || sub == 4 {
        if let Some(bytes) = decode_base64(base64) {
            if let Ok(b) = <[u8; 16]>::try_from(bytes.as_slice()) {
                return uuid(&b);
            }
        }
    }
    base64.to_string()
}

/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
pub(crate) fn uuid(b: &[u8; 16]) -> String {
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// Standard base64 (padding optional); `None` on any other character.
fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            _ => return None,
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

/// Standard base64 with padding.
pub(crate) fn encode_base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &b)| acc | (b as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Milliseconds since 1970 (UTC) → `YYYY-MM-DDTHH:MM:SS.mmmZ`.
pub(crate) fn iso_millis(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let milli = ms.rem_euclid(1000);
    let days = secs.div_euclid(86_400);
    let tod = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{milli:03}Z",
        tod / 3600,
        tod / 60 % 60,
        tod % 60
    )
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian (Howard Hinnant's algorithm).
pub(crate) fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_and_relaxed_forms() {
        let cases = [
            (
                r#"{"$oid":"5f1b2c3d4e5f6a7b8c9d0e1f"}"#,
                "5f1b2c3d4e5f6a7b8c9d0e1f",
            ),
            (
                r#"{"$date":{"$numberLong":"1356351330000"}}"#,
                "2012-12-24T12:15:30.000Z",
            ),
            (
                r#"{"$date":"2012-12-24T12:15:30.501Z"}"#,
                "2012-12-24T12:15:30.501Z",
            ),
            (r#"{"$date":1356351330501}"#, "2012-12-24T12:15:30.501Z"),
            (
                r#"{"$date":{"$numberLong":"-1"}}"#,
                "1969-12-31T23:59:59.999Z",
            ),
            (r#"{"$numberLong":"84912345678"}"#, "84912345678"),
            (r#"{"$numberInt":"42"}"#, "42"),
            (r#"{"$numberDecimal":"1234.50"}"#, "1234.50"),
            (r#"{"$numberDouble":"-Infinity"}"#, "-Infinity"),
            (
                r#"{"$binary":{"base64":"AAECAwQFBgcICQoLDA0ODw==","subType":"04"}}"#,
                "00010203-0405-0607-0809-0a0b0c0d0e0f",
            ),
            (r#"{"$binary":"aGVsbG8=","$type":"00"}"#, "aGVsbG8="),
            (
                r#"{"$uuid":"00010203-0405-0607-0809-0a0b0c0d0e0f"}"#,
                "00010203-0405-0607-0809-0a0b0c0d0e0f",
            ),
            (
                r#"{"$timestamp":{"t":1356351330,"i":1}}"#,
                "2012-12-24T12:15:30.000Z",
            ),
            (
                r#"{"$regularExpression":{"pattern":"^a","options":"i"}}"#,
                "/^a/i",
            ),
            (r#"{"$regex":"^a","$options":"i"}"#, "/^a/i"),
            (r#"{"$minKey":1}"#, "MinKey"),
        ];
        for (src, want) in cases {
            assert_eq!(scalar(src).as_deref(), Some(want), "{src}");
        }
        assert_eq!(scalar(r#"{"$oid":"x","other":1}"#), None);
        assert_eq!(scalar(r#"{"$set":{"a":1}}"#), None);
    }

    #[test]
    fn base64_round_trips() {
        for data in [&b""[..], b"a", b"ab", b"abc", b"\x00\xff\x10\x80"] {
            assert_eq!(decode_base64(&encode_base64(data)).unwrap(), data);
        }
    }

    #[test]
    fn calendar() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(iso_millis(951_782_400_000), "2000-02-29T00:00:00.000Z");
    }
}
