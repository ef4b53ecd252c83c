//! Laws (`laws[]`) and regulators (`regulators[]`, linked to `leakscope obligations` rule ids).
//! Ambiguous names (PDPA, PDPC, "Personal Information Protection Commission") are taken only
//! when the post points to exactly one of their jurisdictions.

use super::{Ctx, Draft, Ev};
use crate::lexicon::Hit;
use crate::model::{Law, Regulator};
use crate::text::fold;

pub(super) fn extract(cx: &Ctx, d: &mut Draft) {
    let hints = jurisdiction_hints(cx);
    let mut laws: Vec<(Law, Vec<Ev>)> = Vec::new();
    for (id, h) in resolve(cx, "law", "lawamb", &hints, |phrase| {
        cx.rules
            .laws
            .iter()
            .filter(|l| l.ambiguous.iter().any(|a| fold(a) == phrase))
            .map(|l| (l.id.clone(), l.jurisdiction.clone()))
            .collect()
    }) {
        let Some(rule) = cx.rules.law(&id) else {
            continue;
        };
        add(
            &mut laws,
            Law {
                id: rule.id.clone(),
                name: Some(rule.name.clone()),
                jurisdiction: Some(rule.jurisdiction.clone()),
            },
            |l| l.id.clone(),
            Ev::hit(&h),
        );
    }
    let mut regs: Vec<(Regulator, Vec<Ev>)> = Vec::new();
    for (id, h) in resolve(cx, "reg", "regamb", &hints, |phrase| {
        cx.rules
            .regulators
            .iter()
            .filter(|r| r.ambiguous.iter().any(|a| fold(a) == phrase))
            .map(|r| (r.id.clone(), r.jurisdiction.clone()))
            .collect()
    }) {
        let Some(rule) = cx.rules.regulator(&id) else {
            continue;
        };
        add(
            &mut regs,
            Regulator {
                id: rule.id.clone(),
                name: Some(rule.name.clone()),
                jurisdiction: Some(rule.jurisdiction.clone()),
                obligations: rule.obligations.clone(),
            },
            |r| r.id.clone(),
            Ev::hit(&h),
        );
    }
    d.laws = laws;
    d.regulators = regs;
}

fn add<T>(list: &mut Vec<(T, Vec<Ev>)>, item: T, key: impl Fn(&T) -> String, ev: Ev) {
    let k = key(&item);
    match list.iter_mut().find(|(x, _)| key(x) == k) {
        Some((_, e)) => e.push(ev),
        None => list.push((item, vec![ev])),
    }
}

/// Jurisdictions the post points to: unambiguous law / regulator names, country words,
/// country domains, and the language (Vietnamese → VN).
fn jurisdiction_hints(cx: &Ctx) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |j: &str| {
        if !out.iter().any(|x| x == j) {
            out.push(j.to_string());
        }
    };
    for h in cx.hits("law") {
        if let Some(l) = cx.rules.law(cx.value(h)) {
            push(&l.jurisdiction);
        }
    }
    for h in cx.hits("reg") {
        if let Some(r) = cx.rules.regulator(cx.value(h)) {
            push(&r.jurisdiction);
        }
    }
    for h in cx.hits("country") {
        push(cx.value(h));
    }
    for h in cx.hits("legal") {
        let v = cx.value(h);
        if v != "-" {
            push(v);
        }
    }
    for w in
        cx.t.folded
            .split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == '/')
    {
        let w = w.trim_end_matches(['.', ',']);
        if let Some((head, tld)) = w.rsplit_once('.') {
            if head.len() >= 2 {
                if let Some(country) = cx.rules.tld_country.get(tld) {
                    push(country);
                }
            }
        }
    }
    if cx.lang == "vi" {
        push("VN");
    }
    if cx.lang_tag == "zh-Hans" {
        push("CN");
    }
    out
}

/// Hits of `fam` (unambiguous) and of `amb_fam` resolved by the hints; an ambiguous hit inside
/// an unambiguous one is dropped.
fn resolve(
    cx: &Ctx,
    fam: &str,
    amb_fam: &str,
    hints: &[String],
    candidates: impl Fn(&str) -> Vec<(String, String)>,
) -> Vec<(String, Hit)> {
    let mut out: Vec<(String, Hit)> = cx
        .hits(fam)
        .iter()
        .map(|h| (cx.value(h).to_string(), *h))
        .collect();
    for h in cx.hits(amb_fam) {
        if out.iter().any(|(_, x)| h.start < x.end && h.end > x.start) {
            continue;
        }
        let phrase = cx.f(h.start, h.end);
        let cands = candidates(phrase);
        let matching: Vec<_> = cands.iter().filter(|(_, j)| hints.contains(j)).collect();
        if let [(id, _)] = matching.as_slice() {
            out.push((id.clone(), *h));
        }
    }
    out.sort_by_key(|(_, h)| h.start);
    out
}
