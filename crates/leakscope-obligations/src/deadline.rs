//! Deadlines: anchors, units and the exact counting rules.
//!
//! - `hours`: the anchor instant plus N hours.
//! - `calendar_days`: day 1 is the calendar day after the anchor's local date (in the
//!   jurisdiction's timezone); the deadline is the end of day N, 23:59:59 local time.
//!   Assessed 1 Jan (any hour) with N = 3 → due 4 Jan 23:59:59.
//! - `immediately`: due at the anchor instant (already running).
//! - `as_soon_as_practicable`: no fixed instant; listed after every fixed deadline.

use chrono::{DateTime, Days, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::condition::Condition;
use crate::facts::Facts;

/// The event a deadline counts from.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Anchor {
    /// When the breach was detected / discovered.
    Detection,
    /// When the organisation became aware of a personal-data breach.
    Awareness,
    /// When the assessment concluded the breach is notifiable.
    Assessment,
    /// When the breach happened.
    Occurrence,
}

impl Anchor {
    /// Name used in text ("detection").
    pub fn name(self) -> &'static str {
        match self {
            Anchor::Detection => "detection",
            Anchor::Awareness => "awareness",
            Anchor::Assessment => "assessment",
            Anchor::Occurrence => "occurrence",
        }
    }

    /// The anchor instant from the facts, with a note when a fallback was used.
    pub fn resolve(
        self,
        facts: &Facts,
        fallback: DateTime<Utc>,
    ) -> (DateTime<Utc>, Option<String>) {
        let detected = facts.discovered_at.unwrap_or(fallback);
        match self {
            Anchor::Detection => (detected, None),
            Anchor::Awareness => match facts.aware_at {
                Some(t) => (t, None),
                None => (detected, None),
            },
            Anchor::Assessment => match facts.assessed_at {
                Some(t) => (t, None),
                None => (
                    facts.aware_at.unwrap_or(detected),
                    Some("assessment time not given (--assessed-at): counted from awareness, the earliest case".into()),
                ),
            },
            Anchor::Occurrence => match facts.occurred_at {
                Some(t) => (t, None),
                None => (
                    detected,
                    Some("occurrence time not given (--occurred-at): counted from detection; the legal deadline may already be earlier".into()),
                ),
            },
        }
    }
}

/// How the amount is counted.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Clock hours from the anchor.
    Hours,
    /// Calendar days, day 1 being the day after the anchor; due at the end of day N (local).
    CalendarDays,
    /// Due at the anchor.
    Immediately,
    /// No fixed instant.
    AsSoonAsPracticable,
}

/// A deadline as written in the rules file.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Deadline {
    /// What it counts from.
    pub anchor: Anchor,
    /// How it counts.
    pub unit: Unit,
    /// Hours or days (required for `hours` and `calendar_days`).
    #[serde(default)]
    pub amount: Option<u32>,
    /// The deadline in words ("within 72 hours of awareness").
    pub text: String,
    /// Variants that replace this deadline when their condition holds (first match wins).
    #[serde(default, rename = "override")]
    pub overrides: Vec<DeadlineOverride>,
}

/// A variant deadline (e.g. 1 hour instead of 4 for CIIOs).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DeadlineOverride {
    /// When it replaces the main deadline.
    pub when: Condition,
    /// How it counts.
    pub unit: Unit,
    /// Hours or days.
    #[serde(default)]
    pub amount: Option<u32>,
    /// In words.
    pub text: String,
}

/// A computed due time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// A fixed instant.
    At(DateTime<Utc>),
    /// As soon as practicable: no instant.
    Open,
}

/// Computes the due instant of `unit`/`amount` counted from `anchor` in `tz`.
pub fn due(unit: Unit, amount: Option<u32>, anchor: DateTime<Utc>, tz: Tz) -> Due {
    let n = amount.unwrap_or(0);
    match unit {
        Unit::Hours => Due::At(anchor + chrono::Duration::hours(i64::from(n))),
        Unit::Immediately => Due::At(anchor),
        Unit::AsSoonAsPracticable => Due::Open,
        Unit::CalendarDays => {
            let local_day = anchor.with_timezone(&tz).date_naive();
            let last_day = local_day
                .checked_add_days(Days::new(u64::from(n)))
                .unwrap_or(local_day);
            let end = last_day.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default());
            match tz.from_local_datetime(&end).latest() {
                Some(t) => Due::At(t.with_timezone(&Utc)),
                None => Due::At(anchor + chrono::Duration::days(i64::from(n) + 1)),
            }
        }
    }
}

/// Formats a signed duration as "2 d 3 h left" / "5 h 10 min overdue".
pub fn remaining_text(seconds: i64) -> String {
    let abs = seconds.unsigned_abs();
    let (d, h, m) = (abs / 86_400, (abs % 86_400) / 3600, (abs % 3600) / 60);
    let span = if d > 0 {
        format!("{d} d {h} h")
    } else if h > 0 {
        format!("{h} h {m} min")
    } else {
        format!("{m} min")
    };
    if seconds >= 0 {
        format!("{span} left")
    } else {
        format!("{span} overdue")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::parse_time;

    fn sg() -> Tz {
        "Asia/Singapore".parse().unwrap()
    }

    #[test]
    fn singapore_day_one_is_the_day_after() {
        for assessed in ["2026-01-01 00:00", "2026-01-01 10:00", "2026-01-01 23:59"] {
            let a = parse_time(assessed, sg()).unwrap();
            let Due::At(t) = due(Unit::CalendarDays, Some(3), a, sg()) else {
                panic!("open")
            };
            assert_eq!(
                t.with_timezone(&sg()).to_rfc3339(),
                "2026-01-04T23:59:59+08:00",
                "{assessed}"
            );
        }
        // 31 Dec 23:30 UTC is already 1 Jan in Singapore: the local date decides.
        let a = parse_time("2025-12-31T23:30:00Z", sg()).unwrap();
        let Due::At(t) = due(Unit::CalendarDays, Some(3), a, sg()) else {
            panic!("open")
        };
        assert_eq!(t.to_rfc3339(), "2026-01-04T15:59:59+00:00");
    }

    #[test]
    fn hours_cross_months_and_immediately_is_the_anchor() {
        let a = parse_time("2026-02-27T22:00:00Z", Tz::UTC).unwrap();
        assert_eq!(
            due(Unit::Hours, Some(72), a, sg()),
            Due::At(parse_time("2026-03-02T22:00:00Z", Tz::UTC).unwrap())
        );
        assert_eq!(due(Unit::Immediately, None, a, sg()), Due::At(a));
        assert_eq!(due(Unit::AsSoonAsPracticable, None, a, sg()), Due::Open);
    }

    #[test]
    fn calendar_days_across_a_dst_change() {
        let bxl: Tz = "Europe/Brussels".parse().unwrap();
        let a = parse_time("2026-03-28 12:00", bxl).unwrap();
        let Due::At(t) = due(Unit::CalendarDays, Some(1), a, bxl) else {
            panic!("open")
        };
        assert_eq!(
            t.with_timezone(&bxl).to_rfc3339(),
            "2026-03-29T23:59:59+02:00"
        );
    }

    #[test]
    fn remaining_words() {
        assert_eq!(remaining_text(3 * 86_400 + 2 * 3600), "3 d 2 h left");
        assert_eq!(remaining_text(-(4 * 3600 + 600)), "4 h 10 min overdue");
        assert_eq!(remaining_text(59), "0 min left");
    }
}
