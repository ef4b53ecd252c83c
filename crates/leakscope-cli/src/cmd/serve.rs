//! `leakscope serve`: the HIBP-v3-compatible API over the corpus, its API keys, and the web app
//! (`leakscope-web`: claims feed, cases, corpus search) on the same listeners.

use leakscope_server::rate::Limiter;
use leakscope_server::{AppState, KeyFile, Limits, LiveKeys, Scope, ServeOptions};
use leakscope_text::{Col, TextTable};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Arguments of `leakscope serve`.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  leakscope serve keys add --scope read                a key for account and range lookups
  leakscope serve keys add --domain shop.example       a key that may search one domain
  leakscope serve                                      http://127.0.0.1:8080
  leakscope serve --listen localhost:8443 --tls-cert cert.pem --tls-key key.pem
  leakscope serve --listen 0.0.0.0:443 --tls-cert cert.pem --tls-key key.pem \\
      --cors-origin https://portal.example

  leakscope serve --case-reference customers.lsidx --upload-limit 2GiB
  leakscope serve --no-web                             the API only

Keys added, removed or changed with `serve keys` take effect on a running server within a
second. Clients point their HIBP base URL at this server; see docs/corpus.md.
The web app (same address, path /) needs users: `leakscope user add NAME --role admin`;
see docs/web.md.")]
pub struct Args {
    /// Address to listen on, HOST:PORT (host names resolve; every address is bound).
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    pub listen: String,
    /// PEM certificate chain: serve HTTPS (with --tls-key).
    #[arg(long, requires = "tls_key", value_name = "FILE")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key of --tls-cert.
    #[arg(long, requires = "tls_cert", value_name = "FILE")]
    pub tls_key: Option<PathBuf>,
    /// PostgreSQL URL (`postgres://…`) instead of the embedded corpus.
    #[arg(long)]
    pub database: Option<String>,
    /// Print one line per request (route template, status, latency; never identifiers).
    #[arg(long)]
    pub access_log: bool,
    /// Seconds allowed to receive a request's headers (also the keep-alive idle limit).
    #[arg(long, default_value_t = 10, value_name = "SECS")]
    pub header_timeout: u64,
    /// Seconds a connection may make no progress reading or writing before it is closed.
    #[arg(long, default_value_t = 60, value_name = "SECS")]
    pub idle_timeout: u64,
    /// Open connections at most (lowered to fit the open-file limit); when full, the
    /// longest-idle connection is closed for a new one.
    #[arg(long, default_value_t = 1024, value_name = "N")]
    pub max_connections: usize,
    /// Requests per minute per client address on /range and /pwnedpassword (0: no limit).
    #[arg(long, default_value_t = 3000, value_name = "N")]
    pub password_rpm: u32,
    /// Allow browser calls from this origin (CORS; repeatable; `*` for any). Off by default.
    #[arg(long = "cors-origin", value_name = "ORIGIN")]
    pub cors_origins: Vec<String>,
    /// Serve the API only, without the web app.
    #[arg(long)]
    pub no_web: bool,
    /// Largest sample a web user may upload into a case (`500MB`, `2GiB`).
    #[arg(long, default_value = "1GB", value_name = "SIZE")]
    pub upload_limit: String,
    /// Reference set on cases opened in the web app, so that uploaded samples are verified: an
    /// index (`leakscope index build`) or reference files (repeatable).
    #[arg(long = "case-reference", value_name = "INDEX|FILE")]
    pub case_reference: Vec<String>,
    /// Minutes a web session may stay idle before it ends (it ends 12 hours after sign-in in
    /// any case).
    #[arg(long, default_value_t = 120, value_name = "MINUTES")]
    pub session_idle: u64,
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
        /// `read` (account/range lookups) or `admin` (also breached-domain searches of any domain).
        #[arg(long, default_value = "read")]
        scope: Scope,
        /// Requests per minute allowed for this key.
        #[arg(long, default_value_t = 600)]
        rpm: u32,
        /// An e-mail domain this key may search with /breacheddomain (repeatable).
        #[arg(long = "domain", value_name = "DOMAIN")]
        domains: Vec<String>,
    },
    /// List keys (ids, scopes, limits, domains; never the keys).
    List,
    /// Remove a key by id (a running server stops accepting it within a second).
    Remove {
        /// Key id from `serve keys list`.
        id: String,
    },
}

fn keys(cmd: KeysCmd, key_path: &std::path::Path) -> anyhow::Result<i32> {
    let mut file = KeyFile::load(key_path)?;
    match cmd {
        KeysCmd::Add {
            scope,
            rpm,
            domains,
        } => {
            let (key, rec) =
                file.add_with_domains(scope, rpm, leakscope_corpus::model::now_iso(), domains)?;
            file.save(key_path)?;
            eprintln!(
                "key {} ({:?}, {} requests/minute); it is shown only once:",
                rec.id, rec.scope, rec.rpm
            );
            outln!("{key}");
        }
        KeysCmd::List => {
            let mut table = TextTable::new(
                &[Col::FIXED, Col::FIXED, Col::NUM, Col::FIXED, Col::TEXT],
                &["id", "scope", "per minute", "created", "domains"],
            );
            for k in &file.keys {
                table.push([
                    k.id.clone(),
                    format!("{:?}", k.scope).to_lowercase(),
                    k.rpm.to_string(),
                    k.created.clone(),
                    k.domains.join(", "),
                ]);
            }
            out!("{}", table.render(crate::out::width()));
        }
        KeysCmd::Remove { id } => {
            if !file.remove(&id) {
                return Err(crate::exit::with_code(
                    crate::exit::FAILURE,
                    format!("no key with id {id}"),
                ));
            }
            file.save(key_path)?;
            outln!("removed key {id}");
        }
    }
    Ok(crate::exit::OK)
}

