//! Watchlists: organisations, brands, domains and merchants to watch for, stored in the data
//! directory's database, and the matching of a claim against them.
//!
//! Matching is case-, diacritics- and width-insensitive (names are folded like post text) and
//! ignores legal forms ("FooMart Pte Ltd" = "FOOMART"); a domain matches itself and its
//! subdomains; aliases count like names; a watched organisation that is the claimed victim's
//! parent/owner, a victim that is a watched entry's parent, and a claimed platform that hosts a
//! watched merchant all match; a watched name written in the post without being extracted as a
//! victim is a weaker `mention`. Every hit says why.

use crate::accuracy::victim_key;
use crate::model::{Claim, WatchHit};
use crate::text::{fold, on_boundaries};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use leakscope_db::{Db, DbError, Row, Value};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

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

/// Result of a CSV import.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportReport {
    /// Rows read.
    pub rows: usize,
    /// New entries.
    pub created: usize,
    /// Entries that got new aliases / domains / parent.
    pub updated: usize,
    /// Rows that added nothing.
    pub unchanged: usize,
    /// Rows skipped, with their line number and why (never the row's content).
    pub skipped: Vec<(u64, String)>,
}

/// Imports a CSV of entries. Columns by header (any order, case-insensitive): `name`
/// (required; also `merchant`, `merchant_name`, `organisation`, `brand`), `kind`, `aliases`,
/// `domains` (also `domain`, `website`), `parent` (also `platform`), `note`. List cells split on
/// `;` or `|`. `default_kind` applies when there is no `kind` column or cell.
pub fn import_csv(
    db: &mut Db,
    reader: impl std::io::Read,
    default_kind: &str,
) -> Result<ImportReport, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(reader);
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| format!("reading the header line: {e}"))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let name_col = col(&[
        "name",
        "merchant",
        "merchant_name",
        "organisation",
        "organization",
        "brand",
        "company",
    ])
    .ok_or("the CSV needs a `name` column (or merchant / organisation / brand / company)")?;
    let kind_col = col(&["kind", "type"]);
    let alias_col = col(&["aliases", "alias", "other_names"]);
    let domain_col = col(&["domains", "domain", "website", "websites", "url"]);
    let parent_col = col(&["parent", "platform", "parent_company", "owner"]);
    let note_col = col(&["note", "notes", "comment"]);
    let mut rep = ImportReport::default();
    let split = |s: &str| -> Vec<String> {
        s.split([';', '|'])
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .map(String::from)
            .collect()
    };
    db.transaction(|db| -> Result<(), DbError> {
        for (i, rec) in rdr.records().enumerate() {
            let line = i as u64 + 2;
            let rec = match rec {
                Ok(r) => r,
                Err(e) => {
                    rep.skipped
                        .push((line, format!("unreadable CSV record: {}", e.kind_name())));
                    continue;
                }
            };
            rep.rows += 1;
            let get =
                |c: Option<usize>| c.and_then(|c| rec.get(c)).unwrap_or("").trim().to_string();
            let name = get(Some(name_col));
            if name.is_empty() {
                rep.skipped.push((line, "empty name".into()));
                continue;
            }
            let kind = match get(kind_col).to_ascii_lowercase().as_str() {
                "" => default_kind.to_string(),
                "organization" | "org" | "company" => "organisation".into(),
                k if KINDS.contains(&k) => k.to_string(),
                _ => {
                    rep.skipped.push((
                        line,
                        format!("unknown kind (use one of {})", KINDS.join(", ")),
                    ));
                    continue;
                }
            };
            let e = Entry {
                kind,
                name,
                aliases: split(&get(alias_col)),
                domains: split(&get(domain_col)),
                parent: Some(get(parent_col)).filter(|p| !p.is_empty()),
                note: Some(get(note_col)).filter(|p| !p.is_empty()),
                ..Entry::default()
            };
            match add(db, &e)?.1 {
                Added::Created => rep.created += 1,
                Added::Updated => rep.updated += 1,
                Added::Unchanged => rep.unchanged += 1,
            }
        }
        Ok(())
    })
    .map_err(|e| e.to_string())?;
    Ok(rep)
}

/// CSV errors name their kind, never the data.
trait KindName {
    fn kind_name(&self) -> &'static str;
}

impl KindName for csv::Error {
    fn kind_name(&self) -> &'static str {
        match self.kind() {
            csv::ErrorKind::Utf8 { .. } => "invalid UTF-8",
            csv::ErrorKind::UnequalLengths { .. } => "wrong number of fields",
            csv::ErrorKind::Io(_) => "I/O error",
            _ => "malformed record",
        }
    }
}

