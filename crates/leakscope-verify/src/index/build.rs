//! Building an index from reference rows, fresh or incrementally on top of an existing one.
//!
//! Memory stays bounded whatever the reference size: rows are reduced to compact records (hashes,
//! the customer id, tenant index, update day) and sorted by customer in runs of at most
//! [`DEFAULT_RUN_BYTES`] that spill to temporary files; [`assemble`](super::assemble) merges them
//! into the customer table and sorts the identifier entries the same way. Only the tenant list,
//! the sparse customer offsets (8 bytes per 32 customers) and, for incremental builds, a 4-byte
//! ordinal map of the existing customers are held whole.

use super::assemble::{self, Assembly};
use super::runs::{encode_parts, Chunk, RowRuns, Spill};
use super::{Index, IndexHeader, FORMAT};
use crate::dates;
use crate::error::VerifyError;
use crate::keys::{row_keys, Hashing, RowKeys};
use crate::mapping::{ColumnMap, MapOptions, Role};
use leakscope_formats::{RowBatch, TableInfo};
use rayon::prelude::*;
use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::Path;

/// Default in-memory run size (row records, and separately identifier entries) before spilling.
pub const DEFAULT_RUN_BYTES: usize = 128 << 20;

/// Counts of one build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildStats {
    /// Rows read in this build.
    pub rows: u64,
    /// Rows without any usable identifier (kept as customers only if their id is known).
    pub rows_without_identifier: u64,
    /// Rows skipped because they were older than `--since`.
    pub rows_before_since: u64,
    /// Existing customers replaced by newer rows (incremental builds; known after finishing).
    pub customers_replaced: u64,
    /// New customers added (known after finishing).
    pub customers_added: u64,
    /// Temporary run files written (0 when everything fit in memory; known after finishing).
    pub spilled_runs: u64,
}

/// Records of a slice of rows, made on a worker thread.
#[derive(Default)]
struct Encoded {
    chunk: Chunk,
    /// Byte position of each record's tenant field, and the tenant (numbered in `absorb`).
    tenants: Vec<(usize, String)>,
    rows: u64,
    before_since: u64,
    without_identifier: u64,
}

/// Accumulates reference rows into an index.
pub struct IndexBuilder {
    hashing: Hashing,
    opts: MapOptions,
    since: Option<i32>,
    maps: HashMap<u32, ColumnMap>,
    tenants: Vec<String>,
    tenant_ix: HashMap<String, u32>,
    rows: RowRuns,
    spill: Spill,
    run_bytes: usize,
    existing: Option<Index>,
    header: IndexHeader,
    ticker: crate::Ticker,
    /// Counts so far.
    pub stats: BuildStats,
    /// Warnings (no raw values), e.g. columns that could not be mapped.
    pub warnings: Vec<String>,
}

impl IndexBuilder {
    /// A fresh builder; `source` describes the reference (no passwords).
    pub fn new(hashing: Hashing, opts: MapOptions, source: &str) -> IndexBuilder {
        let header = IndexHeader {
            format: FORMAT.into(),
            source: source.to_string(),
            updated_column: opts.updated_column.clone(),
            ..Default::default()
        };
        IndexBuilder {
            hashing,
            opts,
            since: None,
            maps: HashMap::new(),
            tenants: Vec::new(),
            tenant_ix: HashMap::new(),
            rows: RowRuns::new(DEFAULT_RUN_BYTES),
            spill: Spill::new(std::env::temp_dir()),
            run_bytes: DEFAULT_RUN_BYTES,
            existing: None,
            header,
            ticker: crate::Ticker::default(),
            stats: BuildStats::default(),
            warnings: Vec::new(),
        }
    }

    /// A builder that merges new/changed customers (rows updated on or after `since`) into
    /// `existing`: a customer id seen again replaces that customer's old entries.
    pub fn incremental(
        existing: &Index,
        hashing: Hashing,
        opts: MapOptions,
        since: &str,
    ) -> Result<IndexBuilder, VerifyError> {
        let day = dates::parse_day(since).ok_or_else(|| {
            VerifyError::Usage(format!("--since `{since}` is not a date (YYYY-MM-DD)"))
        })?;
        let mut b = IndexBuilder::new(hashing, opts, &existing.header().source);
        b.header.rows_read = existing.header().rows_read;
        b.header.increments = existing.header().increments.clone();
        b.header.increments.push(since.to_string());
        if b.header.updated_column.is_none() {
            b.header.updated_column = existing.header().updated_column.clone();
        }
        b.since = Some(day);
        b.tenants = existing.tenants().to_vec();
        b.tenant_ix = b
            .tenants
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();
        b.existing = Some(existing.clone());
        Ok(b)
    }

