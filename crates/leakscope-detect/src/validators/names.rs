//! Person names from real name lists (`data/names/`): US Census given names and surnames, the
//! Hundred Family Surnames (simplified and traditional), Vietnamese family/middle/given names,
//! Malay, Indonesian, Thai and Filipino given names. A name column is told from a company,
//! product or place column by how many of its values these lists recognise.

use crate::text::{data_lines, fold, is_han};
use crate::{ColumnVerdict, DataClass, ValueFacts};
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Section files (`section: words`), merged by section name.
const SECTION_FILES: &[&str] = &[
    include_str!("../../data/names.txt"),
    include_str!("../../data/names/cn.txt"),
    include_str!("../../data/names/vn.txt"),
    include_str!("../../data/names/sea.txt"),
];

/// Decodes a front-coded word list (see the header of `data/names/en_given.txt`).
fn front_coded(text: &'static str) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut prev = String::new();
    for tok in data_lines(text).flat_map(str::split_whitespace) {
        let mut cs = tok.chars();
        let Some(n) = cs.next().and_then(|c| c.to_digit(36)) else {
            continue;
        };
        let mut w: String = prev.chars().take(n as usize).collect();
        w.push_str(cs.as_str());
        out.insert(w.clone());
        prev = w;
    }
    out
}

struct Dict {
    sections: HashMap<&'static str, HashSet<&'static str>>,
    en_given: HashSet<String>,
    en_surnames: HashSet<String>,
}

fn dict() -> &'static Dict {
    static D: OnceLock<Dict> = OnceLock::new();
    D.get_or_init(|| {
        let mut sections: HashMap<&'static str, HashSet<&'static str>> = HashMap::new();
        for text in SECTION_FILES {
            for (k, v) in data_lines(text).filter_map(|l| l.split_once(':')) {
                sections
                    .entry(k.trim())
                    .or_default()
                    .extend(v.split_whitespace());
            }
        }
        Dict {
            sections,
            en_given: front_coded(include_str!("../../data/names/en_given.txt")),
            en_surnames: front_coded(include_str!("../../data/names/en_surnames.txt")),
        }
    })
}

fn in_dict(section: &str, word: &str) -> bool {
    dict()
        .sections
        .get(section)
        .is_some_and(|s| s.contains(word))
}

/// A folded word that is a given name in any covered market.
pub fn given_name(w: &str) -> bool {
    let d = dict();
    d.en_given.contains(w)
        || [
            "latin_given",
            "vn_given",
            "my_given",
            "id_given",
            "th_given",
            "ph_given",
        ]
        .iter()
        .any(|s| in_dict(s, w))
}

/// A folded word that is a family name in any covered market.
pub fn surname(w: &str) -> bool {
    dict().en_surnames.contains(w) || in_dict("latin_surnames", w) || in_dict("vn_surnames", w)
}

fn han_surname(c: &str) -> bool {
    in_dict("cn_surnames", c) || in_dict("cn_traditional", c)
}

/// Chinese name: 2–4 Han characters starting with a single or compound surname.
fn han_name(v: &str) -> bool {
    let chars: Vec<char> = v.chars().filter(|c| *c != '·' && *c != '•').collect();
    if !(2..=4).contains(&chars.len()) || !chars.iter().all(|c| is_han(*c)) {
        return false;
    }
    let first: String = chars[..1].iter().collect();
    let two: String = chars[..2].iter().collect();
    (chars.len() >= 3 && (in_dict("cn_compound", &two) || in_dict("cn_traditional", &two)))
        || han_surname(&first)
}

fn is_thai(c: char) -> bool {
    ('\u{0e00}'..='\u{0e7f}').contains(&c)
}

/// Thai name in Thai script: an optional title, then a known given name and a family name.
fn thai_name(v: &str) -> bool {
    let toks: Vec<&str> = v
        .split_whitespace()
        .filter(|t| !in_dict("th_titles", t))
        .collect();
    (2..=3).contains(&toks.len())
        && toks.iter().all(|t| t.chars().all(is_thai))
        && (in_dict("th_given", toks[0]) || v.split_whitespace().any(|t| in_dict("th_titles", t)))
}

