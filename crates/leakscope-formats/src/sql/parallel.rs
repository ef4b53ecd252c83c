//! The parallel SQL dump reader: the reading thread cuts the dump into blocks, parser threads
//! parse the blocks into events (tables defined, rows, problems), and the reading thread replays
//! the events into the sink in dump order.
//!
//! A block may begin between statements, at a line of `COPY` data, or between two value tuples
//! of an `INSERT` (dumps hold statements of any size: one `COPY` section or one `INSERT` can be
//! gigabytes). The cutter only *guesses* how the next block begins, from the bytes around the cut;
//! the parse of the previous block decides. A block parsed under a wrong guess is parsed again on
//! the reading thread in the right mode. A block that ends where no parse can resume (inside a
//! string, a comment, a statement's header) is joined to the next block and parsed again; only
//! when no cut can be found within the record size limit does the sequential reader take over for
//! the rest of the dump. Rows, tables and diagnostics are therefore exactly the sequential
//! reader's, whatever the block size.

use super::out::{CtxOut, Event, Out, Target};
use super::{parse_block, sequential, BlockParse, BlockSpec, Dialect, Mode, Resume};
use crate::blocks::{Cutter, Piece};
use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::mpsc::{channel, sync_channel, Receiver};
use std::sync::Mutex;

/// Same mode, whatever the table: what a guess and an actual block end are compared by.
fn same_kind(a: &Mode, b: &Mode) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

/// The same kind of mode with the table left to the reading thread.
fn inherited(m: &Mode) -> Mode {
    match m {
        Mode::Statement => Mode::Statement,
        Mode::Copy(_) => Mode::Copy(Target::Inherited),
        Mode::Values(_) => Mode::Values(Target::Inherited),
        Mode::AfterTuple(_) => Mode::AfterTuple(Target::Inherited),
    }
}

/// Strips trailing ASCII whitespace.
fn trim_end(b: &[u8]) -> &[u8] {
    let n = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    &b[..n]
}

/// True for a `COPY … FROM stdin;` line (its data follows on the next line).
fn is_copy_header(line: &[u8]) -> bool {
    let line = trim_end(line.trim_ascii_start());
    line.len() > 11
        && line[..5].eq_ignore_ascii_case(b"COPY ")
        && line[line.len() - 6..].eq_ignore_ascii_case(b"stdin;")
}

/// The mode a block starting at `cut` (just after a statement's `;` and newline) begins in.
fn after_statement(buf: &[u8], cut: usize) -> Mode {
    let end = cut.saturating_sub(1);
    let start = memchr::memrchr(b'\n', &buf[..end]).map_or(0, |i| i + 1);
    if is_copy_header(&buf[start..end]) {
        Mode::Copy(Target::Inherited)
    } else {
        Mode::Statement
    }
}

/// True for a batch terminator line (`GO`, `GO 5`, `/`).
fn is_batch_end(line: &[u8]) -> bool {
    let l = line.trim_ascii();
    l == b"/"
        || (l.len() >= 2
            && l[..2].eq_ignore_ascii_case(b"GO")
            && l[2..].trim_ascii().iter().all(u8::is_ascii_digit)
            && (l.len() == 2 || l[2].is_ascii_whitespace()))
}

/// Where to cut `buf` and how the next block probably begins. `in_copy` says the last block
/// parsed ended inside COPY data (long COPY sections have newlines but no statement ends).
pub(crate) fn find_cut(buf: &[u8], in_copy: bool) -> Option<(usize, Mode)> {
    let Some(nl) = memchr::memrchr(b'\n', buf) else {
        // One enormous line: a single-line multi-row INSERT; cut between two tuples.
        return memchr::memmem::rfind(buf, b"),(")
            .map(|i| (i + 2, Mode::Values(Target::Inherited)));
    };
    let line_start = memchr::memrchr(b'\n', &buf[..nl]).map_or(0, |i| i + 1);
    if !in_copy && is_batch_end(&buf[line_start..nl]) {
        return Some((nl + 1, Mode::Statement));
    }
    match trim_end(&buf[..nl]).last() {
        Some(b';') => return Some((nl + 1, after_statement(buf, nl + 1))),
        Some(b',') => return Some((nl + 1, Mode::Values(Target::Inherited))),
        // A tuple ending a line: more tuples, the statement's end or (T-SQL) the next statement.
        Some(b')') if !in_copy => return Some((nl + 1, Mode::AfterTuple(Target::Inherited))),
        _ => {}
    }
    if !in_copy {
        let lf = memchr::memmem::rfind(buf, b";\n").map(|i| i + 2);
        let crlf = memchr::memmem::rfind(buf, b";\r\n").map(|i| i + 3);
        if let Some(cut) = lf.max(crlf) {
            return Some((cut, after_statement(buf, cut)));
        }
    }
    Some((nl + 1, Mode::Copy(Target::Inherited)))
}

/// A parse job: sequence number, bytes, the guessed start mode, whether it starts a line, and
/// whether it is the last.
type Job = (u64, Vec<u8>, Mode, bool, bool);

