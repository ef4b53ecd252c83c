//! `leakscope corpus`: add leaks to the private breach corpus, detect re-posts, check exposure,
//! mark breaches verified or fabricated.

use crate::exit::{self, with_code};
use crate::progress;
use leakscope_corpus::read::{self, Prepare, ReadProgress, ReadStats};
use leakscope_corpus::{overlap_report, BreachMeta, IngestOptions, Marks, Prepared, Store};
use leakscope_keys::{IdKind, Secret};
use leakscope_text::{Col, TextTable};
use std::path::PathBuf;

/// Arguments of `leakscope corpus`.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  leakscope corpus add dump.sql.gz --breach shop-2026 --domain shop.example --breach-date 2026-11-02
  leakscope corpus overlap new-post.csv          is it a re-post of something we hold?
  leakscope corpus check --email an@example.vn   which breaches hold this address
  leakscope corpus mark shop-2026 --verified     after `leakscope verify` says authentic
  leakscope corpus list --json

Only keyed hashes are stored (docs/corpus.md). Exit codes: 0 done, 1 nothing usable or not
found, 2 usage error, 3 added but some inputs could not be read.")]
pub struct Args {
    /// PostgreSQL URL (`postgres://…`) instead of the embedded corpus in the data directory.
    #[arg(long, global = true)]
    pub database: Option<String>,
    /// Machine-readable JSON output (`leakscope.corpus.*/1`).
    #[arg(long, global = true)]
    pub json: bool,
    /// No progress bar.
    #[arg(long, short, global = true)]
    pub quiet: bool,
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
    /// Set or clear a breach's flags (verified, fabricated, sensitive, …).
    Mark(MarkArgs),
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
    /// Mark verified (HIBP clients hide unverified breaches by default; `leakscope verify
    /// --breach NAME` can mark it later).
    #[arg(long)]
    pub verified: bool,
    /// Mark fabricated.
    #[arg(long)]
    pub fabricated: bool,
    /// Mark sensitive (never returned by account searches).
    #[arg(long)]
    pub sensitive: bool,
    /// Mark as a spam list rather than a breach.
    #[arg(long)]
    pub spam_list: bool,
    /// Also store unkeyed SHA-1 of emails for the HIBP email range endpoint (see docs/threat-model.md).
    #[arg(long)]
    pub email_range: bool,
    #[command(flatten)]
    pub read: super::read_args::ReadArgs,
}

/// `corpus mark` arguments: each flag can be set or cleared.
#[derive(clap::Args)]
pub struct MarkArgs {
    /// Breach name.
    pub name: String,
    /// Confirmed genuine.
    #[arg(long, conflicts_with = "unverified")]
    pub verified: bool,
    /// Not (or no longer) confirmed.
    #[arg(long)]
    pub unverified: bool,
    /// Known to be fabricated.
    #[arg(long, conflicts_with = "not_fabricated")]
    pub fabricated: bool,
    /// Not fabricated.
    #[arg(long)]
    pub not_fabricated: bool,
    /// Sensitive: never returned by account searches.
    #[arg(long, conflicts_with = "not_sensitive")]
    pub sensitive: bool,
    /// Not sensitive.
    #[arg(long)]
    pub not_sensitive: bool,
    /// Retired: kept, but no longer returned.
    #[arg(long, conflicts_with = "not_retired")]
    pub retired: bool,
    /// Not retired.
    #[arg(long)]
    pub not_retired: bool,
    /// A spam list rather than a breach.
    #[arg(long, conflicts_with = "not_spam_list")]
    pub spam_list: bool,
    /// Not a spam list.
    #[arg(long)]
    pub not_spam_list: bool,
}

