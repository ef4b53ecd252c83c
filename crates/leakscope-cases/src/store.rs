//! Cases in the data directory's database (`leakscope-db`, migration 2): SQLite by default,
//! PostgreSQL with `--database`. Portable SQL only.
//!
//! Functions that write several rows ([`create`], [`close`], [`reopen`]) run their own
//! transaction: do not call them inside [`Db::transaction`]. Analyses never hold a transaction
//! while reading a sample.

use crate::error::{CaseError, Result};
use crate::model::{Artefact, Case, DocumentMeta, Event, OrgFacts, Reference, Status, Tlp};
use leakscope_db::{Db, Row, Value};

const CASE_COLUMNS: &str = "id, uuid, title, status, lang, tlp, timezone, claim_row, facts, reference, aware_at, verdict, sensitivity, people, merchants, next_due, created_at, updated_at, closed_at, close_reason";

/// What a new case starts with.
#[derive(Debug, Clone)]
pub struct NewCase {
    /// Title.
    pub title: String,
    /// Advisory language (`en`, `vi`, `zh`).
    pub lang: String,
    /// Sharing level.
    pub tlp: Tlp,
    /// IANA timezone.
    pub timezone: String,
    /// Organisation facts.
    pub facts: OrgFacts,
    /// Explicit awareness time (UTC, stored form).
    pub aware_at: Option<String>,
    /// When it was opened (UTC, stored form).
    pub opened_at: String,
    /// Who opened it.
    pub actor: Option<String>,
}

fn case_from(r: &Row) -> Result<Case> {
    let facts: OrgFacts = serde_json::from_str(&r.str(8))
        .map_err(|e| CaseError::Corrupt(format!("case facts: {e}")))?;
    let reference: Option<Reference> = match r.opt_str(9) {
        Some(s) if !s.is_empty() => Some(
            serde_json::from_str(&s)
                .map_err(|e| CaseError::Corrupt(format!("case reference: {e}")))?,
        ),
        _ => None,
    };
    Ok(Case {
        id: r.i64(0),
        uuid: r.str(1),
        title: r.str(2),
        status: Status::from_id(&r.str(3)).unwrap_or(Status::Open),
        lang: r.str(4),
        tlp: Tlp::from_id(&r.str(5)).unwrap_or(Tlp::Amber),
        timezone: r.str(6),
        claim_row: r.opt_i64(7),
        facts,
        reference,
        aware_at: r.opt_str(10),
        verdict: r.opt_str(11),
        sensitivity: r.opt_str(12),
        people: r.opt_i64(13).map(|v| v as u64),
        merchants: r.opt_i64(14).map(|v| v as u64),
        next_due: r.opt_str(15),
        created_at: r.str(16),
        updated_at: r.str(17),
        closed_at: r.opt_str(18),
        close_reason: r.opt_str(19),
    })
}

/// A random RFC 4122 version-4 UUID.
pub fn random_uuid() -> String {
    let mut b = [0u8; 16];
    if getrandom::getrandom(&mut b).is_err() {
        // No system randomness: derive from time and process (still unique per installation).
        let seed = format!("{:?}{}", std::time::SystemTime::now(), std::process::id());
        b.copy_from_slice(&crate::ids::sha256(seed.as_bytes())[..16]);
    }
    crate::ids::format_v4(b)
}

/// Opens a case and records its `opened` event.
pub fn create(db: &mut Db, n: &NewCase) -> Result<Case> {
    let id = db.transaction(|db| -> Result<i64> {
        let facts = serde_json::to_string(&n.facts).unwrap_or_else(|_| "{}".into());
        let id = db.insert(
            "INSERT INTO cases (uuid, title, status, lang, tlp, timezone, facts, aware_at, created_at, updated_at) VALUES (?, ?, 'open', ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            &[
                random_uuid().into(),
                n.title.clone().into(),
                n.lang.clone().into(),
                n.tlp.id().into(),
                n.timezone.clone().into(),
                facts.into(),
                n.aware_at.clone().into(),
                n.opened_at.clone().into(),
                leakscope_db::now().into(),
            ],
        )?;
        add_event_tx(db, id, &n.opened_at, "opened", &format!("case opened: {}", n.title), n.actor.as_deref(), None, None)?;
        Ok(id)
    })?;
    get(db, id)
}

