//! The claim a case starts from: a post read and extracted (`leakscope-claims`), a claim already
//! in the claims table, or a `leakscope.claim/1` JSON document. What the case keeps is always
//! masked (evidence quotes: e-mail local parts and long digit runs; seller contacts kept).

use crate::error::{CaseError, Result};
use leakscope_claims::model::Claim;
use leakscope_claims::read::{read_path, Format};
use leakscope_claims::store::{self, SourceRef};
use leakscope_claims::{extract, Options, Rules};
use leakscope_db::{Db, Value};
use leakscope_profile::{CountryShare, ScanProfile};
use std::path::{Path, PathBuf};

/// Where a claim comes from.
#[derive(Debug, Clone)]
pub enum ClaimInput {
    /// A post file (any format `leakscope claim extract` reads); `item` picks one message of a
    /// multi-message input.
    Post {
        /// The file.
        path: PathBuf,
        /// Force the input format.
        format: Option<Format>,
        /// Message / feed item id.
        item: Option<String>,
    },
    /// A claim stored in the claims table: its id (`clm-…`) or row number.
    Stored(String),
}

/// A claim ready to attach to a case.
#[derive(Debug, Clone)]
pub struct LoadedClaim {
    /// The (masked) claim.
    pub claim: Claim,
    /// Its row in the claims table.
    pub row: Option<i64>,
    /// The post file, for its content hash.
    pub post: Option<PathBuf>,
}

/// Reads a post, extracts its claim (masked), stores it in the claims table (de-duplicated, with
/// its source, watchlist hits recorded) — or loads a stored claim.
pub fn load(db: &mut Db, input: &ClaimInput) -> Result<LoadedClaim> {
    match input {
        ClaimInput::Post { path, format, item } => from_post(db, path, *format, item.as_deref()),
        ClaimInput::Stored(key) => from_store(db, key),
    }
}

/// Claims in a `leakscope.claim/1` JSON document or JSON Lines file (`claim extract --json`),
/// or `None` when the file is not one.
fn claim_documents(path: &Path) -> Option<Vec<Claim>> {
    let bytes = std::fs::read(path).ok()?;
    let text = std::str::from_utf8(&bytes).ok()?.trim_start();
    if !text.starts_with('{') || !text.contains(leakscope_claims::SCHEMA) {
        return None;
    }
    let claims: Vec<Claim> = serde_json::Deserializer::from_str(text)
        .into_iter::<Claim>()
        .collect::<std::result::Result<_, _>>()
        .ok()?;
    (!claims.is_empty() && claims.iter().all(|c| c.schema == leakscope_claims::SCHEMA))
        .then_some(claims)
}

/// Masks a claim document's evidence quotes (it may come from `claim extract --reveal`); the
/// seller's contacts stay readable, as in the claim store.
fn mask_claim(c: &mut Claim) {
    for (path, spans) in c.evidence.iter_mut() {
        if path.starts_with("contacts") {
            continue;
        }
        for s in spans {
            s.text = leakscope_claims::mask::mask_text(&s.text, &[]);
        }
    }
    c.watch.clear();
}

fn from_post(
    db: &mut Db,
    path: &Path,
    format: Option<Format>,
    item: Option<&str>,
) -> Result<LoadedClaim> {
    if format.is_none() {
        if let Some(mut claims) = claim_documents(path) {
            // A claim document: kept as the case's claim (masked); the claims table is for
            // posts, whose text it needs.
            let i = match item {
                Some(want) => claims
                    .iter()
                    .position(|c| c.id == want || c.source.item.as_deref() == Some(want))
                    .ok_or_else(|| {
                        CaseError::Usage(format!("{} holds no claim {want}", path.display()))
                    })?,
                None if claims.len() == 1 => 0,
                None => {
                    return Err(CaseError::Usage(format!(
                        "{} holds {} claims; pick one with --item CLAIM_ID ({})",
                        path.display(),
                        claims.len(),
                        claims
                            .iter()
                            .take(10)
                            .map(|c| c.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )))
                }
            };
            let mut claim = claims.swap_remove(i);
            mask_claim(&mut claim);
            return Ok(LoadedClaim {
                claim,
                row: None,
                post: Some(path.to_path_buf()),
            });
        }
    }
    let docs = read_path(path, format).map_err(|e| CaseError::Io(e.to_string()))?;
    let rules = Rules::builtin().map_err(|e| CaseError::Analysis(format!("claim rules: {e}")))?;
    let opts = Options {
        reveal: false,
        keep_empty: false,
    };
    let mut found: Vec<(usize, Claim)> = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        if item.is_some_and(|want| d.item.as_deref() != Some(want)) {
            continue;
        }
        if let Some(c) = extract(d, rules, &opts) {
            found.push((i, c));
        }
    }
    let (i, mut claim) = match found.len() {
        0 => {
            return Err(CaseError::Usage(format!(
                "{} makes no leak claim{}; open the case with --title instead",
                path.display(),
                item.map(|i| format!(" in item {i}")).unwrap_or_default()
            )))
        }
        1 => found.remove(0),
        n => {
            let items: Vec<String> = found
                .iter()
                .filter_map(|(i, _)| docs[*i].item.clone())
                .take(10)
                .collect();
            return Err(CaseError::Usage(format!(
                "{} holds {n} claims; pick one with --item (items: {})",
                path.display(),
                items.join(", ")
            )));
        }
    };
    let doc = &docs[i];
    claim.source.path = Some(path.display().to_string());
    let src = SourceRef {
        kind: "file".into(),
        feed_id: None,
        location: path.display().to_string(),
        item: doc.item.clone(),
        url: doc.url.clone(),
    };
    let stored = store::store(
        db,
        &claim,
        &doc.text,
        leakscope_claims::extract::simhash(doc),
        &src,
    )?;
    let watch = leakscope_claims::watch::Watchlist::load(db)?;
    claim.watch = watch.matches(&claim, &doc.text);
    if matches!(stored, store::Stored::New { .. }) {
        store::record_hits(db, stored.row(), &claim.watch)?;
    }
    Ok(LoadedClaim {
        claim,
        row: Some(stored.row()),
        post: Some(path.to_path_buf()),
    })
}

