//! Every packet a probe sends goes through [`Net`]: the scope is checked again at each connect
//! (a probe cannot reach an address the scope does not allow, whatever a server answers), new
//! connections and HTTP requests share one rate limit, and every socket has timeouts.

use crate::scope::Scope;
use std::io;
use std::net::{IpAddr, SocketAddr, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Limits of a scan.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Endpoints probed at once (default 16).
    pub concurrency: usize,
    /// New connections plus HTTP requests per second, all probes together (default 20).
    pub rate: f64,
    /// Connect timeout (default 3 s).
    pub connect_timeout: Duration,
    /// Read/write timeout per operation (default 10 s).
    pub io_timeout: Duration,
    /// Documents or rows sampled per store (default 1,000).
    pub sample_per_store: usize,
    /// Stores (indices, collections, tables, files) sampled per service, largest first
    /// (default 20).
    pub stores_per_service: usize,
    /// Bytes read per sampled store or file (default 8 MiB).
    pub sample_bytes: u64,
    /// Try the documented default credentials (PostgreSQL users without password, MySQL root
    /// and anonymous with an empty password); on by default.
    pub default_credentials: bool,
    /// `HEAD` the documented well-known paths (`/.env`, `/backup.sql` …) on web servers; on by
    /// default.
    pub well_known_paths: bool,
    /// Addresses a CIDR target may expand to (default 4,096).
    pub max_hosts: usize,
    /// User-Agent of HTTP requests.
    pub user_agent: String,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            concurrency: 16,
            rate: 20.0,
            connect_timeout: Duration::from_secs(3),
            io_timeout: Duration::from_secs(10),
            sample_per_store: 1000,
            stores_per_service: 20,
            sample_bytes: 8 << 20,
            default_credentials: true,
            well_known_paths: true,
            max_hosts: 4096,
            user_agent: format!(
                "leakscope-exposure/{} (authorised exposure audit; read-only)",
                env!("CARGO_PKG_VERSION")
            ),
        }
    }
}

/// A shared pacing limit: at most `rate` permits per second, spaced evenly.
#[derive(Debug)]
pub struct RateLimiter {
    interval: Duration,
    next: Mutex<Instant>,
}

impl RateLimiter {
    /// `rate` per second (≤ 0 or infinite: no limit).
    pub fn new(rate: f64) -> RateLimiter {
        let interval = if rate.is_finite() && rate > 0.0 {
            Duration::from_secs_f64(1.0 / rate)
        } else {
            Duration::ZERO
        };
        RateLimiter {
            interval,
            next: Mutex::new(Instant::now()),
        }
    }

    /// Waits for the next permit.
    pub fn acquire(&self) {
        if self.interval.is_zero() {
            return;
        }
        let wait = {
            let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            let slot = (*next).max(now);
            *next = slot + self.interval;
            slot.saturating_duration_since(now)
        };
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
    }
}

/// One address × port to probe, with the name it was reached by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Endpoint {
    /// Host name as given (None for address targets).
    pub name: Option<String>,
    /// Address.
    pub ip: IpAddr,
    /// Port.
    pub port: u16,
}

impl Endpoint {
    /// The host as shown: the name, else the address.
    pub fn host(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.ip.to_string())
    }

    /// `host:port` (IPv6 in brackets).
    pub fn authority(&self) -> String {
        let h = self.host();
        if h.contains(':') {
            format!("[{h}]:{}", self.port)
        } else {
            format!("{h}:{}", self.port)
        }
    }
}

/// Counters of what was sent.
#[derive(Debug, Default)]
pub struct Counters {
    /// TCP connections opened.
    pub connections: AtomicU64,
    /// HTTP requests sent.
    pub requests: AtomicU64,
    /// Connections refused by the scope check (a probe bug or a hostile redirect).
    pub out_of_scope: AtomicU64,
}

/// The network as the probes see it.
#[derive(Debug, Clone)]
pub struct Net {
    scope: Arc<Scope>,
    /// Limits.
    pub limits: Arc<Limits>,
    limiter: Arc<RateLimiter>,
    /// What was sent.
    pub counters: Arc<Counters>,
}

/// The error a connection outside the scope gets.
pub fn out_of_scope(ep: &Endpoint) -> io::Error {
    io::Error::new(
        io::ErrorKind::PermissionDenied,
        format!("{} is outside the scope: not contacted", ep.authority()),
    )
}

impl Net {
    /// A network limited to `scope`.
    pub fn new(scope: Arc<Scope>, limits: Limits) -> Net {
        Net {
            limiter: Arc::new(RateLimiter::new(limits.rate)),
            scope,
            limits: Arc::new(limits),
            counters: Arc::new(Counters::default()),
        }
    }

    /// The scope.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// True when the scope allows this endpoint.
    pub fn allowed(&self, ep: &Endpoint) -> bool {
        self.scope.allows(ep.name.as_deref(), ep.ip, ep.port)
    }

    /// Waits for a permit of the shared rate limit.
    pub fn pace(&self) {
        self.limiter.acquire();
    }

    /// Opens a TCP connection (scope checked, paced, with timeouts).
    pub fn connect(&self, ep: &Endpoint) -> io::Result<TcpStream> {
        if !self.allowed(ep) {
            self.counters.out_of_scope.fetch_add(1, Ordering::Relaxed);
            return Err(out_of_scope(ep));
        }
        self.pace();
        self.counters.connections.fetch_add(1, Ordering::Relaxed);
        let s = TcpStream::connect_timeout(
            &SocketAddr::new(ep.ip, ep.port),
            self.limits.connect_timeout,
        )?;
        s.set_read_timeout(Some(self.limits.io_timeout))?;
        s.set_write_timeout(Some(self.limits.io_timeout))?;
        let _ = s.set_nodelay(true);
        Ok(s)
    }

    /// Counts an HTTP request and waits for its permit (the HTTP client calls it).
    pub(crate) fn count_request(&self) {
        self.pace();
        self.counters.requests.fetch_add(1, Ordering::Relaxed);
    }

    /// Connections opened so far.
    pub fn connections(&self) -> u64 {
        self.counters.connections.load(Ordering::Relaxed)
    }

    /// HTTP requests sent so far.
    pub fn requests(&self) -> u64 {
        self.counters.requests.load(Ordering::Relaxed)
    }
}
