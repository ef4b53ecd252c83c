//! Opening inputs (paths, directories, stdin, archive members) and dispatching each byte stream
//! to the right reader by content sniffing.

use crate::ctx::Ctx;
use crate::limits::{limit_error, CountReader, Guard};
use crate::model::{Diagnostic, Severity, SourceInfo};
use crate::text::{self, TextKind};
use std::cell::Cell;
use std::fs::File;
use std::io::{self, Cursor, Read, Seek};
use std::path::Path;
use std::rc::Rc;

/// Bytes looked at to sniff a stream.
const HEAD: usize = 64 << 10;

/// Where a stream came from.
#[derive(Clone)]
pub(crate) struct Origin<'p> {
    /// Display path (`a.zip!/b.csv`).
    pub display: String,
    /// File name used for table names (compression suffixes stripped as layers are removed).
    pub name: String,
    /// Unpacking steps so far.
    pub compression: Vec<String>,
    /// Size as stored.
    pub stored: u64,
    /// Nesting depth (each container or compression layer adds one).
    pub depth: u32,
    /// The file on disk, when the stream is that file unmodified (lets seekable formats reopen it).
    pub file: Option<&'p Path>,
}

impl Origin<'_> {
    /// Source info for this stream.
    pub fn info(&self, format: &str, encoding: Option<String>) -> SourceInfo {
        SourceInfo {
            path: self.display.clone(),
            format: format.to_string(),
            encoding,
            bytes: self.stored,
            compression: self.compression.clone(),
        }
    }

    /// Table name: the file stem.
    pub fn table_name(&self) -> String {
        let base = self.name.rsplit(['/', '\\']).next().unwrap_or(&self.name);
        match base.rfind('.') {
            Some(i) if i > 0 => base[..i].to_string(),
            _ => base.to_string(),
        }
    }

    /// Origin of something found inside this one.
    pub fn child(&self, display: String, name: String, step: &str, stored: u64) -> Origin<'static> {
        let mut compression = self.compression.clone();
        compression.push(step.to_string());
        Origin {
            display,
            name,
            compression,
            stored,
            depth: self.depth + 1,
            file: None,
        }
    }
}

/// Reads one command-line path.
pub(crate) fn read_path(ctx: &mut Ctx, p: &Path) {
    if p.as_os_str() == "-" {
        ctx.limits.reset(0);
        // A pipe has no size: the expansion ratio is checked against what was read of it.
        let stdin = CountReader {
            inner: io::stdin().lock(),
            count: ctx.limits.stored.clone(),
        };
        ctx.schemas.origin = None;
        let o = Origin {
            display: "-".into(),
            name: "stdin".into(),
            compression: vec![],
            stored: 0,
            depth: 0,
            file: None,
        };
        dispatch(ctx, o, Box::new(stdin));
        return;
    }
    let display = p.display().to_string();
    match std::fs::metadata(p) {
        Ok(m) if m.is_dir() => walk(ctx, p),
        Ok(m) if m.is_file() => read_file(ctx, p, m.len()),
        Ok(m) => fail_source(
            ctx,
            &plain(&display, 0),
            "unknown",
            "special-file-skipped",
            format!(
                "{} is not a regular file and was not read (a read could wait forever); to read a pipe or device, send it to stdin and pass `-`",
                special_kind(&m)
            ),
        ),
        Err(e) => fail_source(
            ctx,
            &plain(&display, 0),
            "unknown",
            "not-found",
            format!("cannot open: {e}"),
        ),
    }
}

/// What a non-regular file is, for the diagnostic.
fn special_kind(m: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = m.file_type();
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
    }
    let _ = m;
    "a special file"
}

fn plain(display: &str, stored: u64) -> Origin<'static> {
    Origin {
        display: display.to_string(),
        name: display.to_string(),
        compression: vec![],
        stored,
        depth: 0,
        file: None,
    }
}

