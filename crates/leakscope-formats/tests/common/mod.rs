//! Shared test helpers: a sink that records everything.
#![allow(dead_code)]

use leakscope_formats::*;
use std::path::{Path, PathBuf};

/// One table as read back.
#[derive(Debug, Clone)]
pub struct Got {
    pub info: TableInfo,
    pub rows: Vec<Vec<String>>,
    pub stats: TableStats,
}

/// Records sources, tables, rows and diagnostics.
#[derive(Default, Debug)]
pub struct Collect {
    pub sources: Vec<SourceInfo>,
    pub tables: Vec<Got>,
    pub diags: Vec<Diagnostic>,
    pub batch_sizes: Vec<usize>,
}

impl Sink for Collect {
    fn begin_source(&mut self, s: &SourceInfo) {
        self.sources.push(s.clone());
    }
    fn begin_table(&mut self, t: &TableInfo) {
        self.tables.push(Got {
            info: t.clone(),
            rows: vec![],
            stats: TableStats::default(),
        });
    }
    fn headers_extended(&mut self, t: &TableInfo, from: usize) {
        let got = self
            .tables
            .iter_mut()
            .find(|g| g.info.id == t.id)
            .expect("extension of a begun table");
        assert_eq!(got.info.headers.len(), from, "headers grow at the end");
        assert!(t.headers.len() > from);
        got.info.headers = t.headers.clone();
    }
    fn rows(&mut self, t: &TableInfo, b: RowBatch) -> Flow {
        self.batch_sizes.push(b.len());
        let got = self
            .tables
            .iter_mut()
            .find(|g| g.info.id == t.id)
            .expect("batch for a begun table");
        assert_eq!(
            b.first_row,
            got.rows.len() as u64 + 1,
            "batches are contiguous"
        );
        for r in b.rows() {
            got.rows.push(r.iter().map(str::to_string).collect());
        }
        Flow::Continue
    }
    fn end_table(&mut self, t: &TableInfo, s: &TableStats) {
        let got = self
            .tables
            .iter_mut()
            .find(|g| g.info.id == t.id)
            .expect("end of a begun table");
        got.stats = s.clone();
    }
    fn diagnostic(&mut self, d: &Diagnostic) {
        self.diags.push(d.clone());
    }
}

impl Collect {
    /// Codes of all diagnostics except `dialect` infos.
    pub fn codes(&self) -> Vec<String> {
        self.diags
            .iter()
            .filter(|d| d.code != "dialect")
            .map(|d| d.code.clone())
            .collect()
    }
    /// The only table.
    pub fn one(&self) -> &Got {
        assert_eq!(
            self.tables.len(),
            1,
            "tables: {:?} diags: {:?}",
            self.tables.iter().map(|t| &t.info).collect::<Vec<_>>(),
            self.diags
        );
        &self.tables[0]
    }
}

/// Reads paths with options into a fresh collector.
pub fn read_with(paths: &[&Path], opts: &ReadOptions) -> (Collect, ReadSummary) {
    let mut c = Collect::default();
    let paths: Vec<PathBuf> = paths.iter().map(|p| p.to_path_buf()).collect();
    let s = read_paths(&paths, opts, &mut c);
    (c, s)
}

/// Reads one path with default options.
pub fn read(path: &Path) -> (Collect, ReadSummary) {
    read_with(&[path], &ReadOptions::default())
}

/// Owned rows from string slices.
pub fn rows(r: &[&[&str]]) -> Vec<Vec<String>> {
    r.iter()
        .map(|row| row.iter().map(|s| s.to_string()).collect())
        .collect()
}

/// Owned strings.
pub fn strs(r: &[&str]) -> Vec<String> {
    r.iter().map(|s| s.to_string()).collect()
}

/// A small deterministic generator (64-bit LCG).
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Everything a read delivered (summary, tables, rows, diagnostics) as comparable text.
pub fn fingerprint(c: &Collect, s: &ReadSummary) -> String {
    let mut out = format!("{s:?}\n");
    for t in &c.tables {
        out.push_str(&format!("{:?} {:?}\n", t.info, t.stats));
        for r in &t.rows {
            out.push_str(&format!("{r:?}\n"));
        }
    }
    for d in &c.diags {
        out.push_str(&format!("{d:?}\n"));
    }
    out
}

/// The first line where two fingerprints differ, for a failure message.
pub fn first_difference(sequential: &str, parallel: &str) -> String {
    sequential
        .lines()
        .zip(parallel.lines())
        .enumerate()
        .find(|(_, (x, y))| x != y)
        .map(|(i, (x, y))| format!("line {i}\nsequential: {x}\nparallel:   {y}"))
        .unwrap_or_else(|| format!("lengths {} vs {}", sequential.len(), parallel.len()))
}
