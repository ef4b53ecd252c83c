//! PostgreSQL: an `SSLRequest` identifies the server; with the default-credential checks on, a
//! login without password is tried for a few common users (`postgres`, `admin`, `root`). A
//! session that gets in is read-only (`default_transaction_read_only=on`, `statement_timeout`)
//! and runs only catalogue queries, bounded counts and `SELECT * … LIMIT n`.

use super::{new_service, ProbeResult, Probed};
use crate::model::{Auth, ServiceKind, Store};
use crate::net::{Endpoint, Net};
use crate::sample::Sample;
use std::io::{Read, Write};

/// Users tried without a password.
pub const USERS: &[&str] = &["postgres", "admin", "root"];

/// Rows counted exactly before a table's size is given as at least this.
const COUNT_CAP: u64 = 1_000_000;

fn ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// Probes a PostgreSQL server.
pub fn probe(net: &Net, ep: &Endpoint) -> ProbeResult {
    // SSLRequest: length 8, code 80877103. A PostgreSQL server answers one byte, S or N.
    let mut s = net.connect(ep).map_err(|e| e.to_string())?;
    // PostgreSQL answers at once; other products may wait for more bytes.
    let _ = s.set_read_timeout(Some(
        net.limits.io_timeout.min(std::time::Duration::from_secs(3)),
    ));
    if s.write_all(&[0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]).is_err() {
        return Ok(None);
    }
    let mut b = [0u8; 2];
    let n = s.read(&mut b).unwrap_or(0);
    drop(s);
    if n != 1 || !(b[0] == b'S' || b[0] == b'N') {
        return Ok(None);
    }
    let mut svc = new_service(ep, ServiceKind::Postgresql);
    svc.product = Some("PostgreSQL".into());
    svc.details
        .insert("tls_offered".into(), (b[0] == b'S').into());
    if !net.limits.default_credentials {
        svc.auth_detail = "login checks switched off (--no-default-credentials)".into();
        return Ok(Some(Probed::new(svc)));
    }
    let mut refusals = Vec::new();
    for user in USERS {
        match login(net, ep, user, "postgres") {
            Ok(client) => {
                svc.auth = Auth::None;
                svc.auth_detail = format!("user {user} logged in without a password");
                return read_all(net, ep, svc, client, user).map(Some);
            }
            Err(e) => refusals.push(format!("{user}: {e}")),
        }
    }
    svc.auth = Auth::Required;
    svc.auth_detail = format!("no login without password ({})", refusals.join("; "));
    Ok(Some(Probed::new(svc)))
}

fn login(net: &Net, ep: &Endpoint, user: &str, db: &str) -> Result<postgres::Client, String> {
    if !net.allowed(ep) {
        return Err(crate::net::out_of_scope(ep).to_string());
    }
    net.pace();
    net.counters
        .connections
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let timeout_ms = net.limits.io_timeout.as_millis().max(1000);
    let mut cfg = postgres::Config::new();
    cfg.host(&ep.ip.to_string())
        .port(ep.port)
        .user(user)
        .dbname(db)
        .application_name("leakscope-exposure")
        .connect_timeout(net.limits.connect_timeout)
        .options(&format!(
            "-c default_transaction_read_only=on -c statement_timeout={timeout_ms}"
        ));
    cfg.connect(postgres::NoTls).map_err(|e| {
        // The server's reason (no pg_hba entry, password required …), never a value.
        e.as_db_error()
            .map(|d| format!("{} ({})", d.message(), d.code().code()))
            .unwrap_or_else(|| {
                let t = e.to_string();
                if t.contains("password missing") {
                    "password required".into()
                } else {
                    t.chars().take(160).collect()
                }
            })
    })
}

fn texts(client: &mut postgres::Client, sql: &str) -> Result<Vec<Vec<Option<String>>>, String> {
    let msgs = client.simple_query(sql).map_err(|e| {
        e.as_db_error()
            .map(|d| d.message().to_string())
            .unwrap_or_else(|| e.to_string())
    })?;
    Ok(msgs
        .into_iter()
        .filter_map(|m| match m {
            postgres::SimpleQueryMessage::Row(r) => {
                Some((0..r.len()).map(|i| r.get(i).map(str::to_string)).collect())
            }
            _ => None,
        })
        .collect())
}

