//! Dates written through a format mask — Oracle's `TO_DATE('18-FEB-62', 'DD-MON-RR')` and
//! MySQL's `STR_TO_DATE('18/02/1962', '%d/%m/%Y')` — turned into ISO 8601 text
//! (`1962-02-18`, `1962-02-18 00:00:00`), which every date parser downstream understands.

/// Month abbreviations (English, as Oracle's default `NLS_DATE_LANGUAGE` writes them).
const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

/// The parts of a date read so far.
#[derive(Default)]
struct Parts {
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
    hour: Option<u32>,
    minute: Option<u32>,
    second: Option<u32>,
    fraction: Option<String>,
    pm: Option<bool>,
}

impl Parts {
    fn iso(&self) -> Option<String> {
        let (y, m, d) = (self.year?, self.month?, self.day.unwrap_or(1));
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
            return None;
        }
        let mut out = format!("{y:04}-{m:02}-{d:02}");
        if self.hour.is_some() || self.minute.is_some() || self.second.is_some() {
            let mut h = self.hour.unwrap_or(0);
            match self.pm {
                Some(true) if h < 12 => h += 12,
                Some(false) if h == 12 => h = 0,
                _ => {}
            }
            let (mi, s) = (self.minute.unwrap_or(0), self.second.unwrap_or(0));
            if h > 23 || mi > 59 || s > 60 {
                return None;
            }
            out.push_str(&format!(" {h:02}:{mi:02}:{s:02}"));
            if let Some(f) = &self.fraction {
                out.push('.');
                out.push_str(f);
            }
        }
        Some(out)
    }
}

/// Reads up to `max` digits at the front of `s`; returns the value and the digits used.
fn digits(s: &[u8], max: usize) -> Option<(u32, usize)> {
    let n = s
        .iter()
        .take(max)
        .take_while(|c| c.is_ascii_digit())
        .count();
    if n == 0 {
        return None;
    }
    let v = s[..n]
        .iter()
        .fold(0u32, |v, &c| v * 10 + u32::from(c - b'0'));
    Some((v, n))
}

/// A two-digit year the Oracle `RR` way (00–49 → 20xx, 50–99 → 19xx).
fn rr_year(v: u32) -> i32 {
    if v < 50 {
        2000 + v as i32
    } else {
        1900 + v as i32
    }
}

/// Month from its English name or abbreviation at the front of `s`.
fn month_name(s: &[u8]) -> Option<(u32, usize)> {
    let letters = s.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    if letters < 3 {
        return None;
    }
    let word = std::str::from_utf8(&s[..letters])
        .ok()?
        .to_ascii_uppercase();
    let m = MONTHS.iter().position(|m| word.starts_with(m))?;
    Some((m as u32 + 1, letters))
}

