//! What happens when something is added to a case: a claim is extracted and kept, a reference is
//! registered, a sample runs through scan → verify (when a reference is set) → corpus overlap →
//! obligations, and every resulting document is stored with the content hashes it came from.
//! Re-running with a newer sample adds a new run; earlier documents stay (the history).
//!
//! This is the library API the CLI (`leakscope case`) and the web server call.

use crate::claim::{self, ClaimInput};
use crate::error::{CaseError, Result};
use crate::ids::sha256_file;
use crate::model::{Case, Event, Reference, RUN_SCHEMA};
use crate::store::{self, Cache, NewArtefact, NewCase, NewDocument, NewEvent};
use crate::time::{fmt_utc, parse_utc};
use chrono::{DateTime, Datelike, Utc};
use leakscope_db::Db;
use leakscope_formats::ReadOptions;
use leakscope_obligations::{Facts, ObligationsReport, RuleSet};
use leakscope_profile::ScanProfile;
use serde::Serialize;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

mod deadlines;
mod exposure;
mod reference;
mod sample;

pub use deadlines::{
    awareness, facts, kind_of, record_event, reevaluate_obligations, refresh_cache, EventInput,
};
pub use exposure::{attach_exposure, ExposureInput, EXPOSURE_FINDING_SCHEMA};
pub use reference::{set_reference, strip_password, ReferenceInput};
pub use sample::{add_sample, RunReport, SampleInput};

/// Where the case's surroundings are: data directory (secret, corpus, case outputs), the
/// database URL the corpus shares, the rules, the clock, who is acting.
#[derive(Debug, Clone)]
pub struct Env {
    /// The data directory.
    pub data_dir: PathBuf,
    /// `--database` (PostgreSQL URL) — the corpus uses the same convention.
    pub database: Option<String>,
    /// Secret key file (default: the data directory's).
    pub secret: Option<PathBuf>,
    /// Obligations rules (default: built in).
    pub rules: Option<RuleSet>,
    /// The clock.
    pub now: DateTime<Utc>,
    /// Who is acting (recorded on events).
    pub actor: Option<String>,
}

impl Env {
    /// The data directory's defaults at the current time.
    pub fn new(data_dir: PathBuf, database: Option<String>) -> Env {
        Env {
            data_dir,
            database,
            secret: None,
            rules: None,
            now: Utc::now(),
            actor: None,
        }
    }

    fn secret_path(&self) -> PathBuf {
        self.secret
            .clone()
            .unwrap_or_else(|| leakscope_keys::secret_path(&self.data_dir))
    }

    fn rules(&self) -> Result<RuleSet> {
        match &self.rules {
            Some(r) => Ok(r.clone()),
            None => leakscope_obligations::builtin().map_err(CaseError::Analysis),
        }
    }

    /// Directory of a case's outputs (verify packs …), created 0700.
    pub fn case_dir(&self, case: &Case) -> PathBuf {
        self.data_dir.join("cases").join(&case.uuid)
    }
}

/// Opens a case, from a claim when one is given.
pub fn open(db: &mut Db, new: &NewCase, claim: Option<&ClaimInput>, env: &Env) -> Result<Case> {
    let loaded = match claim {
        Some(input) => Some(claim::load(db, input)?),
        None => None,
    };
    let mut n = new.clone();
    if n.title.trim().is_empty() {
        n.title = loaded
            .as_ref()
            .map(|l| claim::default_title(&l.claim))
            .unwrap_or_else(|| "Untitled case".into());
    }
    let mut case = store::create(db, &n)?;
    if let Some(l) = loaded {
        attach_loaded(db, &mut case, l, env)?;
    }
    store::get(db, case.id)
}

/// Adds a claim to an existing case (a second post about the same leak, or a later one).
pub fn attach_claim(db: &mut Db, case: &mut Case, input: &ClaimInput, env: &Env) -> Result<i64> {
    let l = claim::load(db, input)?;
    attach_loaded(db, case, l, env)
}

fn attach_loaded(db: &mut Db, case: &mut Case, l: claim::LoadedClaim, env: &Env) -> Result<i64> {
    let mut hashes = Vec::new();
    let mut artefact = None;
    if let Some(p) = &l.post {
        let (a, h) = register_file(db, case.id, p, "post")?;
        artefact = Some(a);
        hashes.push(h);
    }
    let mut doc = serde_json::to_value(&l.claim)
        .map_err(|e| CaseError::Analysis(format!("claim document: {e}")))?;
    // The claim's own source path may name a private directory; the case keeps the file name.
    if let Some(src) = doc.get_mut("source").and_then(Value::as_object_mut) {
        if let Some(p) = src.get("path").and_then(Value::as_str) {
            let name = Path::new(p)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            src.insert("path".into(), Value::String(name));
        }
    }
    let id = store::add_document(
        db,
        case.id,
        &NewDocument {
            kind: "claim",
            schema: leakscope_claims::SCHEMA,
            basis: "post",
            run: 0,
            artefacts: &hashes,
            json: &doc,
        },
    )?;
    if case.claim_row.is_none() {
        case.claim_row = l.row;
        store::update_settings(db, case)?;
    }
    let posted = l
        .claim
        .dates
        .posted
        .as_ref()
        .and_then(|d| d.value.clone())
        .map(|d| format!(", posted {d}"))
        .unwrap_or_default();
    store::add_event(
        db,
        case.id,
        &NewEvent {
            at: fmt_utc(env.now),
            kind: "claim".into(),
            text: format!("claim {} recorded{posted}", l.claim.id),
            actor: env.actor.clone(),
            artefact,
            document: Some(id),
        },
    )?;
    if store::latest_document(db, case.id, "scan")?.is_none() {
        reevaluate_obligations(db, case, env)?;
    }
    refresh_cache(db, case.id)?;
    Ok(id)
}

/// Hashes a file and registers it as an artefact; returns (row id, sha256).
fn register_file(db: &mut Db, case: i64, path: &Path, kind: &str) -> Result<(i64, String)> {
    let a = hash_file(path, kind)?;
    let (id, _) = store::add_artefact(db, case, &a)?;
    Ok((id, a.sha256))
}

/// Hashes a file (streamed) into an artefact record, not yet stored.
fn hash_file(path: &Path, kind: &str) -> Result<NewArtefact> {
    let (sha, bytes) = sha256_file(path)
        .map_err(|e| CaseError::Io(format!("cannot read {}: {e}", path.display())))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let location = std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string();
    Ok(NewArtefact {
        sha256: sha,
        kind: kind.into(),
        name,
        location: Some(location),
        bytes,
    })
}

/// Every regular file under the paths (directories walked, sorted), for hashing.
fn files_under(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack: Vec<PathBuf> = paths.iter().rev().cloned().collect();
    while let Some(p) = stack.pop() {
        let md = std::fs::metadata(&p)
            .map_err(|e| CaseError::Io(format!("cannot read {}: {e}", p.display())))?;
        if md.is_dir() {
            let mut kids: Vec<PathBuf> = std::fs::read_dir(&p)
                .map_err(|e| CaseError::Io(format!("cannot list {}: {e}", p.display())))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            kids.sort();
            stack.extend(kids.into_iter().rev());
        } else if md.is_file() {
            out.push(p);
        }
    }
    Ok(out)
}

/// Creates a directory (and parents) readable by the owner only.
fn create_private_dir(dir: &Path) -> Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
        .map_err(|e| CaseError::Io(format!("cannot create {}: {e}", dir.display())))
}
