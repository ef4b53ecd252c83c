//! A test server on a loopback port, and a minimal raw HTTP/1.1 client.

#![allow(dead_code)]

use leakscope_corpus::{BreachMeta, EmbeddedStore, Ingest, IngestOptions, Item, Store};
use leakscope_keys::{IdKind, Secret};
use leakscope_server::rate::Limiter;
use leakscope_server::{AppState, KeyFile, LiveKeys, Scope, ServeOptions};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;

/// A running server and its keys.
pub struct TestServer {
    /// Address.
    pub addr: SocketAddr,
    /// Read key (high limit).
    pub read_key: String,
    /// Admin key.
    pub admin_key: String,
    /// Read key limited to 3 requests per minute.
    pub slow_key: String,
    /// Read key that may search the `example.com` domain.
    pub domain_key: String,
    /// Secret.
    pub secret: Secret,
    /// Store (for adding while serving).
    pub store: Arc<EmbeddedStore>,
    /// Keeps the data alive.
    pub dir: tempfile::TempDir,
}

/// Adds a breach of generated people; `alice@example.com` / `+6591234567` / password `password`
/// are in every breach.
pub fn add_breach(
    store: &EmbeddedStore,
    secret: &Secret,
    name: &str,
    seed: u64,
    n: usize,
    verified: bool,
    sensitive: bool,
) {
    let mut ing = Ingest::new(secret, IngestOptions { email_range: true });
    let mut x = seed;
    for i in 0..n {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ing.push(Item::Id(
            IdKind::Email,
            format!("u{}.{i}@example.com", x >> 40),
        ));
        ing.push(Item::Id(
            IdKind::Phone,
            format!("+849{:08}", (x >> 20) % 100_000_000),
        ));
        ing.push(Item::Password(format!("pw{}", (x >> 30) % 1000)));
    }
    ing.push(Item::Id(IdKind::Email, "alice@example.com".into()));
    ing.push(Item::Id(IdKind::Phone, "+6591234567".into()));
    ing.push(Item::Password("password".into()));
    let meta = BreachMeta {
        name: name.into(),
        title: Some(format!("{name} title")),
        domain: Some(format!("{name}.example")),
        breach_date: Some("2024-01-15".into()),
        description: Some("generated".into()),
        is_verified: verified,
        is_sensitive: sensitive,
        ..BreachMeta::default()
    };
    store.add(&meta, ing.finish().unwrap()).unwrap();
}

/// Starts a server over a corpus with breaches `shop` (verified), `forum` (unverified) and
/// `clinic` (sensitive).
pub fn start() -> TestServer {
    start_with(|_| {}, ServeOptions::default())
}

/// Like [`start`], with the state adjusted by `tune` and the given serve options.
pub fn start_with(tune: impl FnOnce(&mut AppState), opts: ServeOptions) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let secret = Secret::from_bytes(&[11; 32]);
    let store = Arc::new(
        EmbeddedStore::open(&dir.path().join("corpus"), &secret.fingerprint_hex()).unwrap(),
    );
    add_breach(&store, &secret, "shop", 1, 300, true, false);
    add_breach(&store, &secret, "forum", 2, 200, false, false);
    add_breach(&store, &secret, "clinic", 3, 100, true, true);
    let mut keys = KeyFile::default();
    let (read_key, _) = keys.add(Scope::Read, 100_000, "t".into()).unwrap();
    let (admin_key, _) = keys.add(Scope::Admin, 100_000, "t".into()).unwrap();
    let (slow_key, _) = keys.add(Scope::Read, 3, "t".into()).unwrap();
    let (domain_key, _) = keys
        .add_with_domains(Scope::Read, 100_000, "t".into(), vec!["example.com".into()])
        .unwrap();
    let mut state = AppState {
        store: store.clone(),
        secret: secret.clone(),
        keys: LiveKeys::fixed(&keys),
        limiter: Limiter::default(),
        blocking: false,
        access_log: false,
        cors_origins: Vec::new(),
    };
    tune(&mut state);
    let opts = ServeOptions {
        refresh: std::time::Duration::from_millis(100),
        ..opts
    };
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(l.local_addr().unwrap()).unwrap();
            leakscope_server::serve(vec![l], Arc::new(state), opts)
                .await
                .unwrap();
        });
    });
    let addr = rx.recv().unwrap();
    TestServer {
        addr,
        read_key,
        admin_key,
        slow_key,
        domain_key,
        secret,
        store,
        dir,
    }
}

/// A parsed response.
#[derive(Debug)]
pub struct Resp {
    /// Status code.
    pub status: u16,
    /// Headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: String,
}

impl Resp {
    /// A header value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    /// Body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// Sends one GET with the given extra headers (`Connection: close`).
pub fn get(addr: SocketAddr, path: &str, headers: &[(&str, &str)]) -> Resp {
    let mut s = TcpStream::connect(addr).unwrap();
    let mut req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Resp {
        status,
        headers,
        body: body.to_string(),
    }
}

/// GET with a User-Agent and optionally an API key.
pub fn get_ua(addr: SocketAddr, path: &str, key: Option<&str>) -> Resp {
    match key {
        Some(k) => get(
            addr,
            path,
            &[("User-Agent", "leakscope-test"), ("hibp-api-key", k)],
        ),
        None => get(addr, path, &[("User-Agent", "leakscope-test")]),
    }
}
