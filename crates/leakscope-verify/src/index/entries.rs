//! Bounded-memory sort of identifier entries `(16-byte hash, u32 customer ordinal)`: fixed
//! 20-byte records in runs of bounded size spilled to temporary files, then a k-way merge straight
//! into the index file.

use super::runs::{io_err, Spill};
use crate::error::VerifyError;
use rayon::prelude::*;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::io::{Read, Write};
use std::path::PathBuf;

/// Bytes of one identifier entry in runs and in the index.
const ENTRY: usize = 20;

/// Sorts `(hash, ordinal)` entries with bounded memory.
pub struct EntrySorter {
    buf: Vec<([u8; 16], u32)>,
    cap: usize,
    runs: Vec<PathBuf>,
    /// Entries added.
    pub len: u64,
}

impl EntrySorter {
    /// At most `run_bytes` of entries in memory.
    pub fn new(run_bytes: usize) -> EntrySorter {
        EntrySorter {
            buf: Vec::new(),
            cap: (run_bytes / 24).max(4),
            runs: Vec::new(),
            len: 0,
        }
    }

    /// Adds one entry.
    pub fn push(&mut self, e: ([u8; 16], u32), spill: &mut Spill) -> Result<(), VerifyError> {
        self.buf.push(e);
        self.len += 1;
        if self.buf.len() >= self.cap {
            self.buf.par_sort_unstable();
            let (path, mut w) = spill.create()?;
            for (h, o) in &self.buf {
                w.write_all(h)
                    .and_then(|_| w.write_all(&o.to_le_bytes()))
                    .map_err(io_err("cannot write a run"))?;
            }
            w.flush().map_err(io_err("cannot write a run"))?;
            self.runs.push(path);
            self.buf.clear();
        }
        Ok(())
    }

    /// Runs written to disk so far.
    pub fn spilled_runs(&self) -> usize {
        self.runs.len()
    }

    /// Merges all entries (plus `extra`, already sorted) in order, calling `emit` for each.
    pub fn merge(
        mut self,
        extra: Option<Box<dyn Iterator<Item = ([u8; 16], u32)> + '_>>,
        emit: &mut dyn FnMut([u8; 16], u32) -> Result<(), VerifyError>,
    ) -> Result<(), VerifyError> {
        self.buf.par_sort_unstable();
        let mut files = Vec::with_capacity(self.runs.len());
        for p in &self.runs {
            files.push(Spill::reopen(p)?);
        }
        let mut mem = self.buf.into_iter();
        let mut extra = extra;
        let n = files.len();
        let mut next = |i: usize| -> Result<Option<([u8; 16], u32)>, VerifyError> {
            if i < n {
                let mut b = [0u8; ENTRY];
                match files[i].read_exact(&mut b) {
                    Ok(()) => Ok(Some((
                        b[..16].try_into().expect("16 bytes"),
                        u32::from_le_bytes(b[16..].try_into().expect("4 bytes")),
                    ))),
                    Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                        let _ = std::fs::remove_file(&self.runs[i]);
                        Ok(None)
                    }
                    Err(e) => Err(io_err("cannot read a run")(e)),
                }
            } else if i == n {
                Ok(mem.next())
            } else {
                Ok(extra.as_mut().and_then(|x| x.next()))
            }
        };
        let mut heap = BinaryHeap::with_capacity(n + 2);
        for i in 0..n + 2 {
            if let Some(e) = next(i)? {
                heap.push(Reverse((e, i)));
            }
        }
        while let Some(Reverse((e, i))) = heap.pop() {
            emit(e.0, e.1)?;
            if let Some(e) = next(i)? {
                heap.push(Reverse((e, i)));
            }
        }
        Ok(())
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
        assert!(s.spilled_runs() >= 9);
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
