//! The web app served by `leakscope serve` beside the HIBP-compatible API (same process, same
//! data directory): the team that responds to a leak — DPO, legal, support, merchant relations,
//! management — works its cases in a browser.
//!
//! - [`users`]: local users with roles (admin / analyst / viewer), Argon2id password hashes,
//!   lock-out after repeated failures; [`sessions`]: server-side sessions behind an HttpOnly,
//!   SameSite=Strict cookie (only a SHA-256 of the token is stored) carrying the CSRF token
//!   every form must echo; [`audit`]: who did what (never a raw leaked value);
//! - [`pages`]: the claims feed, case list and case pages (verdict, sensitivity, people,
//!   merchants, the nearest deadline counting down, the scan's charts drawn by
//!   `leakscope-profile`, verify evidence, merchant packs, obligations with drafts, timeline,
//!   advisory, exports, notes and events), corpus search, the admin's user list and audit log;
//! - [`upload`] + [`jobs`]: a sample streamed to disk under a size limit, scanned in the
//!   background (`leakscope-cases`: scan → verify → overlap → obligations) with live progress
//!   over Server-Sent Events (or polling);
//! - [`security`]: CSP without inline script, frame-ancestors, Referrer-Policy and friends on
//!   every page; [`assets`]: CSS and JavaScript embedded in the binary.
//!
//! Every value from a leak is shown as the CLI shows it (names through
//! `leakscope_text::mask_identifiers`, values through `leakscope_detect::mask`) unless the user's
//! role may reveal and asks; reveals are audited. See `docs/web.md`.

#![warn(missing_docs)]

pub mod assets;
pub mod audit;
pub mod auth;
pub mod error;
pub mod fmt;
pub mod jobs;
pub mod pages;
pub mod pool;
pub mod security;
pub mod sessions;
pub mod upload;
pub mod users;

pub use axum::Router;
pub use error::WebError;
pub use pool::Pool;
pub use users::Role;

use axum::routing::{get, post};
use leakscope_cases::ReferenceInput;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Lock-out policy: after `max_failures` failed sign-ins within `window`, the account is locked
/// for `lock_for`.
#[derive(Debug, Clone, Copy)]
pub struct Lockout {
    /// Failures that lock the account.
    pub max_failures: u32,
    /// Failures older than this are forgotten.
    pub window: Duration,
    /// How long a locked account stays locked.
    pub lock_for: Duration,
}

impl Default for Lockout {
    fn default() -> Lockout {
        Lockout {
            max_failures: 5,
            window: Duration::from_secs(15 * 60),
            lock_for: Duration::from_secs(15 * 60),
        }
    }
}

/// How the web app behaves.
#[derive(Debug, Clone)]
pub struct WebOptions {
    /// The data directory (cases' outputs and uploads live under `cases/`).
    pub data_dir: PathBuf,
    /// `--database` (PostgreSQL URL) shared with the corpus and the cases, if any.
    pub database: Option<String>,
    /// Cookies carry `Secure` (HTTPS, or plain HTTP on loopback, which browsers treat as a
    /// secure context) and the `__Host-` prefix.
    pub secure_cookies: bool,
    /// The server speaks HTTPS (adds `Strict-Transport-Security`).
    pub https: bool,
    /// Largest sample upload, in bytes.
    pub upload_limit: u64,
    /// A session ends after this long without a request.
    pub session_idle: Duration,
    /// A session ends this long after sign-in, whatever happens.
    pub session_max: Duration,
    /// Lock-out policy.
    pub lockout: Lockout,
    /// Reference set on cases opened in the browser (the team's customer index), so that a
    /// sample uploaded there is verified.
    pub case_reference: Option<ReferenceInput>,
    /// Print one line per request (route template, status, latency; never a path or a query).
    pub access_log: bool,
}

impl WebOptions {
    /// Defaults for a data directory.
    pub fn new(data_dir: PathBuf) -> WebOptions {
        WebOptions {
            data_dir,
            database: None,
            secure_cookies: true,
            https: false,
            upload_limit: 1_000_000_000,
            session_idle: Duration::from_secs(2 * 3600),
            session_max: Duration::from_secs(12 * 3600),
            lockout: Lockout::default(),
            case_reference: None,
            access_log: false,
        }
    }
}

