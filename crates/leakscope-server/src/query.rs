//! Query strings, read leniently: names are case-insensitive (HIBP documents `truncateResponse`,
//! clients send `IncludeUnverified`), and a `?` inside the query separates parameters like `&`
//! (the `hibpwned` client appends every parameter with `?`).

// Handlers return early with ready-made responses; boxing them would only add allocations.
#![allow(clippy::result_large_err)]

use crate::app::error;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::response::Response;

/// The parameters of a request's query string.
#[derive(Debug, Default)]
pub(crate) struct Params(Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Params, Response> {
        let raw = parts.uri.query().unwrap_or("").replace('?', "&");
        serde_urlencoded::from_str(&raw)
            .map(Params)
            .map_err(|_| error(StatusCode::BAD_REQUEST, "The query string is malformed."))
    }
}

impl Params {
    /// The value of `name` (case-insensitive), if given.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// A `true`/`false` parameter (case-insensitive), `default` when absent.
    pub(crate) fn flag(&self, name: &str, default: bool) -> Result<bool, Response> {
        match self.get(name).map(str::to_ascii_lowercase).as_deref() {
            None => Ok(default),
            Some("true") => Ok(true),
            Some("false") => Ok(false),
            Some(_) => Err(error(
                StatusCode::BAD_REQUEST,
                &format!("{name} must be true or false."),
            )),
        }
    }
}
