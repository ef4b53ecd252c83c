//! Counting rows under a plan into a [`Partial`]: batch by batch, or as a reading [`Sink`].

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use leakscope_formats::{
    read_paths, Diagnostic, Flow, ReadOptions, ReadSummary, RowBatch, Severity, Sink, SourceInfo,
    TableInfo, TableStats,
};

use super::{Partial, PartialError, ScanPlan};
use crate::hll::IdBuild;
use crate::keyset::KeySet;
use crate::oracle::Classifier;
use crate::plan::TablePlan;
use crate::scanner::BuiltinDetectors;
use crate::worker::{Ctx, Partial as Counts};

/// Counts rows under a [`ScanPlan`] (on the calling thread) into a [`Partial`].
pub struct PartialScan {
    fingerprint: u64,
    exact_limit: u64,
    seed: u64,
    plans: Vec<Arc<TablePlan>>,
    classifier: Arc<dyn Classifier>,
    counts: Counts,
    /// Stands in for the scanner's shared people set: the keys of each batch are read back
    /// from the counts instead (with their countries), so it holds nothing.
    no_people: KeySet,
    people: Option<HashMap<u64, Option<&'static str>, IdBuild>>,
    names: KeySet,
    out: Partial,
    /// Reader table id → plan table index (`None`: not in the plan).
    by_id: HashMap<u32, Option<usize>>,
    /// (source, name) of each plan table.
    names_of: Vec<(String, String)>,
    unplanned_rows: HashMap<u32, u64>,
}

impl PartialScan {
    /// A scan under `plan` with the built-in detectors.
    pub fn new(plan: &ScanPlan) -> Result<PartialScan, PartialError> {
        Self::with_classifier(plan, Arc::new(BuiltinDetectors))
    }

    /// A scan under `plan` with `classifier` (the one the plan was decided with).
    pub fn with_classifier(
        plan: &ScanPlan,
        classifier: Arc<dyn Classifier>,
    ) -> Result<PartialScan, PartialError> {
        let plans = plan.table_plans(classifier.as_ref())?;
        let no_people = KeySet::new(0);
        // Overflow it now: it then ignores every batch.
        no_people.insert_batch(&mut [(1, 0)], |_| {});
        Ok(PartialScan {
            fingerprint: plan.fingerprint(),
            exact_limit: plan.exact_individuals_limit,
            seed: plan.seed,
            plans,
            classifier,
            counts: Counts::default(),
            no_people,
            people: Some(HashMap::default()),
            names: KeySet::new(plan.exact_individuals_limit),
            out: Partial::empty(plan),
            by_id: HashMap::new(),
            names_of: plan
                .tables
                .iter()
                .map(|t| (t.source.clone(), t.name.clone()))
                .collect(),
            unplanned_rows: HashMap::new(),
        })
    }

    /// Number of tables in the plan.
    pub fn tables(&self) -> usize {
        self.plans.len()
    }

    /// Counts one batch of plan table `table`.
    pub fn add_batch(&mut self, table: usize, batch: &RowBatch) -> Result<(), PartialError> {
        let plan = self.plans.get(table).cloned().ok_or_else(|| {
            PartialError::Malformed(format!(
                "table {table} is not in the plan ({} tables)",
                self.plans.len()
            ))
        })?;
        let ctx = Ctx {
            classifier: self.classifier.as_ref(),
            keyset: &self.no_people,
            names: &self.names,
            seed: self.seed,
        };
        self.counts.process(&plan, batch, &ctx);
        if let Some(people) = &mut self.people {
            for (k, country) in self.counts.last_batch_keys() {
                // A person's country: the smallest code any of their rows placed them in (the
                // same rule as the merge, so how rows are split over partials does not matter).
                let e = people.entry(k).or_insert(country);
                if let Some(c) = country {
                    if e.is_none_or(|m| c < m) {
                        *e = Some(c);
                    }
                }
            }
            if people.len() as u64 > self.exact_limit {
                self.people = None;
            }
        }
        Ok(())
    }

