//! The detection interface the engine uses. [`leakscope_detect::Detectors`] implements it; tests
//! plug in small deterministic stand-ins so the engine can be checked on its own.

use leakscope_detect::{
    CellCheck, ColumnVerdict, CountryContext, DataClass, Detectors, TableSample, ValueFacts,
};

/// How one column's cells are checked: its class and kind, plus whatever the classifier
/// resolved once for the column (see [`Classifier::prepare`]).
#[derive(Debug, Clone)]
pub struct ColumnCheck {
    /// The column's class.
    pub class: DataClass,
    /// The column's kind, if any.
    pub kind: Option<String>,
    /// Detectors resolved for the column, when the classifier prepares checks.
    pub cells: Option<CellCheck>,
}

/// Column decisions, per-value validation and masking.
pub trait Classifier: Send + Sync {
    /// Decides the class of a column from its header and a sample of non-empty values.
    fn classify_column(&self, header: Option<&str>, values: &[&str]) -> ColumnVerdict;
    /// Decides every column of a table with its context (table name, format, neighbouring
    /// columns, row-aligned values). By default each column on its own.
    fn classify_table(&self, table: &TableSample<'_>) -> Vec<ColumnVerdict> {
        let width = table.columns.len().max(table.headers.len());
        (0..width)
            .map(|c| {
                let values: Vec<&str> = table
                    .columns
                    .get(c)
                    .map(|v| v.iter().copied().filter(|x| !x.is_empty()).collect())
                    .unwrap_or_default();
                let header = table
                    .headers
                    .get(c)
                    .map(String::as_str)
                    .filter(|_| table.has_header_row);
                self.classify_column(header, &values)
            })
            .collect()
    }
    /// The country of one row (trimmed cells) for a column whose verdict carries a country
    /// context; `None` when it cannot be told.
    fn row_country(&self, _ctx: &CountryContext, _cells: &[&str]) -> Option<&'static str> {
        None
    }
    /// The country of an address cell, checked with `check` (prepared for
    /// [`DataClass::Address`] without a kind); `None` when it does not tell one.
    fn address_country(&self, check: &ColumnCheck, value: &str) -> Option<&'static str> {
        self.check_cell(check, value).and_then(|f| f.country)
    }
    /// [`Classifier::check_cell`] for a row whose country is known.
    fn check_cell_in(
        &self,
        check: &ColumnCheck,
        value: &str,
        _country: Option<&str>,
    ) -> Option<ValueFacts> {
        self.check_cell(check, value)
    }
    /// Whether [`Classifier::check_cell_in`] gives `value` the same answer for every known
    /// (`Some`) country, so the row's country need not be worked out; false by default.
    fn country_free(&self, _check: &ColumnCheck, _value: &str) -> bool {
        false
    }
    /// Validates and normalises one value of `class` (`None` when it does not validate).
    fn check_value(&self, class: DataClass, kind: Option<&str>, value: &str) -> Option<ValueFacts>;
    /// Masks a value for display.
    fn mask(&self, class: DataClass, value: &str) -> String;
    /// Resolves once per column what checking its cells needs; by default nothing, and
    /// [`Classifier::check_cell`] falls back to [`Classifier::check_value`].
    fn prepare(&self, class: DataClass, kind: Option<&str>) -> ColumnCheck {
        ColumnCheck {
            class,
            kind: kind.map(str::to_string),
            cells: None,
        }
    }
    /// Validates one (trimmed) cell of a prepared column; the same answer as `check_value`.
    fn check_cell(&self, check: &ColumnCheck, value: &str) -> Option<ValueFacts> {
        self.check_value(check.class, check.kind.as_deref(), value)
    }
}

/// [`Classifier::prepare`] for a detector set.
pub fn prepare_with(d: &Detectors, class: DataClass, kind: Option<&str>) -> ColumnCheck {
    ColumnCheck {
        class,
        kind: kind.map(str::to_string),
        cells: Some(d.prepare(class, kind)),
    }
}

/// [`Classifier::check_cell`] for a detector set.
pub fn check_cell_with(d: &Detectors, check: &ColumnCheck, value: &str) -> Option<ValueFacts> {
    match &check.cells {
        Some(c) => d.check_prepared(c, value),
        None => d.check_value(check.class, check.kind.as_deref(), value),
    }
}

/// [`Classifier::check_cell_in`] for a detector set.
pub fn check_cell_in_with(
    d: &Detectors,
    check: &ColumnCheck,
    value: &str,
    country: Option<&str>,
) -> Option<ValueFacts> {
    match &check.cells {
        Some(c) => d.check_prepared_in(c, value, country),
        None => d.check_value_in(check.class, check.kind.as_deref(), value, country),
    }
}

impl Classifier for Detectors {
    fn classify_column(&self, header: Option<&str>, values: &[&str]) -> ColumnVerdict {
        Detectors::classify_column(self, header, values)
    }

    fn check_value(&self, class: DataClass, kind: Option<&str>, value: &str) -> Option<ValueFacts> {
        Detectors::check_value(self, class, kind, value)
    }

    fn mask(&self, class: DataClass, value: &str) -> String {
        leakscope_detect::mask(class, value)
    }

    fn prepare(&self, class: DataClass, kind: Option<&str>) -> ColumnCheck {
        prepare_with(self, class, kind)
    }

    fn check_cell(&self, check: &ColumnCheck, value: &str) -> Option<ValueFacts> {
        check_cell_with(self, check, value)
    }

    fn classify_table(&self, table: &TableSample<'_>) -> Vec<ColumnVerdict> {
        Detectors::classify_table(self, table)
    }

    fn row_country(&self, ctx: &CountryContext, cells: &[&str]) -> Option<&'static str> {
        ctx.of_row(self, cells)
    }

    fn address_country(&self, _check: &ColumnCheck, value: &str) -> Option<&'static str> {
        leakscope_detect::address_country(self, value)
    }

    fn country_free(&self, check: &ColumnCheck, value: &str) -> bool {
        check
            .cells
            .as_ref()
            .is_some_and(|c| Detectors::country_free(self, c, value))
    }

    fn check_cell_in(
        &self,
        check: &ColumnCheck,
        value: &str,
        country: Option<&str>,
    ) -> Option<ValueFacts> {
        check_cell_in_with(self, check, value, country)
    }
}
