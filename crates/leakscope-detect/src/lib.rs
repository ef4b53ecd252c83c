//! Data-class detection: what each column of a leaked table holds, with evidence.
//!
//! CONTRACT (used by `leakscope-scan`; keep these signatures): [`DataClass`], [`Detectors`],
//! [`ColumnVerdict`], [`ValueFacts`], [`mask`].
//!
//! Detectors are data: `rules/*.toml` (embedded at compile time) name a class, a cheap shape gate,
//! optional patterns, a validator function from [`validators::REGISTRY`], header keywords (VI
//! with/without diacritics, ZH, EN), positive/negative examples and references. See
//! `docs/detectors.md`.

#![warn(missing_docs)]

pub mod accuracy;
mod address_memo;
mod class;
mod column;
pub mod context;
pub mod country;
mod distribution;
mod freetext;
pub mod header;
mod mask;
pub mod normalize;
pub mod rules;
mod table;
pub mod text;
pub mod validators;

pub use address_memo::address_country;
pub use table::{CountryContext, CountrySignal, TableSample};

pub use class::DataClass;
pub use mask::mask;
pub use rules::{Detector, RuleError};

use std::collections::HashMap;
use std::sync::OnceLock;

/// The decision for one column.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnVerdict {
    /// Winning class.
    pub class: DataClass,
    /// Sub-kind: `cn_resident_id`, `sg_nric_fin`, `vn_cccd`, `vn_cmnd`, `passport`; hash algorithm
    /// (`bcrypt`, `md5`...); card brand.
    pub kind: Option<String>,
    /// 0.0–1.0.
    pub confidence: f64,
    /// One line, no raw values.
    pub evidence: String,
    /// Share of sampled non-empty values that validate as `class`.
    pub validation_share: f64,
    /// Other classes in a mixed column with their shares.
    pub mixed: Vec<(DataClass, f64)>,
    /// PII embedded in free text, with the share of values containing it (only classes that
    /// dominate the column or that its header names; see `evidence` for the rest).
    pub embedded: Vec<(DataClass, f64)>,
    /// For phone columns of a table that tells each row's country (a country column, e-mail
    /// ccTLDs, addresses, or the file's majority): where that country comes from. National
    /// formats are validated against it ([`Detectors::check_value_in`]).
    pub country: Option<CountryContext>,
}

/// What one value validated as, normalised.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ValueFacts {
    /// Normalised identifier: lower-cased email, E.164 phone, upper-cased national ID.
    pub normalized: Option<String>,
    /// ISO 3166-1 alpha-2 country the value points to (phone country code, ID kind, address tokens).
    pub country: Option<&'static str>,
    /// Sub-kind of this value (ID kind, hash algorithm, card brand).
    pub kind: Option<&'static str>,
    /// A date the value holds, as (year, month, day) — for timestamps and dates of birth.
    pub date: Option<(i32, u32, u32)>,
}

/// The detectors that check one column's cells, in order (see [`Detectors::prepare`]).
#[derive(Debug, Clone)]
pub struct CellCheck {
    /// The column's class.
    pub class: DataClass,
    order: Vec<usize>,
}

/// The compiled detector set.
#[derive(Debug)]
pub struct Detectors {
    detectors: Vec<Detector>,
    /// Detector indices per class (a small map: classes are few, looked up per cell).
    by_class: Vec<(DataClass, Vec<usize>)>,
    /// Header keyword matches already worked out (a dump of many tables repeats its headers;
    /// matching one is a substring search per keyword). Bounded: cleared when full.
    header_hits: std::sync::Mutex<HashMap<String, Option<header::HeaderHit>>>,
}

/// Headers whose keyword matches are remembered (see [`Detectors::header_hit`]).
const HEADER_CACHE: usize = 4096;

