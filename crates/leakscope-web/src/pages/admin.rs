//! Admin pages: the users (roles, lock-out state, last sign-in; unlock) and the audit log.
//! Users are created, removed and given passwords with `leakscope user` on the server.

use super::{csrf_field, page, redirect, respond, CsrfForm, Extra, Nav};
use crate::audit::{self, Filter};
use crate::auth::Auth;
use crate::error::WebError;
use crate::fmt;
use crate::users;
use crate::WebState;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Form;
use maud::html;
use serde::Deserialize;
use std::sync::Arc;

/// `GET /admin/users`.
pub async fn users(State(st): State<Arc<WebState>>, auth: Auth) -> Result<Response, WebError> {
    auth.require_admin()?;
    let list = st
        .pool
        .run(|db| users::list(db).map_err(|e| WebError::Unavailable(e.to_string())))
        .await?;
    let now = chrono::Utc::now();
    let body = html! {
        div.pagehead { h1 { "Users" } span.muted { (list.len()) " accounts" } }
        p.muted {
            "Add, remove or reset with " code { "leakscope user add NAME --role analyst" } ", "
            code { "leakscope user remove NAME" } ", " code { "leakscope user passwd NAME" } " on the server."
        }
        div.scroll {
            table.stack #user-table {
                thead { tr { th { "User" } th { "Role" } th { "Last sign-in" } th { "Failed sign-ins" } th { "Locked" } th { "Created" } } }
                tbody {
                    @for u in &list {
                        @let locked = u.locked_until.as_deref().filter(|t| fmt::seconds_until(t, now).is_some_and(|s| s > 0));
                        tr {
                            td.name { (u.name) }
                            td data-label="Role" { span.badge.muted { (u.role.id()) } }
                            td data-label="Last sign-in" { (u.last_login_at.as_deref().map(fmt::utc).unwrap_or_else(|| "never".into())) }
                            td.n data-label="Failed sign-ins" { (u.failed_count) }
                            td data-label="Locked" {
                                @if let Some(t) = locked {
                                    span.state.overdue { "until " (fmt::utc(t)) }
                                    form.inline method="post" action={"/admin/users/" (u.name) "/unlock"} {
                                        (csrf_field(&auth))
                                        button.linkish type="submit" { "Unlock" }
                                    }
                                } @else { span.muted { "no" } }
                            }
                            td data-label="Created" { (fmt::utc(&u.created_at)) }
                        }
                    }
                }
            }
        }
    };
    Ok(respond(page(
        "Users",
        Some(&auth),
        Nav::Users,
        Extra::default(),
        body,
    )))
}

/// `POST /admin/users/{name}/unlock`.
pub async fn unlock(
    State(st): State<Arc<WebState>>,
    auth: Auth,
    Path(name): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    auth.check_csrf(&f.csrf)?;
    auth.require_admin()?;
    users::check_name(&name).map_err(|e| WebError::BadRequest(e.to_string()))?;
    let entry = auth.audit("user_unlock", Some(format!("user {name}")), String::new());
    st.pool
        .run(move |db| {
            users::unlock(db, &name).map_err(|e| match e {
                users::UserError::NotFound(n) => WebError::NotFound(format!("no user {n}")),
                other => WebError::Unavailable(other.to_string()),
            })?;
            Ok(audit::record(db, &entry)?)
        })
        .await?;
    Ok(redirect("/admin/users"))
}

/// `?actor=&action=&page=`.
#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    /// Only this actor.
    #[serde(default)]
    pub actor: Option<String>,
    /// Only this action.
    #[serde(default)]
    pub action: Option<String>,
    /// Page from 1.
    #[serde(default)]
    pub page: Option<i64>,
}

/// Audit entries per page.
const AUDIT_PAGE: i64 = 200;

/// `GET /admin/audit`.
pub async fn audit(
    State(st): State<Arc<WebState>>,
    auth: Auth,
    Query(q): Query<AuditQuery>,
) -> Result<Response, WebError> {
    auth.require_admin()?;
    let page_no = q.page.unwrap_or(1).max(1);
    let filter = Filter {
        actor: q.actor.clone().filter(|a| !a.trim().is_empty()),
        action: q.action.clone().filter(|a| !a.trim().is_empty()),
        limit: AUDIT_PAGE + 1,
        offset: (page_no - 1) * AUDIT_PAGE,
    };
    let shown = filter.clone();
    let mut entries = st.pool.run(move |db| Ok(audit::list(db, &filter)?)).await?;
    let more = entries.len() as i64 > AUDIT_PAGE;
    entries.truncate(AUDIT_PAGE as usize);
    let qs = |p: i64| {
        format!(
            "/admin/audit?actor={}&action={}&page={p}",
            crate::error::encode_next(shown.actor.as_deref().unwrap_or_default()),
            crate::error::encode_next(shown.action.as_deref().unwrap_or_default())
        )
    };
    let body = html! {
        div.pagehead { h1 { "Audit log" } span.muted { "newest first" } }
        form.filters method="get" action="/admin/audit" {
            label { "User" input name="actor" value=(shown.actor.clone().unwrap_or_default()) maxlength="64"; }
            label { "Action" input name="action" value=(shown.action.clone().unwrap_or_default()) maxlength="64" placeholder="sign_in, export, reveal…"; }
            button type="submit" { "Filter" }
            a href="/admin/audit" { "Clear" }
        }
        div.scroll {
            table.stack.audit #audit-table {
                thead { tr { th { "When" } th { "Who" } th { "Action" } th { "On" } th { "Outcome" } th { "Detail" } th { "From" } } }
                tbody {
                    @for e in &entries {
                        tr class=(e.outcome) {
                            td.name { (fmt::utc(&e.at)) }
                            td data-label="Who" { (e.actor.as_deref().unwrap_or("–")) }
                            td data-label="Action" { code { (e.action) } }
                            td data-label="On" { (e.target.as_deref().unwrap_or("")) }
                            td data-label="Outcome" { span class={"state " (e.outcome)} { (e.outcome) } }
                            td data-label="Detail" { (leakscope_text::display_message(&e.detail)) }
                            td data-label="From" { span.muted { (e.client.as_deref().unwrap_or("")) } }
                        }
                    }
                }
            }
        }
        nav.pager {
            @if page_no > 1 { a href=(qs(page_no - 1)) { "← newer" } }
            @if more { a href=(qs(page_no + 1)) { "older →" } }
        }
    };
    Ok(respond(page(
        "Audit log",
        Some(&auth),
        Nav::Audit,
        Extra::default(),
        body,
    )))
}
