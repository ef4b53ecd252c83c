//! ODS (OpenDocument spreadsheet): `content.xml` streamed in blocks of whole
//! `<table:table-row>` elements. Repeated empty rows and cells (`number-rows-repeated`,
//! `number-columns-repeated`) are skipped without being materialised; repeated cells with a
//! value stop at the column limit, repeated rows at the format's 1,048,576 rows.

use super::cells::Rows;
use super::xml::{attr, close_tag, unescape_into, Cut, Cutter, Tok, Tokens};
use super::SheetTable;
use crate::ctx::Ctx;
use crate::limits::CountReader;
use crate::model::{Diagnostic, Severity};
use crate::source::{fail_source, guard, io_failure, Origin};
use std::cell::Cell;
use std::fs::File;
use std::io::BufReader;
use std::rc::Rc;

/// Rows a sheet may have (the OpenDocument and Excel maximum).
const MAX_ROWS: u64 = 1_048_576;
/// Rows handed to the table at once.
const FLUSH_ROWS: usize = 4096;

/// Reads every sheet of an ODS file.
pub(crate) fn read(ctx: &mut Ctx, o: &Origin, file: File) {
    let consumed = Rc::new(Cell::new(0u64));
    let counted = CountReader {
        inner: file,
        count: consumed.clone(),
    };
    let mut zip = match zip::ZipArchive::new(BufReader::new(counted)) {
        Ok(z) => z,
        Err(e) => {
            let msg = format!("cannot open ods workbook: {e}");
            return fail_source(ctx, o, "ods", "corrupt-spreadsheet", msg);
        }
    };
    let base = consumed.get();
    let part = match zip.by_name("content.xml") {
        Ok(p) => p,
        Err(e) => {
            let msg = format!("cannot open ods workbook: content.xml: {e}");
            return fail_source(ctx, o, "ods", "corrupt-spreadsheet", msg);
        }
    };
    let what = format!("{}!/content.xml", o.display);
    let r = guard(ctx, part, consumed.clone(), base, &what);
    let info = o.info("ods", None);
    ctx.begin_source(&info);
    let mut cutter = Cutter::new(r, b"</table:table-row>", 1 << 20, ctx.opts.max_record_bytes);
    let close = close_tag(cutter.head(64 << 10), b"table-row");
    cutter.set_close(&close);
    let mut st = State::new(ctx.opts.max_columns.max(1));
    let mut oversize = 0u64;
    while let Some(cut) = cutter.next() {
        if ctx.stopped {
            break;
        }
        match cut {
            Cut::Block(b) | Cut::Tail(b) => st.block(ctx, &o.display, b),
            Cut::Oversize => oversize += 1,
        }
    }
    st.end_sheet(ctx);
    if let Some(e) = cutter.failed.take() {
        io_failure(ctx, &o.display, None, &e, None, None);
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
            .skipped(oversize),
        );
    }
    if st.capped_rows > 0 {
        ctx.diag(Diagnostic::new(
            Severity::Warning,
            "too-many-rows",
            &o.display,
            format!(
                "{} repeated rows past the {MAX_ROWS}-row limit of a sheet were not read",
                st.capped_rows
            ),
        ));
    }
    ctx.end_source(&info);
}

/// Parsing state carried from block to block.
struct State {
    max_columns: usize,
    sheet: Option<SheetTable>,
    rows: Rows,
    sheet_rows: u64,
    capped_rows: u64,
    // The row being read.
    in_row: bool,
    row_repeat: u64,
    col: u64,
    cells: Vec<(u64, u64, String)>,
    // The cell being read.
    in_cell: bool,
    cell_repeat: u64,
    cell_value: Option<String>,
    text: String,
    in_p: bool,
    paragraphs: u32,
}

impl State {
    fn new(max_columns: usize) -> Self {
        State {
            max_columns,
            sheet: None,
            rows: Rows::default(),
            sheet_rows: 0,
            capped_rows: 0,
            in_row: false,
            row_repeat: 1,
            col: 0,
            cells: Vec::new(),
            in_cell: false,
            cell_repeat: 1,
            cell_value: None,
            text: String::new(),
            in_p: false,
            paragraphs: 0,
        }
    }

    fn flush(&mut self, ctx: &mut Ctx) {
        if let Some(s) = self.sheet.as_mut() {
            s.add(ctx, &self.rows);
        }
        self.rows = Rows::default();
    }

    fn end_sheet(&mut self, ctx: &mut Ctx) {
        self.flush(ctx);
        if let Some(s) = self.sheet.take() {
            s.finish(ctx);
        }
    }

