//! The pages: one module per area, all drawn with `maud` (compile-time checked, escaped by
//! default) inside one layout. Data is loaded and HTML rendered on the blocking pool with one
//! database connection per request.

pub mod admin;
pub mod case;
pub mod case_actions;
pub mod case_parts;
pub mod cases;
pub mod claims;
pub mod corpus;
pub mod login;

use crate::assets::url;
use crate::auth::Auth;
use crate::error::WebError;
use crate::fmt;
use crate::WebState;
use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use chrono::Utc;
use leakscope_db::Value;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use serde::Deserialize;
use std::sync::Arc;

/// Which part of the navigation is active.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    /// The overview.
    Home,
    /// The claims feed.
    Claims,
    /// Cases.
    Cases,
    /// Corpus search.
    Corpus,
    /// Users.
    Users,
    /// Audit log.
    Audit,
    /// None (sign-in, errors).
    None,
}

/// Options of a page beyond its body.
#[derive(Debug, Clone, Copy, Default)]
pub struct Extra {
    /// Loads the scan report's scoped stylesheet (pages that embed profile fragments).
    pub profile_css: bool,
}

/// A form that only carries the CSRF token.
#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    /// The session's token.
    #[serde(default)]
    pub csrf: String,
}

/// The hidden CSRF field of a form.
pub fn csrf_field(auth: &Auth) -> Markup {
    html! { input type="hidden" name="csrf" value=(auth.session.csrf); }
}

/// A full page in the layout.
pub fn page(title: &str, auth: Option<&Auth>, nav: Nav, extra: Extra, body: Markup) -> Markup {
    let link = |n: Nav, href: &str, text: &str| {
        html! { a href=(href) class=[(nav == n).then_some("active")] aria-current=[(nav == n).then_some("page")] { (text) } }
    };
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · leakscope" }
                link rel="icon" type="image/svg+xml" href=(url("icon.svg"));
                link rel="stylesheet" href=(url("app.css"));
                @if extra.profile_css {
                    link rel="stylesheet" href=(url("profile.css"));
                }
                script src=(url("app.js")) defer {}
            }
            body data-now=(leakscope_cases::time::fmt_utc(Utc::now())) {
                header.topbar {
                    a.brand href="/" { span.logo { "◆" } " leakscope" }
                    @if let Some(a) = auth {
                        nav.mainnav aria-label="Main" {
                            (link(Nav::Home, "/", "Overview"))
                            (link(Nav::Claims, "/claims", "Claims"))
                            (link(Nav::Cases, "/cases", "Cases"))
                            @if a.role().can_work() {
                                (link(Nav::Corpus, "/corpus", "Corpus"))
                            }
                            @if a.role().is_admin() {
                                (link(Nav::Users, "/admin/users", "Users"))
                                (link(Nav::Audit, "/admin/audit", "Audit"))
                            }
                        }
                        div.who {
                            span.user #signed-in-user { (a.name()) }
                            span.role { (a.role().id()) }
                            form.inline method="post" action="/logout" {
                                (csrf_field(a))
                                button.linkish #sign-out type="submit" { "Sign out" }
                            }
                        }
                    }
                }
                main #main { (body) }
                footer.foot {
                    "leakscope " (env!("CARGO_PKG_VERSION"))
                    " · values from leaks are masked unless revealed (each reveal is audited)"
                }
            }
        }
    }
}

/// A page as a response.
pub fn respond(m: Markup) -> Response {
    Html(m.into_string()).into_response()
}

