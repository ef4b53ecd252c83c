//! Alerts: a claim with watchlist hits is posted to every configured webhook as JSON with a
//! Slack/Teams-compatible `text` and a machine block (`leakscope`, schema
//! `leakscope.alert/1`), retried with exponential backoff, every attempt recorded in the
//! `deliveries` table. The payload carries claim fields only — never the post's text, evidence
//! quotes or any raw leaked value.

use crate::http::{host_of, Client};
use crate::model::{Claim, WatchHit};
use leakscope_db::{Db, DbError, Value};
use serde::Serialize;
use serde_json::json;
use std::time::Duration;

/// Schema id of the machine block.
pub const ALERT_SCHEMA: &str = "leakscope.alert/1";

/// Retry settings.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Attempts per run (the first plus retries).
    pub attempts_per_run: u32,
    /// Delay before the first retry; doubles each time.
    pub base_delay: Duration,
    /// Attempts over all runs before a delivery is marked failed.
    pub max_attempts: u32,
}

impl Default for RetryPolicy {
    fn default() -> RetryPolicy {
        RetryPolicy {
            attempts_per_run: 3,
            base_delay: Duration::from_secs(2),
            max_attempts: 10,
        }
    }
}

/// A configured webhook.
#[derive(Debug, Clone, Serialize)]
pub struct Webhook {
    /// Row id.
    pub id: i64,
    /// Host (the full URL is a secret and is not shown).
    pub host: String,
    /// Name.
    pub name: Option<String>,
    /// Enabled.
    pub enabled: bool,
}

/// Adds a webhook URL.
pub fn add_webhook(db: &mut Db, url: &str, name: Option<&str>) -> Result<i64, DbError> {
    db.insert(
        "INSERT INTO webhooks (url, name, created_at) VALUES (?, ?, ?) ON CONFLICT (url) DO UPDATE SET name = COALESCE(excluded.name, webhooks.name), enabled = 1 RETURNING id",
        &[url.into(), name.map(String::from).into(), leakscope_db::now().into()],
    )
}

/// All webhooks.
pub fn list_webhooks(db: &mut Db) -> Result<Vec<Webhook>, DbError> {
    Ok(db
        .query(
            "SELECT id, url, name, enabled FROM webhooks ORDER BY id",
            &[],
        )?
        .iter()
        .map(|r| Webhook {
            id: r.i64(0),
            host: host_of(&r.str(1)),
            name: r.opt_str(2),
            enabled: r.i64(3) != 0,
        })
        .collect())
}

/// Removes a webhook by id or URL.
pub fn remove_webhook(db: &mut Db, id_or_url: &str) -> Result<u64, DbError> {
    let id: i64 = id_or_url.parse().unwrap_or(-1);
    db.execute(
        "DELETE FROM webhooks WHERE id = ? OR url = ?",
        &[Value::Int(id), id_or_url.into()],
    )
}

/// Queues a delivery of a stored claim to every enabled webhook.
pub fn queue(db: &mut Db, claim_row: i64) -> Result<u64, DbError> {
    db.execute(
        "INSERT INTO deliveries (webhook_id, claim_id, status, created_at) SELECT id, ?, 'pending', ? FROM webhooks WHERE enabled = 1 \
         ON CONFLICT (webhook_id, claim_id) DO NOTHING",
        &[Value::Int(claim_row), leakscope_db::now().into()],
    )
}

/// One delivery's outcome in this run.
#[derive(Debug, Clone, Serialize)]
pub struct DeliveryResult {
    /// Delivery row id.
    pub delivery_id: i64,
    /// Webhook host.
    pub host: String,
    /// Claim id.
    pub claim_id: String,
    /// `delivered`, `pending` (will be retried on the next run) or `failed` (gave up).
    pub status: String,
    /// Attempts so far (all runs).
    pub attempts: i64,
    /// Last HTTP status.
    pub http_status: Option<u16>,
    /// Last error.
    pub error: Option<String>,
}

/// The alert payload for a claim and its hits.
pub fn payload(claim: &Claim, hits: &[WatchHit]) -> serde_json::Value {
    let victims: Vec<_> = claim
        .victims
        .iter()
        .map(|v| json!({"name": v.name, "domain": v.domain, "country": v.country, "sector": v.sector, "role": v.role}))
        .collect();
    let records: Vec<_> = claim
        .records
        .iter()
        .map(|r| json!({"count": r.count, "unit": r.unit, "qualifier": r.qualifier}))
        .collect();
    let hits_json: Vec<_> = hits
        .iter()
        .map(|h| json!({"entry_id": h.entry_id, "entry": h.entry, "how": h.how, "field": h.field, "why": h.why}))
        .collect();
    json!({
        "text": alert_text(claim, hits),
        "leakscope": {
            "schema": ALERT_SCHEMA,
            "claim_id": claim.id,
            "kind": claim.kind,
            "status": claim.status,
            "victims": victims,
            "actors": claim.actors.iter().map(|a| &a.name).collect::<Vec<_>>(),
            "venue": claim.venue,
            "records": records,
            "size_bytes": claim.size_bytes,
            "data_classes": claim.data_classes,
            "data_other": claim.data_other,
            "price": claim.price,
            "posted": claim.dates.posted.as_ref().and_then(|d| d.value.clone()),
            "source": {"format": claim.source.format, "title": claim.source.title, "url": claim.source.url},
            "watch_hits": hits_json,
        }
    })
}

