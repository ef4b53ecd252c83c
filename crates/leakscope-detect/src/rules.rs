//! Detector rule files (TOML) and their compiled form.

use crate::text::compact;
use crate::validators::{lookup, ValidatorFn};
use crate::{DataClass, ValueFacts};
use regex::Regex;
use serde::Deserialize;

/// The built-in rule files, embedded at compile time: (file name, TOML text).
pub const BUILTIN_RULES: &[(&str, &str)] = &[
    ("cn.toml", include_str!("../rules/cn.toml")),
    ("sg.toml", include_str!("../rules/sg.toml")),
    ("vn.toml", include_str!("../rules/vn.toml")),
    ("my.toml", include_str!("../rules/my.toml")),
    ("th.toml", include_str!("../rules/th.toml")),
    ("id.toml", include_str!("../rules/id.toml")),
    ("ph.toml", include_str!("../rules/ph.toml")),
    ("tw.toml", include_str!("../rules/tw.toml")),
    ("hk.toml", include_str!("../rules/hk.toml")),
    ("intl.toml", include_str!("../rules/intl.toml")),
    ("cards.toml", include_str!("../rules/cards.toml")),
    ("hashes.toml", include_str!("../rules/hashes.toml")),
    ("contact.toml", include_str!("../rules/contact.toml")),
    ("dates.toml", include_str!("../rules/dates.toml")),
    ("people.toml", include_str!("../rules/people.toml")),
    ("commerce.toml", include_str!("../rules/commerce.toml")),
];

/// Cheap gate applied before patterns and validators.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shape {
    /// Minimum length in bytes.
    pub min_len: Option<usize>,
    /// Maximum length in bytes.
    pub max_len: Option<usize>,
    /// Minimum number of ASCII digits.
    pub min_digits: Option<usize>,
    /// Maximum number of ASCII digits.
    pub max_digits: Option<usize>,
    /// A byte string the value must contain (e.g. `@`).
    pub contains: Option<String>,
    /// Allowed first characters (ASCII, case-insensitive).
    pub first: Option<String>,
}

impl Shape {
    /// True when `v` passes the gate.
    pub fn admits(&self, v: &str) -> bool {
        let len = v.len();
        if self.min_len.is_some_and(|m| len < m) || self.max_len.is_some_and(|m| len > m) {
            return false;
        }
        if let Some(f) = &self.first {
            let c = v.as_bytes().first().map(|b| b.to_ascii_uppercase());
            if !c.is_some_and(|c| f.as_bytes().iter().any(|x| x.to_ascii_uppercase() == c)) {
                return false;
            }
        }
        if let Some(c) = &self.contains {
            if !v.contains(c.as_str()) {
                return false;
            }
        }
        if self.min_digits.is_some() || self.max_digits.is_some() {
            let d = crate::text::count_digits(v);
            if self.min_digits.is_some_and(|m| d < m) || self.max_digits.is_some_and(|m| d > m) {
                return false;
            }
        }
        true
    }
}

/// One detector as written in a rule file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    /// Unique id (`cn_resident_id`).
    pub id: String,
    /// Data-class id (`national_id`).
    pub class: String,
    /// Sub-kind reported for the column (`cn_resident_id`, `bcrypt`...).
    pub kind: Option<String>,
    /// ISO 3166-1 alpha-2 country of the values, when fixed.
    pub country: Option<String>,
    /// Plural label used in evidence lines ("CN resident IDs").
    pub label: String,
    /// What the detector finds.
    pub description: String,
    /// Validator function name (see `validators::REGISTRY`).
    pub validator: String,
    /// Optional anchored regular expressions; one must match (after the shape gate).
    #[serde(default)]
    pub patterns: Vec<String>,
    /// Cheap shape gate.
    #[serde(default)]
    pub shape: Shape,
    /// Header keywords (VI with and without diacritics, ZH, EN).
    #[serde(default)]
    pub header_keywords: Vec<String>,
    /// Values alone are not evidence; the column header must name this class.
    #[serde(default)]
    pub header_required: bool,
    /// Weight of value evidence, 0–1 (1 = exact check digits; low = loose shape).
    #[serde(default = "one")]
    pub strength: f64,
    /// Values that must validate.
    #[serde(default)]
    pub positive: Vec<String>,
    /// Values that must not validate.
    #[serde(default)]
    pub negative: Vec<String>,
    /// Standards and documents the validator follows.
    #[serde(default)]
    pub references: Vec<String>,
}

