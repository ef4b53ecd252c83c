//! Leak claims from posts: what a forum post, a Telegram message, a news item or a leak-site
//! listing claims about a leak, as a structured document (`leakscope.claim/1`, see
//! `docs/claims.md`) where every filled field carries the spans of the text it came from.
//!
//! - [`read`]: inputs (text, Markdown, HTML, e-mail, Telegram export, RSS/Atom/JSON Feed,
//!   leak-site JSON) → documents with the text as read;
//! - [`extract()`]: document → claim, driven by the rule files (`rules/*.toml`, [`rules`]);
//! - [`accuracy`]: field-level precision / recall against expected claims;
//! - [`watch`]: watchlists and matching; [`store`]: claims in the database (de-duplicated, with
//!   sources); [`feeds`]: configured feeds and the poll; [`alerts`]: webhooks and deliveries;
//!   [`http`]: the client (timeouts, conditional requests, proxy).

pub mod accuracy;
pub mod alerts;
pub mod extract;
pub mod feeds;
pub mod http;
pub mod lexicon;
pub mod mask;
pub mod model;
pub mod read;
pub mod rules;
pub mod store;
pub mod text;
pub mod watch;

pub use extract::{extract, extract_all, Options};
pub use model::{Claim, SCHEMA};
pub use rules::Rules;
