//! Per-row matching: which identifiers hit which customer, and whether the row's other fields
//! agree with that same customer.

use crate::index::{Customer, Index};
use crate::keys::{overlap, RowKeys};
use leakscope_keys::IdKind;
use std::collections::HashMap;

/// Token overlap (share of the smaller set) at which names/addresses agree.
pub const AGREE_OVERLAP: f64 = 0.5;
/// At most this many candidate customers are weighed per row (shared identifiers).
const MAX_CANDIDATES: usize = 8;

/// How a sample row relates to the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowClass {
    /// The row has no usable identifier.
    NoIdentifier,
    /// No identifier matches a customer.
    Unmatched,
    /// Identifiers match one customer and a second field (another identifier, the name, the
    /// address) agrees with that customer.
    Consistent,
    /// An identifier matches, but the rest belongs to someone else or mixes customers.
    Partial,
    /// One identifier matches and nothing else in the row can confirm or contradict it.
    Uncorroborated,
}

/// The outcome for one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowOutcome {
    /// Class of the row.
    pub class: RowClass,
    /// The customer the row was attributed to.
    pub customer: Option<u32>,
    /// Consistent, but a field differs from the current record (an identifier we no longer hold,
    /// or a different address): the row reflects an older state of the customer.
    pub stale: bool,
    /// Bit per [`IdKind`] tag order (email, phone, national id, username): present in the row.
    pub kinds_present: u8,
    /// Same bits: matched a customer.
    pub kinds_matched: u8,
}

/// Bit of a kind in [`RowOutcome::kinds_present`].
pub fn kind_bit(k: IdKind) -> u8 {
    match k {
        IdKind::Email => 1,
        IdKind::Phone => 2,
        IdKind::NationalId => 4,
        IdKind::Username => 8,
    }
}

fn agree(row: &[u16], cust: &[u16]) -> Option<bool> {
    (!row.is_empty() && !cust.is_empty()).then(|| overlap(row, cust) >= AGREE_OVERLAP)
}

/// Matches one row against the index.
pub fn match_row(index: &Index, keys: &RowKeys) -> RowOutcome {
    let mut out = RowOutcome {
        class: RowClass::NoIdentifier,
        customer: None,
        stale: false,
        kinds_present: 0,
        kinds_matched: 0,
    };
    if keys.ids.is_empty() {
        return out;
    }
    let mut hits: Vec<Vec<u32>> = Vec::with_capacity(keys.ids.len());
    let mut votes: HashMap<u32, u32> = HashMap::new();
    for (kind, hash) in &keys.ids {
        out.kinds_present |= kind_bit(*kind);
        let mut h = Vec::new();
        index.lookup(hash, &mut h);
        h.sort_unstable();
        h.dedup();
        if !h.is_empty() {
            out.kinds_matched |= kind_bit(*kind);
        }
        for o in h.iter().take(MAX_CANDIDATES) {
            *votes.entry(*o).or_default() += 1;
        }
        hits.push(h);
    }
    if votes.is_empty() {
        out.class = RowClass::Unmatched;
        return out;
    }
    let mut cands: Vec<(u32, u32)> = votes.into_iter().collect();
    cands.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    cands.truncate(MAX_CANDIDATES);
    let mut best: Option<(i64, u32, u32, Customer)> = None;
    for (ord, v) in cands {
        let Ok(c) = index.customer(ord) else { continue };
        let score = i64::from(v) * 4
            + match agree(&keys.name, &c.name) {
                Some(true) => 2,
                Some(false) => -2,
                None => 0,
            }
            + i64::from(agree(&keys.address, &c.address) == Some(true));
        if best.as_ref().is_none_or(|b| score > b.0) {
            best = Some((score, ord, v, c));
        }
    }
    let Some((_, ord, v, cust)) = best else {
        out.class = RowClass::Unmatched;
        return out;
    };
    out.customer = Some(ord);
    let conflict = hits
        .iter()
        .any(|h| !h.is_empty() && h.binary_search(&ord).is_err());
    let unknown_ids = hits.iter().filter(|h| h.is_empty()).count();
    let name = agree(&keys.name, &cust.name);
    let addr = agree(&keys.address, &cust.address);
    out.class = if conflict || name == Some(false) {
        RowClass::Partial
    } else if v > 1 || name == Some(true) || addr == Some(true) {
        RowClass::Consistent
    } else {
        RowClass::Uncorroborated
    };
    out.stale = out.class == RowClass::Consistent && (addr == Some(false) || unknown_ids > 0);
    out
}
