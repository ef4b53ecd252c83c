//! `leakscope claim`: turn posts, Telegram exports, news items and leak-site lists into
//! structured leak claims (`leakscope.claim/1`), poll feeds, list stored claims, measure the
//! extractor's accuracy.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use leakscope_claims::accuracy;
use leakscope_claims::alerts::RetryPolicy;
use leakscope_claims::extract::simhash;
use leakscope_claims::feeds;
use leakscope_claims::http::{Client, HttpOptions};
use leakscope_claims::read::{read_path, Format};
use leakscope_claims::store::{self, Filter, SourceRef, Stored};
use leakscope_claims::watch::Watchlist;
use leakscope_claims::{extract, Options, Rules};
use leakscope_db::Db;

use crate::cmd::claim_render as render;
use crate::exit;

/// Arguments of `leakscope claim`.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  leakscope claim extract post.html                      what a saved forum thread or article claims
  leakscope claim extract result.json --json             one JSON document per claiming Telegram message
  leakscope claim extract post.txt --store               keep it, match the watchlist, queue alerts
  leakscope claim feed add https://example.org/breaches.rss --name 'Breach news'
  leakscope claim poll                                   fetch every feed, store new claims, send alerts
  leakscope claim poll --proxy socks5://127.0.0.1:9050   through a proxy (else HTTPS_PROXY / ALL_PROXY)
  leakscope claim list --hits                            watchlist hits first, newest first
  leakscope claim accuracy tests/corpus/dev              field-level precision / recall on a labelled corpus

Evidence quotes and stored text mask personal data (e-mails, phones, ID numbers); `--reveal`
shows them raw (and warns). Schemas: docs/claims.md.
Exit codes: 0 usable result, 1 nothing usable, 2 usage error, 3 partial (some inputs or feeds failed).")]
pub struct Args {
    #[command(flatten)]
    pub db: super::db_args::DbArgs,
    /// Machine-readable output (JSON Lines of `leakscope.claim/1` for `extract` and `list`).
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Cmd,
}

/// `claim` sub-commands.
#[derive(clap::Subcommand)]
pub enum Cmd {
    /// Extract the claims posts make (text, Markdown, HTML, .eml, Telegram result.json,
    /// RSS/Atom/JSON Feed, leak-site JSON lists).
    Extract(ExtractArgs),
    /// Fetch every configured feed, store new claims (de-duplicated), match the watchlist and
    /// deliver alerts.
    Poll(PollArgs),
    /// Stored claims: watchlist hits first, newest first.
    List(ListArgs),
    /// Manage the feeds `claim poll` fetches.
    #[command(subcommand)]
    Feed(FeedCmd),
    /// Field-level precision and recall on a corpus of posts with `NAME.expected.json` files.
    Accuracy {
        /// Corpus directory.
        dir: PathBuf,
    },
}

/// `claim extract` arguments.
#[derive(clap::Args)]
pub struct ExtractArgs {
    /// Post files.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// Input format instead of sniffing: text, markdown, html, eml, telegram, rss, atom,
    /// json_feed, leak_site_json.
    #[arg(long, value_name = "F")]
    pub format: Option<String>,
    /// Extra platform file(s) (same format as rules/platforms.toml), read after the built-in one.
    #[arg(long, value_name = "FILE")]
    pub platforms: Vec<PathBuf>,
    /// Store the claims in the database, match the watchlist and queue alerts.
    #[arg(long)]
    pub store: bool,
    /// Print the text as read (masked unless --reveal) under each claim.
    #[arg(long)]
    pub text: bool,
    /// Show raw values in evidence quotes and text.
    #[arg(long)]
    pub reveal: bool,
    /// Also report documents that make no claim.
    #[arg(long)]
    pub all: bool,
}

/// `claim poll` arguments.
#[derive(clap::Args)]
pub struct PollArgs {
    /// Only this feed (id from `claim feed list`).
    #[arg(long, value_name = "ID")]
    pub feed: Option<i64>,
    /// Proxy URL (`http://`, `https://`, `socks5://`); default: HTTPS_PROXY / ALL_PROXY.
    #[arg(long, value_name = "URL")]
    pub proxy: Option<String>,
    /// Per-request timeout in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 30)]
    pub timeout: u64,
    /// First webhook retry delay in milliseconds (doubles per retry).
    #[arg(long, value_name = "MS", default_value_t = 2000)]
    pub retry_delay_ms: u64,
    /// Webhook attempts per run.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub attempts: u32,
}

/// `claim list` arguments.
#[derive(clap::Args)]
pub struct ListArgs {
    /// Only claims with watchlist hits.
    #[arg(long)]
    pub hits: bool,
    /// Only this kind (sale, free_leak, ransomware, exposure, confirmed_breach, regulatory_action).
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// Only victims in this country (ISO code).
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
    /// Only this status (alleged, confirmed, fined, denied).
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// Only claims first seen on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// At most N claims.
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub limit: i64,
}

