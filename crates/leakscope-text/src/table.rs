//! Plain-text tables and word wrapping fitted to a terminal width: one implementation
//! (`comfy-table`, `textwrap`) for every printer — the scan summary's column tables, the
//! obligations table, and the CLI's lists.

use comfy_table::{Cell, CellAlignment, ColumnConstraint, ContentArrangement, Table, Width};

/// How a column of a [`TextTable`] behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Col {
    /// Right-aligned (numbers).
    pub right: bool,
    /// At most this many cells wide (cut with `…` past it); 0: no cap.
    pub max: u16,
    /// Never narrower than its content (dates, counts): other columns give way first.
    pub keep: bool,
}

impl Col {
    /// A left-aligned column that gives way when the table is too wide.
    pub const TEXT: Col = Col {
        right: false,
        max: 0,
        keep: false,
    };
    /// A right-aligned column as wide as its content.
    pub const NUM: Col = Col {
        right: true,
        max: 0,
        keep: true,
    };
    /// A left-aligned column as wide as its content (dates, codes).
    pub const FIXED: Col = Col {
        right: false,
        max: 0,
        keep: true,
    };

    /// A left-aligned column of at most `max` cells.
    pub const fn capped(max: u16) -> Col {
        Col {
            right: false,
            max,
            keep: false,
        }
    }
}

/// A borderless table: two spaces between columns, one line per row (long cells are cut with
/// `…`), as wide as its content but never wider than the width it is given.
pub struct TextTable {
    table: Table,
    cols: Vec<Col>,
    indent: usize,
}

impl TextTable {
    /// A table with these columns and header (the header row is left out when empty).
    pub fn new(cols: &[Col], header: &[&str]) -> TextTable {
        let mut table = Table::new();
        table
            .load_preset(comfy_table::presets::NOTHING)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_truncation_indicator("…");
        if !header.is_empty() {
            table.set_header(Self::row(cols, header.iter().map(|h| h.to_string())));
        }
        for (i, c) in cols.iter().enumerate() {
            if let Some(col) = table.column_mut(i) {
                // Two spaces between columns; the last column runs to the edge.
                col.set_padding((0, if i + 1 == cols.len() { 0 } else { 2 }));
                if c.keep {
                    col.set_constraint(ColumnConstraint::ContentWidth);
                } else if c.max > 0 {
                    col.set_constraint(ColumnConstraint::UpperBoundary(Width::Fixed(c.max)));
                }
            }
        }
        TextTable {
            table,
            cols: cols.to_vec(),
            indent: 0,
        }
    }

    /// Indents every line by `n` spaces.
    pub fn indent(mut self, n: usize) -> TextTable {
        self.indent = n;
        self
    }

    fn row(cols: &[Col], cells: impl IntoIterator<Item = String>) -> comfy_table::Row {
        let mut row: comfy_table::Row = cells
            .into_iter()
            .zip(cols.iter().chain(std::iter::repeat(&Col::TEXT)))
            .map(|(text, c)| {
                let align = if c.right {
                    CellAlignment::Right
                } else {
                    CellAlignment::Left
                };
                Cell::new(text).set_alignment(align)
            })
            .collect::<Vec<Cell>>()
            .into();
        row.max_height(1);
        row
    }

    /// Adds a row of cells (already cleaned of terminal escapes).
    pub fn push(&mut self, cells: impl IntoIterator<Item = String>) {
        let row = Self::row(&self.cols, cells);
        self.table.add_row(row);
    }

    /// The lines of the table fitted to `width` cells, trailing spaces removed.
    pub fn lines(mut self, width: usize) -> Vec<String> {
        let room = width
            .saturating_sub(self.indent)
            .clamp(10, u16::MAX as usize);
        self.table.set_width(room as u16);
        let pad = " ".repeat(self.indent);
        self.table
            .lines()
            .map(|l| format!("{pad}{}", l.trim_end()))
            .collect()
    }

    /// The table as text fitted to `width` cells, one line per row plus the header.
    pub fn render(self, width: usize) -> String {
        let mut s = self.lines(width).join("\n");
        s.push('\n');
        s
    }
}

/// Word-wraps `s` to `width` display cells (CJK counts two); words longer than a line are
/// broken.
pub fn wrap(s: &str, width: usize) -> Vec<String> {
    let opts = textwrap::Options::new(width.max(1))
        .break_words(true)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    let lines: Vec<String> = textwrap::wrap(s, opts)
        .into_iter()
        .map(|l| l.into_owned())
        .collect();
    if lines.is_empty() {
        vec![String::new()]
    } else {
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::width;

    #[test]
    fn tables_fit_the_width_and_align_numbers() {
        let mut t = TextTable::new(
            &[Col::capped(12), Col::NUM, Col::TEXT],
            &["name", "rows", "classes"],
        );
        t.push([
            "shop-2024".into(),
            "1,234".into(),
            "Email addresses, Phone numbers, Names".into(),
        ]);
        t.push([
            "身份证号码身份证号码身份证".into(),
            "7".into(),
            "Government issued IDs".into(),
        ]);
        let lines = t.indent(2).lines(40);
        assert_eq!(lines.len(), 3, "{lines:#?}");
        for l in &lines {
            assert!(width(l) <= 40, "{l:?} is {} cells", width(l));
            assert!(l.starts_with("  "));
        }
        assert!(lines[1].contains("1,234"));
        let rows_col = lines[0].find("rows").unwrap();
        let seven = lines[2].find('7').unwrap();
        assert!(lines[2].contains('…'), "long cells are cut: {:?}", lines[2]);
        assert!(
            width(&lines[2][..seven]) >= width(&lines[0][..rows_col]),
            "numbers right-aligned"
        );
    }

    #[test]
    fn wrapping_counts_display_width() {
        let w = wrap(
            "national ID + full name: identity theft (loans, SIM swaps)",
            20,
        );
        assert!(w.iter().all(|l| width(l) <= 20), "{w:?}");
        assert_eq!(
            w.join(" "),
            "national ID + full name: identity theft (loans, SIM swaps)"
        );
        let cjk = wrap("身份证号码身份证号码", 7);
        assert!(cjk.iter().all(|l| width(l) <= 7), "{cjk:?}");
        assert_eq!(wrap("", 10), vec![String::new()]);
    }
}
