//! `pg_dump` archives read directly, without `pg_restore`: the custom format (`-Fc`: TOC, then
//! data blocks of zlib/zstd/uncompressed chunks), the tar format (`-Ft`: `toc.dat` then one
//! `NNNN.dat` member per table) and the directory format (`-Fd`: `toc.dat` and `NNNN.dat[.gz|
//! .zst]` files). Each table's data is its COPY text; it goes through the SQL reader's COPY
//! parser after the TOC's own `COPY table (columns) FROM stdin;`, so tables get their real names
//! and columns and the `\.` terminators are no rows.

mod toc;

use crate::ctx::Ctx;
use crate::model::{Diagnostic, Severity};
use crate::source::{fail_source, guard, Origin};
use crate::sql::out::Out;
use crate::sql::{self, Dialect};
use std::cell::Cell;
use std::collections::HashMap;
use std::io::{self, Cursor, Read};
use std::path::Path;
use std::rc::Rc;
use toc::{Compression, Entry, Toc};

/// The first bytes of every pg_dump archive (and of a `toc.dat`).
pub(crate) const MAGIC: &[u8; 5] = b"PGDMP";

/// The TOC of a tar archive being read, for its data members that follow.
pub(crate) struct TarState {
    /// TABLE DATA entries by data file name (`3346.dat`).
    by_file: HashMap<String, Entry>,
    /// TABLE entries (their definitions).
    tables: Vec<Entry>,
}

fn postgres() -> Dialect {
    Dialect::of(sql::dialect::Kind::Postgres)
}

/// What a reader needs to say when the compression is not one this build reads.
fn unsupported(c: Compression) -> Option<&'static str> {
    match c {
        Compression::Lz4 => Some("LZ4"),
        Compression::Unknown(_) => Some("an unknown method"),
        _ => None,
    }
}

fn unsupported_diag(source: &str, what: &str) -> Diagnostic {
    Diagnostic::new(
        Severity::Error,
        "unsupported-compression",
        source,
        format!(
            "the archive's table data is compressed with {what}, which this build cannot decompress; \
             `pg_restore -f dump.sql ARCHIVE` writes it as a plain SQL dump that leakscope reads"
        ),
    )
}

/// Reads the `CREATE TABLE`s of the archive's TABLE entries (`only`: of this table), so data
/// dumped as INSERTs without column lists gets its column names.
fn define_tables(out: &mut sql::out::CtxOut, toc_entries: &[Entry], only: Option<&Entry>) {
    for e in toc_entries.iter().filter(|e| e.desc == "TABLE") {
        if only.is_some_and(|d| d.tag != e.tag || d.namespace != e.namespace) {
            continue;
        }
        if let Some(defn) = &e.defn {
            sql::sequential(out, &mut defn.as_bytes(), postgres(), sql::Resume::start());
        }
    }
}

/// Reads one table's COPY data (or INSERT statements) through the SQL reader.
fn feed(out: &mut sql::out::CtxOut, entry: &Entry, data: &mut dyn Read) {
    let head = entry.copy_stmt.clone().unwrap_or_default();
    let mut input = Cursor::new(head.into_bytes()).chain(data);
    sql::sequential(out, &mut input, postgres(), sql::Resume::start());
}

/// Reads an archive whose first bytes are `PGDMP`.
pub(crate) fn read_archive(ctx: &mut Ctx, o: &Origin, mut stream: Box<dyn Read + '_>) {
    let toc = match toc::read(&mut stream) {
        Ok((t, _)) => t,
        Err(e) => {
            return fail_source(
                ctx,
                o,
                "pg-dump-archive",
                "corrupt-archive",
                format!("cannot read the pg_dump archive's table of contents: {e}"),
            )
        }
    };
    if toc.format == 1 {
        return read_custom(ctx, o, &toc, stream);
    }
    // A `toc.dat`: on disk, the directory around it is the archive; inside a tar, the members
    // after it are.
    if let Some(dir) = o.file.and_then(Path::parent) {
        return read_directory_toc(ctx, dir, &toc, o);
    }
    let info = o.info("pg-dump-toc", None);
    ctx.begin_source(&info);
    let tables = toc
        .entries
        .iter()
        .filter(|e| e.desc == "TABLE DATA")
        .count();
    if o.compression.last().map(String::as_str) == Some("tar") {
        ctx.diag(Diagnostic::new(
            Severity::Info,
            "pg-archive-toc",
            &o.display,
            format!("table of contents of a pg_dump tar archive: {tables} tables, read from the .dat members that follow"),
        ));
        let by_file = toc
            .entries
            .iter()
            .filter(|e| e.desc == "TABLE DATA")
            .filter_map(|e| Some((e.filename.clone()?, e.clone())))
            .collect();
        let tables = toc
            .entries
            .iter()
            .filter(|e| e.desc == "TABLE")
            .cloned()
            .collect();
        ctx.pg_tar = Some(Box::new(TarState { by_file, tables }));
        if let Some(c) = unsupported(toc.compression) {
            ctx.diag(unsupported_diag(&o.display, c));
        }
    } else {
        ctx.diag(Diagnostic::new(
            Severity::Warning,
            "missing-member",
            &o.display,
            format!("the table of contents of a pg_dump tar or directory archive ({tables} tables) without its data files; nothing of the data was read"),
        ));
    }
    ctx.end_source(&info);
}

