//! Findings over time in the data directory's database (migration 4): each scan is recorded,
//! each exposed service keeps `first_seen`, `open_since` and `last_seen`, and every observation
//! says what changed — so repeated scans give the exposure window ("open for at least 87 days").

use crate::findings::Draft;
use crate::model::{Change, Closed, ExposureReport, Finding, Service};
use chrono::{DateTime, Utc};
use leakscope_db::{Db, DbError, Value};
use serde::Serialize;
use serde_json::json;
use sha2::Digest;
use std::collections::{BTreeMap, HashSet};

/// Time as stored.
pub fn fmt_time(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

/// Whole days from `a` to `b`.
pub fn days_between(a: &str, b: &str) -> i64 {
    match (parse_time(a), parse_time(b)) {
        (Some(a), Some(b)) => (b - a).num_days().max(0),
        _ => 0,
    }
}

/// The stable id of a location.
pub fn finding_id(location: &str) -> String {
    let h = sha2::Sha256::digest(location.as_bytes());
    format!("exp-{}", &hex::encode(h)[..12])
}

/// What an observation records: stores with their counts, classes, how access was decided.
fn summary(s: &Service, d: &Draft) -> serde_json::Value {
    let stores: Vec<_> = s
        .stores
        .iter()
        .map(|x| json!({"name": leakscope_text::display_name(&x.name), "kind": x.kind, "records": x.records}))
        .collect();
    json!({
        "stores": stores,
        "data_classes": d.profile.data_classes,
        "auth_detail": s.auth_detail,
        "records": d.records.value,
        "people": d.people.value,
        "version": s.version,
    })
}

/// What changed between two summaries.
pub fn diff(prev: &serde_json::Value, now: &serde_json::Value) -> Vec<String> {
    let stores = |v: &serde_json::Value| -> BTreeMap<String, Option<u64>> {
        v["stores"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| Some((s["name"].as_str()?.to_string(), s["records"].as_u64())))
            .collect()
    };
    let (a, b) = (stores(prev), stores(now));
    let mut out = Vec::new();
    for (n, r) in &b {
        match a.get(n) {
            None => out.push(format!(
                "new store {n}{}",
                r.map(|r| format!(" ({} records)", leakscope_text::thousands(r)))
                    .unwrap_or_default()
            )),
            Some(old) if old != r => out.push(format!(
                "{n}: {} → {} records",
                old.map_or("?".into(), leakscope_text::thousands),
                r.map_or("?".into(), leakscope_text::thousands)
            )),
            _ => {}
        }
    }
    for n in a.keys().filter(|n| !b.contains_key(*n)) {
        out.push(format!("store {n} gone"));
    }
    let classes = |v: &serde_json::Value| -> Vec<String> {
        v["data_classes"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c.as_str().map(str::to_string))
            .collect()
    };
    let (ca, cb) = (classes(prev), classes(now));
    let added: Vec<_> = cb.iter().filter(|c| !ca.contains(c)).cloned().collect();
    let gone: Vec<_> = ca.iter().filter(|c| !cb.contains(c)).cloned().collect();
    if !added.is_empty() {
        out.push(format!("new data classes: {}", added.join(", ")));
    }
    if !gone.is_empty() {
        out.push(format!("data classes no longer seen: {}", gone.join(", ")));
    }
    if prev["version"] != now["version"] && !prev["version"].is_null() {
        out.push(format!(
            "version {} → {}",
            prev["version"].as_str().unwrap_or("?"),
            now["version"].as_str().unwrap_or("?")
        ));
    }
    out
}

/// Records a scan: inserts or updates findings, closes those no longer open on endpoints this
/// scan answered for, fills `report.findings`/`report.closed` and stores the document.
/// `answered` holds the (host, port) pairs the scan got a definite answer from.
pub fn record(
    db: &mut Db,
    report: &mut ExposureReport,
    drafts: Vec<(Service, Draft)>,
    answered: &HashSet<(String, u16)>,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let at = fmt_time(now);
    db.transaction(|db| -> Result<(), DbError> {
        let scan_id = db.insert(
            "INSERT INTO exposure_scans (at, scope, targets, endpoints, services, findings, document) \
             VALUES (?, ?, ?, ?, ?, ?, '{}') RETURNING id",
            &[
                at.clone().into(),
                report.scan.scope.clone().into(),
                serde_json::to_string(&report.scan.targets).unwrap_or_default().into(),
                Value::Int(report.scan.endpoints as i64),
                Value::Int(report.services.len() as i64),
                Value::Int(drafts.len() as i64),
            ],
        )?;
        report.scan.row = Some(scan_id);
        let mut seen_keys = HashSet::new();
        for (service, d) in drafts {
            let location = service.location();
            let key = finding_id(&location);
            seen_keys.insert(key.clone());
            let sum = summary(&service, &d);
            let prev = db.query_opt(
                "SELECT id, status, first_seen, open_since, observations, finding FROM exposure_findings WHERE key = ?",
                &[key.clone().into()],
            )?;
            let (row, first_seen, open_since, observations, change) = match prev {
                None => (None, at.clone(), at.clone(), 1, Change { state: "new".into(), details: Vec::new() }),
                Some(r) => {
                    let prev_sum = db
                        .query_opt(
                            "SELECT summary FROM exposure_observations WHERE finding_id = ? AND state <> 'closed' ORDER BY id DESC LIMIT 1",
                            &[Value::Int(r.i64(0))],
                        )?
                        .and_then(|o| serde_json::from_str(&o.str(0)).ok())
                        .unwrap_or(serde_json::Value::Null);
                    let details = diff(&prev_sum, &sum);
                    if r.str(1) == "closed" {
                        (Some(r.i64(0)), r.str(2), at.clone(), r.i64(4) + 1, Change { state: "reopened".into(), details })
                    } else {
                        let state = if details.is_empty() { "unchanged" } else { "changed" };
                        (Some(r.i64(0)), r.str(2), r.str(3), r.i64(4) + 1, Change { state: state.into(), details })
                    }
                }
            };
            let mut f = Finding {
                id: key.clone(),
                row,
                location: location.clone(),
                status: "open".into(),
                first_seen,
                open_days: days_between(&open_since, &at),
                open_since,
                last_seen: at.clone(),
                observations,
                change,
                records: d.records.clone(),
                people: d.people.clone(),
                sample_rows: d.sample_rows,
                data_classes: d.profile.data_classes.clone(),
                sensitivity: level_id(&d.profile),
                sensitivity_reasons: d.profile.sensitivity.reasons.iter().map(|r| r.text.clone()).collect(),
                profile: d.profile,
                service,
            };
            let doc = serde_json::to_string(&f).unwrap_or_default();
            let records = Value::from(f.records.value.map(|v| v as i64));
            let people = Value::from(f.people.value.map(|v| v as i64));
            let id = match f.row {
                None => db.insert(
                    "INSERT INTO exposure_findings (key, location, kind, host, port, status, first_seen, open_since, last_seen, observations, records, people, sensitivity, finding, last_scan) \
                     VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                    &[
                        key.clone().into(),
                        location.into(),
                        f.service.kind.id().into(),
                        f.service.host.clone().into(),
                        Value::Int(i64::from(f.service.port)),
                        f.first_seen.clone().into(),
                        f.open_since.clone().into(),
                        at.clone().into(),
                        Value::Int(f.observations),
                        records,
                        people,
                        f.sensitivity.clone().into(),
                        doc.into(),
                        Value::Int(scan_id),
                    ],
                )?,
                Some(row) => {
                    db.execute(
                        "UPDATE exposure_findings SET status = 'open', open_since = ?, last_seen = ?, closed_at = NULL, observations = ?, records = ?, people = ?, sensitivity = ?, finding = ?, last_scan = ? WHERE id = ?",
                        &[
                            f.open_since.clone().into(),
                            at.clone().into(),
                            Value::Int(f.observations),
                            records,
                            people,
                            f.sensitivity.clone().into(),
                            doc.clone().into(),
                            Value::Int(scan_id),
                            Value::Int(row),
                        ],
                    )?;
                    row
                }
            };
            f.row = Some(id);
            // The stored document carries its row too.
            db.execute(
                "UPDATE exposure_findings SET finding = ? WHERE id = ?",
                &[serde_json::to_string(&f).unwrap_or_default().into(), Value::Int(id)],
            )?;
            db.execute(
                "INSERT INTO exposure_observations (finding_id, scan_id, at, state, summary) VALUES (?, ?, ?, ?, ?)",
                &[
                    Value::Int(id),
                    Value::Int(scan_id),
                    at.clone().into(),
                    f.change.state.clone().into(),
                    {
                        let mut s = sum.clone();
                        s["changes"] = json!(f.change.details);
                        s.to_string().into()
                    },
                ],
            )?;
            report.findings.push(f);
        }
        // Close what this scan answered for and did not find open.
        let open = db.query(
            "SELECT id, key, location, host, port, first_seen, open_since, last_seen FROM exposure_findings WHERE status = 'open'",
            &[],
        )?;
        for r in open {
            let key = r.str(1);
            if seen_keys.contains(&key) || !answered.contains(&(r.str(3), r.i64(4) as u16)) {
                continue;
            }
            db.execute(
                "UPDATE exposure_findings SET status = 'closed', closed_at = ?, last_scan = ? WHERE id = ?",
                &[at.clone().into(), Value::Int(scan_id), Value::Int(r.i64(0))],
            )?;
            db.execute(
                "INSERT INTO exposure_observations (finding_id, scan_id, at, state, summary) VALUES (?, ?, ?, 'closed', '{}')",
                &[Value::Int(r.i64(0)), Value::Int(scan_id), at.clone().into()],
            )?;
            report.closed.push(Closed {
                id: key,
                row: r.i64(0),
                location: r.str(2),
                first_seen: r.str(5),
                open_days: days_between(&r.str(6), &r.str(7)),
                last_seen: r.str(7),
                closed_at: at.clone(),
            });
        }
        let mut doc = serde_json::to_value(&*report).unwrap_or_default();
        if let Some(fs) = doc.get_mut("findings").and_then(|f| f.as_array_mut()) {
            for f in fs {
                if let Some(o) = f.as_object_mut() {
                    o.remove("profile");
                }
            }
        }
        db.execute(
            "UPDATE exposure_scans SET document = ? WHERE id = ?",
            &[doc.to_string().into(), Value::Int(scan_id)],
        )?;
        Ok(())
    })
}

