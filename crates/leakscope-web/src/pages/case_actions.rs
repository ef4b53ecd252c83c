//! What a case page does beyond showing: record an event or a note, close / re-open, export the
//! advisory (Markdown, HTML, JSON, STIX 2.1, MISP), show the advisory or the scan report as a
//! stand-alone document, download an output file (merchant packs, the affected-customer list;
//! analysts only, content hash checked) or an obligation draft. Everything is audited.

use super::redirect;
use crate::auth::Auth;
use crate::error::WebError;
use crate::security::DOCUMENT_CSP;
use crate::WebState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Form;
use chrono::Utc;
use leakscope_cases::analyse::{self, Env, EventInput};
use leakscope_cases::model::Status;
use leakscope_cases::{render, store, CaseView};
use serde::Deserialize;
use std::sync::Arc;

fn env(st: &WebState, user: &str) -> Env {
    Env {
        data_dir: st.opts.data_dir.clone(),
        database: st.opts.database.clone(),
        secret: None,
        rules: None,
        now: Utc::now(),
        actor: Some(user.to_string()),
    }
}

/// The event form as posted.
#[derive(Debug, Deserialize)]
pub struct EventForm {
    /// CSRF token.
    #[serde(default)]
    pub csrf: String,
    /// Kind (`note`, `notified`, `aware` …).
    #[serde(default)]
    pub kind: String,
    /// Text.
    #[serde(default)]
    pub text: String,
    /// When (`YYYY-MM-DDTHH:MM` in the case's timezone); empty: now.
    #[serde(default)]
    pub at: String,
}

/// `POST /cases/{id}/events`.
pub async fn add_event(
    State(st): State<Arc<WebState>>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<EventForm>,
) -> Result<Response, WebError> {
    auth.check_csrf(&f.csrf)?;
    auth.require_work()?;
    let text = f.text.trim().to_string();
    if text.is_empty() || text.chars().count() > 2000 {
        return Err(WebError::BadRequest(
            "an event needs a text of 1-2000 characters".into(),
        ));
    }
    let at = Some(f.at.trim().replace('T', " ")).filter(|a| !a.is_empty());
    let kind = Some(f.kind.trim().to_string()).filter(|k| !k.is_empty());
    let env = env(&st, auth.name());
    let mut entry = auth.audit("event_add", Some(format!("case {id}")), String::new());
    st.pool
        .run(move |db| {
            let case = store::get(db, id)?;
            if case.status != Status::Open {
                return Err(WebError::BadRequest(format!(
                    "case #{id} is closed: re-open it to record events"
                )));
            }
            let input = EventInput {
                text,
                kind: kind.clone(),
                at,
            };
            let ev = analyse::record_event(db, &case, &input, &env)?;
            entry.detail = format!(
                "event {ev}, kind {}",
                kind.as_deref().unwrap_or("from the text")
            );
            crate::audit::record(db, &entry)?;
            Ok(())
        })
        .await?;
    Ok(redirect(&format!("/cases/{id}#timeline")))
}

/// The status form as posted.
#[derive(Debug, Deserialize)]
pub struct StatusForm {
    /// CSRF token.
    #[serde(default)]
    pub csrf: String,
    /// `close` or `reopen`.
    #[serde(default)]
    pub action: String,
    /// Why it is closed.
    #[serde(default)]
    pub reason: String,
}

/// `POST /cases/{id}/status`: close (with a reason) or re-open.
pub async fn set_status(
    State(st): State<Arc<WebState>>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<StatusForm>,
) -> Result<Response, WebError> {
    auth.check_csrf(&f.csrf)?;
    auth.require_work()?;
    let user = auth.name().to_string();
    let reason = f.reason.trim().to_string();
    let action = f.action.clone();
    let mut entry = auth.audit("case_status", Some(format!("case {id}")), action.clone());
    st.pool
        .run(move |db| {
            let case = store::get(db, id)?;
            let now = leakscope_cases::time::fmt_utc(Utc::now());
            match (action.as_str(), case.status) {
                ("close", Status::Open) => {
                    if reason.is_empty() {
                        return Err(WebError::BadRequest("closing a case needs a reason".into()));
                    }
                    store::close(db, id, &now, &reason, Some(&user))?;
                }
                ("reopen", Status::Closed) => store::reopen(db, id, &now, Some(&user))?,
                _ => {
                    return Err(WebError::BadRequest(format!(
                        "case #{id} is {}: nothing to {action}",
                        case.status.id()
                    )))
                }
            }
            entry.detail = action.clone();
            crate::audit::record(db, &entry)?;
            Ok(())
        })
        .await?;
    Ok(redirect(&format!("/cases/{id}")))
}

