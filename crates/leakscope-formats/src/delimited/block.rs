//! Parsing one block of a large delimited input on a parser thread: the fast path
//! ([`super::fast`]) for records of valid UTF-8, `csv-core` for the rest, and the checks that
//! tell the reading thread whether the block was clean.

use super::{capped_names, emit, fast, header_names, headerless_width, Problems, MAX_RECORD_LINES};
use crate::ctx::MAX_BATCH_BYTES;
use crate::model::RowBatch;
use crate::sniff::Dialect;

/// What a parser made of one block.
pub(super) struct Parsed {
    /// Rows, in order, numbered from 0 (the reading thread renumbers them).
    pub batches: Vec<RowBatch>,
    /// Newlines in the block.
    pub lines: u64,
    /// Problems, with lines counted from the block's start.
    pub problems: Problems,
    /// False when the sequential reader must take over from this block.
    pub clean: bool,
    /// The first record's fields, when the block was asked for the header row.
    pub header: Option<Vec<String>>,
    /// Columns the rows were measured against.
    pub width: usize,
}

/// Reusable buffers of one parser thread.
#[derive(Default)]
pub(super) struct Scratch {
    out: Vec<u8>,
    ends: Vec<usize>,
    joined: String,
}

/// What every block of one table is parsed with.
pub(super) struct BlockRules<'a> {
    pub dialect: &'a Dialect,
    pub max_record: usize,
    pub batch_rows: usize,
}

