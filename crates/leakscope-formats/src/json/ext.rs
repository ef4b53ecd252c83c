//! MongoDB extended JSON (v1 and v2, canonical and relaxed, as `mongoexport` writes it) → plain
//! values: `{"$oid": "5f…"}` → `5f…`, `{"$date": {"$numberLong": "1356351330000"}}` →
//! `2012-12-24T12:15:30.000Z`, `{"$numberDecimal": "1.5"}` → `1.5`, `{"$binary": …}` → base64
//! (or the UUID for subtypes 3 and 4), … Only objects of exactly these shapes are converted; any
//! other object whose first key starts with `$` is flattened like every object.

/// Appends the plain value of an extended-JSON wrapper object to `out`, given its flattened
/// fields (nested wrappers already converted, so `{"$date": {"$numberLong": "1"}}` arrives as
/// `$date` = `1`); false (nothing appended) when the fields are not one of the wrapper shapes.
/// The one-field shapes, which every record of a `mongoexport` file has, are written without
/// allocating.
pub(crate) fn convert_into(fields: &[(&str, &str)], out: &mut Vec<u8>) -> bool {
    let [(k, v)] = fields else {
        return match convert_pair(fields) {
            Some(text) => {
                out.extend_from_slice(text.as_bytes());
                true
            }
            None => false,
        };
    };
    match *k {
        "$oid" | "$numberLong" | "$numberInt" | "$numberDecimal" | "$numberDouble" | "$uuid"
        | "$symbol" | "$code" => out.extend_from_slice(v.as_bytes()),
        "$date" => match v.parse::<i64>() {
            Ok(ms) => push_iso_millis(out, ms),
            Err(_) => out.extend_from_slice(v.as_bytes()),
        },
        "$minKey" => out.extend_from_slice(b"MinKey"),
        "$maxKey" => out.extend_from_slice(b"MaxKey"),
        "$undefined" if *v == "true" => {}
        _ => return false,
    }
    true
}

/// The wrapper shapes of two or more fields (binary data, timestamps, regular expressions,
/// DBPointer, code with scope).
fn convert_pair(fields: &[(&str, &str)]) -> Option<String> {
    let get = |k: &str| fields.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
    match fields {
        [(a, _), (b, _)] => {
            let pair = (*a, *b);
            if pair == ("$binary.base64", "$binary.subType") {
                Some(binary(get("$binary.base64")?, get("$binary.subType")?))
            } else if pair == ("$binary", "$type") {
                Some(binary(get("$binary")?, get("$type")?))
            } else if pair == ("$timestamp.t", "$timestamp.i") {
                let t: i64 = get("$timestamp.t")?.parse().ok()?;
                Some(iso_millis(t.checked_mul(1000)?))
            } else if pair == ("$regularExpression.pattern", "$regularExpression.options") {
                let p = get("$regularExpression.pattern")?;
                Some(format!("/{p}/{}", get("$regularExpression.options")?))
            } else if pair == ("$regex", "$options") {
                Some(format!("/{}/{}", get("$regex")?, get("$options")?))
            } else if pair == ("$dbPointer.$ref", "$dbPointer.$id") {
                get("$dbPointer.$id").map(str::to_string)
            } else {
                None
            }
        }
        [(first, code), rest @ ..]
            if *first == "$code" && rest.iter().all(|(k, _)| k.starts_with("$scope.")) =>
        {
            Some(code.to_string())
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
    let mut out = Vec::with_capacity(24);
    push_iso_millis(&mut out, ms);
    String::from_utf8(out).unwrap_or_default()
}

/// Appends `YYYY-MM-DDTHH:MM:SS.mmmZ` for `ms` (one per date cell: no formatting machinery).
pub(crate) fn push_iso_millis(out: &mut Vec<u8>, ms: i64) {
    let secs = ms.div_euclid(1000);
    let milli = ms.rem_euclid(1000) as u32;
    let days = secs.div_euclid(86_400);
    let tod = secs.rem_euclid(86_400) as u32;
    let (y, m, d) = civil_from_days(days);
    if !(0..=9999).contains(&y) {
        let text = format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{milli:03}Z",
            tod / 3600,
            tod / 60 % 60,
            tod % 60
        );
        out.extend_from_slice(text.as_bytes());
        return;
    }
    let two = |out: &mut Vec<u8>, v: u32| {
        out.push(b'0' + (v / 10) as u8);
        out.push(b'0' + (v % 10) as u8);
    };
    let y = y as u32;
    two(out, y / 100);
    two(out, y % 100);
    out.push(b'-');
    two(out, m);
    out.push(b'-');
    two(out, d);
    out.push(b'T');
    two(out, tod / 3600);
    out.push(b':');
    two(out, tod / 60 % 60);
    out.push(b':');
    two(out, tod % 60);
    out.push(b'.');
    out.push(b'0' + (milli / 100) as u8);
    two(out, milli % 100);
    out.push(b'Z');
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

    /// The value the flattener gives a wrapper (as member `v` of an object).
    fn scalar(src: &str) -> Option<String> {
        let mut out = super::super::flat::Out::default();
        super::super::flat::flatten(&format!("{{\"v\": {src}}}"), &mut out).ok()?;
        match out.fields.as_slice() {
            [f] if out.str(f.key) == "v" => Some(out.str(f.val).to_string()),
            _ => None,
        }
    }

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
