//! Byte encoding of the customer table and tenant list.

/// One customer as the index holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Customer {
    /// The organisation's own customer id.
    pub id: String,
    /// Tenant index, when the reference has tenants.
    pub tenant: Option<u32>,
    /// Last update, days since 1970-01-01.
    pub updated: Option<i32>,
    /// Sorted 16-bit keyed hashes of normalised name tokens.
    pub name: Vec<u16>,
    /// Sorted 16-bit keyed hashes of normalised address tokens.
    pub address: Vec<u16>,
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(cur: &mut &[u8]) -> Option<u64> {
    let mut v = 0u64;
    for shift in (0..64).step_by(7) {
        let (&b, rest) = cur.split_first()?;
        *cur = rest;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(v);
        }
    }
    None
}

fn take<'a>(cur: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    if cur.len() < n {
        return None;
    }
    let (a, b) = cur.split_at(n);
    *cur = b;
    Some(a)
}

/// Appends one customer record.
#[cfg(test)]
pub fn encode_customer(c: &Customer, out: &mut Vec<u8>) {
    encode_parts(&c.id, c.tenant, c.updated, &c.name, &c.address, out);
}

/// Appends one customer record given by its parts (token lists sorted and deduplicated).
pub fn encode_parts(
    id: &str,
    tenant: Option<u32>,
    updated: Option<i32>,
    name: &[u16],
    address: &[u16],
    out: &mut Vec<u8>,
) {
    put_varint(out, id.len() as u64);
    out.extend_from_slice(id.as_bytes());
    put_varint(out, tenant.map_or(0, |t| u64::from(t) + 1));
    put_varint(
        out,
        updated.map_or(0, |d| (((d << 1) ^ (d >> 31)) as u32 as u64) + 1),
    );
    for toks in [name, address] {
        put_varint(out, toks.len() as u64);
        for t in toks {
            out.extend_from_slice(&t.to_le_bytes());
        }
    }
}

fn tokens(cur: &mut &[u8]) -> Option<Vec<u16>> {
    let n = get_varint(cur)? as usize;
    let raw = take(cur, n.checked_mul(2)?)?;
    Some(
        raw.chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect(),
    )
}

/// Decodes one customer record, advancing `cur`.
pub fn decode_customer(cur: &mut &[u8]) -> Option<Customer> {
    let n = get_varint(cur)? as usize;
    let id = std::str::from_utf8(take(cur, n)?).ok()?.to_string();
    let tenant = match get_varint(cur)? {
        0 => None,
        t => Some(u32::try_from(t - 1).ok()?),
    };
    let updated = match get_varint(cur)? {
        0 => None,
        z => {
            let z = u32::try_from(z - 1).ok()?;
            Some(((z >> 1) as i32) ^ -((z & 1) as i32))
        }
    };
    Some(Customer {
        id,
        tenant,
        updated,
        name: tokens(cur)?,
        address: tokens(cur)?,
    })
}

/// Skips one customer record.
pub fn skip_customer(cur: &mut &[u8]) -> Option<()> {
    let n = get_varint(cur)? as usize;
    take(cur, n)?;
    get_varint(cur)?;
    get_varint(cur)?;
    for _ in 0..2 {
        let n = get_varint(cur)? as usize;
        take(cur, n.checked_mul(2)?)?;
    }
    Some(())
}

/// Encodes the tenant list.
pub fn encode_tenants(tenants: &[String]) -> Vec<u8> {
    let mut out = Vec::new();
    put_varint(&mut out, tenants.len() as u64);
    for t in tenants {
        put_varint(&mut out, t.len() as u64);
        out.extend_from_slice(t.as_bytes());
    }
    out
}

/// Decodes the tenant list.
pub fn decode_tenants(mut cur: &[u8]) -> Option<Vec<String>> {
    let n = get_varint(&mut cur)? as usize;
    let mut out = Vec::with_capacity(n.min(1 << 20));
    for _ in 0..n {
        let l = get_varint(&mut cur)? as usize;
        out.push(std::str::from_utf8(take(&mut cur, l)?).ok()?.to_string());
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customers_and_tenants_round_trip_and_truncation_is_detected() {
        let cs = vec![
            Customer {
                id: "C-1".into(),
                tenant: Some(3),
                updated: Some(17_956),
                name: vec![1, 65_535],
                address: vec![7],
            },
            Customer {
                id: "顾客-2".into(),
                tenant: None,
                updated: Some(-400),
                name: vec![],
                address: vec![],
            },
            Customer {
                id: String::new(),
                tenant: Some(0),
                updated: None,
                name: vec![9],
                address: vec![],
            },
        ];
        let mut buf = Vec::new();
        cs.iter().for_each(|c| encode_customer(c, &mut buf));
        let mut cur = buf.as_slice();
        for c in &cs {
            assert_eq!(decode_customer(&mut cur).as_ref(), Some(c));
        }
        assert!(cur.is_empty());
        let mut cur = buf.as_slice();
        skip_customer(&mut cur).unwrap();
        assert_eq!(decode_customer(&mut cur).unwrap().id, "顾客-2");
        let mut short = &buf[..buf.len() - 3];
        let decoded: Vec<_> = (0..3).map(|_| decode_customer(&mut short)).collect();
        assert!(decoded[2].is_none());
        let t = vec!["shop-a".to_string(), "Cửa hàng B".to_string()];
        assert_eq!(decode_tenants(&encode_tenants(&t)), Some(t));
        assert_eq!(decode_tenants(&[5, 1]), None);
    }
}
