//! A sample through scan → verify → corpus overlap → obligations, every document recorded.

use super::*;
/// A sample to analyse.
#[derive(Clone, Default)]
pub struct SampleInput {
    /// Files or directories (any format the reader knows; archives too).
    pub paths: Vec<PathBuf>,
    /// Rows the seller claims (default: the claim's largest count).
    pub claimed_rows: Option<u64>,
    /// When it was obtained (default: now).
    pub at: Option<DateTime<Utc>>,
    /// The reference as given in this same command (a database URL with its password), used
    /// instead of the stored one for this run.
    pub reference_specs: Option<Vec<String>>,
    /// Called with the scan's row progress (rows, bytes, current source) while the sample is
    /// read — what the web app shows live.
    pub scan_progress: Option<leakscope_scan::ProgressFn>,
}

impl std::fmt::Debug for SampleInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SampleInput")
            .field("paths", &self.paths)
            .field("claimed_rows", &self.claimed_rows)
            .field("at", &self.at)
            .field(
                "reference_specs",
                &self.reference_specs.as_ref().map(Vec::len),
            )
            .field("scan_progress", &self.scan_progress.is_some())
            .finish()
    }
}

/// What one analysis run produced (`leakscope.case-run/1`).
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    /// Always [`RUN_SCHEMA`].
    pub schema: &'static str,
    /// Case row id.
    pub case: i64,
    /// Run number.
    pub run: i64,
    /// Files hashed: sha256, name, bytes.
    pub artefacts: Vec<Value>,
    /// Documents stored: id, kind, schema.
    pub documents: Vec<Value>,
    /// Rows read and people found.
    pub rows: u64,
    /// Distinct people.
    pub people: u64,
    /// Sensitivity level.
    pub sensitivity: String,
    /// Verify verdict and summary, when a reference is set.
    pub verify: Option<Value>,
    /// Corpus overlap verdict and summary, when a corpus exists.
    pub overlap: Option<Value>,
    /// Obligations that apply and the nearest due time.
    pub obligations: Value,
    /// What was skipped and why.
    pub notes: Vec<String>,
    /// Reader problems (located, no values), all severities.
    pub diagnostics: u64,
    /// Of which errors (parts of the sample that could not be read at all).
    pub errors: u64,
}