/// A 303 redirect to a local path.
pub fn redirect(to: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// A notice box.
pub fn notice(kind: &str, text: &str) -> Markup {
    html! { div class={"notice " (kind)} role="status" { (text) } }
}

/// Trusted HTML made by a renderer that escapes every data-derived string.
pub fn trusted(s: String) -> PreEscaped<String> {
    PreEscaped(s)
}

/// An open case with a deadline: id, title, due (UTC), verdict, sensitivity.
type Due = (i64, String, String, Option<String>, Option<String>);

struct Overview {
    open: i64,
    closed: i64,
    due: Vec<Due>,
    claims: i64,
    hits: i64,
    hit_claims: Vec<leakscope_claims::store::Listed>,
}

/// `GET /`: what runs out first, what is claimed about us.
pub async fn home(State(st): State<Arc<WebState>>, auth: Auth) -> Result<Response, WebError> {
    let o = st
        .pool
        .run(|db| {
            let count = |db: &mut leakscope_db::Db, sql: &str| -> Result<i64, WebError> {
                Ok(db.query_opt(sql, &[])?.map_or(0, |r| r.i64(0)))
            };
            let open = count(db, "SELECT COUNT(*) FROM cases WHERE status = 'open'")?;
            let closed = count(db, "SELECT COUNT(*) FROM cases WHERE status <> 'open'")?;
            let claims = count(db, "SELECT COUNT(*) FROM claims")?;
            let hits = count(db, "SELECT COUNT(*) FROM claims WHERE hit_count > 0")?;
            let due = db
                .query(
                    "SELECT id, title, next_due, verdict, sensitivity FROM cases WHERE status = 'open' AND next_due IS NOT NULL ORDER BY next_due, id LIMIT ?",
                    &[Value::Int(8)],
                )?
                .iter()
                .map(|r| (r.i64(0), r.str(1), r.str(2), r.opt_str(3), r.opt_str(4)))
                .collect();
            let hit_claims = leakscope_claims::store::list(
                db,
                &leakscope_claims::store::Filter {
                    hits_only: true,
                    limit: 5,
                    ..Default::default()
                },
            )?;
            Ok(Overview {
                open,
                closed,
                due,
                claims,
                hits,
                hit_claims,
            })
        })
        .await?;
    let now = Utc::now();
    let body = html! {
        h1 { "Overview" }
        section.kpirow {
            div.kpi { div.k { "Open cases" } div.v #open-cases { (o.open) } div.d { (o.closed) " closed" } }
            div.kpi { div.k { "Claims" } div.v { (fmt::num(o.claims as u64)) } div.d { (o.hits) " with watchlist hits" } }
            div.kpi {
                div.k { "Nearest deadline" }
                @match o.due.first() {
                    Some((id, _, due, _, _)) => {
                        div.v { (fmt::countdown(due, now)) }
                        div.d { a href={"/cases/" (id)} { "case #" (id) } " · " (fmt::utc(due)) }
                    }
                    None => { div.v { "–" } div.d { "no open deadline" } }
                }
            }
        }
        div.grid2 {
            section.card {
                h2 { "Deadlines running out first" }
                @if o.due.is_empty() {
                    p.muted { "No open case has a regulator deadline." }
                } @else {
                    ul.plain {
                        @for (id, title, due, verdict, sens) in &o.due {
                            li.row {
                                a href={"/cases/" (id)} { "#" (id) " " (fmt::leak_name(title, false)) }
                                span.spacer {}
                                (fmt::verdict_badge(verdict.as_deref()))
                                (fmt::sensitivity_badge(sens.as_deref()))
                                (fmt::countdown(due, now))
                            }
                        }
                    }
                }
                p { a href="/cases" { "All cases →" } }
            }
            section.card {
                h2 { "Claims that hit the watchlist" }
                @if o.hit_claims.is_empty() {
                    p.muted { "No stored claim matches the watchlist (leakscope watch add, claim poll)." }
                } @else {
                    ul.plain {
                        @for l in &o.hit_claims {
                            li { (claims::claim_title(&l.claim)) span.muted { " · " (claims::posted(l)) } }
                        }
                    }
                }
                p { a href="/claims?hits=1" { "The claims feed →" } }
            }
        }
    };
    Ok(respond(page(
        "Overview",
        Some(&auth),
        Nav::Home,
        Extra::default(),
        body,
    )))
}
