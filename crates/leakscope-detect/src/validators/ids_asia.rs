//! National identifiers of the Lazada / Shopee markets and Greater China: Malaysian MyKad (NRIC)
//! with birth date and place-of-birth code, Thai PIN (MOD 11), Indonesian NIK (province and
//! birth date), Taiwan ID (letter code and weighted check digit), Hong Kong ID (MOD 11 check
//! character), and the Philippine PhilSys / SSS / TIN numbers (no published check digit: shapes
//! only, counted with header evidence).

use super::dates_util::valid_ymd;
use crate::ValueFacts;

fn facts(v: &str, country: &'static str, kind: &'static str) -> ValueFacts {
    ValueFacts {
        normalized: Some(v.to_string()),
        country: Some(country),
        kind: Some(kind),
        date: None,
    }
}

/// Digits of `v` when it holds only digits and the given separators.
fn digits(v: &str, seps: &[u8]) -> Option<String> {
    crate::text::digits_only(v, seps)
}

fn num(b: &[u8]) -> u32 {
    b.iter().fold(0, |a, d| a * 10 + u32::from(d - b'0'))
}

/// Place-of-birth codes of the MyKad: the 16 states and federal territories (01-16, and their
/// second series 21-59) and the foreign-birth codes (60-68, 71-72, 74-79, 82-93, 98-99), as the
/// National Registration Department publishes them.
fn my_birthplace(code: u32) -> bool {
    matches!(code, 1..=16 | 21..=68 | 71 | 72 | 74..=79 | 82..=93 | 98 | 99)
}

/// Malaysian MyKad / NRIC: `YYMMDD-PB-###G`, 12 digits, a valid birth date and place-of-birth code.
pub fn my_nric(v: &str) -> Option<ValueFacts> {
    let d = digits(v, b"- ")?;
    let b = d.as_bytes();
    if b.len() != 12 {
        return None;
    }
    if v.contains(['-', ' ']) && !matches!(v.trim().len(), 14) {
        return None;
    }
    let (yy, mm, dd) = (num(&b[0..2]) as i32, num(&b[2..4]), num(&b[4..6]));
    // The year has two digits: valid if the date exists in either century.
    let ok_date = valid_ymd(1900 + yy, mm, dd) || valid_ymd(2000 + yy, mm, dd);
    (ok_date && my_birthplace(num(&b[6..8]))).then(|| facts(&d, "MY", "my_nric"))
}

/// Thai personal identification number: 13 digits, first digit 1-8, MOD 11 check digit.
pub fn th_pin(v: &str) -> Option<ValueFacts> {
    let d = digits(v, b"- ")?;
    let b = d.as_bytes();
    if b.len() != 13 || b[0] == b'0' || b[0] == b'9' {
        return None;
    }
    let sum: u32 = b[..12]
        .iter()
        .enumerate()
        .map(|(i, c)| u32::from(c - b'0') * (13 - i as u32))
        .sum();
    let check = (11 - sum % 11) % 10;
    (u32::from(b[12] - b'0') == check).then(|| facts(&d, "TH", "th_pin"))
}

/// Indonesian province codes of the NIK (Kemendagri), including the Papua provinces of 2022.
fn id_province(code: u32) -> bool {
    matches!(
        code,
        11..=19 | 21 | 31..=36 | 51..=53 | 61..=65 | 71..=76 | 81 | 82 | 91..=96
    )
}

/// Indonesian NIK: 16 digits = province, regency, district, DDMMYY birth date (+40 on the day
/// for women), 4-digit serial.
pub fn id_nik(v: &str) -> Option<ValueFacts> {
    let d = digits(v, b"- .")?;
    let b = d.as_bytes();
    if b.len() != 16 || !id_province(num(&b[0..2])) || num(&b[2..4]) == 0 {
        return None;
    }
    let day = num(&b[6..8]) % 40;
    let (mm, yy) = (num(&b[8..10]), num(&b[10..12]) as i32);
    let ok = valid_ymd(1900 + yy, mm, day) || valid_ymd(2000 + yy, mm, day);
    (ok && num(&b[12..16]) > 0).then(|| facts(&d, "ID", "id_nik"))
}

