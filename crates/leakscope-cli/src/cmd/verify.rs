//! `leakscope verify`: is this leak ours, is it real, and which customers and merchants are in it?

use super::index::{fail, RefArgs};
use crate::exit;
use leakscope_verify::index::Index;
use leakscope_verify::{
    dates, index_from_reference_with, verify_paths_with, write_outputs, RefSource, Verdict,
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
    /// The corpus breach this sample was added as: marked verified when the verdict is
    /// authentic, fabricated when it is fabricated (`leakscope corpus mark` does it by hand).
    #[arg(long, value_name = "NAME")]
    breach: Option<String>,
    /// PostgreSQL corpus (`postgres://…`) holding --breach, instead of the embedded one.
    #[arg(long, requires = "breach")]
    database: Option<String>,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
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
            let hashing = a.r.hashing()?;
            (Index::open(p, &hashing).map_err(fail)?, hashing)
        }
        None => {
            let hashing = a.r.hashing()?;
            let source = RefSource::parse(&a.reference, a.r.table.as_deref(), a.r.query.as_deref())
                .map_err(fail)?;
            let bar = crate::progress::for_reference(&source, a.quiet);
            let built = index_from_reference_with(
                &source,
                &hashing,
                &opts,
                bar.as_ref().map(|b| b.verify_hook()),
            );
            if let Some(b) = &bar {
                b.finish();
            }
            let (idx, warnings) = built.map_err(fail)?;
            warnings
                .iter()
                .for_each(|w| eprintln!("leakscope: warning: {}", crate::show::message(w)));
            (idx, hashing)
        }
    };
    let bar = crate::progress::reading(&a.samples, a.quiet);
    let vopts = VerifyOptions {
        map: opts,
        claimed_rows: a.claimed_rows,
        today,
        progress: bar.as_ref().map(|b| b.verify_hook()),
    };
    let out = verify_paths_with(&a.samples, &index, &hashing, &vopts, &a.read.options());
    if let Some(b) = &bar {
        b.finish();
    }
    let out = out.map_err(fail)?;
    for d in out
        .diagnostics
        .iter()
        .filter(|d| d.severity >= leakscope_formats::Severity::Warning)
    {
        eprintln!("leakscope: {}", crate::show::diagnostic_line(d));
    }
    let r = &out.report;
    if let Some(dir) = &a.out {
        write_outputs(dir, r, &out.affected).map_err(fail)?;
    }
    if a.json {
        outln!("{}", crate::show::json(r)?);
    } else {
        let v = match r.verdict {
            Verdict::Authentic => "AUTHENTIC",
            Verdict::Fabricated => "FABRICATED",
            Verdict::Unrelated => "UNRELATED",
            Verdict::Inconclusive => "INCONCLUSIVE",
        };
        outln!("verdict: {v} — {}", crate::show::message(&r.summary));
        outln!(
            "rows: {} sample, {} with identifiers, {} matched ({} consistent, {} partial, {} uncorroborated), {} unmatched; {} customers affected",
            r.sample_rows, r.informative_rows, r.matched_rows, r.consistent_rows, r.partial_rows, r.uncorroborated_rows, r.unmatched_rows, r.affected_customers
        );
        if let Some(n) = r.minimum_rows_needed {
            outln!("minimum sample rows needed: {n}");
        }
        for e in &r.evidence {
            outln!("  - {}", crate::show::message(e));
        }
        if !r.tenants.is_empty() {
            outln!("affected tenants ({}):", r.tenants.len());
            for t in r.tenants.iter().take(20) {
                outln!(
                    "  {}: {} customers ({} consistent), {} sample rows",
                    crate::show::name(&t.tenant),
                    t.customers,
                    t.consistent_customers,
                    t.rows
                );
            }
            if r.tenants.len() > 20 {
                outln!(
                    "  … and {} more (all in --json and in the --out merchant packs)",
                    r.tenants.len() - 20
                );
            }
        }
        if let Some(dir) = &a.out {
            outln!("outputs written to {}", dir.display());
        }
    }
    if let Some(name) = &a.breach {
        let authentic = r.verdict == Verdict::Authentic;
        if authentic || r.verdict == Verdict::Fabricated {
            let b = super::corpus::mark_after_verify(a.database.as_deref(), name, authentic)?;
            eprintln!(
                "leakscope: corpus breach `{}` marked {} (IsVerified {}, IsFabricated {})",
                b.name,
                if authentic { "verified" } else { "fabricated" },
                b.is_verified,
                b.is_fabricated
            );
        } else {
            eprintln!("leakscope: corpus breach `{name}` left as it is: the verdict is not authentic or fabricated");
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
