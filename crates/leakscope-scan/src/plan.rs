//! The per-table plan: each column's class decided once from a bounded sample of the first rows,
//! plus the column roles the workers need (identifier keys, timestamps, passwords, tenant).

use leakscope_detect::{ColumnVerdict, DataClass, TableSample};
use leakscope_formats::{RowBatch, TableInfo};
use std::sync::Arc;

use crate::classes::{checked_per_cell, KEY_CLASSES};
use crate::memo::{confirm, Remembered};
use crate::oracle::{Classifier, ColumnCheck};

/// Examples kept per column.
pub const EXAMPLES_PER_COLUMN: usize = 3;

/// One column's decision.
#[derive(Debug, Clone)]
pub struct ColumnPlan {
    /// Header or `col_N`.
    pub name: String,
    /// The detector's verdict from the sample.
    pub verdict: ColumnVerdict,
    /// Whether every cell goes through `check_value`.
    pub checked: bool,
    /// Up to three examples, masked unless revealing.
    pub examples: Vec<String>,
    /// How its cells are checked (resolved once).
    pub check: ColumnCheck,
}

/// Everything workers need to process a table's rows.
#[derive(Debug, Clone)]
pub struct TablePlan {
    /// Index of the table in the scanner's table list.
    pub index: usize,
    /// Columns in order.
    pub columns: Vec<ColumnPlan>,
    /// Identifier columns, strongest kind first: `(column, key kind index into KEY_CLASSES)`.
    pub key_cols: Vec<(usize, usize)>,
    /// Event-timestamp columns.
    pub ts_cols: Vec<usize>,
    /// Password and password-hash columns.
    pub pw_cols: Vec<usize>,
    /// Address columns (country signal of last resort).
    pub address_cols: Vec<usize>,
    /// Person-name columns (people by names when a table has no identifier column).
    pub name_cols: Vec<usize>,
    /// Date-of-birth columns (part of a name-based person key).
    pub dob_cols: Vec<usize>,
    /// The tenant column, if any.
    pub tenant_col: Option<usize>,
    /// Another merchant column of the table (a shop's name beside its id), shown next to each
    /// tenant.
    pub tenant_label_col: Option<usize>,
    /// Checked columns with no other role (cards): validation counts only.
    pub other_checked: Vec<usize>,
    /// How address cells are checked for a country (the same for every table of a scan).
    pub address_check: Arc<ColumnCheck>,
}

impl TablePlan {
    /// Decides every column of `table` from the first `sample_rows` rows of the buffered
    /// `sample` batches (exactly that many whatever the batch sizes, so the decision does not
    /// depend on how the reader cut the input).
    pub fn decide(
        index: usize,
        table: &TableInfo,
        format: Option<&str>,
        sample: &[RowBatch],
        sample_rows: usize,
        classifier: &dyn Classifier,
        reveal: bool,
    ) -> TablePlan {
        let address = Arc::new(classifier.prepare(DataClass::Address, None));
        Self::decide_with(
            index,
            table,
            format,
            sample,
            sample_rows,
            classifier,
            reveal,
            None,
            &address,
        )
    }

    /// The plan of a table whose headers grew after `previous` was decided: the columns
    /// `previous` has keep their decisions, the new ones are decided from `sample` (rows read
    /// since the headers grew).
    #[allow(clippy::too_many_arguments)]
    pub fn extend(
        previous: &TablePlan,
        table: &TableInfo,
        format: Option<&str>,
        sample: &[RowBatch],
        sample_rows: usize,
        classifier: &dyn Classifier,
        reveal: bool,
    ) -> TablePlan {
        let address = Arc::clone(&previous.address_check);
        Self::decide_with(
            previous.index,
            table,
            format,
            sample,
            sample_rows,
            classifier,
            reveal,
            Some(previous),
            &address,
        )
    }

    /// [`TablePlan::decide`] keeping the columns of `keep` (a plan made before the headers
    /// grew) and with the scan's shared address check.
    #[allow(clippy::too_many_arguments)]
    pub fn decide_with(
        index: usize,
        table: &TableInfo,
        format: Option<&str>,
        sample: &[RowBatch],
        sample_rows: usize,
        classifier: &dyn Classifier,
        reveal: bool,
        keep: Option<&TablePlan>,
        address_check: &Arc<ColumnCheck>,
    ) -> TablePlan {
        Self::decide_inner(
            index,
            table,
            format,
            sample,
            sample_rows,
            classifier,
            reveal,
            keep,
            address_check,
            None,
            false,
        )
        .0
    }

