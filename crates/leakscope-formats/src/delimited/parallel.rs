//! The parallel delimited reader: the reading thread cuts the input into blocks at record
//! boundaries, parser threads turn blocks into row batches, and the reading thread hands the
//! batches to the sink in file order.
//!
//! A cut is placed after the last newline of a block that has an even number of quotes before it
//! (outside any quoted field, when quoting is standard). The parser then checks that the block
//! really ended between records and that nothing in it needs the sequential reader's recovery
//! (a quoted field over [`super::MAX_RECORD_LINES`] lines, a record over the size limit). The first
//! block that fails the check, and everything after it, is read by the sequential reader, so
//! unusual files give exactly the sequential result.

use super::block::{parse_block, BlockRules, Parsed, Scratch};
use super::sequential::{self, Resume};
use super::{finish, Problems};
use crate::blocks::{Cutter, Piece};
use crate::ctx::{synth_headers, Ctx};
use crate::sniff::Dialect;
use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::mpsc::{channel, sync_channel, Receiver};
use std::sync::Mutex;

/// Where to cut `buf` (which starts at a record boundary) so the first part ends between
/// records: just after the last newline outside a quoted field, or any last newline when
/// `quoting` is off. `None` when no newline qualifies.
///
/// Quotes follow `csv-core`'s rules: a quote opens a quoted field only at the start of a field
/// (after the delimiter or a line end); inside one, `""` is a literal quote and a single quote
/// closes it; elsewhere a quote is an ordinary character (`15" screen`).
pub(crate) fn find_cut(buf: &[u8], quoting: bool, delimiter: u8) -> Option<usize> {
    if !quoting {
        return memchr::memrchr(b'\n', buf).map(|i| i + 1);
    }
    let mut cut = None;
    let mut quoted = false;
    let mut skip_to = 0usize;
    for i in memchr::memchr2_iter(b'"', b'\n', buf) {
        if i < skip_to {
            continue;
        }
        match (buf[i], quoted) {
            (b'\n', false) => cut = Some(i + 1),
            (b'\n', true) => {}
            (_, false) => {
                let field_start =
                    i == 0 || matches!(buf[i - 1], b'\n' | b'\r') || buf[i - 1] == delimiter;
                quoted = field_start;
            }
            (_, true) => {
                if buf.get(i + 1) == Some(&b'"') {
                    skip_to = i + 2;
                } else {
                    quoted = false;
                }
            }
        }
    }
    cut
}

/// How a delimited cut guesses the next block: nothing to guess (every block starts a record).
fn cut_at(buf: &[u8], quoting: bool, delimiter: u8) -> Option<(usize, ())> {
    find_cut(buf, quoting, delimiter).map(|c| (c, ()))
}

