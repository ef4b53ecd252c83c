//! Text encodings: detection (BOM, UTF-16 heuristics, UTF-8 validity, chardetng) and a streaming
//! transcoder so every text parser sees UTF-8.

use encoding_rs::{CoderResult, Decoder, Encoding, UTF_16BE, UTF_16LE, UTF_8};
use std::io::{self, Read};

/// The encoding chosen for a text source and how many BOM bytes to skip.
pub(crate) struct Detected {
    pub encoding: &'static Encoding,
    pub bom_len: usize,
}

/// Detects the encoding of a text stream from its first bytes. `complete` is true when `head`
/// is the whole stream.
pub(crate) fn detect(head: &[u8], complete: bool) -> Detected {
    if let Some((enc, bom_len)) = Encoding::for_bom(head) {
        return Detected {
            encoding: enc,
            bom_len,
        };
    }
    if let Some(enc) = utf16_without_bom(head) {
        return Detected {
            encoding: enc,
            bom_len: 0,
        };
    }
    if valid_utf8_prefix(head, complete) || mostly_utf8(head) {
        return Detected {
            encoding: UTF_8,
            bom_len: 0,
        };
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(head, complete);
    Detected {
        encoding: det.guess(None, chardetng::Utf8Detection::Allow),
        bom_len: 0,
    }
}

/// UTF-16 without BOM: most code units of ASCII text have a zero high byte.
fn utf16_without_bom(head: &[u8]) -> Option<&'static Encoding> {
    let n = head.len().min(4096) & !1;
    if n < 8 {
        return None;
    }
    let (mut even0, mut odd0) = (0usize, 0usize);
    for pair in head[..n].chunks_exact(2) {
        even0 += (pair[0] == 0) as usize;
        odd0 += (pair[1] == 0) as usize;
    }
    let units = n / 2;
    if odd0 * 10 > units * 4 && even0 * 20 < units {
        Some(UTF_16LE)
    } else if even0 * 10 > units * 4 && odd0 * 20 < units {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// True when `head` is valid UTF-8, allowing a sequence cut at the end when more follows.
fn valid_utf8_prefix(head: &[u8], complete: bool) -> bool {
    match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => !complete && e.error_len().is_none(),
    }
}

/// UTF-8 text with a few damaged bytes: many valid multi-byte sequences, few invalid ones.
fn mostly_utf8(head: &[u8]) -> bool {
    let (mut leads, mut invalid) = (0usize, 0usize);
    let mut rest = head;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                leads += s.bytes().filter(|&b| b >= 0xc0).count();
                break;
            }
            Err(e) => {
                let good = e.valid_up_to();
                leads += rest[..good].iter().filter(|&&b| b >= 0xc0).count();
                invalid += 1;
                let skip = e.error_len().unwrap_or(rest.len() - good).max(1);
                rest = &rest[(good + skip).min(rest.len())..];
            }
        }
    }
    leads >= 3 && invalid * 2 <= leads
}

/// Share of bytes that look like binary (NUL or C0 controls other than whitespace) in UTF-8-ish text.
pub(crate) fn looks_binary(head: &[u8]) -> bool {
    let n = head.len().min(8192);
    if n == 0 {
        return false;
    }
    let bad = head[..n]
        .iter()
        .filter(|&&b| {
            b == 0 || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1a | 0x1b))
        })
        .count();
    let nul = head[..n].iter().filter(|&&b| b == 0).count();
    bad * 20 > n || (n >= 1024 && nul * 100 > n)
}

/// Streams `inner` (in `encoding`) out as UTF-8, replacing malformed sequences with U+FFFD.
pub(crate) struct DecodeReader<R> {
    inner: R,
    decoder: Decoder,
    inbuf: Vec<u8>,
    in_pos: usize,
    in_end: usize,
    eof: bool,
    finished: bool,
    out: Vec<u8>,
    out_pos: usize,
    out_end: usize,
    /// Number of decode calls that needed replacement characters.
    pub replacements: u64,
}

impl<R: Read> DecodeReader<R> {
    /// A transcoder from `encoding` (the BOM, if any, must already be skipped).
    pub fn new(inner: R, encoding: &'static Encoding) -> Self {
        DecodeReader {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            inbuf: vec![0; 64 << 10],
            in_pos: 0,
            in_end: 0,
            eof: false,
            finished: false,
            out: vec![0; 192 << 10],
            out_pos: 0,
            out_end: 0,
            replacements: 0,
        }
    }
}

impl<R: Read> Read for DecodeReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_pos == self.out_end {
            if self.finished {
                return Ok(0);
            }
            if self.in_pos == self.in_end && !self.eof {
                let n = self.inner.read(&mut self.inbuf)?;
                self.in_pos = 0;
                self.in_end = n;
                self.eof = n == 0;
            }
            let (res, read, written, replaced) = self.decoder.decode_to_utf8(
                &self.inbuf[self.in_pos..self.in_end],
                &mut self.out,
                self.eof,
            );
            self.in_pos += read;
            self.out_pos = 0;
            self.out_end = written;
            if replaced {
                self.replacements += 1;
            }
            if self.eof && res == CoderResult::InputEmpty {
                self.finished = true;
            }
        }
        let n = buf.len().min(self.out_end - self.out_pos);
        buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

/// Decodes `head` for sniffing only (lossy, no state).
pub(crate) fn preview(head: &[u8], encoding: &'static Encoding) -> String {
    let (text, _) = encoding.decode_without_bom_handling(head);
    text.into_owned()
}

/// Looks up an `--encoding` label (`gbk`, `utf-16le`, `windows-1258`...).
pub(crate) fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
}

/// What a text source holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextKind {
    Json,
    Sql(crate::sql::Dialect),
    Html,
    Delimited,
}

/// Classifies decoded text by its first characters and lines.
pub(crate) fn classify(text: &str) -> TextKind {
    let t = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if t.starts_with('[') || t.starts_with('{') {
        return TextKind::Json;
    }
    let lower: String = t.chars().take(512).collect::<String>().to_ascii_lowercase();
    if lower.starts_with("<!doctype html")
        || lower.starts_with("<html")
        || lower.starts_with("<table")
        || lower.starts_with("<?xml") && lower.contains("<html")
    {
        return TextKind::Html;
    }
    match crate::sql::dialect::sniff(t) {
        Some(dialect) => TextKind::Sql(dialect),
        None => TextKind::Delimited,
    }
}
