//! `leakscope scan`: profile a leak — classes per column, people, countries, record dates,
//! tenants, passwords and sensitivity — as a terminal summary, JSON, HTML or Markdown.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use leakscope_profile::render::{self, HumanOptions};
use leakscope_profile::ScanProfile;
use leakscope_scan::{scan_paths_detailed, ScanOptions, ScanProgress};

use crate::{exit, show};

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
    /// Also write a self-contained HTML report to FILE (`-`: standard output), with the
    /// notification obligations under the built-in rules and the nearest deadline.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Also write a Markdown report to FILE (`-`: standard output), for tickets; with the
    /// obligations and the nearest deadline.
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
    /// Rows per table sampled to decide each column's class.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub sample_rows: usize,
    /// Worker threads (0 = one per core).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub threads: usize,
    #[command(flatten)]
    pub read: super::read_args::ReadArgs,
}

/// Runs the verb.
pub fn run(args: Args) -> anyhow::Result<i32> {
    let stdout = |p: &Option<PathBuf>| p.as_deref() == Some(Path::new("-"));
    let to_stdout = [args.json, stdout(&args.html), stdout(&args.markdown)];
    if to_stdout.iter().filter(|x| **x).count() > 1 {
        return Err(exit::with_code(
            exit::USAGE,
            "only one of --json, --html - and --markdown - can write to standard output",
        ));
    }
    if args.reveal {
        eprintln!(
            "leakscope: warning: --reveal: raw values from the leak will appear in the output; \
             handle it as the stolen data it is"
        );
    }
    let read = args.read.options();
    let bar = crate::progress::reading(&args.paths, args.quiet);
    let opts = ScanOptions {
        sample_rows: args.sample_rows.max(1),
        found_on: args.found_on.clone(),
        reveal: args.reveal,
        threads: args.threads,
        progress: bar.clone().map(|b| -> leakscope_scan::ProgressFn {
            Arc::new(move |p: &ScanProgress| b.update(p.source_bytes_done, p.text_bytes, p.rows))
        }),
        ..ScanOptions::default()
    };
    let started = Instant::now();
    let outcome = scan_paths_detailed(&args.paths, &read, &opts).map_err(|e| {
        let code = match e {
            leakscope_scan::ScanError::InvalidFoundOn(_) => exit::USAGE,
            _ => exit::FAILURE,
        };
        exit::with_code(code, e.to_string())
    })?;
    if let Some(b) = &bar {
        b.finish();
    }
    let profile = &outcome.profile;
    print_diagnostics(profile);
    // No row read from any input (whatever the format): the profile still renders, saying
    // "nothing read" and why, and the exit code says the result is not usable.
    let nothing = leakscope_scan::empty::nothing_read(profile);
    let extras = if args.html.is_some() || args.markdown.is_some() {
        super::obligations::report_extras_for(profile)?
    } else {
        render::Extras::default()
    };
    if let Some(path) = &args.html {
        emit(path, &render::html_report(profile, &extras))?;
    }
    if let Some(path) = &args.markdown {
        emit(path, &render::markdown_report(profile, &extras))?;
    }
    let rows = profile.rows;
    let failed = outcome.read.sources_failed;
    if args.json {
        // Streamed (masked in place): a profile of 200,000 tables is never copied or built as
        // one string.
        render::write_json(outcome.profile, &mut crate::out::stdout())?;
    } else if !to_stdout.contains(&true) {
        out!("{}", summary(profile));
    }
    if let Some(why) = nothing {
        return Err(exit::with_code(
            exit::FAILURE,
            format!("nothing read: {}", leakscope_text::mask_identifiers(&why)),
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
    Ok(if failed > 0 { exit::PARTIAL } else { exit::OK })
}

/// The human summary, coloured when stdout takes colour (`--color`), as wide as the terminal.
fn summary(profile: &ScanProfile) -> String {
    render::human(
        profile,
        &HumanOptions {
            color: crate::out::color_stdout(),
            width: crate::out::width(),
        },
    )
}

/// Writes a report to FILE, or to standard output for `-`.
fn emit(path: &Path, text: &str) -> anyhow::Result<()> {
    if path == Path::new("-") {
        out!("{text}");
        return Ok(());
    }
    std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
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
                show::name(&d.severity),
                show::name(&d.source),
                show::message(&d.message),
                show::name(&d.code)
            );
        }
    }
    for (code, shown, total) in seen {
        if total > shown as u64 {
            eprintln!(
                "leakscope: … {} more `{}` problems not shown here ({total} in all; `--json` lists the first {})",
                total - shown as u64,
                show::name(code),
                leakscope_scan::scanner::DIAGNOSTICS_KEPT_PER_CODE
            );
        }
    }
}
