//! Payment cards: Luhn + IIN ranges/lengths, and masked/partial forms.

use crate::ValueFacts;

/// Luhn (ISO/IEC 7812-1) check over ASCII digits.
pub fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, d) in digits.iter().rev().enumerate() {
        let mut v = (d - b'0') as u32;
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum.is_multiple_of(10)
}

fn prefix_num(d: &[u8], n: usize) -> u32 {
    d[..n.min(d.len())]
        .iter()
        .fold(0, |a, c| a * 10 + (c - b'0') as u32)
}

/// One line of `data/iin.txt`.
struct Brand {
    name: &'static str,
    lengths: Vec<usize>,
    /// (digits, low, high) prefix ranges.
    ranges: Vec<(usize, u32, u32)>,
}

fn brands() -> &'static [Brand] {
    static B: std::sync::OnceLock<Vec<Brand>> = std::sync::OnceLock::new();
    B.get_or_init(|| {
        crate::text::data_lines(include_str!("../../data/iin.txt"))
            .filter_map(|l| {
                let mut parts = l.split_whitespace();
                let name = parts.next()?;
                let lens = parts.next()?;
                let lengths: Vec<usize> = if let Some((a, b)) = lens.split_once('-') {
                    (a.parse().ok()?..=b.parse().ok()?).collect()
                } else {
                    lens.split(',').filter_map(|x| x.parse().ok()).collect()
                };
                let ranges = parts
                    .filter_map(|r| {
                        let (a, b) = r.split_once('-').unwrap_or((r, r));
                        Some((a.len(), a.parse().ok()?, b.parse().ok()?))
                    })
                    .collect();
                Some(Brand {
                    name,
                    lengths,
                    ranges,
                })
            })
            .collect()
    })
}

/// Card brand from the IIN (leading digits) and length, per the networks' published ranges
/// (`data/iin.txt`).
pub fn brand(d: &[u8]) -> Option<&'static str> {
    let len = d.len();
    brands().iter().find_map(|b| {
        (b.lengths.contains(&len)
            && b.ranges
                .iter()
                .any(|&(n, lo, hi)| (lo..=hi).contains(&prefix_num(d, n))))
        .then_some(b.name)
    })
}

/// Digits of a card written with optional single spaces or dashes between groups.
fn card_digits(v: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(19);
    let mut prev_sep = true;
    for &b in v.as_bytes() {
        if b.is_ascii_digit() {
            out.push(b);
            prev_sep = false;
        } else if (b == b' ' || b == b'-') && !prev_sep {
            prev_sep = true;
        } else {
            return None;
        }
    }
    (!prev_sep && (12..=19).contains(&out.len())).then_some(out)
}

/// A full payment card number (Luhn-valid, known IIN range and length).
pub fn payment_card(v: &str) -> Option<ValueFacts> {
    let d = card_digits(v)?;
    let brand = brand(&d)?;
    if !luhn(&d) {
        return None;
    }
    Some(ValueFacts {
        normalized: Some(String::from_utf8(d).unwrap_or_default()),
        kind: Some(brand),
        ..Default::default()
    })
}

fn is_mask(b: u8) -> bool {
    matches!(b, b'*' | b'x' | b'X' | b'#')
}

/// A masked card (`**** **** **** 1234`, `411111******1111`, `XXXX-XXXX-XXXX-1234`, `•••• 1234`).
pub fn payment_card_partial(v: &str) -> Option<ValueFacts> {
    let t = v.replace(['•', '●'], "*");
    let mut digits = Vec::new();
    let mut masked = 0usize;
    let mut pattern = Vec::new();
    for &b in t.as_bytes() {
        if b.is_ascii_digit() {
            digits.push(b);
            pattern.push(b'd');
        } else if is_mask(b) {
            masked += 1;
            pattern.push(b'*');
        } else if b != b' ' && b != b'-' {
            return None;
        }
    }
    let total = digits.len() + masked;
    // Visible digits form at most a leading block (IIN, ≤ 6) and a trailing block (last 4).
    let lead = pattern.iter().take_while(|&&c| c == b'd').count();
    let trail = pattern.iter().rev().take_while(|&&c| c == b'd').count();
    let short_form = masked >= 2 && total < 12 && lead == 0 && trail == 4;
    let ok = masked >= 4
        && (lead + trail == digits.len())
        && lead <= 8
        && (1..=4).contains(&trail)
        && ((12..=19).contains(&total) || short_form);
    let ok = ok || (short_form && masked >= 2);
    if !ok {
        return None;
    }
    let kind = if lead >= 6 {
        brand_prefix(&digits[..lead])
    } else {
        None
    };
    let last: String = digits[digits.len() - trail..]
        .iter()
        .map(|&b| b as char)
        .collect();
    Some(ValueFacts {
        normalized: Some(last),
        kind,
        ..Default::default()
    })
}

/// Brand of a card from its first six digits alone (length unknown).
fn brand_prefix(iin: &[u8]) -> Option<&'static str> {
    [16usize, 15, 19].into_iter().find_map(|len| {
        let mut d = iin.to_vec();
        d.resize(len, b'0');
        brand(&d)
    })
}

/// Last four digits of a card (header evidence only).
pub fn card_last4(v: &str) -> Option<ValueFacts> {
    (v.len() == 4 && v.bytes().all(|b| b.is_ascii_digit())).then(|| ValueFacts {
        normalized: Some(v.to_string()),
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_test_numbers() {
        // Network test card numbers published by payment processors.
        for (n, b) in [
            ("4111111111111111", "visa"),
            ("4012888888881881", "visa"),
            ("5555555555554444", "mastercard"),
            ("2223003122003222", "mastercard"),
            ("378282246310005", "amex"),
            ("3530111333300000", "jcb"),
            ("6011111111111117", "discover"),
            ("6200000000000005", "unionpay"),
            ("6759000000000000", "switch"),
            ("5066991111111118", "elo"),
            ("6062826786276634", "hipercard"),
            ("6521501111111112", "rupay"),
            ("2200000000000004", "mir"),
            ("9792000000000003", "troy"),
            ("6212345678901232", "unionpay"),
            ("6304000000000000", "laser"),
            ("6799990100000000019", "maestro"),
            ("36227206271667", "diners"),
            ("4111 1111 1111 1111", "visa"),
            ("4111-1111-1111-1111", "visa"),
        ] {
            assert_eq!(payment_card(n).and_then(|f| f.kind), Some(b), "{n}");
        }
        assert!(payment_card("4111111111111112").is_none());
        assert!(payment_card("1234567812345670").is_none()); // Luhn-valid, no IIN
        assert!(payment_card("4111  1111 1111 1111").is_none());
    }

    #[test]
    fn masked_forms() {
        for m in [
            "**** **** **** 1234",
            "411111******1111",
            "XXXX-XXXX-XXXX-1234",
            "•••• 1234",
        ] {
            assert!(payment_card_partial(m).is_some(), "{m}");
        }
        assert_eq!(
            payment_card_partial("411111******1111").and_then(|f| f.kind),
            Some("visa")
        );
        for m in ["****", "1234 5678", "4111111111111111", "abc*def*1234"] {
            assert!(payment_card_partial(m).is_none(), "{m}");
        }
    }
}
