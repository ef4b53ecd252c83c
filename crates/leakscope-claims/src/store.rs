//! Claims in the database: stored once per post (the same post re-shared, exactly or nearly, is
//! one claim with several sources), their watchlist hits, and the list newest first with hits
//! on top.
//!
//! What is stored never holds raw personal data: the claim document's evidence quotes and the
//! text as read are masked ([`crate::mask`]; the offsets stay valid).

use crate::mask::mask_text;
use crate::model::{Claim, WatchHit};
use leakscope_db::{Db, DbError, Value};
use serde::Serialize;

/// Near-duplicate threshold: SimHash bits that may differ between two copies of one post.
pub const NEAR_DUPLICATE_BITS: u32 = 3;
/// Near-duplicates are looked for among this many most recent claims.
pub const NEAR_DUPLICATE_WINDOW: i64 = 5000;

/// Where a claim was read.
#[derive(Debug, Clone, Default)]
pub struct SourceRef {
    /// `file` or `feed`.
    pub kind: String,
    /// Feed id for feed items.
    pub feed_id: Option<i64>,
    /// Path or feed URL.
    pub location: String,
    /// Item within the input (message id, feed guid).
    pub item: Option<String>,
    /// Link of the post.
    pub url: Option<String>,
}

/// What storing a claim did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Stored {
    /// A new claim.
    New {
        /// Database row id.
        row: i64,
    },
    /// The same post was already stored; this source was added to it.
    Duplicate {
        /// Row id of the stored claim.
        row: i64,
        /// Its claim id.
        claim_id: String,
        /// `fingerprint` (same normalised text) or `near_duplicate` (SimHash within
        /// [`NEAR_DUPLICATE_BITS`]).
        how: String,
    },
}

impl Stored {
    /// The row id.
    pub fn row(&self) -> i64 {
        match self {
            Stored::New { row } | Stored::Duplicate { row, .. } => *row,
        }
    }
}

/// Stores a claim (de-duplicated) with its source; `text` is the text as read (masked here).
pub fn store(
    db: &mut Db,
    claim: &Claim,
    text: &str,
    simhash: u64,
    src: &SourceRef,
) -> Result<Stored, DbError> {
    db.transaction(|db| {
        let now = leakscope_db::now();
        let dup = find_duplicate(db, claim, simhash)?;
        let stored = match dup {
            Some((row, claim_id, how)) => {
                db.execute("UPDATE claims SET last_seen_at = ? WHERE id = ?", &[now.clone().into(), Value::Int(row)])?;
                Stored::Duplicate { row, claim_id, how }
            }
            None => {
                let doc = serde_json::to_string(claim).unwrap_or_default();
                let keep = contact_ranges(claim, text);
                let masked = mask_text(text, &keep);
                let row = db.insert(
                    "INSERT INTO claims (claim_id, fingerprint, simhash, posted_at, first_seen_at, last_seen_at, kinds, status, countries, victims, title, lang, document, text_masked) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    &[
                        claim.id.clone().into(),
                        claim.fingerprint.clone().into(),
                        Value::Int(simhash as i64),
                        claim.dates.posted.as_ref().and_then(|d| d.value.clone()).into(),
                        now.clone().into(),
                        now.clone().into(),
                        claim.kind.iter().map(|k| k.id()).collect::<Vec<_>>().join(",").into(),
                        claim.status.map(|s| s.id()).into(),
                        countries(claim).into(),
                        claim.victims.iter().map(|v| v.name.as_str()).collect::<Vec<_>>().join(" | ").into(),
                        claim.source.title.clone().into(),
                        claim.lang.clone().into(),
                        doc.into(),
                        masked.into(),
                    ],
                )?;
                Stored::New { row }
            }
        };
        db.execute(
            "INSERT INTO claim_sources (claim_id, source_kind, feed_id, location, item, url, seen_at) VALUES (?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (claim_id, location, item) DO NOTHING",
            &[
                Value::Int(stored.row()),
                src.kind.clone().into(),
                src.feed_id.into(),
                src.location.clone().into(),
                src.item.clone().unwrap_or_default().into(),
                src.url.clone().into(),
                now.into(),
            ],
        )?;
        Ok(stored)
    })
}

fn countries(c: &Claim) -> String {
    let mut v: Vec<&str> = c
        .victims
        .iter()
        .filter_map(|v| v.country.as_deref())
        .collect();
    v.sort_unstable();
    v.dedup();
    v.join(",")
}

/// Byte ranges of the contacts' evidence (kept unmasked: they are the seller's handles).
fn contact_ranges(c: &Claim, text: &str) -> Vec<(usize, usize)> {
    let starts: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    c.evidence
        .iter()
        .filter(|(k, _)| k.starts_with("contacts["))
        .flat_map(|(_, spans)| spans.iter())
        .map(|s| {
            (
                starts.get(s.start).copied().unwrap_or(text.len()),
                starts.get(s.end).copied().unwrap_or(text.len()),
            )
        })
        .collect()
}

