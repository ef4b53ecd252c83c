//! Loopback load test: starts the server in-process on 127.0.0.1 (2 worker threads) over a
//! generated corpus and drives it with keep-alive clients sharing the same cores; reports
//! requests/s and latency percentiles. Bounded by duration and request count; loopback only.
//!
//! `cargo run --release -p leakscope-server --example loadgen -- [SECONDS] [CLIENTS]`

use leakscope_corpus::{BreachMeta, EmbeddedStore, Ingest, IngestOptions, Item, Store};
use leakscope_keys::{IdKind, Secret};
use leakscope_server::{AppState, KeyFile, LiveKeys, Scope, ServeOptions};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

const MAX_REQUESTS: usize = 5_000_000;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let secs: u64 = args
        .first()
        .and_then(|a| a.parse().ok())
        .unwrap_or(5)
        .min(60);
    let clients: usize = args
        .get(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(4)
        .min(64);
    let dir = tempfile::tempdir().expect("temp dir");
    let secret = Secret::from_bytes(&[5; 32]);
    let store = Arc::new(EmbeddedStore::open(dir.path(), &secret.fingerprint_hex()).expect("open"));
    for b in 0..5 {
        let mut ing = Ingest::new(&secret, IngestOptions::default());
        for i in 0..200_000u64 {
            ing.push(Item::Id(
                IdKind::Email,
                format!("user{}@example.com", i * 5 + b),
            ));
            ing.push(Item::Password(format!("pass{}", (i * 7 + b) % 100_000)));
        }
        let meta = BreachMeta {
            name: format!("breach{b}"),
            ..BreachMeta::default()
        };
        store
            .add(&meta, ing.finish().expect("finish"))
            .expect("add");
    }
    let mut keys = KeyFile::default();
    let (key, _) = keys
        .add(Scope::Read, u32::MAX, "bench".into())
        .expect("key");
    let state = AppState {
        store,
        secret,
        keys: LiveKeys::fixed(&keys),
        limiter: Default::default(),
        blocking: false,
        access_log: false,
        cors_origins: Vec::new(),
    };
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("rt");
        rt.block_on(async move {
            let l = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(l.local_addr().expect("addr")).expect("send");
            leakscope_server::serve(vec![l], Arc::new(state), ServeOptions::default())
                .await
                .expect("serve");
        });
    });
    let addr = rx.recv().expect("addr");
    let deadline = Instant::now() + Duration::from_secs(secs);
    let started = Instant::now();
    let handles: Vec<_> = (0..clients)
        .map(|c| {
            let key = key.clone();
            std::thread::spawn(move || {
                let stream = TcpStream::connect(addr).expect("connect");
                stream.set_nodelay(true).ok();
                let mut w = stream.try_clone().expect("clone");
                let mut r = BufReader::new(stream);
                let mut lat = Vec::new();
                let mut i = c as u64;
                while Instant::now() < deadline && lat.len() < MAX_REQUESTS / clients {
                    i += clients as u64;
                    let path = if i.is_multiple_of(2) {
                        format!("/api/v3/breachedaccount/user{}@example.com", i % 1_500_000)
                    } else {
                        format!("/range/{:05X}", (i * 2_654_435_761) % 0x10_0000)
                    };
                    let req = format!("GET {path} HTTP/1.1\r\nHost: x\r\nUser-Agent: loadgen\r\nhibp-api-key: {key}\r\n\r\n");
                    let t = Instant::now();
                    w.write_all(req.as_bytes()).expect("write");
                    let mut len = 0usize;
                    let mut line = String::new();
                    loop {
                        line.clear();
                        r.read_line(&mut line).expect("read");
                        if line == "\r\n" || line.is_empty() {
                            break;
                        }
                        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                            len = v.trim().parse().unwrap_or(0);
                        }
                    }
                    let mut body = vec![0u8; len];
                    r.read_exact(&mut body).expect("body");
                    lat.push(t.elapsed());
                }
                lat
            })
        })
        .collect();
    let mut all: Vec<Duration> = handles
        .into_iter()
        .flat_map(|h| h.join().expect("client"))
        .collect();
    let elapsed = started.elapsed().as_secs_f64();
    all.sort();
    let pct =
        |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)].as_secs_f64() * 1000.0;
    println!(
        "clients {clients}, {} requests in {elapsed:.2} s: {:.0} req/s",
        all.len(),
        all.len() as f64 / elapsed
    );
    println!(
        "latency p50 {:.3} ms, p99 {:.3} ms, p99.9 {:.3} ms, max {:.3} ms",
        pct(0.5),
        pct(0.99),
        pct(0.999),
        pct(1.0)
    );
}
