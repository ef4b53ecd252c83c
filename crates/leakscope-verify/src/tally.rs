//! Streaming the sample through the matcher and counting outcomes.

use crate::error::VerifyError;
use crate::index::Index;
use crate::keys::{row_keys, Hashing};
use crate::mapping::{ColumnMap, MapOptions};
use crate::matcher::{match_row, RowClass, RowOutcome};
use leakscope_formats::{RowBatch, TableInfo};
use rayon::prelude::*;
use std::collections::HashMap;

/// Per-customer hit counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CustomerHits {
    /// Rows attributed to the customer.
    pub rows: u32,
    /// Of which consistent.
    pub consistent: u32,
    /// Of which consistent but stale.
    pub stale: u32,
    /// Of which partial.
    pub partial: u32,
}

/// Counts over all sample rows.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// Sample rows read.
    pub rows: u64,
    /// Rows per class.
    pub no_identifier: u64,
    /// Rows with identifiers, none matching.
    pub unmatched: u64,
    /// Consistent rows.
    pub consistent: u64,
    /// Partial rows.
    pub partial: u64,
    /// Uncorroborated rows.
    pub uncorroborated: u64,
    /// Consistent rows with stale fields.
    pub stale: u64,
    /// Rows holding each identifier kind (email, phone, national id, username).
    pub kind_present: [u64; 4],
    /// Rows where that kind matched.
    pub kind_matched: [u64; 4],
    /// Hits per customer ordinal.
    pub customers: HashMap<u32, CustomerHits>,
    /// Column mapping per sample table (`table: header=role, ...`), for evidence.
    pub tables: Vec<String>,
}

impl Tally {
    /// Adds one row outcome.
    pub fn add(&mut self, o: &RowOutcome) {
        self.rows += 1;
        for b in 0..4 {
            self.kind_present[b] += u64::from(o.kinds_present >> b & 1);
            self.kind_matched[b] += u64::from(o.kinds_matched >> b & 1);
        }
        match o.class {
            RowClass::NoIdentifier => self.no_identifier += 1,
            RowClass::Unmatched => self.unmatched += 1,
            RowClass::Consistent => self.consistent += 1,
            RowClass::Partial => self.partial += 1,
            RowClass::Uncorroborated => self.uncorroborated += 1,
        }
        self.stale += u64::from(o.stale);
        if let Some(c) = o.customer {
            let h = self.customers.entry(c).or_default();
            h.rows += 1;
            h.consistent += u32::from(o.class == RowClass::Consistent);
            h.stale += u32::from(o.stale);
            h.partial += u32::from(o.class == RowClass::Partial);
        }
    }

    /// Rows with at least one identifier.
    pub fn informative(&self) -> u64 {
        self.rows - self.no_identifier
    }

    /// Rows whose identifiers matched a customer.
    pub fn matched(&self) -> u64 {
        self.consistent + self.partial + self.uncorroborated
    }
}

/// Matches sample batches against an index.
pub struct Verifier<'a> {
    index: &'a Index,
    hashing: &'a Hashing,
    opts: MapOptions,
    /// Lines of `tally.tables` to replace when a table whose headers grew is mapped again.
    pending_lines: HashMap<u32, usize>,
    /// Per table id: its column map and the index of its line in `tally.tables`.
    maps: HashMap<u32, (ColumnMap, usize)>,
    /// Counts so far.
    pub tally: Tally,
}

impl<'a> Verifier<'a> {
    /// A verifier over `index`, hashing sample identifiers with `hashing`.
    pub fn new(index: &'a Index, hashing: &'a Hashing, opts: MapOptions) -> Verifier<'a> {
        Verifier {
            index,
            hashing,
            opts,
            maps: HashMap::new(),
            pending_lines: HashMap::new(),
            tally: Tally::default(),
        }
    }

    /// The table's headers grew (keys first seen late): its columns are mapped again on the
    /// next batch, which has the new columns' values.
    pub fn headers_grew(&mut self, table: &TableInfo) {
        if let Some((_, line)) = self.maps.remove(&table.id) {
            self.pending_lines.insert(table.id, line);
        }
    }

    /// Matches a batch of sample rows (in parallel).
    pub fn add_batch(&mut self, table: &TableInfo, batch: &RowBatch) -> Result<(), VerifyError> {
        if !self.maps.contains_key(&table.id) {
            let n = batch.len().min(200);
            let samples: Vec<Vec<&str>> = (0..table.headers.len())
                .map(|c| (0..n).filter_map(|r| batch.row(r).get(c)).collect())
                .collect();
            let map = ColumnMap::resolve_table(&table.name, &table.headers, &samples, &self.opts);
            let line = format!(
                "{}: {}",
                leakscope_text::mask_identifiers(&table.name),
                map.describe(&table.headers)
            );
            let at = match self.pending_lines.remove(&table.id) {
                Some(at) => {
                    self.tally.tables[at] = line;
                    at
                }
                None => {
                    self.tally.tables.push(line);
                    self.tally.tables.len() - 1
                }
            };
            self.maps.insert(table.id, (map, at));
        }
        let map = &self.maps[&table.id].0;
        let (index, hashing, opts) = (self.index, self.hashing, &self.opts);
        let outcomes: Vec<RowOutcome> = (0..batch.len())
            .into_par_iter()
            .with_min_len(256)
            .map(|i| match_row(index, &row_keys(&batch.row(i), map, opts, hashing)))
            .collect();
        outcomes.iter().for_each(|o| self.tally.add(o));
        Ok(())
    }
}
