//! Dates: absolute (`2025-10-14`, `14/10/2025`, `March 3, 2025`, `2025年3月18日`, `ngày 3 tháng 3
//! năm 2025`), partial (`March 3`, `ngày 10/4`, `3月5日`, `May 2021`, `tháng 7/2025`), relative
//! (`yesterday`, `on Tuesday`, `Tuesday last week`, `上周二`, `3 days ago`, `two years out of
//! date`). The post date comes first (format metadata, a `posted` cue, or a dateline among the
//! first lines); partial and relative dates are resolved against it. Each other date is typed by
//! the nearest `date:` cue in its clause (else before it in its sentence); untyped dates are
//! dropped.

use super::{Ctx, Draft, Ev};
use crate::model::DateValue;
use chrono::{Datelike, Duration, NaiveDate};
use regex::Regex;
use std::sync::OnceLock;

/// A date expression found in the folded text.
#[derive(Debug, Clone)]
struct Found {
    s: usize,
    e: usize,
    kind: Expr,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Expr {
    /// Year, month, day as written (month/day optional).
    Abs {
        y: Option<i32>,
        m: Option<u32>,
        d: Option<u32>,
    },
    /// Offset in days from the post date.
    Days(i64),
    /// Weekday (1 = Monday) in the week `week` weeks from the post date's week (None: the most
    /// recent such day on or before the post date).
    Weekday { wd: u32, week: Option<i64> },
    /// Whole period before/at the post date: week / month / year offset.
    Period { unit: char, offset: i64 },
    /// Data this many years old.
    Stale { years: i64 },
}

fn month_alt() -> &'static str {
    static ALT: OnceLock<String> = OnceLock::new();
    ALT.get_or_init(|| {
        let mut names: Vec<&str> = vec![
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
            "jan",
            "feb",
            "mar",
            "apr",
            "jun",
            "jul",
            "aug",
            "sept",
            "sep",
            "oct",
            "nov",
            "dec",
        ];
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        names.join("|")
    })
}

fn month_num(s: &str) -> Option<u32> {
    let s = s.trim_end_matches('.');
    let names = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    names
        .iter()
        .position(|n| s.starts_with(n))
        .map(|p| p as u32 + 1)
}

struct Patterns {
    iso: Regex,
    iso_ym: Regex,
    dmy: Regex,
    day_month_name: Regex,
    month_name_day: Regex,
    month_name_year: Regex,
    zh_full: Regex,
    zh_md: Regex,
    zh_ym: Regex,
    vi_full: Regex,
    vi_dm: Regex,
    vi_my: Regex,
    year_only: Regex,
    ago: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let m = month_alt();
        let r = |s: &str| Regex::new(s).expect("valid date regex");
        Patterns {
            iso: r(r"(?:^|[^\d])(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?P<time>t\d{1,2}:\d{2}(?::\d{2})?)?(?:[^\d]|$)"),
            iso_ym: r(r"(?:^|[^\d\-/.])(\d{4})-(\d{1,2})(?:\.?\s|[^\d\-/.]|$)"),
            dmy: r(r"\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\b"),
            day_month_name: r(&format!(
                r"\b(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+({m})\.?(?:,?\s+(\d{{4}}))?\b"
            )),
            month_name_day: r(&format!(
                r"\b({m})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}})\b)?"
            )),
            month_name_year: r(&format!(r"\b({m})\.?,?\s+(\d{{4}})\b")),
            zh_full: r(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]?"),
            zh_md: r(r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号號]"),
            zh_ym: r(r"(\d{4})\s*年\s*(\d{1,2})\s*月"),
            vi_full: r(r"\bngay\s+(\d{1,2})\s+thang\s+(\d{1,2})(?:\s+nam\s+(\d{4}))?"),
            vi_dm: r(r"\bngay\s+(\d{1,2})/(\d{1,2})\b"),
            vi_my: r(r"\bthang\s+(\d{1,2})(?:/|\s+nam\s+)(\d{4})\b"),
            year_only: r(
                r"\b(?:in|since|from|during|early|mid|late|until|of|nam|tu|trong)\s+(?:early\s+|mid\s+|late\s+)?(\d{4})\b|(\d{4})\s*年(?:初|底|中)?",
            ),
            ago: r(r"\b(\d{1,3})\s*$"),
        }
    })
}

