//! Real servers from Debian packages, started on loopback by the tests (unprivileged ports,
//! temporary directories): Redis without a password, PostgreSQL with trust authentication (and
//! one with passwords), MariaDB with an empty root password, nginx with `autoindex` serving a
//! gzipped SQL dump and a `.env`. Each open one gives a finding with classes and counts; then it
//! is secured (or a secured twin is probed) and gives "auth required", no finding.
//! Without the packages the tests print a skip notice, and fail under `CI`.

use chrono::{TimeZone, Utc};
use leakscope_exposure::model::{Auth, ExposureReport, ServiceKind};
use leakscope_exposure::probe::redis;
use leakscope_exposure::{replay, scan, Limits, Request, Scope};
use std::io::{BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn missing(test: &str, what: &str) -> Option<()> {
    if std::env::var_os("CI").is_some() {
        panic!("{test}: {what} is not installed (bash .ci/install-deps.sh)");
    }
    eprintln!("SKIPPED {test}: {what} not installed (set CI=1 to make this a failure)");
    None
}

fn which(bin: &str) -> Option<PathBuf> {
    ["/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"]
        .iter()
        .map(|d| Path::new(d).join(bin))
        .find(|p| p.is_file())
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_port(port: u16, what: &str, log: &Path) {
    let t = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if t.elapsed() > Duration::from_secs(60) {
            panic!(
                "{what} did not start: {}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

struct Daemon {
    child: Child,
    _dir: tempfile::TempDir,
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .map(|l| l.split_whitespace().nth(2) == Some("0"))
        })
        .unwrap_or(false)
}

fn request(targets: Vec<String>, day: u32) -> Request {
    Request {
        targets,
        scope: Arc::new(Scope::parse("127.0.0.1\n", "test scope").unwrap()),
        ports: Vec::new(),
        limits: Limits {
            rate: 500.0,
            sample_per_store: 500,
            sample_bytes: 48 << 10,
            ..Limits::default()
        },
        now: Utc.with_ymd_and_hms(2026, 10, day, 9, 0, 0).unwrap(),
    }
}

fn run(targets: Vec<String>, day: u32, db: &mut leakscope_db::Db) -> ExposureReport {
    let r = scan(&request(targets, day), Some(db), &mut |_, _, _| {}).unwrap();
    assert!(r.failures.is_empty(), "{:#?}", r.failures);
    r
}

fn sqlite(dir: &tempfile::TempDir) -> leakscope_db::Db {
    leakscope_db::Db::open(&leakscope_db::Target::Sqlite(
        dir.path().join("leakscope.db"),
    ))
    .unwrap()
}

fn people(n: usize) -> Vec<serde_json::Value> {
    replay::customers(n, 11)
}

fn resp(port: u16, cmds: &[Vec<String>]) -> Vec<redis::Reply> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut buf = Vec::new();
    for c in cmds {
        let refs: Vec<&[u8]> = c.iter().map(|a| a.as_bytes()).collect();
        buf.extend(redis::encode(&refs));
    }
    s.write_all(&buf).unwrap();
    let mut r = BufReader::new(s);
    cmds.iter()
        .map(|_| redis::read_reply(&mut r, 0).unwrap())
        .collect()
}

#[test]
fn redis_open_then_password() {
    let Some(bin) = which("redis-server") else {
        return missing("redis_open_then_password", "redis-server").unwrap_or(());
    };
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let log = dir.path().join("redis.log");
    let child = Command::new(bin)
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--protected-mode",
            "no",
        ])
        .arg("--dir")
        .arg(dir.path())
        .arg("--logfile")
        .arg(&log)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let _d = Daemon { child, _dir: dir };
    wait_port(port, "redis-server", &log);
    let mut cmds = Vec::new();
    for (i, p) in people(300).iter().enumerate() {
        let s = |k: &str| p[k].as_str().unwrap().to_string();
        cmds.push(vec![
            "HSET".into(),
            format!("user:{}", 1000 + i),
            "full_name".into(),
            s("full_name"),
            "email".into(),
            s("email"),
            "phone".into(),
            s("phone"),
            "city".into(),
            s("city"),
        ]);
        if i % 3 == 0 {
            cmds.push(vec![
                "SET".into(),
                format!("session:{i:06}"),
                serde_json::json!({"email": s("email"), "cart": i}).to_string(),
            ]);
        }
    }
    resp(port, &cmds);
    let db_dir = tempfile::tempdir().unwrap();
    let mut db = sqlite(&db_dir);
    let r = run(vec![format!("127.0.0.1:{port}")], 1, &mut db);
    assert_eq!(r.findings.len(), 1, "{:#?}", r.services);
    let f = &r.findings[0];
    assert_eq!(f.service.kind, ServiceKind::Redis);
    assert!(f
        .service
        .version
        .as_deref()
        .is_some_and(|v| v.starts_with('7') || v.starts_with('6')));
    assert_eq!(f.service.stores[0].name, "db0");
    assert_eq!(f.service.stores[0].records, Some(400));
    assert!(
        f.data_classes.iter().any(|c| c == "email"),
        "{:?}",
        f.data_classes
    );
    assert!(
        f.data_classes.iter().any(|c| c == "phone"),
        "{:?}",
        f.data_classes
    );
    assert!(f.profile.tables.iter().any(|t| t.name == "user"));
    let p = f.people.value.unwrap();
    assert!((280..=420).contains(&p), "people {p}: {}", f.people.basis);

    // Secured: a password now; the next day's scan says so, and the finding is closed.
    resp(
        port,
        &[vec![
            "CONFIG".into(),
            "SET".into(),
            "requirepass".into(),
            "s3cret-pass".into(),
        ]],
    );
    let r = run(vec![format!("127.0.0.1:{port}")], 2, &mut db);
    assert!(r.findings.is_empty());
    assert_eq!(r.services[0].auth, Auth::Required);
    assert!(r.services[0].auth_detail.contains("NOAUTH"));
    assert_eq!(r.closed.len(), 1);
    assert_eq!(r.closed[0].open_days, 0);
}

