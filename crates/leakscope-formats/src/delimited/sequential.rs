//! The sequential delimited reader: one `csv-core` pass over a stream, with bounded record size,
//! located warnings, recovery from unbalanced quotes and reused buffers (no per-field
//! allocation). It reads small inputs, and takes over from the parallel reader wherever a block
//! is anything but clean.

use super::{begin, emit, finish, Loc, Problems, MAX_RECORD_LINES};
use crate::ctx::{Ctx, Table};
use crate::model::{Diagnostic, Severity};
use crate::sniff::Dialect;
use std::io::Read;

/// Where a sequential read starts: at the top of the input, or where the parallel reader stopped.
pub(super) struct Resume {
    /// The table, when its first record was already read.
    pub table: Option<Table>,
    /// Problems counted so far.
    pub problems: Problems,
    /// Newlines consumed before the input.
    pub lines: u64,
    /// Bytes consumed before the input.
    pub offset: u64,
}

impl Resume {
    /// The top of an input.
    pub fn start() -> Resume {
        Resume {
            table: None,
            problems: Problems::default(),
            lines: 0,
            offset: 0,
        }
    }
}

/// Reads delimited text from `input` (UTF-8) as one table named `name`, continuing `resume`.
pub(super) fn read(
    ctx: &mut Ctx,
    source: &str,
    name: &str,
    input: &mut dyn Read,
    dialect: &Dialect,
    resume: Resume,
) {
    let mut core = csv_core::ReaderBuilder::new()
        .delimiter(dialect.delimiter)
        .quoting(dialect.quoting)
        .build();
    let max_record = ctx.opts.max_record_bytes.max(1024);
    let mut inbuf = vec![0u8; 256 << 10];
    let (mut ipos, mut iend) = (0usize, 0usize);
    let mut eof = false;
    let mut out = vec![0u8; 64 << 10];
    let mut outlen = 0usize;
    let mut ends = vec![0usize; 256];
    let mut nends = 0usize;
    let mut raw: Vec<u8> = Vec::new();
    let mut raw_lost = false;
    let mut oversize = false;
    let mut in_record = false;
    let mut rec_lines = 0u64;
    let mut lines = resume.lines; // newlines consumed so far
    let mut offset = resume.offset; // bytes consumed so far
    let mut start = Loc {
        line: lines + 1,
        offset,
    };
    let mut table: Option<Table> = resume.table;
    let mut problems = resume.problems;
    let mut scratch = String::new();

    loop {
        if ctx.stopped {
            break;
        }
        if ipos == iend && !eof {
            match input.read(&mut inbuf) {
                Ok(n) => {
                    ipos = 0;
                    iend = n;
                    eof = n == 0;
                }
                Err(e) => {
                    crate::source::io_failure(
                        ctx,
                        source,
                        Some(name),
                        &e,
                        Some(lines + 1),
                        Some(offset),
                    );
                    break;
                }
            }
        }
        let chunk = &inbuf[ipos..iend];
        let (res, nin, nout, nend) =
            core.read_record(chunk, &mut out[outlen..], &mut ends[nends..]);
        let consumed = &chunk[..nin];
        if !in_record {
            let lead = consumed
                .iter()
                .take_while(|&&b| b == b'\n' || b == b'\r')
                .count();
            if lead < consumed.len() || res == csv_core::ReadRecordResult::Record {
                in_record = true;
                let lead_nl = memchr::memchr_iter(b'\n', &consumed[..lead]).count() as u64;
                start = Loc {
                    line: lines + lead_nl + 1,
                    offset: offset + lead as u64,
                };
                rec_lines = 0;
            }
        }
        let nl = memchr::memchr_iter(b'\n', consumed).count() as u64;
        lines += nl;
        rec_lines += nl;
        offset += nin as u64;
        outlen += nout;
        nends += nend;
        use csv_core::ReadRecordResult as R;
        match res {
            R::InputEmpty | R::OutputFull | R::OutputEndsFull => {
                if in_record && !raw_lost {
                    if raw.len() + nin > max_record {
                        raw_lost = true;
                        raw = Vec::new();
                    } else {
                        raw.extend_from_slice(consumed);
                    }
                }
                ipos += nin;
                if res == R::OutputFull {
                    if out.len() >= max_record {
                        oversize = true;
                        outlen = 0;
                    } else {
                        out.resize((out.len() * 2).min(max_record), 0);
                    }
                } else if res == R::OutputEndsFull {
                    if ends.len() >= 1 << 20 {
                        oversize = true;
                        nends = 0;
                    } else {
                        ends.resize(ends.len() * 2, 0);
                    }
                }
            }
            R::Record => {
                let multi = !raw.is_empty() || raw_lost;
                if multi && !raw_lost {
                    raw.extend_from_slice(consumed);
                }
                let header = table.is_none() && dialect.has_header;
                let t = table.get_or_insert_with(|| {
                    begin(ctx, source, name, dialect, &out[..outlen], &ends[..nends])
                });
                if header {
                    // The first record named the columns.
                } else if dialect.quoting && rec_lines > MAX_RECORD_LINES {
                    let body: &[u8] = if multi { &raw } else { consumed };
                    unbalanced(
                        ctx,
                        t,
                        source,
                        name,
                        dialect,
                        body,
                        raw_lost,
                        rec_lines,
                        start,
                        &mut problems,
                        &mut scratch,
                    );
                } else if oversize {
                    ctx.diag(
                        Diagnostic::new(Severity::Warning, "record-too-large", source, format!("a record larger than {max_record} bytes was skipped (max record size)"))
                            .table(name)
                            .line(start.line)
                            .offset(start.offset)
                            .skipped(1),
                    );
                    ctx.skip_rows(t, 1);
                } else if outlen == 0 {
                    // Every field empty: nothing to read.
                    problems.empty_rows += 1;
                } else {
                    let width = t.info.headers.len();
                    emit(
                        &mut t.batch,
                        width,
                        dialect,
                        &out[..outlen],
                        &ends[..nends],
                        || start.line,
                        &mut problems,
                        &mut scratch,
                    );
                    ctx.end_row(t);
                }
                ipos += nin;
                outlen = 0;
                nends = 0;
                in_record = false;
                oversize = false;
                raw.clear();
                raw_lost = false;
            }
            R::End => break,
        }
    }
    let t = match table {
        Some(t) => t,
        None => {
            if ctx.source_errors == 0 {
                ctx.diag(
                    Diagnostic::new(Severity::Warning, "no-rows", source, "no records found")
                        .table(name),
                );
            }
            return;
        }
    };
    finish(ctx, t, source, name, &problems);
}

