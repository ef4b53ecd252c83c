//! Table decisions remembered across the tables of one scan (issue 11, point 10).
//!
//! A dump of many tables repeats the same table shapes: the same headers under names that
//! differ by a suffix (`customer_3`, `customer_4`), or whole databases concatenated. Deciding
//! every column of every table on its full sample (up to 10,000 rows, every value against every
//! detector) made the decision the main per-table cost. A table whose shape — headers, header
//! row, format and the entity its name names (the only part of the name the table decision
//! reads) — was decided earlier in the scan is not decided again: its values are *checked
//! against the remembered decision* ([`confirm`]), on [`CONFIRM_ROWS`] rows spread over its
//! sample, with the decided class's own detectors only (one check per value, not fifty). When
//! every column agrees, the remembered verdicts stand (with this table's validation shares and
//! leading kind); else the table is decided on its whole sample as before. At most
//! [`MEMO_SHAPES`] shapes have a reference table.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex};

use leakscope_detect::{ColumnVerdict, DataClass};

use crate::classes::checked_per_cell;
use crate::oracle::Classifier;

/// Rows a remembered decision is confirmed on (spread over the sample).
pub const CONFIRM_ROWS: usize = 32;
/// Table shapes with a reference table per scan (later shapes are decided in full).
pub const MEMO_SHAPES: usize = 4096;

/// The identifier classes a column decided as something else must not turn out to hold: a
/// remembered `note` column full of e-mail addresses in this table is decided again.
const PROBED: [DataClass; 4] = [
    DataClass::Email,
    DataClass::Phone,
    DataClass::NationalId,
    DataClass::PaymentCard,
];

/// Share of a column's probed values that must validate as an identifier class the column was
/// not decided as — and by how much more than the reference's values did — before the table is
/// decided again.
const SURPRISE_SHARE: f64 = 0.5;
/// See [`SURPRISE_SHARE`].
const SURPRISE_GAIN: f64 = 0.3;

/// The non-empty values of `col` at rows `at`.
fn probed_values<'a>(col: &[&'a str], at: &[usize]) -> Vec<&'a str> {
    at.iter()
        .filter_map(|&i| col.get(i).copied())
        .filter(|x| !x.is_empty())
        .collect()
}

/// Share of `vals` validating as each class of [`PROBED`].
fn probe(vals: &[&str], classifier: &dyn Classifier) -> [f64; PROBED.len()] {
    PROBED.map(|c| share_of(c, vals, classifier))
}

/// Share of `vals` validating as `class` (0 for none).
fn share_of(class: DataClass, vals: &[&str], classifier: &dyn Classifier) -> f64 {
    if vals.is_empty() {
        return 0.0;
    }
    let hits = vals
        .iter()
        .filter(|x| classifier.check_value(class, None, x).is_some())
        .count();
    hits as f64 / vals.len() as f64
}

/// Share of the reference's validation share a checked column must keep.
const KEEP_SHARE: f64 = 0.7;

/// A reference table's decision, as later tables of its shape are confirmed against it.
#[derive(Debug, Clone, Default)]
pub struct Remembered {
    /// The reference table's name (named in confirmed verdicts' evidence).
    pub table: String,
    /// Its column verdicts, in order.
    pub columns: Vec<ColumnVerdict>,
    /// Whether each column had a non-empty value in the reference's sample.
    pub filled: Vec<bool>,
    /// Per column, the share of the reference's probed values that validate as each class of
    /// [`PROBED`] (what a later table's values are compared with).
    pub probes: Vec<[f64; PROBED.len()]>,
    /// Per column of a checked class, the share of the reference's probed values its own
    /// class's detectors validate (measured as a later table's are; see [`confirm`]).
    pub shares: Vec<Option<f64>>,
}

impl Remembered {
    /// What a reference table decided (`verdicts`) on its sampled `columns` (row-aligned,
    /// trimmed), as later tables of its shape are confirmed against it.
    pub fn new(
        table: &str,
        verdicts: Vec<ColumnVerdict>,
        columns: &[Vec<&str>],
        classifier: &dyn Classifier,
    ) -> Remembered {
        let at = spread_rows(columns.first().map_or(0, Vec::len), CONFIRM_ROWS);
        let probed: Vec<Vec<&str>> = columns.iter().map(|c| probed_values(c, &at)).collect();
        Remembered {
            table: table.to_string(),
            filled: columns
                .iter()
                .map(|c| c.iter().any(|x| !x.is_empty()))
                .collect(),
            probes: probed.iter().map(|v| probe(v, classifier)).collect(),
            shares: verdicts
                .iter()
                .zip(&probed)
                .map(|(v, vals)| check_column(v, vals, classifier).map(|c| c.share()))
                .collect(),
            columns: verdicts,
        }
    }

