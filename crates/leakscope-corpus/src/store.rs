//! The storage interface shared by the embedded store and PostgreSQL.

use crate::ingest::Prepared;
use crate::model::{Breach, BreachMeta};
use crate::overlap::OverlapReport;
use crate::passwords::PwMode;
use crate::records::Records;
use std::fmt;

/// Errors of a corpus store.
#[derive(Debug)]
pub enum CorpusError {
    /// File-system error, with the path or operation.
    Io(String, std::io::Error),
    /// A breach with this name already exists.
    Exists(String),
    /// No breach with this name.
    NotFound(String),
    /// The store was written with another installation secret.
    SecretMismatch {
        /// Fingerprint recorded in the store.
        store: String,
        /// Fingerprint of the secret in use.
        ours: String,
    },
    /// Invalid input (names, dates, corrupt manifest).
    Invalid(String),
    /// The leak had nothing to store (no identifier, no password).
    Empty,
    /// Database error (PostgreSQL).
    Db(String),
}

impl fmt::Display for CorpusError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CorpusError::Io(what, e) => write!(f, "{what}: {e}"),
            CorpusError::Exists(n) => write!(f, "breach `{n}` already exists (remove it first)"),
            CorpusError::NotFound(n) => write!(f, "no breach named `{n}`"),
            CorpusError::SecretMismatch { store, ours } => write!(
                f,
                "the corpus was written with secret {store} but this installation's secret is {ours}; hashes would never match"
            ),
            CorpusError::Invalid(m) => f.write_str(m),
            CorpusError::Empty => f.write_str(
                "nothing to add: no identifier (e-mail, phone, national ID, username) and no password was found; no breach was created",
            ),
            CorpusError::Db(m) => write!(f, "database: {m}"),
        }
    }
}

impl std::error::Error for CorpusError {}

/// Result alias.
pub type Result<T> = std::result::Result<T, CorpusError>;

/// Breaches that contain an account (HIBP range result row).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeHit {
    /// Full SHA-1 of the lower-cased email.
    pub sha1: [u8; 20],
    /// Names of the breaches that contain it, sorted.
    pub breaches: Vec<String>,
}

/// How much of a new leak an existing breach already holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OverlapRow {
    /// Existing breach.
    pub breach: String,
    /// Identifiers of the new leak also in that breach.
    pub shared: u64,
}

/// What [`Store::add`] did: the new breach, and how much of it the corpus already held just
/// before (decided under the writer lock, so two concurrent adds see each other).
#[derive(Debug, Clone)]
pub struct Added {
    /// The breach as stored.
    pub breach: Breach,
    /// Re-post / compilation verdict against the breaches present when it was committed.
    pub overlap: OverlapReport,
}

/// Flags to change on an existing breach (`None`: leave as it is).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Marks {
    /// `IsVerified`.
    pub verified: Option<bool>,
    /// `IsFabricated`.
    pub fabricated: Option<bool>,
    /// `IsSensitive`.
    pub sensitive: Option<bool>,
    /// `IsRetired`.
    pub retired: Option<bool>,
    /// `IsSpamList`.
    pub spam_list: Option<bool>,
    /// `IsMalware`.
    pub malware: Option<bool>,
}

impl Marks {
    /// True when no flag would change.
    pub fn is_empty(&self) -> bool {
        *self == Marks::default()
    }

    /// Applies the marks; true when the breach changed (its `ModifiedDate` is then `now`).
    pub fn apply(&self, b: &mut Breach, now: &str) -> bool {
        let mut changed = false;
        let mut set = |field: &mut bool, v: Option<bool>| {
            if let Some(v) = v {
                changed |= *field != v;
                *field = v;
            }
        };
        set(&mut b.is_verified, self.verified);
        set(&mut b.is_fabricated, self.fabricated);
        set(&mut b.is_sensitive, self.sensitive);
        set(&mut b.is_retired, self.retired);
        set(&mut b.is_spam_list, self.spam_list);
        set(&mut b.is_malware, self.malware);
        if changed {
            b.modified_date = now.to_string();
        }
        changed
    }
}

/// A breach corpus: embedded files or PostgreSQL.
pub trait Store: Send + Sync {
    /// All breaches, sorted by name.
    fn breaches(&self) -> Result<Vec<Breach>>;
    /// One breach by name (case-insensitive, like HIBP).
    fn breach(&self, name: &str) -> Result<Option<Breach>> {
        Ok(self
            .breaches()?
            .into_iter()
            .find(|b| b.name.eq_ignore_ascii_case(name)))
    }
    /// Adds a leak atomically: afterwards it is either fully present or absent. The overlap
    /// with the breaches already stored is measured under the same lock as the commit.
    fn add(&self, meta: &BreachMeta, prepared: Prepared) -> Result<Added>;
    /// Changes flags of a breach; `None` when there is no breach of that name.
    fn mark(&self, name: &str, marks: &Marks) -> Result<Option<Breach>>;
    /// Removes a breach; false if it did not exist.
    fn remove(&self, name: &str) -> Result<bool>;
    /// Names of the breaches containing a keyed identifier hash, sorted.
    fn lookup(&self, id: &[u8; 16]) -> Result<Vec<String>>;
    /// Per existing breach, how many of `ids` (sorted, distinct) it holds (only non-zero rows),
    /// and how many of `ids` are in at least one breach.
    fn overlap(&self, ids: &Records<16>) -> Result<(Vec<OverlapRow>, u64)>;
    /// Emails whose SHA-1 starts with the 3-byte prefix, with their breaches.
    fn email_range(&self, prefix: [u8; 3]) -> Result<Vec<RangeHit>>;
    /// Password hashes starting with the 20-bit prefix (`prefix[2]` low nibble ignored), with
    /// counts summed over breaches, sorted by hash.
    fn password_range(&self, prefix: [u8; 3], mode: PwMode) -> Result<Vec<(Vec<u8>, u64)>>;
    /// Keyed identifier hashes of accounts of an email domain (keyed domain hash), with breaches.
    fn domain_accounts(&self, domain_key: [u8; 8]) -> Result<Vec<([u8; 16], Vec<String>)>>;
    /// Picks up changes made by other processes; true if the view changed.
    fn refresh(&self) -> Result<bool> {
        Ok(false)
    }
}

/// Builds the Breach record for a new leak from user metadata and what was found.
pub fn breach_record(meta: &BreachMeta, prepared: &Prepared, now: &str) -> Result<Breach> {
    crate::model::validate_name(&meta.name).map_err(CorpusError::Invalid)?;
    if prepared.is_empty() {
        return Err(CorpusError::Empty);
    }
    let breach_date = match &meta.breach_date {
        Some(d) => {
            crate::model::validate_date(d).map_err(CorpusError::Invalid)?;
            d.clone()
        }
        None => now[..10].to_string(),
    };
    Ok(Breach {
        name: meta.name.clone(),
        title: meta.title.clone().unwrap_or_else(|| meta.name.clone()),
        domain: meta.domain.clone().unwrap_or_default(),
        breach_date,
        added_date: now.to_string(),
        modified_date: now.to_string(),
        pwn_count: prepared.pwn_count(),
        description: meta.description.clone().unwrap_or_default(),
        logo_path: String::new(),
        data_classes: prepared.data_classes.iter().cloned().collect(),
        is_verified: meta.is_verified,
        is_fabricated: meta.is_fabricated,
        is_sensitive: meta.is_sensitive,
        is_retired: false,
        is_spam_list: meta.is_spam_list,
        is_malware: meta.is_malware,
        is_subscription_free: false,
        is_stealer_log: meta.is_stealer_log,
    })
}
