//! Leak claims from posts: what a forum post, a Telegram message, a news item or a leak-site
//! listing claims about a leak, as a structured document (`leakscope.claim/1`, see
//! `docs/claims.md`) where every filled field carries the spans of the text it came from.
//!
//! - [`read`]: inputs (text, Markdown, HTML, e-mail, Telegram export, RSS/Atom/JSON Feed,
//!   leak-site JSON) → documents with the text as read;
//! - [`extract()`]: document → claim, driven by the rule files (`rules/*.toml`, [`rules`]);
//! - [`accuracy`]: field-level precision / recall against expected claims.

pub mod accuracy;
pub mod extract;
pub mod lexicon;
pub mod mask;
pub mod model;
pub mod read;
pub mod rules;
pub mod text;

pub use extract::{extract, Options};
pub use model::{Claim, SCHEMA};
pub use rules::Rules;
