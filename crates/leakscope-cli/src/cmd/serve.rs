//! `leakscope serve`: the HIBP-v3-compatible API over the corpus, and its API keys.

use leakscope_server::{AppState, KeyFile, KeyIndex, Scope};
use std::sync::Arc;

/// Arguments of `leakscope serve`.
#[derive(clap::Args)]
pub struct Args {
    /// Address to listen on (loopback by default; put a TLS proxy in front for anything else).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: std::net::SocketAddr,
    /// PostgreSQL URL (`postgres://…`) instead of the embedded corpus.
    #[arg(long)]
    pub database: Option<String>,
    /// Print one line per request (route template, status, latency; never identifiers).
    #[arg(long)]
    pub access_log: bool,
    #[command(subcommand)]
    pub command: Option<Cmd>,
}

/// `serve` sub-commands.
#[derive(clap::Subcommand)]
pub enum Cmd {
    /// Manage API keys.
    #[command(subcommand)]
    Keys(KeysCmd),
}

/// `serve keys` sub-commands.
#[derive(clap::Subcommand)]
pub enum KeysCmd {
    /// Create a key (printed once; only its hash is stored).
    Add {
        /// `read` (account/range lookups) or `admin` (also breached-domain searches).
        #[arg(long, default_value = "read")]
        scope: Scope,
        /// Requests per minute allowed for this key.
        #[arg(long, default_value_t = 600)]
        rpm: u32,
    },
    /// List keys (ids, scopes, limits; never the keys).
    List,
    /// Remove a key by id.
    Remove {
        /// Key id from `serve keys list`.
        id: String,
    },
}

/// Runs the verb.
pub fn run(args: Args) -> anyhow::Result<i32> {
    let dir = leakscope_keys::data_dir();
    let secret = leakscope_keys::open_secret(&dir)?;
    let key_path = leakscope_server::keys::key_file_path(&dir);
    if let Some(Cmd::Keys(cmd)) = args.command {
        let mut file = KeyFile::load(&key_path)?;
        match cmd {
            KeysCmd::Add { scope, rpm } => {
                let (key, rec) = file.add(scope, rpm, leakscope_corpus::model::now_iso())?;
                file.save(&key_path)?;
                eprintln!(
                    "key {} ({:?}, {} requests/minute); it is shown only once:",
                    rec.id, rec.scope, rec.rpm
                );
                outln!("{key}");
            }
            KeysCmd::List => {
                for k in &file.keys {
                    outln!(
                        "{}  {:?}  {}/min  created {}",
                        k.id,
                        k.scope,
                        k.rpm,
                        k.created
                    );
                }
            }
            KeysCmd::Remove { id } => {
                if !file.remove(&id) {
                    return Err(crate::exit::with_code(
                        crate::exit::FAILURE,
                        format!("no key with id {id}"),
                    ));
                }
                file.save(&key_path)?;
                outln!("removed key {id}");
            }
        }
        return Ok(crate::exit::OK);
    }
    let store =
        leakscope_corpus::open_store(args.database.as_deref(), &dir, &secret.fingerprint_hex())?;
    let keys = KeyFile::load(&key_path)?;
    if keys.keys.is_empty() {
        eprintln!("warning: no API keys yet; account lookups will answer 401 (create one: leakscope serve keys add)");
    }
    let state = AppState {
        store: Arc::from(store),
        secret,
        keys: KeyIndex::new(&keys),
        limiter: Default::default(),
        blocking: args.database.is_some(),
        access_log: args.access_log,
    };
    leakscope_server::run_blocking(args.listen, state, |addr| {
        eprintln!("leakscope serve: listening on http://{addr}")
    })?;
    Ok(crate::exit::OK)
}
