//! Everything known about a case, loaded once: the record, its events and artefacts, the history
//! of analysis documents, and the newest document of each kind parsed for the advisory. This is
//! what `case show --json` prints (`leakscope.case/1`) and what the web pages render.

use crate::error::{CaseError, Result};
use crate::model::{Artefact, Case, DocumentMeta, Event, CASE_SCHEMA};
use crate::store;
use leakscope_claims::Claim;
use leakscope_db::Db;
use leakscope_obligations::ObligationsReport;
use leakscope_profile::ScanProfile;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A stored document, parsed, with its raw JSON (evidence pointers resolve against `json`).
#[derive(Debug, Clone, Serialize)]
pub struct Doc<T> {
    /// Metadata (row id, kind, schema, basis, run, source hashes).
    pub meta: DocumentMeta,
    /// The document as stored.
    #[serde(skip)]
    pub json: Value,
    /// Parsed.
    #[serde(skip)]
    pub value: T,
}

/// The parts of `leakscope.verify/1` the advisory uses.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct VerifyView {
    /// `authentic`, `fabricated`, `unrelated`, `inconclusive`.
    pub verdict: String,
    /// One sentence.
    #[serde(default)]
    pub summary: String,
    /// Sample rows.
    #[serde(default)]
    pub sample_rows: u64,
    /// Distinct customers matched.
    #[serde(default)]
    pub affected_customers: u64,
    /// Rows needed for a verdict.
    #[serde(default)]
    pub minimum_rows_needed: Option<u64>,
    /// Affected tenants.
    #[serde(default)]
    pub tenants: Vec<Value>,
    /// Currency.
    #[serde(default)]
    pub currency: Value,
    /// Extrapolation.
    #[serde(default)]
    pub extrapolation: Option<Value>,
    /// Where the case's verify outputs are (added by the case).
    #[serde(default)]
    pub case_outputs: Option<Value>,
}

/// The parts of `leakscope.corpus.overlap/1` the advisory uses.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OverlapView {
    /// `new`, `likely_repost`, `likely_compilation`, `empty`.
    pub verdict: String,
    /// One line.
    #[serde(default)]
    pub summary: String,
    /// Distinct identifiers.
    #[serde(default)]
    pub identifiers: u64,
    /// Known before.
    #[serde(default)]
    pub known: u64,
    /// Per earlier breach.
    #[serde(default)]
    pub breaches: Vec<Value>,
}

/// Everything known about a case.
#[derive(Debug, Clone, Serialize)]
pub struct CaseView {
    /// Always [`CASE_SCHEMA`].
    pub schema: &'static str,
    /// The record.
    pub case: Case,
    /// Events in time order.
    pub events: Vec<Event>,
    /// Artefacts (content hashes).
    pub artefacts: Vec<Artefact>,
    /// Every stored document, oldest first.
    pub documents: Vec<DocumentMeta>,
    /// The newest claim.
    #[serde(skip)]
    pub claim: Option<Doc<Claim>>,
    /// The newest scan profile.
    #[serde(skip)]
    pub scan: Option<Doc<ScanProfile>>,
    /// The newest verify report.
    #[serde(skip)]
    pub verify: Option<Doc<VerifyView>>,
    /// The newest corpus overlap.
    #[serde(skip)]
    pub overlap: Option<Doc<OverlapView>>,
    /// The newest obligations.
    #[serde(skip)]
    pub obligations: Option<Doc<ObligationsReport>>,
}

fn parse<T: for<'de> Deserialize<'de>>(
    found: Option<(DocumentMeta, Value)>,
) -> Result<Option<Doc<T>>> {
    let Some((meta, json)) = found else {
        return Ok(None);
    };
    let value = serde_json::from_value(json.clone())
        .map_err(|e| CaseError::Corrupt(format!("{} document {}: {e}", meta.kind, meta.id)))?;
    Ok(Some(Doc { meta, json, value }))
}

impl CaseView {
    /// Loads a case.
    pub fn load(db: &mut Db, case: i64) -> Result<CaseView> {
        let c = store::get(db, case)?;
        Ok(CaseView {
            schema: CASE_SCHEMA,
            events: store::events(db, case)?,
            artefacts: store::artefacts(db, case)?,
            documents: store::documents(db, case)?,
            claim: parse(store::latest_document(db, case, "claim")?)?,
            scan: parse(store::latest_document(db, case, "scan")?)?,
            verify: parse(store::latest_document(db, case, "verify")?)?,
            overlap: parse(store::latest_document(db, case, "overlap")?)?,
            obligations: parse(store::latest_document(db, case, "obligations")?)?,
            case: c,
        })
    }

    /// The JSON of a document by row id among the newest ones (evidence resolution).
    pub fn doc_json(&self, id: i64) -> Option<&Value> {
        [
            self.claim.as_ref().map(|d| (&d.meta, &d.json)),
            self.scan.as_ref().map(|d| (&d.meta, &d.json)),
            self.verify.as_ref().map(|d| (&d.meta, &d.json)),
            self.overlap.as_ref().map(|d| (&d.meta, &d.json)),
            self.obligations.as_ref().map(|d| (&d.meta, &d.json)),
        ]
        .into_iter()
        .flatten()
        .find(|(m, _)| m.id == id)
        .map(|(_, j)| j)
    }
}
