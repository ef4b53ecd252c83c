//! Parsed rows of a sheet block, the XLSX `<row>`/`<c>` parser that fills them (run on parser
//! threads), and Excel serial dates.

use super::sst::SharedStrings;
use super::xml::{unescape_into, Tok, Tokens};

/// Rows parsed from one block: each row's non-empty cells as (column, text), in column order.
#[derive(Default)]
pub(crate) struct Rows {
    text: String,
    cells: Vec<(u32, u32, u32)>,
    ends: Vec<u32>,
    /// Cells past the column limit.
    pub dropped_cells: u64,
    /// Rows that had such cells.
    pub dropped_rows: u64,
    /// Cells whose shared-string index points past the table.
    pub bad_strings: u64,
}

impl Rows {
    /// Rows held.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The non-empty cells of row `r`, as (column, text) in column order.
    pub fn row(&self, r: usize) -> impl Iterator<Item = (u32, &str)> + Clone + '_ {
        let start = if r == 0 { 0 } else { self.ends[r - 1] as usize };
        self.cells[start..self.ends[r] as usize]
            .iter()
            .map(|&(c, a, b)| (c, &self.text[a as usize..b as usize]))
    }

    /// True when row `r` has no cell.
    pub fn row_is_empty(&self, r: usize) -> bool {
        let start = if r == 0 { 0 } else { self.ends[r - 1] };
        start == self.ends[r]
    }

    /// Adds a cell to the row being built (any order; sorted when the row ends).
    pub fn cell(&mut self, col: u32, text: &str, max_columns: usize) {
        if col as usize >= max_columns {
            self.dropped_cells += 1;
            return;
        }
        let a = self.text.len() as u32;
        self.text.push_str(text);
        self.cells.push((col, a, self.text.len() as u32));
    }

    /// Ends the row being built.
    pub fn end_row(&mut self, had_dropped: bool) {
        let start = self.ends.last().copied().unwrap_or(0) as usize;
        let row = &mut self.cells[start..];
        if row.windows(2).any(|w| w[0].0 >= w[1].0) {
            // Later cells win over earlier ones with the same column.
            row.sort_by_key(|c| c.0);
            let mut keep: Vec<(u32, u32, u32)> = Vec::with_capacity(row.len());
            for &c in row.iter() {
                match keep.last_mut() {
                    Some(last) if last.0 == c.0 => *last = c,
                    _ => keep.push(c),
                }
            }
            self.cells.truncate(start);
            self.cells.extend(keep);
        }
        self.ends.push(self.cells.len() as u32);
        self.dropped_rows += had_dropped as u64;
    }

    /// Cells held so far in the row being built.
    pub fn pending_dropped(&self, before: u64) -> bool {
        self.dropped_cells > before
    }
}

/// How a cell style shows numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumKind {
    Number,
    Date,
    DateTime,
    Time,
}

/// What parsing XLSX rows needs to know about the workbook.
pub(crate) struct Workbook<'a> {
    pub strings: &'a SharedStrings,
    /// By cell style index (`s`).
    pub styles: &'a [NumKind],
    pub date1904: bool,
    pub max_columns: usize,
}

/// `A` → 0, `Z` → 25, `AA` → 26 … from a cell reference such as `AB12`.
pub(crate) fn column_of(r: &[u8]) -> Option<u32> {
    let mut col: u32 = 0;
    let mut n = 0;
    for &b in r {
        if b.is_ascii_alphabetic() {
            col = col
                .checked_mul(26)?
                .checked_add((b.to_ascii_uppercase() - b'A' + 1) as u32)?;
            n += 1;
        } else {
            break;
        }
    }
    (n > 0 && n <= 4).then(|| col - 1)
}

fn parse_u64(b: &[u8]) -> Option<u64> {
    std::str::from_utf8(b).ok()?.trim().parse().ok()
}

/// The `r`, `t` and `s` attributes of a cell, each when present.
type CellAttrs<'a> = (Option<&'a [u8]>, Option<&'a [u8]>, Option<&'a [u8]>);

