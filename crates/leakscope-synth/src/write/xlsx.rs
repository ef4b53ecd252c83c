//! XLSX workbooks (one sheet per table) via `rust_xlsxwriter`.

use std::io::{self, Write};

use rust_xlsxwriter::Workbook;

use crate::SynthTable;

fn xerr(e: rust_xlsxwriter::XlsxError) -> io::Error {
    io::Error::other(e.to_string())
}

/// Writes `tables` as an XLSX workbook, one sheet per table (header row when the table has one).
pub fn write_xlsx(tables: &[SynthTable], w: &mut dyn Write) -> io::Result<()> {
    let mut book = Workbook::new();
    for t in tables {
        let sheet = book.add_worksheet();
        let name: String = t.name.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect();
        sheet.set_name(&name).map_err(xerr)?;
        let mut r = 0u32;
        if t.has_header() {
            for (c, col) in t.columns.iter().enumerate() {
                sheet.write_string(0, c as u16, &col.header).map_err(xerr)?;
            }
            r = 1;
        }
        for row in &t.rows {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    sheet.write_string(r, c as u16, v).map_err(xerr)?;
                }
            }
            r += 1;
        }
    }
    let bytes = book.save_to_buffer().map_err(xerr)?;
    w.write_all(&bytes)
}
