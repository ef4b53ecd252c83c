//! XLSX (SpreadsheetML in a zip): workbook → sheet names and parts, styles → which cells are
//! dates, shared strings → bounded store, then every sheet streamed in blocks of whole
//! `<row>` elements, parsed on all cores and added in order.

use super::cells::{builtin_kind, format_kind, parse_xlsx_rows, NumKind, Rows, Workbook};
use super::sst::SharedStrings;
use super::xml::{attr, close_tag, unescape_into, Cut, Cutter, Tok, Tokens};
use super::SheetTable;
use crate::ctx::Ctx;
use crate::limits::CountReader;
use crate::model::{Diagnostic, Severity};
use crate::source::{guard, io_failure, Origin};
use std::cell::Cell;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufReader, Read};
use std::rc::Rc;

/// Parts read whole (workbook, relationships, styles) may be at most this large.
const SMALL_PART: u64 = 16 << 20;
/// Sheet XML handed to a parser thread at once (bytes).
const BLOCK: usize = 1 << 20;

type Zip = zip::ZipArchive<BufReader<CountReader<File>>>;

/// One sheet as the workbook lists it.
struct SheetRef {
    name: String,
    part: String,
}

/// Reads every sheet of the workbook in `file`.
pub(crate) fn read(ctx: &mut Ctx, o: &Origin, file: File) {
    let consumed = Rc::new(Cell::new(0u64));
    let counted = CountReader {
        inner: file,
        count: consumed.clone(),
    };
    let mut zip = match zip::ZipArchive::new(BufReader::new(counted)) {
        Ok(z) => z,
        Err(e) => {
            crate::source::fail_source(
                ctx,
                o,
                "xlsx",
                "corrupt-spreadsheet",
                format!("cannot open xlsx workbook: {e}"),
            );
            return;
        }
    };
    let (sheets, date1904) = match workbook(&mut zip) {
        Ok(w) => w,
        Err(msg) => {
            crate::source::fail_source(
                ctx,
                o,
                "xlsx",
                "corrupt-spreadsheet",
                format!("cannot open xlsx workbook: {msg}"),
            );
            return;
        }
    };
    let info = o.info("xlsx", None);
    ctx.begin_source(&info);
    let styles = styles(&mut zip);
    let mut strings = SharedStrings::default();
    if let Some(part) = find_part(&mut zip, "sharedStrings") {
        shared_strings(ctx, o, &mut zip, &part, &consumed, &mut strings);
    }
    let _ = strings.finish();
    if strings.truncated > 0 {
        ctx.diag(Diagnostic::new(
            Severity::Warning,
            "long-strings",
            &o.display,
            format!(
                "{} shared strings longer than {} bytes were cut to that length",
                strings.truncated,
                super::sst::MAX_STRING
            ),
        ));
    }
    if strings.dropped > 0 {
        ctx.diag(Diagnostic::new(
            Severity::Warning,
            "shared-strings-limit",
            &o.display,
            format!(
                "{} shared strings past the limit ({} strings, {} bytes spilled to disk) were not kept: cells that use them read as empty",
                strings.dropped,
                super::sst::MAX_STRINGS,
                super::sst::MAX_SPILLED_TEXT
            ),
        ));
    }
    for s in sheets {
        if ctx.stopped || ctx.limits.tripped.get() {
            break;
        }
        let wb = Workbook {
            strings: &strings,
            styles: &styles,
            date1904,
            max_columns: ctx.opts.max_columns.max(1),
        };
        sheet(ctx, o, &mut zip, &s, &consumed, &wb);
    }
    ctx.end_source(&info);
}

/// A small part's bytes.
fn small_part(zip: &mut Zip, name: &str) -> Result<Vec<u8>, String> {
    let f = zip.by_name(name).map_err(|e| format!("{name}: {e}"))?;
    let mut out = Vec::new();
    f.take(SMALL_PART + 1)
        .read_to_end(&mut out)
        .map_err(|e| format!("{name}: {e}"))?;
    if out.len() as u64 > SMALL_PART {
        return Err(format!("{name} is larger than {SMALL_PART} bytes"));
    }
    Ok(out)
}

/// `xl/worksheets/sheet1.xml` from a relationship target relative to `xl/`.
fn resolve(target: &str) -> String {
    let t = target.replace('\\', "/");
    match t.strip_prefix('/') {
        Some(abs) => abs.to_string(),
        None => {
            let mut parts: Vec<&str> = vec!["xl"];
            for seg in t.split('/') {
                match seg {
                    ".." => {
                        parts.pop();
                    }
                    "." | "" => {}
                    s => parts.push(s),
                }
            }
            parts.join("/")
        }
    }
}

/// Relationship id → target part.
fn relationships(zip: &mut Zip) -> HashMap<String, (String, String)> {
    let mut rels = HashMap::new();
    let Ok(xml) = small_part(zip, "xl/_rels/workbook.xml.rels") else {
        return rels;
    };
    for tok in Tokens::new(&xml) {
        if let Tok::Start {
            name: b"Relationship",
            attrs,
            ..
        } = tok
        {
            let get = |k: &[u8]| {
                let mut s = String::new();
                unescape_into(attr(attrs, k).unwrap_or(b""), false, &mut s);
                s
            };
            rels.insert(get(b"Id"), (resolve(&get(b"Target")), get(b"Type")));
        }
    }
    rels
}

