//! Extraction throughput on the post corpus, against a ceiling measured in the same run: folding
//! the text and running the phrase automaton (work every extraction must do).
//!
//! `cargo run --release -p leakscope-claims --example claims_bench [-- ROUNDS]`
//! Prints posts/s and MB/s for both, the ratio, and the peak RSS (VmHWM).

use leakscope_claims::read::{read_path, Document};
use leakscope_claims::text::Text;
use leakscope_claims::{extract, Options, Rules};
use std::time::Instant;

fn peak_rss_mib() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut docs: Vec<Document> = Vec::new();
    for part in ["dev", "heldout", "fresh"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(part))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        files.sort();
        for f in files {
            if f.to_string_lossy().ends_with(".expected.json") {
                continue;
            }
            docs.extend(read_path(&f, None).unwrap());
        }
    }
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let rules = Rules::builtin().unwrap();
    let opts = Options::default();
    // Warm up (rules compiled, caches filled).
    let mut claims = 0;
    for d in &docs {
        claims += extract(d, rules, &opts).is_some() as usize;
    }
    let t = Instant::now();
    let mut hits = 0usize;
    for _ in 0..rounds {
        for d in &docs {
            let text = Text::new(d.text.clone());
            hits += rules.lex.find(&text, "en").len();
        }
    }
    let ceiling = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut n = 0usize;
    for _ in 0..rounds {
        for d in &docs {
            n += extract(d, rules, &opts).is_some() as usize;
        }
    }
    let full = t.elapsed().as_secs_f64();
    let posts = (docs.len() * rounds) as f64;
    let mb = (bytes * rounds) as f64 / 1e6;
    println!(
        "{} documents ({} bytes, {claims} claims) x {rounds} rounds",
        docs.len(),
        bytes
    );
    println!(
        "ceiling  fold + phrase automaton: {:>9.0} posts/s {:>7.1} MB/s ({hits} family hit lists)",
        posts / ceiling,
        mb / ceiling
    );
    println!("extract  full claim extraction:   {:>9.0} posts/s {:>7.1} MB/s ({n} claims) = {:.0}% of the ceiling", posts / full, mb / full, 100.0 * ceiling / full);
    if let Some(r) = peak_rss_mib() {
        println!("peak RSS {r:.1} MiB");
    }
}
