//! Watchlists: organisations, brands, domains and merchants to watch for, stored in the data
//! directory's database, and the matching of a claim against them.
//!
//! Matching is case-, diacritics- and width-insensitive (names are folded like post text) and
//! ignores legal forms ("FooMart Pte Ltd" = "FOOMART"); a domain matches itself and its
//! subdomains; aliases count like names; a watched organisation that is the claimed victim's
//! parent/owner, a victim that is a watched entry's parent, and a claimed platform that hosts a
//! watched merchant all match; a watched name written in the post without being extracted as a
//! victim is a weaker `mention`. Every hit says why.

mod import;
mod matcher;

pub use import::{import_csv, ImportReport};
pub use matcher::Watchlist;

use crate::accuracy::victim_key;
use crate::text::fold;
use leakscope_db::{Db, DbError, Row, Value};
use serde::{Deserialize, Serialize};

/// Kinds of watchlist entries.
pub const KINDS: [&str; 4] = ["organisation", "brand", "domain", "merchant"];

/// One watchlist entry.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Entry {
    /// Database id (0 before it is stored).
    pub id: i64,
    /// `organisation`, `brand`, `domain` or `merchant`.
    pub kind: String,
    /// Name (for a `domain` entry, the domain).
    pub name: String,
    /// Other names.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Web domains.
    #[serde(default)]
    pub domains: Vec<String>,
    /// Parent organisation, or the platform a merchant sells on.
    #[serde(default)]
    pub parent: Option<String>,
    /// Free note.
    #[serde(default)]
    pub note: Option<String>,
}

/// The key a name is compared by.
pub fn name_key(name: &str) -> String {
    let k = victim_key(name);
    if k.is_empty() {
        fold(name).trim().to_string()
    } else {
        k
    }
}

/// A domain in canonical form (lower case, no scheme / `www.` / path / port).
pub fn domain_key(d: &str) -> String {
    let d = d.trim().to_ascii_lowercase();
    let d = d.split_once("://").map_or(d.as_str(), |(_, r)| r);
    let d = d.split(['/', ':', '?', '#']).next().unwrap_or("");
    d.trim_start_matches("www.")
        .trim_end_matches('.')
        .to_string()
}

fn entry_from_row(r: &Row) -> Entry {
    Entry {
        id: r.i64(0),
        kind: r.str(1),
        name: r.str(2),
        aliases: serde_json::from_str(&r.str(3)).unwrap_or_default(),
        domains: serde_json::from_str(&r.str(4)).unwrap_or_default(),
        parent: r.opt_str(5),
        note: r.opt_str(6),
    }
}

const SELECT: &str = "SELECT id, kind, name, aliases, domains, parent, note FROM watch_entries";

/// All entries, by name.
pub fn list(db: &mut Db) -> Result<Vec<Entry>, DbError> {
    Ok(db
        .query(&format!("{SELECT} ORDER BY name_key, kind"), &[])?
        .iter()
        .map(entry_from_row)
        .collect())
}

/// Whether an add created or updated an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Added {
    /// A new entry.
    Created,
    /// An existing entry (same kind and name) got the new aliases / domains / parent.
    Updated,
    /// Nothing new.
    Unchanged,
}

/// Adds an entry, or merges its aliases, domains and parent into the entry of the same kind
/// and name.
pub fn add(db: &mut Db, e: &Entry) -> Result<(i64, Added), DbError> {
    let key = name_key(&e.name);
    let domains: Vec<String> = e
        .domains
        .iter()
        .map(|d| domain_key(d))
        .filter(|d| !d.is_empty())
        .collect();
    let existing = db.query_opt(
        &format!("{SELECT} WHERE kind = ? AND name_key = ?"),
        &[e.kind.clone().into(), key.clone().into()],
    )?;
    match existing.map(|r| entry_from_row(&r)) {
        Some(mut old) => {
            let before = old.clone();
            for a in &e.aliases {
                if !old.aliases.iter().any(|x| name_key(x) == name_key(a)) {
                    old.aliases.push(a.clone());
                }
            }
            for d in &domains {
                if !old.domains.contains(d) {
                    old.domains.push(d.clone());
                }
            }
            if e.parent.is_some() {
                old.parent.clone_from(&e.parent);
            }
            if e.note.is_some() {
                old.note.clone_from(&e.note);
            }
            if old == before {
                return Ok((old.id, Added::Unchanged));
            }
            db.execute(
                "UPDATE watch_entries SET aliases = ?, domains = ?, parent = ?, note = ? WHERE id = ?",
                &[
                    json(&old.aliases).into(),
                    json(&old.domains).into(),
                    old.parent.clone().into(),
                    old.note.clone().into(),
                    Value::Int(old.id),
                ],
            )?;
            Ok((old.id, Added::Updated))
        }
        None => {
            let id = db.insert(
                "INSERT INTO watch_entries (kind, name, name_key, aliases, domains, parent, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                &[
                    e.kind.clone().into(),
                    e.name.trim().into(),
                    key.into(),
                    json(&e.aliases).into(),
                    json(&domains).into(),
                    e.parent.clone().into(),
                    e.note.clone().into(),
                    leakscope_db::now().into(),
                ],
            )?;
            Ok((id, Added::Created))
        }
    }
}

fn json(v: &[String]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

/// Removes entries by id or by name (any kind); returns how many were removed.
pub fn remove(db: &mut Db, id_or_name: &str) -> Result<u64, DbError> {
    if let Ok(id) = id_or_name.parse::<i64>() {
        let n = db.execute("DELETE FROM watch_entries WHERE id = ?", &[Value::Int(id)])?;
        if n > 0 {
            return Ok(n);
        }
    }
    db.execute(
        "DELETE FROM watch_entries WHERE name_key = ?",
        &[name_key(id_or_name).into()],
    )
}
