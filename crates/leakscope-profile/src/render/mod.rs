//! Renderers of a [`ScanProfile`](crate::model::ScanProfile): terminal, Markdown, HTML, JSON.
//!
//! Every string in a profile may come from stolen data (headers, file names, tenant names,
//! examples), so each renderer neutralises it for its medium: control and bidi characters are
//! replaced on the terminal, Markdown metacharacters are escaped, HTML is entity-escaped.

mod facts;
pub mod html;
mod human;
mod markdown;

pub use html::{html, HtmlSection};
pub use human::{human, HumanOptions};
pub use markdown::markdown;

/// The profile as pretty-printed JSON, with identifiers in names masked unless it was made with
/// `--reveal` ([`crate::names::for_output`]; [`crate::json`] writes the document as it is).
pub fn json(profile: &crate::model::ScanProfile) -> String {
    leakscope_text::json_safe(crate::io::json(&crate::names::for_output(profile)))
}
