//! Weaker value shapes: addresses, postal codes, gender, amounts, order ids, products, merchants,
//! usernames, plaintext passwords, bank accounts.

use crate::text::{count_digits, fold, is_han};
use crate::ValueFacts;

fn kind(k: &'static str, country: Option<&'static str>) -> Option<ValueFacts> {
    Some(ValueFacts {
        kind: Some(k),
        country,
        ..Default::default()
    })
}

/// Whether `v` may hold a letter: an ASCII letter, or any non-ASCII character (a cheap,
/// allocation-free gate for the word-based validators).
fn may_have_letters(v: &str) -> bool {
    v.bytes().any(|b| b.is_ascii_alphabetic() || !b.is_ascii())
}

/// Postal address by VN, CN and SG tokens; the country is the one whose tokens matched.
pub fn address(v: &str) -> Option<ValueFacts> {
    // Every address rule needs a word (a keyword, a street name): numbers, dates and amounts are
    // turned away before any folding.
    if !may_have_letters(v) {
        return None;
    }
    if v.chars().count() < 6 {
        return None;
    }
    // Han characters are encoded with lead bytes E3–E9: text without them (Vietnamese, Latin)
    // needs no decoding to know it has none.
    let han = v.bytes().any(|b| (0xE3..=0xE9).contains(&b)) && v.chars().any(is_han);
    if han {
        let marks = [
            '省', '市', '区', '县', '路', '街', '号', '镇', '村', '栋', '室', '楼', '道',
        ];
        let hits = marks.iter().filter(|m| v.contains(**m)).count();
        return (hits >= 2)
            .then_some(())
            .and_then(|_| kind("cn", Some("CN")));
    }
    // Two Vietnamese address words decide it (below): found word by word, folding each word
    // into one buffer and stopping at the second, most Vietnamese addresses are told without
    // folding and splitting the whole value (the row-country check of phone columns runs this
    // once per row). The same answer as the full pass: folding keeps spaces and commas.
    let mut word = String::with_capacity(24);
    let mut seen = 0u32;
    for w in v
        .split([' ', ','])
        .filter(|w| !w.is_empty() && w.len() <= 48)
    {
        // Address words fold to a word starting with one of these letters: a word that starts
        // with another ASCII byte is none (one starting with a non-ASCII letter is folded).
        let first = w.as_bytes()[0];
        if first.is_ascii() && !b"pqhxtdsnkaPQHXTDSNKA".contains(&first) {
            continue;
        }
        word.clear();
        crate::text::fold_into(w, &mut word);
        seen |= vn_address_word(&word);
        if seen.count_ones() >= 2 {
            return kind("vn", Some("VN"));
        }
    }
    let f = fold(v);
    let words: Vec<&str> = f.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    // One pass over the words: which VN and SG keywords occur (each counted once).
    let (mut vn_seen, mut sg_seen, mut blk) = (0u32, 0u32, false);
    for w in &words {
        vn_seen |= vn_address_word(w);
        sg_seen |= sg_address_word(w);
        blk |= matches!(*w, "blk" | "block");
    }
    // Two Vietnamese address words decide it without the phrase searches below.
    if vn_seen.count_ones() >= 2 {
        return kind("vn", Some("VN"));
    }
    let vn = vn_seen.count_ones() as usize
        + usize::from(f.contains("tp."))
        + usize::from(f.contains("ha noi") || f.contains("ho chi minh") || f.contains("da nang"));
    if vn >= 2 {
        return kind("vn", Some("VN"));
    }
    let sg_postal = f.contains("singapore")
        && words
            .iter()
            .any(|w| w.len() == 6 && w.bytes().all(|c| c.is_ascii_digit()));
    let sg = usize::from(blk)
        + usize::from(words.iter().any(|w| w.starts_with('#') && w.contains('-')))
        + 2 * usize::from(sg_postal)
        + sg_seen.count_ones() as usize;
    if sg >= 2 && count_digits(v) >= 1 {
        return kind("sg", Some("SG"));
    }
    street_address(&f, &words)
        .then_some(())
        .and_then(|_| kind("street", None))
}