fn find_duplicate(
    db: &mut Db,
    claim: &Claim,
    simhash: u64,
) -> Result<Option<(i64, String, String)>, DbError> {
    if let Some(r) = db.query_opt(
        "SELECT id, claim_id FROM claims WHERE fingerprint = ?",
        &[claim.fingerprint.clone().into()],
    )? {
        return Ok(Some((r.i64(0), r.str(1), "fingerprint".into())));
    }
    let recent = db.query(
        "SELECT id, claim_id, simhash FROM claims ORDER BY id DESC LIMIT ?",
        &[Value::Int(NEAR_DUPLICATE_WINDOW)],
    )?;
    Ok(recent
        .into_iter()
        .find(|r| ((r.i64(2) as u64) ^ simhash).count_ones() <= NEAR_DUPLICATE_BITS)
        .map(|r| (r.i64(0), r.str(1), "near_duplicate".into())))
}

/// Records watchlist hits of a stored claim; returns the hits that are new.
pub fn record_hits(db: &mut Db, row: i64, hits: &[WatchHit]) -> Result<Vec<WatchHit>, DbError> {
    let mut new = Vec::new();
    for h in hits {
        let n = db.execute(
            "INSERT INTO watch_hits (claim_id, entry_id, how, field, why, created_at) VALUES (?, ?, ?, ?, ?, ?) \
             ON CONFLICT (claim_id, entry_id, how, field) DO NOTHING",
            &[
                Value::Int(row),
                Value::Int(h.entry_id),
                h.how.clone().into(),
                h.field.clone().into(),
                h.why.clone().into(),
                leakscope_db::now().into(),
            ],
        )?;
        if n > 0 {
            new.push(h.clone());
        }
    }
    db.execute(
        "UPDATE claims SET hit_count = (SELECT COUNT(*) FROM watch_hits WHERE watch_hits.claim_id = claims.id) WHERE id = ?",
        &[Value::Int(row)],
    )?;
    Ok(new)
}

/// A stored claim as listed.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    /// Row id.
    pub row: i64,
    /// The claim document (with its watchlist hits).
    pub claim: Claim,
    /// When first stored (UTC).
    pub first_seen_at: String,
    /// Sources it was read from.
    pub sources: Vec<ListedSource>,
}

/// One source of a stored claim.
#[derive(Debug, Clone, Serialize)]
pub struct ListedSource {
    /// `file` or `feed`.
    pub kind: String,
    /// Path or feed URL.
    pub location: String,
    /// Item.
    pub item: Option<String>,
    /// Link of the post.
    pub url: Option<String>,
    /// When seen (UTC).
    pub seen_at: String,
}

/// Filters for [`list`].
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only claims with watchlist hits.
    pub hits_only: bool,
    /// Only this kind.
    pub kind: Option<String>,
    /// Only victims in this country.
    pub country: Option<String>,
    /// Only this status.
    pub status: Option<String>,
    /// Only claims first seen at or after this UTC time / date.
    pub since: Option<String>,
    /// At most this many.
    pub limit: i64,
}

/// Stored claims: watchlist hits first, then newest first (post date, else first seen).
pub fn list(db: &mut Db, f: &Filter) -> Result<Vec<Listed>, DbError> {
    let mut sql = String::from("SELECT id, document, first_seen_at FROM claims WHERE 1 = 1");
    let mut params: Vec<Value> = Vec::new();
    if f.hits_only {
        sql.push_str(" AND hit_count > 0");
    }
    if let Some(k) = &f.kind {
        sql.push_str(" AND (',' || kinds || ',') LIKE ?");
        params.push(format!("%,{k},%").into());
    }
    if let Some(c) = &f.country {
        sql.push_str(" AND (',' || countries || ',') LIKE ?");
        params.push(format!("%,{},%", c.to_ascii_uppercase()).into());
    }
    if let Some(s) = &f.status {
        sql.push_str(" AND status = ?");
        params.push(s.clone().into());
    }
    if let Some(s) = &f.since {
        sql.push_str(" AND first_seen_at >= ?");
        params.push(s.clone().into());
    }
    sql.push_str(" ORDER BY CASE WHEN hit_count > 0 THEN 0 ELSE 1 END, COALESCE(posted_at, SUBSTR(first_seen_at, 1, 10)) DESC, id DESC LIMIT ?");
    params.push(Value::Int(if f.limit > 0 { f.limit } else { 50 }));
    let rows = db.query(&sql, &params)?;
    let mut out = Vec::new();
    for r in rows {
        let row = r.i64(0);
        let mut claim: Claim = match serde_json::from_str(&r.str(1)) {
            Ok(c) => c,
            Err(_) => continue,
        };
        let hits = db.query(
            "SELECT h.entry_id, w.name, h.how, h.field, h.why FROM watch_hits h JOIN watch_entries w ON w.id = h.entry_id WHERE h.claim_id = ? ORDER BY h.id",
            &[Value::Int(row)],
        )?;
        claim.watch = hits
            .iter()
            .map(|h| WatchHit {
                entry_id: h.i64(0),
                entry: h.str(1),
                how: h.str(2),
                field: h.str(3),
                why: h.str(4),
            })
            .collect();
        let sources = db
            .query(
                "SELECT source_kind, location, item, url, seen_at FROM claim_sources WHERE claim_id = ? ORDER BY id",
                &[Value::Int(row)],
            )?
            .iter()
            .map(|s| ListedSource {
                kind: s.str(0),
                location: s.str(1),
                item: s.opt_str(2).filter(|i| !i.is_empty()),
                url: s.opt_str(3),
                seen_at: s.str(4),
            })
            .collect();
        out.push(Listed {
            row,
            claim,
            first_seen_at: r.str(2),
            sources,
        });
    }
    Ok(out)
}
