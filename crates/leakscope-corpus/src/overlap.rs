//! Re-post detection: how much of a new leak the corpus already knows, per earlier breach.

use crate::records::Records;
use crate::store::{OverlapRow, Result, Store};
use serde::Serialize;

/// Share of a new leak's identifiers found in one earlier breach above which the leak is called
/// a likely re-post of that breach.
pub const REPOST_SHARE: f64 = 0.90;
/// Share of a new leak's identifiers found across earlier breaches (none alone above
/// [`REPOST_SHARE`]) above which it is called a likely compilation (combolist) of known data.
pub const COMPILATION_SHARE: f64 = 0.90;

/// One earlier breach's share of the new leak.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OverlapShare {
    /// Earlier breach name.
    pub breach: String,
    /// Identifiers of the new leak it holds.
    pub shared: u64,
    /// `shared / identifiers` of the new leak (0..1).
    pub share: f64,
}

/// Verdict on a new leak.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Mostly new identifiers.
    New,
    /// Most identifiers are in one earlier breach.
    LikelyRepost,
    /// Most identifiers are known, spread over several earlier breaches.
    LikelyCompilation,
    /// The leak had no identifiers to compare.
    Empty,
}

/// The overlap report (`leakscope.corpus.overlap/1`).
#[derive(Debug, Clone, Serialize)]
pub struct OverlapReport {
    /// Schema id.
    pub schema: &'static str,
    /// Distinct identifiers in the new leak.
    pub identifiers: u64,
    /// Of those, already in at least one earlier breach.
    pub known: u64,
    /// Identifiers not seen before.
    pub new: u64,
    /// Per earlier breach, largest share first.
    pub breaches: Vec<OverlapShare>,
    /// The verdict.
    pub verdict: Verdict,
    /// One-line human summary.
    pub summary: String,
}

/// Compares sorted distinct keyed ids against the store.
pub fn overlap_report(store: &dyn Store, ids: &Records<16>) -> Result<OverlapReport> {
    let (rows, known) = store.overlap(ids)?;
    Ok(report(rows, known, ids.len() as u64))
}

/// The report for a leak of `n` distinct identifiers, `known` of them in earlier breaches, with
/// the per-breach counts `rows`.
pub fn report(rows: Vec<OverlapRow>, known: u64, n: u64) -> OverlapReport {
    let mut breaches: Vec<OverlapShare> = rows
        .into_iter()
        .map(|r| OverlapShare {
            share: if n == 0 {
                0.0
            } else {
                r.shared as f64 / n as f64
            },
            breach: r.breach,
            shared: r.shared,
        })
        .collect();
    breaches.sort_by(|a, b| {
        b.shared
            .cmp(&a.shared)
            .then_with(|| a.breach.cmp(&b.breach))
    });
    let known_share = if n == 0 { 0.0 } else { known as f64 / n as f64 };
    let (verdict, summary) = match breaches.first() {
        _ if n == 0 => (Verdict::Empty, "no identifiers to compare".to_string()),
        Some(top) if top.share >= REPOST_SHARE => (
            Verdict::LikelyRepost,
            format!("{:.0}% of identifiers already in `{}`: likely a re-post", top.share * 100.0, top.breach),
        ),
        _ if known_share >= COMPILATION_SHARE => (
            Verdict::LikelyCompilation,
            format!(
                "{:.0}% of identifiers already known across {} earlier breaches: likely a compilation of old data",
                known_share * 100.0,
                breaches.len()
            ),
        ),
        Some(top) => (
            Verdict::New,
            format!(
                "{:.0}% of identifiers are new; largest overlap {:.0}% with `{}`",
                (1.0 - known_share) * 100.0,
                top.share * 100.0,
                top.breach
            ),
        ),
        None => (Verdict::New, "all identifiers are new to the corpus".to_string()),
    };
    OverlapReport {
        schema: "leakscope.corpus.overlap/1",
        identifiers: n,
        known,
        new: n - known,
        breaches,
        verdict,
        summary,
    }
}
