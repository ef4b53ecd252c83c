//! National-format phone validation from libphonenumber metadata (the `phonenumber` crate's
//! database), compiled once per country into anchored regular expressions: a number is valid
//! for a country when its national significant number (trunk prefix removed, or already dropped)
//! has a possible length and matches one of the country's number types (fixed line, mobile, toll
//! free, premium, shared cost, personal, VoIP, pager, UAN, voicemail) — libphonenumber's own
//! notion of validity, without its per-call parsing cost.

use phonenumber::metadata::{Descriptor, Metadata, DATABASE};
use regex::Regex;
use std::collections::HashMap;
use std::sync::OnceLock;

/// One country's compiled plan.
#[derive(Debug)]
pub struct Plan {
    /// ISO 3166-1 alpha-2 (as the metadata names it; `001` non-geographic entries are skipped).
    pub iso: &'static str,
    /// Country calling code.
    pub code: u16,
    /// Trunk prefix (`0` in most countries, `1` in NANP), if any.
    trunk: Option<String>,
    /// Possible national significant number lengths.
    lengths: Vec<u16>,
    /// Any valid number type, anchored.
    valid: Regex,
    /// Fixed-line numbers, anchored (landline tests).
    fixed: Option<Regex>,
}

/// The metadata's pattern without the layout whitespace of the XML it came from.
fn pattern(d: &Descriptor) -> String {
    d.national_number()
        .as_str()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn anchored(d: &Descriptor) -> Option<Regex> {
    Regex::new(&format!("^(?:{})$", pattern(d))).ok()
}

fn compile(m: &Metadata) -> Option<Plan> {
    let iso: &'static str = Box::leak(m.id().to_string().into_boxed_str());
    if !iso.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let d = m.descriptors();
    let types = [
        d.fixed_line(),
        d.mobile(),
        d.toll_free(),
        d.premium_rate(),
        d.shared_cost(),
        d.personal_number(),
        d.voip(),
        d.pager(),
        d.uan(),
        d.voicemail(),
    ];
    let parts: Vec<String> = types
        .iter()
        .flatten()
        .map(|t| format!("(?:{})", pattern(t)))
        .collect();
    if parts.is_empty() {
        return None;
    }
    let valid = Regex::new(&format!("^(?:{})$", parts.join("|"))).ok()?;
    let mut lengths: Vec<u16> = types
        .iter()
        .flatten()
        .flat_map(|t| t.possible_length().iter().copied())
        .chain(d.general().possible_length().iter().copied())
        .collect();
    lengths.sort_unstable();
    lengths.dedup();
    Some(Plan {
        iso,
        code: m.country_code(),
        trunk: m.national_prefix().map(str::to_string),
        lengths,
        valid,
        fixed: d.fixed_line().and_then(anchored),
    })
}

fn plans() -> &'static HashMap<&'static str, OnceLock<Option<Plan>>> {
    static P: OnceLock<HashMap<&'static str, OnceLock<Option<Plan>>>> = OnceLock::new();
    P.get_or_init(|| {
        DATABASE
            .iter()
            .map(|m| m.id())
            .filter(|id| id.len() == 2 && id.bytes().all(|b| b.is_ascii_uppercase()))
            .map(|id| {
                (
                    &*Box::leak(id.to_string().into_boxed_str()),
                    OnceLock::new(),
                )
            })
            .collect()
    })
}

/// The compiled plan of a country (ISO2, upper case), compiled on first use.
pub fn plan(iso: &str) -> Option<&'static Plan> {
    let cell = plans().get(iso)?;
    cell.get_or_init(|| DATABASE.by_id(iso).and_then(compile))
        .as_ref()
}

