//! Benchmark: a 100-host scope (loopback aliases 127.0.1.1–127.0.1.100) with 5 open services
//! (replayed Elasticsearch ×2, Kibana, MongoDB, S3), every default port of every host probed.
//! Prints endpoints, connections, requests, wall time, the achieved rate against the rate limit
//! (the ceiling: permits ÷ rate is the fastest the limit allows), and peak RSS.
//!
//! `cargo run --release -p leakscope-exposure --example exposure_bench -- [RATE] [CONCURRENCY]`

use chrono::Utc;
use leakscope_exposure::replay::{self, Product};
use leakscope_exposure::{scan, Limits, Request, Scope};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Instant;

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rate: f64 = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100.0);
    let concurrency: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(16);
    let docs = replay::customers(1000, 42);
    let ip = |n: u8| -> IpAddr { format!("127.0.1.{n}").parse().unwrap() };
    let open = [
        (Product::Elasticsearch, ip(10), 9200),
        (Product::Elasticsearch, ip(60), 9200),
        (Product::Kibana, ip(20), 5601),
        (Product::Mongodb, ip(30), 27017),
        (Product::S3, ip(40), 9000),
    ];
    let servers: Vec<_> = open
        .iter()
        .map(|(p, a, port)| {
            replay::start(*p, *a, *port, docs.clone(), 250_000, false).expect("bind")
        })
        .collect();
    let scope = Scope::parse("127.0.1.0/24\n", "bench scope").unwrap();
    let mut targets: Vec<String> = (1..=100).map(|n| format!("127.0.1.{n}")).collect();
    // A bucket is listed only when named (anonymous ListBuckets is refused, as on AWS).
    targets.push("http://127.0.1.40:9000/backups".into());
    let limits = Limits {
        rate,
        concurrency,
        ..Limits::default()
    };
    let req = Request {
        targets,
        scope: Arc::new(scope),
        ports: Vec::new(),
        limits,
        now: Utc::now(),
    };
    let t = Instant::now();
    let r = scan(&req, None, &mut |_, _, _| {}).expect("scan");
    let secs = t.elapsed().as_secs_f64();
    let permits = r.scan.connections + r.scan.requests;
    let ceiling = permits as f64 / rate;
    println!(
        "hosts 100, endpoints {}, open services found {}, findings {}",
        r.scan.endpoints,
        r.services.len(),
        r.findings.len()
    );
    println!(
        "connections {}, HTTP requests {}, permits {permits}",
        r.scan.connections, r.scan.requests
    );
    println!(
        "wall {secs:.2} s; rate limit {rate}/s, achieved {:.1}/s; ceiling (permits ÷ rate) {ceiling:.2} s, ratio ceiling/wall {:.2}",
        permits as f64 / secs,
        ceiling / secs
    );
    for f in &r.findings {
        println!(
            "  {} records {:?} people {:?} classes {}",
            f.location,
            f.records.value,
            f.people.value,
            f.data_classes.join(",")
        );
    }
    println!(
        "peak RSS {:.1} MiB; concurrency {concurrency}",
        peak_rss_mib()
    );
    assert_eq!(r.findings.len(), 5, "every open service found");
    assert!(
        permits as f64 / secs <= rate * 1.05 + 1.0,
        "rate limit exceeded"
    );
    drop(servers);
}
