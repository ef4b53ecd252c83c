//! Times as stored (UTC, `YYYY-MM-DDTHH:MM:SSZ`), parsed from what users type, and shown in a
//! case's timezone.

use crate::error::{CaseError, Result};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// Formats an instant as stored.
pub fn fmt_utc(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Parses a stored (or any RFC 3339) instant.
pub fn parse_utc(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s.trim())
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// Parses an IANA timezone name.
pub fn tz(name: &str) -> Result<Tz> {
    leakscope_obligations::facts::parse_tz(name).map_err(CaseError::Usage)
}

/// The case timezone, UTC when the stored name is not valid.
pub fn tz_or_utc(name: &str) -> Tz {
    name.parse().unwrap_or(chrono_tz::UTC)
}

/// Parses what a user typed (RFC 3339, `YYYY-MM-DD HH:MM[:SS]`, `YYYY-MM-DD`), local times read
/// in `zone`.
pub fn parse_user(text: &str, zone: Tz) -> Result<DateTime<Utc>> {
    leakscope_obligations::facts::parse_time(text, zone).map_err(CaseError::Usage)
}

/// `2026-01-03 10:00 +08` in the zone.
pub fn local(t: DateTime<Utc>, zone: Tz) -> String {
    let l = t.with_timezone(&zone);
    let off = l.format("%:z").to_string();
    let off = off.strip_suffix(":00").unwrap_or(&off).to_string();
    format!("{} {}", l.format("%Y-%m-%d %H:%M"), off)
}

/// An RFC 3339 time with its own offset shown as `2026-01-04 23:59 +08` (the text itself when
/// unreadable).
pub fn pretty_offset(s: &str) -> String {
    match DateTime::parse_from_rfc3339(s.trim()) {
        Ok(t) => {
            let off = t.format("%:z").to_string();
            let off = off.strip_suffix(":00").unwrap_or(&off).to_string();
            format!("{} {off}", t.format("%Y-%m-%d %H:%M"))
        }
        Err(_) => s.to_string(),
    }
}

/// A stored instant shown in the zone (the text itself when unreadable).
pub fn local_str(s: &str, zone: Tz) -> String {
    parse_utc(s).map_or_else(|| s.to_string(), |t| local(t, zone))
}

/// "2 d 3 h", "5 h 10 min", "12 min" for a duration in seconds (absolute value).
pub fn span(seconds: i64) -> String {
    let s = seconds.unsigned_abs();
    let (d, h, m) = (s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60);
    if d > 0 {
        format!("{d} d {h} h")
    } else if h > 0 {
        format!("{h} h {m} min")
    } else {
        format!("{m} min")
    }
}

/// Splits a trailing date or date-time off an event text: `notified PDPC 2026-01-03 10:00` →
/// (`notified PDPC`, `2026-01-03 10:00`).
pub fn split_trailing_time(text: &str) -> (String, Option<String>) {
    let words: Vec<&str> = text.split_whitespace().collect();
    let is_date = |w: &str| {
        let b = w.as_bytes();
        b.len() >= 10
            && b[..4].iter().all(u8::is_ascii_digit)
            && b[4] == b'-'
            && b[5..7].iter().all(u8::is_ascii_digit)
            && b[7] == b'-'
            && b[8..10].iter().all(u8::is_ascii_digit)
    };
    let is_clock = |w: &str| {
        let b = w.as_bytes();
        (b.len() == 5 || b.len() == 8)
            && b[..2].iter().all(u8::is_ascii_digit)
            && b[2] == b':'
            && b[3..5].iter().all(u8::is_ascii_digit)
    };
    let n = words.len();
    if n >= 3 && is_date(words[n - 2]) && is_clock(words[n - 1]) {
        return (
            words[..n - 2].join(" "),
            Some(format!("{} {}", words[n - 2], words[n - 1])),
        );
    }
    if n >= 2 && is_date(words[n - 1]) {
        return (words[..n - 1].join(" "), Some(words[n - 1].to_string()));
    }
    (words.join(" "), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_times_are_split_off() {
        assert_eq!(
            split_trailing_time("notified PDPC 2026-01-03 10:00"),
            ("notified PDPC".into(), Some("2026-01-03 10:00".into()))
        );
        assert_eq!(
            split_trailing_time("aware 2026-01-01T09:00:00+08:00"),
            ("aware".into(), Some("2026-01-01T09:00:00+08:00".into()))
        );
        assert_eq!(
            split_trailing_time("called the bank"),
            ("called the bank".into(), None)
        );
        let t = parse_user("2026-01-03 10:00", tz("Asia/Singapore").unwrap()).unwrap();
        assert_eq!(fmt_utc(t), "2026-01-03T02:00:00Z");
        assert_eq!(
            local(t, tz("Asia/Singapore").unwrap()),
            "2026-01-03 10:00 +08"
        );
        assert_eq!(span(-93_600), "1 d 2 h");
    }
}
