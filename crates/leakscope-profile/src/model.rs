//! The scan profile document. This is a contract between crates (scan produces it; reports,
//! obligations and verify consume it) and a public JSON schema: add fields, never change or
//! remove existing ones without bumping [`SCAN_SCHEMA`].

use serde::{Deserialize, Serialize};

/// Schema id written in every scan document.
pub const SCAN_SCHEMA: &str = "leakscope.scan/1";

/// Everything `scan` knows about a leak.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ScanProfile {
    /// Always [`SCAN_SCHEMA`].
    pub schema: String,
    /// Producer name and version.
    pub tool: ToolInfo,
    /// When the scan ran (RFC 3339, UTC).
    pub generated_at: String,
    /// Discovery date given with `--found-on` (YYYY-MM-DD).
    #[serde(default)]
    pub found_on: Option<String>,
    /// Rows read across all tables.
    pub rows: u64,
    /// Rows that could not be read (each explained in `diagnostics`).
    pub rows_skipped: u64,
    /// Input bytes as stored.
    pub bytes: u64,
    /// Every source read.
    pub sources: Vec<SourceSummary>,
    /// Every table with its column profiles.
    pub tables: Vec<TableProfile>,
    /// Distinct people.
    pub individuals: Individuals,
    /// Data class ids present (e.g. `email`, `phone`, `national_id`), most important first.
    pub data_classes: Vec<String>,
    /// The same classes in the breach-corpus vocabulary ("Email addresses", ...).
    pub data_classes_hibp: Vec<String>,
    /// Countries of the people, largest share first.
    pub countries: Vec<CountryShare>,
    /// Dates of the records.
    pub records: RecordDates,
    /// Merchants / shops on a multi-tenant platform, when a tenant column exists.
    #[serde(default)]
    pub tenants: Option<Tenants>,
    /// Password material found.
    pub passwords: Passwords,
    /// How bad it is, with reasons a person can act on.
    pub sensitivity: Sensitivity,
    /// Problems met while reading (located; never raw values).
    pub diagnostics: Vec<DiagnosticSummary>,
    /// True when the user asked for raw values with `--reveal`.
    #[serde(default)]
    pub revealed: bool,
}

/// Producer of a document.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ToolInfo {
    /// Always `leakscope`.
    pub name: String,
    /// Crate version.
    pub version: String,
}

/// One source read.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct SourceSummary {
    /// Display path (`outer.zip!/inner.csv` for archive members).
    pub path: String,
    /// Detected format id.
    pub format: String,
    /// Detected text encoding, if text.
    pub encoding: Option<String>,
    /// Bytes as stored.
    pub bytes: u64,
    /// Unpacking chain, outside in.
    pub compression: Vec<String>,
    /// Rows read from this source.
    pub rows: u64,
}

/// One table and its columns.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TableProfile {
    /// Table, sheet or file-stem name.
    pub name: String,
    /// Display path of the source.
    pub source: String,
    /// Rows read.
    pub rows: u64,
    /// Rows skipped.
    pub rows_skipped: u64,
    /// Column profiles in column order.
    pub columns: Vec<ColumnProfile>,
}

/// What one column holds.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ColumnProfile {
    /// Header (or `col_N`).
    pub name: String,
    /// Data class id (`other` when nothing fits).
    pub class: String,
    /// Sub-kind: national ID kind (`cn_resident_id`...), hash algorithm (`bcrypt`...), card brand.
    #[serde(default)]
    pub kind: Option<String>,
    /// 0.0–1.0.
    pub confidence: f64,
    /// One line a person can check ("96% of 10,000 sampled values are valid CN resident IDs; header 身份证号").
    pub evidence: String,
    /// Share of rows with a non-empty value.
    pub fill_rate: f64,
    /// Estimated number of distinct non-empty values.
    pub distinct_estimate: u64,
    /// Share of non-empty values that validate as `class`.
    pub validation_share: f64,
    /// Up to three examples, masked unless the profile is `revealed`.
    pub examples: Vec<String>,
    /// Other classes present in a mixed column, with their shares of non-empty values.
    #[serde(default)]
    pub mixed: Vec<ClassShare>,
    /// PII embedded in free text ("notes: 12% contain a phone number").
    #[serde(default)]
    pub embedded: Vec<ClassShare>,
}

/// A class with the share of values holding it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ClassShare {
    /// Data class id.
    pub class: String,
    /// 0.0–1.0.
    pub share: f64,
}