    /// [`TablePlan::decide`] with the scan's shared address check; with `known` (the decision
    /// of an earlier table of the same shape, see [`crate::memo`]) the table keeps that decision
    /// when its own values confirm it ([`confirm`]), else it is decided on its whole sample.
    /// With `remember` (the first table of its shape), also what later tables of the shape are
    /// confirmed against.
    #[allow(clippy::too_many_arguments)]
    pub fn decide_remembered(
        index: usize,
        table: &TableInfo,
        format: Option<&str>,
        sample: &[RowBatch],
        sample_rows: usize,
        classifier: &dyn Classifier,
        reveal: bool,
        address_check: &Arc<ColumnCheck>,
        known: Option<&Remembered>,
        remember: bool,
    ) -> (TablePlan, Option<Remembered>) {
        Self::decide_inner(
            index,
            table,
            format,
            sample,
            sample_rows,
            classifier,
            reveal,
            None,
            address_check,
            known,
            remember,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn decide_inner(
        index: usize,
        table: &TableInfo,
        format: Option<&str>,
        sample: &[RowBatch],
        sample_rows: usize,
        classifier: &dyn Classifier,
        reveal: bool,
        keep: Option<&TablePlan>,
        address_check: &Arc<ColumnCheck>,
        known: Option<&Remembered>,
        remember: bool,
    ) -> (TablePlan, Option<Remembered>) {
        let sample_rows = sample_rows.max(1);
        let rows = || sample.iter().flat_map(|b| b.rows()).take(sample_rows);
        let width = rows()
            .map(|r| r.len())
            .max()
            .unwrap_or(0)
            .max(table.headers.len());
        // Row-aligned values: the table decision looks across columns of the same row (the
        // country column a phone belongs to, combolist fields).
        let n = rows().count();
        let mut columns: Vec<Vec<&str>> = (0..width).map(|_| Vec::with_capacity(n)).collect();
        for r in rows() {
            for (c, col) in columns.iter_mut().enumerate() {
                col.push(r.get(c).map(leakscope_detect::text::trim).unwrap_or(""));
            }
        }
        let headers: Vec<String> = (0..width)
            .map(|c| {
                table
                    .headers
                    .get(c)
                    .cloned()
                    .unwrap_or_else(|| format!("col_{}", c + 1))
            })
            .collect();
        let sample_of = |columns: &[Vec<&str>]| -> Vec<leakscope_detect::ColumnVerdict> {
            classifier.classify_table(&TableSample {
                name: &table.name,
                format,
                headers: &headers,
                has_header_row: table.has_header_row,
                columns,
            })
        };
        let confirmed = known.and_then(|k| confirm(k, &columns, classifier));
        let verdicts = match confirmed {
            Some(v) => v,
            None => sample_of(&columns),
        };
        let remembered =
            remember.then(|| Remembered::new(&table.name, verdicts.clone(), &columns, classifier));
        let columns: Vec<ColumnPlan> = verdicts
            .into_iter()
            .enumerate()
            .map(|(c, verdict)| {
                // Columns decided before the headers grew keep their decision.
                if let Some(kept) = keep.and_then(|k| k.columns.get(c)) {
                    return kept.clone();
                }
                let values: &[&str] = columns.get(c).map_or(&[], Vec::as_slice);
                let checked = checked_per_cell(verdict.class);
                let examples = pick_examples(&verdict, checked, values, classifier, reveal);
                let check = classifier.prepare(verdict.class, verdict.kind.as_deref());
                ColumnPlan {
                    name: headers[c].clone(),
                    verdict,
                    checked,
                    examples,
                    check,
                }
            })
            .collect();
        (
            Self::from_columns(index, columns, address_check),
            remembered,
        )
    }

    /// The plan of decided `columns`: the column roles the workers need (identifier keys,
    /// timestamps, passwords, tenant...) follow from their classes.
    pub fn from_columns(
        index: usize,
        columns: Vec<ColumnPlan>,
        address_check: &Arc<ColumnCheck>,
    ) -> TablePlan {
        let mut key_cols = Vec::new();
        for (k, kc) in KEY_CLASSES.iter().enumerate() {
            for (i, c) in columns.iter().enumerate() {
                if c.verdict.class == *kc {
                    key_cols.push((i, k));
                }
            }
        }
        let of = |class: DataClass| -> Vec<usize> {
            columns
                .iter()
                .enumerate()
                .filter(|(_, c)| c.verdict.class == class)
                .map(|(i, _)| i)
                .collect()
        };
        let ts_cols = of(DataClass::Timestamp);
        let mut pw_cols = of(DataClass::PasswordHash);
        pw_cols.extend(of(DataClass::Password));
        let address_cols = of(DataClass::Address);
        let name_cols = of(DataClass::PersonName);
        let dob_cols = of(DataClass::DateOfBirth);
        let merchants = of(DataClass::Merchant);
        let tenant_col = merchants.first().copied();
        let tenant_label_col = merchants.get(1).copied();
        let other_checked = columns
            .iter()
            .enumerate()
            .filter(|(i, c)| {
                c.checked
                    && !key_cols.iter().any(|k| k.0 == *i)
                    && !ts_cols.contains(i)
                    && !pw_cols.contains(i)
            })
            .map(|(i, _)| i)
            .collect();
        TablePlan {
            index,
            columns,
            key_cols,
            ts_cols,
            pw_cols,
            address_cols,
            name_cols,
            dob_cols,
            tenant_col,
            tenant_label_col,
            other_checked,
            address_check: Arc::clone(address_check),
        }
    }
}

/// Up to three distinct examples of the non-empty `values`, valid ones first, masked unless
/// `reveal`.
fn pick_examples(
    verdict: &ColumnVerdict,
    checked: bool,
    values: &[&str],
    classifier: &dyn Classifier,
    reveal: bool,
) -> Vec<String> {
    let mut picked: Vec<&str> = Vec::new();
    let values = || values.iter().copied().filter(|x| !x.is_empty());
    if checked {
        for v in values().take(2_000) {
            if picked.len() == EXAMPLES_PER_COLUMN {
                break;
            }
            if !picked.contains(&v)
                && classifier
                    .check_value(verdict.class, verdict.kind.as_deref(), v)
                    .is_some()
            {
                picked.push(v);
            }
        }
    }
    for v in values() {
        if picked.len() == EXAMPLES_PER_COLUMN {
            break;
        }
        if !picked.contains(&v) {
            picked.push(v);
        }
    }
    picked
        .into_iter()
        .map(|v| {
            if reveal {
                v.to_string()
            } else {
                safe_mask(classifier, verdict.class, v)
            }
        })
        .collect()
}

/// Masks with the classifier, and hides everything if the mask would show the value unchanged.
pub fn safe_mask(classifier: &dyn Classifier, class: DataClass, v: &str) -> String {
    let m = classifier.mask(class, v);
    if m == v {
        "•".repeat(v.chars().count().clamp(1, 8))
    } else {
        m
    }
}
