//! Normalisers for identifiers, names and addresses — the single switch point to the detect
//! crate's `normalize` module once it lands. Both sides of a comparison (reference and sample)
//! always go through these same functions, so what matters most is that they are deterministic.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Lower-cased, trimmed e-mail address; `None` when it is not shaped like one.
pub fn email(value: &str) -> Option<String> {
    let v = value
        .trim()
        .trim_matches(|c| c == '<' || c == '>' || c == '"');
    let (local, domain) = v.split_once('@')?;
    if local.is_empty() || domain.len() < 3 || !domain.contains('.') || domain.contains('@') {
        return None;
    }
    if v.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    Some(v.to_lowercase())
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

/// Phone number in E.164 (`+6591234567`) when it has a `+`/`00` prefix or a default country is
/// given; otherwise its national digits marked `?` (only equal to the same national form).
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

/// Upper-cased national ID without separators, `None` unless 5–20 letters/digits with a digit.
pub fn national_id(value: &str) -> Option<String> {
    let v: String = value
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '.' | '/'))
        .collect::<String>()
        .to_uppercase();
    let ok = (5..=20).contains(&v.len())
        && v.chars().all(|c| c.is_ascii_alphanumeric())
        && v.chars().any(|c| c.is_ascii_digit());
    ok.then(|| format!("id:{v}"))
}

/// Lower-cased username, `None` when empty or implausibly long.
pub fn username(value: &str) -> Option<String> {
    let v = value.trim();
    (!v.is_empty() && v.chars().count() <= 64 && !v.chars().any(char::is_control))
        .then(|| v.to_lowercase())
}

fn fold_char(c: char, out: &mut String) {
    match c {
        'đ' | 'Đ' => out.push('d'),
        'ø' | 'Ø' => out.push('o'),
        'ł' | 'Ł' => out.push('l'),
        'ß' => out.push_str("ss"),
        'æ' | 'Æ' => out.push_str("ae"),
        _ => out.extend(c.to_lowercase()),
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F | 0xAC00..=0xD7AF)
}

/// Folds text to comparable tokens: diacritics removed (NFKD minus combining marks), lower case,
/// split on anything not alphanumeric; each CJK character is a token of its own. Sorted, deduped,
/// so token order does not matter.
pub fn tokens(value: &str) -> Vec<String> {
    let mut folded = String::with_capacity(value.len());
    for c in value.nfkd() {
        if !is_combining_mark(c) {
            fold_char(c, &mut folded);
        }
    }
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    for c in folded.chars() {
        if is_cjk(c) {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            out.push(c.to_string());
        } else if c.is_alphanumeric() {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out.sort();
    out.dedup();
    out
}

/// Name tokens (see [`tokens`]).
pub fn person_name(value: &str) -> Vec<String> {
    tokens(value)
}

/// Address tokens: [`tokens`] without one-letter tokens and common street words.
pub fn address(value: &str) -> Vec<String> {
    const STOP: &[&str] = &[
        "street", "st", "road", "rd", "avenue", "ave", "blk", "block", "unit", "no", "the", "of",
        "duong", "phuong", "quan",
    ];
    tokens(value)
        .into_iter()
        .filter(|t| {
            (t.chars().count() > 1 || t.chars().all(|c| c.is_ascii_digit() || is_cjk(c)))
                && !STOP.contains(&t.as_str())
        })
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
        assert_eq!(phone("0912345678", None).as_deref(), Some("?912345678"));
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
        assert_eq!(national_id("s1234567-d"), Some("id:S1234567D".into()));
        assert_eq!(national_id("abc"), None);
        assert_eq!(username(" Lan_88 ").as_deref(), Some("lan_88"));
    }
}
