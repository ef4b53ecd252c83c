//! A merged candidate → a victim with evidence: aliases, domain, country and sector (format
//! hint, ccTLD, legal form, words next to the name, platform file, dateline, regulator), role;
//! and the platform file's parent / owner chain.

use super::{core_key, has_legal_word, Cand};
use crate::extract::{Ctx, Draft, Ev, VictimDraft};
use crate::text::fold;

pub(super) fn to_victim(
    cx: &Ctx,
    d: &Draft,
    c: &Cand,
    mentions: &[(usize, usize, String)],
) -> VictimDraft {
    let mut v = VictimDraft {
        first: c.s,
        ..VictimDraft::default()
    };
    v.v.name = c.name.clone();
    v.v.role = "victim".into();
    let plat = c.platform.map(|i| &cx.rules.platforms.list[i]);
    let basis_plat = |s: usize, e: usize| Ev::with(s, e, "platforms");
    let mention_evs: Vec<Ev> = if mentions.is_empty() {
        vec![Ev::new(c.s, c.e)]
    } else {
        mentions.iter().map(|(s, e, _)| Ev::new(*s, *e)).collect()
    };
    for e in &mention_evs {
        v.add_ev("name", *e);
    }
    // Aliases: other names written in the text (a short form without the legal form, or a
    // different name), then the platform file's names. Fragments are not aliases.
    let main_core = core_key(&v.v.name);
    for (_, _, n) in mentions {
        let core = core_key(n);
        let short_form = core == main_core && !has_legal_word(n) && has_legal_word(&v.v.name);
        let other_name = !main_core.contains(&core) && !core.contains(&main_core);
        let useful = core.chars().count() >= 2 && (short_form || other_name);
        let is_domain = c.domain.as_ref().is_some_and(|d| d.0 == *n);
        if useful
            && !is_domain
            && fold(n) != fold(&v.v.name)
            && !v.v.aliases.iter().any(|a| fold(a) == fold(n))
        {
            v.v.aliases.push(n.clone());
        }
    }
    if let Some(p) = plat {
        v.v.platform_id = Some(p.id.clone());
        for a in &p.aliases {
            if !v.v.aliases.contains(a) && fold(a) != fold(&v.v.name) {
                v.v.aliases.push(a.clone());
            }
        }
        v.add_ev(
            "platform_id",
            basis_plat(mention_evs[0].s, mention_evs[0].e),
        );
    }
    if !v.v.aliases.is_empty() {
        let ev = mention_evs[0];
        v.add_ev(
            "aliases",
            if plat.is_some() {
                basis_plat(ev.s, ev.e)
            } else {
                ev
            },
        );
        for e in &mention_evs {
            v.add_ev("aliases", *e);
        }
    }
    // Domain.
    if let Some((d, s, e)) = &c.domain {
        v.v.domain = Some(d.clone());
        v.add_ev("domain", Ev::new(*s, *e));
    } else if let Some(p) = plat.filter(|p| !p.domains.is_empty()) {
        v.v.domain = platform_domain(p);
        v.add_ev("domain", basis_plat(mention_evs[0].s, mention_evs[0].e));
    }
    // Country: format hint, ccTLD, legal form, words next to the name, platform file.
    let country = c
        .country
        .clone()
        .or_else(|| {
            c.domain.as_ref().and_then(|(d, s, e)| {
                cx.rules
                    .domain_country(d)
                    .map(|cc| (cc.to_string(), Ev::new(*s, *e)))
            })
        })
        .or_else(|| c.legal_country.clone())
        .or_else(|| adjacent(cx, "country", &mention_evs))
        .or_else(|| {
            plat.and_then(|p| p.country.clone())
                .map(|cc| (cc, basis_plat(mention_evs[0].s, mention_evs[0].e)))
        })
        .or_else(|| dateline_country(cx))
        .or_else(|| anonymous_org_country(cx))
        .or_else(|| regulator_country(cx, d));
    if let Some((cc, ev)) = country {
        v.v.country = Some(cc);
        v.add_ev("country", ev);
    }
    // Sector: platform file, a sector word inside the name, next to it, or in the title.
    let sector = plat
        .and_then(|p| p.sector.clone())
        .map(|s| (s, basis_plat(mention_evs[0].s, mention_evs[0].e)))
        .or_else(|| inside(cx, "sector", &mention_evs))
        .or_else(|| adjacent(cx, "sector", &mention_evs))
        .or_else(|| anonymous_org_sector(cx))
        .or_else(|| edu_domain(c));
    if let Some((s, ev)) = sector {
        v.v.sector = Some(s);
        v.add_ev("sector", ev);
    }
    // Role.
    match c.role {
        Some((role, ev)) if role != "source" => {
            v.v.role = role.into();
            v.add_ev("role", ev);
        }
        _ => v.add_ev("role", mention_evs[0]),
    }
    v
}

/// A `family` hit inside one of the mentions (a sector word in "Harbourline Freight").
pub(super) fn inside(cx: &Ctx, family: &str, mentions: &[Ev]) -> Option<(String, Ev)> {
    mentions.iter().find_map(|m| {
        cx.hits_in(family, m.s, m.e)
            .first()
            .map(|h| (cx.value(h).to_string(), Ev::hit(h)))
    })
}

