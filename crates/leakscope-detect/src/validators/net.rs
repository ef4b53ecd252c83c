//! E-mail addresses (with a TLD sanity check) and IP addresses.

use crate::text::data_lines;
use crate::ValueFacts;
use std::collections::HashSet;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::OnceLock;

fn generic_tlds() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| {
        data_lines(include_str!("../../data/tlds.txt"))
            .flat_map(str::split_whitespace)
            .collect()
    })
}

/// True when `tld` is a 2-letter country code or a known generic TLD.
pub fn tld_ok(tld: &str) -> bool {
    let t = tld.to_ascii_lowercase();
    (t.len() == 2 && t.bytes().all(|c| c.is_ascii_lowercase()))
        || generic_tlds().contains(t.as_str())
}

fn local_ok(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"._%+-!#$&'*/=?^`{|}~".contains(&b)
}

/// An e-mail address `local@domain.tld`; normalised to lower case.
pub fn email(v: &str) -> Option<ValueFacts> {
    let at = v.find('@')?;
    let (local, domain) = (&v[..at], &v[at + 1..]);
    if local.is_empty() || local.len() > 64 || domain.len() < 4 || domain.len() > 253 {
        return None;
    }
    if !local.bytes().all(local_ok)
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
    {
        return None;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 {
        return None;
    }
    for l in &labels {
        let lb = l.as_bytes();
        if lb.is_empty() || lb.len() > 63 || lb[0] == b'-' || lb[lb.len() - 1] == b'-' {
            return None;
        }
        if !lb.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-') {
            return None;
        }
    }
    if !tld_ok(labels[labels.len() - 1]) {
        return None;
    }
    Some(ValueFacts {
        normalized: Some(v.to_ascii_lowercase()),
        ..Default::default()
    })
}

/// IPv4 (dotted quad) or IPv6 address.
pub fn ip_address(v: &str) -> Option<ValueFacts> {
    let b = v.as_bytes();
    let kind = if b.len() <= 15 && b.iter().all(|c| c.is_ascii_digit() || *c == b'.') {
        v.parse::<Ipv4Addr>().ok().map(|_| "ipv4")
    } else if b.contains(&b':') && b.len() >= 3 {
        v.parse::<Ipv6Addr>().ok().map(|_| "ipv6")
    } else {
        None
    }?;
    Some(ValueFacts {
        normalized: Some(v.to_ascii_lowercase()),
        kind: Some(kind),
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(email("Nguyen.Van.A@Gmail.com").is_some());
        assert!(email("a+b@mail.example.vn").is_some());
        for bad in [
            "a@b",
            "a@b.png",
            "@x.com",
            "a..b@x.com",
            "logo@2x.png",
            "a b@x.com",
        ] {
            assert!(email(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn ips() {
        assert_eq!(
            ip_address("192.168.1.20").and_then(|f| f.kind),
            Some("ipv4")
        );
        assert_eq!(ip_address("2001:db8::1").and_then(|f| f.kind), Some("ipv6"));
        assert!(ip_address("256.1.1.1").is_none());
        assert!(ip_address("10:30").is_none());
    }
}