    /// Whether nothing was remembered (the reference's worker unwound).
    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }
}

/// Checks a table's sampled columns (row-aligned, trimmed) against `known`: the verdicts of a
/// table of the same shape. `None` when any column disagrees — its width differs; it is filled
/// where the reference's was empty or the reverse; fewer than [`KEEP_SHARE`] of the
/// reference's share of its values (measured the same way) validate as the remembered class
/// (either class of a mixed column); an identifier class it was not decided as validates on
/// [`SURPRISE_SHARE`] of its values and on [`SURPRISE_GAIN`] more of them than of the
/// reference's; or a remembered kind (ID kind, hash algorithm) is not the commonest kind of its
/// values (a card column's kind is its commonest brand, taken from this table's values).
pub fn confirm(
    known: &Remembered,
    columns: &[Vec<&str>],
    classifier: &dyn Classifier,
) -> Option<Vec<ColumnVerdict>> {
    if known.columns.len() != columns.len() {
        return None;
    }
    let rows = columns.first().map_or(0, Vec::len);
    let at = spread_rows(rows, CONFIRM_ROWS);
    known
        .columns
        .iter()
        .zip(&known.filled)
        .zip(&known.probes)
        .zip(&known.shares)
        .zip(columns)
        .map(|((((v, &filled), probes), &share), col)| {
            let vals = probed_values(col, &at);
            if vals.is_empty() == filled {
                return None;
            }
            confirm_column(v, probes, share, &vals, classifier, &known.table)
        })
        .collect()
}

/// One column of [`confirm`].
fn confirm_column(
    v: &ColumnVerdict,
    probes: &[f64; PROBED.len()],
    ref_share: Option<f64>,
    vals: &[&str],
    classifier: &dyn Classifier,
    reference: &str,
) -> Option<ColumnVerdict> {
    let mut out = v.clone();
    if vals.is_empty() {
        return Some(out);
    }
    // Identifier classes the column was not decided as must stay about as rare as they were
    // (the classes it was decided as are checked below).
    let decided = decided_classes(v);
    for (&c, &before) in PROBED.iter().zip(probes) {
        if !decided.contains(&c)
            && share_of(c, vals, classifier) >= (before + SURPRISE_GAIN).max(SURPRISE_SHARE)
        {
            return None;
        }
    }
    let Some(checked) = check_column(v, vals, classifier) else {
        out.evidence = format!("{}; as decided for table {reference}", v.evidence);
        return Some(out);
    };
    let share = checked.share();
    let ref_share = ref_share.unwrap_or(0.0);
    if share < ref_share * KEEP_SHARE {
        return None;
    }
    // The commonest kind, ties to the remembered one then by name (deterministic).
    let lead = checked
        .kinds
        .iter()
        .max_by(|a, b| {
            a.1.cmp(b.1)
                .then((Some(*a.0) == v.kind.as_deref()).cmp(&(Some(*b.0) == v.kind.as_deref())))
                .then(b.0.cmp(a.0))
        })
        .map(|(k, _)| *k);
    let cards = matches!(
        v.class,
        DataClass::PaymentCard | DataClass::PaymentCardPartial
    );
    match (lead, v.kind.as_deref()) {
        (Some(l), _) if cards => out.kind = Some(l.to_string()),
        (Some(l), Some(k)) if l != k => return None,
        _ => {}
    }
    let n = checked.n as f64;
    if !v.mixed.is_empty() {
        out.mixed = v
            .mixed
            .iter()
            .map(|&(c, _)| {
                (
                    c,
                    checked.per_class.get(&c).copied().unwrap_or(0) as f64 / n,
                )
            })
            .collect();
        out.mixed
            .sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        if let Some(&(c, _)) = out.mixed.first() {
            out.class = c;
        }
    }
    // The reference's share, scaled by how this table's values compare with its values under
    // the same check.
    if ref_share > 0.0 {
        out.validation_share = (v.validation_share * share / ref_share).min(1.0);
    }
    out.evidence = format!(
        "{}; as decided for table {reference}, {} of {} values checked here validate",
        v.evidence, checked.valid, checked.n
    );
    Some(out)
}

/// The classes a column was decided as (both of a mixed column).
fn decided_classes(v: &ColumnVerdict) -> Vec<DataClass> {
    if v.mixed.is_empty() {
        vec![v.class]
    } else {
        v.mixed.iter().map(|m| m.0).collect()
    }
}

/// A column's probed values checked with its decided classes' detectors.
struct Checked {
    n: usize,
    valid: usize,
    per_class: HashMap<DataClass, usize>,
    kinds: HashMap<&'static str, usize>,
}

impl Checked {
    fn share(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.valid as f64 / self.n as f64
        }
    }
}

