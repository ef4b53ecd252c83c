//! One time axis per case: the events, the claim's post date, the regulators' deadlines
//! (counted from the case's awareness time, met by a `notified` event that names the regulator
//! or the rule) and the mitigations' due times — with what is overdue marked.

use crate::advisory::{Ctx, Mitigation, ObligationItem, ObligationsSection};
use crate::evidence::cite;
use crate::model::Event;
use crate::time::{local_str, parse_utc, pretty_offset, span};
use serde::Serialize;
use serde_json::Value;

/// One point on the time axis.
#[derive(Debug, Clone, Serialize)]
pub struct TimelineItem {
    /// When (UTC).
    pub at: String,
    /// When, in the case's timezone (deadlines: the jurisdiction's).
    pub local: String,
    /// `event`, `posted`, `deadline` or `due` (a mitigation).
    pub kind: String,
    /// Event kind (`notified` …), rule id, or mitigation id.
    pub key: String,
    /// Label ("Notified", "Deadline").
    pub label: String,
    /// Text.
    pub text: String,
    /// `past` (an event), `open`, `overdue`, `met`, `met_late`, `done`.
    pub state: String,
}

/// Upper-case tokens of a recipient name (`PDPC`, `CAC`, `A05`, `CERT-In`).
fn acronyms(recipient: &str) -> Vec<String> {
    recipient
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .filter(|w| {
            let up = w.chars().filter(char::is_ascii_uppercase).count();
            let digit = w.chars().any(|c| c.is_ascii_digit());
            w.len() >= 2 && (up >= 2 || (up >= 1 && digit))
        })
        .map(str::to_lowercase)
        .collect()
}

/// The `notified` event that meets an obligation (its rule id, an acronym of its recipient, or
/// its recipient's full name appears in the event text).
pub fn notified_by<'a>(obligation: &Value, events: &'a [Event]) -> Option<&'a Event> {
    let rule = obligation["rule_id"].as_str().unwrap_or("").to_lowercase();
    let recipient = obligation["recipient"].as_str().unwrap_or("");
    let full = recipient.to_lowercase();
    let acr = acronyms(recipient);
    events.iter().filter(|e| e.kind == "notified").find(|e| {
        let text = e.text.to_lowercase();
        let words: Vec<&str> = text
            .split(|c: char| !(c.is_alphanumeric() || c == '-'))
            .collect();
        (!rule.is_empty() && text.contains(&rule))
            || (!full.is_empty() && text.contains(&full))
            || acr.iter().any(|a| words.contains(&a.as_str()))
    })
}

/// The obligations section: the newest obligations document, each duty's status now.
pub(crate) fn obligations(cx: &Ctx<'_>) -> ObligationsSection {
    let t = cx.t;
    let Some(o) = &cx.view.obligations else {
        return ObligationsSection {
            basis: None,
            items: Vec::new(),
            notes: Vec::new(),
        };
    };
    let mut notes = vec![t.fill(
        "text.not_legal_advice",
        &[("checked_on", o.value.rules.checked_on.clone())],
    )];
    if o.meta.basis == "claim" {
        notes.push(t.t("text.obligations_from_claim"));
    }
    let items = o
        .value
        .obligations
        .iter()
        .enumerate()
        .map(|(i, ob)| {
            let json = &o.json["obligations"][i];
            let due = ob.deadline.due_utc.as_deref().and_then(parse_utc);
            let met = notified_by(json, &cx.view.events);
            let met_at = met.and_then(|e| parse_utc(&e.at));
            let (status, remaining) = match (due, met_at) {
                (Some(d), Some(m)) if m > d => (
                    "met_late",
                    t.fill("text.met", &[("time", cx.local(m))])
                        + &format!(
                            " ({})",
                            t.fill("text.overdue", &[("span", span((m - d).num_seconds()))])
                        ),
                ),
                (_, Some(m)) => ("met", t.fill("text.met", &[("time", cx.local(m))])),
                (Some(d), None) if d < cx.now => (
                    "overdue",
                    t.fill(
                        "text.overdue",
                        &[("span", span((cx.now - d).num_seconds()))],
                    ),
                ),
                (Some(d), None) => (
                    "open",
                    t.fill("text.left", &[("span", span((d - cx.now).num_seconds()))]),
                ),
                (None, None) => (
                    "no_fixed_deadline",
                    if ob.deadline.unit == "immediately" {
                        t.t("text.immediately")
                    } else {
                        t.t("text.practicable")
                    },
                ),
            };
            let individuals = ob.individuals.required.then(|| {
                let d = ob
                    .individuals
                    .deadline
                    .as_ref()
                    .map(|d| d.text.clone())
                    .unwrap_or_else(|| ob.individuals.text.clone());
                t.fill("text.individuals", &[("deadline", d)])
            });
            let evidence = [
                cite(o, &format!("/obligations/{i}/rule_id")),
                cite(o, &format!("/obligations/{i}/deadline/due_utc")),
                cite(o, &format!("/obligations/{i}/deadline/anchor_at")),
            ]
            .into_iter()
            .flatten()
            .collect();
            ObligationItem {
                rule_id: ob.rule_id.clone(),
                jurisdiction: ob.jurisdiction_code.clone(),
                title: ob.title.clone(),
                citation: ob.citation.clone(),
                recipient: ob.recipient.clone(),
                channel: ob.channel.clone(),
                deadline: ob.deadline.text.clone(),
                due_utc: ob.deadline.due_utc.clone(),
                due_local: ob.deadline.due_local.as_deref().map(pretty_offset),
                status: status.into(),
                remaining,
                notified_event: met.map(|e| e.id),
                individuals,
                verified: ob.verified,
                caveats: ob.caveats.clone(),
                evidence,
            }
        })
        .collect();
    ObligationsSection {
        basis: Some(o.meta.basis.clone()),
        items,
        notes,
    }
}

