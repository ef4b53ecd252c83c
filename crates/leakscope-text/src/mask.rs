//! Masking identifiers that appear inside names (headers, JSON keys, table and file names).
//!
//! Shape only, no validation, so that it errs towards masking: an e-mail's local part, and any
//! run of 7 or more digits (phone numbers, national IDs, card and account numbers; digits may be
//! separated by `-`, `.`, `(`, `)`, and by spaces after a leading `+`). Eight-digit runs that
//! read as a calendar date (`20241128`, `2024-11-28`, `28.11.2024`) are kept: file names and
//! headers are full of them and they identify no one.

use std::borrow::Cow;

const DOT: char = '•';
/// Digit runs at least this long are masked.
const MIN_DIGITS: usize = 7;

/// Characters of an e-mail local part (RFC 5322 atext and `.`), without `/`, `\` and `!`,
/// which separate path and archive-member components in the names this sees.
fn local_char(c: char) -> bool {
    c.is_alphanumeric() || "._%+-#$&'*=?^`{|}~".contains(c)
}

fn domain_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '.'
}

/// One replacement: chars `start..end` become `with`.
struct Cut {
    start: usize,
    end: usize,
    with: String,
}

/// `s` with e-mail local parts and long digit runs masked (`an.nguyen@x.vn` → `an•••@x.vn`,
/// `0912345678.name` → `09••••••78.name`); borrowed unchanged when there is nothing to mask.
pub fn mask_identifiers(s: &str) -> Cow<'_, str> {
    mask(s, false)
}

/// Like [`mask_identifiers`], for messages written by leakscope itself that quote names from a
/// leak (diagnostics, evidence, errors): digit runs that are counts or locations — next to
/// `line`, `byte`, `row`, `offset`, `column`, `record` or followed by such a unit — are kept.
pub fn mask_in_message(s: &str) -> Cow<'_, str> {
    mask(s, true)
}

fn mask(s: &str, message: bool) -> Cow<'_, str> {
    let gate = s.contains('@') || s.bytes().filter(u8::is_ascii_digit).count() >= MIN_DIGITS;
    if !gate {
        return Cow::Borrowed(s);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut cuts = emails(&chars);
    cuts.extend(digit_runs(&chars, &cuts, message));
    if cuts.is_empty() {
        return Cow::Borrowed(s);
    }
    cuts.sort_by_key(|c| c.start);
    let mut out = String::with_capacity(s.len());
    let mut at = 0;
    for c in cuts {
        out.extend(&chars[at..c.start]);
        out.push_str(&c.with);
        at = c.end;
    }
    out.extend(&chars[at..]);
    Cow::Owned(out)
}

/// Local parts of e-mail shapes: `local@domain.tld` with a non-empty local part and a dotted
/// domain. The first one or two characters stay, the rest becomes `•••` (length hidden).
fn emails(chars: &[char]) -> Vec<Cut> {
    let mut cuts = Vec::new();
    let mut last_end = 0;
    for at in 0..chars.len() {
        if chars[at] != '@' || at < last_end {
            continue;
        }
        let mut start = at;
        while start > last_end && (local_char(chars[start - 1]) || chars[start - 1] == DOT) {
            start -= 1;
        }
        let already_masked = chars[start..at].contains(&DOT);
        let mut end = at + 1;
        while end < chars.len() && domain_char(chars[end]) {
            end += 1;
        }
        let domain: String = chars[at + 1..end].iter().collect();
        let domain = domain.trim_end_matches(['.', '-']);
        let dotted = domain.split('.').filter(|l| !l.is_empty()).count() >= 2;
        if start == at || !dotted || already_masked {
            continue;
        }
        let len = at - start;
        let keep = match len {
            1 => 0,
            2..=3 => 1,
            _ => 2,
        };
        cuts.push(Cut {
            start: start + keep,
            end: at,
            with: DOT.to_string().repeat(3),
        });
        last_end = at + 1;
    }
    cuts
}

/// True when eight digits read as `YYYYMMDD` or `DDMMYYYY` in 1900–2099.
fn is_date(d: &[u32]) -> bool {
    let num = |xs: &[u32]| xs.iter().fold(0, |a, x| a * 10 + x);
    let ok = |y: u32, m: u32, day: u32| {
        (1900..=2099).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&day)
    };
    d.len() == 8
        && (ok(num(&d[..4]), num(&d[4..6]), num(&d[6..]))
            || ok(num(&d[4..]), num(&d[2..4]), num(&d[..2])))
}

/// Words that make a number next to them a count or a location in leakscope's own messages.
const UNITS: &[&str] = &[
    "line", "lines", "byte", "bytes", "offset", "row", "rows", "record", "records", "column",
    "columns", "cell", "cells", "b", "kb", "mb", "gb", "kib", "mib", "gib", "times", "entries",
    "values", "members", "tables", "keys", "objects",
];

