//! Headers every web response carries, the refusal of cross-site state-changing requests, the
//! page time limit and the access log.
//!
//! - `Content-Security-Policy`: scripts, styles and images from this server only — no inline
//!   script, no inline style, no `eval`, nothing from elsewhere — forms post here only, no
//!   framing (`frame-ancestors 'none'`), no `<base>`. Stand-alone documents viewed in the
//!   browser (the advisory, the scan report) get [`DOCUMENT_CSP`]: no script at all.
//! - `X-Frame-Options: DENY`, `Referrer-Policy: no-referrer`, `X-Content-Type-Options: nosniff`,
//!   `Cross-Origin-Opener-Policy` / `Cross-Origin-Resource-Policy: same-origin`, a closed
//!   `Permissions-Policy`, `Cache-Control: no-store` (pages hold case data), and
//!   `Strict-Transport-Security` over HTTPS.
//! - `Server-Timing: app;dur=…`: the server's time for the response (what the benchmark reads).

use crate::error::WebError;
use crate::WebState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The policy of every page.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The policy of stand-alone documents shown in the browser (they carry their own `<style>`
/// and never a script).
pub const DOCUMENT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/// Time a page may take before the server answers 503.
pub const PAGE_TIMEOUT: Duration = Duration::from_secs(30);

fn set_default(h: &mut axum::http::HeaderMap, name: HeaderName, value: &'static str) {
    h.entry(name).or_insert(HeaderValue::from_static(value));
}

/// Adds the security headers, refuses cross-site state-changing requests, times and logs.
pub async fn headers(State(st): State<Arc<WebState>>, req: Request, next: Next) -> Response {
    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD);
    let cross_site = req
        .headers()
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"cross-site");
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string());
    let method = req.method().clone();
    let started = Instant::now();
    let mut resp = if unsafe_method && cross_site {
        WebError::Forbidden("requests from other sites may not change anything here".into())
            .into_response()
    } else {
        next.run(req).await
    };
    let took = started.elapsed();
    let h = resp.headers_mut();
    set_default(h, header::CONTENT_SECURITY_POLICY, CSP);
    set_default(h, header::X_FRAME_OPTIONS, "DENY");
    set_default(h, header::REFERRER_POLICY, "no-referrer");
    set_default(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set_default(
        h,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set_default(
        h,
        HeaderName::from_static("cross-origin-resource-policy"),
        "same-origin",
    );
    set_default(
        h,
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    );
    set_default(h, header::CACHE_CONTROL, "no-store");
    if st.opts.https {
        set_default(
            h,
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    if let Ok(v) = HeaderValue::from_str(&format!("app;dur={:.1}", took.as_secs_f64() * 1e3)) {
        h.insert(HeaderName::from_static("server-timing"), v);
    }
    if st.opts.access_log {
        // The route template only: a path or query may carry a case title or an identifier.
        eprintln!(
            "web {} {} {} {}us",
            method,
            route.as_deref().unwrap_or("(unmatched)"),
            resp.status().as_u16(),
            took.as_micros()
        );
    }
    resp
}

/// Answers 503 when a page takes longer than [`PAGE_TIMEOUT`] (uploads and live progress
/// streams are not under it).
pub async fn page_timeout(req: Request, next: Next) -> Response {
    match tokio::time::timeout(PAGE_TIMEOUT, next.run(req)).await {
        Ok(r) => r,
        Err(_) => WebError::Unavailable("the page took too long; try again".into()).into_response(),
    }
}