/// `?lang=` of exports and views.
#[derive(Debug, Default, Deserialize)]
pub struct LangQuery {
    /// `en`, `vi` or `zh` (default: the case's).
    #[serde(default)]
    pub lang: Option<String>,
}

fn attachment(body: Vec<u8>, mime: &'static str, file_name: &str) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    let safe: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{safe}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

fn lang_of(q: &LangQuery) -> Option<String> {
    q.lang
        .clone()
        .filter(|l| super::cases::LANGS.iter().any(|(id, _)| id == l))
}

/// `GET /cases/{id}/export/{format}`: `md`, `html`, `json`, `stix`, `misp`.
pub async fn export(
    State(st): State<Arc<WebState>>,
    auth: Auth,
    Path((id, format)): Path<(i64, String)>,
    Query(q): Query<LangQuery>,
) -> Result<Response, WebError> {
    if !["md", "html", "json", "stix", "misp"].contains(&format.as_str()) {
        return Err(WebError::NotFound(format!("no export format {format}")));
    }
    let lang = lang_of(&q);
    let entry = auth.audit("export", Some(format!("case {id}")), format.clone());
    let fmt_id = format.clone();
    let (body, mime, name) = st
        .pool
        .run(move |db| {
            let now = Utc::now();
            let super::case::Loaded {
                view,
                advisory: adv,
                templates: t,
                ..
            } = super::case::load(db, id, lang.as_deref(), now)?;
            let out: (Vec<u8>, &'static str, String) = match fmt_id.as_str() {
                "md" => (
                    render::markdown(&adv, t).into_bytes(),
                    "text/markdown; charset=utf-8",
                    format!("case-{id}-advisory.{}.md", t.lang),
                ),
                "html" => (
                    render::html(&adv, t).into_bytes(),
                    "text/html; charset=utf-8",
                    format!("case-{id}-advisory.{}.html", t.lang),
                ),
                "json" => (
                    (render::json(&adv) + "\n").into_bytes(),
                    "application/json",
                    format!("case-{id}-advisory.json"),
                ),
                "stix" => (
                    pretty(&leakscope_cases::export::stix::bundle(&view, &adv, None))?,
                    "application/json",
                    format!("case-{id}.stix.json"),
                ),
                _ => (
                    pretty(&leakscope_cases::export::misp::event(&view, &adv, None)?)?,
                    "application/json",
                    format!("case-{id}.misp.json"),
                ),
            };
            crate::audit::record(db, &entry)?;
            Ok(out)
        })
        .await?;
    Ok(attachment(body, mime, &name))
}

fn pretty(v: &serde_json::Value) -> Result<Vec<u8>, WebError> {
    let mut s =
        serde_json::to_string_pretty(v).map_err(|e| WebError::Internal(format!("export: {e}")))?;
    s.push('\n');
    Ok(s.into_bytes())
}

/// `GET /cases/{id}/view/{advisory|report}`: the advisory or the scan report as its own page
/// (self-contained HTML with its own inline styles and no script; served under
/// [`DOCUMENT_CSP`]).
pub async fn view(
    State(st): State<Arc<WebState>>,
    auth: Auth,
    Path((id, what)): Path<(i64, String)>,
    Query(q): Query<LangQuery>,
) -> Result<Response, WebError> {
    let lang = lang_of(&q);
    let _ = &auth;
    let html = st
        .pool
        .run(move |db| {
            let now = Utc::now();
            match what.as_str() {
                "advisory" => {
                    let l = super::case::load(db, id, lang.as_deref(), now)?;
                    Ok(render::html(&l.advisory, l.templates))
                }
                "report" => {
                    let view = CaseView::load(db, id)?;
                    let Some(scan) = &view.scan else {
                        return Err(WebError::NotFound(format!("case #{id} has no scan yet")));
                    };
                    let extras = view
                        .obligations
                        .as_ref()
                        .map(|o| leakscope_obligations::report_extras(&o.value))
                        .unwrap_or_default();
                    Ok(leakscope_profile::render::html_report(&scan.value, &extras))
                }
                other => Err(WebError::NotFound(format!("no view {other}"))),
            }
        })
        .await?;
    let mut r = axum::response::Html(html).into_response();
    r.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(DOCUMENT_CSP),
    );
    Ok(r)
}

