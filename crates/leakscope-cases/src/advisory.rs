//! The advisory (`leakscope.advisory/1`): title; summary (who claims what, where, when; what we
//! verified, with what confidence); key insights and mitigations derived from the evidence, each
//! citing the figures it rests on; obligations with deadlines counting down from the case's
//! awareness time; open questions; the timeline. Built from a [`CaseView`] and [`Templates`]; a
//! statement without evidence is never emitted.

use crate::analyse::awareness;
use crate::evidence::{cite, cite_claim, EvidenceRef};
use crate::model::{Artefact, DocumentMeta};
use crate::templates::Templates;
use crate::time::{fmt_utc, local};
use crate::timeline::{self, TimelineItem};
use crate::view::CaseView;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

/// Schema id of the advisory document.
pub const ADVISORY_SCHEMA: &str = "leakscope.advisory/1";

/// A sentence and what it rests on.
#[derive(Debug, Clone, Serialize)]
pub struct Statement {
    /// Stable id (`claim`, `sample`, `verification` …).
    pub id: String,
    /// The sentence.
    pub text: String,
    /// Figures and claim spans it rests on.
    pub evidence: Vec<EvidenceRef>,
}

/// A key insight.
#[derive(Debug, Clone, Serialize)]
pub struct Insight {
    /// Stable id (`supply_chain`, `scenario:id-and-name`, `freshness_fresh` …).
    pub id: String,
    /// Headline.
    pub title: String,
    /// Explanation with figures.
    pub text: String,
    /// Figures and claim spans it rests on (never empty).
    pub evidence: Vec<EvidenceRef>,
}

/// A mitigation step.
#[derive(Debug, Clone, Serialize)]
pub struct Mitigation {
    /// Stable id (`password_reset`, `merchant_notices` …; `policy.toml` keys).
    pub id: String,
    /// Headline.
    pub title: String,
    /// What to do, with figures.
    pub text: String,
    /// Owner role key (`identity`, `merchants` …).
    pub owner: String,
    /// Owner role label in the advisory's language.
    pub owner_label: String,
    /// Due instant (UTC): awareness + the policy's hours.
    pub due_utc: String,
    /// Due instant in the case's timezone.
    pub due_local: String,
    /// `open`, `overdue` or `done` (a `done` event names it).
    pub status: String,
    /// When it was recorded done.
    pub done_at: Option<String>,
    /// Figures and claim spans it rests on (never empty).
    pub evidence: Vec<EvidenceRef>,
}

/// One notification duty, with its deadline counted from awareness.
#[derive(Debug, Clone, Serialize)]
pub struct ObligationItem {
    /// Rule id (`sg-pdpa-26d`).
    pub rule_id: String,
    /// Jurisdiction code.
    pub jurisdiction: String,
    /// Duty title.
    pub title: String,
    /// "Law, article".
    pub citation: String,
    /// Who to tell.
    pub recipient: String,
    /// How.
    pub channel: String,
    /// The rule's deadline in words.
    pub deadline: String,
    /// Due instant (UTC), when fixed.
    pub due_utc: Option<String>,
    /// Due instant in the jurisdiction's time.
    pub due_local: Option<String>,
    /// `open`, `overdue`, `met`, `met_late` or `no_fixed_deadline`.
    pub status: String,
    /// "2 d 3 h left", "5 h overdue", "notified 2026-01-03 10:00 +08".
    pub remaining: String,
    /// The `notified` event that met it.
    pub notified_event: Option<i64>,
    /// Individuals' duty in words, when they must be told.
    pub individuals: Option<String>,
    /// Whether the rule's facts are verified.
    pub verified: bool,
    /// Caveats of the rule.
    pub caveats: Vec<String>,
    /// The obligations document's fields it comes from.
    pub evidence: Vec<EvidenceRef>,
}

/// The obligations section.
#[derive(Debug, Clone, Serialize)]
pub struct ObligationsSection {
    /// `sample` or `claim` (assessed from what the claim says).
    pub basis: Option<String>,
    /// The duties, soonest first.
    pub items: Vec<ObligationItem>,
    /// "Not legal advice" and how deadlines are counted.
    pub notes: Vec<String>,
}

