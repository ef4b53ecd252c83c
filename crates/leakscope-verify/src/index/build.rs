//! Building an index from reference rows, fresh or incrementally on top of an existing one.

use super::codec::{self, Customer};
use super::{bucket_of, Index, IndexHeader, Section, Sections, ENTRY_BYTES, MAGIC, OFFSET_STRIDE};
use crate::dates;
use crate::error::VerifyError;
use crate::keys::{row_keys, Hashing, RowKeys};
use crate::mapping::{ColumnMap, MapOptions, Role};
use leakscope_formats::{RowBatch, TableInfo};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::Path;

/// Counts of one build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildStats {
    /// Rows read in this build.
    pub rows: u64,
    /// Rows without any usable identifier (kept as customers only if their id is known).
    pub rows_without_identifier: u64,
    /// Rows skipped because they were older than `--since`.
    pub rows_before_since: u64,
    /// Existing customers replaced by newer rows (incremental builds).
    pub customers_replaced: u64,
    /// New customers added.
    pub customers_added: u64,
}

/// Accumulates reference rows into an index.
pub struct IndexBuilder {
    hashing: Hashing,
    opts: MapOptions,
    since: Option<i32>,
    maps: HashMap<u32, ColumnMap>,
    customers: Vec<Customer>,
    old_entries: Vec<([u8; 16], u32)>,
    entries: Vec<([u8; 16], u32)>,
    tenants: Vec<String>,
    tenant_ix: HashMap<String, u32>,
    by_id: HashMap<String, u32>,
    base_customers: u32,
    touched: HashSet<u32>,
    replaced: HashSet<u32>,
    header: IndexHeader,
    /// Counts so far.
    pub stats: BuildStats,
    /// Warnings (no raw values), e.g. columns that could not be mapped.
    pub warnings: Vec<String>,
}

