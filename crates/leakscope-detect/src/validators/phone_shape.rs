//! Evidence that a value is written the way phone numbers are written — never digit-stripping.
//!
//! A phone is digits grouped by spaces, dashes, parentheses around an area code, a slash, or dots
//! used as group separators (`091.234.5678`), with an optional leading `+` / `00` and an optional
//! extension. A decimal number (`-89.1526108`, `10.7769`), a thousands-grouped amount
//! (`1.250.000`), an IPv4 address, a date, a coordinate (`10.77°`, `N 10.77`) or a value with
//! letters is never a phone, whatever digits it holds.

/// A value in a phone shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneShape {
    /// Every digit of the number, in order (extension excluded).
    pub digits: String,
    /// Written internationally: leading `+` (or `(+`), or `00` followed by a country code.
    pub plus: bool,
    /// Written with a `00` international prefix (the digits still hold it).
    pub double_zero: bool,
    /// Grouped with separators or an area code in parentheses (not a bare digit run).
    pub formatted: bool,
}

/// Strips an extension suffix (`x123`, `ext. 123`, `ext 123`, `#123`); no allocation.
fn strip_extension(v: &str) -> &str {
    let b = v.as_bytes();
    let tail = b.iter().rev().take_while(|c| c.is_ascii_digit()).count();
    if tail == 0 || tail > 6 || tail == b.len() {
        return v;
    }
    let head = v[..v.len() - tail].trim_end();
    let hb = head.as_bytes();
    for pat in [&b"ext."[..], b"ext", b"x", b"#"] {
        if hb.len() > pat.len() && hb[hb.len() - pat.len()..].eq_ignore_ascii_case(pat) {
            return head[..head.len() - pat.len()].trim_end();
        }
    }
    v
}

/// Parses `v` as a phone-shaped value, or `None` when its shape is not one a phone is written in.
pub fn parse(v: &str) -> Option<PhoneShape> {
    let v = v.trim();
    if v.len() < 7 || v.len() > 40 {
        return None;
    }
    let v = strip_extension(v);
    let b = v.as_bytes();
    if b.len() < 7 {
        return None;
    }
    // A sign that is not `+` makes a number, never a phone.
    if b[0] == b'-' {
        return None;
    }
    let mut digits = String::with_capacity(16);
    let mut plus = false;
    let (mut dots, mut spaces, mut dashes, mut slashes) = (0usize, 0usize, 0usize, 0usize);
    let mut open: Option<usize> = None;
    let mut parens = 0usize;
    let mut paren_digits = 0usize;
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                digits.push(c as char);
                if open.is_some() {
                    paren_digits += 1;
                }
            }
            b'+' => {
                // Only as the very first mark: `+84…` or `(+84)…`.
                if plus || !digits.is_empty() || !(i == 0 || (i == 1 && b[0] == b'(')) {
                    return None;
                }
                plus = true;
            }
            b'(' => {
                if open.is_some() || parens > 0 {
                    return None;
                }
                open = Some(i);
                paren_digits = 0;
            }
            b')' => {
                open?;
                if !(1..=5).contains(&paren_digits) {
                    return None;
                }
                open = None;
                parens += 1;
            }
            b'.' => dots += 1,
            b' ' => spaces += 1,
            b'-' => dashes += 1,
            b'/' => slashes += 1,
            _ => return None,
        }
    }
    if open.is_some() || slashes > 1 {
        return None;
    }
    // Separators never come in pairs (`1  2`, `1--2`, `1.-2`) and never end the value.
    let seps = |c: u8| matches!(c, b'.' | b'-' | b'/');
    if b.windows(2)
        .any(|w| seps(w[0]) && seps(w[1]) || (w[0] == b' ' && w[1] == b' '))
    {
        return None;
    }
    if b.windows(2).any(|w| w[0] == b'+' && !w[1].is_ascii_digit()) {
        return None;
    }
    if seps(b[b.len() - 1]) {
        return None;
    }
    if dots > 0 && !dotted_phone(v, dots, spaces + dashes + slashes + parens) {
        return None;
    }
    if (dashes == 2 || slashes == 1) && crate::validators::dates::parse_date(v).is_some() {
        return None;
    }
    let double_zero = !plus && digits.starts_with("00");
    if !(7..=15).contains(&(digits.len() - if double_zero { 2 } else { 0 })) {
        return None;
    }
    Some(PhoneShape {
        plus: plus || double_zero,
        double_zero,
        formatted: parens > 0 || spaces + dashes + dots + slashes > 0,
        digits,
    })
}

/// Dots are phone group separators only when they are the only separator, there are at least two
/// of them, every group has 2–4 digits (the first 1–4), and the value is neither an IPv4 address
/// nor a thousands-grouped amount.
fn dotted_phone(v: &str, dots: usize, other_seps: usize) -> bool {
    if dots < 2 || other_seps > 0 {
        return false;
    }
    let body = v.trim_start_matches('+');
    let groups: Vec<&str> = body.split('.').collect();
    if groups.iter().any(|g| g.is_empty() || g.len() > 4) {
        return false;
    }
    if groups[1..].iter().any(|g| g.len() < 2) {
        return false;
    }
    // IPv4: four groups of at most three digits.
    if groups.len() == 4 && groups.iter().all(|g| g.len() <= 3) {
        return false;
    }
    // Thousands grouping: 1-3 digits not starting with 0, then groups of exactly three.
    let amount = !groups[0].starts_with('0')
        && groups[0].len() <= 3
        && groups[1..].iter().all(|g| g.len() == 3);
    !amount
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_shapes() {
        for v in [
            "0912345678",
            "091 234 5678",
            "091.234.5678",
            "+84 91 234 5678",
            "(+84) 91-234-5678",
            "(206) 555-9857",
            "+1 (604) 555-3392",
            "030-0074321",
            "(02)27653147",
            "0871-65655099",
            "010 6552 9988",
            "+49 0895 3187 1",
            "01.23.45.67.89",
            "(202) 332-4200 x12",
            "0061 2 9374 4000",
        ] {
            assert!(parse(v).is_some(), "{v}");
        }
    }

    #[test]
    fn numbers_coordinates_and_others_are_not_phones() {
        for v in [
            "-89.1526108",
            "89.1526108",
            "10.776912",
            "-87.711604",
            "106.7009123",
            "10.77°",
            "N 10.77",
            "10°46'N",
            "1.250.000",
            "12.345.678",
            "218.111.175.34",
            "1.197.201.2",
            "2019-03-02",
            "12/03/2011",
            "550e8400-e29b-41d4",
            "12345",
            "1,234,567.89",
            "+-12345678",
            "1234567--8",
            "10.7769 106.7009",
            "x1234567",
            "#1234567",
            "ext. 123456",
        ] {
            assert!(parse(v).is_none(), "{v}");
        }
    }
}