/// Product words (folded), sorted for binary search.
fn product_vocab() -> &'static [&'static str] {
    static VOCAB: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    VOCAB.get_or_init(|| {
        let mut v = vec![
            "ao", "quan", "giay", "dep", "tui", "vi", "mu", "non", "kinh", "dong", "ho", "op",
            "lung", "sac", "cap", "tai", "nghe", "sua", "banh", "keo", "tra", "ca", "phe", "kem",
            "son", "nuoc", "hoa", "dau", "goi", "xa", "bo", "combo", "size", "set", "pack", "pcs",
            "kg", "g", "ml", "l", "box", "bottle", "shirt", "tee", "dress", "shoes", "bag", "case",
            "cable", "charger", "phone", "milk", "rice", "bread", "eggs", "chicken", "apple",
            "banana", "juice", "coffee", "tea", "soap", "shampoo", "chinh", "hang", "cao", "cap",
            "nam", "nu", "tre", "em", "x1", "x2", "fresh", "mix", "kit", "beer", "wine", "water",
            "oil", "sauce", "noodle", "noodles", "snack", "chips", "cream", "powder", "tuong",
            "noi", "chien", "giat", "bot",
        ];
        v.sort_unstable();
        v.dedup();
        v
    })
}

/// Bit of a Vietnamese address word (folded): `phuong`, `quan`, `huyen`, `xa`, `tinh`, `tp`,
/// `tp.`, `p.`, `q.`, `duong`, `thanh`, `pho`, `so`, `ngo`, `hem`, `kiet`, `ap`, `thon`; 0 for
/// any other word.
fn vn_address_word(w: &str) -> u32 {
    let i = match w {
        "phuong" => 0,
        "quan" => 1,
        "huyen" => 2,
        "xa" => 3,
        "tinh" => 4,
        "tp" => 5,
        "tp." => 6,
        "p." => 7,
        "q." => 8,
        "duong" => 9,
        "thanh" => 10,
        "pho" => 11,
        "so" => 12,
        "ngo" => 13,
        "hem" => 14,
        "kiet" => 15,
        "ap" => 16,
        "thon" => 17,
        _ => return 0,
    };
    1 << i
}

/// Bit of a Singapore street word (folded): `avenue`, `ave`, `road`, `rd`, `street`, `st`,
/// `drive`, `jalan`, `lorong`, `crescent`, `close`, `walk`, `way`, `lane`; 0 otherwise.
fn sg_address_word(w: &str) -> u32 {
    let i = match w {
        "avenue" => 0,
        "ave" => 1,
        "road" => 2,
        "rd" => 3,
        "street" => 4,
        "st" => 5,
        "drive" => 6,
        "jalan" => 7,
        "lorong" => 8,
        "crescent" => 9,
        "close" => 10,
        "walk" => 11,
        "way" => 12,
        "lane" => 13,
        _ => return 0,
    };
    1 << i
}

/// Street words of many countries (folded), and endings of compound street names.
const STREET_WORDS: &[&str] = &[
    "street",
    "st",
    "st.",
    "road",
    "rd",
    "rd.",
    "avenue",
    "ave",
    "ave.",
    "av",
    "av.",
    "way",
    "lane",
    "ln",
    "drive",
    "dr",
    "dr.",
    "boulevard",
    "blvd",
    "blvd.",
    "court",
    "ct",
    "place",
    "pl",
    "parkway",
    "pkwy",
    "highway",
    "hwy",
    "circle",
    "terrace",
    "square",
    "sq",
    "crescent",
    "close",
    "rua",
    "rue",
    "calle",
    "c/",
    "via",
    "viale",
    "strasse",
    "str.",
    "gasse",
    "weg",
    "laan",
    "straat",
    "gracht",
    "ul.",
    "ulica",
    "avenida",
    "praca",
    "plaza",
    "jalan",
    "jl.",
    "jln",
    "lorong",
    "soi",
    "thanon",
    "krt.",
    "utca",
    "ut",
    "carrer",
    "camino",
    "estrada",
];
const STREET_ENDINGS: &[&str] = &[
    "strasse", "straße", "straat", "veien", "vegen", "katu", "gatan", "gade", "vej", "gasse",
    "weg", "platz", "allee", "gracht", "kade", "laan", "tie",
];