/// Walks a directory recursively in name order ([`crate::walk`]: the one rule for what a path
/// names); hidden files are read, symlinks are not followed. A pg_dump directory archive — the
/// directory itself or any directory below it — is read as that archive, its files not one by one.
fn walk(ctx: &mut Ctx, dir: &Path) {
    if crate::pgdump::read_directory(ctx, dir) {
        return;
    }
    use crate::walk::Entry;
    // The directory whose files come now (files of one directory come together), and the
    // pg_dump archive directory being skipped, if any.
    let mut looked_at: Option<std::path::PathBuf> = None;
    let mut archive: Option<std::path::PathBuf> = None;
    for entry in crate::walk::entries(dir) {
        if ctx.stopped {
            return;
        }
        match entry {
            Entry::File(path, len) => {
                if archive.as_ref().is_some_and(|a| path.starts_with(a)) {
                    continue;
                }
                let parent = path.parent().unwrap_or(dir);
                if looked_at.as_deref() != Some(parent) {
                    looked_at = Some(parent.to_path_buf());
                    if parent != dir && crate::pgdump::read_directory(ctx, parent) {
                        archive = Some(parent.to_path_buf());
                        continue;
                    }
                }
                read_file(ctx, &path, len)
            }
            Entry::Symlink(path) => ctx.diag(Diagnostic::new(
                Severity::Info,
                "symlink-skipped",
                &path.display().to_string(),
                "symbolic link not followed",
            )),
            Entry::Special(path) => ctx.diag(Diagnostic::new(
                Severity::Info,
                "special-file-skipped",
                &path.display().to_string(),
                "not a regular file",
            )),
            Entry::Error(path, e) => ctx.diag(Diagnostic::new(
                Severity::Error,
                "io-error",
                &path.display().to_string(),
                format!("cannot list or examine: {e}"),
            )),
        }
    }
}

fn read_file(ctx: &mut Ctx, p: &Path, len: u64) {
    ctx.limits.reset(len);
    let display = p.display().to_string();
    ctx.schemas.origin = Some(p.to_path_buf());
    match File::open(p) {
        Ok(f) => {
            let o = Origin {
                display: display.clone(),
                name: display,
                compression: vec![],
                stored: len,
                depth: 0,
                file: Some(p),
            };
            dispatch(ctx, o, Box::new(f));
        }
        Err(e) => fail_source(
            ctx,
            &plain(&display, len),
            "unknown",
            "io-error",
            format!("cannot open: {e}"),
        ),
    }
}

/// Reads an in-memory or other non-file stream.
pub(crate) fn read_reader(ctx: &mut Ctx, name: &str, r: Box<dyn Read + '_>, len: u64) {
    ctx.limits.reset(len);
    dispatch(ctx, plain(name, len), r);
}

/// Reports a source that could not be read at all.
pub(crate) fn fail_source(ctx: &mut Ctx, o: &Origin, format: &str, code: &str, message: String) {
    let info = o.info(format, None);
    ctx.begin_source(&info);
    ctx.diag(Diagnostic::new(Severity::Error, code, &o.display, message));
    ctx.end_source(&info);
}

/// Reports an I/O error that stopped reading, naming a bomb/limit or truncation when that is what it was.
pub(crate) fn io_failure(
    ctx: &mut Ctx,
    source: &str,
    table: Option<&str>,
    e: &io::Error,
    line: Option<u64>,
    offset: Option<u64>,
) {
    let mut d = match limit_error(e) {
        Some(l) => Diagnostic::new(Severity::Error, l.code, source, l.message),
        None if e.kind() == io::ErrorKind::UnexpectedEof => Diagnostic::new(
            Severity::Error,
            "truncated-stream",
            source,
            format!(
                "input ends unexpectedly (truncated or damaged file): {e}; reading stopped here"
            ),
        ),
        None => Diagnostic::new(
            Severity::Error,
            "corrupt-stream",
            source,
            format!("cannot decode input (damaged or truncated): {e}; reading stopped here"),
        ),
    };
    if let Some(t) = table {
        d = d.table(t);
    }
    if let Some(l) = line {
        d = d.line(l);
    }
    if let Some(o) = offset {
        d = d.offset(o);
    }
    ctx.diag(d);
}

