//! `leakscope demo`: writes three synthetic leaks — a Vietnamese shop platform (CSV), Chinese
//! transactions (GB18030 CSV) and Singapore grocery accounts (a MySQL dump) — plus a seller's
//! "Excel sample", scans each, writes HTML/Markdown reports, and prints the summary of the whole
//! bundle with the notification obligations it triggers. Each leak also becomes a case opened
//! from a forum post, verified against the organisation's own customers, with its advisory,
//! STIX 2.1 and MISP exports (`demo_cases`).
//!
//! Everything is generated from a fixed seed, so the figures are the same on every machine and
//! are checked against the generator's ground truth as they are printed.

use std::path::{Path, PathBuf};

use anyhow::Context;
use leakscope_formats::ReadOptions;
use leakscope_profile::render::{self, Extras, HumanOptions};
use leakscope_profile::ScanProfile;
use leakscope_scan::{scan_paths, ScanOptions};
use leakscope_synth::write::{write_dataset, CsvOptions, Format, TextEncoding};
use leakscope_synth::{generate, Dataset, Flavour, GenOptions, HeaderStyle};

use crate::exit;

/// Arguments of `leakscope demo`.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  leakscope demo                              leakscope-demo/: three leaks, report.html, drafts
  leakscope demo --rows 2000 --out /tmp/d     smaller and elsewhere
  leakscope demo --json                       the combined profile (leakscope.scan/1)
  leakscope demo --serve                      then serve it: the web app on http://127.0.0.1:8080/

Everything is synthetic (deterministic seed): no real person's data is involved.")]
pub struct Args {
    /// Directory to write the demo leaks and reports into (replaced if it holds an earlier demo).
    #[arg(long, default_value = "leakscope-demo")]
    pub out: PathBuf,
    /// Rows of each leak's main table.
    #[arg(long, default_value_t = 20_000)]
    pub rows: usize,
    /// Generator seed (same seed, same files).
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Print the combined profile as JSON (`leakscope.scan/1`) instead of the summary.
    #[arg(long)]
    pub json: bool,
    /// No progress messages.
    #[arg(long, short)]
    pub quiet: bool,
    /// Then serve the demo with the web app (and the API) until interrupted: an `admin` user is
    /// created and its password printed once.
    #[arg(long)]
    pub serve: bool,
    /// Address of `--serve`, HOST:PORT.
    #[arg(
        long,
        default_value = "127.0.0.1:8080",
        value_name = "HOST:PORT",
        requires = "serve"
    )]
    pub listen: String,
}

/// How each flavour is "posted" in the demo.
fn layout(flavour: Flavour) -> Vec<Format> {
    match flavour {
        Flavour::VnShop => vec![Format::Csv(CsvOptions::default())],
        Flavour::CnTransactions => vec![Format::Csv(CsvOptions {
            encoding: TextEncoding::Gb18030,
            ..CsvOptions::default()
        })],
        Flavour::SgGrocery => vec![Format::MysqlDump],
    }
}

