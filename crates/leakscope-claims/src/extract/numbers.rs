//! Numbers in the folded text: digits with thousands separators (`1,812,440`, `60.000`,
//! `512, 300`), decimals (`2.3`, `2,4`), scale words (`million`, `triệu`, `万`, `亿`, `k`, `M`),
//! Chinese numerals (`十万`, `两千万`, `一亿二千万`) and number words (`two million`,
//! `hai tháng`). Scale words come from `rules/quantities.toml` (`scale:` entries).

use crate::lexicon::Lexicon;
use crate::text::Text;

/// A number found in the folded text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Num {
    /// Value (scale applied).
    pub value: f64,
    /// Folded start.
    pub start: usize,
    /// Folded end (after the scale word, if any).
    pub end: usize,
    /// Significant digits as written (`1.8M` → 2, `1,812,440` → 6).
    pub sig: u32,
    /// Written as a plain 4-digit number 1900–2100 (a year).
    pub year_like: bool,
    /// Has a scale word.
    pub scaled: bool,
    /// Written with digits (not words).
    pub digits: bool,
}

const ZH_DIGITS: &[(char, u64)] = &[
    ('零', 0),
    ('〇', 0),
    ('一', 1),
    ('壹', 1),
    ('二', 2),
    ('贰', 2),
    ('貳', 2),
    ('两', 2),
    ('兩', 2),
    ('三', 3),
    ('叁', 3),
    ('參', 3),
    ('四', 4),
    ('肆', 4),
    ('五', 5),
    ('伍', 5),
    ('六', 6),
    ('陆', 6),
    ('陸', 6),
    ('七', 7),
    ('柒', 7),
    ('八', 8),
    ('捌', 8),
    ('九', 9),
    ('玖', 9),
];
const ZH_UNITS: &[(char, u64)] = &[
    ('十', 10),
    ('拾', 10),
    ('百', 100),
    ('佰', 100),
    ('千', 1000),
    ('仟', 1000),
];
const ZH_BIG: &[(char, u64)] = &[
    ('万', 10_000),
    ('萬', 10_000),
    ('亿', 100_000_000),
    ('億', 100_000_000),
];

const EN_WORDS: &[(&str, u64)] = &[
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
    ("a", 1),
    ("an", 1),
    ("half a", 0),
    ("mot", 1),
    ("hai", 2),
    ("ba", 3),
    ("bon", 4),
    ("nam", 5),
    ("sau", 6),
    ("bay", 7),
    ("tam", 8),
    ("chin", 9),
    ("muoi", 10),
];

/// Finds every number in `folded`.
pub fn find(t: &Text, lex: &Lexicon, lang: &str) -> Vec<Num> {
    let folded = t.folded.as_str();
    let mut out = Vec::new();
    let b = folded.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = folded[i..].chars().next().unwrap_or(' ');
        if c.is_ascii_digit() && !prev_blocks(folded, i) {
            if let Some(n) = digits_at(t, i, lex, lang) {
                i = n.end.max(i + 1);
                out.push(n);
                continue;
            }
        } else if zh_value(c).is_some() {
            if let Some(n) = zh_at(t, i, lex, lang) {
                i = n.end.max(i + 1);
                out.push(n);
                continue;
            }
        } else if c.is_ascii_alphabetic() && word_start(folded, i) {
            if let Some(n) = words_at(t, i, lex, lang) {
                i = n.end;
                out.push(n);
                continue;
            }
        }
        i += c.len_utf8();
    }
    out
}

fn prev_blocks(s: &str, i: usize) -> bool {
    s[..i].chars().last().is_some_and(|p| {
        p.is_ascii_alphanumeric()
            || p == '.'
            || p == '_'
            || p == '/'
            || p == '-' && s[..i - 1].ends_with(|c: char| c.is_ascii_alphanumeric())
    })
}

fn word_start(s: &str, i: usize) -> bool {
    !s[..i].chars().last().is_some_and(|p| p.is_alphanumeric())
}

fn zh_value(c: char) -> Option<u64> {
    ZH_DIGITS
        .iter()
        .chain(ZH_UNITS)
        .chain(ZH_BIG)
        .find(|(z, _)| *z == c)
        .map(|(_, v)| *v)
}