/// A finished job.
struct Done {
    bytes: Vec<u8>,
    guess: Mode,
    last: bool,
    parsed: BlockParse,
}

/// Replay state of the reading thread.
struct Replay {
    /// How the next block really begins (the end of the last block replayed).
    expected: Mode,
    /// The table of the statement the last block ended inside.
    target: Option<Target>,
    /// 1-based line and byte offset of the next block's first byte, and whether it starts a
    /// line.
    line: u64,
    offset: u64,
    bol: bool,
    /// A block that ended where no parse can resume, waiting to be joined to the next one.
    joined: Option<Vec<u8>>,
}

impl Replay {
    /// `t`, or for an inherited target the table of the statement begun in an earlier block.
    fn resolve(&self, t: Target) -> Target {
        match t {
            Target::Inherited => self.target.clone().unwrap_or(Target::Inherited),
            named => named,
        }
    }

    /// The expected mode with its table filled in, for the sequential reader.
    fn resume(&self) -> Resume {
        let mode = match self.expected.clone() {
            Mode::Statement => Mode::Statement,
            Mode::Copy(t) => Mode::Copy(self.resolve(t)),
            Mode::Values(t) => Mode::Values(self.resolve(t)),
            Mode::AfterTuple(t) => Mode::AfterTuple(self.resolve(t)),
        };
        Resume {
            mode,
            line: self.line,
            offset: self.offset,
            bol: self.bol,
        }
    }

    /// Hands a parsed block's events to the sink and moves past the block.
    fn apply(&mut self, out: &mut CtxOut, bytes: &[u8], parsed: BlockParse) {
        for ev in parsed.events {
            match ev {
                Event::Define(table, cols) => out.define(table, cols),
                Event::Switch(target, width) => out.table_for(&self.resolve(target), width),
                Event::Rows(batch) => out.deliver(batch),
                Event::Problem(mut d) => {
                    d.line = d.line.map(|l| l + self.line - 1);
                    d.offset = d.offset.map(|o| o + self.offset);
                    if d.table.is_none() {
                        // Only problems of a statement begun in an earlier block lack a table.
                        d.table = match &self.target {
                            Some(Target::Named { name, .. }) => Some(name.clone()),
                            _ => out.current_name(),
                        };
                    }
                    out.problem(d);
                }
            }
        }
        self.line += memchr::memchr_iter(b'\n', bytes).count() as u64;
        self.offset += bytes.len() as u64;
        self.bol = bytes.last().map_or(self.bol, |&b| b == b'\n');
        let end = parsed.end.unwrap_or(Mode::Statement);
        match &end {
            Mode::Statement => self.target = None,
            Mode::Copy(t @ Target::Named { .. })
            | Mode::Values(t @ Target::Named { .. })
            | Mode::AfterTuple(t @ Target::Named { .. }) => self.target = Some(t.clone()),
            _ => {}
        }
        self.expected = inherited(&end);
    }
}

/// What the reading loop leaves for the sequential reader: these bytes, then the rest of the
/// input (or a replay of the read failure).
type Handover = (Vec<Vec<u8>>, Option<io::Error>);

