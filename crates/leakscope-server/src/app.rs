//! The router, shared state, authentication and the response helpers of the HIBP-v3-compatible
//! API. Handlers live in [`crate::account`], [`crate::catalog`] and [`crate::passwords`].

// Handlers return early with ready-made responses; boxing them would only add allocations.
#![allow(clippy::result_large_err)]

use crate::keys::{KeyRecord, LiveKeys, Scope};
use crate::rate::Limiter;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leakscope_corpus::Store;
use leakscope_keys::Secret;
use std::sync::Arc;
use std::time::Duration;

/// Shared state of the server.
pub struct AppState {
    /// The corpus.
    pub store: Arc<dyn Store>,
    /// The installation secret (keyed hashes of looked-up identifiers).
    pub secret: Secret,
    /// API keys (re-read from the key file when it changes).
    pub keys: LiveKeys,
    /// Rate limiters (per key; per client address on the password endpoints).
    pub limiter: Limiter,
    /// Store calls may block (PostgreSQL): run them on the blocking pool.
    pub blocking: bool,
    /// Print one line per request (route template, status, latency; never the path itself).
    pub access_log: bool,
    /// Origins allowed to call the API from a browser (CORS); empty: no CORS headers. `*`
    /// allows any origin.
    pub cors_origins: Vec<String>,
}

pub(crate) type St = State<Arc<AppState>>;

/// A JSON response.
pub(crate) fn json_response(status: StatusCode, body: &impl serde::Serialize) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut r = (status, bytes).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    r
}

/// An error in HIBP's shape (`{"statusCode": N, "message": "..."}`).
pub(crate) fn error(status: StatusCode, message: &str) -> Response {
    json_response(
        status,
        &serde_json::json!({"statusCode": status.as_u16(), "message": message}),
    )
}

/// 404 with an empty body (HIBP: "not found").
pub(crate) fn not_found() -> Response {
    StatusCode::NOT_FOUND.into_response()
}

/// 429 with `Retry-After`.
pub(crate) fn too_many(wait: u64) -> Response {
    let mut r = error(
        StatusCode::TOO_MANY_REQUESTS,
        &format!("Rate limit is exceeded. Try again in {wait} seconds."),
    );
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(wait));
    r
}

/// Runs a store call (on the blocking pool when the store blocks); a store failure is a 503
/// whose message holds nothing from the request.
pub(crate) async fn call<T: Send + 'static>(
    st: &Arc<AppState>,
    f: impl FnOnce(&dyn Store) -> leakscope_corpus::store::Result<T> + Send + 'static,
) -> Result<T, Response> {
    let fail = |e: leakscope_corpus::CorpusError| {
        eprintln!("leakscope serve: store error: {e}");
        error(
            StatusCode::SERVICE_UNAVAILABLE,
            "The corpus is temporarily unavailable.",
        )
    };
    if !st.blocking {
        return f(st.store.as_ref()).map_err(fail);
    }
    let store = st.store.clone();
    match tokio::task::spawn_blocking(move || f(store.as_ref())).await {
        Ok(r) => r.map_err(fail),
        Err(_) => Err(error(StatusCode::INTERNAL_SERVER_ERROR, "internal error")),
    }
}

/// Checks the `hibp-api-key` header against the keys in force, the scope, and the key's rate
/// limit.
pub(crate) fn authorize(
    st: &AppState,
    headers: &HeaderMap,
    need: Scope,
) -> Result<KeyRecord, Response> {
    let Some(presented) = headers.get("hibp-api-key").and_then(|v| v.to_str().ok()) else {
        return Err(error(
            StatusCode::UNAUTHORIZED,
            "Access denied due to missing hibp-api-key.",
        ));
    };
    let Some(rec) = st.keys.current().verify(presented).cloned() else {
        return Err(error(
            StatusCode::UNAUTHORIZED,
            "Access denied due to invalid hibp-api-key.",
        ));
    };
    if need == Scope::Admin && rec.scope != Scope::Admin {
        return Err(error(
            StatusCode::FORBIDDEN,
            "This API key is not allowed to search domains (admin scope required).",
        ));
    }
    st.limiter.take(&rec.id, rec.rpm).map_err(too_many)?;
    Ok(rec)
}

/// Refuses requests without a User-Agent (403, as HIBP) and requests with a body (every route
/// is a GET: a body can only be a slow-body attack), and optionally logs route templates.
async fn gate(State(st): St, req: Request, next: Next) -> Response {
    let ua_ok = req
        .headers()
        .get(header::USER_AGENT)
        .is_some_and(|v| !v.as_bytes().is_empty());
    if !ua_ok {
        return error(
            StatusCode::FORBIDDEN,
            "Requests must include a User-Agent header.",
        );
    }
    let has_body = req.headers().contains_key(header::TRANSFER_ENCODING)
        || req
            .headers()
            .get(header::CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() != b"0");
    if has_body {
        let mut r = error(
            StatusCode::BAD_REQUEST,
            "Request bodies are not accepted (every endpoint is a GET).",
        );
        r.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        return r;
    }
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string());
    let started = std::time::Instant::now();
    let resp = next.run(req).await;
    if st.access_log {
        // The route template only: never the path, which carries the looked-up identifier.
        eprintln!(
            "{} {} {}us",
            route.as_deref().unwrap_or("(unmatched)"),
            resp.status().as_u16(),
            started.elapsed().as_micros()
        );
    }
    resp
}

/// The CORS layer for the configured origins (none: no CORS headers at all).
fn cors(origins: &[String]) -> Option<tower_http::cors::CorsLayer> {
    use tower_http::cors::{AllowOrigin, CorsLayer};
    if origins.is_empty() {
        return None;
    }
    let allow = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(
            origins
                .iter()
                .filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok()),
        )
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::GET])
            .allow_headers([
                header::HeaderName::from_static("hibp-api-key"),
                header::HeaderName::from_static("add-padding"),
            ])
            .expose_headers([header::RETRY_AFTER])
            .max_age(Duration::from_secs(600)),
    )
}

/// Builds the router with request size and time limits, and CORS when origins are configured.
pub fn router(state: Arc<AppState>) -> Router {
    use crate::{account, catalog, passwords};
    #[allow(deprecated)]
    let timeout = tower_http::timeout::TimeoutLayer::new(Duration::from_secs(10));
    let cors = cors(&state.cors_origins);
    let api = Router::new()
        .route(
            "/api/v3/breachedaccount/range/{prefix}",
            get(account::account_range),
        )
        .route(
            "/api/v3/breachedaccount/{account}",
            get(account::breached_account),
        )
        .route("/api/v3/breaches", get(catalog::breaches))
        .route("/api/v3/breach/{name}", get(catalog::breach))
        .route("/api/v3/latestbreach", get(catalog::latest_breach))
        .route("/api/v3/dataclasses", get(catalog::data_classes))
        .route(
            "/api/v3/breacheddomain/{domain}",
            get(account::breached_domain),
        )
        .route(
            "/api/v3/subscribeddomains",
            get(account::subscribed_domains),
        )
        .route(
            "/api/v3/subscription/status",
            get(account::subscription_status),
        )
        .route("/range/{prefix}", get(passwords::password_range))
        .route("/pwnedpassword/{password}", get(passwords::pwned_password))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), gate))
        .fallback(|| async { not_found() })
        .layer(tower_http::limit::RequestBodyLimitLayer::new(4096))
        .layer(timeout)
        .with_state(state);
    match cors {
        Some(c) => api.layer(c),
        None => api,
    }
}