fn read_all(
    net: &Net,
    ep: &Endpoint,
    mut svc: crate::model::Service,
    mut client: postgres::Client,
    user: &str,
) -> Result<Probed, String> {
    if let Ok(v) = texts(&mut client, "SHOW server_version") {
        svc.version = v.first().and_then(|r| r.first().cloned().flatten());
    }
    let dbs: Vec<String> = texts(
        &mut client,
        "SELECT datname FROM pg_database WHERE datallowconn AND NOT datistemplate ORDER BY datname",
    )?
    .into_iter()
    .filter_map(|r| r.into_iter().next().flatten())
    .collect();
    svc.details.insert("databases".into(), dbs.len().into());
    drop(client);
    let mut out = Probed::new(svc);
    let limits = net.limits.clone();
    let mut sampled_stores = 0usize;
    for db in dbs.iter().take(64) {
        let mut c = match login(net, ep, user, db) {
            Ok(c) => c,
            Err(e) => {
                out.service.notes.push(format!("database {db}: {e}"));
                continue;
            }
        };
        let tables = texts(
            &mut c,
            "SELECT n.nspname, c.relname, c.reltuples::bigint, COALESCE(s.n_live_tup, 0), pg_total_relation_size(c.oid) \
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid \
             WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
             AND n.nspname NOT LIKE 'pg_toast%' ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 500",
        )?;
        for t in tables {
            let [Some(schema), Some(name), tuples, live, size] =
                <[Option<String>; 5]>::try_from(t).unwrap_or([None, None, None, None, None])
            else {
                continue;
            };
            let num = |v: &Option<String>| v.as_deref().and_then(|s| s.parse::<i64>().ok());
            let qualified = format!("{}.{}", ident(&schema), ident(&name));
            let mut store = Store {
                name: format!("{db}.{schema}.{name}"),
                kind: "table".into(),
                records: num(&tuples)
                    .filter(|n| *n > 0)
                    .or(num(&live).filter(|n| *n > 0))
                    .map(|n| n as u64),
                bytes: num(&size).map(|n| n.max(0) as u64),
                newest: None,
                sampled: 0,
                source: None,
            };
            if sampled_stores < limits.stores_per_service {
                sampled_stores += 1;
                if store.records.is_none_or(|n| n <= COUNT_CAP) {
                    let q = format!(
                        "SELECT count(*) FROM (SELECT 1 FROM {qualified} LIMIT {}) s",
                        COUNT_CAP + 1
                    );
                    if let Ok(r) = texts(&mut c, &q) {
                        store.records = r
                            .first()
                            .and_then(|r| r.first().cloned().flatten())
                            .and_then(|s| s.parse().ok());
                    }
                }
                match sample_table(
                    &mut c,
                    &qualified,
                    limits.sample_per_store,
                    limits.sample_bytes,
                ) {
                    Ok((headers, rows)) => {
                        store.sampled = rows.len() as u64;
                        if !rows.is_empty() {
                            out.samples.push(Sample::Rows {
                                source: format!("postgresql://{}/{db}", ep.authority()),
                                table: format!("{schema}.{name}"),
                                headers,
                                rows,
                            });
                        }
                    }
                    Err(e) => out.service.notes.push(format!("{}: {e}", store.name)),
                }
            }
            out.service.stores.push(store);
        }
    }
    if out.service.stores.len() > limits.stores_per_service {
        out.service.notes.push(format!(
            "{} tables, the {} largest sampled",
            out.service.stores.len(),
            limits.stores_per_service
        ));
    }
    Ok(out)
}

type Table = (Vec<String>, Vec<Vec<String>>);

fn sample_table(
    c: &mut postgres::Client,
    qualified: &str,
    n: usize,
    max_bytes: u64,
) -> Result<Table, String> {
    let msgs = c
        .simple_query(&format!("SELECT * FROM {qualified} LIMIT {n}"))
        .map_err(|e| {
            e.as_db_error()
                .map(|d| d.message().to_string())
                .unwrap_or_else(|| e.to_string())
        })?;
    let mut headers = Vec::new();
    let mut rows = Vec::new();
    let mut bytes = 0u64;
    for m in msgs {
        if let postgres::SimpleQueryMessage::Row(r) = m {
            if headers.is_empty() {
                headers = r.columns().iter().map(|c| c.name().to_string()).collect();
            }
            let row: Vec<String> = (0..r.len())
                .map(|i| r.get(i).unwrap_or("").to_string())
                .collect();
            bytes += row.iter().map(|c| c.len() as u64).sum::<u64>();
            rows.push(row);
            if bytes > max_bytes {
                break;
            }
        }
    }
    Ok((headers, rows))
}
