//! Bounded-memory external sorting, shared by the reference index builder (`leakscope-verify`)
//! and the breach corpus ingest (`leakscope-corpus`).
//!
//! A [`Sorter`] keeps records in memory up to a byte budget. When the buffer is full it is
//! sorted (on all cores) and equal records are folded together ([`Record::fold`]: dropped as
//! duplicates, or their counts summed); if that frees at least half the buffer, collection goes
//! on in memory, otherwise the buffer is written as a sorted *run* to a [`SpillDir`]. At the end
//! [`Sorter::into_merged`] k-way merges the runs and the in-memory tail into one sorted, folded
//! stream. Memory is the budget plus one read buffer per run, whatever the input size; input
//! that folds down (one e-mail repeated a billion times) never touches the disk.

#![warn(missing_docs)]

use rayon::prelude::*;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// A fixed-width record that can be sorted externally.
pub trait Record: Copy + Ord + Send + Sync {
    /// Encoded size in bytes.
    const WIDTH: usize;
    /// Writes the record into `out` (exactly [`Record::WIDTH`] bytes).
    fn encode(&self, out: &mut [u8]);
    /// Reads a record written by [`Record::encode`].
    fn decode(b: &[u8]) -> Self;
    /// Folds `next`, which sorts right after `self`, into `self`; false when they stay two
    /// records. The default drops exact duplicates.
    fn fold(&mut self, next: &Self) -> bool {
        *self == *next
    }
}

/// Where sorted runs are written: a temporary directory created on first use under a parent
/// (removed with everything in it when dropped), or an existing directory owned by the caller.
///
/// A created directory holds a `LOCK` file locked (`flock`) for as long as this value lives, so
/// that a cleaner can tell a directory left by a crashed process ([`SpillDir::is_abandoned`])
/// from one in use.
pub struct SpillDir {
    parent: PathBuf,
    prefix: String,
    owned: Option<(tempfile::TempDir, File)>,
    fixed: Option<PathBuf>,
    files: usize,
}

/// Name of the lock file inside a created spill directory.
pub const LOCK_FILE: &str = "LOCK";

impl SpillDir {
    /// A directory named `prefix…` created under `parent` when the first run is written.
    pub fn lazy(parent: &Path, prefix: &str) -> SpillDir {
        SpillDir {
            parent: parent.to_path_buf(),
            prefix: prefix.to_string(),
            owned: None,
            fixed: None,
            files: 0,
        }
    }

    /// Runs go into `dir`, which exists and outlives this value.
    pub fn at(dir: &Path) -> SpillDir {
        SpillDir {
            parent: dir.to_path_buf(),
            prefix: String::new(),
            owned: None,
            fixed: Some(dir.to_path_buf()),
            files: 0,
        }
    }

    /// Changes the parent of a lazy directory (only before the first run).
    pub fn set_parent(&mut self, parent: &Path) {
        if self.owned.is_none() && self.fixed.is_none() {
            self.parent = parent.to_path_buf();
        }
    }

    /// The directory, creating it if needed.
    pub fn dir(&mut self) -> std::io::Result<PathBuf> {
        if let Some(d) = &self.fixed {
            return Ok(d.clone());
        }
        if self.owned.is_none() {
            let mut b = tempfile::Builder::new();
            b.prefix(&self.prefix);
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                // Runs hold keyed hashes (and, for the corpus, password hashes): owner only.
                b.permissions(std::fs::Permissions::from_mode(0o700));
            }
            let d = b.tempdir_in(&self.parent).map_err(|e| {
                std::io::Error::new(
                    e.kind(),
                    format!(
                        "cannot create a temporary directory in {}: {e}",
                        self.parent.display()
                    ),
                )
            })?;
            let lock = private_file(&d.path().join(LOCK_FILE))?;
            fs4::FileExt::lock(&lock)?;
            self.owned = Some((d, lock));
        }
        Ok(self
            .owned
            .as_ref()
            .expect("created above")
            .0
            .path()
            .to_path_buf())
    }

    /// The directory if it exists already (created, or given to [`SpillDir::at`]).
    pub fn existing(&self) -> Option<&Path> {
        self.fixed
            .as_deref()
            .or(self.owned.as_ref().map(|(d, _)| d.path()))
    }

    /// Keeps a created directory (it is no longer removed on drop) and releases its lock;
    /// returns its path. The caller usually renames it into place right before.
    pub fn keep(self) -> Option<PathBuf> {
        self.owned.map(|(d, lock)| {
            drop(lock);
            d.keep()
        })
    }

    /// True when `dir` was made by a [`SpillDir`] whose process has ended (its lock is free, or
    /// it has none): safe to delete.
    pub fn is_abandoned(dir: &Path) -> bool {
        match File::open(dir.join(LOCK_FILE)) {
            Ok(f) => match fs4::FileExt::try_lock(&f) {
                Ok(()) => true,
                Err(_) => false,
            },
            Err(e) => e.kind() == std::io::ErrorKind::NotFound,
        }
    }

    /// A new, empty temporary file (read back with [`SpillDir::reopen`]).
    pub fn create(&mut self) -> std::io::Result<(PathBuf, BufWriter<File>)> {
        let dir = self.dir()?;
        self.files += 1;
        let path = dir.join(format!("run-{}", self.files));
        let f = private_file(&path)?;
        Ok((path, BufWriter::with_capacity(1 << 20, f)))
    }

    /// Opens a finished run file for reading.
    pub fn reopen(path: &Path) -> std::io::Result<BufReader<File>> {
        Ok(BufReader::with_capacity(256 << 10, File::open(path)?))
    }
}