fn num(s: Option<regex::Match>) -> Option<u32> {
    s.and_then(|m| m.as_str().parse().ok())
}

/// Finds every date expression.
fn find_all(cx: &Ctx) -> Vec<Found> {
    let f = &cx.t.folded;
    let p = patterns();
    let mut out: Vec<Found> = Vec::new();
    let push = |out: &mut Vec<Found>, s: usize, e: usize, kind: Expr| {
        if out.iter().any(|o| s < o.e && e > o.s) {
            return;
        }
        out.push(Found { s, e, kind });
    };
    let dm_first = day_first(cx);
    for c in p.iso.captures_iter(f) {
        let (y, m, d) = (num(c.get(1)), num(c.get(2)), num(c.get(3)));
        if valid(y, m, d) {
            let (s, e) = (
                c.get(1).expect("year").start(),
                c.get(0).expect("match").end(),
            );
            push(
                &mut out,
                s,
                e,
                Expr::Abs {
                    y: y.map(|v| v as i32),
                    m,
                    d,
                },
            );
        }
    }
    for c in p.iso_ym.captures_iter(f) {
        let (y, m) = (num(c.get(1)), num(c.get(2)));
        if valid(y, m, Some(1)) {
            let (s, e) = (
                c.get(1).expect("year").start(),
                c.get(2).expect("month").end(),
            );
            push(
                &mut out,
                s,
                e,
                Expr::Abs {
                    y: y.map(|v| v as i32),
                    m,
                    d: None,
                },
            );
        }
    }
    for c in p.zh_full.captures_iter(f) {
        let g = c.get(0).expect("match");
        let (y, m, d) = (num(c.get(1)), num(c.get(2)), num(c.get(3)));
        if valid(y, m, d) {
            push(
                &mut out,
                g.start(),
                g.end(),
                Expr::Abs {
                    y: y.map(|v| v as i32),
                    m,
                    d,
                },
            );
        }
    }
    for c in p.vi_full.captures_iter(f) {
        let g = c.get(0).expect("match");
        let (d, m, y) = (num(c.get(1)), num(c.get(2)), num(c.get(3)));
        if valid(y.or(Some(2000)), m, d) {
            push(
                &mut out,
                g.start(),
                g.end(),
                Expr::Abs {
                    y: y.map(|v| v as i32),
                    m,
                    d,
                },
            );
        }
    }
    for c in p.dmy.captures_iter(f) {
        let g = c.get(0).expect("match");
        let (a, b, y) = (num(c.get(1)), num(c.get(2)), num(c.get(3)));
        let (Some(a), Some(b)) = (a, b) else { continue };
        let (d, m) = if a > 12 {
            (a, b)
        } else if b > 12 {
            (b, a)
        } else if dm_first {
            (a, b)
        } else {
            continue; // 03/04/2025 in an English post with no day-first country: unknown
        };
        if valid(y, Some(m), Some(d)) {
            push(
                &mut out,
                g.start(),
                g.end(),
                Expr::Abs {
                    y: y.map(|v| v as i32),
                    m: Some(m),
                    d: Some(d),
                },
            );
        }
    }
    for c in p.vi_dm.captures_iter(f) {
        let g = c.get(0).expect("match");
        let (d, m) = (num(c.get(1)), num(c.get(2)));
        if valid(Some(2000), m, d) {
            push(&mut out, g.start(), g.end(), Expr::Abs { y: None, m, d });
        }
    }
    for c in p.vi_my.captures_iter(f) {
        let g = c.get(0).expect("match");
        let (m, y) = (num(c.get(1)), num(c.get(2)));
        if valid(y, m, Some(1)) {
            push(
                &mut out,
                g.start(),
                g.end(),
                Expr::Abs {
                    y: y.map(|v| v as i32),
                    m,
                    d: None,
                },
            );
        }
    }
    for c in p.day_month_name.captures_iter(f) {
        let g = c.get(0).expect("match");
        let (d, m, y) = (
            num(c.get(1)),
            c.get(2).and_then(|m| month_num(m.as_str())),
            num(c.get(3)),
        );
        if !month_word_ok(cx, c.get(2).expect("month"), true) {
            continue;
        }
        if valid(y.or(Some(2000)), m, d) {
            push(
                &mut out,
                g.start(),
                g.end(),
                Expr::Abs {
                    y: y.map(|v| v as i32),
                    m,
                    d,
                },
            );
        }
    }
    for c in p.month_name_day.captures_iter(f) {
        let g = c.get(0).expect("match");
        let (m, d, y) = (
            c.get(1).and_then(|m| month_num(m.as_str())),
            num(c.get(2)),
            num(c.get(3)),
        );
        if !month_word_ok(cx, c.get(1).expect("month"), true) {
            continue;
        }
        // "May 2021" is month + year, not day 20.
        if c.get(3).is_none()
            && f[c.get(2).expect("day").start()..].starts_with(|ch: char| ch.is_ascii_digit())
        {
            let tail = &f[c.get(2).expect("day").start()..];
            if tail.chars().take_while(char::is_ascii_digit).count() == 4 {
                continue;
            }
        }
        if valid(y.or(Some(2000)), m, d) {
            push(
                &mut out,
                g.start(),
                g.end(),
                Expr::Abs {
                    y: y.map(|v| v as i32),
                    m,
                    d,
                },
            );
        }
    }
    for c in p.month_name_year.captures_iter(f) {
        let g = c.get(0).expect("match");
        let (m, y) = (c.get(1).and_then(|m| month_num(m.as_str())), num(c.get(2)));
        if !month_word_ok(cx, c.get(1).expect("month"), false) {
            continue;
        }
        if valid(y, m, Some(1)) {
            push(
                &mut out,
                g.start(),
                g.end(),
                Expr::Abs {
                    y: y.map(|v| v as i32),
                    m,
                    d: None,
                },
            );
        }
    }
    for c in p.zh_ym.captures_iter(f) {
        let g = c.get(0).expect("match");
        let (y, m) = (num(c.get(1)), num(c.get(2)));
        if valid(y, m, Some(1)) {
            push(
                &mut out,
                g.start(),
                g.end(),
                Expr::Abs {
                    y: y.map(|v| v as i32),
                    m,
                    d: None,
                },
            );
        }
    }
    for c in p.zh_md.captures_iter(f) {
        let g = c.get(0).expect("match");
        let (m, d) = (num(c.get(1)), num(c.get(2)));
        if valid(Some(2000), m, d) {
            push(&mut out, g.start(), g.end(), Expr::Abs { y: None, m, d });
        }
    }
    for c in p.year_only.captures_iter(f) {
        let y = c.get(1).or(c.get(2)).expect("year group");
        let yv: i32 = y.as_str().parse().unwrap_or(0);
        if (1990..=2100).contains(&yv) {
            push(
                &mut out,
                y.start(),
                c.get(0).expect("m").end().max(y.end()),
                Expr::Abs {
                    y: Some(yv),
                    m: None,
                    d: None,
                },
            );
        }
    }
    relative(cx, &mut out);
    out.sort_by_key(|x| x.s);
    out
}

