//! Routes and handlers of the HIBP-v3-compatible API.

// Handlers return early with ready-made responses; boxing them would only add allocations.
#![allow(clippy::result_large_err)]

use crate::keys::{KeyIndex, KeyRecord, Scope};
use crate::rate::Limiter;
use axum::extract::{MatchedPath, Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use leakscope_corpus::passwords::{parse_prefix5, suffix5};
use leakscope_corpus::{Breach, PwMode, Store};
use leakscope_keys::{IdKind, Secret};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Duration;

/// Shared state of the server.
pub struct AppState {
    /// The corpus.
    pub store: Arc<dyn Store>,
    /// The installation secret (keyed hashes of looked-up identifiers).
    pub secret: Secret,
    /// API keys.
    pub keys: KeyIndex,
    /// Rate limiter.
    pub limiter: Limiter,
    /// Store calls may block (PostgreSQL): run them on the blocking pool.
    pub blocking: bool,
    /// Print one line per request (route template, status, latency; never the path itself).
    pub access_log: bool,
}

type St = State<Arc<AppState>>;

/// The HIBP data-class vocabulary always listed by `/api/v3/dataclasses`.
pub const DATA_CLASSES: &[&str] = &[
    "Credit cards",
    "Dates of birth",
    "Email addresses",
    "Genders",
    "Government issued IDs",
    "IP addresses",
    "Names",
    "Partial credit card data",
    "Passwords",
    "Phone numbers",
    "Physical addresses",
    "Purchases",
    "Usernames",
];

fn json_response(status: StatusCode, body: &impl serde::Serialize) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut r = (status, bytes).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    r
}

fn error(status: StatusCode, message: &str) -> Response {
    json_response(
        status,
        &serde_json::json!({"statusCode": status.as_u16(), "message": message}),
    )
}

fn not_found() -> Response {
    StatusCode::NOT_FOUND.into_response()
}

async fn call<T: Send + 'static>(
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

