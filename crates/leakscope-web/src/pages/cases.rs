//! The case list (open cases first, most recently changed first; the figures cached per case:
//! verdict, sensitivity, people, merchants, nearest deadline counting down) and a new empty case.

use super::{csrf_field, page, redirect, respond, Extra, Nav};
use crate::auth::Auth;
use crate::error::WebError;
use crate::fmt;
use crate::WebState;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::Form;
use chrono::Utc;
use leakscope_cases::analyse::{self, Env};
use leakscope_cases::model::{OrgFacts, Status, Tlp};
use leakscope_cases::store::{self, ListFilter, NewCase};
use leakscope_cases::Case;
use maud::{html, Markup};
use serde::Deserialize;
use std::sync::Arc;

/// Cases per page.
pub const PAGE: i64 = 1000;

/// `?status=open|closed|all&page=N`.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    /// `open`, `closed` or `all` (default).
    #[serde(default)]
    pub status: Option<String>,
    /// Page number from 1.
    #[serde(default)]
    pub page: Option<i64>,
}

/// One row of the case table.
pub fn case_row(c: &Case, now: chrono::DateTime<Utc>) -> Markup {
    html! {
        tr data-case=(c.id) {
            td.name { a href={"/cases/" (c.id)} { "#" (c.id) " " (fmt::leak_name(&c.title, false)) } }
            td data-label="Status" { (fmt::status_badge(c.status.id())) }
            td data-label="Verdict" { (fmt::verdict_badge(c.verdict.as_deref())) }
            td data-label="Sensitivity" { (fmt::sensitivity_badge(c.sensitivity.as_deref())) }
            td.n data-label="People" { (fmt::opt_num(c.people)) }
            td.n data-label="Merchants" { (fmt::opt_num(c.merchants)) }
            td data-label="Next deadline" {
                @match (&c.next_due, c.status) {
                    (Some(d), Status::Open) => { (fmt::countdown(d, now)) }
                    (Some(d), _) => { span.muted { (fmt::utc(d)) } }
                    (None, _) => { span.muted { "–" } }
                }
            }
            td data-label="Updated" { span.muted { (fmt::utc(&c.updated_at)) } }
        }
    }
}

/// `GET /cases`.
pub async fn list(
    State(st): State<Arc<WebState>>,
    auth: Auth,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let status = match q.status.as_deref() {
        Some("open") => Some(Status::Open),
        Some("closed") => Some(Status::Closed),
        _ => None,
    };
    let page_no = q.page.unwrap_or(1).max(1);
    let filter = ListFilter {
        status,
        limit: PAGE + 1,
        offset: (page_no - 1) * PAGE,
    };
    let mut cases = st.pool.run(move |db| Ok(store::list(db, &filter)?)).await?;
    let more = cases.len() as i64 > PAGE;
    cases.truncate(PAGE as usize);
    let now = Utc::now();
    let st_id = q.status.clone().unwrap_or_else(|| "all".into());
    let tab = |id: &str, label: &str| {
        html! { a href={"/cases?status=" (id)} class=[(st_id == id).then_some("active")] { (label) } }
    };
    let body = html! {
        div.pagehead {
            h1 { "Cases" }
            nav.tabs { (tab("all", "All")) (tab("open", "Open")) (tab("closed", "Closed")) }
            span.spacer {}
            @if auth.role().can_work() {
                a.button.primary href="/cases/new" #new-case { "New case" }
            }
        }
        @if cases.is_empty() {
            p.muted.empty { "No case yet. Open one from a claim, or create an empty one." }
        } @else {
            div.scroll {
                table.cases.stack #case-table {
                    thead { tr {
                        th { "Case" } th { "Status" } th { "Verdict" } th { "Sensitivity" }
                        th.n { "People" } th.n { "Merchants" } th { "Next deadline" } th { "Updated" }
                    } }
                    tbody {
                        @for c in &cases { (case_row(c, now)) }
                    }
                }
            }
        }
        nav.pager {
            @if page_no > 1 { a href={"/cases?status=" (st_id) "&page=" (page_no - 1)} { "← newer" } }
            @if more { a href={"/cases?status=" (st_id) "&page=" (page_no + 1)} { "older →" } }
        }
    };
    Ok(respond(page(
        "Cases",
        Some(&auth),
        Nav::Cases,
        Extra::default(),
        body,
    )))
}

