//! The leak profile: what `leakscope scan` found, as one serialisable document
//! (`"schema": "leakscope.scan/1"`, documented in `docs/schema-scan.md`), and its renderers.

pub mod model;

pub use model::*;
