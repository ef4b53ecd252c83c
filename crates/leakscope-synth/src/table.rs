//! Declarative column specs and a builder that applies header style and the adversarial switch.

use crate::{DataClass, HeaderStyle, SynthColumn, SynthTable};

/// One column: headers in each style, label, and whether it is an adversarial look-alike.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ColSpec {
    pub native: &'static str,
    pub english: &'static str,
    pub plain: &'static str,
    pub class: DataClass,
    pub kind: Option<&'static str>,
    pub adversarial: bool,
}

/// Shorthand constructor for a regular column.
pub(crate) const fn col(
    native: &'static str,
    english: &'static str,
    plain: &'static str,
    class: DataClass,
    kind: Option<&'static str>,
) -> ColSpec {
    ColSpec { native, english, plain, class, kind, adversarial: false }
}

/// Shorthand constructor for an adversarial look-alike column.
pub(crate) const fn adv(
    native: &'static str,
    english: &'static str,
    plain: &'static str,
    class: DataClass,
    kind: Option<&'static str>,
) -> ColSpec {
    ColSpec { native, english, plain, class, kind, adversarial: true }
}

/// Collects rows (always given in full spec order) and drops the columns not kept.
pub(crate) struct TableBuilder {
    name: String,
    specs: &'static [ColSpec],
    keep: Vec<bool>,
    style: HeaderStyle,
    rows: Vec<Vec<String>>,
}

impl TableBuilder {
    pub fn new(name: &str, specs: &'static [ColSpec], style: HeaderStyle, adversarial: bool) -> Self {
        let keep = specs.iter().map(|s| adversarial || !s.adversarial).collect();
        TableBuilder { name: name.to_string(), specs, keep, style, rows: Vec::new() }
    }

    /// Adds a row; `cells` must follow the full spec order.
    pub fn push(&mut self, cells: Vec<String>) {
        debug_assert_eq!(cells.len(), self.specs.len(), "table {}", self.name);
        let row = cells.into_iter().zip(&self.keep).filter(|(_, k)| **k).map(|(c, _)| c).collect();
        self.rows.push(row);
    }

    /// Index, among kept columns, of the column whose native header is `native`.
    pub fn position(&self, native: &str) -> Option<usize> {
        let i = self.specs.iter().position(|s| s.native == native)?;
        self.keep[i].then(|| self.keep[..i].iter().filter(|k| **k).count())
    }

    pub fn finish(self) -> SynthTable {
        let columns = self
            .specs
            .iter()
            .zip(&self.keep)
            .filter(|(_, k)| **k)
            .map(|(s, _)| SynthColumn {
                header: match self.style {
                    HeaderStyle::Native => s.native,
                    HeaderStyle::English => s.english,
                    HeaderStyle::NoDiacritics => s.plain,
                    HeaderStyle::Headerless => "",
                }
                .to_string(),
                class: s.class,
                kind: s.kind.map(str::to_string),
            })
            .collect();
        SynthTable { name: self.name, columns, rows: self.rows }
    }
}
