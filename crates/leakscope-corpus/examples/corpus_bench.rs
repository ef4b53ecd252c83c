//! Ingest benchmark of the embedded corpus: identifiers per second (hash, sort, write, commit)
//! and bytes stored per identifier.
//!
//! `cargo run --release -p leakscope-corpus --example corpus_bench -- [IDENTIFIERS] [--email-range]`

use leakscope_corpus::{BreachMeta, EmbeddedStore, Ingest, IngestOptions, Item, Store};
use leakscope_keys::{IdKind, Secret};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = args
        .iter()
        .find_map(|a| a.parse().ok())
        .unwrap_or(2_000_000);
    let email_range = args.iter().any(|a| a == "--email-range");
    let secret = Secret::from_bytes(&[9; 32]);
    // Half emails, half phones, generated up front so only ingestion is timed.
    let mut x = 0x1234_5678_9abc_def0u64;
    let items: Vec<Item> = (0..n)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            if i.is_multiple_of(2) {
                Item::Id(
                    IdKind::Email,
                    format!("user{}@mail{}.example", x % 1_000_000_000, x % 500),
                )
            } else {
                Item::Id(IdKind::Phone, format!("+849{:08}", x % 100_000_000))
            }
        })
        .collect();
    // Ceiling of the keyed hash alone, one thread (every identifier needs one HMAC-SHA256).
    let sample: Vec<String> = (0..500_000)
        .map(|i| format!("user{i}@mail{}.example", i % 500))
        .collect();
    let th = Instant::now();
    let mut acc = 0u8;
    for s in &sample {
        acc ^= secret.hash16(IdKind::Email, s)[0];
    }
    let per_core = sample.len() as f64 / th.elapsed().as_secs_f64();
    println!("hmac ceiling       {per_core:.0} identifiers/s per core (checksum {acc})");
    let dir = tempfile::tempdir().expect("temp dir");
    let store = EmbeddedStore::open(dir.path(), &secret.fingerprint_hex()).expect("open");
    let t0 = Instant::now();
    let mut ing = Ingest::in_dir(&secret, IngestOptions { email_range }, dir.path());
    ing.extend(items);
    let prepared = ing.finish().expect("finish");
    let t_hash = t0.elapsed();
    let meta = BreachMeta {
        name: "bench".into(),
        ..BreachMeta::default()
    };
    let distinct = prepared.ids.len();
    let ids = leakscope_corpus::Records::from(prepared.ids.to_vec().expect("ids"));
    let t_add = std::time::Instant::now();
    store.add(&meta, prepared).expect("add");
    let total = t_hash + t_add.elapsed();
    let bytes = store.disk_bytes();
    println!("threads            {}", rayon::current_num_threads());
    println!("identifiers        {n} ({distinct} distinct, email_range {email_range})");
    println!("hash+sort          {:.3} s", t_hash.as_secs_f64());
    println!("total (to commit)  {:.3} s", total.as_secs_f64());
    println!(
        "ingest rate        {:.0} identifiers/s",
        n as f64 / total.as_secs_f64()
    );
    println!(
        "stored             {bytes} bytes = {:.1} bytes/identifier",
        bytes as f64 / distinct as f64
    );
    let t1 = Instant::now();
    let probes = 200_000.min(distinct);
    let mut hits = 0;
    let probe_ids = ids.to_vec().expect("ids");
    for id in probe_ids
        .iter()
        .step_by((distinct / probes).max(1))
        .take(probes)
    {
        hits += store.lookup(id).expect("lookup").len();
    }
    println!(
        "lookups            {:.0}/s (single thread, {hits} hits)",
        probes as f64 / t1.elapsed().as_secs_f64()
    );
    let t2 = Instant::now();
    let report = leakscope_corpus::overlap_report(&store, &ids).expect("overlap");
    println!(
        "overlap vs itself  {:.3} s ({})",
        t2.elapsed().as_secs_f64(),
        report.summary
    );
}
