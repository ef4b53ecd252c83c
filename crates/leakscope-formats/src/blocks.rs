//! Cutting one large input into blocks for the parallel readers (delimited text, SQL dumps), and
//! handing what is left to a sequential reader when a block cannot be parsed on its own.

use std::io::{self, Cursor, Read};

/// The next piece of input.
pub(crate) enum Piece<G> {
    /// A block ending at a cut (or at the end of input when `last`), with the cut's guess about
    /// the block after it.
    Block { bytes: Vec<u8>, last: bool, next: G },
    /// No cut was found within the size limit: these bytes (and the rest) go to the sequential
    /// reader.
    Uncuttable(Vec<u8>),
    /// Reading failed after these bytes.
    Failed(Vec<u8>, io::Error),
    /// Nothing more.
    End,
}

/// Reads blocks of about `block` bytes, each ending where the reader's cut function says.
pub(crate) struct Cutter<'a> {
    pub input: &'a mut dyn Read,
    /// Bytes read per block before looking for a cut.
    pub block: usize,
    /// A block that grows this large without a cut is [`Piece::Uncuttable`].
    pub limit: usize,
    /// Bytes after the last cut: the start of the next block.
    pub carry: Vec<u8>,
    /// The input has ended (or failed).
    pub eof: bool,
    /// Buffers of consumed blocks, reused for the next ones (no allocation or page zeroing per
    /// block).
    pub spare: Vec<Vec<u8>>,
}

impl<'a> Cutter<'a> {
    pub fn new(input: &'a mut dyn Read, block: usize, limit: usize) -> Self {
        Cutter {
            input,
            block,
            limit,
            carry: Vec::new(),
            eof: false,
            spare: Vec::new(),
        }
    }

    /// The next block. `cut` gets the whole block read so far (it starts where the previous
    /// block ended) and returns where to cut it, with a guess about the next block; when it finds
    /// none, the block is read further, up to `limit`. The last block's guess is `G::default()`.
    pub fn next<G: Default>(&mut self, cut: impl Fn(&[u8]) -> Option<(usize, G)>) -> Piece<G> {
        if self.eof {
            return Piece::End;
        }
        let mut buf = self.spare.pop().unwrap_or_default();
        buf.clear();
        buf.extend_from_slice(&self.carry);
        self.carry.clear();
        let mut target = self.block;
        loop {
            if buf.len() < target {
                let want = target - buf.len();
                buf.reserve(want);
                match (&mut *self.input).take(want as u64).read_to_end(&mut buf) {
                    Ok(n) if n < want => self.eof = true,
                    Ok(_) => {}
                    Err(e) => {
                        self.eof = true;
                        return Piece::Failed(buf, e);
                    }
                }
            }
            if self.eof {
                return if buf.is_empty() {
                    Piece::End
                } else {
                    Piece::Block {
                        bytes: buf,
                        last: true,
                        next: G::default(),
                    }
                };
            }
            match cut(&buf) {
                Some((at, next)) if at > 0 => {
                    self.carry.extend_from_slice(&buf[at..]);
                    buf.truncate(at);
                    return Piece::Block {
                        bytes: buf,
                        last: false,
                        next,
                    };
                }
                _ if buf.len() >= self.limit => return Piece::Uncuttable(buf),
                _ => target = (target * 2).min(self.limit.max(buf.len() + 1)),
            }
        }
    }

    /// What a sequential reader takes over: `parts`, then the bytes after the last cut, then the
    /// rest of the input — or, when reading failed, a replay of `fail` in its place.
    pub fn rest(&mut self, parts: Vec<Vec<u8>>, fail: Option<io::Error>) -> Box<dyn Read + '_> {
        let carry = std::mem::take(&mut self.carry);
        let head = parts
            .into_iter()
            .map(Cursor::new)
            .fold(Box::new(io::empty()) as Box<dyn Read>, |acc, c| {
                Box::new(acc.chain(c))
            })
            .chain(Cursor::new(carry));
        match fail {
            Some(e) => Box::new(head.chain(FailOnce(Some(e)))),
            None if self.eof => Box::new(head),
            None => Box::new(head.chain(&mut *self.input)),
        }
    }
}

/// A reader that fails once with a saved error (replays a read failure to the sequential reader).
struct FailOnce(Option<io::Error>);

impl Read for FailOnce {
    fn read(&mut self, _buf: &mut [u8]) -> io::Result<usize> {
        match self.0.take() {
            Some(e) => Err(e),
            None => Ok(0),
        }
    }
}
