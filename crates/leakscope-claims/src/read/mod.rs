//! Readers: a file or fetched body → documents (one per post / message / feed item), each with
//! the text as read that evidence spans point into, plus what the format itself says (post date,
//! channel, group, website) as *hints* with their own spans in that text.
//!
//! Formats: plain text, Markdown (kept as written, so spans are offsets into the file), HTML
//! (boilerplate, navigation and comments stripped), `.eml`, Telegram Desktop `result.json`,
//! RSS / Atom / JSON Feed, and JSON lists of leak-site posts.

pub mod feed;
pub mod html;
pub mod leaksite;
pub mod mail;
pub mod telegram;

use std::fmt;
use std::path::Path;

/// Largest input read (a Telegram export of a busy channel is the biggest expected).
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// Input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text.
    Text,
    /// Markdown.
    Markdown,
    /// HTML page.
    Html,
    /// E-mail message.
    Eml,
    /// Telegram Desktop export.
    Telegram,
    /// RSS 0.9x/2.0 or RDF feed.
    Rss,
    /// Atom feed.
    Atom,
    /// JSON Feed.
    JsonFeed,
    /// JSON list of leak-site posts.
    LeakSite,
}

impl Format {
    /// Stable id (`source.format`).
    pub fn id(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Eml => "eml",
            Format::Telegram => "telegram",
            Format::Rss => "rss",
            Format::Atom => "atom",
            Format::JsonFeed => "json_feed",
            Format::LeakSite => "leak_site_json",
        }
    }

    /// Parses a stable id (for `--format`).
    pub fn from_id(s: &str) -> Option<Format> {
        [
            Format::Text,
            Format::Markdown,
            Format::Html,
            Format::Eml,
            Format::Telegram,
            Format::Rss,
            Format::Atom,
            Format::JsonFeed,
            Format::LeakSite,
        ]
        .into_iter()
        .find(|f| f.id() == s)
    }
}

/// A byte range of [`Document::text`].
pub type Range = (usize, usize);

/// What the format says, with the span of the text line that says it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hints {
    /// Post date as written.
    pub posted: Option<(String, Range)>,
    /// Venue kind and name (`telegram` + channel, `leak_site` + group).
    pub venue: Option<(String, Option<String>, Range)>,
    /// Group or author that made the claim (leak-site group).
    pub actor: Option<(String, Range)>,
    /// The post is an extortion listing (leak-site JSON).
    pub ransomware: Option<Range>,
    /// Victim name given by the format (leak-site `post_title` when not a domain).
    pub victim: Option<(String, Range)>,
    /// Victim web site given by the format (leak-site `website`).
    pub website: Option<(String, Range)>,
    /// Victim country given by the format (leak-site `country`).
    pub country: Option<(String, Range)>,
    /// Site name (HTML `og:site_name`), to recognise forums.
    pub site: Option<(String, Range)>,
}

/// One post / message / item.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The text as read (spans point into it).
    pub text: String,
    /// Format.
    pub format: Option<Format>,
    /// Item id within a multi-item input.
    pub item: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Link.
    pub url: Option<String>,
    /// Feed item id (RSS guid, Atom id) for de-duplication across runs.
    pub guid: Option<String>,
    /// Format hints.
    pub hints: Hints,
    /// Byte offset where the body starts (after the reader's labelled header lines).
    pub body_start: usize,
}

/// Builds a document's text line by line, remembering the span of each labelled line's value.
#[derive(Debug, Default)]
pub struct TextBuilder {
    /// Text so far.
    pub text: String,
    /// Where the body block starts (the end of the text when there is none yet).
    pub body_start: Option<usize>,
}

impl TextBuilder {
    /// Appends `label: value\n` and returns the value's byte range (None for an empty value).
    pub fn field(&mut self, label: &str, value: &str) -> Option<Range> {
        let v = one_line(value);
        if v.is_empty() {
            return None;
        }
        self.text.push_str(label);
        self.text.push_str(": ");
        let start = self.text.len();
        self.text.push_str(&v);
        let end = self.text.len();
        self.text.push('\n');
        Some((start, end))
    }

    /// Appends a line (its range returned).
    pub fn line(&mut self, value: &str) -> Option<Range> {
        let v = one_line(value);
        if v.is_empty() {
            return None;
        }
        let start = self.text.len();
        self.text.push_str(&v);
        let end = self.text.len();
        self.text.push('\n');
        Some((start, end))
    }

    /// Appends a body block after a blank line.
    pub fn body(&mut self, body: &str) {
        let b = body.trim();
        if b.is_empty() {
            return;
        }
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        self.body_start = Some(self.text.len());
        self.text.push_str(b);
        self.text.push('\n');
    }

    /// The body's start offset (the text's end when no body was added).
    pub fn body_offset(&self) -> usize {
        self.body_start.unwrap_or(self.text.len())
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A reading failure, located.
#[derive(Debug)]
pub struct ReadError {
    /// Path or URL.
    pub origin: String,
    /// What is wrong (never contains input text).
    pub message: String,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.origin, self.message)
    }
}

impl std::error::Error for ReadError {}

fn err(origin: &str, message: impl Into<String>) -> ReadError {
    ReadError {
        origin: origin.to_string(),
        message: message.into(),
    }
}

