//! The scope file (what the user owns or is authorised to test) and the check every target and
//! every connection goes through.
//!
//! One entry per line; `#` starts a comment:
//!
//! ```text
//! 10.20.0.0/24              # a network (IPv4 or IPv6 CIDR) or one address
//! db1.example.com           # a host name (exactly this name)
//! *.staging.example.com     # any name below this domain
//! 10.20.0.7:5432            # only this port of this host (also name:port, [v6]:port)
//! https://kibana.example.com:5601/   # a URL: its host and, when written, its port
//! !10.20.0.1                # excluded: wins over every allow entry
//! ```

use std::fmt;
use std::net::IpAddr;

/// A network: address and prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    /// Network address (host bits cleared).
    pub addr: IpAddr,
    /// Prefix length.
    pub prefix: u8,
}

impl Cidr {
    /// Parses `a.b.c.d/n`, `v6/n` or a single address (a /32 or /128).
    pub fn parse(s: &str) -> Option<Cidr> {
        let (a, p) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let a = a.trim_start_matches('[').trim_end_matches(']');
        let addr: IpAddr = a.parse().ok()?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max)?,
            None => max,
        };
        Some(Cidr {
            addr: mask(addr, prefix),
            prefix,
        })
    }

    /// True when `ip` is inside.
    pub fn contains(&self, ip: IpAddr) -> bool {
        ip.is_ipv4() == self.addr.is_ipv4() && mask(ip, self.prefix) == self.addr
    }

    /// Number of addresses (saturating).
    pub fn size(&self) -> u128 {
        let bits = if self.addr.is_ipv4() { 32 } else { 128 } - u32::from(self.prefix);
        if bits >= 128 {
            u128::MAX
        } else {
            1u128 << bits
        }
    }

    /// The host addresses, in order (network and broadcast addresses of IPv4 networks of 4 or
    /// more addresses left out); at most `limit`.
    pub fn hosts(&self, limit: usize) -> Vec<IpAddr> {
        let n = self.size();
        let skip_edges = self.addr.is_ipv4() && n >= 4;
        let (start, end) = if skip_edges { (1, n - 1) } else { (0, n) };
        let base = to_u128(self.addr);
        (start..end)
            .take(limit)
            .map(|i| from_u128(base + i, self.addr.is_ipv4()))
            .collect()
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

fn to_u128(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v) => u128::from(u32::from(v)),
        IpAddr::V6(v) => u128::from(v),
    }
}

fn from_u128(v: u128, v4: bool) -> IpAddr {
    if v4 {
        IpAddr::V4((v as u32).into())
    } else {
        IpAddr::V6(v.into())
    }
}

fn mask(ip: IpAddr, prefix: u8) -> IpAddr {
    match ip {
        IpAddr::V4(v) => {
            let m = if prefix == 0 {
                0
            } else {
                u32::MAX << (32 - u32::from(prefix))
            };
            IpAddr::V4((u32::from(v) & m).into())
        }
        IpAddr::V6(v) => {
            let m = if prefix == 0 {
                0
            } else {
                u128::MAX << (128 - u32::from(prefix))
            };
            IpAddr::V6((u128::from(v) & m).into())
        }
    }
}

/// What an entry names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostPattern {
    /// Addresses.
    Net(Cidr),
    /// Exactly this host name (lower case, no trailing dot).
    Name(String),
    /// Any name below this domain (`*.example.com` → `example.com`).
    Below(String),
}

/// One line of the scope file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Hosts.
    pub host: HostPattern,
    /// Only this port, when given.
    pub port: Option<u16>,
    /// An exclusion (`!`).
    pub deny: bool,
    /// 1-based line in the file.
    pub line: usize,
}

/// The allow list and its exclusions.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    entries: Vec<Entry>,
    /// Where it came from (for reports).
    pub origin: String,
}

/// A bad scope line (located; the line's text is the user's own scope, shown as is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeError {
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ScopeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "scope line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for ScopeError {}

/// Splits `host[:port]`, `[v6]:port`, or a URL into (host, port, scheme, path).
pub fn split_authority(s: &str) -> Option<(String, Option<u16>, Option<String>, String)> {
    let (scheme, rest) = match s.split_once("://") {
        Some((sc, r)) => (Some(sc.to_ascii_lowercase()), r),
        None => (None, s),
    };
    let (auth, path) = match rest.find('/') {
        Some(i) if scheme.is_some() => (&rest[..i], rest[i..].to_string()),
        _ => (rest, String::new()),
    };
    // User information is never part of a target.
    let auth = auth.rsplit_once('@').map_or(auth, |(_, h)| h);
    let (host, port) = if let Some(r) = auth.strip_prefix('[') {
        let (h, after) = r.split_once(']')?;
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p.parse().ok()?),
            None if after.is_empty() => None,
            None => return None,
        };
        (h.to_string(), port)
    } else if auth.matches(':').count() > 1 {
        // A bare IPv6 address (with an optional /prefix) has no port.
        (auth.to_string(), None)
    } else if let Some((h, p)) = auth.split_once(':') {
        (h.to_string(), Some(p.parse().ok()?))
    } else {
        (auth.to_string(), None)
    };
    if host.is_empty() {
        return None;
    }
    Some((host.to_ascii_lowercase(), port, scheme, path))
}

