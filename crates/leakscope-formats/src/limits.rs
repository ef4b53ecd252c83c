//! Expansion limits for compressed streams and archive members (zip-bomb protection).

use std::cell::Cell;
use std::io::{self, Read, Seek, SeekFrom};
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

/// Counts bytes read through it (the compressed side of a decoder, or a whole input).
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

impl<R: Seek> Seek for CountReader<R> {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        self.inner.seek(pos)
    }
}

/// Expansion state of one top-level input (a path on the command line, or one file of a
/// walked directory): every decoder of it counts into the same totals.
#[derive(Clone, Default)]
pub(crate) struct InputLimits {
    /// Bytes produced by decompression so far.
    pub expanded: Rc<Cell<u64>>,
    /// Bytes of the input itself (its size, or what was read of a pipe so far).
    pub stored: Rc<Cell<u64>>,
    /// Set once a limit stopped a stream: nothing more of this input is expanded.
    pub tripped: Rc<Cell<bool>>,
}

impl InputLimits {
    /// Fresh state for an input of `stored` bytes.
    pub fn reset(&self, stored: u64) {
        self.expanded.set(0);
        self.stored.set(stored);
        self.tripped.set(false);
    }
}

/// Wraps a decoder's output and fails, as soon as it happens, once the stream expands more than
/// the ratio limit against the compressed bytes it consumed so far, once everything expanded
/// from the input is more than the ratio limit times the input's size, or once the input's
/// total passes the byte limit.
pub(crate) struct Guard<R> {
    pub inner: R,
    /// Compressed bytes consumed (a running count; `input_base` is where this stream began).
    pub input: Rc<Cell<u64>>,
    pub input_base: u64,
    pub limits: InputLimits,
    pub out: u64,
    pub max_total: u64,
    pub max_ratio: u64,
    pub ratio_floor: u64,
    pub what: String,
}

impl<R> Guard<R> {
    fn trip(&self, code: &'static str, message: String) -> io::Error {
        self.limits.tripped.set(true);
        io::Error::other(LimitError { code, message })
    }
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.out += n as u64;
        let total = self.limits.expanded.get() + n as u64;
        self.limits.expanded.set(total);
        if total > self.max_total {
            return Err(self.trip(
                "expansion-limit",
                format!(
                    "expanding {} passed the limit of {} bytes (--max-expanded-bytes); stopped",
                    self.what, self.max_total
                ),
            ));
        }
        let input = self.input.get().saturating_sub(self.input_base).max(1);
        if self.out > self.ratio_floor && self.out / input > self.max_ratio {
            return Err(self.trip(
                "zip-bomb",
                format!(
                    "{} expands more than {}x ({} bytes from {}): looks like a decompression bomb (--max-ratio); stopped",
                    self.what, self.max_ratio, self.out, input
                ),
            ));
        }
        let stored = self.limits.stored.get().max(1);
        if total > self.ratio_floor && total / stored > self.max_ratio {
            return Err(self.trip(
                "zip-bomb",
                format!(
                    "everything expanded from this input ({total} bytes) is more than {}x its {stored} bytes: looks like a nested decompression bomb (--max-ratio); stopped",
                    self.max_ratio
                ),
            ));
        }
        Ok(n)
    }
}
