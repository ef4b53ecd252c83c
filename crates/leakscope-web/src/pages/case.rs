//! The case page: everything known about a case in one place (see [`super::case_parts`] for the
//! sections), the same page with names revealed (role permitting; audited), and the full list
//! of affected merchants.

use super::case_parts as parts;
use super::{page, respond, CsrfForm, Extra, Nav};
use crate::auth::Auth;
use crate::error::WebError;
use crate::jobs::JobStatus;
use crate::WebState;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::Form;
use chrono::{DateTime, Utc};
use leakscope_cases::{Advisory, CaseView, Templates};
use maud::html;
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// The built-in advisory texts of a language, parsed once.
pub fn templates(lang: &str) -> Result<&'static Templates, WebError> {
    static CACHE: OnceLock<HashMap<&'static str, Templates>> = OnceLock::new();
    let all = CACHE.get_or_init(|| {
        ["en", "vi", "zh"]
            .into_iter()
            .filter_map(|l| Templates::builtin(l).ok().map(|t| (l, t)))
            .collect()
    });
    all.get(lang)
        .or_else(|| all.get("en"))
        .ok_or_else(|| WebError::Internal("the built-in advisory templates do not load".into()))
}

/// A merchant's response outputs (artefact row ids).
#[derive(Debug, Clone, Default)]
pub struct Pack {
    /// The JSON pack.
    pub json: Option<i64>,
    /// The Markdown pack.
    pub md: Option<i64>,
}

/// What the case page is drawn from.
pub struct CaseData {
    /// The case and its documents.
    pub view: CaseView,
    /// The advisory built now.
    pub advisory: Advisory,
    /// The advisory's texts.
    pub templates: &'static Templates,
    /// Merchant packs of the newest verify run, by file stem.
    pub packs: HashMap<String, Pack>,
    /// The newest verify run's affected-customers CSV (artefact id).
    pub affected_csv: Option<i64>,
    /// When the page was made.
    pub now: DateTime<Utc>,
    /// Names shown raw (a reveal).
    pub reveal: bool,
    /// Jobs queued or running for this case.
    pub jobs: Vec<JobStatus>,
    /// The job the page was asked to follow (`?job=`).
    pub follow: Option<u64>,
    /// Whether the server sets a reference on cases opened in the browser.
    pub server_reference: bool,
    /// Upload limit in bytes.
    pub upload_limit: u64,
}

/// A case loaded with its advisory and output files.
pub struct Loaded {
    /// The case and its documents.
    pub view: CaseView,
    /// The advisory built now.
    pub advisory: Advisory,
    /// Its texts.
    pub templates: &'static Templates,
    /// Merchant packs by file stem.
    pub packs: HashMap<String, Pack>,
    /// The affected-customers CSV.
    pub affected_csv: Option<i64>,
}

/// Loads a case and builds its advisory (blocking).
pub fn load(
    db: &mut leakscope_db::Db,
    id: i64,
    lang: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Loaded, WebError> {
    let view = CaseView::load(db, id)?;
    let templates = templates(lang.unwrap_or(&view.case.lang))?;
    let advisory = leakscope_cases::build_advisory(&view, templates, now);
    let (packs, affected_csv) = outputs(&view);
    Ok(Loaded {
        view,
        advisory,
        templates,
        packs,
        affected_csv,
    })
}

/// The newest verify run's output artefacts: merchant packs by file stem and the affected
/// customers CSV.
fn outputs(view: &CaseView) -> (HashMap<String, Pack>, Option<i64>) {
    let mut packs: HashMap<String, Pack> = HashMap::new();
    let mut csv = None;
    let Some(dir) = view
        .verify
        .as_ref()
        .and_then(|v| v.json.pointer("/case_outputs/directory"))
        .and_then(|d| d.as_str())
    else {
        return (packs, csv);
    };
    let dir = std::path::Path::new(dir);
    let merchants = dir.join("merchants");
    for a in view.artefacts.iter().filter(|a| a.kind == "output") {
        let Some(loc) = a.location.as_deref().map(std::path::Path::new) else {
            continue;
        };
        if loc.parent() == Some(merchants.as_path()) {
            let Some(stem) = loc.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
                continue;
            };
            let e = packs.entry(stem).or_default();
            match loc.extension().and_then(|e| e.to_str()) {
                Some("json") => e.json = Some(a.id),
                Some("md") => e.md = Some(a.id),
                _ => {}
            }
        } else if loc == dir.join("affected_customers.csv") {
            csv = Some(a.id);
        }
    }
    (packs, csv)
}

