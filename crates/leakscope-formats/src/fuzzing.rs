//! Entry points for fuzzers: run the parsers on arbitrary bytes with a sink that discards rows.

use crate::model::{Flow, RowBatch, Sink, TableInfo};
use crate::ReadOptions;

struct Discard;

impl Sink for Discard {
    fn rows(&mut self, _t: &TableInfo, _b: RowBatch) -> Flow {
        Flow::Continue
    }
}

fn small_options() -> ReadOptions {
    ReadOptions {
        max_expanded_bytes: 8 << 20,
        max_record_bytes: 1 << 20,
        max_depth: 3,
        ratio_floor_bytes: 1 << 20,
        ..ReadOptions::default()
    }
}

/// Sniffs delimited text and reads it as a file: never panics.
pub fn fuzz_delimited(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = crate::sniff::sniff_dialect(&text, true);
    let _ = crate::sniff::sniff_dialect(&text, false);
    crate::read_bytes("fuzz.csv", data, &small_options(), &mut Discard);
}

/// Parses bytes as a SQL dump (MySQL and PostgreSQL dialects): never panics.
pub fn fuzz_sql(data: &[u8]) {
    let opts = small_options();
    for pg in [false, true] {
        let mut sink = Discard;
        let mut ctx = crate::ctx::Ctx::new(&opts, &mut sink);
        let mut input = data;
        crate::sql::read_sql(&mut ctx, "fuzz.sql", &mut input, pg);
    }
}

/// Runs the whole sniff-and-read pipeline on arbitrary bytes: never panics.
pub fn fuzz_any(data: &[u8]) {
    crate::read_bytes("fuzz.bin", data, &small_options(), &mut Discard);
}