/// One line a chat channel shows.
pub fn alert_text(claim: &Claim, hits: &[WatchHit]) -> String {
    let who = hits
        .iter()
        .map(|h| format!("{} ({})", h.entry, h.how))
        .collect::<Vec<_>>()
        .join(", ");
    let kinds = if claim.kind.is_empty() {
        claim
            .status
            .map_or("claim".to_string(), |s| s.id().to_string())
    } else {
        claim
            .kind
            .iter()
            .map(|k| k.id().replace('_', " "))
            .collect::<Vec<_>>()
            .join(" + ")
    };
    let victims = claim
        .victims
        .iter()
        .filter(|v| v.role == "victim")
        .map(|v| v.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let mut s = format!("leakscope: watchlist hit {who} — {kinds}");
    if !victims.is_empty() {
        s.push_str(&format!(" about {victims}"));
    }
    if let Some(v) = &claim.venue {
        s.push_str(&format!(" on {}", v.name.as_deref().unwrap_or(&v.kind)));
    }
    if let Some(r) = claim.records.first() {
        s.push_str(&format!(
            "; {} {}",
            r.count,
            r.unit.as_deref().unwrap_or("records")
        ));
    }
    if !claim.data_classes.is_empty() {
        s.push_str(&format!("; data: {}", claim.data_classes.join(", ")));
    }
    if let Some(p) = claim.dates.posted.as_ref().and_then(|d| d.value.as_deref()) {
        s.push_str(&format!("; posted {p}"));
    }
    s.push_str(&format!(" [{}]", claim.id));
    s
}

/// Delivers every pending delivery that is due, with retries; records every attempt.
pub fn deliver_pending(
    db: &mut Db,
    client: &Client,
    retry: &RetryPolicy,
) -> Result<Vec<DeliveryResult>, DbError> {
    let now = leakscope_db::now();
    let due = db.query(
        "SELECT d.id, d.attempts, w.url, c.document, c.id FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id JOIN claims c ON c.id = d.claim_id \
         WHERE d.status = 'pending' AND w.enabled = 1 AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= ?) ORDER BY d.id",
        &[now.into()],
    )?;
    let mut out = Vec::new();
    for row in due {
        let (id, mut attempts, url) = (row.i64(0), row.i64(1), row.str(2));
        let Ok(claim) = serde_json::from_str::<Claim>(&row.str(3)) else {
            continue;
        };
        let hits: Vec<WatchHit> = db
            .query(
                "SELECT h.entry_id, w.name, h.how, h.field, h.why FROM watch_hits h JOIN watch_entries w ON w.id = h.entry_id WHERE h.claim_id = ? ORDER BY h.id",
                &[Value::Int(row.i64(4))],
            )?
            .iter()
            .map(|h| WatchHit {
                entry_id: h.i64(0),
                entry: h.str(1),
                how: h.str(2),
                field: h.str(3),
                why: h.str(4),
            })
            .collect();
        let body = serde_json::to_vec(&payload(&claim, &hits)).unwrap_or_default();
        let mut result = DeliveryResult {
            delivery_id: id,
            host: host_of(&url),
            claim_id: claim.id.clone(),
            status: "pending".into(),
            attempts,
            http_status: None,
            error: None,
        };
        for k in 0..retry.attempts_per_run {
            if k > 0 {
                std::thread::sleep(retry.base_delay * 2u32.pow(k - 1));
            }
            attempts += 1;
            let (ok, status, error) = match client.post_json(&url, &body) {
                Ok(r) if (200..300).contains(&r.status) => (true, Some(r.status), None),
                Ok(r) => (false, Some(r.status), Some(format!("HTTP {}", r.status))),
                Err(e) => (false, None, Some(e.to_string())),
            };
            result.attempts = attempts;
            result.http_status = status;
            result.error.clone_from(&error);
            let now = leakscope_db::now();
            if ok {
                result.status = "delivered".into();
                db.execute(
                    "UPDATE deliveries SET status = 'delivered', attempts = ?, last_attempt_at = ?, http_status = ?, error = NULL, delivered_at = ?, next_attempt_at = NULL WHERE id = ?",
                    &[Value::Int(attempts), now.clone().into(), status.map(|s| s as i64).into(), now.into(), Value::Int(id)],
                )?;
                break;
            }
            let gave_up = attempts >= retry.max_attempts as i64;
            let next = chrono::Utc::now()
                + chrono::Duration::from_std(retry.base_delay * 2u32.pow(attempts.min(16) as u32))
                    .unwrap_or_default();
            result.status = if gave_up { "failed" } else { "pending" }.into();
            db.execute(
                "UPDATE deliveries SET status = ?, attempts = ?, last_attempt_at = ?, http_status = ?, error = ?, next_attempt_at = ? WHERE id = ?",
                &[
                    result.status.clone().into(),
                    Value::Int(attempts),
                    now.into(),
                    status.map(|s| s as i64).into(),
                    error.into(),
                    next.format("%Y-%m-%dT%H:%M:%SZ").to_string().into(),
                    Value::Int(id),
                ],
            )?;
            if gave_up {
                break;
            }
        }
        out.push(result);
    }
    Ok(out)
}

/// Recorded deliveries, newest first.
pub fn list_deliveries(db: &mut Db, limit: i64) -> Result<Vec<DeliveryResult>, DbError> {
    Ok(db
        .query(
            "SELECT d.id, w.url, c.claim_id, d.status, d.attempts, d.http_status, d.error FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id JOIN claims c ON c.id = d.claim_id ORDER BY d.id DESC LIMIT ?",
            &[Value::Int(limit)],
        )?
        .iter()
        .map(|r| DeliveryResult {
            delivery_id: r.i64(0),
            host: host_of(&r.str(1)),
            claim_id: r.str(2),
            status: r.str(3),
            attempts: r.i64(4),
            http_status: r.opt_i64(5).map(|s| s as u16),
            error: r.opt_str(6),
        })
        .collect())
}
