//! Reference sources, read-only and streamed as [`RowBatch`]es: files (through the reading
//! layer), PostgreSQL and SQLite.

mod files;
mod pg;
mod sqlite;

use crate::error::{redact_url, VerifyError};
use leakscope_formats::{RowBatch, TableInfo};
use std::path::PathBuf;

/// Rows per batch for database sources.
pub const DB_BATCH_ROWS: usize = 4096;

/// What to read from a database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbSelect {
    /// `--table T` (optionally `schema.table`).
    Table(String),
    /// `--query SQL` (a read-only SELECT).
    Query(String),
}

/// A reference source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefSource {
    /// Files in any format the reading layer supports.
    Files(Vec<PathBuf>),
    /// A PostgreSQL URL (`postgres://` or `postgresql://`).
    Postgres {
        /// Connection URL (contains the password; never displayed).
        url: String,
        /// Table or query.
        select: DbSelect,
    },
    /// A SQLite database file (`sqlite://path`), opened read-only.
    Sqlite {
        /// Database file.
        path: PathBuf,
        /// Table or query.
        select: DbSelect,
    },
}

/// Restriction to recently updated rows (`--since VALUE --updated-column C`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Since {
    /// The update column.
    pub column: String,
    /// Lower bound (inclusive), as the user wrote it.
    pub value: String,
}

fn select_of(
    table: Option<&str>,
    query: Option<&str>,
    spec: &str,
) -> Result<DbSelect, VerifyError> {
    match (table, query) {
        (Some(t), None) => Ok(DbSelect::Table(t.to_string())),
        (None, Some(q)) => Ok(DbSelect::Query(q.trim().trim_end_matches(';').to_string())),
        (Some(_), Some(_)) => Err(VerifyError::Usage(
            "give either --table or --query, not both".into(),
        )),
        (None, None) => Err(VerifyError::Usage(format!(
            "database reference {} needs --table TABLE or --query SQL",
            redact_url(spec)
        ))),
    }
}

impl RefSource {
    /// Interprets a `--reference` value: a `postgres://` / `postgresql://` / `sqlite://` URL, or
    /// file paths.
    pub fn parse(
        specs: &[String],
        table: Option<&str>,
        query: Option<&str>,
    ) -> Result<RefSource, VerifyError> {
        let first = specs
            .first()
            .ok_or_else(|| VerifyError::Usage("no reference given".into()))?;
        let is_url = |s: &str| {
            s.starts_with("postgres://")
                || s.starts_with("postgresql://")
                || s.starts_with("sqlite://")
        };
        if is_url(first) {
            if specs.len() > 1 {
                return Err(VerifyError::Usage(
                    "a database reference must be the only reference".into(),
                ));
            }
            let select = select_of(table, query, first)?;
            if let Some(p) = first.strip_prefix("sqlite://") {
                return Ok(RefSource::Sqlite {
                    path: PathBuf::from(p),
                    select,
                });
            }
            return Ok(RefSource::Postgres {
                url: first.clone(),
                select,
            });
        }
        if table.is_some() || query.is_some() {
            return Err(VerifyError::Usage(
                "--table/--query apply only to postgres:// or sqlite:// references".into(),
            ));
        }
        Ok(RefSource::Files(specs.iter().map(PathBuf::from).collect()))
    }

    /// Display form, without passwords.
    pub fn describe(&self) -> String {
        let sel = |s: &DbSelect| match s {
            DbSelect::Table(t) => format!("table {t}"),
            DbSelect::Query(_) => "custom query".to_string(),
        };
        match self {
            RefSource::Files(p) => format!(
                "files: {}",
                p.iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            RefSource::Postgres { url, select } => format!("{} ({})", redact_url(url), sel(select)),
            RefSource::Sqlite { path, select } => {
                format!("sqlite://{} ({})", path.display(), sel(select))
            }
        }
    }

    /// Streams the reference into `f`, one batch at a time. Returns the number of rows read.
    /// Errors: connection, credentials, missing table, unreadable files, and empty results.
    pub fn stream(
        &self,
        since: Option<&Since>,
        f: &mut dyn FnMut(&TableInfo, RowBatch) -> Result<(), VerifyError>,
    ) -> Result<u64, VerifyError> {
        let rows = match self {
            RefSource::Files(paths) => files::stream(paths, f)?,
            RefSource::Postgres { url, select } => pg::stream(url, select, since, f)?,
            RefSource::Sqlite { path, select } => sqlite::stream(path, select, since, f)?,
        };
        if rows == 0 {
            let what = if since.is_some() {
                "no rows were updated since the given --since value"
            } else {
                "the reference returned no rows"
            };
            return Err(VerifyError::EmptyReference(format!(
                "{what} ({})",
                self.describe()
            )));
        }
        Ok(rows)
    }
}

/// Double-quotes an SQL identifier, splitting `schema.table`.
pub fn quote_ident(name: &str) -> String {
    name.split('.')
        .map(|p| format!("\"{}\"", p.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(".")
}

/// The SELECT for a table or query.
pub fn base_sql(select: &DbSelect) -> String {
    match select {
        DbSelect::Table(t) => format!("SELECT * FROM {}", quote_ident(t)),
        DbSelect::Query(q) => q.clone(),
    }
}