/// The part whose relationship type ends in `kind` (`sharedStrings`, `styles`).
fn find_part(zip: &mut Zip, kind: &str) -> Option<String> {
    let from_rels = relationships(zip)
        .into_values()
        .find(|(_, t)| t.ends_with(&format!("/{kind}")))
        .map(|(target, _)| target);
    let fallback = format!("xl/{kind}.xml");
    from_rels
        .filter(|p| zip.index_for_name(p).is_some())
        .or_else(|| zip.index_for_name(&fallback).map(|_| fallback))
}

/// Sheet names and parts in workbook order, and whether dates count from 1904.
fn workbook(zip: &mut Zip) -> Result<(Vec<SheetRef>, bool), String> {
    let xml = small_part(zip, "xl/workbook.xml")?;
    let rels = relationships(zip);
    let mut sheets = Vec::new();
    let mut date1904 = false;
    let mut seen_root = false;
    for tok in Tokens::new(&xml) {
        let Tok::Start { name, attrs, .. } = tok else {
            continue;
        };
        match name {
            b"workbook" => seen_root = true,
            b"workbookPr" => {
                date1904 = matches!(attr(attrs, b"date1904"), Some(b"1" | b"true"));
            }
            b"sheet" => {
                let mut sheet_name = String::new();
                unescape_into(attr(attrs, b"name").unwrap_or(b"?"), false, &mut sheet_name);
                let id = String::from_utf8_lossy(attr(attrs, b"id").unwrap_or(b"")).into_owned();
                let part = match rels.get(&id) {
                    Some((target, _)) => target.clone(),
                    None => format!("xl/worksheets/sheet{}.xml", sheets.len() + 1),
                };
                sheets.push(SheetRef {
                    name: sheet_name,
                    part,
                });
            }
            _ => {}
        }
    }
    if !seen_root {
        return Err("xl/workbook.xml is not a workbook".into());
    }
    Ok((sheets, date1904))
}

/// Number kinds by cell style index (`cellXfs`), from `styles.xml`.
fn styles(zip: &mut Zip) -> Vec<NumKind> {
    let Some(part) = find_part(zip, "styles") else {
        return Vec::new();
    };
    let Ok(xml) = small_part(zip, &part) else {
        return Vec::new();
    };
    let mut custom: BTreeMap<u32, NumKind> = BTreeMap::new();
    let mut kinds = Vec::new();
    let mut in_xfs = false;
    for tok in Tokens::new(&xml) {
        match tok {
            Tok::Start {
                name: b"numFmt",
                attrs,
                ..
            } => {
                let id = attr(attrs, b"numFmtId")
                    .and_then(|v| std::str::from_utf8(v).ok()?.parse().ok());
                let mut code = String::new();
                unescape_into(attr(attrs, b"formatCode").unwrap_or(b""), false, &mut code);
                if let Some(id) = id {
                    custom.insert(id, format_kind(&code));
                }
            }
            Tok::Start {
                name: b"cellXfs",
                empty,
                ..
            } => in_xfs = !empty,
            Tok::End { name: b"cellXfs" } => in_xfs = false,
            Tok::Start {
                name: b"xf", attrs, ..
            } if in_xfs => {
                let id: u32 = attr(attrs, b"numFmtId")
                    .and_then(|v| std::str::from_utf8(v).ok()?.parse().ok())
                    .unwrap_or(0);
                kinds.push(custom.get(&id).copied().unwrap_or_else(|| builtin_kind(id)));
                if kinds.len() > 1 << 20 {
                    break;
                }
            }
            _ => {}
        }
    }
    kinds
}

/// Streams a zip part through the expansion guard.
fn open_part<'z>(
    ctx: &Ctx,
    o: &Origin,
    zip: &'z mut Zip,
    part: &str,
    consumed: &Rc<Cell<u64>>,
) -> Option<impl Read + 'z> {
    let base = consumed.get();
    let f = zip.by_name(part).ok()?;
    let what = format!("{}!/{}", o.display, part);
    Some(guard(ctx, f, consumed.clone(), base, &what))
}

/// A piece of `sharedStrings.xml` for a parser thread.
enum SstPiece {
    Xml(Vec<u8>),
    /// One `<si>` longer than the record limit (kept as an empty string, so indices hold).
    Oversize,
}

/// The strings of one piece: their text and end offsets.
#[derive(Default)]
struct ParsedStrings {
    text: String,
    ends: Vec<usize>,
}

