//! Mitigations derived from the evidence, each with its owner role and due time (awareness +
//! `policy.toml` hours) and the figures it rests on. A `done` event naming a mitigation (its id or
//! title) marks it done.

use crate::advisory::{Ctx, Mitigation};
use crate::evidence::{cite, cite_claim, cite_len, EvidenceRef};
use crate::time::{fmt_utc, parse_utc};
use chrono::Duration;

fn make(
    cx: &Ctx<'_>,
    id: &str,
    vars: &[(&str, String)],
    evidence: Vec<Option<EvidenceRef>>,
) -> Option<Mitigation> {
    let evidence: Vec<EvidenceRef> = evidence.into_iter().flatten().collect();
    if evidence.is_empty() {
        return None;
    }
    let t = cx.t;
    let pol = t.policy.mitigation.get(id)?;
    let due = cx.aware + Duration::hours(pol.due_hours);
    let title = t.fill(&format!("mitigation.{id}.title"), vars);
    let done = cx
        .view
        .events
        .iter()
        .filter(|e| e.kind == "done")
        .find(|e| {
            let text = e.text.to_lowercase();
            text.contains(id) || text.contains(&title.to_lowercase())
        });
    let status = match done {
        Some(_) => "done",
        None if due < cx.now => "overdue",
        None => "open",
    };
    Some(Mitigation {
        id: id.into(),
        title,
        text: t.fill(&format!("mitigation.{id}.text"), vars),
        owner: pol.owner.clone(),
        owner_label: t.label("role", &pol.owner),
        due_utc: fmt_utc(due),
        due_local: cx.local(due),
        status: status.into(),
        done_at: done.and_then(|e| parse_utc(&e.at)).map(fmt_utc),
        evidence,
    })
}

/// Every mitigation the evidence supports.
pub(crate) fn build(cx: &Ctx<'_>) -> Vec<Mitigation> {
    let mut out = Vec::new();
    out.extend(investigate(cx));
    out.extend(password_reset(cx));
    out.extend(merchant_notices(cx));
    out.extend(by_class(cx));
    out.extend(phishing(cx));
    out.extend(monitor_actor(cx));
    out
}

fn investigate(cx: &Ctx<'_>) -> Option<Mitigation> {
    let view = cx.view;
    match &view.verify {
        Some(v) if v.value.verdict == "inconclusive" => {
            let rows = v.value.minimum_rows_needed?;
            make(
                cx,
                "more_rows",
                &[
                    ("rows", cx.t.num(rows)),
                    ("reason", v.value.summary.trim_end_matches('.').to_string()),
                ],
                vec![cite(v, "/verdict"), cite(v, "/minimum_rows_needed")],
            )
        }
        Some(_) => None,
        None => {
            let mut ev = Vec::new();
            if let Some(c) = &view.claim {
                ev.push(cite_claim(c, "kind[0]"));
                ev.push(cite_claim(c, "sample"));
            }
            if let Some(s) = &view.scan {
                ev.push(cite(s, "/rows"));
            }
            make(cx, "investigate", &[], ev)
        }
    }
}

fn password_reset(cx: &Ctx<'_>) -> Option<Mitigation> {
    let mut ev = Vec::new();
    let mut has = false;
    if let Some(s) = &cx.view.scan {
        if s.value.passwords.total > 0 {
            has = true;
            ev.push(cite(s, "/passwords/total"));
        }
    }
    for c in ["password", "password_hash"] {
        if let Some(r) = cx.class(c) {
            has = true;
            ev.push(Some(r));
        }
    }
    if !has {
        return None;
    }
    let t = cx.t;
    let (count, list) = match &cx.view.verify {
        Some(v) if v.value.verdict == "authentic" => {
            let n = v
                .json
                .pointer("/case_outputs/affected_customers")
                .and_then(|x| x.as_u64());
            let sha = v
                .json
                .pointer("/case_outputs/affected_customers_csv")
                .and_then(|x| x.as_str());
            ev.push(cite(v, "/case_outputs/affected_customers"));
            ev.push(cite(v, "/case_outputs/affected_customers_csv"));
            (
                n.map(|n| t.num(n)).unwrap_or_else(|| t.t("text.unknown")),
                sha.map(|h| {
                    format!(
                        " (affected_customers.csv, sha256 {})",
                        &h[..h.len().min(12)]
                    )
                })
                .unwrap_or_default(),
            )
        }
        _ => match &cx.view.scan {
            Some(s) => {
                ev.push(cite(s, "/individuals/estimate"));
                (t.num(s.value.individuals.estimate), String::new())
            }
            None => (t.t("text.unknown"), String::new()),
        },
    };
    make(
        cx,
        "password_reset",
        &[("count", count), ("list", list)],
        ev,
    )
}

