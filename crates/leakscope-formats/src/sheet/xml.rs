//! Just enough XML for spreadsheet parts, with every size bounded: a tokenizer over a slice
//! (start/end tags, text, CDATA; comments, processing instructions and DOCTYPEs skipped — no
//! entity expansion beyond the five predefined ones and character references, so no entity
//! bombs), and a cutter that streams a part in blocks ending after a closing tag (`</row>`,
//! `</si>`), so records can be parsed block by block, on several threads.

use std::io::{self, Read};

/// One token.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Tok<'a> {
    /// `<name attrs>` or `<name attrs/>` (`empty`); the name without its namespace prefix.
    Start {
        name: &'a [u8],
        attrs: &'a [u8],
        empty: bool,
    },
    /// `</name>`.
    End { name: &'a [u8] },
    /// Character data, with entities still escaped.
    Text(&'a [u8]),
    /// A CDATA section's content (nothing escaped).
    CData(&'a [u8]),
}

/// Tokens of a slice. An unterminated tag at the end is left unread (`rest`).
pub(crate) struct Tokens<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Tokens<'a> {
    pub fn new(b: &'a [u8]) -> Self {
        Tokens { b, i: 0 }
    }

    /// Where reading stopped.
    #[cfg(test)]
    pub fn pos(&self) -> usize {
        self.i
    }
}

/// The first `b` in `hay`: a short look by hand first (spreadsheet XML is made of tiny tags
/// and values, where a `memchr` call costs more than it saves).
#[inline]
fn find(hay: &[u8], b: u8) -> Option<usize> {
    let near = hay.len().min(16);
    if let Some(k) = hay[..near].iter().position(|&c| c == b) {
        return Some(k);
    }
    memchr::memchr(b, &hay[near..]).map(|k| k + near)
}

/// The local part of a (possibly prefixed) name.
pub(crate) fn local(name: &[u8]) -> &[u8] {
    match memchr::memrchr(b':', name) {
        Some(k) => &name[k + 1..],
        None => name,
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Tok<'a>;

    fn next(&mut self) -> Option<Tok<'a>> {
        loop {
            let b = self.b;
            if self.i >= b.len() {
                return None;
            }
            if b[self.i] != b'<' {
                let end = find(&b[self.i..], b'<').map_or(b.len(), |k| self.i + k);
                let t = &b[self.i..end];
                self.i = end;
                return Some(Tok::Text(t));
            }
            let rest = &b[self.i..];
            if rest.starts_with(b"<![CDATA[") {
                let body = self.i + 9;
                let end = memchr::memmem::find(&b[body..], b"]]>")?;
                self.i = body + end + 3;
                return Some(Tok::CData(&b[body..body + end]));
            }
            if rest.starts_with(b"<!--") {
                let end = memchr::memmem::find(&b[self.i + 4..], b"-->")?;
                self.i += 4 + end + 3;
                continue;
            }
            if rest.starts_with(b"<?") || rest.starts_with(b"<!") {
                let end = memchr::memchr(b'>', rest)?;
                self.i += end + 1;
                continue;
            }
            // A tag: find its `>` outside quoted attribute values. Quotes around a `>` are
            // rare: take the first `>` when only double quotes precede it, evenly; else scan
            // quote by quote.
            let first = find(&b[self.i..], b'>')? + self.i;
            let seg = &b[self.i..first];
            let dq = seg.iter().filter(|&&c| c == b'"').count();
            let single = memchr::memchr(b'\'', seg).is_some();
            let mut j = self.i + 1;
            if dq % 2 == 0 && !single {
                j = first;
            } else {
                loop {
                    let k = memchr::memchr3(b'>', b'"', b'\'', &b[j..])?;
                    j += k;
                    let c = b[j];
                    if c == b'>' {
                        break;
                    }
                    let close = memchr::memchr(c, &b[j + 1..])?;
                    j += close + 2;
                }
            }
            let inner = &b[self.i + 1..j];
            self.i = j + 1;
            if let Some(name) = inner.strip_prefix(b"/") {
                return Some(Tok::End {
                    name: local(name.trim_ascii()),
                });
            }
            let (inner, empty) = match inner.strip_suffix(b"/") {
                Some(x) => (x, true),
                None => (inner, false),
            };
            let n = inner
                .iter()
                .position(|c| c.is_ascii_whitespace())
                .unwrap_or(inner.len());
            return Some(Tok::Start {
                name: local(&inner[..n]),
                attrs: &inner[n..],
                empty,
            });
        }
    }
}

/// The raw value of attribute `name` (namespace prefix ignored) in a tag's attribute text.
pub(crate) fn attr<'a>(attrs: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let mut i = 0;
    let b = attrs;
    while i < b.len() {
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while i < b.len() && b[i] != b'=' && !b[i].is_ascii_whitespace() {
            i += 1;
        }
        let key = &b[start..i];
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'=') {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        let q = b[i];
        if q != b'"' && q != b'\'' {
            return None;
        }
        let vs = i + 1;
        let ve = memchr::memchr(q, &b[vs..]).map(|k| vs + k)?;
        if local(key) == name {
            return Some(&b[vs..ve]);
        }
        i = ve + 1;
    }
    None
}