/// One case by row id.
pub fn get(db: &mut Db, id: i64) -> Result<Case> {
    let r = db
        .query_opt(
            &format!("SELECT {CASE_COLUMNS} FROM cases WHERE id = ?"),
            &[Value::Int(id)],
        )?
        .ok_or_else(|| CaseError::NotFound(format!("#{id}")))?;
    case_from(&r)
}

/// Finds a case by what a user typed: `3`, `#3`, or the start of its UUID (≥ 8 characters).
pub fn resolve(db: &mut Db, key: &str) -> Result<Case> {
    let k = key.trim().trim_start_matches('#');
    if let Ok(id) = k.parse::<i64>() {
        return get(db, id);
    }
    if k.len() >= 8 && k.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        let rows = db.query(
            "SELECT id FROM cases WHERE uuid LIKE ? ORDER BY id",
            &[format!("{}%", k.to_ascii_lowercase()).into()],
        )?;
        if rows.len() == 1 {
            return get(db, rows[0].i64(0));
        }
        if rows.len() > 1 {
            return Err(CaseError::Usage(format!(
                "`{k}` matches {} cases; type more of the id",
                rows.len()
            )));
        }
    }
    Err(CaseError::NotFound(format!(
        "`{k}` (use the number `case list` shows)"
    )))
}

/// Filter for [`list`].
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Only this status.
    pub status: Option<Status>,
    /// At most this many (0: 100).
    pub limit: i64,
    /// Skip this many (paging).
    pub offset: i64,
}

/// Cases, open ones first, most recently changed first.
pub fn list(db: &mut Db, f: &ListFilter) -> Result<Vec<Case>> {
    let mut sql = format!("SELECT {CASE_COLUMNS} FROM cases");
    let mut params: Vec<Value> = Vec::new();
    if let Some(s) = f.status {
        sql.push_str(" WHERE status = ?");
        params.push(s.id().into());
    }
    sql.push_str(" ORDER BY CASE WHEN status = 'open' THEN 0 ELSE 1 END, updated_at DESC, id DESC LIMIT ? OFFSET ?");
    params.push(Value::Int(if f.limit > 0 { f.limit } else { 100 }));
    params.push(Value::Int(f.offset.max(0)));
    db.query(&sql, &params)?.iter().map(case_from).collect()
}

/// Records an event (inside or outside a transaction).
#[allow(clippy::too_many_arguments)]
fn add_event_tx(
    db: &mut Db,
    case: i64,
    at: &str,
    kind: &str,
    text: &str,
    actor: Option<&str>,
    artefact: Option<i64>,
    document: Option<i64>,
) -> Result<i64> {
    let now = leakscope_db::now();
    let id = db.insert(
        "INSERT INTO case_events (case_id, at, kind, text, actor, artefact_id, document_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &[
            Value::Int(case),
            at.into(),
            kind.into(),
            text.into(),
            actor.map(str::to_string).into(),
            artefact.into(),
            document.into(),
            now.clone().into(),
        ],
    )?;
    db.execute(
        "UPDATE cases SET updated_at = ? WHERE id = ?",
        &[now.into(), Value::Int(case)],
    )?;
    Ok(id)
}

/// An event to record.
#[derive(Debug, Clone, Default)]
pub struct NewEvent {
    /// When it happened (UTC, stored form).
    pub at: String,
    /// Kind (see [`Event::kind`]).
    pub kind: String,
    /// Text.
    pub text: String,
    /// Who.
    pub actor: Option<String>,
    /// Artefact it concerns.
    pub artefact: Option<i64>,
    /// Document it produced.
    pub document: Option<i64>,
}

/// Records an event; returns its row id.
pub fn add_event(db: &mut Db, case: i64, e: &NewEvent) -> Result<i64> {
    add_event_tx(
        db,
        case,
        &e.at,
        &e.kind,
        &e.text,
        e.actor.as_deref(),
        e.artefact,
        e.document,
    )
}

/// Events in time order.
pub fn events(db: &mut Db, case: i64) -> Result<Vec<Event>> {
    Ok(db
        .query(
            "SELECT id, at, kind, text, actor, artefact_id, document_id, recorded_at FROM case_events WHERE case_id = ? ORDER BY at, id",
            &[Value::Int(case)],
        )?
        .iter()
        .map(|r| Event {
            id: r.i64(0),
            at: r.str(1),
            kind: r.str(2),
            text: r.str(3),
            actor: r.opt_str(4),
            artefact_id: r.opt_i64(5),
            document_id: r.opt_i64(6),
            recorded_at: r.str(7),
        })
        .collect())
}