/// Languages of the advisory.
pub const LANGS: [(&str, &str); 3] = [("en", "English"), ("vi", "Tiếng Việt"), ("zh", "中文")];

/// The new-case form.
pub fn case_form(auth: &Auth, error: Option<&str>) -> Markup {
    html! {
        h1 { "New case" }
        @if let Some(e) = error { div.notice.error role="alert" { (e) } }
        form.stacked method="post" action="/cases" #new-case-form {
            (csrf_field(auth))
            label for="title" { "Title" }
            input #title name="title" required maxlength="200" placeholder="Customer data of … offered on …";
            label for="organisation" { "Organisation (ours, as the advisory names it)" }
            input #organisation name="organisation" maxlength="200";
            div.row3 {
                label { "Advisory language"
                    select name="lang" { @for (id, l) in LANGS { option value=(id) { (l) } } }
                }
                label { "Sharing (TLP)"
                    select name="tlp" {
                        @for t in Tlp::ALL { option value=(t.id()) selected[t == Tlp::Amber] { (t.label()) } }
                    }
                }
                label { "Timezone"
                    input name="timezone" value="UTC" maxlength="64";
                }
            }
            button.primary type="submit" { "Open the case" }
        }
    }
}

/// `GET /cases/new`.
pub async fn new_form(auth: Auth) -> Result<Response, WebError> {
    auth.require_work()?;
    Ok(respond(page(
        "New case",
        Some(&auth),
        Nav::Cases,
        Extra::default(),
        case_form(&auth, None),
    )))
}

/// The new-case form as posted.
#[derive(Debug, Deserialize)]
pub struct NewCaseForm {
    /// CSRF token.
    #[serde(default)]
    pub csrf: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Our organisation.
    #[serde(default)]
    pub organisation: String,
    /// Advisory language.
    #[serde(default)]
    pub lang: String,
    /// TLP.
    #[serde(default)]
    pub tlp: String,
    /// Timezone.
    #[serde(default)]
    pub timezone: String,
}

/// `POST /cases`.
pub async fn create(
    State(st): State<Arc<WebState>>,
    auth: Auth,
    Form(f): Form<NewCaseForm>,
) -> Result<Response, WebError> {
    auth.check_csrf(&f.csrf)?;
    auth.require_work()?;
    let title = f.title.trim().to_string();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(WebError::BadRequest(
            "a case needs a title of 1-200 characters".into(),
        ));
    }
    let lang = LANGS
        .iter()
        .find(|(id, _)| *id == f.lang)
        .map_or("en", |(id, _)| id)
        .to_string();
    let tlp = Tlp::from_id(&f.tlp).unwrap_or(Tlp::Amber);
    let timezone = if f.timezone.trim().is_empty() {
        "UTC".to_string()
    } else {
        f.timezone.trim().to_string()
    };
    leakscope_cases::time::tz(&timezone)?;
    let organisation = Some(f.organisation.trim().to_string()).filter(|o| !o.is_empty());
    let opts = st.opts.clone();
    let user = auth.name().to_string();
    let mut entry = auth.audit("case_create", None, String::new());
    let id = st
        .pool
        .run(move |db| {
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
                title,
                lang,
                tlp,
                timezone,
                facts: OrgFacts {
                    organisation,
                    ..OrgFacts::default()
                },
                aware_at: None,
                opened_at: leakscope_cases::time::fmt_utc(now),
                actor: Some(user),
            };
            let mut case = analyse::open(db, &new, None, &env)?;
            if let Some(r) = &opts.case_reference {
                analyse::set_reference(db, &mut case, r, &env)?;
            }
            entry.target = Some(format!("case {}", case.id));
            entry.detail = "empty case".into();
            crate::audit::record(db, &entry)?;
            Ok(case.id)
        })
        .await?;
    Ok(redirect(&format!("/cases/{id}")))
}