fn valid_name(n: &str) -> bool {
    !n.is_empty()
        && n.len() <= 253
        && n.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

impl Scope {
    /// Parses scope text.
    pub fn parse(text: &str, origin: &str) -> Result<Scope, ScopeError> {
        let mut entries = Vec::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let s = raw.split('#').next().unwrap_or("").trim();
            if s.is_empty() {
                continue;
            }
            let (deny, s) = match s.strip_prefix('!') {
                Some(r) => (true, r.trim()),
                None => (false, s),
            };
            entries.push(parse_entry(s, deny, line)?);
        }
        if !entries.iter().any(|e| !e.deny) {
            return Err(ScopeError {
                line: 0,
                message:
                    "the scope allows nothing: list the networks, hosts or URLs you own or may test"
                        .into(),
            });
        }
        Ok(Scope {
            entries,
            origin: origin.to_string(),
        })
    }

    /// The entries.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// True when connecting to `ip:port` (reached as `name`, when a name was given) is allowed.
    /// An exclusion matching the address or the name refuses; otherwise an allow entry must
    /// match the address, or the name (an allowed name vouches for whatever it resolves to).
    pub fn allows(&self, name: Option<&str>, ip: IpAddr, port: u16) -> bool {
        let matches = |e: &Entry| {
            e.port.is_none_or(|p| p == port)
                && match &e.host {
                    HostPattern::Net(c) => c.contains(ip),
                    HostPattern::Name(n) => name.is_some_and(|x| x == n),
                    HostPattern::Below(d) => {
                        name.is_some_and(|x| x.len() > d.len() + 1 && x.ends_with(&format!(".{d}")))
                    }
                }
        };
        if self.entries.iter().any(|e| e.deny && matches(e)) {
            return false;
        }
        self.entries.iter().any(|e| !e.deny && matches(e))
    }

    /// True when some allow entry could admit this host name (before it is resolved): names
    /// that no entry mentions are refused without a DNS query when the scope has no networks.
    pub fn may_allow_name(&self, name: &str) -> bool {
        self.entries.iter().any(|e| {
            !e.deny
                && match &e.host {
                    HostPattern::Net(_) => true,
                    HostPattern::Name(n) => n == name,
                    HostPattern::Below(d) => name.ends_with(&format!(".{d}")),
                }
        })
    }
}

fn parse_entry(s: &str, deny: bool, line: usize) -> Result<Entry, ScopeError> {
    let bad = |m: String| ScopeError { line, message: m };
    if let Some(c) = Cidr::parse(s) {
        return Ok(Entry {
            host: HostPattern::Net(c),
            port: None,
            deny,
            line,
        });
    }
    let (host, port, _scheme, _path) =
        split_authority(s).ok_or_else(|| bad(format!("cannot read {s:?}")))?;
    let host = host.trim_end_matches('.').to_string();
    let pattern = if let Some(c) = Cidr::parse(&host) {
        HostPattern::Net(c)
    } else if let Some(d) = host.strip_prefix("*.") {
        if !valid_name(d) {
            return Err(bad(format!("{s:?} is not a host name pattern")));
        }
        HostPattern::Below(d.to_string())
    } else if valid_name(&host) {
        HostPattern::Name(host)
    } else {
        return Err(bad(format!(
            "{s:?} is neither an address, a network, a host name nor a URL"
        )));
    };
    Ok(Entry {
        host: pattern,
        port,
        deny,
        line,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_names_ports_and_exclusions() {
        let s = Scope::parse(
            "# ours\n10.0.0.0/24\n!10.0.0.1\ndb.example.com\n*.corp.example\n192.168.5.5:6379\nhttps://kb.example.com:5601/app\n[::1]:27017\n",
            "t",
        )
        .unwrap();
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        assert!(s.allows(None, ip("10.0.0.7"), 9200));
        assert!(!s.allows(None, ip("10.0.0.1"), 9200));
        assert!(!s.allows(None, ip("10.0.1.7"), 9200));
        assert!(s.allows(Some("db.example.com"), ip("203.0.113.9"), 5432));
        assert!(!s.allows(Some("x.example.com"), ip("203.0.113.9"), 5432));
        assert!(s.allows(Some("a.b.corp.example"), ip("203.0.113.9"), 80));
        assert!(!s.allows(Some("corp.example"), ip("203.0.113.9"), 80));
        assert!(s.allows(None, ip("192.168.5.5"), 6379));
        assert!(!s.allows(None, ip("192.168.5.5"), 6380));
        assert!(s.allows(Some("kb.example.com"), ip("203.0.113.1"), 5601));
        assert!(!s.allows(Some("kb.example.com"), ip("203.0.113.1"), 9200));
        assert!(s.allows(None, ip("::1"), 27017));
        // An excluded address stays excluded even when reached through an allowed name.
        assert!(!s.allows(Some("db.example.com"), ip("10.0.0.1"), 5432));
    }

    #[test]
    fn bad_lines_are_located() {
        let e = Scope::parse("10.0.0.0/24\nnot a host!\n", "t").unwrap_err();
        assert_eq!(e.line, 2);
        let e = Scope::parse("10.0.0.0/33\n", "t").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(Scope::parse("# nothing\n!10.0.0.1\n", "t").is_err());
    }

    #[test]
    fn cidr_hosts() {
        let c = Cidr::parse("127.0.1.0/30").unwrap();
        assert_eq!(c.hosts(10).len(), 2);
        let c = Cidr::parse("127.0.1.9").unwrap();
        assert_eq!(c.hosts(10), vec!["127.0.1.9".parse::<IpAddr>().unwrap()]);
        assert_eq!(Cidr::parse("10.0.0.0/8").unwrap().hosts(5).len(), 5);
        assert!(Cidr::parse("fe80::/64")
            .unwrap()
            .contains("fe80::1".parse().unwrap()));
    }
}