#[test]
fn postgresql_trust_and_password() {
    let Some(open) =
        leakscope_testpg::start_with_auth_or_skip("postgresql_trust_and_password", "trust")
    else {
        return;
    };
    let mut sql = String::from(
        "CREATE ROLE postgres LOGIN SUPERUSER; CREATE TABLE customers (id int primary key, full_name text, email text, phone text, city text, created_at timestamptz); INSERT INTO customers VALUES ",
    );
    let ps = people(250);
    for (i, p) in ps.iter().enumerate() {
        let s = |k: &str| p[k].as_str().unwrap().replace('\'', "''");
        sql.push_str(&format!(
            "{}({i}, '{}', '{}', '{}', '{}', '{}')",
            if i > 0 { "," } else { "" },
            s("full_name"),
            s("email"),
            s("phone"),
            s("city"),
            s("created_at")
        ));
    }
    sql.push_str("; CREATE TABLE settings (k text, v text); INSERT INTO settings VALUES ('theme', 'dark'); ANALYZE;");
    open.psql(&sql).unwrap();
    let secured = leakscope_testpg::TestPg::start().unwrap();
    let db_dir = tempfile::tempdir().unwrap();
    let mut db = sqlite(&db_dir);
    let r = run(
        vec![
            format!("postgres://127.0.0.1:{}", open.port()),
            format!("127.0.0.1:{}", secured.port()),
        ],
        1,
        &mut db,
    );
    assert_eq!(r.findings.len(), 1, "{:#?}", r.services);
    let f = &r.findings[0];
    assert_eq!(f.service.kind, ServiceKind::Postgresql);
    assert!(
        f.service.auth_detail.contains("postgres"),
        "{}",
        f.service.auth_detail
    );
    let t = f
        .service
        .stores
        .iter()
        .find(|s| s.name == "leakscope_test.public.customers")
        .unwrap();
    assert_eq!(t.records, Some(250));
    assert_eq!(t.sampled, 250);
    assert!(
        f.data_classes.iter().any(|c| c == "email"),
        "{:?}",
        f.data_classes
    );
    assert_eq!(f.people.value, Some(250), "{}", f.people.basis);
    let s = r
        .services
        .iter()
        .find(|s| s.port == secured.port())
        .unwrap();
    assert_eq!(s.kind, ServiceKind::Postgresql);
    assert_eq!(s.auth, Auth::Required, "{}", s.auth_detail);

    // The checks can be switched off: the server is identified, no login is tried.
    let mut req = request(vec![format!("postgres://127.0.0.1:{}", open.port())], 2);
    req.limits.default_credentials = false;
    let r = scan(&req, None, &mut |_, _, _| {}).unwrap();
    assert!(r.findings.is_empty());
    assert_eq!(r.services[0].auth, Auth::Unknown);
}

