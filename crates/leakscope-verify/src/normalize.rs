//! Normalisers for identifiers, names and addresses. E-mail, phone and national-ID forms are the
//! canonical ones of `leakscope_detect::normalize` (shared with the breach corpus), so an
//! identifier hashes the same in a reference index, a sample and the corpus; this module only adds
//! the phone fallbacks for national spellings and the name/address tokenisers. Changing what these
//! return changes the hashed bytes: bump the index format (`index::FORMAT`) when it does.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Canonical e-mail (`leakscope_detect::normalize::email`): trimmed, unwrapped from `<…>` or
/// quotes, lower-cased; `None` when it does not validate.
pub fn email(value: &str) -> Option<String> {
    leakscope_detect::normalize::email(value)
}

/// Calling code of a country (ISO 3166-1 alpha-2) for the countries leakscope's cases involve.
pub fn calling_code(iso2: &str) -> Option<&'static str> {
    const CODES: &[(&str, &str)] = &[
        ("SG", "65"),
        ("VN", "84"),
        ("CN", "86"),
        ("MY", "60"),
        ("ID", "62"),
        ("TH", "66"),
        ("PH", "63"),
        ("US", "1"),
        ("CA", "1"),
        ("GB", "44"),
        ("IN", "91"),
        ("AU", "61"),
        ("DE", "49"),
        ("FR", "33"),
        ("JP", "81"),
        ("KR", "82"),
        ("HK", "852"),
        ("TW", "886"),
        ("NL", "31"),
        ("ES", "34"),
        ("IT", "39"),
        ("BR", "55"),
        ("MX", "52"),
    ];
    CODES
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(iso2))
        .map(|(_, cc)| *cc)
}

/// Phone number in E.164 (`+6591234567`). International spellings (`+`/`00`) are read directly;
/// national spellings go through the detect crate (VN/CN/SG formats, libphonenumber metadata for
/// `default_country`); failing that, `default_country`'s calling code is prefixed, or the national
/// digits are kept marked `?` (only equal to the same national form).
pub fn phone(value: &str, default_country: Option<&str>) -> Option<String> {
    let v = value.trim();
    if v.chars()
        .any(|c| c.is_alphabetic() && !matches!(c, 'x' | 'X' | 'e' | 'E' | 't'))
    {
        return None;
    }
    let v = v.split(['x', 'X']).next().unwrap_or("");
    let plus = v.starts_with('+');
    let digits: String = v.chars().filter(|c| c.is_ascii_digit()).collect();
    if plus || digits.starts_with("00") {
        let d = if plus { digits.as_str() } else { &digits[2..] };
        return (8..=15).contains(&d.len()).then(|| format!("+{d}"));
    }
    if let Some((e164, _)) = leakscope_detect::normalize::phone(v, default_country) {
        return Some(e164);
    }
    let national = digits.trim_start_matches('0');
    if !(6..=14).contains(&national.len()) {
        return None;
    }
    match default_country.and_then(calling_code) {
        Some(cc) if national.starts_with(cc) && national.len() >= cc.len() + 8 => {
            Some(format!("+{national}"))
        }
        Some(cc) => Some(format!("+{cc}{national}")),
        None => Some(format!("?{national}")),
    }
}

/// Canonical national ID key (`leakscope_detect::normalize::national_id_key`): `kind:VALUE`,
/// separators removed, upper case, the kind taken from the value; `None` unless plausible.
pub fn national_id(value: &str) -> Option<String> {
    leakscope_detect::normalize::national_id_key(value)
}

/// Lower-cased username, `None` when empty or implausibly long.
pub fn username(value: &str) -> Option<String> {
    let v = value.trim();
    (!v.is_empty() && v.chars().count() <= 64 && !v.chars().any(char::is_control))
        .then(|| v.to_lowercase())
}

fn fold_char(c: char, out: &mut impl FnMut(char)) {
    match c {
        'đ' | 'Đ' => out('d'),
        'ø' | 'Ø' => out('o'),
        'ł' | 'Ł' => out('l'),
        'ß' => "ss".chars().for_each(out),
        'æ' | 'Æ' => "ae".chars().for_each(out),
        _ => c.to_lowercase().for_each(out),
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F | 0xAC00..=0xD7AF)
}

