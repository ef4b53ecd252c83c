//! Calendar arithmetic (proleptic Gregorian) and "today".

use std::time::{SystemTime, UNIX_EPOCH};

/// True when (y, m, d) is a real calendar date.
pub fn valid_ymd(y: i32, m: u32, d: u32) -> bool {
    if !(1..=12).contains(&m) || d == 0 {
        return false;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let dim = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    d <= dim[(m - 1) as usize]
}

/// Days since 1970-01-01 of a civil date.
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y } as i64;
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

/// Civil date of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    ((if m <= 2 { y + 1 } else { y }) as i32, m, d)
}

/// Seconds since the Unix epoch now.
pub fn now_unix() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
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
    fn round_trips_days() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
        assert_eq!(civil_from_days(19_000), (2022, 1, 8));
        assert!(!valid_ymd(2023, 2, 29));
        assert!(valid_ymd(2000, 2, 29));
    }
}
