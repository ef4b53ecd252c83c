//! The leak profile: what `leakscope scan` found, as one serialisable document
//! (`"schema": "leakscope.scan/1"`, documented in `docs/schema-scan.md`), and its renderers:
//! a terminal summary ([`render::human`]), Markdown for tickets ([`render::markdown`]), a
//! self-contained HTML report with inline SVG charts ([`render::html()`]) and JSON ([`json()`]).

#![warn(missing_docs)]

pub mod io;
pub mod model;
pub mod names;
pub mod render;
pub mod sample;
pub mod text;

pub use io::{from_json, json, write_json, ProfileError};
pub use model::*;
