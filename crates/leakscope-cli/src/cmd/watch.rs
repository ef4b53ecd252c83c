//! `leakscope watch`: the watchlist (organisations, aliases, domains, brands, merchants) every
//! stored claim is matched against, the webhooks alerts go to, and the record of deliveries.

use std::path::PathBuf;

use anyhow::Context;
use leakscope_claims::alerts;
use leakscope_claims::watch::{self, Added, Entry, KINDS};
use leakscope_db::Db;

use crate::exit;

/// Arguments of `leakscope watch`.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  leakscope watch add 'FooMart Pte Ltd' --alias FooMart --domain foomart.com.sg
  leakscope watch add 'Cửa hàng Hoa Mai' --kind merchant --parent 'Chợ Phố'
  leakscope watch import merchants.csv --kind merchant     columns: name, aliases, domains, parent, kind, note
  leakscope watch list
  leakscope watch remove FooMart
  leakscope watch webhook add https://hooks.slack.com/services/T000/B000/XXXX --name soc
  leakscope watch alerts                                   deliveries: delivered, pending (retried next poll), failed

Matching ignores case, diacritics, full-width forms and legal forms (Pte Ltd, JSC, 有限公司);
domains match their subdomains. Exit codes: 0 done, 1 failed, 2 usage error.")]
pub struct Args {
    #[command(flatten)]
    pub db: super::db_args::DbArgs,
    /// Machine-readable output.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Cmd,
}