/// A street address in Latin script: a house number and a street word (`1913 Hanoi Way`,
/// `Rua da Assunção 53`, `Theodor-Heuss-Straße 34`, `4, Rue Milton`).
fn street_address(folded: &str, words: &[&str]) -> bool {
    if words.len() < 2 || words.len() > 16 || folded.contains('@') {
        return false;
    }
    let number = words.iter().any(|w| {
        let d = w.bytes().take_while(u8::is_ascii_digit).count();
        (1..=5).contains(&d)
            && w[d..]
                .bytes()
                .all(|c| c.is_ascii_alphabetic() || matches!(c, b'/' | b'-' | b'.'))
            && w.len() - d <= 3
    });
    let street = words.iter().any(|w| {
        STREET_WORDS.contains(w)
            || STREET_ENDINGS
                .iter()
                .any(|e| w.len() > e.len() + 2 && w.ends_with(e))
    });
    number && street
}

/// Postal code shapes of any country: 3–10 letters and digits with at least one digit and at
/// most one space or dash (VN/CN/SG/MY/TH/ID 5–6 digits, PH 4, TW 3/5/6, US `98052-6399`,
/// CA `T2P 5M5`, GB `SW1A 1AA`, NL `1012 AB`, BR `01310-200`). Header evidence only.
pub fn postal_code(v: &str) -> Option<ValueFacts> {
    let b = v.as_bytes();
    let seps = b.iter().filter(|c| matches!(c, b' ' | b'-')).count();
    let ok = (3..=10).contains(&b.len())
        && seps <= 1
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b' ' | b'-'))
        && b.iter().any(u8::is_ascii_digit)
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric();
    ok.then(ValueFacts::default)
}

/// Gender words (EN/VI/ZH) and single-letter codes.
pub fn gender(v: &str) -> Option<ValueFacts> {
    let f = fold(v);
    let known = [
        "m", "f", "male", "female", "nam", "nu", "男", "女", "男性", "女性", "other", "khac",
        "unknown", "u", "man", "woman",
    ];
    known.contains(&f.as_str()).then(ValueFacts::default)
}

/// Gender coded as 0/1/2 (header evidence only).
pub fn gender_code(v: &str) -> Option<ValueFacts> {
    matches!(v, "0" | "1" | "2").then(ValueFacts::default)
}

/// Money amount: a number with optional thousands separators, decimals and currency marks.
/// `kind` is `decimal` (has cents), `round` (ends in 000 / separators) or `integer`.
pub fn amount(v: &str) -> Option<ValueFacts> {
    let trimmed = v
        .trim_start_matches(['$', '¥', '￥', '€', '£'])
        .trim_start_matches("S$")
        .trim_end_matches(['đ', '₫', '元', ' '])
        .trim_end_matches("VND")
        .trim_end_matches("SGD")
        .trim_end_matches("CNY")
        .trim();
    let b = trimmed.as_bytes();
    if b.is_empty() || b.len() > 18 || !b[0].is_ascii_digit() || !b[b.len() - 1].is_ascii_digit() {
        return None;
    }
    if !b
        .iter()
        .all(|c| c.is_ascii_digit() || *c == b'.' || *c == b',')
    {
        return None;
    }
    if b.len() > 1 && b[0] == b'0' && b[1] != b'.' && b[1] != b',' {
        return None;
    }
    // Groups between separators: the first 1-3 digits, the middle ones exactly 3, the last 3
    // (thousands) or 1-2 (decimals, after a separator different from the grouping one).
    let groups: Vec<&str> = trimmed.split(['.', ',']).collect();
    let seps: Vec<u8> = b.iter().copied().filter(|c| !c.is_ascii_digit()).collect();
    let k = if groups.len() == 1 {
        if trimmed.ends_with("000") {
            "round"
        } else {
            "integer"
        }
    } else {
        let last = groups[groups.len() - 1].len();
        let decimal = matches!(last, 1 | 2) && (seps.len() == 1 || seps[seps.len() - 1] != seps[0]);
        let middle_end = if decimal {
            groups.len() - 1
        } else {
            groups.len()
        };
        let thousands_ok = groups[0].len() <= 3 || middle_end == 1;
        let middle_ok = groups[1..middle_end].iter().all(|g| g.len() == 3);
        let grouping_same = seps[..if decimal { seps.len() - 1 } else { seps.len() }]
            .windows(2)
            .all(|w| w[0] == w[1]);
        if !(thousands_ok && middle_ok && grouping_same && (decimal || last == 3)) {
            return None;
        }
        if decimal {
            "decimal"
        } else {
            "round"
        }
    };
    let marked = trimmed.len() != v.len();
    kind(if marked { "currency" } else { k }, None)
}

