//! A small BSON codec (bsonspec.org 1.1) for the MongoDB probe: commands are encoded from JSON
//! (`{"$oid": hex}`, `{"$date": ms}` and `{"$numberLong": "n"}` understood), replies decoded to
//! plain JSON — ObjectIds as hex strings, dates as RFC 3339, binary as a length note — which is
//! what the reading layer then flattens and classifies.

use serde_json::{Map, Value};

/// Deepest nesting decoded.
const MAX_DEPTH: u32 = 64;

/// Encodes a JSON object as a BSON document. Non-objects encode as an empty document.
pub fn encode(v: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    match v {
        Value::Object(m) => encode_map(m.iter().map(|(k, v)| (k.as_str(), v)), &mut out),
        _ => encode_map(std::iter::empty(), &mut out),
    }
    out
}

fn encode_map<'a>(items: impl Iterator<Item = (&'a str, &'a Value)>, out: &mut Vec<u8>) {
    let start = out.len();
    out.extend_from_slice(&[0; 4]);
    for (k, v) in items {
        encode_element(k, v, out);
    }
    out.push(0);
    let len = (out.len() - start) as i32;
    out[start..start + 4].copy_from_slice(&len.to_le_bytes());
}

fn cstring(s: &str, out: &mut Vec<u8>) {
    out.extend(s.bytes().filter(|&b| b != 0));
    out.push(0);
}

fn encode_element(k: &str, v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::Null => {
            out.push(0x0A);
            cstring(k, out);
        }
        Value::Bool(b) => {
            out.push(0x08);
            cstring(k, out);
            out.push(u8::from(*b));
        }
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                if let Ok(i) = i32::try_from(i) {
                    out.push(0x10);
                    cstring(k, out);
                    out.extend_from_slice(&i.to_le_bytes());
                } else {
                    out.push(0x12);
                    cstring(k, out);
                    out.extend_from_slice(&i.to_le_bytes());
                }
            } else {
                out.push(0x01);
                cstring(k, out);
                out.extend_from_slice(&n.as_f64().unwrap_or(0.0).to_le_bytes());
            }
        }
        Value::String(s) => {
            out.push(0x02);
            cstring(k, out);
            out.extend_from_slice(&((s.len() + 1) as i32).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
            out.push(0);
        }
        Value::Array(a) => {
            out.push(0x04);
            cstring(k, out);
            let keys: Vec<String> = (0..a.len()).map(|i| i.to_string()).collect();
            encode_map(keys.iter().map(String::as_str).zip(a.iter()), out);
        }
        Value::Object(m) => {
            if let Some(Value::String(h)) = m.get("$oid").filter(|_| m.len() == 1) {
                if let Ok(b) = hex::decode(h) {
                    if b.len() == 12 {
                        out.push(0x07);
                        cstring(k, out);
                        out.extend_from_slice(&b);
                        return;
                    }
                }
            }
            if let Some(ms) = m
                .get("$date")
                .and_then(Value::as_i64)
                .filter(|_| m.len() == 1)
            {
                out.push(0x09);
                cstring(k, out);
                out.extend_from_slice(&ms.to_le_bytes());
                return;
            }
            if let Some(n) = m
                .get("$numberLong")
                .and_then(Value::as_str)
                .and_then(|s| s.parse::<i64>().ok())
                .filter(|_| m.len() == 1)
            {
                out.push(0x12);
                cstring(k, out);
                out.extend_from_slice(&n.to_le_bytes());
                return;
            }
            out.push(0x03);
            cstring(k, out);
            encode_map(m.iter().map(|(k, v)| (k.as_str(), v)), out);
        }
    }
}

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.pos.checked_add(n).ok_or("BSON length overflow")?;
        let s = self.b.get(self.pos..end).ok_or("BSON truncated")?;
        self.pos = end;
        Ok(s)
    }
    fn i32(&mut self) -> Result<i32, String> {
        Ok(i32::from_le_bytes(
            self.take(4)?.try_into().map_err(|_| "BSON")?,
        ))
    }
    fn i64(&mut self) -> Result<i64, String> {
        Ok(i64::from_le_bytes(
            self.take(8)?.try_into().map_err(|_| "BSON")?,
        ))
    }
    fn cstring(&mut self) -> Result<String, String> {
        let rest = self.b.get(self.pos..).ok_or("BSON truncated")?;
        let n = rest.iter().position(|&b| b == 0).ok_or("BSON cstring")?;
        let s = String::from_utf8_lossy(&rest[..n]).into_owned();
        self.pos += n + 1;
        Ok(s)
    }
    fn string(&mut self) -> Result<String, String> {
        let n = self.i32()?;
        if n < 1 {
            return Err("BSON string length".into());
        }
        let s = self.take(n as usize)?;
        Ok(String::from_utf8_lossy(&s[..s.len() - 1]).into_owned())
    }
}

