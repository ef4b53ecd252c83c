//! Table decisions remembered across the tables of one scan (issue 11, point 10).
//!
//! A dump of many tables repeats the same table shapes: the same headers under names that
//! differ by a suffix (`customer_3`, `customer_4`), or whole databases concatenated. Deciding
//! every column of every table on its full sample (up to 10,000 rows) made the decision the
//! main per-table cost. A table whose shape — headers, header row, format and the entity its
//! name names (the only part of the name the table decision reads) — was decided earlier in
//! the scan is decided on [`CONFIRM_ROWS`] rows spread over its sample; when every column
//! agrees with the remembered decision, that small decision stands, else the table is decided
//! on its whole sample as before. At most [`MEMO_SHAPES`] shapes have a reference table.

use std::sync::{Condvar, Mutex};

use leakscope_detect::{ColumnVerdict, DataClass};

/// Rows a remembered decision is confirmed on (spread over the sample).
pub const CONFIRM_ROWS: usize = 32;
/// Table shapes with a reference table per scan (later shapes are decided in full).
pub const MEMO_SHAPES: usize = 4096;

/// What a column decision was, as far as agreement goes.
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

    /// `v`, made on a few rows of another table, says the same: the same class and kind; or
    /// both mixed columns of the same classes (which class leads depends on the rows drawn);
    /// or card columns whose leading brand differs (a card column's kind is its commonest
    /// brand).
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
    decided: Mutex<Option<Vec<Decided>>>,
    ready: Condvar,
}

impl Reference {
    /// Publishes the reference table's decision (empty when it could not be made: then no
    /// table confirms against it).
    pub fn set(&self, decided: Vec<Decided>) {
        let mut g = self.decided.lock().unwrap_or_else(|e| e.into_inner());
        if g.is_none() {
            *g = Some(decided);
        }
        self.ready.notify_all();
    }

    /// Waits for the reference table's decision. The reference's decision job was queued
    /// before any job that waits here, so it is made or being made by another worker.
    pub fn wait(&self) -> Vec<Decided> {
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
        self.0.set(Vec::new());
    }
}

/// `n` row indices spread evenly over `rows` rows (all of them when there are not more).
pub fn spread_rows(rows: usize, n: usize) -> Vec<usize> {
    if rows <= n {
        return (0..rows).collect();
    }
    (0..n).map(|i| i * rows / n).collect()
}

/// Whether every column of `confirm` decided exactly what `remembered` did: the same class,
/// kind and mixed classes. (A looser agreement — a card column led by another brand, a mixed
/// column led by its other class — would report what a few rows say where the whole sample
/// may say otherwise; such tables are decided on their whole sample.)
pub fn all_agree(remembered: &[Decided], confirm: &[ColumnVerdict]) -> bool {
    remembered.len() == confirm.len()
        && remembered
            .iter()
            .zip(confirm)
            .all(|(d, v)| *d == Decided::of(v))
}

#[cfg(test)]
mod tests {
    use super::*;

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
        r.set(vec![Decided {
            class: DataClass::Email,
            kind: None,
            mixed: Vec::new(),
        }]);
        r.set(Vec::new());
        assert_eq!(t.join().unwrap().len(), 1);
    }
}
