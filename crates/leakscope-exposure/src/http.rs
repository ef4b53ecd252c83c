//! The probes' HTTP client: ureq with redirects off, no proxy, the scan's User-Agent and
//! timeouts, and a resolver that only ever answers the endpoint being probed (so a request can
//! reach nothing but an in-scope address, whatever a server or DNS says). Certificates are not
//! verified: internal hosts often have self-signed ones, and the probes send no credentials.

use crate::net::{Endpoint, Net};
use std::io::Read;
use std::net::SocketAddr;
use ureq::unversioned::resolver::{ResolvedSocketAddrs, Resolver};

/// A response, body bounded.
#[derive(Debug, Clone)]
pub struct Resp {
    /// HTTP status.
    pub status: u16,
    /// Headers, names lower case.
    pub headers: Vec<(String, String)>,
    /// Body (at most the limit asked for).
    pub body: Vec<u8>,
    /// The body was longer than the limit.
    pub truncated: bool,
}

impl Resp {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON, if it is.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The body as text (lossy).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

#[derive(Debug)]
struct OnlyThis {
    host: String,
    addr: SocketAddr,
    allowed: bool,
}

impl Resolver for OnlyThis {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        _config: &ureq::config::Config,
        _timeout: ureq::unversioned::transport::NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let host = uri
            .host()
            .unwrap_or("")
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_ascii_lowercase();
        let port = uri
            .port_u16()
            .unwrap_or(if uri.scheme_str() == Some("https") {
                443
            } else {
                80
            });
        if !self.allowed || host != self.host || port != self.addr.port() {
            return Err(ureq::Error::HostNotFound);
        }
        let mut v = self.empty();
        v.push(self.addr);
        Ok(v)
    }
}

/// An HTTP client bound to one endpoint.
#[derive(Debug, Clone)]
pub struct Http {
    net: Net,
    ep: Endpoint,
    base: String,
    agent: ureq::Agent,
}

/// Percent-encodes a path segment (index names, bucket keys).
pub fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Http {
    /// A client for `ep` over HTTPS or plain HTTP.
    pub fn new(net: &Net, ep: &Endpoint, https: bool) -> Http {
        let l = &net.limits;
        let tls = ureq::tls::TlsConfig::builder()
            .disable_verification(true)
            .build();
        let config = ureq::Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .proxy(None)
            .user_agent(l.user_agent.as_str())
            .timeout_connect(Some(l.connect_timeout))
            .timeout_per_read(Some(l.io_timeout))
            .timeout_global(Some(l.io_timeout * 6))
            .tls_config(tls)
            .build();
        let host = ep.host().to_ascii_lowercase();
        let resolver = OnlyThis {
            host: host.clone(),
            addr: SocketAddr::new(ep.ip, ep.port),
            allowed: net.allowed(ep),
        };
        let agent = ureq::Agent::with_parts(
            config,
            ureq::unversioned::transport::DefaultConnector::default(),
            resolver,
        );
        let scheme = if https { "https" } else { "http" };
        Http {
            net: net.clone(),
            ep: ep.clone(),
            base: format!("{scheme}://{}", ep.authority()),
            agent,
        }
    }

    /// `scheme://host:port`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The scan's limits.
    pub fn limits(&self) -> &crate::net::Limits {
        &self.net.limits
    }

    /// The endpoint.
    pub fn endpoint(&self) -> &Endpoint {
        &self.ep
    }

    /// GET with a body limit.
    pub fn get(&self, path: &str, limit: u64) -> Result<Resp, String> {
        self.send("GET", path, &[], None, limit)
    }

    /// GET with extra headers.
    pub fn get_with(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        limit: u64,
    ) -> Result<Resp, String> {
        self.send("GET", path, headers, None, limit)
    }

    /// HEAD.
    pub fn head(&self, path: &str) -> Result<Resp, String> {
        self.send("HEAD", path, &[], None, 0)
    }

    /// POST of a JSON body (only used for read-only APIs that take their query as a body).
    pub fn post_json(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
        limit: u64,
    ) -> Result<Resp, String> {
        self.send("POST", path, headers, Some(body), limit)
    }

    fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
        limit: u64,
    ) -> Result<Resp, String> {
        if !self.net.allowed(&self.ep) {
            return Err(crate::net::out_of_scope(&self.ep).to_string());
        }
        self.net.count_request();
        let url = format!("{}{}", self.base, path);
        let err = |e: ureq::Error| format!("{} {method}: {}", self.ep.authority(), short(&e));
        let res = match (method, body) {
            ("HEAD", _) => {
                let mut r = self.agent.head(&url);
                for (k, v) in headers {
                    r = r.header(*k, *v);
                }
                r.call()
            }
            ("POST", Some(b)) => {
                let mut r = self
                    .agent
                    .post(&url)
                    .header("content-type", "application/json");
                for (k, v) in headers {
                    r = r.header(*k, *v);
                }
                r.send(b)
            }
            _ => {
                let mut r = self.agent.get(&url);
                for (k, v) in headers {
                    r = r.header(*k, *v);
                }
                r.call()
            }
        }
        .map_err(err)?;
        let status = res.status().as_u16();
        let hs: Vec<(String, String)> = res
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let mut body = Vec::new();
        let mut truncated = false;
        if method != "HEAD" && limit > 0 {
            let mut reader = res.into_body().into_reader();
            let mut limited = (&mut reader).take(limit);
            if let Err(e) = limited.read_to_end(&mut body) {
                return Err(format!(
                    "{} {method}: reading the body: {e}",
                    self.ep.authority()
                ));
            }
            if body.len() as u64 >= limit {
                let mut one = [0u8; 1];
                truncated = matches!(reader.read(&mut one), Ok(n) if n > 0);
            }
        }
        Ok(Resp {
            status,
            headers: hs,
            body,
            truncated,
        })
    }
}

/// A short error text (ureq's messages hold no request data beyond the host).
fn short(e: &ureq::Error) -> String {
    let s = e.to_string();
    s.chars().take(200).collect()
}
