//! What one worker computes from the batches it receives, and how partials are merged.
//!
//! Per cell: a trim, an emptiness test and a fast hash into the column's HyperLogLog. Only cells
//! of identifier, timestamp, password and card columns go through `check_value`. Nothing is
//! allocated per cell except what the detector's `check_value` itself returns.

use std::collections::HashMap;

use leakscope_detect::DataClass;
use leakscope_formats::RowBatch;

use crate::classes::KEY_CLASSES;
use crate::dates::Ymd;
use crate::hll::{fast_hash, seeded_hash, FastBuild, Hll};
use crate::keyset::KeySet;
use crate::oracle::Classifier;
use crate::plan::TablePlan;
use crate::tenants::TenantCounter;

/// Precision of per-column distinct sketches.
pub const COLUMN_HLL_P: u8 = 12;
/// Precision of the people sketch.
pub const PEOPLE_HLL_P: u8 = 14;
/// Distinct tenants counted exactly per worker before switching to top-k.
pub const TENANT_EXACT_CAP: usize = 200_000;
/// Counters of the tenant top-k sketch.
pub const TENANT_SKETCH_K: usize = 2_000;

/// Country signals (bit flags).
pub const SIGNAL_NAMES: [&str; 4] = ["national_id", "phone", "address", "email"];

/// Per-column counts.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ColAcc {
    /// Non-empty cells.
    pub filled: u64,
    /// Cells that validated (checked columns only).
    pub valid: u64,
    /// Distinct non-empty values.
    pub distinct: Hll,
}

impl ColAcc {
    fn new() -> Self {
        ColAcc {
            filled: 0,
            valid: 0,
            distinct: Hll::new(COLUMN_HLL_P),
        }
    }
}

/// Per-table counts.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TableAcc {
    /// Rows processed.
    pub rows: u64,
    /// Column counts.
    pub cols: Vec<ColAcc>,
    /// Rows per tenant, when the table has a tenant column.
    pub tenants: Option<TenantCounter>,
}

/// Per-country counts.
#[derive(Debug, Clone)]
pub struct CountryAcc {
    /// New people (first seen with this country) while counting exactly.
    pub exact_people: u64,
    /// Sketch of the people keys seen with this country.
    pub people: Hll,
    /// Signals that placed people here (bit per [`SIGNAL_NAMES`]).
    pub signals: u8,
}

/// Everything a worker (or the merge of all workers) has counted.
#[derive(Debug, Clone)]
pub struct Partial {
    /// By table index.
    /// By table index (boxed: a dump of 200,000 tables leaves most slots of a worker empty).
    pub tables: Vec<Option<Box<TableAcc>>>,
    /// Sketch of all people keys.
    pub people: Hll,
    /// Rows keyed by each kind of [`KEY_CLASSES`].
    pub keyed_by: [u64; 3],
    /// Rows with no identifier.
    pub rows_without_identifier: u64,
    /// Rows of tables without identifier columns keyed by a person's name (+ birth date /
    /// address where present).
    pub name_keyed_rows: u64,
    /// Sketch of the name-based people keys.
    pub name_people: Hll,
    /// Countries by ISO code.
    pub countries: HashMap<&'static str, CountryAcc, FastBuild>,
    /// Oldest and newest event dates.
    pub oldest: Option<Ymd>,
    /// Newest event date.
    pub newest: Option<Ymd>,
    /// Records per (year, month).
    pub months: HashMap<(i32, u32), u64, FastBuild>,
    /// Password values per algorithm.
    pub passwords: HashMap<String, u64, FastBuild>,
    /// Scratch: keys of the current batch with their country tag.
    keys: Vec<(u64, u32)>,
    /// Scratch: country codes by tag.
    country_tags: Vec<(&'static str, u8)>,
}

impl Default for Partial {
    fn default() -> Self {
        Partial {
            tables: Vec::new(),
            people: Hll::new(PEOPLE_HLL_P),
            keyed_by: [0; 3],
            rows_without_identifier: 0,
            name_keyed_rows: 0,
            name_people: Hll::new(PEOPLE_HLL_P),
            countries: HashMap::default(),
            oldest: None,
            newest: None,
            months: HashMap::default(),
            passwords: HashMap::default(),
            keys: Vec::new(),
            country_tags: Vec::new(),
        }
    }
}

/// The non-empty trimmed cell `c` of a row.
#[inline]
fn cell<'a>(cells: &[&'a str], c: usize) -> Option<&'a str> {
    cells.get(c).copied().filter(|v| !v.is_empty())
}