/// Order / transaction / tracking id: 2–6 upper-case letters then at least 5 digits
/// (`DH2024000123`, `SO-000123`), upper-case alphanumeric codes of 10–24 characters with digits
/// and letters (`220319S7E5K4YA`), or long digit strings. Bare digit strings need header or
/// distribution evidence.
pub fn order_id(v: &str) -> Option<ValueFacts> {
    let b = v.as_bytes();
    if !(6..=32).contains(&b.len()) {
        return None;
    }
    let letters = b.iter().take_while(|c| c.is_ascii_uppercase()).count();
    let mut rest = &b[letters..];
    if letters > 0 && matches!(rest.first(), Some(b'-' | b'_' | b'#')) {
        rest = &rest[1..];
    }
    let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
    let tail = &rest[digits..];
    let tail_ok = tail.is_empty() || (tail.len() <= 3 && tail.iter().all(u8::is_ascii_uppercase));
    if (letters == 0 || (2..=6).contains(&letters)) && digits >= 5 && tail_ok {
        let kind = if letters == 0 && tail.is_empty() {
            "numeric"
        } else {
            "prefixed"
        };
        return Some(ValueFacts {
            kind: Some(kind),
            ..Default::default()
        });
    }
    let upper_alnum = b
        .iter()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    let nd = b.iter().filter(|c| c.is_ascii_digit()).count();
    let code = upper_alnum && (10..=24).contains(&b.len()) && nd >= 4 && b.len() - nd >= 2;
    code.then(|| ValueFacts {
        kind: Some("prefixed"),
        ..Default::default()
    })
}

