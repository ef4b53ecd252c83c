//! Data classes (`data_classes`, `data_other`) and the sample (`sample`).
//!
//! A class phrase counts only in a sentence that talks about data: two or more class phrases, a
//! data cue ("including", "fields", "dữ liệu", "包含" …) or a labelled line ("Fields: …"). It is
//! dropped in a negated clause ("full card details were not affected") and in a contact clause
//! ("contact me by email").

use super::{Ctx, Draft, Ev};
use crate::model::Sample;
use crate::text::Seg;

pub(super) fn extract(cx: &Ctx, d: &mut Draft) {
    let none: Vec<_> = cx
        .hits("class")
        .iter()
        .filter(|h| cx.value(h) == "none")
        .copied()
        .collect();
    let class_hits: Vec<_> = cx
        .hits("class")
        .iter()
        .filter(|h| cx.value(h) != "none" && !is_contact_label(cx, h))
        .copied()
        .collect();
    // Weak phrases ("phone", "IP", "timestamps") not inside a stronger phrase.
    let weak_hits: Vec<_> = cx
        .hits("classweak")
        .iter()
        .filter(|w| {
            !none
                .iter()
                .chain(class_hits.iter())
                .any(|c| c.start < w.end && c.end > w.start)
        })
        .copied()
        .collect();
    // A data-other phrase inside a class phrase ("số hợp đồng" is a number, not contracts)
    // is not taken.
    let all_class = cx.hits("class");
    let other_hits: Vec<_> = cx
        .hits("other")
        .iter()
        .filter(|o| {
            !all_class
                .iter()
                .any(|c| c.start < o.end && c.end > o.start && c.end - c.start > o.end - o.start)
        })
        .copied()
        .collect();
    let chinese_context = cx.lang == "zh"
        || d.victims
            .iter()
            .any(|v| matches!(v.v.country.as_deref(), Some("CN" | "HK" | "TW")))
        || cx.hits("country").iter().any(|h| cx.value(h) == "CN");
    let mut classes: Vec<(String, Vec<Ev>)> = Vec::new();
    let mut other: Vec<(String, Vec<Ev>)> = Vec::new();
    for sent in &cx.sents {
        let strong: Vec<_> = class_hits
            .iter()
            .filter(|h| h.start >= sent.start && h.end <= sent.end)
            .collect();
        let weak: Vec<_> = weak_hits
            .iter()
            .filter(|h| h.start >= sent.start && h.end <= sent.end)
            .collect();
        let listing = !cx
            .hits_in("ctx", sent.start, sent.end)
            .iter()
            .all(|h| cx.value(h) != "list");
        let mut in_sent = strong.clone();
        if strong.len() + weak.len() >= 2 || listing {
            in_sent.extend(weak);
        }
        let others: Vec<_> = other_hits
            .iter()
            .filter(|h| h.start >= sent.start && h.end <= sent.end)
            .collect();
        if in_sent.is_empty() && others.is_empty() {
            continue;
        }
        if !talks_about_data(cx, *sent, in_sent.len() + others.len()) {
            continue;
        }
        for h in in_sent {
            if cx.negated(h.start) || in_contact_clause(cx, h.start) {
                continue;
            }
            let v = cx.value(h);
            let ids: Vec<&str> = if v == "ids_ambiguous" {
                if chinese_context {
                    vec!["national_id"]
                } else {
                    continue;
                }
            } else {
                v.split('+').collect()
            };
            for id in ids {
                add(&mut classes, id, Ev::hit(h));
            }
        }
        for h in others {
            if cx.negated(h.start) || in_contact_clause(cx, h.start) {
                continue;
            }
            add(&mut other, cx.value(h), Ev::hit(h));
        }
    }
    // "passwords" next to hashes somewhere else in the post are the hashes.
    if classes.iter().any(|c| c.0 == "password_hash") {
        if let Some(i) = classes.iter().position(|c| c.0 == "password") {
            let (_, ev) = classes.remove(i);
            if let Some(h) = classes.iter_mut().find(|c| c.0 == "password_hash") {
                h.1.extend(ev);
            }
        }
    }
    d.classes = classes;
    d.other = other;
    sample(cx, d);
}

/// "Contact details: Telegram @x", "联系方式：TG @x": a label for the seller's contact, not data.
fn is_contact_label(cx: &Ctx, h: &crate::lexicon::Hit) -> bool {
    let f = &cx.t.folded;
    let rest = f[h.end..].trim_start();
    let Some(after) = rest.strip_prefix(':').or_else(|| rest.strip_prefix('：')) else {
        return false;
    };
    let after = after.trim_start();
    let pos = f.len() - after.len();
    after.starts_with('@') || cx.hits("contact").iter().any(|c| c.start == pos)
}

fn add(list: &mut Vec<(String, Vec<Ev>)>, id: &str, ev: Ev) {
    match list.iter_mut().find(|(k, _)| k == id) {
        Some((_, e)) => {
            if !e.contains(&ev) {
                e.push(ev)
            }
        }
        None => list.push((id.to_string(), vec![ev])),
    }
}

fn talks_about_data(cx: &Ctx, sent: Seg, phrases: usize) -> bool {
    if phrases >= 2 {
        return true;
    }
    if cx
        .hits_in("ctx", sent.start, sent.end)
        .iter()
        .any(|h| matches!(cx.value(h), "data" | "list"))
    {
        return true;
    }
    // A labelled line: "Fields: …", "Data: …", "Dữ liệu: …".
    let s = cx.f(sent.start, sent.end).trim_start();
    s.find([':', '：']).is_some_and(|p| p < 24)
}

fn in_contact_clause(cx: &Ctx, pos: usize) -> bool {
    let c = cx.clause_of(pos);
    let classes = cx.hits_in("class", c.start, c.end);
    cx.hits_in("ctx", c.start, c.end).iter().any(|h| {
        cx.value(h) == "contact"
            // "contact details" is data, not a contact clause.
            && !classes.iter().any(|k| k.start < h.end && k.end > h.start)
    })
}

fn sample(cx: &Ctx, d: &mut Draft) {
    let mut provided: Option<bool> = None;
    let mut ev = Vec::new();
    let mut sentences = Vec::new();
    for h in cx.hits("ctx") {
        match cx.value(h) {
            "sample_none" => {
                provided = Some(false);
                ev.push(Ev::hit(h));
            }
            "sample" if provided != Some(false) => {
                if cx.negated(h.start) {
                    continue;
                }
                provided = Some(true);
                ev.push(Ev::hit(h));
                sentences.push(cx.sent_of(h.start));
            }
            _ => {}
        }
    }
    let Some(p) = provided else { return };
    let mut formats: Vec<String> = Vec::new();
    if p {
        for s in &sentences {
            for h in cx.hits_in("fmt", s.start, s.end) {
                let f = cx.value(&h).to_string();
                if !formats.contains(&f) {
                    formats.push(f);
                    ev.push(Ev::hit(&h));
                }
            }
        }
    }
    d.sample = Some((
        Sample {
            provided: Some(p),
            formats,
        },
        ev,
    ));
}
