//! A small pool of database connections. A [`Db`] needs exclusive access (`&mut`), and its calls
//! block (SQLite, or the synchronous PostgreSQL client), so every use runs on Tokio's blocking
//! pool with a connection of its own; idle connections are kept for the next request, and at
//! most `max` are open at once.

use crate::error::WebError;
use leakscope_db::{Db, Target};
use std::sync::{Arc, Mutex};
use tokio::sync::Semaphore;

/// Database connections for the web app.
pub struct Pool {
    target: Target,
    idle: Mutex<Vec<Db>>,
    permits: Arc<Semaphore>,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Pool({})", self.target.describe())
    }
}

impl Pool {
    /// Opens one connection (creating and migrating the database) and keeps it; at most `max`
    /// connections will be open.
    pub fn open(target: Target, max: usize) -> Result<Pool, leakscope_db::DbError> {
        let first = Db::open(&target)?;
        Ok(Pool {
            target,
            idle: Mutex::new(vec![first]),
            permits: Arc::new(Semaphore::new(max.max(1))),
        })
    }

    /// Where the database is.
    pub fn target(&self) -> &Target {
        &self.target
    }

    fn take(&self) -> Result<Db, WebError> {
        let idle = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        match idle {
            Some(db) => Ok(db),
            None => Db::open(&self.target).map_err(WebError::from),
        }
    }

    fn put(&self, db: Db) {
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).push(db);
    }

    /// Runs `f` with a connection on the blocking pool (waiting for a free slot first).
    pub async fn run<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut Db) -> Result<T, WebError> + Send + 'static,
    ) -> Result<T, WebError> {
        let permit = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| WebError::Unavailable("the database pool is closed".into()))?;
        let pool = self.clone();
        let job = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            pool.blocking(f)
        });
        job.await
            .map_err(|_| WebError::Internal("a database task failed".into()))?
    }

    /// Runs `f` with a connection on the current (blocking) thread.
    pub fn blocking<T>(
        &self,
        f: impl FnOnce(&mut Db) -> Result<T, WebError>,
    ) -> Result<T, WebError> {
        let mut db = self.take()?;
        let out = f(&mut db);
        // A connection whose work failed on the database itself may be broken (PostgreSQL):
        // drop it rather than hand it to the next request.
        if !matches!(out, Err(WebError::Unavailable(_))) {
            self.put(db);
        }
        out
    }
}
