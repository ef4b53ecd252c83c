//! Errors of the web app and the page that shows them. Messages hold no raw leaked value (the
//! libraries' errors never do; paths are shown through `leakscope_text::display_message`), and
//! what reaches the server log is the kind and the message, never a request's path or query.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use leakscope_cases::CaseError;
use leakscope_db::DbError;
use maud::html;
use std::fmt;

/// What went wrong while answering a request.
#[derive(Debug)]
pub enum WebError {
    /// Bad input (400).
    BadRequest(String),
    /// Not signed in (redirect to the sign-in page for pages; 401 otherwise).
    SignIn {
        /// Where to return after signing in (a local path).
        next: String,
    },
    /// Signed in but not allowed (403).
    Forbidden(String),
    /// No such thing (404).
    NotFound(String),
    /// Too large (413).
    TooLarge(String),
    /// The database or a store is unavailable (503).
    Unavailable(String),
    /// A bug or an unexpected failure (500).
    Internal(String),
}

impl fmt::Display for WebError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebError::BadRequest(m)
            | WebError::Forbidden(m)
            | WebError::NotFound(m)
            | WebError::TooLarge(m)
            | WebError::Unavailable(m)
            | WebError::Internal(m) => f.write_str(m),
            WebError::SignIn { .. } => f.write_str("sign in first"),
        }
    }
}

impl std::error::Error for WebError {}

impl From<DbError> for WebError {
    fn from(e: DbError) -> WebError {
        WebError::Unavailable(format!("database: {e}"))
    }
}

impl From<CaseError> for WebError {
    fn from(e: CaseError) -> WebError {
        match e {
            CaseError::Db(d) => WebError::from(d),
            CaseError::NotFound(m) => WebError::NotFound(format!("no case {m}")),
            CaseError::Usage(m) => WebError::BadRequest(m),
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl WebError {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::BadRequest(_) => StatusCode::BAD_REQUEST,
            WebError::SignIn { .. } => StatusCode::UNAUTHORIZED,
            WebError::Forbidden(_) => StatusCode::FORBIDDEN,
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// Percent-encodes a local path for a `next=` parameter.
pub fn encode_next(path: &str) -> String {
    let mut o = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            o.push(b as char);
        } else {
            o.push_str(&format!("%{b:02X}"));
        }
    }
    o
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        if let WebError::SignIn { next } = &self {
            let to = format!("/login?next={}", encode_next(next));
            let mut r = StatusCode::SEE_OTHER.into_response();
            if let Ok(v) = HeaderValue::from_str(&to) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            return r;
        }
        let status = self.status();
        if status.is_server_error() {
            eprintln!(
                "leakscope serve: web: {} {}",
                status.as_u16(),
                leakscope_text::display_message(&self.to_string())
            );
        }
        let title = match status {
            StatusCode::FORBIDDEN => "Not allowed",
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::BAD_REQUEST => "Bad request",
            StatusCode::PAYLOAD_TOO_LARGE => "Too large",
            StatusCode::SERVICE_UNAVAILABLE => "Temporarily unavailable",
            _ => "Something went wrong",
        };
        let message = leakscope_text::display_message(&self.to_string());
        let body = html! {
            (maud::DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) " · leakscope" }
                    link rel="stylesheet" href=(crate::assets::url("app.css"));
                }
                body.error-page {
                    main.narrow {
                        h1 { (title) }
                        p #error-message { (message) }
                        p { a href="/" { "Back to leakscope" } }
                    }
                }
            }
        };
        let mut r = (status, axum::response::Html(body.into_string())).into_response();
        r.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        r
    }
}
