//! Column-level distribution checks that unmask identifier look-alikes, and the scan of free
//! text for embedded identifiers.

use crate::{DataClass, Detectors};
use std::collections::HashMap;

/// Digits of a value made only of digits and phone/number separators.
fn digit_string(v: &str) -> Option<String> {
    crate::text::digits_only(v, b" -.+()")
}

/// True when most consecutive values are small steps apart (auto-increment ids, sequences).
pub fn sequential(vals: &[&str]) -> bool {
    let nums: Vec<Option<u128>> = vals
        .iter()
        .map(|v| {
            digit_string(v)
                .filter(|d| !d.is_empty() && d.len() <= 38)
                .and_then(|d| d.parse().ok())
        })
        .collect();
    let mut pairs = 0usize;
    let mut steps = 0usize;
    for w in nums.windows(2) {
        if let (Some(a), Some(b)) = (w[0], w[1]) {
            pairs += 1;
            let diff = a.abs_diff(b);
            if (1..=1000).contains(&diff) {
                steps += 1;
            }
        }
    }
    pairs >= 4 && steps * 10 >= pairs * 6
}

/// Share of the most common prefix among normalised values (`len` characters).
pub fn top_prefix_share(normalized: &[String], len: usize) -> f64 {
    if normalized.is_empty() {
        return 0.0;
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for n in normalized {
        if n.len() >= len {
            *counts.entry(&n[..len]).or_default() += 1;
        }
    }
    counts.values().copied().max().unwrap_or(0) as f64 / normalized.len() as f64
}

/// Share of bare digit strings ending in `000` (prices, round quantities); values written with
/// phone grouping or a `+` are not counted.
pub fn round_share(vals: &[&str]) -> f64 {
    if vals.is_empty() {
        return 0.0;
    }
    let round = vals
        .iter()
        .filter(|v| {
            v.bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
        })
        .filter(|v| digit_string(v).is_some_and(|d| d.len() >= 4 && d.ends_with("000")))
        .count();
    round as f64 / vals.len() as f64
}

/// Share of distinct values.
pub fn unique_share(vals: &[&str]) -> f64 {
    if vals.is_empty() {
        return 0.0;
    }
    let set: std::collections::HashSet<&str> = vals.iter().copied().collect();
    set.len() as f64 / vals.len() as f64
}

/// Classes searched for inside free text.
pub const EMBEDDED_CLASSES: [DataClass; 4] = [
    DataClass::Email,
    DataClass::Phone,
    DataClass::NationalId,
    DataClass::PaymentCard,
];

fn is_run_char(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '+' | ' ' | '.' | '-' | '(' | ')')
}

/// Which of [`EMBEDDED_CLASSES`] occur inside one free-text value (bit i = class i).
pub fn embedded_in(ds: &Detectors, v: &str) -> u8 {
    let mut found = 0u8;
    let seps = |c: char| c.is_whitespace() || ",;:<>\"'[]{}()，。：；、（）".contains(c);
    for tok in v.split(seps) {
        let tok = tok.trim_matches(|c: char| !c.is_alphanumeric());
        if tok.contains('@') && ds.check_value(DataClass::Email, None, tok).is_some() {
            found |= 1;
        } else if matches!(tok.len(), 9 | 12 | 15 | 18)
            && ds.check_value(DataClass::NationalId, None, tok).is_some()
        {
            found |= 4;
        }
    }
    // Number runs: digits with phone/card separators, outside tokens that mix letters and
    // digits (UUIDs, hex ids, SKUs): a digit run inside an id is never a phone or a card.
    let kept: Vec<&str> = v
        .split(|c: char| c.is_whitespace() || ",;:<>\"'[]{}()=&|，。：；、（）".contains(c))
        .filter(|tok| {
            let t = tok.trim_matches(|c: char| !c.is_alphanumeric());
            !(crate::context::uuid_or_hex(t)
                || (t.bytes().any(|b| b.is_ascii_alphabetic())
                    && t.bytes().any(|b| b.is_ascii_digit())))
        })
        .collect();
    let joined = kept.join(" ");
    let v = joined.as_str();
    let chars: Vec<(usize, char)> = v.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        if !(chars[i].1.is_ascii_digit() || chars[i].1 == '+') {
            i += 1;
            continue;
        }
        let start = chars[i].0;
        let mut j = i;
        while j < chars.len() && is_run_char(chars[j].1) {
            j += 1;
        }
        let end = if j < chars.len() { chars[j].0 } else { v.len() };
        let run = v[start..end].trim_end_matches(|c: char| !c.is_ascii_digit());
        let digits = crate::text::count_digits(run);
        if (8..=15).contains(&digits) && ds.check_value(DataClass::Phone, None, run).is_some() {
            found |= 2;
        } else if (13..=19).contains(&digits)
            && ds.check_value(DataClass::PaymentCard, None, run).is_some()
        {
            found |= 8;
        }
        i = j.max(i + 1);
    }
    found
}