    fn block(&mut self, ctx: &mut Ctx, source: &str, block: &[u8]) {
        for tok in Tokens::new(block) {
            match tok {
                Tok::Start { name, attrs, empty } => match name {
                    b"table" => {
                        self.end_sheet(ctx);
                        let mut n = String::new();
                        unescape_into(attr(attrs, b"name").unwrap_or(b"Sheet"), false, &mut n);
                        self.sheet = Some(SheetTable::new(source, &n));
                        self.sheet_rows = 0;
                    }
                    b"table-row" => {
                        self.in_row = true;
                        self.row_repeat = repeat(attrs, b"number-rows-repeated");
                        self.col = 0;
                        self.cells.clear();
                        if empty {
                            self.end_row(ctx);
                        }
                    }
                    b"table-cell" | b"covered-table-cell" if self.in_row => {
                        self.cell_repeat = repeat(attrs, b"number-columns-repeated");
                        self.cell_value = typed_value(attrs);
                        self.text.clear();
                        self.paragraphs = 0;
                        self.in_cell = !empty;
                        if empty {
                            self.end_cell();
                        }
                    }
                    b"p" if self.in_cell => {
                        if self.paragraphs > 0 {
                            self.text.push('\n');
                        }
                        self.paragraphs += 1;
                        self.in_p = !empty;
                    }
                    b"s" if self.in_p => {
                        let n = repeat(attrs, b"c").min(1024) as usize;
                        self.text.extend(std::iter::repeat_n(' ', n));
                    }
                    b"tab" if self.in_p => self.text.push('\t'),
                    b"line-break" if self.in_p => self.text.push('\n'),
                    _ => {}
                },
                Tok::Text(t) | Tok::CData(t) => {
                    if self.in_p && self.text.len() < super::sst::MAX_STRING {
                        unescape_into(t, false, &mut self.text);
                    }
                }
                Tok::End { name } => match name {
                    b"p" => self.in_p = false,
                    b"table-cell" | b"covered-table-cell" if self.in_cell => {
                        self.in_cell = false;
                        self.end_cell();
                    }
                    b"table-row" if self.in_row => self.end_row(ctx),
                    b"table" => self.end_sheet(ctx),
                    _ => {}
                },
            }
        }
    }

    fn end_cell(&mut self) {
        let value = self
            .cell_value
            .take()
            .unwrap_or_else(|| std::mem::take(&mut self.text));
        let (from, n) = (self.col, self.cell_repeat);
        self.col = self.col.saturating_add(n);
        if !value.trim().is_empty() {
            self.cells.push((from, n, value));
        }
    }

    fn end_row(&mut self, ctx: &mut Ctx) {
        self.in_row = false;
        if self.cells.is_empty() {
            // Empty rows count towards the sheet's row limit, unread.
            self.sheet_rows = self.sheet_rows.saturating_add(self.row_repeat);
            return;
        }
        let max = self.max_columns as u64;
        let mut repeat = self.row_repeat;
        if self.sheet_rows + repeat > MAX_ROWS {
            let allowed = MAX_ROWS.saturating_sub(self.sheet_rows);
            self.capped_rows += repeat - allowed;
            repeat = allowed;
        }
        for _ in 0..repeat {
            let before = self.rows.dropped_cells;
            for (from, n, v) in &self.cells {
                let end = from.saturating_add(*n);
                for c in *from..end.min(max) {
                    self.rows.cell(c as u32, v, self.max_columns);
                }
                if end > max {
                    self.rows.dropped_cells += end - (*from).max(max);
                }
            }
            self.rows.end_row(self.rows.pending_dropped(before));
            self.sheet_rows += 1;
            if self.rows.len() >= FLUSH_ROWS {
                self.flush(ctx);
            }
        }
    }
}

fn repeat(attrs: &[u8], name: &[u8]) -> u64 {
    attr(attrs, name)
        .and_then(|v| std::str::from_utf8(v).ok()?.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1)
}

/// A cell's value from its attributes (numbers, dates, times, booleans); `None` for text.
fn typed_value(attrs: &[u8]) -> Option<String> {
    let kind = attr(attrs, b"value-type")?;
    let get = |k: &[u8]| attr(attrs, k).map(|v| String::from_utf8_lossy(v).into_owned());
    match kind {
        b"float" | b"percentage" | b"currency" => get(b"value"),
        b"date" => get(b"date-value").map(|d| d.replacen('T', " ", 1)),
        b"time" => get(b"time-value").map(|t| iso_duration(&t)),
        b"boolean" => get(b"boolean-value"),
        _ => None,
    }
}

/// `PT10H30M05S` → `10:30:05`.
fn iso_duration(t: &str) -> String {
    let Some(rest) = t.strip_prefix("PT") else {
        return t.to_string();
    };
    let mut parts = [0u64; 3];
    let mut num = String::new();
    for c in rest.chars() {
        match c {
            'H' => parts[0] = num.parse().unwrap_or(0),
            'M' => parts[1] = num.parse().unwrap_or(0),
            'S' => parts[2] = num.split('.').next().unwrap_or("0").parse().unwrap_or(0),
            _ => {
                num.push(c);
                continue;
            }
        }
        num.clear();
    }
    format!("{:02}:{:02}:{:02}", parts[0], parts[1], parts[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(iso_duration("PT10H30M05S"), "10:30:05");
        assert_eq!(iso_duration("PT00H00M01.5S"), "00:00:01");
    }
}
