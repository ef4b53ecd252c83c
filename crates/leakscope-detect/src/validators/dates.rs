//! Dates and timestamps in many formats; date of birth vs event time is decided per column.

use super::dates_util::{civil_from_days, now_unix_cached, valid_ymd};
use crate::ValueFacts;

/// (y, m, d) and how the date was written.
type Parsed = ((i32, u32, u32), &'static str);

/// A parsed date: (y, m, d) and how it was written (`date`, `datetime`, `unix_s`, `unix_ms`).
pub fn parse_date(v: &str) -> Option<Parsed> {
    let b = v.as_bytes();
    if b.len() < 8 || b.len() > 40 {
        return None;
    }
    if b.iter().all(u8::is_ascii_digit) {
        return match b.len() {
            8 => {
                ymd_checked(num(&b[..4]) as i32, num(&b[4..6]), num(&b[6..8])).map(|d| (d, "date"))
            }
            10 | 13 => unix(v),
            _ => None,
        };
    }
    if let Some(r) = iso_date(v) {
        return r;
    }
    if let Some(r) = han_date(v) {
        return Some(r);
    }
    // Split the date part from a time part (`T` or space).
    let (date, time) = match v.find(['T', ' ']) {
        Some(i) => (&v[..i], Some(v[i + 1..].trim())),
        None => (v, None),
    };
    if let Some(t) = time {
        if !time_ok(t) {
            return None;
        }
    }
    let kind = if time.is_some() { "datetime" } else { "date" };
    let sep = date.bytes().find(|c| matches!(c, b'-' | b'/' | b'.'))?;
    let (parts, count) = pieces::<3>(date, sep)?;
    if count != 3
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let n = parts.map(|p| num(p.as_bytes()));
    let ymd = if parts[0].len() == 4 {
        ymd_checked(n[0] as i32, n[1], n[2])
    } else if parts[2].len() == 4 {
        // Day first (VN/SG/CN/EU usage); month first only when the day-first reading is impossible.
        ymd_checked(n[2] as i32, n[1], n[0]).or_else(|| ymd_checked(n[2] as i32, n[0], n[1]))
    } else {
        None
    }?;
    Some((ymd, kind))
}

/// `YYYY-MM-DD`, alone or followed by a time after `T` or a space, read by position — the
/// layout most timestamp columns have, and exactly the answer of the general reading in
/// [`parse_date`] (`Some(None)`: not a date). `None` when `v` does not start that way.
fn iso_date(v: &str) -> Option<Option<Parsed>> {
    let b = v.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) {
        return None;
    }
    if !digits(8..10) {
        return None;
    }
    let kind = match b.get(10) {
        None => "date",
        Some(b'T' | b' ') if time_ok(v[11..].trim()) => "datetime",
        Some(_) => return Some(None),
    };
    let ymd = ymd_checked(num(&b[..4]) as i32, num(&b[5..7]), num(&b[8..10]));
    Some(ymd.map(|d| (d, kind)))
}

fn num(b: &[u8]) -> u32 {
    b.iter().fold(0u32, |a, d| {
        a.saturating_mul(10).saturating_add((d - b'0') as u32)
    })
}

fn ymd_checked(y: i32, m: u32, d: u32) -> Option<(i32, u32, u32)> {
    ((1900..=2100).contains(&y) && valid_ymd(y, m, d)).then_some((y, m, d))
}

/// `hh:mm`, `hh:mm:ss`, optional fraction and zone (`Z`, `+07:00`).
fn time_ok(t: &str) -> bool {
    let end = t
        .bytes()
        .position(|b| matches!(b, b'Z' | b'+' | b'.' | b' '))
        .unwrap_or(t.len());
    let core = &t[..end];
    let core = if core.len() > 8 && core.as_bytes()[8] == b'-' {
        &core[..8]
    } else {
        core
    };
    let Some((parts, count)) = pieces::<3>(core, b':') else {
        return false;
    };
    let parts = &parts[..count];
    count >= 2
        && parts
            .iter()
            .all(|p| p.len() == 2 && p.bytes().all(|c| c.is_ascii_digit()))
        && num(parts[0].as_bytes()) < 24
        && num(parts[1].as_bytes()) < 60
}

/// Splits `s` at the ASCII byte `sep` into at most `N` pieces (no allocation): the pieces and
/// how many there are, or `None` when there are more than `N`.
fn pieces<const N: usize>(s: &str, sep: u8) -> Option<([&str; N], usize)> {
    let mut out = [""; N];
    let mut n = 0;
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        if b == sep {
            if n + 1 >= N {
                return None;
            }
            out[n] = &s[start..i];
            n += 1;
            start = i + 1;
        }
    }
    out[n] = &s[start..];
    Some((out, n + 1))
}

