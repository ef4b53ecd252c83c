//! `leakscope verify`: is this leak ours, is it real, and which customers and merchants are in it?
//!
//! The organisation's reference (files, PostgreSQL, SQLite) is turned into a [`index::Index`] of
//! keyed hashes (HMAC-SHA256 under the installation secret, see `leakscope-keys`) of normalised
//! identifiers plus a customer table holding only the organisation's own customer and tenant ids,
//! last-update days and short keyed hashes of name/address tokens. A sample is matched row by row
//! ([`matcher`]), counted ([`tally`]) and judged ([`report`]): `authentic`, `fabricated`,
//! `unrelated` or `inconclusive`, with evidence, currency, tenant scope and extrapolation.

pub mod dates;
pub mod error;
pub mod index;
pub mod keys;
pub mod mapping;
pub mod matcher;
pub mod normalize;
pub mod outputs;
pub mod report;
pub mod source;
pub mod stats;
pub mod tally;

pub use error::VerifyError;
pub use index::{Index, IndexBuilder};
pub use keys::Hashing;
pub use mapping::MapOptions;
pub use outputs::{html_section, write_outputs};
pub use report::{AffectedCustomer, Verdict, VerifyReport};
pub use source::{DbSelect, RefSource, Since};

use leakscope_formats::{
    read_paths, Diagnostic, Flow, ReadOptions, RowBatch, Severity, Sink, TableInfo,
};
use std::path::PathBuf;
use std::sync::Arc;

/// A progress callback: `(cell text bytes read, rows read)` so far.
#[derive(Clone)]
pub struct Progress(pub Arc<dyn Fn(u64, u64) + Send + Sync>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Progress")
    }
}

/// Counts rows and text for a [`Progress`] callback.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ticker {
    hook: Option<Progress>,
    text_bytes: u64,
    rows: u64,
}

impl Ticker {
    pub(crate) fn new(hook: Option<Progress>) -> Ticker {
        Ticker {
            hook,
            ..Ticker::default()
        }
    }

    pub(crate) fn batch(&mut self, b: &RowBatch) {
        if let Some(h) = &self.hook {
            self.text_bytes += b.text_bytes() as u64;
            self.rows += b.len() as u64;
            (h.0)(self.text_bytes, self.rows);
        }
    }
}

/// Streams a reference into a builder (fresh, or incremental when `builder` came from
/// [`IndexBuilder::incremental`]). With `since`, database sources are filtered in SQL and file
/// sources row by row.
pub fn build_index(
    source: &RefSource,
    since: Option<&Since>,
    mut builder: IndexBuilder,
) -> Result<IndexBuilder, VerifyError> {
    if let Some(s) = since {
        let day = dates::parse_day(&s.value).ok_or_else(|| {
            VerifyError::Usage(format!("--since `{}` is not a date (YYYY-MM-DD)", s.value))
        })?;
        builder.set_since(Some(day));
    }
    source.stream(since, &mut |t, b| builder.add_batch(t, &b))?;
    Ok(builder)
}

/// Builds an in-memory index straight from a reference (for `verify --reference`).
pub fn index_from_reference(
    source: &RefSource,
    hashing: &Hashing,
    opts: &MapOptions,
) -> Result<(Index, Vec<String>), VerifyError> {
    index_from_reference_with(source, hashing, opts, None)
}

/// [`index_from_reference`] reporting progress.
pub fn index_from_reference_with(
    source: &RefSource,
    hashing: &Hashing,
    opts: &MapOptions,
    progress: Option<Progress>,
) -> Result<(Index, Vec<String>), VerifyError> {
    let mut builder = IndexBuilder::new(hashing.clone(), opts.clone(), &source.describe());
    builder.set_progress(progress);
    let b = build_index(source, None, builder)?;
    let warnings = b.warnings.clone();
    Ok((Index::from_vec(b.finish()?, hashing)?, warnings))
}

