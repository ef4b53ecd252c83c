//! Small text helpers shared by validators, header matching and normalisation.

/// Variants of each base letter (Vietnamese and Latin-1 accents), lower case.
const FOLD: &[(char, &str)] = &[
    ('a', "àáảãạăằắẳẵặâầấẩẫậäåāą"),
    ('e', "èéẻẽẹêềếểễệëēę"),
    ('i', "ìíỉĩịîïī"),
    ('o', "òóỏõọôồốổỗộơờớởỡợöøō"),
    ('u', "ùúủũụưừứửữựûüū"),
    ('y', "ỳýỷỹỵÿ"),
    ('d', "đ"),
    ('c', "çć"),
    ('n', "ñń"),
    ('s', "śš"),
    ('z', "žź"),
];

/// Folds one lower-case character to its base letter (`ế` → `e`, `đ` → `d`).
pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    for (base, variants) in FOLD {
        if variants.contains(c) {
            return *base;
        }
    }
    c
}

/// Lower-cases and removes diacritics (combining marks are dropped).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if ('\u{300}'..='\u{36f}').contains(&c) {
            continue;
        }
        for l in c.to_lowercase() {
            out.push(fold_char(l));
        }
    }
    out
}

/// True for CJK unified ideographs (the common and extension-A blocks).
pub fn is_han(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}

/// ASCII digits of `s`, in order, when `s` holds only digits and the given separators.
pub fn digits_only(s: &str, separators: &[u8]) -> Option<String> {
    let mut d = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_digit() {
            d.push(b as char);
        } else if !separators.contains(&b) {
            return None;
        }
    }
    Some(d)
}

/// Number of ASCII digits in `s`.
pub fn count_digits(s: &str) -> usize {
    s.bytes().filter(u8::is_ascii_digit).count()
}

/// Splits a header or phrase into folded alphanumeric tokens (`customerPhone` → `customer`, `phone`).
pub fn tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if c.is_alphanumeric() && !is_han(c) {
            if c.is_uppercase() && prev_lower && !cur.is_empty() {
                out.push(fold(&cur));
                cur.clear();
            }
            prev_lower = c.is_lowercase();
            cur.push(c);
        } else {
            if !cur.is_empty() {
                out.push(fold(&cur));
                cur.clear();
            }
            prev_lower = false;
            if is_han(c) {
                out.push(c.to_string());
            }
        }
    }
    if !cur.is_empty() {
        out.push(fold(&cur));
    }
    out
}

/// Folded form without separators, used for header matching (`Số điện thoại` → `sodienthoai`).
pub fn compact(s: &str) -> String {
    fold(s).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Parses a table of lines `key rest...` (comments with `#`, blank lines skipped).
pub fn data_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(fold("Nguyễn Thị Ánh Đào"), "nguyen thi anh dao");
        assert_eq!(compact("Số điện thoại"), "sodienthoai");
        assert_eq!(fold("Nguye\u{302}\u{303}n"), "nguyen");
    }

    #[test]
    fn splits_tokens() {
        assert_eq!(tokens("customerPhone_no"), vec!["customer", "phone", "no"]);
        assert_eq!(tokens("收货人手机"), vec!["收", "货", "人", "手", "机"]);
    }
}