/// A person key from the row's name cells (tokens folded and sorted, so `Mary Smith` in one
/// column and `SMITH` + `Mary` in two give the same key), plus birth date and address cells
/// where the table has them; `None` when the row has no name.
fn name_key(plan: &TablePlan, cells: &[&str], seed: u64) -> Option<u64> {
    let mut name = String::new();
    for &c in &plan.name_cols {
        if let Some(v) = cell(cells, c) {
            name.push_str(v);
            name.push(' ');
        }
    }
    let mut key = leakscope_detect::normalize::person_name(&name);
    if key.is_empty() {
        return None;
    }
    for &c in plan.dob_cols.iter().chain(&plan.address_cols) {
        key.push('|');
        if let Some(v) = cell(cells, c) {
            key.push_str(&leakscope_detect::normalize::person_name(v));
        }
    }
    Some(seeded_hash(seed ^ 0x6e61_6d65, key.as_bytes()))
}

/// Shared, read-only context of the workers.
pub struct Ctx<'a> {
    /// Detection.
    pub classifier: &'a dyn Classifier,
    /// The exact people set.
    pub keyset: &'a KeySet,
    /// The exact set of name-based people keys (tables without identifier columns).
    pub names: &'a KeySet,
    /// Secret seed of the people keys (random per run).
    pub seed: u64,
}

impl Partial {
    fn table(&mut self, plan: &TablePlan) -> &mut TableAcc {
        if self.tables.len() <= plan.index {
            self.tables.resize_with(plan.index + 1, || None);
        }
        let acc = self.tables[plan.index].get_or_insert_with(|| {
            Box::new(TableAcc {
                rows: 0,
                cols: Vec::new(),
                tenants: None,
            })
        });
        // A table's plan grows when its headers do (columns first seen late).
        if acc.cols.len() < plan.columns.len() {
            acc.cols.resize_with(plan.columns.len(), ColAcc::new);
        }
        if acc.tenants.is_none() && plan.tenant_col.is_some() {
            acc.tenants = Some(TenantCounter::new(TENANT_EXACT_CAP, TENANT_SKETCH_K));
        }
        acc
    }