fn from_store(db: &mut Db, key: &str) -> Result<LoadedClaim> {
    let k = key.trim();
    let row = if let Ok(n) = k.trim_start_matches('#').parse::<i64>() {
        db.query_opt(
            "SELECT id, document FROM claims WHERE id = ?",
            &[Value::Int(n)],
        )?
    } else {
        db.query_opt(
            "SELECT id, document FROM claims WHERE claim_id = ?",
            &[k.into()],
        )?
    }
    .ok_or_else(|| {
        CaseError::Usage(format!(
            "no stored claim `{k}` (see `leakscope claim list`)"
        ))
    })?;
    let claim: Claim = serde_json::from_str(&row.str(1))
        .map_err(|e| CaseError::Corrupt(format!("claim {k}: {e}")))?;
    Ok(LoadedClaim {
        claim,
        row: Some(row.i64(0)),
        post: None,
    })
}

/// A title for a case opened from a claim: "Sale claim: FooMart (SG)".
pub fn default_title(c: &Claim) -> String {
    let kind = c.kind.first().map_or("leak", |k| k.id()).replace('_', " ");
    let mut kind_cap = kind.clone();
    if let Some(f) = kind_cap.get_mut(0..1) {
        f.make_ascii_uppercase();
    }
    let victim = c
        .victims
        .iter()
        .find(|v| v.role == "victim")
        .or_else(|| c.victims.first());
    match victim {
        Some(v) => format!(
            "{kind_cap} claim: {}{}",
            v.name,
            v.country
                .as_deref()
                .map(|cc| format!(" ({cc})"))
                .unwrap_or_default()
        ),
        None => format!("{kind_cap} claim"),
    }
}

/// The number of records a claim states (the largest count), for verify's extrapolation.
pub fn claimed_records(c: &Claim) -> Option<u64> {
    c.records.iter().map(|r| r.count).max()
}

/// A scan-profile stand-in built from what the claim says (data classes, the victim's country and
/// the claimed count as its people), so obligations can be assessed before any sample exists.
/// Counts are the claimant's, and documents built from it are marked `basis: claim`.
pub fn claim_profile(c: &Claim) -> ScanProfile {
    let mut p = empty_profile();
    p.data_classes = c.data_classes.clone();
    let people = c
        .records
        .iter()
        .filter(|r| {
            r.unit
                .as_deref()
                .is_none_or(|u| matches!(u, "accounts" | "individuals" | "records" | "rows"))
        })
        .map(|r| r.count)
        .max()
        .unwrap_or(0);
    p.individuals.estimate = people;
    let mut countries: Vec<String> = c
        .victims
        .iter()
        .filter(|v| v.role == "victim")
        .filter_map(|v| v.country.clone())
        .collect();
    countries.sort();
    countries.dedup();
    if countries.len() == 1 && people > 0 {
        p.countries = vec![CountryShare {
            code: countries[0].clone(),
            name: leakscope_scan::countries::country_name(&countries[0]),
            people,
            share: 1.0,
            signals: vec!["claim".into()],
        }];
    }
    p
}

/// A profile with nothing in it (the scan schema, this tool, no rows).
pub fn empty_profile() -> ScanProfile {
    use leakscope_profile::{Individuals, Level, Passwords, RecordDates, Sensitivity, ToolInfo};
    ScanProfile {
        schema: leakscope_profile::SCAN_SCHEMA.into(),
        tool: ToolInfo {
            name: "leakscope".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        generated_at: crate::time::fmt_utc(chrono::Utc::now()),
        found_on: None,
        rows: 0,
        rows_skipped: 0,
        bytes: 0,
        sources: Vec::new(),
        tables: Vec::new(),
        individuals: Individuals {
            estimate: 0,
            method: "claim".into(),
            relative_error: 0.0,
            keyed_by: Vec::new(),
            rows_without_identifier: 0,
            basis: "none".into(),
        },
        data_classes: Vec::new(),
        data_classes_hibp: Vec::new(),
        countries: Vec::new(),
        records: RecordDates::default(),
        tenants: None,
        passwords: Passwords::default(),
        sensitivity: Sensitivity {
            level: Level::Low,
            reasons: Vec::new(),
        },
        diagnostics: Vec::new(),
        revealed: false,
    }
}