/// Shared state of the web app.
pub struct WebState {
    /// Database connections.
    pub pool: Arc<Pool>,
    /// Options.
    pub opts: WebOptions,
    /// The corpus and the secret its lookups are keyed with (`None`: no corpus, search off).
    pub corpus: Option<(Arc<dyn leakscope_corpus::Store>, leakscope_keys::Secret)>,
    /// Background sample scans.
    pub jobs: jobs::Jobs,
    /// Failed sign-ins per client address (slows down guessing across many user names).
    pub throttle: auth::Throttle,
}

impl WebState {
    /// State over a pool; starts the scan worker.
    pub fn new(
        pool: Arc<Pool>,
        opts: WebOptions,
        corpus: Option<(Arc<dyn leakscope_corpus::Store>, leakscope_keys::Secret)>,
    ) -> Arc<WebState> {
        let jobs = jobs::Jobs::start(pool.clone(), opts.clone());
        Arc::new(WebState {
            pool,
            opts,
            corpus,
            jobs,
            throttle: auth::Throttle::default(),
        })
    }
}

impl WebState {
    /// Records an audit entry.
    pub async fn record(&self, entry: audit::New) -> Result<(), WebError> {
        self.pool
            .run(move |db| Ok(audit::record(db, &entry)?))
            .await
    }
}

/// Deletes expired sessions every ten minutes (a background thread for the server's lifetime).
pub fn start_housekeeping(state: &Arc<WebState>) {
    let pool = state.pool.clone();
    let spawned = std::thread::Builder::new()
        .name("leakscope-web-sessions".into())
        .spawn(move || loop {
            if let Err(e) = pool.blocking(|db| Ok(sessions::purge_expired(db, chrono::Utc::now())?))
            {
                eprintln!("leakscope serve: web: expired sessions not purged: {e}");
            }
            std::thread::sleep(Duration::from_secs(600));
        });
    if let Err(e) = spawned {
        eprintln!("leakscope serve: web: cannot start the session housekeeping: {e}");
    }
}

/// The web app's routes (merged beside the API's by `leakscope serve`).
pub fn router(state: Arc<WebState>) -> Router {
    use pages::{admin, case, case_actions, cases, claims, corpus, login};
    let uploads = Router::new()
        .route("/cases/{id}/samples", post(upload::upload))
        .layer(axum::extract::DefaultBodyLimit::max(
            usize::try_from(state.opts.upload_limit.saturating_add(1 << 20)).unwrap_or(usize::MAX),
        ));
    let streams = Router::new().route("/cases/{id}/jobs/{job}/events", get(jobs::events));
    let pages = Router::new()
        .route("/", get(pages::home))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/claims", get(claims::feed))
        .route("/claims/{row}/case", post(claims::open_case))
        .route("/cases", get(cases::list).post(cases::create))
        .route("/cases/new", get(cases::new_form))
        .route("/cases/{id}", get(case::show))
        .route("/cases/{id}/reveal", post(case::reveal))
        .route("/cases/{id}/merchants", get(case::merchants))
        .route("/cases/{id}/events", post(case_actions::add_event))
        .route("/cases/{id}/status", post(case_actions::set_status))
        .route("/cases/{id}/jobs/{job}", get(jobs::status))
        .route("/cases/{id}/export/{format}", get(case_actions::export))
        .route("/cases/{id}/view/{what}", get(case_actions::view))
        .route("/cases/{id}/files/{artefact}", get(case_actions::file))
        .route("/cases/{id}/drafts/{n}", get(case_actions::draft))
        .route("/corpus", get(corpus::form).post(corpus::search))
        .route("/admin/users", get(admin::users))
        .route("/admin/users/{name}/unlock", post(admin::unlock))
        .route("/admin/audit", get(admin::audit))
        .route("/static/{file}", get(assets::serve))
        .route("/favicon.ico", get(assets::favicon))
        .layer(axum::extract::DefaultBodyLimit::max(64 * 1024))
        .layer(axum::middleware::from_fn(security::page_timeout));
    Router::new()
        .merge(pages)
        .merge(uploads)
        .merge(streams)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .with_state(state)
}