    /// Counts rows given as cells (a convenience for bindings: builds the batch).
    pub fn add_rows<R, S>(&mut self, table: usize, rows: R) -> Result<(), PartialError>
    where
        R: IntoIterator,
        R::Item: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut batch = RowBatch::new(1);
        for row in rows {
            for cell in row {
                batch.push_field(cell.as_ref());
            }
            batch.end_row();
            if batch.len() >= 4096 {
                self.add_batch(table, &batch)?;
                batch.clear(1);
            }
        }
        if !batch.is_empty() {
            self.add_batch(table, &batch)?;
        }
        Ok(())
    }

    /// Records a source read (for the profile's source list).
    pub fn add_source(&mut self, source: &SourceInfo) {
        self.out.add_source(source);
    }

    /// Records a reader diagnostic.
    pub fn add_diagnostic(&mut self, d: &Diagnostic) {
        self.out.add_diagnostic(d);
    }

    /// Records rows the reader skipped in plan table `table`.
    pub fn add_rows_skipped(&mut self, table: usize, rows: u64) {
        self.out.add_table_skipped(table, rows);
    }

    /// The partial counted so far.
    pub fn finish(mut self) -> Partial {
        let mut open: Vec<(u32, u64)> = self.unplanned_rows.drain().collect();
        open.sort_unstable();
        for (id, rows) in open {
            // A table not in the plan whose end never came (the reader stopped inside it).
            let d = unplanned(String::new(), format!("table #{id}"), rows, 0);
            self.add_diagnostic(&d);
        }
        let mut out = Partial::from_counts(self.fingerprint, self.exact_limit, self.counts);
        let people = self.people.map(|m| {
            m.into_iter()
                .map(|(k, c)| (k, c.map(str::to_string)))
                .collect::<BTreeMap<_, _>>()
        });
        let names = (!self.names.overflowed()).then(|| self.names.keys());
        out.set_keys(people, names);
        out.merge(self.out)
            .expect("sources and diagnostics are recorded under the same plan");
        out
    }

    fn index_of(&mut self, table: &TableInfo) -> Option<usize> {
        if let Some(&i) = self.by_id.get(&table.id) {
            return i;
        }
        // Reader ids differ between reads: tables are matched by source and name.
        let i = self
            .names_of
            .iter()
            .position(|(source, name)| *source == table.source && *name == table.name);
        self.by_id.insert(table.id, i);
        i
    }
}

/// The diagnostic of a table the plan does not have.
fn unplanned(source: String, table: String, rows: u64, skipped: u64) -> Diagnostic {
    Diagnostic {
        severity: Severity::Warning,
        code: "table-not-planned".into(),
        message: format!(
            "table not in the scan plan (it was not in the sample the plan was made from): \
             its {rows} rows were not counted"
        ),
        source,
        table: Some(table),
        line: None,
        offset: None,
        rows_skipped: rows + skipped,
    }
}

impl Sink for PartialScan {
    fn begin_source(&mut self, source: &SourceInfo) {
        self.add_source(source);
    }

    fn begin_table(&mut self, table: &TableInfo) {
        self.index_of(table);
    }

    fn rows(&mut self, table: &TableInfo, batch: RowBatch) -> Flow {
        match self.index_of(table) {
            Some(i) => {
                // The index comes from the plan: always in range.
                let _ = self.add_batch(i, &batch);
            }
            None => *self.unplanned_rows.entry(table.id).or_insert(0) += batch.len() as u64,
        }
        leakscope_formats::recycle(batch);
        Flow::Continue
    }

    fn end_table(&mut self, table: &TableInfo, stats: &TableStats) {
        match self.index_of(table) {
            Some(i) => self.add_rows_skipped(i, stats.rows_skipped),
            None => {
                let rows = self.unplanned_rows.remove(&table.id).unwrap_or(0);
                let d = unplanned(
                    table.source.clone(),
                    table.name.clone(),
                    rows,
                    stats.rows_skipped,
                );
                self.add_diagnostic(&d);
            }
        }
    }

    fn diagnostic(&mut self, d: &Diagnostic) {
        self.add_diagnostic(d);
    }
}

/// Reads `paths` and counts every table of `plan` in them into a [`Partial`] (built-in
/// detectors). Tables the plan does not have are reported (`table-not-planned`) and their rows
/// counted as skipped.
pub fn scan_paths_partial(
    plan: &ScanPlan,
    paths: &[PathBuf],
    read: &ReadOptions,
) -> Result<(Partial, ReadSummary), PartialError> {
    let mut scan = PartialScan::new(plan)?;
    let summary = read_paths(paths, read, &mut scan);
    Ok((scan.finish(), summary))
}
