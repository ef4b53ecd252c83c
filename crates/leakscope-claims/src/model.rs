//! The claim document (`leakscope.claim/1`, documented in `docs/claims.md`).
//!
//! Every field is `null` / empty when the text does not say; every filled field has at least one
//! evidence span in [`Claim::evidence`], keyed by the field's path (`victims[0].name`,
//! `records[1]`, `dates.breach` …). A span on a path covers everything below it.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Schema id of a claim document.
pub const SCHEMA: &str = "leakscope.claim/1";

/// What a post says happened. A news item can be several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Data offered for sale.
    Sale,
    /// Data published or shared for free.
    FreeLeak,
    /// A ransomware / extortion group's listing.
    Ransomware,
    /// An open service (Elasticsearch, Kibana, S3 …) found exposing data.
    Exposure,
    /// The organisation confirmed a breach.
    ConfirmedBreach,
    /// A regulator's decision, fine or order.
    RegulatoryAction,
}

impl Kind {
    /// Stable snake_case id.
    pub fn id(self) -> &'static str {
        match self {
            Kind::Sale => "sale",
            Kind::FreeLeak => "free_leak",
            Kind::Ransomware => "ransomware",
            Kind::Exposure => "exposure",
            Kind::ConfirmedBreach => "confirmed_breach",
            Kind::RegulatoryAction => "regulatory_action",
        }
    }

    /// Parses a stable id.
    pub fn from_id(s: &str) -> Option<Kind> {
        [
            Kind::Sale,
            Kind::FreeLeak,
            Kind::Ransomware,
            Kind::Exposure,
            Kind::ConfirmedBreach,
            Kind::RegulatoryAction,
        ]
        .into_iter()
        .find(|k| k.id() == s)
    }
}

/// How established the claim is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Claimed by a seller, group or researcher; not confirmed by the organisation.
    Alleged,
    /// The organisation (or an authority) confirmed it.
    Confirmed,
    /// A regulator fined the organisation.
    Fined,
    /// The organisation denied it.
    Denied,
}

impl Status {
    /// Stable snake_case id.
    pub fn id(self) -> &'static str {
        match self {
            Status::Alleged => "alleged",
            Status::Confirmed => "confirmed",
            Status::Fined => "fined",
            Status::Denied => "denied",
        }
    }
}

/// One span of the text as read (see [`Source::chars`]): `[start, end)` in Unicode scalar values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// First character (0-based).
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// The spanned text (values that look like personal data are masked unless revealed).
    pub text: String,
    /// Where the value came from when not from the text alone: `platforms` (the bundled platform
    /// file, the span is the mention it was looked up from), `post_date` (resolved against the
    /// post date), `metadata` (a field of the input format such as an e-mail `Date:`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
}

/// An organisation a claim is about.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Victim {
    /// Name as written (or as in the platform file when matched by alias or domain).
    pub name: String,
    /// Other names (platform file aliases, names written next to it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Web domain.
    #[serde(default)]
    pub domain: Option<String>,
    /// ISO 3166-1 alpha-2 country.
    #[serde(default)]
    pub country: Option<String>,
    /// Sector (STIX industry-sector vocabulary: `retail`, `financial-services` …).
    #[serde(default)]
    pub sector: Option<String>,
    /// `victim`, `parent`, `owner`, `platform` or `service_provider`.
    #[serde(default = "default_role")]
    pub role: String,
    /// For a non-victim role: the name of the organisation this one is the parent/owner/platform/
    /// provider of.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub of: Option<String>,
    /// Id of the platform-file entry when the name was recognised there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub platform_id: Option<String>,
}

fn default_role() -> String {
    "victim".into()
}

/// A seller, author or group.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Actor {
    /// Handle or group name as written (without a leading `@`).
    pub name: String,
    /// `individual` or `group` when the text says.
    #[serde(default)]
    pub kind: Option<String>,
}

/// Where the claim was made.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Venue {
    /// `forum`, `telegram`, `marketplace` or `leak_site`.
    pub kind: String,
    /// Name (`BreachForums`, a channel title, a group's leak site).
    #[serde(default)]
    pub name: Option<String>,
}

/// A way to reach the seller.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Contact {
    /// `telegram`, `jabber`, `tox`, `session`, `signal`, `email`, `matrix`, `whatsapp`,
    /// `wickr`, `threema`, `forum_pm`.
    pub kind: String,
    /// Handle or address when given; null when only the channel kind is named.
    #[serde(default)]
    pub handle: Option<String>,
}