/// Header facts of the case.
#[derive(Debug, Clone, Serialize)]
pub struct CaseHeader {
    /// Row id.
    pub id: i64,
    /// UUID.
    pub uuid: String,
    /// Title.
    pub title: String,
    /// `open` or `closed`.
    pub status: String,
    /// TLP label (`TLP:AMBER`).
    pub tlp: String,
    /// Timezone of local times.
    pub timezone: String,
    /// Opened (UTC).
    pub opened_at: String,
    /// Closed (UTC) and why.
    pub closed: Option<(String, String)>,
    /// Awareness instant (UTC).
    pub aware_at: String,
    /// Awareness instant in the case's timezone.
    pub aware_local: String,
    /// `given`, `aware` or `first_event`.
    pub aware_basis: String,
    /// Latest verdict.
    pub verdict: Option<String>,
    /// Latest sensitivity.
    pub sensitivity: Option<String>,
    /// Distinct people.
    pub people: Option<u64>,
    /// Merchants.
    pub merchants: Option<u64>,
}

/// The advisory.
#[derive(Debug, Clone, Serialize)]
pub struct Advisory {
    /// Always [`ADVISORY_SCHEMA`].
    pub schema: &'static str,
    /// Language of the texts.
    pub lang: String,
    /// When it was built (UTC).
    pub generated_at: String,
    /// leakscope version.
    pub tool_version: String,
    /// The case.
    pub case: CaseHeader,
    /// Summary sentences.
    pub summary: Vec<Statement>,
    /// Key insights.
    pub insights: Vec<Insight>,
    /// Mitigations, soonest due first.
    pub mitigations: Vec<Mitigation>,
    /// Notification obligations.
    pub obligations: ObligationsSection,
    /// Open questions.
    pub questions: Vec<Statement>,
    /// Events, deadlines and due times on one axis.
    pub timeline: Vec<TimelineItem>,
    /// Documents the evidence points into.
    pub documents: Vec<DocumentMeta>,
    /// Artefacts by content hash.
    pub artefacts: Vec<Artefact>,
}

/// What the builders share.
pub(crate) struct Ctx<'a> {
    pub view: &'a CaseView,
    pub t: &'a Templates,
    pub now: DateTime<Utc>,
    pub aware: DateTime<Utc>,
    pub zone: Tz,
}

impl Ctx<'_> {
    /// Data classes present, with the reference proving each: the newest scan's, else the
    /// claim's.
    pub fn classes(&self) -> Vec<(String, EvidenceRef)> {
        if let Some(s) = &self.view.scan {
            return s
                .value
                .data_classes
                .iter()
                .enumerate()
                .filter_map(|(i, c)| Some((c.clone(), cite(s, &format!("/data_classes/{i}"))?)))
                .collect();
        }
        if let Some(c) = &self.view.claim {
            return c
                .value
                .data_classes
                .iter()
                .enumerate()
                .filter_map(|(i, k)| {
                    Some((k.clone(), cite_claim(c, &format!("data_classes[{i}]"))?))
                })
                .collect();
        }
        Vec::new()
    }

    /// The class, if present, with its reference.
    pub fn class(&self, id: &str) -> Option<EvidenceRef> {
        self.classes()
            .into_iter()
            .find(|(c, _)| c == id)
            .map(|(_, r)| r)
    }

    /// Localised class labels of ids.
    pub fn class_labels(&self, ids: &[&str]) -> String {
        let v: Vec<String> = ids.iter().map(|c| self.t.label("class", c)).collect();
        self.t.join(&v)
    }

    pub fn local(&self, t: DateTime<Utc>) -> String {
        local(t, self.zone)
    }
}