/// Parses one block. `last` marks the end of the input (the final record may lack a newline);
/// `width` is the table's column count, or `None` for the first block, where the first record
/// decides it (and is returned as the header when the dialect has one).
pub(super) fn parse_block(
    bytes: &[u8],
    last: bool,
    width: Option<usize>,
    rules: &BlockRules<'_>,
    scratch: &mut Scratch,
) -> Parsed {
    let dialect = rules.dialect;
    let mut core = csv_core::ReaderBuilder::new()
        .delimiter(dialect.delimiter)
        .quoting(dialect.quoting)
        .build();
    let need = bytes.len() + 16;
    if scratch.out.len() < need {
        scratch.out.resize(need, 0);
    }
    if scratch.ends.len() < 256 {
        scratch.ends.resize(256, 0);
    }
    let mut parsed = Parsed {
        batches: Vec::new(),
        lines: 0,
        problems: Problems::default(),
        clean: true,
        header: None,
        width: width.unwrap_or(0),
    };
    let mut width = width;
    let per_batch_text = (bytes.len() / 2).clamp(4096, MAX_BATCH_BYTES);
    let new_batch = || crate::recycle::batch(0, per_batch_text, 4096, rules.batch_rows.min(8192));
    let mut batch = new_batch();
    let (mut pos, mut outlen, mut nends) = (0usize, 0usize, 0usize);
    let (mut in_record, mut rec_start) = (false, 0usize);
    // Lines are counted only where needed: the first line of a problem, and the lines of a
    // record long enough to hold more than MAX_RECORD_LINES of them.
    let line_at = |at: usize| memchr::memchr_iter(b'\n', &bytes[..at]).count() as u64 + 1;
    // Blocks of valid UTF-8 take the fast path record by record (csv-core where it declines).
    let fast_text = match dialect.max_fields {
        None => simdutf8::basic::from_utf8(bytes).ok(),
        Some(_) => None,
    };
    loop {
        if let (Some(text), Some(w), false) = (fast_text, width, in_record) {
            let mut p = pos;
            while p < bytes.len() && matches!(bytes[p], b'\n' | b'\r') {
                p += 1;
            }
            if p == bytes.len() {
                break;
            }
            let rec = fast::record(
                text,
                p,
                dialect.delimiter,
                dialect.quoting,
                last,
                &mut batch,
                &mut scratch.joined,
            );
            // A record wider than the column cap goes the csv-core way, which drops and counts
            // the fields past the cap.
            let rec = rec.filter(|r| {
                let fits = r.fields <= dialect.max_columns;
                if !fits {
                    batch.rollback(r.mark);
                }
                fits
            });
            if let Some(rec) = rec {
                let rec_len = rec.end - p;
                let too_many_lines = dialect.quoting
                    && rec_len as u64 > MAX_RECORD_LINES / 2
                    && memchr::memchr_iter(b'\n', &bytes[p..rec.end]).count() as u64
                        > MAX_RECORD_LINES / 2;
                if too_many_lines || rec_len > rules.max_record {
                    parsed.clean = false;
                    return parsed;
                }
                if rec.blank {
                    // Every field empty: nothing to read.
                    batch.rollback(rec.mark);
                    parsed.problems.empty_rows += 1;
                    pos = rec.end;
                    continue;
                }
                if rec.fields != w {
                    parsed.problems.ragged_rows += 1;
                    if parsed.problems.first_ragged_line == 0 {
                        parsed.problems.first_ragged_line = line_at(p);
                    }
                }
                batch.end_row();
                if batch.len() >= rules.batch_rows || batch.text_bytes() >= MAX_BATCH_BYTES {
                    parsed
                        .batches
                        .push(std::mem::replace(&mut batch, new_batch()));
                }
                pos = rec.end;
                continue;
            }
            pos = p;
        }
        let input = &bytes[pos..];
        if input.is_empty() && !last {
            break;
        }
        let (res, nin, nout, nend) = core.read_record(
            input,
            &mut scratch.out[outlen..],
            &mut scratch.ends[nends..],
        );
        if !in_record {
            let consumed = &input[..nin];
            let lead = consumed
                .iter()
                .take_while(|&&b| b == b'\n' || b == b'\r')
                .count();
            if lead < consumed.len() || res == csv_core::ReadRecordResult::Record {
                in_record = true;
                rec_start = pos + lead;
            }
        }
        pos += nin;
        outlen += nout;
        nends += nend;
        use csv_core::ReadRecordResult as R;
        match res {
            R::InputEmpty => {}
            R::OutputFull => {
                // The output buffer is larger than the block: cannot happen, but never loop.
                parsed.clean = false;
                return parsed;
            }
            R::OutputEndsFull => {
                if scratch.ends.len() >= 1 << 20 {
                    parsed.clean = false;
                    return parsed;
                }
                let n = scratch.ends.len() * 2;
                scratch.ends.resize(n, 0);
            }
            R::Record => {
                let rec_len = pos - rec_start;
                // Conservative (half the limit): near the limit the sequential reader decides.
                let too_many_lines = dialect.quoting
                    && rec_len as u64 > MAX_RECORD_LINES / 2
                    && memchr::memchr_iter(b'\n', &bytes[rec_start..pos]).count() as u64
                        > MAX_RECORD_LINES / 2;
                if too_many_lines || rec_len > rules.max_record {
                    parsed.clean = false;
                    return parsed;
                }
                let rec = &scratch.out[..outlen];
                let ends = &scratch.ends[..nends];
                let w = match width {
                    Some(w) => Some(w),
                    None if dialect.has_header => {
                        let names = capped_names(dialect, header_names(rec, ends));
                        parsed.width = names.len();
                        width = Some(names.len());
                        parsed.header = Some(names);
                        None
                    }
                    None => {
                        let w = headerless_width(dialect, ends.len());
                        parsed.width = w;
                        width = Some(w);
                        Some(w)
                    }
                };
                if w.is_some() && rec.is_empty() {
                    parsed.problems.empty_rows += 1;
                } else if let Some(w) = w {
                    emit(
                        &mut batch,
                        w,
                        dialect,
                        rec,
                        ends,
                        || line_at(rec_start),
                        &mut parsed.problems,
                        &mut scratch.joined,
                    );
                    batch.end_row();
                    if batch.len() >= rules.batch_rows || batch.text_bytes() >= MAX_BATCH_BYTES {
                        parsed
                            .batches
                            .push(std::mem::replace(&mut batch, new_batch()));
                    }
                }
                outlen = 0;
                nends = 0;
                in_record = false;
            }
            R::End => break,
        }
    }
    parsed.lines = memchr::memchr_iter(b'\n', bytes).count() as u64;
    if in_record && !last {
        // The cut fell inside a record (a quoted field with a newline, or a stray quote).
        parsed.clean = false;
    }
    if !batch.is_empty() {
        parsed.batches.push(batch);
    }
    parsed
}