fn merchant_notices(cx: &Ctx<'_>) -> Option<Mitigation> {
    let t = cx.t;
    if let Some(v) = &cx.view.verify {
        if !v.value.tenants.is_empty() && v.value.verdict != "unrelated" {
            let packs = v
                .json
                .pointer("/case_outputs/merchant_packs")
                .and_then(|x| x.as_u64())
                .unwrap_or(0);
            return make(
                cx,
                "merchant_notices",
                &[
                    ("merchants", t.num(v.value.tenants.len() as u64)),
                    (
                        "packs",
                        if packs > 0 {
                            format!(
                                " (merchants/<id>.md × {}, run {})",
                                t.num(packs),
                                v.meta.run
                            )
                        } else {
                            String::new()
                        },
                    ),
                ],
                vec![
                    cite_len(v, "/tenants"),
                    cite(v, "/case_outputs/merchant_packs"),
                ],
            );
        }
    }
    let s = cx.view.scan.as_ref()?;
    let tn = s.value.tenants.as_ref().filter(|x| x.count >= 2)?;
    make(
        cx,
        "merchant_notices",
        &[("merchants", t.num(tn.count)), ("packs", String::new())],
        vec![cite(s, "/tenants/count")],
    )
}

fn card_values(cx: &Ctx<'_>) -> (u64, Vec<Option<EvidenceRef>>) {
    let Some(s) = &cx.view.scan else {
        return (0, Vec::new());
    };
    let mut n = 0;
    let mut ev = Vec::new();
    for (ti, tb) in s.value.tables.iter().enumerate() {
        for (ci, c) in tb.columns.iter().enumerate() {
            if c.class == "payment_card" || c.class == "payment_card_partial" {
                n += c.distinct_estimate;
                ev.push(cite(
                    s,
                    &format!("/tables/{ti}/columns/{ci}/distinct_estimate"),
                ));
            }
        }
    }
    (n, ev)
}

fn by_class(cx: &Ctx<'_>) -> Vec<Mitigation> {
    let t = cx.t;
    let mut out = Vec::new();
    let people = cx.view.scan.as_ref().map(|s| {
        (
            t.num(s.value.individuals.estimate),
            cite(s, "/individuals/estimate"),
        )
    });
    if let Some(r) = cx.class("national_id") {
        let (n, pr) = people
            .clone()
            .unwrap_or_else(|| (t.t("text.unknown"), None));
        out.extend(make(
            cx,
            "identity_monitoring",
            &[("people", n)],
            vec![Some(r), pr],
        ));
    }
    let cards: Vec<EvidenceRef> = ["payment_card", "payment_card_partial"]
        .iter()
        .filter_map(|c| cx.class(c))
        .collect();
    if !cards.is_empty() {
        let (n, mut ev) = card_values(cx);
        ev.extend(cards.into_iter().map(Some));
        let count = if n > 0 { t.num(n) } else { t.t("text.unknown") };
        out.extend(make(cx, "issuer_notice", &[("cards", count)], ev));
    }
    if let Some(r) = cx.class("bank_account") {
        out.extend(make(cx, "bank_accounts", &[], vec![Some(r)]));
    }
    let ids: Vec<(String, EvidenceRef)> = cx
        .classes()
        .into_iter()
        .filter(|(c, _)| matches!(c.as_str(), "email" | "phone" | "username"))
        .collect();
    if !ids.is_empty() {
        let names: Vec<&str> = ids.iter().map(|(c, _)| c.as_str()).collect();
        out.extend(make(
            cx,
            "mfa",
            &[("identifiers", cx.class_labels(&names))],
            ids.iter().map(|(_, r)| Some(r.clone())).collect(),
        ));
    }
    out
}

fn phishing(cx: &Ctx<'_>) -> Option<Mitigation> {
    let t = cx.t;
    let mut lures: Vec<String> = Vec::new();
    let mut ev = Vec::new();
    for (c, r) in cx.classes() {
        let key = format!("lure.{c}");
        if t.has(&key) {
            let l = t.t(&key);
            if !lures.contains(&l) {
                lures.push(l);
            }
            ev.push(Some(r));
        }
    }
    if lures.is_empty() {
        return None;
    }
    make(cx, "phishing_awareness", &[("lures", t.join(&lures))], ev)
}

fn monitor_actor(cx: &Ctx<'_>) -> Option<Mitigation> {
    let c = cx.view.claim.as_ref()?;
    let mut channels = Vec::new();
    let mut ev = Vec::new();
    if let Some(v) = &c.value.venue {
        channels.push(
            v.name
                .clone()
                .unwrap_or_else(|| cx.t.label("venue", &v.kind)),
        );
        ev.push(cite_claim(c, "venue"));
    }
    for (i, k) in c.value.contacts.iter().enumerate() {
        let kind = cx.t.label("contact", &k.kind);
        channels.push(match &k.handle {
            Some(h) => format!("{kind} {h}"),
            None => kind,
        });
        ev.push(cite_claim(c, &format!("contacts[{i}]")));
    }
    for (i, a) in c.value.actors.iter().enumerate() {
        channels.push(a.name.clone());
        ev.push(cite_claim(c, &format!("actors[{i}]")));
    }
    if channels.is_empty() {
        return None;
    }
    make(
        cx,
        "monitor_actor",
        &[("channels", t_join(cx, channels))],
        ev,
    )
}

fn t_join(cx: &Ctx<'_>, v: Vec<String>) -> String {
    cx.t.join(&v)
}
