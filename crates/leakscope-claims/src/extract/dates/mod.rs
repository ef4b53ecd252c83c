//! Dates: absolute (`2025-10-14`, `14/10/2025`, `March 3, 2025`, `2025年3月18日`, `ngày 3 tháng 3
//! năm 2025`), partial (`March 3`, `ngày 10/4`, `3月5日`, `May 2021`, `tháng 7/2025`), relative
//! (`yesterday`, `on Tuesday`, `Tuesday last week`, `上周二`, `3 days ago`, `two years out of
//! date`). The post date comes first (format metadata, a `posted` cue, or a dateline among the
//! first lines); partial and relative dates are resolved against it. Each other date is typed by
//! the nearest `date:` cue in its clause (else before it in its sentence); untyped dates are
//! dropped.

mod find;
mod resolve;

use super::{Ctx, Draft, Ev};
use find::{find_all, Expr, Found};
use resolve::{resolve, to_date};

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
    // English and Vietnamese put the verb before "on DATE"; Chinese puts the date before the
    // verb ("于7月10日遭入侵"): a cue on the other side counts as farther.
    let zh = cx.lang == "zh";
    let dist = |h: &crate::lexicon::Hit| {
        if h.end <= x.s {
            (x.s - h.end) * if zh { 3 } else { 2 } / 2
        } else {
            h.start.saturating_sub(x.e) * if zh { 1 } else { 4 }
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
    let weight = |h: &crate::lexicon::Hit| cx.rules.lex.entries[h.entry].weight;
    let in_clause = cx
        .hits_in("date", clause.start, clause.end)
        .into_iter()
        .filter(|h| (h.end <= x.s || h.start >= x.e) && usable(h))
        .min_by_key(|h| (std::cmp::Reverse(weight(h)), dist(h)));
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