/// The `r`, `t` and `s` attributes of a `<c>` tag, in one pass.
fn cell_attrs(attrs: &[u8]) -> CellAttrs<'_> {
    let (mut r, mut t, mut s) = (None, None, None);
    let mut i = 0;
    let b = attrs;
    while i < b.len() {
        let Some(eq) = memchr::memchr(b'=', &b[i..]) else {
            break;
        };
        let key = super::xml::local(b[i..i + eq].trim_ascii());
        let mut j = i + eq + 1;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        let Some(&q) = b.get(j) else { break };
        if q != b'"' && q != b'\'' {
            break;
        }
        let Some(len) = memchr::memchr(q, &b[j + 1..]) else {
            break;
        };
        let v = &b[j + 1..j + 1 + len];
        match key {
            b"r" => r = Some(v),
            b"t" => t = Some(v),
            b"s" => s = Some(v),
            _ => {}
        }
        i = j + 1 + len + 1;
    }
    (r, t, s)
}

/// Parses the `<row>` elements of an XLSX sheet block into `out`.
pub(crate) fn parse_xlsx_rows(block: &[u8], wb: &Workbook, out: &mut Rows) {
    let mut in_row = false;
    let mut next_col = 0u32;
    // Current cell: column, type, style; its <v> (raw) and inline text.
    let mut col = 0u32;
    let mut typ: Vec<u8> = Vec::new();
    let mut style = 0usize;
    let mut in_cell = false;
    let mut v_raw: Vec<u8> = Vec::new();
    let mut inline = String::new();
    let (mut in_v, mut in_is, mut in_t, mut in_rph) = (false, false, false, false);
    let mut dropped_before = out.dropped_cells;
    let mut value = String::new();
    for tok in Tokens::new(block) {
        match tok {
            Tok::Start { name, attrs, empty } => match name {
                b"row" => {
                    in_row = true;
                    next_col = 0;
                    dropped_before = out.dropped_cells;
                    if empty {
                        in_row = false;
                        out.end_row(false);
                    }
                }
                b"c" if in_row => {
                    let (r, t, s) = cell_attrs(attrs);
                    col = r.and_then(column_of).unwrap_or(next_col);
                    typ.clear();
                    typ.extend_from_slice(t.unwrap_or(b"n"));
                    style = s.and_then(parse_u64).unwrap_or(0) as usize;
                    v_raw.clear();
                    inline.clear();
                    in_cell = !empty;
                    next_col = col.saturating_add(1);
                }
                b"v" if in_cell => in_v = !empty,
                b"is" if in_cell => in_is = !empty,
                b"t" if in_is => in_t = !empty,
                b"rPh" if in_is => in_rph = !empty,
                _ => {}
            },
            Tok::Text(t) | Tok::CData(t) => {
                if in_v {
                    if v_raw.len() < super::sst::MAX_STRING {
                        v_raw.extend_from_slice(t);
                    }
                } else if in_t && !in_rph && inline.len() < super::sst::MAX_STRING {
                    unescape_into(t, true, &mut inline);
                }
            }
            Tok::End { name } => match name {
                b"v" => in_v = false,
                b"t" => in_t = false,
                b"rPh" => in_rph = false,
                b"is" => in_is = false,
                b"c" if in_cell => {
                    in_cell = false;
                    value.clear();
                    cell_value(&typ, style, &v_raw, &inline, wb, &mut value, out);
                    let v = value.trim_end_matches(['\r', '\n']);
                    if !v.trim().is_empty() {
                        out.cell(col, v, wb.max_columns);
                    }
                }
                b"row" if in_row => {
                    in_row = false;
                    out.end_row(out.pending_dropped(dropped_before));
                }
                _ => {}
            },
        }
    }
}

