//! SQLite database files read directly — no SQLite library, no file on disk needed (members of
//! archives and compressed files are spooled like zips): every table with its rows and declared
//! column types, the committed frames of a `-wal` file beside the database laid over its pages,
//! and a damaged page reported (page number, byte offset) and skipped rather than stopping the
//! read. File format: <https://www.sqlite.org/fileformat.html>.

mod btree;
mod layout;
mod pager;

use crate::ctx::{synth_headers, Ctx};
use crate::model::{Diagnostic, Severity};
use crate::source::{fail_source, Origin};
use btree::{Field, Kind, Visit, Visited};
use pager::{OpenError, Pager};
use std::fs::File;

pub(crate) use pager::MAGIC;
use std::path::Path;

/// One row of `sqlite_schema`.
struct Entry {
    kind: String,
    name: String,
    root: u32,
    sql: String,
}

/// Text of a record field as the database stores it (UTF-8 or UTF-16).
fn text(bytes: &[u8], encoding: u32) -> String {
    match encoding {
        2 => encoding_rs::UTF_16LE
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
        3 => encoding_rs::UTF_16BE
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Appends a field's value to `row` the way a reader of the database would see it: integers
/// and reals as numbers, text as text, blobs as text when printable UTF-8 else lower-case hex.
fn push_value(row: &mut String, field: &Field, payload: &[u8], encoding: u32) {
    use std::fmt::Write;
    match field {
        Field::Null => {}
        Field::Int(v) => {
            let _ = write!(row, "{v}");
        }
        Field::Real(v) => {
            let _ = write!(row, "{v}");
        }
        Field::Text(r) => {
            let b = &payload[r.clone()];
            match (encoding, std::str::from_utf8(b)) {
                (1, Ok(s)) => row.push_str(s),
                _ => row.push_str(&text(b, encoding)),
            }
        }
        Field::Blob(r) => {
            let b = &payload[r.clone()];
            match std::str::from_utf8(b) {
                Ok(s) if crate::sql::lex::printable_utf8(b) => row.push_str(s),
                _ => {
                    for c in b {
                        let _ = write!(row, "{c:02x}");
                    }
                }
            }
        }
    }
}

/// Reads a SQLite database (`file` holds its bytes; `wal` its write-ahead log, if any).
pub(crate) fn read_sqlite(ctx: &mut Ctx, o: &Origin, file: File, wal: Option<File>) {
    let had_wal = wal.is_some();
    let mut pager = match Pager::open(file, wal) {
        Ok(p) => p,
        Err(OpenError::BadHeader(why)) => {
            return fail_source(
                ctx,
                o,
                "sqlite",
                "corrupt-database",
                format!("SQLite database header is damaged ({why}); nothing could be read"),
            )
        }
        Err(OpenError::Io(e)) => {
            return fail_source(
                ctx,
                o,
                "sqlite",
                "corrupt-database",
                format!("cannot read the SQLite database header: {e}"),
            )
        }
    };
    let enc = ["UTF-8", "UTF-8", "UTF-16LE", "UTF-16BE"][pager.header.encoding as usize];
    let info = o.info("sqlite", Some(enc.to_string()));
    ctx.begin_source(&info);
    if had_wal {
        ctx.diag(Diagnostic::new(
            Severity::Info,
            "sqlite-wal",
            &o.display,
            format!(
                "{} committed frames of the write-ahead log beside the database were read over its pages",
                pager.wal_frames
            ),
        ));
    }
    let mut visited = Visited::default();
    let mut damage = Vec::new();
    let entries = schema(&mut pager, &mut visited, &mut damage);
    report_damage(ctx, &o.display, None, &pager, &mut damage, "the schema");
    let mut tables = 0;
    for e in &entries {
        if ctx.stopped {
            break;
        }
        if e.kind != "table" || e.name.to_ascii_lowercase().starts_with("sqlite_") {
            continue;
        }
        if e.root == 0 {
            ctx.diag(
                Diagnostic::new(
                    Severity::Info,
                    "virtual-table-skipped",
                    &o.display,
                    "a virtual table (full-text index or module): its content, if stored, is in its shadow tables, read as tables",
                )
                .table(&e.name),
            );
            continue;
        }
        tables += 1;
        read_table(ctx, &o.display, &mut pager, e, &mut visited);
    }
    if tables == 0 && ctx.source_errors == 0 {
        ctx.diag(Diagnostic::new(
            Severity::Warning,
            "no-rows",
            &o.display,
            "the SQLite database holds no tables",
        ));
    }
    ctx.end_source(&info);
}

/// The rows of `sqlite_schema` (page 1's b-tree).
fn schema(pager: &mut Pager, visited: &mut Visited, damage: &mut Vec<btree::Damage>) -> Vec<Entry> {
    let encoding = pager.header.encoding;
    let mut out = Vec::new();
    let mut fields = Vec::new();
    btree::walk(
        pager,
        1,
        Kind::Table,
        64 << 20,
        visited,
        damage,
        |_, payload| {
            let Some(p) = payload else {
                return Visit::Continue;
            };
            if !btree::record(p, &mut fields) || fields.len() < 5 {
                return Visit::Continue;
            }
            let s = |f: &Field| match f {
                Field::Text(r) => text(&p[r.clone()], encoding),
                _ => String::new(),
            };
            let root = match fields[3] {
                Field::Int(v) if (0..=u32::MAX as i64).contains(&v) => v as u32,
                _ => 0,
            };
            out.push(Entry {
                kind: s(&fields[0]),
                name: s(&fields[1]),
                root,
                sql: s(&fields[4]),
            });
            Visit::Continue
        },
    );
    out
}

/// Turns walk damage into located `corrupt-page` warnings.
fn report_damage(
    ctx: &mut Ctx,
    source: &str,
    table: Option<&str>,
    pager: &Pager,
    damage: &mut Vec<btree::Damage>,
    what: &str,
) {
    for d in damage.drain(..) {
        let mut diag = Diagnostic::new(
            Severity::Warning,
            "corrupt-page",
            source,
            format!(
                "page {} of {what} is damaged: {}; the rows stored on it (and under it) were not read",
                d.page, d.what
            ),
        )
        .offset(pager.offset(d.page));
        if let Some(t) = table {
            diag = diag.table(t);
        }
        ctx.diag(diag);
    }
}

/// Reads one table's rows.
fn read_table(ctx: &mut Ctx, source: &str, pager: &mut Pager, e: &Entry, visited: &mut Visited) {
    let layout = layout::parse(&e.sql);
    let kind = match &layout {
        Some(l) if l.without_rowid => Kind::Index,
        _ => Kind::Table,
    };
    let encoding = pager.header.encoding;
    let max = ctx.opts.max_record_bytes;
    let mut damage = Vec::new();
    let mut fields = Vec::new();
    let mut row = String::new();
    let mut ends = Vec::new();
    let (mut malformed, mut oversize) = (0u64, 0u64);
    // Without a parsable definition the columns are named from the first record's width.
    let (headers, order, alias) = match &layout {
        Some(l) => (
            l.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>(),
            l.record_order(),
            l.rowid_alias,
        ),
        None => (Vec::new(), Vec::new(), None),
    };
    if let Some(l) = &layout {
        let types: Vec<String> = l
            .columns
            .iter()
            .map(|c| {
                if c.decl_type.is_empty() {
                    format!("{} (no type)", c.name)
                } else {
                    format!("{} {}", c.name, c.decl_type)
                }
            })
            .collect();
        ctx.diag(
            Diagnostic::new(
                Severity::Info,
                "column-types",
                source,
                format!("declared column types: {}", types.join(", ")),
            )
            .table(&e.name),
        );
    }
    let mut table = None;
    let width = headers.len();
    // Column c is filled by record field `field_of[c]`.
    let field_of: Vec<Option<usize>> = (0..width)
        .map(|c| order.iter().position(|&o| o == c))
        .collect();
    btree::walk(
        pager,
        e.root,
        kind,
        max,
        visited,
        &mut damage,
        |rowid, payload| {
            let Some(p) = payload else {
                oversize += 1;
                return Visit::Continue;
            };
            if !btree::record(p, &mut fields) {
                malformed += 1;
                return Visit::Continue;
            }
            let t = table.get_or_insert_with(|| {
                let (h, real) = if width > 0 {
                    (headers.clone(), true)
                } else {
                    (synth_headers(fields.len()), false)
                };
                ctx.begin_table(source, &e.name, h, real)
            });
            row.clear();
            ends.clear();
            if width == 0 {
                for f in &fields {
                    push_value(&mut row, f, p, encoding);
                    ends.push(row.len());
                }
            } else {
                for (c, at) in field_of.iter().enumerate() {
                    let field = at.and_then(|i| fields.get(i));
                    match field {
                        Some(Field::Null) | None if alias == Some(c) && kind == Kind::Table => {
                            use std::fmt::Write;
                            let _ = write!(row, "{rowid}");
                        }
                        Some(f) => push_value(&mut row, f, p, encoding),
                        None => {}
                    }
                    ends.push(row.len());
                }
            }
            t.batch.push_fields_concat(&row, &ends);
            ctx.end_row(t);
            if ctx.stopped {
                Visit::Stop
            } else {
                Visit::Continue
            }
        },
    );
    let mut t = match table {
        Some(t) => t,
        None => {
            let h = if width > 0 { headers } else { synth_headers(0) };
            ctx.begin_table(source, &e.name, h, width > 0)
        }
    };
    if malformed > 0 {
        ctx.skip_rows(&mut t, malformed);
        ctx.diag(
            Diagnostic::new(
                Severity::Warning,
                "corrupt-record",
                source,
                format!(
                    "{malformed} records could not be decoded (damaged); those rows were skipped"
                ),
            )
            .table(&e.name)
            .skipped(malformed),
        );
    }
    if oversize > 0 {
        ctx.skip_rows(&mut t, oversize);
        ctx.diag(
            Diagnostic::new(
                Severity::Warning,
                "record-too-large",
                source,
                format!("{oversize} rows are larger than {max} bytes; they were skipped"),
            )
            .table(&e.name)
            .skipped(oversize),
        );
    }
    report_damage(ctx, source, Some(&e.name), pager, &mut damage, "this table");
    ctx.finish_table(t);
}

/// A SQLite write-ahead log or rollback journal met as an input of its own: it belongs to the
/// database beside it (whose read takes the log's commits into account), not read alone.
pub(crate) fn sidecar(ctx: &mut Ctx, o: &Origin, kind: &str) {
    let (suffix, what) = match kind {
        "sqlite-wal" => (
            "-wal",
            "a SQLite write-ahead log: its committed pages are read with the database file it belongs to",
        ),
        "sqlite-shm" => (
            "-shm",
            "a SQLite shared-memory index (-shm): it holds no data; not read",
        ),
        _ => (
            "-journal",
            "a SQLite rollback journal: it holds pages as they were before an unfinished transaction; not read",
        ),
    };
    let db_beside = o.file.is_some_and(|p| {
        let s = p.to_string_lossy();
        s.strip_suffix(suffix)
            .is_some_and(|db| Path::new(db).is_file())
    });
    let info = o.info(kind, None);
    ctx.begin_source(&info);
    let (severity, msg) = if db_beside || kind != "sqlite-wal" {
        (Severity::Info, what.to_string())
    } else {
        (
            Severity::Warning,
            format!("{what}; no database file was found beside it, so nothing of it was read"),
        )
    };
    ctx.diag(Diagnostic::new(severity, "sqlite-sidecar", &o.display, msg));
    ctx.end_source(&info);
}
