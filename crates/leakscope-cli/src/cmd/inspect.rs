//! `leakscope inspect`: what a path holds — sources (format, encoding, bytes, compression chain),
//! tables, column headers, row counts and located warnings. Never prints cell values.

use leakscope_formats::{
    Diagnostic, Flow, ReadOptions, ReadSummary, RowBatch, Severity, Sink, SourceInfo, TableInfo,
    TableStats,
};
use serde::Serialize;
use std::path::PathBuf;

/// Arguments of `leakscope inspect`.
#[derive(clap::Args)]
pub struct Args {
    /// Files, directories (walked recursively) or `-` for stdin.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Print JSON (`"schema": "leakscope.inspect/1"`) instead of text.
    #[arg(long)]
    pub json: bool,
    /// Force the text encoding (e.g. `gbk`, `utf-16le`, `windows-1258`) instead of detecting it.
    #[arg(long, value_name = "E")]
    pub encoding: Option<String>,
    /// Password for encrypted zip/7z archives.
    #[arg(long, value_name = "P")]
    pub password: Option<String>,
    /// Stop decompressing past this many bytes in total per input (zip-bomb cap).
    #[arg(long, value_name = "N")]
    pub max_expanded_bytes: Option<u64>,
    /// Treat a stream expanding more than N times (past 64 MiB) as a decompression bomb.
    #[arg(long, value_name = "N")]
    pub max_ratio: Option<u64>,
}

/// One table in the report.
#[derive(Serialize)]
struct TableReport {
    id: u32,
    name: String,
    headers: Vec<String>,
    has_header_row: bool,
    rows: u64,
    rows_skipped: u64,
}

/// One source in the report.
#[derive(Serialize)]
struct SourceReport {
    #[serde(flatten)]
    info: SourceInfo,
    tables: Vec<TableReport>,
    diagnostics: Vec<Diagnostic>,
}

/// The whole report (`leakscope.inspect/1`).
#[derive(Serialize)]
struct Report {
    schema: &'static str,
    sources: Vec<SourceReport>,
    /// Diagnostics not tied to a source that was opened (skipped symlinks, archive-level damage).
    diagnostics: Vec<Diagnostic>,
    summary: ReadSummary,
}

/// Collects sources, tables and diagnostics; counts rows without keeping them.
#[derive(Default)]
struct Collector {
    sources: Vec<SourceReport>,
    other: Vec<Diagnostic>,
    /// Where each table id is: (source, table) indexes (a dump may hold 200,000 tables).
    tables: std::collections::HashMap<u32, (usize, usize)>,
}

impl Collector {
    fn table_mut(&mut self, id: u32) -> Option<&mut TableReport> {
        let &(s, t) = self.tables.get(&id)?;
        self.sources.get_mut(s)?.tables.get_mut(t)
    }
}

impl Sink for Collector {
    fn begin_source(&mut self, s: &SourceInfo) {
        self.sources.push(SourceReport {
            info: s.clone(),
            tables: Vec::new(),
            diagnostics: Vec::new(),
        });
    }
    fn begin_table(&mut self, t: &TableInfo) {
        if let Some((i, s)) = self
            .sources
            .iter_mut()
            .enumerate()
            .rev()
            .find(|(_, s)| s.info.path == t.source)
        {
            self.tables.insert(t.id, (i, s.tables.len()));
            s.tables.push(TableReport {
                id: t.id,
                name: t.name.clone(),
                headers: t.headers.clone(),
                has_header_row: t.has_header_row,
                rows: 0,
                rows_skipped: 0,
            });
        }
    }
    fn rows(&mut self, t: &TableInfo, b: RowBatch) -> Flow {
        if let Some(r) = self.table_mut(t.id) {
            r.rows += b.len() as u64;
        }
        Flow::Continue
    }
    fn end_table(&mut self, t: &TableInfo, stats: &TableStats) {
        if let Some(r) = self.table_mut(t.id) {
            r.rows = stats.rows;
            r.rows_skipped = stats.rows_skipped;
        }
    }
    fn diagnostic(&mut self, d: &Diagnostic) {
        match self
            .sources
            .iter_mut()
            .rev()
            .find(|s| s.info.path == d.source)
        {
            Some(s) => s.diagnostics.push(d.clone()),
            None => self.other.push(d.clone()),
        }
    }
}