/// SKU-like codes (`AB-123-XL`, `SP001-RED`) and product names with product vocabulary.
pub fn product(v: &str) -> Option<ValueFacts> {
    let b = v.as_bytes();
    let segs: Vec<&str> = v.split('-').collect();
    if b.len() <= 32
        && !v.contains(' ')
        && segs.len() >= 3
        && segs.iter().all(|s| {
            !s.is_empty()
                && s.bytes()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
    {
        return kind("sku", None);
    }
    // Every other rule needs a word.
    if !may_have_letters(v) {
        return None;
    }
    if v.chars().any(is_han) {
        let vocab = [
            "手机", "裙", "衣", "裤", "鞋", "包", "奶", "茶", "米", "油", "充电", "耳机", "套装",
            "礼盒", "装", "款", "克", "毫升", "旗舰", "正品", "包邮", "新款", "口红", "膏", "酱",
            "干", "空调", "肉", "酒", "豆", "面", "饼", "糖",
        ];
        let qty = ["g", "kg", "ml", "l", "克", "斤", "毫升", "瓶"]
            .iter()
            .any(|u| {
                v.match_indices(u)
                    .any(|(i, _)| v[..i].trim_end().ends_with(|c: char| c.is_ascii_digit()))
            });
        return (qty || vocab.iter().any(|w| v.contains(w)))
            .then_some(())
            .and_then(|_| kind("name", None));
    }
    let f = fold(v);
    let words: Vec<&str> = f
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let vocab = product_vocab();
    let hits = words
        .iter()
        .filter(|w| vocab.binary_search(w).is_ok())
        .count();
    let has_qty = words.iter().any(|w| {
        let d = w.bytes().take_while(u8::is_ascii_digit).count();
        d > 0
            && d < w.len()
            && matches!(
                &w[d..],
                "g" | "kg" | "ml" | "l" | "gb" | "pcs" | "cm" | "mm"
            )
    });
    // A phrase with lower-case words (names capitalise every word) and one product word.
    const STRONG: [&str; 27] = [
        "ao", "giay", "dep", "tui", "op", "sua", "banh", "keo", "kem", "combo", "size", "set",
        "pack", "box", "bottle", "shirt", "dress", "shoes", "bag", "cable", "charger", "milk",
        "rice", "juice", "coffee", "soap", "shampoo",
    ];
    let phrase = words.len() >= 3
        && words.iter().any(|w| STRONG.contains(w))
        && v.split_whitespace()
            .any(|w| w.chars().next().is_some_and(char::is_lowercase));
    (words.len() >= 2 && (hits >= 2 || has_qty || phrase))
        .then_some(())
        .and_then(|_| kind("name", None))
}

/// Shop / store names with merchant vocabulary (`Shop ...`, `Cửa hàng ...`, `...旗舰店`).
pub fn merchant(v: &str) -> Option<ValueFacts> {
    if !may_have_letters(v) {
        return None;
    }
    if v.chars().any(is_han) {
        let marks = ["店", "商行", "公司", "超市", "商城"];
        return marks
            .iter()
            .any(|m| v.contains(m))
            .then(ValueFacts::default);
    }
    let f = fold(v);
    let words: Vec<&str> = f
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let vocab = [
        "shop",
        "store",
        "mart",
        "official",
        "boutique",
        "outlet",
        "market",
        "trading",
        "enterprise",
        "pte",
        "ltd",
        "co",
        "company",
        "tnhh",
        "cua",
        "hang",
        "tap",
        "hoa",
        "goc",
        "nha",
        "cho",
        "tiem",
        "kho",
        "gioi",
        "house",
        "corner",
        "world",
    ];
    let hits = words.iter().filter(|w| vocab.contains(w)).count();
    (hits >= 1 && words.len() >= 2 && !f.contains('@')).then(ValueFacts::default)
}

/// Login handle: 3–32 of `[a-z0-9._-]`, at least one letter, no `@`.
pub fn username(v: &str) -> Option<ValueFacts> {
    let b = v.as_bytes();
    let ok = (3..=32).contains(&b.len())
        && b.iter().all(|c| {
            c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'.' | b'_' | b'-')
        })
        && b.iter().any(u8::is_ascii_lowercase)
        && b[0].is_ascii_alphanumeric();
    ok.then(ValueFacts::default)
}

/// Plaintext password candidate: 4–64 printable characters without spaces (header evidence only).
pub fn password(v: &str) -> Option<ValueFacts> {
    let ok = (4..=64).contains(&v.len()) && v.bytes().all(|c| c.is_ascii_graphic());
    ok.then(ValueFacts::default)
}

/// Bank account number: 6–20 digits, optional spaces/dashes (header evidence only).
pub fn bank_account(v: &str) -> Option<ValueFacts> {
    let d = crate::text::digits_only(v, b" -")?;
    (6..=20).contains(&d.len()).then(|| ValueFacts {
        normalized: Some(d),
        ..Default::default()
    })
}

/// Any non-empty value (for header-only detectors such as merchant ids).
pub fn any_value(v: &str) -> Option<ValueFacts> {
    (!v.is_empty()).then(ValueFacts::default)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert!(address("12 Nguyễn Huệ, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh").is_some());
        assert!(address("广东省深圳市南山区科技路8号").is_some());
        assert!(address("Blk 123 Ang Mo Kio Ave 3 #05-67 Singapore 560123").is_some());
        assert!(address("Áo thun nam").is_none());
        assert!(address("1913 Hanoi Way").is_some());
        assert!(address("Rua da Assunção 53").is_some());
        assert!(address("Theodor-Heuss-Straße 34").is_some());
        assert!(address("4, Rue Milton").is_some());
        assert!(address("Fresh Milk 1L").is_none());
        assert_eq!(amount("1.250.000").and_then(|f| f.kind), Some("round"));
        assert_eq!(amount("12.50").and_then(|f| f.kind), Some("decimal"));
        assert!(amount("0912345678").is_none());
        assert!(order_id("DH2024000123").is_some());
        assert!(order_id("SO-000123").is_some());
        assert!(order_id("5F4DCC3B5AA765D61D8327DEB882CF99").is_none());
        assert!(product("AB-123-XL").is_some());
        assert!(product("Áo thun nam size L").is_some());
        assert!(product("Nguyễn Văn An").is_none());
        assert!(merchant("Shop Thời Trang Hoa").is_some());
        assert!(username("nguyenvan_92").is_some());
        assert!(username("a@b.com").is_none());
        assert!(gender("Nữ").is_some());
    }
}
