//! SQLite references, opened read-only.

use super::{base_sql, DbSelect, Since, DB_BATCH_ROWS};
use crate::error::VerifyError;
use leakscope_formats::{RowBatch, TableInfo};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

fn err(path: &Path, select: &DbSelect, e: rusqlite::Error) -> VerifyError {
    let msg = e.to_string();
    if msg.contains("no such table") {
        let t = match select {
            DbSelect::Table(t) => t.as_str(),
            DbSelect::Query(_) => "named in --query",
        };
        return VerifyError::Reference(format!(
            "sqlite://{}: table {t} does not exist ({msg})",
            path.display()
        ));
    }
    if msg.contains("no such column") {
        return VerifyError::Reference(format!("sqlite://{}: {msg}", path.display()));
    }
    VerifyError::Reference(format!("sqlite://{}: {msg}", path.display()))
}

/// Streams a table or query.
pub fn stream(
    path: &Path,
    select: &DbSelect,
    since: Option<&Since>,
    f: &mut dyn FnMut(&TableInfo, RowBatch) -> Result<(), VerifyError>,
) -> Result<u64, VerifyError> {
    if !path.is_file() {
        return Err(VerifyError::Reference(format!(
            "sqlite://{}: no such database file",
            path.display()
        )));
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| err(path, select, e))?;
    let mut sql = base_sql(select);
    if let Some(s) = since {
        sql = format!(
            "SELECT * FROM ({sql}) AS leakscope_src WHERE {} >= ?1",
            super::quote_ident(&s.column)
        );
    }
    let mut stmt = conn.prepare(&sql).map_err(|e| err(path, select, e))?;
    if !stmt.readonly() {
        return Err(VerifyError::Usage(
            "--query must be a read-only SELECT".into(),
        ));
    }
    let headers: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
    let name = match select {
        DbSelect::Table(t) => t.clone(),
        DbSelect::Query(_) => "query".into(),
    };
    let table = TableInfo {
        id: 0,
        name,
        source: format!("sqlite://{}", path.display()),
        headers: headers.clone(),
        has_header_row: true,
    };
    let params: Vec<&dyn rusqlite::ToSql> = match since {
        Some(s) => vec![&s.value],
        None => vec![],
    };
    let mut rows = stmt
        .query(params.as_slice())
        .map_err(|e| err(path, select, e))?;
    let mut batch = RowBatch::new(1);
    let mut n = 0u64;
    let mut buf = String::new();
    while let Some(row) = rows.next().map_err(|e| err(path, select, e))? {
        for i in 0..headers.len() {
            buf.clear();
            match row.get_ref(i).map_err(|e| err(path, select, e))? {
                ValueRef::Null | ValueRef::Blob(_) => {}
                ValueRef::Integer(v) => buf.push_str(&v.to_string()),
                ValueRef::Real(v) => buf.push_str(&v.to_string()),
                ValueRef::Text(t) => buf.push_str(&String::from_utf8_lossy(t)),
            }
            batch.push_field(&buf);
        }
        batch.end_row();
        n += 1;
        if batch.len() >= DB_BATCH_ROWS {
            f(&table, std::mem::replace(&mut batch, RowBatch::new(n + 1)))?;
        }
    }
    if !batch.is_empty() {
        f(&table, batch)?;
    }
    Ok(n)
}
