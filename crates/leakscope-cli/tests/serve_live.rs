//! `leakscope serve` as a real process on loopback: key changes take effect within a second
//! without a restart, and real requests keep getting answers during a slow-client attack and
//! when idle connections would otherwise use up the open-file limit.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn leakscope(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_leakscope"));
    c.arg("--data-dir").arg(home);
    c
}

fn run_ok(home: &Path, args: &[&str]) -> String {
    let o = leakscope(home).args(args).output().unwrap();
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// A data directory with one breach holding `an@x.vn`.
fn home() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let leak = dir.path().join("leak.csv");
    std::fs::write(
        &leak,
        "email,phone\nan@x.vn,+84901234567\nbo@y.vn,+84901234568\n",
    )
    .unwrap();
    let h = dir.path().join("home");
    run_ok(&h, &["init"]);
    run_ok(
        &h,
        &[
            "corpus",
            "add",
            leak.to_str().unwrap(),
            "--breach",
            "shop",
            "--verified",
        ],
    );
    dir
}

/// A running `leakscope serve`, killed when dropped.
struct Served {
    child: Child,
    addr: SocketAddr,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `serve` (through `sh` when `ulimit_n` is given) and waits for it to listen.
fn serve(home: &Path, extra: &[&str], ulimit_n: Option<u32>) -> Served {
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let bin = env!("CARGO_BIN_EXE_leakscope");
    let mut args = vec![
        "--data-dir".to_string(),
        home.display().to_string(),
        "serve".into(),
        "--listen".into(),
        listen.clone(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let mut cmd = match ulimit_n {
        Some(n) => {
            let mut c = Command::new("sh");
            c.arg("-c")
                .arg(format!("ulimit -n {n} && exec \"$0\" \"$@\""))
                .arg(bin)
                .args(&args);
            c
        }
        None => {
            let mut c = Command::new(bin);
            c.args(&args);
            c
        }
    };
    let mut child = cmd.stderr(Stdio::piped()).spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("listening on") {
                let _ = tx.send(());
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(20))
        .expect("serve did not start listening");
    Served {
        child,
        addr: listen.parse().unwrap(),
    }
}

/// One GET on a fresh connection; the status code (0 when no answer within 5 s).
fn status(addr: SocketAddr, path: &str, key: Option<&str>) -> u16 {
    let Ok(mut s) = TcpStream::connect_timeout(&addr, Duration::from_secs(5)) else {
        return 0;
    };
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let key = key
        .map(|k| format!("hibp-api-key: {k}\r\n"))
        .unwrap_or_default();
    let req = format!(
        "GET {path} HTTP/1.1\r\nHost: t\r\nUser-Agent: t\r\n{key}Connection: close\r\n\r\n"
    );
    if s.write_all(req.as_bytes()).is_err() {
        return 0;
    }
    let mut head = [0u8; 12];
    match s.read_exact(&mut head) {
        Ok(()) => std::str::from_utf8(&head[9..12])
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(0),
        Err(_) => 0,
    }
}

/// Polls until `f` holds or `limit` passes; how long it took.
fn within(limit: Duration, f: impl Fn() -> bool) -> Option<Duration> {
    let t = Instant::now();
    while t.elapsed() < limit {
        if f() {
            return Some(t.elapsed());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    None
}

#[test]
fn key_changes_take_effect_within_a_second() {
    let dir = home();
    let h = dir.path().join("home");
    let s = serve(&h, &[], None);
    let path = "/api/v3/breachedaccount/an@x.vn";
    let key = run_ok(&h, &["serve", "keys", "add"]).trim().to_string();
    let took = within(Duration::from_secs(1), || {
        status(s.addr, path, Some(&key)) == 200
    });
    assert!(
        took.is_some(),
        "a new key must work within a second without a restart"
    );
    let list = run_ok(&h, &["serve", "keys", "list"]);
    let row = list.lines().nth(1).expect("a header and one key");
    let id = row.split_whitespace().next().unwrap().to_string();
    run_ok(&h, &["serve", "keys", "remove", &id]);
    let took = within(Duration::from_secs(1), || {
        status(s.addr, path, Some(&key)) == 401
    });
    assert!(
        took.is_some(),
        "a removed key must be refused within a second"
    );
    assert_eq!(status(s.addr, path, Some(&key)), 401, "and stay refused");
}

#[test]
fn listen_takes_host_names() {
    let dir = home();
    let h = dir.path().join("home");
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_leakscope"))
        .arg("--data-dir")
        .arg(&h)
        .args(["serve", "--listen", &format!("localhost:{port}")])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let first = lines.next().unwrap().unwrap();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let ok = within(Duration::from_secs(5), || {
        status(addr, "/api/v3/breach/shop", None) == 200
    });
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        ok.is_some(),
        "localhost:{port} serves on 127.0.0.1 ({first})"
    );
}

#[test]
fn real_requests_get_through_a_slow_client_attack() {
    let dir = home();
    let h = dir.path().join("home");
    let s = serve(
        &h,
        &["--header-timeout", "2", "--max-connections", "64"],
        None,
    );
    // 200 slowloris connections: a request head that never ends, one byte at a time.
    let mut slow: Vec<TcpStream> = (0..200)
        .filter_map(|_| TcpStream::connect_timeout(&s.addr, Duration::from_secs(2)).ok())
        .collect();
    for c in &mut slow {
        let _ = c.write_all(b"GET /api/v3/breaches HTTP/1.1\r\nHost: t\r\nX-Slow: ");
        c.set_nonblocking(true).unwrap();
    }
    let attack_started = Instant::now();
    let mut ok = 0;
    for round in 0..20 {
        for c in &mut slow {
            let _ = c.write_all(b"a");
        }
        let started = Instant::now();
        let code = status(s.addr, "/api/v3/breach/shop", None);
        assert_eq!(code, 200, "real request {round} during the attack");
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "answered promptly"
        );
        ok += 1;
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(ok, 20);
    // Every slow connection is closed: evicted for real clients, or past the header timeout.
    let deadline = attack_started + Duration::from_secs(8);
    let mut open = slow.len();
    while Instant::now() < deadline && open > 0 {
        open = 0;
        for c in &mut slow {
            let mut b = [0u8; 64];
            match c.read(&mut b) {
                Ok(0) => {}
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    let _ = c.write_all(b"a");
                    open += 1;
                }
                Err(_) => {}
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(
        open, 0,
        "{open} slow connections still open after the header timeout"
    );
}

#[test]
fn idle_connections_cannot_use_up_the_open_file_limit() {
    let dir = home();
    let h = dir.path().join("home");
    let s = serve(&h, &["--header-timeout", "30"], Some(128));
    // 125 idle connections would have used every descriptor of a 128-file process.
    let idle: Vec<TcpStream> = (0..125)
        .filter_map(|_| TcpStream::connect_timeout(&s.addr, Duration::from_secs(2)).ok())
        .collect();
    assert!(idle.len() >= 120);
    std::thread::sleep(Duration::from_millis(300));
    for i in 0..10 {
        assert_eq!(
            status(s.addr, "/api/v3/breach/shop", None),
            200,
            "request {i}"
        );
    }
    drop(idle);
}
