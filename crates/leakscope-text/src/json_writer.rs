//! [`JsonSafeWriter`]: the streaming form of [`crate::json_safe`], for documents too large to
//! build as one string first (a profile of 200,000 tables).

use std::io::{self, Write};

/// A writer that passes JSON text through, writing the characters a terminal would act on
/// (C0 controls other than tab and line ends, DEL, C1 controls, bidi overrides and isolates,
/// zero-width characters, U+FEFF) as `\uXXXX` escapes — byte for byte what
/// [`crate::json_safe`] gives for the whole text, however the text is split into writes.
pub struct JsonSafeWriter<W: Write> {
    inner: W,
    /// The start of a multi-byte character cut by the end of the last write.
    carry: Vec<u8>,
}

impl<W: Write> JsonSafeWriter<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> JsonSafeWriter<W> {
        JsonSafeWriter {
            inner,
            carry: Vec::new(),
        }
    }

    /// Writes out a cut character left over (as it is) and returns the inner writer.
    pub fn into_inner(mut self) -> io::Result<W> {
        let carry = std::mem::take(&mut self.carry);
        self.inner.write_all(&carry)?;
        Ok(self.inner)
    }

    /// Writes `b` (which ends on a character boundary unless `last` is false), escaping.
    fn pass(&mut self, b: &[u8], last: bool) -> io::Result<usize> {
        let mut start = 0;
        let mut i = 0;
        while i < b.len() {
            let (len, code) = match hostile_at(&b[i..]) {
                Hostile::No(n) => {
                    i += n;
                    continue;
                }
                Hostile::Cut if !last => {
                    self.inner.write_all(&b[start..i])?;
                    self.carry.extend_from_slice(&b[i..]);
                    return Ok(b.len());
                }
                Hostile::Cut => {
                    i = b.len();
                    continue;
                }
                Hostile::Yes(len, code) => (len, code),
            };
            self.inner.write_all(&b[start..i])?;
            write!(self.inner, "\\u{code:04x}")?;
            i += len;
            start = i;
        }
        self.inner.write_all(&b[start..])?;
        Ok(b.len())
    }
}

enum Hostile {
    /// Not hostile: this many bytes (a whole character, or one byte of a malformed sequence).
    No(usize),
    /// A hostile character of this many bytes, and its code point.
    Yes(usize, u32),
    /// Maybe hostile, but cut by the end of the buffer.
    Cut,
}

/// Classifies the character at the start of `b` (UTF-8).
fn hostile_at(b: &[u8]) -> Hostile {
    let c = b[0];
    match c {
        b'\t' | b'\n' | b'\r' => Hostile::No(1),
        0x00..=0x1f | 0x7f => Hostile::Yes(1, c as u32),
        0xc2 => match b.get(1) {
            None => Hostile::Cut,
            Some(&n @ 0x80..=0x9f) => Hostile::Yes(2, n as u32),
            Some(_) => Hostile::No(2),
        },
        0xe2 | 0xef => {
            if b.len() < 3 {
                return Hostile::Cut;
            }
            let code =
                ((c as u32 & 0x0f) << 12) | ((b[1] as u32 & 0x3f) << 6) | (b[2] as u32 & 0x3f);
            let hostile =
                matches!(code, 0x200b..=0x200f | 0x202a..=0x202e | 0x2066..=0x2069 | 0xfeff);
            if hostile && (b[1] & 0xc0) == 0x80 && (b[2] & 0xc0) == 0x80 {
                Hostile::Yes(3, code)
            } else {
                Hostile::No(1)
            }
        }
        _ => Hostile::No(1),
    }
}

impl<W: Write> Write for JsonSafeWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.carry.is_empty() {
            return self.pass(buf, false);
        }
        let mut joined = std::mem::take(&mut self.carry);
        joined.extend_from_slice(buf);
        self.pass(&joined, false)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equals_json_safe_however_the_text_is_split() {
        let text = "{\"a\u{202e}b\": \"x\u{200b}\u{7f}\u{85}y\u{feff}\", \"\u{1b}[2J\": \"Nguyễn 電話 \u{2066}\"}\n\tz\u{c2a0}";
        let want = crate::json_safe(text.to_string());
        assert_ne!(want, text);
        for chunk in 1..=text.len() {
            let mut w = JsonSafeWriter::new(Vec::new());
            for piece in text.as_bytes().chunks(chunk) {
                w.write_all(piece).unwrap();
            }
            let got = String::from_utf8(w.into_inner().unwrap()).unwrap();
            assert_eq!(got, want, "writes of {chunk} bytes");
        }
    }
}
