//! MISP export: one event (info, date, threat level, analysis state, distribution, TLP and
//! taxonomy tags) with attributes for the seller and contact channels, and objects from the
//! official MISP templates that fit: `victim` per organisation, `annotation` for the advisory
//! (executive summary), each key insight and the verification verdict, `course-of-action` per
//! mitigation, `telegram-account` per Telegram contact, `ransomware-group-post` for a leak-site
//! listing. Templates used are data (`templates/misp-objects.toml`). Mapping: docs/cases.md.

use super::tlp;
use crate::advisory::Advisory;
use crate::error::{CaseError, Result};
use crate::ids::derived_uuid;
use crate::model::Tlp;
use crate::time::parse_utc;
use crate::view::CaseView;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;

const OBJECTS: &str = include_str!("../../templates/misp-objects.toml");

/// One official object template (the facts the export needs).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectTemplate {
    /// Template name.
    pub name: String,
    /// Template uuid.
    pub uuid: String,
    /// Template version.
    pub version: u32,
    /// Meta-category.
    pub meta_category: String,
    /// Description.
    pub description: String,
    /// Object relation → MISP attribute type.
    pub relations: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct ObjectsFile {
    format: u32,
    object: Vec<ObjectTemplate>,
}

/// The templates the export uses.
pub fn templates() -> Result<Vec<ObjectTemplate>> {
    let f: ObjectsFile = toml::from_str(OBJECTS)
        .map_err(|e| CaseError::Corrupt(format!("misp-objects.toml: {e}")))?;
    if f.format != 1 {
        return Err(CaseError::Corrupt(
            "misp-objects.toml: format must be 1".into(),
        ));
    }
    Ok(f.object)
}

/// The category an attribute of a type is filed under (MISP's default for the type, except
/// contact handles, which are `Social network`).
pub fn category(ty: &str) -> &'static str {
    match ty {
        "target-org" | "target-location" => "Targeting data",
        "domain" => "Network activity",
        "link" => "External analysis",
        "threat-actor" => "Attribution",
        "email-src" | "jabber-id" => "Social network",
        _ => "Other",
    }
}

struct Ev<'a> {
    case_uuid: &'a str,
    objects: Vec<Value>,
    attributes: Vec<Value>,
    templates: Vec<ObjectTemplate>,
}

impl Ev<'_> {
    fn attribute(&self, key: &str, ty: &str, category: &str, value: &str, comment: &str) -> Value {
        json!({
            "uuid": derived_uuid(self.case_uuid, &format!("misp-attr:{key}")),
            "type": ty,
            "category": category,
            "value": value,
            "comment": comment,
            "to_ids": false,
            "distribution": "5",
            "disable_correlation": false,
        })
    }

    fn object(&mut self, template: &str, key: &str, comment: &str, fields: &[(&str, String)]) {
        let Some(t) = self.templates.iter().find(|t| t.name == template).cloned() else {
            return;
        };
        let attrs: Vec<Value> = fields
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .enumerate()
            .filter_map(|(i, (rel, v))| {
                let ty = t.relations.get(*rel)?;
                let mut a = self.attribute(
                    &format!("{template}:{key}:{i}:{rel}"),
                    ty,
                    category(ty),
                    v,
                    "",
                );
                a["object_relation"] = json!(rel);
                Some(a)
            })
            .collect();
        if attrs.is_empty() {
            return;
        }
        self.objects.push(json!({
            "name": t.name,
            "meta-category": t.meta_category,
            "description": t.description,
            "template_uuid": t.uuid,
            "template_version": t.version.to_string(),
            "uuid": derived_uuid(self.case_uuid, &format!("misp-obj:{template}:{key}")),
            "distribution": "5",
            "sharing_group_id": "0",
            "comment": comment,
            "Attribute": attrs,
        }));
    }
}