/// The data chunks of one custom-format block as one stream (lengths then bytes, 0 ends it);
/// counts the bytes read for the expansion guard.
struct Chunks<'a, 'r> {
    rd: &'a mut toc::Reader<'r>,
    left: usize,
    done: bool,
    read: Rc<Cell<u64>>,
}

impl Read for Chunks<'_, '_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.left == 0 {
            if self.done {
                return Ok(0);
            }
            let n = self.rd.int().map_err(io::Error::other)?;
            if n == 0 {
                self.done = true;
                return Ok(0);
            }
            if n < 0 {
                return Err(io::Error::other(format!("negative data chunk length {n}")));
            }
            self.left = n as usize;
        }
        let want = buf.len().min(self.left);
        let n = self.rd.r.read(&mut buf[..want])?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the archive ends inside a data block",
            ));
        }
        self.left -= n;
        self.rd.pos += n as u64;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

impl Chunks<'_, '_> {
    /// Reads what is left of the block; false when the archive broke off.
    fn drain(&mut self) -> bool {
        io::copy(self, &mut io::sink()).is_ok()
    }
}

/// Ends an archive's source, saying so when it held no table data (a schema-only dump).
fn end_archive(ctx: &mut Ctx, info: &crate::model::SourceInfo, tables_before: u64) {
    if ctx.summary.tables == tables_before && ctx.source_errors == 0 {
        ctx.diag(Diagnostic::new(
            Severity::Warning,
            "no-rows",
            &info.path,
            "the pg_dump archive holds no table data (a schema-only dump?)",
        ));
    }
    ctx.end_source(info);
}

/// The custom format: data blocks follow the TOC in the same stream.
fn read_custom(ctx: &mut Ctx, o: &Origin, toc: &Toc, mut stream: Box<dyn Read + '_>) {
    let info = o.info("pg-dump-custom", None);
    ctx.begin_source(&info);
    let display = o.display.clone();
    if let Some(c) = unsupported(toc.compression) {
        ctx.diag(unsupported_diag(&display, c));
    }
    let tables_before = ctx.summary.tables;
    let mut out = sql::out::CtxOut::new(ctx, &display);
    define_tables(&mut out, &toc.entries, None);
    let mut rd = toc.reader(&mut stream);
    loop {
        if out.ctx.stopped {
            break;
        }
        let kind = match rd.byte_or_end() {
            Ok(None) => break,
            Ok(Some(k)) => k,
            Err(e) => {
                out.problem_now(Severity::Error, "truncated-stream", e);
                break;
            }
        };
        let id = match rd.int() {
            Ok(id) => id,
            Err(e) => {
                out.problem_now(Severity::Error, "truncated-stream", e);
                break;
            }
        };
        let read = Rc::new(Cell::new(0));
        let intact = match kind {
            // A table's data.
            1 => {
                let mut chunks = Chunks {
                    rd: &mut rd,
                    left: 0,
                    done: false,
                    read: read.clone(),
                };
                let entry = toc.entry(id).filter(|e| e.desc == "TABLE DATA");
                match (entry, toc.compression) {
                    (Some(e), Compression::None) => feed(&mut out, e, &mut chunks),
                    (Some(e), Compression::Gzip) => {
                        let z = flate2::read::ZlibDecoder::new(&mut chunks);
                        let base = read.get();
                        let mut g = guard(out.ctx, z, read.clone(), base, &display);
                        feed(&mut out, e, &mut g);
                    }
                    (Some(e), Compression::Zstd) => {
                        match zstd::stream::read::Decoder::new(&mut chunks) {
                            Ok(z) => {
                                let base = read.get();
                                let mut g = guard(out.ctx, z, read.clone(), base, &display);
                                feed(&mut out, e, &mut g);
                            }
                            Err(err) => out.problem_now(
                                Severity::Error,
                                "corrupt-stream",
                                format!("cannot start the zstd decoder: {err}"),
                            ),
                        }
                    }
                    _ => {}
                }
                chunks.drain()
            }
            // Large objects: (oid, chunks) pairs up to oid 0; not table data.
            3 => loop {
                match rd.int() {
                    Ok(0) => break true,
                    Ok(_) => {
                        let mut chunks = Chunks {
                            rd: &mut rd,
                            left: 0,
                            done: false,
                            read: read.clone(),
                        };
                        if !chunks.drain() {
                            break false;
                        }
                    }
                    Err(_) => break false,
                }
            },
            k => {
                out.problem_now(
                    Severity::Error,
                    "corrupt-archive",
                    format!("unknown block type {k} after {} bytes of data; the rest of the archive was not read", rd.pos),
                );
                break;
            }
        };
        if !intact {
            out.problem_now(
                Severity::Error,
                "truncated-stream",
                "the archive ends (or is damaged) inside a data block; the rest was not read"
                    .into(),
            );
            break;
        }
    }
    out.finish();
    end_archive(ctx, &info, tables_before);
}

