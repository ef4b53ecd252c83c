//! Evidence that a value is written the way phone numbers are written — never digit-stripping.
//!
//! A phone is digits grouped by spaces, dashes, parentheses around an area code, a slash, or dots
//! used as group separators (`091.234.5678`), with an optional leading `+` / `00` and an optional
//! extension. A decimal number (`-89.1526108`, `10.7769`), a thousands-grouped amount
//! (`1.250.000`), an IPv4 address, a date, a coordinate (`10.77°`, `N 10.77`) or a value with
//! letters is never a phone, whatever digits it holds.

/// A value in a phone shape. `Copy`, no allocation: its digits live inline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhoneShape {
    buf: [u8; 20],
    len: u8,
    /// Written internationally: leading `+` (or `(+`), or `00` followed by a country code.
    pub plus: bool,
    /// Written with a `00` international prefix (the digits still hold it).
    pub double_zero: bool,
    /// Grouped with separators or an area code in parentheses (not a bare digit run).
    pub formatted: bool,
}

impl PhoneShape {
    /// Every digit of the number, in order (extension excluded).
    pub fn digits(&self) -> &str {
        // Only ASCII digits are ever stored.
        std::str::from_utf8(&self.buf[..self.len as usize]).unwrap_or("")
    }
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

thread_local! {
    /// The last value parsed on this thread and its shape: the phone detectors of one column
    /// (VN, CN, SG, landlines, other countries) read the same value in turn.
    static LAST: std::cell::RefCell<([u8; 40], u8, Option<PhoneShape>)> =
        const { std::cell::RefCell::new(([0; 40], 0, None)) };
}

/// Parses `v` as a phone-shaped value, or `None` when its shape is not one a phone is written in.
pub fn parse(v: &str) -> Option<PhoneShape> {
    let v = v.trim();
    if v.len() < 7 || v.len() > 40 {
        return None;
    }
    LAST.with(|c| {
        let (key, n, hit) = &*c.borrow();
        if *n as usize == v.len() && &key[..v.len()] == v.as_bytes() {
            return Some(*hit);
        }
        None
    })
    .unwrap_or_else(|| {
        let out = parse_uncached(v);
        LAST.with(|c| {
            let mut c = c.borrow_mut();
            c.0[..v.len()].copy_from_slice(v.as_bytes());
            c.1 = v.len() as u8;
            c.2 = out;
        });
        out
    })
}

fn parse_uncached(v: &str) -> Option<PhoneShape> {
    let v = strip_extension(v);
    let b = v.as_bytes();
    // A sign that is not `+` makes a number, never a phone.
    if b.len() < 7 || b[0] == b'-' {
        return None;
    }
    let mut buf = [0u8; 20];
    let mut len = 0usize;
    let mut plus = false;
    let (mut dots, mut others) = (0usize, 0usize);
    let mut open = false;
    let mut parens = 0usize;
    let mut paren_digits = 0usize;
    let (mut dashes, mut slashes) = (0usize, 0usize);
    let mut prev = 0u8;
    let sep = |c: u8| matches!(c, b'.' | b'-' | b'/');
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'0'..=b'9' => {
                if len == buf.len() {
                    return None;
                }
                buf[len] = c;
                len += 1;
                if open {
                    paren_digits += 1;
                }
            }
            b'+' => {
                // Only as the very first mark: `+84…` or `(+84)…`.
                if plus || len > 0 || !(i == 0 || (i == 1 && b[0] == b'(')) {
                    return None;
                }
                plus = true;
            }
            b'(' => {
                if open || parens > 0 {
                    return None;
                }
                open = true;
                paren_digits = 0;
            }
            b')' => {
                if !open || !(1..=5).contains(&paren_digits) {
                    return None;
                }
                open = false;
                parens += 1;
            }
            b'.' => dots += 1,
            b' ' => others += 1,
            b'-' => {
                dashes += 1;
                others += 1;
            }
            b'/' => {
                slashes += 1;
                others += 1;
            }
            _ => return None,
        }
        // Separators never come in pairs (`1  2`, `1--2`, `1.-2`); `+` is followed by a digit.
        if (sep(prev) && sep(c))
            || (prev == b' ' && c == b' ')
            || (prev == b'+' && !c.is_ascii_digit())
        {
            return None;
        }
        prev = c;
    }
    if open || slashes > 1 || sep(prev) {
        return None;
    }
    if dots > 0 && !dotted_phone(v, dots, others + parens) {
        return None;
    }
    // `2019-03-02`, `12/03/2011`: dates, not phones.
    if (dashes == 2 || slashes == 1)
        && len <= 8
        && crate::validators::dates::parse_date(v).is_some()
    {
        return None;
    }
    let double_zero = !plus && len >= 2 && buf[0] == b'0' && buf[1] == b'0';
    if !(7..=15).contains(&(len - if double_zero { 2 } else { 0 })) {
        return None;
    }
    Some(PhoneShape {
        buf,
        len: len as u8,
        plus: plus || double_zero,
        double_zero,
        formatted: parens > 0 || others + dots > 0,
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
    let groups = body.split('.');
    let (mut n, mut all_three, mut small) = (0usize, true, true);
    let mut first = "";
    for (i, g) in groups.enumerate() {
        if g.is_empty() || g.len() > 4 || (i > 0 && g.len() < 2) {
            return false;
        }
        if i == 0 {
            first = g;
        } else {
            all_three &= g.len() == 3;
        }
        small &= g.len() <= 3;
        n += 1;
    }
    // IPv4: four groups of at most three digits.
    if n == 4 && small {
        return false;
    }
    // Thousands grouping: 1-3 digits not starting with 0, then groups of exactly three.
    !(!first.starts_with('0') && first.len() <= 3 && all_three)
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
