//! Immutable segment files: a 32-byte header then fixed-width records sorted by their bytes.
//!
//! Header: magic `LSCSEG01`, record width (u32 LE), 4 reserved bytes, record count (u64 LE),
//! 8 reserved bytes. Files are written once to a temporary name, fsynced and renamed; readers
//! memory-map them, so a reader's view never changes under it.

use memmap2::Mmap;
use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::Path;

const MAGIC: &[u8; 8] = b"LSCSEG01";
/// Size of the segment header in bytes.
pub const HEADER: usize = 32;

fn header(width: usize, count: u64) -> [u8; HEADER] {
    let mut header = [0u8; HEADER];
    header[..8].copy_from_slice(MAGIC);
    header[8..12].copy_from_slice(&(width as u32).to_le_bytes());
    header[16..24].copy_from_slice(&count.to_le_bytes());
    header
}

/// Writes `records` (already sorted, each exactly `width` bytes) to `path` (mode 0600) and
/// fsyncs it.
pub fn write(path: &Path, width: usize, records: &[u8]) -> std::io::Result<()> {
    debug_assert_eq!(records.len() % width, 0);
    let mut w = Writer::create(path, width)?;
    w.w.write_all(records)?;
    w.count = (records.len() / width) as u64;
    w.finish()
}

/// Writes a segment record by record (records must come sorted): the header's count is filled
/// in and the file fsynced by [`Writer::finish`].
pub struct Writer {
    w: BufWriter<File>,
    width: usize,
    count: u64,
}

impl Writer {
    /// Creates `path` (mode 0600) for records of `width` bytes.
    pub fn create(path: &Path, width: usize) -> std::io::Result<Writer> {
        let file = leakscope_keys::create_private_file(path)?;
        let mut w = BufWriter::with_capacity(1 << 20, file);
        w.write_all(&header(width, 0))?;
        Ok(Writer { w, width, count: 0 })
    }

    /// Appends one record of exactly the segment's width.
    pub fn push(&mut self, record: &[u8]) -> std::io::Result<()> {
        debug_assert_eq!(record.len(), self.width);
        self.count += 1;
        self.w.write_all(record)
    }

    /// Records written so far.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Writes the record count into the header and fsyncs the file.
    pub fn finish(self) -> std::io::Result<()> {
        let mut file = self.w.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(0))?;
        file.write_all(&header(self.width, self.count))?;
        file.sync_all()
    }
}

/// Views record bytes (`W`-byte records back to back) as a slice of arrays.
pub fn as_records<const W: usize>(bytes: &[u8]) -> &[[u8; W]] {
    assert!(W > 0 && bytes.len().is_multiple_of(W), "whole records");
    // SAFETY: `[u8; W]` has size W and alignment 1, so any byte slice whose length is a
    // multiple of W is a valid slice of `len / W` arrays, borrowed for the same lifetime.
    unsafe { std::slice::from_raw_parts(bytes.as_ptr().cast::<[u8; W]>(), bytes.len() / W) }
}

/// A memory-mapped, read-only segment.
pub struct Segment {
    map: Option<Mmap>,
    width: usize,
    len: usize,
    path: Option<std::path::PathBuf>,
}

impl std::fmt::Debug for Segment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Segment(width {}, {} records)", self.width, self.len)
    }
}

impl Segment {
    /// An empty segment of the given width (for absent optional files).
    pub fn empty(width: usize) -> Segment {
        Segment {
            map: None,
            width,
            len: 0,
            path: None,
        }
    }