/// A directory archive: `toc.dat` was read from `dir`; the table data are files beside it.
fn read_directory_toc(ctx: &mut Ctx, dir: &Path, toc: &Toc, o: &Origin) {
    let display = dir.display().to_string();
    let stored = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(o.stored);
    let info = crate::model::SourceInfo {
        path: display.clone(),
        format: "pg-dump-directory".into(),
        encoding: None,
        bytes: stored,
        compression: vec![],
    };
    ctx.begin_source(&info);
    let tables_before = ctx.summary.tables;
    let mut out = sql::out::CtxOut::new(ctx, &display);
    define_tables(&mut out, &toc.entries, None);
    for e in toc.entries.iter().filter(|e| e.desc == "TABLE DATA") {
        if out.ctx.stopped {
            break;
        }
        let Some(name) = &e.filename else { continue };
        let found = ["", ".gz", ".zst", ".lz4"]
            .iter()
            .map(|s| dir.join(format!("{name}{s}")))
            .find(|p| p.is_file());
        let Some(path) = found else {
            let mut d = Diagnostic::new(
                Severity::Warning,
                "missing-member",
                &display,
                format!("the data file {name} of this table is not in the archive directory"),
            );
            d.table = Some(e.tag.clone());
            out.problem(d);
            continue;
        };
        let file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(err) => {
                out.problem_now(
                    Severity::Error,
                    "io-error",
                    format!("cannot open {}: {err}", path.display()),
                );
                continue;
            }
        };
        let read = Rc::new(Cell::new(0));
        let counted = crate::limits::CountReader {
            inner: io::BufReader::new(file),
            count: read.clone(),
        };
        let ext = path.extension().and_then(|x| x.to_str()).unwrap_or("");
        match ext {
            "gz" => {
                let mut g = guard(
                    out.ctx,
                    flate2::read::MultiGzDecoder::new(counted),
                    read,
                    0,
                    &display,
                );
                feed(&mut out, e, &mut g);
            }
            "zst" => match zstd::stream::read::Decoder::new(counted) {
                Ok(z) => {
                    let mut g = guard(out.ctx, z, read, 0, &display);
                    feed(&mut out, e, &mut g);
                }
                Err(err) => out.problem_now(
                    Severity::Error,
                    "corrupt-stream",
                    format!("cannot start the zstd decoder: {err}"),
                ),
            },
            "lz4" => out
                .ctx
                .diag(unsupported_diag(&path.display().to_string(), "LZ4")),
            _ => {
                let mut c = counted;
                feed(&mut out, e, &mut c);
            }
        }
    }
    out.finish();
    end_archive(ctx, &info, tables_before);
}

/// A directory holding a pg_dump directory archive (`toc.dat` starting with `PGDMP`) is read
/// as that archive; true when it was.
pub(crate) fn read_directory(ctx: &mut Ctx, dir: &Path) -> bool {
    let toc_path = dir.join("toc.dat");
    let Ok(mut f) = std::fs::File::open(&toc_path) else {
        return false;
    };
    let mut magic = [0u8; 5];
    if f.read_exact(&mut magic).is_err() || &magic != MAGIC {
        return false;
    }
    let Ok(file) = std::fs::File::open(&toc_path) else {
        return false;
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let o = Origin {
        display: toc_path.display().to_string(),
        name: toc_path.display().to_string(),
        compression: vec![],
        stored: len,
        depth: 0,
        file: Some(&toc_path),
    };
    read_archive(ctx, &o, Box::new(io::BufReader::new(file)));
    true
}

/// A member of a tar archive whose `toc.dat` was read: table data members are read as their
/// tables; the restore script and large-object files are skipped. False when the member is
/// none of these (it is read as usual).
pub(crate) fn tar_member(ctx: &mut Ctx, o: &Origin, r: &mut dyn Read) -> bool {
    let Some(state) = &ctx.pg_tar else {
        return false;
    };
    let base = o.name.rsplit('/').next().unwrap_or(&o.name).to_string();
    let tables = state.tables.clone();
    let Some(entry) = state.by_file.get(&base).cloned() else {
        if base == "restore.sql" || base == "blobs.toc" || base.starts_with("blob_") {
            let info = o.info("pg-dump-member", None);
            ctx.begin_source(&info);
            ctx.diag(Diagnostic::new(
                Severity::Info,
                "pg-archive-member-skipped",
                &o.display,
                "part of a pg_dump tar archive without table data (restore script or large objects); not read",
            ));
            ctx.end_source(&info);
            return true;
        }
        return false;
    };
    let info = o.info("pg-dump", Some("UTF-8".into()));
    ctx.begin_source(&info);
    let display = o.display.clone();
    let mut out = sql::out::CtxOut::new(ctx, &display);
    define_tables(&mut out, &tables, Some(&entry));
    if base.ends_with(".gz") {
        feed(&mut out, &entry, &mut flate2::read::MultiGzDecoder::new(r));
    } else {
        feed(&mut out, &entry, r);
    }
    out.finish();
    ctx.end_source(&info);
    true
}
