//! Legacy XLS workbooks (and OLE files) through calamine: every sheet is a table. calamine holds
//! a whole sheet in memory — bounded by the format itself (65,536 rows × 256 columns) — and XLS
//! files above `ReadOptions::max_spreadsheet_bytes` are refused. XLSX and ODS are streamed by
//! `crate::sheet`.

use crate::ctx::{synth_headers, Ctx};
use crate::model::{Diagnostic, Severity};
use crate::source::{fail_source, Origin};
use calamine::{Data, Reader};
use std::fmt::Write;
use std::fs::File;
use std::io::BufReader;

/// An OLE compound file: legacy XLS, or an encrypted OOXML workbook.
pub(crate) fn read_ole(ctx: &mut Ctx, o: &Origin, file: File, head: &[u8]) {
    let utf16: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    if memchr::memmem::find(head, &utf16).is_some() {
        fail_source(ctx, o, "xlsx", "encrypted-archive", "password-protected Office workbook; leakscope cannot decrypt it (--password applies to zip/7z only): remove the protection and export it".into());
        return;
    }
    read_spreadsheet(ctx, o, file, "xls");
}

/// Reads every sheet of a workbook: XLSX and ODS streamed (`sheet`), XLS through calamine.
pub(crate) fn read_spreadsheet(ctx: &mut Ctx, o: &Origin, file: File, kind: &str) {
    if kind == "xlsx" || kind == "ods" {
        return crate::sheet::read(ctx, o, file, kind);
    }
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > ctx.opts.max_spreadsheet_bytes {
        fail_source(ctx, o, kind, "spreadsheet-too-large", format!("{size} bytes is above the spreadsheet limit of {} bytes (whole sheets are held in memory); convert it to CSV", ctx.opts.max_spreadsheet_bytes));
        return;
    }
    let rs = BufReader::new(file);
    open::<calamine::Xls<_>>(ctx, o, rs, kind);
}

type Rs = BufReader<File>;

fn open<R: Reader<Rs>>(ctx: &mut Ctx, o: &Origin, rs: Rs, kind: &str)
where
    R::Error: std::fmt::Display,
{
    let mut book = match R::new(rs) {
        Ok(b) => b,
        Err(e) => {
            let msg = e.to_string();
            let code = if msg.to_ascii_lowercase().contains("password")
                || msg.to_ascii_lowercase().contains("encrypt")
            {
                "encrypted-archive"
            } else {
                "corrupt-spreadsheet"
            };
            fail_source(
                ctx,
                o,
                kind,
                code,
                format!("cannot open {kind} workbook: {msg}"),
            );
            return;
        }
    };
    let info = o.info(kind, None);
    ctx.begin_source(&info);
    let mut cell = String::new();
    for sheet in book.sheet_names().clone() {
        if ctx.stopped {
            break;
        }
        let range = match book.worksheet_range(&sheet) {
            Ok(r) => r,
            Err(e) => {
                ctx.diag(
                    Diagnostic::new(
                        Severity::Error,
                        "corrupt-spreadsheet",
                        &o.display,
                        format!("cannot read sheet: {e}"),
                    )
                    .table(&sheet),
                );
                continue;
            }
        };
        let sample: Vec<Vec<String>> = range
            .rows()
            .take(64)
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        if sample.iter().all(|r| r.iter().all(String::is_empty)) {
            ctx.diag(
                Diagnostic::new(
                    Severity::Info,
                    "empty-sheet",
                    &o.display,
                    "the sheet is empty",
                )
                .table(&sheet),
            );
            continue;
        }
        let has_header = crate::sniff::looks_like_header(&sample);
        let width = range.width();
        let headers = if has_header {
            sample[0].clone()
        } else {
            synth_headers(width)
        };
        let mut t = ctx.begin_table(&o.display, &sheet, headers, has_header);
        for (i, row) in range.rows().enumerate() {
            if has_header && i == 0 {
                continue;
            }
            if row.iter().all(|c| matches!(c, Data::Empty)) {
                continue;
            }
            for c in row {
                cell.clear();
                let _ = write!(cell, "{c}");
                t.batch.push_field(&cell);
            }
            ctx.end_row(&mut t);
            if ctx.stopped {
                break;
            }
        }
        ctx.finish_table(t);
    }
    ctx.end_source(&info);
}