/// `?lang=&job=`.
#[derive(Debug, Default, Deserialize)]
pub struct CaseQuery {
    /// Advisory language for this view (`en`, `vi`, `zh`).
    #[serde(default)]
    pub lang: Option<String>,
    /// A job to follow.
    #[serde(default)]
    pub job: Option<u64>,
}

async fn render(
    st: &Arc<WebState>,
    auth: &Auth,
    id: i64,
    q: CaseQuery,
    reveal: bool,
) -> Result<Response, WebError> {
    let now = Utc::now();
    let lang = q
        .lang
        .filter(|l| super::cases::LANGS.iter().any(|(id, _)| id == l));
    let l = st
        .pool
        .run(move |db| load(db, id, lang.as_deref(), now))
        .await?;
    let data = CaseData {
        view: l.view,
        advisory: l.advisory,
        templates: l.templates,
        packs: l.packs,
        affected_csv: l.affected_csv,
        now,
        reveal,
        jobs: st.jobs.active_for(id),
        follow: q.job,
        server_reference: st.opts.case_reference.is_some(),
        upload_limit: st.opts.upload_limit,
    };
    let title = format!(
        "#{} {}",
        id,
        crate::fmt::leak_name(&data.view.case.title, false)
    );
    let body = parts::page_body(&data, auth);
    Ok(respond(page(
        &title,
        Some(auth),
        Nav::Cases,
        Extra { profile_css: true },
        body,
    )))
}

/// `GET /cases/{id}`.
pub async fn show(
    State(st): State<Arc<WebState>>,
    auth: Auth,
    Path(id): Path<i64>,
    Query(q): Query<CaseQuery>,
) -> Result<Response, WebError> {
    render(&st, &auth, id, q, false).await
}

/// `POST /cases/{id}/reveal`: the case page with names from the leak shown raw (roles that may
/// reveal; the reveal is audited, what was shown is not).
pub async fn reveal(
    State(st): State<Arc<WebState>>,
    auth: Auth,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    auth.check_csrf(&f.csrf)?;
    if !auth.role().can_reveal() {
        st.record(
            auth.audit(
                "reveal",
                Some(format!("case {id}")),
                "role may not reveal".into(),
            )
            .outcome("refused"),
        )
        .await?;
        return Err(WebError::Forbidden(format!(
            "your role ({}) may not reveal values",
            auth.role()
        )));
    }
    st.record(auth.audit(
        "reveal",
        Some(format!("case {id}")),
        "names from the leak shown raw on the case page".into(),
    ))
    .await?;
    render(&st, &auth, id, CaseQuery::default(), true).await
}

/// `GET /cases/{id}/merchants`: every affected merchant with its pack.
pub async fn merchants(
    State(st): State<Arc<WebState>>,
    auth: Auth,
    Path(id): Path<i64>,
) -> Result<Response, WebError> {
    let now = Utc::now();
    let l = st.pool.run(move |db| load(db, id, None, now)).await?;
    let title = format!("Merchants of case #{id}");
    let body = html! {
        p { a href={"/cases/" (id)} { "← case #" (id) } }
        h1 { (title) }
        (parts::merchants_table(&l.view, &l.packs, l.affected_csv, &auth, usize::MAX, false))
    };
    Ok(respond(page(
        &title,
        Some(&auth),
        Nav::Cases,
        Extra::default(),
        body,
    )))
}
