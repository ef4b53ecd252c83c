//! Pwned Passwords: the k-anonymity `/range/{5 hex}` (SHA-1 or NTLM, optional padding) and the
//! legacy `/pwnedpassword/{password}` some clients still call. Both are unauthenticated, as at
//! HIBP, and limited per client address (`--password-rpm`).

use crate::app::{call, too_many, St};
use crate::query::Params;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use leakscope_corpus::passwords::{parse_prefix5, sha1, suffix5};
use leakscope_corpus::PwMode;
use std::collections::BTreeSet;
use std::net::SocketAddr;

/// `n` bytes from the system random generator.
pub(crate) fn random_bytes(n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    let _ = getrandom::getrandom(&mut v);
    v
}

/// Adds random count-0 suffixes of the prefix `p` until there are `target` lines (none equal to a
/// real one), sorted among the real lines. The random bytes come from one system call.
fn pad(lines: &mut Vec<String>, target: usize, p: [u8; 3], mode: PwMode) {
    let real: BTreeSet<String> = lines
        .iter()
        .map(|l| l[..l.find(':').unwrap_or(0)].to_string())
        .collect();
    let w = mode.width();
    while lines.len() < target {
        let need = target - lines.len();
        let bytes = random_bytes(need * w);
        for chunk in bytes.chunks_exact(w) {
            let mut h = chunk.to_vec();
            h[0] = p[0];
            h[1] = p[1];
            h[2] = (p[2] & 0xf0) | (h[2] & 0x0f);
            let s = suffix5(&h);
            if !real.contains(&s) {
                lines.push(format!("{s}:0"));
            }
        }
    }
    lines.sort();
}

/// The per-address limit of the password endpoints (no address: a test harness calling the
/// router directly, not limited).
fn limited(
    st: &crate::app::AppState,
    peer: Option<&Extension<ConnectInfo<SocketAddr>>>,
) -> Option<Response> {
    let ip = (peer?.0).0.ip();
    st.limiter.take_password(ip).err().map(too_many)
}

fn text(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

/// `GET /range/{prefix}[?mode=ntlm]`: `SUFFIX:COUNT` lines separated by CRLF with no line break
/// after the last (as HIBP; clients that split on CRLF choke on a trailing one). With
/// `Add-Padding: true`, random suffixes with count 0 pad the answer to 800–1,000 lines; a range
/// with no stored hash answers one such line rather than an empty body.
pub(crate) async fn password_range(
    State(st): St,
    Path(prefix): Path<String>,
    query: Params,
    headers: HeaderMap,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
) -> Response {
    if let Some(r) = limited(&st, peer.as_ref()) {
        return r;
    }
    let Some(p) = parse_prefix5(&prefix) else {
        return text(
            StatusCode::BAD_REQUEST,
            "The hash prefix was not in a valid format".into(),
        );
    };
    let mode = match query.get("mode").map(str::to_ascii_lowercase).as_deref() {
        None | Some("sha1") => PwMode::Sha1,
        Some("ntlm") => PwMode::Ntlm,
        Some(_) => return text(StatusCode::BAD_REQUEST, "mode must be sha1 or ntlm".into()),
    };
    let rows = match call(&st, move |s| s.password_range(p, mode)).await {
        Ok(r) => r,
        Err(r) => return r,
    };
    let mut lines: Vec<String> = rows
        .iter()
        .map(|(h, n)| format!("{}:{n}", suffix5(h)))
        .collect();
    let asked = headers
        .get("add-padding")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    // Padded to 800–1,000 lines when asked. An empty range gets one count-0 line even when not
    // asked: HIBP never answers with an empty body (every prefix has entries there), and
    // clients that split the body on CRLF fail on one.
    let target = if asked {
        let r = random_bytes(2);
        800 + usize::from(u16::from_le_bytes([r[0], r[1]]) % 201)
    } else {
        1
    };
    if lines.len() < target {
        pad(&mut lines, target, p, mode);
    }
    let mut r = text(StatusCode::OK, lines.join("\r\n"));
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=2678400"),
    );
    r
}

/// `GET /pwnedpassword/{password}`: how often a password occurs, as plain text (`404` when
/// never). A 40-hex-digit value is taken as the password's SHA-1 (as HIBP did), unless
/// `originalPasswordIsAHash=true` says the hash itself is the password. Prefer `/range`: this
/// endpoint sees the password (never logged).
pub(crate) async fn pwned_password(
    State(st): St,
    Path(password): Path<String>,
    query: Params,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
) -> Response {
    if let Some(r) = limited(&st, peer.as_ref()) {
        return r;
    }
    let literal = match query.flag("originalPasswordIsAHash", false) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let is_hash = password.len() == 40 && password.bytes().all(|b| b.is_ascii_hexdigit());
    let hash: [u8; 20] = if is_hash && !literal {
        let mut h = [0u8; 20];
        if hex::decode_to_slice(&password, &mut h).is_err() {
            return text(StatusCode::BAD_REQUEST, "not a SHA-1 hash".into());
        }
        h
    } else {
        sha1(password.as_bytes())
    };
    let prefix = [hash[0], hash[1], hash[2] & 0xf0];
    let rows = match call(&st, move |s| s.password_range(prefix, PwMode::Sha1)).await {
        Ok(r) => r,
        Err(r) => return r,
    };
    match rows.iter().find(|(h, _)| h.as_slice() == hash) {
        Some((_, n)) if *n > 0 => text(StatusCode::OK, n.to_string()),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}