/// Creates (or truncates) a file only its owner can read (mode 0600 on Unix).
fn private_file(path: &Path) -> std::io::Result<File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o.open(path)
}

/// Collects records with bounded memory; see the crate documentation.
pub struct Sorter<T: Record> {
    buf: Vec<T>,
    cap: usize,
    /// Run files and how many records each holds.
    runs: Vec<(PathBuf, u64)>,
    pushed: u64,
}

impl<T: Record> Sorter<T> {
    /// A sorter holding at most `budget_bytes` of records in memory.
    pub fn new(budget_bytes: usize) -> Sorter<T> {
        Sorter {
            buf: Vec::new(),
            cap: (budget_bytes / std::mem::size_of::<T>().max(1)).max(16),
            runs: Vec::new(),
            pushed: 0,
        }
    }

    /// Records pushed so far (before folding).
    pub fn pushed(&self) -> u64 {
        self.pushed
    }

    /// Runs written to disk so far.
    pub fn spilled_runs(&self) -> usize {
        self.runs.len()
    }

    /// Adds one record; sorts, folds and perhaps spills a run when the buffer is full.
    pub fn push(&mut self, r: T, spill: &mut SpillDir) -> std::io::Result<()> {
        if self.buf.capacity() == 0 {
            self.buf.reserve_exact(self.cap.min(1 << 16));
        }
        self.buf.push(r);
        self.pushed += 1;
        if self.buf.len() >= self.cap {
            self.compact();
            if self.buf.len() > self.cap / 2 {
                self.spill(spill)?;
            }
        }
        Ok(())
    }

    /// Sorts the buffer and folds equal neighbours.
    fn compact(&mut self) {
        self.buf.par_sort_unstable();
        self.buf.dedup_by(|next, kept| kept.fold(next));
    }

    fn spill(&mut self, spill: &mut SpillDir) -> std::io::Result<()> {
        let (path, mut w) = spill.create()?;
        let mut rec = vec![0u8; T::WIDTH];
        for r in &self.buf {
            r.encode(&mut rec);
            w.write_all(&rec)?;
        }
        w.flush()?;
        self.runs.push((path, self.buf.len() as u64));
        self.buf.clear();
        Ok(())
    }

    /// All records in order, equal ones folded; run files are deleted as they are read out.
    pub fn into_merged(mut self) -> std::io::Result<Merged<T>> {
        self.compact();
        let n = self.runs.len();
        // One read buffer per run: 256 KiB each, less when there are very many runs.
        let per_run = (64usize << 20)
            .checked_div(n)
            .unwrap_or(0)
            .clamp(16 << 10, 256 << 10);
        let mut readers = Vec::with_capacity(n);
        for (p, count) in &self.runs {
            let r = BufReader::with_capacity(per_run, File::open(p)?);
            readers.push(Some((r, *count)));
        }
        let mut m = Merged {
            paths: self.runs.into_iter().map(|(p, _)| p).collect(),
            readers,
            mem: self.buf.into_iter(),
            heap: BinaryHeap::with_capacity(n + 1),
            pending: None,
            rec: vec![0u8; T::WIDTH],
            failed: false,
        };
        if n > 0 {
            for i in 0..=n {
                if let Some(r) = m.next_from(i)? {
                    m.heap.push(Reverse((r, i)));
                }
            }
        }
        Ok(m)
    }
}

/// The sorted, folded stream of a [`Sorter`].
pub struct Merged<T: Record> {
    paths: Vec<PathBuf>,
    /// Open runs with the records still to come from each.
    readers: Vec<Option<(BufReader<File>, u64)>>,
    mem: std::vec::IntoIter<T>,
    heap: BinaryHeap<Reverse<(T, usize)>>,
    pending: Option<T>,
    rec: Vec<u8>,
    failed: bool,
}

impl<T: Record> Merged<T> {
    /// The next record of source `i` (a run, or the in-memory tail at `i == runs`).
    fn next_from(&mut self, i: usize) -> std::io::Result<Option<T>> {
        if i == self.readers.len() {
            return Ok(self.mem.next());
        }
        let Some((r, left)) = self.readers[i].as_mut() else {
            return Ok(None);
        };
        if *left == 0 {
            self.readers[i] = None;
            let _ = std::fs::remove_file(&self.paths[i]);
            return Ok(None);
        }
        *left -= 1;
        match r.read_exact(&mut self.rec) {
            Ok(()) => Ok(Some(T::decode(&self.rec))),
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("sorted run {} is truncated", self.paths[i].display()),
            )),
            Err(e) => Err(e),
        }
    }

    /// The next record in order before folding.
    fn next_raw(&mut self) -> std::io::Result<Option<T>> {
        if self.readers.is_empty() {
            return Ok(self.mem.next());
        }
        let Some(Reverse((r, i))) = self.heap.pop() else {
            return Ok(None);
        };
        if let Some(next) = self.next_from(i)? {
            self.heap.push(Reverse((next, i)));
        }
        Ok(Some(r))
    }

    fn step(&mut self) -> std::io::Result<Option<T>> {
        loop {
            let Some(next) = self.next_raw()? else {
                return Ok(self.pending.take());
            };
            match self.pending.as_mut() {
                None => self.pending = Some(next),
                Some(p) => {
                    if !p.fold(&next) {
                        let out = *p;
                        *p = next;
                        return Ok(Some(out));
                    }
                }
            }
        }
    }
}