/// True when the word before `start` or after `end` (one space or `#`/`:` away) is a unit.
fn is_quantity(chars: &[char], start: usize, end: usize) -> bool {
    let unit = |w: String| UNITS.contains(&w.to_lowercase().as_str());
    let mut b = start;
    while b > 0 && matches!(chars[b - 1], ' ' | '#' | ':') && start - b < 2 {
        b -= 1;
    }
    let mut wb = b;
    while wb > 0 && chars[wb - 1].is_alphabetic() {
        wb -= 1;
    }
    let mut a = end;
    if a < chars.len() && chars[a] == ' ' {
        a += 1;
    }
    let mut wa = a;
    while wa < chars.len() && chars[wa].is_alphabetic() {
        wa += 1;
    }
    (wb < b && unit(chars[wb..b].iter().collect()))
        || (a > end && wa > a && unit(chars[a..wa].iter().collect()))
}

/// Runs of digits (with phone/ID separators between them) of at least [`MIN_DIGITS`] digits,
/// outside the e-mail cuts already made; all digits but the first two and last two become `•`.
fn digit_runs(chars: &[char], taken: &[Cut], message: bool) -> Vec<Cut> {
    let free = |i: usize| !taken.iter().any(|c| (c.start..c.end).contains(&i));
    let mut cuts = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let plus = chars[i] == '+' && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if !(chars[i].is_ascii_digit() || plus) || !free(i) {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = if plus { i + 1 } else { i };
        let mut digits = Vec::new();
        while end < chars.len() && free(end) {
            let c = chars[end];
            if let Some(d) = c.to_digit(10).filter(|_| c.is_ascii_digit()) {
                digits.push(d);
                end += 1;
                continue;
            }
            let sep = "-.()".contains(c) || (plus && c == ' ');
            let next_digit = chars.get(end + 1).is_some_and(char::is_ascii_digit);
            if sep && next_digit && !digits.is_empty() {
                end += 1;
                continue;
            }
            break;
        }
        i = end.max(start + 1);
        if digits.len() < MIN_DIGITS || is_date(&digits) {
            continue;
        }
        if message && !plus && is_quantity(chars, start, end) {
            continue;
        }
        let n = digits.len();
        let mut seen = 0;
        let with: String = chars[start..end]
            .iter()
            .map(|&c| {
                if !c.is_ascii_digit() {
                    return c;
                }
                seen += 1;
                if seen <= 2 || seen > n - 2 {
                    c
                } else {
                    DOT
                }
            })
            .collect();
        cuts.push(Cut { start, end, with });
    }
    cuts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_in_names_are_masked() {
        assert_eq!(mask_identifiers("an@x.vn"), "a•••@x.vn");
        assert_eq!(
            mask_identifiers("nguyen.van.an@gmail.com.address.city"),
            "ng•••@gmail.com.address.city"
        );
        assert_eq!(
            mask_identifiers("dump/bo.tran@y.co.uk.json"),
            "dump/bo•••@y.co.uk.json"
        );
        assert_eq!(
            mask_identifiers("a@b.com,c.d@e.org"),
            "•••@b.com,c•••@e.org"
        );
        // Not e-mail shapes: no local part, or no dotted domain.
        assert_eq!(mask_identifiers("@timestamp"), "@timestamp");
        assert_eq!(mask_identifiers("price@1"), "price@1");
        assert_eq!(mask_identifiers("a@x.vn"), "•••@x.vn");
        // Already masked (scan examples): left as they are.
        assert_eq!(
            mask_identifiers("j•••••9@yahoo.com.sg"),
            "j•••••9@yahoo.com.sg"
        );
        assert!(matches!(mask_identifiers("email"), Cow::Borrowed(_)));
    }

    #[test]
    fn long_digit_runs_are_masked_dates_kept() {
        assert_eq!(mask_identifiers("0912345678.name"), "09••••••78.name");
        assert_eq!(mask_identifiers("+84 91 234 5678"), "+84 •• ••• ••78");
        assert_eq!(mask_identifiers("S1234567D"), "S12•••67D");
        assert_eq!(mask_identifiers("11010519491231002X"), "11•••••••••••••02X");
        assert_eq!(
            mask_identifiers("4111-1111-1111-1111"),
            "41••-••••-••••-••11"
        );
        assert_eq!(
            mask_identifiers("orders_20241128.csv"),
            "orders_20241128.csv"
        );
        assert_eq!(mask_identifiers("28.11.2024"), "28.11.2024");
        assert_eq!(
            mask_identifiers("2024-11-28 10:00:00"),
            "2024-11-28 10:00:00"
        );
        assert_eq!(mask_identifiers("col_123456"), "col_123456");
        assert_eq!(mask_identifiers("v1.2.3"), "v1.2.3");
        assert_eq!(mask_identifiers("表1"), "表1");
    }

    #[test]
    fn messages_keep_counts_and_locations() {
        let m = "stopped at line 12345678 after 68719476736 bytes; key 0912345678 and an@x.vn";
        assert_eq!(
            mask_in_message(m),
            "stopped at line 12345678 after 68719476736 bytes; key 09••••••78 and a•••@x.vn"
        );
        assert_eq!(mask_in_message("offset: 123456789"), "offset: 123456789");
        assert_eq!(mask_identifiers("line 12345678"), "line 12••••78");
    }

    #[test]
    fn both_kinds_in_one_name() {
        let m = mask_identifiers("an@x.vn.phones.0912345678");
        assert_eq!(m, "a•••@x.vn.phones.09••••••78");
    }
}
