//! Corpus search: an analyst checks an e-mail address, a phone number, a national ID, a user name
//! or an e-mail domain against the private breach corpus. The value is normalised as the corpus
//! normalises it and only its keyed hash (`leakscope-keys`) is looked up; the value is neither
//! stored nor logged (the audit entry records the kind of identifier and how many breaches were
//! found), and it is sent in a POST body, never in a URL.

use super::{csrf_field, page, respond, Extra, Nav};
use crate::auth::Auth;
use crate::error::WebError;
use crate::fmt;
use crate::WebState;
use axum::extract::State;
use axum::response::Response;
use axum::Form;
use leakscope_corpus::Breach;
use leakscope_detect::DataClass;
use leakscope_keys::IdKind;
use maud::{html, Markup};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// What a search may look for.
pub const KINDS: [(&str, &str); 6] = [
    ("auto", "Guess from the value"),
    ("email", "E-mail address"),
    ("phone", "Phone number"),
    ("domain", "E-mail domain"),
    ("national_id", "National ID"),
    ("username", "User name"),
];

/// The search form as posted.
#[derive(Debug, Deserialize)]
pub struct SearchForm {
    /// CSRF token.
    #[serde(default)]
    pub csrf: String,
    /// The value.
    #[serde(default)]
    pub q: String,
    /// `auto`, `email`, `phone`, `domain`, `national_id`, `username`.
    #[serde(default)]
    pub kind: String,
}

/// One search's result.
#[derive(Debug, Clone)]
pub struct Found {
    /// The kind searched.
    pub kind: &'static str,
    /// The value as it may be shown (masked as the CLI masks it).
    pub shown: String,
    /// Breaches and, for a domain, how many of its accounts each holds.
    pub breaches: Vec<(Breach, Option<u64>)>,
    /// The value did not normalise to any identifier of the kind.
    pub invalid: bool,
}

fn guess(q: &str) -> &'static str {
    let t = q.trim();
    if t.contains('@') {
        "email"
    } else if t.contains('.')
        && !t.chars().any(|c| c.is_whitespace())
        && t.chars().any(|c| c.is_ascii_alphabetic())
    {
        "domain"
    } else if t.chars().filter(|c| c.is_ascii_digit()).count() >= 7
        && t.chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
    {
        "phone"
    } else if t.chars().any(|c| c.is_ascii_digit()) {
        "national_id"
    } else {
        "username"
    }
}

fn id_kind(kind: &str) -> Option<IdKind> {
    match kind {
        "email" => Some(IdKind::Email),
        "phone" => Some(IdKind::Phone),
        "national_id" => Some(IdKind::NationalId),
        "username" => Some(IdKind::Username),
        _ => None,
    }
}

fn masked(kind: &str, q: &str) -> String {
    let class = match kind {
        "email" => DataClass::Email,
        "phone" => DataClass::Phone,
        "national_id" => DataClass::NationalId,
        "username" => DataClass::Username,
        _ => return leakscope_text::clean(q.trim()),
    };
    leakscope_detect::mask(class, q)
}

fn search_form(auth: &Auth, kind: &str) -> Markup {
    html! {
        form.search method="post" action="/corpus" #corpus-form autocomplete="off" {
            (csrf_field(auth))
            label for="corpus-q" { "E-mail, phone, national ID, user name or e-mail domain" }
            div.row {
                input #corpus-q name="q" type="search" required maxlength="320" autocomplete="off" spellcheck="false" placeholder="an@example.vn";
                select name="kind" #corpus-kind {
                    @for (id, label) in KINDS { option value=(id) selected[id == kind] { (label) } }
                }
                button.primary #corpus-search type="submit" { "Search" }
            }
            p.small.muted { "Only a keyed hash of the value is looked up; the value is not stored or logged." }
        }
    }
}