/// The nearest `family` hit next to a mention in the same sentence: within 60 bytes before, or
/// in apposition after (", a Vietnamese online grocery store").
pub(super) fn adjacent(cx: &Ctx, family: &str, mentions: &[Ev]) -> Option<(String, Ev)> {
    let f = &cx.t.folded;
    let mut best: Option<(usize, String, Ev)> = None;
    for m in mentions {
        let sent = cx.sent_of(m.s);
        for h in cx.hits_in(family, sent.start, sent.end) {
            let dist = if h.end <= m.s {
                let gap = &f[h.end..m.s];
                if gap.contains(',') && family == "country"
                    || gap.contains(" and ")
                    || gap.len() > 60
                {
                    continue;
                }
                m.s - h.end
            } else if h.start >= m.e {
                let gap = &f[m.e..h.start];
                let g = gap
                    .trim_start()
                    .trim_start_matches([')', '）'])
                    .trim_start();
                let appos = g.starts_with(',') || g.starts_with('，');
                if !appos || gap.len() > 70 || g[1..].contains([',', '，']) {
                    continue;
                }
                h.start - m.e
            } else {
                continue;
            };
            if best.as_ref().is_none_or(|b| dist < b.0) {
                best = Some((dist, cx.value(&h).to_string(), Ev::hit(&h)));
            }
        }
    }
    best.map(|(_, v, e)| (v, e))
}

/// A regulator acting on the organisation: its jurisdiction (one regulator country only).
pub(super) fn regulator_country(cx: &Ctx, d: &Draft) -> Option<(String, Ev)> {
    let regulatory = cx
        .hits("kind")
        .iter()
        .any(|h| cx.value(h) == "regulatory_action" && cx.rules.lex.entries[h.entry].weight >= 2);
    if !regulatory {
        return None;
    }
    let mut js = d.regulators.iter().filter_map(|r| r.0.jurisdiction.clone());
    let first = js.next()?;
    if js.any(|j| j != first) || first.len() != 2 || first == "EU" {
        return None;
    }
    let ev = d.regulators.first().and_then(|r| r.1.first()).copied()?;
    Some((first, ev))
}

/// A headline that names the organisation by its sector ("…fines online bookstore"): the only
/// sector word of the title line.
/// An `.edu` / `.edu.xx` domain is an education organisation.
fn edu_domain(c: &Cand) -> Option<(String, Ev)> {
    let (d, s, e) = c.domain.as_ref()?;
    let labels: Vec<&str> = d.split('.').collect();
    labels[1..]
        .contains(&"edu")
        .then(|| ("education".to_string(), Ev::new(*s, *e)))
}

pub(super) fn title_sector(cx: &Ctx) -> Option<(String, Ev)> {
    let f = &cx.t.folded;
    let (title_start, title_end) = title_range(cx);
    let _ = f;
    let hits = cx.hits_in("sector", title_start, title_end);
    let values: std::collections::BTreeSet<&str> = hits.iter().map(|h| cx.value(h)).collect();
    (values.len() == 1).then(|| (cx.value(&hits[0]).to_string(), Ev::hit(&hits[0])))
}

/// The folded range of the title line: the line holding the document title, else the first line.
pub(super) fn title_range(cx: &Ctx) -> (usize, usize) {
    let f = &cx.t.folded;
    let start = cx
        .doc
        .title
        .as_deref()
        .map(fold)
        .filter(|t| !t.trim().is_empty())
        .and_then(|t| f.find(t.trim()))
        .map_or(0, |p| f[..p].rfind('\n').map_or(0, |q| q + 1));
    let end = f[start..].find('\n').map_or(f.len(), |p| start + p);
    (start, end)
}

/// "SINGAPORE —" / "HANOI -" at the start of a paragraph.
pub(super) fn dateline_country(cx: &Ctx) -> Option<(String, Ev)> {
    let f = &cx.t.folded;
    cx.hits("country").iter().find_map(|h| {
        let line_start = f[..h.start].rfind('\n').map_or(0, |p| p + 1);
        let upper = cx
            .orig(h.start, h.end)
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
        let after = f[h.end..].trim_start();
        (f[line_start..h.start].trim().is_empty()
            && upper
            && (after.starts_with('-') || after.starts_with('—') || after.starts_with("--")))
        .then(|| (cx.value(h).to_string(), Ev::hit(h)))
    })
}

/// "台灣某連鎖藥局", "a Singapore bank": a country word right before a sector word.
pub(super) fn anonymous_org_country(cx: &Ctx) -> Option<(String, Ev)> {
    let f = &cx.t.folded;
    cx.hits("country").iter().find_map(|h| {
        let next_sector = cx.hits("sector").iter().find(|s| {
            s.start >= h.end
                && s.start - h.end <= 16
                && !f[h.end..s.start].contains([',', '.', '\n'])
        });
        next_sector.map(|_| (cx.value(h).to_string(), Ev::hit(h)))
    })
}

