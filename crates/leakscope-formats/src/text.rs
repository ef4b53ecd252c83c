//! Text encodings: detection (BOM, UTF-16 heuristics, UTF-8 validity, chardetng) and a streaming
//! transcoder so every text parser sees UTF-8.

use encoding_rs::{Decoder, DecoderResult, Encoding, UTF_16BE, UTF_16LE, UTF_8};
use std::io::{self, Read};

/// A text encoding: one of encoding_rs's, or UTF-32 (which encoding_rs does not decode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Enc {
    Rs(&'static Encoding),
    Utf32 { be: bool },
}

impl Enc {
    /// Its label (`UTF-8`, `GBK`, `UTF-32LE`, …).
    pub fn name(self) -> &'static str {
        match self {
            Enc::Rs(e) => e.name(),
            Enc::Utf32 { be: false } => "UTF-32LE",
            Enc::Utf32 { be: true } => "UTF-32BE",
        }
    }

    /// True for UTF-8 (read as is, no transcoding).
    pub fn is_utf8(self) -> bool {
        self == Enc::Rs(UTF_8)
    }

    /// True for encodings whose text is full of zero bytes (UTF-16, UTF-32).
    pub fn wide(self) -> bool {
        matches!(self, Enc::Utf32 { .. }) || self == Enc::Rs(UTF_16LE) || self == Enc::Rs(UTF_16BE)
    }
}

/// The encoding chosen for a text source and how many BOM bytes to skip.
pub(crate) struct Detected {
    pub encoding: Enc,
    pub bom_len: usize,
}

/// The encoding a byte-order mark names, and the mark's length (UTF-32 before UTF-16: the
/// UTF-32LE mark starts with the UTF-16LE one).
pub(crate) fn bom(head: &[u8]) -> Option<(Enc, usize)> {
    if head.starts_with(&[0xff, 0xfe, 0, 0]) {
        return Some((Enc::Utf32 { be: false }, 4));
    }
    if head.starts_with(&[0, 0, 0xfe, 0xff]) {
        return Some((Enc::Utf32 { be: true }, 4));
    }
    Encoding::for_bom(head).map(|(e, n)| (Enc::Rs(e), n))
}

