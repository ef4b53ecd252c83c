//! PostgreSQL `COPY table (cols) FROM stdin;` blocks: tab-separated lines until `\.`.

use super::lex::Tok;
use super::{lossy, Dump};
use crate::model::{Diagnostic, Severity};

impl Dump<'_, '_, '_> {
    /// Handles a `COPY` statement; data blocks are read line by line.
    pub(super) fn copy(&mut self) {
        let name = match self.lex.next() {
            Tok::Word | Tok::Ident => self.qualified(),
            _ => return self.skip_statement(),
        };
        let mut explicit = None;
        let mut stdin = false;
        loop {
            match self.lex.next() {
                Tok::Punct(b'(') if explicit.is_none() => {
                    let mut cols = Vec::new();
                    loop {
                        match self.lex.next() {
                            Tok::Word | Tok::Ident => cols.push(lossy(&self.lex.text)),
                            Tok::Punct(b',') => {}
                            _ => break,
                        }
                    }
                    explicit = Some(cols);
                }
                Tok::Word if super::is(&self.lex.text, "STDIN") => stdin = true,
                Tok::Punct(b';') | Tok::Eof => break,
                _ => {}
            }
        }
        if !stdin {
            return;
        }
        self.lex.skip_line();
        let mut started = false;
        loop {
            if self.ctx.stopped {
                return;
            }
            let line = self.lex.line;
            let offset = self.lex.offset;
            let (any, newline) = self.lex.read_line();
            if !any {
                return self.unterminated(&name, line, offset, 0, &explicit);
            }
            let text = &self.lex.text;
            if text == b"\\." || text == b"\\.\r" {
                if !started {
                    self.table_for(&name, &explicit, 0);
                }
                return;
            }
            if !newline {
                return self.unterminated(&name, line, offset, 1, &explicit);
            }
            let overflow = self.lex.overflow;
            split_copy_line(text, &mut self.vals);
            self.table_for(&name, &explicit, self.vals.len());
            started = true;
            self.emit_vals(overflow, line, offset);
        }
    }

    fn unterminated(
        &mut self,
        table: &str,
        line: u64,
        offset: u64,
        skipped: u64,
        explicit: &Option<Vec<String>>,
    ) {
        self.table_for(table, explicit, self.vals.len().max(1));
        let msg = if skipped > 0 {
            "COPY data ends without its `\\.` terminator, inside a line (truncated dump); that partial row was skipped"
        } else {
            "COPY data ends without its `\\.` terminator (truncated dump); all complete rows were kept"
        };
        self.ctx.diag(
            Diagnostic::new(Severity::Warning, "copy-unterminated", &self.source, msg)
                .table(table)
                .line(line)
                .offset(offset)
                .skipped(skipped),
        );
        if let Some(t) = self.current.as_mut() {
            t.stats.rows_skipped += skipped;
        }
    }
}

/// Splits one COPY text-format line on tabs and undoes its escapes (`\N` is NULL → empty).
pub fn split_copy_line(line: &[u8], vals: &mut Vec<String>) {
    vals.clear();
    let mut field: Vec<u8> = Vec::new();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let mut i = 0;
    let push = |f: &mut Vec<u8>, vals: &mut Vec<String>| {
        if f.as_slice() == b"\x00NULL" {
            vals.push(String::new());
        } else {
            vals.push(String::from_utf8_lossy(f).into_owned());
        }
        f.clear();
    };
    while i < line.len() {
        let b = line[i];
        i += 1;
        match b {
            b'\t' => push(&mut field, vals),
            b'\\' if i < line.len() => {
                let e = line[i];
                i += 1;
                match e {
                    b'N' if field.is_empty() && (i == line.len() || line[i] == b'\t') => {
                        field.extend_from_slice(b"\x00NULL")
                    }
                    b'b' => field.push(8),
                    b'f' => field.push(12),
                    b'n' => field.push(b'\n'),
                    b'r' => field.push(b'\r'),
                    b't' => field.push(b'\t'),
                    b'v' => field.push(11),
                    b'0'..=b'7' => {
                        let mut v = (e - b'0') as u32;
                        let mut k = 0;
                        while k < 2 && i < line.len() && (b'0'..=b'7').contains(&line[i]) {
                            v = v * 8 + (line[i] - b'0') as u32;
                            i += 1;
                            k += 1;
                        }
                        field.push(v as u8);
                    }
                    b'x' => {
                        let mut v = 0u32;
                        let mut k = 0;
                        while k < 2 && i < line.len() && line[i].is_ascii_hexdigit() {
                            v = v * 16 + (line[i] as char).to_digit(16).unwrap_or(0);
                            i += 1;
                            k += 1;
                        }
                        field.push(v as u8);
                    }
                    other => field.push(other),
                }
            }
            other => field.push(other),
        }
    }
    push(&mut field, vals);
}
