//! The private breach corpus: every leak leakscope is given can be remembered as keyed hashes of
//! its identifiers (never the identifiers), with HIBP-v3 Breach metadata, Pwned-Passwords-style
//! password hash counts, and re-post detection against everything seen before.
//!
//! Storage is behind [`Store`]: [`EmbeddedStore`] (sorted immutable segments + an atomically
//! replaced manifest; the default) or [`PgStore`] (PostgreSQL, for teams).

pub mod embedded;
pub mod extract;
pub mod ingest;
pub mod model;
pub mod normalize;
pub mod overlap;
pub mod passwords;
pub mod pg;
pub mod read;
pub mod records;
pub mod segment;
pub mod store;

pub use embedded::EmbeddedStore;
pub use ingest::{Ingest, IngestOptions, Item, Prepared};
pub use model::{Breach, BreachMeta};
pub use overlap::{overlap_report, OverlapReport, Verdict};
pub use passwords::PwMode;
pub use pg::PgStore;
pub use records::Records;
pub use store::{Added, CorpusError, Marks, RangeHit, Store};

use std::path::{Path, PathBuf};

/// The embedded corpus directory inside a data directory.
pub fn corpus_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("corpus")
}

/// Normalises an identifier typed by a user or an API client (`kind:VALUE` accepted for
/// national IDs), the same way `corpus add` normalised the leak.
pub fn normalize_query(kind: leakscope_keys::IdKind, value: &str) -> Option<String> {
    if kind == leakscope_keys::IdKind::NationalId {
        if let Some((k, v)) = value.split_once(':') {
            return read::normalize_cell(kind, Some(k.trim()), v);
        }
    }
    read::normalize_cell(kind, None, value)
}

/// Opens the store named by `database` (`postgres://…` or `postgresql://…`), else the embedded
/// corpus in `data_dir`.
pub fn open_store(
    database: Option<&str>,
    data_dir: &Path,
    fingerprint: &str,
) -> store::Result<Box<dyn Store>> {
    match database {
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Ok(Box::new(PgStore::connect(url, fingerprint)?))
        }
        Some(other) => Err(CorpusError::Invalid(format!(
            "--database must be a postgres:// URL (got a value of {} characters)",
            other.len()
        ))),
        None => Ok(Box::new(EmbeddedStore::open(
            &corpus_dir(data_dir),
            fingerprint,
        )?)),
    }
}
