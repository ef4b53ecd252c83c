//! The reading layer of leakscope: turns any input path (file, directory, archive, stdin) into a
//! stream of tables — name, column headers and batches of rows — plus facts about each source.
//!
//! Callers implement [`Sink`] and hand it to the reader; rows arrive in [`RowBatch`]es that the
//! sink owns and may send to worker threads.
//!
//! Formats are recognised by content, not extension: CSV/TSV/`;`/`|` text and combolists,
//! XLSX/XLS/ODS, JSON documents and NDJSON (MongoDB and Elasticsearch exports included),
//! `mongodump` BSON, MySQL and PostgreSQL plain dumps, and the containers zip, gzip, zstd,
//! bzip2, xz, tar and 7z (recursively). See `docs/formats.md`.

mod archive;
mod blocks;
mod bson;
mod ctx;
mod delimited;
mod excel;
pub mod fuzzing;
mod header;
mod json;
mod limits;
pub mod model;
mod ordered;
mod pgdump;
mod recycle;
mod schema;
mod sheet;
pub mod sniff;
mod source;
mod sql;
mod sqlite;
mod text;
mod unsupported;
pub mod walk;

pub use bson::write as bson_write;
pub use model::*;
pub use recycle::recycle;

use std::path::PathBuf;

/// Limits and overrides for a read.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Force a text encoding (an `encoding_rs` label such as `gbk`), instead of detecting it.
    pub encoding: Option<String>,
    /// Password for encrypted archives.
    pub password: Option<String>,
    /// Stop expanding an archive/compressed stream past this many output bytes.
    pub max_expanded_bytes: u64,
    /// Treat a member as a bomb when output/input exceeds this ratio (and output > 64 MiB).
    pub max_expansion_ratio: u64,
    /// Rows per [`RowBatch`] handed to the sink.
    pub batch_rows: usize,
    /// The expansion ratio is only enforced once a stream produced this many bytes (default
    /// 64 MiB), so small, very compressible files are not mistaken for bombs.
    pub ratio_floor_bytes: u64,
    /// A single record (CSV row, SQL value tuple, JSON item) larger than this is skipped with a
    /// located warning (default 64 MiB).
    pub max_record_bytes: usize,
    /// Legacy XLS files larger than this (as stored) are refused, because the XLS reader holds
    /// a whole sheet in memory (default 512 MiB). XLSX and ODS are streamed and not limited.
    pub max_spreadsheet_bytes: u64,
    /// Archives nested deeper than this are refused (default 8).
    pub max_depth: u32,
    /// Columns per table at most (default 4,096): values of JSON/BSON keys beyond it are
    /// counted and reported (`too-many-columns`) instead of read, so a document that keeps
    /// adding keys cannot grow without bound.
    pub max_columns: usize,
    /// Threads that parse one large file in parallel, block by block; 0 means one per core,
    /// 1 reads sequentially. Rows reach the sink in file order either way. For JSON, NDJSON
    /// and BSON the reading thread is one of them (it cuts records and parses queued blocks
    /// whenever it would otherwise wait).
    pub threads: usize,
    /// Size of the blocks a large delimited file is cut into for parallel parsing (default
    /// 4 MiB). Inputs no larger than one block are read sequentially.
    pub block_bytes: usize,
}

impl ReadOptions {
    /// The parse threads to use: [`ReadOptions::threads`], or one per core when it is 0.
    pub fn parse_threads(&self) -> usize {
        if self.threads == 0 {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
        } else {
            self.threads
        }
    }
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            encoding: None,
            password: None,
            max_expanded_bytes: 64 << 30,
            max_expansion_ratio: 1000,
            batch_rows: 4096,
            ratio_floor_bytes: 64 << 20,
            max_record_bytes: 64 << 20,
            max_spreadsheet_bytes: 512 << 20,
            max_depth: 8,
            max_columns: 4096,
            threads: 0,
            block_bytes: 4 << 20,
        }
    }
}

/// What a whole read did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ReadSummary {
    /// Sources opened.
    pub sources: u64,
    /// Sources that could not be read at all.
    pub sources_failed: u64,
    /// Tables found.
    pub tables: u64,
    /// Rows delivered.
    pub rows: u64,
    /// Rows skipped (each accounted for by a diagnostic).
    pub rows_skipped: u64,
}

/// Reads every path (`-` is stdin; directories are walked) and streams what it finds into `sink`.
/// Never panics on bad input: problems become [`Diagnostic`]s.
pub fn read_paths(paths: &[PathBuf], options: &ReadOptions, sink: &mut dyn Sink) -> ReadSummary {
    let mut ctx = ctx::Ctx::new(options, sink);
    for (i, p) in paths.iter().enumerate() {
        if ctx.stopped {
            break;
        }
        ctx.schemas.later = paths[i + 1..].to_vec();
        source::read_path(&mut ctx, p);
    }
    ctx.summary
}

/// Where the parallel delimited reader would cut `buf` (which starts at a record boundary of a
/// CSV/TSV file) so the first part ends between records: just after the last newline outside a
/// quoted field (any last newline when `quoting` is off); `None` when no newline qualifies.
/// Cutting a file block by block from its start with this gives the record-aligned byte ranges
/// that distributed readers (the Python package's Spark integration) hand to separate tasks.
pub fn delimited_record_cut(buf: &[u8], quoting: bool, delimiter: u8) -> Option<usize> {
    delimited::parallel::find_cut(buf, quoting, delimiter)
}

/// Reads one in-memory buffer as if it were a file called `name` (handy for tests and fuzzing).
pub fn read_bytes(
    name: &str,
    data: &[u8],
    options: &ReadOptions,
    sink: &mut dyn Sink,
) -> ReadSummary {
    let mut ctx = ctx::Ctx::new(options, sink);
    source::read_reader(&mut ctx, name, Box::new(data), data.len() as u64);
    ctx.summary
}
