//! Per-detector throughput (values/s, one thread) and column-decision cost.
//!
//! `cargo run --release -p leakscope-detect --example detector_bench`
//!
//! Each detector runs over its own rule examples (positives and negatives, cycled) and over a
//! mixed stream of every detector's examples (the realistic case: most values are rejected by
//! the shape gate). Prints a markdown table.

use leakscope_detect::{DataClass, Detectors};
use std::hint::black_box;
use std::time::Instant;

const N: usize = 300_000;

fn rate(values: &[&str], f: impl Fn(&str) -> bool) -> (f64, usize) {
    let start = Instant::now();
    let mut hits = 0;
    for i in 0..N {
        if f(black_box(values[i % values.len()])) {
            hits += 1;
        }
    }
    (N as f64 / start.elapsed().as_secs_f64(), hits)
}

fn human(r: f64) -> String {
    if r >= 1e6 {
        format!("{:.1} M/s", r / 1e6)
    } else {
        format!("{:.0} k/s", r / 1e3)
    }
}

fn main() {
    let ds = Detectors::builtin();
    let all: Vec<&str> = ds
        .detectors()
        .iter()
        .flat_map(|d| d.def.positive.iter().chain(&d.def.negative))
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .collect();
    println!("| detector | class | own examples | mixed stream |");
    println!("|---|---|---:|---:|");
    for d in ds.detectors() {
        let own: Vec<&str> = d
            .def
            .positive
            .iter()
            .chain(&d.def.negative)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
            .collect();
        let (r_own, _) = rate(&own, |v| d.check(v).is_some());
        let (r_mix, _) = rate(&all, |v| d.check(v).is_some());
        println!(
            "| {} | {} | {} | {} |",
            d.def.id,
            d.class.id(),
            human(r_own),
            human(r_mix)
        );
    }
    println!();
    println!("| check_value (per cell, as scan calls it) | values/s |");
    println!("|---|---:|");
    let phones = [
        "0912345678",
        "+84 912 345 678",
        "13812345678",
        "+65 9123 4567",
        "091.234.5678",
    ];
    let (r, _) = rate(&phones, |v| {
        ds.check_value(DataClass::Phone, None, v).is_some()
    });
    println!("| phone (VN/CN/SG formats) | {} |", human(r));
    let intl = ["+44 20 7946 0958", "+1 650-253-0000", "+60 12-345 6789"];
    let (r, _) = rate(&intl, |v| {
        ds.check_value(DataClass::Phone, None, v).is_some()
    });
    println!(
        "| phone (other countries, metadata, cached) | {} |",
        human(r)
    );
    let national = [
        "(206) 555-9857|US",
        "030-0074321|DE",
        "(02)27653147|TW",
        "0871-65655099|CN",
    ];
    let (r, _) = rate(&national, |x| {
        let (v, c) = x.split_once('|').unwrap_or((x, "US"));
        ds.check_value_in(DataClass::Phone, None, v, Some(c))
            .is_some()
    });
    println!(
        "| phone (national format, row's country, metadata) | {} |",
        human(r)
    );
    let not_phones = [
        "-89.1526108",
        "10.776912",
        "550e8400-e29b-41d4-a716-446655440000",
    ];
    let (r, _) = rate(&not_phones, |v| {
        ds.check_value(DataClass::Phone, None, v).is_some()
    });
    println!("| phone (coordinates, UUIDs: rejected) | {} |", human(r));
    let emails = ["nguyen.van.a@gmail.com", "wang@qq.com", "x@singnet.com.sg"];
    let (r, _) = rate(&emails, |v| {
        ds.check_value(DataClass::Email, None, v).is_some()
    });
    println!("| email | {} |", human(r));
    let ids = [
        "11010519491231002X",
        "440305198511110022",
        "S1234567D",
        "001099012345",
    ];
    let (r, _) = rate(&ids, |v| {
        ds.check_value(DataClass::NationalId, None, v).is_some()
    });
    println!("| national_id | {} |", human(r));
    println!();
    let sample: Vec<String> = (0..10_000u64)
        .map(|i| format!("09{:08}", (i * 7_919 + 12_345) % 100_000_000))
        .collect();
    let sample: Vec<&str> = sample.iter().map(String::as_str).collect();
    let start = Instant::now();
    let reps = 5;
    for _ in 0..reps {
        black_box(ds.classify_column(Some("so_dien_thoai"), &sample));
    }
    let per = start.elapsed().as_secs_f64() / reps as f64;
    println!(
        "classify_column over 10,000 sampled values: {:.1} ms ({})",
        per * 1e3,
        human(10_000.0 / per)
    );
}