impl MarkArgs {
    fn marks(&self) -> Marks {
        let pick = |yes: bool, no: bool| (yes || no).then_some(yes);
        Marks {
            verified: pick(self.verified, self.unverified),
            fabricated: pick(self.fabricated, self.not_fabricated),
            sensitive: pick(self.sensitive, self.not_sensitive),
            retired: pick(self.retired, self.not_retired),
            spam_list: pick(self.spam_list, self.not_spam_list),
            malware: None,
        }
    }
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

/// The data directory and its secret (made by `leakscope init`; never created here).
fn secret() -> anyhow::Result<(PathBuf, Secret)> {
    let dir = leakscope_keys::data_dir();
    let secret = leakscope_keys::open_secret(&dir)?;
    Ok((dir, secret))
}

fn print_json(v: &serde_json::Value) -> anyhow::Result<()> {
    outln!("{}", crate::show::json(v)?);
    Ok(())
}

/// Runs the verb.
pub fn run(args: Args) -> anyhow::Result<i32> {
    let (dir, secret) = secret()?;
    let store =
        leakscope_corpus::open_store(args.database.as_deref(), &dir, &secret.fingerprint_hex())?;
    let store: &dyn Store = store.as_ref();
    // An embedded corpus takes the ingest's working directory, so a large leak's sorted files
    // are renamed into place rather than copied.
    let work = args
        .database
        .is_none()
        .then(|| leakscope_corpus::corpus_dir(&dir));
    let ctx = Ctx {
        store,
        secret: &secret,
        json: args.json,
        quiet: args.quiet,
        work,
    };
    match args.command {
        Cmd::Add(a) => add(&ctx, a),
        Cmd::Overlap { paths } => overlap(&ctx, &paths),
        Cmd::Check(c) => check(&ctx, c),
        Cmd::List => list(&ctx),
        Cmd::Show { name } => match store.breach(&name)? {
            Some(b) if args.json => {
                print_json(&serde_json::json!({"schema": "leakscope.corpus.show/1", "breach": b}))?;
                Ok(exit::OK)
            }
            Some(b) => {
                outln!("{}", crate::show::json(&b)?);
                Ok(exit::OK)
            }
            None => Err(not_found(&name)),
        },
        Cmd::Mark(m) => mark(&ctx, &m),
        Cmd::Remove { name } => {
            if store.remove(&name)? {
                outln!("removed `{name}`");
                Ok(exit::OK)
            } else {
                Err(not_found(&name))
            }
        }
    }
}

/// What every sub-command needs.
struct Ctx<'a> {
    store: &'a dyn Store,
    secret: &'a Secret,
    json: bool,
    quiet: bool,
    work: Option<PathBuf>,
}

fn not_found(name: &str) -> anyhow::Error {
    with_code(exit::FAILURE, format!("no breach named `{name}`"))
}

/// Reads a leak with a progress bar; refuses (exit 1) when no input could be read at all.
fn read_leak(
    ctx: &Ctx,
    paths: &[PathBuf],
    ingest: IngestOptions,
    read: leakscope_formats::ReadOptions,
) -> anyhow::Result<(Prepared, ReadStats)> {
    let bar = progress::reading(paths, ctx.quiet);
    let hook = bar.clone().map(|b| {
        move |p: &ReadProgress| {
            if p.finishing {
                b.stage("sorting and writing the hashed sets");
            } else {
                b.update(p.source_bytes_done, p.text_bytes, p.rows);
            }
        }
    });
    let how = Prepare {
        ingest,
        work_parent: ctx.work.clone(),
        progress: hook.as_ref().map(|h| h as &(dyn Fn(&ReadProgress) + Sync)),
        read,
    };
    let done = read::prepare(paths, ctx.secret, &how);
    if let Some(b) = &bar {
        b.finish();
    }
    let (prepared, stats) = done?;
    warn_read(&stats);
    if stats.sources > 0 && stats.sources_failed == stats.sources {
        return Err(with_code(
            exit::FAILURE,
            "no input could be read; nothing was added",
        ));
    }
    Ok((prepared, stats))
}

/// 3 when some inputs could not be read at all, else 0.
fn read_code(stats: &ReadStats) -> i32 {
    if stats.sources_failed > 0 {
        exit::PARTIAL
    } else {
        exit::OK
    }
}