/// Runs scan → verify → overlap → obligations on a sample and records everything.
pub fn add_sample(
    db: &mut Db,
    case: &Case,
    s: &SampleInput,
    env: &Env,
    progress: &mut dyn FnMut(&str),
) -> Result<RunReport> {
    if s.paths.is_empty() {
        return Err(CaseError::Usage("--sample needs at least one file".into()));
    }
    let run = store::next_run(db, case.id)?;
    // A stored database reference without its password cannot verify: say so before scanning.
    if let Some(r) = &case.reference {
        if r.password_removed && s.reference_specs.is_none() {
            return Err(CaseError::Usage(
                "the case's reference database needs its password: give --reference URL again with this sample (the password is never stored), or index it once with `leakscope index build` and use the index".into(),
            ));
        }
    }
    progress("hashing the sample");
    let files: Vec<NewArtefact> = files_under(&s.paths)?
        .iter()
        .map(|f| hash_file(f, "sample"))
        .collect::<Result<_>>()?;
    let hashes: Vec<String> = files.iter().map(|f| f.sha256.clone()).collect();
    let events = store::events(db, case.id)?;
    let (aware, _) = awareness(case, &events);
    progress("scanning");
    let opts = leakscope_scan::ScanOptions {
        found_on: Some(aware.format("%Y-%m-%d").to_string()),
        reveal: false,
        progress: s.scan_progress.clone(),
        ..Default::default()
    };
    let mut profile = leakscope_scan::scan_paths(&s.paths, &ReadOptions::default(), &opts)
        .map_err(|e| CaseError::Analysis(format!("scan: {e}")))?;
    strip_examples(&mut profile);
    if profile.rows == 0 {
        return Err(CaseError::Analysis(
            "the sample holds no readable rows; nothing was recorded".into(),
        ));
    }
    // The scan succeeded: from here on the run is recorded.
    let mut artefacts = Vec::new();
    let mut first_artefact = None;
    for f in &files {
        let (a, _) = store::add_artefact(db, case.id, f)?;
        first_artefact.get_or_insert(a);
        artefacts.push(json!({"sha256": f.sha256, "name": f.name, "bytes": f.bytes}));
    }
    let mut documents = Vec::new();
    let scan_json = serde_json::to_value(&profile)
        .map_err(|e| CaseError::Analysis(format!("scan document: {e}")))?;
    let scan_id = store::add_document(
        db,
        case.id,
        &NewDocument {
            kind: "scan",
            schema: leakscope_profile::SCAN_SCHEMA,
            basis: "sample",
            run,
            artefacts: &hashes,
            json: &scan_json,
        },
    )?;
    documents
        .push(json!({"id": scan_id, "kind": "scan", "schema": leakscope_profile::SCAN_SCHEMA}));
    let at = fmt_utc(s.at.unwrap_or(env.now));
    store::add_event(
        db,
        case.id,
        &NewEvent {
            at: at.clone(),
            kind: "sample".into(),
            text: format!(
                "sample analysed (run {run}): {} file(s), {} rows, {} people, sensitivity {}",
                hashes.len(),
                profile.rows,
                profile.individuals.estimate,
                level_id(&profile)
            ),
            actor: env.actor.clone(),
            artefact: first_artefact,
            document: Some(scan_id),
        },
    )?;
    let mut notes = Vec::new();

    let mut verify_out = None;
    if let Some(reference) = &case.reference {
        progress("verifying against the reference");
        let claimed = s.claimed_rows.or(claimed_from_case(db, case.id)?);
        let v = verify(db, case, reference, s, claimed, run, &hashes, env)?;
        documents.push(json!({"id": v.0, "kind": "verify", "schema": "leakscope.verify/1"}));
        verify_out = Some(v.1);
    } else {
        notes.push("no reference set: authenticity not checked (add one with --reference)".into());
    }

    progress("comparing with the breach corpus");
    let overlap_out = match overlap(&s.paths, env)? {
        Overlap::Report(doc, breaches, rejected) => {
            if rejected > 0 {
                notes.push(format!(
                    "{rejected} cells in identifier columns did not validate and were not compared with the corpus"
                ));
            }
            let id = store::add_document(
                db,
                case.id,
                &NewDocument {
                    kind: "overlap",
                    schema: "leakscope.corpus.overlap/1",
                    basis: "sample",
                    run,
                    artefacts: &hashes,
                    json: &doc,
                },
            )?;
            documents
                .push(json!({"id": id, "kind": "overlap", "schema": "leakscope.corpus.overlap/1"}));
            notes.push(format!("compared with {breaches} breach(es) in the corpus"));
            Some(json!({"verdict": doc["verdict"], "summary": doc["summary"]}))
        }
        Overlap::Skipped(why) => {
            notes.push(why);
            None
        }
    };

    progress("evaluating notification obligations");
    let ob = reevaluate_obligations(db, case, env)?;
    if let Some((id, _)) = &ob {
        documents.push(json!({"id": id, "kind": "obligations", "schema": leakscope_obligations::OBLIGATIONS_SCHEMA}));
    }
    let cache = refresh_cache(db, case.id)?;
    Ok(RunReport {
        schema: RUN_SCHEMA,
        case: case.id,
        run,
        artefacts,
        documents,
        rows: profile.rows,
        people: profile.individuals.estimate,
        sensitivity: level_id(&profile),
        verify: verify_out,
        overlap: overlap_out,
        obligations: json!({
            "applicable": ob.as_ref().map_or(0, |(_, r)| r.obligations.len()),
            "next_due": cache.next_due,
        }),
        notes,
        diagnostics: profile.diagnostics.iter().map(|d| d.count).sum(),
        errors: profile
            .diagnostics
            .iter()
            .filter(|d| d.severity == "error")
            .map(|d| d.count)
            .sum(),
    })
}