fn mariadb_sql(sock: &Path, sql: &str) {
    let out = Command::new(which("mariadb").unwrap())
        .args(["--no-defaults", "-uroot"])
        .arg(format!("--socket={}", sock.display()))
        .args(["-e", sql])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "mariadb: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn mariadb_empty_root_password() {
    let (Some(install), Some(server)) = (which("mariadb-install-db"), which("mariadbd")) else {
        return missing("mariadb_empty_root_password", "mariadb-server").unwrap_or(());
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let mut user_args = Vec::new();
    if is_root() {
        Command::new("chown")
            .args(["-R", "mysql:mysql"])
            .arg(dir.path())
            .status()
            .unwrap();
        user_args.push("--user=mysql".to_string());
    }
    let out = Command::new(install)
        .args([
            "--no-defaults",
            "--auth-root-authentication-method=normal",
            "--skip-test-db",
        ])
        .arg(format!("--datadir={}", data.display()))
        .args(&user_args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "mariadb-install-db: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let port = free_port();
    let sock = dir.path().join("mysqld.sock");
    let log = dir.path().join("err.log");
    let child = Command::new(server)
        .arg("--no-defaults")
        .arg(format!("--datadir={}", data.display()))
        .arg(format!("--socket={}", sock.display()))
        .arg(format!(
            "--pid-file={}",
            dir.path().join("mysqld.pid").display()
        ))
        .arg(format!("--log-error={}", log.display()))
        .args([
            format!("--port={port}"),
            "--bind-address=127.0.0.1".into(),
            "--skip-log-bin".into(),
            "--innodb-buffer-pool-size=16M".into(),
            "--skip-name-resolve".into(),
        ])
        .args(&user_args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _d = Daemon { child, _dir: dir };
    wait_port(port, "mariadbd", &log);
    let mut sql = String::from(
        "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'; ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY ''; GRANT ALL ON *.* TO 'root'@'127.0.0.1'; CREATE DATABASE shop; \
         CREATE TABLE shop.customers (id INT PRIMARY KEY, full_name VARCHAR(100), email VARCHAR(200), phone VARCHAR(30), city VARCHAR(60)); INSERT INTO shop.customers VALUES ",
    );
    for (i, p) in people(220).iter().enumerate() {
        let s = |k: &str| p[k].as_str().unwrap().replace('\'', "''");
        sql.push_str(&format!(
            "{}({i}, '{}', '{}', '{}', '{}')",
            if i > 0 { "," } else { "" },
            s("full_name"),
            s("email"),
            s("phone"),
            s("city")
        ));
    }
    sql.push(';');
    let sock = _d._dir.path().join("mysqld.sock");
    mariadb_sql(&sock, &sql);
    let db_dir = tempfile::tempdir().unwrap();
    let mut db = sqlite(&db_dir);
    let r = run(vec![format!("127.0.0.1:{port}")], 1, &mut db);
    assert_eq!(r.findings.len(), 1, "{:#?}", r.services);
    let f = &r.findings[0];
    assert_eq!(f.service.kind, ServiceKind::Mysql);
    assert_eq!(f.service.product.as_deref(), Some("MariaDB"));
    assert!(
        f.service.auth_detail.contains("root"),
        "{}",
        f.service.auth_detail
    );
    let t = f
        .service
        .stores
        .iter()
        .find(|s| s.name == "shop.customers")
        .unwrap();
    assert_eq!((t.records, t.sampled), (Some(220), 220));
    assert!(
        f.data_classes.iter().any(|c| c == "email"),
        "{:?}",
        f.data_classes
    );
    assert_eq!(f.people.value, Some(220));

    // Passwords set: auth required, no finding.
    mariadb_sql(&sock, "ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY 'Str0ng-pass'; ALTER USER 'root'@'localhost' IDENTIFIED BY 'Str0ng-pass'; DELETE FROM mysql.global_priv WHERE User = ''; FLUSH PRIVILEGES;");
    let r = run(vec![format!("mysql://127.0.0.1:{port}")], 2, &mut db);
    assert!(r.findings.is_empty());
    assert_eq!(
        r.services[0].auth,
        Auth::Required,
        "{}",
        r.services[0].auth_detail
    );
    assert_eq!(r.closed.len(), 1);
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[test]
fn nginx_autoindex_serving_a_dump() {
    let Some(bin) = which("nginx") else {
        return missing("nginx_autoindex_serving_a_dump", "nginx").unwrap_or(());
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for sub in ["www/backup/old", "www/assets", "tmp"] {
        std::fs::create_dir_all(d.join(sub)).unwrap();
    }
    // A mysqldump of 4,000 customers, gzipped; the sample reads only its first 48 KiB.
    let mut dump = String::from("-- MySQL dump 10.13  Distrib 8.0.35, for Linux (x86_64)\n--\n-- Host: localhost    Database: shop\n\nCREATE TABLE `customers` (\n  `id` int NOT NULL,\n  `full_name` varchar(100) DEFAULT NULL,\n  `email` varchar(200) DEFAULT NULL,\n  `phone` varchar(30) DEFAULT NULL,\n  `city` varchar(60) DEFAULT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n\n");
    for chunk in people(4000).chunks(100).enumerate() {
        dump.push_str("INSERT INTO `customers` VALUES ");
        let rows: Vec<String> = chunk
            .1
            .iter()
            .enumerate()
            .map(|(j, p)| {
                let s = |k: &str| p[k].as_str().unwrap().replace('\'', "\\'");
                format!(
                    "({},'{}','{}','{}','{}')",
                    chunk.0 * 100 + j,
                    s("full_name"),
                    s("email"),
                    s("phone"),
                    s("city")
                )
            })
            .collect();
        dump.push_str(&rows.join(","));
        dump.push_str(";\n");
    }
    std::fs::write(
        d.join("www/backup/shop_2026-11.sql.gz"),
        gzip(dump.as_bytes()),
    )
    .unwrap();
    std::fs::write(d.join("www/backup/old/readme.txt"), "nothing here").unwrap();
    std::fs::write(d.join("www/assets/logo.txt"), "logo").unwrap();
    std::fs::write(d.join("www/.env"), "APP_ENV=production\nDB_HOST=10.0.0.5\nDB_PASSWORD=not-a-real-one\nSTRIPE_SECRET_KEY=sk_test_x\n").unwrap();
    std::fs::write(
        d.join("htpasswd"),
        "staff:$apr1$abcdefgh$0123456789abcdefghijkl\n",
    )
    .unwrap();
    Command::new("chmod")
        .args(["-R", "a+rX"])
        .arg(d)
        .status()
        .unwrap();
    let (open_port, locked_port) = (free_port(), free_port());
    let conf = format!(
        "worker_processes 1;\ndaemon off;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\nevents {{ worker_connections 64; }}\nhttp {{\n  access_log off;\n  client_body_temp_path {d}/tmp/body; proxy_temp_path {d}/tmp/proxy; fastcgi_temp_path {d}/tmp/fastcgi; uwsgi_temp_path {d}/tmp/uwsgi; scgi_temp_path {d}/tmp/scgi;\n  default_type application/octet-stream;\n  server {{ listen 127.0.0.1:{open_port}; root {d}/www; autoindex on; }}\n  server {{ listen 127.0.0.1:{locked_port}; root {d}/www; autoindex on; auth_basic \"staff\"; auth_basic_user_file {d}/htpasswd; }}\n}}\n",
        d = d.display()
    );
    std::fs::write(d.join("nginx.conf"), conf).unwrap();
    let log = d.join("error.log");
    let child = Command::new(bin)
        .arg("-p")
        .arg(d)
        .arg("-c")
        .arg(d.join("nginx.conf"))
        .arg("-e")
        .arg(&log)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _n = Daemon { child, _dir: dir };
    wait_port(open_port, "nginx", &log);
    let db_dir = tempfile::tempdir().unwrap();
    let mut db = sqlite(&db_dir);
    let r = run(
        vec![
            format!("http://127.0.0.1:{open_port}/"),
            format!("127.0.0.1:{locked_port}"),
        ],
        1,
        &mut db,
    );
    assert_eq!(r.findings.len(), 1, "{:#?}", r.services);
    let f = &r.findings[0];
    assert_eq!(f.service.kind, ServiceKind::Http);
    assert!(f
        .service
        .product
        .as_deref()
        .is_some_and(|p| p.starts_with("nginx")));
    let file = f.service.stores.iter().find(|s| s.kind == "file").unwrap();
    assert_eq!(file.name, "/backup/shop_2026-11.sql.gz");
    assert!(
        file.sampled > 200 && file.sampled < 4000,
        "sampled {}",
        file.sampled
    );
    let est = file.records.unwrap();
    assert!(
        (3000..=5200).contains(&est),
        "records estimate {est} for 4,000"
    );
    assert!(f.records.basis.contains("scaled to the file size"));
    assert!(
        f.data_classes.iter().any(|c| c == "email"),
        "{:?}",
        f.data_classes
    );
    assert!(f
        .service
        .stores
        .iter()
        .any(|s| s.kind == "config-file" && s.name == "/.env"));
    let note = f
        .service
        .notes
        .iter()
        .find(|n| n.starts_with("/.env"))
        .unwrap();
    assert!(
        note.contains("4 variables")
            && note.contains("DB_PASSWORD")
            && !note.contains("not-a-real-one"),
        "{note}"
    );
    assert!(f.service.details["directory_listings"].as_u64().unwrap() >= 3);
    let locked = r.services.iter().find(|s| s.port == locked_port).unwrap();
    assert_eq!(locked.auth, Auth::Required);
    let json = serde_json::to_string(&r).unwrap();
    assert!(
        !json.contains("not-a-real-one") && !json.contains(people(1)[0]["email"].as_str().unwrap())
    );
}
