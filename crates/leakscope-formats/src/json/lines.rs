//! NDJSON / JSON Lines: one value per line. The reading thread splits lines (and skips oversize
//! ones); once the first value has been read, blocks of lines are parsed and flattened on all
//! cores and their items handed to the table in file order, so the result is the one-thread
//! result whatever the thread count.

use super::{flat_object, JsonTable};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{BufRead, Cursor, Read};
use std::sync::mpsc::{channel, sync_channel, Receiver};
use std::sync::Mutex;

/// Text of the lines a parser thread gets at once (bytes).
const BLOCK_BYTES: usize = 2 << 20;
/// Lines a parser thread gets at once.
const BLOCK_LINES: usize = 8192;

/// A line as the reading thread found it.
enum Entry {
    /// Its text in the block, and its line number.
    Text { start: usize, end: usize, no: u64 },
    /// Longer than the record limit: skipped.
    Oversize(u64),
}

/// What became of one line.
enum Parsed {
    /// An object's (or another value's, `None`) flattened fields.
    Item(Option<Vec<(String, String)>>),
    /// Not valid JSON: cut short (`eof`) or malformed at `column`.
    Bad { no: u64, eof: bool, column: usize },
    /// Skipped for its size.
    Oversize(u64),
}

/// A block of lines for a parser thread.
#[derive(Default)]
struct Block {
    text: Vec<u8>,
    entries: Vec<Entry>,
}

impl Block {
    fn parse(&self) -> Vec<Parsed> {
        self.entries
            .iter()
            .map(|e| match *e {
                Entry::Text { start, end, no } => {
                    match serde_json::from_slice::<Value>(&self.text[start..end]) {
                        Ok(v) => Parsed::Item(flat_object(v)),
                        Err(e) => Parsed::Bad {
                            no,
                            eof: e.is_eof(),
                            column: e.column(),
                        },
                    }
                }
                Entry::Oversize(no) => Parsed::Oversize(no),
            })
            .collect()
    }
}

/// The next line from the input.
enum Next {
    Line,
    Oversize,
    End,
    Failed(std::io::Error),
}

/// Reads lines from `reader` (at most `max` bytes kept per line).
struct LineReader<'r> {
    reader: &'r mut dyn BufRead,
    max: u64,
    line: Vec<u8>,
    /// Lines read so far.
    no: u64,
}

impl LineReader<'_> {
    fn next(&mut self) -> Next {
        self.line.clear();
        let n = match (&mut *self.reader)
            .take(self.max + 1)
            .read_until(b'\n', &mut self.line)
        {
            Ok(n) => n,
            Err(e) => return Next::Failed(e),
        };
        if n == 0 {
            return Next::End;
        }
        self.no += 1;
        if self.line.len() as u64 > self.max {
            // Skip to the end of this line.
            let mut rest = Vec::new();
            let _ = self.reader.read_until(b'\n', &mut rest);
            while !self.line.ends_with(b"\n") && !rest.is_empty() && !rest.ends_with(b"\n") {
                rest.clear();
                if self.reader.read_until(b'\n', &mut rest).unwrap_or(0) == 0 {
                    break;
                }
            }
            return Next::Oversize;
        }
        Next::Line
    }
}

impl JsonTable<'_, '_> {
    /// NDJSON: one value per line; a bad line is skipped and reading goes on. A file whose first
    /// line is not a whole value is read as a stream of (pretty-printed) values instead.
    pub(super) fn lines(&mut self, reader: &mut dyn BufRead) {
        let max = self.ctx.opts.max_record_bytes as u64;
        let threads = self.ctx.opts.parse_threads();
        let mut lr = LineReader {
            reader,
            max,
            line: Vec::new(),
            no: 0,
        };
        // One line at a time until the first value: a first line that is not a whole value
        // switches to streaming concatenated values.
        while self.items == 0 && self.non_objects == 0 {
            match lr.next() {
                Next::End => return,
                Next::Failed(e) => return self.line_failure(&e, lr.no),
                Next::Oversize => self.oversize(lr.no),
                Next::Line => {
                    let text = lr.line.trim_ascii();
                    if text.is_empty() {
                        continue;
                    }
                    match serde_json::from_slice::<Value>(text) {
                        Ok(v) => self.item(v),
                        Err(_) => {
                            let no = lr.no;
                            let chained =
                                Cursor::new(std::mem::take(&mut lr.line)).chain(lr.reader);
                            return self.stream(chained, no);
                        }
                    }
                }
            }
            if self.ctx.stopped {
                return;
            }
        }
        if threads > 1 {
            self.parallel_lines(&mut lr, threads);
        } else {
            self.sequential_lines(&mut lr);
        }
    }

    /// The rest of a file that is a stream of concatenated values, from line `no`.
    fn stream(&mut self, input: impl Read, no: u64) {
        let stream = serde_json::Deserializer::from_reader(input).into_iter::<Value>();
        for v in stream {
            match v {
                Ok(v) => self.item(v),
                Err(e) => return self.json_error(e, Some(no - 1)),
            }
            if self.ctx.stopped {
                return;
            }
        }
    }

