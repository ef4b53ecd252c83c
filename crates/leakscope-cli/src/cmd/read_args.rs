//! The reading options every verb that reads leaks accepts (`inspect`, `scan`, `corpus add`,
//! `verify`): encoding, password and the limits that keep hostile inputs bounded.

use leakscope_formats::ReadOptions;

/// How to read the inputs (one definition for every verb; see `docs/formats.md`).
#[derive(clap::Args, Debug, Clone, Default)]
#[command(next_help_heading = "Reading")]
pub struct ReadArgs {
    /// Force the text encoding (e.g. `gbk`, `utf-16le`, `windows-1258`) instead of detecting it.
    #[arg(long, value_name = "E")]
    pub encoding: Option<String>,
    /// Password for encrypted zip/7z archives.
    #[arg(long, value_name = "P")]
    pub password: Option<String>,
    /// Stop decompressing an input past this many bytes in total (default 64 GiB).
    #[arg(long, value_name = "N")]
    pub max_expanded_bytes: Option<u64>,
    /// Treat a stream (or a whole input) expanding more than N times its compressed size as a
    /// decompression bomb, once past 64 MiB (default 1000).
    #[arg(long, value_name = "N")]
    pub max_ratio: Option<u64>,
    /// Archives and compression nested deeper than this are not opened (default 8).
    #[arg(long, value_name = "N")]
    pub max_depth: Option<u32>,
    /// A record (CSV row, SQL tuple, JSON/BSON document, spreadsheet row) larger than this is
    /// skipped and reported (default 64 MiB).
    #[arg(long, value_name = "BYTES")]
    pub max_record_bytes: Option<usize>,
    /// Columns per table at most; values of further JSON keys, spreadsheet columns or
    /// delimited fields are counted and reported (default 4096).
    #[arg(long, value_name = "N")]
    pub max_columns: Option<usize>,
}

impl ReadArgs {
    /// The reader's options with these arguments applied.
    pub fn options(&self) -> ReadOptions {
        let mut o = ReadOptions {
            encoding: self.encoding.clone(),
            password: self.password.clone(),
            ..ReadOptions::default()
        };
        if let Some(n) = self.max_expanded_bytes {
            o.max_expanded_bytes = n;
        }
        if let Some(n) = self.max_ratio {
            o.max_expansion_ratio = n.max(1);
        }
        if let Some(n) = self.max_depth {
            o.max_depth = n;
        }
        if let Some(n) = self.max_record_bytes {
            o.max_record_bytes = n.max(1);
        }
        if let Some(n) = self.max_columns {
            o.max_columns = n.max(1);
        }
        o
    }
}