/// The text of one cell.
fn cell_value(
    typ: &[u8],
    style: usize,
    v: &[u8],
    inline: &str,
    wb: &Workbook,
    out: &mut String,
    rows: &mut Rows,
) {
    match typ {
        b"s" => {
            if let Some(i) = parse_u64(v) {
                if !wb.strings.get_into(i as usize, out) {
                    rows.bad_strings += 1;
                }
            }
        }
        b"inlineStr" => out.push_str(inline),
        b"b" => out.push_str(match v.trim_ascii() {
            b"1" | b"true" => "true",
            _ => "false",
        }),
        b"str" | b"e" | b"d" => unescape_into(v, true, out),
        _ => {
            let v = v.trim_ascii();
            let raw = match std::str::from_utf8(v) {
                Ok(t) => std::borrow::Cow::Borrowed(t),
                Err(_) => String::from_utf8_lossy(v),
            };
            let kind = wb.styles.get(style).copied().unwrap_or(NumKind::Number);
            match (kind, raw.parse::<f64>()) {
                (NumKind::Number, _) | (_, Err(_)) => out.push_str(&raw),
                (kind, Ok(serial)) => {
                    if !push_serial_date(out, serial, wb.date1904, kind) {
                        out.push_str(&raw);
                    }
                }
            }
        }
    }
}

/// An Excel serial date as `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS` or `HH:MM:SS`.
#[cfg(test)]
pub(crate) fn serial_date(serial: f64, date1904: bool, kind: NumKind) -> Option<String> {
    let mut out = String::new();
    push_serial_date(&mut out, serial, date1904, kind).then_some(out)
}

/// Appends an Excel serial date (see `serial_date`); false, appending nothing, when the number
/// is not a date Excel can show.
pub(crate) fn push_serial_date(
    out: &mut String,
    serial: f64,
    date1904: bool,
    kind: NumKind,
) -> bool {
    if !serial.is_finite() || !(0.0..2_958_466.0).contains(&serial) {
        return false;
    }
    let mut days = serial.floor() as i64;
    let secs = ((serial - serial.floor()) * 86_400.0).round() as i64;
    let (days_extra, secs) = (secs / 86_400, secs % 86_400);
    days += days_extra;
    let two = |out: &mut String, v: i64| {
        out.push((b'0' + (v / 10 % 10) as u8) as char);
        out.push((b'0' + (v % 10) as u8) as char);
    };
    let time = |out: &mut String| {
        two(out, secs / 3600);
        out.push(':');
        two(out, secs / 60 % 60);
        out.push(':');
        two(out, secs % 60);
    };
    if kind == NumKind::Time || (serial < 1.0 && kind != NumKind::Date && !date1904) {
        time(out);
        return true;
    }
    // Days since 1970-01-01. The 1900 system counts a 29 February 1900 that never was.
    let unix_days = if date1904 {
        days - 24_107
    } else if days >= 61 {
        days - 25_569
    } else {
        days - 25_568
    };
    let (y, m, d) = crate::json::ext::civil_from_days(unix_days);
    two(out, y / 100);
    two(out, y % 100);
    out.push('-');
    two(out, m as i64);
    out.push('-');
    two(out, d as i64);
    if kind == NumKind::DateTime || secs != 0 {
        out.push(' ');
        time(out);
    }
    true
}

/// Whether a number format code shows dates or times (`yyyy-mm-dd`, `[$-409]d mmm yy`,
/// `h:mm AM/PM`), as opposed to numbers (`0.00`, `#,##0 "đ"`, `0%`).
pub(crate) fn format_kind(code: &str) -> NumKind {
    let mut plain = String::new();
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                for d in chars.by_ref() {
                    if d == '"' {
                        break;
                    }
                }
            }
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => {
                let mut inner = String::new();
                for d in chars.by_ref() {
                    if d == ']' {
                        break;
                    }
                    inner.push(d);
                }
                // Elapsed time `[h]`, `[mm]`, `[ss]` is time; colours, locales, conditions are not.
                if inner
                    .chars()
                    .all(|c| matches!(c.to_ascii_lowercase(), 'h' | 'm' | 's'))
                {
                    plain.push_str(&inner);
                }
            }
            c => plain.push(c.to_ascii_lowercase()),
        }
    }
    if plain.contains("general") {
        plain = plain.replace("general", "");
    }
    let date = plain.contains(['y', 'd']);
    let time = plain.contains(['h', 's']);
    let month_or_minute = plain.contains('m');
    match (date, time) {
        (true, true) => NumKind::DateTime,
        (true, false) => NumKind::Date,
        (false, true) => NumKind::Time,
        (false, false) if month_or_minute => NumKind::Date,
        _ => NumKind::Number,
    }
}