/// A token written like a name: `Nguyễn`, `NGUYỄN`, `O'Brien`, `Jean-Luc` (letters only,
/// capitalised or all caps).
fn name_cased(t: &str) -> bool {
    let mut cs = t.chars();
    let Some(first) = cs.next() else { return false };
    if !first.is_uppercase()
        || !t
            .chars()
            .all(|c| c.is_alphabetic() || c == '\'' || c == '-' || c == '.')
    {
        return false;
    }
    let rest: Vec<char> = cs.collect();
    rest.iter().all(|c| c.is_lowercase() || !c.is_alphabetic())
        || rest.iter().all(|c| c.is_uppercase() || !c.is_alphabetic())
        || t.contains(['\'', '-'])
}

fn particle(t: &str) -> bool {
    in_dict("name_particles", &t.to_lowercase())
}

/// Person name; `kind` is the naming tradition matched (`vn`, `cn`, `th`, `latin`).
pub fn person_name(v: &str) -> Option<ValueFacts> {
    if v.len() < 2 || v.len() > 80 {
        return None;
    }
    if v.chars().any(is_han) {
        return han_name(v).then(|| facts("cn", None));
    }
    if v.chars().any(is_thai) {
        return thai_name(v).then(|| facts("th", Some("TH")));
    }
    // `Smith, Mary` → `Mary Smith`.
    let owned;
    let v = match v.split_once(',') {
        Some((last, first)) if !first.contains(',') && !first.trim().is_empty() => {
            owned = format!("{} {}", first.trim(), last.trim());
            owned.as_str()
        }
        _ => v,
    };
    let toks: Vec<&str> = v.split_whitespace().collect();
    if !(2..=5).contains(&toks.len()) {
        return None;
    }
    if !toks.iter().all(|t| name_cased(t) || particle(t)) {
        return None;
    }
    let folded: Vec<String> = toks.iter().map(|t| fold(t.trim_end_matches('.'))).collect();
    let words: Vec<&str> = folded
        .iter()
        .map(String::as_str)
        .filter(|t| !particle(t))
        .collect();
    if words.len() < 2 {
        return None;
    }
    if in_dict("vn_surnames", words[0])
        && (words.len() >= 3 || in_dict("vn_middle", words[1]) || in_dict("vn_given", words[1]))
    {
        let latin_like = words.len() == 2 && given_name(words[1]) && !in_dict("vn_given", words[1]);
        if !latin_like || !v.is_ascii() {
            return Some(facts("vn", None));
        }
    }
    let last = words[words.len() - 1];
    let first = words[0];
    let has_particle = folded.len() != words.len();
    let initial = |w: &str| w.len() == 1;
    let ok = (given_name(first)
        && (surname(last) || given_name(last) || initial(last) || last.len() >= 3))
        || (surname(first) && given_name(last) && words.len() == 2)
        || (has_particle && words.iter().any(|w| given_name(w)))
        || (words.len() >= 3
            && given_name(first)
            && words[1..]
                .iter()
                .all(|w| initial(w) || surname(w) || given_name(w)));
    ok.then(|| facts("latin", None))
}

fn facts(kind: &'static str, country: Option<&'static str>) -> ValueFacts {
    ValueFacts {
        kind: Some(kind),
        country,
        ..Default::default()
    }
}

/// A single name-cased token that the lists know: (given name, family name).
fn single_token(v: &str) -> Option<(bool, bool)> {
    if v.chars().any(is_han) {
        let n = v.chars().count();
        return (n == 1 || n == 2).then(|| (false, han_surname(v) || in_dict("cn_compound", v)));
    }
    if v.contains(char::is_whitespace) || !name_cased(v) {
        return None;
    }
    let f = fold(v);
    Some((given_name(&f), surname(&f)))
}

