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

/// Every variant of [`FOLD`] with its base letter, sorted by variant (binary-searched: folding
/// is on the per-value path of address, name and header checks).
fn fold_table() -> &'static [(char, char)] {
    static TABLE: std::sync::OnceLock<Vec<(char, char)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t: Vec<(char, char)> = Vec::new();
        for (base, variants) in FOLD {
            for v in variants.chars() {
                // The first base listing a variant wins, as in a linear scan of FOLD.
                if !t.iter().any(|&(x, _)| x == v) {
                    t.push((v, *base));
                }
            }
        }
        t.sort_unstable();
        t
    })
}

/// [`fold_table`] plus the upper-case forms of its variants (those whose lower case is exactly
/// the variant), so `fold` maps `Ế` straight to `e` without lower-casing first.
fn fold_table_any_case() -> &'static [(char, char)] {
    static TABLE: std::sync::OnceLock<Vec<(char, char)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let lower = fold_table();
        let mut t: Vec<(char, char)> = lower.to_vec();
        for &(v, base) in lower {
            for u in v.to_uppercase() {
                let mut l = u.to_lowercase();
                if l.next() == Some(v) && l.next().is_none() && !t.iter().any(|&(x, _)| x == u) {
                    t.push((u, base));
                }
            }
        }
        t.sort_unstable();
        t
    })
}

/// Folds one lower-case character to its base letter (`ế` → `e`, `đ` → `d`).
#[inline]
pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    let t = fold_table();
    match t.binary_search_by(|&(v, _)| v.cmp(&c)) {
        Ok(i) => t[i].1,
        Err(_) => c,
    }
}

/// [`str::trim`], answered from the first and last byte when neither is whitespace (almost
/// every cell of a dump): the same result, without the Unicode scan per cell.
#[inline]
pub fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(&a), Some(&b))
            if a.is_ascii()
                && !a.is_ascii_whitespace()
                && b.is_ascii()
                && !b.is_ascii_whitespace() =>
        {
            s
        }
        _ => s.trim(),
    }
}

/// Lower-cases and removes diacritics (combining marks are dropped).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// [`fold`], appended to `out` (a buffer reused across calls). Folding maps letters to letters
/// and keeps every ASCII character, so folding words one by one gives the words of the folded
/// text.
pub fn fold_into(s: &str, out: &mut String) {
    if s.is_ascii() {
        let from = out.len();
        out.push_str(s);
        out[from..].make_ascii_lowercase();
        return;
    }
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        if ('\u{300}'..='\u{36f}').contains(&c) {
            continue;
        }
        let t = fold_table_any_case();
        if let Ok(i) = t.binary_search_by(|&(v, _)| v.cmp(&c)) {
            out.push(t[i].1);
            continue;
        }
        for l in c.to_lowercase() {
            out.push(fold_char(l));
        }
    }
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

    /// The folding of the first version (a linear scan of `FOLD` per character), kept as the
    /// reference the table-driven one must equal.
    fn fold_char_reference(c: char) -> char {
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

    fn fold_reference(s: &str) -> String {
        let mut out = String::new();
        for c in s.chars() {
            if ('\u{300}'..='\u{36f}').contains(&c) {
                continue;
            }
            for l in c.to_lowercase() {
                out.push(fold_char_reference(l));
            }
        }
        out
    }

    #[test]
    fn table_folding_equals_the_linear_scan_on_every_character() {
        for cp in 0..0x3_0000u32 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            assert_eq!(fold_char(c), fold_char_reference(c), "U+{cp:04X}");
            let s = format!("Ab{c}Đ ế\u{303}x");
            assert_eq!(fold(&s), fold_reference(&s), "U+{cp:04X}");
        }
        for s in [
            "",
            "ABC def",
            "Số 12 Đường Lê Lợi, Phường Bến Nghé",
            "İstanbul",
            "ΣΑΣ",
        ] {
            assert_eq!(fold(s), fold_reference(s), "{s}");
        }
    }

    #[test]
    fn splits_tokens() {
        assert_eq!(tokens("customerPhone_no"), vec!["customer", "phone", "no"]);
        assert_eq!(tokens("收货人手机"), vec!["收", "货", "人", "手", "机"]);
    }

    #[test]
    fn trim_is_str_trim() {
        for v in [
            "",
            " ",
            "a",
            " a",
            "a ",
            "\u{3000}a\u{3000}",
            "\u{a0}x",
            "x\u{a0}",
            "ab\tc",
            "\n",
            "Nguyễn",
            " Nguyễn ",
            "\u{1f600}",
            "a\u{2003}",
        ] {
            assert_eq!(trim(v), v.trim(), "{v:?}");
        }
    }
}
