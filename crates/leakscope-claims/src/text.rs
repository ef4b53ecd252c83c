//! The text as read, its folded matching view, and sentence / clause segmentation.
//!
//! Every rule matches on the *folded* text: compatibility-decomposed (full-width forms become
//! ASCII), lower-cased, combining marks removed (so Vietnamese with and without diacritics reads
//! the same), `đ` → `d`. Each folded byte remembers the byte of the original character it came
//! from, so a match maps back to an exact span of the text as read.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Folds one character into `out` (see the module docs).
pub fn fold_char(c: char, out: &mut String) {
    match c {
        'đ' | 'Đ' => out.push('d'),
        // Typographic quotes, dashes and spaces become their ASCII forms.
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' => out.push('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' => out.push('"'),
        '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
            out.push(' ')
        }
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{FEFF}' => {}
        _ if c.is_ascii() => out.push(c.to_ascii_lowercase()),
        _ => decompose_compatible(c, |d| {
            if !is_combining_mark(d) {
                for l in d.to_lowercase() {
                    out.push(l);
                }
            }
        }),
    }
}

/// Folds a whole string (no offset map).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char(c, &mut out);
    }
    out
}

/// The text as read plus its folded view and offset maps.
#[derive(Debug, Clone)]
pub struct Text {
    /// The text as read.
    pub orig: String,
    /// Folded view.
    pub folded: String,
    /// For each folded byte, the byte offset in `orig` of the character it came from; one extra
    /// entry (`orig.len()`) at the end.
    map: Vec<u32>,
    /// For each original byte offset that starts a character, its character index; built lazily
    /// by [`Text::char_index`] through a sorted list of char starts.
    char_starts: Vec<u32>,
}

impl Text {
    /// Builds the folded view of `orig`.
    pub fn new(orig: String) -> Text {
        let mut folded = String::with_capacity(orig.len());
        let mut map = Vec::with_capacity(orig.len() + 1);
        let mut char_starts = Vec::with_capacity(orig.len());
        for (i, c) in orig.char_indices() {
            char_starts.push(i as u32);
            let before = folded.len();
            fold_char(c, &mut folded);
            for _ in before..folded.len() {
                map.push(i as u32);
            }
        }
        map.push(orig.len() as u32);
        Text {
            orig,
            folded,
            map,
            char_starts,
        }
    }

    /// Original byte range of a folded byte range.
    pub fn orig_range(&self, fstart: usize, fend: usize) -> (usize, usize) {
        let start = self.map[fstart.min(self.map.len() - 1)] as usize;
        let end = if fend == 0 {
            start
        } else {
            // The end is one past the original character of the last folded byte.
            let last = self.map[(fend - 1).min(self.map.len() - 1)] as usize;
            last + self.orig[last..].chars().next().map_or(0, char::len_utf8)
        };
        (start, end.max(start))
    }

    /// Folded byte offset of an original byte offset (the first folded byte at or after it).
    pub fn folded_offset(&self, orig_byte: usize) -> usize {
        self.map.partition_point(|&m| (m as usize) < orig_byte)
    }

    /// Character index of an original byte offset.
    pub fn char_index(&self, orig_byte: usize) -> usize {
        self.char_starts
            .partition_point(|&s| (s as usize) < orig_byte)
    }

    /// Number of characters in the original text.
    pub fn chars(&self) -> usize {
        self.char_starts.len()
    }

    /// Original text of a folded range.
    pub fn orig_str(&self, fstart: usize, fend: usize) -> &str {
        let (s, e) = self.orig_range(fstart, fend);
        &self.orig[s..e]
    }
}

/// A segment of the folded text: `[start, end)` folded byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seg {
    /// Start (folded bytes).
    pub start: usize,
    /// End (folded bytes).
    pub end: usize,
}

impl Seg {
    /// True when `pos` is inside.
    pub fn contains(&self, pos: usize) -> bool {
        pos >= self.start && pos < self.end
    }
}

const ABBREVIATIONS: &[&str] = &[
    "co", "ltd", "inc", "corp", "pte", "bhd", "sdn", "mr", "mrs", "ms", "dr", "st", "no", "vs",
    "e.g", "i.e", "approx", "jsc", "plc", "tbk", "pt", "u.s", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "est", "ca",
];

/// Splits the folded text into sentences (see `docs/claims.md`: full stops not inside numbers,
/// domains or abbreviations; `!?。！？`; blank lines; line ends unless the line is a hard-wrapped
/// continuation).
pub fn sentences(t: &Text) -> Vec<Seg> {
    let f = t.folded.as_bytes();
    let s = &t.folded;
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut i = 0usize;
    let push = |out: &mut Vec<Seg>, a: usize, b: usize| {
        if s[a..b].trim().chars().any(|c| c.is_alphanumeric()) {
            out.push(Seg { start: a, end: b });
        }
    };
    while i < f.len() {
        let c = s[i..].chars().next().unwrap_or(' ');
        let w = c.len_utf8();
        let split_after = match c {
            '!' | '?' | '。' | '！' | '？' | '；' => true,
            '.' => {
                let next = s[i + 1..].chars().next();
                let next_ok = next.is_none_or(|n| n.is_whitespace() || n == '"' || n == ')');
                next_ok && !is_abbreviation(&s[start..i])
            }
            '\n' => line_break_ends_sentence(t, start, i),
            _ => false,
        };
        if split_after {
            push(&mut out, start, i + w);
            start = i + w;
        }
        i += w;
    }
    if start < f.len() {
        push(&mut out, start, f.len());
    }
    out
}

fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == ',')
        .next()
        .unwrap_or("");
    if word.len() == 1 && word.chars().all(|c| c.is_ascii_alphabetic()) {
        return true; // initials: "J. Smith"
    }
    ABBREVIATIONS.contains(&word)
}

/// A line end splits unless the line before is long, does not end in punctuation, and the next
/// line starts with a lower-case letter (a hard-wrapped paragraph).
fn line_break_ends_sentence(t: &Text, seg_start: usize, nl: usize) -> bool {
    let line_start = t.folded[..nl]
        .rfind('\n')
        .map_or(0, |p| p + 1)
        .max(seg_start);
    let line = t.folded[line_start..nl].trim_end();
    let (os, oe) = t.orig_range(nl + 1, t.folded.len());
    let next_orig = &t.orig[os..oe];
    let next_first = next_orig.chars().find(|c| !c.is_whitespace() || *c == '\n');
    let last = line.chars().last();
    let long = line.chars().count() >= 50;
    let ends_punct = last.is_some_and(|c| ".!?:;。！？：；".contains(c));
    let next_lower = next_first.is_some_and(|c| c.is_lowercase());
    !(long && !ends_punct && next_lower)
}

/// Splits a sentence into clauses at `,;:` (not inside numbers), `，；：` and contrast words
/// (`but`, `however`, `while`, `although`, `nhưng`, `tuy nhiên`, `但`, `但是`, `然而`, `而`).
pub fn clauses(t: &Text, sent: Seg) -> Vec<Seg> {
    let s = &t.folded[sent.start..sent.end];
    let mut cuts = vec![0usize];
    let bytes = s.as_bytes();
    for (i, c) in s.char_indices() {
        let cut = match c {
            ';' | '，' | '；' | '：' => true,
            ',' | ':' => {
                let prev_digit = i > 0 && bytes[i - 1].is_ascii_digit();
                let next_digit = bytes.get(i + 1).is_some_and(|b| b.is_ascii_digit());
                !(prev_digit && next_digit)
            }
            _ => false,
        };
        if cut {
            cuts.push(i + c.len_utf8());
        }
    }
    for word in [
        " but ",
        " however",
        " while ",
        " although ",
        " whereas ",
        " nhung ",
        " tuy nhien",
        "但是",
        "但",
        "然而",
        "不过",
    ] {
        let mut from = 0;
        while let Some(p) = s[from..].find(word) {
            cuts.push(from + p);
            from += p + word.len();
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.push(s.len());
    cuts.windows(2)
        .filter(|w| w[1] > w[0])
        .map(|w| Seg {
            start: sent.start + w[0],
            end: sent.start + w[1],
        })
        .collect()
}

/// True for characters of CJK scripts (no word boundaries).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xAC00..=0xD7AF | 0x20000..=0x2FA1F)
}

/// True when a phrase match at folded `[s, e)` sits on word boundaries (checked only on sides
/// where the phrase itself starts/ends with a letter or digit of a spaced script).
pub fn on_boundaries(folded: &str, s: usize, e: usize) -> bool {
    let first = folded[s..e].chars().next();
    let last = folded[s..e].chars().last();
    let wordy = |c: char| c.is_alphanumeric() && !is_cjk(c);
    // An underscore joins words ("kr4ken_sells") but not markdown emphasis ("_Published_").
    let joined = |near: Vec<char>| match near.as_slice() {
        [c, ..] if wordy(*c) => true,
        ['_', c, ..] => wordy(*c),
        _ => false,
    };
    let before = joined(folded[..s].chars().rev().take(2).collect());
    let after = joined(folded[e..].chars().take(2).collect());
    !(first.is_some_and(wordy) && before || last.is_some_and(wordy) && after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_maps_back_to_original_spans() {
        let t = Text::new("Dữ liệu ＡＢＣ Đà Nẵng".to_string());
        assert_eq!(t.folded, "du lieu abc da nang");
        let p = t.folded.find("abc").unwrap();
        assert_eq!(t.orig_str(p, p + 3), "ＡＢＣ");
        let p = t.folded.find("da nang").unwrap();
        assert_eq!(t.orig_str(p, p + 7), "Đà Nẵng");
        assert_eq!(t.char_index(t.orig_range(p, p + 7).0), 12);
    }

    #[test]
    fn sentences_respect_numbers_domains_and_abbreviations() {
        let t = Text::new(
            "FooMart Pte. Ltd. lost 2.3 million rows. See foo.com.sg now! 数据泄露。下一句\nNew line"
                .into(),
        );
        let got: Vec<&str> = sentences(&t)
            .iter()
            .map(|s| t.folded[s.start..s.end].trim())
            .collect();
        assert_eq!(
            got,
            vec![
                "foomart pte. ltd. lost 2.3 million rows.",
                "see foo.com.sg now!",
                "数据泄露。",
                "下一句",
                "new line"
            ]
        );
    }

    #[test]
    fn hard_wrapped_lines_stay_one_sentence() {
        let t = Text::new(
            "The company said that the attackers had obtained the\nnames of customers.".into(),
        );
        assert_eq!(sentences(&t).len(), 1);
    }

    #[test]
    fn boundaries() {
        assert!(on_boundaries("sell data now", 0, 4));
        assert!(!on_boundaries("reseller", 2, 6));
        assert!(on_boundaries("出售数据", 0, 6));
    }
}
