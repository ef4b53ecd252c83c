//! The data directory's database: `<data_dir>/leakscope.db` (SQLite, file mode 0600, WAL,
//! busy timeout) or a team's PostgreSQL server (`--database postgres://…`, the convention
//! `leakscope corpus` uses), behind one portable API.
//!
//! Features never talk to a backend directly: they write portable SQL (`?` placeholders,
//! `INSERT … RETURNING id`, `ON CONFLICT … DO …`, TEXT timestamps in UTC) and call
//! [`Db::execute`], [`Db::query`], [`Db::insert`] and [`Db::transaction`]; tables come from
//! [`migrations`], applied on open. The web server reads while the CLI writes: SQLite runs in
//! WAL mode with a busy timeout, so readers never block the writer and a second writer waits.

pub mod migrations;
mod value;

pub use migrations::{Dialect, Migration, MIGRATIONS};
pub use value::{ColumnError, Row, Value};

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a writer waits for another writer before giving up (SQLite).
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// File name of the SQLite database in the data directory.
pub const FILE_NAME: &str = "leakscope.db";

/// Database errors (messages never contain parameter values).
#[derive(Debug)]
pub enum DbError {
    /// Opening or creating the database file or directory.
    Io(PathBuf, std::io::Error),
    /// SQLite error.
    Sqlite(rusqlite::Error),
    /// PostgreSQL error.
    Postgres(postgres::Error),
    /// The database was written by a newer leakscope.
    TooNew {
        /// Version found.
        found: u32,
        /// Newest version this build knows.
        known: u32,
    },
    /// A bad `--database` value.
    BadTarget(String),
    /// The data directory exists but others can read it (the message holds the fix).
    NotPrivate(String),
}

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbError::Io(p, e) => write!(f, "{}: {e}", p.display()),
            DbError::Sqlite(e) => write!(f, "SQLite: {e}"),
            DbError::NotPrivate(msg) => f.write_str(msg),
            DbError::Postgres(e) => write!(f, "PostgreSQL: {e}"),
            DbError::TooNew { found, known } => write!(
                f,
                "the database has schema version {found}, this leakscope knows up to {known}: upgrade leakscope"
            ),
            DbError::BadTarget(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for DbError {}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> DbError {
        DbError::Sqlite(e)
    }
}

impl From<postgres::Error> for DbError {
    fn from(e: postgres::Error) -> DbError {
        DbError::Postgres(e)
    }
}

/// Result alias.
pub type Result<T> = std::result::Result<T, DbError>;

/// Where the database is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL URL.
    Postgres(String),
}

impl Target {
    /// `--database` value (a `postgres://` URL) or the data directory's SQLite file.
    pub fn resolve(database: Option<&str>, data_dir: &Path) -> Result<Target> {
        match database {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Ok(Target::Postgres(url.to_string()))
            }
            Some(other) => Err(DbError::BadTarget(format!(
                "--database must be a postgres:// URL (got a value of {} characters)",
                other.len()
            ))),
            None => Ok(Target::Sqlite(data_dir.join(FILE_NAME))),
        }
    }

    /// Human description without secrets (no password in the URL).
    pub fn describe(&self) -> String {
        match self {
            Target::Sqlite(p) => p.display().to_string(),
            Target::Postgres(url) => {
                let rest = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
                let host = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
                format!("postgres://…@{host}")
            }
        }
    }
}

/// The default data directory (the one place this crate asks `leakscope-keys` for it).
pub fn default_data_dir() -> PathBuf {
    leakscope_keys::data_dir()
}

enum Backend {
    Sqlite(rusqlite::Connection),
    Postgres(Box<postgres::Client>),
}

/// An open database with the schema migrated to the newest version.
pub struct Db {
    backend: Backend,
    target: Target,
}

impl fmt::Debug for Db {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Db({})", self.target.describe())
    }
}

/// Current UTC time as stored (`YYYY-MM-DDTHH:MM:SSZ`).
pub fn now() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