/// "may" / "mar" / "jun" only as months when written with a capital letter (or numeric day).
fn month_word_ok(cx: &Ctx, m: regex::Match, _with_day: bool) -> bool {
    let orig = cx.orig(m.start(), m.end());
    let lower = m.as_str();
    if matches!(
        lower,
        "may"
            | "mar"
            | "jun"
            | "jan"
            | "sep"
            | "dec"
            | "nov"
            | "oct"
            | "aug"
            | "apr"
            | "feb"
            | "jul"
    ) {
        return orig.chars().next().is_some_and(char::is_uppercase);
    }
    true
}

fn valid(y: Option<u32>, m: Option<u32>, d: Option<u32>) -> bool {
    let y = y.unwrap_or(2000);
    let m = m.unwrap_or(1);
    let d = d.unwrap_or(1);
    (1990..=2100).contains(&y) && NaiveDate::from_ymd_opt(y as i32, m, d).is_some()
}

/// Day-first reading of ambiguous numeric dates: Vietnamese and Chinese posts, or English posts
/// that name a day-first country.
fn day_first(cx: &Ctx) -> bool {
    if cx.lang != "en" {
        return true;
    }
    cx.hits("country").iter().any(|h| {
        matches!(
            cx.value(h),
            "VN" | "SG" | "MY" | "ID" | "TH" | "IN" | "AU" | "GB" | "HK" | "KH" | "MM" | "LA"
        )
    }) || [".vn", ".sg", ".my", ".com.au", ".co.uk", ".in", ".id"]
        .iter()
        .any(|t| cx.t.folded.contains(t))
}

