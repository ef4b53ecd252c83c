//! `leakscope index`: build (or incrementally update) a reference index of keyed hashes of the
//! organisation's customers, and show what an index holds.

use crate::exit;
use leakscope_verify::index::Index;
use leakscope_verify::{
    build_index, Hashing, IndexBuilder, MapOptions, RefSource, Since, VerifyError,
};
use std::path::PathBuf;

/// Arguments of `leakscope index`.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  leakscope index build customers.csv --out crm.idx
  leakscope index build sqlite://crm.db --table customers --out crm.idx
  leakscope index info crm.idx

Then: leakscope verify sample.csv --index crm.idx (see docs/verify.md).")]
pub struct Args {
    #[command(subcommand)]
    cmd: Sub,
}

#[derive(clap::Subcommand)]
enum Sub {
    /// Build an index from a reference (files, postgres://…, sqlite://…); with --since, merge
    /// customers updated since then into the existing --out index.
    Build(Box<BuildArgs>),
    /// Show an index's header (counts, source, secret fingerprint); no customer data.
    Info(InfoArgs),
}

/// Reference options shared by `index build` and `verify`.
#[derive(clap::Args, Clone, Default)]
pub struct RefArgs {
    /// Table to read from a database reference (`schema.table` allowed).
    #[arg(long)]
    pub table: Option<String>,
    /// Read-only SELECT to run against a database reference.
    #[arg(long)]
    pub query: Option<String>,
    /// Override a column's class: `COLUMN=CLASS` (email, phone, national_id, username, name,
    /// address, customer_id, tenant, updated, ignore). Repeatable.
    #[arg(long = "map", value_name = "COLUMN=CLASS")]
    pub map: Vec<String>,
    /// Column holding your customer id.
    #[arg(long)]
    pub id_column: Option<String>,
    /// Column holding the tenant / merchant id.
    #[arg(long)]
    pub tenant_column: Option<String>,
    /// Column holding the record's last-update date.
    #[arg(long)]
    pub updated_column: Option<String>,
    /// Country (ISO 3166 alpha-2) for phone numbers written without a country code.
    #[arg(long)]
    pub default_country: Option<String>,
    /// Secret key file (default: the installation secret in the data directory).
    #[arg(long)]
    pub secret: Option<PathBuf>,
}

impl RefArgs {
    /// Column mapping options.
    pub fn map_options(&self) -> Result<MapOptions, VerifyError> {
        let mut o = MapOptions {
            id_column: self.id_column.clone(),
            tenant_column: self.tenant_column.clone(),
            updated_column: self.updated_column.clone(),
            default_country: self.default_country.clone(),
            ..Default::default()
        };
        for m in &self.map {
            o.push_map(m)?;
        }
        Ok(o)
    }

    /// The secret: `--secret FILE`, else the data directory's (made by `leakscope init`; never
    /// created here).
    pub fn hashing(&self) -> anyhow::Result<Hashing> {
        let s = match &self.secret {
            Some(path) => leakscope_keys::open_secret_file(path),
            None => leakscope_keys::open_secret(&leakscope_keys::data_dir()),
        };
        s.map(Hashing::new)
            .map_err(|e| exit::with_code(exit::FAILURE, e.to_string()))
    }
}

#[derive(clap::Args)]
#[command(after_help = "Examples:
  leakscope index build customers.csv --out crm.idx
  leakscope index build postgres://ro@db/shop --table customers --updated-column updated_at \\
      --out crm.idx
  leakscope index build postgres://ro@db/shop --table customers --updated-column updated_at \\
      --since 2026-11-01 --out crm.idx      (merges recent changes into the existing index)

The index holds keyed hashes (HMAC-SHA256 with the local secret) of normalised identifiers,
customer ids and tenants: never names, e-mails or phone numbers.")]
struct BuildArgs {
    /// Reference: files, or one postgres://… / sqlite://… URL.
    #[arg(required = true)]
    reference: Vec<String>,
    /// Index file to write (replaced atomically).
    #[arg(long)]
    out: PathBuf,
    /// Only rows updated on or after this date (needs --updated-column); merges into --out.
    #[arg(long)]
    since: Option<String>,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
    #[command(flatten)]
    r: RefArgs,
}

