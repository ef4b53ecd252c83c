//! Benchmark: build an index from N synthetic reference rows and verify M sample rows.
//!
//! `cargo run --release -p leakscope-verify --example verify_bench -- [REF_ROWS] [SAMPLE_ROWS]`
//! (defaults 10,000,000 and 1,000,000). Rows are generated deterministically in memory and fed to
//! the same builder/verifier the CLI uses (the file-reading layer is not part of these figures).
//! Prints a markdown table.

use leakscope_formats::{RowBatch, TableInfo};
use leakscope_keys::Secret;
use leakscope_verify::{verify_batches, Hashing, Index, IndexBuilder, MapOptions, VerifyOptions};
use rayon::prelude::*;
use std::time::Instant;

const BATCH: usize = 4096;
const GIVEN: &[&str] = &[
    "Lan", "Hùng", "Đào", "Anh", "Tuấn", "Wei Ling", "Rajesh", "Siti", "Daniel", "Hui Min", "伟",
    "芳",
];
const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Tan", "Lim", "Ng", "Kumar", "王", "李", "Phạm",
];
const STREETS: &[&str] = &[
    "Tampines",
    "Bedok North",
    "Jurong West",
    "Lê Lợi",
    "Nguyễn Huệ",
    "Yishun Ring",
];

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Fields of synthetic customer `i` (a pure function of `i`).
fn customer(i: u64) -> [String; 7] {
    let r = mix(i);
    let name = format!(
        "{} Văn {}",
        FAMILY[(r % 10) as usize],
        GIVEN[((r >> 8) % 12) as usize]
    );
    [
        format!("C{i:09}"),
        name,
        // `.example` is not a real TLD: the canonical e-mail check (detect) would reject it.
        format!("user{i}.{}@mail{}.example.com", r % 1000, (r >> 20) % 50),
        format!("+65{}{:07}", 8 + (r >> 30) % 2, i % 10_000_000),
        format!(
            "Blk {} {} St {}, #{:02}-{:03}",
            (r >> 12) % 900 + 1,
            STREETS[((r >> 40) % 6) as usize],
            (r >> 44) % 90 + 1,
            (r >> 50) % 20 + 1,
            (r >> 54) % 300
        ),
        format!("shop-{:04}", (r >> 16) % 5000),
        format!(
            "20{:02}-{:02}-{:02}",
            15 + (r >> 24) % 10,
            1 + (r >> 28) % 12,
            1 + (r >> 33) % 28
        ),
    ]
}

fn ref_batch(start: u64, n: u64) -> RowBatch {
    let mut b = RowBatch::new(start + 1);
    for i in start..start + n {
        customer(i).iter().for_each(|f| b.push_field(f));
        b.end_row();
    }
    b
}

fn sample_batch(start: u64, n: u64, ref_rows: u64) -> RowBatch {
    let mut b = RowBatch::new(start + 1);
    for j in start..start + n {
        let r = mix(j ^ 0x5eed);
        // 70% real customers (respelled), 30% strangers.
        let c = if r % 10 < 7 {
            customer(r % ref_rows)
        } else {
            customer(ref_rows + 1 + r % 1_000_000)
        };
        b.push_field(&c[1].to_uppercase());
        b.push_field(&c[2]);
        b.push_field(&c[3].replacen("+65", "+65 ", 1));
        b.push_field(&c[4]);
        b.end_row();
    }
    b
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// CPU seconds (user + system) of this process so far.
fn cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    // Fields 14 and 15 of stat (utime, stime in clock ticks) are at 11 and 12 after the name.
    let tick = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) / 100.0
}

