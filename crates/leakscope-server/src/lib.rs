//! A Have-I-Been-Pwned-v3-compatible HTTP API over the leakscope breach corpus: the same paths,
//! JSON shapes (PascalCase Breach model), status codes and headers, so existing HIBP clients can
//! point at it. API keys are stored hashed, scoped (read/admin, plus searchable domains),
//! rate-limited per key, and re-read within a second of any change to the key file. Connections
//! are bounded in number and time ([`conn`]); TLS is native ([`tls`]).

pub mod account;
pub mod app;
pub mod catalog;
pub mod conn;
pub mod keys;
pub mod passwords;
mod query;
pub mod rate;
pub mod tls;

pub use app::{router, AppState};
pub use catalog::DATA_CLASSES;
pub use conn::Limits;
pub use keys::{KeyFile, KeyIndex, LiveKeys, Scope};

use std::sync::Arc;
use std::time::Duration;

/// How a server runs, beyond its state.
#[derive(Clone)]
pub struct ServeOptions {
    /// Connection limits.
    pub limits: Limits,
    /// TLS configuration (`None`: plain HTTP).
    pub tls: Option<Arc<rustls::ServerConfig>>,
    /// How often the corpus view and the key file are checked for changes.
    pub refresh: Duration,
    /// More routes served beside the API on the same listeners (the web app, `leakscope-web`);
    /// they keep their own layers, the API keeps its own.
    pub extra: Option<axum::Router>,
}

impl Default for ServeOptions {
    fn default() -> ServeOptions {
        ServeOptions {
            limits: Limits::default(),
            tls: None,
            refresh: Duration::from_millis(250),
            extra: None,
        }
    }
}

/// Serves on already-bound listeners until the process ends. Every `refresh` it reloads the
/// corpus view (lookups keep answering during, and pick up the result of, an ingest) and the
/// API keys (a removed key stops working, a new one starts, within a second), and forgets rate
/// limiters of gone keys and quiet clients.
pub async fn serve(
    listeners: Vec<tokio::net::TcpListener>,
    state: Arc<AppState>,
    opts: ServeOptions,
) -> std::io::Result<()> {
    let watched = state.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(opts.refresh);
        let mut rounds = 0u64;
        loop {
            tick.tick().await;
            rounds += 1;
            let s = watched.clone();
            let job = tokio::task::spawn_blocking(move || {
                let corpus = s.store.refresh();
                let keys = s.keys.reload_if_changed();
                (corpus, keys)
            });
            if let Ok((corpus, keys)) = job.await {
                if let Err(e) = corpus {
                    eprintln!("leakscope serve: corpus refresh failed (still serving the previous view): {e}");
                }
                if let Err(e) = keys {
                    eprintln!(
                        "leakscope serve: key file not reloaded (the keys in force stay): {e}"
                    );
                }
            }
            if rounds.is_multiple_of(240) {
                let keys = watched.keys.current();
                watched.limiter.forget(&keys.ids());
            }
        }
    });
    let router = match opts.extra {
        Some(extra) => router(state).merge(extra),
        None => router(state),
    };
    let acceptor = opts.tls.map(tokio_rustls::TlsAcceptor::from);
    let mut tasks = tokio::task::JoinSet::new();
    for l in listeners {
        tasks.spawn(conn::accept_loop(
            l,
            router.clone(),
            opts.limits,
            acceptor.clone(),
        ));
    }
    while tasks.join_next().await.is_some() {}
    Ok(())
}

/// Resolves `listen` (`127.0.0.1:8080`, `[::1]:8080`, `localhost:8080`, `example.org:443`) and
/// binds every address it names; an error when none can be bound.
pub async fn bind(listen: &str) -> std::io::Result<Vec<tokio::net::TcpListener>> {
    let addrs: Vec<std::net::SocketAddr> = tokio::net::lookup_host(listen)
        .await
        .map_err(|e| {
            std::io::Error::new(
                e.kind(),
                format!("--listen {listen}: cannot resolve ({e}); use HOST:PORT"),
            )
        })?
        .collect();
    let mut listeners = Vec::new();
    let mut last = None;
    for a in &addrs {
        match tokio::net::TcpListener::bind(a).await {
            Ok(l) => listeners.push(l),
            Err(e) => last = Some(e),
        }
    }
    if listeners.is_empty() {
        let e = last.unwrap_or_else(|| std::io::Error::other("no address"));
        return Err(std::io::Error::new(
            e.kind(),
            format!("--listen {listen}: cannot bind: {e}"),
        ));
    }
    Ok(listeners)
}

/// Builds a multi-threaded runtime, binds `listen` and serves (blocking); `on_ready` gets the
/// bound addresses.
pub fn run_blocking(
    listen: &str,
    state: AppState,
    opts: ServeOptions,
    on_ready: impl FnOnce(&[std::net::SocketAddr]),
) -> std::io::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listeners = bind(listen).await?;
        let addrs: Vec<_> = listeners
            .iter()
            .filter_map(|l| l.local_addr().ok())
            .collect();
        on_ready(&addrs);
        serve(listeners, Arc::new(state), opts).await
    })
}
