//! An XLSX workbook's shared strings with bounded memory: the first strings (up to
//! [`MEM_TEXT`] bytes of text and [`MEM_STRINGS`] strings) stay in memory, the rest are
//! spilled to anonymous temporary files (text, and one 8-byte end offset per string) and
//! read back on demand. One string is at most [`MAX_STRING`] bytes (Excel's own limit is
//! 32,767 characters); longer ones are cut and counted.

use std::fs::File;
use std::io::{self, Seek, SeekFrom, Write};
use std::sync::Mutex;

/// Text kept in memory (bytes).
pub(crate) const MEM_TEXT: usize = 64 << 20;
/// Strings whose end offsets are kept in memory.
pub(crate) const MEM_STRINGS: usize = 4 << 20;
/// Longest string kept (bytes).
pub(crate) const MAX_STRING: usize = 1 << 20;
/// Strings kept at most (their end offsets spill to 8 bytes each on disk).
pub(crate) const MAX_STRINGS: usize = 64 << 20;
/// Text spilled to disk at most (bytes): no real workbook comes near it.
pub(crate) const MAX_SPILLED_TEXT: u64 = 4 << 30;

struct Spill {
    text: File,
    ends: File,
    /// Bytes of text written to the file.
    text_len: u64,
    /// Index of the first spilled string.
    first: usize,
    /// Buffered writes.
    text_buf: Vec<u8>,
    ends_buf: Vec<u8>,
}

/// The shared string table.
#[derive(Default)]
pub(crate) struct SharedStrings {
    text: Vec<u8>,
    ends: Vec<usize>,
    spill: Option<Mutex<Spill>>,
    count: usize,
    /// Strings cut to [`MAX_STRING`].
    pub truncated: u64,
    /// Strings not kept at all (past [`MAX_STRINGS`] or [`MAX_SPILLED_TEXT`]).
    pub dropped: u64,
}

impl SharedStrings {
    /// Number of strings.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.count
    }

    /// Adds the next string.
    pub fn push(&mut self, s: &str) -> io::Result<()> {
        let s = if s.len() > MAX_STRING {
            self.truncated += 1;
            let mut cut = MAX_STRING;
            while !s.is_char_boundary(cut) {
                cut -= 1;
            }
            &s[..cut]
        } else {
            s
        };
        if self.count >= MAX_STRINGS
            || self.spill.as_mut().is_some_and(|sp| {
                sp.get_mut()
                    .map_or(true, |sp| sp.text_len >= MAX_SPILLED_TEXT)
            })
        {
            self.dropped += 1;
            return Ok(());
        }
        self.count += 1;
        if self.spill.is_none()
            && self.text.len() + s.len() <= MEM_TEXT
            && self.ends.len() < MEM_STRINGS
        {
            self.text.extend_from_slice(s.as_bytes());
            self.ends.push(self.text.len());
            return Ok(());
        }
        if self.spill.is_none() {
            self.spill = Some(Mutex::new(Spill {
                text: tempfile::tempfile()?,
                ends: tempfile::tempfile()?,
                text_len: 0,
                first: self.ends.len(),
                text_buf: Vec::new(),
                ends_buf: Vec::new(),
            }));
        }
        let sp = self.spill.as_mut().expect("spill just made").get_mut();
        let sp = sp.unwrap_or_else(|e| e.into_inner());
        sp.text_buf.extend_from_slice(s.as_bytes());
        sp.text_len += s.len() as u64;
        sp.ends_buf.extend_from_slice(&sp.text_len.to_le_bytes());
        if sp.text_buf.len() >= 1 << 20 || sp.ends_buf.len() >= 1 << 20 {
            sp.text.write_all(&sp.text_buf)?;
            sp.ends.write_all(&sp.ends_buf)?;
            sp.text_buf.clear();
            sp.ends_buf.clear();
        }
        Ok(())
    }

    /// Writes out what is buffered; call once all strings are pushed.
    pub fn finish(&mut self) -> io::Result<()> {
        if let Some(sp) = self.spill.as_mut() {
            let sp = sp.get_mut().unwrap_or_else(|e| e.into_inner());
            sp.text.write_all(&sp.text_buf)?;
            sp.ends.write_all(&sp.ends_buf)?;
            sp.text_buf = Vec::new();
            sp.ends_buf = Vec::new();
        }
        Ok(())
    }

    /// Appends string `i` to `out`; false when there is no such string.
    pub fn get_into(&self, i: usize, out: &mut String) -> bool {
        if i < self.ends.len() {
            let start = if i == 0 { 0 } else { self.ends[i - 1] };
            out.push_str(std::str::from_utf8(&self.text[start..self.ends[i]]).unwrap_or(""));
            return true;
        }
        if i >= self.count {
            return false;
        }
        let Some(sp) = &self.spill else {
            return false;
        };
        let mut sp = sp.lock().unwrap_or_else(|e| e.into_inner());
        let k = i - sp.first;
        let read = |f: &mut File, at: u64, buf: &mut [u8]| -> io::Result<()> {
            f.seek(SeekFrom::Start(at))?;
            io::Read::read_exact(f, buf)
        };
        let mut end8 = [0u8; 8];
        let mut start8 = [0u8; 8];
        let sp = &mut *sp;
        if read(&mut sp.ends, k as u64 * 8, &mut end8).is_err() {
            return false;
        }
        let start = if k == 0 {
            0
        } else if read(&mut sp.ends, (k as u64 - 1) * 8, &mut start8).is_ok() {
            u64::from_le_bytes(start8)
        } else {
            return false;
        };
        let end = u64::from_le_bytes(end8);
        let mut buf = vec![0u8; end.saturating_sub(start).min(MAX_STRING as u64) as usize];
        if read(&mut sp.text, start, &mut buf).is_err() {
            return false;
        }
        out.push_str(&String::from_utf8_lossy(&buf));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_and_spilled_strings_read_back() {
        let mut s = SharedStrings::default();
        // Force spilling early by filling the in-memory part with one long string each.
        let long = "é".repeat(MAX_STRING / 2 - 1);
        let n_mem = MEM_TEXT / long.len();
        for i in 0..n_mem + 50 {
            if i % 7 == 0 {
                s.push(&format!("short {i}")).unwrap();
            } else {
                s.push(&long).unwrap();
            }
        }
        s.push(&"x".repeat(MAX_STRING + 10)).unwrap();
        s.finish().unwrap();
        assert!(s.spill.is_some());
        assert_eq!(s.truncated, 1);
        for i in (0..n_mem + 50).step_by(7) {
            let mut out = String::new();
            assert!(s.get_into(i, &mut out));
            assert_eq!(out, format!("short {i}"), "{i}");
        }
        let mut out = String::new();
        assert!(s.get_into(1, &mut out));
        assert_eq!(out, long);
        out.clear();
        assert!(s.get_into(s.len() - 1, &mut out));
        assert_eq!(out.len(), MAX_STRING);
        assert!(!s.get_into(s.len(), &mut out));
    }
}