/// ISO2 codes of the countries sharing a calling code, main country first (computed once).
pub fn regions_of_code(code: u16) -> &'static [&'static str] {
    static M: OnceLock<HashMap<u16, Vec<&'static str>>> = OnceLock::new();
    M.get_or_init(|| {
        let mut m: HashMap<u16, Vec<(bool, &'static str)>> = HashMap::new();
        for meta in DATABASE.iter() {
            let id = meta.id();
            if let Some((iso, _)) = plans().get_key_value(id) {
                m.entry(meta.country_code())
                    .or_default()
                    .push((!meta.is_main_country_for_code(), iso));
            }
        }
        m.into_iter()
            .map(|(k, mut v)| {
                v.sort();
                (k, v.into_iter().map(|(_, iso)| iso).collect())
            })
            .collect()
    })
    .get(&code)
    .map_or(&[], Vec::as_slice)
}

impl Plan {
    /// Whether `nsn` (national significant number, digits only) is a valid number here.
    pub fn valid_nsn(&self, nsn: &str) -> bool {
        self.lengths.contains(&(nsn.len() as u16)) && self.valid.is_match(nsn)
    }

    /// Whether `nsn` is a fixed-line number here.
    pub fn fixed_nsn(&self, nsn: &str) -> bool {
        self.fixed.as_ref().is_some_and(|r| r.is_match(nsn))
    }

    /// The national significant number of national-format `digits` (trunk prefix removed when
    /// present and the rest is valid; a number written without its trunk prefix is accepted as
    /// is), when valid.
    pub fn national<'a>(&self, digits: &'a str) -> Option<&'a str> {
        if let Some(t) = self.trunk.as_deref() {
            if let Some(rest) = digits.strip_prefix(t) {
                if self.valid_nsn(rest) {
                    return Some(rest);
                }
            }
        }
        self.valid_nsn(digits).then_some(digits)
    }
}

/// E.164 and country of an international number (`digits` without `+`/`00`), validated against
/// every country sharing its calling code.
pub fn international(digits: &str) -> Option<(String, &'static str)> {
    for len in 1..=3 {
        if digits.len() <= len {
            break;
        }
        let Ok(code) = digits[..len].parse::<u16>() else {
            break;
        };
        let regions = regions_of_code(code);
        if regions.is_empty() {
            continue;
        }
        let rest = &digits[len..];
        for &iso in regions {
            let Some(p) = plan(iso) else { continue };
            // Some countries keep a trunk digit after the country code in writing (`+44 (0)20…`).
            let nsn = if p.valid_nsn(rest) {
                Some(rest)
            } else {
                p.trunk
                    .as_deref()
                    .and_then(|t| rest.strip_prefix(t))
                    .filter(|r| p.valid_nsn(r))
            };
            if let Some(nsn) = nsn {
                return Some((e164(p.code, nsn), p.iso));
            }
        }
        return None;
    }
    None
}

/// `+`, the calling code and the national number, built without the formatting machinery (this
/// runs for every phone cell of a scan).
pub(crate) fn e164(code: u16, nsn: &str) -> String {
    let mut s = String::with_capacity(6 + nsn.len());
    s.push('+');
    let mut digits = [0u8; 5];
    let mut n = code;
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        s.push(d as char);
    }
    s.push_str(nsn);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e164_equals_the_formatted_number() {
        for (code, nsn) in [
            (84u16, "912345678"),
            (1, "2025550123"),
            (998, "901234567"),
            (0, "1"),
        ] {
            assert_eq!(e164(code, nsn), format!("+{code}{nsn}"));
        }
    }

    #[test]
    fn national_numbers_by_country() {
        let us = plan("US").unwrap();
        assert_eq!(us.national("2065559857"), Some("2065559857"));
        assert_eq!(us.national("12065559857"), Some("2065559857"));
        assert!(us.national("0065559857").is_none());
        let de = plan("DE").unwrap();
        assert!(de.national("0300074321").is_some());
        let tw = plan("TW").unwrap();
        assert_eq!(tw.national("0227653147"), Some("227653147"));
        let cn = plan("CN").unwrap();
        assert_eq!(cn.national("01065529988"), Some("1065529988"));
        assert_eq!(cn.national("1065529988"), Some("1065529988"));
        assert!(cn.fixed_nsn("87165655099"));
        // A business number ending in 000 is a number like any other.
        assert!(us.national("6502530000").is_some());
    }

    #[test]
    fn international_numbers() {
        assert_eq!(
            international("442079460958"),
            Some(("+442079460958".to_string(), "GB"))
        );
        assert_eq!(
            international("16502530000").map(|x| x.1),
            Some("US"),
            "NANP main country"
        );
        assert!(international("4412").is_none());
        assert!(international("9991234567").is_none());
    }
}
