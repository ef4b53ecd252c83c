//! Check-digit math for the identifiers the generator emits. The national-ID check digits are
//! implemented independently of the detect crate so the two can be tested against each other;
//! Luhn is the detectors' own (one implementation, checked here against published vectors).

use crate::dates::{civil_from_days, days_from_civil};
use crate::vocab::{cn::AREAS, vn::PROVINCE_CODES};

/// ISO 7064 MOD 11-2 check character of the first 17 digits of a CN resident ID (GB 11643).
pub fn cn_check_char(first17: &[u8]) -> u8 {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .iter()
        .zip(W)
        .map(|(d, w)| (d - b'0') as u32 * w)
        .sum();
    b"10X98765432"[(sum % 11) as usize]
}

/// Builds a CN resident ID from an area code, a birth date and a 3-digit sequence number
/// (odd = male, even = female).
pub fn cn_resident_id(area: &str, birth: (i32, u32, u32), seq: u32) -> String {
    let mut s = format!(
        "{area}{:04}{:02}{:02}{:03}",
        birth.0,
        birth.1,
        birth.2,
        seq % 1000
    );
    let c = cn_check_char(s.as_bytes());
    s.push(c as char);
    s
}

/// True when `s` is an 18-character CN resident ID with a known area, a real birth date and a
/// correct check character.
pub fn cn_resident_id_valid(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    if !AREAS.iter().any(|a| a.code.as_bytes() == &b[..6]) {
        return false;
    }
    let (Ok(y), Ok(m), Ok(d)) = (
        s[6..10].parse::<i32>(),
        s[10..12].parse::<u32>(),
        s[12..14].parse::<u32>(),
    ) else {
        return false;
    };
    if !(1900..=2026).contains(&y)
        || !(1..=12).contains(&m)
        || d == 0
        || civil_from_days(days_from_civil(y, m, d)) != (y, m, d)
    {
        return false;
    }
    cn_check_char(&b[..17]) == b[17].to_ascii_uppercase()
}

/// An 18-digit number shaped exactly like a CN resident ID (real area, real date) whose check
/// character is wrong — the adversarial look-alike (transaction serials).
pub fn cn_resident_id_lookalike(area: &str, birth: (i32, u32, u32), seq: u32, salt: u32) -> String {
    let valid = cn_resident_id(area, birth, seq);
    let good = valid.as_bytes()[17];
    let mut digit = b'0' + (salt % 10) as u8;
    if digit == good {
        digit = if digit == b'9' { b'0' } else { digit + 1 };
    }
    let mut s = valid[..17].to_string();
    s.push(digit as char);
    s
}

/// Builds a Vietnamese CCCD: province code, century/gender digit, 2-digit birth year, 6 digits.
pub fn vn_cccd(province: &str, birth_year: i32, male: bool, serial: u32) -> String {
    let century = if birth_year >= 2000 { 2 } else { 0 } + u32::from(!male);
    format!(
        "{province}{century}{:02}{:06}",
        birth_year % 100,
        serial % 1_000_000
    )
}

/// True when `s` is 12 digits with a real province code and a century/gender digit 0–3.
pub fn vn_cccd_valid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 12
        && b.iter().all(u8::is_ascii_digit)
        && PROVINCE_CODES.iter().any(|(c, _)| c.as_bytes() == &b[..3])
        && (b'0'..=b'3').contains(&b[3])
}

const NRIC_WEIGHTS: [u32; 7] = [2, 7, 6, 5, 4, 3, 2];

/// Check letter of a Singapore NRIC/FIN with prefix `S`, `T`, `F`, `G` or `M` and 7 digits.
pub fn nric_check_letter(prefix: u8, digits7: &[u8]) -> u8 {
    let mut sum: u32 = digits7
        .iter()
        .zip(NRIC_WEIGHTS)
        .map(|(d, w)| (d - b'0') as u32 * w)
        .sum();
    sum += match prefix {
        b'T' | b'G' => 4,
        b'M' => 3,
        _ => 0,
    };
    let table: &[u8; 11] = match prefix {
        b'S' | b'T' => b"JZIHGFEDCBA",
        b'F' | b'G' => b"XWUTRQPNMLK",
        _ => b"XWUTRQPNJLK",
    };
    table[(sum % 11) as usize]
}

/// Builds an NRIC/FIN from its prefix and a 7-digit body.
pub fn nric(prefix: u8, body: u32) -> String {
    let digits = format!("{:07}", body % 10_000_000);
    let c = nric_check_letter(prefix, digits.as_bytes());
    format!("{}{digits}{}", prefix as char, c as char)
}

/// True when `s` is a well-formed NRIC/FIN with the right check letter.
pub fn nric_valid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 9
        && b"STFGM".contains(&b[0])
        && b[1..8].iter().all(u8::is_ascii_digit)
        && nric_check_letter(b[0], &b[1..8]) == b[8]
}

/// Completes `partial` (all digits) with its Luhn check digit: the one digit that makes the
/// detectors' Luhn check ([`leakscope_detect::validators::card::luhn`]) pass.
pub fn luhn_complete(partial: &str) -> String {
    (b'0'..=b'9')
        .map(|d| format!("{partial}{}", d as char))
        .find(|s| luhn_valid(s))
        .unwrap_or_else(|| format!("{partial}0"))
}

/// True when the digit string passes the Luhn check.
pub fn luhn_valid(s: &str) -> bool {
    s.len() >= 2
        && s.bytes().all(|b| b.is_ascii_digit())
        && leakscope_detect::validators::card::luhn(s.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_vectors() {
        // GB 11643 example from the standard's annex.
        assert_eq!(cn_check_char(b"11010519491231002"), b'X');
        assert!(!cn_resident_id_valid("110105194912310020"));
        assert!(cn_resident_id_valid("11010519491231002X"));
        assert_eq!(nric(b'S', 1234567), "S1234567D");
        assert!(nric_valid("M5012345J"));
        assert!(!nric_valid("M5012345M"));
        assert!(luhn_valid("4111111111111111"));
        assert!(!luhn_valid("4111111111111112"));
        assert_eq!(luhn_complete("411111111111111"), "4111111111111111");
    }

    #[test]
    fn lookalikes_fail_and_cccd_shape() {
        for salt in 0..40 {
            let id = cn_resident_id_lookalike("440305", (1990, 7, 14), 123 + salt, salt);
            assert_eq!(id.len(), 18);
            assert!(!cn_resident_id_valid(&id), "{id}");
        }
        let c = vn_cccd("079", 2001, false, 42);
        assert_eq!(c, "079301000042");
        assert!(vn_cccd_valid(&c));
        assert!(!vn_cccd_valid("999301000042"));
    }
}