/// `2019年3月2日` with an optional time after it.
fn han_date(v: &str) -> Option<((i32, u32, u32), &'static str)> {
    let (y, rest) = v.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let (d, rest) = rest.split_once(['日', '号'])?;
    let p = |s: &str| s.trim().parse::<u32>().ok();
    let ymd = ymd_checked(p(y)? as i32, p(m)?, p(d)?)?;
    let rest = rest.trim();
    let kind = if rest.is_empty() {
        "date"
    } else if time_ok(rest) {
        "datetime"
    } else {
        return None;
    };
    Some((ymd, kind))
}

/// Unix seconds (10 digits) or milliseconds (13 digits) between 2001 and one year from now.
fn unix(v: &str) -> Option<((i32, u32, u32), &'static str)> {
    let n: i64 = v.parse().ok()?;
    let (secs, kind) = if v.len() == 13 {
        (n / 1000, "unix_ms")
    } else {
        (n, "unix_s")
    };
    if secs < 978_307_200 || secs > now_unix_cached() + 366 * 86_400 {
        return None;
    }
    Some((civil_from_days(secs.div_euclid(86_400)), kind))
}

/// Any date or date-time (used for both `date_of_birth` and `timestamp` detectors).
pub fn date_value(v: &str) -> Option<ValueFacts> {
    let (ymd, kind) = parse_date(v)?;
    Some(ValueFacts {
        date: Some(ymd),
        kind: Some(kind),
        ..Default::default()
    })
}

/// A calendar date without a time (a date of birth candidate).
pub fn date_only(v: &str) -> Option<ValueFacts> {
    date_value(v).filter(|f| f.kind == Some("date"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The general reading alone (without the positional `YYYY-MM-DD` path).
    fn general(v: &str) -> Option<((i32, u32, u32), &'static str)> {
        let (date, time) = match v.find(['T', ' ']) {
            Some(i) => (&v[..i], Some(v[i + 1..].trim())),
            None => (v, None),
        };
        if time.is_some_and(|t| !time_ok(t)) {
            return None;
        }
        let kind = if time.is_some() { "datetime" } else { "date" };
        let (parts, count) = pieces::<3>(date, b'-')?;
        if count != 3
            || parts
                .iter()
                .any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|c| c.is_ascii_digit()))
        {
            return None;
        }
        if parts[0].len() != 4 {
            return None;
        }
        let n = parts.map(|p| num(p.as_bytes()));
        Some((ymd_checked(n[0] as i32, n[1], n[2])?, kind))
    }

    #[test]
    fn positional_iso_dates_read_like_the_general_reading() {
        let dates = [
            "2023-01-01",
            "2024-02-29",
            "2023-02-29",
            "2023-13-01",
            "1899-12-31",
            "2101-01-01",
            "2023-04-31",
        ];
        let tails = [
            "",
            "T00:16:01Z",
            " 23:59:59",
            " 24:00:00",
            "T10:11",
            "T10:1",
            " 10:11:12+07:00",
            "T10:11:12.123Z",
            "X10:11",
            "-01",
            " ",
            "T",
            "  10:11:12",
            " 10:11:12 extra",
        ];
        let mut checked = 0;
        for d in dates {
            for t in tails {
                let v = format!("{d}{t}");
                if v.len() > 40 || iso_date(&v).is_none() {
                    continue;
                }
                assert_eq!(parse_date(&v), general(&v), "{v}");
                checked += 1;
            }
        }
        assert_eq!(checked, dates.len() * tails.len());
    }

    #[test]
    fn formats() {
        assert_eq!(parse_date("02/03/2019"), Some(((2019, 3, 2), "date")));
        assert_eq!(parse_date("12/31/2019"), Some(((2019, 12, 31), "date")));
        assert_eq!(parse_date("2019-03-02"), Some(((2019, 3, 2), "date")));
        assert_eq!(parse_date("2019年3月2日"), Some(((2019, 3, 2), "date")));
        assert_eq!(
            parse_date("2019-03-02T10:11:12Z"),
            Some(((2019, 3, 2), "datetime"))
        );
        assert_eq!(
            parse_date("2019-03-02 10:11:12+07:00"),
            Some(((2019, 3, 2), "datetime"))
        );
        assert_eq!(parse_date("1551520272"), Some(((2019, 3, 2), "unix_s")));
        assert_eq!(parse_date("1551520272000"), Some(((2019, 3, 2), "unix_ms")));
        assert_eq!(parse_date("19900115"), Some(((1990, 1, 15), "date")));
        for bad in [
            "2019-13-02",
            "31/02/2019",
            "0912345678",
            "2019-03-02 25:00",
            "1.2.3.4",
            "12345678",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }
}
