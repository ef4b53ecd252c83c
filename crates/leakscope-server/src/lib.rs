//! A Have-I-Been-Pwned-v3-compatible HTTP API over the leakscope breach corpus: the same paths,
//! JSON shapes (PascalCase Breach model), status codes and headers, so existing HIBP clients can
//! point at it. API keys are stored hashed, scoped (read/admin) and rate-limited per key.

pub mod app;
pub mod keys;
pub mod rate;

pub use app::{router, AppState};
pub use keys::{KeyFile, KeyIndex, Scope};

use leakscope_corpus::Store;
use std::sync::Arc;
use std::time::Duration;

/// Serves on an already-bound listener until the process ends; reloads the corpus view every
/// `refresh` so lookups keep answering during (and pick up the result of) an ingest.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    refresh: Duration,
) -> std::io::Result<()> {
    let store: Arc<dyn Store> = state.store.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(refresh);
        loop {
            tick.tick().await;
            let s = store.clone();
            if let Ok(Err(e)) = tokio::task::spawn_blocking(move || s.refresh()).await {
                eprintln!(
                    "leakscope serve: corpus refresh failed (still serving the previous view): {e}"
                );
            }
        }
    });
    axum::serve(listener, router(state)).await
}

/// Builds a multi-threaded runtime, binds `listen` and serves (blocking).
pub fn run_blocking(
    listen: std::net::SocketAddr,
    state: AppState,
    on_ready: impl FnOnce(std::net::SocketAddr),
) -> std::io::Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen).await?;
        on_ready(listener.local_addr()?);
        serve(listener, Arc::new(state), Duration::from_secs(1)).await
    })
}
