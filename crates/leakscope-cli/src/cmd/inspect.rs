//! `leakscope inspect`: what a path holds — sources (format, encoding, bytes, compression chain),
//! tables, column headers, row counts and located warnings. Never prints cell values.

use crate::show;
use leakscope_formats::{
    Diagnostic, Flow, ReadSummary, RowBatch, Sink, SourceInfo, TableInfo, TableStats,
};
use serde::Serialize;
use std::path::PathBuf;

/// Arguments of `leakscope inspect`.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  leakscope inspect dump.zip                 members, formats, encodings, tables, row counts
  leakscope inspect exports/ --json          schema leakscope.inspect/1 (docs/schemas.md)
  leakscope inspect big.7z --password s3cret --max-expanded-bytes 200GB
  zcat dump.sql.gz | leakscope inspect -

Never prints cell values; names that are themselves identifiers are masked.
Exit codes: 0 read, 1 nothing readable, 2 usage error, 3 some inputs unreadable.")]
pub struct Args {
    /// Files, directories (walked recursively) or `-` for stdin.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Print JSON (`"schema": "leakscope.inspect/1"`) instead of text.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub read: super::read_args::ReadArgs,
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
            // Headers may have grown while the table was read (late JSON keys).
            r.headers.clone_from(&t.headers);
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
    let opts = args.read.options();
    let mut c = Collector::default();
    let summary = leakscope_formats::read_paths(&args.paths, &opts, &mut c);
    let code = exit_code(&summary);
    let report = masked(Report {
        schema: "leakscope.inspect/1",
        sources: c.sources,
        diagnostics: c.other,
        summary,
    });
    let why = (report.summary.rows == 0).then(|| nothing_read_why(&report));
    if args.json {
        outln!("{}", crate::show::json(&report)?);
    } else {
        out!("{}", human(&report));
    }
    if let Some(why) = why {
        eprintln!("leakscope: error: nothing read: {why}");
    }
    Ok(code)
}

/// The report with identifiers in every name masked: a header, table or member name may itself
/// be an e-mail or phone number (`{"an@x.vn": {...}}`).
fn masked(mut r: Report) -> Report {
    let m = |s: &str| leakscope_text::mask_identifiers(s).into_owned();
    for s in &mut r.sources {
        s.info.path = m(&s.info.path);
        for t in &mut s.tables {
            t.name = m(&t.name);
            t.headers = t.headers.iter().map(|h| m(h)).collect();
        }
        s.diagnostics = s.diagnostics.iter().map(show::masked_diagnostic).collect();
    }
    r.diagnostics = r.diagnostics.iter().map(show::masked_diagnostic).collect();
    r
}

/// Why no row was read: the first errors and warnings of the read.
fn nothing_read_why(c: &Report) -> String {
    use leakscope_formats::Severity;
    let all = c
        .sources
        .iter()
        .flat_map(|s| &s.diagnostics)
        .chain(&c.diagnostics);
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

fn diag_line(d: &Diagnostic, with_source: bool) -> String {
    let mut loc = Vec::new();
    if with_source {
        loc.push(show::name(&d.source));
    }
    if let Some(t) = &d.table {
        loc.push(format!("table {}", show::name(t)));
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
        show::severity(d.severity),
        show::name(&d.code),
        at,
        show::message(&d.message),
        skipped
    )
}

/// The human-readable report.
fn human(r: &Report) -> String {
    let mut out = String::new();
    for s in &r.sources {
        out.push_str(&format!("{}\n", show::name(&s.info.path)));
        let chain = if s.info.compression.is_empty() {
            "none".to_string()
        } else {
            show::name(&s.info.compression.join(" > "))
        };
        out.push_str(&format!(
            "  format {}, encoding {}, {} bytes, compression {}\n",
            show::name(&s.info.format),
            show::name(s.info.encoding.as_deref().unwrap_or("-")),
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
                "  table \"{}\": {} columns ({hdr}), {} rows read, {} skipped\n",
                show::name(&t.name),
                t.headers.len(),
                t.rows,
                t.rows_skipped
            ));
            let headers: Vec<String> = t.headers.iter().map(|h| show::name(h)).collect();
            out.push_str(&format!("    columns: {}\n", headers.join(", ")));
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