/// Reads a file (format from `format`, else sniffed from the name and content).
pub fn read_path(path: &Path, format: Option<Format>) -> Result<Vec<Document>, ReadError> {
    let origin = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| err(&origin, e.to_string()))?;
    if !meta.is_file() {
        return Err(err(&origin, "not a regular file"));
    }
    if meta.len() > MAX_INPUT_BYTES {
        return Err(err(
            &origin,
            format!(
                "{} bytes is over the {} MiB limit for a post or export",
                meta.len(),
                MAX_INPUT_BYTES >> 20
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| err(&origin, e.to_string()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    read_bytes(&bytes, &name, format, &origin)
}

/// Reads bytes; `name` (a file name or URL path, lower-case) helps to sniff the format.
pub fn read_bytes(
    bytes: &[u8],
    name: &str,
    format: Option<Format>,
    origin: &str,
) -> Result<Vec<Document>, ReadError> {
    let format = match format {
        Some(f) => f,
        None => sniff(bytes, name),
    };
    let mut docs = match format {
        Format::Eml => vec![mail::read(bytes).map_err(|m| err(origin, m))?],
        Format::Html => {
            let text = decode(bytes, true);
            vec![html::read(&text)]
        }
        Format::Text | Format::Markdown => {
            let text = decode(bytes, false);
            let text = text.replace("\r\n", "\n");
            let title = text
                .lines()
                .map(|l| l.trim().trim_start_matches('#').trim())
                .find(|l| !l.is_empty())
                .map(|l| l.chars().take(200).collect());
            vec![Document {
                text,
                title,
                ..Document::default()
            }]
        }
        Format::Telegram => telegram::read(&decode(bytes, false)).map_err(|m| err(origin, m))?,
        Format::Rss | Format::Atom | Format::JsonFeed => {
            feed::read(&decode(bytes, false), format).map_err(|m| err(origin, m))?
        }
        Format::LeakSite => leaksite::read(&decode(bytes, false)).map_err(|m| err(origin, m))?,
    };
    for d in &mut docs {
        if d.format.is_none() {
            d.format = Some(format);
        }
    }
    Ok(docs)
}

/// Guesses the format from the name, then the content.
pub fn sniff(bytes: &[u8], name: &str) -> Format {
    let head = decode(&bytes[..bytes.len().min(4096)], false);
    let h = head.trim_start();
    let lower = h.to_ascii_lowercase();
    if h.starts_with('{') || h.starts_with('[') {
        if lower.contains("\"messages\"") {
            return Format::Telegram;
        }
        if lower.contains("jsonfeed.org") {
            return Format::JsonFeed;
        }
        if lower.contains("\"post_title\"") || lower.contains("\"group_name\"") {
            return Format::LeakSite;
        }
    }
    if h.starts_with('<') {
        if lower.contains("<rss") || lower.contains("<rdf:rdf") {
            return Format::Rss;
        }
        if lower.contains("<feed") && lower.contains("atom") {
            return Format::Atom;
        }
        return Format::Html;
    }
    let ext = name.rsplit('.').next().unwrap_or("");
    match ext {
        "eml" | "msg" => return Format::Eml,
        "md" | "markdown" => return Format::Markdown,
        "html" | "htm" | "xhtml" => return Format::Html,
        "rss" => return Format::Rss,
        "atom" => return Format::Atom,
        _ => {}
    }
    let first = lower.lines().next().unwrap_or("");
    let header_names = [
        "from:",
        "received:",
        "return-path:",
        "mime-version:",
        "subject:",
        "delivered-to:",
        "message-id:",
        "date:",
        "to:",
    ];
    if header_names.iter().any(|p| first.starts_with(p))
        && lower
            .lines()
            .take(30)
            .filter(|l| header_names.iter().any(|p| l.starts_with(p)))
            .count()
            >= 2
    {
        return Format::Eml;
    }
    Format::Text
}

/// Decodes bytes to text: BOM, then (for HTML) a `<meta charset>` in the first 2 KiB, then
/// UTF-8 when valid, else the encoding chardetng guesses (GBK, Big5, windows-1258 …).
pub fn decode(bytes: &[u8], html: bool) -> String {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    if html {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
        if let Some(label) = meta_charset(&head) {
            if let Some(enc) = encoding_rs::Encoding::for_label(label.as_bytes()) {
                if enc != encoding_rs::UTF_8 {
                    return enc.decode_without_bom_handling(bytes).0.into_owned();
                }
            }
        }
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_string();
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let enc = det.guess(None, chardetng::Utf8Detection::Allow);
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

fn meta_charset(head: &str) -> Option<String> {
    let p = head.find("charset=")? + "charset=".len();
    let rest = head[p..].trim_start_matches(['"', '\'']);
    let label: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    (!label.is_empty()).then_some(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_formats() {
        assert_eq!(
            sniff(b"{\"name\":\"x\",\"messages\":[]}", "result.json"),
            Format::Telegram
        );
        assert_eq!(
            sniff(b"[{\"post_title\":\"x\"}]", "posts.json"),
            Format::LeakSite
        );
        assert_eq!(sniff(b"<?xml version=\"1.0\"?><rss>", "feed"), Format::Rss);
        assert_eq!(
            sniff(b"<feed xmlns=\"http://www.w3.org/2005/Atom\">", "x"),
            Format::Atom
        );
        assert_eq!(sniff(b"<!doctype html><p>x", "x"), Format::Html);
        assert_eq!(sniff(b"From: a@b.c\nSubject: x\n\nbody", "x"), Format::Eml);
        assert_eq!(sniff(b"# Title\ntext", "post.md"), Format::Markdown);
        assert_eq!(sniff(b"Selling data", "post.txt"), Format::Text);
    }

    #[test]
    fn decodes_gbk_and_bom() {
        let (gbk, _, _) = encoding_rs::GBK.encode("出售用户数据一百万条，包含姓名和手机号。");
        assert!(decode(&gbk, false).contains("出售用户数据"));
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "data".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&utf16, false), "data");
    }
}
