//! Accepting and serving connections, with the limits that keep the server answering under a
//! slow-client attack:
//!
//! - a request's head (line and headers) must arrive within `header_timeout`, which also bounds
//!   how long a keep-alive connection may sit between requests;
//! - a connection whose reads or writes make no progress for `idle_timeout` is closed (slow
//!   readers, stalled TLS handshakes); request bodies are refused outright (every route is a
//!   GET), so there is no slow body to wait for;
//! - at most `max_connections` are open (bounded by the open-file limit); when full, the
//!   connection that has waited longest without a request in progress is closed to make room,
//!   so attackers holding idle connections cannot starve real clients.

use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::collections::HashMap;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tower::ServiceExt;

/// Connection limits of a server.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Time allowed to receive a request's head; also the keep-alive wait for the next request.
    pub header_timeout: Duration,
    /// A connection whose reads or writes make no progress this long is closed.
    pub idle_timeout: Duration,
    /// Open connections at most (see [`max_connections`] for the open-file bound).
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: 1024,
        }
    }
}

/// Descriptors kept free for the corpus files, logs and the listener.
const FD_RESERVE: u64 = 64;

/// `requested`, lowered so that open connections never use up the process's open-file limit
/// (a server out of descriptors cannot accept real clients).
pub fn max_connections(requested: usize) -> usize {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit only writes the struct we pass.
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) } == 0;
    if !ok || lim.rlim_cur == libc::RLIM_INFINITY {
        return requested.max(1);
    }
    let room = lim.rlim_cur.saturating_sub(FD_RESERVE).max(8);
    requested
        .min(usize::try_from(room).unwrap_or(usize::MAX))
        .max(1)
}

/// One open connection's state: idle since when (`None` while a request is being served), and
/// the signal that closes it.
struct Slot {
    idle_since: Mutex<Option<Instant>>,
    close: tokio::sync::Notify,
}

impl Slot {
    fn set_busy(&self, busy: bool) {
        *self.idle_since.lock().unwrap_or_else(|e| e.into_inner()) = (!busy).then(Instant::now);
    }
}

/// The open connections.
#[derive(Default)]
struct Tracker {
    conns: Mutex<(u64, HashMap<u64, Arc<Slot>>)>,
}

impl Tracker {
    fn len(&self) -> usize {
        self.conns.lock().unwrap_or_else(|e| e.into_inner()).1.len()
    }

    fn register(self: &Arc<Self>) -> Registered {
        let slot = Arc::new(Slot {
            idle_since: Mutex::new(Some(Instant::now())),
            close: tokio::sync::Notify::new(),
        });
        let mut g = self.conns.lock().unwrap_or_else(|e| e.into_inner());
        g.0 += 1;
        let id = g.0;
        g.1.insert(id, slot.clone());
        Registered {
            tracker: self.clone(),
            id,
            slot,
        }
    }

    /// Closes the connection idle the longest; false when every connection is serving.
    fn evict_oldest_idle(&self) -> bool {
        let mut g = self.conns.lock().unwrap_or_else(|e| e.into_inner());
        let oldest =
            g.1.iter()
                .filter_map(|(id, s)| {
                    let since = *s.idle_since.lock().unwrap_or_else(|e| e.into_inner());
                    since.map(|t| (t, *id))
                })
                .min();
        match oldest.and_then(|(_, id)| g.1.remove(&id)) {
            Some(slot) => {
                slot.close.notify_one();
                true
            }
            None => false,
        }
    }
}

/// A registered connection; unregisters itself when the connection ends.
struct Registered {
    tracker: Arc<Tracker>,
    id: u64,
    slot: Arc<Slot>,
}

impl Drop for Registered {
    fn drop(&mut self) {
        self.tracker
            .conns
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .1
            .remove(&self.id);
    }
}

/// An I/O stream that fails with `TimedOut` when a read or write stays pending for `limit`
/// without any progress.
struct Stall<T> {
    inner: T,
    limit: Duration,
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<T> Stall<T> {
    fn new(inner: T, limit: Duration) -> Stall<T> {
        Stall {
            inner,
            limit,
            timer: None,
        }
    }

    fn progress<R>(
        &mut self,
        p: Poll<std::io::Result<R>>,
        cx: &mut Context<'_>,
    ) -> Poll<std::io::Result<R>> {
        if p.is_ready() {
            self.timer = None;
            return p;
        }
        let limit = self.limit;
        let timer = self
            .timer
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "connection made no progress",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Stall<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let p = Pin::new(&mut self.inner).poll_read(cx, buf);
        self.progress(p, cx)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Stall<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let p = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.progress(p, cx)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let p = Pin::new(&mut self.inner).poll_flush(cx);
        self.progress(p, cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// True for "too many open files" (process or system).
fn out_of_descriptors(e: &std::io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::EMFILE) | Some(libc::ENFILE))
}

/// Accepts connections on `listener` for ever, serving each with `router` within `limits`
/// (plain HTTP, or HTTPS when `tls` is given).
pub async fn accept_loop(
    listener: TcpListener,
    router: axum::Router,
    limits: Limits,
    tls: Option<tokio_rustls::TlsAcceptor>,
) {
    let tracker = Arc::new(Tracker::default());
    let max = max_connections(limits.max_connections);
    loop {
        let (tcp, peer) = match listener.accept().await {
            Ok(x) => x,
            Err(e) => {
                // Out of descriptors: free one by closing the longest-idle connection.
                if out_of_descriptors(&e) {
                    tracker.evict_oldest_idle();
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
                continue;
            }
        };
        if tracker.len() >= max && !tracker.evict_oldest_idle() {
            // Every connection is serving a request: refuse this one.
            drop(tcp);
            continue;
        }
        let reg = tracker.register();
        let router = router.clone();
        let tls = tls.clone();
        tokio::spawn(serve_connection(tcp, peer, router, limits, tls, reg));
    }
}

async fn serve_connection(
    tcp: tokio::net::TcpStream,
    peer: SocketAddr,
    router: axum::Router,
    limits: Limits,
    tls: Option<tokio_rustls::TlsAcceptor>,
    reg: Registered,
) {
    let _ = tcp.set_nodelay(true);
    let io = Stall::new(tcp, limits.idle_timeout);
    let slot = reg.slot.clone();
    let svc = hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
        slot.set_busy(true);
        req.extensions_mut().insert(ConnectInfo(peer));
        let answer = router.clone().oneshot(req.map(axum::body::Body::new));
        let slot = slot.clone();
        async move {
            let r = answer.await;
            slot.set_busy(false);
            r
        }
    });
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    let closed = reg.slot.close.notified();
    match tls {
        None => {
            let conn = http.serve_connection(TokioIo::new(io), svc);
            tokio::select! {
                _ = conn => {}
                _ = closed => {}
            }
        }
        Some(acceptor) => {
            let handshake = tokio::time::timeout(limits.header_timeout, acceptor.accept(io));
            let stream = tokio::select! {
                r = handshake => match r {
                    Ok(Ok(s)) => s,
                    _ => return,
                },
                _ = reg.slot.close.notified() => return,
            };
            let conn = http.serve_connection(TokioIo::new(stream), svc);
            tokio::select! {
                _ = conn => {}
                _ = closed => {}
            }
        }
    }
    drop(reg);
}