fn authorize(st: &AppState, headers: &HeaderMap, need: Scope) -> Result<KeyRecord, Response> {
    let Some(presented) = headers.get("hibp-api-key").and_then(|v| v.to_str().ok()) else {
        return Err(error(
            StatusCode::UNAUTHORIZED,
            "Access denied due to missing hibp-api-key.",
        ));
    };
    let Some(rec) = st.keys.verify(presented) else {
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
    if let Err(wait) = st.limiter.take(&rec.id, rec.rpm) {
        let mut r = error(
            StatusCode::TOO_MANY_REQUESTS,
            &format!("Rate limit is exceeded. Try again in {wait} seconds."),
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return Err(r);
    }
    Ok(rec.clone())
}

fn q<'a>(query: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

fn q_bool(query: &HashMap<String, String>, name: &str, default: bool) -> Result<bool, Response> {
    match q(query, name).map(str::to_ascii_lowercase).as_deref() {
        None => Ok(default),
        Some("true") => Ok(true),
        Some("false") => Ok(false),
        Some(_) => Err(error(
            StatusCode::BAD_REQUEST,
            &format!("{name} must be true or false."),
        )),
    }
}

/// The keyed hashes an account string may stand for.
fn account_ids(secret: &Secret, account: &str) -> Vec<[u8; 16]> {
    let kinds: &[IdKind] = if account.contains('@') {
        &[IdKind::Email]
    } else {
        &[IdKind::Phone, IdKind::NationalId, IdKind::Username]
    };
    kinds
        .iter()
        .filter_map(|k| {
            leakscope_corpus::normalize_query(*k, account).map(|v| secret.hash16(*k, &v))
        })
        .collect()
}

async fn breached_account(
    State(st): St,
    Path(account): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = authorize(&st, &headers, Scope::Read) {
        return r;
    }
    let (truncate, unverified) = match (
        q_bool(&query, "truncateResponse", true),
        q_bool(&query, "IncludeUnverified", true),
    ) {
        (Ok(t), Ok(u)) => (t, u),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let domain = q(&query, "domain").map(str::to_ascii_lowercase);
    let ids = account_ids(&st.secret, &account);
    if ids.is_empty() {
        return error(
            StatusCode::BAD_REQUEST,
            "The account is not a valid email address, phone number, national ID or username.",
        );
    }
    let found = call(&st, move |s| {
        let mut names = BTreeSet::new();
        for id in &ids {
            names.extend(s.lookup(id)?);
        }
        let all = s.breaches()?;
        Ok(all
            .into_iter()
            .filter(|b| names.contains(&b.name))
            .collect::<Vec<Breach>>())
    })
    .await;
    let breaches = match found {
        Ok(b) => b,
        Err(r) => return r,
    };
    let shown: Vec<Breach> = breaches
        .into_iter()
        .filter(|b| !b.is_sensitive && !b.is_retired)
        .filter(|b| unverified || b.is_verified)
        .filter(|b| {
            domain
                .as_deref()
                .is_none_or(|d| b.domain.eq_ignore_ascii_case(d))
        })
        .collect();
    if shown.is_empty() {
        return not_found();
    }
    if truncate {
        let names: Vec<serde_json::Value> = shown
            .iter()
            .map(|b| serde_json::json!({"Name": b.name}))
            .collect();
        json_response(StatusCode::OK, &names)
    } else {
        json_response(StatusCode::OK, &shown)
    }
}

async fn account_range(State(st): St, Path(prefix): Path<String>, headers: HeaderMap) -> Response {
    if let Err(r) = authorize(&st, &headers, Scope::Read) {
        return r;
    }
    let valid = prefix.len() == 6 && prefix.bytes().all(|b| b.is_ascii_hexdigit());
    let Some(bytes) = valid.then(|| hex::decode(&prefix).ok()).flatten() else {
        return error(
            StatusCode::BAD_REQUEST,
            "The hash prefix must be 6 hexadecimal characters.",
        );
    };
    let p = [bytes[0], bytes[1], bytes[2]];
    let hits = match call(&st, move |s| s.email_range(p)).await {
        Ok(h) => h,
        Err(r) => return r,
    };
    let rows: Vec<serde_json::Value> = hits
        .into_iter()
        .map(|h| serde_json::json!({"hashSuffix": hex::encode_upper(h.sha1)[6..].to_string(), "websites": h.breaches}))
        .collect();
    if rows.is_empty() {
        return not_found();
    }
    json_response(StatusCode::OK, &rows)
}

async fn breaches(State(st): St, Query(query): Query<HashMap<String, String>>) -> Response {
    let domain = q(&query, "Domain").map(str::to_ascii_lowercase);
    let spam = match q(&query, "IsSpamList") {
        None => None,
        Some(_) => match q_bool(&query, "IsSpamList", false) {
            Ok(v) => Some(v),
            Err(r) => return r,
        },
    };
    match call(&st, |s| s.breaches()).await {
        Ok(list) => {
            let list: Vec<Breach> = list
                .into_iter()
                .filter(|b| {
                    domain
                        .as_deref()
                        .is_none_or(|d| b.domain.eq_ignore_ascii_case(d))
                })
                .filter(|b| spam.is_none_or(|v| b.is_spam_list == v))
                .collect();
            json_response(StatusCode::OK, &list)
        }
        Err(r) => r,
    }
}

async fn breach(State(st): St, Path(name): Path<String>) -> Response {
    match call(&st, move |s| s.breach(&name)).await {
        Ok(Some(b)) => json_response(StatusCode::OK, &b),
        Ok(None) => not_found(),
        Err(r) => r,
    }
}

async fn latest_breach(State(st): St) -> Response {
    match call(&st, |s| s.breaches()).await {
        Ok(list) => match list
            .into_iter()
            .filter(|b| !b.is_retired)
            .max_by(|a, b| a.added_date.cmp(&b.added_date))
        {
            Some(b) => json_response(StatusCode::OK, &b),
            None => not_found(),
        },
        Err(r) => r,
    }
}

async fn data_classes(State(st): St) -> Response {
    match call(&st, |s| s.breaches()).await {
        Ok(list) => {
            let mut set: BTreeSet<String> = DATA_CLASSES.iter().map(|s| s.to_string()).collect();
            set.extend(list.into_iter().flat_map(|b| b.data_classes));
            json_response(StatusCode::OK, &set)
        }
        Err(r) => r,
    }
}

async fn breached_domain(
    State(st): St,
    Path(domain): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = authorize(&st, &headers, Scope::Admin) {
        return r;
    }
    let d = domain.trim().to_ascii_lowercase();
    if d.is_empty()
        || !d.contains('.')
        || !d
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
    {
        return error(StatusCode::BAD_REQUEST, "The domain is not valid.");
    }
    let dk = leakscope_corpus::ingest::domain_key(&st.secret, &d);
    match call(&st, move |s| s.domain_accounts(dk)).await {
        Ok(rows) if rows.is_empty() => not_found(),
        Ok(rows) => {
            // Aliases are never stored; each account is named by its keyed hash (hex).
            let map: serde_json::Map<String, serde_json::Value> = rows
                .into_iter()
                .map(|(h, names)| (hex::encode(h), serde_json::json!(names)))
                .collect();
            json_response(StatusCode::OK, &map)
        }
        Err(r) => r,
    }
}

fn random_bytes(n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    let _ = getrandom::getrandom(&mut v);
    v
}

async fn password_range(
    State(st): St,
    Path(prefix): Path<String>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let Some(p) = parse_prefix5(&prefix) else {
        return (
            StatusCode::BAD_REQUEST,
            "The hash prefix was not in a valid format",
        )
            .into_response();
    };
    let mode = match q(&query, "mode").map(str::to_ascii_lowercase).as_deref() {
        None | Some("sha1") => PwMode::Sha1,
        Some("ntlm") => PwMode::Ntlm,
        Some(_) => return (StatusCode::BAD_REQUEST, "mode must be sha1 or ntlm").into_response(),
    };
    let rows = match call(&st, move |s| s.password_range(p, mode)).await {
        Ok(r) => r,
        Err(r) => return r,
    };
    let mut lines: Vec<String> = rows
        .iter()
        .map(|(h, n)| format!("{}:{n}", suffix5(h)))
        .collect();
    let pad = headers
        .get("add-padding")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    if pad {
        let r = random_bytes(2);
        let target = 800 + usize::from(u16::from_le_bytes([r[0], r[1]]) % 201);
        let real: BTreeSet<String> = lines
            .iter()
            .map(|l| l[..l.find(':').unwrap_or(0)].to_string())
            .collect();
        while lines.len() < target {
            let mut h = random_bytes(mode.width());
            h[0] = p[0];
            h[1] = p[1];
            h[2] = (p[2] & 0xf0) | (h[2] & 0x0f);
            let s = suffix5(&h);
            if !real.contains(&s) {
                lines.push(format!("{s}:0"));
            }
        }
        lines.sort();
    }
    let mut body = lines.join("\r\n");
    if !body.is_empty() {
        body.push_str("\r\n");
    }
    let mut r = (StatusCode::OK, body).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=2678400"),
    );
    r
}

/// Refuses requests without a User-Agent (403, as HIBP) and optionally logs route templates.
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

/// Builds the router with request size and time limits. CORS is not enabled (no CORS headers).
pub fn router(state: Arc<AppState>) -> Router {
    #[allow(deprecated)]
    let timeout = tower_http::timeout::TimeoutLayer::new(Duration::from_secs(10));
    Router::new()
        .route("/api/v3/breachedaccount/range/{prefix}", get(account_range))
        .route("/api/v3/breachedaccount/{account}", get(breached_account))
        .route("/api/v3/breaches", get(breaches))
        .route("/api/v3/breach/{name}", get(breach))
        .route("/api/v3/latestbreach", get(latest_breach))
        .route("/api/v3/dataclasses", get(data_classes))
        .route("/api/v3/breacheddomain/{domain}", get(breached_domain))
        .route("/range/{prefix}", get(password_range))
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), gate))
        .fallback(|| async { not_found() })
        .layer(tower_http::limit::RequestBodyLimitLayer::new(4096))
        .layer(timeout)
        .with_state(state)
}