    /// Only rows whose update day is on or after `since` are used (rows without a parseable
    /// date are kept, since they cannot be proved old).
    pub fn set_since(&mut self, since: Option<i32>) {
        self.since = since;
    }

    /// Directory under which temporary run files are created (default: the system temporary
    /// directory; `write` uses the output's directory unless this was called). Takes effect only
    /// before the first spill.
    pub fn set_temp_dir(&mut self, dir: &Path) {
        self.spill.set_parent(dir);
    }

    /// Bytes of row records (and, separately, of identifier entries) held in memory before a
    /// sorted run is spilled to disk. Peak memory of a build is a small multiple of this.
    pub fn set_run_bytes(&mut self, bytes: usize) {
        self.run_bytes = bytes;
        self.rows.set_run_bytes(bytes);
    }

    fn map_for(&mut self, table: &TableInfo, batch: &RowBatch) -> Result<ColumnMap, VerifyError> {
        if let Some(m) = self.maps.get(&table.id) {
            return Ok(m.clone());
        }
        let n = batch.len().min(200);
        let samples: Vec<Vec<&str>> = (0..table.headers.len())
            .map(|c| (0..n).filter_map(|r| batch.row(r).get(c)).collect())
            .collect();
        let map = ColumnMap::resolve_table(&table.name, &table.headers, &samples, &self.opts);
        if !map.has_identifier() {
            return Err(VerifyError::EmptyReference(format!(
                "table `{}` has no identifier column (email, phone, national_id, username) among [{}]; map one with --map COLUMN=email",
                table.name,
                map.describe(&table.headers)
            )));
        }
        if map.columns(Role::CustomerId).next().is_none() {
            self.warnings.push(format!("table `{}`: no customer id column (use --id-column); customers are numbered by row instead", table.name));
        }
        if let Some(u) = &self.opts.updated_column {
            if map.columns(Role::Updated).next().is_none() {
                return Err(VerifyError::Usage(format!(
                    "--updated-column `{u}` is not a column of table `{}`",
                    table.name
                )));
            }
        }
        self.maps.insert(table.id, map.clone());
        Ok(map)
    }

    /// Reports reading progress to `progress` from now on.
    pub fn set_progress(&mut self, progress: Option<crate::Progress>) {
        self.ticker = crate::Ticker::new(progress);
    }

    /// Adds a batch of reference rows (normalising, hashing and encoding use all cores).
    pub fn add_batch(&mut self, table: &TableInfo, batch: &RowBatch) -> Result<(), VerifyError> {
        const ROWS_PER_TASK: usize = 512;
        self.ticker.batch(batch);
        let map = self.map_for(table, batch)?;
        let starts: Vec<usize> = (0..batch.len()).step_by(ROWS_PER_TASK).collect();
        let me = &*self;
        let parts: Vec<Encoded> = starts
            .par_iter()
            .map(|&s| {
                let mut e = Encoded::default();
                for i in s..(s + ROWS_PER_TASK).min(batch.len()) {
                    let k = row_keys(&batch.row(i), &map, &me.opts, &me.hashing);
                    me.encode(&table.name, batch.first_row + i as u64, k, &mut e);
                }
                e
            })
            .collect();
        for e in parts {
            self.absorb(e)?;
        }
        Ok(())
    }

    /// Adds one row's keys (`row_no` names customers when there is no id column).
    pub fn add_keys(&mut self, table: &str, row_no: u64, k: RowKeys) -> Result<(), VerifyError> {
        let mut e = Encoded::default();
        self.encode(table, row_no, k, &mut e);
        self.absorb(e)
    }

