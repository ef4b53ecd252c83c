//! Phones: exact fast tables for VN, CN and SG; libphonenumber metadata (cached) for the rest.

use crate::ValueFacts;
use std::cell::RefCell;
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Mutex, OnceLock};

/// Digits of a phone written with spaces, dots, dashes, parentheses and a leading `+`.
/// Returns (digits, had_plus).
fn phone_digits(v: &str) -> Option<(String, bool)> {
    let b = v.as_bytes();
    if b.len() < 7 || b.len() > 24 {
        return None;
    }
    let mut d = String::with_capacity(16);
    let mut plus = false;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'0'..=b'9' => d.push(c as char),
            b'+' if d.is_empty() && !plus && i <= 1 => plus = true,
            b' ' | b'.' | b'-' | b'(' | b')' | b'/' => {}
            _ => return None,
        }
    }
    (7..=15).contains(&d.len()).then_some((d, plus))
}

/// Mobile prefixes (two digits after the trunk `0`) allocated in Vietnam since the 2018 renumbering.
const VN_MOBILE: &[&str] = &[
    "32", "33", "34", "35", "36", "37", "38", "39", "52", "55", "56", "58", "59", "70", "76", "77",
    "78", "79", "81", "82", "83", "84", "85", "86", "87", "88", "89", "90", "91", "92", "93", "94",
    "96", "97", "98", "99",
];

/// Vietnamese national significant number (without trunk 0) → valid mobile or landline.
fn vn_nsn_ok(nsn: &str) -> bool {
    match nsn.len() {
        9 => VN_MOBILE.contains(&&nsn[..2]),
        10 => nsn.starts_with('2'),
        _ => false,
    }
}

/// CN mobile: 11 digits in the allocated 1[3-9]x blocks.
fn cn_nsn_ok(nsn: &str) -> bool {
    let b = nsn.as_bytes();
    if b.len() != 11 || b[0] != b'1' {
        return false;
    }
    match (b[1], b[2]) {
        (b'3', _) | (b'8', _) => true,
        (b'4', c) => (b'5'..=b'9').contains(&c),
        (b'5', c) => c != b'4',
        (b'6', c) => matches!(c, b'2' | b'5' | b'6' | b'7'),
        (b'7', c) => (b'0'..=b'8').contains(&c),
        (b'9', c) => c != b'4',
        _ => false,
    }
}

/// SG: 8 digits starting 3 (VoIP), 6 (fixed), 8 or 9 (mobile).
fn sg_nsn_ok(nsn: &str) -> bool {
    nsn.len() == 8 && matches!(nsn.as_bytes()[0], b'3' | b'6' | b'8' | b'9')
}

fn facts(cc: &str, nsn: &str, iso2: &'static str) -> ValueFacts {
    ValueFacts {
        normalized: Some(format!("+{cc}{nsn}")),
        country: Some(iso2),
        kind: None,
        date: None,
    }
}

/// Vietnamese phone (`0`, `84`, `+84`, `0084`; 9-digit national form without the trunk 0 too).
pub fn vn_phone(v: &str) -> Option<ValueFacts> {
    let (d, plus) = phone_digits(v)?;
    let nsn = if let Some(r) = d.strip_prefix("0084") {
        r
    } else if let Some(r) = d.strip_prefix("84").filter(|r| plus || r.len() >= 9) {
        r
    } else if plus {
        return None;
    } else if let Some(r) = d.strip_prefix('0') {
        r
    } else if d.len() == 9 {
        d.as_str()
    } else {
        return None;
    };
    vn_nsn_ok(nsn).then(|| facts("84", nsn, "VN"))
}

/// Chinese mobile (`1[3-9]` + 9 digits; `86`, `+86`, `0086`).
pub fn cn_phone(v: &str) -> Option<ValueFacts> {
    let (d, plus) = phone_digits(v)?;
    let nsn = if let Some(r) = d.strip_prefix("0086") {
        r
    } else if let Some(r) = d.strip_prefix("86").filter(|r| plus || r.len() == 11) {
        r
    } else if plus {
        return None;
    } else {
        d.as_str()
    };
    cn_nsn_ok(nsn).then(|| facts("86", nsn, "CN"))
}

/// Singapore phone (8 digits; `65`, `+65`, `0065`).
pub fn sg_phone(v: &str) -> Option<ValueFacts> {
    let (d, plus) = phone_digits(v)?;
    let nsn = if let Some(r) = d.strip_prefix("0065") {
        r
    } else if let Some(r) = d.strip_prefix("65").filter(|r| plus || r.len() == 8) {
        r
    } else if plus {
        return None;
    } else {
        d.as_str()
    };
    sg_nsn_ok(nsn).then(|| facts("65", nsn, "SG"))
}

/// Interns country ids so they can live in `ValueFacts::country` (`&'static str`); bounded by the
/// number of countries in the metadata.
fn intern(s: &str) -> &'static str {
    static SET: OnceLock<Mutex<Vec<&'static str>>> = OnceLock::new();
    let mut set = SET
        .get_or_init(|| Mutex::new(Vec::new()))
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(x) = set.iter().find(|x| **x == s) {
        return x;
    }
    let leaked: &'static str = Box::leak(s.to_string().into_boxed_str());
    set.push(leaked);
    leaked
}