/// `value` read with an Oracle format mask, as ISO 8601 text; `None` when it does not fit.
pub(crate) fn oracle(value: &str, mask: &str) -> Option<String> {
    let v = value.trim().as_bytes();
    let m = mask.trim().to_ascii_uppercase();
    let m = m.as_bytes();
    let (mut i, mut j) = (0, 0);
    let mut p = Parts::default();
    let has = |m: &[u8], j: usize, t: &str| m[j..].starts_with(t.as_bytes());
    while j < m.len() {
        // `FX` (exact matching) and `FM` (fill mode) only change matching strictness.
        if has(m, j, "FX") || has(m, j, "FM") {
            j += 2;
            continue;
        }
        if m[j] == b'"' {
            // Quoted literal text.
            let end = m[j + 1..].iter().position(|&c| c == b'"')? + j + 1;
            let lit = &m[j + 1..end];
            if !v.get(i..i + lit.len())?.eq_ignore_ascii_case(lit) {
                return None;
            }
            i += lit.len();
            j = end + 1;
            continue;
        }
        let rest = &v[i.min(v.len())..];
        let (used, took) = if has(m, j, "YYYY") || has(m, j, "RRRR") || has(m, j, "SYYYY") {
            let sign = usize::from(m[j] == b'S');
            let (y, n) = digits(rest, 4)?;
            p.year = Some(if n <= 2 { rr_year(y) } else { y as i32 });
            (4 + sign, n)
        } else if has(m, j, "YY") || has(m, j, "RR") {
            let (y, n) = digits(rest, 2)?;
            p.year = Some(if n == 1 { 2000 + y as i32 } else { rr_year(y) });
            (2, n)
        } else if has(m, j, "MONTH") || has(m, j, "MON") {
            let (mo, n) = month_name(rest)?;
            p.month = Some(mo);
            (if has(m, j, "MONTH") { 5 } else { 3 }, n)
        } else if has(m, j, "MM") {
            let (mo, n) = digits(rest, 2)?;
            p.month = Some(mo);
            (2, n)
        } else if has(m, j, "DDD") {
            return None;
        } else if has(m, j, "DD") {
            let (d, n) = digits(rest, 2)?;
            p.day = Some(d);
            (2, n)
        } else if has(m, j, "DY") || has(m, j, "DAY") {
            let n = rest.iter().take_while(|c| c.is_ascii_alphabetic()).count();
            (if has(m, j, "DAY") { 3 } else { 2 }, n)
        } else if has(m, j, "HH24") {
            let (h, n) = digits(rest, 2)?;
            p.hour = Some(h);
            (4, n)
        } else if has(m, j, "HH12") || has(m, j, "HH") {
            let (h, n) = digits(rest, 2)?;
            p.hour = Some(h);
            (if has(m, j, "HH12") { 4 } else { 2 }, n)
        } else if has(m, j, "MI") {
            let (mi, n) = digits(rest, 2)?;
            p.minute = Some(mi);
            (2, n)
        } else if has(m, j, "SSSSS") {
            return None;
        } else if has(m, j, "SS") {
            let (s, n) = digits(rest, 2)?;
            p.second = Some(s);
            (2, n)
        } else if has(m, j, "FF") {
            let width = m.get(j + 2).filter(|c| c.is_ascii_digit()).map_or(0, |_| 1);
            let n = rest.iter().take_while(|c| c.is_ascii_digit()).count();
            if n > 0 {
                p.fraction = Some(String::from_utf8_lossy(&rest[..n]).into_owned());
            }
            (2 + width, n)
        } else if has(m, j, "AM") || has(m, j, "PM") || has(m, j, "A.M.") || has(m, j, "P.M.") {
            let dotted = m[j + 1] == b'.';
            let upper: Vec<u8> = rest.iter().take(4).map(u8::to_ascii_uppercase).collect();
            let pm = if upper.starts_with(b"PM") || upper.starts_with(b"P.M.") {
                true
            } else if upper.starts_with(b"AM") || upper.starts_with(b"A.M.") {
                false
            } else {
                return None;
            };
            p.pm = Some(pm);
            let n = if upper.get(1) == Some(&b'.') { 4 } else { 2 };
            (if dotted { 4 } else { 2 }, n)
        } else if has(m, j, "TZH") || has(m, j, "TZM") || has(m, j, "TZR") {
            // Time zones are not part of the local date; skip the value's zone text.
            let n = rest.iter().take_while(|c| !c.is_ascii_whitespace()).count();
            (3, n)
        } else if m[j] == b'X' {
            // Oracle's "local radix character" before fractions.
            (
                1,
                usize::from(rest.first().is_some_and(|c| !c.is_ascii_digit())),
            )
        } else if m[j].is_ascii_alphanumeric() {
            // A mask element we do not know: give up rather than guess.
            return None;
        } else {
            // Separator: any run of punctuation or space in the value matches it.
            let n = rest
                .iter()
                .take_while(|c| !c.is_ascii_alphanumeric())
                .count();
            (1, n)
        };
        i += took;
        j += used;
    }
    if i < v.len() && v[i..].iter().any(|c| !c.is_ascii_whitespace()) {
        return None;
    }
    p.iso()
}