/// Reads up to `HEAD` bytes.
fn read_head(r: &mut dyn Read) -> io::Result<Vec<u8>> {
    let mut head = vec![0u8; HEAD];
    let mut n = 0;
    while n < HEAD {
        match r.read(&mut head[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    head.truncate(n);
    Ok(head)
}

/// Content kinds recognised from magic bytes.
fn magic(head: &[u8]) -> Option<&'static str> {
    let starts = |m: &[u8]| head.starts_with(m);
    if starts(&[0x1f, 0x8b]) {
        Some("gzip")
    } else if starts(&[0x28, 0xb5, 0x2f, 0xfd]) {
        Some("zstd")
    } else if starts(b"BZh") && head.len() > 4 && head[3].is_ascii_digit() {
        Some("bzip2")
    } else if starts(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
        Some("xz")
    } else if starts(b"PK\x03\x04") || starts(b"PK\x05\x06") || starts(b"PK\x07\x08") {
        Some("zip")
    } else if starts(&[b'7', b'z', 0xbc, 0xaf, 0x27, 0x1c]) {
        Some("7z")
    } else if starts(&[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]) {
        Some("ole")
    } else if head.len() >= 262 && &head[257..262] == b"ustar" {
        Some("tar")
    } else if starts(crate::pgdump::MAGIC) {
        Some("pg-archive")
    } else if starts(crate::sqlite::MAGIC) {
        Some("sqlite")
    } else if starts(&[0x37, 0x7f, 0x06, 0x82]) || starts(&[0x37, 0x7f, 0x06, 0x83]) {
        Some("sqlite-wal")
    } else if starts(&[0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]) {
        Some("sqlite-journal")
    } else {
        None
    }
}

/// Sniffs a stream and hands it to the matching reader.
pub(crate) fn dispatch(ctx: &mut Ctx, o: Origin, mut r: Box<dyn Read + '_>) {
    if ctx.stopped || ctx.limits.tripped.get() {
        return;
    }
    if o.depth > ctx.opts.max_depth {
        fail_source(
            ctx,
            &o,
            "unknown",
            "archive-too-deep",
            format!(
                "nested more than {} archive/compression levels; not expanded further",
                ctx.opts.max_depth
            ),
        );
        return;
    }
    let head = match read_head(&mut r) {
        Ok(h) => h,
        Err(e) => {
            let info = o.info("unknown", None);
            ctx.begin_source(&info);
            io_failure(ctx, &o.display, None, &e, None, Some(0));
            ctx.end_source(&info);
            return;
        }
    };
    if head.is_empty() {
        let info = o.info("empty", None);
        ctx.begin_source(&info);
        ctx.diag(Diagnostic::new(
            Severity::Warning,
            "empty-file",
            &o.display,
            "the file is empty",
        ));
        ctx.end_source(&info);
        return;
    }
    let kind = magic(&head);
    if ctx.probe_limit.is_some() && matches!(kind, Some("ole" | "sqlite" | "pg-archive")) {
        // A schema probe reads SQL text only (in archives and compressed files too).
        return;
    }
    if kind.is_none() && o.name.ends_with("-shm") && text::looks_binary(&head) {
        return crate::sqlite::sidecar(ctx, &o, "sqlite-shm");
    }
    let stream: Box<dyn Read + '_> = Box::new(Cursor::new(head.clone()).chain(r));
    match kind {
        Some(step @ ("gzip" | "zstd" | "bzip2" | "xz")) => decompress(ctx, &o, step, stream),
        Some("tar") => crate::archive::read_tar(ctx, &o, stream),
        Some(k @ ("sqlite-wal" | "sqlite-journal")) => crate::sqlite::sidecar(ctx, &o, k),
        Some("pg-archive") => crate::pgdump::read_archive(ctx, &o, stream),
        Some("sqlite") => {
            // The write-ahead log beside a database file on disk holds its latest commits.
            let wal = o.file.and_then(|p| {
                let mut w = p.as_os_str().to_owned();
                w.push("-wal");
                File::open(w).ok()
            });
            if let Some(file) = seekable(ctx, &o, stream) {
                crate::sqlite::read_sqlite(ctx, &o, file, wal);
            }
        }
        Some(k @ ("zip" | "7z" | "ole")) => {
            if let Some(file) = seekable(ctx, &o, stream) {
                match k {
                    "zip" => crate::archive::read_zip(ctx, &o, file),
                    "7z" => crate::archive::read_7z(ctx, &o, file),
                    _ => crate::excel::read_ole(ctx, &o, file, &head),
                }
            }
        }
        _ if crate::unsupported::recognise(&head, &o.name).is_some() => {
            if let Some(u) = crate::unsupported::recognise(&head, &o.name) {
                let msg = crate::unsupported::message(u, &o.name);
                fail_source(ctx, &o, u.id, "unsupported-format", msg);
            }
        }
        _ if crate::bson::sniff(&head) => {
            let mut stream = stream;
            crate::bson::read_bson(ctx, &o, &mut stream);
        }
        _ => read_text(ctx, &o, &head, stream),
    }
}

/// Wraps a compressed stream in its decoder (with expansion limits) and dispatches the output.
fn decompress<'a>(ctx: &mut Ctx, o: &Origin, step: &str, stream: Box<dyn Read + 'a>) {
    let count = Rc::new(Cell::new(0u64));
    let counted = CountReader {
        inner: stream,
        count: count.clone(),
    };
    let decoder: Box<dyn Read + 'a> = match step {
        "gzip" => Box::new(flate2::read::MultiGzDecoder::new(counted)),
        "bzip2" => Box::new(bzip2::read::MultiBzDecoder::new(counted)),
        "xz" => Box::new(liblzma::read::XzDecoder::new_multi_decoder(counted)),
        _ => match zstd::stream::read::Decoder::new(counted) {
            Ok(d) => Box::new(d),
            Err(e) => {
                fail_source(
                    ctx,
                    o,
                    "zstd",
                    "corrupt-stream",
                    format!("cannot start zstd decoder: {e}"),
                );
                return;
            }
        },
    };
    let guard = guard(ctx, decoder, count, 0, &o.display);
    let name = strip_compression_suffix(&o.name);
    let child = Origin {
        display: o.display.clone(),
        name,
        compression: [o.compression.clone(), vec![step.to_string()]].concat(),
        stored: o.stored,
        depth: o.depth + 1,
        file: None,
    };
    dispatch(ctx, child, Box::new(guard));
}

