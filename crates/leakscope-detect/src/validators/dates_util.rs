//! Calendar arithmetic (proleptic Gregorian) and "today", on `chrono` — the one calendar
//! implementation of the workspace (scan, verify, corpus and synth call these or chrono itself).

use chrono::{Datelike, NaiveDate};

/// 1970-01-01, day 0.
const EPOCH: NaiveDate = match NaiveDate::from_ymd_opt(1970, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

/// True when (y, m, d) is a real calendar date.
pub fn valid_ymd(y: i32, m: u32, d: u32) -> bool {
    // Checked directly for the years dates are written in (every timestamp cell of a scan
    // comes here); chrono answers for the rest of its range.
    if !(1..=9999).contains(&y) {
        return NaiveDate::from_ymd_opt(y, m, d).is_some();
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// Days since 1970-01-01 of a civil date. A day past the end of its month counts on into the
/// next (day 31 of April is 1 May), as the closed-form formula this replaced did.
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let first = NaiveDate::from_ymd_opt(y, m.clamp(1, 12), 1).unwrap_or(EPOCH);
    (first - EPOCH).num_days() + i64::from(d) - 1
}

/// Civil date of a day count since 1970-01-01 (clamped to chrono's range of ±262,000 years).
pub fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let date = chrono::TimeDelta::try_days(z)
        .and_then(|t| EPOCH.checked_add_signed(t))
        .unwrap_or(if z < 0 {
            NaiveDate::MIN
        } else {
            NaiveDate::MAX
        });
    (date.year(), date.month(), date.day())
}

/// Seconds since the Unix epoch now.
pub fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}

/// [`now_unix`] read once per 4,096 calls on each thread (a bound for per-cell validators,
/// which need the time to the day, not the second).
pub fn now_unix_cached() -> i64 {
    thread_local! {
        static CACHE: std::cell::Cell<(u32, i64)> = const { std::cell::Cell::new((0, 0)) };
    }
    CACHE.with(|c| {
        let (n, t) = c.get();
        let t = if n == 0 { now_unix() } else { t };
        c.set(((n + 1) % 4_096, t));
        t
    })
}

/// Today's civil date (UTC). The clock is read once per 4,096 calls on each thread, so the
/// per-cell validators that call this stay cheap.
pub fn today() -> (i32, u32, u32) {
    thread_local! {
        static CACHE: std::cell::Cell<(u32, (i32, u32, u32))> = const { std::cell::Cell::new((0, (0, 0, 0))) };
    }
    CACHE.with(|c| {
        let (n, day) = c.get();
        if n == 0 {
            let day = civil_from_days(now_unix().div_euclid(86_400));
            c.set((4095, day));
            day
        } else {
            c.set((n - 1, day));
            day
        }
    })
}

/// True when (y, m, d) is a valid date not after today and not before 1850 (published GB 11643 vectors use 1880).
pub fn plausible_birth(y: i32, m: u32, d: u32) -> bool {
    if !valid_ymd(y, m, d) {
        return false;
    }
    let t = today();
    (y, m, d) <= t && y >= 1850
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_dates_are_chronos() {
        for y in (1..=9999)
            .step_by(7)
            .chain([1900, 2000, 2023, 2024, 2100, 9999])
        {
            for m in 0..=13 {
                for d in 0..=32 {
                    assert_eq!(
                        valid_ymd(y, m, d),
                        NaiveDate::from_ymd_opt(y, m, d).is_some(),
                        "{y}-{m}-{d}"
                    );
                }
            }
        }
    }

    #[test]
    fn round_trips_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
        assert_eq!(civil_from_days(19_000), (2022, 1, 8));
        assert!(!valid_ymd(2023, 2, 29));
        assert!(valid_ymd(2000, 2, 29));
    }
}
