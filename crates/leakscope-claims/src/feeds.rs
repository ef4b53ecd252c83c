//! Feeds: the configured RSS / Atom / JSON Feed / leak-site JSON URLs and the poll that fetches
//! them (conditionally), reads new items, extracts claims, stores them de-duplicated with their
//! source, matches the watchlist and queues alerts.

use crate::alerts;
use crate::extract::{simhash, Options};
use crate::http::{host_of, Client};
use crate::read::{read_bytes, Format};
use crate::rules::Rules;
use crate::store::{self, SourceRef, Stored};
use crate::watch::Watchlist;
use leakscope_db::{Db, DbError, Value};
use serde::Serialize;

/// A configured feed.
#[derive(Debug, Clone, Serialize)]
pub struct Feed {
    /// Row id.
    pub id: i64,
    /// URL.
    pub url: String,
    /// Name.
    pub name: Option<String>,
    /// Format forced for it (else sniffed).
    pub format: Option<String>,
    /// Last poll (UTC).
    pub last_polled_at: Option<String>,
    /// Last HTTP status.
    pub last_status: Option<i64>,
    /// Last error.
    pub last_error: Option<String>,
    #[serde(skip)]
    etag: Option<String>,
    #[serde(skip)]
    last_modified: Option<String>,
}

/// Adds a feed (an existing URL is updated with the new name / format).
pub fn add(
    db: &mut Db,
    url: &str,
    name: Option<&str>,
    format: Option<Format>,
) -> Result<i64, DbError> {
    db.insert(
        "INSERT INTO feeds (url, name, format, created_at) VALUES (?, ?, ?, ?) \
         ON CONFLICT (url) DO UPDATE SET name = COALESCE(excluded.name, feeds.name), format = COALESCE(excluded.format, feeds.format) RETURNING id",
        &[
            url.into(),
            name.map(String::from).into(),
            format.map(|f| f.id().to_string()).into(),
            leakscope_db::now().into(),
        ],
    )
}

/// All feeds.
pub fn list(db: &mut Db) -> Result<Vec<Feed>, DbError> {
    Ok(db
        .query(
            "SELECT id, url, name, format, last_polled_at, last_status, last_error, etag, last_modified FROM feeds ORDER BY id",
            &[],
        )?
        .iter()
        .map(|r| Feed {
            id: r.i64(0),
            url: r.str(1),
            name: r.opt_str(2),
            format: r.opt_str(3),
            last_polled_at: r.opt_str(4),
            last_status: r.opt_i64(5),
            last_error: r.opt_str(6),
            etag: r.opt_str(7),
            last_modified: r.opt_str(8),
        })
        .collect())
}

/// Removes a feed by id or URL.
pub fn remove(db: &mut Db, id_or_url: &str) -> Result<u64, DbError> {
    let id: i64 = id_or_url.parse().unwrap_or(-1);
    db.execute(
        "DELETE FROM feeds WHERE id = ? OR url = ?",
        &[Value::Int(id), id_or_url.into()],
    )
}

/// What a poll of one feed did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FeedResult {
    /// Feed id.
    pub feed_id: i64,
    /// Host polled (never the full URL: it may hold a token).
    pub host: String,
    /// HTTP status (None on a transport error).
    pub status: Option<u16>,
    /// True when the server said nothing changed (304).
    pub not_modified: bool,
    /// Items in the response.
    pub items: usize,
    /// Items already seen in an earlier poll.
    pub seen_before: usize,
    /// New items that make no claim.
    pub no_claim: usize,
    /// New claims stored.
    pub new_claims: Vec<String>,
    /// Items whose claim was already stored (re-shared post), with the claim id.
    pub duplicates: Vec<String>,
    /// Watchlist hits on new claims.
    pub hits: usize,
    /// Error (transport, HTTP status or unreadable body).
    pub error: Option<String>,
}

/// The result of a poll (`leakscope.claim-poll/1`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct PollReport {
    /// Schema id.
    pub schema: String,
    /// Per feed.
    pub feeds: Vec<FeedResult>,
    /// Alert deliveries attempted in this run.
    pub deliveries: Vec<alerts::DeliveryResult>,
}

/// Polls every feed (or only `only`), then delivers pending alerts.
pub fn poll(
    db: &mut Db,
    client: &Client,
    rules: &Rules,
    only: Option<i64>,
    retry: &alerts::RetryPolicy,
) -> Result<PollReport, DbError> {
    let watch = Watchlist::load(db)?;
    let mut rep = PollReport {
        schema: "leakscope.claim-poll/1".into(),
        ..PollReport::default()
    };
    for feed in list(db)?
        .into_iter()
        .filter(|f| only.is_none_or(|id| id == f.id))
    {
        let r = poll_one(db, client, rules, &watch, &feed)?;
        rep.feeds.push(r);
    }
    rep.deliveries = alerts::deliver_pending(db, client, retry)?;
    Ok(rep)
}