/// What `verify` needs besides the sample and the index.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// Column mapping overrides for the sample.
    pub map: MapOptions,
    /// `--claimed-rows`.
    pub claimed_rows: Option<u64>,
    /// Day of the analysis (days since 1970); `None` = today.
    pub today: Option<i32>,
    /// Called as the sample is read.
    pub progress: Option<Progress>,
}

/// A verification result.
#[derive(Debug, Clone)]
pub struct VerifyOutcome {
    /// The report (`verify.json`).
    pub report: VerifyReport,
    /// Affected customers (for `affected_customers.csv`).
    pub affected: Vec<AffectedCustomer>,
    /// Problems reading the sample (located, no raw values).
    pub diagnostics: Vec<Diagnostic>,
}

struct SampleSink<'a, 'b> {
    verifier: &'b mut tally::Verifier<'a>,
    error: Option<VerifyError>,
    diagnostics: Vec<Diagnostic>,
    ticker: Ticker,
}

impl Sink for SampleSink<'_, '_> {
    fn headers_extended(&mut self, table: &TableInfo, _from: usize) {
        self.verifier.headers_grew(table);
    }

    fn rows(&mut self, table: &TableInfo, batch: RowBatch) -> Flow {
        self.ticker.batch(&batch);
        match self.verifier.add_batch(table, &batch) {
            Ok(()) => Flow::Continue,
            Err(e) => {
                self.error = Some(e);
                Flow::Stop
            }
        }
    }

    fn diagnostic(&mut self, d: &Diagnostic) {
        self.diagnostics.push(d.clone());
    }
}

/// Verifies sample files against an index.
pub fn verify_paths(
    samples: &[PathBuf],
    index: &Index,
    hashing: &Hashing,
    opts: &VerifyOptions,
) -> Result<VerifyOutcome, VerifyError> {
    verify_paths_with(samples, index, hashing, opts, &ReadOptions::default())
}

/// [`verify_paths`] with the reader's options for the samples (encoding, password, limits).
pub fn verify_paths_with(
    samples: &[PathBuf],
    index: &Index,
    hashing: &Hashing,
    opts: &VerifyOptions,
    read: &ReadOptions,
) -> Result<VerifyOutcome, VerifyError> {
    let mut v = tally::Verifier::new(index, hashing, opts.map.clone());
    let mut sink = SampleSink {
        verifier: &mut v,
        error: None,
        diagnostics: Vec::new(),
        ticker: Ticker::new(opts.progress.clone()),
    };
    let summary = read_paths(samples, read, &mut sink);
    if let Some(e) = sink.error {
        return Err(e);
    }
    let diagnostics = sink.diagnostics;
    if summary.rows == 0 && v.tally.rows == 0 {
        let why: Vec<String> = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{}: {}", d.source, d.message))
            .collect();
        return Err(VerifyError::Sample(if why.is_empty() {
            "no rows could be read from the sample".into()
        } else {
            why.join("; ")
        }));
    }
    let (report, affected) = report::build(
        &v.tally,
        index,
        opts.claimed_rows,
        opts.today.unwrap_or_else(dates::today),
    )?;
    Ok(VerifyOutcome {
        report,
        affected,
        diagnostics,
    })
}

/// Verifies sample batches already in memory (one table each) against an index.
pub fn verify_batches(
    tables: &[(TableInfo, RowBatch)],
    index: &Index,
    hashing: &Hashing,
    opts: &VerifyOptions,
) -> Result<VerifyOutcome, VerifyError> {
    let mut v = tally::Verifier::new(index, hashing, opts.map.clone());
    for (t, b) in tables {
        v.add_batch(t, b)?;
    }
    let (report, affected) = report::build(
        &v.tally,
        index,
        opts.claimed_rows,
        opts.today.unwrap_or_else(dates::today),
    )?;
    Ok(VerifyOutcome {
        report,
        affected,
        diagnostics: Vec::new(),
    })
}