/// Builds the advisory of a case at `now`.
pub fn build(view: &CaseView, t: &Templates, now: DateTime<Utc>) -> Advisory {
    let zone = crate::time::tz_or_utc(&view.case.timezone);
    let (aware, basis) = awareness(&view.case, &view.events);
    let cx = Ctx {
        view,
        t,
        now,
        aware,
        zone,
    };
    let summary = summary(&cx);
    let insights = crate::insights::build(&cx);
    let mut mitigations = crate::mitigations::build(&cx);
    mitigations.sort_by(|a, b| a.due_utc.cmp(&b.due_utc).then(a.id.cmp(&b.id)));
    let obligations = timeline::obligations(&cx);
    let questions = crate::questions::build(&cx, basis);
    let timeline = timeline::build(&cx, &obligations, &mitigations);
    let c = &view.case;
    Advisory {
        schema: ADVISORY_SCHEMA,
        lang: t.lang.clone(),
        generated_at: fmt_utc(now),
        tool_version: env!("CARGO_PKG_VERSION").into(),
        case: CaseHeader {
            id: c.id,
            uuid: c.uuid.clone(),
            title: c.title.clone(),
            status: c.status.id().into(),
            tlp: c.tlp.label(),
            timezone: c.timezone.clone(),
            opened_at: c.created_at.clone(),
            closed: c
                .closed_at
                .clone()
                .map(|at| (at, c.close_reason.clone().unwrap_or_default())),
            aware_at: fmt_utc(aware),
            aware_local: local(aware, zone),
            aware_basis: basis.into(),
            verdict: c.verdict.clone(),
            sensitivity: c.sensitivity.clone(),
            people: c.people,
            merchants: c.merchants,
        },
        summary,
        insights,
        mitigations,
        obligations,
        questions,
        timeline,
        documents: view.documents.clone(),
        artefacts: view.artefacts.clone(),
    }
}

/// "40,000,000 records", "about 1,200,000 accounts".
pub(crate) fn records_phrase(t: &Templates, r: &leakscope_claims::model::Records) -> String {
    let n = t.num(r.count);
    let n = match r.qualifier.as_deref() {
        Some(q) if t.has(&format!("qualifier.{q}")) => {
            t.fill(&format!("qualifier.{q}"), &[("n", n)])
        }
        _ => n,
    };
    let unit = r.unit.as_deref().unwrap_or("records");
    t.fill(&format!("unit.{unit}"), &[("n", n)])
}

/// "12.0 GB".
pub(crate) fn bytes_phrase(n: u64) -> String {
    let units = ["B", "KB", "MB", "GB", "TB", "PB"];
    let mut v = n as f64;
    let mut i = 0;
    while v >= 1000.0 && i + 1 < units.len() {
        v /= 1000.0;
        i += 1;
    }
    if i == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", units[i])
    }
}