/// `watch` sub-commands.
#[derive(clap::Subcommand)]
pub enum Cmd {
    /// Add an entry (or add aliases / domains to an existing one of the same name and kind).
    Add {
        /// Name (for `--kind domain`, the domain).
        name: String,
        /// organisation, brand, domain or merchant.
        #[arg(long, default_value = "organisation")]
        kind: String,
        /// Other names (repeatable).
        #[arg(long = "alias", value_name = "NAME")]
        aliases: Vec<String>,
        /// Web domains (repeatable; subdomains match).
        #[arg(long = "domain", value_name = "DOMAIN")]
        domains: Vec<String>,
        /// Parent organisation, or the platform a merchant sells on.
        #[arg(long)]
        parent: Option<String>,
        /// Free note.
        #[arg(long)]
        note: Option<String>,
    },
    /// List entries.
    List,
    /// Remove entries by id or name.
    Remove {
        /// Id or name.
        entry: String,
    },
    /// Import entries from a CSV file (thousands of merchants).
    Import {
        /// CSV file with a header line.
        file: PathBuf,
        /// Kind for rows without a `kind` column.
        #[arg(long, default_value = "merchant")]
        kind: String,
    },
    /// Webhooks that receive alerts for watchlist hits.
    #[command(subcommand)]
    Webhook(WebhookCmd),
    /// Recorded alert deliveries, newest first.
    Alerts {
        /// At most N.
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
}

/// `watch webhook` sub-commands.
#[derive(clap::Subcommand)]
pub enum WebhookCmd {
    /// Add a webhook URL (Slack / Teams incoming webhook, or any endpoint taking JSON).
    Add {
        /// URL.
        url: String,
        /// Name.
        #[arg(long)]
        name: Option<String>,
    },
    /// List webhooks (hosts only: the URLs are secrets).
    List,
    /// Remove a webhook by id or URL.
    Remove {
        /// Id or URL.
        webhook: String,
    },
}

fn check_kind(kind: &str) -> anyhow::Result<()> {
    if KINDS.contains(&kind) {
        Ok(())
    } else {
        Err(exit::with_code(
            exit::USAGE,
            format!("--kind {kind:?}: use one of {}", KINDS.join(", ")),
        ))
    }
}

/// Runs the verb.
pub fn run(args: Args) -> anyhow::Result<i32> {
    let mut db =
        Db::open_default(args.db.database.as_deref()).context("opening the leakscope database")?;
    let json = args.json;
    match args.command {
        Cmd::Add {
            name,
            kind,
            aliases,
            domains,
            parent,
            note,
        } => {
            check_kind(&kind)?;
            if name.trim().is_empty() {
                return Err(exit::with_code(exit::USAGE, "the name is empty"));
            }
            let e = Entry {
                kind,
                name,
                aliases,
                domains,
                parent,
                note,
                ..Entry::default()
            };
            let (id, added) = watch::add(&mut db, &e)?;
            let what = match added {
                Added::Created => "added",
                Added::Updated => "updated",
                Added::Unchanged => "already on the watchlist",
            };
            if json {
                outln!(
                    "{}",
                    serde_json::json!({"schema": "leakscope.watch-add/1", "id": id, "result": added})
                );
            } else {
                outln!("entry {id} {what}");
            }
        }
        Cmd::List => {
            let list = watch::list(&mut db)?;
            if json {
                let doc = serde_json::json!({"schema": "leakscope.watchlist/1", "entries": list});
                outln!("{}", serde_json::to_string_pretty(&doc)?);
            } else if list.is_empty() {
                outln!("the watchlist is empty; add entries with `leakscope watch add NAME`");
            } else {
                for e in &list {
                    let mut extra = Vec::new();
                    if !e.aliases.is_empty() {
                        extra.push(format!("aliases: {}", e.aliases.join(", ")));
                    }
                    if !e.domains.is_empty() {
                        extra.push(format!("domains: {}", e.domains.join(", ")));
                    }
                    if let Some(p) = &e.parent {
                        extra.push(format!("parent: {p}"));
                    }
                    outln!(
                        "{:>5}  {:<12} {}  {}",
                        e.id,
                        e.kind,
                        e.name,
                        extra.join("; ")
                    );
                }
            }
        }
        Cmd::Remove { entry } => {
            let n = watch::remove(&mut db, &entry)?;
            if n == 0 {
                return Err(exit::with_code(exit::FAILURE, "no such watchlist entry"));
            }
            outln!("removed {n} entr{}", if n == 1 { "y" } else { "ies" });
        }
        Cmd::Import { file, kind } => {
            check_kind(&kind)?;
            let f = std::fs::File::open(&file)
                .with_context(|| format!("opening {}", file.display()))?;
            let rep = watch::import_csv(&mut db, std::io::BufReader::new(f), &kind)
                .map_err(|e| exit::with_code(exit::FAILURE, format!("{}: {e}", file.display())))?;
            if json {
                let mut doc = serde_json::to_value(&rep)?;
                doc["schema"] = "leakscope.watch-import/1".into();
                outln!("{}", serde_json::to_string_pretty(&doc)?);
            } else {
                outln!(
                    "{}: {} rows: {} added, {} updated, {} unchanged, {} skipped",
                    file.display(),
                    rep.rows,
                    rep.created,
                    rep.updated,
                    rep.unchanged,
                    rep.skipped.len()
                );
                for (line, why) in rep.skipped.iter().take(20) {
                    eprintln!("  line {line}: {why}");
                }
            }
            if rep.rows > 0 && rep.created + rep.updated + rep.unchanged == 0 {
                return Ok(exit::FAILURE);
            }
        }
        Cmd::Webhook(w) => match w {
            WebhookCmd::Add { url, name } => {
                if !(url.starts_with("https://") || url.starts_with("http://")) {
                    return Err(exit::with_code(
                        exit::USAGE,
                        "a webhook URL starts with https:// or http://",
                    ));
                }
                let id = alerts::add_webhook(&mut db, &url, name.as_deref())?;
                outln!(
                    "webhook {id} added ({})",
                    leakscope_claims::http::host_of(&url)
                );
            }
            WebhookCmd::List => {
                let list = alerts::list_webhooks(&mut db)?;
                if json {
                    let doc =
                        serde_json::json!({"schema": "leakscope.webhooks/1", "webhooks": list});
                    outln!("{}", serde_json::to_string_pretty(&doc)?);
                } else if list.is_empty() {
                    outln!("no webhooks; add one with `leakscope watch webhook add URL`");
                } else {
                    for w in &list {
                        outln!(
                            "{:>4}  {}  {}{}",
                            w.id,
                            w.host,
                            w.name.as_deref().unwrap_or("-"),
                            if w.enabled { "" } else { " (disabled)" }
                        );
                    }
                }
            }
            WebhookCmd::Remove { webhook } => {
                let n = alerts::remove_webhook(&mut db, &webhook)?;
                if n == 0 {
                    return Err(exit::with_code(exit::FAILURE, "no such webhook"));
                }
                outln!("removed {n} webhook(s)");
            }
        },
        Cmd::Alerts { limit } => {
            let list = alerts::list_deliveries(&mut db, limit)?;
            if json {
                let doc =
                    serde_json::json!({"schema": "leakscope.deliveries/1", "deliveries": list});
                outln!("{}", serde_json::to_string_pretty(&doc)?);
            } else if list.is_empty() {
                outln!("no alert deliveries recorded");
            } else {
                for d in &list {
                    outln!(
                        "{:>5}  {}  {} → {}  {} after {} attempt(s){}",
                        d.delivery_id,
                        d.claim_id,
                        d.status,
                        d.host,
                        d.http_status
                            .map(|s| format!("HTTP {s}"))
                            .unwrap_or_else(|| "-".into()),
                        d.attempts,
                        d.error
                            .as_ref()
                            .map(|e| format!(" ({e})"))
                            .unwrap_or_default()
                    );
                }
            }
        }
    }
    Ok(exit::OK)
}