/// Runs the verb.
pub fn run(args: Args) -> anyhow::Result<i32> {
    let mut opts = ReadOptions {
        encoding: args.encoding,
        password: args.password,
        ..ReadOptions::default()
    };
    if let Some(n) = args.max_expanded_bytes {
        opts.max_expanded_bytes = n;
    }
    if let Some(n) = args.max_ratio {
        opts.max_expansion_ratio = n;
    }
    let mut c = Collector::default();
    let summary = leakscope_formats::read_paths(&args.paths, &opts, &mut c);
    let code = exit_code(&summary);
    let why = (summary.rows == 0).then(|| nothing_read_why(&c));
    let report = Report {
        schema: "leakscope.inspect/1",
        sources: c.sources,
        diagnostics: c.other,
        summary,
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", human(&report));
    }
    if let Some(why) = why {
        eprintln!("leakscope: error: nothing read: {why}");
    }
    Ok(code)
}

/// Why no row was read: the first errors and warnings of the read.
fn nothing_read_why(c: &Collector) -> String {
    let all = c
        .sources
        .iter()
        .flat_map(|s| &s.diagnostics)
        .chain(&c.other);
    let mut quoted: Vec<String> = all
        .clone()
        .filter(|d| d.severity == Severity::Error)
        .chain(all.filter(|d| d.severity == Severity::Warning))
        .take(3)
        .map(|d| format!("{}: {} ({})", d.source, d.message, d.code))
        .collect();
    if quoted.is_empty() {
        quoted.push(if c.sources.is_empty() {
            "no input was found".to_string()
        } else {
            "the inputs hold no data rows (empty, or a header without rows)".to_string()
        });
    }
    quoted.join("; ")
}

/// 0 when rows were read and nothing failed, 3 when some sources failed, 1 when no row could be
/// read from any input (nothing failing is not enough: a schema-only dump reads no row).
fn exit_code(s: &ReadSummary) -> i32 {
    if s.sources == 0 || s.sources_failed >= s.sources || s.rows == 0 {
        crate::exit::FAILURE
    } else if s.sources_failed > 0 {
        crate::exit::PARTIAL
    } else {
        crate::exit::OK
    }
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

fn diag_line(d: &Diagnostic, with_source: bool) -> String {
    let mut loc = Vec::new();
    if with_source {
        loc.push(d.source.clone());
    }
    if let Some(t) = &d.table {
        loc.push(format!("table {t}"));
    }
    if let Some(l) = d.line {
        loc.push(format!("line {l}"));
    }
    if let Some(o) = d.offset {
        loc.push(format!("byte {o}"));
    }
    let skipped = if d.rows_skipped > 0 {
        format!(" ({} rows skipped)", d.rows_skipped)
    } else {
        String::new()
    };
    let at = if loc.is_empty() {
        String::new()
    } else {
        format!(" [{}]", loc.join(", "))
    };
    format!(
        "{} {}{}: {}{}",
        severity(d.severity),
        d.code,
        at,
        d.message,
        skipped
    )
}

/// The human-readable report.
fn human(r: &Report) -> String {
    let mut out = String::new();
    for s in &r.sources {
        out.push_str(&format!("{}\n", s.info.path));
        let chain = if s.info.compression.is_empty() {
            "none".to_string()
        } else {
            s.info.compression.join(" > ")
        };
        out.push_str(&format!(
            "  format {}, encoding {}, {} bytes, compression {}\n",
            s.info.format,
            s.info.encoding.as_deref().unwrap_or("-"),
            s.info.bytes,
            chain
        ));
        for t in &s.tables {
            let hdr = if t.has_header_row {
                "header row"
            } else {
                "no header row"
            };
            out.push_str(&format!(
                "  table {:?}: {} columns ({hdr}), {} rows read, {} skipped\n",
                t.name,
                t.headers.len(),
                t.rows,
                t.rows_skipped
            ));
            out.push_str(&format!("    columns: {}\n", t.headers.join(", ")));
        }
        for d in &s.diagnostics {
            out.push_str(&format!("  {}\n", diag_line(d, false)));
        }
    }
    for d in &r.diagnostics {
        out.push_str(&format!("{}\n", diag_line(d, true)));
    }
    let s = &r.summary;
    out.push_str(&format!(
        "total: {} sources ({} unreadable), {} tables, {} rows read, {} rows skipped\n",
        s.sources, s.sources_failed, s.tables, s.rows, s.rows_skipped
    ));
    out
}