fn summary(cx: &Ctx<'_>) -> Vec<Statement> {
    let t = cx.t;
    let mut out = Vec::new();
    match &cx.view.claim {
        Some(d) => {
            let c = &d.value;
            let mut ev: Vec<EvidenceRef> = Vec::new();
            let mut push = |r: Option<EvidenceRef>| ev.extend(r);
            let who = if c.actors.is_empty() {
                t.t("summary.who_unknown")
            } else {
                c.actors
                    .iter()
                    .enumerate()
                    .for_each(|(i, _)| push(cite_claim(d, &format!("actors[{i}]"))));
                t.join(&c.actors.iter().map(|a| a.name.clone()).collect::<Vec<_>>())
            };
            let what = if c.kind.is_empty() {
                t.t("text.unknown")
            } else {
                c.kind
                    .iter()
                    .enumerate()
                    .for_each(|(i, _)| push(cite_claim(d, &format!("kind[{i}]"))));
                t.join(
                    &c.kind
                        .iter()
                        .map(|k| t.label("kind", k.id()))
                        .collect::<Vec<_>>(),
                )
            };
            let victims: Vec<String> = c
                .victims
                .iter()
                .enumerate()
                .filter(|(_, v)| v.role == "victim")
                .map(|(i, v)| {
                    push(cite_claim(d, &format!("victims[{i}].name")));
                    match &v.country {
                        Some(cc) => format!("{} ({cc})", v.name),
                        None => v.name.clone(),
                    }
                })
                .collect();
            let victim = if victims.is_empty() {
                t.t("text.unknown")
            } else {
                t.join(&victims)
            };
            let venue = c.venue.as_ref().map(|v| {
                push(cite_claim(d, "venue"));
                v.name.clone().unwrap_or_else(|| t.label("venue", &v.kind))
            });
            let when = match c.dates.posted.as_ref().and_then(|p| p.value.clone()) {
                Some(date) => {
                    push(cite_claim(d, "dates.posted"));
                    t.fill("summary.when", &[("date", date)])
                }
                None => t.t("summary.when_unknown"),
            };
            let where_ = venue
                .map(|v| t.fill("summary.where", &[("venue", v)]))
                .unwrap_or_default();
            out.push(Statement {
                id: "claim".into(),
                text: t.fill(
                    "summary.claim",
                    &[
                        ("who", who),
                        ("what", what),
                        ("victim", victim),
                        ("where", where_),
                        ("when", when),
                    ],
                ),
                evidence: ev,
            });
            let mut scope = Vec::new();
            let mut sev = Vec::new();
            for (i, r) in c.records.iter().enumerate() {
                scope.push(records_phrase(t, r));
                sev.extend(cite_claim(d, &format!("records[{i}]")));
            }
            if let Some(b) = c.size_bytes {
                scope.push(t.fill("unit.bytes", &[("n", bytes_phrase(b))]));
                sev.extend(cite_claim(d, "size_bytes"));
            }
            if !sev.is_empty() {
                out.push(Statement {
                    id: "claimed_scope".into(),
                    text: t.fill("summary.scope", &[("scope", t.join(&scope))]),
                    evidence: sev,
                });
            }
            if !c.data_classes.is_empty() {
                let ids: Vec<&str> = c.data_classes.iter().map(String::as_str).collect();
                out.push(Statement {
                    id: "claimed_data".into(),
                    text: t.fill("summary.data", &[("classes", cx.class_labels(&ids))]),
                    evidence: (0..ids.len())
                        .filter_map(|i| cite_claim(d, &format!("data_classes[{i}]")))
                        .collect(),
                });
            }
            if let Some(p) = &c.price {
                if let (Some(a), Some(cur)) = (p.amount, &p.currency) {
                    out.push(Statement {
                        id: "price".into(),
                        text: t.fill(
                            "summary.price",
                            &[("price", format!("{} {cur}", t.num(a.round() as u64)))],
                        ),
                        evidence: cite_claim(d, "price").into_iter().collect(),
                    });
                }
            }
            if let Some(s) = c.status {
                let key = format!("summary.status_{}", s.id());
                if t.has(&key) {
                    out.push(Statement {
                        id: "status".into(),
                        text: t.t(&key),
                        evidence: cite_claim(d, "status").into_iter().collect(),
                    });
                }
            }
        }
        None => out.push(Statement {
            id: "claim".into(),
            text: t.t("summary.no_claim"),
            evidence: Vec::new(),
        }),
    }
    match &cx.view.scan {
        Some(s) => {
            let p = &s.value;
            out.push(Statement {
                id: "sample".into(),
                text: t.fill(
                    "summary.sample",
                    &[
                        ("rows", t.num(p.rows)),
                        ("files", t.num(p.sources.len() as u64)),
                        ("people", t.num(p.individuals.estimate)),
                        ("level", t.label("level", &level_id(p.sensitivity.level))),
                    ],
                ),
                evidence: [
                    cite(s, "/rows"),
                    cite(s, "/individuals/estimate"),
                    cite(s, "/sensitivity/level"),
                ]
                .into_iter()
                .flatten()
                .collect(),
            });
        }
        None => out.push(Statement {
            id: "sample".into(),
            text: t.t("summary.no_sample"),
            evidence: Vec::new(),
        }),
    }
    match &cx.view.verify {
        Some(v) => {
            let j = &v.json;
            let f = |p: &str| j.pointer(p).and_then(|x| x.as_f64()).unwrap_or(0.0);
            let key = format!("summary.verified_{}", v.value.verdict);
            out.push(Statement {
                id: "verification".into(),
                text: t.fill(
                    &key,
                    &[
                        ("match", t.pct(f("/match_share/value"))),
                        ("consistency", t.pct(f("/consistency/value"))),
                        ("lower", t.pct(f("/consistency/lo"))),
                        ("reason", v.value.summary.trim_end_matches('.').to_string()),
                    ],
                ),
                evidence: [
                    cite(v, "/verdict"),
                    cite(v, "/match_share/value"),
                    cite(v, "/consistency/value"),
                    cite(v, "/consistency/lo"),
                ]
                .into_iter()
                .flatten()
                .collect(),
            });
        }
        None if cx.view.scan.is_some() => out.push(Statement {
            id: "verification".into(),
            text: t.t("summary.not_verified"),
            evidence: Vec::new(),
        }),
        None => {}
    }
    out
}

/// `low`, `moderate`, `high`, `critical`.
pub(crate) fn level_id(l: leakscope_profile::Level) -> String {
    serde_json::to_value(l)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