fn add(ctx: &Ctx, a: AddArgs) -> anyhow::Result<i32> {
    leakscope_corpus::model::validate_name(&a.breach).map_err(|m| with_code(exit::USAGE, m))?;
    if let Some(d) = &a.breach_date {
        leakscope_corpus::model::validate_date(d).map_err(|m| with_code(exit::USAGE, m))?;
    }
    if ctx.store.breach(&a.breach)?.is_some() {
        return Err(with_code(
            exit::FAILURE,
            format!("breach `{}` already exists (remove it first)", a.breach),
        ));
    }
    let ingest = IngestOptions {
        email_range: a.email_range,
    };
    let (prepared, stats) = read_leak(ctx, &a.paths, ingest, a.read.options())?;
    if prepared.is_empty() {
        return Err(with_code(
            exit::FAILURE,
            leakscope_corpus::CorpusError::Empty.to_string(),
        ));
    }
    let meta = BreachMeta {
        name: a.breach,
        title: a.title,
        domain: a.domain,
        breach_date: a.breach_date,
        description: a.description,
        is_verified: a.verified,
        is_fabricated: a.fabricated,
        is_sensitive: a.sensitive,
        is_spam_list: a.spam_list,
        ..BreachMeta::default()
    };
    let identifiers = prepared.ids.len();
    let passwords = prepared.pw_sha1.len();
    let kinds = prepared.kind_counts.clone();
    let added = ctx.store.add(&meta, prepared)?;
    let (breach, report) = (added.breach, added.overlap);
    if ctx.json {
        print_json(&serde_json::json!({
            "schema": "leakscope.corpus.add/1",
            "breach": breach,
            "identifiers": identifiers,
            "kinds": kinds,
            "passwords": passwords,
            "rows": stats.rows,
            "rejected_cells": stats.rejected,
            "sources": stats.sources,
            "sources_unreadable": stats.sources_failed,
            "overlap": report,
        }))?;
    } else {
        let kinds: Vec<String> = kinds
            .iter()
            .map(|(k, n)| format!("{} {k}", leakscope_text::thousands(*n)))
            .collect();
        outln!(
            "added `{}`: {} distinct identifiers ({}), {} distinct passwords (hashes only), PwnCount {}{}",
            breach.name,
            leakscope_text::thousands(identifiers as u64),
            kinds.join(", "),
            leakscope_text::thousands(passwords as u64),
            leakscope_text::thousands(breach.pwn_count),
            if breach.is_verified { ", verified" } else { ", unverified" }
        );
        outln!("{}", report.summary);
    }
    Ok(read_code(&stats))
}

fn overlap(ctx: &Ctx, paths: &[PathBuf]) -> anyhow::Result<i32> {
    let (prepared, stats) = read_leak(ctx, paths, IngestOptions::default(), Default::default())?;
    let report = overlap_report(ctx.store, &prepared.ids)?;
    if ctx.json {
        print_json(&serde_json::to_value(&report)?)?;
    } else {
        outln!(
            "{} rows, {} distinct identifiers ({} known, {} new)",
            leakscope_text::thousands(stats.rows),
            leakscope_text::thousands(report.identifiers),
            leakscope_text::thousands(report.known),
            leakscope_text::thousands(report.new)
        );
        for b in &report.breaches {
            outln!(
                "  {:>6.1}%  {:>12}  {}",
                b.share * 100.0,
                leakscope_text::thousands(b.shared),
                b.breach
            );
        }
        outln!("{}", report.summary);
    }
    Ok(read_code(&stats))
}

fn list(ctx: &Ctx) -> anyhow::Result<i32> {
    let list = ctx.store.breaches()?;
    if ctx.json {
        print_json(&serde_json::json!({"schema": "leakscope.corpus.list/1", "breaches": list}))?;
    } else if list.is_empty() {
        outln!("the corpus is empty (add a leak with `leakscope corpus add PATH --breach NAME`)");
    } else {
        let mut table = TextTable::new(
            &[Col::FIXED, Col::NUM, Col::FIXED, Col::TEXT, Col::TEXT],
            &["breach", "accounts", "date", "data classes", "flags"],
        );
        for b in list {
            let flags: Vec<&str> = [
                (b.is_verified, "verified"),
                (b.is_fabricated, "fabricated"),
                (b.is_sensitive, "sensitive"),
                (b.is_retired, "retired"),
                (b.is_spam_list, "spam list"),
            ]
            .into_iter()
            .filter_map(|(on, name)| on.then_some(name))
            .collect();
            table.push([
                crate::show::name(&b.name),
                leakscope_text::thousands(b.pwn_count),
                crate::show::name(&b.breach_date),
                crate::show::name(&b.data_classes.join(", ")),
                flags.join(", "),
            ]);
        }
        out!("{}", table.render(crate::out::width()));
    }
    Ok(exit::OK)
}

