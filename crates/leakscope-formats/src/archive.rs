//! Archive containers: zip (including office detection), tar and 7z, read member by member.

use crate::ctx::Ctx;
use crate::limits::CountReader;
use crate::model::{Diagnostic, Severity};
use crate::source::{dispatch, fail_source, guard, io_failure, Origin};
use std::cell::Cell;
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::rc::Rc;

/// Reads a zip archive; XLSX and ODS files (which are zips) go to the spreadsheet reader.
pub(crate) fn read_zip(ctx: &mut Ctx, o: &Origin, file: File) {
    // Bytes read from the archive: a member's expansion ratio is checked against the
    // compressed bytes it consumed so far, not its declared size.
    let consumed = Rc::new(Cell::new(0u64));
    let counted = CountReader {
        inner: file,
        count: consumed.clone(),
    };
    let mut zip = match zip::ZipArchive::new(BufReader::new(counted)) {
        Ok(z) => z,
        Err(e) => {
            fail_source(
                ctx,
                o,
                "zip",
                "corrupt-archive",
                format!("cannot read zip archive (truncated or damaged): {e}"),
            );
            return;
        }
    };
    let office = if zip.index_for_name("xl/workbook.xml").is_some() {
        Some("xlsx")
    } else if zip.index_for_name("content.xml").is_some()
        && zip.index_for_name("mimetype").is_some()
    {
        Some("ods")
    } else {
        None
    };
    if let Some(kind) = office {
        let mut inner = zip.into_inner().into_inner().inner;
        if inner.rewind().is_ok() {
            crate::excel::read_spreadsheet(ctx, o, inner, kind);
        }
        return;
    }
    let mut members = 0;
    for i in 0..zip.len() {
        if ctx.stopped {
            return;
        }
        if stopped_by_limit(ctx, o, zip.len() - i) {
            return;
        }
        let member_name = zip
            .name_for_index(i)
            .and_then(Result::ok)
            .map_or_else(|| "?".to_string(), |c| c.to_string());
        let display = format!("{}!/{}", o.display, member_name);
        let base = consumed.get();
        let opened = match &ctx.opts.password {
            Some(p) => zip.by_index_decrypt(i, p.as_bytes()),
            None => zip.by_index(i),
        };
        let f = match opened {
            Ok(f) => f,
            Err(zip::result::ZipError::UnsupportedArchive(msg))
                if msg == zip::result::ZipError::PASSWORD_REQUIRED =>
            {
                let child = o.child(display, member_name, "zip", 0);
                fail_source(
                    ctx,
                    &child,
                    "encrypted",
                    "encrypted-archive",
                    "this zip member is encrypted: pass the password with --password".into(),
                );
                members += 1;
                continue;
            }
            Err(zip::result::ZipError::InvalidPassword) => {
                let child = o.child(display, member_name, "zip", 0);
                fail_source(
                    ctx,
                    &child,
                    "encrypted",
                    "wrong-password",
                    "the --password given does not decrypt this zip member".into(),
                );
                members += 1;
                continue;
            }
            Err(e) => {
                let child = o.child(display, member_name, "zip", 0);
                fail_source(
                    ctx,
                    &child,
                    "unknown",
                    "corrupt-archive",
                    format!("cannot read zip member: {e}"),
                );
                members += 1;
                continue;
            }
        };
        if f.is_dir() {
            continue;
        }
        members += 1;
        let stored = f.compressed_size();
        let child = o.child(display.clone(), member_name, "zip", stored);
        let g = guard(ctx, f, consumed.clone(), base, &display);
        dispatch(ctx, child, Box::new(g));
    }
    if members == 0 {
        fail_source(
            ctx,
            o,
            "zip",
            "empty-archive",
            "the zip archive holds no files".into(),
        );
    }
}

/// True (after saying so) when a decompression limit already stopped this input: the
/// `left` remaining members of the archive are not read.
fn stopped_by_limit(ctx: &mut Ctx, o: &Origin, left: usize) -> bool {
    if !ctx.limits.tripped.get() {
        return false;
    }
    let what = if left == usize::MAX {
        "the remaining members".to_string()
    } else {
        format!("{left} remaining members")
    };
    ctx.diag(Diagnostic::new(
        Severity::Warning,
        "archive-stopped",
        &o.display,
        format!("{what} of this archive were not read: a decompression limit stopped this input"),
    ));
    true
}

