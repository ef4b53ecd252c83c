//! Calendar arithmetic (proleptic Gregorian, days since 1970-01-01): the detectors' (chrono)
//! functions, re-exported so generated dates and detected dates use one calendar.

pub use leakscope_detect::validators::dates_util::{civil_from_days, days_from_civil};

/// `YYYY-MM-DD` of a day count.
pub fn ymd(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// A moment as seconds since the Unix epoch (naive local time treated as UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Moment(pub i64);

impl Moment {
    /// Day count of this moment.
    pub fn day(self) -> i64 {
        self.0.div_euclid(86_400)
    }

    /// `(hour, minute, second)`.
    pub fn hms(self) -> (u32, u32, u32) {
        let s = self.0.rem_euclid(86_400) as u32;
        (s / 3600, s / 60 % 60, s % 60)
    }

    /// `YYYY-MM-DD HH:MM:SS`.
    pub fn iso(self) -> String {
        let (h, mi, s) = self.hms();
        format!("{} {h:02}:{mi:02}:{s:02}", ymd(self.day()))
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    pub fn rfc3339(self) -> String {
        let (h, mi, s) = self.hms();
        format!("{}T{h:02}:{mi:02}:{s:02}Z", ymd(self.day()))
    }

    /// `DD/MM/YYYY HH:MM`.
    pub fn dmy_hm(self) -> String {
        let (y, m, d) = civil_from_days(self.day());
        let (h, mi, _) = self.hms();
        format!("{d:02}/{m:02}/{y:04} {h:02}:{mi:02}")
    }

    /// `YYYY年M月D日 HH:MM`.
    pub fn zh(self) -> String {
        let (y, m, d) = civil_from_days(self.day());
        let (h, mi, _) = self.hms();
        format!("{y}年{m}月{d}日 {h:02}:{mi:02}")
    }
}

/// Parses the event-timestamp shapes this crate emits and returns the day count:
/// `YYYY-MM-DD…`, `DD/MM/YYYY…`, `YYYY年M月D日…`, Unix seconds (10 digits) or milliseconds (13).
pub fn parse_event_day(s: &str) -> Option<i64> {
    let s = s.trim();
    let b = s.as_bytes();
    if !s.is_empty() && b.iter().all(u8::is_ascii_digit) {
        let n: i64 = s.parse().ok()?;
        return match b.len() {
            10 => Some(n.div_euclid(86_400)),
            13 => Some((n / 1000).div_euclid(86_400)),
            _ => None,
        };
    }
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
        let y = s[0..4].parse().ok()?;
        let m = s[5..7].parse().ok()?;
        let d = s[8..10].parse().ok()?;
        return Some(days_from_civil(y, m, d));
    }
    if b.len() >= 10 && b[2] == b'/' && b[5] == b'/' {
        let d = s[0..2].parse().ok()?;
        let m = s[3..5].parse().ok()?;
        let y = s[6..10].parse().ok()?;
        return Some(days_from_civil(y, m, d));
    }
    if let Some((y, rest)) = s.split_once('年') {
        let (m, rest) = rest.split_once('月')?;
        let (d, _) = rest.split_once('日')?;
        return Some(days_from_civil(
            y.parse().ok()?,
            m.parse().ok()?,
            d.parse().ok()?,
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip_and_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        for z in [-800_000i64, -1, 0, 59, 10_957, 19_000, 30_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(ymd(days_from_civil(2024, 2, 29)), "2024-02-29");
    }

    #[test]
    fn parses_every_emitted_shape() {
        let t = Moment(days_from_civil(2019, 3, 2) * 86_400 + 3_723);
        let day = t.day();
        assert_eq!(t.iso(), "2019-03-02 01:02:03");
        for s in [
            t.iso(),
            t.rfc3339(),
            t.dmy_hm(),
            t.zh(),
            t.0.to_string(),
            (t.0 * 1000 + 5).to_string(),
        ] {
            assert_eq!(parse_event_day(&s), Some(day), "{s}");
        }
        assert_eq!(parse_event_day("12345"), None);
    }
}
