//! Writes BSON documents (tests, benchmarks and fixture generators build inputs with it).
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