/// Decides a column whose header does not say whose name it holds (or has no header) by its
/// values: full names the lists recognise, or single given / family names. `ambiguous_header`
/// lowers the bar when the header names a name of someone or something.
pub fn name_column(vals: &[&str], header: &str, ambiguous_header: bool) -> Option<ColumnVerdict> {
    if vals.is_empty() {
        return None;
    }
    let n = vals.len() as f64;
    let (mut full, mut single, mut given, mut family) = (0usize, 0usize, 0usize, 0usize);
    let mut seen: HashMap<&str, ()> = HashMap::new();
    let mut distinct = 0usize;
    for v in vals {
        if seen.insert(v, ()).is_none() {
            distinct += 1;
        }
        if person_name(v).is_some() {
            full += 1;
        } else if let Some((g, s)) = single_token(v) {
            single += 1;
            given += usize::from(g);
            family += usize::from(s);
        }
    }
    let (full_s, single_s, given_s, family_s) = (
        full as f64 / n,
        single as f64 / n,
        given as f64 / n,
        family as f64 / n,
    );
    let bar = if ambiguous_header { 0.8 } else { 1.0 };
    // A column of a handful of repeated words is a category, not people.
    let varied = distinct >= 3.min(vals.len()) && (distinct as f64 / n >= 0.2 || distinct >= 50);
    let (ok, what) = if single_s >= 0.6 {
        (
            varied && (given_s >= 0.6 * bar || family_s >= 0.7 * bar),
            if given_s >= family_s {
                "given names"
            } else {
                "family names"
            },
        )
    } else {
        (varied && full_s >= 0.5 * bar, "full names")
    };
    if !ok {
        return None;
    }
    let s = (full_s + given_s.max(family_s)).min(1.0);
    let note = if header.is_empty() {
        String::new()
    } else {
        format!("; header {header} does not say whose name")
    };
    Some(ColumnVerdict {
        class: DataClass::PersonName,
        kind: None,
        confidence: (0.5 + s * 0.4).min(0.9),
        evidence: format!(
            "{:.0}% of {} sampled values are person names by the name lists ({what}){note}",
            (s * 100.0).floor(),
            vals.len()
        ),
        validation_share: s,
        mixed: Vec::new(),
        embedded: Vec::new(),
        country: None,
    })
}

/// Normalised name for comparison: diacritics folded, lower case, tokens sorted.
pub fn normalize_name(v: &str) -> String {
    if v.chars().any(is_han) {
        return v.chars().filter(|c| is_han(*c)).collect();
    }
    let mut toks: Vec<String> = fold(v)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect();
    toks.sort();
    toks.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for v in [
            "Nguyễn Văn An",
            "NGUYEN THI HOA",
            "Trần Minh",
            "王小明",
            "欧阳娜娜",
            "陳美玲",
            "Tan Wei Ming",
            "Muhammad Hafiz bin Ahmad",
            "Sarah Lim",
            "MARY SMITH",
            "PENELOPE GUINESS",
            "Smith, Mary",
            "Siti Nurhaliza binti Tarudin",
            "นาย สมชาย ใจดี",
        ] {
            assert!(person_name(v).is_some(), "{v}");
        }
        for v in [
            "Áo thun nam size L",
            "iPhone 15 Pro Max",
            "hello world",
            "王老吉凉茶饮料",
            "Nguyen",
            "Giày Nike 42",
            "For Those About To Rock",
            "Balls to the Wall",
            "Music Videos",
            "Heavy Metal",
            "Acme Trading Pte Ltd",
        ] {
            assert!(person_name(v).is_none(), "{v}");
        }
        assert_eq!(
            normalize_name("Nguyễn Văn  An"),
            normalize_name("AN NGUYEN VAN")
        );
    }

    #[test]
    fn lists_are_real_and_packed() {
        let d = dict();
        assert!(d.en_given.len() > 5_000 && d.en_given.contains("mary"));
        assert!(d.en_surnames.len() >= 19_000 && d.en_surnames.contains("smith"));
        assert!(han_surname("赵") && han_surname("陳") && in_dict("cn_compound", "诸葛"));
    }

    #[test]
    fn name_columns_are_told_from_categories() {
        let first = [
            "PENELOPE", "NICK", "ED", "JENNIFER", "JOHNNY", "BETTE", "GRACE",
        ];
        assert!(name_column(&first, "", false).is_some());
        let genres = [
            "Rock",
            "Jazz",
            "Metal",
            "Alternative & Punk",
            "Blues",
            "Latin",
            "Reggae",
            "Pop",
        ];
        assert!(name_column(&genres, "Name", true).is_none());
        let media = [
            "MPEG audio file",
            "Protected AAC audio file",
            "AAC audio file",
        ];
        assert!(name_column(&media, "Name", true).is_none());
    }
}
