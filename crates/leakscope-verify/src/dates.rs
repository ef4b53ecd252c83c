//! Dates as days since 1970-01-01, parsed from the spellings reference databases use.

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    leakscope_detect::validators::dates_util::days_from_civil(y, m, d) as i32
}

/// The civil date of a day number.
pub fn civil_from_days(z: i32) -> (i32, u32, u32) {
    leakscope_detect::validators::dates_util::civil_from_days(z as i64)
}

fn valid(y: i32, m: u32, d: u32) -> Option<i32> {
    ((1900..=2200).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| days_from_civil(y, m, d))
}

/// Parses `YYYY-MM-DD[...]`, `YYYY/MM/DD`, `YYYYMMDD`, `DD/MM/YYYY`, `DD.MM.YYYY` and Unix
/// timestamps (seconds or milliseconds) into a day number; `None` otherwise.
pub fn parse_day(value: &str) -> Option<i32> {
    let v = value.trim();
    let b = v.as_bytes();
    let num = |s: &str| s.parse::<u32>().ok();
    if b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && matches!(b[4], b'-' | b'/' | b'.')
        && b[7] == b[4]
    {
        return valid(num(&v[..4])? as i32, num(&v[5..7])?, num(&v[8..10])?);
    }
    if b.len() >= 10
        && matches!(b[2], b'/' | b'.' | b'-')
        && b[5] == b[2]
        && b[6..10].iter().all(u8::is_ascii_digit)
    {
        return valid(num(&v[6..10])? as i32, num(&v[3..5])?, num(&v[..2])?);
    }
    if b.iter().all(u8::is_ascii_digit) {
        return match b.len() {
            8 => valid(num(&v[..4])? as i32, num(&v[4..6])?, num(&v[6..8])?),
            9 | 10 => Some((v.parse::<i64>().ok()? / 86_400) as i32),
            13 => Some((v.parse::<i64>().ok()? / 86_400_000) as i32),
            _ => None,
        };
    }
    None
}

/// `YYYY-MM-DD`.
pub fn format_day(day: i32) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `March 2019`.
pub fn format_month(day: i32) -> String {
    const M: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let (y, m, _) = civil_from_days(day);
    format!("{} {y}", M[(m - 1) as usize])
}

/// Today (UTC) as a day number.
pub fn today() -> i32 {
    chrono::Utc::now().timestamp().div_euclid(86_400) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip_and_spellings() {
        for d in [-1000, 0, 17_956, 20_000, 60_000] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
        let d = days_from_civil(2019, 3, 14);
        assert_eq!(format_day(d), "2019-03-14");
        assert_eq!(format_month(d), "March 2019");
        for s in [
            "2019-03-14",
            "2019/03/14 10:00",
            "2019-03-14T08:00:00Z",
            "20190314",
            "14/03/2019",
            "14.03.2019",
        ] {
            assert_eq!(parse_day(s), Some(d), "{s}");
        }
        assert_eq!(parse_day("1552521600"), Some(d));
        assert_eq!(parse_day("1552521600000"), Some(d));
        assert_eq!(parse_day("2019-13-40"), None);
        assert_eq!(parse_day("yesterday"), None);
    }
}
