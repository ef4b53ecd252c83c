//! `leakscope exposure`: finds your own services that answer without credentials —
//! Elasticsearch/OpenSearch, Kibana/OpenSearch Dashboards, MongoDB, Redis, PostgreSQL,
//! MySQL/MariaDB, S3-compatible stores, web servers serving dumps — and tells which personal data
//! they expose, how much, and since when.
//!
//! 1. [`scope`]: every target is checked against the scope file before a packet is sent, and
//!    every connection again at connect time ([`net::Net`]); concurrency, one shared rate limit,
//!    timeouts and a clear User-Agent ([`net::Limits`]).
//! 2. [`probe`]: read-only probes, one per product (what each sends: `docs/exposure.md`).
//! 3. [`sample`] / [`findings`]: bounded samples go through the scan engine
//!    (`leakscope.scan/1`), never stored; records and people estimated from counts × sample.
//! 4. [`store`]: findings with first/last seen in the data directory's database; the exposure
//!    window and what changed between scans.

pub mod engine;
pub mod findings;
pub mod http;
pub mod model;
pub mod net;
pub mod probe;
pub mod render;
pub mod replay;
pub mod sample;
pub mod scope;
pub mod store;

pub use engine::{plan, Plan};
pub use model::{ExposureReport, Finding, Service, ServiceKind, SCHEMA};
pub use net::{Limits, Net};
pub use scope::Scope;

use chrono::{DateTime, Utc};
use std::collections::HashSet;
use std::sync::Arc;

/// A scan to run.
#[derive(Debug, Clone)]
pub struct Request {
    /// Targets as given (hosts, networks, URLs).
    pub targets: Vec<String>,
    /// The allow list.
    pub scope: Arc<Scope>,
    /// Ports for targets without one (empty: the default list).
    pub ports: Vec<u16>,
    /// Limits.
    pub limits: Limits,
    /// The scan's clock (simulated in tests and with `--now`).
    pub now: DateTime<Utc>,
}

/// Progress of a running scan: endpoints done, endpoints in all, the last one.
pub type Progress<'a> = dyn FnMut(usize, usize, &str) + 'a;

fn limits_used(l: &Limits) -> model::LimitsUsed {
    model::LimitsUsed {
        concurrency: l.concurrency,
        rate_per_second: l.rate,
        connect_timeout_ms: l.connect_timeout.as_millis() as u64,
        io_timeout_ms: l.io_timeout.as_millis() as u64,
        sample_per_store: l.sample_per_store,
        stores_per_service: l.stores_per_service,
        sample_bytes: l.sample_bytes,
        default_credentials: l.default_credentials,
        well_known_paths: l.well_known_paths,
        user_agent: l.user_agent.clone(),
    }
}

/// An empty report for a plan (what `--dry-run` prints, and what a scan fills).
pub fn report_for(req: &Request, plan: &Plan) -> ExposureReport {
    ExposureReport {
        schema: SCHEMA.into(),
        tool_version: env!("CARGO_PKG_VERSION").into(),
        scan: model::ScanMeta {
            at: store::fmt_time(req.now),
            duration_ms: 0,
            scope: req.scope.origin.clone(),
            targets: req.targets.clone(),
            endpoints: plan.jobs.len(),
            connections: 0,
            requests: 0,
            limits: limits_used(&req.limits),
            row: None,
        },
        refused: plan.refused.clone(),
        services: Vec::new(),
        findings: Vec::new(),
        closed: Vec::new(),
        failures: Vec::new(),
    }
}

/// Runs the scan. With a database, findings get their history and are stored; without one,
/// every finding is reported as new.
pub fn scan(
    req: &Request,
    db: Option<&mut leakscope_db::Db>,
    progress: &mut Progress<'_>,
) -> Result<ExposureReport, leakscope_db::DbError> {
    let started = std::time::Instant::now();
    let plan = engine::plan(&req.targets, &req.scope, &req.ports, &req.limits);
    let mut report = report_for(req, &plan);
    let net = Net::new(Arc::clone(&req.scope), req.limits.clone());
    let found_on = req.now.format("%Y-%m-%d").to_string();
    let mut drafts = Vec::new();
    let mut answered: HashSet<(String, u16)> = HashSet::new();
    let total = plan.jobs.len();
    let mut done = 0usize;
    engine::run(
        &plan,
        &net,
        |_job, outcome| match outcome {
            engine::Outcome::Service(p) => {
                let (svc, draft) = findings::profile(*p, &found_on);
                Ok((Some(svc), draft))
            }
            engine::Outcome::Closed | engine::Outcome::Unknown => Ok((None, None)),
            engine::Outcome::Failed(f) => Err(f),
        },
        |job, r| {
            done += 1;
            progress(done, total, &job.ep.authority());
            match r {
                Ok((svc, draft)) => {
                    answered.insert((job.ep.host(), job.ep.port));
                    if let Some(s) = svc {
                        if let Some(d) = draft {
                            drafts.push((s.clone(), d));
                        }
                        report.services.push(s);
                    }
                }
                Err(f) => report.failures.push(f),
            }
        },
    );
    report
        .services
        .sort_by(|a, b| (&a.host, a.port).cmp(&(&b.host, b.port)));
    drafts.sort_by(|a, b| (&a.0.host, a.0.port).cmp(&(&b.0.host, b.0.port)));
    report.scan.connections = net.connections();
    report.scan.requests = net.requests();
    report.scan.duration_ms = started.elapsed().as_millis() as u64;
    match db {
        Some(db) => store::record(db, &mut report, drafts, &answered, req.now)?,
        None => {
            let at = store::fmt_time(req.now);
            for (service, d) in drafts {
                let location = service.location();
                report.findings.push(Finding {
                    id: store::finding_id(&location),
                    row: None,
                    location,
                    status: "open".into(),
                    first_seen: at.clone(),
                    open_since: at.clone(),
                    last_seen: at.clone(),
                    open_days: 0,
                    observations: 1,
                    change: model::Change {
                        state: "new".into(),
                        details: Vec::new(),
                    },
                    records: d.records,
                    people: d.people,
                    sample_rows: d.sample_rows,
                    data_classes: d.profile.data_classes.clone(),
                    sensitivity: serde_json::to_value(d.profile.sensitivity.level)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                    sensitivity_reasons: d
                        .profile
                        .sensitivity
                        .reasons
                        .iter()
                        .map(|r| r.text.clone())
                        .collect(),
                    profile: d.profile,
                    service,
                });
            }
        }
    }
    Ok(report)
}