/// Decodes one BSON document (the whole slice or its first document) into plain JSON.
pub fn decode(b: &[u8]) -> Result<Value, String> {
    let mut r = Reader { b, pos: 0 };
    doc(&mut r, 0, false)
}

fn doc(r: &mut Reader<'_>, depth: u32, array: bool) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err("BSON nested too deep".into());
    }
    let start = r.pos;
    let len = r.i32()?;
    if len < 5 {
        return Err("BSON document length".into());
    }
    let end = start
        .checked_add(len as usize)
        .filter(|e| *e <= r.b.len())
        .ok_or("BSON document truncated")?;
    let mut map = Map::new();
    let mut list = Vec::new();
    loop {
        if r.pos >= end {
            return Err("BSON document not terminated".into());
        }
        let t = r.take(1)?[0];
        if t == 0 {
            break;
        }
        let key = r.cstring()?;
        let v = match t {
            0x01 => {
                let f = f64::from_le_bytes(r.take(8)?.try_into().map_err(|_| "BSON")?);
                serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
            }
            0x02 | 0x0D | 0x0E => Value::String(r.string()?),
            0x03 => doc(r, depth + 1, false)?,
            0x04 => doc(r, depth + 1, true)?,
            0x05 => {
                let n = r.i32()?;
                let sub = r.take(1)?[0];
                let data = r.take(n.max(0) as usize)?;
                if (sub == 4 || sub == 3) && data.len() == 16 {
                    Value::String(uuid_text(data))
                } else {
                    Value::String(format!("<binary {} bytes>", data.len()))
                }
            }
            0x06 | 0x0A | 0x7F | 0xFF => Value::Null,
            0x07 => Value::String(hex::encode(r.take(12)?)),
            0x08 => Value::Bool(r.take(1)?[0] != 0),
            0x09 => {
                let ms = r.i64()?;
                chrono::DateTime::from_timestamp_millis(ms)
                    .map(|d| Value::String(d.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()))
                    .unwrap_or(Value::Null)
            }
            0x0B => {
                let p = r.cstring()?;
                let _flags = r.cstring()?;
                Value::String(p)
            }
            0x0C => {
                let s = r.string()?;
                r.take(12)?;
                Value::String(s)
            }
            0x0F => {
                let total = r.i32()?;
                let s = r.string()?;
                let _scope = doc(r, depth + 1, false)?;
                let _ = total;
                Value::String(s)
            }
            0x10 => Value::from(r.i32()?),
            0x11 => Value::from(r.i64()? as u64),
            0x12 => Value::from(r.i64()?),
            0x13 => {
                r.take(16)?;
                Value::String("<decimal128>".into())
            }
            other => return Err(format!("BSON type 0x{other:02x} unknown")),
        };
        if array {
            list.push(v);
        } else {
            map.insert(key, v);
        }
    }
    if r.pos != end {
        return Err("BSON document length mismatch".into());
    }
    Ok(if array {
        Value::Array(list)
    } else {
        Value::Object(map)
    })
}

fn uuid_text(b: &[u8]) -> String {
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trip_and_types() {
        let v = json!({"hello": 1, "big": 5_000_000_000i64, "f": 1.5, "s": "xé", "a": [1, "b"],
            "d": {"x": null, "t": true}, "_id": {"$oid": "5f1b2c3d4e5f60718293a4b5"},
            "at": {"$date": 1_700_000_000_000i64}});
        let b = encode(&v);
        let back = decode(&b).unwrap();
        assert_eq!(back["hello"], 1);
        assert_eq!(back["big"], 5_000_000_000i64);
        assert_eq!(back["f"], 1.5);
        assert_eq!(back["s"], "xé");
        assert_eq!(back["a"], json!([1, "b"]));
        assert_eq!(back["d"], json!({"x": null, "t": true}));
        assert_eq!(back["_id"], "5f1b2c3d4e5f60718293a4b5");
        assert_eq!(back["at"], "2023-11-14T22:13:20.000Z");
    }

    #[test]
    fn hostile_input_errors_never_panics() {
        assert!(decode(&[]).is_err());
        assert!(decode(&[5, 0, 0, 0]).is_err());
        assert!(decode(&[0xff, 0xff, 0xff, 0x7f, 0]).is_err());
        let mut b = encode(&json!({"s": "abc"}));
        b[7] = 0x7f; // string length far past the end
        assert!(decode(&b).is_err());
        // Every truncation of a valid document fails cleanly.
        let full = encode(&json!({"a": [1, {"b": "c"}], "d": 2.5}));
        for n in 0..full.len() {
            assert!(decode(&full[..n]).is_err());
        }
    }
}
