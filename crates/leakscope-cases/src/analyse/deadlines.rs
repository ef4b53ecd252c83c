//! Awareness, the obligations engine's facts, user events, and the figures cached for lists.

use super::*;
/// The case's awareness time and where it comes from: `given` (set explicitly), `aware` (an
/// `aware` event), else `first_event` (the case's earliest event).
pub fn awareness(case: &Case, events: &[Event]) -> (DateTime<Utc>, &'static str) {
    if let Some(t) = case.aware_at.as_deref().and_then(parse_utc) {
        return (t, "given");
    }
    if let Some(t) = events
        .iter()
        .filter(|e| e.kind == "aware")
        .filter_map(|e| parse_utc(&e.at))
        .min()
    {
        return (t, "aware");
    }
    let first = events
        .iter()
        .filter_map(|e| parse_utc(&e.at))
        .min()
        .or_else(|| parse_utc(&case.created_at))
        .unwrap_or_else(Utc::now);
    (first, "first_event")
}

fn first_event(events: &[Event], kind: &str) -> Option<DateTime<Utc>> {
    events
        .iter()
        .filter(|e| e.kind == kind)
        .filter_map(|e| parse_utc(&e.at))
        .min()
}

/// The obligations engine's facts for a case.
pub fn facts(case: &Case, events: &[Event]) -> Facts {
    let (aware, _) = awareness(case, events);
    Facts {
        discovered_at: Some(aware),
        aware_at: Some(aware),
        assessed_at: first_event(events, "assessed"),
        occurred_at: first_event(events, "occurred"),
        ciio: case.facts.ciio,
        processor: case.facts.processor,
        encrypted: case.facts.encrypted,
        sector: case.facts.sector.clone(),
        established_in: case.facts.established_in.clone(),
        affected_overrides: case.facts.affected.clone(),
    }
}

/// Evaluates the obligations again from the newest profile (a sample's scan, else what the claim
/// says) with the case's current facts and times, and stores the result. `None` when there is
/// neither a sample nor a claim.
pub fn reevaluate_obligations(
    db: &mut Db,
    case: &Case,
    env: &Env,
) -> Result<Option<(i64, ObligationsReport)>> {
    let case = store::get(db, case.id)?;
    let (profile, basis, run, from) = match store::latest_document(db, case.id, "scan")? {
        Some((meta, j)) => (
            serde_json::from_value::<ScanProfile>(j)
                .map_err(|e| CaseError::Corrupt(format!("scan document {}: {e}", meta.id)))?,
            "sample",
            meta.run,
            meta.artefacts,
        ),
        None => match store::latest_document(db, case.id, "claim")? {
            Some((meta, j)) => {
                let c: leakscope_claims::Claim = serde_json::from_value(j)
                    .map_err(|e| CaseError::Corrupt(format!("claim document {}: {e}", meta.id)))?;
                (claim::claim_profile(&c), "claim", 0, meta.artefacts)
            }
            None => return Ok(None),
        },
    };
    let events = store::events(db, case.id)?;
    let f = facts(&case, &events);
    let rules = env.rules()?;
    let origin = if env.rules.is_some() {
        "rules file"
    } else {
        "built-in rules"
    };
    let report = leakscope_obligations::evaluate(&rules, origin, &profile, &f, env.now);
    let doc = serde_json::to_value(&report)
        .map_err(|e| CaseError::Analysis(format!("obligations document: {e}")))?;
    let id = store::add_document(
        db,
        case.id,
        &NewDocument {
            kind: "obligations",
            schema: leakscope_obligations::OBLIGATIONS_SCHEMA,
            basis,
            run,
            artefacts: &from,
            json: &doc,
        },
    )?;
    refresh_cache(db, case.id)?;
    Ok(Some((id, report)))
}

/// An event a user records.
#[derive(Debug, Clone, Default)]
pub struct EventInput {
    /// Text, possibly ending in a date/time (`notified PDPC 2026-01-03 10:00`).
    pub text: String,
    /// Kind; default from the first word (`notified`, `aware`, `assessed`, `occurred`,
    /// `contained`, `done`), else `event`.
    pub kind: Option<String>,
    /// Time, overriding one at the end of the text (read in the case's timezone).
    pub at: Option<String>,
}

/// The kind an event text starts with (`notified PDPC …` → `notified`).
pub fn kind_of(text: &str) -> &'static str {
    let first = text
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_end_matches(':')
        .to_lowercase();
    match first.as_str() {
        "notified" | "notify" | "reported" | "informed" | "told" => "notified",
        "aware" | "awareness" => "aware",
        "assessed" | "assessment" => "assessed",
        "occurred" | "breached" | "intrusion" => "occurred",
        "contained" => "contained",
        "done" | "completed" => "done",
        "note" => "note",
        _ => "event",
    }
}

/// Records a user event; times of `aware` / `assessed` / `occurred` move the deadlines, so the
/// obligations are evaluated again. Returns the event row id.
pub fn record_event(db: &mut Db, case: &Case, e: &EventInput, env: &Env) -> Result<i64> {
    let (text, trailing) = crate::time::split_trailing_time(&e.text);
    if text.trim().is_empty() && e.kind.is_none() {
        return Err(CaseError::Usage("an event needs some text".into()));
    }
    let zone = crate::time::tz(&case.timezone)?;
    let at = match e.at.as_deref().or(trailing.as_deref()) {
        Some(t) => crate::time::parse_user(t, zone)?,
        None => env.now,
    };
    let kind = match &e.kind {
        Some(k) if crate::model::USER_EVENT_KINDS.contains(&k.as_str()) => k.clone(),
        Some(k) => {
            return Err(CaseError::Usage(format!(
                "event kind `{k}`: use one of {}",
                crate::model::USER_EVENT_KINDS.join(", ")
            )))
        }
        None => kind_of(&text).to_string(),
    };
    let id = store::add_event(
        db,
        case.id,
        &NewEvent {
            at: fmt_utc(at),
            kind: kind.clone(),
            text,
            actor: env.actor.clone(),
            artefact: None,
            document: None,
        },
    )?;
    if matches!(kind.as_str(), "aware" | "assessed" | "occurred") {
        reevaluate_obligations(db, case, env)?;
    } else {
        refresh_cache(db, case.id)?;
    }
    Ok(id)
}

/// Recomputes the figures cached on the case row from its newest documents.
pub fn refresh_cache(db: &mut Db, case: i64) -> Result<Cache> {
    let mut c = Cache::default();
    if let Some((_, j)) = store::latest_document(db, case, "scan")? {
        c.sensitivity = j["sensitivity"]["level"].as_str().map(str::to_string);
        c.people = j["individuals"]["estimate"].as_u64();
        c.merchants = j["tenants"]["count"].as_u64();
    }
    if let Some((_, j)) = store::latest_document(db, case, "verify")? {
        c.verdict = j["verdict"].as_str().map(str::to_string);
    }
    if let Some((_, j)) = store::latest_document(db, case, "obligations")? {
        let events = store::events(db, case)?;
        let open: Vec<String> = j["obligations"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter(|o| crate::timeline::notified_by(o, &events).is_none())
                    .filter_map(|o| o["deadline"]["due_utc"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        c.next_due = open.into_iter().min();
    }
    store::update_cache(db, case, &c)?;
    Ok(c)
}