fn main() {
    let args: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.replace('_', "").parse().ok())
        .collect();
    let ref_rows = args.first().copied().unwrap_or(10_000_000);
    let sample_rows = args.get(1).copied().unwrap_or(1_000_000);
    let hashing = Hashing::new(Secret::from_bytes(&[42; 32]));
    let headers = [
        "customer_id",
        "full_name",
        "email",
        "phone",
        "address",
        "merchant_id",
        "updated_at",
    ]
    .map(String::from)
    .to_vec();
    let table = TableInfo {
        id: 0,
        name: "customers".into(),
        source: "synthetic".into(),
        headers,
        has_header_row: true,
    };
    let mut b = IndexBuilder::new(
        hashing.clone(),
        MapOptions::default(),
        "synthetic benchmark reference",
    );
    let (mut gen_s, mut build_s, mut build_cpu) = (0.0, 0.0, 0.0);
    let chunk = (BATCH * 16) as u64;
    let mut start = 0;
    while start < ref_rows {
        let end = (start + chunk).min(ref_rows);
        let t = Instant::now();
        let batches: Vec<RowBatch> = (start..end)
            .step_by(BATCH)
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|s| ref_batch(s, (end - s).min(BATCH as u64)))
            .collect();
        gen_s += t.elapsed().as_secs_f64();
        let (t, c) = (Instant::now(), cpu_s());
        for batch in &batches {
            b.add_batch(&table, batch).expect("add");
        }
        build_s += t.elapsed().as_secs_f64();
        build_cpu += cpu_s() - c;
        start = end;
    }
    let dir = std::env::temp_dir().join(format!("leakscope-verify-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("ref.lsidx");
    let (t, c) = (Instant::now(), cpu_s());
    let size = b.write(&path).expect("write");
    let finish_s = t.elapsed().as_secs_f64();
    build_cpu += cpu_s() - c;
    let index_rss = peak_rss_mb();
    let idx = Index::open(&path, &hashing).expect("open");
    let entries = idx.header().entries;

    let stable = TableInfo {
        id: 1,
        name: "leak".into(),
        source: "synthetic".into(),
        headers: ["name", "email", "mobile", "address"]
            .map(String::from)
            .to_vec(),
        has_header_row: true,
    };
    let t = Instant::now();
    let samples: Vec<(TableInfo, RowBatch)> = (0..sample_rows)
        .step_by(BATCH)
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|s| {
            (
                stable.clone(),
                sample_batch(s, (sample_rows - s).min(BATCH as u64), ref_rows),
            )
        })
        .collect();
    let sgen_s = t.elapsed().as_secs_f64();
    let (t, c) = (Instant::now(), cpu_s());
    let out = verify_batches(&samples, &idx, &hashing, &VerifyOptions::default()).expect("verify");
    let verify_s = t.elapsed().as_secs_f64();
    let verify_cpu = cpu_s() - c;
    let r = &out.report;
    let _ = std::fs::remove_dir_all(&dir);

    println!("| measure | value |\n|---|---|");
    println!(
        "| machine threads | {} (load average at start: {}) |",
        rayon::current_num_threads(),
        std::fs::read_to_string("/proc/loadavg")
            .unwrap_or_default()
            .split_whitespace()
            .next()
            .unwrap_or("?")
    );
    println!("| reference rows | {ref_rows} |");
    println!(
        "| index build (hash + sort + write, excl. generation) | {:.1} s ({:.0} rows/s) |",
        build_s + finish_s,
        ref_rows as f64 / (build_s + finish_s)
    );
    println!("| index build CPU time (user + sys, all threads) | {build_cpu:.1} s |");
    println!("| of which sort + serialise + write (wall) | {finish_s:.1} s |");
    println!("| synthetic reference generation (not counted) | {gen_s:.1} s |");
    println!(
        "| index size | {} bytes, {entries} identifiers, {:.1} bytes/identifier |",
        size,
        size as f64 / entries as f64
    );
    println!("| peak RSS after index build | {index_rss:.0} MB |");
    println!("| sample rows | {sample_rows} |");
    println!(
        "| verify (hash + lookup + judge, excl. generation) | {verify_s:.2} s ({:.0} rows/s) |",
        sample_rows as f64 / verify_s
    );
    println!("| verify CPU time (user + sys, all threads) | {verify_cpu:.2} s |");
    println!("| synthetic sample generation (not counted) | {sgen_s:.1} s |");
    println!(
        "| verdict | {:?}: {} matched, {} consistent of {} |",
        r.verdict, r.matched_rows, r.consistent_rows, r.sample_rows
    );
    println!("| peak RSS overall | {:.0} MB |", peak_rss_mb());
}
