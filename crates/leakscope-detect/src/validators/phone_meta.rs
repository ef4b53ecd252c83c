//! National-format phone validation from libphonenumber metadata, compiled once per country
//! into anchored regular expressions: a number is valid for a country when its national
//! significant number (trunk prefix removed, or already dropped) has a possible length and
//! matches one of the country's number types (fixed line, mobile, toll free, premium, shared
//! cost, personal, VoIP, pager, UAN, voicemail) — libphonenumber's own notion of validity,
//! without its per-call parsing cost.
//!
//! The metadata lives in `data/phone_meta.tsv` (one line per country: what this module needs of
//! libphonenumber's `PhoneNumberMetadata.xml`, Apache-2.0, as the `phonenumber` crate ships it).
//! Loading the crate's whole database parsed thousands of patterns on the first phone of every
//! scan (~0.1 s of CPU); the table is read in microseconds. A test regenerates the table from the
//! crate (a dev-dependency) and fails when they differ (`LEAKSCOPE_BLESS=1` rewrites it).

use regex::Regex;
use std::collections::HashMap;
use std::sync::OnceLock;

/// The metadata table (see the module documentation).
pub const TABLE: &str = include_str!("../../data/phone_meta.tsv");

/// One country's line of [`TABLE`].
#[derive(Debug)]
struct Row {
    iso: &'static str,
    code: u16,
    main: bool,
    trunk: Option<&'static str>,
    lengths: Vec<u16>,
    valid: &'static str,
    fixed: Option<&'static str>,
}

/// One country's compiled plan.
#[derive(Debug)]
pub struct Plan {
    /// ISO 3166-1 alpha-2 (as the metadata names it; `001` non-geographic entries are skipped).
    pub iso: &'static str,
    /// Country calling code.
    pub code: u16,
    /// Trunk prefix (`0` in most countries, `1` in NANP), if any.
    trunk: Option<&'static str>,
    /// Possible national significant number lengths.
    lengths: Vec<u16>,
    /// Any valid number type, anchored.
    valid: Regex,
    /// Fixed-line numbers, anchored (landline tests).
    fixed: Option<Regex>,
}

/// Compiles a metadata pattern, anchored. The metadata's `\d` means an ASCII digit and the
/// numbers checked are ASCII digits, so the regex is built without Unicode classes: a Unicode
/// `\d` compiles to a large UTF-8 automaton, which made compiling a country's plan cost
/// milliseconds on the first phone of that country in every scan.
fn ascii_regex(p: &str) -> Option<Regex> {
    regex::RegexBuilder::new(&format!("^(?:{p})$"))
        .unicode(false)
        .build()
        .ok()
}

/// The rows of [`TABLE`] (lines that do not parse are skipped; the table test rejects them).
fn rows() -> &'static [Row] {
    static R: OnceLock<Vec<Row>> = OnceLock::new();
    R.get_or_init(|| TABLE.lines().filter_map(parse_row).collect())
}

fn parse_row(line: &'static str) -> Option<Row> {
    if line.starts_with('#') || line.trim().is_empty() {
        return None;
    }
    let f: Vec<&'static str> = line.split('\t').collect();
    let [iso, code, main, trunk, lengths, valid, fixed] = f.as_slice() else {
        return None;
    };
    let iso = *iso;
    if iso.len() != 2 || !iso.bytes().all(|b| b.is_ascii_uppercase()) || valid.is_empty() {
        return None;
    }
    Some(Row {
        iso,
        code: code.parse().ok()?,
        main: *main == "1",
        trunk: (!trunk.is_empty()).then_some(*trunk),
        lengths: lengths
            .split(',')
            .filter(|l| !l.is_empty())
            .map(str::parse)
            .collect::<Result<_, _>>()
            .ok()?,
        valid,
        fixed: (!fixed.is_empty()).then_some(*fixed),
    })
}

fn compile(r: &Row) -> Option<Plan> {
    Some(Plan {
        iso: r.iso,
        code: r.code,
        trunk: r.trunk,
        lengths: r.lengths.clone(),
        valid: ascii_regex(r.valid)?,
        fixed: r.fixed.and_then(ascii_regex),
    })
}

/// Slot of a two-letter upper-case ISO code in [`plans`].
fn slot(iso: &str) -> Option<usize> {
    match iso.as_bytes() {
        [a @ b'A'..=b'Z', b @ b'A'..=b'Z'] => Some((a - b'A') as usize * 26 + (b - b'A') as usize),
        _ => None,
    }
}

/// A country's row of [`TABLE`] and its plan, compiled on first use.
type Slot = (Option<&'static Row>, OnceLock<Option<Plan>>);

/// Each country's row and compiled plan, by [`slot`] (a lookup per phone cell: no hashing).
fn plans() -> &'static [Slot] {
    static P: OnceLock<Vec<Slot>> = OnceLock::new();
    P.get_or_init(|| {
        let mut v: Vec<Slot> = (0..26 * 26).map(|_| (None, OnceLock::new())).collect();
        for r in rows() {
            if let Some(i) = slot(r.iso) {
                v[i].0 = Some(r);
            }
        }
        v
    })
}

/// The compiled plan of a country (ISO2, upper case), compiled on first use.
pub fn plan(iso: &str) -> Option<&'static Plan> {
    let (row, cell) = plans().get(slot(iso)?)?;
    let row = (*row)?;
    cell.get_or_init(|| compile(row)).as_ref()
}

/// ISO2 codes of the countries sharing a calling code, main country first (computed once).
pub fn regions_of_code(code: u16) -> &'static [&'static str] {
    static M: OnceLock<HashMap<u16, Vec<&'static str>>> = OnceLock::new();
    M.get_or_init(|| {
        let mut m: HashMap<u16, Vec<(bool, &'static str)>> = HashMap::new();
        for r in rows() {
            m.entry(r.code).or_default().push((!r.main, r.iso));
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
        if let Some(t) = self.trunk {
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