/// A watchlist compiled for matching.
#[derive(Debug)]
pub struct Watchlist {
    /// The entries.
    pub entries: Vec<Entry>,
    by_key: HashMap<String, Vec<(usize, &'static str)>>,
    by_domain: HashMap<String, Vec<usize>>,
    by_parent: HashMap<String, Vec<usize>>,
    mentions: Option<(AhoCorasick, Vec<usize>)>,
}

impl Watchlist {
    /// Loads and compiles the database's watchlist.
    pub fn load(db: &mut Db) -> Result<Watchlist, DbError> {
        Ok(Watchlist::new(list(db)?))
    }

    /// Compiles entries.
    pub fn new(entries: Vec<Entry>) -> Watchlist {
        let mut by_key: HashMap<String, Vec<(usize, &'static str)>> = HashMap::new();
        let mut by_domain: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_parent: HashMap<String, Vec<usize>> = HashMap::new();
        let mut patterns = Vec::new();
        let mut pattern_entry = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            if e.kind == "domain" {
                by_domain.entry(domain_key(&e.name)).or_default().push(i);
            } else {
                by_key
                    .entry(name_key(&e.name))
                    .or_default()
                    .push((i, "name"));
            }
            for a in &e.aliases {
                by_key.entry(name_key(a)).or_default().push((i, "alias"));
            }
            for d in &e.domains {
                by_domain.entry(domain_key(d)).or_default().push(i);
            }
            if let Some(p) = &e.parent {
                by_parent.entry(name_key(p)).or_default().push(i);
            }
            for n in std::iter::once(&e.name).chain(&e.aliases) {
                let f = fold(n).trim().to_string();
                if f.chars().filter(|c| c.is_alphanumeric()).count() >= 4 {
                    patterns.push(f);
                    pattern_entry.push(i);
                }
            }
        }
        let mentions = (!patterns.is_empty())
            .then(|| {
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .build(&patterns)
                    .ok()
                    .map(|ac| (ac, pattern_entry))
            })
            .flatten();
        Watchlist {
            entries,
            by_key,
            by_domain,
            by_parent,
            mentions,
        }
    }

    /// True when there is nothing to match.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every entry matching a domain or one of its parent domains.
    fn domain_entries(&self, domain: &str) -> Vec<(usize, bool)> {
        let d = domain_key(domain);
        let mut out = Vec::new();
        let mut rest = d.as_str();
        let mut sub = false;
        loop {
            if let Some(list) = self.by_domain.get(rest) {
                out.extend(list.iter().map(|i| (*i, sub)));
            }
            match rest.split_once('.') {
                Some((_, r)) if r.contains('.') => {
                    rest = r;
                    sub = true;
                }
                _ => break,
            }
        }
        out
    }

    /// Matches a claim; `text` is the text as read (for mentions). Strongest reason per entry.
    pub fn matches(&self, claim: &Claim, text: &str) -> Vec<WatchHit> {
        let mut hits: Vec<WatchHit> = Vec::new();
        let push = |hits: &mut Vec<WatchHit>, i: usize, how: &str, field: String, why: String| {
            let e = &self.entries[i];
            if hits.iter().any(|h| h.entry_id == e.id && h.entry == e.name) {
                return;
            }
            hits.push(WatchHit {
                entry_id: e.id,
                entry: e.name.clone(),
                how: how.into(),
                field,
                why,
            });
        };
        for (vi, v) in claim.victims.iter().enumerate() {
            let role = v.role.as_str();
            let names =
                std::iter::once((&v.name, "name")).chain(v.aliases.iter().map(|a| (a, "aliases")));
            for (n, field) in names {
                if let Some(list) = self.by_key.get(&name_key(n)) {
                    for (i, how) in list {
                        let e = &self.entries[*i];
                        let (how, why) = match role {
                            "victim" => (
                                *how,
                                format!(
                                    "{} {:?} of the watched {} is the claimed victim {:?}",
                                    how_word(how),
                                    matched_name(e, n),
                                    e.kind,
                                    v.name
                                ),
                            ),
                            "parent" | "owner" => (
                                "parent",
                                format!(
                                    "watched {} {:?} is the {role} of the claimed victim {:?}",
                                    e.kind,
                                    e.name,
                                    v.of.as_deref().unwrap_or("")
                                ),
                            ),
                            "platform" => (
                                "platform",
                                format!(
                                    "watched {} {:?} is the platform of the claimed victims",
                                    e.kind, e.name
                                ),
                            ),
                            other => (
                                *how,
                                format!(
                                    "watched {} {:?} is named as {other} in the claim",
                                    e.kind, e.name
                                ),
                            ),
                        };
                        push(&mut hits, *i, how, format!("victims[{vi}].{field}"), why);
                    }
                }
                // A victim that is the parent / platform of watched entries.
                if let Some(list) = self.by_parent.get(&name_key(n)) {
                    for i in list {
                        let e = &self.entries[*i];
                        let rel = if e.kind == "merchant" {
                            "sells on"
                        } else {
                            "belongs to"
                        };
                        push(
                            &mut hits,
                            *i,
                            if e.kind == "merchant" {
                                "platform"
                            } else {
                                "parent"
                            },
                            format!("victims[{vi}].{field}"),
                            format!(
                                "watched {} {:?} {rel} {:?}, named in the claim as {role}",
                                e.kind, e.name, v.name
                            ),
                        );
                    }
                }
            }
            if let Some(d) = &v.domain {
                for (i, sub) in self.domain_entries(d) {
                    let e = &self.entries[i];
                    let (how, why) = if sub {
                        (
                            "subdomain",
                            format!("{d} is a subdomain of watched {}", watched_domain(e, d)),
                        )
                    } else {
                        (
                            "domain",
                            format!(
                                "domain {d} of the claimed {role} is on the watchlist ({} {:?})",
                                e.kind, e.name
                            ),
                        )
                    };
                    push(&mut hits, i, how, format!("victims[{vi}].domain"), why);
                }
            }
        }
        // Mentions: a watched name in the post that was not extracted as an organisation.
        if let Some((ac, pat_entry)) = &self.mentions {
            let folded = fold(text);
            for m in ac.find_overlapping_iter(&folded) {
                if !on_boundaries(&folded, m.start(), m.end()) {
                    continue;
                }
                let i = pat_entry[m.pattern().as_usize()];
                let e = &self.entries[i];
                let chars = folded[..m.start()].chars().count();
                push(
                    &mut hits,
                    i,
                    "mention",
                    "text".into(),
                    format!("watched {} {:?} is mentioned in the post (character {chars}) but not as the victim", e.kind, e.name),
                );
            }
        }
        hits
    }
}

fn how_word(how: &str) -> &'static str {
    if how == "alias" {
        "alias"
    } else {
        "name"
    }
}

