//! National identifiers: CN resident ID (GB 11643), SG NRIC/FIN, VN CCCD/CMND, passports.

use super::dates_util::plausible_birth;
use crate::text::data_lines;
use crate::ValueFacts;
use std::collections::HashSet;
use std::sync::OnceLock;

/// Valid 4-digit CN area prefixes (province + prefecture), from `data/cn_areas.txt`.
fn cn_areas() -> &'static HashSet<u16> {
    static SET: OnceLock<HashSet<u16>> = OnceLock::new();
    SET.get_or_init(|| {
        let mut set = HashSet::new();
        for line in data_lines(include_str!("../../data/cn_areas.txt")) {
            let mut parts = line.split_whitespace();
            let Some(prov) = parts.next().and_then(|p| p.parse::<u16>().ok()) else {
                continue;
            };
            for range in parts.skip(1) {
                let (a, b) = range.split_once('-').unwrap_or((range, range));
                if let (Ok(a), Ok(b)) = (a.parse::<u16>(), b.parse::<u16>()) {
                    for p in a..=b {
                        set.insert(prov * 100 + p);
                    }
                }
            }
        }
        set
    })
}

/// True when the first six characters are a known CN administrative area.
fn cn_area_ok(b: &[u8]) -> bool {
    let n = (b[0] - b'0') as u16 * 1000 + (b[1] - b'0') as u16 * 100;
    let n = n + (b[2] - b'0') as u16 * 10 + (b[3] - b'0') as u16;
    cn_areas().contains(&n)
}

fn num(b: &[u8]) -> u32 {
    b.iter().fold(0, |a, d| a * 10 + (d - b'0') as u32)
}

/// GB 11643 ISO 7064 MOD 11-2 check character of the first 17 digits.
pub fn cn_check_char(first17: &[u8]) -> u8 {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .iter()
        .zip(W)
        .map(|(d, w)| (d - b'0') as u32 * w)
        .sum();
    b"10X98765432"[(sum % 11) as usize]
}

/// CN resident identity number: 18 characters (MOD 11-2 check incl. `X`) or the 15-digit legacy form.
pub fn cn_resident_id(v: &str) -> Option<ValueFacts> {
    let b = v.as_bytes();
    let ok = match b.len() {
        18 => {
            b[..17].iter().all(u8::is_ascii_digit)
                && cn_area_ok(b)
                && plausible_birth(num(&b[6..10]) as i32, num(&b[10..12]), num(&b[12..14]))
                && b[17].to_ascii_uppercase() == cn_check_char(&b[..17])
        }
        15 => {
            b.iter().all(u8::is_ascii_digit)
                && cn_area_ok(b)
                && plausible_birth(1900 + num(&b[6..8]) as i32, num(&b[8..10]), num(&b[10..12]))
        }
        _ => false,
    };
    ok.then(|| id_facts(v, "CN", "cn_resident_id"))
}

fn id_facts(v: &str, country: &'static str, kind: &'static str) -> ValueFacts {
    ValueFacts {
        normalized: Some(v.to_ascii_uppercase()),
        country: Some(country),
        kind: Some(kind),
        date: None,
    }
}

/// Singapore NRIC / FIN: prefix S, T, F, G or M, 7 digits, weighted check letter.
pub fn sg_nric_fin(v: &str) -> Option<ValueFacts> {
    let b = v.as_bytes();
    if b.len() != 9 || !b[1..8].iter().all(u8::is_ascii_digit) {
        return None;
    }
    const W: [u32; 7] = [2, 7, 6, 5, 4, 3, 2];
    let sum: u32 = b[1..8]
        .iter()
        .zip(W)
        .map(|(d, w)| (d - b'0') as u32 * w)
        .sum();
    let prefix = b[0].to_ascii_uppercase();
    let last = b[8].to_ascii_uppercase();
    let expected = match prefix {
        b'S' => b"JZIHGFEDCBA"[(sum % 11) as usize],
        b'T' => b"JZIHGFEDCBA"[((sum + 4) % 11) as usize],
        b'F' => b"XWUTRQPNMLK"[(sum % 11) as usize],
        b'G' => b"XWUTRQPNMLK"[((sum + 4) % 11) as usize],
        b'M' => b"KLJNPQRTUWX"[(10 - (sum + 3) % 11) as usize],
        _ => return None,
    };
    (last == expected).then(|| id_facts(v, "SG", "sg_nric_fin"))
}