/// Digits with separators, decimals and a scale word.
fn digits_at(t: &Text, start: usize, lex: &Lexicon, lang: &str) -> Option<Num> {
    let s = t.folded.as_str();
    let b = s.as_bytes();
    let run = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let first = run(start);
    let mut end = start + first;
    let mut int_digits = s[start..end].to_string();
    let mut frac = String::new();
    let mut groups = 0;
    let mut group_sep: Option<&str> = None;
    // Thousands groups: [sep]ddd not followed by another digit.
    if first <= 3 {
        loop {
            let sep = [", ", ",", ".", "\u{a0}"]
                .into_iter()
                .find(|sep| s[end..].starts_with(sep) && group_sep.is_none_or(|g| g == *sep));
            let Some(sep) = sep else { break };
            let after = end + sep.len();
            let n = run(after);
            if n != 3 {
                break;
            }
            groups += 1;
            group_sep = Some(sep);
            int_digits.push_str(&s[after..after + 3]);
            end = after + 3;
        }
    }
    // A single ".ddd" group before a scale word in English is a decimal ("1.250 million").
    if groups == 1 && group_sep == Some(".") && lang == "en" {
        let after = skip_space(s, end);
        if lex.prefix_at(t, after, "scale", lang).is_some() {
            let (ip, fp) = int_digits.split_at(int_digits.len() - 3);
            frac = fp.to_string();
            int_digits = ip.to_string();
        }
    }
    // Decimal part.
    if frac.is_empty() {
        for sep in [".", ","] {
            if s[end..].starts_with(sep) && Some(sep) != group_sep {
                let n = run(end + 1);
                if n > 0 && !(groups == 0 && n == 3 && sep == ",") {
                    frac = s[end + 1..end + 1 + n].to_string();
                    end += 1 + n;
                }
                break;
            }
        }
    }
    // No digit or letter may follow directly (dates, versions, codes).
    if s[end..].starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let mut value: f64 = format!("{int_digits}.{frac}0").parse().ok()?;
    let sig_str = format!("{int_digits}{frac}");
    let sig = sig_str
        .trim_start_matches('0')
        .trim_end_matches('0')
        .len()
        .max(1) as u32;
    let year_like =
        groups == 0 && frac.is_empty() && first == 4 && (1900.0..=2100.0).contains(&value);
    let mut scaled = false;
    let after = skip_space(s, end);
    if let Some((e, entry)) = lex.prefix_at(t, after, "scale", lang) {
        let word = &s[after..e];
        // A single-letter scale ("k", "m", "b") must touch the number: "1.2m", "8k".
        if word.len() > 1 || after == end {
            let mult: f64 = lex.value(entry).parse().unwrap_or(1.0);
            value *= mult;
            end = e;
            scaled = true;
            // 1亿2000万
            if mult >= 1e8 {
                if let Some(rest) = digits_at(t, end, lex, lang) {
                    if rest.scaled && rest.value < mult {
                        value += rest.value;
                        end = rest.end;
                    }
                }
            }
        }
    }
    Some(Num {
        value,
        start,
        end,
        sig,
        year_like: year_like && !scaled,
        scaled,
        digits: true,
    })
}

fn skip_space(s: &str, mut i: usize) -> usize {
    while s[i..].starts_with(' ') {
        i += 1;
    }
    i
}

/// Chinese numerals (`十万`, `两千万`, `一亿二千万`, `三百`), optionally after digits were not
/// found; a trailing scale character is part of the numeral.
fn zh_at(t: &Text, start: usize, lex: &Lexicon, lang: &str) -> Option<Num> {
    let s = t.folded.as_str();
    let mut end = start;
    let mut chars = Vec::new();
    for c in s[start..].chars() {
        if zh_value(c).is_none() {
            break;
        }
        chars.push(c);
        end += c.len_utf8();
    }
    // A lone digit character only counts before a counter/unit ("两个月", "三天").
    let only_digit = chars.len() == 1 && ZH_DIGITS.iter().any(|(z, _)| *z == chars[0]);
    if only_digit
        && lex.prefix_at(t, end, "durunit", lang).is_none()
        && lex.prefix_at(t, end, "unit", lang).is_none()
        && lex.prefix_at(t, end, "agounit", lang).is_none()
        && !s[end..].starts_with('个')
        && !s[end..].starts_with('個')
    {
        return None;
    }
    if chars.len() == 1 && ZH_BIG.iter().chain(ZH_UNITS).any(|(z, _)| *z == chars[0]) {
        // "万" or "千" alone is not a number.
        return None;
    }
    let value = parse_zh(&chars)?;
    Some(Num {
        value: value as f64,
        start,
        end,
        sig: value.to_string().trim_end_matches('0').len().max(1) as u32,
        year_like: false,
        scaled: chars
            .iter()
            .any(|c| ZH_BIG.iter().chain(ZH_UNITS).any(|(z, _)| z == c)),
        digits: false,
    })
}

/// Standard reading: sections split by 亿 and 万, each a sum of digit × (十|百|千).
pub fn parse_zh(chars: &[char]) -> Option<u64> {
    let mut total: u64 = 0;
    let mut section: u64 = 0;
    let mut digit: Option<u64> = None;
    for &c in chars {
        if let Some((_, d)) = ZH_DIGITS.iter().find(|(z, _)| *z == c) {
            digit = Some(*d);
        } else if let Some((_, u)) = ZH_UNITS.iter().find(|(z, _)| *z == c) {
            section += digit.unwrap_or(1) * u;
            digit = None;
        } else if let Some((_, big)) = ZH_BIG.iter().find(|(z, _)| *z == c) {
            section += digit.unwrap_or(0);
            digit = None;
            let section_value = if section == 0 { 1 } else { section };
            if *big == 100_000_000 {
                total = (total + section_value) * big;
            } else {
                total += section_value * big;
            }
            section = 0;
        } else {
            return None;
        }
    }
    section += digit.unwrap_or(0);
    Some(total + section)
}

