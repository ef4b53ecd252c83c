//! Signing in and out. The sign-in form carries its own CSRF token (a short-lived HttpOnly
//! cookie echoed in a hidden field), failures say nothing about which part was wrong, an unknown
//! name costs as much time as a wrong password, repeated failures lock the account
//! ([`crate::users::authenticate`]) and throttle the client address, and every attempt is
//! audited (an unknown name is not recorded: it may be a password typed in the wrong field).

use super::{page, redirect, respond, CsrfForm, Extra, Nav};
use crate::auth::{cookie_name, login_cookie_name, Auth, ClientAddr};
use crate::error::WebError;
use crate::sessions;
use crate::users::{self, SignIn};
use crate::WebState;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Form;
use chrono::Utc;
use maud::html;
use serde::Deserialize;
use std::sync::Arc;

/// `?next=` of the sign-in page.
#[derive(Debug, Deserialize)]
pub struct NextQuery {
    /// Where to go after signing in.
    #[serde(default)]
    pub next: Option<String>,
}

/// The sign-in form as posted.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    /// User name.
    #[serde(default)]
    pub name: String,
    /// Password.
    #[serde(default)]
    pub password: String,
    /// The form's token (also in the sign-in cookie).
    #[serde(default)]
    pub csrf: String,
    /// Where to go after signing in.
    #[serde(default)]
    pub next: String,
}

/// A local path to return to: starts with one `/`, no scheme, no backslash; else `/`.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.contains("://")
                && !n.starts_with("/login")
                && n.len() < 512 =>
        {
            n.to_string()
        }
        _ => "/".into(),
    }
}

const FAILED: &str = "Sign-in failed: the name or the password is wrong, or the account is locked after repeated failures (it unlocks after 15 minutes, or an admin unlocks it).";

fn form_page(
    st: &WebState,
    next: &str,
    error: Option<&str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let token = sessions::random_token(24)?;
    let body = html! {
        section.login-card {
            h1 { "Sign in" }
            p.muted { "leakscope: claims, cases, deadlines and the breach corpus of your team." }
            @if let Some(e) = error {
                div.notice.error #login-error role="alert" { (e) }
            }
            form method="post" action="/login" #login-form {
                input type="hidden" name="csrf" value=(token);
                input type="hidden" name="next" value=(next);
                label for="name" { "User name" }
                input #name type="text" name="name" autocomplete="username" required autofocus maxlength="64";
                label for="password" { "Password" }
                input #password type="password" name="password" autocomplete="current-password" required maxlength="1024";
                button.primary #sign-in type="submit" { "Sign in" }
            }
            p.note { "Accounts are created by an administrator with " code { "leakscope user add" } "." }
        }
    };
    let mut r = (
        status,
        respond(page("Sign in", None, Nav::None, Extra::default(), body)),
    )
        .into_response();
    let cookie = sessions::cookie(
        login_cookie_name(st.opts.secure_cookies),
        &token,
        st.opts.secure_cookies,
        Some(3600),
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(r)
}

/// `GET /login`.
pub async fn form(
    State(st): State<Arc<WebState>>,
    Query(q): Query<NextQuery>,
) -> Result<Response, WebError> {
    form_page(&st, &safe_next(q.next.as_deref()), None, StatusCode::OK)
}

/// `POST /login`.
pub async fn submit(
    State(st): State<Arc<WebState>>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Result<Response, WebError> {
    let headers: &HeaderMap = &headers;
    let next = safe_next(Some(&f.next));
    let expected = sessions::read_cookie(headers, login_cookie_name(st.opts.secure_cookies));
    if !expected.is_some_and(|e| sessions::same_token(e, &f.csrf)) {
        return Err(WebError::Forbidden(
            "the sign-in form expired or was not sent by this site; reload it and try again".into(),
        ));
    }
    if !st.throttle.allowed(client.as_deref()) {
        st.record(
            crate::audit::New::ok(
                None,
                "sign_in",
                None,
                "too many failures from this address".into(),
            )
            .outcome("refused")
            .from_client(client.clone()),
        )
        .await?;
        return form_page(&st, &next, Some(FAILED), StatusCode::TOO_MANY_REQUESTS);
    }
    let name = f.name.trim().to_string();
    let password = f.password;
    let policy = st.opts.lockout;
    let max = st.opts.session_max;
    let who = client.clone();
    let outcome = st
        .pool
        .run(move |db| {
            if users::check_name(&name).is_err() {
                return Ok((
                    SignIn::Failed {
                        user: None,
                        locked_now: false,
                    },
                    None,
                ));
            }
            let r = users::authenticate(db, &name, &password, Utc::now(), &policy)
                .map_err(|e| WebError::Unavailable(e.to_string()))?;
            let (entry, token) = match &r {
                SignIn::Ok(u) => {
                    let (token, _) = sessions::create(db, u, who.as_deref(), Utc::now(), max)?;
                    (
                        crate::audit::New::ok(
                            Some(&u.name),
                            "sign_in",
                            None,
                            format!("role {}", u.role),
                        ),
                        Some(token),
                    )
                }
                SignIn::Failed { user, locked_now } => (
                    crate::audit::New::ok(
                        user.as_deref(),
                        "sign_in",
                        None,
                        match (user, locked_now) {
                            (None, _) => "unknown user name".into(),
                            (Some(_), true) => "wrong password; the account is now locked".into(),
                            (Some(_), false) => "wrong password".into(),
                        },
                    )
                    .outcome("failed"),
                    None,
                ),
                SignIn::Locked { until } => (
                    crate::audit::New::ok(
                        Some(&name),
                        "sign_in",
                        None,
                        format!("account locked until {until}"),
                    )
                    .outcome("refused"),
                    None,
                ),
            };
            crate::audit::record(db, &entry.from_client(who.clone()))?;
            Ok((r, token))
        })
        .await?;
    match outcome {
        (SignIn::Ok(_), Some(token)) => {
            st.throttle.succeeded(client.as_deref());
            let mut r = redirect(&next);
            let secure = st.opts.secure_cookies;
            for c in [
                sessions::cookie(cookie_name(secure), &token, secure, None),
                sessions::clear_cookie(login_cookie_name(secure), secure),
            ] {
                if let Ok(v) = HeaderValue::from_str(&c) {
                    r.headers_mut().append(header::SET_COOKIE, v);
                }
            }
            Ok(r)
        }
        _ => {
            st.throttle.failed(client.as_deref());
            form_page(&st, &next, Some(FAILED), StatusCode::UNAUTHORIZED)
        }
    }
}

/// `POST /logout`: ends the session (the cookie stops working everywhere at once).
pub async fn logout(
    State(st): State<Arc<WebState>>,
    auth: Auth,
    Form(f): Form<CsrfForm>,
) -> Result<Response, WebError> {
    auth.check_csrf(&f.csrf)?;
    let id = auth.session.id;
    let entry = auth.audit("sign_out", None, String::new());
    st.pool
        .run(move |db| {
            sessions::delete(db, id)?;
            Ok(crate::audit::record(db, &entry)?)
        })
        .await?;
    let mut r = redirect("/login");
    let secure = st.opts.secure_cookies;
    if let Ok(v) = HeaderValue::from_str(&sessions::clear_cookie(cookie_name(secure), secure)) {
        r.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(safe_next(Some("/cases/3")), "/cases/3");
        assert_eq!(safe_next(Some("/claims?hits=1")), "/claims?hits=1");
        assert_eq!(safe_next(Some("//evil.example/x")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("/login")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