/// `GET /cases/{id}/files/{artefact}`: an output file leakscope wrote for the case (merchant
/// packs, the affected-customer list, verify's report) — analysts and admins only, the file's
/// content checked against the hash recorded when it was written.
pub async fn file(
    State(st): State<Arc<WebState>>,
    auth: Auth,
    Path((id, artefact)): Path<(i64, i64)>,
) -> Result<Response, WebError> {
    if !auth.role().can_work() {
        st.record(
            auth.audit(
                "download",
                Some(format!("case {id}")),
                format!("artefact {artefact}"),
            )
            .outcome("refused"),
        )
        .await?;
        return Err(WebError::Forbidden(
            "output files list customer ids: analysts and admins download them".into(),
        ));
    }
    let mut entry = auth.audit("download", Some(format!("case {id}")), String::new());
    let (path, name) = st
        .pool
        .run(move |db| {
            let a = store::artefacts(db, id)?
                .into_iter()
                .find(|a| a.id == artefact && a.kind == "output")
                .ok_or_else(|| {
                    WebError::NotFound(format!("case #{id} has no output file {artefact}"))
                })?;
            let loc = a
                .location
                .clone()
                .ok_or_else(|| WebError::NotFound("the file's location is not recorded".into()))?;
            let (sha, _) =
                leakscope_cases::ids::sha256_file(std::path::Path::new(&loc)).map_err(|e| {
                    WebError::NotFound(format!("the output file cannot be read any more: {e}"))
                })?;
            if sha != a.sha256 {
                return Err(WebError::Internal(
                    "the output file changed on disk since leakscope wrote it; not served".into(),
                ));
            }
            entry.detail = format!("output file {} ({} bytes)", a.id, a.bytes);
            crate::audit::record(db, &entry)?;
            Ok((loc, a.name))
        })
        .await?;
    let body = tokio::fs::read(&path)
        .await
        .map_err(|e| WebError::NotFound(format!("the output file cannot be read: {e}")))?;
    let mime = match std::path::Path::new(&name)
        .extension()
        .and_then(|e| e.to_str())
    {
        Some("json") => "application/json",
        Some("md") => "text/markdown; charset=utf-8",
        Some("csv") => "text/csv; charset=utf-8",
        _ => "application/octet-stream",
    };
    Ok(attachment(body, mime, &name))
}

/// `GET /cases/{id}/drafts/{n}`: the newest obligations document's draft `n` (Markdown).
pub async fn draft(
    State(st): State<Arc<WebState>>,
    auth: Auth,
    Path((id, n)): Path<(i64, usize)>,
) -> Result<Response, WebError> {
    let entry = auth.audit("download", Some(format!("case {id}")), format!("draft {n}"));
    let (md, name) = st
        .pool
        .run(move |db| {
            let view = CaseView::load(db, id)?;
            let d = view
                .obligations
                .as_ref()
                .and_then(|o| o.value.drafts.get(n).cloned())
                .ok_or_else(|| WebError::NotFound(format!("case #{id} has no draft {n}")))?;
            crate::audit::record(db, &entry)?;
            Ok((d.markdown, d.file_name))
        })
        .await?;
    Ok(attachment(
        md.into_bytes(),
        "text/markdown; charset=utf-8",
        &name,
    ))
}
