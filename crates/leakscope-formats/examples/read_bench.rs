//! Throughput of the reading layer against the `csv` crate's raw ByteRecord ceiling, measured in
//! the same run on the same file, plus peak RSS.
//!
//! `cargo run --release -p leakscope-formats --example read_bench -- [SIZE_MB] [PATH]`
//! generates (deterministically) a CSV of realistic leak rows of SIZE_MB (default 1024) at PATH
//! (default: a temp file, deleted afterwards), or reuses PATH if it exists.

use leakscope_formats::{Flow, ReadOptions, RowBatch, Sink, TableInfo};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::Instant;

/// SplitMix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

fn generate(path: &PathBuf, bytes: u64) -> std::io::Result<()> {
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let family = [
        "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "王", "李", "张", "Tan", "Lim", "Ng",
    ];
    let given = [
        "Văn An",
        "Thị Bích",
        "Minh Đức",
        "伟",
        "娜",
        "Wei Ling",
        "Kok Seng",
        "Hui Min",
    ];
    let streets = [
        "\"12 Lý Thường Kiệt, Hà Nội\"",
        "\"Blk 123, Ang Mo Kio Ave 3, #05-67\"",
        "北京市朝阳区建国路88号",
        "\"45 Nguyễn Huệ, Q.1, TP.HCM\"",
        "\"10 Anson Rd, #22-01\"",
    ];
    let domains = [
        "gmail.com",
        "yahoo.com.vn",
        "qq.com",
        "163.com",
        "hotmail.sg",
    ];
    w.write_all(b"id,full_name,phone,email,password_hash,address,card_last4,created_at\n")?;
    let mut r = Rng(42);
    let mut written = 0u64;
    let mut id = 0u64;
    let mut line = String::with_capacity(256);
    while written < bytes {
        id += 1;
        line.clear();
        use std::fmt::Write as _;
        let _ = writeln!(
            line,
            "{id},{} {},+{}{:09},user{}.{}@{},$2y$10${:022x}{:031x},{},{:04},2024-{:02}-{:02} {:02}:{:02}:{:02}",
            r.pick(&family),
            r.pick(&given),
            r.pick(&["84", "86", "65"]),
            r.next() % 1_000_000_000,
            id,
            r.next() % 997,
            r.pick(&domains),
            r.next() as u128 & 0xffff_ffff_ffff_ffff_ffff,
            (r.next() as u128) << 40 | r.next() as u128,
            r.pick(&streets),
            r.next() % 10_000,
            1 + r.next() % 12,
            1 + r.next() % 28,
            r.next() % 24,
            r.next() % 60,
            r.next() % 60
        );
        w.write_all(line.as_bytes())?;
        written += line.len() as u64;
    }
    w.flush()
}

struct Noop(u64);

impl Sink for Noop {
    fn rows(&mut self, _t: &TableInfo, b: RowBatch) -> Flow {
        self.0 += b.len() as u64;
        Flow::Continue
    }
    fn diagnostic(&mut self, d: &leakscope_formats::Diagnostic) {
        if d.code != "dialect" {
            eprintln!("diagnostic: {} {} (line {:?})", d.code, d.message, d.line);
        }
    }
}

fn vm_hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let size_mb: u64 = args.get(1).map(|s| s.parse()).transpose()?.unwrap_or(1024);
    let (path, temp) = match args.get(2) {
        Some(p) => (PathBuf::from(p), false),
        None => (
            std::env::temp_dir().join(format!("leakscope-bench-{size_mb}mb.csv")),
            true,
        ),
    };
    if !path.exists() {
        let t = Instant::now();
        generate(&path, size_mb << 20)?;
        eprintln!(
            "generated {} in {:.1}s",
            path.display(),
            t.elapsed().as_secs_f64()
        );
    }
    let bytes = std::fs::metadata(&path)?.len();
    let mb = bytes as f64 / (1u64 << 20) as f64;
    // Warm the page cache so both readers see the same conditions.
    std::io::copy(&mut std::fs::File::open(&path)?, &mut std::io::sink())?;
    let rss_start = vm_hwm_kib();

    let t = Instant::now();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .buffer_capacity(256 << 10)
        .from_path(&path)?;
    let mut rec = csv::ByteRecord::new();
    let mut csv_rows = 0u64;
    while rdr.read_byte_record(&mut rec)? {
        csv_rows += 1;
    }
    let csv_s = t.elapsed().as_secs_f64();
    let rss_csv = vm_hwm_kib();

    let t = Instant::now();
    let mut sink = Noop(0);
    let summary = leakscope_formats::read_paths(
        std::slice::from_ref(&path),
        &ReadOptions::default(),
        &mut sink,
    );
    let ls_s = t.elapsed().as_secs_f64();
    let rss_ls = vm_hwm_kib();
    assert_eq!(summary.rows, csv_rows, "both readers see every row");

    println!("| reader (1 thread, {mb:.0} MiB CSV, {csv_rows} rows) | MB/s | seconds | peak RSS (VmHWM) |");
    println!("|---|---|---|---|");
    println!(
        "| `csv` crate ByteRecord (ceiling) | {:.0} | {csv_s:.2} | {} MiB |",
        mb / csv_s,
        rss_csv / 1024
    );
    println!(
        "| `leakscope_formats::read_paths`, no-op sink | {:.0} | {ls_s:.2} | {} MiB |",
        mb / ls_s,
        rss_ls / 1024
    );
    println!(
        "\nread_paths / ceiling: {:.0}%; RSS before reading: {} MiB",
        100.0 * csv_s / ls_s,
        rss_start / 1024
    );
    if temp {
        std::fs::remove_file(&path)?;
    }
    Ok(())
}
