//! Rows per tenant (merchant / shop): exact counts up to a cap on distinct tenants, then a
//! Space-Saving top-k sketch (Metwally et al.) whose counts over-estimate by at most the smallest
//! counter. Distinct tenant numbers come from the column's HyperLogLog, not from here.
//!
//! Tenants are keyed by the 64-bit hash the worker already computed for the column's sketch, so
//! counting a row is one lookup of an integer; the name is stored once per tenant.

use std::collections::HashMap;

use crate::hll::{fast_hash, IdBuild};

/// One tracked tenant.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Entry {
    name: Box<str>,
    n: u64,
    /// A name from another merchant column, seen with the tenant's first row.
    label: Option<Box<str>>,
}

/// Counts rows per tenant name.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TenantCounter {
    counts: HashMap<u64, Entry, IdBuild>,
    /// Distinct tenants kept exactly; past this the counter becomes a sketch of `sketch_k`.
    exact_cap: usize,
    sketch_k: usize,
    sketch: bool,
}

impl TenantCounter {
    /// A counter exact up to `exact_cap` tenants, then a top-`sketch_k` Space-Saving sketch.
    pub fn new(exact_cap: usize, sketch_k: usize) -> Self {
        TenantCounter {
            counts: HashMap::default(),
            exact_cap,
            sketch_k: sketch_k.max(1),
            sketch: false,
        }
    }

    /// True while every count is exact.
    pub fn is_exact(&self) -> bool {
        !self.sketch
    }

    /// Distinct tenants tracked (exact number while [`is_exact`](Self::is_exact)).
    pub fn tracked(&self) -> usize {
        self.counts.len()
    }

    /// Adds `n` rows for `name`.
    pub fn add(&mut self, name: &str, n: u64) {
        self.add_hashed(fast_hash(name.as_bytes()), name, n);
    }

    /// Adds `n` rows for `name`, whose [`fast_hash`] is `hash` (allocates only for a tenant not
    /// yet tracked).
    #[inline]
    pub fn add_hashed(&mut self, hash: u64, name: &str, n: u64) {
        self.add_labelled(hash, name, None, n);
    }

    /// Like [`add_hashed`](Self::add_hashed), keeping `label` (the tenant's name beside its id)
    /// when the tenant is first seen.
    #[inline]
    pub fn add_labelled(&mut self, hash: u64, name: &str, label: Option<&str>, n: u64) {
        if let Some(e) = self.counts.get_mut(&hash) {
            e.n += n;
            if e.label.is_none() {
                e.label = label.map(Into::into);
            }
            return;
        }
        self.insert_new(hash, name, label, n);
    }

    fn insert_new(&mut self, hash: u64, name: &str, label: Option<&str>, n: u64) {
        if !self.sketch && self.counts.len() >= self.exact_cap {
            self.sketch = true;
            self.shrink_to(self.sketch_k);
        }
        let mut n = n;
        if self.sketch && self.counts.len() >= self.sketch_k {
            // Space-Saving: the new item replaces the minimum and inherits its count.
            let min = self
                .counts
                .iter()
                .min_by(|a, b| a.1.n.cmp(&b.1.n).then_with(|| b.1.name.cmp(&a.1.name)))
                .map(|(k, e)| (*k, e.n));
            if let Some((k, min_n)) = min {
                self.counts.remove(&k);
                n += min_n;
            }
        }
        self.counts.insert(
            hash,
            Entry {
                name: name.into(),
                n,
                label: label.map(Into::into),
            },
        );
    }

    fn shrink_to(&mut self, k: usize) {
        if self.counts.len() <= k {
            return;
        }
        let mut v: Vec<(u64, Entry)> = self.counts.drain().collect();
        v.sort_by(|a, b| b.1.n.cmp(&a.1.n).then_with(|| a.1.name.cmp(&b.1.name)));
        v.truncate(k);
        self.counts = v.into_iter().collect();
    }

    /// Adds everything `other` counted.
    pub fn merge(&mut self, other: &TenantCounter) {
        if other.sketch {
            self.sketch = true;
        }
        for (hash, e) in &other.counts {
            match self.counts.get_mut(hash) {
                Some(mine) => {
                    mine.n += e.n;
                    if mine.label.is_none() {
                        mine.label = e.label.clone();
                    }
                }
                None => {
                    self.counts.insert(*hash, e.clone());
                }
            }
        }
        if self.sketch {
            self.shrink_to(self.sketch_k);
        } else if self.counts.len() > self.exact_cap {
            self.sketch = true;
            self.shrink_to(self.sketch_k);
        }
    }

    /// The `n` largest tenants by rows, ties broken by name.
    pub fn top(&self, n: usize) -> Vec<(String, u64)> {
        self.top_labelled(n)
            .into_iter()
            .map(|(name, rows, _)| (name, rows))
            .collect()
    }

    /// The `n` largest tenants with their row counts and labels.
    pub fn top_labelled(&self, n: usize) -> Vec<(String, u64, Option<String>)> {
        let mut v: Vec<(String, u64, Option<String>)> = self
            .counts
            .values()
            .map(|e| {
                (
                    e.name.to_string(),
                    e.n,
                    e.label.as_deref().map(str::to_string),
                )
            })
            .collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        v.truncate(n);
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Zipf-like: tenant `i` gets about `1000 / (i + 1)` rows, interleaved deterministically.
    fn feed(c: &mut TenantCounter, tenants: usize) -> Vec<(String, u64)> {
        let mut truth: Vec<(String, u64)> = Vec::new();
        for i in 0..tenants {
            truth.push((format!("shop-{i:05}"), (1000 / (i + 1)) as u64 + 1));
        }
        let mut left: Vec<u64> = truth.iter().map(|t| t.1).collect();
        let mut any = true;
        while any {
            any = false;
            for (i, l) in left.iter_mut().enumerate() {
                if *l > 0 {
                    c.add(&truth[i].0, 1);
                    *l -= 1;
                    any = true;
                }
            }
        }
        truth
    }

    #[test]
    fn exact_below_the_cap() {
        let mut c = TenantCounter::new(10_000, 100);
        let truth = feed(&mut c, 500);
        assert!(c.is_exact());
        assert_eq!(c.tracked(), 500);
        let top = c.top(20);
        assert_eq!(top, truth[..20].to_vec());
    }

    #[test]
    fn sketch_keeps_the_heavy_hitters_past_the_cap() {
        let mut c = TenantCounter::new(200, 100);
        let truth = feed(&mut c, 3_000);
        assert!(!c.is_exact());
        assert!(c.tracked() <= 100);
        let top: Vec<String> = c.top(10).into_iter().map(|t| t.0).collect();
        let want: Vec<String> = truth[..10].iter().map(|t| t.0.clone()).collect();
        assert_eq!(top, want);
        // Over-estimates are bounded by the smallest counter.
        let min = c.counts.values().map(|e| e.n).min().unwrap();
        for (name, n) in c.top(10) {
            let t = truth.iter().find(|t| t.0 == name).unwrap().1;
            assert!(n >= t && n <= t + min, "{name}: {n} vs {t}");
        }
    }

    #[test]
    fn merge_adds_counts() {
        let mut a = TenantCounter::new(100, 10);
        let mut b = TenantCounter::new(100, 10);
        a.add("x", 3);
        b.add("x", 4);
        b.add("y", 1);
        a.merge(&b);
        assert_eq!(a.top(5), vec![("x".to_string(), 7), ("y".to_string(), 1)]);
        assert!(a.is_exact());
    }
}
