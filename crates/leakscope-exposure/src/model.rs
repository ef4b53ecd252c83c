//! The exposure document (`leakscope.exposure/1`): services found, findings with their exposure
//! window and profile, refused targets, limits. Documented field by field in `docs/exposure.md`.

use leakscope_profile::ScanProfile;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Schema id of the exposure document.
pub const SCHEMA: &str = "leakscope.exposure/1";

/// The kinds of service the probes know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ServiceKind {
    /// Elasticsearch or OpenSearch (REST API).
    Elasticsearch,
    /// Kibana or OpenSearch Dashboards.
    Kibana,
    /// MongoDB (wire protocol, OP_MSG).
    Mongodb,
    /// Redis (RESP).
    Redis,
    /// PostgreSQL.
    Postgresql,
    /// MySQL or MariaDB.
    Mysql,
    /// An S3-compatible object store (anonymous listing).
    S3,
    /// A web server (directory listings, dump and backup files).
    Http,
}

impl ServiceKind {
    /// Lower-case id (as in the JSON).
    pub fn id(self) -> &'static str {
        match self {
            ServiceKind::Elasticsearch => "elasticsearch",
            ServiceKind::Kibana => "kibana",
            ServiceKind::Mongodb => "mongodb",
            ServiceKind::Redis => "redis",
            ServiceKind::Postgresql => "postgresql",
            ServiceKind::Mysql => "mysql",
            ServiceKind::S3 => "s3",
            ServiceKind::Http => "http",
        }
    }

    /// From an id or a URL scheme (`postgres`, `mongodb`, `es` …).
    pub fn from_id(s: &str) -> Option<ServiceKind> {
        Some(match s.to_ascii_lowercase().as_str() {
            "elasticsearch" | "es" | "opensearch" => ServiceKind::Elasticsearch,
            "kibana" | "dashboards" => ServiceKind::Kibana,
            "mongodb" | "mongo" => ServiceKind::Mongodb,
            "redis" => ServiceKind::Redis,
            "postgresql" | "postgres" | "pg" => ServiceKind::Postgresql,
            "mysql" | "mariadb" => ServiceKind::Mysql,
            "s3" | "minio" => ServiceKind::S3,
            "http" | "https" | "web" => ServiceKind::Http,
            _ => return None,
        })
    }

    /// Every kind.
    pub const ALL: [ServiceKind; 8] = [
        ServiceKind::Elasticsearch,
        ServiceKind::Kibana,
        ServiceKind::Mongodb,
        ServiceKind::Redis,
        ServiceKind::Postgresql,
        ServiceKind::Mysql,
        ServiceKind::S3,
        ServiceKind::Http,
    ];
}

/// Whether a service let us read without credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Auth {
    /// Readable without credentials (or with a documented default credential, see `via`).
    None,
    /// Credentials are required: nothing was read.
    Required,
    /// The probe could not tell.
    Unknown,
}

/// A store inside a service: an index, a collection, a table, a key prefix, a file, a bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Store {
    /// Name (identifiers in names masked).
    pub name: String,
    /// `index`, `collection`, `table`, `keyspace`, `key-prefix`, `file`, `bucket`,
    /// `index-pattern`, `config-file`.
    pub kind: String,
    /// Records (documents, rows, keys) the service reports; `None` when unknown.
    pub records: Option<u64>,
    /// Bytes the service reports (index store size, file size …).
    pub bytes: Option<u64>,
    /// Newest document time, when the store has a time field.
    pub newest: Option<String>,
    /// Records read into the sample.
    pub sampled: u64,
    /// The sample's source path in the profile (files: to match the rows read).
    #[serde(skip)]
    pub source: Option<String>,
}

/// One reachable service and what the probe learnt.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Service {
    /// Host as given (name or address).
    pub host: String,
    /// Address connected to.
    pub ip: String,
    /// Port.
    pub port: u16,
    /// Kind.
    pub kind: ServiceKind,
    /// Product (`Elasticsearch`, `OpenSearch`, `MariaDB` …).
    pub product: Option<String>,
    /// Version the service announces.
    pub version: Option<String>,
    /// Credentials needed?
    pub auth: Auth,
    /// How that was decided (`HTTP 401`, `NOAUTH`, `user postgres without password` …).
    pub auth_detail: String,
    /// Product facts (cluster name, databases …; no personal data).
    pub details: BTreeMap<String, serde_json::Value>,
    /// Stores seen.
    pub stores: Vec<Store>,
    /// What was limited or skipped (sample caps, stores not sampled …).
    pub notes: Vec<String>,
}

impl Service {
    /// `kind://host:port` — the stable location of a finding.
    pub fn location(&self) -> String {
        let host = if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        };
        format!("{}://{}:{}", self.kind.id(), host, self.port)
    }
}