    fn line_failure(&mut self, e: &std::io::Error, no: u64) {
        let (source, name) = (self.source.clone(), self.name.clone());
        crate::source::io_failure(self.ctx, &source, Some(&name), e, Some(no + 1), None);
    }

    fn oversize(&mut self, no: u64) {
        let max = self.ctx.opts.max_record_bytes;
        self.skip(
            no,
            "record-too-large",
            format!("a JSON line longer than {max} bytes was skipped"),
        );
    }

    fn parsed(&mut self, p: Parsed) {
        match p {
            Parsed::Item(flat) => self.flat_item(flat),
            Parsed::Oversize(no) => self.oversize(no),
            Parsed::Bad { no, eof, column } => {
                let what = if eof {
                    "JSON line is cut short"
                } else {
                    "JSON line is not valid"
                };
                self.skip(
                    no,
                    "json-syntax",
                    format!("{what} (column {column}); the line was skipped"),
                );
            }
        }
    }

    fn sequential_lines(&mut self, lr: &mut LineReader) {
        let mut block = Block::default();
        loop {
            block.text.clear();
            block.entries.clear();
            let fill = fill(lr, &mut block, BLOCK_LINES);
            for p in block.parse() {
                self.parsed(p);
                if self.ctx.stopped {
                    return;
                }
            }
            match fill {
                Fill::Full => {}
                Fill::End => return,
                Fill::Failed(e) => return self.line_failure(&e, lr.no),
            }
        }
    }

    fn parallel_lines(&mut self, lr: &mut LineReader, threads: usize) {
        let window = threads * 2;
        let (job_tx, job_rx) = sync_channel::<(u64, Block)>(window);
        let (done_tx, done_rx) = channel::<(u64, Block, Vec<Parsed>)>();
        let job_rx = Mutex::new(job_rx);
        let mut failure = None;
        std::thread::scope(|scope| {
            for _ in 0..threads {
                let done_tx = done_tx.clone();
                let job_rx: &Mutex<Receiver<(u64, Block)>> = &job_rx;
                scope.spawn(move || loop {
                    let job = job_rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                    let Ok((seq, block)) = job else { return };
                    let parsed = block.parse();
                    if done_tx.send((seq, block, parsed)).is_err() {
                        return;
                    }
                });
            }
            drop(done_tx);
            let (mut sent, mut next) = (0u64, 0u64);
            let mut reading = true;
            let mut spare: Vec<Block> = Vec::new();
            let mut ready = BTreeMap::new();
            loop {
                while reading && !self.ctx.stopped && sent - next < window as u64 {
                    let mut block = spare.pop().unwrap_or_default();
                    block.text.clear();
                    block.entries.clear();
                    let end = match fill(lr, &mut block, BLOCK_LINES) {
                        Fill::Full => false,
                        Fill::End => true,
                        Fill::Failed(e) => {
                            failure = Some(e);
                            true
                        }
                    };
                    reading = !end;
                    if !block.entries.is_empty() {
                        if job_tx.send((sent, block)).is_err() {
                            reading = false;
                        }
                        sent += 1;
                    }
                }
                if next == sent {
                    break;
                }
                let Ok((seq, block, parsed)) = done_rx.recv() else {
                    break;
                };
                ready.insert(seq, (block, parsed));
                while let Some((block, parsed)) = ready.remove(&next) {
                    next += 1;
                    if !self.ctx.stopped {
                        for p in parsed {
                            self.parsed(p);
                            if self.ctx.stopped {
                                break;
                            }
                        }
                    }
                    if spare.len() < window {
                        spare.push(block);
                    }
                }
            }
            drop(job_tx);
        });
        if let Some(e) = failure {
            if !self.ctx.stopped {
                self.line_failure(&e, lr.no);
            }
        }
    }
}

/// How filling a block ended.
enum Fill {
    /// The block is full; more input follows.
    Full,
    /// The input ended.
    End,
    /// Reading failed after the lines in the block.
    Failed(std::io::Error),
}

/// Moves up to `max_lines` lines (or [`BLOCK_BYTES`] of text) from `lr` into `block`; empty lines
/// are left out (they count for line numbers only).
fn fill(lr: &mut LineReader, block: &mut Block, max_lines: usize) -> Fill {
    while block.entries.len() < max_lines && block.text.len() < BLOCK_BYTES {
        match lr.next() {
            Next::End => return Fill::End,
            Next::Failed(e) => return Fill::Failed(e),
            Next::Oversize => block.entries.push(Entry::Oversize(lr.no)),
            Next::Line => {
                let text = lr.line.trim_ascii();
                if text.is_empty() {
                    continue;
                }
                let start = block.text.len();
                block.text.extend_from_slice(text);
                block.entries.push(Entry::Text {
                    start,
                    end: block.text.len(),
                    no: lr.no,
                });
            }
        }
    }
    Fill::Full
}
