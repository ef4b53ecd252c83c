//! The exact set of individual keys: keyed 64-bit hashes of normalised identifiers, shared by all
//! workers, sharded behind mutexes, with a hard limit past which it gives up (the caller then
//! relies on HyperLogLog).
//!
//! Keys are random-looking 64-bit values, so each shard is a compact open-addressing table of
//! `u64` (8 bytes a slot, load ≤ 0.85, grown ×1.5) — about 10 bytes per key, a fraction of a std
//! `HashSet`. Two different people collide with probability about `n² / 2^65`: for 16 million
//! keys that is under 10⁻⁵ expected collisions, negligible.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

const SHARD_BITS: u32 = 6;
const SHARDS: usize = 1 << SHARD_BITS;
/// The empty-slot marker; a real key equal to it is stored as [`ZERO_STANDIN`].
const EMPTY: u64 = 0;
const ZERO_STANDIN: u64 = 0x8000_0000_0000_0001;

#[derive(Debug, Default)]
struct Table {
    slots: Vec<u64>,
    len: usize,
}

impl Table {
    fn slot_of(&self, key: u64) -> usize {
        // Multiply-shift range reduction on the low bits (the top bits pick the shard).
        ((key.rotate_left(SHARD_BITS) as u128 * self.slots.len() as u128) >> 64) as usize
    }

    /// Inserts; true when the key was new.
    fn insert(&mut self, key: u64) -> bool {
        let key = if key == EMPTY { ZERO_STANDIN } else { key };
        if (self.len + 1) * 100 > self.slots.len() * 85 {
            self.grow();
        }
        let n = self.slots.len();
        let mut i = self.slot_of(key);
        loop {
            let s = self.slots[i];
            if s == key {
                return false;
            }
            if s == EMPTY {
                self.slots[i] = key;
                self.len += 1;
                return true;
            }
            i += 1;
            if i == n {
                i = 0;
            }
        }
    }

    fn grow(&mut self) {
        let new_cap = (self.slots.len() * 3 / 2).max(64);
        let old = std::mem::replace(&mut self.slots, vec![EMPTY; new_cap]);
        self.len = 0;
        for k in old.into_iter().filter(|&k| k != EMPTY) {
            self.insert(k);
        }
    }
}

/// A concurrent exact set of 64-bit keys with a size limit.
#[derive(Debug)]
pub struct KeySet {
    shards: Vec<Mutex<Table>>,
    len: AtomicU64,
    limit: u64,
    overflowed: AtomicBool,
}

impl KeySet {
    /// An empty set that stops (and frees its memory) once it would hold more than `limit` keys.
    pub fn new(limit: u64) -> Self {
        KeySet {
            shards: (0..SHARDS).map(|_| Mutex::new(Table::default())).collect(),
            len: AtomicU64::new(0),
            limit,
            overflowed: AtomicBool::new(false),
        }
    }

    /// True once the limit was passed; the set is then empty and no longer exact.
    pub fn overflowed(&self) -> bool {
        self.overflowed.load(Ordering::Relaxed)
    }

    /// Distinct keys inserted (meaningful only while not overflowed).
    pub fn len(&self) -> u64 {
        self.len.load(Ordering::Relaxed)
    }

    /// True when nothing was inserted.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Inserts a batch of keys; `on_new(i)` is called for each index `i` of `keys` whose key
    /// was not in the set before. Sorts `keys` in place (grouping them by shard). Does nothing
    /// once overflowed.
    pub fn insert_batch(&self, keys: &mut [(u64, u32)], mut on_new: impl FnMut(u32)) {
        if self.overflowed() {
            return;
        }
        keys.sort_unstable_by_key(|k| k.0);
        let mut start = 0;
        let mut added = 0u64;
        while start < keys.len() {
            let shard = (keys[start].0 >> (64 - SHARD_BITS)) as usize;
            let mut end = start;
            while end < keys.len() && (keys[end].0 >> (64 - SHARD_BITS)) as usize == shard {
                end += 1;
            }
            let mut table = self.shards[shard].lock().unwrap_or_else(|e| e.into_inner());
            for &(k, tag) in &keys[start..end] {
                if table.insert(k) {
                    added += 1;
                    on_new(tag);
                }
            }
            drop(table);
            start = end;
        }
        let total = self.len.fetch_add(added, Ordering::Relaxed) + added;
        if total > self.limit {
            self.overflow();
        }
    }

    /// The keys held (empty once overflowed), in no particular order.
    pub(crate) fn keys(&self) -> Vec<u64> {
        let mut out = Vec::with_capacity(self.len() as usize);
        for s in &self.shards {
            let t = s.lock().unwrap_or_else(|e| e.into_inner());
            out.extend(t.slots.iter().copied().filter(|&k| k != EMPTY));
        }
        out
    }

    fn overflow(&self) {
        self.overflowed.store(true, Ordering::Relaxed);
        for s in &self.shards {
            let mut t = s.lock().unwrap_or_else(|e| e.into_inner());
            *t = Table::default();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hll::mix64;

    #[test]
    fn counts_distinct_keys_and_reports_new_ones() {
        let set = KeySet::new(1_000_000);
        let mut keys: Vec<(u64, u32)> = (0..50_000u64)
            .map(|i| (mix64(i % 20_000 + 1), i as u32))
            .collect();
        keys.push((0, 7)); // the empty marker is still a valid key
        let mut new = 0;
        set.insert_batch(&mut keys, |_| new += 1);
        assert_eq!(new, 20_001);
        assert_eq!(set.len(), 20_001);
        let mut again: Vec<(u64, u32)> = (1..10u64).map(|i| (mix64(i), 0)).collect();
        let mut new2 = 0;
        set.insert_batch(&mut again, |_| new2 += 1);
        assert_eq!(new2, 0);
        assert!(!set.overflowed());
    }

    #[test]
    fn overflows_past_the_limit_and_frees_memory() {
        let set = KeySet::new(1_000);
        let mut keys: Vec<(u64, u32)> = (0..999u64).map(|i| (mix64(i), 0)).collect();
        set.insert_batch(&mut keys, |_| {});
        assert!(!set.overflowed());
        let mut more: Vec<(u64, u32)> = (1000..1100u64).map(|i| (mix64(i), 0)).collect();
        set.insert_batch(&mut more, |_| {});
        assert!(set.overflowed());
        assert!(set
            .shards
            .iter()
            .all(|s| s.lock().unwrap().slots.is_empty()));
    }
}
