//! Server-side sessions (migration 3, `web_sessions`). The browser holds a random 256-bit token
//! in an HttpOnly, SameSite=Strict cookie (`Secure` and the `__Host-` prefix whenever the
//! connection is secure); the database holds only its SHA-256, the user, the session's CSRF
//! token and its times. Signing out deletes the row, so a copied cookie stops working at once.

use crate::error::WebError;
use crate::users::{Role, User};
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use leakscope_db::{Db, DbError, Value};
use sha2::{Digest, Sha256};

/// Cookie name when cookies are `Secure` (the `__Host-` prefix pins it to this host and path).
pub const SECURE_COOKIE: &str = "__Host-leakscope";
/// Cookie name on plain HTTP (non-loopback, which `serve` warns about).
pub const PLAIN_COOKIE: &str = "leakscope_session";
/// Cookie holding the sign-in form's CSRF token (before there is a session).
pub const LOGIN_COOKIE_SECURE: &str = "__Host-leakscope-login";
/// The same on plain HTTP.
pub const LOGIN_COOKIE_PLAIN: &str = "leakscope_login";

/// `n` random bytes as unpadded base64url; an error when the system has no randomness to give
/// (a predictable token is never made).
pub fn random_token(n: usize) -> Result<String, WebError> {
    let mut b = vec![0u8; n];
    getrandom::getrandom(&mut b)
        .map_err(|e| WebError::Unavailable(format!("no system randomness for a token: {e}")))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b))
}

/// SHA-256 of a token, hex (what the database stores).
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Constant-time comparison of two tokens.
pub fn same_token(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() || a.is_empty() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A live session.
#[derive(Debug, Clone)]
pub struct Session {
    /// Row id.
    pub id: i64,
    /// Who.
    pub user: User,
    /// The token every form and state-changing request must carry.
    pub csrf: String,
    /// Last request (UTC).
    pub last_seen_at: String,
}

fn fmt_utc(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Opens a session for a user; returns the cookie token (shown to the browser only).
pub fn create(
    db: &mut Db,
    user: &User,
    client: Option<&str>,
    now: DateTime<Utc>,
    max: std::time::Duration,
) -> Result<(String, Session), WebError> {
    let token = random_token(32)?;
    let csrf = random_token(32)?;
    let expires = now + Duration::from_std(max).unwrap_or(Duration::hours(12));
    let id = db.insert(
        "INSERT INTO web_sessions (token_hash, user_id, csrf, client, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &[
            token_hash(&token).into(),
            Value::Int(user.id),
            csrf.clone().into(),
            client.map(str::to_string).into(),
            fmt_utc(now).into(),
            fmt_utc(now).into(),
            fmt_utc(expires).into(),
        ],
    )?;
    Ok((
        token,
        Session {
            id,
            user: user.clone(),
            csrf,
            last_seen_at: fmt_utc(now),
        },
    ))
}

/// The live session of a cookie token at `now` (expired or idle sessions are deleted); the
/// last-seen time is refreshed at most once a minute.
pub fn lookup(
    db: &mut Db,
    token: &str,
    now: DateTime<Utc>,
    idle: std::time::Duration,
) -> Result<Option<Session>, DbError> {
    if token.len() < 16 || token.len() > 128 {
        return Ok(None);
    }
    let hash = token_hash(token);
    let Some(r) = db.query_opt(
        "SELECT s.id, s.csrf, s.last_seen_at, s.expires_at, u.id, u.name, u.role, u.failed_count, u.locked_until, u.last_login_at, u.created_at FROM web_sessions s JOIN web_users u ON u.id = s.user_id WHERE s.token_hash = ?",
        &[hash.into()],
    )?
    else {
        return Ok(None);
    };
    let id = r.i64(0);
    let last = r.str(2);
    let idle = Duration::from_std(idle).unwrap_or(Duration::hours(2));
    let parse = |s: &str| {
        DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    };
    let live =
        parse(&r.str(3)).is_some_and(|e| e > now) && parse(&last).is_some_and(|l| now - l < idle);
    if !live {
        db.execute("DELETE FROM web_sessions WHERE id = ?", &[Value::Int(id)])?;
        return Ok(None);
    }
    if parse(&last).is_some_and(|l| now - l >= Duration::seconds(60)) {
        db.execute(
            "UPDATE web_sessions SET last_seen_at = ? WHERE id = ?",
            &[fmt_utc(now).into(), Value::Int(id)],
        )?;
    }
    Ok(Some(Session {
        id,
        csrf: r.str(1),
        last_seen_at: last,
        user: User {
            id: r.i64(4),
            name: r.str(5),
            role: Role::from_id(&r.str(6)).unwrap_or(Role::Viewer),
            failed_count: r.i64(7),
            locked_until: r.opt_str(8),
            last_login_at: r.opt_str(9),
            created_at: r.str(10),
        },
    }))
}

/// Ends a session.
pub fn delete(db: &mut Db, id: i64) -> Result<(), DbError> {
    db.execute("DELETE FROM web_sessions WHERE id = ?", &[Value::Int(id)])?;
    Ok(())
}

/// Deletes sessions past their absolute expiry; returns how many.
pub fn purge_expired(db: &mut Db, now: DateTime<Utc>) -> Result<u64, DbError> {
    db.execute(
        "DELETE FROM web_sessions WHERE expires_at <= ?",
        &[fmt_utc(now).into()],
    )
}

/// The `Set-Cookie` value that stores a session token.
pub fn cookie(name: &str, token: &str, secure: bool, max_age: Option<u64>) -> String {
    let mut c = format!("{name}={token}; Path=/; HttpOnly; SameSite=Strict");
    if secure {
        c.push_str("; Secure");
    }
    if let Some(a) = max_age {
        c.push_str(&format!("; Max-Age={a}"));
    }
    c
}

/// The `Set-Cookie` value that deletes a cookie.
pub fn clear_cookie(name: &str, secure: bool) -> String {
    cookie(name, "", secure, Some(0))
}

/// A cookie's value from the request's `Cookie` headers.
pub fn read_cookie<'a>(headers: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_compared_in_constant_time() {
        let a = random_token(32).unwrap();
        let b = random_token(32).unwrap();
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        assert!(same_token(&a, &a.clone()));
        assert!(!same_token(&a, &b));
        assert!(!same_token("", ""));
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
    }

    #[test]
    fn cookies_are_http_only_strict_and_secure_when_asked() {
        let c = cookie(SECURE_COOKIE, "tok", true, None);
        assert_eq!(
            c,
            "__Host-leakscope=tok; Path=/; HttpOnly; SameSite=Strict; Secure"
        );
        assert!(clear_cookie(PLAIN_COOKIE, false).ends_with("Max-Age=0"));
        let mut h = axum::http::HeaderMap::new();
        h.append("cookie", "a=1; __Host-leakscope=xyz".parse().unwrap());
        h.append("cookie", "b=2".parse().unwrap());
        assert_eq!(read_cookie(&h, SECURE_COOKIE), Some("xyz"));
        assert_eq!(read_cookie(&h, "b"), Some("2"));
        assert_eq!(read_cookie(&h, "c"), None);
    }
}
