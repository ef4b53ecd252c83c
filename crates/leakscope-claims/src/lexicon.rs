//! Phrase lexicon: every `[[entry]]` of the rule files (a `signal` and its phrases) in one
//! Aho-Corasick automaton over folded text.
//!
//! A signal is `family:value` (`class:email`, `kind:sale`, `unit:accounts`, `date:breach` …).
//! Matches are found overlapping, kept only on word boundaries (for spaced scripts), and then
//! resolved per family: the longest match wins, so "email address" beats "address" and
//! "hashed passwords" beats "passwords", while a `class:` match never hides a `cue:` match.

use crate::text::{fold, on_boundaries, Text};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;
use std::collections::HashMap;

/// One `[[entry]]` of a rule file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// `family:value`.
    pub signal: String,
    /// Phrases (any case, with or without diacritics: they are folded like the text).
    pub phrases: Vec<String>,
    /// Only in documents of these languages (`en`, `vi`, `zh`); all when empty.
    #[serde(default)]
    pub langs: Vec<String>,
    /// Weight for scored families (kind cues): 2 = enough alone, 1 = needs another.
    #[serde(default = "one")]
    pub weight: u8,
    /// Match only this exact spelling in the original text (abbreviations such as `CAC`).
    #[serde(default)]
    pub exact: bool,
    /// Match only with these diacritics (any case): for Vietnamese words that fold onto other
    /// words ("đồng" / "dòng").
    #[serde(default)]
    pub diacritics: bool,
}

fn one() -> u8 {
    1
}

/// A resolved match in the folded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Folded start byte.
    pub start: usize,
    /// Folded end byte.
    pub end: usize,
    /// Index into [`Lexicon::entries`].
    pub entry: usize,
}

/// All phrase entries, compiled.
#[derive(Debug)]
pub struct Lexicon {
    /// The entries in load order.
    pub entries: Vec<Entry>,
    ac: AhoCorasick,
    /// Pattern index → entry index.
    pattern_entry: Vec<usize>,
    /// Pattern index → the phrase as written, for exact (case-sensitive) or diacritics
    /// (lower-cased) entries.
    pattern_exact: Vec<Option<(String, bool)>>,
    /// Family → (folded phrase, entry, pattern), longest first: for positional look-ups.
    by_family: HashMap<String, Vec<(String, usize, usize)>>,
    /// Family of each entry (before the first `:`).
    family: Vec<String>,
}

impl Lexicon {
    /// Compiles entries. Fails on an empty phrase.
    pub fn new(entries: Vec<Entry>) -> Result<Lexicon, String> {
        let mut patterns = Vec::new();
        let mut pattern_entry = Vec::new();
        let mut pattern_exact = Vec::new();
        let mut by_family: HashMap<String, Vec<(String, usize, usize)>> = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            let Some((fam, _)) = e.signal.split_once(':') else {
                return Err(format!("signal {:?} is not family:value", e.signal));
            };
            for p in &e.phrases {
                let f = fold(p.trim());
                if f.is_empty() {
                    return Err(format!("empty phrase in {}", e.signal));
                }
                by_family
                    .entry(fam.to_string())
                    .or_default()
                    .push((f.clone(), i, patterns.len()));
                patterns.push(f);
                pattern_entry.push(i);
                pattern_exact.push(if e.exact {
                    Some((p.trim().to_string(), true))
                } else if e.diacritics {
                    Some((p.trim().to_lowercase(), false))
                } else {
                    None
                });
            }
        }
        for list in by_family.values_mut() {
            list.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        }
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .map_err(|e| e.to_string())?;
        let family = entries
            .iter()
            .map(|e| e.signal.split(':').next().unwrap_or("").to_string())
            .collect();
        Ok(Lexicon {
            entries,
            ac,
            pattern_entry,
            pattern_exact,
            by_family,
            family,
        })
    }

    /// The signal of a hit.
    pub fn signal(&self, h: &Hit) -> &str {
        &self.entries[h.entry].signal
    }

    /// The value part of an entry's signal (after the first `:`).
    pub fn value(&self, entry: usize) -> &str {
        self.entries[entry]
            .signal
            .split_once(':')
            .map_or("", |(_, v)| v)
    }

    /// Finds all resolved matches in the text for a document of language `lang` (`en`, `vi`,
    /// `zh`), grouped by family, each family's hits sorted by start.
    pub fn find(&self, t: &Text, lang: &str) -> HashMap<String, Vec<Hit>> {
        let folded = t.folded.as_str();
        let mut raw: HashMap<&str, Vec<Hit>> = HashMap::new();
        for m in self.ac.find_overlapping_iter(folded) {
            let pattern = m.pattern().as_usize();
            let entry = self.pattern_entry[pattern];
            let e = &self.entries[entry];
            if !e.langs.is_empty() && !e.langs.iter().any(|l| l == lang) {
                continue;
            }
            if !on_boundaries(folded, m.start(), m.end()) {
                continue;
            }
            if !self.spelling_ok(pattern, t, m.start(), m.end()) {
                continue;
            }
            raw.entry(self.family[entry].as_str())
                .or_default()
                .push(Hit {
                    start: m.start(),
                    end: m.end(),
                    entry,
                });
        }
        raw.into_iter()
            .map(|(fam, hits)| (fam.to_string(), longest_non_overlapping(hits)))
            .collect()
    }
}