/// Reads `input` with `threads` parser threads; see the module documentation.
pub(super) fn read(
    ctx: &mut Ctx,
    source: &str,
    name: &str,
    input: &mut dyn Read,
    dialect: &Dialect,
    threads: usize,
) {
    let rules = BlockRules {
        dialect,
        max_record: ctx.opts.max_record_bytes.max(1024),
        batch_rows: ctx.opts.batch_rows.max(1),
    };
    let block = ctx.opts.block_bytes.max(64);
    let mut cutter = Cutter::new(input, block, rules.max_record.saturating_add(block));
    let (quoting, delimiter) = (dialect.quoting, dialect.delimiter);
    let cut = |buf: &[u8]| cut_at(buf, quoting, delimiter);
    // The first block is parsed here: it names the columns every other block is measured by.
    let first = match cutter.next(cut) {
        Piece::Block {
            bytes, last: false, ..
        } => bytes,
        other => {
            // Small input, an uncuttable start or an early failure: all sequential.
            let (bytes, fail) = match other {
                Piece::Block { bytes, .. } | Piece::Uncuttable(bytes) => (bytes, None),
                Piece::Failed(bytes, e) => (bytes, Some(e)),
                Piece::End => (Vec::new(), None),
            };
            return sequential_rest(
                ctx,
                source,
                name,
                dialect,
                vec![bytes],
                &mut cutter,
                fail,
                Resume::start(),
            );
        }
    };
    let mut scratch = Scratch::default();
    let parsed = parse_block(&first, false, None, &rules, &mut scratch);
    let has_rows = parsed.header.is_some() || !parsed.batches.is_empty();
    if !parsed.clean || !has_rows {
        return sequential_rest(
            ctx,
            source,
            name,
            dialect,
            vec![first],
            &mut cutter,
            None,
            Resume::start(),
        );
    }
    let width = parsed.width;
    let mut t = match parsed.header {
        Some(names) => ctx.begin_table(source, name, super::capped_names(dialect, names), true),
        None => ctx.begin_table(
            source,
            name,
            synth_headers(width.min(dialect.max_columns).max(1)),
            false,
        ),
    };
    let mut problems = Problems::default();
    problems.absorb(&parsed.problems, 0);
    let mut lines = parsed.lines;
    let mut offset = first.len() as u64;
    for b in parsed.batches {
        ctx.deliver(&mut t, b);
    }
    drop(scratch);

    let window = threads * 2;
    let mut leftovers: Vec<Vec<u8>> = Vec::new();
    let mut failure: Option<(io::Error, u64, u64)> = None;
    let mut unclean = false;
    let (job_tx, job_rx) = sync_channel::<(u64, Vec<u8>, bool)>(window);
    let (done_tx, done_rx) = channel::<(u64, Vec<u8>, Parsed)>();
    let job_rx = Mutex::new(job_rx);
    let rules = &rules;
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let done_tx = done_tx.clone();
            let job_rx: &Mutex<Receiver<(u64, Vec<u8>, bool)>> = &job_rx;
            scope.spawn(move || {
                let mut scratch = Scratch::default();
                loop {
                    let job = job_rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                    let Ok((seq, bytes, last)) = job else { return };
                    let parsed = parse_block(&bytes, last, Some(width), rules, &mut scratch);
                    if done_tx.send((seq, bytes, parsed)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        let (mut sent, mut next) = (0u64, 0u64);
        let mut reading = true;
        let mut ready: BTreeMap<u64, (Vec<u8>, Parsed)> = BTreeMap::new();
        loop {
            while reading && !unclean && !ctx.stopped && sent - next < window as u64 {
                match cutter.next(cut) {
                    Piece::Block { bytes, last, .. } => {
                        if job_tx.send((sent, bytes, last)).is_err() {
                            reading = false;
                        }
                        sent += 1;
                        reading &= !last;
                    }
                    Piece::Uncuttable(bytes) => {
                        // Read after every block already sent, by the sequential reader.
                        cutter.carry = bytes;
                        cutter.eof = false;
                        unclean = true;
                        reading = false;
                    }
                    Piece::Failed(mut bytes, e) => {
                        // Whole records read before the failure are still parsed; the failure
                        // is located after the incomplete tail, as the sequential reader does.
                        let cut = find_cut(&bytes, dialect.quoting, dialect.delimiter).unwrap_or(0);
                        let tail = &bytes[cut..];
                        let tail_lines = memchr::memchr_iter(b'\n', tail).count() as u64;
                        failure = Some((e, tail.len() as u64, tail_lines));
                        if cut > 0 {
                            bytes.truncate(cut);
                            if job_tx.send((sent, bytes, false)).is_ok() {
                                sent += 1;
                            }
                        }
                        reading = false;
                    }
                    Piece::End => reading = false,
                }
            }
            if next == sent {
                break;
            }
            let Ok((seq, bytes, parsed)) = done_rx.recv() else {
                break;
            };
            ready.insert(seq, (bytes, parsed));
            while let Some((bytes, parsed)) = ready.remove(&next) {
                next += 1;
                if unclean || ctx.stopped || !parsed.clean {
                    unclean |= !parsed.clean;
                    leftovers.push(bytes);
                    continue;
                }
                problems.absorb(&parsed.problems, lines);
                lines += parsed.lines;
                offset += bytes.len() as u64;
                for b in parsed.batches {
                    ctx.deliver(&mut t, b);
                }
                if cutter.spare.len() < window {
                    cutter.spare.push(bytes);
                }
            }
        }
        drop(job_tx);
    });
    if unclean && !ctx.stopped {
        let resume = Resume {
            table: Some(t),
            problems,
            lines,
            offset,
        };
        let fail = failure.map(|(e, _, _)| e);
        return sequential_rest(
            ctx,
            source,
            name,
            dialect,
            leftovers,
            &mut cutter,
            fail,
            resume,
        );
    }
    if let Some((e, tail_bytes, tail_lines)) = failure {
        let (line, at) = (lines + tail_lines + 1, offset + tail_bytes);
        crate::source::io_failure(ctx, source, Some(name), &e, Some(line), Some(at));
    }
    finish(ctx, t, source, name, &problems);
}

/// Reads `parts`, then whatever the cutter still holds and the rest of its input (or a replay of
/// `fail`), with the sequential reader continuing `resume`.
#[allow(clippy::too_many_arguments)]
fn sequential_rest(
    ctx: &mut Ctx,
    source: &str,
    name: &str,
    dialect: &Dialect,
    parts: Vec<Vec<u8>>,
    cutter: &mut Cutter<'_>,
    fail: Option<io::Error>,
    resume: Resume,
) {
    let mut r = cutter.rest(parts, fail);
    sequential::read(ctx, source, name, &mut r, dialect, resume);
}

#[cfg(test)]
mod tests {
    use super::find_cut;

    #[test]
    fn cut_is_after_the_last_newline_outside_quotes() {
        assert_eq!(find_cut(b"a,b\nc,d\ne", true, b','), Some(8));
        assert_eq!(find_cut(b"a,\"x\ny\"\nc,\"p\nq", true, b','), Some(8));
        assert_eq!(find_cut(b"a,\"x\ny", true, b','), None);
        assert_eq!(find_cut(b"a,\"x\"\"\n\"\n", true, b','), Some(9));
        assert_eq!(find_cut(b"no newline", true, b','), None);
        assert_eq!(find_cut(b"u:\"p\nv:w", false, b':'), Some(5));
    }

    #[test]
    fn quotes_inside_unquoted_fields_are_ordinary() {
        // 15" is not an opening quote: the newline after it ends the record.
        assert_eq!(find_cut(b"a,15\" tv\nb,c\nd", true, b','), Some(13));
        // A quote after the delimiter does open a field.
        assert_eq!(find_cut(b"a;\"x\ny\";z\nw", true, b';'), Some(10));
        assert_eq!(find_cut(b"a,\"x\ny", true, b';'), Some(5));
        // After a closing quote, a later quote in the same field is ordinary.
        assert_eq!(find_cut(b"\"a\"b\"c\nd", true, b','), Some(7));
    }
}
