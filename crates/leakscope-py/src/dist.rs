//! The building blocks of distributed scans: plans, partials, merge, finish, and record-aligned
//! byte ranges of big files.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;

use leakscope_formats::{read_bytes, Flow, RowBatch, Sink, SourceInfo, TableInfo};
use leakscope_scan::partial::{
    finish as finish_profile, plan_paths, scan_paths_partial, Partial, PartialScan, SampledTable,
    ScanPlan,
};
use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::prelude::*;
use serde_json::json;

use crate::opts::{existing_paths, partial_err, scan_err, to_json, Options};

fn plan_of(json: &str) -> PyResult<ScanPlan> {
    ScanPlan::from_json(json).map_err(partial_err)
}

fn partial_of(json: &str) -> PyResult<Partial> {
    Partial::from_json(json).map_err(partial_err)
}

/// A batch from columns of cells (`None` is an empty cell); ragged columns are padded.
fn batch_of_columns(columns: &[Vec<Option<String>>]) -> RowBatch {
    let rows = columns.iter().map(Vec::len).max().unwrap_or(0);
    let mut b = RowBatch::new(1);
    for r in 0..rows {
        for c in columns {
            b.push_field(c.get(r).and_then(|v| v.as_deref()).unwrap_or(""));
        }
        b.end_row();
    }
    b
}

/// A plan decided from the first rows of every table in `paths` (`leakscope.plan/1` JSON);
/// reading stops after `stop_after_bytes` of cell text when given.
#[pyfunction]
#[pyo3(signature = (paths, options="{}", stop_after_bytes=None))]
pub fn plan_from_paths(
    py: Python<'_>,
    paths: Vec<String>,
    options: &str,
    stop_after_bytes: Option<u64>,
) -> PyResult<String> {
    let o = Options::parse(options)?;
    let paths = existing_paths(&paths)?;
    let (scan, read) = (o.scan(), o.read());
    let plan = py
        .allow_threads(|| plan_paths(&paths, &read, &scan, stop_after_bytes))
        .map_err(scan_err)?;
    Ok(plan.to_json())
}

/// A plan from sampled tables given as `(name, headers, columns)` with `columns` a list of
/// columns of cells; every table's source is `source`.
#[pyfunction]
#[pyo3(signature = (tables, options="{}", source="dataframe"))]
#[allow(clippy::type_complexity)]
pub fn plan_from_rows(
    py: Python<'_>,
    tables: Vec<(String, Vec<String>, Vec<Vec<Option<String>>>)>,
    options: &str,
    source: &str,
) -> PyResult<String> {
    let o = Options::parse(options)?;
    let scan = o.scan();
    let sampled: Vec<SampledTable> = tables
        .into_iter()
        .enumerate()
        .map(|(i, (name, headers, columns))| SampledTable {
            info: TableInfo {
                id: i as u32,
                name,
                source: source.to_string(),
                headers,
                has_header_row: true,
            },
            format: Some("dataframe".into()),
            batches: vec![batch_of_columns(&columns)],
        })
        .collect();
    let plan = py
        .allow_threads(|| ScanPlan::decide(&sampled, &scan))
        .map_err(scan_err)?;
    Ok(plan.to_json())
}

/// The plan's tables as `(source, name, headers)`.
#[pyfunction]
pub fn plan_tables(plan: &str) -> PyResult<Vec<(String, String, Vec<String>)>> {
    let plan = plan_of(plan)?;
    Ok(plan
        .tables
        .into_iter()
        .map(|t| (t.source, t.name, t.headers))
        .collect())
}

/// Counts columns of cells of plan table `table` into a partial (`leakscope.partial/1` JSON).
#[pyfunction]
pub fn scan_partial_rows(
    py: Python<'_>,
    plan: &str,
    table: usize,
    columns: Vec<Vec<Option<String>>>,
) -> PyResult<String> {
    let plan = plan_of(plan)?;
    let p = py.allow_threads(
        || -> Result<Partial, leakscope_scan::partial::PartialError> {
            let mut s = PartialScan::new(&plan)?;
            if let Some(t) = plan.tables.get(table) {
                s.add_source(&SourceInfo {
                    path: t.source.clone(),
                    format: t.format.clone().unwrap_or_else(|| "dataframe".into()),
                    encoding: None,
                    bytes: 0,
                    compression: Vec::new(),
                });
            }
            s.add_batch(table, &batch_of_columns(&columns))?;
            Ok(s.finish())
        },
    );
    Ok(p.map_err(partial_err)?.to_json())
}