/// A record spanning too many lines: re-read its raw bytes line by line without quoting.
#[allow(clippy::too_many_arguments)]
fn unbalanced(
    ctx: &mut Ctx,
    t: &mut Table,
    source: &str,
    name: &str,
    dialect: &Dialect,
    body: &[u8],
    lost: bool,
    rec_lines: u64,
    at: Loc,
    problems: &mut Problems,
    scratch: &mut String,
) {
    if lost {
        ctx.diag(
            Diagnostic::new(Severity::Warning, "unbalanced-quote", source, format!("a quote opened at line {} was never closed; the {} lines it swallowed exceeded the max record size and were skipped", at.line, rec_lines))
                .table(name)
                .line(at.line)
                .offset(at.offset)
                .skipped(rec_lines),
        );
        ctx.skip_rows(t, rec_lines);
        return;
    }
    let mut plain = csv_core::ReaderBuilder::new()
        .delimiter(dialect.delimiter)
        .quoting(false)
        .build();
    let mut out = vec![0u8; body.len() + 16];
    let mut ends = vec![0usize; 1 << 12];
    let mut input = body;
    let mut line = at.line;
    let mut rows = 0u64;
    loop {
        let (res, nin, _nout, nend) = plain.read_record(input, &mut out, &mut ends);
        let consumed = &input[..nin];
        input = &input[nin..];
        match res {
            csv_core::ReadRecordResult::Record => {
                let width = t.info.headers.len();
                emit(
                    &mut t.batch,
                    width,
                    dialect,
                    &out[..ends[..nend].last().copied().unwrap_or(0)],
                    &ends[..nend],
                    || line,
                    problems,
                    scratch,
                );
                ctx.end_row(t);
                rows += 1;
                line += memchr::memchr_iter(b'\n', consumed).count() as u64;
            }
            csv_core::ReadRecordResult::End => break,
            csv_core::ReadRecordResult::InputEmpty => {
                if input.is_empty() {
                    let (r2, _, _, nend2) = plain.read_record(&[], &mut out, &mut ends);
                    if r2 == csv_core::ReadRecordResult::Record {
                        let width = t.info.headers.len();
                        emit(
                            &mut t.batch,
                            width,
                            dialect,
                            &out[..ends[..nend2].last().copied().unwrap_or(0)],
                            &ends[..nend2],
                            || line,
                            problems,
                            scratch,
                        );
                        ctx.end_row(t);
                        rows += 1;
                    }
                    break;
                }
            }
            _ => break,
        }
    }
    ctx.diag(
        Diagnostic::new(Severity::Warning, "unbalanced-quote", source, format!("a quote opened at line {} ran for {} lines; those {} rows were re-read without quote handling", at.line, rec_lines, rows))
            .table(name)
            .line(at.line)
            .offset(at.offset),
    );
}