/// Number words before a scale or a unit: "two million", "a million", "hai tháng".
fn words_at(t: &Text, start: usize, lex: &Lexicon, lang: &str) -> Option<Num> {
    let s = t.folded.as_str();
    let rest = &s[start..];
    // English number words in English posts, Vietnamese ones in Vietnamese posts ("tên" folds
    // to "ten").
    let words: &[(&str, u64)] = if lang == "vi" {
        &EN_WORDS[34..]
    } else {
        &EN_WORDS[..34]
    };
    let (word, base) = words
        .iter()
        .filter(|(w, _)| {
            rest.starts_with(w) && !rest[w.len()..].starts_with(|c: char| c.is_alphanumeric())
        })
        .max_by_key(|(w, _)| w.len())?;
    let mut end = start + word.len();
    let mut value = *base as f64;
    if *word == "half a" {
        value = 0.5;
    }
    // "twenty five"
    if *base >= 20 && base % 10 == 0 {
        let after = skip_space(s, end);
        if let Some((w, u)) = EN_WORDS
            .iter()
            .find(|(w, u)| *u < 10 && *u > 0 && w.len() > 2 && s[after..].starts_with(w))
        {
            value += *u as f64;
            end = after + w.len();
        }
    }
    let after = skip_space(s, end);
    if let Some((e, entry)) = lex.prefix_at(t, after, "scale", lang) {
        if e - after > 1 {
            value *= lex.value(entry).parse::<f64>().unwrap_or(1.0);
            return Some(Num {
                value,
                start,
                end: e,
                sig: 2,
                year_like: false,
                scaled: true,
                digits: false,
            });
        }
    }
    // Without a scale the word must be a real number word followed by a duration / ago / stale
    // unit ("two years", "hai tháng"): "a" / "an" alone never count.
    if matches!(*word, "a" | "an" | "half a") {
        return None;
    }
    let unit_follows = ["durunit", "agounit", "stale", "unit"]
        .iter()
        .any(|f| lex.prefix_at(t, after, f, lang).is_some());
    unit_follows.then_some(Num {
        value,
        start,
        end,
        sig: 1,
        year_like: false,
        scaled: false,
        digits: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rules;

    fn values(s: &str, lang: &str) -> Vec<f64> {
        let rules = Rules::builtin().unwrap();
        find(&Text::new(s.to_string()), &rules.lex, lang)
            .iter()
            .map(|n| n.value)
            .collect()
    }

    #[test]
    fn separators_decimals_and_scales() {
        assert_eq!(values("1,812,440 users", "en"), vec![1_812_440.0]);
        assert_eq!(values("about 512, 300 people", "en"), vec![512_300.0]);
        assert_eq!(values("hơn 60.000 khách hàng", "vi"), vec![60_000.0]);
        assert_eq!(
            values("khoảng 2,4 triệu tài khoản", "vi"),
            vec![2_400_000.0]
        );
        assert_eq!(values("2.3 million accounts", "en"), vec![2_300_000.0]);
        assert_eq!(
            values("1.8M users and 8k rows", "en"),
            vec![1_800_000.0, 8_000.0]
        );
        assert_eq!(values("40 triệu bản ghi", "vi"), vec![40_000_000.0]);
        assert_eq!(values("共计约2300万条", "zh"), vec![23_000_000.0]);
        assert_eq!(values("1.2亿条", "zh"), vec![120_000_000.0]);
        assert_eq!(values("1亿2000万", "zh"), vec![120_000_000.0]);
        assert_eq!(values("3.4 TB", "en"), vec![3.4]);
    }

    #[test]
    fn chinese_numerals_and_words() {
        assert_eq!(values("十万条", "zh"), vec![100_000.0]);
        assert_eq!(values("两千万用户", "zh"), vec![20_000_000.0]);
        assert_eq!(values("一亿二千万", "zh"), vec![120_000_000.0]);
        assert_eq!(values("暴露了两个月", "zh"), vec![2.0]);
        assert_eq!(values("统一管理", "zh"), Vec::<f64>::new());
        assert_eq!(values("two million users", "en"), vec![2_000_000.0]);
        assert_eq!(values("half a million", "en"), vec![500_000.0]);
        assert_eq!(values("exposed for two months", "en"), vec![2.0]);
        assert_eq!(values("a user", "en"), Vec::<f64>::new());
    }

    #[test]
    fn dates_and_codes_are_not_split_into_numbers() {
        assert_eq!(values("2025-10-14", "en"), vec![2025.0]);
        assert!(values("CVE-2024-1234 v2.3.1 A05", "en")
            .iter()
            .all(|v| *v != 5.0));
    }
}