/// `claim feed` sub-commands.
#[derive(clap::Subcommand)]
pub enum FeedCmd {
    /// Add a feed URL (RSS, Atom, JSON Feed or a leak-site JSON list).
    Add {
        /// Feed URL.
        url: String,
        /// Name shown in lists.
        #[arg(long)]
        name: Option<String>,
        /// Force the format (rss, atom, json_feed, leak_site_json).
        #[arg(long, value_name = "F")]
        format: Option<String>,
    },
    /// List feeds and their last poll.
    List,
    /// Remove a feed by id or URL.
    Remove {
        /// Id or URL.
        feed: String,
    },
}

fn open_db(database: Option<&str>) -> anyhow::Result<Db> {
    Db::open_default(database).context("opening the leakscope database")
}

fn parse_format(f: Option<&str>) -> anyhow::Result<Option<Format>> {
    match f {
        None => Ok(None),
        Some(s) => Format::from_id(s).map(Some).ok_or_else(|| {
            exit::with_code(
                exit::USAGE,
                format!("--format {s:?}: use text, markdown, html, eml, telegram, rss, atom, json_feed or leak_site_json"),
            )
        }),
    }
}

/// Runs the verb.
pub fn run(args: Args) -> anyhow::Result<i32> {
    let db = args.db.database.as_deref();
    match args.command {
        Cmd::Extract(a) => extract_cmd(a, db, args.json),
        Cmd::Poll(a) => poll_cmd(a, db, args.json),
        Cmd::List(a) => list_cmd(a, db, args.json),
        Cmd::Feed(f) => feed_cmd(f, db, args.json),
        Cmd::Accuracy { dir } => accuracy_cmd(&dir, args.json),
    }
}

fn extract_cmd(a: ExtractArgs, database: Option<&str>, json: bool) -> anyhow::Result<i32> {
    if a.reveal {
        eprintln!(
            "leakscope: warning: --reveal: raw values from the posts will appear in the output"
        );
    }
    let format = parse_format(a.format.as_deref())?;
    let extra: Vec<(String, String)> = a
        .platforms
        .iter()
        .map(|p| {
            std::fs::read_to_string(p)
                .map(|t| (p.display().to_string(), t))
                .with_context(|| format!("reading {}", p.display()))
        })
        .collect::<anyhow::Result<_>>()?;
    let owned;
    let rules: &Rules = if extra.is_empty() {
        Rules::builtin().map_err(|e| anyhow::anyhow!("built-in rules: {e}"))?
    } else {
        owned = Rules::load(&extra).map_err(|e| exit::with_code(exit::USAGE, e))?;
        &owned
    };
    let mut db = if a.store {
        Some(open_db(database)?)
    } else {
        None
    };
    let watch = match db.as_mut() {
        Some(d) => Some(Watchlist::load(d)?),
        None => None,
    };
    let opts = Options {
        reveal: a.reveal,
        keep_empty: a.all,
    };
    let (mut read_ok, mut failed) = (0usize, 0usize);
    let mut claims = 0usize;
    for path in &a.inputs {
        let docs = match read_path(path, format) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("leakscope: {e}");
                failed += 1;
                continue;
            }
        };
        read_ok += 1;
        if docs.is_empty() && !json {
            outln!("{}: no posts in this input", path.display());
        }
        let extracted = leakscope_claims::extract_all(&docs, rules, &opts);
        for (doc, claim) in docs.iter().zip(extracted) {
            let Some(mut claim) = claim else {
                if !json {
                    outln!(
                        "{}{}: no claim",
                        path.display(),
                        render::item_suffix(doc.item.as_deref())
                    );
                }
                continue;
            };
            claim.source.path = Some(path.display().to_string());
            if let (Some(d), Some(w)) = (db.as_mut(), watch.as_ref()) {
                // What is stored is always masked, whatever --reveal says.
                let mut stored_claim = if a.reveal {
                    extract(
                        doc,
                        rules,
                        &Options {
                            reveal: false,
                            keep_empty: true,
                        },
                    )
                    .unwrap_or(claim.clone())
                } else {
                    claim.clone()
                };
                stored_claim.source.path = claim.source.path.clone();
                let src = SourceRef {
                    kind: "file".into(),
                    feed_id: None,
                    location: path.display().to_string(),
                    item: doc.item.clone(),
                    url: doc.url.clone(),
                };
                let stored = store::store(d, &stored_claim, &doc.text, simhash(doc), &src)?;
                claim.watch = w.matches(&claim, &doc.text);
                if let Stored::New { row } = stored {
                    if !store::record_hits(d, row, &claim.watch)?.is_empty() {
                        leakscope_claims::alerts::queue(d, row)?;
                    }
                }
                if !json {
                    outln!("{}", render::stored_line(&stored));
                }
            } else if let Some(w) = watch.as_ref() {
                claim.watch = w.matches(&claim, &doc.text);
            }
            claims += 1;
            if json {
                outln!("{}", serde_json::to_string(&claim)?);
            } else {
                out!("{}", render::claim_summary(&claim));
                if a.text {
                    let t = if a.reveal {
                        doc.text.clone()
                    } else {
                        leakscope_claims::mask::mask_text(&doc.text, &[])
                    };
                    outln!(
                        "  --- text as read ({} characters) ---\n{}",
                        claim.source.chars,
                        t
                    );
                }
            }
        }
    }
    if !json {
        eprintln!(
            "{claims} claim(s) from {read_ok} input(s){}",
            if failed > 0 {
                format!(", {failed} unreadable")
            } else {
                String::new()
            }
        );
    }
    Ok(if read_ok == 0 {
        exit::FAILURE
    } else if failed > 0 {
        exit::PARTIAL
    } else {
        exit::OK
    })
}

