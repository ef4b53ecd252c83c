//! Calendar arithmetic for record dates: parsing `YYYY-MM-DD`, day counts, whole months between
//! dates, the age phrase, and the current UTC time in RFC 3339.

/// A calendar date (proleptic Gregorian).
pub type Ymd = (i32, u32, u32);

/// Days since 1970-01-01 of a civil date (the detectors' calendar arithmetic).
pub fn days_from_civil((y, m, d): Ymd) -> i64 {
    leakscope_detect::validators::dates_util::days_from_civil(y, m, d)
}

/// The civil date of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> Ymd {
    leakscope_detect::validators::dates_util::civil_from_days(z)
}

/// Parses a strict `YYYY-MM-DD`.
pub fn parse_ymd(s: &str) -> Option<Ymd> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y: i32 = s[0..4].parse().ok()?;
    let m: u32 = s[5..7].parse().ok()?;
    let d: u32 = s[8..10].parse().ok()?;
    if !leakscope_detect::validators::dates_util::valid_ymd(y, m, d) {
        return None;
    }
    Some((y, m, d))
}

/// `YYYY-MM-DD`.
pub fn format_ymd((y, m, d): Ymd) -> String {
    format!("{y:04}-{m:02}-{d:02}")
}

/// Whole months from `a` to `b` (negative when `b` is before `a`).
pub fn whole_months(a: Ymd, b: Ymd) -> i64 {
    if b < a {
        return -whole_months(b, a);
    }
    let mut months = (b.0 as i64 - a.0 as i64) * 12 + b.1 as i64 - a.1 as i64;
    if b.2 < a.2 {
        months -= 1;
    }
    months
}

/// The age phrase for the newest record relative to the discovery date, and the age in days.
pub fn age(newest: Ymd, found_on: Ymd) -> (i64, String) {
    let days = days_from_civil(found_on) - days_from_civil(newest);
    let date = format_ymd(newest);
    let text = if days < 0 {
        format!(
            "newest record {date}, {} days after the discovery date (check --found-on)",
            -days
        )
    } else if days == 0 {
        format!("newest record {date}, the day of discovery")
    } else {
        let months = whole_months(newest, found_on);
        if months >= 1 {
            let unit = if months == 1 { "month" } else { "months" };
            format!("newest record {date}, {months} {unit} before discovery")
        } else {
            let unit = if days == 1 { "day" } else { "days" };
            format!("newest record {date}, {days} {unit} before discovery")
        }
    };
    (days, text)
}

/// The current time in RFC 3339, UTC, to the second.
pub fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for z in [-800_000i64, -1, 0, 1, 17_000, 19_783, 60_000] {
            assert_eq!(days_from_civil(civil_from_days(z)), z);
        }
        assert_eq!(days_from_civil((1970, 1, 1)), 0);
        assert_eq!(
            civil_from_days(days_from_civil((2020, 2, 29))),
            (2020, 2, 29)
        );
    }

    #[test]
    fn parses_only_real_dates() {
        assert_eq!(parse_ymd("2020-10-15"), Some((2020, 10, 15)));
        assert_eq!(parse_ymd("2021-02-29"), None);
        assert_eq!(parse_ymd("2020-13-01"), None);
        assert_eq!(parse_ymd("20-10-15"), None);
        assert_eq!(parse_ymd("2020/10/15"), None);
    }

    #[test]
    fn age_phrase_matches_the_issue_example() {
        let (days, text) = age((2019, 3, 2), (2020, 10, 15));
        assert_eq!(text, "newest record 2019-03-02, 19 months before discovery");
        assert_eq!(days, 593);
        assert_eq!(
            age((2020, 10, 1), (2020, 10, 15)).1,
            "newest record 2020-10-01, 14 days before discovery"
        );
        assert!(age((2021, 1, 1), (2020, 10, 15))
            .1
            .contains("after the discovery date"));
        assert_eq!(whole_months((2020, 1, 31), (2020, 2, 29)), 0);
        assert_eq!(whole_months((2020, 1, 31), (2020, 3, 31)), 2);
    }
}