pub(super) fn anonymous_org_sector(cx: &Ctx) -> Option<(String, Ev)> {
    let f = &cx.t.folded;
    cx.hits("sector").iter().find_map(|s| {
        let before = &f[..s.start];
        let anon = before.ends_with('某') || before.ends_with("một ") || before.ends_with("mot ");
        anon.then(|| (cx.value(s).to_string(), Ev::hit(s)))
    })
}

/// Adds the platform file's parent chain of each platform victim (parent, then owners).
/// The platform's domain for its head-office country (else `.com`, else the first).
pub(super) fn platform_domain(p: &crate::rules::Platform) -> Option<String> {
    let cc = p.country.as_deref().map(str::to_ascii_lowercase);
    p.domains
        .iter()
        .find(|d| cc.as_deref().is_some_and(|c| d.ends_with(&format!(".{c}"))))
        .or_else(|| p.domains.iter().find(|d| d.ends_with(".com")))
        .or_else(|| p.domains.first())
        .cloned()
}

pub(super) fn add_platform_chain(cx: &Ctx, victims: &mut Vec<VictimDraft>) {
    // A victim that is another victim's parent in the platform file ("RedMart … Lazada
    // confirmed") is named in its role.
    let chains: Vec<(usize, Vec<String>)> = victims
        .iter()
        .enumerate()
        .filter_map(|(i, v)| {
            let idx = cx.rules.platforms.by_id(v.v.platform_id.as_deref()?)?;
            let ids = cx
                .rules
                .platforms
                .chain(idx)
                .into_iter()
                .map(|p| cx.rules.platforms.list[p].id.clone())
                .collect();
            Some((i, ids))
        })
        .collect();
    for (child, ids) in &chains {
        let child_name = victims[*child].v.name.clone();
        let mut of = child_name;
        for (depth, id) in ids.iter().enumerate() {
            if let Some(v) = victims
                .iter_mut()
                .find(|v| v.v.role == "victim" && v.v.platform_id.as_deref() == Some(id.as_str()))
            {
                v.v.role = if depth == 0 { "parent" } else { "owner" }.into();
                v.v.of = Some(of.clone());
                if let Some(ev) = v.ev.get("name").and_then(|l| l.first()).copied() {
                    v.ev.insert("role", vec![Ev::with(ev.s, ev.e, "platforms")]);
                    v.add_ev("of", Ev::with(ev.s, ev.e, "platforms"));
                }
            }
            of = cx
                .rules
                .platforms
                .by_id(id)
                .map_or(of, |p| cx.rules.platforms.list[p].name.clone());
        }
    }
    let mut extra = Vec::new();
    for v in victims.iter() {
        let Some(id) = &v.v.platform_id else { continue };
        let Some(idx) = cx.rules.platforms.by_id(id) else {
            continue;
        };
        let ev =
            v.ev.get("name")
                .and_then(|l| l.first())
                .copied()
                .map(|e| Ev::with(e.s, e.e, "platforms"));
        let Some(ev) = ev else { continue };
        let mut of = v.v.name.clone();
        for (depth, p) in cx.rules.platforms.chain(idx).into_iter().enumerate() {
            let p = &cx.rules.platforms.list[p];
            if victims
                .iter()
                .chain(extra.iter())
                .any(|x: &VictimDraft| x.v.platform_id.as_deref() == Some(&p.id))
            {
                of = p.name.clone();
                continue;
            }
            let mut d = VictimDraft {
                first: usize::MAX,
                ..VictimDraft::default()
            };
            d.v.name = p.name.clone();
            d.v.aliases = p.aliases.clone();
            d.v.domain = platform_domain(p);
            d.v.country = p.country.clone();
            d.v.sector = p.sector.clone();
            d.v.role = if depth == 0 { "parent" } else { "owner" }.into();
            d.v.of = Some(of.clone());
            d.v.platform_id = Some(p.id.clone());
            for field in ["name", "role", "of", "platform_id"] {
                d.add_ev(field, ev);
            }
            for (field, set) in [
                ("aliases", !d.v.aliases.is_empty()),
                ("domain", d.v.domain.is_some()),
                ("country", d.v.country.is_some()),
                ("sector", d.v.sector.is_some()),
            ] {
                if set {
                    d.add_ev(field, ev);
                }
            }
            of = p.name.clone();
            extra.push(d);
        }
    }
    victims.extend(extra);
    // Text roles ("a subsidiary of Y"): `of` is the victim named before it.
    let names: Vec<(usize, String, String)> = victims
        .iter()
        .map(|v| (v.first, v.v.role.clone(), v.v.name.clone()))
        .collect();
    for v in victims.iter_mut() {
        if v.v.role != "victim" && v.v.of.is_none() {
            if let Some((_, _, n)) = names
                .iter()
                .filter(|(f, r, _)| r == "victim" && *f < v.first)
                .max_by_key(|(f, _, _)| *f)
            {
                v.v.of = Some(n.clone());
                if let Some(ev) = v.ev.get("role").and_then(|l| l.first()).copied() {
                    v.add_ev("of", ev);
                }
            }
        }
    }
}
