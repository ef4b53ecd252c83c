//! Organisations (`victims[]`): names from the platform file, company legal forms (`Pte Ltd`,
//! `Công ty Cổ phần …`, `…有限公司`), domains, and victim contexts ("customer database of X",
//! "X confirmed", "online grocery service X", "X (x.vn)"); roles from the text ("a subsidiary
//! of", "merchants on", "third-party vendor") and from the platform file (parent, owner);
//! country and sector from the platform file, the domain, the legal form, or words written next
//! to the name.

use super::{Ctx, Draft, Ev, VictimDraft};
use crate::text::fold;

mod attrs;
mod candidates;
mod runs;

/// How sure we are that a candidate is a victim (platform / legal-form mentions without
/// context are weak; contexts, titles, formats and domains next to a name are strong).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Strength {
    Weak,
    Strong,
}

#[derive(Debug, Clone)]
pub(super) struct Cand {
    name: String,
    s: usize,
    e: usize,
    strength: Strength,
    platform: Option<usize>,
    domain: Option<(String, usize, usize)>,
    country: Option<(String, Ev)>,
    role: Option<(&'static str, Ev)>,
    /// Country given by the legal form.
    legal_country: Option<(String, Ev)>,
}

impl Cand {
    fn new(name: String, s: usize, e: usize, strength: Strength) -> Cand {
        Cand {
            name,
            s,
            e,
            strength,
            platform: None,
            domain: None,
            country: None,
            role: None,
            legal_country: None,
        }
    }
}

pub(crate) fn extract(cx: &Ctx, d: &mut Draft) {
    let mut cands = candidates::candidates(cx, d);
    roles_from_text(cx, &mut cands);
    let merged = merge(cx, cands);
    let strong = merged
        .iter()
        .any(|(c, _)| c.strength == Strength::Strong && c.role.is_none());
    let mut victims: Vec<VictimDraft> = Vec::new();
    for (c, mentions) in merged {
        if strong && c.strength == Strength::Weak && c.role.is_none() {
            continue;
        }
        if matches!(c.role, Some(("source", _))) {
            continue;
        }
        victims.push(attrs::to_victim(cx, d, &c, &mentions));
    }
    // A headline naming the organisation by its sector ("…fines online bookstore") describes
    // the first victim only.
    if let Some(v) = victims
        .iter_mut()
        .filter(|v| v.v.role == "victim")
        .min_by_key(|v| v.first)
        .filter(|v| v.v.sector.is_none())
    {
        if let Some((s, ev)) = attrs::title_sector(cx) {
            v.v.sector = Some(s);
            v.add_ev("sector", ev);
        }
    }
    attrs::add_platform_chain(cx, &mut victims);
    d.victims = victims;
}

/// Marks candidates introduced as parents, platforms or service providers.
pub(super) fn roles_from_text(cx: &Ctx, cands: &mut [Cand]) {
    let f = &cx.t.folded;
    let names = &cx.rules.names;
    for c in cands.iter_mut() {
        let before = f[..c.s].trim_end();
        let before = before.strip_suffix(" the").unwrap_or(before).trim_end();
        let before = before.strip_suffix(',').unwrap_or(before).trim_end();
        let ev_of = |phrase: &str| Ev::new(before.len() - phrase.len(), before.len());
        if let Some(p) = names.role_parent.iter().find(|p| before.ends_with(*p)) {
            c.role = Some(("parent", ev_of(p)));
        } else if let Some(p) = names.role_platform.iter().find(|p| before.ends_with(*p)) {
            c.role = Some(("platform", ev_of(p)));
        } else if let Some(p) = names.role_provider.iter().find(|p| before.ends_with(*p)) {
            c.role = Some(("service_provider", ev_of(p)));
        } else if let Some(p) = names.role_provider_after.iter().find(|p| {
            f[c.e..]
                .trim_start_matches([')', ' '])
                .starts_with(p.as_str())
        }) {
            let at = f.len() - f[c.e..].trim_start_matches([')', ' ']).len();
            c.role = Some(("service_provider", Ev::new(at, at + p.len())));
        } else if f[..c.s].ends_with("旗下") || f[c.e..].starts_with("旗下") {
            c.role = Some((
                "parent",
                Ev::new(c.e, c.e + "旗下".len().min(f.len() - c.e)),
            ));
        }
        // "X-owned Y" / "Y, owned by X" handled above; researchers are not victims.
        if names
            .source_context
            .iter()
            .any(|s| before.ends_with(s) || before.ends_with(&format!("{s} the")))
            || f[c.e..].trim_start().starts_with("researchers")
        {
            c.role = Some(("source", Ev::new(c.s, c.e)));
        }
    }
}

pub(super) fn core_key(name: &str) -> String {
    let mut f = format!(" {}", fold(name));
    for suffix in [
        " pte. ltd.",
        " pte ltd",
        " pte. ltd",
        " sdn bhd",
        " sdn. bhd.",
        " co., ltd.",
        " co., ltd",
        " co. ltd",
        " ltd.",
        " ltd",
        " pte.",
        " pte",
        " limited",
        " inc.",
        " inc",
        " corp.",
        " corp",
        " corporation",
        " jsc",
        " llc",
        " plc",
        " tbk",
        " berhad",
        " bhd",
        " group",
        " holdings",
        "股份有限公司",
        "有限责任公司",
        "有限公司",
        "集团",
        "集團",
        "公司",
    ] {
        if let Some(x) = f.strip_suffix(suffix) {
            f = x.to_string();
            break;
        }
    }
    let mut f = f.trim_start().to_string();
    for prefix in [
        "cong ty co phan ",
        "cong ty cp ",
        "cong ty tnhh mtv ",
        "cong ty tnhh ",
        "cong ty ",
        "ctcp ",
        "tap doan ",
        "pt ",
    ] {
        if let Some(x) = f.strip_prefix(prefix) {
            f = x.to_string();
            break;
        }
    }
    f.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Merges candidates naming the same organisation (same platform, same domain, one core name
/// inside the other, or a domain label equal to a name).
/// Every mention of a merged organisation: (folded start, end, name as written).
pub(super) type Mentions = Vec<(usize, usize, String)>;

pub(super) fn merge(cx: &Ctx, cands: Vec<Cand>) -> Vec<(Cand, Mentions)> {
    let mut groups: Vec<Vec<Cand>> = Vec::new();
    let mut order: Vec<Cand> = cands;
    order.sort_by_key(|c| c.s);
    for c in order {
        let key = core_key(&c.name);
        if key.chars().count() < 2 {
            continue;
        }
        let same = groups.iter_mut().find(|g| {
            g.iter().any(|o| {
                let ok = core_key(&o.name);
                (c.platform.is_some() && c.platform == o.platform)
                    || (c.domain.is_some()
                        && c.domain.as_ref().map(|d| &d.0) == o.domain.as_ref().map(|d| &d.0))
                    || (ok.chars().count() >= 3
                        && key.chars().count() >= 3
                        && (ok.contains(&key) || key.contains(&ok)))
                    || domain_matches_name(c.domain.as_ref().map(|d| d.0.as_str()), &ok)
                    || domain_matches_name(o.domain.as_ref().map(|d| d.0.as_str()), &key)
                    || (c.s < o.e && c.e > o.s)
                    || (c.domain.is_some()
                        && o.domain.is_none()
                        && parenthesised_after(cx, o.e, c.s))
            })
        });
        match same {
            Some(g) => g.push(c),
            None => groups.push(vec![c]),
        }
    }
    let _ = cx;
    groups
        .into_iter()
        .map(|g| {
            // Name: a non-domain name, preferring legal forms, then the longest.
            let best = g
                .iter()
                .filter(|c| c.domain.is_none() || c.platform.is_some())
                .max_by_key(|c| {
                    (
                        c.platform.is_some(),
                        c.legal_country.is_some() || has_legal_word(&c.name),
                        c.name.chars().count(),
                    )
                })
                .or_else(|| g.first())
                .expect("non-empty group");
            let mut out = best.clone();
            out.strength = g.iter().map(|c| c.strength).max().unwrap_or(Strength::Weak);
            out.s = g.iter().map(|c| c.s).min().unwrap_or(out.s);
            for c in &g {
                if out.domain.is_none() {
                    out.domain.clone_from(&c.domain);
                }
                if out.platform.is_none() {
                    out.platform = c.platform;
                }
                if out.country.is_none() {
                    out.country.clone_from(&c.country);
                }
                if out.legal_country.is_none() {
                    out.legal_country.clone_from(&c.legal_country);
                }
                if out.role.is_none() {
                    out.role = c.role;
                }
            }
            if let Some(idx) = out.platform {
                out.name = cx.rules.platforms.list[idx].name.clone();
            }
            let mentions = g.iter().map(|c| (c.s, c.e, c.name.clone())).collect();
            (out, mentions)
        })
        .collect()
}

/// `name (domain)` / `name（domain）` / `name - domain`: the domain right after the name.
pub(super) fn parenthesised_after(cx: &Ctx, name_end: usize, dom_start: usize) -> bool {
    dom_start >= name_end && {
        let gap = cx.f(name_end, dom_start).trim();
        matches!(gap, "(" | "（" | "-" | "–" | "(www." | "（www.")
            || gap.is_empty() && dom_start - name_end <= 1
    }
}

pub(super) fn has_legal_word(name: &str) -> bool {
    let f = fold(name);
    [
        "ltd", "bhd", "jsc", "inc", "corp", "cong ty", "公司", "tbk", "llc", "plc",
    ]
    .iter()
    .any(|w| f.contains(w))
}

pub(super) fn domain_matches_name(domain: Option<&str>, key: &str) -> bool {
    let Some(d) = domain else { return false };
    let label: String = d
        .split('.')
        .next()
        .unwrap_or("")
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect();
    label.len() >= 4 && key.len() >= 4 && (label.contains(key) || key.contains(&label))
}