impl<T: Record> Iterator for Merged<T> {
    type Item = std::io::Result<T>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        match self.step() {
            Ok(r) => r.map(Ok),
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

impl Record for u64 {
    const WIDTH: usize = 8;
    fn encode(&self, out: &mut [u8]) {
        out.copy_from_slice(&self.to_be_bytes());
    }
    fn decode(b: &[u8]) -> Self {
        u64::from_be_bytes(b.try_into().expect("8 bytes"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value and a count; equal values fold by adding counts.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    struct Counted(u32, u32);

    impl Record for Counted {
        const WIDTH: usize = 8;
        fn encode(&self, out: &mut [u8]) {
            out[..4].copy_from_slice(&self.0.to_be_bytes());
            out[4..].copy_from_slice(&self.1.to_be_bytes());
        }
        fn decode(b: &[u8]) -> Self {
            Counted(
                u32::from_be_bytes(b[..4].try_into().unwrap()),
                u32::from_be_bytes(b[4..].try_into().unwrap()),
            )
        }
        fn fold(&mut self, next: &Self) -> bool {
            if self.0 != next.0 {
                return false;
            }
            self.1 += next.1;
            true
        }
    }

    fn lcg(x: &mut u64) -> u64 {
        *x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        *x >> 33
    }

    #[test]
    fn merges_runs_and_folds_across_them() {
        let parent = tempfile::tempdir().unwrap();
        let mut spill = SpillDir::lazy(parent.path(), ".sort-");
        let mut s: Sorter<Counted> = Sorter::new(8 * 64);
        let mut want = std::collections::BTreeMap::new();
        let mut x = 7;
        for _ in 0..5000 {
            let v = (lcg(&mut x) % 3000) as u32;
            s.push(Counted(v, 1), &mut spill).unwrap();
            *want.entry(v).or_insert(0u32) += 1;
        }
        assert!(s.spilled_runs() > 10, "diverse input spills");
        let got: Vec<Counted> = s.into_merged().unwrap().map(Result::unwrap).collect();
        let want: Vec<Counted> = want.into_iter().map(|(v, n)| Counted(v, n)).collect();
        assert_eq!(got, want);
        let dir = spill.dir().unwrap();
        let left: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, [LOCK_FILE], "runs deleted once read");
    }

    #[test]
    fn repetitive_input_never_spills() {
        let parent = tempfile::tempdir().unwrap();
        let mut spill = SpillDir::lazy(parent.path(), ".sort-");
        let mut s: Sorter<u64> = Sorter::new(8 * 100);
        for i in 0..1_000_000u64 {
            s.push(i % 7, &mut spill).unwrap();
        }
        assert_eq!(s.spilled_runs(), 0);
        assert_eq!(s.pushed(), 1_000_000);
        let got: Vec<u64> = s.into_merged().unwrap().map(Result::unwrap).collect();
        assert_eq!(got, (0..7).collect::<Vec<_>>());
        assert_eq!(
            std::fs::read_dir(parent.path()).unwrap().count(),
            0,
            "no directory made"
        );
    }

    #[test]
    fn a_live_spill_directory_is_not_abandoned() {
        let parent = tempfile::tempdir().unwrap();
        let mut spill = SpillDir::lazy(parent.path(), "work-");
        let dir = spill.dir().unwrap();
        assert!(!SpillDir::is_abandoned(&dir), "locked while in use");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o700, "private");
        }
        let kept = spill.keep().unwrap();
        assert_eq!(kept, dir);
        assert!(dir.exists(), "kept directories stay");
        assert!(SpillDir::is_abandoned(&dir), "lock released");
    }

    #[test]
    fn a_damaged_run_is_an_error_not_a_wrong_answer() {
        let parent = tempfile::tempdir().unwrap();
        let mut spill = SpillDir::at(parent.path());
        let mut s: Sorter<u64> = Sorter::new(8 * 16);
        for i in 0..100u64 {
            s.push(i * 7919 % 1000, &mut spill).unwrap();
        }
        assert!(s.spilled_runs() >= 2);
        std::fs::write(parent.path().join("run-2"), [1u8, 2, 3]).unwrap();
        let failed = match s.into_merged() {
            Err(_) => true,
            Ok(m) => m.collect::<Vec<_>>().iter().any(|r| r.is_err()),
        };
        assert!(failed, "a truncated run must be reported");
    }
}
