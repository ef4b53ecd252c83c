//! The claims feed: stored claims (`leakscope claim extract --store`, `claim poll`) with
//! watchlist hits first, newest first, filtered by country, kind, status and hits; one click
//! opens a case from a claim (or goes to the case already opened from it).

use super::{csrf_field, page, redirect, respond, CsrfForm, Extra, Nav};
use crate::auth::Auth;
use crate::error::WebError;
use crate::fmt;
use crate::WebState;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Form;
use chrono::Utc;
use leakscope_cases::analyse::{self, Env};
use leakscope_cases::claim::ClaimInput;
use leakscope_cases::model::{OrgFacts, Tlp};
use leakscope_cases::store::NewCase;
use leakscope_claims::store::{Filter, Listed};
use leakscope_claims::Claim;
use leakscope_db::Value;
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// Claim kinds (the filter's choices).
pub const KINDS: [&str; 6] = [
    "sale",
    "free_leak",
    "ransomware",
    "exposure",
    "confirmed_breach",
    "regulatory_action",
];
/// Claim statuses (the filter's choices).
pub const STATUSES: [&str; 4] = ["alleged", "confirmed", "fined", "denied"];

/// Filters of the feed.
#[derive(Debug, Default, Deserialize)]
pub struct FeedQuery {
    /// ISO country of a victim.
    #[serde(default)]
    pub country: Option<String>,
    /// Kind.
    #[serde(default)]
    pub kind: Option<String>,
    /// Status.
    #[serde(default)]
    pub status: Option<String>,
    /// `1`: watchlist hits only.
    #[serde(default)]
    pub hits: Option<String>,
    /// How many (default 100, at most 500).
    #[serde(default)]
    pub limit: Option<i64>,
}