    /// Opens and validates a segment; `width` must match the header.
    pub fn open(path: &Path, width: usize) -> std::io::Result<Segment> {
        let file = File::open(path)?;
        let size = file.metadata()?.len() as usize;
        let bad = |why: &str| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("segment {}: {why}", path.display()),
            )
        };
        if size < HEADER {
            return Err(bad("shorter than its header"));
        }
        // SAFETY: segments are immutable once renamed into place; nothing writes to a mapped file.
        let map = unsafe { Mmap::map(&file)? };
        if &map[..8] != MAGIC {
            return Err(bad("bad magic"));
        }
        let w = u32::from_le_bytes(map[8..12].try_into().expect("4 bytes")) as usize;
        let n = u64::from_le_bytes(map[16..24].try_into().expect("8 bytes")) as usize;
        if w != width {
            return Err(bad("unexpected record width"));
        }
        // Checked: a corrupt record count must give this error, not an overflow.
        if w.checked_mul(n).and_then(|b| b.checked_add(HEADER)) != Some(size) {
            return Err(bad("size does not match its record count (truncated?)"));
        }
        Ok(Segment {
            map: Some(map),
            width,
            len: n,
            path: Some(path.to_path_buf()),
        })
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when there are no records.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The file it was opened from (none for an empty stand-in).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Record width in bytes.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Record `i`.
    pub fn get(&self, i: usize) -> &[u8] {
        let map = self.map.as_ref().expect("non-empty segment has a map");
        &map[HEADER + i * self.width..HEADER + (i + 1) * self.width]
    }

    /// The records as arrays (`W` must be the segment's width).
    pub fn records<const W: usize>(&self) -> &[[u8; W]] {
        assert_eq!(W, self.width, "record width");
        as_records(self.bytes())
    }

    /// All record bytes.
    pub fn bytes(&self) -> &[u8] {
        match &self.map {
            Some(m) => &m[HEADER..],
            None => &[],
        }
    }

    /// Index of the first record whose first `key.len()` bytes are `>= key`.
    pub fn lower_bound(&self, key: &[u8]) -> usize {
        let (mut lo, mut hi) = (0, self.len);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if &self.get(mid)[..key.len()] < key {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    }

    /// Index of a record whose first `key.len()` bytes equal `key`, if any.
    pub fn find(&self, key: &[u8]) -> Option<usize> {
        let i = self.lower_bound(key);
        (i < self.len && &self.get(i)[..key.len()] == key).then_some(i)
    }

    /// Records whose leading bits match `prefix` on its first `bits` bits.
    pub fn prefix_range(&self, prefix: &[u8], bits: usize) -> std::ops::Range<usize> {
        let bytes = bits.div_ceil(8);
        let mut lo_key = prefix[..bytes].to_vec();
        let mask = if bits & 7 == 0 {
            0xff
        } else {
            0xffu8 << (8 - bits % 8)
        };
        lo_key[bytes - 1] &= mask;
        let start = self.lower_bound(&lo_key);
        let mut end = start;
        while end < self.len {
            let r = &self.get(end)[..bytes];
            let same =
                r[..bytes - 1] == lo_key[..bytes - 1] && (r[bytes - 1] & mask) == lo_key[bytes - 1];
            if !same {
                break;
            }
            end += 1;
        }
        start..end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_search_and_prefix() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.seg");
        let mut recs: Vec<[u8; 4]> = (0u32..1000)
            .map(|i| (i.wrapping_mul(2_654_435_761)).to_be_bytes())
            .collect();
        recs.sort();
        write(&path, 4, &recs.concat()).unwrap();
        let seg = Segment::open(&path, 4).unwrap();
        assert_eq!(seg.len(), 1000);
        for r in &recs {
            assert_eq!(seg.get(seg.find(r).unwrap()), r);
        }
        assert!(seg.find(&[0xff, 0xff, 0xff, 0xff]).is_none() || recs.contains(&[0xff; 4]));
        let want = recs
            .iter()
            .filter(|r| r[0] == recs[500][0] && r[1] >> 4 == recs[500][1] >> 4)
            .count();
        assert_eq!(seg.prefix_range(&recs[500], 12).len(), want);
        assert!(Segment::open(&path, 8).is_err());
        std::fs::write(&path, &std::fs::read(&path).unwrap()[..40]).unwrap();
        assert!(
            Segment::open(&path, 4).is_err(),
            "truncated file must be refused"
        );
    }
}