fn mark(ctx: &Ctx, m: &MarkArgs) -> anyhow::Result<i32> {
    let marks = m.marks();
    if marks.is_empty() {
        return Err(with_code(
            exit::USAGE,
            "give at least one flag to set or clear (e.g. --verified, --fabricated, --not-sensitive)",
        ));
    }
    let Some(b) = ctx.store.mark(&m.name, &marks)? else {
        return Err(not_found(&m.name));
    };
    if ctx.json {
        print_json(&serde_json::json!({"schema": "leakscope.corpus.show/1", "breach": b}))?;
    } else {
        outln!(
            "`{}`: verified {}, fabricated {}, sensitive {}, retired {}, spam list {} (modified {})",
            b.name,
            b.is_verified,
            b.is_fabricated,
            b.is_sensitive,
            b.is_retired,
            b.is_spam_list,
            b.modified_date
        );
    }
    Ok(exit::OK)
}

fn warn_read(stats: &ReadStats) {
    if stats.rejected > 0 {
        eprintln!(
            "leakscope: warning: {} cells in identifier columns did not validate and were not stored",
            stats.rejected
        );
    }
    if stats.problems > 0 || stats.rows_skipped > 0 {
        eprintln!(
            "leakscope: warning: the reader reported {} problems ({} rows skipped, {} of {} sources unreadable); run `leakscope inspect` for details",
            stats.problems, stats.rows_skipped, stats.sources_failed, stats.sources
        );
    }
}

fn check(ctx: &Ctx, c: CheckArgs) -> anyhow::Result<i32> {
    let (kind, raw) = match (c.email, c.phone, c.national_id, c.username) {
        (Some(v), ..) => (IdKind::Email, v),
        (_, Some(v), ..) => (IdKind::Phone, v),
        (_, _, Some(v), _) => (IdKind::NationalId, v),
        (.., Some(v)) => (IdKind::Username, v),
        _ => return Err(with_code(exit::USAGE, "give one identifier to check")),
    };
    let Some(value) = leakscope_corpus::normalize_query(kind, &raw) else {
        return Err(with_code(
            exit::USAGE,
            format!(
                "the {} given does not normalise (check its form)",
                kind.id()
            ),
        ));
    };
    let found = ctx.store.lookup(&ctx.secret.hash16(kind, &value))?;
    if ctx.json {
        print_json(
            &serde_json::json!({"schema": "leakscope.corpus.check/1", "kind": kind.id(), "found": !found.is_empty(), "breaches": found}),
        )?;
    } else if found.is_empty() {
        outln!("{}: not in any breach of the corpus", kind.id());
    } else {
        outln!(
            "{}: in {} breach(es): {}",
            kind.id(),
            found.len(),
            found.join(", ")
        );
    }
    Ok(exit::OK)
}

/// Marks a corpus breach after `verify`: authentic → verified; fabricated → fabricated.
pub fn mark_after_verify(
    database: Option<&str>,
    name: &str,
    authentic: bool,
) -> anyhow::Result<leakscope_corpus::Breach> {
    let (dir, secret) = secret()?;
    let store = leakscope_corpus::open_store(database, &dir, &secret.fingerprint_hex())?;
    let marks = if authentic {
        Marks {
            verified: Some(true),
            fabricated: Some(false),
            ..Marks::default()
        }
    } else {
        Marks {
            fabricated: Some(true),
            verified: Some(false),
            ..Marks::default()
        }
    };
    store.mark(name, &marks)?.ok_or_else(|| not_found(name))
}