fn poll_one(
    db: &mut Db,
    client: &Client,
    rules: &Rules,
    watch: &Watchlist,
    feed: &Feed,
) -> Result<FeedResult, DbError> {
    let mut r = FeedResult {
        feed_id: feed.id,
        host: host_of(&feed.url),
        ..FeedResult::default()
    };
    let now = leakscope_db::now();
    let resp = match client.get(
        &feed.url,
        feed.etag.as_deref(),
        feed.last_modified.as_deref(),
    ) {
        Ok(resp) => resp,
        Err(e) => {
            r.error = Some(e.to_string());
            db.execute(
                "UPDATE feeds SET last_polled_at = ?, last_status = NULL, last_error = ? WHERE id = ?",
                &[now.into(), e.to_string().into(), Value::Int(feed.id)],
            )?;
            return Ok(r);
        }
    };
    r.status = Some(resp.status);
    if resp.status == 304 {
        r.not_modified = true;
        db.execute(
            "UPDATE feeds SET last_polled_at = ?, last_status = 304, last_error = NULL WHERE id = ?",
            &[now.into(), Value::Int(feed.id)],
        )?;
        return Ok(r);
    }
    if !(200..300).contains(&resp.status) {
        let msg = format!("HTTP {}", resp.status);
        r.error = Some(msg.clone());
        db.execute(
            "UPDATE feeds SET last_polled_at = ?, last_status = ?, last_error = ? WHERE id = ?",
            &[
                now.into(),
                Value::Int(resp.status as i64),
                msg.into(),
                Value::Int(feed.id),
            ],
        )?;
        return Ok(r);
    }
    let format = feed.format.as_deref().and_then(Format::from_id);
    let name = feed
        .url
        .rsplit('/')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let docs = match read_bytes(&resp.body, &name, format, &r.host) {
        Ok(d) => d,
        Err(e) => {
            r.error = Some(e.message.clone());
            db.execute(
                "UPDATE feeds SET last_polled_at = ?, last_status = ?, last_error = ? WHERE id = ?",
                &[
                    now.into(),
                    Value::Int(resp.status as i64),
                    e.message.into(),
                    Value::Int(feed.id),
                ],
            )?;
            return Ok(r);
        }
    };
    r.items = docs.len();
    let opts = Options::default();
    let extracted = crate::extract::extract_all(&docs, rules, &opts);
    for (i, (doc, claim)) in docs.iter().zip(extracted).enumerate() {
        let guid = doc
            .guid
            .clone()
            .unwrap_or_else(|| format!("sha256:{}", crate::extract::fingerprint(doc)));
        let seen = db
            .query_opt(
                "SELECT 1 FROM feed_items WHERE feed_id = ? AND guid = ?",
                &[Value::Int(feed.id), guid.clone().into()],
            )?
            .is_some();
        if seen {
            r.seen_before += 1;
            continue;
        }
        let claim_row = match claim {
            None => {
                r.no_claim += 1;
                None
            }
            Some(mut claim) => {
                let location = crate::http::redact_url(&feed.url);
                claim.source.path = Some(location.clone());
                let src = SourceRef {
                    kind: "feed".into(),
                    feed_id: Some(feed.id),
                    location,
                    item: doc.item.clone().or_else(|| Some(i.to_string())),
                    url: doc.url.clone(),
                };
                let stored = store::store(db, &claim, &doc.text, simhash(doc), &src)?;
                match &stored {
                    Stored::New { row } => {
                        r.new_claims.push(claim.id.clone());
                        let hits = watch.matches(&claim, &doc.text);
                        let new_hits = store::record_hits(db, *row, &hits)?;
                        r.hits += new_hits.len();
                        if !new_hits.is_empty() {
                            alerts::queue(db, *row)?;
                        }
                    }
                    Stored::Duplicate { claim_id, .. } => r.duplicates.push(claim_id.clone()),
                }
                Some(stored.row())
            }
        };
        db.execute(
            "INSERT INTO feed_items (feed_id, guid, claim_id, seen_at) VALUES (?, ?, ?, ?) ON CONFLICT (feed_id, guid) DO NOTHING",
            &[Value::Int(feed.id), guid.into(), claim_row.into(), leakscope_db::now().into()],
        )?;
    }
    db.execute(
        "UPDATE feeds SET etag = ?, last_modified = ?, last_polled_at = ?, last_status = ?, last_error = NULL WHERE id = ?",
        &[
            resp.etag.into(),
            resp.last_modified.into(),
            now.into(),
            Value::Int(resp.status as i64),
            Value::Int(feed.id),
        ],
    )?;
    Ok(r)
}