/// `value` read with a MySQL `STR_TO_DATE` format (`%d/%m/%Y %H:%i:%s`), as ISO 8601 text.
pub(crate) fn mysql(value: &str, format: &str) -> Option<String> {
    let v = value.trim().as_bytes();
    let f = format.as_bytes();
    let (mut i, mut j) = (0, 0);
    let mut p = Parts::default();
    while j < f.len() {
        let rest = &v[i.min(v.len())..];
        if f[j] != b'%' || j + 1 == f.len() {
            if rest.first() != Some(&f[j]) {
                return None;
            }
            i += 1;
            j += 1;
            continue;
        }
        let took = match f[j + 1] {
            b'Y' => {
                let (y, n) = digits(rest, 4)?;
                p.year = Some(y as i32);
                n
            }
            b'y' => {
                let (y, n) = digits(rest, 2)?;
                p.year = Some(if y < 70 {
                    2000 + y as i32
                } else {
                    1900 + y as i32
                });
                n
            }
            b'm' | b'c' => {
                let (m, n) = digits(rest, 2)?;
                p.month = Some(m);
                n
            }
            b'b' | b'M' => {
                let (m, n) = month_name(rest)?;
                p.month = Some(m);
                n
            }
            b'd' | b'e' => {
                let (d, n) = digits(rest, 2)?;
                p.day = Some(d);
                n
            }
            b'H' | b'k' | b'h' | b'I' | b'l' => {
                let (h, n) = digits(rest, 2)?;
                p.hour = Some(h);
                n
            }
            b'i' => {
                let (mi, n) = digits(rest, 2)?;
                p.minute = Some(mi);
                n
            }
            b's' | b'S' => {
                let (s, n) = digits(rest, 2)?;
                p.second = Some(s);
                n
            }
            b'f' => {
                let n = rest.iter().take_while(|c| c.is_ascii_digit()).count();
                p.fraction = Some(String::from_utf8_lossy(&rest[..n]).into_owned());
                n
            }
            b'p' => {
                let upper: Vec<u8> = rest.iter().take(2).map(u8::to_ascii_uppercase).collect();
                p.pm = Some(match upper.as_slice() {
                    b"PM" => true,
                    b"AM" => false,
                    _ => return None,
                });
                2
            }
            b'%' => usize::from(rest.first() == Some(&b'%')),
            _ => return None,
        };
        i += took;
        j += 2;
    }
    if i < v.len() {
        return None;
    }
    p.iso()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oracle_masks() {
        assert_eq!(
            oracle("1962-2-18 00:00:00", "yyyy-mm-dd hh24:mi:ss").as_deref(),
            Some("1962-02-18 00:00:00")
        );
        assert_eq!(
            oracle("17-DEC-80", "DD-MON-RR").as_deref(),
            Some("1980-12-17")
        );
        assert_eq!(
            oracle("03-JAN-05", "DD-MON-RR").as_deref(),
            Some("2005-01-03")
        );
        assert_eq!(
            oracle("2020/07/04", "YYYY/MM/DD").as_deref(),
            Some("2020-07-04")
        );
        assert_eq!(
            oracle("01-JAN-20 10.05.07.250000 PM", "DD-MON-RR HH.MI.SSXFF AM").as_deref(),
            Some("2020-01-01 22:05:07.250000")
        );
        assert_eq!(
            oracle("March 5, 2001", "Month DD, YYYY").as_deref(),
            Some("2001-03-05")
        );
        assert_eq!(oracle("2020-13-01", "YYYY-MM-DD"), None);
        assert_eq!(oracle("2020-01-01 junk", "YYYY-MM-DD"), None);
        assert_eq!(oracle("2020-01-01", "J"), None);
    }

    #[test]
    fn mysql_formats() {
        assert_eq!(
            mysql("18/02/1962 07:30:00", "%d/%m/%Y %H:%i:%s").as_deref(),
            Some("1962-02-18 07:30:00")
        );
        assert_eq!(
            mysql("Feb 3 2001", "%b %e %Y").as_deref(),
            Some("2001-02-03")
        );
        assert_eq!(mysql("18/02", "%d/%m/%Y"), None);
    }
}