/// Counts batches of in-memory columns under a plan, across calls, into one partial (what a
/// Spark task keeps while it consumes its Arrow batches).
#[pyclass(module = "leakscope._native")]
pub struct Counter {
    scan: Option<PartialScan>,
    sources: Vec<SourceInfo>,
    plan: ScanPlan,
}

#[pymethods]
impl Counter {
    /// A counter under `plan` (`leakscope.plan/1` JSON).
    #[new]
    fn new(plan: &str) -> PyResult<Counter> {
        let plan = plan_of(plan)?;
        Ok(Counter {
            scan: Some(PartialScan::new(&plan).map_err(partial_err)?),
            sources: Vec::new(),
            plan,
        })
    }

    /// Counts columns of cells (`None` = empty) of plan table `table`.
    fn add_columns(
        &mut self,
        py: Python<'_>,
        table: usize,
        columns: Vec<Vec<Option<String>>>,
    ) -> PyResult<()> {
        let scan = self
            .scan
            .as_mut()
            .ok_or_else(|| PyValueError::new_err("the counter is finished"))?;
        if let Some(t) = self.plan.tables.get(table) {
            if !self.sources.iter().any(|s| s.path == t.source) {
                let src = SourceInfo {
                    path: t.source.clone(),
                    format: t.format.clone().unwrap_or_else(|| "dataframe".into()),
                    encoding: None,
                    bytes: 0,
                    compression: Vec::new(),
                };
                scan.add_source(&src);
                self.sources.push(src);
            }
        }
        py.allow_threads(|| scan.add_batch(table, &batch_of_columns(&columns)))
            .map_err(partial_err)
    }

    /// The partial counted (`leakscope.partial/1` JSON); the counter is then finished.
    fn finish(&mut self) -> PyResult<String> {
        let scan = self
            .scan
            .take()
            .ok_or_else(|| PyValueError::new_err("the counter is finished"))?;
        Ok(scan.finish().to_json())
    }
}

/// Reads `paths` and counts them under `plan` into a partial.
#[pyfunction]
#[pyo3(signature = (plan, paths, options="{}"))]
pub fn scan_partial_paths(
    py: Python<'_>,
    plan: &str,
    paths: Vec<String>,
    options: &str,
) -> PyResult<String> {
    let plan = plan_of(plan)?;
    let o = Options::parse(options)?;
    let paths = existing_paths(&paths)?;
    let read = o.read();
    let (p, _) = py
        .allow_threads(|| scan_paths_partial(&plan, &paths, &read))
        .map_err(partial_err)?;
    Ok(p.to_json())
}

/// Counts the byte range `start..end` of the delimited or NDJSON file `path` under `plan`: a
/// range past the start is read with the file's header record (`0..header_end`) before it, so
/// it parses as the same table. The partial records the file's whole size.
#[pyfunction]
#[pyo3(signature = (plan, path, start, end, header_end=0, options="{}"))]
pub fn scan_partial_range(
    py: Python<'_>,
    plan: &str,
    path: String,
    start: u64,
    end: u64,
    header_end: u64,
    options: &str,
) -> PyResult<String> {
    let plan = plan_of(plan)?;
    let o = Options::parse(options)?;
    existing_paths(std::slice::from_ref(&path))?;
    if start > end || header_end > start && start > 0 {
        return Err(PyValueError::new_err(format!(
            "bad range {start}..{end} (header ends at {header_end})"
        )));
    }
    let read = o.read();
    let out = py.allow_threads(|| -> Result<Partial, PyErr> {
        let io = |e: std::io::Error| PyOSError::new_err(format!("{path}: {e}"));
        let mut f = File::open(&path).map_err(io)?;
        let size = f.metadata().map_err(io)?.len();
        let end = end.min(size);
        let mut data = Vec::with_capacity((end - start + header_end) as usize);
        if start > 0 && header_end > 0 {
            (&mut f)
                .take(header_end)
                .read_to_end(&mut data)
                .map_err(io)?;
        }
        f.seek(SeekFrom::Start(start)).map_err(io)?;
        f.take(end - start).read_to_end(&mut data).map_err(io)?;
        let mut s = PartialScan::new(&plan).map_err(partial_err)?;
        read_bytes(&path, &data, &read, &mut s);
        let mut p = s.finish();
        p.set_source_bytes(&path, size);
        Ok(p)
    })?;
    Ok(out.to_json())
}

