//! Pages of a SQLite database file, with a write-ahead log's committed frames laid over them.
//! (File format: <https://www.sqlite.org/fileformat.html>, sections 1 and 4.)

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

/// The 16 bytes every SQLite 3 database starts with.
pub(crate) const MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// What the 100-byte database header says.
#[derive(Debug, Clone)]
pub(crate) struct Header {
    pub page_size: usize,
    /// Page size minus the bytes reserved at the end of each page.
    pub usable: usize,
    /// Text encoding: 1 UTF-8, 2 UTF-16LE, 3 UTF-16BE.
    pub encoding: u32,
}

/// Why the file cannot be read as a database at all.
#[derive(Debug)]
pub(crate) enum OpenError {
    Io(io::Error),
    /// The header is not one of a SQLite 3 database (or holds impossible values).
    BadHeader(String),
}

impl From<io::Error> for OpenError {
    fn from(e: io::Error) -> Self {
        OpenError::Io(e)
    }
}

/// Reads pages by number (1-based).
pub(crate) struct Pager {
    file: File,
    pub header: Header,
    /// Pages in the main file.
    pub file_pages: u32,
    /// Pages of the database as of the last committed WAL transaction (or the file's).
    pub pages: u32,
    /// The WAL and where the newest committed copy of each page sits in it.
    wal: Option<(File, HashMap<u32, u64>)>,
    /// Committed WAL frames laid over the file.
    pub wal_frames: usize,
}

fn be16(b: &[u8]) -> u32 {
    u32::from(b[0]) << 8 | u32::from(b[1])
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

impl Pager {
    /// Opens a database file (and its WAL, when given).
    pub fn open(mut file: File, wal: Option<File>) -> Result<Pager, OpenError> {
        let mut h = [0u8; 100];
        file.seek(SeekFrom::Start(0))?;
        file.read_exact(&mut h)?;
        if &h[..16] != MAGIC {
            return Err(OpenError::BadHeader("not a SQLite 3 database".into()));
        }
        let page_size = match be16(&h[16..18]) {
            1 => 65536,
            n if (512..=32768).contains(&n) && n.is_power_of_two() => n as usize,
            n => return Err(OpenError::BadHeader(format!("impossible page size {n}"))),
        };
        let reserved = h[20] as usize;
        if page_size - reserved < 480 {
            return Err(OpenError::BadHeader(format!(
                "{reserved} reserved bytes per {page_size}-byte page"
            )));
        }
        let encoding = match be32(&h[56..60]) {
            0 | 1 => 1,
            e @ (2 | 3) => e,
            e => return Err(OpenError::BadHeader(format!("unknown text encoding {e}"))),
        };
        let len = file.metadata()?.len();
        let file_pages = (len / page_size as u64).min(u32::MAX as u64) as u32;
        let header = Header {
            page_size,
            usable: page_size - reserved,
            encoding,
        };
        let mut pager = Pager {
            file,
            header,
            file_pages,
            pages: file_pages,
            wal: None,
            wal_frames: 0,
        };
        if let Some(w) = wal {
            pager.attach_wal(w)?;
        }
        Ok(pager)
    }

    /// Indexes the committed frames of a WAL: frames whose salts match the header and whose
    /// checksum chain holds, up to the last commit frame. Later frames of a page win.
    fn attach_wal(&mut self, mut wal: File) -> io::Result<()> {
        let mut h = [0u8; 32];
        wal.seek(SeekFrom::Start(0))?;
        if wal.read_exact(&mut h).is_err() {
            return Ok(());
        }
        let magic = be32(&h[..4]);
        if magic & !1 != 0x377f_0682 || be32(&h[8..12]) as usize != self.header.page_size {
            return Ok(());
        }
        let big = magic & 1 == 1;
        let mut sum = checksum((0, 0), &h[..24], big);
        if sum != (be32(&h[24..28]), be32(&h[28..32])) {
            return Ok(());
        }
        let ps = self.header.page_size;
        let mut frame = vec![0u8; 24 + ps];
        let mut committed: HashMap<u32, u64> = HashMap::new();
        let mut pending: Vec<(u32, u64)> = Vec::new();
        let mut at = 32u64;
        let mut frames = 0;
        loop {
            if wal.read_exact(&mut frame).is_err() {
                break;
            }
            if frame[8..16] != h[16..24] {
                break;
            }
            sum = checksum(sum, &frame[..8], big);
            sum = checksum(sum, &frame[24..], big);
            if sum != (be32(&frame[16..20]), be32(&frame[20..24])) {
                break;
            }
            let page = be32(&frame[..4]);
            pending.push((page, at + 24));
            let db_size = be32(&frame[4..8]);
            if db_size != 0 {
                // A commit frame: the transaction's pages become visible.
                frames += pending.len();
                committed.extend(pending.drain(..));
                self.pages = db_size;
            }
            at += frame.len() as u64;
        }
        self.wal_frames = frames;
        if !committed.is_empty() {
            self.wal = Some((wal, committed));
        }
        Ok(())
    }

    /// Byte offset of page `n` in the main file (where a diagnostic points).
    pub fn offset(&self, n: u32) -> u64 {
        u64::from(n.saturating_sub(1)) * self.header.page_size as u64
    }

    /// Reads page `n` into `buf` (resized to the page size).
    pub fn read(&mut self, n: u32, buf: &mut Vec<u8>) -> Result<(), String> {
        if n == 0 || n > self.pages.max(self.file_pages) {
            return Err(format!(
                "page {n} is outside the database ({} pages)",
                self.pages
            ));
        }
        buf.resize(self.header.page_size, 0);
        if let Some((wal, frames)) = &mut self.wal {
            if let Some(&at) = frames.get(&n) {
                wal.seek(SeekFrom::Start(at))
                    .and_then(|_| wal.read_exact(buf))
                    .map_err(|e| format!("cannot read page {n} from the WAL: {e}"))?;
                return Ok(());
            }
        }
        if n > self.file_pages {
            return Err(format!("page {n} is past the end of the file (truncated?)"));
        }
        let at = self.offset(n);
        self.file
            .seek(SeekFrom::Start(at))
            .and_then(|_| self.file.read_exact(buf))
            .map_err(|e| format!("cannot read page {n}: {e}"))
    }
}

/// SQLite's WAL checksum over `data` (a multiple of 8 bytes), continuing from `s`.
fn checksum(s: (u32, u32), data: &[u8], big: bool) -> (u32, u32) {
    let (mut s0, mut s1) = s;
    for w in data.chunks_exact(8) {
        let (x0, x1) = if big {
            (be32(&w[..4]), be32(&w[4..]))
        } else {
            (
                u32::from_le_bytes([w[0], w[1], w[2], w[3]]),
                u32::from_le_bytes([w[4], w[5], w[6], w[7]]),
            )
        };
        s0 = s0.wrapping_add(x0).wrapping_add(s1);
        s1 = s1.wrapping_add(x1).wrapping_add(s0);
    }
    (s0, s1)
}
