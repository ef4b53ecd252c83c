//! Expansion limits for compressed streams and archive members (zip-bomb protection).

use std::cell::Cell;
use std::io::{self, Read};
use std::rc::Rc;

/// Why expansion was stopped.
#[derive(Debug, Clone)]
pub(crate) struct LimitError {
    /// `zip-bomb` (ratio) or `expansion-limit` (total bytes).
    pub code: &'static str,
    pub message: String,
}

impl std::fmt::Display for LimitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LimitError {}

/// Finds a [`LimitError`] inside an I/O error, however it was wrapped.
pub(crate) fn limit_error(e: &io::Error) -> Option<LimitError> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = e.get_ref().map(|r| r as _);
    while let Some(err) = cur {
        if let Some(l) = err.downcast_ref::<LimitError>() {
            return Some(l.clone());
        }
        if let Some(ioe) = err.downcast_ref::<io::Error>() {
            if let Some(inner) = ioe.get_ref() {
                cur = Some(inner as _);
                continue;
            }
        }
        cur = err.source();
    }
    None
}

/// Counts bytes read through it (the compressed side of a decoder).
pub(crate) struct CountReader<R> {
    pub inner: R,
    pub count: Rc<Cell<u64>>,
}

impl<R: Read> Read for CountReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// Wraps a decoder's output and fails once the ratio or total-bytes limit is exceeded.
pub(crate) struct Guard<R> {
    pub inner: R,
    /// Compressed bytes consumed so far (or the declared compressed size).
    pub input: Rc<Cell<u64>>,
    /// Bytes expanded so far across the whole top-level input.
    pub total: Rc<Cell<u64>>,
    pub out: u64,
    pub max_total: u64,
    pub max_ratio: u64,
    pub ratio_floor: u64,
    pub what: String,
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.out += n as u64;
        let total = self.total.get() + n as u64;
        self.total.set(total);
        if total > self.max_total {
            return Err(io::Error::other(LimitError {
                code: "expansion-limit",
                message: format!(
                    "expanding {} passed the limit of {} bytes (--max-expanded-bytes); stopped",
                    self.what, self.max_total
                ),
            }));
        }
        let input = self.input.get().max(1);
        if self.out > self.ratio_floor && self.out / input > self.max_ratio {
            return Err(io::Error::other(LimitError {
                code: "zip-bomb",
                message: format!(
                    "{} expands more than {}x ({} bytes from {}): looks like a decompression bomb (--max-ratio); stopped",
                    self.what, self.max_ratio, self.out, input
                ),
            }));
        }
        Ok(n)
    }
}
