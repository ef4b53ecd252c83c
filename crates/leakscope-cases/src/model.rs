//! The case record: a case, its events, artefacts (by content hash) and analysis documents.
//! Documented in `docs/cases.md`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Schema of `case show --json` ([`crate::view::CaseView`] as a document).
pub const CASE_SCHEMA: &str = "leakscope.case/1";
/// Schema of `case list --json`.
pub const CASE_LIST_SCHEMA: &str = "leakscope.cases/1";
/// Schema of what `case add --sample` did (`--json`).
pub const RUN_SCHEMA: &str = "leakscope.case-run/1";

/// Whether a case is being worked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Being worked.
    Open,
    /// Closed (with a reason).
    Closed,
}

impl Status {
    /// Stable id.
    pub fn id(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Closed => "closed",
        }
    }

    /// Parses a stable id.
    pub fn from_id(s: &str) -> Option<Status> {
        match s {
            "open" => Some(Status::Open),
            "closed" => Some(Status::Closed),
            _ => None,
        }
    }
}

/// Traffic Light Protocol level of what a case shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tlp {
    /// TLP:CLEAR (2.0): no limit on disclosure.
    #[serde(rename = "clear")]
    Clear,
    /// TLP:WHITE (1.0), the older name of CLEAR.
    #[serde(rename = "white")]
    White,
    /// TLP:GREEN: the community.
    #[serde(rename = "green")]
    Green,
    /// TLP:AMBER: the recipient's organisation and its clients.
    #[serde(rename = "amber")]
    Amber,
    /// TLP:AMBER+STRICT: the recipient's organisation only.
    #[serde(rename = "amber+strict")]
    AmberStrict,
    /// TLP:RED: the named recipients only.
    #[serde(rename = "red")]
    Red,
}

impl Tlp {
    /// Every level, least restrictive first.
    pub const ALL: [Tlp; 6] = [
        Tlp::Clear,
        Tlp::White,
        Tlp::Green,
        Tlp::Amber,
        Tlp::AmberStrict,
        Tlp::Red,
    ];

    /// Stable id (`clear`, `white`, `green`, `amber`, `amber+strict`, `red`).
    pub fn id(self) -> &'static str {
        match self {
            Tlp::Clear => "clear",
            Tlp::White => "white",
            Tlp::Green => "green",
            Tlp::Amber => "amber",
            Tlp::AmberStrict => "amber+strict",
            Tlp::Red => "red",
        }
    }

    /// Parses an id (case-insensitive, `TLP:` prefix allowed).
    pub fn from_id(s: &str) -> Option<Tlp> {
        let s = s.trim().to_ascii_lowercase();
        let s = s.strip_prefix("tlp:").unwrap_or(&s);
        Tlp::ALL.into_iter().find(|t| t.id() == s)
    }

    /// The label printed on documents (`TLP:AMBER`).
    pub fn label(self) -> String {
        format!("TLP:{}", self.id().to_ascii_uppercase())
    }
}

/// What the organisation tells the obligations engine about itself (kept per case).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrgFacts {
    /// The organisation the case is about (our name as it appears in the advisory).
    #[serde(default)]
    pub organisation: Option<String>,
    /// Countries (ISO2) where the organisation is established.
    #[serde(default)]
    pub established_in: Vec<String>,
    /// Sector (`finance`, `retail` …), lower case.
    #[serde(default)]
    pub sector: Option<String>,
    /// The organisation processes the data for someone else.
    #[serde(default)]
    pub processor: bool,
    /// Critical information infrastructure operator.
    #[serde(default)]
    pub ciio: bool,
    /// The data was encrypted and the keys were not taken.
    #[serde(default)]
    pub encrypted: bool,
    /// Affected people per jurisdiction code, overriding the profile.
    #[serde(default)]
    pub affected: BTreeMap<String, u64>,
}