/// Expansion guard around a decoder whose compressed input is counted in `input` (from
/// `input_base` on).
pub(crate) fn guard<R: Read>(
    ctx: &Ctx,
    inner: R,
    input: Rc<Cell<u64>>,
    input_base: u64,
    what: &str,
) -> Guard<R> {
    Guard {
        inner,
        input,
        input_base,
        limits: ctx.limits.clone(),
        out: 0,
        max_total: ctx.opts.max_expanded_bytes,
        max_ratio: ctx.opts.max_expansion_ratio.max(1),
        ratio_floor: ctx.opts.ratio_floor_bytes,
        what: what.to_string(),
    }
}

fn strip_compression_suffix(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    for (suffix, repl) in [
        (".tgz", ".tar"),
        (".gz", ""),
        (".zst", ""),
        (".zstd", ""),
        (".bz2", ""),
        (".xz", ""),
        (".txz", ".tar"),
        (".tbz2", ".tar"),
    ] {
        if lower.ends_with(suffix) {
            return format!("{}{}", &name[..name.len() - suffix.len()], repl);
        }
    }
    name.to_string()
}

/// A seekable file with the stream's content: the original file when possible, else a spooled temp file.
fn seekable(ctx: &mut Ctx, o: &Origin, mut stream: Box<dyn Read + '_>) -> Option<File> {
    if let Some(p) = o.file {
        if let Ok(f) = File::open(p) {
            return Some(f);
        }
    }
    let spooled = tempfile::tempfile().and_then(|mut f| {
        io::copy(&mut stream, &mut f)?;
        f.rewind()?;
        Ok(f)
    });
    match spooled {
        Ok(f) => Some(f),
        Err(e) => {
            let info = o.info("unknown", None);
            ctx.begin_source(&info);
            io_failure(ctx, &o.display, None, &e, None, None);
            ctx.end_source(&info);
            None
        }
    }
}

