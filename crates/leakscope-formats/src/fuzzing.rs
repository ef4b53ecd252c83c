//! Entry points for fuzzers: run the parsers on arbitrary bytes with a sink that discards rows
//! (or, for SQL dumps, records them to compare the parallel reader with the sequential one).

use crate::model::{Diagnostic, Flow, RowBatch, Sink, TableInfo, TableStats};
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

/// Everything a read delivered, as text: tables and their rows in order, and the diagnostics in
/// order (how the two interleave depends on batching, which is not part of the contract).
#[derive(Default)]
struct Record {
    tables: String,
    diags: String,
}

impl Sink for Record {
    fn begin_table(&mut self, t: &TableInfo) {
        self.tables.push_str(&format!("{t:?}\n"));
    }
    fn headers_extended(&mut self, t: &TableInfo, from: usize) {
        self.tables
            .push_str(&format!("{} +{:?}\n", t.id, &t.headers[from..]));
    }
    fn rows(&mut self, t: &TableInfo, b: RowBatch) -> Flow {
        for r in b.rows() {
            let row: Vec<&str> = r.iter().collect();
            self.tables.push_str(&format!("{} {row:?}\n", t.id));
        }
        Flow::Continue
    }
    fn end_table(&mut self, t: &TableInfo, s: &TableStats) {
        self.tables.push_str(&format!("end {} {s:?}\n", t.id));
    }
    fn diagnostic(&mut self, d: &Diagnostic) {
        self.diags.push_str(&format!("{d:?}\n"));
    }
}

/// Parses bytes as a SQL dump in every dialect (MySQL, PostgreSQL, T-SQL, Oracle, SQLite):
/// never panics, and the parallel reader (two threads, 64-byte blocks) delivers exactly what
/// the sequential reader delivers.
///
/// # Panics
/// When the two readers disagree (a bug the fuzzer is looking for).
pub fn fuzz_sql(data: &[u8]) {
    use crate::sql::dialect::{Dialect, Kind};
    for kind in [
        Kind::MySql,
        Kind::Postgres,
        Kind::TSql,
        Kind::Oracle,
        Kind::Sqlite,
    ] {
        let dialect = Dialect::of(kind);
        let read = |threads: usize, block_bytes: usize| {
            let opts = ReadOptions {
                threads,
                block_bytes,
                ..small_options()
            };
            let mut sink = Record::default();
            let mut ctx = crate::ctx::Ctx::new(&opts, &mut sink);
            let mut input = data;
            crate::sql::read_sql(&mut ctx, "fuzz.sql", &mut input, dialect);
            drop(ctx);
            sink.tables + &sink.diags
        };
        let sequential = read(1, 4 << 20);
        let parallel = read(2, 64);
        assert!(
            sequential == parallel,
            "parallel SQL reader differs from the sequential one ({kind:?})\n--- sequential\n{sequential}\n--- parallel\n{parallel}"
        );
    }
}

/// Reads bytes as a JSON or BSON document stream: never panics, and several parser threads
/// deliver exactly what one delivers (tables, rows, diagnostics).
///
/// # Panics
/// When one thread and several disagree (a bug the fuzzer is looking for).
pub fn fuzz_documents(data: &[u8]) {
    for name in ["fuzz.json", "fuzz.bson"] {
        let read = |threads: usize| {
            let opts = ReadOptions {
                threads,
                max_columns: 64,
                ..small_options()
            };
            let mut sink = Record::default();
            crate::read_bytes(name, data, &opts, &mut sink);
            sink.tables + &sink.diags
        };
        let one = read(1);
        let many = read(3);
        assert!(
            one == many,
            "parallel document reader differs ({name})\n--- one thread\n{one}\n--- three\n{many}"
        );
    }
}

/// Runs the whole sniff-and-read pipeline on arbitrary bytes: never panics.
pub fn fuzz_any(data: &[u8]) {
    crate::read_bytes("fuzz.bin", data, &small_options(), &mut Discard);
}
