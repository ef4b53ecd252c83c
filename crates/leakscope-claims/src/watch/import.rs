//! CSV import of watchlist entries (thousands of merchants).

use super::{add, Added, Entry, KINDS};
use leakscope_db::{Db, DbError};
use serde::Serialize;

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