/// Appends `raw` (XML character data) to `out` with entities and OOXML `_xHHHH_` escapes
/// decoded; invalid UTF-8 is replaced.
pub(crate) fn unescape_into(raw: &[u8], ooxml: bool, out: &mut String) {
    let text = match std::str::from_utf8(raw) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => String::from_utf8_lossy(raw),
    };
    let s = text.as_ref();
    if !(s.contains('&') || ooxml && s.contains("_x")) {
        out.push_str(s);
        return;
    }
    let mut rest = s;
    while let Some(k) = rest.find(['&', '_']) {
        out.push_str(&rest[..k]);
        rest = &rest[k..];
        if rest.starts_with('&') {
            let Some(semi) = rest[..rest.len().min(12)].find(';') else {
                out.push('&');
                rest = &rest[1..];
                continue;
            };
            let ent = &rest[1..semi];
            let ch = match ent {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => ent
                    .strip_prefix("#x")
                    .or_else(|| ent.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .map(|v| char::from_u32(v).unwrap_or('\u{fffd}')),
            };
            match ch {
                Some(c) => {
                    out.push(c);
                    rest = &rest[semi + 1..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        } else {
            // `_xHHHH_`: a character OOXML could not write directly (`_x000D_` is a CR).
            let b = rest.as_bytes();
            let hex = ooxml
                && b.len() >= 7
                && b[1] == b'x'
                && b[6] == b'_'
                && b[2..6].iter().all(u8::is_ascii_hexdigit);
            if hex {
                let v = u32::from_str_radix(&rest[2..6], 16).unwrap_or(0xfffd);
                out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
                rest = &rest[7..];
            } else {
                out.push('_');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

/// The closing tag of the record elements named `local` (`row`, `si`) as this part writes
/// them: `</row>`, or `</x:row>` when the first such element in `head` carries a namespace
/// prefix.
pub(crate) fn close_tag(head: &[u8], local: &[u8]) -> Vec<u8> {
    let mut from = 0;
    while let Some(k) = memchr::memmem::find(&head[from..], local) {
        let at = from + k;
        from = at + 1;
        let after = head.get(at + local.len()).copied();
        if !matches!(after, Some(b' ' | b'>' | b'/' | b'\t' | b'\r' | b'\n')) {
            continue;
        }
        let Some(open) = memchr::memrchr(b'<', &head[..at]) else {
            continue;
        };
        let prefix = &head[open + 1..at];
        if prefix.is_empty() {
            break;
        }
        if prefix.ends_with(b":")
            && prefix[..prefix.len() - 1]
                .iter()
                .all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
        {
            return [b"</".as_slice(), prefix, local, b">"].concat();
        }
    }
    [b"</".as_slice(), local, b">"].concat()
}

/// What [`Cutter::next`] handed out.
pub(crate) enum Cut<'a> {
    /// Whole elements: the bytes up to and including the last closing tag found.
    Block(&'a [u8]),
    /// One element was longer than the limit and was skipped.
    Oversize,
    /// The rest of the part after the last closing tag (or all of it, when none came).
    Tail(&'a [u8]),
}

/// Streams an XML part in blocks that end right after a closing tag such as `</row>`.
pub(crate) struct Cutter<R> {
    r: R,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    close: Vec<u8>,
    target: usize,
    max: usize,
    /// The read error that ended the part, if any.
    pub failed: Option<io::Error>,
}

impl<R: Read> Cutter<R> {
    /// Blocks of about `target` bytes; one element may be up to `max` bytes.
    pub fn new(r: R, close: &[u8], target: usize, max: usize) -> Self {
        Cutter {
            r,
            buf: vec![0; target.max(4096) * 2],
            start: 0,
            end: 0,
            eof: false,
            close: close.to_vec(),
            target: target.max(4096),
            max: max.max(4096),
            failed: None,
        }
    }

    /// The first bytes of the part (at least `n` unless it is shorter), without consuming them.
    pub fn head(&mut self, n: usize) -> &[u8] {
        while self.end - self.start < n && self.fill() {}
        &self.buf[self.start..self.end]
    }

    /// Changes the closing tag (a namespace prefix found in the first block).
    pub fn set_close(&mut self, close: &[u8]) {
        self.close = close.to_vec();
    }

    fn fill(&mut self) -> bool {
        if self.eof {
            return false;
        }
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            let grow = self.buf.len();
            self.buf.resize(self.buf.len() + grow, 0);
        }
        loop {
            match self.r.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return false;
                }
                Ok(n) => {
                    self.end += n;
                    return true;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.failed = Some(e);
                    self.eof = true;
                    return false;
                }
            }
        }
    }

    /// The next block, oversize element, or the tail; `None` when everything was handed out.
    pub fn next(&mut self) -> Option<Cut<'_>> {
        // Shrink back after one long element.
        if self.start == self.end && self.buf.len() > 4 * self.target {
            self.buf = vec![0; self.target * 2];
            self.start = 0;
            self.end = 0;
        }
        let mut skipping = false;
        loop {
            while self.end - self.start < self.target && self.fill() {}
            let window = &self.buf[self.start..self.end];
            // While skipping, the oversize element ends at the first closing tag.
            let found = if skipping {
                memchr::memmem::find(window, &self.close)
            } else {
                memchr::memmem::rfind(window, &self.close)
            };
            if let Some(k) = found {
                let cut = self.start + k + self.close.len();
                let from = self.start;
                self.start = cut;
                if skipping {
                    return Some(Cut::Oversize);
                }
                return Some(Cut::Block(&self.buf[from..cut]));
            }
            if self.eof {
                if skipping {
                    self.start = self.end;
                    return Some(Cut::Oversize);
                }
                if self.start == self.end {
                    return None;
                }
                let from = self.start;
                self.start = self.end;
                return Some(Cut::Tail(&self.buf[from..self.end]));
            }
            if self.end - self.start > self.max {
                // One element longer than the limit: drop what was read of it, keeping the
                // last bytes in case the closing tag is cut between reads.
                skipping = true;
                let keep = self.close.len();
                self.start = self.end - keep;
            }
            self.fill();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_of_a_row() {
        let xml = br#"<?xml version="1.0"?><!-- c --><x:row r="2" spans='1:3'><c r="A2" t="s"><v>0</v></c><c r="B2"/><c><is><t xml:space="preserve"> a &amp; b </t></is></c><![CDATA[<raw>]]></x:row>"#;
        let toks: Vec<Tok> = Tokens::new(xml).collect();
        assert_eq!(
            toks[0],
            Tok::Start {
                name: b"row",
                attrs: br#" r="2" spans='1:3'"#,
                empty: false
            }
        );
        assert_eq!(attr(br#" r="2" spans='1:3'"#, b"spans"), Some(&b"1:3"[..]));
        assert_eq!(attr(br#" x:r="A1""#, b"r"), Some(&b"A1"[..]));
        assert!(toks.contains(&Tok::Start {
            name: b"c",
            attrs: br#" r="B2""#,
            empty: true
        }));
        assert!(toks.contains(&Tok::CData(b"<raw>")));
        assert_eq!(toks.last(), Some(&Tok::End { name: b"row" }));
        let mut s = String::new();
        unescape_into(
            b" a &amp; b &#x1F600;&#65;&bogus; _x000D_ _x00",
            true,
            &mut s,
        );
        assert_eq!(s, " a & b 😀A&bogus; \r _x00");
    }

    #[test]
    fn cut_tags_are_left_for_later() {
        let mut t = Tokens::new(b"<a>x</a><b attr=\"1>");
        assert_eq!(
            t.next(),
            Some(Tok::Start {
                name: b"a",
                attrs: b"",
                empty: false
            })
        );
        t.next();
        t.next();
        assert_eq!(t.next(), None);
        assert_eq!(t.pos(), 8);
    }

    #[test]
    fn cutter_blocks_end_after_closing_tags() {
        let mut xml = b"<sheetData>".to_vec();
        for i in 0..1000 {
            xml.extend_from_slice(format!("<row r=\"{i}\"><c><v>{i}</v></c></row>").as_bytes());
        }
        xml.extend_from_slice(b"<row><c><v>");
        xml.extend_from_slice(&vec![b'9'; 50_000]);
        xml.extend_from_slice(b"</v></c></row><row><v>1</v></row></sheetData><tail/>");
        let mut c = Cutter::new(&xml[..], b"</row>", 4096, 10_000);
        let (mut rows, mut oversize, mut tail) = (0, 0, Vec::new());
        while let Some(cut) = c.next() {
            match cut {
                Cut::Block(b) => {
                    assert!(b.ends_with(b"</row>"));
                    rows += memchr::memmem::find_iter(b, b"</row>").count();
                }
                Cut::Oversize => oversize += 1,
                Cut::Tail(t) => tail = t.to_vec(),
            }
        }
        assert_eq!((rows, oversize), (1001, 1));
        assert_eq!(tail, b"</sheetData><tail/>");
    }

    #[test]
    fn record_close_tags_follow_the_elements_prefix() {
        assert_eq!(
            close_tag(b"<worksheet><sheetData><row r=\"1\">", b"row"),
            b"</row>"
        );
        assert_eq!(
            close_tag(b"<x:worksheet><x:sheetData><x:row r=\"1\">", b"row"),
            b"</x:row>"
        );
        // A prefixed root with unprefixed rows (default namespace).
        assert_eq!(
            close_tag(b"<x:worksheet xmlns=\"m\"><sheetData><row>", b"row"),
            b"</row>"
        );
        // Words that merely contain the name do not count.
        assert_eq!(close_tag(b"<x:sst><x:rowdata/><x:si>", b"si"), b"</x:si>");
        assert_eq!(close_tag(b"<sst count=\"0\"/>", b"si"), b"</si>");
    }
}