/// Relative expressions from the lexicon.
fn relative(cx: &Ctx, out: &mut Vec<Found>) {
    let f = &cx.t.folded;
    let mut add = |s: usize, e: usize, kind: Expr| {
        if !out.iter().any(|o| s < o.e && e > o.s) {
            out.push(Found { s, e, kind });
        }
    };
    for h in cx.hits("reldays") {
        let n: i64 = cx.value(h).parse().unwrap_or(0);
        add(h.start, h.end, Expr::Days(n));
    }
    for h in cx.hits("agounit") {
        // Number right before: "3 days ago", "两周前".
        let before = f[..h.start].trim_end();
        let n = cx
            .nums
            .iter()
            .find(|n| n.end == before.len() || n.end == h.start)
            .map(|n| n.value as i64)
            .or_else(|| {
                patterns()
                    .ago
                    .captures(before)
                    .and_then(|c| c.get(1))
                    .and_then(|m| m.as_str().parse().ok())
            });
        if let Some(n) = n {
            let unit: i64 = cx.value(h).parse().unwrap_or(1);
            let start = cx
                .nums
                .iter()
                .find(|x| x.end == before.len() || x.end == h.start)
                .map_or(h.start, |x| x.start);
            add(start, h.end, Expr::Days(-n * unit));
        }
    }
    for h in cx.hits("stale") {
        let before = f[..h.start].trim_end();
        if let Some(n) = cx.nums.iter().find(|n| n.end == before.len()) {
            add(
                n.start,
                h.end,
                Expr::Stale {
                    years: n.value as i64,
                },
            );
        }
    }
    let periods: Vec<_> = cx.hits("relperiod").to_vec();
    for h in cx.hits("weekday") {
        let wd: u32 = cx.value(h).parse().unwrap_or(1);
        let word = &f[h.start..h.end];
        let is_cjk = word.chars().any(crate::text::is_cjk);
        // Abbreviations ("mon", "sat", "sun") only inside a written date.
        if word.len() <= 4 && !is_cjk && !word.starts_with("thu ") {
            continue;
        }
        // A period right before or after: "上周二", "Tuesday last week", "last Tuesday".
        let before = f[..h.start].trim_end();
        let near = periods.iter().find(|p| {
            p.end == h.start || p.end == before.len() || (p.start >= h.end && p.start <= h.end + 1)
        });
        let last_before = before.ends_with("last") || before.ends_with("past");
        let this_before = before.ends_with("this");
        let on_before = before.ends_with(" on")
            || before.ends_with("(on")
            || before == "on"
            || before.ends_with("vao")
            || before.ends_with("hom");
        let week = match near.map(|p| cx.value(p)) {
            Some("week-1") => Some(-1),
            Some("week0") => Some(0),
            _ if last_before => Some(-1),
            _ if this_before => Some(0),
            _ => None,
        };
        let (s, e) = match near {
            Some(p) => (p.start.min(h.start), p.end.max(h.end)),
            None if last_before => (before.len() - 4, h.end),
            None => (h.start, h.end),
        };
        if week.is_none() && !on_before && !is_cjk {
            // A bare weekday ("Friday (Aug 5)") is resolved by the date written next to it.
            continue;
        }
        add(s, e, Expr::Weekday { wd, week });
    }
    for p in &periods {
        let v = cx.value(p);
        let (unit, offset) = match v {
            "week-1" => ('w', -1),
            "week0" => ('w', 0),
            "month-1" => ('m', -1),
            "month0" => ('m', 0),
            "year-1" => ('y', -1),
            "year0" => ('y', 0),
            _ => continue,
        };
        add(p.start, p.end, Expr::Period { unit, offset });
    }
}