/// Detects the encoding of a text stream from its first bytes. `complete` is true when `head`
/// is the whole stream.
pub(crate) fn detect(head: &[u8], complete: bool) -> Detected {
    if let Some((encoding, bom_len)) = bom(head) {
        return Detected { encoding, bom_len };
    }
    if let Some(be) = utf32_without_bom(head) {
        return Detected {
            encoding: Enc::Utf32 { be },
            bom_len: 0,
        };
    }
    if let Some(enc) = utf16_without_bom(head) {
        return Detected {
            encoding: Enc::Rs(enc),
            bom_len: 0,
        };
    }
    if valid_utf8_prefix(head, complete) || mostly_utf8(head) {
        return Detected {
            encoding: Enc::Rs(UTF_8),
            bom_len: 0,
        };
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(head, complete);
    Detected {
        encoding: Enc::Rs(det.guess(None, chardetng::Utf8Detection::Allow)),
        bom_len: 0,
    }
}

/// UTF-32 without BOM, by its zero-byte pattern: every code point below U+1000000 has a zero
/// high byte, and text below U+10000 (all of it, nearly) a second one. `Some(true)` for
/// big-endian.
fn utf32_without_bom(head: &[u8]) -> Option<bool> {
    let n = head.len().min(4096) & !3;
    if n < 16 {
        return None;
    }
    let mut zeros = [0usize; 4];
    for unit in head[..n].chunks_exact(4) {
        for (k, &b) in unit.iter().enumerate() {
            zeros[k] += (b == 0) as usize;
        }
    }
    let units = n / 4;
    let all = |z: usize| z == units;
    let most = |z: usize| z * 10 >= units * 9;
    let few = |z: usize| z * 5 < units;
    if all(zeros[3]) && most(zeros[2]) && few(zeros[0]) {
        Some(false)
    } else if all(zeros[0]) && most(zeros[1]) && few(zeros[3]) {
        Some(true)
    } else {
        None
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

/// How a decoder turns bytes into text.
enum Engine {
    Rs(Decoder),
    Utf32 { be: bool, pending: Vec<u8> },
}

/// Streams `inner` (in `encoding`) out as UTF-8, replacing malformed sequences with U+FFFD and
/// counting them (with the offset of the first, in the input, and its line in the output).
pub(crate) struct DecodeReader<R> {
    inner: R,
    engine: Engine,
    inbuf: Vec<u8>,
    in_pos: usize,
    in_end: usize,
    /// Input offset of `inbuf[0]` (after any byte-order mark).
    in_base: u64,
    eof: bool,
    finished: bool,
    out: Vec<u8>,
    out_pos: usize,
    out_end: usize,
    /// Malformed sequences replaced with U+FFFD.
    pub replacements: u64,
    /// Input byte offset of the first one (counting the byte-order mark).
    pub first_offset: u64,
    /// 1-based line (in the decoded text) of the first one.
    pub first_line: u64,
    lines: u64,
}

const REPLACEMENT: &[u8] = "\u{fffd}".as_bytes();

impl<R: Read> DecodeReader<R> {
    /// A transcoder from `encoding`, whose input starts `bom_len` bytes into the stream (the
    /// byte-order mark, already skipped).
    pub fn new(inner: R, encoding: Enc, bom_len: usize) -> Self {
        let engine = match encoding {
            Enc::Rs(e) => Engine::Rs(e.new_decoder_without_bom_handling()),
            Enc::Utf32 { be } => Engine::Utf32 {
                be,
                pending: Vec::new(),
            },
        };
        DecodeReader {
            inner,
            engine,
            inbuf: vec![0; 64 << 10],
            in_pos: 0,
            in_end: 0,
            in_base: bom_len as u64,
            eof: false,
            finished: false,
            out: vec![0; 192 << 10],
            out_pos: 0,
            out_end: 0,
            replacements: 0,
            first_offset: 0,
            first_line: 0,
            lines: 0,
        }
    }

    fn replaced_at(&mut self, input_offset: u64, written: usize) {
        if self.replacements == 0 {
            self.first_offset = input_offset;
            let nl = memchr::memchr_iter(b'\n', &self.out[..written]).count() as u64;
            self.first_line = self.lines + nl + 1;
        }
        self.replacements += 1;
    }

    /// Decodes what is buffered into `out` (which is empty).
    fn decode(&mut self) {
        let mut written = 0;
        match &mut self.engine {
            Engine::Rs(dec) => loop {
                let (res, read, w) = dec.decode_to_utf8_without_replacement(
                    &self.inbuf[self.in_pos..self.in_end],
                    &mut self.out[written..],
                    self.eof,
                );
                self.in_pos += read;
                written += w;
                match res {
                    DecoderResult::InputEmpty => {
                        if self.eof {
                            self.finished = true;
                        }
                        break;
                    }
                    DecoderResult::OutputFull => break,
                    DecoderResult::Malformed(bad, after) => {
                        // The malformed bytes may have begun in the previous buffer.
                        let at = (self.in_base + self.in_pos as u64)
                            .saturating_sub(after as u64 + bad as u64);
                        if self.out.len() - written < REPLACEMENT.len() {
                            self.out.resize(self.out.len() + 64, 0);
                        }
                        self.out[written..written + 3].copy_from_slice(REPLACEMENT);
                        let before = written;
                        written += 3;
                        if self.replacements == 0 {
                            self.first_offset = at;
                            let nl = memchr::memchr_iter(b'\n', &self.out[..before]).count() as u64;
                            self.first_line = self.lines + nl + 1;
                        }
                        self.replacements += 1;
                        if self.out.len() - written < 8 {
                            break;
                        }
                    }
                }
            },
            Engine::Utf32 { be, pending } => {
                let be = *be;
                let mut i = self.in_pos;
                let mut replaced: Vec<(u64, usize)> = Vec::new();
                loop {
                    if self.out.len() - written < 4 {
                        break;
                    }
                    let unit: [u8; 4] = if !pending.is_empty() {
                        let need = 4 - pending.len();
                        if self.in_end - i < need {
                            pending.extend_from_slice(&self.inbuf[i..self.in_end]);
                            i = self.in_end;
                            break;
                        }
                        pending.extend_from_slice(&self.inbuf[i..i + need]);
                        i += need;
                        let u = [pending[0], pending[1], pending[2], pending[3]];
                        pending.clear();
                        u
                    } else if self.in_end - i >= 4 {
                        let u = [
                            self.inbuf[i],
                            self.inbuf[i + 1],
                            self.inbuf[i + 2],
                            self.inbuf[i + 3],
                        ];
                        i += 4;
                        u
                    } else {
                        pending.extend_from_slice(&self.inbuf[i..self.in_end]);
                        i = self.in_end;
                        break;
                    };
                    let v = if be {
                        u32::from_be_bytes(unit)
                    } else {
                        u32::from_le_bytes(unit)
                    };
                    match char::from_u32(v) {
                        Some(c) => written += c.encode_utf8(&mut self.out[written..]).len(),
                        None => {
                            replaced.push((self.in_base + (i - 4) as u64, written));
                            self.out[written..written + 3].copy_from_slice(REPLACEMENT);
                            written += 3;
                        }
                    }
                }
                if self.eof && i == self.in_end {
                    if !pending.is_empty() {
                        // A cut-off last code unit.
                        replaced.push((self.in_base + i as u64 - pending.len() as u64, written));
                        pending.clear();
                        self.out[written..written + 3].copy_from_slice(REPLACEMENT);
                        written += 3;
                    }
                    self.finished = true;
                }
                self.in_pos = i;
                for (at, w) in replaced {
                    self.replaced_at(at, w);
                }
            }
        }
        self.lines += memchr::memchr_iter(b'\n', &self.out[..written]).count() as u64;
        self.out_pos = 0;
        self.out_end = written;
    }
}

impl<R: Read> Read for DecodeReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_pos == self.out_end {
            if self.finished {
                return Ok(0);
            }
            if self.in_pos == self.in_end && !self.eof {
                self.in_base += self.in_end as u64;
                let n = self.inner.read(&mut self.inbuf)?;
                self.in_pos = 0;
                self.in_end = n;
                self.eof = n == 0;
            }
            self.decode();
        }
        let n = buf.len().min(self.out_end - self.out_pos);
        buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

/// Decodes `head` for sniffing only (lossy, no state).
pub(crate) fn preview(head: &[u8], encoding: Enc) -> String {
    match encoding {
        Enc::Rs(e) => e.decode_without_bom_handling(head).0.into_owned(),
        Enc::Utf32 { be } => head
            .chunks_exact(4)
            .map(|u| {
                let v = u32::from_le_bytes([u[0], u[1], u[2], u[3]]);
                let v = if be { v.swap_bytes() } else { v };
                char::from_u32(v).unwrap_or('\u{fffd}')
            })
            .collect(),
    }
}

/// Looks up an `--encoding` label (`gbk`, `utf-16le`, `utf-32`, `windows-1258`...).
pub(crate) fn encoding_for_label(label: &str) -> Option<Enc> {
    let l = label.trim().to_ascii_lowercase();
    match l.as_str() {
        "utf-32" | "utf32" | "utf-32le" | "utf32le" | "ucs-4" | "ucs4" | "ucs-4le" => {
            Some(Enc::Utf32 { be: false })
        }
        "utf-32be" | "utf32be" | "ucs-4be" => Some(Enc::Utf32 { be: true }),
        _ => Encoding::for_label(l.as_bytes()).map(Enc::Rs),
    }
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
