//! Per-column-class cost of the scan's per-value work (issue 19), for `leakscope bench`.
//!
//! Reads the first rows of the bench input's first table, decides its plan as the scan does,
//! then times — on one thread, column by column — what a scan worker does with each cell: the
//! trim, fill count and distinct sketch every column gets, and the per-value check
//! (`check_cell`) the classes that need one get. Reported per class as nanoseconds per cell.

use anyhow::{bail, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use leakscope_detect::Detectors;
use leakscope_formats::{Flow, RowBatch, Sink, SourceInfo, TableInfo};
use leakscope_scan::hll::{fast_hash, Hll};
use leakscope_scan::plan::TablePlan;
use leakscope_scan::Classifier;

/// Rows of the first table measured.
pub const COST_ROWS: usize = 100_000;

/// The cost of one column class.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClassCost {
    /// Class id (`phone`, `email`, `none`, …).
    pub class: String,
    /// Columns of that class.
    pub columns: usize,
    /// Cells measured (all columns of the class).
    pub cells: u64,
    /// Nanoseconds per cell for trim + fill + distinct sketch.
    pub sketch_ns: f64,
    /// Nanoseconds per cell for the per-value check (0 when the class needs none).
    pub check_ns: f64,
    /// Share of the measured per-value time of the whole table, percent.
    pub share_pct: f64,
}

#[derive(Default)]
struct FirstTable {
    info: Option<TableInfo>,
    format: Option<String>,
    batches: Vec<RowBatch>,
    rows: usize,
}

impl Sink for FirstTable {
    fn begin_source(&mut self, source: &SourceInfo) {
        if self.format.is_none() {
            self.format = Some(source.format.to_string());
        }
    }

    fn begin_table(&mut self, table: &TableInfo) {
        if self.info.is_none() {
            self.info = Some(table.clone());
        }
    }

    fn rows(&mut self, table: &TableInfo, batch: RowBatch) -> Flow {
        if self.info.as_ref().is_some_and(|t| t.id == table.id) {
            self.rows += batch.len();
            self.batches.push(batch);
        }
        if self.rows >= COST_ROWS {
            Flow::Stop
        } else {
            Flow::Continue
        }
    }
}

/// Measures the per-class cost on the first [`COST_ROWS`] rows of `file`'s first table.
pub fn class_costs(file: &Path) -> Result<Vec<ClassCost>> {
    let mut sink = FirstTable::default();
    let opts = leakscope_formats::ReadOptions {
        threads: 1,
        ..Default::default()
    };
    leakscope_formats::read_paths(&[file.to_path_buf()], &opts, &mut sink);
    let Some(info) = sink.info.take() else {
        bail!("{}: no table read", file.display());
    };
    let det = Detectors::builtin();
    let plan = TablePlan::decide(
        0,
        &info,
        sink.format.as_deref(),
        &sink.batches,
        10_000,
        det,
        false,
    );
    let rows: Vec<Vec<&str>> = sink
        .batches
        .iter()
        .flat_map(|b| b.rows())
        .take(COST_ROWS)
        .map(|r| r.iter().collect())
        .collect();
    let trimmed: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.iter().map(|v| v.trim()).collect())
        .collect();
    let checked: Vec<usize> = plan
        .key_cols
        .iter()
        .map(|&(c, _)| c)
        .chain(plan.ts_cols.iter().copied())
        .chain(plan.pw_cols.iter().copied())
        .chain(plan.other_checked.iter().copied())
        .collect();
    // The row's country, worked out once per row (by the first column that needs it), as the
    // workers do.
    let mut row_country: Vec<Option<Option<&'static str>>> = vec![None; trimmed.len()];
    // (columns, cells, sketch ns, check ns) per class.
    let mut by_class: BTreeMap<&'static str, (usize, u64, f64, f64)> = BTreeMap::new();
    for (c, cp) in plan.columns.iter().enumerate() {
        let cells: Vec<&str> = rows
            .iter()
            .map(|r| r.get(c).copied().unwrap_or(""))
            .collect();
        let t = Instant::now();
        let mut hll = Hll::new(leakscope_scan::worker::COLUMN_HLL_P);
        let mut filled = 0u64;
        for v in &cells {
            let v = v.trim();
            if !v.is_empty() {
                filled += 1;
                hll.insert(fast_hash(v.as_bytes()));
            }
        }
        std::hint::black_box((filled, &hll));
        let sketch = t.elapsed().as_nanos() as f64;
        let mut check = 0.0;
        if checked.contains(&c) {
            let t = Instant::now();
            let mut valid = 0u64;
            for (r, known) in trimmed.iter().zip(row_country.iter_mut()) {
                let v = r.get(c).copied().unwrap_or("");
                if v.is_empty() {
                    continue;
                }
                let facts = match &cp.verdict.country {
                    Some(cc) => {
                        let rc = match cc.default {
                            Some(d) if Classifier::country_free(det, &cp.check, v) => Some(d),
                            _ => *known.get_or_insert_with(|| Classifier::row_country(det, cc, r)),
                        };
                        Classifier::check_cell_in(det, &cp.check, v, rc)
                    }
                    None => Classifier::check_cell(det, &cp.check, v),
                };
                valid += facts.is_some() as u64;
            }
            std::hint::black_box(valid);
            check = t.elapsed().as_nanos() as f64;
        }
        let e = by_class
            .entry(cp.verdict.class.id())
            .or_insert((0, 0, 0.0, 0.0));
        e.0 += 1;
        e.1 += cells.len() as u64;
        e.2 += sketch;
        e.3 += check;
    }
    let total: f64 = by_class.values().map(|e| e.2 + e.3).sum::<f64>().max(1.0);
    Ok(by_class
        .into_iter()
        .map(|(class, (columns, cells, sketch, check))| ClassCost {
            class: class.to_string(),
            columns,
            cells,
            sketch_ns: sketch / cells.max(1) as f64,
            check_ns: check / cells.max(1) as f64,
            share_pct: 100.0 * (sketch + check) / total,
        })
        .collect())
}