impl Db {
    /// Opens (creating if needed) and migrates.
    pub fn open(target: &Target) -> Result<Db> {
        let backend = match target {
            Target::Sqlite(path) => Backend::Sqlite(open_sqlite(path)?),
            Target::Postgres(url) => {
                Backend::Postgres(Box::new(postgres::Client::connect(url, postgres::NoTls)?))
            }
        };
        let mut db = Db {
            backend,
            target: target.clone(),
        };
        db.migrate()?;
        Ok(db)
    }

    /// Opens `--database` or the default data directory's SQLite file.
    /// An existing data directory must be private (the same rule `leakscope-keys` applies to
    /// the secret): a world-readable one is refused with the `chmod` that fixes it.
    pub fn open_default(database: Option<&str>) -> Result<Db> {
        let dir = default_data_dir();
        let target = Target::resolve(database, &dir)?;
        if matches!(target, Target::Sqlite(_)) && dir.exists() {
            leakscope_keys::check_private(&dir).map_err(|e| DbError::NotPrivate(e.to_string()))?;
        }
        Db::open(&target)
    }

    /// Where it is.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// The backend's dialect.
    pub fn dialect(&self) -> Dialect {
        match self.backend {
            Backend::Sqlite(_) => Dialect::Sqlite,
            Backend::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Runs a statement; returns the number of rows changed.
    pub fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        let sql = self.dialect().placeholders(sql);
        match &mut self.backend {
            Backend::Sqlite(c) => {
                Ok(c.execute(&sql, rusqlite::params_from_iter(params.iter()))? as u64)
            }
            Backend::Postgres(c) => {
                let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
                    params.iter().map(|p| p as _).collect();
                Ok(c.execute(sql.as_str(), &refs)?)
            }
        }
    }

    /// Runs a query and returns all rows.
    pub fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        let sql = self.dialect().placeholders(sql);
        match &mut self.backend {
            Backend::Sqlite(c) => {
                let mut stmt = c.prepare(&sql)?;
                let n = stmt.column_count();
                let rows = stmt.query_map(rusqlite::params_from_iter(params.iter()), |r| {
                    (0..n)
                        .map(|i| r.get_ref(i).map(sqlite_value))
                        .collect::<std::result::Result<Vec<_>, _>>()
                        .map(Row)
                })?;
                Ok(rows.collect::<std::result::Result<Vec<_>, _>>()?)
            }
            Backend::Postgres(c) => {
                let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
                    params.iter().map(|p| p as _).collect();
                let rows = c.query(sql.as_str(), &refs)?;
                rows.iter().map(pg_row).collect()
            }
        }
    }

    /// The first row, if any.
    pub fn query_opt(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// Runs an `INSERT … RETURNING id` and returns the id.
    pub fn insert(&mut self, sql: &str, params: &[Value]) -> Result<i64> {
        Ok(self
            .query_opt(sql, params)?
            .and_then(|r| r.opt_i64(0))
            .unwrap_or(0))
    }

    /// Runs `f` in a transaction: committed when it returns `Ok`, rolled back otherwise.
    pub fn transaction<T, E: From<DbError>>(
        &mut self,
        f: impl FnOnce(&mut Db) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        self.batch(match self.dialect() {
            Dialect::Sqlite => "BEGIN IMMEDIATE",
            Dialect::Postgres => "BEGIN",
        })?;
        match f(self) {
            Ok(v) => {
                self.batch("COMMIT")?;
                Ok(v)
            }
            Err(e) => {
                let _ = self.batch("ROLLBACK");
                Err(e)
            }
        }
    }

    fn batch(&mut self, sql: &str) -> Result<()> {
        match &mut self.backend {
            Backend::Sqlite(c) => c.execute_batch(sql)?,
            Backend::Postgres(c) => c.batch_execute(sql)?,
        }
        Ok(())
    }

    /// The applied schema version (0 for a new database).
    pub fn schema_version(&mut self) -> Result<u32> {
        let v = self
            .query_opt("SELECT MAX(version) FROM schema_migrations", &[])?
            .and_then(|r| r.opt_i64(0))
            .unwrap_or(0);
        Ok(v as u32)
    }

    fn migrate(&mut self) -> Result<()> {
        self.batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
        )?;
        let current = self.schema_version()?;
        if current > migrations::latest() {
            return Err(DbError::TooNew {
                found: current,
                known: migrations::latest(),
            });
        }
        for m in MIGRATIONS.iter().filter(|m| m.version > current) {
            let sql = self.dialect().render(m.sql);
            self.transaction(|db| -> Result<()> {
                db.batch(&sql)?;
                db.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    &[Value::Int(m.version as i64), m.name.into(), now().into()],
                )?;
                Ok(())
            })?;
        }
        Ok(())
    }
}

