//! Bounded-memory sort of identifier entries `(16-byte hash, u32 customer ordinal)`: the shared
//! external sorter ([`leakscope_extsort::Sorter`]) with 20-byte records, then a merge with the
//! entries kept from an existing index straight into the index file.

use super::runs::{io_err, Spill};
use crate::error::VerifyError;
use leakscope_extsort::{Record, Sorter};

/// One identifier entry; ordered by hash, then customer ordinal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Entry([u8; 16], u32);

impl Record for Entry {
    const WIDTH: usize = 20;
    fn encode(&self, out: &mut [u8]) {
        out[..16].copy_from_slice(&self.0);
        out[16..].copy_from_slice(&self.1.to_be_bytes());
    }
    fn decode(b: &[u8]) -> Self {
        Entry(
            b[..16].try_into().expect("16 bytes"),
            u32::from_be_bytes(b[16..].try_into().expect("4 bytes")),
        )
    }
    /// Every entry is kept (the same identifier may belong to several customers).
    fn fold(&mut self, _next: &Self) -> bool {
        false
    }
}

/// Sorts `(hash, ordinal)` entries with bounded memory.
pub struct EntrySorter {
    sorter: Sorter<Entry>,
    /// Entries added.
    pub len: u64,
}

impl EntrySorter {
    /// At most `run_bytes` of entries in memory.
    pub fn new(run_bytes: usize) -> EntrySorter {
        EntrySorter {
            sorter: Sorter::new(run_bytes),
            len: 0,
        }
    }

    /// Adds one entry.
    pub fn push(&mut self, e: ([u8; 16], u32), spill: &mut Spill) -> Result<(), VerifyError> {
        self.len += 1;
        self.sorter
            .push(Entry(e.0, e.1), spill.dir())
            .map_err(io_err("cannot write a run"))
    }

    /// Runs written to disk so far.
    pub fn spilled_runs(&self) -> usize {
        self.sorter.spilled_runs()
    }

    /// Merges all entries (plus `extra`, already sorted) in order, calling `emit` for each.
    pub fn merge(
        self,
        extra: Option<Box<dyn Iterator<Item = ([u8; 16], u32)> + '_>>,
        emit: &mut dyn FnMut([u8; 16], u32) -> Result<(), VerifyError>,
    ) -> Result<(), VerifyError> {
        let read = io_err("cannot read a run");
        let mut sorted = self.sorter.into_merged().map_err(&read)?.peekable();
        let mut extra = extra.map(|x| x.peekable());
        loop {
            let next_extra = extra.as_mut().and_then(|x| x.peek().copied());
            let take_sorted = match (sorted.peek(), next_extra) {
                (None, None) => return Ok(()),
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (Some(Err(_)), _) => true,
                (Some(Ok(a)), Some(b)) => (a.0, a.1) <= b,
            };
            if take_sorted {
                let e = sorted.next().expect("peeked").map_err(&read)?;
                emit(e.0, e.1)?;
            } else {
                let (h, o) = extra.as_mut().and_then(|x| x.next()).expect("peeked");
                emit(h, o)?;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_merge_sorted_across_runs_and_an_extra_source() {
        let dir = tempfile::tempdir().unwrap();
        let mut spill = Spill::new(dir.path().to_path_buf());
        let mut s = EntrySorter::new(24 * 5);
        let mut want = Vec::new();
        for i in 0..50u32 {
            let e = ([(i.wrapping_mul(37) % 50) as u8; 16], i);
            s.push(e, &mut spill).unwrap();
            want.push(e);
        }
        assert!(s.spilled_runs() >= 2, "several runs to merge");
        let extra: Vec<([u8; 16], u32)> =
            (0..5u32).map(|i| ([i as u8 * 10; 16], 100 + i)).collect();
        want.extend(extra.iter().copied());
        want.sort_unstable();
        let mut got = Vec::new();
        s.merge(Some(Box::new(extra.into_iter())), &mut |h, o| {
            got.push((h, o));
            Ok(())
        })
        .unwrap();
        assert_eq!(got, want);
    }
}
