//! `leakscope scan`: profile a leak — classes per column, people, countries, record dates,
//! tenants, passwords and sensitivity — as a terminal summary, JSON, HTML or Markdown.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use leakscope_formats::ReadOptions;
use leakscope_profile::render::{self, HumanOptions};
use leakscope_profile::ScanProfile;
use leakscope_scan::{scan_paths_detailed, ScanOptions, ScanProgress};

use crate::exit;

/// Arguments of `leakscope scan`.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  leakscope scan seller-sample.xlsx                     what a seller's sample exposes
  leakscope scan dump.sql.gz --found-on 2026-11-28      how old the data is at discovery
  leakscope scan dump/ --html report.html --markdown ticket.md
  leakscope scan dump.csv --json > profile.json         for `leakscope obligations` and scripts
  zcat dump.csv.gz | leakscope scan -                   from a pipe

Values are masked in every output; `--reveal` shows raw values (and warns).
Exit codes: 0 usable profile, 1 nothing read (no row in any input; the reason is printed),
2 usage error, 3 partial (some inputs unreadable).")]
pub struct Args {
    /// Files, directories or archives to scan (`-` for stdin).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print the profile as JSON (schema `leakscope.scan/1`) instead of the summary.
    #[arg(long)]
    pub json: bool,
    /// Also write a self-contained HTML report to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Also write a Markdown report to FILE (for tickets).
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// Date the leak was discovered (YYYY-MM-DD): reports how old the data is.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub found_on: Option<String>,
    /// Show raw example values instead of masked ones (prints a warning).
    #[arg(long)]
    pub reveal: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Force the text encoding (e.g. `gbk`, `windows-1258`) instead of detecting it.
    #[arg(long, value_name = "E")]
    pub encoding: Option<String>,
    /// Password for encrypted archives.
    #[arg(long, value_name = "P")]
    pub password: Option<String>,
    /// Rows per table sampled to decide each column's class.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub sample_rows: usize,
    /// Worker threads (0 = one per core).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
}

/// Runs the verb.
pub fn run(args: Args) -> anyhow::Result<i32> {
    if args.reveal {
        eprintln!(
            "leakscope: warning: --reveal: raw values from the leak will appear in the output; \
             handle it as the stolen data it is"
        );
    }
    let read = ReadOptions {
        encoding: args.encoding.clone(),
        password: args.password.clone(),
        ..ReadOptions::default()
    };
    let bar = if !args.quiet && std::io::stderr().is_terminal() {
        Some(progress_bar(total_bytes(&args.paths)))
    } else {
        None
    };
    let opts = ScanOptions {
        sample_rows: args.sample_rows.max(1),
        found_on: args.found_on.clone(),
        reveal: args.reveal,
        threads: args.threads,
        progress: bar.clone().map(progress_hook),
        ..ScanOptions::default()
    };
    let started = Instant::now();
    let mut outcome = scan_paths_detailed(&args.paths, &read, &opts).map_err(|e| {
        let code = match e {
            leakscope_scan::ScanError::InvalidFoundOn(_) => exit::USAGE,
            _ => exit::FAILURE,
        };
        exit::with_code(code, e.to_string())
    })?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let profile = &outcome.profile;
    print_diagnostics(profile);
    // No row read from any input (whatever the format): the profile still renders, saying
    // "nothing read" and why, and the exit code says the result is not usable.
    let nothing = leakscope_scan::empty::nothing_read(profile);
    if let Some(path) = &args.html {
        write_file(path, &render::html(profile, &[]))?;
    }
    if let Some(path) = &args.markdown {
        write_file(path, &render::markdown(profile))?;
    }
    let rows = profile.rows;
    if args.json {
        leakscope_profile::write_json(&mut outcome.profile, &mut std::io::stdout().lock())
            .context("cannot write the profile")?;
    } else {
        print!("{}", summary(profile));
    }
    if let Some(why) = nothing {
        return Err(exit::with_code(
            exit::FAILURE,
            format!("nothing read: {why}"),
        ));
    }
    if !args.quiet {
        let secs = started.elapsed().as_secs_f64();
        eprintln!(
            "leakscope: scanned {rows} rows in {:.1}s ({:.0} rows/s)",
            secs,
            rows as f64 / secs.max(1e-9)
        );
    }
    Ok(if outcome.read.sources_failed > 0 {
        exit::PARTIAL
    } else {
        exit::OK
    })
}

