//! Deterministic synthetic leaks with ground truth.
//!
//! Three flavours modelled on real cases — a Vietnamese multi-tenant shop platform (`vn-shop`),
//! Chinese e-commerce transactions (`cn-transactions`) and Singapore grocery accounts
//! (`sg-grocery`) — each with adversarial look-alike columns, several header languages and a
//! header-less variant. The same seed always yields byte-identical output.
//!
//! * [`generate`] builds a labelled [`Dataset`] in memory; its [`GroundTruth`] is recounted from
//!   the emitted cells with the same rules `leakscope scan` applies.
//! * [`write`] serialises datasets (CSV in four encodings, NDJSON, JSON, MySQL and PostgreSQL
//!   dumps, combolists, XLSX).
//! * [`large`] streams gigabyte-sized files without holding rows in memory.

use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

pub use leakscope_detect::DataClass;
use serde::Serialize;

pub mod cards;
pub mod checks;
pub mod dates;
mod flavour;
pub mod large;
pub mod people;
pub mod rng;
mod table;
pub mod truth;
pub mod vocab;
pub mod write;

/// A leak flavour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Flavour {
    /// Vietnamese multi-tenant shop platform export.
    VnShop,
    /// Chinese e-commerce transactions.
    CnTransactions,
    /// Singapore grocery accounts and orders.
    SgGrocery,
}

impl Flavour {
    /// Every flavour.
    pub const ALL: [Flavour; 3] = [Flavour::VnShop, Flavour::CnTransactions, Flavour::SgGrocery];

    /// Stable id: `vn-shop`, `cn-transactions`, `sg-grocery`.
    pub fn id(self) -> &'static str {
        match self {
            Flavour::VnShop => "vn-shop",
            Flavour::CnTransactions => "cn-transactions",
            Flavour::SgGrocery => "sg-grocery",
        }
    }

    /// Home calling code of the flavour's phones (`84`, `86`, `65`).
    pub fn calling_code(self) -> &'static str {
        match self {
            Flavour::VnShop => "84",
            Flavour::CnTransactions => "86",
            Flavour::SgGrocery => "65",
        }
    }
}

impl std::fmt::Display for Flavour {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for Flavour {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Flavour::ALL
            .into_iter()
            .find(|f| f.id() == s)
            .ok_or_else(|| format!("unknown flavour `{s}` (expected vn-shop, cn-transactions or sg-grocery)"))
    }
}

/// Language/style of the header row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum HeaderStyle {
    /// The platform's own language: Vietnamese with diacritics, Chinese, or Singapore DB names.
    Native,
    /// Human English headers.
    English,
    /// Vietnamese without diacritics; for CN mixed Chinese/English; for SG terse legacy abbreviations.
    NoDiacritics,
    /// No header row (columns are named `column_1`… where a format needs names).
    Headerless,
}

impl FromStr for HeaderStyle {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "native" => Ok(HeaderStyle::Native),
            "english" => Ok(HeaderStyle::English),
            "no-diacritics" | "mixed" => Ok(HeaderStyle::NoDiacritics),
            "headerless" | "none" => Ok(HeaderStyle::Headerless),
            _ => Err(format!("unknown header style `{s}` (expected native, english, no-diacritics, headerless)")),
        }
    }
}

/// Generation options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenOptions {
    /// Rows of the flavour's main table (orders / transactions / accounts); other tables scale with it.
    pub rows: usize,
    /// RNG seed.
    pub seed: u64,
    /// Header style.
    pub headers: HeaderStyle,
    /// Include adversarial look-alike columns.
    pub adversarial: bool,
}

impl Default for GenOptions {
    fn default() -> Self {
        GenOptions { rows: 1000, seed: 42, headers: HeaderStyle::Native, adversarial: true }
    }
}

/// A generated leak: tables plus ground truth.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// Flavour.
    pub flavour: Flavour,
    /// Tables, main table first.
    pub tables: Vec<SynthTable>,
    /// Ground truth recounted from the emitted cells.
    pub truth: GroundTruth,
}

/// One generated table.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthTable {
    /// Table name (`orders`, `customers`…).
    pub name: String,
    /// Column labels.
    pub columns: Vec<SynthColumn>,
    /// Cells; empty string = missing value.
    pub rows: Vec<Vec<String>>,
}

impl SynthTable {
    /// True when the columns carry headers (false for [`HeaderStyle::Headerless`]).
    pub fn has_header(&self) -> bool {
        self.columns.iter().any(|c| !c.header.is_empty())
    }

    /// Name of column `i` for formats that need one: its header, or `column_{i+1}` when header-less.
    pub fn column_name(&self, i: usize) -> String {
        match self.columns.get(i) {
            Some(c) if !c.header.is_empty() => c.header.clone(),
            _ => format!("column_{}", i + 1),
        }
    }
}

/// A column's header and its ground-truth label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SynthColumn {
    /// Header text (empty when header-less).
    pub header: String,
    /// The class a careful analyst would give (look-alikes carry their true class).
    pub class: DataClass,
    /// Sub-kind (`vn_cccd`, `cn_resident_id`, `sg_nric_fin`, `bcrypt`, `md5`, `mixed_email_phone`,
    /// `free_text_phone`…).
    pub kind: Option<String>,
}

/// What `leakscope scan` should find.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroundTruth {
    /// Rows over all tables.
    pub rows: u64,
    /// Distinct people by strongest identifier (national ID, else lower-cased e-mail, else E.164 phone).
    pub individuals: u64,
    /// Classes present (excluding `other`).
    pub classes: BTreeSet<DataClass>,
    /// Header (or `column_N`) of the tenant column of the main table.
    pub tenant_column: Option<String>,
    /// Distinct tenants.
    pub tenants: Option<u64>,
    /// Oldest event timestamp (`YYYY-MM-DD`).
    pub oldest_record: Option<String>,
    /// Newest event timestamp (`YYYY-MM-DD`).
    pub newest_record: Option<String>,
    /// People per ISO2 country (from the phone's country code).
    pub countries: BTreeMap<String, u64>,
}

/// Generates a dataset of `flavour`.
pub fn generate(flavour: Flavour, opts: &GenOptions) -> Dataset {
    let (tables, tenant) = match flavour {
        Flavour::VnShop => flavour::vn::build(opts),
        Flavour::CnTransactions => flavour::cn::build(opts),
        Flavour::SgGrocery => flavour::sg::build(opts),
    };
    let truth = truth::recount(flavour, &tables, tenant);
    Dataset { flavour, tables, truth }
}
