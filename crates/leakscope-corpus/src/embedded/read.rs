//! The embedded store's lookups over a snapshot of memory-mapped segments.

use super::Snapshot;
use crate::passwords::PwMode;
use crate::records::Records;
use crate::segment::Segment;
use crate::store::{CorpusError, OverlapRow, RangeHit, Result};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

/// Names of the breaches holding a keyed identifier hash.
pub(super) fn lookup(snap: &Snapshot, id: &[u8; 16]) -> Vec<String> {
    snap.breaches
        .iter()
        .filter(|b| b.ids().find(id).is_some())
        .map(|b| b.entry.breach.name.clone())
        .collect()
}

fn read_err(e: std::io::Error) -> CorpusError {
    CorpusError::Io("overlap: reading identifiers".into(), e)
}

/// Per breach, how many of `new` it holds, and how many of `new` are in any breach. Each breach
/// is compared on its own thread; a shared bitmap (one bit per new identifier) gives the union.
pub(super) fn overlap(snap: &Snapshot, new: &Records<16>) -> Result<(Vec<OverlapRow>, u64)> {
    let hit: Vec<AtomicU64> = (0..new.len().div_ceil(64))
        .map(|_| AtomicU64::new(0))
        .collect();
    let rows: Vec<OverlapRow> = snap
        .breaches
        .par_iter()
        .map(|b| {
            mark_shared(new, b.ids(), &hit).map(|shared| OverlapRow {
                breach: b.entry.breach.name.clone(),
                shared,
            })
        })
        .collect::<std::io::Result<Vec<_>>>()
        .map_err(read_err)?
        .into_iter()
        .filter(|r| r.shared > 0)
        .collect();
    let known = hit
        .iter()
        .map(|w| u64::from(w.load(Ordering::Relaxed).count_ones()))
        .sum();
    Ok((rows, known))
}

/// Marks in `hit` the positions of `new` present in `seg`; returns how many. Binary search in the
/// mapped segment when the new side is much smaller; else both sides are read as streams in a
/// merge walk (the breach's file read through a buffer rather than its memory map, so a large
/// comparison does not grow resident memory).
fn mark_shared(new: &Records<16>, seg: &Segment, hit: &[AtomicU64]) -> std::io::Result<u64> {
    let m = seg.len();
    if m == 0 || new.is_empty() {
        return Ok(0);
    }
    let mut n = 0u64;
    let mut mark = |i: usize| {
        hit[i / 64].fetch_or(1 << (i % 64), Ordering::Relaxed);
        n += 1;
    };
    let old_stream = seg.path().map(|path| Records::<16>::File {
        path: path.to_path_buf(),
        len: m,
    });
    let Some(old) = old_stream.filter(|_| new.len().saturating_mul(16) >= m) else {
        for (i, id) in new.stream()?.enumerate() {
            if seg.find(&id?).is_some() {
                mark(i);
            }
        }
        return Ok(n);
    };
    let (mut a, mut b) = (new.stream()?, old.stream()?);
    let (mut x, mut y) = (a.next().transpose()?, b.next().transpose()?);
    let mut i = 0;
    while let (Some(xv), Some(yv)) = (x, y) {
        match xv.cmp(&yv) {
            std::cmp::Ordering::Less => {
                x = a.next().transpose()?;
                i += 1;
            }
            std::cmp::Ordering::Greater => y = b.next().transpose()?,
            std::cmp::Ordering::Equal => {
                mark(i);
                x = a.next().transpose()?;
                i += 1;
                y = b.next().transpose()?;
            }
        }
    }
    Ok(n)
}

/// E-mails whose SHA-1 starts with the prefix, with their breaches.
pub(super) fn email_range(snap: &Snapshot, prefix: [u8; 3]) -> Vec<RangeHit> {
    let mut hits: BTreeMap<[u8; 20], Vec<String>> = BTreeMap::new();
    for b in &snap.breaches {
        let seg = &b.segs[2];
        for i in seg.prefix_range(&prefix, 24) {
            let h: [u8; 20] = seg.get(i).try_into().expect("20 bytes");
            hits.entry(h).or_default().push(b.entry.breach.name.clone());
        }
    }
    hits.into_iter()
        .map(|(sha1, breaches)| RangeHit { sha1, breaches })
        .collect()
}

/// Password hashes in a 20-bit prefix with counts summed over breaches.
pub(super) fn password_range(
    snap: &Snapshot,
    prefix: [u8; 3],
    mode: PwMode,
) -> Vec<(Vec<u8>, u64)> {
    let slot = if mode == PwMode::Sha1 { 3 } else { 4 };
    let w = mode.width();
    let mut acc: BTreeMap<Vec<u8>, u64> = BTreeMap::new();
    for b in &snap.breaches {
        let seg = &b.segs[slot];
        for i in seg.prefix_range(&prefix, 20) {
            let r = seg.get(i);
            let count = u32::from_be_bytes(r[w..w + 4].try_into().expect("4 bytes"));
            *acc.entry(r[..w].to_vec()).or_default() += u64::from(count);
        }
    }
    acc.into_iter().collect()
}

/// Keyed identifier hashes of the accounts of a keyed e-mail domain, with their breaches.
pub(super) fn domain_accounts(
    snap: &Snapshot,
    domain_key: [u8; 8],
) -> Vec<([u8; 16], Vec<String>)> {
    let mut out: BTreeMap<[u8; 16], Vec<String>> = BTreeMap::new();
    for b in &snap.breaches {
        let dom = &b.segs[1];
        let start = dom.lower_bound(&domain_key);
        for i in start..dom.len() {
            let r = dom.get(i);
            if r[..8] != domain_key {
                break;
            }
            let idx = u32::from_be_bytes(r[8..12].try_into().expect("4 bytes")) as usize;
            if idx < b.ids().len() {
                let id: [u8; 16] = b.ids().get(idx).try_into().expect("16 bytes");
                out.entry(id).or_default().push(b.entry.breach.name.clone());
            }
        }
    }
    out.into_iter().collect()
}