fn poll_cmd(a: PollArgs, database: Option<&str>, json: bool) -> anyhow::Result<i32> {
    let mut db = open_db(database)?;
    let client = Client::new(&HttpOptions {
        timeout: Duration::from_secs(a.timeout.max(1)),
        proxy: a.proxy.clone(),
        ..HttpOptions::default()
    })
    .map_err(|e| exit::with_code(exit::USAGE, e.to_string()))?;
    let rules = Rules::builtin().map_err(|e| anyhow::anyhow!("built-in rules: {e}"))?;
    let retry = RetryPolicy {
        attempts_per_run: a.attempts.max(1),
        base_delay: Duration::from_millis(a.retry_delay_ms),
        ..RetryPolicy::default()
    };
    if feeds::list(&mut db)?.is_empty() {
        return Err(exit::with_code(
            exit::FAILURE,
            "no feeds configured: add one with `leakscope claim feed add URL`",
        ));
    }
    let rep = feeds::poll(&mut db, &client, rules, a.feed, &retry)?;
    if json {
        outln!("{}", serde_json::to_string_pretty(&rep)?);
    } else {
        out!("{}", render::poll_report(&rep));
    }
    let failed = rep.feeds.iter().filter(|f| f.error.is_some()).count();
    Ok(if !rep.feeds.is_empty() && failed == rep.feeds.len() {
        exit::FAILURE
    } else if failed > 0 || rep.deliveries.iter().any(|d| d.status != "delivered") {
        exit::PARTIAL
    } else {
        exit::OK
    })
}

fn list_cmd(a: ListArgs, database: Option<&str>, json: bool) -> anyhow::Result<i32> {
    let mut db = open_db(database)?;
    let since = a.since.map(|s| {
        if s.len() == 10 {
            format!("{s}T00:00:00Z")
        } else {
            s
        }
    });
    let rows = store::list(
        &mut db,
        &Filter {
            hits_only: a.hits,
            kind: a.kind,
            country: a.country,
            status: a.status,
            since,
            limit: a.limit,
        },
    )?;
    if json {
        for r in &rows {
            outln!("{}", serde_json::to_string(&r.claim)?);
        }
    } else if rows.is_empty() {
        outln!("no stored claims match");
    } else {
        for r in &rows {
            out!("{}", render::listed(r));
        }
    }
    Ok(exit::OK)
}

fn feed_cmd(f: FeedCmd, database: Option<&str>, json: bool) -> anyhow::Result<i32> {
    let mut db = open_db(database)?;
    match f {
        FeedCmd::Add { url, name, format } => {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(exit::with_code(
                    exit::USAGE,
                    "a feed URL starts with http:// or https://",
                ));
            }
            let format = parse_format(format.as_deref())?;
            let id = feeds::add(&mut db, &url, name.as_deref(), format)?;
            outln!(
                "feed {id} added ({})",
                leakscope_claims::http::host_of(&url)
            );
        }
        FeedCmd::List => {
            let list = feeds::list(&mut db)?;
            if json {
                let doc = serde_json::json!({"schema": "leakscope.feeds/1", "feeds": list});
                outln!("{}", serde_json::to_string_pretty(&doc)?);
            } else if list.is_empty() {
                outln!("no feeds; add one with `leakscope claim feed add URL`");
            } else {
                for f in &list {
                    outln!("{}", render::feed_line(f));
                }
            }
        }
        FeedCmd::Remove { feed } => {
            let n = feeds::remove(&mut db, &feed)?;
            if n == 0 {
                return Err(exit::with_code(exit::FAILURE, "no such feed"));
            }
            outln!("removed {n} feed(s)");
        }
    }
    Ok(exit::OK)
}

fn accuracy_cmd(dir: &std::path::Path, json: bool) -> anyhow::Result<i32> {
    let rules = Rules::builtin().map_err(|e| anyhow::anyhow!("built-in rules: {e}"))?;
    let rep = accuracy::run_dir(dir, rules).map_err(|e| exit::with_code(exit::FAILURE, e))?;
    if rep.files == 0 {
        return Err(exit::with_code(
            exit::FAILURE,
            format!(
                "{}: no post with a NAME.expected.json beside it",
                dir.display()
            ),
        ));
    }
    if json {
        outln!("{}", serde_json::to_string_pretty(&rep)?);
    } else {
        out!("{}", render::accuracy(&rep));
    }
    Ok(exit::OK)
}
