//! The scan engine of leakscope: turns the reading layer's stream of tables into a
//! [`ScanProfile`] — column classes, people (deduplicated across tables by the strongest
//! identifier), countries, record dates, tenants, passwords and sensitivity.
//!
//! [`scan_paths`] reads and scans paths; [`Scanner`] is the lower-level [`leakscope_formats::Sink`]
//! that can be fed batches directly.
//!
//! Memory is bounded: per table at most [`ScanOptions::sample_rows`] rows (and
//! [`ScanOptions::sample_bytes`]) are buffered for the column decision; afterwards batches flow
//! through a bounded channel (two per worker) to the workers; people are kept as keyed 64-bit
//! hashes up to [`ScanOptions::exact_individuals_limit`] (about 10 bytes each), then counted by a
//! HyperLogLog sketch; per-column distinct counts are HyperLogLog sketches (4 KiB when dense).

pub mod assemble;
pub mod classes;
pub mod countries;
pub mod dates;
pub mod empty;
pub mod hll;
pub mod keyset;
pub mod memo;
pub mod oracle;
pub mod partial;
pub mod plan;
pub mod scanner;
pub mod sensitivity;
pub mod tenants;
pub mod worker;

use std::path::PathBuf;
use std::sync::Arc;

pub use leakscope_profile::ScanProfile;
pub use oracle::Classifier;
pub use scanner::Scanner;

use leakscope_formats::{read_paths, ReadOptions, ReadSummary};

/// Called on the reading thread after every batch and at source boundaries.
pub type ProgressFn = Arc<dyn Fn(&ScanProgress) + Send + Sync>;

/// Progress of a running scan.
#[derive(Debug, Clone, Default)]
pub struct ScanProgress {
    /// Rows received so far.
    pub rows: u64,
    /// Bytes of cell text received so far (decompressed, without delimiters).
    pub text_bytes: u64,
    /// Stored bytes of the sources finished so far.
    pub source_bytes_done: u64,
    /// Sources begun.
    pub sources_started: u64,
    /// Display path of the source being read.
    pub current_source: String,
}

/// How to scan.
#[derive(Clone)]
pub struct ScanOptions {
    /// Rows per table buffered to decide its columns (default 10,000).
    pub sample_rows: usize,
    /// Cap on bytes of cell text buffered per table for the decision (default 64 MiB).
    pub sample_bytes: usize,
    /// Discovery date, `YYYY-MM-DD`.
    pub found_on: Option<String>,
    /// Keep raw examples instead of masked ones.
    pub reveal: bool,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// Distinct people counted exactly before switching to HyperLogLog (default 16 million).
    pub exact_individuals_limit: u64,
    /// Progress callback.
    pub progress: Option<ProgressFn>,
}

impl Default for ScanOptions {
    fn default() -> Self {
        ScanOptions {
            sample_rows: 10_000,
            sample_bytes: 64 << 20,
            found_on: None,
            reveal: false,
            threads: 0,
            exact_individuals_limit: 16_000_000,
            progress: None,
        }
    }
}

impl std::fmt::Debug for ScanOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScanOptions")
            .field("sample_rows", &self.sample_rows)
            .field("sample_bytes", &self.sample_bytes)
            .field("found_on", &self.found_on)
            .field("reveal", &self.reveal)
            .field("threads", &self.threads)
            .field("exact_individuals_limit", &self.exact_individuals_limit)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

/// Why a scan produced no usable profile.
#[derive(Debug)]
pub enum ScanError {
    /// `found_on` is not a `YYYY-MM-DD` date.
    InvalidFoundOn(String),
    /// A worker thread could not be started.
    Thread(String),
    /// Nothing could be read (no sources, or every source failed and no rows came out).
    NothingReadable {
        /// Sources seen.
        sources: u64,
        /// Sources that failed entirely.
        failed: u64,
        /// The profile anyway (diagnostics explain why).
        profile: Box<ScanProfile>,
    },
}

impl std::fmt::Display for ScanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScanError::InvalidFoundOn(s) => {
                write!(f, "--found-on must be a date YYYY-MM-DD (got {s:?})")
            }
            ScanError::Thread(e) => write!(f, "could not start a worker thread: {e}"),
            ScanError::NothingReadable { sources: 0, .. } => write!(f, "no readable input found"),
            ScanError::NothingReadable {
                sources, failed, ..
            } => {
                write!(
                    f,
                    "nothing could be read: {failed} of {sources} sources failed"
                )
            }
        }
    }
}

impl std::error::Error for ScanError {}

/// A profile with what the reader did.
#[derive(Debug)]
pub struct ScanOutcome {
    /// The profile.
    pub profile: ScanProfile,
    /// The reader's summary (sources failed decide partial results).
    pub read: ReadSummary,
}

/// Reads `paths` and scans everything in them, returning the profile and the read summary even
/// when some (or all) sources failed.
pub fn scan_paths_detailed(
    paths: &[PathBuf],
    read: &ReadOptions,
    opts: &ScanOptions,
) -> Result<ScanOutcome, ScanError> {
    let mut scanner = Scanner::new(opts.clone())?;
    let summary = read_paths(paths, read, &mut scanner);
    Ok(ScanOutcome {
        profile: scanner.finish(),
        read: summary,
    })
}

/// Reads `paths` and scans everything in them. Fails when nothing at all could be read.
pub fn scan_paths(
    paths: &[PathBuf],
    read: &ReadOptions,
    opts: &ScanOptions,
) -> Result<ScanProfile, ScanError> {
    let out = scan_paths_detailed(paths, read, opts)?;
    if nothing_readable(&out) {
        return Err(ScanError::NothingReadable {
            sources: out.read.sources,
            failed: out.read.sources_failed,
            profile: Box::new(out.profile),
        });
    }
    Ok(out.profile)
}

/// True when the outcome holds nothing usable: no input, or every input failed. (A scan that
/// read inputs without error but found no row in them — an empty file, a header-only CSV, a
/// schema-only SQL dump — is told by [`empty::nothing_read`], which says why.)
pub fn nothing_readable(out: &ScanOutcome) -> bool {
    out.read.sources == 0 || (out.read.sources_failed >= out.read.sources && out.profile.rows == 0)
}