/// Merges partials counted under the same plan into one.
#[pyfunction]
pub fn merge(py: Python<'_>, partials: Vec<String>) -> PyResult<String> {
    let out = py.allow_threads(|| -> PyResult<Partial> {
        let mut it = partials.iter();
        let first = it
            .next()
            .ok_or_else(|| PyValueError::new_err("no partials to merge"))?;
        let mut acc = partial_of(first)?;
        for p in it {
            acc.merge(partial_of(p)?).map_err(partial_err)?;
        }
        Ok(acc)
    })?;
    Ok(out.to_json())
}

/// The `leakscope.scan/1` profile (JSON) of partials counted under `plan`.
#[pyfunction]
pub fn finish(py: Python<'_>, plan: &str, partials: Vec<String>) -> PyResult<String> {
    let plan = plan_of(plan)?;
    let profile = py.allow_threads(|| -> PyResult<_> {
        let ps = partials
            .iter()
            .map(|p| partial_of(p))
            .collect::<PyResult<Vec<_>>>()?;
        finish_profile(&plan, ps).map_err(partial_err)
    })?;
    // As `leakscope scan --json` writes it: names that are identifiers masked unless revealing.
    Ok(leakscope_profile::render::json(&profile))
}

/// End of the first record (the header line) of a delimited buffer: after the first newline
/// outside quotes.
fn header_end(buf: &[u8]) -> Option<usize> {
    let mut quoted = false;
    for (i, &b) in buf.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => return Some(i + 1),
            _ => {}
        }
    }
    None
}

/// Offset just past the first newline at or after `from`, `None` when there is none.
fn next_newline(f: &mut File, from: u64, size: u64) -> std::io::Result<Option<u64>> {
    let mut at = from;
    let mut buf = vec![0u8; 64 << 10];
    while at < size {
        f.seek(SeekFrom::Start(at))?;
        let n = f.read(&mut buf)?;
        if n == 0 {
            break;
        }
        if let Some(i) = buf[..n].iter().position(|&b| b == b'\n') {
            return Ok(Some(at + i as u64 + 1));
        }
        at += n as u64;
    }
    Ok(None)
}