fn level_id(p: &ScanProfile) -> String {
    serde_json::to_value(p.sensitivity.level)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Drops column examples (masked values) from a stored profile: the case keeps classes,
/// evidence lines and counts, never values.
fn strip_examples(p: &mut ScanProfile) {
    for t in &mut p.tables {
        for c in &mut t.columns {
            c.examples.clear();
        }
    }
}

fn claimed_from_case(db: &mut Db, case: i64) -> Result<Option<u64>> {
    Ok(store::latest_document(db, case, "claim")?
        .and_then(|(_, j)| serde_json::from_value::<leakscope_claims::Claim>(j).ok())
        .and_then(|c| claim::claimed_records(&c)))
}

#[allow(clippy::too_many_arguments)]
fn verify(
    db: &mut Db,
    case: &Case,
    r: &Reference,
    s: &SampleInput,
    claimed: Option<u64>,
    run: i64,
    sample_hashes: &[String],
    env: &Env,
) -> Result<(i64, Value)> {
    use leakscope_verify::{index::Index, Hashing, MapOptions, RefSource, VerifyOptions};
    let fail = |e: leakscope_verify::VerifyError| CaseError::Analysis(format!("verify: {e}"));
    let secret = leakscope_keys::Secret::load_or_create(&env.secret_path())
        .map_err(|e| CaseError::Analysis(e.to_string()))?;
    let hashing = Hashing::new(secret);
    let mut map = MapOptions {
        id_column: r.id_column.clone(),
        tenant_column: r.tenant_column.clone(),
        updated_column: r.updated_column.clone(),
        default_country: r.default_country.clone(),
        ..Default::default()
    };
    for m in &r.map {
        map.push_map(m).map_err(fail)?;
    }
    let index = if r.kind == "index" {
        let p = r
            .locations
            .first()
            .ok_or_else(|| CaseError::Corrupt("index reference without a path".into()))?;
        Index::open(Path::new(p), &hashing).map_err(fail)?
    } else {
        let specs = match &s.reference_specs {
            Some(given) => given.clone(),
            None if r.password_removed => {
                return Err(CaseError::Usage(
                    "the case's reference database needs its password: give --reference URL again with this sample (the password is never stored), or index it once with `leakscope index build` and use the index".into(),
                ))
            }
            None => r.locations.clone(),
        };
        let source =
            RefSource::parse(&specs, r.table.as_deref(), r.query.as_deref()).map_err(fail)?;
        leakscope_verify::index_from_reference(&source, &hashing, &map)
            .map_err(fail)?
            .0
    };
    let today = env.now.date_naive();
    let opts = VerifyOptions {
        map,
        claimed_rows: claimed,
        today: Some(leakscope_verify::dates::days_from_civil(
            today.year(),
            today.month(),
            today.day(),
        )),
        progress: None,
    };
    let out = leakscope_verify::verify_paths(&s.paths, &index, &hashing, &opts).map_err(fail)?;
    let dir = env.case_dir(case).join(format!("run-{run}"));
    create_private_dir(&dir)?;
    leakscope_verify::write_outputs(&dir, &out.report, &out.affected).map_err(fail)?;
    let mut hashes: Vec<String> = Vec::new();
    for f in files_under(std::slice::from_ref(&dir))? {
        let (_, h) = register_file(db, case.id, &f, "output")?;
        hashes.push(h);
    }
    let mut doc = serde_json::to_value(&out.report)
        .map_err(|e| CaseError::Analysis(format!("verify document: {e}")))?;
    // Where the response outputs went (customer-id list and merchant packs), by hash.
    let affected_csv = dir.join("affected_customers.csv");
    let packs = files_under(&[dir.join("merchants")])
        .map(|v| {
            v.iter()
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .count()
        })
        .unwrap_or(0);
    doc["case_outputs"] = json!({
        "directory": dir.display().to_string(),
        "affected_customers_csv": sha256_file(&affected_csv).ok().map(|(h, _)| h),
        "affected_customers": out.affected.len(),
        "merchant_packs": packs,
    });
    let mut from = sample_hashes.to_vec();
    from.extend(r.sha256.iter().cloned());
    let id = store::add_document(
        db,
        case.id,
        &NewDocument {
            kind: "verify",
            schema: "leakscope.verify/1",
            basis: "sample",
            run,
            artefacts: &from,
            json: &doc,
        },
    )?;
    let verdict = doc["verdict"].as_str().unwrap_or("").to_string();
    store::add_event(
        db,
        case.id,
        &NewEvent {
            at: fmt_utc(env.now),
            kind: "verified".into(),
            text: format!(
                "verified against the reference: {verdict} — {}",
                out.report.summary
            ),
            actor: env.actor.clone(),
            artefact: None,
            document: Some(id),
        },
    )?;
    Ok((
        id,
        json!({"verdict": verdict, "summary": out.report.summary, "outputs": dir.display().to_string()}),
    ))
}

enum Overlap {
    /// The report, the corpus's breach count, identifier cells that did not validate.
    Report(Value, usize, u64),
    Skipped(String),
}

fn overlap(paths: &[PathBuf], env: &Env) -> Result<Overlap> {
    let embedded = env.database.is_none();
    let dir = leakscope_corpus::corpus_dir(&env.data_dir);
    if embedded && !dir.join("manifest.json").exists() {
        return Ok(Overlap::Skipped(
            "no breach corpus in the data directory: re-post check skipped".into(),
        ));
    }
    let secret_path = env.secret_path();
    if !secret_path.exists() {
        return Ok(Overlap::Skipped(
            "no installation secret: re-post check skipped".into(),
        ));
    }
    let secret = leakscope_keys::Secret::load(&secret_path)
        .map_err(|e| CaseError::Analysis(e.to_string()))?;
    let store = leakscope_corpus::open_store(
        env.database.as_deref(),
        &env.data_dir,
        &secret.fingerprint_hex(),
    )
    .map_err(|e| CaseError::Analysis(format!("corpus: {e}")))?;
    let breaches = store
        .breaches()
        .map_err(|e| CaseError::Analysis(format!("corpus: {e}")))?
        .len();
    if breaches == 0 {
        return Ok(Overlap::Skipped(
            "the breach corpus is empty: re-post check skipped".into(),
        ));
    }
    let (prepared, stats) = leakscope_corpus::read::prepare_paths(
        paths,
        &secret,
        leakscope_corpus::IngestOptions::default(),
    )
    .map_err(|e| CaseError::Analysis(format!("corpus read: {e}")))?;
    let report = leakscope_corpus::overlap_report(&*store, &prepared.ids)
        .map_err(|e| CaseError::Analysis(format!("corpus overlap: {e}")))?;
    let doc = serde_json::to_value(&report)
        .map_err(|e| CaseError::Analysis(format!("overlap document: {e}")))?;
    Ok(Overlap::Report(doc, breaches, stats.rejected))
}
