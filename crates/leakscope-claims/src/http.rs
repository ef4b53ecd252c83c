//! The HTTP client for feeds and webhooks: timeouts, a body size limit, conditional requests
//! (ETag / Last-Modified), and a proxy (`--proxy URL`, else the `HTTPS_PROXY` / `ALL_PROXY` /
//! `HTTP_PROXY` environment with `NO_PROXY`); HTTP, HTTPS (rustls) and SOCKS proxies.

use std::time::Duration;

/// Client settings.
#[derive(Debug, Clone)]
pub struct HttpOptions {
    /// Whole-request timeout.
    pub timeout: Duration,
    /// Connect timeout.
    pub connect_timeout: Duration,
    /// Proxy URL (`http://…`, `socks5://…`); None: from the environment.
    pub proxy: Option<String>,
    /// Largest body read.
    pub max_body: u64,
}

impl Default for HttpOptions {
    fn default() -> HttpOptions {
        HttpOptions {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            proxy: None,
            max_body: 32 * 1024 * 1024,
        }
    }
}

/// A configured client.
#[derive(Debug, Clone)]
pub struct Client {
    agent: ureq::Agent,
    max_body: u64,
}

/// A response.
#[derive(Debug, Clone)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// `ETag` header.
    pub etag: Option<String>,
    /// `Last-Modified` header.
    pub last_modified: Option<String>,
    /// `Content-Type` header.
    pub content_type: Option<String>,
    /// Body (empty for 304).
    pub body: Vec<u8>,
}

/// A transport failure (no HTTP status): the message names the host, never a full URL with a
/// query string or credentials.
#[derive(Debug, Clone)]
pub struct HttpError(pub String);

impl std::fmt::Display for HttpError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for HttpError {}

/// The host part of a URL (for messages).
pub fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let hostport = rest.split(['/', '?', '#']).next().unwrap_or("");
    hostport
        .rsplit_once('@')
        .map_or(hostport, |(_, h)| h)
        .to_string()
}

/// A URL without user information, query string or fragment (they can hold tokens): what is
/// stored with a claim and shown in lists.
pub fn redact_url(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let cut = rest.find(['?', '#']).unwrap_or(rest.len());
    let (hostpart, path) = rest[..cut]
        .split_once('/')
        .map_or((&rest[..cut], ""), |(h, p)| (h, p));
    let host = hostpart.rsplit_once('@').map_or(hostpart, |(_, h)| h);
    let tail = if cut < rest.len() { "?…" } else { "" };
    let slash = if rest[..cut].contains('/') { "/" } else { "" };
    if scheme.is_empty() {
        format!("{host}{slash}{path}{tail}")
    } else {
        format!("{scheme}://{host}{slash}{path}{tail}")
    }
}

impl Client {
    /// Builds a client.
    pub fn new(o: &HttpOptions) -> Result<Client, HttpError> {
        let proxy = match &o.proxy {
            Some(p) => Some(
                ureq::Proxy::new(p)
                    .map_err(|e| HttpError(format!("--proxy is not a usable proxy URL: {e}")))?,
            ),
            None => ureq::Proxy::try_from_env(),
        };
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(o.timeout))
            .timeout_connect(Some(o.connect_timeout))
            .http_status_as_error(false)
            .proxy(proxy)
            .user_agent(concat!("leakscope/", env!("CARGO_PKG_VERSION")))
            .build();
        Ok(Client {
            agent: config.into(),
            max_body: o.max_body,
        })
    }

    /// GET with conditional headers.
    pub fn get(
        &self,
        url: &str,
        etag: Option<&str>,
        last_modified: Option<&str>,
    ) -> Result<Response, HttpError> {
        let mut req = self.agent.get(url).header(
            "Accept",
            "application/rss+xml, application/atom+xml, application/feed+json, application/json, text/xml, text/html;q=0.8, */*;q=0.5",
        );
        if let Some(e) = etag {
            req = req.header("If-None-Match", e);
        }
        if let Some(m) = last_modified {
            req = req.header("If-Modified-Since", m);
        }
        let resp = req.call().map_err(|e| transport(url, e))?;
        self.read(url, resp)
    }

    /// POST a JSON body.
    pub fn post_json(&self, url: &str, body: &[u8]) -> Result<Response, HttpError> {
        let resp = self
            .agent
            .post(url)
            .header("Content-Type", "application/json")
            .send(body)
            .map_err(|e| transport(url, e))?;
        self.read(url, resp)
    }

    fn read(
        &self,
        url: &str,
        mut resp: ureq::http::Response<ureq::Body>,
    ) -> Result<Response, HttpError> {
        let header = |name: &str| {
            resp.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let status = resp.status().as_u16();
        let etag = header("etag");
        let last_modified = header("last-modified");
        let content_type = header("content-type");
        let body = if status == 304 {
            Vec::new()
        } else {
            resp.body_mut()
                .with_config()
                .limit(self.max_body)
                .read_to_vec()
                .map_err(|e| transport(url, e))?
        };
        Ok(Response {
            status,
            etag,
            last_modified,
            content_type,
            body,
        })
    }
}

fn transport(url: &str, e: ureq::Error) -> HttpError {
    HttpError(format!("{}: {e}", host_of(url)))
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_tokens() {
        assert_eq!(
            super::redact_url("https://u:p@x.example/a/feed.rss?key=s3cret#f"),
            "https://x.example/a/feed.rss?…"
        );
        assert_eq!(
            super::redact_url("http://127.0.0.1:8080/feed.xml"),
            "http://127.0.0.1:8080/feed.xml"
        );
        assert_eq!(
            super::host_of("https://u:p@x.example:8443/a?b"),
            "x.example:8443"
        );
    }
}
