//! Counts (`records[]`), sizes (`size_bytes`), money (price and penalties) and percentages of
//! turnover. Money is found first (so an amount is never a count); it is assigned to the price or
//! to penalties once kinds, regulators and victims are known ([`assign_money`]).

use super::{Ctx, Draft, Ev};
use crate::model::{Kind, Money, Penalty, Records};

/// An amount of money in the text.
#[derive(Debug, Clone)]
pub(crate) struct MoneyAt {
    pub amount: f64,
    /// Currency code; `$` when only a bare dollar sign was written.
    pub currency: String,
    pub s: usize,
    pub e: usize,
}

/// A percentage of turnover.
#[derive(Debug, Clone)]
pub(crate) struct PercentAt {
    pub percent: f64,
    pub basis: &'static str,
    pub s: usize,
    pub e: usize,
}

fn skip_space(s: &str, mut i: usize) -> usize {
    while s[i..].starts_with(' ') {
        i += 1;
    }
    i
}

fn trim_back(s: &str, mut i: usize) -> usize {
    while i > 0 && s[..i].ends_with(' ') {
        i -= 1;
    }
    i
}

/// Finds money, sizes, percentages and counts.
pub(super) fn extract(cx: &mut Ctx, d: &mut Draft) {
    let f = cx.t.folded.clone();
    let lang = cx.lang;
    let lex = &cx.rules.lex;
    let mut money = Vec::new();
    let mut percents = Vec::new();
    let mut used = Vec::new();
    let mut sizes: Vec<(u64, usize, usize)> = Vec::new();
    for n in cx.nums.iter().filter(|n| !cx.num_used(n)) {
        // Money: currency before ("$3,500", "VND 50 triệu", "S$58,000") or after ("3,500 USD").
        let before = trim_back(&f, n.start);
        let cur_before = lex
            .suffix_at(&cx.t, n.start, "cur", lang)
            .or_else(|| lex.suffix_at(&cx.t, before, "cur", lang));
        let after = skip_space(&f, n.end);
        let cur_after = lex.prefix_at(&cx.t, after, "cur", lang).filter(|(e, _)| {
            // A one-letter currency ("u", "đ") must touch the number.
            *e - after > 1 || after == n.end
        });
        if let Some((cs, entry)) = cur_before.filter(|(cs, _)| !f[*cs..n.start].trim().is_empty()) {
            money.push(MoneyAt {
                amount: n.value,
                currency: lex.value(entry).to_string(),
                s: cs,
                e: n.end,
            });
            used.push(n.start);
            continue;
        }
        if let Some((ce, entry)) = cur_after {
            if lex.value(entry) != "$" {
                money.push(MoneyAt {
                    amount: n.value,
                    currency: lex.value(entry).to_string(),
                    s: n.start,
                    e: ce,
                });
                used.push(n.start);
                continue;
            }
        }
        // Sizes.
        if let Some((be, entry)) = lex.prefix_at(&cx.t, after, "bytes", lang) {
            let mult: f64 = lex.value(entry).parse().unwrap_or(1.0);
            sizes.push(((n.value * mult).round() as u64, n.start, be));
            used.push(n.start);
            continue;
        }
        // Percentages.
        let pct_end = ["%", "percent", "per cent", "phan tram"]
            .iter()
            .find(|p| f[after..].starts_with(**p))
            .map(|p| after + p.len());
        if let Some(pe) = pct_end {
            used.push(n.start);
            let window_end = (pe + 60).min(f.len());
            let window_end = floor_boundary(&f, window_end);
            if let Some(t) = cx
                .hits_in("ctx", pe, window_end)
                .into_iter()
                .find(|h| lex.value(h.entry) == "turnover")
            {
                let phrase = &f[t.start..t.end];
                let basis = if phrase.contains("global") || phrase.contains("worldwide") {
                    "global_turnover"
                } else {
                    "annual_turnover"
                };
                percents.push(PercentAt {
                    percent: n.value,
                    basis,
                    s: n.start,
                    e: t.end,
                });
            }
            continue;
        }
    }
    cx.used_nums.extend(used);
    if let Some((bytes, s, e)) = sizes.iter().max_by_key(|x| x.0).copied() {
        let mut ev = vec![Ev::new(s, e)];
        for (b, s2, e2) in &sizes {
            if *b == bytes && *s2 != s {
                ev.push(Ev::new(*s2, *e2));
            }
        }
        d.size = Some((bytes, ev));
    }
    records(cx, d);
    cx.money = money;
    cx.percents = percents;
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

const SKIPPABLE_STOP: [&str; 16] = [
    "and", "or", "to", "in", "on", "at", "from", "for", "by", "with", "was", "were", "is", "are",
    "has", "had",
];

/// Counts: a number followed by a unit word (after at most two words in spaced scripts).
fn records(cx: &Ctx, d: &mut Draft) {
    let f = &cx.t.folded;
    let lex = &cx.rules.lex;
    let lang = cx.lang;
    let mut found: Vec<(Records, Vec<Ev>, u32)> = Vec::new();
    for n in cx.nums.iter().filter(|n| !cx.num_used(n)) {
        if n.year_like || n.value < 10.0 || n.value.fract() != 0.0 && !n.scaled {
            continue;
        }
        let mut pos = skip_space(f, n.end);
        let mut qualifier: Option<String> = None;
        let mut qs = n.start;
        // Qualifier right after: "1M+", "2300万余条", "500万以上".
        if let Some((qe, entry)) = lex.prefix_at(&cx.t, pos, "qual", lang) {
            let q = &f[pos..qe];
            if ["+", "plus", "余", "餘", "多", "以上", "左右", "上下"].contains(&q) {
                qualifier = Some(lex.value(entry).to_string());
                pos = skip_space(f, qe);
            }
        }
        let Some((unit_end, unit_entry)) = unit_after(cx, pos) else {
            continue;
        };
        // The size of a sample ("sample of 50 rows", "test mẫu 100 dòng", "样本…50条") is not a
        // claimed count.
        let sent = cx.sent_of(n.start);
        let sample_before = cx
            .hits_in("ctx", sent.start, n.start)
            .iter()
            .any(|h| cx.value(h) == "sample" && n.start - h.end <= 40);
        if sample_before {
            continue;
        }
        let unit = lex.value(unit_entry);
        if unit == "none" {
            continue;
        }
        // Qualifier before: "about 1.2 million", "hơn 60.000", "约2300万".
        let before = trim_back(f, n.start);
        if qualifier.is_none() {
            if let Some((s, entry)) = lex
                .suffix_at(&cx.t, n.start, "qual", lang)
                .or_else(|| lex.suffix_at(&cx.t, before, "qual", lang))
            {
                let q = &f[s..before.max(n.start).min(f.len())];
                if !["+", "plus", "以上", "左右", "上下"].contains(&q.trim()) {
                    qualifier = Some(lex.value(entry).to_string());
                    qs = s;
                }
            }
        }
        let rec = Records {
            count: n.value.round() as u64,
            unit: Some(unit.to_string()),
            qualifier,
        };
        found.push((rec, vec![Ev::new(qs, unit_end)], n.sig));
    }
    // Merge restatements: same unit and within 10 % (the title's "1.8M users" and the body's
    // "1,812,440 user accounts"): keep the most precise figure.
    let mut merged: Vec<(Records, Vec<Ev>, u32)> = Vec::new();
    for (r, ev, sig) in found {
        let same = merged.iter_mut().find(|(m, _, _)| {
            compatible_units(m.unit.as_deref(), r.unit.as_deref())
                && (m.count as f64 - r.count as f64).abs() <= 0.1 * (m.count.max(r.count) as f64)
        });
        match same {
            Some((m, mev, msig)) => {
                mev.extend(ev);
                if m.count == r.count && m.qualifier.is_none() {
                    m.qualifier.clone_from(&r.qualifier);
                }
                if sig > *msig || (sig == *msig && m.qualifier.is_some() && r.qualifier.is_none()) {
                    let unit = m.unit.clone();
                    *m = r;
                    if m.unit.as_deref() == Some("records") && unit.is_some() {
                        m.unit = unit;
                    }
                    *msig = sig;
                }
            }
            None => merged.push((r, ev, sig)),
        }
    }
    d.records = merged;
}

fn compatible_units(a: Option<&str>, b: Option<&str>) -> bool {
    a == b
        || matches!(
            (a, b),
            (Some("accounts"), Some("individuals")) | (Some("individuals"), Some("accounts"))
        )
}

/// The unit word at `pos`, allowing up to two plain words before it in spaced scripts
/// ("2.3 million active user accounts", "1.2 million Singaporean customers").
fn unit_after(cx: &Ctx, pos: usize) -> Option<(usize, usize)> {
    let f = &cx.t.folded;
    let lex = &cx.rules.lex;
    if let Some(u) = lex.prefix_at(&cx.t, pos, "unit", cx.lang) {
        return Some(u);
    }
    // A count of data values ("5 triệu số điện thoại", "300万手机号"): records.
    if let Some(h) = cx
        .hits("class")
        .iter()
        .find(|h| h.start == pos && cx.value(h) != "none")
    {
        if let Some(records) = lex.entries.iter().position(|e| e.signal == "unit:records") {
            return Some((h.end, records));
        }
    }
    if f[pos..].starts_with(|c: char| crate::text::is_cjk(c)) {
        return None;
    }
    let mut p = pos;
    // "1.5 million of the bank's customers": three words when the first is "of".
    let max_words = if f[pos..].starts_with("of ") { 3 } else { 2 };
    for _ in 0..max_words {
        let word_len = f[p..]
            .chars()
            .take_while(|c| c.is_alphabetic() || *c == '-' || *c == '\'')
            .map(char::len_utf8)
            .sum::<usize>();
        if word_len == 0 {
            return None;
        }
        let word = &f[p..p + word_len];
        if SKIPPABLE_STOP.contains(&word) && !(word == "of" && p == pos)
            || lex.prefix_at(&cx.t, p, "cur", cx.lang).is_some()
        {
            return None;
        }
        p = skip_space(f, p + word_len);
        if let Some(u) = lex.prefix_at(&cx.t, p, "unit", cx.lang) {
            return Some(u);
        }
    }
    None
}

/// Penalties: money next to a fine cue, and percentages of turnover next to a fine or maximum
/// cue. Runs before kinds (a fine makes a regulatory action).
pub(super) fn assign_penalties(cx: &Ctx, d: &mut Draft) {
    assign_money(cx, d, false);
}

/// The price: the first remaining amount in a sale post (or after a price cue).
pub(super) fn assign_price(cx: &Ctx, d: &mut Draft) {
    assign_money(cx, d, true);
}

fn assign_money(cx: &Ctx, d: &mut Draft, price_phase: bool) {
    let (money, percents) = (&cx.money, &cx.percents);
    let f = &cx.t.folded;
    let lex = &cx.rules.lex;
    let ctx_hits = cx.hits("ctx");
    let cue = |name: &str| -> Vec<&crate::lexicon::Hit> {
        ctx_hits
            .iter()
            .filter(|h| lex.value(h.entry) == name)
            .collect()
    };
    let fines = cue("fine");
    let maxes = cue("max");
    let turnovers = cue("turnover");
    let prices = cue("price");
    let is_sale = d.kinds.iter().any(|k| k.0 == Kind::Sale);
    let dollar = dollar_currency(cx, d);
    for m in money {
        let sent = cx.sent_of(m.s);
        // A fine cue shortly before (no other amount in between) or right after ("50万元罚款").
        let fine_before = fines
            .iter()
            .filter(|h| h.end <= m.s && h.start >= sent.start && m.s - h.end <= 220)
            .max_by_key(|h| h.end);
        let fine_before = fine_before.filter(|h| !money.iter().any(|o| o.s > h.end && o.e <= m.s));
        let fine_after = fines.iter().find(|h| h.start >= m.e && h.start - m.e <= 8);
        let after_turnover = turnovers.iter().any(|h| h.end <= m.s && m.s - h.end <= 24);
        let currency = if m.currency == "$" {
            dollar.to_string()
        } else {
            m.currency.clone()
        };
        if (fine_before.is_some() || fine_after.is_some()) && !after_turnover {
            if price_phase {
                continue;
            }
            let max_cue = maxes
                .iter()
                .any(|h| h.end <= m.s && h.start >= sent.start && m.s - h.end <= 60);
            let kind = if max_cue { "maximum" } else { "fine" };
            let p = Penalty {
                amount: Some(m.amount),
                currency: Some(currency),
                kind: kind.into(),
                ..Penalty::default()
            };
            let mut ev = vec![Ev::new(m.s, m.e)];
            if let Some(h) = fine_before.or(fine_after) {
                ev.push(Ev::new(h.start, h.end));
            }
            push_penalty(d, p, ev);
            continue;
        }
        if after_turnover || !price_phase {
            continue;
        }
        let price_cue = prices
            .iter()
            .any(|h| h.end <= m.s && h.start >= sent.start && m.s - h.end <= 40);
        let regulatory = d.kinds.iter().any(|k| k.0 == Kind::RegulatoryAction);
        let is_penalty_amount = d.penalties.iter().any(|p| {
            p.0.amount == Some(m.amount) && p.0.currency.as_deref() == Some(currency.as_str())
        });
        if d.price.is_none()
            && !is_penalty_amount
            && is_sale
            && (!regulatory || price_cue)
            && !in_regulatory_only(d)
        {
            let money_v = Money {
                amount: Some(m.amount),
                currency: Some(if m.currency == "$" {
                    "USD".into()
                } else {
                    m.currency.clone()
                }),
            };
            d.price = Some((money_v, vec![Ev::new(m.s, m.e)]));
        }
    }
    if price_phase {
        return;
    }
    for p in percents {
        let sent = cx.sent_of(p.s);
        let max_cue = maxes.iter().any(|h| h.end <= p.s && h.start >= sent.start)
            || f[sent.start..p.s].contains("up to");
        let fine_cue = fines
            .iter()
            .any(|h| h.start >= sent.start && h.end <= sent.end);
        if !fine_cue && !max_cue {
            continue;
        }
        let pen = Penalty {
            percent: Some(p.percent),
            basis: Some(p.basis.into()),
            kind: if max_cue { "maximum" } else { "fine" }.into(),
            ..Penalty::default()
        };
        push_penalty(d, pen, vec![Ev::new(p.s, p.e)]);
    }
}

fn in_regulatory_only(d: &Draft) -> bool {
    !d.kinds.is_empty() && d.kinds.iter().all(|k| k.0 == Kind::RegulatoryAction)
}

fn push_penalty(d: &mut Draft, p: Penalty, ev: Vec<Ev>) {
    if let Some((_, e)) = d.penalties.iter_mut().find(|(q, _)| {
        q.amount == p.amount
            && q.currency == p.currency
            && q.percent == p.percent
            && q.kind == p.kind
    }) {
        e.extend(ev);
    } else {
        d.penalties.push((p, ev));
    }
}

/// A bare `$` in a fine: the dollar of the regulator's / victim's jurisdiction when it has one.
fn dollar_currency(cx: &Ctx, d: &Draft) -> &'static str {
    let _ = cx;
    let juris = d
        .regulators
        .iter()
        .filter_map(|r| r.0.jurisdiction.clone())
        .chain(d.victims.iter().filter_map(|v| v.v.country.clone()));
    for j in juris {
        match j.as_str() {
            "SG" => return "SGD",
            "AU" => return "AUD",
            "HK" => return "HKD",
            "TW" => return "TWD",
            "US" | "US-CA" => return "USD",
            _ => {}
        }
    }
    "USD"
}