fn nonempty(s: &Option<String>) -> Option<String> {
    s.as_ref()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// A claim's headline: its victims and what is claimed.
pub fn claim_title(c: &Claim) -> Markup {
    let victims: Vec<&str> = c
        .victims
        .iter()
        .filter(|v| v.role == "victim")
        .map(|v| v.name.as_str())
        .collect();
    let names = if victims.is_empty() {
        c.victims
            .first()
            .map(|v| v.name.clone())
            .or_else(|| c.source.title.clone())
            .unwrap_or_else(|| "(no organisation named)".into())
    } else {
        victims.join(", ")
    };
    html! {
        span.claim-title { (leakscope_text::clean(&names)) }
        @for k in &c.kind {
            " " span.badge.kind { (k.id().replace('_', " ")) }
        }
    }
}

/// When the claim was posted (else first seen).
pub fn posted(l: &Listed) -> String {
    l.claim
        .dates
        .posted
        .as_ref()
        .and_then(|d| d.value.clone())
        .map(|d| format!("posted {d}"))
        .unwrap_or_else(|| format!("seen {}", fmt::utc(&l.first_seen_at)))
}

fn records_line(c: &Claim) -> Vec<String> {
    let mut v = Vec::new();
    for r in &c.records {
        let q = match r.qualifier.as_deref() {
            Some("about") => "about ",
            Some("more_than") => "more than ",
            Some("up_to") => "up to ",
            _ => "",
        };
        v.push(format!(
            "{q}{} {}",
            fmt::num(r.count),
            r.unit.as_deref().unwrap_or("records")
        ));
    }
    if let Some(b) = c.size_bytes {
        v.push(fmt::bytes(b));
    }
    if let Some(p) = &c.price {
        let amount = p.amount.map_or("?".to_string(), |a| {
            if a.fract() == 0.0 {
                fmt::num(a as u64)
            } else {
                a.to_string()
            }
        });
        v.push(format!(
            "price {amount} {}",
            p.currency.as_deref().unwrap_or("(currency unknown)")
        ));
    }
    v
}

fn claim_card(l: &Listed, case: Option<i64>, auth: &Auth) -> Markup {
    let c = &l.claim;
    let countries: BTreeSet<&str> = c
        .victims
        .iter()
        .filter_map(|v| v.country.as_deref())
        .collect();
    let records = records_line(c);
    let source = l
        .sources
        .first()
        .map(|s| {
            let loc = s.url.clone().unwrap_or_else(|| {
                std::path::Path::new(&s.location)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| s.location.clone())
            });
            format!("{} · {}", s.kind, leakscope_text::display_name(&loc))
        })
        .unwrap_or_default();
    html! {
        article.claim.card.hit[!c.watch.is_empty()] data-claim=(l.row) {
            div.claim-head {
                h3 { (claim_title(c)) }
                span.spacer {}
                @if let Some(s) = c.status { span.badge.status { (s.id()) } }
                @for cc in &countries { span.badge.country { (cc) } }
            }
            div.meta {
                span { (posted(l)) }
                @if let Some(v) = &c.venue {
                    span { (v.kind) @if let Some(n) = &v.name { " " (leakscope_text::clean(n)) } }
                }
                @if !c.actors.is_empty() {
                    span { "by " (c.actors.iter().map(|a| leakscope_text::clean(&a.name)).collect::<Vec<_>>().join(", ")) }
                }
                span.lang { (c.lang) }
            }
            @if !records.is_empty() {
                p.claimed { "Claimed: " (records.join(" · ")) }
            }
            @if !c.data_classes.is_empty() || !c.data_other.is_empty() {
                p.classes {
                    @for d in &c.data_classes { span.chip { (d) } }
                    @for d in &c.data_other { span.chip.other { (d) } }
                }
            }
            @if !c.watch.is_empty() {
                ul.hits {
                    @for h in &c.watch {
                        li { strong { "Watchlist: " (leakscope_text::clean(&h.entry)) } " — " (h.how) " (" (leakscope_text::clean(&h.why)) ")" }
                    }
                }
            }
            div.claim-foot {
                span.muted.source { (source) }
                span.spacer {}
                @match case {
                    Some(id) => { a.button #{"case-of-claim-" (l.row)} href={"/cases/" (id)} { "Case #" (id) " →" } }
                    None => {
                        @if auth.role().can_work() {
                            form.inline method="post" action={"/claims/" (l.row) "/case"} {
                                (csrf_field(auth))
                                button.primary.open-case type="submit" data-claim=(l.row) { "Open a case" }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn select(name: &str, label: &str, choices: &[String], current: Option<&str>) -> Markup {
    html! {
        label { (label)
            select name=(name) {
                option value="" { "any" }
                @for c in choices {
                    option value=(c) selected[current == Some(c.as_str())] { (c.replace('_', " ")) }
                }
            }
        }
    }
}

/// `GET /claims`.
pub async fn feed(
    State(st): State<Arc<WebState>>,
    auth: Auth,
    Query(q): Query<FeedQuery>,
) -> Result<Response, WebError> {
    let filter = Filter {
        hits_only: q.hits.as_deref() == Some("1"),
        kind: nonempty(&q.kind).filter(|k| KINDS.contains(&k.as_str())),
        country: nonempty(&q.country).map(|c| c.to_ascii_uppercase()),
        status: nonempty(&q.status).filter(|s| STATUSES.contains(&s.as_str())),
        since: None,
        limit: q.limit.unwrap_or(100).clamp(1, 500),
    };
    let shown_filter = filter.clone();
    let (listed, cases, countries) = st
        .pool
        .run(move |db| {
            let listed = leakscope_claims::store::list(db, &filter)?;
            let cases: HashMap<i64, i64> = db
                .query(
                    "SELECT claim_row, MIN(id) FROM cases WHERE claim_row IS NOT NULL GROUP BY claim_row",
                    &[],
                )?
                .iter()
                .map(|r| (r.i64(0), r.i64(1)))
                .collect();
            let mut countries = BTreeSet::new();
            for r in db.query("SELECT DISTINCT countries FROM claims", &[])? {
                for c in r.str(0).split(',').map(str::trim).filter(|c| !c.is_empty()) {
                    countries.insert(c.to_string());
                }
            }
            let _ = Value::Null;
            Ok((listed, cases, countries.into_iter().collect::<Vec<_>>()))
        })
        .await?;
    let kinds: Vec<String> = KINDS.iter().map(|s| s.to_string()).collect();
    let statuses: Vec<String> = STATUSES.iter().map(|s| s.to_string()).collect();
    let body = html! {
        div.pagehead {
            h1 { "Claims" }
            span.muted { (listed.len()) " shown · watchlist hits first, newest first" }
        }
        form.filters method="get" action="/claims" #claim-filters {
            (select("country", "Country", &countries, shown_filter.country.as_deref()))
            (select("kind", "Kind", &kinds, shown_filter.kind.as_deref()))
            (select("status", "Status", &statuses, shown_filter.status.as_deref()))
            label.check { input type="checkbox" name="hits" value="1" checked[shown_filter.hits_only]; " Watchlist hits only" }
            button type="submit" { "Filter" }
            a href="/claims" { "Clear" }
        }
        @if listed.is_empty() {
            p.muted.empty {
                "No stored claim matches. Claims arrive with " code { "leakscope claim extract POST --store" }
                " and " code { "leakscope claim poll" } "."
            }
        }
        div.claims #claims {
            @for l in &listed {
                (claim_card(l, cases.get(&l.row).copied(), &auth))
            }
        }
    };
    Ok(respond(page(
        "Claims",
        Some(&auth),
        Nav::Claims,
        Extra::default(),
        body,
    )))
}

/// The advisory language of a claim's case.
fn case_lang(c: &Claim) -> &'static str {
    match c.lang.as_str() {
        "vi" => "vi",
        l if l.starts_with("zh") => "zh",
        _ => "en",
    }
}

/// `POST /claims/{row}/case`: opens a case from the claim (or goes to the one already opened).
pub async fn open_case(
    State(st): State<Arc<WebState>>,
    auth: Auth,
    Path(row): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    auth.check_csrf(&f.csrf)?;
    auth.require_work()?;
    let opts = st.opts.clone();
    let user = auth.name().to_string();
    let entry = auth.audit("case_open", Some(format!("claim {row}")), String::new());
    let id = st
        .pool
        .run(move |db| {
            if let Some(r) = db.query_opt(
                "SELECT MIN(id) FROM cases WHERE claim_row = ?",
                &[Value::Int(row)],
            )? {
                if let Some(id) = r.opt_i64(0) {
                    return Ok(id);
                }
            }
            let listed = db
                .query_opt(
                    "SELECT document FROM claims WHERE id = ?",
                    &[Value::Int(row)],
                )?
                .ok_or_else(|| WebError::NotFound(format!("no claim {row}")))?;
            let claim: Claim = serde_json::from_str(&listed.str(0))
                .map_err(|e| WebError::Internal(format!("stored claim {row}: {e}")))?;
            let now = Utc::now();
            let env = Env {
                data_dir: opts.data_dir.clone(),
                database: opts.database.clone(),
                secret: None,
                rules: None,
                now,
                actor: Some(user.clone()),
            };
            let new = NewCase {
                title: String::new(),
                lang: case_lang(&claim).into(),
                tlp: Tlp::Amber,
                timezone: "UTC".into(),
                facts: OrgFacts::default(),
                aware_at: None,
                opened_at: leakscope_cases::time::fmt_utc(now),
                actor: Some(user.clone()),
            };
            let mut case =
                analyse::open(db, &new, Some(&ClaimInput::Stored(row.to_string())), &env)?;
            let mut detail = format!("case {} opened from claim {}", case.id, claim.id);
            if let Some(r) = &opts.case_reference {
                analyse::set_reference(db, &mut case, r, &env)?;
                detail.push_str("; the server's reference set");
            }
            let mut e = entry;
            e.target = Some(format!("case {}", case.id));
            e.detail = detail;
            crate::audit::record(db, &e)?;
            Ok(case.id)
        })
        .await?;
    Ok(redirect(&format!("/cases/{id}")))
}