fn matched_name<'a>(e: &'a Entry, n: &str) -> &'a str {
    e.aliases
        .iter()
        .find(|a| name_key(a) == name_key(n))
        .unwrap_or(&e.name)
}

fn watched_domain(e: &Entry, d: &str) -> String {
    let dk = domain_key(d);
    std::iter::once(&e.name)
        .chain(&e.domains)
        .map(|x| domain_key(x))
        .find(|x| dk.ends_with(&format!(".{x}")))
        .unwrap_or_else(|| e.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Victim;

    fn entry(
        id: i64,
        kind: &str,
        name: &str,
        aliases: &[&str],
        domains: &[&str],
        parent: Option<&str>,
    ) -> Entry {
        Entry {
            id,
            kind: kind.into(),
            name: name.into(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            domains: domains.iter().map(|s| s.to_string()).collect(),
            parent: parent.map(String::from),
            note: None,
        }
    }

    fn claim(victims: Vec<Victim>) -> Claim {
        Claim {
            victims,
            ..Claim::default()
        }
    }

    #[test]
    fn case_diacritics_width_legal_forms_domains_parents() {
        let w = Watchlist::new(vec![
            entry(
                1,
                "organisation",
                "Bách Hóa Xanh",
                &["BHX"],
                &["bachhoaxanh.com"],
                Some("Mobile World"),
            ),
            entry(2, "merchant", "Cửa hàng Hoa Mai", &[], &[], Some("Chợ Phố")),
            entry(3, "organisation", "ＦｏｏＭａｒｔ Pte Ltd", &[], &[], None),
            entry(4, "domain", "example.vn", &[], &[], None),
        ]);
        let v = |name: &str, role: &str, domain: Option<&str>| Victim {
            name: name.into(),
            role: role.into(),
            domain: domain.map(String::from),
            ..Victim::default()
        };
        let hits = w.matches(&claim(vec![v("BACH HOA XANH", "victim", None)]), "");
        assert_eq!(hits[0].how, "name");
        let hits = w.matches(&claim(vec![v("bhx", "victim", None)]), "");
        assert_eq!(hits[0].how, "alias");
        let hits = w.matches(&claim(vec![v("FOOMART", "victim", None)]), "");
        assert_eq!(hits[0].entry_id, 3, "width and legal form ignored");
        let hits = w.matches(
            &claim(vec![v("Shop X", "victim", Some("shop.example.vn"))]),
            "",
        );
        assert_eq!((hits[0].entry_id, hits[0].how.as_str()), (4, "subdomain"));
        let hits = w.matches(&claim(vec![v("Cho Pho", "victim", None)]), "");
        assert_eq!((hits[0].entry_id, hits[0].how.as_str()), (2, "platform"));
        assert!(hits[0].why.contains("sells on"));
        let hits = w.matches(&claim(vec![v("Mobile World", "victim", None)]), "");
        assert_eq!((hits[0].entry_id, hits[0].how.as_str()), (1, "parent"));
        let hits = w.matches(
            &claim(vec![v("Someone", "victim", None)]),
            "Ai đó bán data của bách hoá xanh",
        );
        assert_eq!((hits[0].entry_id, hits[0].how.as_str()), (1, "mention"));
        assert!(w
            .matches(&claim(vec![v("Someone", "victim", None)]), "nothing here")
            .is_empty());
    }
}