/// Reads `input` with `threads` parser threads; see the module documentation.
pub(super) fn read(out: &mut CtxOut, input: &mut dyn Read, dialect: Dialect, threads: usize) {
    let opts = out.ctx.opts;
    let max_record = opts.max_record_bytes.max(1024);
    let batch_rows = opts.batch_rows.max(1);
    let block = opts.block_bytes.max(64);
    let mut cutter = Cutter::new(input, block, max_record.saturating_add(block));
    let source = out.source.clone();
    let mut replay = Replay {
        expected: Mode::Statement,
        target: None,
        line: 1,
        offset: 0,
        bol: true,
        joined: None,
    };
    let window = threads * 2;
    let (job_tx, job_rx) = sync_channel::<Job>(window);
    let (done_tx, done_rx) = channel::<(u64, Done)>();
    let job_rx = Mutex::new(job_rx);
    let spec = BlockSpec {
        dialect,
        source: source.as_str(),
        max_record,
        batch_rows,
    };
    let parse = move |bytes: &[u8], mode: Mode, bol: bool, last: bool| {
        parse_block(bytes, mode, bol, last, spec)
    };
    let handover = std::thread::scope(|scope| {
        for _ in 0..threads {
            let done_tx = done_tx.clone();
            let job_rx: &Mutex<Receiver<Job>> = &job_rx;
            scope.spawn(move || loop {
                let job = job_rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                let Ok((seq, bytes, guess, bol, last)) = job else {
                    return;
                };
                let parsed = parse(&bytes, guess.clone(), bol, last);
                let done = Done {
                    bytes,
                    guess,
                    last,
                    parsed,
                };
                if done_tx.send((seq, done)).is_err() {
                    return;
                }
            });
        }
        drop(done_tx);
        let (mut sent, mut next) = (0u64, 0u64);
        let mut reading = true;
        // The guess for the block being cut: how the previous cut said it begins.
        let mut guess = Mode::Statement;
        // Whether the block being cut starts a line.
        let mut starts_line = true;
        let mut rest: Option<Handover> = None;
        let mut ready: BTreeMap<u64, Done> = BTreeMap::new();
        let mut leftovers: Vec<Vec<u8>> = Vec::new();
        let mut saw_last = false;
        loop {
            while reading && rest.is_none() && !out.ctx.stopped && sent - next < window as u64 {
                let in_copy = matches!(replay.expected, Mode::Copy(_));
                match cutter.next(|buf| find_cut(buf, in_copy)) {
                    Piece::Block {
                        bytes,
                        last,
                        next: then,
                    } => {
                        let g = std::mem::replace(&mut guess, then);
                        let bol = std::mem::replace(&mut starts_line, bytes.last() == Some(&b'\n'));
                        if job_tx.send((sent, bytes, g, bol, last)).is_err() {
                            reading = false;
                        }
                        sent += 1;
                        reading &= !last;
                    }
                    Piece::Uncuttable(bytes) => {
                        rest = Some((vec![bytes], None));
                        reading = false;
                    }
                    Piece::Failed(bytes, e) => {
                        rest = Some((vec![bytes], Some(e)));
                        reading = false;
                    }
                    Piece::End => reading = false,
                }
            }
            if next == sent {
                break;
            }
            let Ok((seq, done)) = done_rx.recv() else {
                break;
            };
            ready.insert(seq, done);
            while let Some(done) = ready.remove(&next) {
                next += 1;
                if out.ctx.stopped || !leftovers.is_empty() {
                    leftovers.push(done.bytes);
                    continue;
                }
                let Done {
                    bytes,
                    guess,
                    last,
                    parsed,
                } = done;
                let (bytes, parsed) = match replay.joined.take() {
                    Some(mut head) => {
                        // The previous block ended mid-statement: parse both as one.
                        head.extend_from_slice(&bytes);
                        let mode = replay.expected.clone();
                        let p = parse(&head, mode, replay.bol, last);
                        (head, p)
                    }
                    None if !same_kind(&guess, &replay.expected) => {
                        let p = parse(&bytes, replay.expected.clone(), replay.bol, last);
                        (bytes, p)
                    }
                    None => (bytes, parsed),
                };
                if parsed.end.is_none() && !last {
                    if bytes.len() < cutter.limit {
                        replay.joined = Some(bytes);
                    } else {
                        leftovers.push(bytes);
                    }
                    continue;
                }
                replay.apply(out, &bytes, parsed);
                saw_last |= last;
                if cutter.spare.len() < window {
                    cutter.spare.push(bytes);
                }
            }
        }
        drop(job_tx);
        if out.ctx.stopped {
            return None;
        }
        if let Some(j) = replay.joined.take() {
            leftovers.insert(0, j);
        }
        match rest {
            Some((tail, fail)) => {
                leftovers.extend(tail);
                Some((leftovers, fail))
            }
            // Otherwise, when the last block replayed ended at a cut rather than at the end of
            // the dump (the input ended right after it), the sequential reader reads the (empty)
            // rest, reporting a statement left open there.
            None if leftovers.is_empty() && saw_last => None,
            None => Some((leftovers, None)),
        }
    });
    let Some((parts, fail)) = handover else {
        return;
    };
    let resume = replay.resume();
    let mut r = cutter.rest(parts, fail);
    sequential(out, &mut r, dialect, resume);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cut and the guessed mode: 0 statement, 1 COPY data, 2 between tuples.
    fn guess(buf: &[u8], in_copy: bool) -> Option<(usize, u8)> {
        find_cut(buf, in_copy).map(|(c, m)| {
            let kind = match m {
                Mode::Statement => 0,
                Mode::Copy(_) => 1,
                Mode::Values(_) => 2,
                Mode::AfterTuple(_) => 3,
            };
            (c, kind)
        })
    }

    #[test]
    fn cuts_and_guesses() {
        // After a statement.
        assert_eq!(
            guess(b"INSERT INTO t VALUES (1);\nINSERT", false),
            Some((26, 0))
        );
        // After a COPY header: data follows.
        let copy = b"COPY public.t (a) FROM stdin;\n1\n";
        assert_eq!(guess(copy, false), Some((30, 1)));
        assert_eq!(guess(&copy[..30], false), Some((30, 1)));
        // Between tuples of a multi-line INSERT.
        assert_eq!(guess(b"VALUES\n(1),\n(2),\n(3", false), Some((17, 2)));
        // A single-line INSERT: between tuples.
        assert_eq!(guess(b"VALUES (1),(2),(3", false), Some((15, 2)));
        // COPY data lines: the last newline, unless a statement end exists outside COPY.
        assert_eq!(guess(b"a;\n1\tx\n2\ty", false), Some((3, 0)));
        assert_eq!(guess(b"a;\n1\tx\n2\ty", true), Some((7, 1)));
        assert_eq!(guess(b"no cut here", false), None);
    }
}