fn one() -> f64 {
    1.0
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    detector: Vec<RuleDef>,
}

/// A compiled detector.
#[derive(Debug, Clone)]
pub struct Detector {
    /// The definition it was compiled from.
    pub def: RuleDef,
    /// Its data class.
    pub class: DataClass,
    /// Header keywords, folded and without separators.
    pub keywords: Vec<String>,
    /// The rule file it came from.
    pub file: String,
    validator: ValidatorFn,
    patterns: Vec<Regex>,
    kind: Option<&'static str>,
    country: Option<&'static str>,
}

/// A rule file that does not load.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleError {
    /// File name.
    pub file: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for RuleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "rule file {}: {}", self.file, self.message)
    }
}

impl std::error::Error for RuleError {}

/// Interned `&'static str` for kinds/countries named in rule files (bounded by the rule set).
fn leak(s: &Option<String>) -> Option<&'static str> {
    s.as_ref().map(|s| &*Box::leak(s.clone().into_boxed_str()))
}

impl Detector {
    /// Shape gate, patterns, then the validator; rule kind/country fill gaps in the facts.
    pub fn check(&self, v: &str) -> Option<ValueFacts> {
        if !self.def.shape.admits(v) {
            return None;
        }
        if !self.patterns.is_empty() && !self.patterns.iter().any(|p| p.is_match(v)) {
            return None;
        }
        let mut f = (self.validator)(v)?;
        if self.kind.is_some() && (f.kind.is_none() || self.class == DataClass::NationalId) {
            f.kind = self.kind;
        }
        if f.country.is_none() {
            f.country = self.country;
        }
        Some(f)
    }

    /// The kind this rule reports, if fixed.
    pub fn kind(&self) -> Option<&'static str> {
        self.kind
    }
}

/// Parses and compiles rule files.
pub fn compile(files: &[(&str, &str)]) -> Result<Vec<Detector>, RuleError> {
    let mut out: Vec<Detector> = Vec::new();
    for (name, text) in files {
        let err = |message: String| RuleError {
            file: name.to_string(),
            message,
        };
        let file: RuleFile = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        for def in file.detector {
            let class = DataClass::from_id(&def.class)
                .ok_or_else(|| err(format!("{}: unknown class {}", def.id, def.class)))?;
            let validator = lookup(&def.validator)
                .ok_or_else(|| err(format!("{}: unknown validator {}", def.id, def.validator)))?;
            let patterns = def
                .patterns
                .iter()
                .map(|p| Regex::new(p).map_err(|e| err(format!("{}: bad pattern: {e}", def.id))))
                .collect::<Result<Vec<_>, _>>()?;
            if out.iter().any(|d| d.def.id == def.id) {
                return Err(err(format!("duplicate detector id {}", def.id)));
            }
            if !(0.0..=1.0).contains(&def.strength) {
                return Err(err(format!("{}: strength must be within 0..1", def.id)));
            }
            out.push(Detector {
                class,
                keywords: def
                    .header_keywords
                    .iter()
                    .map(|k| compact(k))
                    .filter(|k| !k.is_empty())
                    .collect(),
                file: name.to_string(),
                validator,
                patterns,
                kind: leak(&def.kind),
                country: leak(&def.country),
                def,
            });
        }
    }
    Ok(out)
}