/// Distinct-people count.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Individuals {
    /// Number of distinct people.
    pub estimate: u64,
    /// `exact` or `hyperloglog`.
    pub method: String,
    /// Relative standard error of the estimate (0 when exact).
    pub relative_error: f64,
    /// Rows keyed by each identifier kind (`national_id`, `email`, `phone`), strongest first.
    pub keyed_by: Vec<KeyCount>,
    /// Rows with no identifier at all (not counted as people unless `basis` is `names`).
    pub rows_without_identifier: u64,
    /// What the count rests on: `identifiers` (e-mail, phone, national ID), `names` (no
    /// identifier column anywhere: people told apart by name, plus birth date / address where
    /// present — an approximation), or `none` (neither: the number of people is unknown).
    #[serde(default = "identifiers_basis")]
    pub basis: String,
}

fn identifiers_basis() -> String {
    "identifiers".to_string()
}

/// Rows keyed by one identifier kind.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct KeyCount {
    /// `national_id`, `email` or `phone`.
    pub key: String,
    /// Rows whose strongest identifier was this kind.
    pub rows: u64,
}

/// Share of people from one country.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CountryShare {
    /// ISO 3166-1 alpha-2 code.
    pub code: String,
    /// English short name.
    pub name: String,
    /// Estimated number of people.
    pub people: u64,
    /// Share of people with a known country, 0.0–1.0.
    pub share: f64,
    /// Which signals placed people here (`phone`, `national_id`, `address`).
    pub signals: Vec<String>,
}

/// Record dates.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct RecordDates {
    /// Oldest event timestamp (ISO 8601 date or date-time).
    pub oldest: Option<String>,
    /// Newest event timestamp.
    pub newest: Option<String>,
    /// Columns the dates came from (`table.column`).
    pub columns: Vec<String>,
    /// Days between the newest record and `found_on`, when both are known.
    pub age_days: Option<i64>,
    /// Human phrase: "newest record 2019-03-02, 19 months before discovery".
    pub age_text: Option<String>,
    /// Records per month (`YYYY-MM`), for the timeline chart.
    pub by_month: Vec<MonthCount>,
}

/// Records in one month.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct MonthCount {
    /// `YYYY-MM`.
    pub month: String,
    /// Records dated in that month.
    pub count: u64,
}

/// Tenants (merchants) of a multi-tenant platform.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Tenants {
    /// `table.column` holding the tenant.
    pub column: String,
    /// Number of distinct tenants.
    pub count: u64,
    /// Largest tenants by rows (at most 20).
    pub top: Vec<TenantCount>,
}

/// Rows of one tenant.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct TenantCount {
    /// Tenant name or id as it appears (a business, not a person).
    pub name: String,
    /// Rows belonging to it.
    pub rows: u64,
    /// The tenant's name from another merchant column of the same rows (a shop's name beside
    /// its id), when the dump has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

impl TenantCount {
    /// `name`, followed by the label when there is one (`118392 · Chợ Mỹ Phẩm Hoa`).
    pub fn display(&self) -> String {
        match &self.label {
            Some(l) if !l.is_empty() && *l != self.name => format!("{} · {l}", self.name),
            _ => self.name.clone(),
        }
    }
}

/// Password material.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Passwords {
    /// Non-empty password or hash values.
    pub total: u64,
    /// Plaintext passwords.
    pub plaintext: u64,
    /// Values that are unsalted or fast hashes (MD5, SHA-x, NTLM, MySQL41...).
    pub fast_or_unsalted: u64,
    /// Counts per algorithm.
    pub by_algorithm: Vec<AlgorithmCount>,
}

/// Hashes of one algorithm.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct AlgorithmCount {
    /// Algorithm id (`bcrypt`, `md5`, `plaintext`...).
    pub algorithm: String,
    /// Values.
    pub count: u64,
    /// True for unsalted or fast hashes and plaintext.
    pub weak: bool,
}

/// Sensitivity level.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Little harm expected.
    Low,
    /// Spam, phishing.
    Moderate,
    /// Account takeover, targeted fraud.
    High,
    /// Identity theft, payment fraud.
    Critical,
}

/// How bad the leak is.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Sensitivity {
    /// Overall level: the highest reason's level.
    pub level: Level,
    /// Reasons, most severe first.
    pub reasons: Vec<Reason>,
}

/// One reason for the sensitivity level.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Reason {
    /// Stable code (`id-and-name`, `weak-password-hashes`, `card-numbers`...).
    pub code: String,
    /// Level this reason alone implies.
    pub level: Level,
    /// Actionable sentence ("national ID + full name: identity theft").
    pub text: String,
}

/// A reading problem, summarised for the profile.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DiagnosticSummary {
    /// `info`, `warning` or `error`.
    pub severity: String,
    /// Stable code.
    pub code: String,
    /// Message with location.
    pub message: String,
    /// Source path.
    pub source: String,
    /// Rows skipped.
    pub rows_skipped: u64,
    /// Problems this entry stands for: 1, or more for the entry that sums up those of one code
    /// not listed individually. Optional on input (default 1).
    #[serde(default = "one")]
    pub count: u64,
}

fn one() -> u64 {
    1
}
