//! Breach-notification obligations: who must be told, by when, under which article.
//!
//! The legal rules are data (`rules/obligations.toml`, embedded; `--rules FILE` replaces it),
//! evaluated against a scan profile ([`leakscope_profile::ScanProfile`]) and the organisation's
//! facts ([`Facts`]). The result is an [`ObligationsReport`] (`leakscope.obligations/1`) with
//! obligations ordered by due time, the rules that do not apply and why, caveats for unverified
//! rules, and draft notifications. See `docs/obligations.md`.

pub mod condition;
pub mod deadline;
pub mod drafts;
pub mod engine;
pub mod examples;
pub mod extras;
pub mod facts;
pub mod html;
pub mod render;
pub mod report;
pub mod rules;
pub mod validate;

pub use engine::evaluate;
pub use extras::{nearest_deadline, report_extras};
pub use facts::Facts;
pub use html::html_section;
pub use render::{human_table, human_table_width};
pub use report::*;
pub use rules::{builtin, load, RuleSet, BUILTIN_RULES};