/// Taiwan letter codes: A=10 … Z=33 in the order the Ministry of the Interior assigns them.
fn tw_letter(c: u8) -> Option<u32> {
    const ORDER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVXYWZIO";
    ORDER.iter().position(|&x| x == c).map(|i| i as u32 + 10)
}

/// Taiwan national ID (and the 2021 resident certificate): a letter, `1`/`2` (or `8`/`9` for
/// residents), seven digits and a check digit; weighted sum ≡ 0 (mod 10).
pub fn tw_id(v: &str) -> Option<ValueFacts> {
    let b = v.as_bytes();
    if b.len() != 10 || !b[1..].iter().all(u8::is_ascii_digit) {
        return None;
    }
    if !matches!(b[1], b'1' | b'2' | b'8' | b'9') {
        return None;
    }
    let l = tw_letter(b[0])?;
    let mut sum = l / 10 + (l % 10) * 9;
    for (i, c) in b[1..9].iter().enumerate() {
        sum += u32::from(c - b'0') * (8 - i as u32);
    }
    sum += u32::from(b[9] - b'0');
    sum.is_multiple_of(10).then(|| facts(v, "TW", "tw_id"))
}

/// Hong Kong identity card number: one or two letters, six digits, a check character (`0`-`9`
/// or `A`), often in parentheses: `A123456(3)`.
pub fn hk_id(v: &str) -> Option<ValueFacts> {
    let t: String = v
        .chars()
        .filter(|c| !matches!(c, '(' | ')' | ' '))
        .collect();
    let b = t.as_bytes();
    let letters = b.iter().take_while(|c| c.is_ascii_uppercase()).count();
    if !(1..=2).contains(&letters) || b.len() != letters + 7 {
        return None;
    }
    let body = &b[letters..letters + 6];
    if !body.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut vals: Vec<u32> = Vec::with_capacity(8);
    if letters == 1 {
        vals.push(36); // a space before a single letter
    }
    vals.extend(b[..letters].iter().map(|c| u32::from(c - b'A') + 10));
    vals.extend(body.iter().map(|c| u32::from(c - b'0')));
    let sum: u32 = vals
        .iter()
        .zip([9u32, 8, 7, 6, 5, 4, 3, 2])
        .map(|(v, w)| v * w)
        .sum();
    let expected = match 11 - sum % 11 {
        11 => b'0',
        10 => b'A',
        n => b'0' + n as u8,
    };
    (b[letters + 6] == expected).then(|| facts(&t, "HK", "hk_id"))
}

/// Philippine PhilSys number (PSN): 12 digits, written `####-#######-#`. No published check
/// digit: header evidence only.
pub fn ph_psn(v: &str) -> Option<ValueFacts> {
    let d = digits(v, b"- ")?;
    (d.len() == 12).then(|| facts(&d, "PH", "ph_psn"))
}

/// Philippine SSS number: 10 digits, written `##-#######-#`. Header evidence only.
pub fn ph_sss(v: &str) -> Option<ValueFacts> {
    let d = digits(v, b"- ")?;
    (d.len() == 10).then(|| facts(&d, "PH", "ph_sss"))
}

/// Philippine TIN: 9 digits plus an optional 3- or 5-digit branch code
/// (`123-456-789-000`). Header evidence only.
pub fn ph_tin(v: &str) -> Option<ValueFacts> {
    let d = digits(v, b"- ")?;
    matches!(d.len(), 9 | 12 | 14).then(|| facts(&d, "PH", "ph_tin"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digits() {
        assert!(tw_id("A123456789").is_some());
        assert!(tw_id("A123456788").is_none());
        assert!(hk_id("A123456(3)").is_some());
        assert!(hk_id("A123456(4)").is_none());
        assert!(my_nric("770305-02-1234").is_some());
        assert!(id_nik("3171011708450001").is_some());
    }
}
