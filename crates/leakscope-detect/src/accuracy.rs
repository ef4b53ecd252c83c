//! Accuracy measurement: a confusion matrix over (expected, predicted) column classes with
//! per-class precision and recall.

use crate::DataClass;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Counts of (expected class, predicted class) pairs.
#[derive(Debug, Clone, Default)]
pub struct ConfusionMatrix {
    cells: BTreeMap<(DataClass, DataClass), usize>,
}

/// Precision / recall of one class.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClassScore {
    /// The class.
    pub class: DataClass,
    /// Columns expected to be this class.
    pub support: usize,
    /// Correct predictions / all predictions of this class (1.0 when never predicted).
    pub precision: f64,
    /// Correct predictions / support (1.0 when support is 0).
    pub recall: f64,
}

impl ConfusionMatrix {
    /// An empty matrix.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one column.
    pub fn add(&mut self, expected: DataClass, predicted: DataClass) {
        *self.cells.entry((expected, predicted)).or_default() += 1;
    }

    /// Count of one cell.
    pub fn count(&self, expected: DataClass, predicted: DataClass) -> usize {
        self.cells.get(&(expected, predicted)).copied().unwrap_or(0)
    }

    /// Number of recorded columns.
    pub fn total(&self) -> usize {
        self.cells.values().sum()
    }

    /// Share of columns predicted correctly (1.0 when empty).
    pub fn accuracy(&self) -> f64 {
        let total = self.total();
        if total == 0 {
            return 1.0;
        }
        let right: usize = self
            .cells
            .iter()
            .filter(|((e, p), _)| e == p)
            .map(|(_, n)| n)
            .sum();
        right as f64 / total as f64
    }

    /// Columns predicted as `class` whose expected class differs.
    pub fn false_positives(&self, class: DataClass) -> usize {
        self.cells
            .iter()
            .filter(|((e, p), _)| *p == class && *e != class)
            .map(|(_, n)| n)
            .sum()
    }

    /// Per-class scores for every class that was expected or predicted.
    pub fn scores(&self) -> Vec<ClassScore> {
        DataClass::ALL
            .iter()
            .copied()
            .filter(|c| self.cells.keys().any(|(e, p)| e == c || p == c))
            .map(|c| {
                let tp = self.count(c, c);
                let predicted: usize = self
                    .cells
                    .iter()
                    .filter(|((_, p), _)| *p == c)
                    .map(|(_, n)| n)
                    .sum();
                let support: usize = self
                    .cells
                    .iter()
                    .filter(|((e, _), _)| *e == c)
                    .map(|(_, n)| n)
                    .sum();
                ClassScore {
                    class: c,
                    support,
                    precision: if predicted == 0 {
                        1.0
                    } else {
                        tp as f64 / predicted as f64
                    },
                    recall: if support == 0 {
                        1.0
                    } else {
                        tp as f64 / support as f64
                    },
                }
            })
            .collect()
    }

    /// Text rendering: per-class precision/recall, then the off-diagonal cells.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "columns: {}  accuracy: {:.1}%",
            self.total(),
            self.accuracy() * 100.0
        );
        let _ = writeln!(
            out,
            "{:<22} {:>7} {:>9} {:>7}",
            "class", "support", "precision", "recall"
        );
        for s in self.scores() {
            let _ = writeln!(
                out,
                "{:<22} {:>7} {:>8.1}% {:>6.1}%",
                s.class.id(),
                s.support,
                s.precision * 100.0,
                s.recall * 100.0
            );
        }
        let errors: Vec<_> = self.cells.iter().filter(|((e, p), _)| e != p).collect();
        if !errors.is_empty() {
            let _ = writeln!(out, "confusions (expected -> predicted):");
            for ((e, p), n) in errors {
                let _ = writeln!(out, "  {} -> {}: {n}", e.id(), p.id());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_recall() {
        let mut m = ConfusionMatrix::new();
        m.add(DataClass::Phone, DataClass::Phone);
        m.add(DataClass::Phone, DataClass::Phone);
        m.add(DataClass::OrderId, DataClass::Phone);
        m.add(DataClass::Email, DataClass::Email);
        let phone = m
            .scores()
            .into_iter()
            .find(|s| s.class == DataClass::Phone)
            .unwrap();
        assert!((phone.precision - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(phone.recall, 1.0);
        assert_eq!(m.false_positives(DataClass::Phone), 1);
        assert_eq!(m.accuracy(), 0.75);
        assert!(m.render().contains("order_id -> phone: 1"));
    }
}