impl IndexBuilder {
    /// A fresh builder; `source` describes the reference (no passwords).
    pub fn new(hashing: Hashing, opts: MapOptions, source: &str) -> IndexBuilder {
        let header = IndexHeader {
            format: "leakscope.index/1".into(),
            source: source.to_string(),
            updated_column: opts.updated_column.clone(),
            ..Default::default()
        };
        IndexBuilder {
            hashing,
            opts,
            since: None,
            maps: HashMap::new(),
            customers: Vec::new(),
            old_entries: Vec::new(),
            entries: Vec::new(),
            tenants: Vec::new(),
            tenant_ix: HashMap::new(),
            by_id: HashMap::new(),
            base_customers: 0,
            touched: HashSet::new(),
            replaced: HashSet::new(),
            header,
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
        b.customers = existing.customers()?;
        b.tenants = existing.tenants().to_vec();
        b.tenant_ix = b
            .tenants
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();
        b.by_id = b
            .customers
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i as u32))
            .collect();
        b.base_customers = b.customers.len() as u32;
        b.old_entries = (0..existing.header().entries as usize)
            .map(|i| existing.entry(i))
            .collect();
        Ok(b)
    }

    /// Only rows whose update day is on or after `since` are used (rows without a parseable
    /// date are kept, since they cannot be proved old).
    pub fn set_since(&mut self, since: Option<i32>) {
        self.since = since;
    }

    fn map_for(&mut self, table: &TableInfo, batch: &RowBatch) -> Result<ColumnMap, VerifyError> {
        if let Some(m) = self.maps.get(&table.id) {
            return Ok(m.clone());
        }
        let n = batch.len().min(200);
        let samples: Vec<Vec<&str>> = (0..table.headers.len())
            .map(|c| (0..n).filter_map(|r| batch.row(r).get(c)).collect())
            .collect();
        let map = ColumnMap::resolve(&table.headers, &samples, &self.opts);
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

    /// Adds a batch of reference rows.
    pub fn add_batch(&mut self, table: &TableInfo, batch: &RowBatch) -> Result<(), VerifyError> {
        let map = self.map_for(table, batch)?;
        let keys: Vec<RowKeys> = (0..batch.len())
            .into_par_iter()
            .with_min_len(256)
            .map(|i| row_keys(&batch.row(i), &map, &self.opts, &self.hashing))
            .collect();
        for (i, k) in keys.into_iter().enumerate() {
            let row_no = batch.first_row + i as u64;
            self.add_keys(&table.name, row_no, k);
        }
        Ok(())
    }

    /// Adds one row's keys (`row_no` names customers when there is no id column).
    pub fn add_keys(&mut self, table: &str, row_no: u64, k: RowKeys) {
        self.stats.rows += 1;
        let updated = k.updated.as_deref().and_then(dates::parse_day);
        if let (Some(since), Some(u)) = (self.since, updated) {
            if u < since {
                self.stats.rows_before_since += 1;
                return;
            }
        }
        if k.ids.is_empty() {
            self.stats.rows_without_identifier += 1;
            if k.customer_id.is_none() {
                return;
            }
        }
        let id = k.customer_id.unwrap_or_else(|| format!("{table}#{row_no}"));
        let ord = match self.by_id.get(&id) {
            Some(o) => *o,
            None => {
                let o = self.customers.len() as u32;
                self.customers.push(Customer {
                    id: id.clone(),
                    ..Default::default()
                });
                self.by_id.insert(id, o);
                self.stats.customers_added += 1;
                o
            }
        };
        if self.touched.insert(ord) && ord < self.base_customers {
            self.replaced.insert(ord);
            self.stats.customers_replaced += 1;
            let c = &mut self.customers[ord as usize];
            *c = Customer {
                id: std::mem::take(&mut c.id),
                ..Default::default()
            };
        }
        let tenant = k.tenant.map(|t| match self.tenant_ix.get(&t) {
            Some(i) => *i,
            None => {
                let i = self.tenants.len() as u32;
                self.tenants.push(t.clone());
                self.tenant_ix.insert(t, i);
                i
            }
        });
        let c = &mut self.customers[ord as usize];
        c.tenant = tenant.or(c.tenant);
        c.updated = match (c.updated, updated) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        for (dst, src) in [(&mut c.name, k.name), (&mut c.address, k.address)] {
            dst.extend(src);
            dst.sort_unstable();
            dst.dedup();
        }
        for (kind, hash) in k.ids {
            *self
                .header
                .by_kind
                .entry(kind.id().to_string())
                .or_default() += 1;
            self.entries.push((hash, ord));
        }
    }

    /// Number of customers so far.
    pub fn customer_count(&self) -> usize {
        self.customers.len()
    }

    /// Serialises the index.
    pub fn finish(mut self) -> Result<Vec<u8>, VerifyError> {
        if self.customers.is_empty() {
            return Err(VerifyError::EmptyReference("the reference yielded no customers with identifiers (empty table or query result?)".into()));
        }
        let replaced = std::mem::take(&mut self.replaced);
        let mut entries = std::mem::take(&mut self.old_entries);
        if !replaced.is_empty() {
            entries.retain(|(_, o)| !replaced.contains(o));
        }
        entries.append(&mut self.entries);
        entries.par_sort_unstable();
        entries.dedup();
        if self.base_customers > 0 {
            self.header.by_kind.clear();
            self.header
                .by_kind
                .insert("total".into(), entries.len() as u64);
        }
        let n = entries.len() as u64;
        let bits = if n < 64 {
            0
        } else {
            (63 - (n / 4).leading_zeros()).min(20)
        };
        let mut buckets = vec![0u64; (1usize << bits) + 1];
        for (h, _) in &entries {
            buckets[bucket_of(h, bits) + 1] += 1;
        }
        for i in 1..buckets.len() {
            buckets[i] += buckets[i - 1];
        }
        let mut cust = Vec::with_capacity(self.customers.len() * 24);
        let mut offsets = Vec::with_capacity(self.customers.len() / OFFSET_STRIDE * 8 + 8);
        for (i, c) in self.customers.iter().enumerate() {
            if i % OFFSET_STRIDE == 0 {
                offsets.extend_from_slice(&(cust.len() as u64).to_le_bytes());
            }
            codec::encode_customer(c, &mut cust);
        }
        let tenants = codec::encode_tenants(&self.tenants);
        let mut sections = Sections::default();
        let mut pos = 0u64;
        let mut place = |len: usize| {
            let s = Section {
                offset: pos,
                len: len as u64,
            };
            pos += (len as u64).div_ceil(8) * 8;
            s
        };
        sections.tenants = place(tenants.len());
        sections.customers = place(cust.len());
        sections.offsets = place(offsets.len());
        sections.buckets = place(buckets.len() * 8);
        sections.entries = place(entries.len() * ENTRY_BYTES);
        let h = &mut self.header;
        h.secret_fingerprint = self.hashing.fingerprint();
        h.built_at = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        h.entries = n;
        h.customers = self.customers.len() as u64;
        h.tenants = self.tenants.len() as u64;
        h.rows_read += self.stats.rows;
        h.max_updated = self
            .customers
            .iter()
            .filter_map(|c| c.updated)
            .max()
            .map(dates::format_day);
        h.bucket_bits = bits;
        h.sections = sections;
        let json =
            serde_json::to_vec(h).map_err(|e| VerifyError::Io(format!("index header: {e}")))?;
        let mut out = Vec::with_capacity(16 + json.len() + pos as usize);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(json.len() as u32).to_le_bytes());
        out.extend_from_slice(&json);
        let pad = |out: &mut Vec<u8>| out.resize(out.len().div_ceil(8) * 8, 0);
        pad(&mut out);
        for part in [&tenants, &cust, &offsets] {
            out.extend_from_slice(part);
            pad(&mut out);
        }
        buckets
            .iter()
            .for_each(|b| out.extend_from_slice(&b.to_le_bytes()));
        pad(&mut out);
        for (hash, ord) in &entries {
            out.extend_from_slice(hash);
            out.extend_from_slice(&ord.to_le_bytes());
        }
        Ok(out)
    }

    /// Serialises the index and writes it atomically (temporary file in the same directory, then
    /// rename). Returns the file size.
    pub fn write(self, path: &Path) -> Result<u64, VerifyError> {
        let bytes = self.finish()?;
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let io = |e: std::io::Error| {
            VerifyError::Io(format!("cannot write index {}: {e}", path.display()))
        };
        let tmp = dir.join(format!(
            ".{}.tmp-{}",
            path.file_name().and_then(|n| n.to_str()).unwrap_or("index"),
            std::process::id()
        ));
        let mut f = std::fs::File::create(&tmp).map_err(io)?;
        let res = f.write_all(&bytes).and_then(|_| f.sync_all());
        if let Err(e) = res {
            let _ = std::fs::remove_file(&tmp);
            return Err(io(e));
        }
        std::fs::rename(&tmp, path).map_err(io)?;
        Ok(bytes.len() as u64)
    }
}
