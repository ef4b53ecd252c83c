//! The breach catalogue: all breaches, one breach, the latest, the data classes (no key needed,
//! as in HIBP).

use crate::app::{call, json_response, not_found, St};
use crate::query::Params;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use leakscope_corpus::Breach;
use std::collections::BTreeSet;

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

/// `GET /api/v3/breaches[?Domain=…][&IsSpamList=…]`.
pub(crate) async fn breaches(State(st): St, query: Params) -> Response {
    let domain = query.get("Domain").map(str::to_ascii_lowercase);
    let spam = match query.get("IsSpamList") {
        None => None,
        Some(_) => match query.flag("IsSpamList", false) {
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

/// `GET /api/v3/breach/{name}`.
pub(crate) async fn breach(State(st): St, Path(name): Path<String>) -> Response {
    match call(&st, move |s| s.breach(&name)).await {
        Ok(Some(b)) => json_response(StatusCode::OK, &b),
        Ok(None) => not_found(),
        Err(r) => r,
    }
}

/// `GET /api/v3/latestbreach`.
pub(crate) async fn latest_breach(State(st): St) -> Response {
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

/// `GET /api/v3/dataclasses`.
pub(crate) async fn data_classes(State(st): St) -> Response {
    match call(&st, |s| s.breaches()).await {
        Ok(list) => {
            let mut set: BTreeSet<String> = DATA_CLASSES.iter().map(|s| s.to_string()).collect();
            set.extend(list.into_iter().flat_map(|b| b.data_classes));
            json_response(StatusCode::OK, &set)
        }
        Err(r) => r,
    }
}