/// A file to register.
#[derive(Debug, Clone)]
pub struct NewArtefact {
    /// SHA-256, hex.
    pub sha256: String,
    /// Kind.
    pub kind: String,
    /// File name.
    pub name: String,
    /// Path on disk.
    pub location: Option<String>,
    /// Size.
    pub bytes: u64,
}

/// Registers an artefact (the same content of the same kind is registered once); returns its
/// row id and whether it was new.
pub fn add_artefact(db: &mut Db, case: i64, a: &NewArtefact) -> Result<(i64, bool)> {
    if let Some(r) = db.query_opt(
        "SELECT id FROM case_artefacts WHERE case_id = ? AND sha256 = ? AND kind = ?",
        &[
            Value::Int(case),
            a.sha256.clone().into(),
            a.kind.clone().into(),
        ],
    )? {
        return Ok((r.i64(0), false));
    }
    let id = db.insert(
        "INSERT INTO case_artefacts (case_id, sha256, kind, name, location, bytes, added_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &[
            Value::Int(case),
            a.sha256.clone().into(),
            a.kind.clone().into(),
            a.name.clone().into(),
            a.location.clone().into(),
            Value::Int(a.bytes as i64),
            leakscope_db::now().into(),
        ],
    )?;
    Ok((id, true))
}

/// Artefacts in the order they were added.
pub fn artefacts(db: &mut Db, case: i64) -> Result<Vec<Artefact>> {
    Ok(db
        .query(
            "SELECT id, sha256, kind, name, location, bytes, added_at FROM case_artefacts WHERE case_id = ? ORDER BY id",
            &[Value::Int(case)],
        )?
        .iter()
        .map(|r| Artefact {
            id: r.i64(0),
            sha256: r.str(1),
            kind: r.str(2),
            name: r.str(3),
            location: r.opt_str(4),
            bytes: r.i64(5).max(0) as u64,
            added_at: r.str(6),
        })
        .collect())
}

/// A document to store.
#[derive(Debug, Clone)]
pub struct NewDocument<'a> {
    /// Kind.
    pub kind: &'a str,
    /// Schema id.
    pub schema: &'a str,
    /// `sample`, `claim` or `post`.
    pub basis: &'a str,
    /// Analysis run.
    pub run: i64,
    /// Content hashes it was computed from.
    pub artefacts: &'a [String],
    /// The JSON document.
    pub json: &'a serde_json::Value,
}

/// Stores an analysis document; returns its row id (evidence references use it).
pub fn add_document(db: &mut Db, case: i64, d: &NewDocument<'_>) -> Result<i64> {
    Ok(db.insert(
        "INSERT INTO case_documents (case_id, kind, schema_id, basis, run, artefacts, document, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        &[
            Value::Int(case),
            d.kind.into(),
            d.schema.into(),
            d.basis.into(),
            Value::Int(d.run),
            d.artefacts.join(",").into(),
            d.json.to_string().into(),
            leakscope_db::now().into(),
        ],
    )?)
}

fn meta_from(r: &Row) -> DocumentMeta {
    DocumentMeta {
        id: r.i64(0),
        kind: r.str(1),
        schema: r.str(2),
        basis: r.str(3),
        run: r.i64(4),
        artefacts: r
            .str(5)
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        created_at: r.str(6),
    }
}

/// Every stored document's metadata, oldest first (the case's analysis history).
pub fn documents(db: &mut Db, case: i64) -> Result<Vec<DocumentMeta>> {
    Ok(db
        .query(
            "SELECT id, kind, schema_id, basis, run, artefacts, created_at FROM case_documents WHERE case_id = ? ORDER BY id",
            &[Value::Int(case)],
        )?
        .iter()
        .map(meta_from)
        .collect())
}

/// The newest document of a kind, with its JSON.
pub fn latest_document(
    db: &mut Db,
    case: i64,
    kind: &str,
) -> Result<Option<(DocumentMeta, serde_json::Value)>> {
    let Some(r) = db.query_opt(
        "SELECT id, kind, schema_id, basis, run, artefacts, created_at, document FROM case_documents WHERE case_id = ? AND kind = ? ORDER BY id DESC LIMIT 1",
        &[Value::Int(case), kind.into()],
    )?
    else {
        return Ok(None);
    };
    let json = serde_json::from_str(&r.str(7))
        .map_err(|e| CaseError::Corrupt(format!("document {}: {e}", r.i64(0))))?;
    Ok(Some((meta_from(&r), json)))
}