/// MISP threat level: 1 high (critical / high sensitivity), 2 medium, 3 low, 4 undefined.
fn threat_level(sensitivity: Option<&str>) -> &'static str {
    match sensitivity {
        Some("critical") | Some("high") => "1",
        Some("moderate") => "2",
        Some("low") => "3",
        _ => "4",
    }
}

/// The course-of-action `type` of a mitigation (template suggestions).
fn coa_type(id: &str) -> &'static str {
    match id {
        "password_reset" | "mfa" => "Logical Access Restrictions",
        "phishing_awareness" | "merchant_notices" => "Training",
        _ => "Monitoring",
    }
}

/// Builds the event (`{"Event": {…}}`). `tlp` overrides the case's level.
pub fn event(view: &CaseView, a: &Advisory, tlp_level: Option<Tlp>) -> Result<Value> {
    let level = tlp_level.unwrap_or(view.case.tlp);
    let case_uuid = view.case.uuid.as_str();
    let mut ev = Ev {
        case_uuid,
        objects: Vec::new(),
        attributes: Vec::new(),
        templates: templates()?,
    };
    let claim = view.claim.as_ref().map(|d| &d.value);
    let mut tags = vec![
        tlp::misp_tag(level),
        "rsit:information-content-security=\"unauthorised-information-access\"".to_string(),
    ];
    if let Some(c) = claim {
        if c.kind.iter().any(|k| k.id() == "exposure") {
            tags.push("rsit:vulnerable=\"information-disclosure\"".into());
        }
    }
    if let Some(v) = &view.verify {
        let credibility = match v.value.verdict.as_str() {
            "authentic" => "1",
            "fabricated" | "unrelated" => "5",
            _ => "6",
        };
        tags.push(format!(
            "admiralty-scale:information-credibility=\"{credibility}\""
        ));
    }
    if let Some(c) = claim {
        for (i, act) in c.actors.iter().enumerate() {
            let comment = if act.kind.as_deref() == Some("group") {
                "group named in the claim"
            } else {
                "seller / poster named in the claim"
            };
            let a = ev.attribute(
                &format!("actor:{i}"),
                "threat-actor",
                "Attribution",
                &act.name,
                comment,
            );
            ev.attributes.push(a);
        }
        for (i, k) in c.contacts.iter().enumerate() {
            let Some(h) = &k.handle else { continue };
            let key = format!("contact:{i}");
            match k.kind.as_str() {
                "telegram" => ev.object(
                    "telegram-account",
                    &key,
                    "seller contact named in the claim",
                    &[("username", h.trim_start_matches('@').to_string())],
                ),
                "email" if h.contains('@') => {
                    let a = ev.attribute(
                        &key,
                        "email-src",
                        "Social network",
                        h,
                        "seller contact named in the claim",
                    );
                    ev.attributes.push(a);
                }
                "jabber" if h.contains('@') => {
                    let a = ev.attribute(
                        &key,
                        "jabber-id",
                        "Social network",
                        h,
                        "seller contact named in the claim",
                    );
                    ev.attributes.push(a);
                }
                other => {
                    let a = ev.attribute(
                        &key,
                        "text",
                        "Social network",
                        &format!("{other}: {h}"),
                        "seller contact named in the claim",
                    );
                    ev.attributes.push(a);
                }
            }
        }
        if let Some(u) = c.source.url.as_deref().filter(|u| u.starts_with("http")) {
            let a = ev.attribute(
                "post-link",
                "link",
                "External analysis",
                u,
                "the post the claim was read from",
            );
            ev.attributes.push(a);
        }
        if let Some(p) = &c.price {
            if let (Some(amount), Some(cur)) = (p.amount, &p.currency) {
                let a = ev.attribute(
                    "price",
                    "text",
                    "Financial fraud",
                    &format!("{amount} {cur}"),
                    "asking price stated in the claim",
                );
                ev.attributes.push(a);
            }
        }
        for (i, v) in c.victims.iter().enumerate() {
            let desc = match &v.of {
                Some(of) => format!("{} of {of}, named in the claim {}", v.role, c.id),
                None => format!("{} named in the claim {}", v.role, c.id),
            };
            ev.object(
                "victim",
                &format!("org:{i}"),
                &v.role,
                &[
                    ("name", v.name.clone()),
                    ("domain", v.domain.clone().unwrap_or_default()),
                    ("regions", v.country.clone().unwrap_or_default()),
                    ("sectors", v.sector.clone().unwrap_or_default()),
                    ("roles", v.role.clone()),
                    ("classification", "organization".into()),
                    ("description", desc),
                ],
            );
        }
        if c.kind.iter().any(|k| k.id() == "ransomware") {
            let group = c.actors.first().map(|x| x.name.clone()).unwrap_or_default();
            let victim = c
                .victims
                .iter()
                .find(|v| v.role == "victim")
                .map(|v| v.name.clone())
                .unwrap_or_default();
            let posted = c
                .dates
                .posted
                .as_ref()
                .and_then(|d| d.value.clone())
                .filter(|d| d.len() == 10)
                .map(|d| format!("{d}T00:00:00Z"))
                .unwrap_or_default();
            ev.object(
                "ransomware-group-post",
                "listing",
                "leak-site listing the claim was read from",
                &[
                    (
                        "title",
                        c.source
                            .title
                            .clone()
                            .unwrap_or_else(|| a.case.title.clone()),
                    ),
                    ("ransomware-group", group),
                    ("entity-name", victim),
                    ("date-published", posted),
                    (
                        "link",
                        c.source
                            .url
                            .clone()
                            .filter(|u| u.starts_with("http"))
                            .unwrap_or_default(),
                    ),
                ],
            );
        }
    }
    let summary = a
        .summary
        .iter()
        .map(|s| s.text.clone())
        .collect::<Vec<_>>()
        .join("\n\n");
    ev.object(
        "annotation",
        "summary",
        "advisory summary",
        &[
            ("text", summary),
            ("type", "Executive Summary".into()),
            ("format", "text".into()),
            ("creation-date", a.generated_at.clone()),
        ],
    );
    for (i, x) in a.insights.iter().enumerate() {
        ev.object(
            "annotation",
            &format!("insight:{i}:{}", x.id),
            "key insight",
            &[
                ("text", format!("{}: {}", x.title, x.text)),
                ("type", "Annotation".into()),
                ("format", "text".into()),
            ],
        );
    }
    if let Some(v) = &view.verify {
        ev.object(
            "annotation",
            "verification",
            "verification against our records",
            &[
                (
                    "text",
                    format!("Verification: {} — {}", v.value.verdict, v.value.summary),
                ),
                ("type", "Conclusion".into()),
                ("format", "text".into()),
            ],
        );
    }
    for m in &a.mitigations {
        ev.object(
            "course-of-action",
            &format!("mitigation:{}", m.id),
            "mitigation",
            &[
                ("name", m.title.clone()),
                (
                    "description",
                    format!("{} (owner: {}; due {})", m.text, m.owner_label, m.due_utc),
                ),
                ("stage", "Response".into()),
                ("type", coa_type(&m.id).into()),
            ],
        );
    }
    let date = a.case.aware_at.chars().take(10).collect::<String>();
    let timestamp = parse_utc(&a.generated_at).map_or(0, |t| t.timestamp());
    let analysis = if view.case.status == crate::model::Status::Closed {
        "2"
    } else if view.verify.is_some() {
        "1"
    } else {
        "0"
    };
    Ok(json!({
        "Event": {
            "uuid": case_uuid,
            "info": a.case.title,
            "date": date,
            "threat_level_id": threat_level(a.case.sensitivity.as_deref()),
            "analysis": analysis,
            "distribution": tlp::misp_distribution(level).to_string(),
            "published": false,
            "timestamp": timestamp.to_string(),
            "Tag": tags.iter().map(|t| json!({"name": t})).collect::<Vec<_>>(),
            "Attribute": ev.attributes,
            "Object": ev.objects,
        }
    }))
}
