//! The sorted, distinct record sets of a prepared leak (keyed identifier hashes, the domain
//! index, e-mail SHA-1s, password hashes with counts): in memory when small, else a segment file
//! in the ingest's working directory, so that no set has to fit in memory.

use crate::segment::{self, Segment};
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

/// Sorted fixed-width records of `W` bytes.
#[derive(Debug)]
pub enum Records<const W: usize> {
    /// Held in memory.
    Mem(Vec<[u8; W]>),
    /// A segment file (header + records) of `len` records.
    File {
        /// The segment file.
        path: PathBuf,
        /// Number of records.
        len: usize,
    },
}

impl<const W: usize> Default for Records<W> {
    fn default() -> Self {
        Records::Mem(Vec::new())
    }
}

impl<const W: usize> From<Vec<[u8; W]>> for Records<W> {
    /// Records from a vector; sorted and de-duplicated here.
    fn from(mut v: Vec<[u8; W]>) -> Self {
        v.sort_unstable();
        v.dedup();
        Records::Mem(v)
    }
}

impl<const W: usize> Records<W> {
    /// Number of records.
    pub fn len(&self) -> usize {
        match self {
            Records::Mem(v) => v.len(),
            Records::File { len, .. } => *len,
        }
    }

    /// True when there are no records.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The records in order, read in a stream (a file is read through a buffer, not mapped, so
    /// reading a large set does not grow resident memory).
    pub fn stream(&self) -> std::io::Result<Stream<'_, W>> {
        Ok(match self {
            Records::Mem(v) => Stream::Mem(v.iter()),
            Records::File { path, len } => {
                let mut r = BufReader::with_capacity(1 << 20, std::fs::File::open(path)?);
                let mut header = [0u8; segment::HEADER];
                r.read_exact(&mut header)?;
                Stream::File { r, left: *len }
            }
        })
    }

    /// The records as a slice: borrowed, or the file memory-mapped.
    pub fn view(&self) -> std::io::Result<View<'_, W>> {
        Ok(match self {
            Records::Mem(v) => View::Mem(v),
            Records::File { path, .. } => View::Map(Segment::open(path, W)?),
        })
    }

    /// The records in a vector (tests and small sets).
    pub fn to_vec(&self) -> std::io::Result<Vec<[u8; W]>> {
        self.stream()?.collect()
    }

    /// Puts the records at `dest` as a segment file: written (in memory), renamed (a file on the
    /// same file system) or copied.
    pub fn place(&self, dest: &Path) -> std::io::Result<()> {
        match self {
            Records::Mem(v) => segment::write(dest, W, v.as_flattened()),
            Records::File { path, .. } if path == dest => Ok(()),
            Records::File { path, .. } => {
                if std::fs::rename(path, dest).is_err() {
                    std::fs::copy(path, dest)?;
                    std::fs::File::open(dest)?.sync_all()?;
                }
                Ok(())
            }
        }
    }
}

/// Records read in order.
pub enum Stream<'a, const W: usize> {
    /// From memory.
    Mem(std::slice::Iter<'a, [u8; W]>),
    /// From a file.
    File {
        /// The reader, past the header.
        r: BufReader<std::fs::File>,
        /// Records still to read.
        left: usize,
    },
}

impl<const W: usize> Iterator for Stream<'_, W> {
    type Item = std::io::Result<[u8; W]>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Stream::Mem(it) => it.next().map(|r| Ok(*r)),
            Stream::File { r, left } => {
                if *left == 0 {
                    return None;
                }
                *left -= 1;
                let mut rec = [0u8; W];
                Some(r.read_exact(&mut rec).map(|_| rec))
            }
        }
    }
}

/// Records as a slice.
pub enum View<'a, const W: usize> {
    /// Borrowed from memory.
    Mem(&'a [[u8; W]]),
    /// A memory-mapped segment.
    Map(Segment),
}

impl<const W: usize> std::ops::Deref for View<'_, W> {
    type Target = [[u8; W]];

    fn deref(&self) -> &[[u8; W]] {
        match self {
            View::Mem(v) => v,
            View::Map(s) => s.records::<W>(),
        }
    }
}
