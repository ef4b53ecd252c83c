//! `leakscope corpus`: add leaks to the private breach corpus, detect re-posts, check exposure.

use anyhow::Context;
use leakscope_corpus::{overlap_report, read, BreachMeta, IngestOptions, Store};
use leakscope_keys::{IdKind, Secret};
use std::path::PathBuf;

/// Arguments of `leakscope corpus`.
#[derive(clap::Args)]
pub struct Args {
    /// PostgreSQL URL (`postgres://…`) instead of the embedded corpus in the data directory.
    #[arg(long, global = true)]
    pub database: Option<String>,
    /// Machine-readable JSON output (`leakscope.corpus.*/1`).
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Cmd,
}

/// Corpus sub-commands.
#[derive(clap::Subcommand)]
pub enum Cmd {
    /// Add a leak: keyed hashes of its identifiers, password hash counts, Breach metadata.
    Add(AddArgs),
    /// Report how much of a leak the corpus already knows, without adding it.
    Overlap {
        /// Files or directories of the leak.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Which breaches contain an identifier.
    Check(CheckArgs),
    /// List breaches.
    List,
    /// Show one breach (HIBP Breach model).
    Show {
        /// Breach name.
        name: String,
    },
    /// Remove a breach.
    Remove {
        /// Breach name.
        name: String,
    },
}

/// `corpus add` arguments.
#[derive(clap::Args)]
pub struct AddArgs {
    /// Files or directories of the leak.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Unique breach name (`vn-shop-2024`).
    #[arg(long)]
    pub breach: String,
    /// Title (default: the name).
    #[arg(long)]
    pub title: Option<String>,
    /// Domain of the breached service.
    #[arg(long)]
    pub domain: Option<String>,
    /// Breach date, YYYY-MM-DD.
    #[arg(long)]
    pub breach_date: Option<String>,
    /// Description.
    #[arg(long)]
    pub description: Option<String>,
    /// Mark verified.
    #[arg(long)]
    pub verified: bool,
    /// Mark fabricated.
    #[arg(long)]
    pub fabricated: bool,
    /// Mark sensitive (never returned by unauthenticated or truncated searches).
    #[arg(long)]
    pub sensitive: bool,
    /// Also store unkeyed SHA-1 of emails for the HIBP email range endpoint (see docs/threat-model.md).
    #[arg(long)]
    pub email_range: bool,
    #[command(flatten)]
    pub read: super::read_args::ReadArgs,
}

/// `corpus check` arguments.
#[derive(clap::Args)]
#[group(required = true, multiple = false)]
pub struct CheckArgs {
    /// Email address.
    #[arg(long)]
    pub email: Option<String>,
    /// Phone number in international form (+84…).
    #[arg(long)]
    pub phone: Option<String>,
    /// National ID (`kind:VALUE`, or a Chinese resident ID).
    #[arg(long)]
    pub national_id: Option<String>,
    /// Username.
    #[arg(long)]
    pub username: Option<String>,
}

fn secret() -> anyhow::Result<(PathBuf, Secret)> {
    let dir = leakscope_keys::data_dir();
    let secret = Secret::load_or_create(&leakscope_keys::secret_path(&dir))
        .context("loading the installation secret")?;
    Ok((dir, secret))
}

fn print_json(v: &serde_json::Value) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

/// Runs the verb.
pub fn run(args: Args) -> anyhow::Result<i32> {
    let (dir, secret) = secret()?;
    let store =
        leakscope_corpus::open_store(args.database.as_deref(), &dir, &secret.fingerprint_hex())?;
    let store: &dyn Store = store.as_ref();
    match args.command {
        Cmd::Add(a) => add(store, &secret, a, args.json),
        Cmd::Overlap { paths } => {
            let (prepared, stats) = read::prepare_paths(&paths, &secret, IngestOptions::default());
            warn_read(&stats);
            let report = overlap_report(store, &prepared.ids)?;
            if args.json {
                print_json(&serde_json::to_value(&report)?)?;
            } else {
                println!(
                    "{} rows, {} distinct identifiers ({} known, {} new)",
                    stats.rows, report.identifiers, report.known, report.new
                );
                for b in &report.breaches {
                    println!(
                        "  {:>6.1}%  {:>10}  {}",
                        b.share * 100.0,
                        b.shared,
                        b.breach
                    );
                }
                println!("{}", report.summary);
            }
            Ok(crate::exit::OK)
        }
        Cmd::Check(c) => check(store, &secret, c, args.json),
        Cmd::List => {
            let list = store.breaches()?;
            if args.json {
                print_json(
                    &serde_json::json!({"schema": "leakscope.corpus.list/1", "breaches": list}),
                )?;
            } else if list.is_empty() {
                println!("the corpus is empty (add a leak with `leakscope corpus add PATH --breach NAME`)");
            } else {
                for b in list {
                    println!(
                        "{:<28} {:>12} accounts  {}  {}",
                        b.name,
                        b.pwn_count,
                        b.breach_date,
                        b.data_classes.join(", ")
                    );
                }
            }
            Ok(crate::exit::OK)
        }
        Cmd::Show { name } => match store.breach(&name)? {
            Some(b) if args.json => {
                print_json(&serde_json::json!({"schema": "leakscope.corpus.show/1", "breach": b}))?;
                Ok(crate::exit::OK)
            }
            Some(b) => {
                println!("{}", serde_json::to_string_pretty(&b)?);
                Ok(crate::exit::OK)
            }
            None => Err(crate::exit::with_code(
                crate::exit::FAILURE,
                format!("no breach named `{name}`"),
            )),
        },
        Cmd::Remove { name } => {
            if store.remove(&name)? {
                println!("removed `{name}`");
                Ok(crate::exit::OK)
            } else {
                Err(crate::exit::with_code(
                    crate::exit::FAILURE,
                    format!("no breach named `{name}`"),
                ))
            }
        }
    }
}

fn add(store: &dyn Store, secret: &Secret, a: AddArgs, json: bool) -> anyhow::Result<i32> {
    leakscope_corpus::model::validate_name(&a.breach)
        .map_err(|m| crate::exit::with_code(crate::exit::USAGE, m))?;
    if let Some(d) = &a.breach_date {
        leakscope_corpus::model::validate_date(d)
            .map_err(|m| crate::exit::with_code(crate::exit::USAGE, m))?;
    }
    if store.breach(&a.breach)?.is_some() {
        return Err(crate::exit::with_code(
            crate::exit::FAILURE,
            format!("breach `{}` already exists (remove it first)", a.breach),
        ));
    }
    let (prepared, stats) = read::prepare_paths_with(
        &a.paths,
        secret,
        IngestOptions {
            email_range: a.email_range,
        },
        &a.read.options(),
    );
    warn_read(&stats);
    if stats.sources > 0 && stats.sources_failed == stats.sources {
        return Err(crate::exit::with_code(
            crate::exit::FAILURE,
            "no input could be read; nothing was added",
        ));
    }
    let report = overlap_report(store, &prepared.ids)?;
    let meta = BreachMeta {
        name: a.breach,
        title: a.title,
        domain: a.domain,
        breach_date: a.breach_date,
        description: a.description,
        is_verified: a.verified,
        is_fabricated: a.fabricated,
        is_sensitive: a.sensitive,
        ..BreachMeta::default()
    };
    let breach = store.add(&meta, &prepared)?;
    if json {
        print_json(&serde_json::json!({
            "schema": "leakscope.corpus.add/1",
            "breach": breach,
            "identifiers": prepared.ids.len(),
            "kinds": prepared.kind_counts,
            "passwords": prepared.pw_sha1.len(),
            "rows": stats.rows,
            "rejected_cells": stats.rejected,
            "overlap": report,
        }))?;
    } else {
        println!(
            "added `{}`: {} distinct identifiers {:?}, {} distinct passwords (hashes only), PwnCount {}",
            breach.name,
            prepared.ids.len(),
            prepared.kind_counts,
            prepared.pw_sha1.len(),
            breach.pwn_count
        );
        println!("{}", report.summary);
    }
    if prepared.ids.is_empty() {
        eprintln!("warning: no identifiers found in the input");
    }
    Ok(crate::exit::OK)
}

fn warn_read(stats: &read::ReadStats) {
    if stats.rejected > 0 {
        eprintln!(
            "warning: {} cells in identifier columns did not validate and were not stored",
            stats.rejected
        );
    }
    if stats.problems > 0 || stats.rows_skipped > 0 {
        eprintln!(
            "warning: the reader reported {} problems ({} rows skipped, {} of {} sources unreadable); run `leakscope inspect` for details",
            stats.problems, stats.rows_skipped, stats.sources_failed, stats.sources
        );
    }
}

fn check(store: &dyn Store, secret: &Secret, c: CheckArgs, json: bool) -> anyhow::Result<i32> {
    let (kind, value) = if let Some(v) = c.email {
        (
            IdKind::Email,
            leakscope_corpus::normalize_query(IdKind::Email, &v),
        )
    } else if let Some(v) = c.phone {
        (
            IdKind::Phone,
            leakscope_corpus::normalize_query(IdKind::Phone, &v),
        )
    } else if let Some(v) = c.national_id {
        (
            IdKind::NationalId,
            leakscope_corpus::normalize_query(IdKind::NationalId, &v),
        )
    } else if let Some(v) = c.username {
        (
            IdKind::Username,
            leakscope_corpus::normalize_query(IdKind::Username, &v),
        )
    } else {
        unreachable!("clap requires one identifier")
    };
    let Some(value) = value else {
        return Err(crate::exit::with_code(
            crate::exit::USAGE,
            format!(
                "the {} given does not normalise (check its form)",
                kind.id()
            ),
        ));
    };
    let found = store.lookup(&secret.hash16(kind, &value))?;
    if json {
        print_json(
            &serde_json::json!({"schema": "leakscope.corpus.check/1", "kind": kind.id(), "found": !found.is_empty(), "breaches": found}),
        )?;
    } else if found.is_empty() {
        println!("{}: not in any breach of the corpus", kind.id());
    } else {
        println!(
            "{}: in {} breach(es): {}",
            kind.id(),
            found.len(),
            found.join(", ")
        );
    }
    Ok(crate::exit::OK)
}