/// Calls `f` with each token of `value` in order (possibly repeated): diacritics removed (NFKD
/// minus combining marks), lower case, split on anything not alphanumeric; each CJK character is
/// a token of its own. Allocates one small buffer, not one string per token.
pub fn for_each_token(value: &str, f: &mut dyn FnMut(&str)) {
    let mut cur = String::new();
    let mut step = |c: char, cur: &mut String| {
        if is_cjk(c) {
            if !cur.is_empty() {
                f(cur);
                cur.clear();
            }
            let mut b = [0u8; 4];
            f(c.encode_utf8(&mut b));
        } else if c.is_alphanumeric() {
            cur.push(c);
        } else if !cur.is_empty() {
            f(cur);
            cur.clear();
        }
    };
    if value.is_ascii() {
        // Fast path: nothing to decompose.
        for b in value.bytes() {
            step(char::from(b.to_ascii_lowercase()), &mut cur);
        }
    } else {
        for c in value.nfkd() {
            if !is_combining_mark(c) {
                fold_char(c, &mut |x| step(x, &mut cur));
            }
        }
    }
    if !cur.is_empty() {
        step(' ', &mut cur);
    }
}

/// Folds text to comparable tokens (see [`for_each_token`]). Sorted, deduped, so token order does
/// not matter.
pub fn tokens(value: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for_each_token(value, &mut |t| out.push(t.to_string()));
    out.sort();
    out.dedup();
    out
}

/// Name tokens (see [`tokens`]).
pub fn person_name(value: &str) -> Vec<String> {
    tokens(value)
}

/// Whether an address token is kept: not a one-letter token (unless a digit or CJK character)
/// and not a common street word.
pub fn address_token_kept(t: &str) -> bool {
    const STOP: &[&str] = &[
        "street", "st", "road", "rd", "avenue", "ave", "blk", "block", "unit", "no", "the", "of",
        "duong", "phuong", "quan",
    ];
    let mut chars = t.chars();
    let first = chars.next();
    let single = chars.next().is_none();
    (!single || first.is_some_and(|c| c.is_ascii_digit() || is_cjk(c))) && !STOP.contains(&t)
}

/// Address tokens: [`tokens`] without one-letter tokens and common street words.
pub fn address(value: &str) -> Vec<String> {
    tokens(value)
        .into_iter()
        .filter(|t| address_token_kept(t))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_fold_case_and_reject_junk() {
        assert_eq!(
            email(" Ng.Lan@Example.COM ").as_deref(),
            Some("ng.lan@example.com")
        );
        assert_eq!(email("no-at-sign.com"), None);
        assert_eq!(email("a@b"), None);
        assert_eq!(email("a b@c.com"), None);
    }

    #[test]
    fn phones_reach_the_same_e164_from_different_spellings() {
        let a = phone("+65 9123 4567", None);
        assert_eq!(a.as_deref(), Some("+6591234567"));
        assert_eq!(phone("0065-9123-4567", None), a);
        assert_eq!(phone("9123 4567", Some("SG")), a);
        assert_eq!(phone("6591234567", Some("SG")), a);
        assert_eq!(
            phone("0912 345 678", Some("VN")).as_deref(),
            Some("+84912345678")
        );
        // National VN formats are recognised without a default country (detect's tables).
        assert_eq!(phone("0912345678", None).as_deref(), Some("+84912345678"));
        assert_eq!(phone("call me", None), None);
        assert_eq!(phone("12", None), None);
    }

    #[test]
    fn names_ignore_diacritics_case_and_order() {
        assert_eq!(person_name("Nguyễn Thị Đào"), person_name("dao THI nguyen"));
        assert_ne!(person_name("Nguyen Thi Dao"), person_name("Nguyen Thi Lan"));
        assert_eq!(person_name("王小明"), vec!["小", "明", "王"]);
        assert_eq!(
            person_name("José  MÜLLER-Ørsted"),
            vec!["jose", "muller", "orsted"]
        );
    }

    #[test]
    fn addresses_drop_filler_words_and_national_ids_drop_separators() {
        assert_eq!(
            address("Blk 12, Tampines St 45, #03-12"),
            vec!["03", "12", "45", "tampines"]
        );
        assert_eq!(
            national_id("s1234567-d"),
            Some("sg_nric_fin:S1234567D".into())
        );
        assert_eq!(national_id("abc"), None);
        assert_eq!(username(" Lan_88 ").as_deref(), Some("lan_88"));
    }
}