/// Resolves an expression to a date value against the post date.
fn resolve(x: Expr, posted: Option<NaiveDate>) -> DateValue {
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

fn to_date(v: &DateValue) -> Option<NaiveDate> {
    let s = v.value.as_deref()?;
    if v.precision.as_deref() == Some("day") {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    } else {
        None
    }
}

/// Extracts `dates.*` and sets `cx.posted`.
pub(super) fn extract(cx: &mut Ctx, d: &mut Draft) {
    let found = find_all(cx);
    // Numbers inside dates are not counts.
    for x in &found {
        for n in &cx.nums {
            if n.start >= x.s && n.end <= x.e {
                cx.used_nums.push(n.start);
            }
        }
    }
    // 1. The post date: format metadata, then a "posted" cue, then a dateline.
    let mut posted_idx: Option<usize> = None;
    let mut posted_basis = None;
    if let Some((_, r)) = &cx.doc.hints.posted {
        let (s, e) = cx.folded_range(*r);
        posted_idx = found
            .iter()
            .position(|x| x.s >= s && x.e <= e + 1 && is_absolute_day(x.kind));
        posted_basis = Some("metadata");
    }
    if posted_idx.is_none() {
        posted_idx = found.iter().position(|x| {
            is_absolute(x.kind) && cue_for(cx, x).is_some_and(|(k, _)| k == "posted")
        });
    }
    if posted_idx.is_none() {
        posted_idx = found
            .iter()
            .position(|x| is_absolute(x.kind) && is_dateline(cx, x));
    }
    if let Some(i) = posted_idx {
        let v = resolve(found[i].kind, None);
        cx.posted = to_date(&v);
        let mut ev = Ev::new(found[i].s, found[i].e);
        ev.basis = posted_basis;
        d.dates.insert("posted", (v, vec![ev]));
    }
    // 2. Every other date of the body, typed by its cue (the reader's label lines only give
    // the post date).
    let body_start = if cx.doc.body_start > 0 {
        cx.t.folded_offset(cx.doc.body_start)
    } else {
        0
    };
    let mut best_dist: Vec<(&'static str, usize)> = Vec::new();
    for (i, x) in found.iter().enumerate() {
        if Some(i) == posted_idx || x.s < body_start {
            continue;
        }
        let kind = if matches!(x.kind, Expr::Stale { .. }) {
            Some(("data_as_of", None))
        } else {
            cue_for(cx, x).map(|(k, h)| (k, Some(h)))
        };
        let Some((kind, cue)) = kind else { continue };
        if kind == "posted" {
            continue; // decided above
        }
        // Two dates for one field: the one closer to its cue wins.
        let dist = cue.map_or(0, |(cs, ce)| {
            if ce <= x.s {
                x.s - ce
            } else {
                cs.saturating_sub(x.e)
            }
        });
        if let Some(&(_, old)) = best_dist.iter().find(|(k, _)| *k == kind) {
            if dist >= old {
                continue;
            }
        }
        best_dist.retain(|(k, _)| *k != kind);
        best_dist.push((kind, dist));
        let v = resolve(x.kind, cx.posted);
        let mut ev = vec![if is_absolute(x.kind) {
            Ev::new(x.s, x.e)
        } else {
            Ev::with(x.s, x.e, "post_date")
        }];
        if let Some((cs, ce)) = cue {
            ev.push(Ev::new(cs, ce));
        }
        d.dates.insert(kind, (v, ev));
    }
}

fn floor(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn is_absolute(x: Expr) -> bool {
    matches!(x, Expr::Abs { y: Some(_), .. })
}

fn is_absolute_day(x: Expr) -> bool {
    matches!(
        x,
        Expr::Abs {
            y: Some(_),
            m: Some(_),
            d: Some(_)
        }
    )
}

/// The `date:` cue for a date: nearest in its clause, else the nearest before it in its sentence.
fn cue_for(cx: &Ctx, x: &Found) -> Option<(&'static str, (usize, usize))> {
    let clause = cx.clause_of(x.s);
    let sent = cx.sent_of(x.s);
    let name = |h: &crate::lexicon::Hit| -> Option<&'static str> {
        Some(match cx.value(h) {
            "posted" => "posted",
            "breach" => "breach",
            "exfiltrated" => "exfiltrated",
            "discovered" => "discovered",
            "notified" => "notified",
            "data_as_of" => "data_as_of",
            "decision" => "decision",
            _ => return None,
        })
    };
    let dist = |h: &crate::lexicon::Hit| {
        if h.end <= x.s {
            x.s - h.end
        } else {
            (h.start.saturating_sub(x.e)) * 3 / 2
        }
    };
    // A statement date ("said on Tuesday that it had been fined") or a deadline ("will publish
    // on May 13") is not the date of the event the cue names.
    let f = &cx.t.folded;
    let lead = &f[floor(f, x.s.saturating_sub(14).max(sent.start))..x.s];
    const REPORTING: [&str; 12] = [
        "said",
        "says",
        "told",
        "announced",
        "stated",
        "cho biet",
        "thong bao",
        "表示",
        "称",
        "稱",
        "宣布",
        "发布",
    ];
    const FUTURE: [&str; 10] = [
        "will", "by", "until", "before", "deadline", "se ", "truoc", "将", "將", "前",
    ];
    if REPORTING.iter().any(|w| lead.contains(w)) || FUTURE.iter().any(|w| lead.contains(w)) {
        return None;
    }
    // "… on Wednesday confirmed that …", "hôm nay xác nhận …": the date of the statement.
    let tail = f[x.e..floor(f, (x.e + 14).min(sent.end.max(x.e)))].trim_start();
    const STATEMENT: [&str; 14] = [
        "confirmed",
        "confirms",
        "said",
        "says",
        "announced",
        "denied",
        "xac nhan",
        "cho biet",
        "thong bao",
        "bac bo",
        "证实",
        "證實",
        "确认",
        "表示",
    ];
    if STATEMENT.iter().any(|w| tail.starts_with(w)) {
        return None;
    }
    let usable = |h: &crate::lexicon::Hit| !cx.negated(h.start);
    let in_clause = cx
        .hits_in("date", clause.start, clause.end)
        .into_iter()
        .filter(|h| (h.end <= x.s || h.start >= x.e) && usable(h))
        .min_by_key(dist);
    let best = in_clause
        .or_else(|| {
            // A cue just before the date across a label colon ("Published: 2025-02-20").
            // ("Posted 3 days ago by X (2025-05-20)" also: a post cue earlier on the line).
            let line_start = f[..x.s].rfind('\n').map_or(0, |p| p + 1);
            cx.hits_in("date", sent.start, x.s)
                .into_iter()
                .filter(|h| {
                    let near = x.s - h.end <= 4;
                    let posted_same_line =
                        cx.value(h) == "posted" && h.start >= line_start && x.s - h.end <= 80;
                    (near || posted_same_line) && usable(h)
                })
                .max_by_key(|h| h.end)
        })
        .or_else(|| {
            // A date that opens its sentence ("On 22 September, the ministry fined …") takes
            // the first cue after it.
            if cx.f(sent.start, x.s).trim().chars().count() > 6 {
                return None;
            }
            cx.hits_in("date", x.e, sent.end)
                .into_iter()
                .filter(|h| h.start - x.e <= 160 && usable(h))
                .min_by_key(|h| h.start)
        })?;
    name(&best).map(|n| (n, (best.start, best.end)))
}

/// A date alone on one of the first six lines (a dateline or byline with a date).
fn is_dateline(cx: &Ctx, x: &Found) -> bool {
    let f = &cx.t.folded;
    let line_start = f[..x.s].rfind('\n').map_or(0, |p| p + 1);
    let line_end = f[x.e..].find('\n').map_or(f.len(), |p| x.e + p);
    let line_no = f[..line_start].matches('\n').count();
    if line_no >= 6 {
        return false;
    }
    let rest: usize = f[line_start..x.s]
        .chars()
        .chain(f[x.e..line_end].chars())
        .filter(|c| c.is_alphabetic())
        .count();
    rest <= 24
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
