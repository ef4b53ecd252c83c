//! PostgreSQL `COPY table (cols) FROM stdin;` blocks: tab-separated lines until `\.`.

use super::lex::Tok;
use super::out::{Out, Target};
use super::{Dump, Mode};
use crate::model::{Diagnostic, Severity};

impl<O: Out> Dump<'_, O> {
    /// Handles a `COPY` statement; data blocks are read line by line.
    pub(super) fn copy(&mut self) {
        let t = self.tok();
        if !self.is_name(t) {
            self.lex.unread(t);
            return self.skip_statement();
        }
        let name = self.qualified();
        let mut explicit = None;
        let mut stdin = false;
        loop {
            match self.tok() {
                Tok::Punct(b'(') if explicit.is_none() => {
                    explicit = Some(self.column_list());
                }
                Tok::Word if super::is(&self.lex.text, "STDIN") => stdin = true,
                Tok::Punct(b';') => break,
                Tok::Eof => {
                    self.dirty = true;
                    break;
                }
                _ => {}
            }
        }
        if !stdin {
            return;
        }
        self.lex.skip_line();
        self.copy_data(Target::Named { name, explicit });
    }

    /// Reads COPY data lines up to the `\.` terminator.
    pub(super) fn copy_data(&mut self, target: Target) {
        let mut started = false;
        // Widths come from this section's own lines, never from an earlier statement's row.
        self.ends.clear();
        loop {
            if self.out.stopped() {
                return;
            }
            let line = self.lex.line();
            let offset = self.lex.offset;
            let (any, newline) = self.lex.read_line();
            if !any {
                if !self.authoritative {
                    // A block cut between two data lines: the next block goes on from here.
                    self.end = Some(Mode::Copy(target));
                    return;
                }
                return self.unterminated(&target, line, offset, 0);
            }
            let text = &self.lex.text;
            if text == b"\\." || text == b"\\.\r" {
                if !started {
                    self.out.table_for(&target, 0);
                }
                return;
            }
            if !newline {
                split_copy_line(text, &mut self.row, &mut self.ends);
                return self.unterminated(&target, line, offset, 1);
            }
            let overflow = self.lex.overflow;
            split_copy_line(text, &mut self.row, &mut self.ends);
            self.out.table_for(&target, self.ends.len());
            started = true;
            self.emit_vals(overflow, line, offset);
        }
    }

    fn unterminated(&mut self, target: &Target, line: u64, offset: u64, skipped: u64) {
        self.dirty = true;
        self.out.table_for(target, self.ends.len().max(1));
        let msg = if skipped > 0 {
            "COPY data ends without its `\\.` terminator, inside a line (truncated dump); that partial row was skipped"
        } else {
            "COPY data ends without its `\\.` terminator (truncated dump); all complete rows were kept"
        };
        let mut d = Diagnostic::new(Severity::Warning, "copy-unterminated", &self.source, msg)
            .line(line)
            .offset(offset)
            .skipped(skipped);
        d.table = self.table_name(target);
        self.out.problem(d);
    }
}

/// Splits one COPY text-format line on tabs into `row` (fields concatenated) and `ends`, undoing
/// its escapes (`\N` is NULL → empty).
pub fn split_copy_line(line: &[u8], row: &mut Vec<u8>, ends: &mut Vec<usize>) {
    row.clear();
    ends.clear();
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let mut field_start = 0;
    let mut i = 0;
    // Plain runs are copied whole; only tabs and backslashes are looked at.
    while let Some(k) = memchr::memchr2(b'\t', b'\\', &line[i..]) {
        row.extend_from_slice(&line[i..i + k]);
        let at = i + k;
        i = at + 1;
        if line[at] == b'\t' {
            ends.push(row.len());
            field_start = row.len();
            continue;
        }
        let Some(&e) = line.get(i) else {
            // A backslash ending the line stands for itself.
            row.push(b'\\');
            break;
        };
        i += 1;
        match e {
            // NULL: the whole field is `\N`; it stays empty.
            b'N' if row.len() == field_start && (i == line.len() || line[i] == b'\t') => {}
            b'b' => row.push(8),
            b'f' => row.push(12),
            b'n' => row.push(b'\n'),
            b'r' => row.push(b'\r'),
            b't' => row.push(b'\t'),
            b'v' => row.push(11),
            b'0'..=b'7' => {
                let mut v = (e - b'0') as u32;
                let mut k = 0;
                while k < 2 && i < line.len() && (b'0'..=b'7').contains(&line[i]) {
                    v = v * 8 + (line[i] - b'0') as u32;
                    i += 1;
                    k += 1;
                }
                row.push(v as u8);
            }
            b'x' => {
                let mut v = 0u32;
                let mut k = 0;
                while k < 2 && i < line.len() && line[i].is_ascii_hexdigit() {
                    v = v * 16 + (line[i] as char).to_digit(16).unwrap_or(0);
                    i += 1;
                    k += 1;
                }
                row.push(v as u8);
            }
            other => row.push(other),
        }
    }
    row.extend_from_slice(&line[i.min(line.len())..]);
    ends.push(row.len());
}

#[cfg(test)]
mod tests {
    use super::split_copy_line;

    fn split(line: &[u8]) -> Vec<String> {
        let (mut row, mut ends) = (Vec::new(), Vec::new());
        split_copy_line(line, &mut row, &mut ends);
        let mut start = 0;
        ends.iter()
            .map(|&e| {
                let f = String::from_utf8_lossy(&row[start..e]).into_owned();
                start = e;
                f
            })
            .collect()
    }

    #[test]
    fn fields_escapes_and_nulls() {
        assert_eq!(split(b"1\tL\xc3\xaa\t\t09\r"), ["1", "Lê", "", "09"]);
        assert_eq!(
            split(b"1\tA\\tB\\nC\t\\N\t\\x41\\101\\\\\tx\\N"),
            ["1", "A\tB\nC", "", "AA\\", "xN"]
        );
        assert_eq!(split(b""), [""]);
        assert_eq!(split(b"a\\"), ["a\\"]);
        assert_eq!(split(b"\\N\tb\\N\t\\Nx"), ["", "bN", "Nx"]);
        assert_eq!(split(b"\t"), ["", ""]);
    }
}
