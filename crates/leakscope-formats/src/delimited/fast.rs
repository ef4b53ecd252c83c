//! A fast path for the common records of a block that is valid UTF-8: fields found with
//! `memchr` and pushed straight into the batch, with `csv-core`'s semantics (a quote opens a
//! field only at its start, `""` is a literal quote, `\r`, `\n` and `\r\n` end a record).
//!
//! Anything it is not certain about — a quoted field followed by more characters, an unclosed
//! quote, a record running into the end of a block — is left to `csv-core`: the record is
//! rolled back and [`record`] returns `None`, so both paths always give the same fields.

use crate::model::RowBatch;

/// A record the fast path parsed.
pub(super) struct FastRecord {
    /// Position just after the record's terminator (or the end of the text).
    pub end: usize,
    /// Fields pushed.
    pub fields: usize,
    /// True when every field is empty (`,,,`): the row holds nothing.
    pub blank: bool,
    /// Where the batch stood before the record (to take a blank record back out).
    pub mark: (usize, usize),
}

/// Parses the record starting at `start` (not a line break) into `batch` (fields only; the
/// caller ends the row). `last` marks the end of the input, where a final record may lack its
/// terminator. Returns `None`, with `batch` unchanged, when `csv-core` must parse this record.
pub(super) fn record(
    text: &str,
    start: usize,
    delimiter: u8,
    quoting: bool,
    last: bool,
    batch: &mut RowBatch,
    scratch: &mut String,
) -> Option<FastRecord> {
    let mark = batch.mark();
    let bytes = text.as_bytes();
    let mut i = start;
    let mut fields = 0usize;
    let done = |batch: &RowBatch, end: usize, fields: usize| FastRecord {
        end,
        fields,
        blank: batch.text_bytes() == mark.0,
        mark,
    };
    loop {
        if quoting && bytes.get(i) == Some(&b'"') {
            // Quoted field: up to the closing quote, `""` standing for one quote.
            scratch.clear();
            let mut seg = i + 1;
            let mut j = seg;
            loop {
                let Some(k) = memchr::memchr(b'"', &bytes[j..]) else {
                    batch.rollback(mark);
                    return None;
                };
                let q = j + k;
                if bytes.get(q + 1) == Some(&b'"') {
                    scratch.push_str(&text[seg..=q]);
                    j = q + 2;
                    seg = j;
                } else {
                    scratch.push_str(&text[seg..q]);
                    i = q + 1;
                    break;
                }
            }
            batch.push_field(scratch);
            fields += 1;
            match bytes.get(i) {
                None if last => return Some(done(batch, i, fields)),
                Some(&b) if b == delimiter => i += 1,
                Some(b'\n') | Some(b'\r') => return Some(done(batch, i + 1, fields)),
                _ => {
                    batch.rollback(mark);
                    return None;
                }
            }
        } else {
            match memchr::memchr3(delimiter, b'\n', b'\r', &bytes[i..]) {
                Some(k) => {
                    let e = i + k;
                    batch.push_field(&text[i..e]);
                    fields += 1;
                    if bytes[e] == delimiter {
                        i = e + 1;
                    } else {
                        return Some(done(batch, e + 1, fields));
                    }
                }
                None if last => {
                    batch.push_field(&text[i..]);
                    return Some(done(batch, bytes.len(), fields + 1));
                }
                None => {
                    batch.rollback(mark);
                    return None;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, last: bool) -> Option<(Vec<String>, usize)> {
        let mut b = RowBatch::new(1);
        let mut s = String::new();
        let r = record(text, 0, b',', true, last, &mut b, &mut s)?;
        b.end_row();
        Some((b.row(0).iter().map(str::to_string).collect(), r.end))
    }

    #[test]
    fn plain_and_quoted_fields() {
        assert_eq!(
            parse("a,b,c\nx", false),
            Some((vec!["a".into(), "b".into(), "c".into()], 6))
        );
        assert_eq!(
            parse("\"x,\"\"y\"\"\",2\r\n", false),
            Some((vec!["x,\"y\"".into(), "2".into()], 12))
        );
        assert_eq!(parse("a,15\" tv\n", false).unwrap().0[1], "15\" tv");
        assert_eq!(parse("a,\"mul\nti\"\n", false).unwrap().0[1], "mul\nti");
        assert_eq!(parse("a,,\n", false).unwrap().0, vec!["a", "", ""]);
        assert_eq!(parse("last,row", true).unwrap().0, vec!["last", "row"]);
    }

    #[test]
    fn unsure_records_are_left_to_csv_core() {
        assert!(parse("\"ab\"c,d\n", false).is_none());
        assert!(parse("\"open,d\n", false).is_none());
        assert!(parse("no,terminator", false).is_none());
        let mut b = RowBatch::new(1);
        b.push_field("kept");
        let mut s = String::new();
        assert!(record("x,\"y\"z\n", 0, b',', true, false, &mut b, &mut s).is_none());
        b.end_row();
        assert_eq!(b.row(0).iter().collect::<Vec<_>>(), vec!["kept"]);
    }
}