fn results(f: &Found) -> Markup {
    html! {
        section.card #corpus-results {
            h2 { "Results for " code #corpus-shown { (f.shown) } span.muted.small { " (" (f.kind.replace('_', " ")) ")" } }
            @if f.invalid {
                p.notice.error { "That is not a valid " (f.kind.replace('_', " ")) " (it does not normalise to an identifier the corpus holds)." }
            } @else if f.breaches.is_empty() {
                p #corpus-none { "Not found in any breach of the corpus." }
            } @else {
                p #corpus-count { "Found in " strong { (f.breaches.len()) } " breach(es)." }
                div.scroll {
                    table.stack #corpus-table {
                        thead { tr { th { "Breach" } th { "Date" } th { "Data classes" } th.n { "Accounts" } th { "Flags" } } }
                        tbody {
                            @for (b, n) in &f.breaches {
                                tr {
                                    td.name { strong { (leakscope_text::clean(&b.title)) } div.muted.small { (b.name) @if !b.domain.is_empty() { " · " (b.domain) } } }
                                    td data-label="Date" { (b.breach_date) }
                                    td data-label="Data classes" { @for c in &b.data_classes { span.chip { (c) } } }
                                    td.n data-label="Accounts" { @match n { Some(n) => { (fmt::num(*n)) " of this domain" } None => { (fmt::num(b.pwn_count)) } } }
                                    td data-label="Flags" {
                                        @if b.is_verified { span.badge.bad { "verified" } }
                                        @if b.is_fabricated { span.badge.good { "fabricated" } }
                                        @if b.is_sensitive { span.badge.warn { "sensitive" } }
                                        @if b.is_retired { span.badge.muted { "retired" } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn no_corpus(auth: &Auth) -> Response {
    let body = html! {
        h1 { "Corpus search" }
        p.notice.error { "This server has no breach corpus (leakscope corpus add …, then restart serve)." }
    };
    respond(page(
        "Corpus",
        Some(auth),
        Nav::Corpus,
        Extra::default(),
        body,
    ))
}

/// `GET /corpus`.
pub async fn form(State(st): State<Arc<WebState>>, auth: Auth) -> Result<Response, WebError> {
    auth.require_work()?;
    if st.corpus.is_none() {
        return Ok(no_corpus(&auth));
    }
    let body = html! {
        h1 { "Corpus search" }
        (search_form(&auth, "auto"))
    };
    Ok(respond(page(
        "Corpus",
        Some(&auth),
        Nav::Corpus,
        Extra::default(),
        body,
    )))
}

/// `POST /corpus`.
pub async fn search(
    State(st): State<Arc<WebState>>,
    auth: Auth,
    Form(f): Form<SearchForm>,
) -> Result<Response, WebError> {
    auth.check_csrf(&f.csrf)?;
    auth.require_work()?;
    let Some((store, secret)) = st.corpus.clone() else {
        return Ok(no_corpus(&auth));
    };
    let q = f.q.trim().to_string();
    if q.is_empty() || q.chars().count() > 320 {
        return Err(WebError::BadRequest(
            "type a value of 1-320 characters".into(),
        ));
    }
    let kind: &'static str = match KINDS.iter().find(|(id, _)| *id == f.kind) {
        Some(("auto", _)) | None => guess(&q),
        Some((id, _)) => id,
    };
    let shown = masked(kind, &q);
    let found = tokio::task::spawn_blocking(move || -> Result<Found, WebError> {
        let fail = |e: leakscope_corpus::CorpusError| WebError::Unavailable(format!("corpus: {e}"));
        let all = store.breaches().map_err(fail)?;
        if kind == "domain" {
            let d = q.trim().trim_start_matches('@').to_ascii_lowercase();
            let valid = d.contains('.')
                && d.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
            if !valid {
                return Ok(Found {
                    kind,
                    shown,
                    breaches: vec![],
                    invalid: true,
                });
            }
            let dk = leakscope_corpus::ingest::domain_key(&secret, &d);
            let mut per: BTreeMap<String, u64> = BTreeMap::new();
            for (_, names) in store.domain_accounts(dk).map_err(fail)? {
                for n in names {
                    *per.entry(n).or_default() += 1;
                }
            }
            let breaches = all
                .into_iter()
                .filter_map(|b| per.get(&b.name).map(|n| (n, b)))
                .map(|(n, b)| (b, Some(*n)))
                .collect();
            return Ok(Found {
                kind,
                shown,
                breaches,
                invalid: false,
            });
        }
        let Some(k) = id_kind(kind) else {
            return Ok(Found {
                kind,
                shown,
                breaches: vec![],
                invalid: true,
            });
        };
        let Some(norm) = leakscope_corpus::normalize_query(k, &q) else {
            return Ok(Found {
                kind,
                shown,
                breaches: vec![],
                invalid: true,
            });
        };
        let names: BTreeSet<String> = store
            .lookup(&secret.hash16(k, &norm))
            .map_err(fail)?
            .into_iter()
            .collect();
        let breaches = all
            .into_iter()
            .filter(|b| names.contains(&b.name))
            .map(|b| (b, None))
            .collect();
        Ok(Found {
            kind,
            shown,
            breaches,
            invalid: false,
        })
    })
    .await
    .map_err(|_| WebError::Internal("the corpus search failed".into()))??;
    st.record(auth.audit(
        "corpus_search",
        None,
        format!(
            "{}: {}",
            found.kind,
            if found.invalid {
                "not a valid identifier".to_string()
            } else {
                format!("{} breach(es)", found.breaches.len())
            }
        ),
    ))
    .await?;
    let body = html! {
        h1 { "Corpus search" }
        (search_form(&auth, "auto"))
        (results(&found))
    };
    Ok(respond(page(
        "Corpus",
        Some(&auth),
        Nav::Corpus,
        Extra::default(),
        body,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_guessed_and_values_masked() {
        assert_eq!(guess("an@example.vn"), "email");
        assert_eq!(guess("example.vn"), "domain");
        assert_eq!(guess("+84 901 234 567"), "phone");
        assert_eq!(guess("S1234567D"), "national_id");
        assert_eq!(guess("saigon_dump"), "username");
        assert!(!masked("email", "an.nguyen@example.vn").contains("an.nguyen"));
        assert!(!masked("phone", "+84901234567").contains("901234567"));
    }
}