/// Checks `vals` with the detectors of the classes `v` decided, when any of them is checked cell
/// by cell or an identifier class (`None` for other columns).
fn check_column(v: &ColumnVerdict, vals: &[&str], classifier: &dyn Classifier) -> Option<Checked> {
    let checked: Vec<DataClass> = decided_classes(v)
        .into_iter()
        .filter(|&c| checked_per_cell(c) || PROBED.contains(&c))
        .collect();
    if checked.is_empty() {
        return None;
    }
    let mut out = Checked {
        n: vals.len(),
        valid: 0,
        per_class: HashMap::new(),
        kinds: HashMap::new(),
    };
    for x in vals {
        let hit = checked.iter().find_map(|&c| {
            let kind = (c == v.class).then_some(v.kind.as_deref()).flatten();
            classifier.check_value(c, kind, x).map(|f| (c, f))
        });
        if let Some((c, f)) = hit {
            out.valid += 1;
            *out.per_class.entry(c).or_default() += 1;
            if c == v.class {
                if let Some(k) = f.kind {
                    *out.kinds.entry(k).or_default() += 1;
                }
            }
        }
    }
    Some(out)
}

/// The shape of a table, as far as its decision goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Shape {
    /// The entity the table's name names (`Some(Person)` for `customer_7`).
    pub entity: String,
    /// Source format.
    pub format: Option<String>,
    /// Headers as decided (`col_N` for missing ones).
    pub headers: Vec<String>,
    /// Whether the headers came from the data.
    pub has_header_row: bool,
}

impl Shape {
    /// The shape of a table named `name`.
    pub fn new(
        name: &str,
        format: Option<&str>,
        headers: &[String],
        has_header_row: bool,
    ) -> Shape {
        Shape {
            entity: format!("{:?}", leakscope_detect::context::table_entity(name)),
            format: format.map(str::to_string),
            headers: headers.to_vec(),
            has_header_row,
        }
    }
}

/// The decision of a shape's reference table: the first table of that shape in reading order
/// with more than [`CONFIRM_ROWS`] sample rows (decided on its whole sample). Tables of the same
/// shape read after it confirm against it, so which tables are confirmed — and so the profile —
/// does not depend on which worker finishes first.
#[derive(Debug, Default)]
pub struct Reference {
    decided: Mutex<Option<Remembered>>,
    ready: Condvar,
}

impl Reference {
    /// Publishes the reference table's decision (empty when it could not be made: then no
    /// table confirms against it).
    pub fn set(&self, decided: Remembered) {
        let mut g = self.decided.lock().unwrap_or_else(|e| e.into_inner());
        if g.is_none() {
            *g = Some(decided);
        }
        self.ready.notify_all();
    }

    /// Waits for the reference table's decision. The reference's decision job was queued
    /// before any job that waits here, so it is made or being made by another worker.
    pub fn wait(&self) -> Remembered {
        let mut g = self.decided.lock().unwrap_or_else(|e| e.into_inner());
        while g.is_none() {
            g = self.ready.wait(g).unwrap_or_else(|e| e.into_inner());
        }
        g.clone().unwrap_or_default()
    }
}

/// Publishes an empty decision if the reference table's worker unwinds before publishing, so
/// no worker waits for it forever.
pub struct PublishOnDrop<'a>(pub &'a Reference);

impl Drop for PublishOnDrop<'_> {
    fn drop(&mut self) {
        self.0.set(Remembered::default());
    }
}