/// True for a listen address that only this machine can reach.
fn loopback_only(listen: &str) -> bool {
    let host = listen.rsplit_once(':').map_or(listen, |(h, _)| h);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Runs the verb.
pub fn run(args: Args) -> anyhow::Result<i32> {
    let dir = leakscope_keys::data_dir();
    let secret = leakscope_keys::open_secret(&dir)?;
    let key_path = leakscope_server::keys::key_file_path(&dir);
    if let Some(Cmd::Keys(cmd)) = args.command {
        return keys(cmd, &key_path);
    }
    let usage = |m: String| crate::exit::with_code(crate::exit::USAGE, m);
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(c), Some(k)) => Some(leakscope_server::tls::server_config(c, k).map_err(usage)?),
        _ => None,
    };
    if tls.is_none() && !loopback_only(&args.listen) {
        eprintln!("leakscope serve: warning: plain HTTP on {}: API keys and looked-up identifiers cross the network unencrypted; give --tls-cert/--tls-key", args.listen);
    }
    let store: Arc<dyn leakscope_corpus::Store> = Arc::from(leakscope_corpus::open_store(
        args.database.as_deref(),
        &dir,
        &secret.fingerprint_hex(),
    )?);
    let keys = LiveKeys::watch(&key_path)?;
    if keys.current().ids().is_empty() {
        eprintln!("leakscope serve: warning: no API keys yet; account lookups will answer 401 (create one: leakscope serve keys add)");
    }
    let https = tls.is_some();
    let web = if args.no_web {
        None
    } else {
        Some(web_app(&args, &dir, https, store.clone(), secret.clone())?)
    };
    let state = AppState {
        store,
        secret,
        keys,
        limiter: Limiter::new((args.password_rpm > 0).then_some(args.password_rpm)),
        blocking: args.database.is_some(),
        access_log: args.access_log,
        cors_origins: args.cors_origins,
    };
    let opts = ServeOptions {
        limits: Limits {
            header_timeout: Duration::from_secs(args.header_timeout.max(1)),
            idle_timeout: Duration::from_secs(args.idle_timeout.max(1)),
            max_connections: args.max_connections.max(1),
        },
        tls,
        extra: web,
        ..ServeOptions::default()
    };
    let scheme = if opts.tls.is_some() { "https" } else { "http" };
    let no_web = opts.extra.is_none();
    let cap = leakscope_server::conn::max_connections(opts.limits.max_connections);
    leakscope_server::run_blocking(&args.listen, state, opts, |addrs| {
        for a in addrs {
            eprintln!("leakscope serve: listening on {scheme}://{a} (at most {cap} connections)");
        }
        if !no_web {
            if let Some(a) = addrs.first() {
                eprintln!("leakscope serve: web app on {scheme}://{a}/ (sign in with a `leakscope user` account)");
            }
        }
    })?;
    Ok(crate::exit::OK)
}

/// The web app's router: the database pool, options and the corpus shared with the API.
fn web_app(
    args: &Args,
    dir: &std::path::Path,
    https: bool,
    store: Arc<dyn leakscope_corpus::Store>,
    secret: leakscope_keys::Secret,
) -> anyhow::Result<leakscope_web::Router> {
    use leakscope_web::{Pool, WebOptions, WebState};
    let usage = |m: String| crate::exit::with_code(crate::exit::USAGE, m);
    let target = leakscope_db::Target::resolve(args.database.as_deref(), dir)?;
    let pool = Arc::new(Pool::open(target, 8).map_err(|e| {
        crate::exit::with_code(
            crate::exit::FAILURE,
            format!("opening the leakscope database for the web app: {e}"),
        )
    })?);
    let upload_limit = leakscope_text::parse_size(&args.upload_limit)
        .map_err(|e| usage(format!("--upload-limit {}: {e}", args.upload_limit)))?;
    let case_reference = if args.case_reference.is_empty() {
        None
    } else {
        for r in &args.case_reference {
            if r.contains("://") {
                let (_, had_password) = leakscope_cases::analyse::strip_password(r);
                if had_password {
                    return Err(usage(
                        "--case-reference: a database URL with a password cannot be stored; index the reference once with `leakscope index build` and give the index".into(),
                    ));
                }
            } else if !std::path::Path::new(r).exists() {
                return Err(usage(format!("--case-reference {r}: no such file")));
            }
        }
        Some(leakscope_cases::ReferenceInput {
            specs: args.case_reference.clone(),
            ..Default::default()
        })
    };
    let loopback = loopback_only(&args.listen);
    if !https && !loopback {
        eprintln!("leakscope serve: warning: the web app's session cookies cross the network unencrypted too (no Secure flag without HTTPS)");
    }
    let mut opts = WebOptions::new(dir.to_path_buf());
    opts.database = args.database.clone();
    // Browsers treat loopback as a secure context: Secure cookies work there without TLS.
    opts.secure_cookies = https || loopback;
    opts.https = https;
    opts.upload_limit = upload_limit;
    opts.session_idle = Duration::from_secs(args.session_idle.max(1) * 60);
    opts.case_reference = case_reference;
    opts.access_log = args.access_log;
    let users = pool
        .blocking(|db| {
            leakscope_web::users::list(db)
                .map_err(|e| leakscope_web::WebError::Unavailable(e.to_string()))
        })
        .map_err(|e| crate::exit::with_code(crate::exit::FAILURE, e.to_string()))?;
    if users.is_empty() {
        eprintln!("leakscope serve: warning: the web app has no users yet (create one: leakscope user add NAME --role admin)");
    }
    let state = WebState::new(pool, opts, Some((store, secret)));
    leakscope_web::start_housekeeping(&state);
    Ok(leakscope_web::router(state))
}