/// The human summary (the report helper's renderer), coloured when stdout is a terminal.
fn summary(profile: &ScanProfile) -> String {
    let tty = std::io::stdout().is_terminal();
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100);
    render::human(
        profile,
        &HumanOptions {
            color: tty && std::env::var_os("NO_COLOR").is_none(),
            width,
        },
    )
}

fn write_file(path: &Path, text: &str) -> anyhow::Result<()> {
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
}

/// Bytes stored under the paths (files, directories walked); 0 when unknown (stdin).
fn total_bytes(paths: &[PathBuf]) -> u64 {
    fn walk(p: &Path, depth: u32) -> u64 {
        let Ok(meta) = std::fs::metadata(p) else {
            return 0;
        };
        if meta.is_file() {
            return meta.len();
        }
        if !meta.is_dir() || depth > 32 {
            return 0;
        }
        std::fs::read_dir(p)
            .map(|rd| rd.flatten().map(|e| walk(&e.path(), depth + 1)).sum())
            .unwrap_or(0)
    }
    paths.iter().map(|p| walk(p, 0)).sum()
}

fn progress_bar(total: u64) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(total.max(1));
    let style = indicatif::ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {msg} ETA {eta}",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}

/// Maps engine progress onto the bar: position is the larger of finished sources' bytes and the
/// cell text seen (≈ bytes of a plain text file), never past the total, never backwards.
fn progress_hook(bar: indicatif::ProgressBar) -> leakscope_scan::ProgressFn {
    let started = Instant::now();
    Arc::new(move |p: &ScanProgress| {
        let total = bar.length().unwrap_or(1);
        let estimate = p
            .source_bytes_done
            .max((p.text_bytes + p.text_bytes / 10).min(total));
        if estimate > bar.position() {
            bar.set_position(estimate.min(total));
        }
        let rate = p.rows as f64 / started.elapsed().as_secs_f64().max(1e-3);
        bar.set_message(format!("{} rows, {:.0} rows/s", p.rows, rate));
    })
}

/// Diagnostics shown on the terminal per code; the rest are counted.
const SHOWN_PER_CODE: usize = 5;

/// Prints warnings and errors to stderr: the first few of each code, then one line per code
/// saying how many more the JSON document holds.
fn print_diagnostics(profile: &leakscope_profile::ScanProfile) {
    // Per code: entries printed, problems in all.
    let mut seen: Vec<(&str, usize, u64)> = Vec::new();
    for d in profile.diagnostics.iter().filter(|d| d.severity != "info") {
        let i = match seen.iter().position(|(c, _, _)| *c == d.code) {
            Some(i) => i,
            None => {
                seen.push((&d.code, 0, 0));
                seen.len() - 1
            }
        };
        let (_, shown, total) = &mut seen[i];
        *total += d.count;
        if *shown < SHOWN_PER_CODE && d.count == 1 {
            *shown += 1;
            eprintln!(
                "leakscope: {}: {}: {} ({})",
                d.severity, d.source, d.message, d.code
            );
        }
    }
    for (code, shown, total) in seen {
        if total > shown as u64 {
            eprintln!(
                "leakscope: … {} more `{code}` problems not shown here ({total} in all; `--json` lists the first {})",
                total - shown as u64,
                leakscope_scan::scanner::DIAGNOSTICS_KEPT_PER_CODE
            );
        }
    }
}