/// An estimate with how it was made; `value` is `None` when unknown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The figure.
    pub value: Option<u64>,
    /// How it was obtained.
    pub basis: String,
}

/// How a finding changed since the previous scan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// `new`, `unchanged`, `changed` or `reopened`.
    pub state: String,
    /// What changed (stores added or gone, record counts, classes).
    pub details: Vec<String>,
}

/// An exposed service with readable data: what, how much, whose, since when.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Finding {
    /// Stable id (`exp-` + 12 hex of the location's hash).
    pub id: String,
    /// Row in the database (for `case open --exposure`), once stored.
    pub row: Option<i64>,
    /// `kind://host:port`.
    pub location: String,
    /// The service.
    pub service: Service,
    /// `open` (found in this scan).
    pub status: String,
    /// First time it was ever seen open.
    pub first_seen: String,
    /// Start of the current open period.
    pub open_since: String,
    /// Last time it was seen open (this scan).
    pub last_seen: String,
    /// Whole days between `open_since` and `last_seen`: open for at least this long.
    pub open_days: i64,
    /// Scans that saw it open.
    pub observations: i64,
    /// Since the previous scan.
    pub change: Change,
    /// Records in the exposed stores (counts the service reports, plus files' sampled rows
    /// extrapolated by size).
    pub records: Estimate,
    /// People: records × (people ÷ rows in the sample), when the sample identifies people.
    pub people: Estimate,
    /// Rows sampled and profiled.
    pub sample_rows: u64,
    /// Data classes found in the sample.
    pub data_classes: Vec<String>,
    /// Sensitivity level of the sample (`none` … `critical`).
    pub sensitivity: String,
    /// Why.
    pub sensitivity_reasons: Vec<String>,
    /// The sample's profile (`leakscope.scan/1`, examples removed): what `obligations` and
    /// `case` take as is.
    pub profile: ScanProfile,
}

/// A finding from an earlier scan whose service no longer answers without credentials.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Closed {
    /// Stable id.
    pub id: String,
    /// Row in the database.
    pub row: i64,
    /// `kind://host:port`.
    pub location: String,
    /// First seen open.
    pub first_seen: String,
    /// Last seen open.
    pub last_seen: String,
    /// When this scan found it closed.
    pub closed_at: String,
    /// Days it was open at least.
    pub open_days: i64,
}

/// A target refused before any packet was sent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Refusal {
    /// The target as given.
    pub target: String,
    /// Why.
    pub reason: String,
}

/// A probe that failed (timeout, protocol error): located, never a value.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProbeFailure {
    /// `host:port`.
    pub endpoint: String,
    /// Probe kind tried.
    pub kind: Option<ServiceKind>,
    /// What happened.
    pub message: String,
}

/// The limits a scan ran under (recorded in the document).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LimitsUsed {
    /// Endpoints probed at once.
    pub concurrency: usize,
    /// New connections and HTTP requests per second, all probes together.
    pub rate_per_second: f64,
    /// Connect timeout, milliseconds.
    pub connect_timeout_ms: u64,
    /// Read/write timeout, milliseconds.
    pub io_timeout_ms: u64,
    /// Documents/rows sampled per store.
    pub sample_per_store: usize,
    /// Stores sampled per service.
    pub stores_per_service: usize,
    /// Bytes read per sampled file or store.
    pub sample_bytes: u64,
    /// Documented default-credential checks on?
    pub default_credentials: bool,
    /// Well-known path checks on web servers on?
    pub well_known_paths: bool,
    /// User-Agent of HTTP requests.
    pub user_agent: String,
}

/// Facts about the scan run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ScanMeta {
    /// The clock of the scan (simulated with `--now`).
    pub at: String,
    /// Wall-clock duration, milliseconds.
    pub duration_ms: u64,
    /// Scope file.
    pub scope: String,
    /// Targets as given.
    pub targets: Vec<String>,
    /// Endpoints (address × port) probed.
    pub endpoints: usize,
    /// TCP connections opened.
    pub connections: u64,
    /// HTTP requests sent.
    pub requests: u64,
    /// Limits.
    pub limits: LimitsUsed,
    /// Row of the scan in the database, when stored.
    pub row: Option<i64>,
}

/// The whole document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExposureReport {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// leakscope version.
    pub tool_version: String,
    /// The run.
    pub scan: ScanMeta,
    /// Targets refused before any packet.
    pub refused: Vec<Refusal>,
    /// Every service that answered (open or not).
    pub services: Vec<Service>,
    /// Services readable without credentials.
    pub findings: Vec<Finding>,
    /// Earlier findings now closed.
    pub closed: Vec<Closed>,
    /// Probes that failed.
    pub failures: Vec<ProbeFailure>,
}