impl Detectors {
    /// The built-in detectors (rule files compiled into the binary).
    pub fn builtin() -> &'static Detectors {
        static D: OnceLock<Detectors> = OnceLock::new();
        D.get_or_init(|| {
            // The embedded rule files are checked by the test suite; failing here is a build defect.
            Detectors::from_rule_files(rules::BUILTIN_RULES).expect("built-in rule files are valid")
        })
    }

    /// Compiles a detector set from rule files `(name, toml text)` — e.g. the built-ins plus a
    /// country file of your own.
    pub fn from_rule_files(files: &[(&str, &str)]) -> Result<Detectors, RuleError> {
        let detectors = rules::compile(files)?;
        let mut by_class: HashMap<DataClass, Vec<usize>> = HashMap::new();
        for (i, d) in detectors.iter().enumerate() {
            by_class.entry(d.class).or_default().push(i);
        }
        let mut by_class: Vec<(DataClass, Vec<usize>)> = by_class.into_iter().collect();
        by_class.sort_by_key(|(c, _)| *c);
        Ok(Detectors {
            detectors,
            by_class,
            header_hits: Default::default(),
        })
    }

    /// [`header::match_header`] over these detectors, remembered per header text.
    pub fn header_hit(&self, header: &str) -> Option<header::HeaderHit> {
        // A poisoned cache is only a cache: use it as it is.
        let lock = || self.header_hits.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(hit) = lock().get(header) {
            return hit.clone();
        }
        let hit = header::match_header(&self.detectors, header);
        let mut m = lock();
        if m.len() >= HEADER_CACHE {
            m.clear();
        }
        m.insert(header.to_string(), hit.clone());
        hit
    }

    /// All detectors, in rule-file order.
    pub fn detectors(&self) -> &[Detector] {
        &self.detectors
    }

    /// Decides the class of a column from its header (if any) and a sample of its values,
    /// without table context (see [`Detectors::classify_table`], which every verb uses).
    pub fn classify_column(&self, header: Option<&str>, values: &[&str]) -> ColumnVerdict {
        column::classify(self, header, values)
    }

    /// The column decision: every column of a table from its headers, the table's name and
    /// format, and row-aligned sample values — what "name" means in this table, keys, places,
    /// coordinates, combolists, and the country each row's phone belongs to. `scan`, `verify`
    /// and `corpus` all decide columns here.
    pub fn classify_table(&self, table: &TableSample<'_>) -> Vec<ColumnVerdict> {
        table::classify(self, table)
    }

    /// [`Detectors::check_value`] for a row whose country is known (`country`, ISO2): phones in
    /// that country's national format validate against its numbering plan first.
    pub fn check_value_in(
        &self,
        class: DataClass,
        kind: Option<&str>,
        value: &str,
        country: Option<&str>,
    ) -> Option<ValueFacts> {
        if class == DataClass::Phone {
            if let Some(c) = country {
                if let Some(f) = validators::phone::phone_in(text::trim(value), c) {
                    return Some(f);
                }
            }
        }
        self.check_value(class, kind, value)
    }

    /// [`Detectors::check_prepared`] for a row whose country is known (see
    /// [`Detectors::check_value_in`]).
    pub fn check_prepared_in(
        &self,
        check: &CellCheck,
        value: &str,
        country: Option<&str>,
    ) -> Option<ValueFacts> {
        if check.class == DataClass::Phone {
            if let Some(c) = country {
                if let Some(f) = validators::phone::phone_in(text::trim(value), c) {
                    return Some(f);
                }
            }
        }
        self.check_prepared(check, value)
    }

    /// Whether [`Detectors::check_prepared_in`] answers the same for `value` whatever the
    /// (known) country of its row: true unless it is a phone written in a national phone shape.
    /// A phone written internationally (`+84 …`) or not in a phone shape at all does not need
    /// the row's country, so callers can skip working it out.
    pub fn country_free(&self, check: &CellCheck, value: &str) -> bool {
        check.class != DataClass::Phone
            || validators::phone_shape::parse(text::trim(value)).is_none_or(|s| s.plus)
    }

    /// Validates one value against `class` (and `kind`, when the column has one); `None` when it
    /// does not validate. Cheap enough for every cell of an identifier column: shape gates run
    /// before validators, and only the detectors of `class` are tried.
    pub fn check_value(
        &self,
        class: DataClass,
        kind: Option<&str>,
        value: &str,
    ) -> Option<ValueFacts> {
        let v = text::trim(value);
        if v.is_empty() {
            return None;
        }
        let idx = self.class_indices(class);
        if idx.is_empty() {
            return None;
        }
        // With a kind, detectors of that kind go first (e.g. `ntlm` over the generic hex digest).
        if let Some(k) = kind {
            for &i in idx {
                let d = &self.detectors[i];
                if d.def.kind.as_deref() == Some(k) {
                    if let Some(f) = d.check(v) {
                        return Some(f);
                    }
                }
            }
        }
        for &i in idx {
            if !self.tried_for(i, class, kind) {
                continue;
            }
            if let Some(f) = self.detectors[i].check(v) {
                return Some(f);
            }
        }
        None
    }

    /// Whether detector `i` validates values of a `class` column with `kind`: header-only
    /// detectors accept almost anything, so they count only for their own kind (or for classes
    /// with no value shape of their own).
    fn tried_for(&self, i: usize, class: DataClass, kind: Option<&str>) -> bool {
        let d = &self.detectors[i];
        !d.def.header_required
            || kind.is_some_and(|k| d.def.kind.as_deref() == Some(k))
            || matches!(
                class,
                DataClass::Password
                    | DataClass::BankAccount
                    | DataClass::PostalCode
                    | DataClass::Merchant
                    | DataClass::Other
                    | DataClass::Gender
            )
    }

    /// Resolves, once per column, which detectors check its cells and in which order, so
    /// [`Detectors::check_prepared`] does no lookups per cell. Gives the same answers as
    /// [`Detectors::check_value`] with the same `class` and `kind`.
    pub fn prepare(&self, class: DataClass, kind: Option<&str>) -> CellCheck {
        let idx = self.class_indices(class);
        let mut order: Vec<usize> = Vec::new();
        if let Some(k) = kind {
            order.extend(
                idx.iter()
                    .copied()
                    .filter(|&i| self.detectors[i].def.kind.as_deref() == Some(k)),
            );
        }
        for &i in idx {
            if !order.contains(&i) && self.tried_for(i, class, kind) {
                order.push(i);
            }
        }
        CellCheck { class, order }
    }

    /// Validates one value with a column's prepared detectors (see [`Detectors::prepare`]).
    pub fn check_prepared(&self, check: &CellCheck, value: &str) -> Option<ValueFacts> {
        let v = text::trim(value);
        if v.is_empty() {
            return None;
        }
        check
            .order
            .iter()
            .find_map(|&i| self.detectors.get(i).and_then(|d| d.check(v)))
    }

    pub(crate) fn class_indices(&self, class: DataClass) -> &[usize] {
        self.by_class
            .iter()
            .find(|(c, _)| *c == class)
            .map(|(_, v)| v.as_slice())
            .unwrap_or(&[])
    }
}
