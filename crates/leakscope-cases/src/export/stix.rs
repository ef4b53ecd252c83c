//! STIX 2.1 export: a bundle holding the advisory as a `report`, an `identity` per organisation
//! the claim names (victim, parent, platform, provider) located at a `location` per country, a
//! `threat-actor` per seller or group targeting the victim, an `observed-data` with
//! cyber-observables for the seller's contact channels, the organisations' domains and the post's
//! link, a `note` per key insight and one for the verification verdict, an `opinion` on the claim,
//! a `course-of-action` per mitigation, the `relationship`s between them, and the TLP marking.
//! Field-by-field mapping: docs/cases.md.
//!
//! No raw personal data: only organisation names, the seller's published handles and contacts,
//! counts and the advisory's texts (which cite figures, never values).

use super::tlp;
use crate::advisory::Advisory;
use crate::ids::{derived_uuid, uuid_v5};
use crate::model::Tlp;
use crate::time::parse_utc;
use crate::view::CaseView;
use serde_json::{json, Map, Value};

/// The STIX 2.1 namespace of deterministic cyber-observable ids (§2.9).
pub const SCO_NAMESPACE: &str = "00abedb4-aa42-466c-9c01-fed23315a9b7";

fn stamp(s: &str) -> String {
    parse_utc(s)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string())
        .unwrap_or_else(|| "1970-01-01T00:00:00.000Z".into())
}

struct Builder<'a> {
    case_uuid: &'a str,
    created: String,
    modified: String,
    marking: &'static str,
    creator: String,
    objects: Vec<Value>,
}

impl Builder<'_> {
    fn id(&self, ty: &str, key: &str) -> String {
        format!(
            "{ty}--{}",
            derived_uuid(self.case_uuid, &format!("{ty}:{key}"))
        )
    }

    /// Adds an SDO/SRO with the common properties; returns its id.
    fn sdo(&mut self, ty: &str, key: &str, props: Value) -> String {
        let id = self.id(ty, key);
        let mut m = Map::new();
        m.insert("type".into(), ty.into());
        m.insert("spec_version".into(), "2.1".into());
        m.insert("id".into(), id.clone().into());
        m.insert("created_by_ref".into(), self.creator.clone().into());
        m.insert("created".into(), self.created.clone().into());
        m.insert("modified".into(), self.modified.clone().into());
        m.insert("object_marking_refs".into(), json!([self.marking]));
        if let Value::Object(p) = props {
            m.extend(p);
        }
        self.objects.push(Value::Object(m));
        id
    }

    /// Adds a cyber-observable with its deterministic id (UUIDv5 over its id properties);
    /// returns its id (the same observable is added once).
    fn sco(&mut self, ty: &str, id_props: Value, extra: Value) -> String {
        let canonical = canonical_json(&id_props);
        let id = format!("{ty}--{}", uuid_v5(SCO_NAMESPACE, &canonical));
        if self.objects.iter().any(|o| o["id"] == id.as_str()) {
            return id;
        }
        let mut m = Map::new();
        m.insert("type".into(), ty.into());
        m.insert("spec_version".into(), "2.1".into());
        m.insert("id".into(), id.clone().into());
        m.insert("object_marking_refs".into(), json!([self.marking]));
        for p in [id_props, extra] {
            if let Value::Object(p) = p {
                m.extend(p);
            }
        }
        self.objects.push(Value::Object(m));
        id
    }

    fn rel(&mut self, source: &str, ty: &str, target: &str) -> String {
        let key = format!("{source}|{ty}|{target}");
        self.sdo(
            "relationship",
            &key,
            json!({"relationship_type": ty, "source_ref": source, "target_ref": target}),
        )
    }
}

/// Canonical JSON (sorted keys, no spaces) as STIX 2.1 §2.9 uses for id contributing properties.
fn canonical_json(v: &Value) -> String {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let inner: Vec<String> = keys
                .iter()
                .map(|k| format!("{}:{}", Value::String((*k).clone()), canonical_json(&m[*k])))
                .collect();
            format!("{{{}}}", inner.join(","))
        }
        Value::Array(a) => format!(
            "[{}]",
            a.iter().map(canonical_json).collect::<Vec<_>>().join(",")
        ),
        other => other.to_string(),
    }
}

/// STIX `opinion` for a verify verdict.
fn opinion_of(verdict: &str, consistency_lo: f64) -> &'static str {
    match verdict {
        "authentic" if consistency_lo >= 0.9 => "strongly-agree",
        "authentic" => "agree",
        "fabricated" => "strongly-disagree",
        "unrelated" => "disagree",
        _ => "neutral",
    }
}

/// A domain that can be a `domain-name` value (letters, digits, dots, hyphens; a dot inside).
fn plausible_domain(d: &str) -> bool {
    let d = d.trim().trim_end_matches('.');
    d.contains('.')
        && !d.starts_with('.')
        && d.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
}