/// Record-aligned cuts of the delimited (or, with `quoting` off, line-based NDJSON) file
/// `path` into ranges of about `block_bytes`, with the parallel reader's own cutter: returns
/// `(header_end, starts)`, the ranges being `starts[i]..starts[i+1]` (the last one to the end).
/// With `quoting` (CSV/TSV, whose quoted fields may hold newlines) the file is read once, block
/// by block from its start, as the parallel reader does; without (NDJSON, or CSV known to have
/// no multi-line fields) each cut is the first newline past the block's end, found by seeking.
#[pyfunction]
#[pyo3(signature = (path, block_bytes, delimiter=",", quoting=true))]
pub fn record_cuts(
    py: Python<'_>,
    path: String,
    block_bytes: u64,
    delimiter: &str,
    quoting: bool,
) -> PyResult<(u64, Vec<u64>)> {
    let delim = match delimiter.as_bytes() {
        [b] => *b,
        _ => {
            return Err(PyValueError::new_err(
                "delimiter must be one ASCII character",
            ))
        }
    };
    existing_paths(std::slice::from_ref(&path))?;
    let block = block_bytes.max(4096) as usize;
    py.allow_threads(|| {
        let io = |e: std::io::Error| PyOSError::new_err(format!("{path}: {e}"));
        let mut f = File::open(&path).map_err(io)?;
        let size = f.metadata().map_err(io)?.len();
        let mut starts = vec![0u64];
        let mut head = vec![0u8; block.min(size as usize)];
        f.read_exact(&mut head).map_err(io)?;
        let hend = header_end(&head).unwrap_or(head.len()) as u64;
        let mut pos = 0u64;
        let mut buf = Vec::new();
        let mut want = block;
        while pos + (block as u64) < size {
            buf.clear();
            if quoting {
                f.seek(SeekFrom::Start(pos)).map_err(io)?;
                (&mut f)
                    .take(want as u64)
                    .read_to_end(&mut buf)
                    .map_err(io)?;
            }
            if pos + buf.len() as u64 >= size {
                break;
            }
            if !quoting {
                // Line-based: any newline ends a record, so the cut is the first newline at or
                // after the block's end, found without reading the block itself.
                match next_newline(&mut f, pos + block as u64, size).map_err(io)? {
                    Some(c) if c < size => {
                        pos = c;
                        starts.push(pos);
                        continue;
                    }
                    _ => break,
                }
            }
            match leakscope_formats::delimited_record_cut(&buf, quoting, delim) {
                Some(c) if c > 0 => {
                    pos += c as u64;
                    starts.push(pos);
                    want = block;
                }
                // A record longer than the block: look further.
                _ => want = want.saturating_mul(2),
            }
        }
        Ok((hend, starts))
    })
}

/// A sink that keeps the first source and table and stops.
#[derive(Default)]
struct Sniffer {
    source: Option<SourceInfo>,
    tables: Vec<String>,
    /// The delimited reader's dialect: (delimiter, header row).
    dialect: Option<(String, bool)>,
}

/// The dialect of a delimited source from the reader's `dialect` diagnostic
/// (`delimiter ',', header row: yes`).
fn dialect_of(message: &str) -> Option<(String, bool)> {
    let rest = message.strip_prefix("delimiter '")?;
    let (delim, rest) = rest.split_once("', header row: ")?;
    let delim = match delim {
        "\\t" => "\t".to_string(),
        "\\'" => "'".to_string(),
        d if d.chars().count() == 1 => d.to_string(),
        _ => return None,
    };
    Some((delim, rest.starts_with("yes")))
}

impl Sink for Sniffer {
    fn begin_source(&mut self, s: &SourceInfo) {
        if self.source.is_none() {
            self.source = Some(s.clone());
        }
    }

    fn begin_table(&mut self, t: &TableInfo) {
        self.tables.push(t.name.clone());
    }

    fn rows(&mut self, _t: &TableInfo, b: RowBatch) -> Flow {
        leakscope_formats::recycle(b);
        Flow::Stop
    }

    fn diagnostic(&mut self, d: &leakscope_formats::Diagnostic) {
        if d.code == "dialect" && self.dialect.is_none() {
            self.dialect = dialect_of(&d.message);
        }
    }
}

/// What the reader makes of `path` from its first rows: `{format, encoding, compression,
/// bytes, tables, delimiter, has_header}` as JSON.
#[pyfunction]
#[pyo3(signature = (path, options="{}"))]
pub fn sniff(py: Python<'_>, path: String, options: &str) -> PyResult<String> {
    let o = Options::parse(options)?;
    let paths: Vec<PathBuf> = existing_paths(std::slice::from_ref(&path))?;
    let read = o.read();
    let s = py.allow_threads(|| {
        let mut s = Sniffer::default();
        leakscope_formats::read_paths(&paths, &read, &mut s);
        s
    });
    let src = s.source;
    to_json(&json!({
        "format": src.as_ref().map(|s| s.format.clone()),
        "encoding": src.as_ref().and_then(|s| s.encoding.clone()),
        "compression": src.as_ref().map(|s| s.compression.clone()).unwrap_or_default(),
        "bytes": src.as_ref().map(|s| s.bytes),
        "tables": s.tables.len(),
        "delimiter": s.dialect.as_ref().map(|d| d.0.clone()),
        "has_header": s.dialect.as_ref().map(|d| d.1),
    }))
}