/// `n` row indices spread evenly over `rows` rows (all of them when there are not more).
pub fn spread_rows(rows: usize, n: usize) -> Vec<usize> {
    if rows <= n {
        return (0..rows).collect();
    }
    (0..n).map(|i| i * rows / n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use leakscope_detect::{Detectors, TableSample};

    #[test]
    fn spread_covers_the_sample() {
        assert_eq!(spread_rows(3, 32), vec![0, 1, 2]);
        let s = spread_rows(10_000, 32);
        assert_eq!(s.len(), 32);
        assert_eq!(s[0], 0);
        assert!(*s.last().unwrap() >= 9_000);
        assert!(s.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn shapes_ignore_the_name_but_not_its_entity_or_format() {
        let h = vec!["email".to_string()];
        let a = Shape::new("customer_1", Some("mysqldump"), &h, true);
        assert_eq!(a, Shape::new("customer_2", Some("mysqldump"), &h, true));
        assert_ne!(a, Shape::new("customer_1", Some("csv"), &h, true));
        assert_ne!(a, Shape::new("customer_1", Some("mysqldump"), &h, false));
    }

    #[test]
    fn a_reference_is_published_once_and_on_unwind() {
        let r = Reference::default();
        {
            let _guard = PublishOnDrop(&r);
        }
        assert!(r.wait().is_empty());
        let r = std::sync::Arc::new(Reference::default());
        let r2 = std::sync::Arc::clone(&r);
        let t = std::thread::spawn(move || r2.wait());
        r.set(Remembered {
            table: "t".into(),
            columns: vec![Detectors::builtin().classify_column(None, &["a@b.vn"])],
            filled: vec![true],
            probes: vec![[0.0; PROBED.len()]],
            shares: vec![None],
        });
        r.set(Remembered::default());
        assert_eq!(t.join().unwrap().columns.len(), 1);
    }

    fn decide(ds: &Detectors, headers: &[&str], columns: &[Vec<String>]) -> Remembered {
        let headers: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
        let cols: Vec<Vec<&str>> = columns
            .iter()
            .map(|c| c.iter().map(String::as_str).collect())
            .collect();
        let verdicts = ds.classify_table(&TableSample {
            name: "customers_1",
            format: Some("mysqldump"),
            headers: &headers,
            has_header_row: true,
            columns: &cols,
        });
        Remembered::new("customers_1", verdicts, &cols, ds)
    }

    fn refs(columns: &[Vec<String>]) -> Vec<Vec<&str>> {
        columns
            .iter()
            .map(|c| c.iter().map(String::as_str).collect())
            .collect()
    }

    fn emails(n: usize, salt: &str) -> Vec<String> {
        (0..n)
            .map(|i| format!("user{i}.{salt}@example.vn"))
            .collect()
    }

    fn phones(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("+84 91{:07}", (i * 7_919 + 13) % 10_000_000))
            .collect()
    }

    #[test]
    fn same_columns_confirm_with_this_tables_shares() {
        let ds = Detectors::builtin();
        let known = decide(
            ds,
            &["email", "note"],
            &[emails(200, "a"), vec!["ok".into(); 200]],
        );
        assert_eq!(known.columns[0].class, DataClass::Email);
        let mut mail = emails(100, "b");
        mail[3] = "not an address".into();
        let got = confirm(&known, &refs(&[mail, vec!["fine".into(); 100]]), ds).expect("agrees");
        assert_eq!(got[0].class, DataClass::Email);
        assert!(got[0].validation_share > 0.9 && got[0].validation_share < 1.0);
        assert!(got[0].evidence.contains("as decided for table customers_1"));
    }

    #[test]
    fn other_values_under_the_same_header_are_decided_again() {
        let ds = Detectors::builtin();
        let known = decide(
            ds,
            &["contact", "note"],
            &[emails(200, "a"), vec!["ok".into(); 200]],
        );
        // The remembered e-mail column holds phones here.
        assert!(confirm(&known, &refs(&[phones(100), vec!["x".into(); 100]]), ds).is_none());
        // The remembered free-text column holds e-mail addresses here.
        assert!(confirm(&known, &refs(&[emails(100, "b"), emails(100, "c")]), ds).is_none());
        // A column empty in the reference is filled here, and the reverse.
        assert!(confirm(
            &known,
            &refs(&[emails(50, "b"), vec![String::new(); 50]]),
            ds
        )
        .is_none());
        // Another width.
        assert!(confirm(&known, &refs(&[emails(50, "b")]), ds).is_none());
    }

    /// `prefix` followed by digits from `i`, completed with its Luhn check digit (16 digits).
    fn card(prefix: &str, i: usize) -> String {
        let body = format!(
            "{prefix}{:0w$}",
            i * 7_919 % 10usize.pow((15 - prefix.len()) as u32),
            w = 15 - prefix.len()
        );
        let sum: u32 = body
            .bytes()
            .rev()
            .enumerate()
            .map(|(k, b)| {
                let d = u32::from(b - b'0');
                if k % 2 == 0 {
                    let x = d * 2;
                    if x > 9 {
                        x - 9
                    } else {
                        x
                    }
                } else {
                    d
                }
            })
            .sum();
        format!("{body}{}", (10 - sum % 10) % 10)
    }

    #[test]
    fn a_card_columns_kind_is_its_own_leading_brand() {
        let ds = Detectors::builtin();
        let visa: Vec<String> = (0..60).map(|i| card("4", i)).collect();
        let known = decide(ds, &["card_number"], &[visa]);
        assert_eq!(known.columns[0].class, DataClass::PaymentCard);
        let master: Vec<String> = (0..60).map(|i| card("51", i)).collect();
        let got = confirm(&known, &refs(&[master]), ds).expect("same class");
        assert_eq!(got[0].class, DataClass::PaymentCard);
        assert_eq!(known.columns[0].kind.as_deref(), Some("visa"));
        assert_eq!(got[0].kind.as_deref(), Some("mastercard"));
    }
}
