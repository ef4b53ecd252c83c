//! Phones: exact fast tables for VN, CN and SG; libphonenumber metadata (compiled per country,
//! see [`phone_meta`]) for every other country and for landlines. Only values written in a phone
//! shape ([`phone_shape`]) are read: digits are never stripped out of other values.

use super::{phone_meta, phone_shape};
use crate::ValueFacts;

/// Digits of a value in a phone shape (see [`phone_shape::parse`]): (digits, written
/// internationally). Decimals, coordinates, amounts, dates and IPs are not phones.
fn phone_digits(v: &str) -> Option<(phone_shape::PhoneShape, bool)> {
    let s = phone_shape::parse(v)?;
    Some((s, s.plus && !s.double_zero))
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

/// `+` calling code national number, built without the formatting machinery (this runs for
/// every phone cell of a scan).
fn e164(cc: &str, nsn: &str) -> String {
    let mut s = String::with_capacity(1 + cc.len() + nsn.len());
    s.push('+');
    s.push_str(cc);
    s.push_str(nsn);
    s
}

fn facts(cc: &str, nsn: &str, iso2: &'static str) -> ValueFacts {
    ValueFacts {
        normalized: Some(e164(cc, nsn)),
        country: Some(iso2),
        kind: None,
        date: None,
    }
}

/// Vietnamese phone (`0`, `84`, `+84`, `0084`; 9-digit national form without the trunk 0 too).
pub fn vn_phone(v: &str) -> Option<ValueFacts> {
    let (shape, plus) = phone_digits(v)?;
    let d = shape.digits();
    let nsn = if let Some(r) = d.strip_prefix("0084") {
        r
    } else if let Some(r) = d.strip_prefix("84").filter(|r| plus || r.len() >= 9) {
        r
    } else if plus {
        return None;
    } else if let Some(r) = d.strip_prefix('0') {
        r
    } else if d.len() == 9 {
        d
    } else {
        return None;
    };
    if !vn_nsn_ok(nsn) {
        return None;
    }
    // A landline written nationally is also a valid CN fixed-line number (area codes 20-29 of
    // both plans): without a country from the row or file it is a phone of unknown country.
    let intl = plus || d.starts_with("84") || d.starts_with("0084");
    if !intl && nsn.len() == 10 && phone_meta::plan("CN").is_some_and(|p| p.valid_nsn(nsn)) {
        return Some(ValueFacts {
            normalized: Some(format!("0{nsn}")),
            country: None,
            kind: Some("unknown_country"),
            date: None,
        });
    }
    Some(facts("84", nsn, "VN"))
}

/// Chinese mobile (`1[3-9]` + 9 digits; `86`, `+86`, `0086`).
pub fn cn_phone(v: &str) -> Option<ValueFacts> {
    let (shape, plus) = phone_digits(v)?;
    let d = shape.digits();
    let nsn = if let Some(r) = d.strip_prefix("0086") {
        r
    } else if let Some(r) = d.strip_prefix("86").filter(|r| plus || r.len() == 11) {
        r
    } else if plus {
        return None;
    } else {
        d
    };
    cn_nsn_ok(nsn).then(|| facts("86", nsn, "CN"))
}

/// Singapore phone (8 digits; `65`, `+65`, `0065`).
pub fn sg_phone(v: &str) -> Option<ValueFacts> {
    let (shape, plus) = phone_digits(v)?;
    let d = shape.digits();
    let nsn = if let Some(r) = d.strip_prefix("0065") {
        r
    } else if let Some(r) = d.strip_prefix("65").filter(|r| plus || r.len() == 8) {
        r
    } else if plus {
        return None;
    } else {
        d
    };
    sg_nsn_ok(nsn).then(|| facts("65", nsn, "SG"))
}

/// International numbers of other countries (`+` or `00` prefix), validated with the metadata
/// of every country sharing the calling code. +84/+86/+65 are the fast tables' job.
pub fn intl_phone(v: &str) -> Option<ValueFacts> {
    let s = phone_shape::parse(v)?;
    if !s.plus {
        return None;
    }
    let d = s.digits().strip_prefix("00").unwrap_or(s.digits());
    if d.len() < 8 || d.starts_with("84") || d.starts_with("86") || d.starts_with("65") {
        return None;
    }
    let (e164, iso) = phone_meta::international(d)?;
    Some(ValueFacts {
        normalized: Some(e164),
        country: Some(iso),
        kind: None,
        date: None,
    })
}

/// CN fixed-line numbers written nationally with their area code: a trunk `0` and a separator
/// or parentheses after the area code (`0871-65655099`, `(010)65529988`, `010 6552 9988`).
pub fn cn_landline(v: &str) -> Option<ValueFacts> {
    let s = phone_shape::parse(v)?;
    let digits = s.digits();
    if s.plus || !s.formatted || !digits.starts_with('0') || digits.starts_with("00") {
        return None;
    }
    let p = phone_meta::plan("CN")?;
    let nsn = digits.strip_prefix('0')?;
    // Length first (no regex for a number of a length the plan has not).
    (p.valid_nsn(nsn) && p.fixed_nsn(nsn)).then(|| facts("86", nsn, "CN"))
}

/// A number written in a phone shape whose country cannot be told (8–15 digits; national
/// format of an unknown country). Normalised to its digits; no country. Header evidence only.
pub fn phone_unknown_country(v: &str) -> Option<ValueFacts> {
    let s = phone_shape::parse(v)?;
    let d = s.digits().strip_prefix("00").unwrap_or(s.digits());
    if !(8..=15).contains(&d.len()) {
        return None;
    }
    if s.plus {
        return intl_phone(v)
            .or_else(|| vn_phone(v))
            .or_else(|| cn_phone(v))
            .or_else(|| sg_phone(v));
    }
    Some(ValueFacts {
        normalized: Some(d.to_string()),
        country: None,
        kind: Some("unknown_country"),
        date: None,
    })
}

/// A short service number (`711`, `211`, `114`, `1900 1234`-style codes of 3-6 digits) in a
/// column whose header names a phone: a phone number, but nobody's key (no normalised form).
pub fn phone_short_code(v: &str) -> Option<ValueFacts> {
    let b = v.as_bytes();
    ((3..=6).contains(&b.len()) && b.iter().all(u8::is_ascii_digit)).then_some(ValueFacts {
        normalized: None,
        country: None,
        kind: Some("short_code"),
        date: None,
    })
}

/// A phone validated against a known country (the row's or the file's): its national format
/// (trunk prefix written or dropped) by that country's numbering plan, or any international
/// form. `None` when the value is not a valid number of that country.
pub fn phone_in(v: &str, iso: &str) -> Option<ValueFacts> {
    let s = phone_shape::parse(v)?;
    if s.plus {
        return vn_phone(v)
            .or_else(|| cn_phone(v))
            .or_else(|| sg_phone(v))
            .or_else(|| intl_phone(v));
    }
    match iso {
        "VN" => {
            return vn_phone(v)
                .filter(|f| f.country.is_some())
                .or_else(|| national_meta(s.digits(), "VN"))
        }
        "CN" => return cn_phone(v).or_else(|| national_meta(s.digits(), "CN")),
        "SG" => return sg_phone(v),
        _ => {}
    }
    national_meta(s.digits(), iso)
}

fn national_meta(digits: &str, iso: &str) -> Option<ValueFacts> {
    let p = phone_meta::plan(iso)?;
    let nsn = p.national(digits)?;
    Some(ValueFacts {
        normalized: Some(phone_meta::e164(p.code, nsn)),
        country: Some(p.iso),
        kind: None,
        date: None,
    })
}

/// National numbers of one market (`phone_in` with a fixed country), for the per-country rule
/// files: values written internationally are the `intl_phone` detector's.
fn national_only(v: &str, iso: &str) -> Option<ValueFacts> {
    let s = phone_shape::parse(v)?;
    if s.plus {
        return None;
    }
    national_meta(s.digits(), iso)
}

/// Taiwan numbers in national format (`(02)2765-3147`, `0912-345-678`).
pub fn tw_phone(v: &str) -> Option<ValueFacts> {
    national_only(v, "TW")
}

/// Hong Kong numbers (8 digits, no trunk prefix).
pub fn hk_phone(v: &str) -> Option<ValueFacts> {
    national_only(v, "HK")
}

/// Malaysian numbers in national format (`012-345 6789`, `03-2161 2345`).
pub fn my_phone(v: &str) -> Option<ValueFacts> {
    national_only(v, "MY")
}

/// Thai numbers in national format (`081-234-5678`, `02-123-4567`).
pub fn th_phone(v: &str) -> Option<ValueFacts> {
    national_only(v, "TH")
}

/// Indonesian numbers in national format (`0812-3456-7890`, `021-5550123`).
pub fn id_phone(v: &str) -> Option<ValueFacts> {
    national_only(v, "ID")
}

/// Philippine numbers in national format (`0917 123 4567`, `(02) 8123 4567`).
pub fn ph_phone(v: &str) -> Option<ValueFacts> {
    national_only(v, "PH")
}

/// Any phone: with `default_country` its national format first, then the fast tables and
/// international forms.
pub fn any_phone(v: &str, default_country: Option<&str>) -> Option<(String, &'static str)> {
    if let Some(c) = default_country {
        if let Some(f) = phone_in(v, c) {
            return Some((f.normalized?, f.country?));
        }
    }
    let f = vn_phone(v)
        .or_else(|| cn_phone(v))
        .or_else(|| sg_phone(v))
        .or_else(|| intl_phone(v))
        .or_else(|| cn_landline(v))?;
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
        // Hanoi 024 is also Shenyang 024: without a country the landline's country is unknown.
        assert_eq!(vn_phone("02438251234").and_then(|f| f.country), None);
        assert_eq!(
            e164(phone_in("02438251234", "VN")).as_deref(),
            Some("+842438251234")
        );
        assert_eq!(
            e164(phone_in("024 3825 1234", "CN")).as_deref(),
            Some("+862438251234")
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
    fn national_formats_with_a_country() {
        let c = |v: &str, iso: &str| phone_in(v, iso).and_then(|f| f.country);
        assert_eq!(c("(206) 555-9857", "US"), Some("US"));
        assert_eq!(c("030-0074321", "DE"), Some("DE"));
        assert_eq!(c("(02)27653147", "TW"), Some("TW"));
        assert_eq!(c("010 6552 9988", "CN"), Some("CN"));
        assert_eq!(c("10 6552 9988", "CN"), Some("CN"), "trunk 0 dropped");
        assert_eq!(c("+1 650-253-0000", "DE"), Some("US"), "international wins");
        assert_eq!(c("-89.1526108", "VN"), None);
        assert_eq!(
            cn_landline("0871-65655099").and_then(|f| f.normalized),
            Some("+8687165655099".into())
        );
        assert!(
            cn_landline("087165655099").is_none(),
            "bare digits need context"
        );
        assert_eq!(
            phone_unknown_country("(206) 555-9857").and_then(|f| f.normalized),
            Some("2065559857".into())
        );
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