impl Lexicon {
    /// Exact / diacritics checks of a pattern against the original text.
    fn spelling_ok(&self, pattern: usize, t: &Text, s: usize, e: usize) -> bool {
        match &self.pattern_exact[pattern] {
            None => true,
            Some((p, true)) => t.orig_str(s, e) == p,
            Some((p, false)) => t.orig_str(s, e).to_lowercase() == *p,
        }
    }

    /// The longest phrase of `family` that starts exactly at folded byte `pos` (only the end
    /// needs a word boundary), as (end, entry).
    pub fn prefix_at(
        &self,
        t: &Text,
        pos: usize,
        family: &str,
        lang: &str,
    ) -> Option<(usize, usize)> {
        let folded = t.folded.as_str();
        let rest = folded.get(pos..)?;
        self.by_family
            .get(family)?
            .iter()
            .find_map(|&(ref p, entry, pattern)| {
                let e = &self.entries[entry];
                let lang_ok = e.langs.is_empty() || e.langs.iter().any(|l| l == lang);
                (lang_ok
                    && rest.starts_with(p.as_str())
                    && end_ok(folded, pos + p.len())
                    && self.spelling_ok(pattern, t, pos, pos + p.len()))
                .then_some((pos + p.len(), entry))
            })
    }

    /// The longest phrase of `family` that ends exactly at folded byte `pos`, as (start, entry).
    pub fn suffix_at(
        &self,
        t: &Text,
        pos: usize,
        family: &str,
        lang: &str,
    ) -> Option<(usize, usize)> {
        let folded = t.folded.as_str();
        let before = folded.get(..pos)?;
        self.by_family
            .get(family)?
            .iter()
            .find_map(|&(ref p, entry, pattern)| {
                let e = &self.entries[entry];
                let lang_ok = e.langs.is_empty() || e.langs.iter().any(|l| l == lang);
                (lang_ok
                    && before.ends_with(p.as_str())
                    && start_ok(folded, pos - p.len())
                    && self.spelling_ok(pattern, t, pos - p.len(), pos))
                .then(|| (pos - p.len(), entry))
            })
    }
}

fn wordy(c: char) -> bool {
    (c.is_alphanumeric() && !crate::text::is_cjk(c)) || c == '_'
}

/// True when a phrase ending at `e` is not followed by a letter/digit of a spaced script (or
/// the phrase itself ends in a non-word character).
fn end_ok(folded: &str, e: usize) -> bool {
    let last = folded[..e].chars().last();
    !(last.is_some_and(wordy) && folded[e..].chars().next().is_some_and(wordy))
}

/// Mirror of [`end_ok`] for a phrase starting at `s`.
fn start_ok(folded: &str, s: usize) -> bool {
    let first = folded[s..].chars().next();
    !(first.is_some_and(wordy) && folded[..s].chars().last().is_some_and(wordy))
}

/// Greedy longest-first selection of non-overlapping hits, returned sorted by start.
fn longest_non_overlapping(mut hits: Vec<Hit>) -> Vec<Hit> {
    hits.sort_by(|a, b| {
        (b.end - b.start)
            .cmp(&(a.end - a.start))
            .then(a.start.cmp(&b.start))
    });
    let mut taken: Vec<Hit> = Vec::new();
    for h in hits {
        if taken.iter().all(|t| h.end <= t.start || h.start >= t.end) {
            taken.push(h);
        }
    }
    taken.sort_by_key(|h| h.start);
    taken
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(signal: &str, phrases: &[&str]) -> Entry {
        Entry {
            signal: signal.into(),
            phrases: phrases.iter().map(|s| s.to_string()).collect(),
            langs: vec![],
            weight: 1,
            exact: false,
            diacritics: false,
        }
    }

    #[test]
    fn longest_match_per_family_and_boundaries() {
        let lex = Lexicon::new(vec![
            e("class:address", &["address", "addresses"]),
            e("class:email", &["email address", "email addresses"]),
            e("cue:data", &["addresses"]),
            e("class:phone", &["số điện thoại"]),
        ])
        .unwrap();
        let text = Text::new("Email addresses, so dien thoai and IP-addresses; readdresses".into());
        let hits = lex.find(&text, "en");
        let classes: Vec<&str> = hits["class"].iter().map(|h| lex.signal(h)).collect();
        assert_eq!(classes, vec!["class:email", "class:phone", "class:address"]);
        assert_eq!(
            hits["cue"].len(),
            2,
            "other families are resolved separately"
        );
    }
}
