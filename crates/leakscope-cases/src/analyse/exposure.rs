//! A case from an exposure finding (`leakscope case open --exposure`): the finding's profile is
//! taken as is as the case's scan document (basis `exposure`), the finding itself is kept as an
//! `exposure` document, and an `exposure` event dates the start of the open period — the first
//! event, so deadlines count from when the organisation's own scan saw it.

use super::*;

/// What the case needs from an exposure finding (the exposure crate's stored finding, reduced;
/// the CLI converts it, so this crate does not depend on the probes).
#[derive(Debug, Clone)]
pub struct ExposureInput {
    /// Stable id (`exp-…`).
    pub id: String,
    /// `kind://host:port`.
    pub location: String,
    /// Start of the current open period (UTC, stored form).
    pub open_since: String,
    /// Last seen open.
    pub last_seen: String,
    /// Scans that saw it open.
    pub observations: i64,
    /// Estimated people in the whole exposed store (None: unknown).
    pub people: Option<u64>,
    /// The finding document (`leakscope.exposure/1` finding, profile removed).
    pub document: Value,
    /// The sample's profile (`leakscope.scan/1`).
    pub profile: ScanProfile,
}

/// Schema id of the stored finding document.
pub const EXPOSURE_FINDING_SCHEMA: &str = "leakscope.exposure-finding/1";

/// Records an exposure finding in a case and re-evaluates the obligations. When the finding
/// estimates more people than its sample holds, the affected people per country are set from
/// that estimate scaled by each country's people in the sample (unless given already): the store, not the
/// sample, is what was exposed.
pub fn attach_exposure(
    db: &mut Db,
    case: &mut Case,
    input: &ExposureInput,
    env: &Env,
) -> Result<i64> {
    let run = store::next_run(db, case.id)?;
    let doc_id = store::add_document(
        db,
        case.id,
        &NewDocument {
            kind: "exposure",
            schema: EXPOSURE_FINDING_SCHEMA,
            basis: "exposure",
            run,
            artefacts: &[],
            json: &input.document,
        },
    )?;
    let scan_json = serde_json::to_value(&input.profile)
        .map_err(|e| CaseError::Analysis(format!("scan document: {e}")))?;
    let scan_id = store::add_document(
        db,
        case.id,
        &NewDocument {
            kind: "scan",
            schema: leakscope_profile::SCAN_SCHEMA,
            basis: "exposure",
            run,
            artefacts: &[],
            json: &scan_json,
        },
    )?;
    let sample_people = input.profile.individuals.estimate;
    if let Some(total) = input.people.filter(|p| *p > sample_people) {
        let mut changed = false;
        for c in &input.profile.countries {
            if c.code.len() == 2 && !case.facts.affected.contains_key(&c.code) {
                let n =
                    (total as f64 * c.people as f64 / sample_people.max(1) as f64).round() as u64;
                if n > 0 {
                    case.facts.affected.insert(c.code.clone(), n);
                    changed = true;
                }
            }
        }
        if changed {
            store::update_settings(db, case)?;
        }
    }
    let people = input
        .people
        .map(|p| format!("about {p} people"))
        .unwrap_or_else(|| "people unknown".into());
    store::add_event(
        db,
        case.id,
        &NewEvent {
            at: input.open_since.clone(),
            kind: "exposure".into(),
            text: format!(
                "{} readable without credentials (finding {}; {people}; seen open {} time(s), last {})",
                input.location, input.id, input.observations, input.last_seen
            ),
            actor: env.actor.clone(),
            artefact: None,
            document: Some(doc_id),
        },
    )?;
    let _ = scan_id;
    reevaluate_obligations(db, case, env)?;
    refresh_cache(db, case.id)?;
    Ok(doc_id)
}
