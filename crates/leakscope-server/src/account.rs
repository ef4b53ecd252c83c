//! Account endpoints: breaches of an account, the padded k-anonymity e-mail range, breached
//! domains, and the key's subscription (HIBP `/subscription/status`, `/subscribeddomains`).

#![allow(clippy::result_large_err)]

use crate::app::{authorize, call, error, json_response, not_found, St};
use crate::keys::Scope;
use crate::query::Params;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use leakscope_corpus::Breach;
use leakscope_keys::{IdKind, Secret};
use std::collections::BTreeSet;

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

/// `GET /api/v3/breachedaccount/{account}`.
pub(crate) async fn breached_account(
    State(st): St,
    Path(account): Path<String>,
    query: Params,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = authorize(&st, &headers, Scope::Read) {
        return r;
    }
    let (truncate, unverified) = match (
        query.flag("truncateResponse", true),
        query.flag("IncludeUnverified", true),
    ) {
        (Ok(t), Ok(u)) => (t, u),
        (Err(r), _) | (_, Err(r)) => return r,
    };
    let domain = query.get("domain").map(str::to_ascii_lowercase);
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

/// Entries of a padded e-mail range response: at least this many...
const RANGE_PAD_MIN: usize = 100;
/// ...plus a random number up to this many.
const RANGE_PAD_SPREAD: u16 = 51;

/// `GET /api/v3/breachedaccount/range/{6 hex}`: always 200, always padded with random
/// suffixes that name no breach (`"websites": []`), so neither the status nor the size says
/// whether an account with that prefix is in the corpus.
pub(crate) async fn account_range(
    State(st): St,
    Path(prefix): Path<String>,
    headers: HeaderMap,
) -> Response {
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
    let mut rows: Vec<(String, Vec<String>)> = hits
        .into_iter()
        .map(|h| (hex::encode_upper(h.sha1)[6..].to_string(), h.breaches))
        .collect();
    let real: BTreeSet<String> = rows.iter().map(|(s, _)| s.clone()).collect();
    let r = crate::passwords::random_bytes(2);
    let target = RANGE_PAD_MIN + usize::from(u16::from_le_bytes([r[0], r[1]]) % RANGE_PAD_SPREAD);
    while rows.len() < target.max(real.len()) {
        let suffix = hex::encode_upper(crate::passwords::random_bytes(17));
        if !real.contains(&suffix) {
            rows.push((suffix, Vec::new()));
        }
    }
    rows.sort();
    let body: Vec<serde_json::Value> = rows
        .into_iter()
        .map(|(s, w)| serde_json::json!({"hashSuffix": s, "websites": w}))
        .collect();
    json_response(StatusCode::OK, &body)
}

/// A domain as given in a path: lower case, letters/digits/dots/hyphens, at least one dot.
fn valid_domain(domain: &str) -> Option<String> {
    let d = domain.trim().to_ascii_lowercase();
    let ok = !d.is_empty()
        && d.contains('.')
        && d.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    ok.then_some(d)
}

/// `GET /api/v3/breacheddomain/{domain}`: admin keys any domain, other keys their own domains.
pub(crate) async fn breached_domain(
    State(st): St,
    Path(domain): Path<String>,
    headers: HeaderMap,
) -> Response {
    let rec = match authorize(&st, &headers, Scope::Read) {
        Ok(r) => r,
        Err(r) => return r,
    };
    let Some(d) = valid_domain(&domain) else {
        return error(StatusCode::BAD_REQUEST, "The domain is not valid.");
    };
    if !rec.may_search(&d) {
        return error(
            StatusCode::FORBIDDEN,
            "This API key may not search this domain (add it with `serve keys add --domain`, or use an admin key).",
        );
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

/// `GET /api/v3/subscription/status`: what the presented key allows, in HIBP's shape. Keys do
/// not expire and domain searches have no size cap, so `SubscribedUntil` and
/// `DomainSearchMaxBreachedAccounts` are `null`.
pub(crate) async fn subscription_status(State(st): St, headers: HeaderMap) -> Response {
    let rec = match authorize(&st, &headers, Scope::Read) {
        Ok(r) => r,
        Err(r) => return r,
    };
    let (name, searches) = match rec.scope {
        Scope::Admin => ("leakscope admin key", "any domain".to_string()),
        Scope::Read if rec.domains.is_empty() => ("leakscope read key", "no domains".to_string()),
        Scope::Read => ("leakscope read key", rec.domains.join(", ")),
    };
    json_response(
        StatusCode::OK,
        &serde_json::json!({
            "SubscriptionName": name,
            "Description": format!("Self-hosted leakscope corpus: {} requests per minute; breached-domain searches: {searches}.", rec.rpm),
            "SubscribedUntil": null,
            "Rpm": rec.rpm,
            "DomainSearchMaxBreachedAccounts": null,
            "IncludesStealerLogs": false,
        }),
    )
}

/// `GET /api/v3/subscribeddomains`: the domains the key was given, with how many accounts of
/// each the corpus holds (all breaches, and excluding spam lists).
pub(crate) async fn subscribed_domains(State(st): St, headers: HeaderMap) -> Response {
    let rec = match authorize(&st, &headers, Scope::Read) {
        Ok(r) => r,
        Err(r) => return r,
    };
    let keys: Vec<(String, [u8; 8])> = rec
        .domains
        .iter()
        .map(|d| {
            (
                d.clone(),
                leakscope_corpus::ingest::domain_key(&st.secret, d),
            )
        })
        .collect();
    let counted = call(&st, move |s| {
        let spam: BTreeSet<String> = s
            .breaches()?
            .into_iter()
            .filter(|b| b.is_spam_list)
            .map(|b| b.name)
            .collect();
        let mut out = Vec::new();
        for (d, k) in keys {
            let rows = s.domain_accounts(k)?;
            let not_spam = rows
                .iter()
                .filter(|(_, names)| names.iter().any(|n| !spam.contains(n)))
                .count();
            out.push(serde_json::json!({
                "DomainName": d,
                "PwnCount": rows.len(),
                "PwnCountExcludingSpamLists": not_spam,
                "PwnCountExcludingSpamListsAtLastSubscriptionRenewal": null,
                "NextSubscriptionRenewal": null,
            }));
        }
        Ok(out)
    })
    .await;
    match counted {
        Ok(list) => json_response(StatusCode::OK, &list),
        Err(r) => r,
    }
}
