//! Delimited text in UTF-8, UTF-8 with BOM, GB18030 or UTF-16LE.

use std::io::{self, Write};

use crate::SynthTable;

/// Text encoding of a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    /// UTF-8 without BOM.
    Utf8,
    /// UTF-8 with a byte-order mark.
    Utf8Bom,
    /// GB18030 (superset of GBK), as Chinese Excel exports use.
    Gb18030,
    /// UTF-16 little-endian with BOM (Excel "Unicode text").
    Utf16Le,
}

impl TextEncoding {
    /// Id used in file names and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf8",
            TextEncoding::Utf8Bom => "utf8-bom",
            TextEncoding::Gb18030 => "gb18030",
            TextEncoding::Utf16Le => "utf16le",
        }
    }
}

impl std::str::FromStr for TextEncoding {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().replace('_', "-").as_str() {
            "utf8" | "utf-8" => Ok(TextEncoding::Utf8),
            "utf8-bom" | "utf-8-bom" => Ok(TextEncoding::Utf8Bom),
            "gb18030" | "gbk" => Ok(TextEncoding::Gb18030),
            "utf16le" | "utf-16le" | "utf-16" => Ok(TextEncoding::Utf16Le),
            _ => Err(format!("unknown encoding `{s}` (expected utf8, utf8-bom, gb18030, utf16le)")),
        }
    }
}

/// CSV writing options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvOptions {
    /// Field delimiter: `,` `;` `\t` or `|`.
    pub delimiter: u8,
    /// Header row: `None` = when the table has headers.
    pub header: Option<bool>,
    /// Output encoding.
    pub encoding: TextEncoding,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions { delimiter: b',', header: None, encoding: TextEncoding::Utf8 }
    }
}

/// Appends one field, quoted when it contains the delimiter, a quote or a line break.
pub(crate) fn push_field(out: &mut String, v: &str, delim: u8) {
    let needs = v.bytes().any(|b| b == delim || b == b'"' || b == b'\n' || b == b'\r')
        || v.starts_with(' ')
        || v.ends_with(' ');
    if needs {
        out.push('"');
        out.push_str(&v.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(v);
    }
}

/// Encodes UTF-8 text into `enc` and writes it.
pub(crate) fn write_encoded(w: &mut dyn Write, text: &str, enc: TextEncoding) -> io::Result<()> {
    match enc {
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => w.write_all(text.as_bytes()),
        TextEncoding::Gb18030 => {
            let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
            if unmappable {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "text not representable in GB18030"));
            }
            w.write_all(&bytes)
        }
        TextEncoding::Utf16Le => {
            let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
            w.write_all(&bytes)
        }
    }
}

/// Writes `table` as delimited text.
pub fn write_csv(table: &SynthTable, opts: &CsvOptions, w: &mut dyn Write) -> io::Result<()> {
    match opts.encoding {
        TextEncoding::Utf8Bom => w.write_all(b"\xEF\xBB\xBF")?,
        TextEncoding::Utf16Le => w.write_all(b"\xFF\xFE")?,
        _ => {}
    }
    let d = opts.delimiter;
    let mut buf = String::with_capacity(1 << 16);
    let line = |cells: &mut dyn Iterator<Item = &str>, buf: &mut String| {
        for (i, v) in cells.enumerate() {
            if i > 0 {
                buf.push(d as char);
            }
            push_field(buf, v, d);
        }
        buf.push_str("\r\n");
    };
    if opts.header.unwrap_or_else(|| table.has_header()) {
        let names: Vec<String> = (0..table.columns.len()).map(|i| table.column_name(i)).collect();
        line(&mut names.iter().map(String::as_str), &mut buf);
    }
    for row in &table.rows {
        line(&mut row.iter().map(String::as_str), &mut buf);
        if buf.len() > 60_000 {
            write_encoded(w, &buf, opts.encoding)?;
            buf.clear();
        }
    }
    write_encoded(w, &buf, opts.encoding)
}