const CACHE_LIMIT: usize = 65_536;

thread_local! {
    static CACHE: RefCell<HashMap<String, Option<(String, &'static str)>>> = RefCell::new(HashMap::new());
}

/// Full libphonenumber validation, cached per thread (the cache is reset when it grows past 64k).
fn metadata_phone(v: &str, default_country: Option<&str>) -> Option<(String, &'static str)> {
    let key = format!("{}|{v}", default_country.unwrap_or(""));
    if let Some(hit) = CACHE.with(|c| c.borrow().get(&key).cloned()) {
        return hit;
    }
    let region = default_country.and_then(|c| phonenumber::country::Id::from_str(c).ok());
    let result = phonenumber::parse(region, v)
        .ok()
        .filter(phonenumber::is_valid)
        .map(|n| {
            let e164 = n.format().mode(phonenumber::Mode::E164).to_string();
            let iso = n
                .country()
                .id()
                .map(|id| intern(id.as_ref()))
                .unwrap_or("ZZ");
            (e164, iso)
        });
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= CACHE_LIMIT {
            c.clear();
        }
        c.insert(key, result.clone());
    });
    result
}

/// International numbers of other countries (`+` or `00` prefix), via libphonenumber metadata.
/// The fast tables run first; only values that look international reach the metadata.
pub fn intl_phone(v: &str) -> Option<ValueFacts> {
    let (d, plus) = phone_digits(v)?;
    let intl = plus || d.starts_with("00");
    if !intl || d.len() < 9 {
        return None;
    }
    let d = d.strip_prefix("00").unwrap_or(&d);
    if d.starts_with("84") || d.starts_with("86") || d.starts_with("65") {
        return None;
    }
    let (e164, iso) = metadata_phone(&format!("+{d}"), None)?;
    Some(ValueFacts {
        normalized: Some(e164),
        country: Some(iso),
        kind: None,
        date: None,
    })
}

/// Any phone: fast tables first, then (for other countries) the cached metadata.
pub fn any_phone(v: &str, default_country: Option<&str>) -> Option<(String, &'static str)> {
    let fast = match default_country {
        Some("CN") => cn_phone(v).or_else(|| vn_phone(v)).or_else(|| sg_phone(v)),
        Some("SG") => sg_phone(v).or_else(|| vn_phone(v)).or_else(|| cn_phone(v)),
        Some("VN") | None => vn_phone(v).or_else(|| cn_phone(v)).or_else(|| sg_phone(v)),
        // Another default country: its national format wins over the VN/CN/SG tables.
        Some(c) => {
            if let Some(hit) = phone_digits(v).and_then(|_| metadata_phone(v, Some(c))) {
                return Some(hit);
            }
            vn_phone(v).or_else(|| cn_phone(v)).or_else(|| sg_phone(v))
        }
    };
    let f = fast.or_else(|| intl_phone(v))?;
    Some((f.normalized?, f.country?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e164(f: Option<ValueFacts>) -> Option<String> {
        f.and_then(|f| f.normalized)
    }

    #[test]
    fn vietnam() {
        for v in [
            "0912345678",
            "091 234 5678",
            "091.234.5678",
            "+84912345678",
            "84 912 345 678",
            "912345678",
            "(+84) 91-234-5678",
        ] {
            assert_eq!(e164(vn_phone(v)).as_deref(), Some("+84912345678"), "{v}");
        }
        assert_eq!(
            e164(vn_phone("02438251234")).as_deref(),
            Some("+842438251234")
        );
        for v in [
            "0112345678",
            "0951234567",
            "091234567",
            "+86912345678",
            "123456789",
        ] {
            assert!(vn_phone(v).is_none(), "{v}");
        }
    }

    #[test]
    fn china_and_singapore() {
        assert_eq!(
            e164(cn_phone("13812345678")).as_deref(),
            Some("+8613812345678")
        );
        assert_eq!(
            e164(cn_phone("+86 138-1234-5678")).as_deref(),
            Some("+8613812345678")
        );
        assert!(cn_phone("12812345678").is_none());
        assert!(cn_phone("15412345678").is_none());
        assert_eq!(e164(sg_phone("9123 4567")).as_deref(), Some("+6591234567"));
        assert_eq!(
            e164(sg_phone("+65 6123 4567")).as_deref(),
            Some("+6561234567")
        );
        assert!(sg_phone("51234567").is_none());
    }

    #[test]
    fn other_countries_through_metadata() {
        assert_eq!(any_phone("+44 20 7946 0958", None).map(|p| p.1), Some("GB"));
        assert_eq!(
            any_phone("020 7946 0958", Some("GB"))
                .map(|p| p.0)
                .as_deref(),
            Some("+442079460958")
        );
        assert!(any_phone("+44 12", None).is_none());
        assert_eq!(any_phone("0912345678", None).map(|p| p.1), Some("VN"));
    }
}
