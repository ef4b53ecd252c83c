//! Kinds (`sale`, `free_leak`, `ransomware`, `exposure`, `confirmed_breach`,
//! `regulatory_action`) and the status (`alleged`, `confirmed`, `fined`, `denied`).
//!
//! Each `kind:` cue that is not negated adds its weight (distinct phrases only); a kind is
//! claimed at 2. A confirmation counts only when the organisation is the subject (a victim or
//! "the company" in the sentence) and is not hedged ("could not be confirmed"); a regulatory
//! action needs a regulator or an imposed fine; a denial needs the organisation as subject.

use super::{Ctx, Draft, Ev};
use crate::model::{Kind, Status};
use std::collections::HashMap;

pub(super) fn extract(cx: &Ctx, d: &mut Draft) {
    let mut score: HashMap<Kind, (u32, Vec<Ev>, Vec<String>)> = HashMap::new();
    let hedges: Vec<_> = cx
        .hits("status")
        .iter()
        .filter(|h| cx.value(h) == "confirm_hedge")
        .copied()
        .collect();
    for h in cx.hits("kind") {
        let Some(kind) = Kind::from_id(cx.value(h)) else {
            continue;
        };
        if cx.negated(h.start) && kind != Kind::Exposure {
            continue;
        }
        let sent = cx.sent_of(h.start);
        if kind == Kind::ConfirmedBreach {
            let hedged = hedges
                .iter()
                .any(|x| x.start >= sent.start && x.end <= sent.end);
            if hedged || !org_is_subject(cx, d, sent.start, sent.end) {
                continue;
            }
        }
        let phrase = cx.f(h.start, h.end).to_string();
        let entry = score.entry(kind).or_default();
        if entry.2.contains(&phrase) {
            continue;
        }
        // A headline-style "Selling …" that opens its sentence is a sale on its own.
        let opens = cx
            .f(sent.start, h.start)
            .trim_matches(|c: char| c.is_whitespace() || "[(#*>-".contains(c))
            .is_empty();
        let headline =
            kind == Kind::Sale && opens && matches!(phrase.as_str(), "selling" | "sell" | "sells");
        entry.2.push(phrase);
        entry.0 += if headline {
            2
        } else {
            cx.rules.lex.entries[h.entry].weight as u32
        };
        entry.1.push(Ev::hit(h));
    }
    // Known extortion groups support a ransomware reading.
    for h in cx.hits("group") {
        if cx.value(h) == "strong" {
            let e = score.entry(Kind::Ransomware).or_default();
            e.0 += 1;
            e.1.push(Ev::hit(h));
        }
    }
    // The format says it is a leak-site listing.
    if let Some(r) = cx.doc.hints.ransomware {
        let (s, e) = cx.folded_range(r);
        let entry = score.entry(Kind::Ransomware).or_default();
        entry.0 += 2;
        entry.1.insert(0, Ev::with(s, e, "metadata"));
    }
    let fine_imposed = d.penalties.iter().any(|p| p.0.kind == "fine");
    let mut kinds: Vec<(Kind, Vec<Ev>)> = score
        .into_iter()
        .filter(|(k, (w, _, _))| {
            *w >= 2 && (*k != Kind::RegulatoryAction || !d.regulators.is_empty() || fine_imposed)
        })
        .map(|(k, (_, ev, _))| (k, ev))
        .collect();
    kinds.sort_by_key(|(k, ev)| (ev.iter().map(|e| e.s).min().unwrap_or(0), *k));
    kinds.sort_by_key(|(k, _)| *k);
    d.kinds = kinds;
    status(cx, d, fine_imposed);
}

/// A victim mention or an organisation word ("the company", "công ty", "该公司") in `[s, e)`.
fn org_is_subject(cx: &Ctx, d: &Draft, s: usize, e: usize) -> bool {
    let victim_here = d.victims.iter().any(|v| {
        v.ev.get("name")
            .is_some_and(|l| l.iter().any(|x| x.s >= s && x.e <= e))
    });
    victim_here
        || cx
            .hits_in("ctx", s, e)
            .iter()
            .any(|h| cx.value(h) == "company")
        // "Telco confirms …", "Bank denies …": an organisation named by its sector.
        || !cx.hits_in("sector", s, e).is_empty()
}

fn status(cx: &Ctx, d: &mut Draft, fine_imposed: bool) {
    let has = |k: Kind| d.kinds.iter().any(|x| x.0 == k);
    let ev_of = |k: Kind| {
        d.kinds
            .iter()
            .find(|x| x.0 == k)
            .map(|x| x.1.clone())
            .unwrap_or_default()
    };
    if has(Kind::RegulatoryAction) && fine_imposed {
        let mut ev = ev_of(Kind::RegulatoryAction);
        ev.extend(
            d.penalties
                .iter()
                .filter(|p| p.0.kind == "fine")
                .flat_map(|p| p.1.clone()),
        );
        d.status = Some((Status::Fined, ev));
        return;
    }
    if has(Kind::ConfirmedBreach) || has(Kind::RegulatoryAction) {
        let k = if has(Kind::ConfirmedBreach) {
            Kind::ConfirmedBreach
        } else {
            Kind::RegulatoryAction
        };
        d.status = Some((Status::Confirmed, ev_of(k)));
        return;
    }
    let denials: Vec<Ev> = cx
        .hits("status")
        .iter()
        .filter(|h| cx.value(h) == "denied")
        .filter(|h| {
            let s = cx.sent_of(h.start);
            !negated_denial(cx, h.start) && org_is_subject(cx, d, s.start, s.end)
        })
        .map(Ev::hit)
        .collect();
    if !denials.is_empty() {
        d.status = Some((Status::Denied, denials));
        return;
    }
    if let Some((_, ev)) = d.kinds.first() {
        d.status = Some((Status::Alleged, ev.clone()));
    }
}

/// "did not deny" is not a denial; "found no evidence" carries its own negation and is one.
fn negated_denial(cx: &Ctx, pos: usize) -> bool {
    let c = cx.clause_of(pos);
    let before = cx.f(c.start, pos);
    before.contains("not ") || before.contains("n't ") || before.contains("khong ")
}
