//! Throughput check of the large writer: `cargo run --release --example bigfile -- vn-shop csv 1000 [out.csv]` (size in MB;
//! `/dev/stdout` streams the file into another command, e.g. `leakscope scan -`).
use std::io::Write;
use std::time::Instant;

use leakscope_synth::large::{write_large, LargeFormat};
use leakscope_synth::Flavour;

struct Null(u64);
impl Write for Null {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0 += b.len() as u64;
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let flavour: Flavour = a
        .get(1)
        .map(|s| s.parse().expect("flavour"))
        .unwrap_or(Flavour::VnShop);
    let format = match a.get(2).map(String::as_str) {
        Some("mysql") => LargeFormat::MysqlDump,
        Some("pg") => LargeFormat::PgDump,
        _ => LargeFormat::Csv,
    };
    let mb: u64 = a.get(3).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let start = Instant::now();
    let mut sink = Null(0);
    let t = match a.get(4) {
        Some(path) => {
            let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
            let t = write_large(flavour, format, mb * 1_000_000, 42, &mut f).expect("write");
            f.flush().expect("flush");
            sink.0 = t.bytes;
            t
        }
        None => write_large(flavour, format, mb * 1_000_000, 42, &mut sink).expect("write"),
    };
    let s = start.elapsed().as_secs_f64();
    eprintln!(
        "{flavour} {format:?}: {} rows, {} bytes, {:.2} s, {:.0} MB/s; individuals {}",
        t.rows,
        sink.0,
        s,
        sink.0 as f64 / 1e6 / s,
        t.individuals
    );
}
