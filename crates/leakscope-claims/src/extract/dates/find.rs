//! Finding date expressions: absolute, partial and relative forms in the folded text.

use super::super::Ctx;
use chrono::NaiveDate;
use regex::Regex;
use std::sync::OnceLock;

/// A date expression found in the folded text.
#[derive(Debug, Clone)]
pub(super) struct Found {
    pub s: usize,
    pub e: usize,
    pub kind: Expr,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Expr {
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

pub(super) fn month_alt() -> &'static str {
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

pub(super) fn month_num(s: &str) -> Option<u32> {
    let s = s.trim_end_matches('.');
    let names = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    names
        .iter()
        .position(|n| s.starts_with(n))
        .map(|p| p as u32 + 1)
}

pub(super) struct Patterns {
    pub iso: Regex,
    pub iso_ym: Regex,
    pub dmy: Regex,
    pub day_month_name: Regex,
    pub month_name_day: Regex,
    pub month_name_year: Regex,
    pub zh_full: Regex,
    pub zh_md: Regex,
    pub zh_ym: Regex,
    pub vi_full: Regex,
    pub vi_dm: Regex,
    pub vi_my: Regex,
    pub year_only: Regex,
    pub ago: Regex,
}

pub(super) fn patterns() -> &'static Patterns {
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

pub(super) fn num(s: Option<regex::Match>) -> Option<u32> {
    s.and_then(|m| m.as_str().parse().ok())
}

/// Adds a date found at `s..e` unless it overlaps one found before (earlier patterns win).
fn push(out: &mut Vec<Found>, s: usize, e: usize, kind: Expr) {
    if out.iter().any(|o| s < o.e && e > o.s) {
        return;
    }
    out.push(Found { s, e, kind });
}

/// Dates written with numbers only, each pattern with the capture groups of its year, month and
/// day (0: not written). A missing year is checked as a leap year, a missing day as the 1st.
fn numeric(out: &mut Vec<Found>, f: &str, patterns: &[(&Regex, usize, usize, usize)]) {
    for &(re, yi, mi, di) in patterns {
        for c in re.captures_iter(f) {
            let g = c.get(0).expect("match");
            let at = |i: usize| if i == 0 { None } else { num(c.get(i)) };
            let (y, m, d) = (at(yi), at(mi), at(di));
            if valid(y.or(Some(2000)), m, d.or(Some(1))) {
                push(
                    out,
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
    }
}

/// Finds every date expression.
pub(super) fn find_all(cx: &Ctx) -> Vec<Found> {
    let f = &cx.t.folded;
    let p = patterns();
    let mut out: Vec<Found> = Vec::new();
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
    numeric(&mut out, f, &[(&p.zh_full, 1, 2, 3), (&p.vi_full, 3, 2, 1)]);
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
    numeric(&mut out, f, &[(&p.vi_dm, 0, 2, 1), (&p.vi_my, 2, 1, 0)]);
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
    numeric(&mut out, f, &[(&p.zh_ym, 1, 2, 0), (&p.zh_md, 0, 1, 2)]);
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
pub(super) fn month_word_ok(cx: &Ctx, m: regex::Match, _with_day: bool) -> bool {
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

pub(super) fn valid(y: Option<u32>, m: Option<u32>, d: Option<u32>) -> bool {
    let y = y.unwrap_or(2000);
    let m = m.unwrap_or(1);
    let d = d.unwrap_or(1);
    (1990..=2100).contains(&y) && NaiveDate::from_ymd_opt(y as i32, m, d).is_some()
}

/// Day-first reading of ambiguous numeric dates: Vietnamese and Chinese posts, or English posts
/// that name a day-first country.
pub(super) fn day_first(cx: &Ctx) -> bool {
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
pub(super) fn relative(cx: &Ctx, out: &mut Vec<Found>) {
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