/// Parses the `<si>` elements of a piece (on a parser thread).
fn parse_strings(piece: SstPiece) -> ParsedStrings {
    let mut out = ParsedStrings::default();
    let block = match piece {
        SstPiece::Xml(b) => b,
        SstPiece::Oversize => {
            out.ends.push(0);
            return out;
        }
    };
    let (mut in_t, mut in_rph, mut in_si) = (false, false, false);
    let mut start = 0;
    for tok in Tokens::new(&block) {
        match tok {
            Tok::Start {
                name: b"si", empty, ..
            } => {
                start = out.text.len();
                in_si = !empty;
                if empty {
                    out.ends.push(out.text.len());
                }
            }
            Tok::Start {
                name: b"t", empty, ..
            } if in_si => in_t = !empty,
            Tok::Start {
                name: b"rPh",
                empty,
                ..
            } if in_si => in_rph = !empty,
            Tok::End { name: b"t" } => in_t = false,
            Tok::End { name: b"rPh" } => in_rph = false,
            Tok::Text(t) | Tok::CData(t)
                if in_t && !in_rph && out.text.len() - start <= super::sst::MAX_STRING =>
            {
                unescape_into(t, true, &mut out.text);
            }
            Tok::End { name: b"si" } if in_si => {
                in_si = false;
                out.ends.push(out.text.len());
            }
            _ => {}
        }
    }
    out
}

/// Reads `sharedStrings.xml` into `strings`: pieces of whole `<si>` elements parsed on all
/// cores, pushed in order.
fn shared_strings(
    ctx: &mut Ctx,
    o: &Origin,
    zip: &mut Zip,
    part: &str,
    consumed: &Rc<Cell<u64>>,
    strings: &mut SharedStrings,
) {
    let Some(r) = open_part(ctx, o, zip, part, consumed) else {
        return;
    };
    let mut cutter = Cutter::new(r, b"</si>", BLOCK, ctx.opts.max_record_bytes);
    let close = close_tag(cutter.head(64 << 10), b"si");
    cutter.set_close(&close);
    let mut oversize = 0u64;
    let mut produce = || -> Option<SstPiece> {
        Some(match cutter.next()? {
            Cut::Block(b) | Cut::Tail(b) => SstPiece::Xml(b.to_vec()),
            Cut::Oversize => {
                oversize += 1;
                SstPiece::Oversize
            }
        })
    };
    let mut failed = None;
    crate::ordered::map(
        ctx.opts.parse_threads(),
        &mut produce,
        parse_strings,
        |parsed: ParsedStrings| {
            let mut start = 0;
            for &end in &parsed.ends {
                if let Err(e) = strings.push(&parsed.text[start..end]) {
                    failed = Some(e);
                    return false;
                }
                start = end;
            }
            true
        },
    );
    if let Some(e) = failed.or_else(|| cutter.failed.take()) {
        io_failure(ctx, &o.display, None, &e, None, None);
    }
    if oversize > 0 {
        ctx.diag(Diagnostic::new(
            Severity::Warning,
            "record-too-large",
            &o.display,
            format!(
                "{oversize} shared strings longer than {} bytes of XML were left empty",
                ctx.opts.max_record_bytes
            ),
        ));
    }
}

/// Streams one sheet: blocks of whole rows parsed on all cores, added in order.
fn sheet(
    ctx: &mut Ctx,
    o: &Origin,
    zip: &mut Zip,
    s: &SheetRef,
    consumed: &Rc<Cell<u64>>,
    wb: &Workbook,
) {
    let Some(r) = open_part(ctx, o, zip, &s.part, consumed) else {
        ctx.diag(
            Diagnostic::new(
                Severity::Error,
                "corrupt-spreadsheet",
                &o.display,
                format!("the sheet's part {} is missing", s.part),
            )
            .table(&s.name),
        );
        return;
    };
    let threads = ctx.opts.parse_threads();
    let mut cutter = Cutter::new(r, b"</row>", BLOCK, ctx.opts.max_record_bytes);
    let close = close_tag(cutter.head(64 << 10), b"row");
    cutter.set_close(&close);
    let mut table = SheetTable::new(&o.display, &s.name);
    let mut oversize = 0u64;
    let mut produce = || -> Option<Vec<u8>> {
        loop {
            match cutter.next()? {
                Cut::Block(b) | Cut::Tail(b) => return Some(b.to_vec()),
                Cut::Oversize => oversize += 1,
            }
        }
    };
    crate::ordered::map(
        threads,
        &mut produce,
        |block: Vec<u8>| {
            let mut rows = Rows::default();
            parse_xlsx_rows(&block, wb, &mut rows);
            rows
        },
        |rows: Rows| {
            table.add(ctx, &rows);
            !ctx.stopped
        },
    );
    if let Some(e) = cutter.failed.take() {
        io_failure(ctx, &o.display, Some(&s.name), &e, None, None);
    }
    if oversize > 0 {
        ctx.diag(
            Diagnostic::new(
                Severity::Warning,
                "record-too-large",
                &o.display,
                format!(
                    "{oversize} rows longer than {} bytes of XML were skipped",
                    ctx.opts.max_record_bytes
                ),
            )
            .table(&s.name)
            .skipped(oversize),
        );
    }
    table.finish(ctx);
}
