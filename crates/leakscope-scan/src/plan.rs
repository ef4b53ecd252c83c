//! The per-table plan: each column's class decided once from a bounded sample of the first rows,
//! plus the column roles the workers need (identifier keys, timestamps, passwords, tenant).

use leakscope_detect::{ColumnVerdict, DataClass};
use leakscope_formats::{RowBatch, TableInfo};

use crate::classes::{checked_per_cell, KEY_CLASSES};
use crate::oracle::{Classifier, ColumnCheck};

/// Examples kept per column.
pub const EXAMPLES_PER_COLUMN: usize = 3;

/// Values a column is classified on when an earlier table of the scan already decided a column
/// of the same header: the earlier verdict is kept when these values, spread over the table's
/// sample, give the same class and kind (else the whole sample is classified). Dumps of many
/// tables repeat column names (`id`, `email`, `created_at`, whole per-tenant schemas), and
/// classifying every table's full sample was most of their scan time.
pub const CONFIRM_SAMPLE: usize = 24;

/// Below this many sampled values in all, a table's columns are classified on the calling
/// thread: spreading them over threads costs more than it saves.
const PARALLEL_MIN_VALUES: usize = 20_000;

/// What a column decided earlier in the scan under the same header was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decided {
    /// Its class.
    pub class: DataClass,
    /// Its kind.
    pub kind: Option<String>,
    /// The classes of a mixed column (e-mails and phones side by side), sorted.
    pub mixed: Vec<DataClass>,
}

impl Decided {
    /// What `v` decided.
    pub fn of(v: &ColumnVerdict) -> Decided {
        let mut mixed: Vec<DataClass> = v.mixed.iter().map(|m| m.0).collect();
        mixed.sort();
        Decided {
            class: v.class,
            kind: v.kind.clone(),
            mixed,
        }
    }

    /// `v`, made on a few values of another table, says the same: the same class and kind; or
    /// both mixed columns of the same classes (which class leads depends on the values drawn);
    /// or card columns whose leading brand differs (the kind of a card column is the brand most
    /// of its values have).
    pub fn agrees(&self, v: &ColumnVerdict) -> bool {
        let other = Decided::of(v);
        if !self.mixed.is_empty() && self.mixed == other.mixed {
            return true;
        }
        let cards = matches!(
            v.class,
            DataClass::PaymentCard | DataClass::PaymentCardPartial
        );
        self.class == other.class && (self.kind == other.kind || cards)
    }
}

/// A column decided earlier in the scan under the same header, if any.
pub type Prior = Option<Decided>;

/// `n` values spread evenly over `values` (all of them when there are not more).
fn spread<'a>(values: &[&'a str], n: usize) -> Vec<&'a str> {
    if values.len() <= n {
        return values.to_vec();
    }
    (0..n).map(|i| values[i * values.len() / n]).collect()
}

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
    /// The tenant column, if any.
    pub tenant_col: Option<usize>,
    /// Checked columns with no other role (cards): validation counts only.
    pub other_checked: Vec<usize>,
    /// How address cells are checked for a country (the same for every table of a scan).
    pub address_check: std::sync::Arc<ColumnCheck>,
}

impl TablePlan {
    /// Decides every column of `table` from the first `sample_rows` rows of the buffered
    /// `sample` batches (exactly that many whatever the batch sizes, so the decision does not
    /// depend on how the reader cut the input).
    pub fn decide(
        index: usize,
        table: &TableInfo,
        sample: &[RowBatch],
        sample_rows: usize,
        classifier: &dyn Classifier,
        reveal: bool,
    ) -> TablePlan {
        let address = std::sync::Arc::new(classifier.prepare(DataClass::Address, None));
        TablePlan::decide_with(
            index,
            table,
            sample,
            sample_rows,
            classifier,
            reveal,
            &[],
            &address,
        )
    }

    /// [`TablePlan::decide`] knowing, per column, the verdict of an earlier column of the same
    /// header (see [`CONFIRM_SAMPLE`]), with the scan's shared address check.
    #[allow(clippy::too_many_arguments)]
    pub fn decide_with(
        index: usize,
        table: &TableInfo,
        sample: &[RowBatch],
        sample_rows: usize,
        classifier: &dyn Classifier,
        reveal: bool,
        priors: &[Prior],
        address_check: &std::sync::Arc<ColumnCheck>,
    ) -> TablePlan {
        let sample_rows = sample_rows.max(1);
        let rows = || sample.iter().flat_map(|b| b.rows()).take(sample_rows);
        let width = rows()
            .map(|r| r.len())
            .max()
            .unwrap_or(0)
            .max(table.headers.len());
        // Columns are decided independently, so a large sample is spread over the cores (the
        // table's rows wait for this decision); a small one is not worth the threads.
        let sampled = rows().count() * width;
        let threads = if sampled < PARALLEL_MIN_VALUES {
            1
        } else {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
                .clamp(1, width.max(1))
        };
        let decide_column = |c: usize| -> ColumnPlan {
            let values: Vec<&str> = rows()
                .filter_map(|r| r.get(c).map(str::trim).filter(|v| !v.is_empty()))
                .collect();
            let name = table
                .headers
                .get(c)
                .cloned()
                .unwrap_or_else(|| format!("col_{}", c + 1));
            let header = if table.has_header_row && c < table.headers.len() {
                Some(name.as_str())
            } else {
                None
            };
            let confirmed = match (header, priors.get(c).cloned().flatten()) {
                (Some(h), Some(prior)) if values.len() > CONFIRM_SAMPLE => {
                    let v = classifier.classify_column(Some(h), &spread(&values, CONFIRM_SAMPLE));
                    prior.agrees(&v).then_some(v)
                }
                _ => None,
            };
            let verdict = confirmed.unwrap_or_else(|| classifier.classify_column(header, &values));
            let checked = checked_per_cell(verdict.class);
            let examples = pick_examples(&verdict, checked, &values, classifier, reveal);
            let check = classifier.prepare(verdict.class, verdict.kind.as_deref());
            ColumnPlan {
                name,
                verdict,
                checked,
                examples,
                check,
            }
        };
        let columns: Vec<ColumnPlan> = if threads <= 1 || width < 2 {
            (0..width).map(decide_column).collect()
        } else {
            let decide_column = &decide_column;
            let mut parts: Vec<Vec<(usize, ColumnPlan)>> = std::thread::scope(|s| {
                let handles: Vec<_> = (0..threads)
                    .map(|t| {
                        s.spawn(move || {
                            (t..width)
                                .step_by(threads)
                                .map(|c| (c, decide_column(c)))
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                    .collect()
            });
            let mut all: Vec<(usize, ColumnPlan)> = parts.drain(..).flatten().collect();
            all.sort_by_key(|(c, _)| *c);
            all.into_iter().map(|(_, p)| p).collect()
        };
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
        let tenant_col = of(DataClass::Merchant).first().copied();
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
            tenant_col,
            other_checked,
            address_check: std::sync::Arc::clone(address_check),
        }
    }
}

/// Up to three distinct examples, valid ones first, masked unless `reveal`.
fn pick_examples(
    verdict: &ColumnVerdict,
    checked: bool,
    values: &[&str],
    classifier: &dyn Classifier,
    reveal: bool,
) -> Vec<String> {
    let mut picked: Vec<&str> = Vec::new();
    if checked {
        for &v in values.iter().take(2_000) {
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
    for &v in values {
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