#[derive(clap::Args)]
#[command(after_help = "Examples:
  leakscope index info crm.idx
  leakscope index info crm.idx --secret /secure/secret.key

Prints the header (counts, source, build day, secret fingerprint) as JSON; no customer data.")]
struct InfoArgs {
    /// Index file.
    index: PathBuf,
    /// Secret key file the index was built with.
    #[arg(long)]
    secret: Option<PathBuf>,
}

/// Maps a library error to an exit code.
pub fn fail(e: VerifyError) -> anyhow::Error {
    let code = if matches!(e, VerifyError::Usage(_)) {
        exit::USAGE
    } else {
        exit::FAILURE
    };
    exit::with_code(code, e.to_string())
}

/// Runs the verb.
pub fn run(args: Args) -> anyhow::Result<i32> {
    match args.cmd {
        Sub::Build(a) => build(*a),
        Sub::Info(a) => info(a),
    }
}

fn build(a: BuildArgs) -> anyhow::Result<i32> {
    let started = std::time::Instant::now();
    let hashing = a.r.hashing()?;
    let opts = a.r.map_options().map_err(fail)?;
    let source =
        RefSource::parse(&a.reference, a.r.table.as_deref(), a.r.query.as_deref()).map_err(fail)?;
    let since = match &a.since {
        None => None,
        Some(v) => {
            let column = a.r.updated_column.clone().ok_or_else(|| {
                exit::with_code(exit::USAGE, "--since needs --updated-column COLUMN")
            })?;
            if !a.out.exists() {
                return Err(exit::with_code(exit::USAGE, format!("--since updates an existing index, but {} does not exist; build it first without --since", a.out.display())));
            }
            Some(Since {
                column,
                value: v.clone(),
            })
        }
    };
    let existing = match &since {
        Some(_) => Some(Index::open(&a.out, &hashing).map_err(fail)?),
        None => None,
    };
    let mut builder = match (&existing, &since) {
        (Some(idx), Some(s)) => {
            IndexBuilder::incremental(idx, hashing.clone(), opts, &s.value).map_err(fail)?
        }
        _ => IndexBuilder::new(hashing.clone(), opts, &source.describe()),
    };
    // Sorted runs spill next to the output (same filesystem as the result, cleaned up after).
    if let Some(dir) = a.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        builder.set_temp_dir(dir);
    }
    let bar = crate::progress::for_reference(&source, a.quiet);
    builder.set_progress(bar.as_ref().map(|b| b.verify_hook()));
    let built = build_index(&source, since.as_ref(), builder);
    if let Some(b) = &bar {
        b.finish();
    }
    let builder = built.map_err(fail)?;
    for w in &builder.warnings {
        eprintln!("leakscope: warning: {}", crate::show::message(w));
    }
    let (size, stats) = builder.write_with_stats(&a.out).map_err(fail)?;
    drop(existing);
    let idx = Index::open(&a.out, &hashing).map_err(fail)?;
    let h = idx.header();
    outln!(
        "index {}: {} customers, {} identifiers, {} tenants, {} bytes ({:.1} bytes/identifier); {} rows read in {:.1}s{}",
        a.out.display(),
        h.customers,
        h.entries,
        h.tenants,
        size,
        size as f64 / h.entries.max(1) as f64,
        stats.rows,
        started.elapsed().as_secs_f64(),
        if since.is_some() { format!(" ({} customers replaced, {} added, {} rows older than --since)", stats.customers_replaced, stats.customers_added, stats.rows_before_since) } else { String::new() }
    );
    Ok(exit::OK)
}

fn info(a: InfoArgs) -> anyhow::Result<i32> {
    let r = RefArgs {
        secret: a.secret,
        ..Default::default()
    };
    let idx = Index::open(&a.index, &r.hashing()?).map_err(fail)?;
    let mut h = serde_json::to_value(idx.header())?;
    if let Some(o) = h.as_object_mut() {
        o.remove("sections");
        o.insert("bytes".into(), idx.byte_len().into());
    }
    outln!("{}", crate::show::json(&h)?);
    Ok(exit::OK)
}
