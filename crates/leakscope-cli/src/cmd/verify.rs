//! `leakscope verify`: is this leak ours, is it real, and which customers and merchants are in it?

use super::index::{fail, RefArgs};
use crate::exit;
use leakscope_verify::index::Index;
use leakscope_verify::{
    dates, index_from_reference, verify_paths_with, write_outputs, RefSource, Verdict,
    VerifyOptions,
};
use std::path::PathBuf;

/// Arguments of `leakscope verify`.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  leakscope verify sample.xlsx --reference customers.csv
  leakscope verify sample.csv --reference postgres://ro@db/shop --table public.customers
  leakscope index build sqlite://crm.db --table customers --out crm.idx   (read the reference once)
  leakscope verify dump.sql --index crm.idx --claimed-rows 1100000 --out response/

Verdicts: authentic, fabricated (real identifiers in combinations that are not), unrelated,
inconclusive (with the rows needed). `--out` writes verify.json, the affected customer ids
and one notification pack per merchant; nothing leaves that you did not already hold.")]
pub struct Args {
    /// Sample or dump files (any supported format).
    #[arg(required = true)]
    samples: Vec<PathBuf>,
    /// Reference to match against: files, or one postgres://… / sqlite://… URL (read-only).
    #[arg(long, conflicts_with = "index", required_unless_present = "index")]
    reference: Vec<String>,
    /// A reference index built with `leakscope index build`.
    #[arg(long)]
    index: Option<PathBuf>,
    /// Rows the leaker claims to hold, for extrapolation.
    #[arg(long)]
    claimed_rows: Option<u64>,
    /// Write verify.json, affected_customers.csv and merchants/ here.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Print verify.json to stdout instead of the summary.
    #[arg(long)]
    json: bool,
    /// Day of the analysis (YYYY-MM-DD; default today).
    #[arg(long)]
    today: Option<String>,
    #[command(flatten)]
    r: Box<RefArgs>,
    #[command(flatten)]
    read: super::read_args::ReadArgs,
}

/// Runs the verb.
pub fn run(a: Args) -> anyhow::Result<i32> {
    let today = match &a.today {
        Some(t) => Some(dates::parse_day(t).ok_or_else(|| {
            exit::with_code(
                exit::USAGE,
                format!("--today `{t}` is not a date (YYYY-MM-DD)"),
            )
        })?),
        None => None,
    };
    let opts = a.r.map_options().map_err(fail)?;
    let (index, hashing) = match &a.index {
        Some(p) => {
            let hashing = a.r.hashing(false)?;
            (Index::open(p, &hashing).map_err(fail)?, hashing)
        }
        None => {
            let hashing = a.r.hashing(true)?;
            let source = RefSource::parse(&a.reference, a.r.table.as_deref(), a.r.query.as_deref())
                .map_err(fail)?;
            let (idx, warnings) = index_from_reference(&source, &hashing, &opts).map_err(fail)?;
            warnings
                .iter()
                .for_each(|w| eprintln!("leakscope: warning: {w}"));
            (idx, hashing)
        }
    };
    let vopts = VerifyOptions {
        map: opts,
        claimed_rows: a.claimed_rows,
        today,
    };
    let out =
        verify_paths_with(&a.samples, &index, &hashing, &vopts, &a.read.options()).map_err(fail)?;
    for d in out
        .diagnostics
        .iter()
        .filter(|d| d.severity >= leakscope_formats::Severity::Warning)
    {
        eprintln!(
            "leakscope: {:?}: {}: {} ({})",
            d.severity, d.source, d.message, d.code
        );
    }
    let r = &out.report;
    if let Some(dir) = &a.out {
        write_outputs(dir, r, &out.affected).map_err(fail)?;
    }
    if a.json {
        println!("{}", serde_json::to_string_pretty(r)?);
    } else {
        let v = match r.verdict {
            Verdict::Authentic => "AUTHENTIC",
            Verdict::Fabricated => "FABRICATED",
            Verdict::Unrelated => "UNRELATED",
            Verdict::Inconclusive => "INCONCLUSIVE",
        };
        println!("verdict: {v} — {}", r.summary);
        println!(
            "rows: {} sample, {} with identifiers, {} matched ({} consistent, {} partial, {} uncorroborated), {} unmatched; {} customers affected",
            r.sample_rows, r.informative_rows, r.matched_rows, r.consistent_rows, r.partial_rows, r.uncorroborated_rows, r.unmatched_rows, r.affected_customers
        );
        if let Some(n) = r.minimum_rows_needed {
            println!("minimum sample rows needed: {n}");
        }
        for e in &r.evidence {
            println!("  - {e}");
        }
        if !r.tenants.is_empty() {
            println!("affected tenants ({}):", r.tenants.len());
            for t in r.tenants.iter().take(20) {
                println!(
                    "  {}: {} customers ({} consistent), {} sample rows",
                    t.tenant, t.customers, t.consistent_customers, t.rows
                );
            }
            if r.tenants.len() > 20 {
                println!(
                    "  … and {} more (all in --json and in the --out merchant packs)",
                    r.tenants.len() - 20
                );
            }
        }
        if let Some(dir) = &a.out {
            println!("outputs written to {}", dir.display());
        }
    }
    Ok(
        if out
            .diagnostics
            .iter()
            .any(|d| d.severity == leakscope_formats::Severity::Error)
        {
            exit::PARTIAL
        } else {
            exit::OK
        },
    )
}