fn level_id(p: &leakscope_profile::ScanProfile) -> String {
    serde_json::to_value(p.sensitivity.level)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// One stored finding in a list.
#[derive(Debug, Clone, Serialize)]
pub struct Listed {
    /// Row.
    pub row: i64,
    /// Stable id.
    pub id: String,
    /// `kind://host:port`.
    pub location: String,
    /// `open` or `closed`.
    pub status: String,
    /// First seen open.
    pub first_seen: String,
    /// Start of the current (or last) open period.
    pub open_since: String,
    /// Last seen open.
    pub last_seen: String,
    /// When found closed.
    pub closed_at: Option<String>,
    /// Whole days open at least.
    pub open_days: i64,
    /// Scans that saw it open.
    pub observations: i64,
    /// Records estimate.
    pub records: Option<i64>,
    /// People estimate.
    pub people: Option<i64>,
    /// Sensitivity level.
    pub sensitivity: Option<String>,
}

/// Stored findings, open first, newest first; `status` filters.
pub fn list(db: &mut Db, status: Option<&str>) -> Result<Vec<Listed>, DbError> {
    let rows = db.query(
        "SELECT id, key, location, status, first_seen, open_since, last_seen, closed_at, observations, records, people, sensitivity \
         FROM exposure_findings WHERE (? = '' OR status = ?) ORDER BY status DESC, last_seen DESC, id",
        &[status.unwrap_or("").into(), status.unwrap_or("").into()],
    )?;
    Ok(rows
        .into_iter()
        .map(|r| Listed {
            row: r.i64(0),
            id: r.str(1),
            location: r.str(2),
            status: r.str(3),
            first_seen: r.str(4),
            open_days: days_between(&r.str(5), &r.str(6)),
            open_since: r.str(5),
            last_seen: r.str(6),
            closed_at: r.opt_str(7),
            observations: r.i64(8),
            records: r.opt_i64(9),
            people: r.opt_i64(10),
            sensitivity: r.opt_str(11),
        })
        .collect())
}

/// One observation of a finding.
#[derive(Debug, Clone, Serialize)]
pub struct Observation {
    /// When.
    pub at: String,
    /// `new`, `unchanged`, `changed`, `reopened`, `closed`.
    pub state: String,
    /// Scan row.
    pub scan: i64,
    /// Stores, counts and classes then.
    pub summary: serde_json::Value,
}

/// A stored finding (its latest document) with its status and history, by row number or id.
pub fn get(
    db: &mut Db,
    which: &str,
) -> Result<Option<(Finding, Listed, Vec<Observation>)>, DbError> {
    let row = match which.parse::<i64>() {
        Ok(n) => db.query_opt(
            "SELECT id FROM exposure_findings WHERE id = ?",
            &[Value::Int(n)],
        )?,
        Err(_) => db.query_opt(
            "SELECT id FROM exposure_findings WHERE key = ?",
            &[which.into()],
        )?,
    };
    let Some(row) = row.map(|r| r.i64(0)) else {
        return Ok(None);
    };
    let Some(l) = list(db, None)?.into_iter().find(|l| l.row == row) else {
        return Ok(None);
    };
    let doc = db
        .query_opt(
            "SELECT finding FROM exposure_findings WHERE id = ?",
            &[Value::Int(row)],
        )?
        .map(|r| r.str(0))
        .unwrap_or_default();
    let Ok(mut f) = serde_json::from_str::<Finding>(&doc) else {
        return Ok(None);
    };
    f.status = l.status.clone();
    let hist = db
        .query(
            "SELECT at, state, scan_id, summary FROM exposure_observations WHERE finding_id = ? ORDER BY at, id",
            &[Value::Int(row)],
        )?
        .into_iter()
        .map(|r| Observation {
            at: r.str(0),
            state: r.str(1),
            scan: r.i64(2),
            summary: serde_json::from_str(&r.str(3)).unwrap_or(serde_json::Value::Null),
        })
        .collect();
    Ok(Some((f, l, hist)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffs_and_windows() {
        let a = json!({"stores": [{"name": "logs", "records": 100}, {"name": "old", "records": 1}],
            "data_classes": ["email"], "version": "7.10.2"});
        let b = json!({"stores": [{"name": "logs", "records": 150}, {"name": "users", "records": 9}],
            "data_classes": ["email", "phone"], "version": "7.10.2"});
        let d = diff(&a, &b);
        assert_eq!(
            d,
            vec![
                "logs: 100 → 150 records",
                "new store users (9 records)",
                "store old gone",
                "new data classes: phone"
            ]
        );
        assert!(diff(&b, &b).is_empty());
        assert_eq!(
            days_between("2026-01-01T00:00:00Z", "2026-03-29T12:00:00Z"),
            87
        );
        assert_eq!(finding_id("redis://h:1").len(), 16);
    }
}