/// VN province codes of the CCCD, from `data/vn_provinces.txt`.
fn vn_provinces() -> &'static HashSet<u16> {
    static SET: OnceLock<HashSet<u16>> = OnceLock::new();
    SET.get_or_init(|| {
        data_lines(include_str!("../../data/vn_provinces.txt"))
            .filter_map(|l| l.split_whitespace().next()?.parse().ok())
            .collect()
    })
}

/// Vietnamese citizen identity card (CCCD): 12 digits = province, century/gender, birth year, serial.
pub fn vn_cccd(v: &str) -> Option<ValueFacts> {
    let b = v.as_bytes();
    if b.len() != 12 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if !vn_provinces().contains(&(num(&b[..3]) as u16)) {
        return None;
    }
    let century = 1900 + 100 * ((b[3] - b'0') as i32 / 2);
    let year = century + num(&b[4..6]) as i32;
    if !plausible_birth(year, 1, 1) {
        return None;
    }
    Some(id_facts(v, "VN", "vn_cccd"))
}

/// Vietnamese legacy identity card (CMND): 9 digits. Only meaningful with header evidence.
pub fn vn_cmnd(v: &str) -> Option<ValueFacts> {
    let b = v.as_bytes();
    (b.len() == 9 && b.iter().all(u8::is_ascii_digit)).then(|| id_facts(v, "VN", "vn_cmnd"))
}

/// Passport numbers (1–2 letters + 6–8 digits, or SG `E1234567A`-style). Header evidence only.
pub fn passport(v: &str) -> Option<ValueFacts> {
    let b = v.as_bytes();
    if !(7..=10).contains(&b.len()) || !b.iter().all(u8::is_ascii_alphanumeric) {
        return None;
    }
    let letters = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let rest = &b[letters..];
    let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    let tail = rest.len() - digits;
    let ok = (1..=2).contains(&letters) && (6..=8).contains(&digits) && tail <= 1;
    ok.then(|| ValueFacts {
        kind: Some("passport"),
        normalized: Some(v.to_ascii_uppercase()),
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cn_published_vectors() {
        // GB 11643-1999 examples.
        assert!(cn_resident_id("11010519491231002X").is_some());
        assert!(cn_resident_id("11010519491231002x").is_some());
        assert!(cn_resident_id("440524188001010014").is_some());
        assert!(cn_resident_id("110105194912310021").is_none());
        assert!(cn_resident_id("990105194912310025").is_none()); // no province 99
        assert!(cn_resident_id("110105491231002").is_some());
        assert!(cn_resident_id("110105491331002").is_none()); // month 13
        assert_eq!(cn_check_char(b"11010519491231002"), b'X');
    }

    #[test]
    fn cn_future_birth_rejected() {
        let y = super::super::dates_util::today().0 + 1;
        let mut s = format!("110105{y}0101001");
        s.push(cn_check_char(s.as_bytes()) as char);
        assert!(cn_resident_id(&s).is_none());
    }

    #[test]
    fn sg_published_vectors() {
        for ok in [
            "S1234567D",
            "T1234567J",
            "F1234567N",
            "G1234567X",
            "M1234567K",
            "s1234567d",
        ] {
            assert!(sg_nric_fin(ok).is_some(), "{ok}");
        }
        for bad in [
            "S1234567A",
            "M1234567L",
            "X1234567D",
            "S123456D",
            "T1234567D",
        ] {
            assert!(sg_nric_fin(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn vn_cccd_structure() {
        assert!(vn_cccd("001099012345").is_some()); // Hà Nội, male 1999
        assert!(vn_cccd("079301012345").is_some()); // HCM, female 2001
        assert!(vn_cccd("003099012345").is_none()); // 003 unused
        assert!(vn_cccd("001899012345").is_none()); // 2199: future
        assert!(vn_cmnd("123456789").is_some());
        assert!(vn_cmnd("12345678").is_none());
    }
}
