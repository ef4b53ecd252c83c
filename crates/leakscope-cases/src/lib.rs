//! Leak cases: a claim, its samples, verdicts, merchants, deadlines and notifications in one
//! record that accumulates over days, and what goes out of it — the advisory (Markdown, HTML,
//! JSON; texts per language as editable data) and STIX 2.1 / MISP exports for peers.
//!
//! - [`store`]: cases, events, artefacts (by content hash, never copied) and analysis documents
//!   in the data directory's database (`leakscope-db`, SQLite or PostgreSQL);
//! - [`analyse`]: open from a claim, set a reference, add a sample (scan → verify → corpus
//!   overlap → obligations, all recorded), record events (deadlines follow awareness);
//! - [`view::CaseView`]: everything known about a case; [`advisory::build`]: the advisory with
//!   evidence-derived insights and mitigations ([`evidence`] references into stored documents);
//! - [`render`]: Markdown, HTML, JSON, terminal; [`timeline`]: one time axis;
//! - [`export`]: STIX 2.1 bundle, MISP event; [`templates`]: texts and policy.
//!
//! This is the library API the CLI (`leakscope case`) and the web server share. See
//! `docs/cases.md`.

#![warn(missing_docs)]

pub mod advisory;
pub mod analyse;
pub mod claim;
pub mod error;
pub mod evidence;
pub mod export;
pub mod ids;
mod insights;
mod mitigations;
pub mod model;
mod questions;
pub mod render;
pub mod store;
pub mod templates;
pub mod time;
pub mod timeline;
pub mod view;

pub use advisory::{build as build_advisory, Advisory, ADVISORY_SCHEMA};
pub use analyse::{Env, EventInput, ReferenceInput, RunReport, SampleInput};
pub use claim::ClaimInput;
pub use error::{CaseError, Result};
pub use model::{Artefact, Case, Event, OrgFacts, Status, Tlp};
pub use store::{ListFilter, NewCase};
pub use templates::Templates;
pub use view::CaseView;