/// Text sources: encoding, then JSON / SQL / HTML / delimited.
fn read_text(ctx: &mut Ctx, o: &Origin, head: &[u8], stream: Box<dyn Read + '_>) {
    let complete = head.len() < HEAD;
    let mut det = text::detect(head, complete);
    if let Some(label) = &ctx.opts.encoding {
        match text::encoding_for_label(label) {
            Some(enc) => {
                det.encoding = enc;
                det.bom_len = text::bom(head)
                    .filter(|(e, _)| *e == enc)
                    .map_or(0, |(_, n)| n);
            }
            None => ctx.diag(Diagnostic::new(
                Severity::Warning,
                "unknown-encoding",
                &o.display,
                format!("unknown --encoding label {label:?}; detecting instead"),
            )),
        }
    }
    let enc = det.encoding;
    if !enc.wide() && det.bom_len == 0 && text::looks_binary(head) {
        fail_source(
            ctx,
            o,
            "unknown",
            "binary-unknown",
            "binary content in no recognised format (not text, archive or spreadsheet)".into(),
        );
        return;
    }
    let body = &head[det.bom_len.min(head.len())..];
    if body.is_empty() && complete {
        let info = o.info("empty", Some(enc.name().to_string()));
        ctx.begin_source(&info);
        ctx.diag(Diagnostic::new(
            Severity::Warning,
            "empty-file",
            &o.display,
            "the file holds only a byte-order mark",
        ));
        ctx.end_source(&info);
        return;
    }
    let preview = if enc.is_utf8() {
        String::from_utf8_lossy(body).into_owned()
    } else {
        text::preview(body, enc)
    };
    let kind = text::classify(&preview);
    let mut stream = stream;
    if det.bom_len > 0 {
        let mut skip = [0u8; 4];
        if stream.read_exact(&mut skip[..det.bom_len]).is_err() {
            return;
        }
    }
    if enc.is_utf8() {
        run_text(ctx, o, kind, enc, &preview, complete, &mut stream);
    } else {
        let mut dec = text::DecodeReader::new(stream, enc, det.bom_len);
        run_text(ctx, o, kind, enc, &preview, complete, &mut dec);
        if dec.replacements > 0 {
            ctx.diag(
                Diagnostic::new(
                    Severity::Warning,
                    "undecodable-bytes",
                    &o.display,
                    format!(
                        "{} byte sequences are not valid {} and were replaced with U+FFFD (first at byte {}, line {})",
                        dec.replacements,
                        enc.name(),
                        dec.first_offset,
                        dec.first_line
                    ),
                )
                .line(dec.first_line)
                .offset(dec.first_offset),
            );
        }
    }
}

/// Runs the text reader for `kind` on a UTF-8 stream.
fn run_text(
    ctx: &mut Ctx,
    o: &Origin,
    kind: TextKind,
    enc: text::Enc,
    preview: &str,
    complete: bool,
    input: &mut dyn Read,
) {
    let encoding = Some(enc.name().to_string());
    let name = o.table_name();
    if ctx.probe_limit.is_some() && !matches!(kind, TextKind::Sql(_)) {
        return;
    }
    match kind {
        TextKind::Html => {
            let what = if o.name.to_ascii_lowercase().ends_with(".xlsx")
                || o.name.to_ascii_lowercase().ends_with(".xls")
            {
                "named like a spreadsheet but is an HTML page"
            } else {
                "is an HTML page"
            };
            fail_source(
                ctx,
                o,
                "html",
                "html-not-spreadsheet",
                format!("{what}, not a spreadsheet or data file; export it as CSV or XLSX"),
            );
        }
        TextKind::Json => {
            let info = o.info(crate::json::format_of(preview), encoding);
            ctx.begin_source(&info);
            crate::json::read_json(ctx, &o.display, &name, input);
            ctx.end_source(&info);
        }
        TextKind::Sql(dialect) => {
            let info = o.info(dialect.format(), encoding);
            ctx.begin_source(&info);
            crate::sql::read_sql(ctx, &o.display, input, dialect);
            ctx.end_source(&info);
        }
        TextKind::Delimited => {
            let dialect = crate::sniff::sniff_dialect(preview, complete);
            let format = if dialect.combolist {
                "combolist"
            } else if dialect.delimiter == b'\t' {
                "tsv"
            } else {
                "csv"
            };
            let info = o.info(format, encoding);
            ctx.begin_source(&info);
            ctx.diag(
                Diagnostic::new(
                    Severity::Info,
                    "dialect",
                    &o.display,
                    format!(
                        "delimiter {:?}, header row: {}",
                        dialect.delimiter as char,
                        if dialect.has_header { "yes" } else { "no" }
                    ),
                )
                .table(&name),
            );
            crate::delimited::read_delimited(ctx, &o.display, &name, input, &dialect);
            ctx.end_source(&info);
        }
    }
}