/// Builds the bundle. `tlp` overrides the case's level.
pub fn bundle(view: &CaseView, a: &Advisory, tlp_level: Option<Tlp>) -> Value {
    let level = tlp_level.unwrap_or(view.case.tlp);
    let created = stamp(&view.case.created_at);
    let mut modified = stamp(&a.generated_at);
    if modified < created {
        modified = created.clone();
    }
    let case_uuid = view.case.uuid.as_str();
    let mut b = Builder {
        case_uuid,
        created,
        modified,
        marking: tlp::marking_id(level),
        creator: String::new(),
        objects: vec![tlp::marking_object(level)],
    };
    // The producer: our organisation when the case names it, else this system.
    let org = view.case.facts.organisation.clone();
    let creator_id = b.id("identity", "producer");
    b.creator = creator_id.clone();
    b.sdo(
        "identity",
        "producer",
        match &org {
            Some(name) => json!({"name": name, "identity_class": "organization"}),
            None => json!({"name": "leakscope", "identity_class": "system", "description": "leakscope case analysis"}),
        },
    );
    let mut refs: Vec<String> = vec![creator_id];
    let claim = view.claim.as_ref().map(|d| &d.value);
    // Organisations and their countries.
    let mut victim_ids = Vec::new();
    let mut org_ids: Vec<(String, String)> = Vec::new();
    if let Some(c) = claim {
        for v in &c.victims {
            let mut p =
                json!({"name": v.name, "identity_class": "organization", "roles": [v.role]});
            if let Some(s) = &v.sector {
                p["sectors"] = json!([s]);
            }
            let desc = match &v.of {
                Some(of) => format!("{} of {of}, named in the claim {}", v.role, c.id),
                None => format!("{} named in the claim {}", v.role, c.id),
            };
            p["description"] = desc.into();
            let id = b.sdo("identity", &format!("org:{}", v.name.to_lowercase()), p);
            refs.push(id.clone());
            if v.role == "victim" {
                victim_ids.push(id.clone());
            }
            org_ids.push((v.name.clone(), id.clone()));
            if let Some(cc) = &v.country {
                let loc = b.id("location", cc);
                if !b.objects.iter().any(|o| o["id"] == loc.as_str()) {
                    let name = leakscope_scan::countries::country_name(cc);
                    b.sdo("location", cc, json!({"name": name, "country": cc}));
                    refs.push(loc.clone());
                }
                refs.push(b.rel(&id, "located-at", &loc));
            }
        }
        // Related organisations point at the organisation they are related to.
        for v in c.victims.iter().filter(|v| v.role != "victim") {
            let of = v.of.as_deref().unwrap_or("");
            let (Some((_, from)), Some((_, to))) = (
                org_ids.iter().find(|(n, _)| *n == v.name),
                org_ids.iter().find(|(n, _)| n == of).or_else(|| {
                    victim_ids
                        .first()
                        .and_then(|vid| org_ids.iter().find(|(_, id)| id == vid))
                }),
            ) else {
                continue;
            };
            if from != to {
                let (f, t) = (from.clone(), to.clone());
                refs.push(b.rel(&f, "related-to", &t));
            }
        }
    }
    // Observables: contact channels, domains, the post's link.
    let mut sco_refs = Vec::new();
    if let Some(c) = claim {
        for k in &c.contacts {
            let Some(h) = &k.handle else { continue };
            let id = if k.kind == "email" && h.contains('@') {
                b.sco("email-addr", json!({"value": h}), json!({}))
            } else {
                // `account_type` is an open vocabulary without messaging services: the service
                // goes into the display name (a vocabulary value is used when there is one).
                let vocab = ["facebook", "skype", "twitter"];
                let id_props = if vocab.contains(&k.kind.as_str()) {
                    json!({"account_login": h, "account_type": k.kind})
                } else {
                    json!({"account_login": h})
                };
                b.sco(
                    "user-account",
                    id_props,
                    json!({"display_name": format!("{} {h}", k.kind)}),
                )
            };
            sco_refs.push(id);
        }
        for v in &c.victims {
            if let Some(d) = v.domain.as_deref().filter(|d| plausible_domain(d)) {
                sco_refs.push(b.sco("domain-name", json!({"value": d.to_lowercase()}), json!({})));
            }
        }
        if let Some(u) = c.source.url.as_deref().filter(|u| u.starts_with("http")) {
            sco_refs.push(b.sco("url", json!({"value": u}), json!({})));
        }
    }
    refs.extend(sco_refs.iter().cloned());
    let mut observed = None;
    if !sco_refs.is_empty() {
        let first = claim
            .and_then(|c| c.dates.posted.as_ref())
            .and_then(|d| d.value.clone())
            .filter(|d| d.len() == 10)
            .map(|d| format!("{d}T00:00:00.000Z"))
            .unwrap_or_else(|| b.created.clone());
        let last = if first > b.modified {
            first.clone()
        } else {
            b.modified.clone()
        };
        let id = b.sdo(
            "observed-data",
            "claim-observables",
            json!({"first_observed": first, "last_observed": last, "number_observed": 1, "object_refs": sco_refs}),
        );
        refs.push(id.clone());
        observed = Some(id);
    }
    // Sellers and groups.
    if let Some(c) = claim {
        for act in &c.actors {
            let group = act.kind.as_deref() == Some("group");
            let mut p = json!({
                "name": act.name,
                "threat_actor_types": [if group { "crime-syndicate" } else { "criminal" }],
            });
            if let Some(v) = &c.venue {
                p["description"] = format!(
                    "Posted the claim {} on {}",
                    c.id,
                    v.name.clone().unwrap_or_else(|| v.kind.clone())
                )
                .into();
            }
            let id = b.sdo(
                "threat-actor",
                &format!("actor:{}", act.name.to_lowercase()),
                p,
            );
            refs.push(id.clone());
            for vid in victim_ids.clone() {
                refs.push(b.rel(&id, "targets", &vid));
            }
            if let Some(o) = observed.clone() {
                refs.push(b.rel(&id, "related-to", &o));
            }
        }
    }
    // The report first gets its id, so notes and opinions can point at it.
    let report_id = b.id("report", "advisory");
    for (i, ins) in a.insights.iter().enumerate() {
        let id = b.sdo(
            "note",
            &format!("insight:{i}:{}", ins.id),
            json!({"abstract": ins.title, "content": ins.text, "object_refs": [report_id]}),
        );
        refs.push(id);
    }
    if let Some(v) = &view.verify {
        let lo = v
            .json
            .pointer("/consistency/lo")
            .and_then(Value::as_f64)
            .unwrap_or(0.0);
        let mut targets = vec![report_id.clone()];
        targets.extend(victim_ids.iter().cloned());
        let note = b.sdo(
            "note",
            "verification",
            json!({
                "abstract": format!("Verification: {}", v.value.verdict),
                "content": v.value.summary,
                "object_refs": targets,
            }),
        );
        refs.push(note);
        let op = b.sdo(
            "opinion",
            "verification",
            json!({
                "opinion": opinion_of(&v.value.verdict, lo),
                "explanation": format!("Sample verified against our own records: {} — {}", v.value.verdict, v.value.summary),
                "object_refs": [report_id],
            }),
        );
        refs.push(op);
    }
    for m in &a.mitigations {
        let id = b.sdo(
            "course-of-action",
            &format!("mitigation:{}", m.id),
            json!({
                "name": m.title,
                "description": format!("{} (owner: {}; due {})", m.text, m.owner_label, m.due_utc),
            }),
        );
        refs.push(id);
    }
    let mut labels: Vec<String> = vec!["data-leak".into()];
    if let Some(c) = claim {
        labels.extend(c.kind.iter().map(|k| k.id().replace('_', "-")));
    }
    if let Some(l) = &a.case.sensitivity {
        labels.push(format!("sensitivity-{l}"));
    }
    if let Some(v) = &a.case.verdict {
        labels.push(format!("verdict-{v}"));
    }
    let description = a
        .summary
        .iter()
        .map(|s| s.text.clone())
        .collect::<Vec<_>>()
        .join(" ");
    refs.dedup();
    let mut report = Map::new();
    for (k, v) in [
        ("type", json!("report")),
        ("spec_version", json!("2.1")),
        ("id", json!(report_id)),
        ("created_by_ref", json!(b.creator)),
        ("created", json!(b.created)),
        ("modified", json!(b.modified)),
        ("name", json!(a.case.title)),
        ("description", json!(description)),
        ("report_types", json!(["threat-report"])),
        ("published", json!(b.modified)),
        ("labels", json!(labels)),
        ("object_refs", json!(refs)),
        ("object_marking_refs", json!([b.marking])),
        ("lang", json!(a.lang)),
    ] {
        report.insert(k.into(), v);
    }
    b.objects.push(Value::Object(report));
    json!({
        "type": "bundle",
        "id": format!("bundle--{}", derived_uuid(case_uuid, &format!("bundle:{}", a.generated_at))),
        "objects": b.objects,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sco_ids_follow_stix_deterministic_ids() {
        // STIX 2.1 §2.9 example: email-addr "john.doe@example.com".
        let id = uuid_v5(
            SCO_NAMESPACE,
            &canonical_json(&json!({"value": "john.doe@example.com"})),
        );
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "5");
        assert_eq!(
            canonical_json(&json!({"b": 1, "a": "x"})),
            r#"{"a":"x","b":1}"#
        );
        assert!(plausible_domain("foomart.com.sg"));
        assert!(!plausible_domain("foo mart"));
    }
}