/// An amount of money.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Money {
    /// Amount in units of the currency.
    #[serde(default)]
    pub amount: Option<f64>,
    /// ISO 4217 code, or `BTC`, `XMR`, `ETH`, `USDT`.
    #[serde(default)]
    pub currency: Option<String>,
}

/// A claimed count.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Records {
    /// The number.
    pub count: u64,
    /// `accounts`, `individuals`, `rows`, `events` or `records`.
    #[serde(default)]
    pub unit: Option<String>,
    /// `about`, `more_than` or `up_to`; null when the number is stated as exact.
    #[serde(default)]
    pub qualifier: Option<String>,
}

/// Whether a sample is offered, and in which formats.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Sample {
    /// True when the text offers or shows a sample, false when it says there is none.
    #[serde(default)]
    pub provided: Option<bool>,
    /// File formats of the sample (`xlsx`, `csv`, `sql`, `json`, `txt`, `pdf`, `screenshot`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub formats: Vec<String>,
}

/// A date as the text gives it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DateValue {
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY` (per `precision`); null when it could not be resolved
    /// (a relative date without a post date, a day and month without any year).
    #[serde(default)]
    pub value: Option<String>,
    /// `day`, `month` or `year`.
    #[serde(default)]
    pub precision: Option<String>,
    /// The year was not written; it was taken from the post date.
    #[serde(default, skip_serializing_if = "is_false")]
    pub year_inferred: bool,
    /// Written relative to the post date ("last Tuesday", "two years out of date").
    #[serde(default, skip_serializing_if = "is_false")]
    pub relative: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The dates a claim can carry.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Dates {
    /// When the post / article / message was published.
    #[serde(default)]
    pub posted: Option<DateValue>,
    /// When the breach or intrusion happened.
    #[serde(default)]
    pub breach: Option<DateValue>,
    /// When the data was taken.
    #[serde(default)]
    pub exfiltrated: Option<DateValue>,
    /// When it was discovered or came to light.
    #[serde(default)]
    pub discovered: Option<DateValue>,
    /// When people or authorities were notified.
    #[serde(default)]
    pub notified: Option<DateValue>,
    /// How current the data is ("last updated in May 2021").
    #[serde(default)]
    pub data_as_of: Option<DateValue>,
    /// Date of a regulator's decision.
    #[serde(default)]
    pub decision: Option<DateValue>,
}

impl Dates {
    /// The date fields by name, in schema order.
    pub fn fields(&self) -> [(&'static str, &Option<DateValue>); 7] {
        [
            ("posted", &self.posted),
            ("breach", &self.breach),
            ("exfiltrated", &self.exfiltrated),
            ("discovered", &self.discovered),
            ("notified", &self.notified),
            ("data_as_of", &self.data_as_of),
            ("decision", &self.decision),
        ]
    }

    /// Mutable access by field name.
    pub fn field_mut(&mut self, name: &str) -> Option<&mut Option<DateValue>> {
        Some(match name {
            "posted" => &mut self.posted,
            "breach" => &mut self.breach,
            "exfiltrated" => &mut self.exfiltrated,
            "discovered" => &mut self.discovered,
            "notified" => &mut self.notified,
            "data_as_of" => &mut self.data_as_of,
            "decision" => &mut self.decision,
            _ => return None,
        })
    }
}

/// An open service exposing data.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Exposure {
    /// `elasticsearch`, `kibana`, `mongodb`, `s3`, `azure_blob`, `gcs`, `redis`, `database`,
    /// `ftp`, `git`, `backup_file` …
    #[serde(default)]
    pub service: Option<String>,
    /// `none` (no authentication), `default_credentials`.
    #[serde(default)]
    pub auth: Option<String>,
    /// How long it was exposed, in days.
    #[serde(default)]
    pub duration_days: Option<u64>,
    /// Records in the exposed service.
    #[serde(default)]
    pub records: Option<u64>,
    /// Size of the exposed data in bytes.
    #[serde(default)]
    pub size_bytes: Option<u64>,
}

/// A law the text names.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Law {
    /// Id in `rules/legal.toml` (`sg-pdpa`, `vn-decree-13-2023` …).
    pub id: String,
    /// Canonical name.
    #[serde(default)]
    pub name: Option<String>,
    /// Jurisdiction code (as in `leakscope-obligations`).
    #[serde(default)]
    pub jurisdiction: Option<String>,
}

/// A regulator the text names.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Regulator {
    /// Id in `rules/legal.toml` (`sg-pdpc`, `cn-cac`, `vn-a05` …).
    pub id: String,
    /// Canonical name.
    #[serde(default)]
    pub name: Option<String>,
    /// Jurisdiction code.
    #[serde(default)]
    pub jurisdiction: Option<String>,
    /// Ids of the `leakscope obligations` rules whose notifications go to this regulator.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub obligations: Vec<String>,
}

/// A fine or a maximum penalty.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Penalty {
    /// Amount, when stated as money.
    #[serde(default)]
    pub amount: Option<f64>,
    /// Currency of `amount`.
    #[serde(default)]
    pub currency: Option<String>,
    /// Percentage, when stated as a share of turnover.
    #[serde(default)]
    pub percent: Option<f64>,
    /// `global_turnover` or `annual_turnover` for percentages.
    #[serde(default)]
    pub basis: Option<String>,
    /// `fine` (imposed) or `maximum` (what the law allows).
    pub kind: String,
}

/// Where the text came from.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Source {
    /// File path or URL it was read from.
    #[serde(default)]
    pub path: Option<String>,
    /// Input format (`text`, `markdown`, `html`, `eml`, `telegram`, `rss`, `atom`, `json_feed`,
    /// `leak_site_json`).
    pub format: String,
    /// Item within a multi-item input (Telegram message id, feed item id, list index).
    #[serde(default)]
    pub item: Option<String>,
    /// Title of the post or article.
    #[serde(default)]
    pub title: Option<String>,
    /// Link of the post or article.
    #[serde(default)]
    pub url: Option<String>,
    /// Characters in the text as read (the text spans point into).
    pub chars: usize,
    /// SHA-256 of the text as read (UTF-8), hex.
    pub sha256: String,
}

/// A watchlist entry that matched the claim, and why.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct WatchHit {
    /// Watchlist entry id.
    pub entry_id: i64,
    /// Entry name.
    pub entry: String,
    /// `name`, `alias`, `domain`, `subdomain`, `parent`, `mention`.
    pub how: String,
    /// Path of the claim field that matched (`victims[0].name`), or `text` for a mention.
    pub field: String,
    /// Human explanation.
    pub why: String,
}

/// One claim extracted from one post.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Claim {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// Stable id: `clm-` + the first 16 hex digits of the fingerprint.
    pub id: String,
    /// Where it was read.
    pub source: Source,
    /// Main language of the text: `en`, `vi`, `zh-Hans`, `zh-Hant`.
    pub lang: String,
    /// SHA-256 of the normalised text (case, diacritics, width, spacing, links and punctuation
    /// removed): the same post re-shared has the same fingerprint.
    pub fingerprint: String,
    /// What happened (a list: a news item can be several).
    #[serde(default)]
    pub kind: Vec<Kind>,
    /// How established it is.
    #[serde(default)]
    pub status: Option<Status>,
    /// Organisations concerned.
    #[serde(default)]
    pub victims: Vec<Victim>,
    /// Sellers, authors, groups.
    #[serde(default)]
    pub actors: Vec<Actor>,
    /// Where it was claimed.
    #[serde(default)]
    pub venue: Option<Venue>,
    /// Ways to reach the seller.
    #[serde(default)]
    pub contacts: Vec<Contact>,
    /// Asking price.
    #[serde(default)]
    pub price: Option<Money>,
    /// Claimed counts.
    #[serde(default)]
    pub records: Vec<Records>,
    /// Claimed size in bytes (decimal units: 1 GB = 10^9 bytes).
    #[serde(default)]
    pub size_bytes: Option<u64>,
    /// Data classes in the scan vocabulary (`leakscope_detect::DataClass` ids).
    #[serde(default)]
    pub data_classes: Vec<String>,
    /// Data named in the text that has no class (canonical names from `rules/classes.toml`).
    #[serde(default)]
    pub data_other: Vec<String>,
    /// Sample offered.
    #[serde(default)]
    pub sample: Option<Sample>,
    /// Dates.
    #[serde(default)]
    pub dates: Dates,
    /// Open-service details.
    #[serde(default)]
    pub exposure: Option<Exposure>,
    /// Laws named.
    #[serde(default)]
    pub laws: Vec<Law>,
    /// Regulators named.
    #[serde(default)]
    pub regulators: Vec<Regulator>,
    /// Fines and maximum penalties.
    #[serde(default)]
    pub penalties: Vec<Penalty>,
    /// Evidence: field path → spans of the text as read.
    #[serde(default)]
    pub evidence: BTreeMap<String, Vec<Span>>,
    /// Watchlist hits (filled when matched against a watchlist).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub watch: Vec<WatchHit>,
}

impl Claim {
    /// True when the claim names nothing but its source.
    pub fn is_empty(&self) -> bool {
        self.kind.is_empty() && self.status.is_none() && self.victims.is_empty()
    }
}
