//! Engine overhead on a VN-shop-like table (fake detectors, so this measures the engine, not
//! detection). Ignored by default; run with
//! `cargo test --release -p leakscope-scan --test throughput -- --ignored --nocapture`.

mod common;

use std::time::Instant;

use common::*;
use leakscope_formats::{RowBatch, Sink, TableStats};

#[test]
#[ignore = "measurement, run explicitly in release"]
fn engine_throughput_on_shop_orders() {
    let headers = [
        "order_id",
        "shop",
        "name",
        "email",
        "phone",
        "address",
        "amount",
        "created_at",
        "product",
        "note",
    ];
    let t = table(0, "orders", &headers);
    let mut rng = Rng(42);
    let rows = 400_000u64;
    let mut batches = Vec::new();
    let mut bytes = 0usize;
    let mut b = RowBatch::new(1);
    for i in 0..rows {
        let p = rng.below(150_000);
        let fields = [
            format!("DH{i:09}"),
            format!("Shop {}", rng.below(3_000)),
            format!("Nguyễn Văn {p}"),
            email(p, false),
            vn_phone(p, false),
            format!("{} Lê Lợi, Quận 1, TP Hồ Chí Minh", rng.below(500)),
            format!("{}000", rng.below(5_000)),
            format!(
                "2023-{:02}-{:02} 12:{:02}:00",
                1 + rng.below(12),
                1 + rng.below(28),
                rng.below(60)
            ),
            format!("Áo thun size {}", rng.below(5)),
            String::new(),
        ];
        for f in &fields {
            b.push_field(f);
        }
        b.end_row();
        if b.len() == 4096 {
            bytes += b.text_bytes();
            batches.push(std::mem::replace(&mut b, RowBatch::new(i + 2)));
        }
    }
    bytes += b.text_bytes();
    batches.push(b);
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    let cpu0 = cpu_seconds();
    let start = Instant::now();
    let mut sc = scanner(opts(threads));
    sc.begin_table(&t);
    for b in batches {
        sc.rows(&t, b);
    }
    sc.end_table(
        &t,
        &TableStats {
            rows,
            rows_skipped: 0,
        },
    );
    let p = sc.finish();
    let secs = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu0;
    assert_eq!(p.rows, rows);
    println!(
        "engine: {rows} rows, {:.1} MB cell text in {secs:.2}s wall = {:.0} MB/s, {:.0} rows/s \
         ({threads} workers); {cpu:.2} CPU-s = {:.0} MB per CPU-second; people {}",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / secs,
        rows as f64 / secs,
        bytes as f64 / 1e6 / cpu.max(1e-3),
        p.individuals.estimate
    );
}

/// User + system CPU time of this process so far (Linux; 0 elsewhere).
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    let Some(after) = stat.rsplit_once(')').map(|x| x.1) else {
        return 0.0;
    };
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks: f64 = f.get(11).and_then(|u| u.parse().ok()).unwrap_or(0.0)
        + f.get(12).and_then(|s| s.parse().ok()).unwrap_or(0.0);
    ticks / 100.0
}
