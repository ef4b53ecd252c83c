//! Organisation facts and times given on the command line, and their parsing.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Serialize;

/// What the organisation tells the engine about itself and the incident.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Facts {
    /// When the leak was detected / discovered.
    pub discovered_at: Option<DateTime<Utc>>,
    /// When the organisation became aware that it is a personal-data breach (default: detection).
    pub aware_at: Option<DateTime<Utc>>,
    /// When the assessment concluded the breach is notifiable.
    pub assessed_at: Option<DateTime<Utc>>,
    /// When the breach happened.
    pub occurred_at: Option<DateTime<Utc>>,
    /// The organisation operates critical information infrastructure.
    pub ciio: bool,
    /// The organisation processes the data for someone else.
    pub processor: bool,
    /// The leaked data was encrypted (keys not taken).
    pub encrypted: bool,
    /// Sector (`finance`, `health`, `telecom`...), lower case.
    pub sector: Option<String>,
    /// Countries (ISO2, upper case) the organisation is established in.
    pub established_in: Vec<String>,
    /// Affected people per jurisdiction or country code, overriding the profile.
    pub affected_overrides: BTreeMap<String, u64>,
}

impl Facts {
    /// True when `flag` (`ciio`, `processor`, `encrypted`) is set.
    pub fn flag(&self, flag: &str) -> bool {
        match flag {
            "ciio" => self.ciio,
            "processor" => self.processor,
            "encrypted" => self.encrypted,
            _ => false,
        }
    }

    /// Sets a flag by name; false for unknown names.
    pub fn set_flag(&mut self, flag: &str) -> bool {
        match flag {
            "ciio" => self.ciio = true,
            "processor" => self.processor = true,
            "encrypted" => self.encrypted = true,
            _ => return false,
        }
        true
    }
}

/// Flag names conditions may use.
pub const KNOWN_FLAGS: [&str; 3] = ["ciio", "processor", "encrypted"];

/// Parses a time given as RFC 3339, `YYYY-MM-DD HH:MM[:SS]`, `YYYY-MM-DDTHH:MM` or `YYYY-MM-DD`
/// (midnight); the last three are read in `tz`.
pub fn parse_time(text: &str, tz: Tz) -> Result<DateTime<Utc>, String> {
    let t = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Ok(dt.with_timezone(&Utc));
    }
    let naive = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
    })
    .ok_or_else(|| {
        format!(
            "cannot read time {t:?}: expected RFC 3339 (2026-03-02T09:30:00+07:00) or \
                 YYYY-MM-DD HH:MM (read in --tz)"
        )
    })?;
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|d| d.with_timezone(&Utc))
        .ok_or_else(|| format!("time {t:?} does not exist in timezone {tz}"))
}

/// Parses an IANA timezone name.
pub fn parse_tz(name: &str) -> Result<Tz, String> {
    name.parse::<Tz>().map_err(|_| {
        format!("unknown timezone {name:?} (expected an IANA name such as Asia/Singapore)")
    })
}

/// Parses `CODE=COUNT` (`SG=898791`, `US-CA=1200`).
pub fn parse_affected(text: &str) -> Result<(String, u64), String> {
    let (code, count) = text
        .split_once('=')
        .ok_or_else(|| format!("--affected {text:?}: expected CODE=COUNT, e.g. SG=898791"))?;
    let code = code.trim().to_ascii_uppercase();
    let valid = !code.is_empty()
        && code.len() <= 6
        && code.chars().all(|c| c.is_ascii_uppercase() || c == '-');
    if !valid {
        return Err(format!(
            "--affected {text:?}: {code:?} is not a country code such as SG or US-CA"
        ));
    }
    let count = count
        .trim()
        .replace([',', '_'], "")
        .parse::<u64>()
        .map_err(|_| format!("--affected {text:?}: the count must be a whole number"))?;
    Ok((code, count))
}

/// Formats a count with thousands separators (898791 → "898,791").
pub use leakscope_text::thousands;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_in_several_forms() {
        let sg: Tz = "Asia/Singapore".parse().unwrap();
        let a = parse_time("2026-01-01 09:00", sg).unwrap();
        assert_eq!(a.to_rfc3339(), "2026-01-01T01:00:00+00:00");
        let b = parse_time("2026-01-01T09:00:00+08:00", Tz::UTC).unwrap();
        assert_eq!(a, b);
        assert_eq!(
            parse_time("2026-01-01", sg).unwrap().to_rfc3339(),
            "2025-12-31T16:00:00+00:00"
        );
        assert!(parse_time("01/01/2026", sg).is_err());
        assert!(parse_time("2026-13-01 10:00", sg).is_err());
    }

    #[test]
    fn affected_overrides_parse_and_reject() {
        assert_eq!(
            parse_affected("sg=898,791").unwrap(),
            ("SG".into(), 898_791)
        );
        assert_eq!(parse_affected("US-CA=12").unwrap(), ("US-CA".into(), 12));
        assert!(parse_affected("SG").is_err());
        assert!(parse_affected("SG=many").is_err());
        assert!(parse_affected("S1=3").is_err());
        assert!(parse_affected("SG=-3").is_err());
    }
}
