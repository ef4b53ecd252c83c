//! The detection interface the engine uses. [`leakscope_detect::Detectors`] implements it; tests
//! plug in small deterministic stand-ins so the engine can be checked on its own.

use leakscope_detect::{ColumnVerdict, DataClass, Detectors, ValueFacts};

/// Column decisions, per-value validation and masking.
pub trait Classifier: Send + Sync {
    /// Decides the class of a column from its header and a sample of non-empty values.
    fn classify_column(&self, header: Option<&str>, values: &[&str]) -> ColumnVerdict;
    /// Validates and normalises one value of `class` (`None` when it does not validate).
    fn check_value(&self, class: DataClass, kind: Option<&str>, value: &str) -> Option<ValueFacts>;
    /// Masks a value for display.
    fn mask(&self, class: DataClass, value: &str) -> String;
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
}