/// Where verify finds our own customers for this case (never a password, never data).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    /// `index` (a `leakscope index build` file), `files` or `database`.
    pub kind: String,
    /// Paths, or the database URL without its password.
    pub locations: Vec<String>,
    /// SHA-256 of each file (index or reference files), same order as `locations`.
    #[serde(default)]
    pub sha256: Vec<String>,
    /// Table of a database reference.
    #[serde(default)]
    pub table: Option<String>,
    /// Query of a database reference.
    #[serde(default)]
    pub query: Option<String>,
    /// Column-class overrides (`COLUMN=CLASS`).
    #[serde(default)]
    pub map: Vec<String>,
    /// Customer id column.
    #[serde(default)]
    pub id_column: Option<String>,
    /// Tenant (merchant) column.
    #[serde(default)]
    pub tenant_column: Option<String>,
    /// Last-update column.
    #[serde(default)]
    pub updated_column: Option<String>,
    /// Country of phone numbers written without a country code.
    #[serde(default)]
    pub default_country: Option<String>,
    /// Whether a password was removed from the URL (then it must be given again to re-verify).
    #[serde(default)]
    pub password_removed: bool,
}

/// A case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// Row id (what users type: `leakscope case show 3`).
    pub id: i64,
    /// Random UUID (stable identity in exports).
    pub uuid: String,
    /// Title.
    pub title: String,
    /// Open or closed.
    pub status: Status,
    /// Advisory language: `en`, `vi`, `zh`.
    pub lang: String,
    /// Sharing level of exports.
    pub tlp: Tlp,
    /// IANA timezone local times are shown in.
    pub timezone: String,
    /// Row of the claim in the claims table, when opened from a stored claim.
    pub claim_row: Option<i64>,
    /// Organisation facts for the obligations engine.
    pub facts: OrgFacts,
    /// Reference for verify.
    pub reference: Option<Reference>,
    /// Awareness time given explicitly (UTC); otherwise the first event's time.
    pub aware_at: Option<String>,
    /// Latest verify verdict (cache for lists).
    pub verdict: Option<String>,
    /// Latest sensitivity level (cache for lists).
    pub sensitivity: Option<String>,
    /// Latest distinct people (cache for lists).
    pub people: Option<u64>,
    /// Latest merchant count (cache for lists).
    pub merchants: Option<u64>,
    /// Nearest open regulator deadline (UTC, cache for lists).
    pub next_due: Option<String>,
    /// When it was opened (UTC).
    pub created_at: String,
    /// Last change (UTC).
    pub updated_at: String,
    /// When it was closed.
    pub closed_at: Option<String>,
    /// Why it was closed.
    pub close_reason: Option<String>,
}

/// One thing that happened in a case, on the case's time axis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Row id.
    pub id: i64,
    /// When it happened (UTC, `YYYY-MM-DDTHH:MM:SSZ`).
    pub at: String,
    /// Kind: `opened`, `claim`, `sample`, `reference`, `verified`, `notified`, `aware`,
    /// `assessed`, `occurred`, `contained`, `done`, `note`, `event`, `closed`, `reopened`.
    pub kind: String,
    /// What happened, in words.
    pub text: String,
    /// Who recorded it (OS user or web user), when known.
    pub actor: Option<String>,
    /// Artefact it concerns.
    pub artefact_id: Option<i64>,
    /// Document it produced.
    pub document_id: Option<i64>,
    /// When it was recorded (UTC).
    pub recorded_at: String,
}

/// Event kinds a user may record.
pub const USER_EVENT_KINDS: &[&str] = &[
    "notified",
    "aware",
    "assessed",
    "occurred",
    "contained",
    "done",
    "note",
    "event",
];

/// A file given to the case, known by its content hash (never copied into the database).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Artefact {
    /// Row id.
    pub id: i64,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
    /// `post`, `sample`, `reference`, `index` or `output` (a file leakscope wrote for the case).
    pub kind: String,
    /// File name (no directory).
    pub name: String,
    /// Where it was on disk when added (outputs: where leakscope wrote it).
    pub location: Option<String>,
    /// Size in bytes.
    pub bytes: u64,
    /// When it was added (UTC).
    pub added_at: String,
}

/// Metadata of a stored analysis document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocumentMeta {
    /// Row id (evidence references point here).
    pub id: i64,
    /// `claim`, `scan`, `verify`, `overlap` or `obligations`.
    pub kind: String,
    /// The document's schema id (`leakscope.scan/1` …).
    pub schema: String,
    /// `sample` (from data), `claim` (from what the claim says) or `post`.
    pub basis: String,
    /// Analysis run (one per sample added; 0 before any sample).
    pub run: i64,
    /// SHA-256 of the artefacts it was computed from.
    pub artefacts: Vec<String>,
    /// When it was stored (UTC).
    pub created_at: String,
}
