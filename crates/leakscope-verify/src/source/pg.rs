//! PostgreSQL references: a read-only transaction and a server-side cursor fetched in batches,
//! so memory stays bounded whatever the table size.

use super::{base_sql, DbSelect, Since, DB_BATCH_ROWS};
use crate::error::{redact_url, VerifyError};
use leakscope_formats::{RowBatch, TableInfo};
use postgres::error::SqlState;
use postgres::{Client, Config, NoTls, SimpleQueryMessage};
use std::str::FromStr;

fn describe_err(
    url: &str,
    cfg: Option<&Config>,
    select: &DbSelect,
    e: &postgres::Error,
) -> VerifyError {
    let shown = redact_url(url);
    let user = cfg.and_then(|c| c.get_user()).unwrap_or("?");
    if let Some(db) = e.as_db_error() {
        let code = db.code();
        if *code == SqlState::INVALID_PASSWORD
            || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
        {
            return VerifyError::Reference(format!("{shown}: authentication failed for user `{user}` — check the user name and password (the password is not shown)"));
        }
        if *code == SqlState::INVALID_CATALOG_NAME {
            return VerifyError::Reference(format!(
                "{shown}: the database does not exist ({})",
                db.message()
            ));
        }
        if *code == SqlState::UNDEFINED_TABLE {
            let what = match select {
                DbSelect::Table(t) => format!("table {t} does not exist"),
                DbSelect::Query(_) => "a table named in --query does not exist".to_string(),
            };
            return VerifyError::Reference(format!("{shown}: {what} ({})", db.message()));
        }
        if *code == SqlState::INSUFFICIENT_PRIVILEGE {
            return VerifyError::Reference(format!(
                "{shown}: permission denied ({}) — the role needs SELECT on the reference",
                db.message()
            ));
        }
        if matches!(select, DbSelect::Query(_))
            && (*code == SqlState::SYNTAX_ERROR || *code == SqlState::FEATURE_NOT_SUPPORTED)
        {
            return VerifyError::Usage(format!(
                "--query must be a single read-only SELECT ({})",
                db.message()
            ));
        }
        if *code == SqlState::READ_ONLY_SQL_TRANSACTION {
            return VerifyError::Usage("--query must be a read-only SELECT (the reference is read in a READ ONLY transaction)".into());
        }
        return VerifyError::Reference(format!("{shown}: {} ({})", db.message(), code.code()));
    }
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg = format!("{msg}: {s}");
        src = s.source();
    }
    VerifyError::Reference(format!("{shown}: cannot connect or read: {msg}"))
}

fn literal(v: &str) -> String {
    format!("'{}'", v.replace('\'', "''"))
}

/// Streams a table or query.
pub fn stream(
    url: &str,
    select: &DbSelect,
    since: Option<&Since>,
    f: &mut dyn FnMut(&TableInfo, RowBatch) -> Result<(), VerifyError>,
) -> Result<u64, VerifyError> {
    let cfg = Config::from_str(url).map_err(|_| {
        VerifyError::Usage(format!("{} is not a valid PostgreSQL URL", redact_url(url)))
    })?;
    let mut cfg2 = cfg.clone();
    cfg2.connect_timeout(std::time::Duration::from_secs(15));
    cfg2.application_name("leakscope-verify");
    let mut client: Client = cfg2
        .connect(NoTls)
        .map_err(|e| describe_err(url, Some(&cfg), select, &e))?;
    let fail = |e: postgres::Error| describe_err(url, Some(&cfg), select, &e);
    let mut tx = client.transaction().map_err(fail)?;
    tx.batch_execute("SET TRANSACTION READ ONLY")
        .map_err(fail)?;
    let mut sql = base_sql(select);
    if let Some(s) = since {
        sql = format!(
            "SELECT * FROM ({sql}) AS leakscope_src WHERE {} >= {}",
            super::quote_ident(&s.column),
            literal(&s.value)
        );
    }
    tx.batch_execute(&format!("DECLARE leakscope_ref NO SCROLL CURSOR FOR {sql}"))
        .map_err(fail)?;
    let name = match select {
        DbSelect::Table(t) => t.clone(),
        DbSelect::Query(_) => "query".into(),
    };
    let mut table: Option<TableInfo> = None;
    let mut n = 0u64;
    let fetch = format!("FETCH FORWARD {DB_BATCH_ROWS} FROM leakscope_ref");
    loop {
        let msgs = tx.simple_query(&fetch).map_err(fail)?;
        let mut batch = RowBatch::new(n + 1);
        for m in &msgs {
            if let SimpleQueryMessage::Row(row) = m {
                if table.is_none() {
                    let headers = row.columns().iter().map(|c| c.name().to_string()).collect();
                    table = Some(TableInfo {
                        id: 0,
                        name: name.clone(),
                        source: redact_url(url),
                        headers,
                        has_header_row: true,
                    });
                }
                for i in 0..row.len() {
                    batch.push_field(row.get(i).unwrap_or(""));
                }
                batch.end_row();
            }
        }
        if batch.is_empty() {
            break;
        }
        n += batch.len() as u64;
        let t = table.as_ref().expect("set with the first row");
        f(t, batch)?;
    }
    drop(tx);
    Ok(n)
}
