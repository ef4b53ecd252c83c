//! Who is asking: the signed-in user of a request ([`Auth`], from the session cookie), the
//! checks handlers make (role, CSRF token), and the per-address throttle of failed sign-ins.

use crate::error::WebError;
use crate::sessions::{self, Session};
use crate::users::{Role, User};
use crate::WebState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::Method;
use chrono::Utc;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The session cookie's name.
pub fn cookie_name(secure: bool) -> &'static str {
    if secure {
        sessions::SECURE_COOKIE
    } else {
        sessions::PLAIN_COOKIE
    }
}

/// The sign-in form's cookie name.
pub fn login_cookie_name(secure: bool) -> &'static str {
    if secure {
        sessions::LOGIN_COOKIE_SECURE
    } else {
        sessions::LOGIN_COOKIE_PLAIN
    }
}

/// The client's address, when the connection layer recorded it.
pub fn client_of(parts: &Parts) -> Option<String> {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
}

/// The client's address as an extractor (`None` when unknown).
#[derive(Debug, Clone)]
pub struct ClientAddr(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<ClientAddr, Self::Rejection> {
        Ok(ClientAddr(client_of(parts)))
    }
}

/// A signed-in request.
#[derive(Debug, Clone)]
pub struct Auth {
    /// The session (user, CSRF token).
    pub session: Session,
    /// Client address.
    pub client: Option<String>,
}

impl Auth {
    /// The user.
    pub fn user(&self) -> &User {
        &self.session.user
    }

    /// The user's role.
    pub fn role(&self) -> Role {
        self.session.user.role
    }

    /// The user's name.
    pub fn name(&self) -> &str {
        &self.session.user.name
    }

    /// Refuses unless the role may change cases.
    pub fn require_work(&self) -> Result<(), WebError> {
        if self.role().can_work() {
            Ok(())
        } else {
            Err(WebError::Forbidden(format!(
                "your role ({}) may read cases but not change them; ask an admin for the analyst role",
                self.role()
            )))
        }
    }

    /// Refuses unless the user is an admin.
    pub fn require_admin(&self) -> Result<(), WebError> {
        if self.role().is_admin() {
            Ok(())
        } else {
            Err(WebError::Forbidden("only admins may see this page".into()))
        }
    }

    /// Refuses a state-changing request whose CSRF token is not this session's.
    pub fn check_csrf(&self, token: &str) -> Result<(), WebError> {
        if sessions::same_token(token, &self.session.csrf) {
            Ok(())
        } else {
            Err(WebError::Forbidden(
                "the form's security token is missing or wrong (reload the page and try again)"
                    .into(),
            ))
        }
    }

    /// An audit entry by this user.
    pub fn audit(&self, action: &str, target: Option<String>, detail: String) -> crate::audit::New {
        crate::audit::New::ok(Some(self.name()), action, target, detail)
            .from_client(self.client.clone())
    }
}

/// Where to come back to after signing in: this page for a GET, the home page otherwise.
fn next_of(parts: &Parts) -> String {
    if parts.method == Method::GET {
        parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| "/".into())
    } else {
        "/".into()
    }
}

impl FromRequestParts<Arc<WebState>> for Auth {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<WebState>,
    ) -> Result<Auth, WebError> {
        let name = cookie_name(state.opts.secure_cookies);
        let next = next_of(parts);
        let Some(token) = sessions::read_cookie(&parts.headers, name).map(str::to_string) else {
            return Err(WebError::SignIn { next });
        };
        let idle = state.opts.session_idle;
        let found = state
            .pool
            .run(move |db| Ok(sessions::lookup(db, &token, Utc::now(), idle)?))
            .await?;
        match found {
            Some(session) => Ok(Auth {
                session,
                client: client_of(parts),
            }),
            None => Err(WebError::SignIn { next }),
        }
    }
}

/// Failed sign-ins per client address: after `max` failures within `window` an address may not
/// try again until the window has passed (whatever user names it tries).
#[derive(Debug)]
pub struct Throttle {
    max: u32,
    window: Duration,
    seen: Mutex<HashMap<IpAddr, (u32, Instant)>>,
}

impl Default for Throttle {
    fn default() -> Throttle {
        Throttle {
            max: 30,
            window: Duration::from_secs(15 * 60),
            seen: Mutex::new(HashMap::new()),
        }
    }
}

impl Throttle {
    fn key(client: Option<&str>) -> Option<IpAddr> {
        client.and_then(|c| c.parse().ok())
    }

    /// True when the address may try to sign in.
    pub fn allowed(&self, client: Option<&str>) -> bool {
        let Some(ip) = Throttle::key(client) else {
            return true;
        };
        let g = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        g.get(&ip)
            .is_none_or(|(n, since)| *n < self.max || since.elapsed() > self.window)
    }

    /// Counts a failure.
    pub fn failed(&self, client: Option<&str>) {
        let Some(ip) = Throttle::key(client) else {
            return;
        };
        let mut g = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if g.len() > 10_000 {
            let w = self.window;
            g.retain(|_, (_, since)| since.elapsed() <= w);
        }
        let e = g.entry(ip).or_insert((0, Instant::now()));
        if e.1.elapsed() > self.window {
            *e = (0, Instant::now());
        }
        e.0 += 1;
    }

    /// Forgets an address's failures (after a successful sign-in).
    pub fn succeeded(&self, client: Option<&str>) {
        if let Some(ip) = Throttle::key(client) {
            self.seen
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .remove(&ip);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttle_counts_failures_per_address() {
        let t = Throttle {
            max: 3,
            window: Duration::from_secs(60),
            seen: Mutex::new(HashMap::new()),
        };
        let a = Some("10.0.0.1");
        for _ in 0..3 {
            assert!(t.allowed(a));
            t.failed(a);
        }
        assert!(!t.allowed(a));
        assert!(t.allowed(Some("10.0.0.2")));
        t.succeeded(a);
        assert!(t.allowed(a));
        assert!(t.allowed(None));
    }
}