    /// Turns one row into a record in `e` (or counts why it is skipped). Runs on worker threads.
    fn encode(&self, table: &str, row_no: u64, k: RowKeys, e: &mut Encoded) {
        e.rows += 1;
        let updated = k.updated.as_deref().and_then(dates::parse_day);
        if let (Some(since), Some(u)) = (self.since, updated) {
            if u < since {
                e.before_since += 1;
                return;
            }
        }
        if k.ids.is_empty() {
            e.without_identifier += 1;
            if k.customer_id.is_none() {
                return;
            }
        }
        let id = k.customer_id.unwrap_or_else(|| format!("{table}#{row_no}"));
        let at = e.chunk.arena.len();
        let key = self.hashing.customer_key(&id);
        let tenant_at = encode_parts(
            key,
            &id,
            None,
            updated,
            k.ids.iter().map(|(kind, h)| (kind.tag(), h)),
            &k.name,
            &k.address,
            &mut e.chunk.arena,
        );
        if let Some(t) = k.tenant {
            e.tenants.push((at + tenant_at, t));
        }
        let len = e.chunk.arena.len() - at;
        e.chunk
            .recs
            .push((self.hashing.customer_key(&id), at as u32, len as u32));
    }

    /// Numbers the tenants of `e` (in row order, so tenant numbering is deterministic) and queues
    /// its records.
    fn absorb(&mut self, mut e: Encoded) -> Result<(), VerifyError> {
        self.stats.rows += e.rows;
        self.stats.rows_before_since += e.before_since;
        self.stats.rows_without_identifier += e.without_identifier;
        for (at, t) in e.tenants.drain(..) {
            let ix = match self.tenant_ix.get(&t) {
                Some(i) => *i,
                None => {
                    let i = self.tenants.len() as u32;
                    self.tenants.push(t.clone());
                    self.tenant_ix.insert(t, i);
                    i
                }
            };
            e.chunk.arena[at..at + 4].copy_from_slice(&ix.to_le_bytes());
        }
        self.rows.append(&e.chunk, &mut self.spill)
    }

    /// Serialises the index into memory.
    pub fn finish(self) -> Result<Vec<u8>, VerifyError> {
        self.finish_with_stats().map(|(v, _)| v)
    }

    /// Serialises the index into memory; also returns the final counts.
    pub fn finish_with_stats(self) -> Result<(Vec<u8>, BuildStats), VerifyError> {
        let mut out = Vec::new();
        let stats = self.emit(&mut out)?;
        Ok((out, stats))
    }

    fn emit(mut self, out: &mut dyn Write) -> Result<BuildStats, VerifyError> {
        let spilled = self.rows.spilled_runs() as u64;
        let a = Assembly {
            hashing: &self.hashing,
            existing: self.existing.as_ref(),
            run_bytes: self.run_bytes,
        };
        let groups = self.rows.into_groups()?;
        let mut parts = assemble::merge_customers(&a, groups, &mut self.spill)?;
        if parts.customers == 0 {
            return Err(VerifyError::EmptyReference("the reference yielded no customers with identifiers (empty table or query result?)".into()));
        }
        self.stats.customers_added = parts.added;
        self.stats.customers_replaced = parts.replaced;
        self.stats.spilled_runs = spilled + parts.spilled_runs();
        self.header.rows_read += self.stats.rows;
        if self.existing.is_some() {
            parts.by_kind.clear();
            parts.by_kind.insert("total".into(), parts.entry_count());
        }
        assemble::write_index(&a, &mut self.header, &self.tenants, parts, out)?;
        Ok(self.stats)
    }

    /// Serialises the index and writes it atomically (temporary file in the same directory, then
    /// rename). Returns the file size.
    pub fn write(self, path: &Path) -> Result<u64, VerifyError> {
        self.write_with_stats(path).map(|(n, _)| n)
    }

    /// Like [`IndexBuilder::write`], also returning the final counts.
    pub fn write_with_stats(mut self, path: &Path) -> Result<(u64, BuildStats), VerifyError> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        self.spill.set_parent(dir);
        let io = |e: std::io::Error| {
            VerifyError::Io(format!("cannot write index {}: {e}", path.display()))
        };
        let tmp = dir.join(format!(
            ".{}.tmp-{}",
            path.file_name().and_then(|n| n.to_str()).unwrap_or("index"),
            std::process::id()
        ));
        let f = std::fs::File::create(&tmp).map_err(io)?;
        let mut w = BufWriter::with_capacity(1 << 20, f);
        let res = self.emit(&mut w).and_then(|stats| {
            let f = w.into_inner().map_err(|e| io(e.into_error()))?;
            f.sync_all().map_err(io)?;
            let len = f.metadata().map_err(io)?.len();
            Ok((len, stats))
        });
        match res {
            Ok(r) => {
                std::fs::rename(&tmp, path).map_err(io)?;
                Ok(r)
            }
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                Err(e)
            }
        }
    }
}
