//! Resolving a date expression against the post date.

use super::find::Expr;
use crate::model::DateValue;
use chrono::{Datelike, Duration, NaiveDate};

/// Resolves an expression to a date value against the post date.
pub(super) fn resolve(x: Expr, posted: Option<NaiveDate>) -> DateValue {
    let day = |d: NaiveDate| Some(d.format("%Y-%m-%d").to_string());
    match x {
        Expr::Abs { y, m, d } => {
            let precision = match (m, d) {
                (Some(_), Some(_)) => "day",
                (Some(_), None) => "month",
                _ => "year",
            };
            let (year, inferred) = match (y, posted) {
                (Some(y), _) => (Some(y), false),
                (None, Some(p)) => {
                    let candidate =
                        NaiveDate::from_ymd_opt(p.year(), m.unwrap_or(1), d.unwrap_or(1));
                    match candidate {
                        Some(c) if c > p + Duration::days(1) => (Some(p.year() - 1), true),
                        Some(_) => (Some(p.year()), true),
                        None => (None, true),
                    }
                }
                (None, None) => (None, true),
            };
            let value = year.map(|y| match precision {
                "day" => format!("{y:04}-{:02}-{:02}", m.unwrap_or(1), d.unwrap_or(1)),
                "month" => format!("{y:04}-{:02}", m.unwrap_or(1)),
                _ => format!("{y:04}"),
            });
            DateValue {
                value,
                precision: Some(precision.into()),
                year_inferred: inferred,
                relative: false,
            }
        }
        Expr::Days(n) => DateValue {
            value: posted.and_then(|p| day(p + Duration::days(n))),
            precision: Some("day".into()),
            year_inferred: false,
            relative: true,
        },
        Expr::Weekday { wd, week } => {
            let value = posted.map(|p| {
                let pw = p.weekday().number_from_monday() as i64;
                match week {
                    Some(w) => p + Duration::days(7 * w - (pw - 1) + (wd as i64 - 1)),
                    None => p - Duration::days((pw - wd as i64).rem_euclid(7)),
                }
            });
            DateValue {
                value: value.and_then(day),
                precision: Some("day".into()),
                year_inferred: false,
                relative: true,
            }
        }
        Expr::Period { unit, offset } => {
            let (value, precision) = match (unit, posted) {
                ('w', Some(p)) => {
                    let monday = p - Duration::days(p.weekday().num_days_from_monday() as i64)
                        + Duration::days(7 * offset);
                    (day(monday), "week")
                }
                ('m', Some(p)) => {
                    let total = p.year() * 12 + p.month0() as i32 + offset as i32;
                    (
                        Some(format!("{:04}-{:02}", total / 12, total % 12 + 1)),
                        "month",
                    )
                }
                ('y', Some(p)) => (Some(format!("{:04}", p.year() + offset as i32)), "year"),
                ('w', None) => (None, "week"),
                ('m', None) => (None, "month"),
                _ => (None, "year"),
            };
            DateValue {
                value,
                precision: Some(precision.into()),
                year_inferred: false,
                relative: true,
            }
        }
        Expr::Stale { years } => DateValue {
            value: posted.map(|p| format!("{:04}", p.year() - years as i32)),
            precision: Some("year".into()),
            year_inferred: false,
            relative: true,
        },
    }
}

pub(super) fn to_date(v: &DateValue) -> Option<NaiveDate> {
    let s = v.value.as_deref()?;
    if v.precision.as_deref() == Some("day") {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays_and_periods_resolve_against_the_post_date() {
        let p = NaiveDate::from_ymd_opt(2025, 6, 12); // a Thursday
        let v = |x| resolve(x, p).value.unwrap();
        assert_eq!(v(Expr::Weekday { wd: 3, week: None }), "2025-06-11");
        assert_eq!(v(Expr::Weekday { wd: 4, week: None }), "2025-06-12");
        assert_eq!(
            v(Expr::Weekday {
                wd: 2,
                week: Some(-1)
            }),
            "2025-06-03"
        );
        assert_eq!(v(Expr::Days(-1)), "2025-06-11");
        assert_eq!(
            v(Expr::Period {
                unit: 'm',
                offset: -1
            }),
            "2025-05"
        );
        assert_eq!(
            v(Expr::Period {
                unit: 'y',
                offset: -1
            }),
            "2024"
        );
        assert_eq!(v(Expr::Stale { years: 2 }), "2023");
        let partial = resolve(
            Expr::Abs {
                y: None,
                m: Some(12),
                d: Some(28),
            },
            p,
        );
        assert_eq!(partial.value.as_deref(), Some("2024-12-28"));
        assert!(partial.year_inferred);
        assert_eq!(resolve(Expr::Days(-1), None).value, None);
    }
}