/// Runs the verb.
pub fn run(args: Args) -> anyhow::Result<i32> {
    let say = |msg: &str| {
        if !args.quiet {
            eprintln!("leakscope demo: {msg}");
        }
    };
    prepare_dir(&args.out)?;
    let leaks_dir = args.out.join("leaks");
    let mut per_flavour = Vec::new();
    for flavour in Flavour::ALL {
        let opts = GenOptions {
            rows: args.rows,
            seed: args.seed,
            headers: HeaderStyle::Native,
            adversarial: true,
        };
        let dataset = generate(flavour, &opts);
        let dir = leaks_dir.join(flavour.id());
        std::fs::create_dir_all(&dir)?;
        let files = write_dataset(&dataset, &dir, &layout(flavour))
            .with_context(|| format!("writing the {flavour} demo leak"))?;
        say(&format!(
            "wrote {} ({} file(s))",
            dir.display(),
            files.len()
        ));
        per_flavour.push((flavour, dataset, dir));
    }
    // The seller's "Excel sample" of the VN platform: a few hundred rows in a workbook.
    let sample = generate(
        Flavour::VnShop,
        &GenOptions {
            rows: 300,
            seed: args.seed ^ 0x5a5a,
            headers: HeaderStyle::English,
            adversarial: false,
        },
    );
    let sample_dir = args.out.join("seller-sample");
    std::fs::create_dir_all(&sample_dir)?;
    write_dataset(&sample, &sample_dir, &[Format::Xlsx])?;

    let scan_opts = |found: &str| ScanOptions {
        found_on: Some(found.to_string()),
        ..ScanOptions::default()
    };
    let read = ReadOptions::default();
    let found_on = today();
    let mut lines = Vec::new();
    for (flavour, dataset, dir) in &per_flavour {
        say(&format!("scanning {}", dir.display()));
        let profile = scan_paths(std::slice::from_ref(dir), &read, &scan_opts(&found_on))
            .map_err(|e| anyhow::anyhow!("scanning {}: {e}", dir.display()))?;
        write_reports(
            &profile,
            &args.out.join(format!("report-{}", flavour.id())),
            &super::obligations::report_extras_for(&profile)?,
        )?;
        lines.push(truth_line(*flavour, dataset, &profile));
    }
    say("scanning the whole bundle");
    let all = scan_paths(
        &[leaks_dir.clone(), sample_dir],
        &read,
        &scan_opts(&found_on),
    )
    .map_err(|e| anyhow::anyhow!("scanning {}: {e}", leaks_dir.display()))?;
    let obligations = super::obligations::default_report(&all)?;
    let extras = leakscope_obligations::report_extras(&obligations);
    write_reports(&all, &args.out.join("report"), &extras)?;
    let cases = super::demo_cases::build(&args.out, &per_flavour, &say)?;

    if args.json {
        outln!("{}", render::json(&all));
        return Ok(exit::OK);
    }
    let color = crate::out::color_stdout();
    out!(
        "{}",
        render::human(
            &all,
            &HumanOptions {
                color,
                width: crate::out::width(),
            }
        )
    );
    outln!();
    outln!(
        "{}",
        leakscope_obligations::human_table_width(&obligations, color, crate::out::width())
    );
    outln!("Each leak against the generator's ground truth:");
    for l in lines {
        outln!("  {l}");
    }
    outln!();
    outln!(
        "Reports: {}/report.html (whole bundle, with obligations), report-<leak>.html per leak.",
        args.out.display()
    );
    outln!("Advisories (one case per leak, opened from a forum post, verified against the organisation's customers):");
    for c in &cases {
        outln!(
            "  case #{} {:<16} verdict {:<12} {} insights, {} mitigations → {}",
            c.case_id,
            c.flavour.id(),
            c.verdict,
            c.insights,
            c.mitigations,
            c.html.display()
        );
    }
    outln!(
        "  (each also as .md, .json, .stix.json, .misp.json; the cases: LEAKSCOPE_HOME={} leakscope case list)",
        args.out.display()
    );
    outln!(
        "Next: leakscope scan {} --html report.html",
        leaks_dir.join("vn-shop").display()
    );
    if args.serve {
        let password = super::demo_web::prepare(&args.out, &per_flavour, &say)?;
        return super::demo_web::serve(&args.out, &args.listen, &password);
    }
    Ok(exit::OK)
}

/// Refuses to clobber a directory that is not an earlier demo.
fn prepare_dir(out: &Path) -> anyhow::Result<()> {
    let marker = out.join(".leakscope-demo");
    if out.exists() {
        let empty = std::fs::read_dir(out)?.next().is_none();
        if !empty && !marker.exists() {
            return Err(exit::with_code(
                exit::USAGE,
                format!(
                    "{} exists and is not a leakscope demo directory; pass --out NEW_DIR",
                    out.display()
                ),
            ));
        }
        std::fs::remove_dir_all(out)?;
    }
    std::fs::create_dir_all(out)?;
    std::fs::write(&marker, "written by `leakscope demo`; safe to delete\n")?;
    Ok(())
}

fn write_reports(profile: &ScanProfile, stem: &Path, extras: &Extras) -> anyhow::Result<()> {
    std::fs::write(
        stem.with_extension("html"),
        render::html_report(profile, extras),
    )?;
    std::fs::write(
        stem.with_extension("md"),
        render::markdown_report(profile, extras),
    )?;
    std::fs::write(
        stem.with_extension("json"),
        leakscope_profile::json(profile),
    )?;
    Ok(())
}

fn truth_line(flavour: Flavour, dataset: &Dataset, p: &ScanProfile) -> String {
    let t = &dataset.truth;
    let people_err = if t.individuals == 0 {
        0.0
    } else {
        100.0 * (p.individuals.estimate as f64 - t.individuals as f64).abs() / t.individuals as f64
    };
    let tenants = match (t.tenants, &p.tenants) {
        (Some(tt), Some(pt)) => format!(", tenants {} (truth {tt})", pt.count),
        _ => String::new(),
    };
    format!(
        "{:<16} rows {} (truth {}), people {} (truth {}, {:.2}% off){}, newest {} (truth {})",
        flavour.id(),
        p.rows,
        t.rows,
        p.individuals.estimate,
        t.individuals,
        people_err,
        tenants,
        p.records
            .newest
            .as_deref()
            .map(|d| &d[..d.len().min(10)])
            .unwrap_or("-"),
        t.newest_record.as_deref().unwrap_or("-"),
    )
}

fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}
