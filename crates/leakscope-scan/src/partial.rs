//! Mergeable partial scans: the scan's own split — sample → column plan → counting on workers →
//! merge → profile — made explicit, public and serialisable, so the counting can run anywhere
//! (other processes, Python, Spark executors) and be merged later.
//!
//! - [`ScanPlan`] (`leakscope.plan/1`): every table's column decisions, made once from a sample,
//!   with the run's secret key seed (people keys are keyed hashes under it, so partials counted
//!   under the same plan agree on who is who).
//! - [`PartialScan`] counts row batches (or whole paths, as a [`leakscope_formats::Sink`]) under a
//!   plan into a [`Partial`] (`leakscope.partial/1`): the same per-table accumulators the
//!   scanner's workers keep, plus the exact people keys while they fit.
//! - [`Partial::merge`] is associative and commutative (exact counts add, sketches merge,
//!   exact key sets unite until the plan's limit, then the HyperLogLog sketches take over);
//!   [`finish`] builds the `leakscope.scan/1` profile from the merged partials with the scanner's
//!   own assembly.
//!
//! The partial path counts on one thread per [`PartialScan`]; parallelism comes from running
//! many of them (one per Spark task, say) and merging.

mod doc;
mod run;
mod state;

pub use doc::{
    plan_paths, ColumnDecision, CountryDoc, PlannedTable, SampledTable, ScanPlan, SignalDoc,
    VerdictDoc,
};
pub use run::{scan_paths_partial, PartialScan};
pub use state::{finish, finish_with, DiagnosticPart, Partial, SourcePart};

/// Schema id of a serialised [`ScanPlan`].
pub const PLAN_SCHEMA: &str = "leakscope.plan/1";
/// Schema id of a serialised [`Partial`].
pub const PARTIAL_SCHEMA: &str = "leakscope.partial/1";

/// Why a plan or partial could not be used.
#[derive(Debug, Clone, PartialEq)]
pub enum PartialError {
    /// The document is not valid JSON of the expected shape.
    Json(String),
    /// The document's `schema` is not the one this version reads.
    Schema {
        /// What this version reads.
        expected: &'static str,
        /// What the document says.
        found: String,
    },
    /// A partial counted under another plan (or another table layout) than the one given.
    PlanMismatch,
    /// The document is well-formed JSON but inconsistent (a sketch of the wrong size, a table
    /// index out of range, an unknown country code).
    Malformed(String),
    /// The plan's options are invalid (`found_on` not a date).
    Options(String),
}

impl std::fmt::Display for PartialError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PartialError::Json(e) => write!(f, "not a readable plan or partial document: {e}"),
            PartialError::Schema { expected, found } => {
                write!(f, "schema {found:?} is not {expected:?}")
            }
            PartialError::PlanMismatch => {
                write!(f, "the partial was counted under a different scan plan")
            }
            PartialError::Malformed(e) => write!(f, "inconsistent document: {e}"),
            PartialError::Options(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for PartialError {}