    /// The identifier keys of the last batch [`Partial::process`] counted, each with the
    /// country its row placed the person in (for mergeable exact counts).
    pub(crate) fn last_batch_keys(&self) -> impl Iterator<Item = (u64, Option<&'static str>)> + '_ {
        self.keys.iter().map(|&(k, tag)| {
            let country = (tag > 0)
                .then(|| self.country_tags.get(tag as usize - 1).map(|t| t.0))
                .flatten();
            (k, country)
        })
    }

    fn tag_of(&mut self, country: Option<(&'static str, u8)>) -> u32 {
        match country {
            None => 0,
            Some(c) => match self.country_tags.iter().position(|&t| t == c) {
                Some(i) => i as u32 + 1,
                None => {
                    self.country_tags.push(c);
                    self.country_tags.len() as u32
                }
            },
        }
    }

    /// Counts one batch of a table.
    pub fn process(&mut self, plan: &TablePlan, batch: &RowBatch, ctx: &Ctx<'_>) {
        let mut keys = std::mem::take(&mut self.keys);
        keys.clear();
        let mut name_keys: Vec<(u64, u32)> = Vec::new();
        let ncols = plan.columns.len();
        // The row's cells, trimmed once. A short row (ragged, or a JSON record without its
        // last keys) is empty past its end: work per row follows its cells, not the width.
        let mut cells: Vec<&str> = Vec::with_capacity(ncols);
        for row in batch.rows() {
            cells.clear();
            cells.extend(row.iter().take(ncols).map(leakscope_detect::text::trim));
            let cells = cells.as_slice();
            let acc = self.table(plan);
            acc.rows += 1;
            let mut tenant: Option<(u64, &str)> = None;
            for (c, &v) in cells.iter().enumerate() {
                if v.is_empty() {
                    continue;
                }
                let col = &mut acc.cols[c];
                col.filled += 1;
                let h = fast_hash(v.as_bytes());
                col.distinct.insert(h);
                if plan.tenant_col == Some(c) {
                    tenant = Some((h, v));
                }
            }
            if let (Some((h, v)), Some(t)) = (tenant, acc.tenants.as_mut()) {
                let label = plan.tenant_label_col.and_then(|c| cell(cells, c));
                t.add_labelled(h, v, label, 1);
            }
            // Identifier key and country.
            let mut key: Option<(usize, u64)> = None;
            let mut country: Option<(&'static str, u8)> = None;
            let mut country_rank: Option<u8> = None;
            let mut row_country: Option<Option<&'static str>> = None;
            for &(c, kind) in &plan.key_cols {
                let Some(v) = cell(cells, c) else {
                    continue;
                };
                let cp = &plan.columns[c];
                let facts = match &cp.verdict.country {
                    // National-format phones are validated against the row's country.
                    // A value whose answer is the same for every country (a phone written
                    // internationally) takes the table's majority country instead of the
                    // row's, which costs an address check per row to work out.
                    Some(cc) => {
                        let rc = match cc.default {
                            Some(d) if ctx.classifier.country_free(&cp.check, v) => Some(d),
                            _ => *row_country
                                .get_or_insert_with(|| ctx.classifier.row_country(cc, cells)),
                        };
                        ctx.classifier.check_cell_in(&cp.check, v, rc)
                    }
                    None => ctx.classifier.check_cell(&cp.check, v),
                };
                let Some(f) = facts else {
                    continue;
                };
                self.table(plan).cols[c].valid += 1;
                // Service short codes (`711`) are phone numbers but nobody's key.
                if f.kind == Some("short_code") {
                    continue;
                }
                if key.is_none() {
                    let norm = f.normalized.as_deref().unwrap_or(v);
                    key = Some((kind, seeded_hash(ctx.seed ^ kind as u64, norm.as_bytes())));
                }
                // Country priority: phone (where the person lives now), national ID, email.
                let (signal, rank) = match KEY_CLASSES[kind] {
                    DataClass::Phone => (1u8, 0u8),
                    DataClass::NationalId => (0, 1),
                    _ => (3, 3),
                };
                if let Some(code) = f.country {
                    if country_rank.is_none_or(|r| rank < r) {
                        country = Some((code, signal));
                        country_rank = Some(rank);
                    }
                }
            }
            if key.is_some() && country_rank.is_none_or(|r| r > 2) {
                for &c in &plan.address_cols {
                    let Some(v) = cell(cells, c) else {
                        continue;
                    };
                    if let Some(code) = ctx.classifier.address_country(&plan.address_check, v) {
                        country = Some((code, 2));
                        break;
                    }
                }
            }
            match key {
                Some((kind, k)) => {
                    self.keyed_by[kind] += 1;
                    self.people.insert(k);
                    if let Some((code, signal)) = country {
                        let e = self.countries.entry(code).or_insert_with(|| CountryAcc {
                            exact_people: 0,
                            people: Hll::new(COLUMN_HLL_P),
                            signals: 0,
                        });
                        e.people.insert(k);
                        e.signals |= 1 << signal;
                    }
                    let tag = self.tag_of(country);
                    keys.push((k, tag));
                }
                None => {
                    self.rows_without_identifier += 1;
                    if plan.key_cols.is_empty() && !plan.name_cols.is_empty() {
                        if let Some(k) = name_key(plan, cells, ctx.seed) {
                            self.name_keyed_rows += 1;
                            self.name_people.insert(k);
                            name_keys.push((k, 0));
                        }
                    }
                }
            }
            self.dates_and_passwords(plan, cells, ctx);
            self.checked_others(plan, cells, ctx);
        }
        let tags = &self.country_tags;
        let countries = &mut self.countries;
        ctx.keyset.insert_batch(&mut keys, |tag| {
            if tag > 0 {
                let (code, _) = tags[tag as usize - 1];
                if let Some(c) = countries.get_mut(code) {
                    c.exact_people += 1;
                }
            }
        });
        self.keys = keys;
        if !name_keys.is_empty() {
            ctx.names.insert_batch(&mut name_keys, |_| {});
        }
    }

    fn dates_and_passwords(&mut self, plan: &TablePlan, cells: &[&str], ctx: &Ctx<'_>) {
        let mut row_month: Option<(i32, u32)> = None;
        for &c in &plan.ts_cols {
            let Some(v) = cell(cells, c) else {
                continue;
            };
            let cp = &plan.columns[c];
            let Some(f) = ctx.classifier.check_cell(&cp.check, v) else {
                continue;
            };
            self.table(plan).cols[c].valid += 1;
            if let Some(d) = f.date {
                self.oldest = Some(self.oldest.map_or(d, |o| o.min(d)));
                self.newest = Some(self.newest.map_or(d, |n| n.max(d)));
                row_month.get_or_insert((d.0, d.1));
            }
        }
        if let Some(m) = row_month {
            *self.months.entry(m).or_insert(0) += 1;
        }
        for &c in &plan.pw_cols {
            let Some(v) = cell(cells, c) else {
                continue;
            };
            let cp = &plan.columns[c];
            let facts = ctx.classifier.check_cell(&cp.check, v);
            if facts.is_some() {
                self.table(plan).cols[c].valid += 1;
            }
            let alg: &str = if cp.verdict.class == DataClass::Password {
                "plaintext"
            } else {
                facts
                    .as_ref()
                    .and_then(|f| f.kind)
                    .or(cp.verdict.kind.as_deref())
                    .unwrap_or("unknown")
            };
            match self.passwords.get_mut(alg) {
                Some(n) => *n += 1,
                None => {
                    self.passwords.insert(alg.to_string(), 1);
                }
            }
        }
    }

    /// Validation counts for checked columns that have no other role (cards).
    fn checked_others(&mut self, plan: &TablePlan, cells: &[&str], ctx: &Ctx<'_>) {
        for &c in &plan.other_checked {
            let cp = &plan.columns[c];
            let Some(v) = cell(cells, c) else {
                continue;
            };
            if ctx.classifier.check_cell(&cp.check, v).is_some() {
                self.table(plan).cols[c].valid += 1;
            }
        }
    }

    /// Adds everything `o` counted.
    pub fn merge(&mut self, o: Partial) {
        if self.tables.len() < o.tables.len() {
            self.tables.resize_with(o.tables.len(), || None);
        }
        for (i, t) in o.tables.into_iter().enumerate() {
            let Some(mut t) = t else { continue };
            match &mut self.tables[i] {
                slot @ None => *slot = Some(t),
                Some(mine) => {
                    mine.rows += t.rows;
                    if mine.cols.len() < t.cols.len() {
                        mine.cols.resize_with(t.cols.len(), ColAcc::new);
                    }
                    if mine.tenants.is_none() {
                        mine.tenants = t.tenants.take();
                    }
                    for (a, b) in mine.cols.iter_mut().zip(t.cols.iter()) {
                        a.filled += b.filled;
                        a.valid += b.valid;
                        a.distinct.merge(&b.distinct);
                    }
                    if let (Some(a), Some(b)) = (mine.tenants.as_mut(), t.tenants.as_ref()) {
                        a.merge(b);
                    }
                }
            }
        }
        self.people.merge(&o.people);
        for k in 0..3 {
            self.keyed_by[k] += o.keyed_by[k];
        }
        self.rows_without_identifier += o.rows_without_identifier;
        self.name_keyed_rows += o.name_keyed_rows;
        self.name_people.merge(&o.name_people);
        for (code, c) in o.countries {
            match self.countries.get_mut(code) {
                None => {
                    self.countries.insert(code, c);
                }
                Some(m) => {
                    m.exact_people += c.exact_people;
                    m.people.merge(&c.people);
                    m.signals |= c.signals;
                }
            }
        }
        self.oldest = match (self.oldest, o.oldest) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.newest = match (self.newest, o.newest) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        for (m, n) in o.months {
            *self.months.entry(m).or_insert(0) += n;
        }
        for (a, n) in o.passwords {
            *self.passwords.entry(a).or_insert(0) += n;
        }
    }
}
