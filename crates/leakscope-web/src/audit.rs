//! The audit log (migration 3, `web_audit`): who did what, when, from where, and how it went —
//! sign-ins (and failures and lock-outs), sign-outs, cases opened, samples uploaded and scanned,
//! events recorded, exports and downloads, corpus searches, reveals, user changes (from the CLI
//! too). An entry never holds a raw leaked value: a corpus search records the kind of identifier
//! looked up, never the identifier; a reveal records which case, never what was shown.

use leakscope_db::{Db, DbError, Value};
use serde::Serialize;

/// One entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// Row id.
    pub id: i64,
    /// When (UTC).
    pub at: String,
    /// Who (user name; `cli:<os user>` for the CLI; none for an unknown sign-in name).
    pub actor: Option<String>,
    /// What (`sign_in`, `sign_in_failed`, `case_open`, `sample_upload`, …).
    pub action: String,
    /// On what (`case 3`, `user ann`, `claim 12`).
    pub target: Option<String>,
    /// `ok`, `refused` or `failed`.
    pub outcome: String,
    /// Details in words (counts, kinds, formats; no leaked values).
    pub detail: String,
    /// Client address.
    pub client: Option<String>,
}

/// An entry to record.
#[derive(Debug, Clone, Default)]
pub struct New {
    /// Who.
    pub actor: Option<String>,
    /// What.
    pub action: String,
    /// On what.
    pub target: Option<String>,
    /// `ok` (default when empty), `refused` or `failed`.
    pub outcome: String,
    /// Details.
    pub detail: String,
    /// Client address.
    pub client: Option<String>,
}

/// Records an entry.
pub fn record(db: &mut Db, e: &New) -> Result<(), DbError> {
    let outcome = if e.outcome.is_empty() {
        "ok"
    } else {
        e.outcome.as_str()
    };
    db.execute(
        "INSERT INTO web_audit (at, actor, action, target, outcome, detail, client) VALUES (?, ?, ?, ?, ?, ?, ?)",
        &[
            leakscope_db::now().into(),
            e.actor.clone().into(),
            e.action.clone().into(),
            e.target.clone().into(),
            outcome.into(),
            e.detail.clone().into(),
            e.client.clone().into(),
        ],
    )?;
    Ok(())
}

impl New {
    /// An entry with outcome `ok`.
    pub fn ok(actor: Option<&str>, action: &str, target: Option<String>, detail: String) -> New {
        New {
            actor: actor.map(str::to_string),
            action: action.to_string(),
            target,
            outcome: "ok".into(),
            detail,
            client: None,
        }
    }

    /// The same entry with another outcome.
    pub fn outcome(mut self, outcome: &str) -> New {
        self.outcome = outcome.to_string();
        self
    }

    /// The same entry from a client address.
    pub fn from_client(mut self, client: Option<String>) -> New {
        self.client = client;
        self
    }
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Only this actor.
    pub actor: Option<String>,
    /// Only this action.
    pub action: Option<String>,
    /// At most this many (0: 200).
    pub limit: i64,
    /// Skip this many (newest first).
    pub offset: i64,
}

/// Entries, newest first.
pub fn list(db: &mut Db, f: &Filter) -> Result<Vec<Entry>, DbError> {
    let mut sql = String::from(
        "SELECT id, at, actor, action, target, outcome, detail, client FROM web_audit WHERE 1 = 1",
    );
    let mut params: Vec<Value> = Vec::new();
    if let Some(a) = &f.actor {
        sql.push_str(" AND actor = ?");
        params.push(a.clone().into());
    }
    if let Some(a) = &f.action {
        sql.push_str(" AND action = ?");
        params.push(a.clone().into());
    }
    sql.push_str(" ORDER BY id DESC LIMIT ? OFFSET ?");
    params.push(Value::Int(if f.limit > 0 { f.limit } else { 200 }));
    params.push(Value::Int(f.offset.max(0)));
    Ok(db
        .query(&sql, &params)?
        .iter()
        .map(|r| Entry {
            id: r.i64(0),
            at: r.str(1),
            actor: r.opt_str(2),
            action: r.str(3),
            target: r.opt_str(4),
            outcome: r.str(5),
            detail: r.str(6),
            client: r.opt_str(7),
        })
        .collect())
}