/// The kind of a built-in number format id.
pub(crate) fn builtin_kind(id: u32) -> NumKind {
    match id {
        14..=17 | 27..=31 | 34..=36 | 50..=58 => NumKind::Date,
        22 => NumKind::DateTime,
        18..=21 | 32 | 33 | 45..=47 => NumKind::Time,
        _ => NumKind::Number,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns() {
        assert_eq!(column_of(b"A1"), Some(0));
        assert_eq!(column_of(b"Z9"), Some(25));
        assert_eq!(column_of(b"AA1"), Some(26));
        assert_eq!(column_of(b"XFD1048576"), Some(16_383));
        assert_eq!(column_of(b"12"), None);
        assert_eq!(column_of(b"ABCDE1"), None);
    }

    #[test]
    fn dates() {
        let d = |s, k| serial_date(s, false, k).unwrap();
        assert_eq!(d(1.0, NumKind::Date), "1900-01-01");
        assert_eq!(d(59.0, NumKind::Date), "1900-02-28");
        assert_eq!(d(61.0, NumKind::Date), "1900-03-01");
        assert_eq!(d(45_292.0, NumKind::Date), "2024-01-01");
        assert_eq!(d(45_292.75, NumKind::DateTime), "2024-01-01 18:00:00");
        assert_eq!(d(0.5, NumKind::Time), "12:00:00");
        assert_eq!(serial_date(0.0, true, NumKind::Date).unwrap(), "1904-01-01");
        assert_eq!(serial_date(-1.0, false, NumKind::Date), None);
    }

    #[test]
    fn format_codes() {
        for (code, kind) in [
            ("yyyy-mm-dd", NumKind::Date),
            ("[$-409]d mmm yy;@", NumKind::Date),
            ("dd/mm/yyyy hh:mm", NumKind::DateTime),
            ("h:mm AM/PM", NumKind::Time),
            ("[h]:mm:ss", NumKind::Time),
            ("0.00", NumKind::Number),
            ("#,##0 \"đ\"", NumKind::Number),
            ("[Red]0.00", NumKind::Number),
            ("General", NumKind::Number),
            ("0%", NumKind::Number),
            ("0.00E+00", NumKind::Number),
        ] {
            assert_eq!(format_kind(code), kind, "{code}");
        }
    }

    #[test]
    fn rows_of_a_block() {
        let mut strings = SharedStrings::default();
        strings.push("Nguyễn Văn An").unwrap();
        let styles = [NumKind::Number, NumKind::Date];
        let wb = Workbook {
            strings: &strings,
            styles: &styles,
            date1904: false,
            max_columns: 100,
        };
        let xml = br#"<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" s="1"><v>45292</v></c><c r="B1" t="inlineStr"><is><r><t>a &amp; </t></r><r><t>b</t></r><rPh><t>x</t></rPh></is></c></row><row r="2"><c r="A2" t="b"><v>1</v></c><c r="CW2"><v>7</v></c><c t="str"><f>A1</f><v>x</v></c></row><row r="3"/></sheetData>"#;
        let mut rows = Rows::default();
        parse_xlsx_rows(xml, &wb, &mut rows);
        assert_eq!(rows.len(), 3);
        assert_eq!(
            rows.row(0).collect::<Vec<_>>(),
            vec![(0, "Nguyễn Văn An"), (1, "a & b"), (2, "2024-01-01")]
        );
        assert_eq!(rows.row(1).collect::<Vec<_>>(), vec![(0, "true")]);
        assert_eq!((rows.dropped_cells, rows.dropped_rows), (2, 1));
        assert!(rows.row_is_empty(2));
    }
}