/// One document by row id (of this case).
pub fn document(
    db: &mut Db,
    case: i64,
    id: i64,
) -> Result<Option<(DocumentMeta, serde_json::Value)>> {
    let Some(r) = db.query_opt(
        "SELECT id, kind, schema_id, basis, run, artefacts, created_at, document FROM case_documents WHERE case_id = ? AND id = ?",
        &[Value::Int(case), Value::Int(id)],
    )?
    else {
        return Ok(None);
    };
    let json = serde_json::from_str(&r.str(7))
        .map_err(|e| CaseError::Corrupt(format!("document {}: {e}", r.i64(0))))?;
    Ok(Some((meta_from(&r), json)))
}

/// The next analysis run number.
pub fn next_run(db: &mut Db, case: i64) -> Result<i64> {
    Ok(db
        .query_opt(
            "SELECT MAX(run) FROM case_documents WHERE case_id = ?",
            &[Value::Int(case)],
        )?
        .and_then(|r| r.opt_i64(0))
        .unwrap_or(0)
        + 1)
}

/// Updates the fields a user may change after opening.
pub fn update_settings(db: &mut Db, c: &Case) -> Result<()> {
    let facts = serde_json::to_string(&c.facts).unwrap_or_else(|_| "{}".into());
    let reference = c
        .reference
        .as_ref()
        .map(|r| serde_json::to_string(r).unwrap_or_default());
    db.execute(
        "UPDATE cases SET title = ?, lang = ?, tlp = ?, timezone = ?, claim_row = ?, facts = ?, reference = ?, aware_at = ?, updated_at = ? WHERE id = ?",
        &[
            c.title.clone().into(),
            c.lang.clone().into(),
            c.tlp.id().into(),
            c.timezone.clone().into(),
            c.claim_row.into(),
            facts.into(),
            reference.into(),
            c.aware_at.clone().into(),
            leakscope_db::now().into(),
            Value::Int(c.id),
        ],
    )?;
    Ok(())
}

/// Summary figures cached on the case row for fast lists (web app: 1,000 cases per page).
#[derive(Debug, Clone, Default)]
pub struct Cache {
    /// Verify verdict.
    pub verdict: Option<String>,
    /// Sensitivity level.
    pub sensitivity: Option<String>,
    /// Distinct people.
    pub people: Option<u64>,
    /// Merchants.
    pub merchants: Option<u64>,
    /// Nearest open regulator deadline (UTC).
    pub next_due: Option<String>,
}

/// Writes the cached summary figures.
pub fn update_cache(db: &mut Db, case: i64, c: &Cache) -> Result<()> {
    db.execute(
        "UPDATE cases SET verdict = ?, sensitivity = ?, people = ?, merchants = ?, next_due = ?, updated_at = ? WHERE id = ?",
        &[
            c.verdict.clone().into(),
            c.sensitivity.clone().into(),
            c.people.map(|v| v as i64).into(),
            c.merchants.map(|v| v as i64).into(),
            c.next_due.clone().into(),
            leakscope_db::now().into(),
            Value::Int(case),
        ],
    )?;
    Ok(())
}

/// Closes a case with a reason (an event records it).
pub fn close(db: &mut Db, case: i64, at: &str, reason: &str, actor: Option<&str>) -> Result<()> {
    db.transaction(|db| -> Result<()> {
        db.execute(
            "UPDATE cases SET status = 'closed', closed_at = ?, close_reason = ? WHERE id = ?",
            &[at.into(), reason.into(), Value::Int(case)],
        )?;
        add_event_tx(
            db,
            case,
            at,
            "closed",
            &format!("case closed: {reason}"),
            actor,
            None,
            None,
        )?;
        Ok(())
    })
}

/// Re-opens a closed case.
pub fn reopen(db: &mut Db, case: i64, at: &str, actor: Option<&str>) -> Result<()> {
    db.transaction(|db| -> Result<()> {
        db.execute(
            "UPDATE cases SET status = 'open', closed_at = NULL, close_reason = NULL WHERE id = ?",
            &[Value::Int(case)],
        )?;
        add_event_tx(
            db,
            case,
            at,
            "reopened",
            "case re-opened",
            actor,
            None,
            None,
        )?;
        Ok(())
    })
}
