//! Person names: Vietnamese (surname dictionary, with/without diacritics, ALL CAPS), Chinese
//! (single and compound surnames, 2–4 Han characters) and Latin (small given-name/surname lists).

use crate::text::{data_lines, fold, is_han};
use crate::ValueFacts;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// The name dictionaries of `data/names.txt`, by section.
fn dict() -> &'static HashMap<&'static str, HashSet<&'static str>> {
    static D: OnceLock<HashMap<&'static str, HashSet<&'static str>>> = OnceLock::new();
    D.get_or_init(|| {
        data_lines(include_str!("../../data/names.txt"))
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim(), v.split_whitespace().collect()))
            .collect()
    })
}

fn in_dict(section: &str, word: &str) -> bool {
    dict().get(section).is_some_and(|s| s.contains(word))
}

/// Chinese name: 2–4 Han characters starting with a single or compound surname.
fn han_name(v: &str) -> bool {
    let chars: Vec<char> = v.chars().filter(|c| *c != '·').collect();
    if !(2..=4).contains(&chars.len()) || !chars.iter().all(|c| is_han(*c)) {
        return false;
    }
    let first: String = chars[..1].iter().collect();
    let two: String = chars[..2].iter().collect();
    (chars.len() >= 3 && in_dict("cn_compound", &two)) || in_dict("cn_surnames", &first)
}

/// A token written like a name: `Nguyễn`, `NGUYỄN` (letters only, capitalised or all caps).
fn name_cased(t: &str) -> bool {
    let mut cs = t.chars();
    let Some(first) = cs.next() else { return false };
    if !first.is_uppercase()
        || !t
            .chars()
            .all(|c| c.is_alphabetic() || c == '\'' || c == '-')
    {
        return false;
    }
    let rest: Vec<char> = cs.collect();
    rest.iter().all(|c| c.is_lowercase() || !c.is_alphabetic())
        || rest.iter().all(|c| c.is_uppercase() || !c.is_alphabetic())
}

/// Person name; `kind` is the naming tradition matched (`vn`, `cn`, `latin`).
pub fn person_name(v: &str) -> Option<ValueFacts> {
    if v.len() < 2 || v.len() > 60 {
        return None;
    }
    if v.chars().any(is_han) {
        return han_name(v).then(|| facts("cn", Some("CN")));
    }
    let toks: Vec<&str> = v.split_whitespace().collect();
    if !(2..=5).contains(&toks.len()) {
        return None;
    }
    let connectors = ["bin", "binte", "binti", "s/o", "d/o", "van", "de"];
    let mut cased = true;
    for t in &toks {
        if !name_cased(t) && !connectors.contains(&t.to_lowercase().as_str()) {
            cased = false;
        }
    }
    if !cased {
        return None;
    }
    let folded: Vec<String> = toks.iter().map(|t| fold(t)).collect();
    if in_dict("vn_surnames", &folded[0]) && (toks.len() >= 3 || folded.len() == 2) {
        let vn_ok = folded.len() >= 3
            || !in_dict("latin_given", &folded[1])
            || in_dict("vn_middle", &folded[1]);
        if vn_ok || !v.is_ascii() {
            return Some(facts("vn", Some("VN")));
        }
    }
    let known = folded
        .iter()
        .filter(|t| in_dict("latin_given", t) || in_dict("latin_surnames", t))
        .count();
    let connector = folded.iter().any(|t| connectors[..5].contains(&t.as_str()));
    (known >= 1 || connector).then(|| facts("latin", None))
}

fn facts(kind: &'static str, country: Option<&'static str>) -> ValueFacts {
    ValueFacts {
        kind: Some(kind),
        country,
        ..Default::default()
    }
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
            "Tan Wei Ming",
            "Muhammad Hafiz bin Ahmad",
            "Sarah Lim",
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
        ] {
            assert!(person_name(v).is_none(), "{v}");
        }
        assert_eq!(
            normalize_name("Nguyễn Văn  An"),
            normalize_name("AN NGUYEN VAN")
        );
    }
}