/// Reads a tar stream member by member (the members of a pg_dump tar archive by its TOC).
pub(crate) fn read_tar(ctx: &mut Ctx, o: &Origin, stream: Box<dyn Read + '_>) {
    let outer_pg = ctx.pg_tar.take();
    read_tar_members(ctx, o, stream);
    ctx.pg_tar = outer_pg;
}

fn read_tar_members(ctx: &mut Ctx, o: &Origin, stream: Box<dyn Read + '_>) {
    let mut ar = tar::Archive::new(stream);
    let entries = match ar.entries() {
        Ok(e) => e,
        Err(e) => {
            fail_source(
                ctx,
                o,
                "tar",
                "corrupt-archive",
                format!("cannot read tar archive: {e}"),
            );
            return;
        }
    };
    let mut members = 0;
    for entry in entries {
        if ctx.stopped || stopped_by_limit(ctx, o, usize::MAX) {
            return;
        }
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                if members == 0 {
                    let info = o.info("tar", None);
                    ctx.begin_source(&info);
                    io_failure(ctx, &o.display, None, &e, None, None);
                    ctx.end_source(&info);
                } else {
                    ctx.diag(Diagnostic::new(Severity::Error, "corrupt-archive", &o.display, format!("tar archive damaged after {members} members: {e}; the rest was not read")));
                }
                return;
            }
        };
        if !entry.header().entry_type().is_file() {
            continue;
        }
        members += 1;
        let name = entry
            .path()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| "?".into());
        let size = entry.size();
        let child = o.child(format!("{}!/{}", o.display, name), name, "tar", size);
        let mut entry = entry;
        if crate::pgdump::tar_member(ctx, &child, &mut entry) {
            continue;
        }
        dispatch(ctx, child, Box::new(entry));
    }
}

/// Reads a 7z archive member by member.
pub(crate) fn read_7z(ctx: &mut Ctx, o: &Origin, file: File) {
    let password = ctx
        .opts
        .password
        .as_deref()
        .map_or_else(sevenz_rust2::Password::empty, sevenz_rust2::Password::from);
    let consumed = Rc::new(Cell::new(0u64));
    let counted = CountReader {
        inner: file,
        count: consumed.clone(),
    };
    let mut reader = match sevenz_rust2::ArchiveReader::new(BufReader::new(counted), password) {
        Ok(r) => r,
        Err(e) => {
            let msg = e.to_string();
            if msg.to_ascii_lowercase().contains("password") || msg.contains("AES") {
                fail_source(
                    ctx,
                    o,
                    "7z",
                    "encrypted-archive",
                    "the 7z archive is encrypted: pass the password with --password".into(),
                );
            } else {
                fail_source(
                    ctx,
                    o,
                    "7z",
                    "corrupt-archive",
                    format!("cannot read 7z archive: {msg}"),
                );
            }
            return;
        }
    };
    let result = reader.for_each_entries(|entry, r| {
        if entry.is_directory() || !entry.has_stream {
            return Ok(true);
        }
        let name = entry.name().to_string();
        let display = format!("{}!/{}", o.display, name);
        let child = o.child(display.clone(), name, "7z", entry.size());
        if stopped_by_limit(ctx, o, usize::MAX) {
            return Ok(false);
        }
        let g = guard(ctx, r, consumed.clone(), consumed.get(), &display);
        dispatch(ctx, child, Box::new(g));
        Ok(!ctx.stopped)
    });
    if let Err(e) = result {
        let msg = e.to_string();
        let code = if msg.to_ascii_lowercase().contains("password") || msg.contains("AES") {
            "encrypted-archive"
        } else {
            "corrupt-archive"
        };
        let text = if code == "encrypted-archive" {
            "the 7z archive is encrypted: pass the password with --password".to_string()
        } else {
            format!("7z archive damaged: {msg}")
        };
        ctx.diag(Diagnostic::new(Severity::Error, code, &o.display, text));
    }
}
