//! Streaming reader for delimited text (CSV, TSV, `;`, `|`, combolists) built on `csv-core`, with
//! bounded record size, located warnings and reused buffers (no per-field allocation).

use crate::ctx::{synth_headers, Ctx, Table};
use crate::model::{Diagnostic, Severity};
use crate::sniff::Dialect;
use std::io::Read;

/// A quoted field spanning more lines than this is taken as an unbalanced quote: the lines are
/// re-read without quote handling.
pub const MAX_RECORD_LINES: u64 = 1000;

/// Per-table counters of problems reported once at the end.
#[derive(Default)]
struct Problems {
    invalid_utf8_rows: u64,
    first_invalid_line: u64,
    ragged_rows: u64,
    first_ragged_line: u64,
}

/// Where a record came from.
#[derive(Clone, Copy)]
struct Loc {
    line: u64,
    offset: u64,
}

/// Reads delimited text from `input` (UTF-8) as one table named `name`.
pub(crate) fn read_delimited(
    ctx: &mut Ctx,
    source: &str,
    name: &str,
    input: &mut dyn Read,
    dialect: &Dialect,
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
    let mut lines = 0u64; // newlines consumed so far
    let mut offset = 0u64; // bytes consumed so far
    let mut start = Loc { line: 1, offset: 0 };
    let mut table: Option<Table> = None;
    let mut problems = Problems::default();
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
                } else {
                    emit(
                        ctx,
                        t,
                        dialect,
                        &out[..outlen],
                        &ends[..nends],
                        start,
                        &mut problems,
                        &mut scratch,
                    );
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

/// Starts the table from the first record.
fn begin(
    ctx: &mut Ctx,
    source: &str,
    name: &str,
    dialect: &Dialect,
    rec: &[u8],
    ends: &[usize],
) -> Table {
    if dialect.has_header {
        let mut headers = Vec::with_capacity(ends.len());
        let mut s = 0;
        for &e in ends {
            headers.push(String::from_utf8_lossy(&rec[s..e]).into_owned());
            s = e;
        }
        if let Some(h) = headers.first_mut() {
            if let Some(stripped) = h.strip_prefix('\u{feff}') {
                *h = stripped.to_string();
            }
        }
        ctx.begin_table(source, name, headers, true)
    } else {
        let n = dialect.columns.max(ends.len()).max(1);
        ctx.begin_table(source, name, synth_headers(n), false)
    }
}

/// Pushes one record into the table's batch.
#[allow(clippy::too_many_arguments)]
fn emit(
    ctx: &mut Ctx,
    t: &mut Table,
    dialect: &Dialect,
    rec: &[u8],
    ends: &[usize],
    at: Loc,
    problems: &mut Problems,
    scratch: &mut String,
) {
    let width = t.info.headers.len();
    let limit = dialect.max_fields.unwrap_or(usize::MAX);
    match std::str::from_utf8(rec) {
        Ok(text) => push_fields(t, text, ends, limit, dialect.delimiter, scratch),
        Err(_) => {
            problems.invalid_utf8_rows += 1;
            if problems.first_invalid_line == 0 {
                problems.first_invalid_line = at.line;
            }
            let lossy = String::from_utf8_lossy(rec);
            // Lossy replacement changes lengths: rebuild field ends from the per-field lossy text.
            let mut s = 0;
            let mut fixed = String::with_capacity(lossy.len());
            let mut fixed_ends = Vec::with_capacity(ends.len());
            for &e in ends {
                fixed.push_str(&String::from_utf8_lossy(&rec[s..e]));
                fixed_ends.push(fixed.len());
                s = e;
            }
            push_fields(t, &fixed, &fixed_ends, limit, dialect.delimiter, scratch);
        }
    }
    let n = ends.len().min(limit);
    if n != width && !(n == 1 && rec.is_empty()) {
        problems.ragged_rows += 1;
        if problems.first_ragged_line == 0 {
            problems.first_ragged_line = at.line;
        }
    }
    ctx.end_row(t);
}

/// Pushes the fields of a valid UTF-8 record; fields past `limit` are joined back with the delimiter.
fn push_fields(
    t: &mut Table,
    text: &str,
    ends: &[usize],
    limit: usize,
    delim: u8,
    scratch: &mut String,
) {
    if ends.len() <= limit && t.batch.push_fields_concat(text, ends) {
        return;
    }
    let mut s = 0;
    for (i, &e) in ends.iter().enumerate() {
        if i + 1 == limit && ends.len() > limit {
            scratch.clear();
            let mut fs = s;
            for (j, &fe) in ends[i..].iter().enumerate() {
                if j > 0 {
                    scratch.push(delim as char);
                }
                scratch.push_str(text.get(fs..fe).unwrap_or("\u{fffd}"));
                fs = fe;
            }
            t.batch.push_field(scratch);
            return;
        }
        match text.get(s..e) {
            Some(f) => t.batch.push_field(f),
            None => t
                .batch
                .push_field(&String::from_utf8_lossy(&text.as_bytes()[s..e])),
        }
        s = e;
    }
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
                let l = Loc {
                    line,
                    offset: at.offset,
                };
                emit(
                    ctx,
                    t,
                    dialect,
                    &out[..ends[..nend].last().copied().unwrap_or(0)],
                    &ends[..nend],
                    l,
                    problems,
                    scratch,
                );
                rows += 1;
                line += memchr::memchr_iter(b'\n', consumed).count() as u64;
            }
            csv_core::ReadRecordResult::End => break,
            csv_core::ReadRecordResult::InputEmpty => {
                if input.is_empty() {
                    let (r2, _, _, nend2) = plain.read_record(&[], &mut out, &mut ends);
                    if r2 == csv_core::ReadRecordResult::Record {
                        let l = Loc {
                            line,
                            offset: at.offset,
                        };
                        emit(
                            ctx,
                            t,
                            dialect,
                            &out[..ends[..nend2].last().copied().unwrap_or(0)],
                            &ends[..nend2],
                            l,
                            problems,
                            scratch,
                        );
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

/// Reports per-table problems and ends the table.
fn finish(ctx: &mut Ctx, t: Table, source: &str, name: &str, p: &Problems) {
    if p.invalid_utf8_rows > 0 {
        ctx.diag(
            Diagnostic::new(
                Severity::Warning,
                "invalid-utf8",
                source,
                format!(
                    "{} rows held invalid UTF-8 bytes, replaced with U+FFFD (first at line {})",
                    p.invalid_utf8_rows, p.first_invalid_line
                ),
            )
            .table(name)
            .line(p.first_invalid_line),
        );
    }
    if p.ragged_rows > 0 {
        ctx.diag(
            Diagnostic::new(Severity::Info, "ragged-rows", source, format!("{} rows have a different number of fields than the {} columns (first at line {}); they were kept as they are", p.ragged_rows, t.info.headers.len(), p.first_ragged_line))
                .table(name)
                .line(p.first_ragged_line),
        );
    }
    ctx.finish_table(t);
}