/// Events, the post date, deadlines and due times, in time order.
pub(crate) fn build(
    cx: &Ctx<'_>,
    obligations: &ObligationsSection,
    mitigations: &[Mitigation],
) -> Vec<TimelineItem> {
    let t = cx.t;
    let zone = cx.zone;
    let mut out = Vec::new();
    for e in &cx.view.events {
        out.push(TimelineItem {
            at: e.at.clone(),
            local: local_str(&e.at, zone),
            kind: "event".into(),
            key: e.kind.clone(),
            label: t.label("event", &e.kind),
            text: e.text.clone(),
            state: "past".into(),
        });
    }
    if let Some(c) = &cx.view.claim {
        if let Some(d) = c.value.dates.posted.as_ref().and_then(|d| d.value.clone()) {
            if d.len() == 10 {
                let at = format!("{d}T00:00:00Z");
                out.push(TimelineItem {
                    local: d.clone(),
                    at,
                    kind: "posted".into(),
                    key: "posted".into(),
                    label: t.label("event", "posted"),
                    text: c
                        .value
                        .source
                        .title
                        .clone()
                        .unwrap_or_else(|| c.value.id.clone()),
                    state: "past".into(),
                });
            }
        }
    }
    for o in &obligations.items {
        let Some(due) = &o.due_utc else { continue };
        out.push(TimelineItem {
            at: due.clone(),
            local: o.due_local.clone().unwrap_or_else(|| local_str(due, zone)),
            kind: "deadline".into(),
            key: o.rule_id.clone(),
            label: t.label("event", "deadline"),
            text: format!("{} — {} ({})", o.jurisdiction, o.recipient, o.remaining),
            state: o.status.clone(),
        });
    }
    for m in mitigations {
        out.push(TimelineItem {
            at: m.due_utc.clone(),
            local: m.due_local.clone(),
            kind: "due".into(),
            key: m.id.clone(),
            label: t.label("event", "mitigation"),
            text: format!("{} — {}", m.title, m.owner_label),
            state: m.status.clone(),
        });
    }
    out.sort_by(|a, b| a.at.cmp(&b.at).then(a.kind.cmp(&b.kind)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(kind: &str, text: &str) -> Event {
        Event {
            id: 1,
            at: "2026-01-03T02:00:00Z".into(),
            kind: kind.into(),
            text: text.into(),
            actor: None,
            artefact_id: None,
            document_id: None,
            recorded_at: "2026-01-03T02:00:00Z".into(),
        }
    }

    #[test]
    fn notifications_match_regulators_by_acronym_rule_or_name() {
        let sg = serde_json::json!({"rule_id": "sg-pdpa-26d", "recipient": "Personal Data Protection Commission (PDPC)"});
        assert!(notified_by(&sg, &[ev("notified", "notified PDPC via portal")]).is_some());
        assert!(notified_by(&sg, &[ev("notified", "Notified sg-pdpa-26d")]).is_some());
        assert!(notified_by(&sg, &[ev("note", "notified PDPC")]).is_none());
        assert!(notified_by(&sg, &[ev("notified", "notified PDPCX")]).is_none());
        let vn = serde_json::json!({"rule_id": "vn-law91-23", "recipient": "Ministry of Public Security, specialised personal-data protection agency (A05)"});
        assert!(notified_by(&vn, &[ev("notified", "notified A05 by form")]).is_some());
        assert!(notified_by(&vn, &[ev("notified", "notified PDPC")]).is_none());
    }
}