/// Creates the file with mode 0600 (and its directory with 0700) before SQLite opens it, so the
/// database — and its `-wal` / `-shm` files, which SQLite creates with the same mode — are never
/// readable by others.
fn open_sqlite(path: &Path) -> Result<rusqlite::Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.exists() {
            let mut b = std::fs::DirBuilder::new();
            b.recursive(true);
            #[cfg(unix)]
            {
                use std::os::unix::fs::DirBuilderExt;
                b.mode(0o700);
            }
            b.create(dir)
                .map_err(|e| DbError::Io(dir.to_path_buf(), e))?;
        }
    }
    if !path.exists() {
        let mut o = std::fs::OpenOptions::new();
        o.write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            o.mode(0o600);
        }
        o.open(path)
            .map_err(|e| DbError::Io(path.to_path_buf(), e))?;
    }
    let c = rusqlite::Connection::open(path)?;
    c.busy_timeout(BUSY_TIMEOUT)?;
    c.pragma_update(None, "journal_mode", "WAL")?;
    c.pragma_update(None, "synchronous", "NORMAL")?;
    c.pragma_update(None, "foreign_keys", "ON")?;
    Ok(c)
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(match self {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(v) => ToSqlOutput::Borrowed(ValueRef::Integer(*v)),
            Value::Real(v) => ToSqlOutput::Borrowed(ValueRef::Real(*v)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Blob(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        })
    }
}

fn sqlite_value(v: rusqlite::types::ValueRef<'_>) -> Value {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Real(r) => Value::Real(r),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

impl postgres::types::ToSql for Value {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>>
    {
        use postgres::types::Type;
        match self {
            Value::Null => Ok(postgres::types::IsNull::Yes),
            Value::Int(v) => match *ty {
                Type::INT4 => i32::try_from(*v)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*v)?.to_sql(ty, out),
                Type::BOOL => (*v != 0).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => v.to_string().to_sql(ty, out),
                _ => v.to_sql(ty, out),
            },
            Value::Real(v) => v.to_sql(ty, out),
            Value::Text(s) => s.to_sql(ty, out),
            Value::Blob(b) => b.to_sql(ty, out),
        }
    }

    fn accepts(_: &postgres::types::Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

fn pg_row(r: &postgres::Row) -> Result<Row> {
    use postgres::types::Type;
    let mut out = Vec::with_capacity(r.len());
    for (i, col) in r.columns().iter().enumerate() {
        let ty = col.type_();
        let v = if *ty == Type::INT8 {
            r.try_get::<_, Option<i64>>(i)?
                .map_or(Value::Null, Value::Int)
        } else if *ty == Type::INT4 {
            r.try_get::<_, Option<i32>>(i)?
                .map_or(Value::Null, |v| Value::Int(v as i64))
        } else if *ty == Type::INT2 {
            r.try_get::<_, Option<i16>>(i)?
                .map_or(Value::Null, |v| Value::Int(v as i64))
        } else if *ty == Type::BOOL {
            r.try_get::<_, Option<bool>>(i)?
                .map_or(Value::Null, |v| Value::Int(v as i64))
        } else if *ty == Type::FLOAT8 || *ty == Type::FLOAT4 {
            r.try_get::<_, Option<f64>>(i)?
                .map_or(Value::Null, Value::Real)
        } else if *ty == Type::BYTEA {
            r.try_get::<_, Option<Vec<u8>>>(i)?
                .map_or(Value::Null, Value::Blob)
        } else {
            r.try_get::<_, Option<String>>(i)?
                .map_or(Value::Null, Value::Text)
        };
        out.push(v);
    }
    Ok(Row(out))
}
