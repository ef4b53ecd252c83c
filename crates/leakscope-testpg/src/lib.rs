//! A throwaway, real PostgreSQL server for tests.
//!
//! [`TestPg::start`] finds the Debian server binaries (`/usr/lib/postgresql/<ver>/bin`, package
//! `postgresql`; override with `LEAKSCOPE_PG_BIN`), runs `initdb` in a temporary directory (as the
//! `postgres` OS user via `runuser` when the test runs as root, because `initdb` refuses root),
//! starts the server on `127.0.0.1` with a free port and a private Unix socket directory, with
//! password (SCRAM) authentication over TCP for a test role, creates a database, and returns a
//! handle. Dropping the handle stops the server and removes the directory.
//!
//! When the binaries are missing, [`TestPg::start`] returns [`PgError::NotInstalled`]. Tests should
//! call [`start_or_skip`]: it panics (test fails) when the `CI` environment variable is set and
//! prints a skip notice otherwise.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Why a test server could not be started.
#[derive(Debug)]
pub enum PgError {
    /// No PostgreSQL server binaries were found (install the Debian package `postgresql`).
    NotInstalled(String),
    /// A step (initdb, start, createdb) failed; the message names it and includes its output.
    Failed(String),
}

impl fmt::Display for PgError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PgError::NotInstalled(m) => write!(f, "PostgreSQL server binaries not found: {m}"),
            PgError::Failed(m) => write!(f, "test PostgreSQL server: {m}"),
        }
    }
}

impl std::error::Error for PgError {}

/// A running throwaway server; stopped and deleted on drop.
#[derive(Debug)]
pub struct TestPg {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
    user: String,
    password: String,
    database: String,
    as_postgres: bool,
}

/// The directory holding `initdb`, `pg_ctl` and `postgres` (highest version wins).
pub fn find_bin_dir() -> Result<PathBuf, PgError> {
    let has_all = |d: &Path| {
        ["initdb", "pg_ctl", "postgres"]
            .iter()
            .all(|b| d.join(b).is_file())
    };
    if let Some(p) = std::env::var_os("LEAKSCOPE_PG_BIN") {
        let p = PathBuf::from(p);
        return if has_all(&p) {
            Ok(p)
        } else {
            Err(PgError::NotInstalled(format!(
                "LEAKSCOPE_PG_BIN={} lacks initdb/pg_ctl/postgres",
                p.display()
            )))
        };
    }
    let root = Path::new("/usr/lib/postgresql");
    let mut best: Option<(u32, PathBuf)> = None;
    if let Ok(rd) = std::fs::read_dir(root) {
        for e in rd.flatten() {
            let ver: u32 = e
                .file_name()
                .to_string_lossy()
                .split('.')
                .next()
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            let bin = e.path().join("bin");
            if has_all(&bin) && best.as_ref().is_none_or(|(v, _)| ver > *v) {
                best = Some((ver, bin));
            }
        }
    }
    best.map(|(_, b)| b).ok_or_else(|| {
        PgError::NotInstalled("no /usr/lib/postgresql/*/bin/{initdb,pg_ctl,postgres}; install the Debian package `postgresql` (.ci/install-deps.sh)".into())
    })
}

fn is_root() -> bool {
    // The effective uid is the third field of `Uid:` in /proc/self/status; fall back to `id -u`.
    if let Ok(s) = std::fs::read_to_string("/proc/self/status") {
        if let Some(line) = s.lines().find(|l| l.starts_with("Uid:")) {
            return line.split_whitespace().nth(2) == Some("0");
        }
    }
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout.starts_with(b"0"))
        .unwrap_or(false)
}

fn postgres_ids() -> Result<(u32, u32), PgError> {
    let passwd = std::fs::read_to_string("/etc/passwd")
        .map_err(|e| PgError::Failed(format!("/etc/passwd: {e}")))?;
    for line in passwd.lines() {
        let f: Vec<&str> = line.split(':').collect();
        if f.len() > 3 && f[0] == "postgres" {
            if let (Ok(u), Ok(g)) = (f[2].parse(), f[3].parse()) {
                return Ok((u, g));
            }
        }
    }
    Err(PgError::Failed(
        "running as root but there is no `postgres` OS user to run initdb as".into(),
    ))
}

fn free_port() -> Result<u16, PgError> {
    let l = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(|e| PgError::Failed(format!("no free port: {e}")))?;
    l.local_addr()
        .map(|a| a.port())
        .map_err(|e| PgError::Failed(format!("no free port: {e}")))
}

fn describe(step: &str, out: &Output) -> String {
    format!(
        "{step} failed ({}): {} {}",
        out.status,
        String::from_utf8_lossy(&out.stdout).trim(),
        String::from_utf8_lossy(&out.stderr).trim()
    )
}

impl TestPg {
    /// Starts a new server with a fresh database `leakscope_test` owned by role `leakscope`.
    pub fn start() -> Result<TestPg, PgError> {
        TestPg::start_with_auth("scram-sha-256")
    }

    /// Like [`TestPg::start`], with another authentication method for TCP connections
    /// (`trust`: no password at all — an exposed server, for the exposure probes' tests).
    pub fn start_with_auth(host_auth: &str) -> Result<TestPg, PgError> {
        let bin = find_bin_dir()?;
        let as_postgres = is_root();
        let dir = tempfile::Builder::new()
            .prefix("leakscope-testpg-")
            .tempdir()
            .map_err(|e| PgError::Failed(format!("temp dir: {e}")))?;
        let mut pg = TestPg {
            bin,
            dir,
            port: 0,
            user: "leakscope".into(),
            password: format!("pw-{}-{}", std::process::id(), free_port()?),
            database: "leakscope_test".into(),
            as_postgres,
        };
        std::fs::create_dir(pg.sock_dir())
            .map_err(|e| PgError::Failed(format!("socket dir: {e}")))?;
        let pwfile = pg.dir.path().join("pwfile");
        std::fs::write(&pwfile, &pg.password)
            .map_err(|e| PgError::Failed(format!("pwfile: {e}")))?;
        if as_postgres {
            let (uid, gid) = postgres_ids()?;
            for p in [pg.dir.path().to_path_buf(), pg.sock_dir(), pwfile.clone()] {
                std::os::unix::fs::chown(&p, Some(uid), Some(gid))
                    .map_err(|e| PgError::Failed(format!("chown {}: {e}", p.display())))?;
            }
        }
        let data = pg.data_dir();
        let out = pg.run(
            "initdb",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-U".as_ref(),
                pg.user.as_ref(),
                "--pwfile".as_ref(),
                pwfile.as_os_str(),
                format!("--auth-host={host_auth}").as_ref(),
                "--auth-local=trust".as_ref(),
                "-E".as_ref(),
                "UTF8".as_ref(),
                "--locale=C".as_ref(),
                "--no-sync".as_ref(),
            ],
        )?;
        if !out.status.success() {
            return Err(PgError::Failed(describe("initdb", &out)));
        }
        let mut last = String::new();
        for _attempt in 0..3 {
            pg.port = free_port()?;
            let opts = format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                pg.port,
                pg.sock_dir().display()
            );
            let log = pg.dir.path().join("server.log");
            let out = pg.run(
                "pg_ctl",
                &[
                    "-D".as_ref(),
                    data.as_os_str(),
                    "-o".as_ref(),
                    opts.as_ref(),
                    "-l".as_ref(),
                    log.as_os_str(),
                    "-w".as_ref(),
                    "-t".as_ref(),
                    "60".as_ref(),
                    "start".as_ref(),
                ],
            )?;
            if out.status.success() {
                last.clear();
                break;
            }
            let logtext = std::fs::read_to_string(&log).unwrap_or_default();
            last = format!("{} log: {}", describe("pg_ctl start", &out), logtext.trim());
        }
        if !last.is_empty() {
            return Err(PgError::Failed(last));
        }
        let sock = pg.sock_dir();
        let port = pg.port.to_string();
        let out = pg.run(
            "createdb",
            &[
                "-h".as_ref(),
                sock.as_os_str(),
                "-p".as_ref(),
                port.as_ref(),
                "-U".as_ref(),
                pg.user.as_ref(),
                pg.database.as_ref(),
            ],
        )?;
        if !out.status.success() {
            return Err(PgError::Failed(describe("createdb", &out)));
        }
        Ok(pg)
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn sock_dir(&self) -> PathBuf {
        self.dir.path().join("sock")
    }

    fn run(&self, tool: &str, args: &[&std::ffi::OsStr]) -> Result<Output, PgError> {
        let exe = self.bin.join(tool);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&exe);
            c
        } else {
            Command::new(&exe)
        };
        cmd.args(args)
            .env("LC_ALL", "C")
            .current_dir(self.dir.path());
        cmd.output()
            .map_err(|e| PgError::Failed(format!("cannot run {}: {e}", exe.display())))
    }

    /// `postgres://user:password@127.0.0.1:PORT/leakscope_test`.
    pub fn url(&self) -> String {
        self.url_with(&self.user, &self.password, &self.database)
    }

    /// A URL with other credentials or database (for tests of bad references).
    pub fn url_with(&self, user: &str, password: &str, database: &str) -> String {
        format!(
            "postgres://{user}:{password}@127.0.0.1:{}/{database}",
            self.port
        )
    }

    /// TCP port the server listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The test role (a superuser of this throwaway cluster).
    pub fn user(&self) -> &str {
        &self.user
    }

    /// The test role's password.
    pub fn password(&self) -> &str {
        &self.password
    }

    /// The created database.
    pub fn database(&self) -> &str {
        &self.database
    }

    /// Runs SQL through `psql` over the private socket (stops on the first error). For setting up
    /// fixtures without a client library.
    pub fn psql(&self, sql: &str) -> Result<String, PgError> {
        let sock = self.sock_dir();
        let port = self.port.to_string();
        let out = self.run(
            "psql",
            &[
                "-X".as_ref(),
                "-q".as_ref(),
                "-v".as_ref(),
                "ON_ERROR_STOP=1".as_ref(),
                "-h".as_ref(),
                sock.as_os_str(),
                "-p".as_ref(),
                port.as_ref(),
                "-U".as_ref(),
                self.user.as_ref(),
                "-d".as_ref(),
                self.database.as_ref(),
                "-c".as_ref(),
                sql.as_ref(),
            ],
        )?;
        if !out.status.success() {
            return Err(PgError::Failed(describe("psql", &out)));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

impl Drop for TestPg {
    fn drop(&mut self) {
        if self.port != 0 {
            let data = self.data_dir();
            let _ = self.run(
                "pg_ctl",
                &[
                    "-D".as_ref(),
                    data.as_os_str(),
                    "-m".as_ref(),
                    "immediate".as_ref(),
                    "-w".as_ref(),
                    "stop".as_ref(),
                ],
            );
        }
    }
}

/// [`start_or_skip`] with another TCP authentication method (see [`TestPg::start_with_auth`]).
pub fn start_with_auth_or_skip(test: &str, host_auth: &str) -> Option<TestPg> {
    match TestPg::start_with_auth(host_auth) {
        Ok(pg) => Some(pg),
        Err(PgError::NotInstalled(m)) if std::env::var_os("CI").is_none() => {
            eprintln!("SKIPPED {test}: {m} (set CI=1 to make this a failure)");
            None
        }
        Err(e) => panic!("{test}: {e}"),
    }
}

/// Starts a server for a test. `Some(server)` when it started; `None` (after printing a skip notice)
/// when PostgreSQL is not installed and `CI` is unset. Panics — failing the test — when the
/// binaries are missing under `CI`, or when they exist but the server cannot be started.
pub fn start_or_skip(test: &str) -> Option<TestPg> {
    match TestPg::start() {
        Ok(pg) => Some(pg),
        Err(PgError::NotInstalled(m)) if std::env::var_os("CI").is_none() => {
            eprintln!("SKIPPED {test}: {m} (set CI=1 to make this a failure)");
            None
        }
        Err(e) => panic!("{test}: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_starts_accepts_password_and_cleans_up() {
        let Some(pg) = start_or_skip("server_starts_accepts_password_and_cleans_up") else {
            return;
        };
        let dir = pg.dir.path().to_path_buf();
        assert!(pg.url().starts_with("postgres://leakscope:"));
        assert!(pg
            .url()
            .ends_with(&format!("127.0.0.1:{}/leakscope_test", pg.port())));
        let out = pg
            .psql("CREATE TABLE t(x int); INSERT INTO t VALUES (41),(1); SELECT sum(x) FROM t;")
            .unwrap();
        assert!(out.contains("42"), "unexpected psql output");
        let err = pg.psql("SELECT * FROM missing_table").unwrap_err();
        assert!(err.to_string().contains("missing_table"));
        // TCP connections need the password: the port accepts connections.
        assert!(std::net::TcpStream::connect(("127.0.0.1", pg.port())).is_ok());
        drop(pg);
        assert!(!dir.exists(), "temp dir removed on drop");
    }
}
