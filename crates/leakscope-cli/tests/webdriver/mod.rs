//! A minimal W3C WebDriver client for the browser tests: it starts Debian's `chromedriver`
//! (which drives `/usr/bin/chromium` headless with this machine's flags and a fresh profile) and
//! speaks JSON over plain HTTP/1.1 on loopback — sessions, navigation, elements, typing,
//! clicks, script, cookies, window size and screenshots. Nothing else is needed, so no client
//! crate is compiled for it.
#![allow(dead_code)]

use base64::Engine as _;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The browser.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// Its WebDriver server (Debian package `chromium-driver`).
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// W3C element reference key.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// `None` (after a notice) when Chromium or chromedriver is missing, unless `CI` is set: then a
/// missing browser fails the test.
pub fn available(test: &str) -> bool {
    let missing: Vec<&str> = [CHROMIUM, CHROMEDRIVER]
        .into_iter()
        .filter(|p| !Path::new(p).exists())
        .collect();
    if missing.is_empty() {
        return true;
    }
    if std::env::var_os("CI").is_some() {
        panic!("{test}: {missing:?} missing under CI (bash .ci/install-deps.sh installs chromium and chromium-driver)");
    }
    eprintln!("NOTICE: {test} skipped: {missing:?} not installed (apt-get install chromium chromium-driver; CI=1 makes this a failure)");
    false
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A response: status, headers (lower-case names), body.
pub type HttpResponse = (u16, Vec<(String, String)>, Vec<u8>);

/// One HTTP/1.1 request on loopback.
pub fn http(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> std::io::Result<HttpResponse> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(120)))?;
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nUser-Agent: leakscope-test\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    let body = body.unwrap_or_default();
    req.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    s.write_all(req.as_bytes())?;
    s.write_all(body)?;
    // Read the head, then exactly the body the head announces (a server may keep the
    // connection open whatever `Connection: close` asks).
    let mut raw = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    let split = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i;
        }
        let n = s.read(&mut buf)?;
        if n == 0 {
            return Err(std::io::Error::other(
                "connection closed before the headers ended",
            ));
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut rest = raw[split + 4..].to_vec();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status line"))?;
    let hs: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length = hs
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok());
    let chunked = hs
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    if let Some(len) = length {
        while rest.len() < len {
            let n = s.read(&mut buf)?;
            if n == 0 {
                break;
            }
            rest.extend_from_slice(&buf[..n]);
        }
        rest.truncate(len);
    } else if chunked {
        while !rest.ends_with(b"0\r\n\r\n") {
            let n = s.read(&mut buf)?;
            if n == 0 {
                break;
            }
            rest.extend_from_slice(&buf[..n]);
        }
        rest = dechunk(&rest);
    } else if method != "HEAD" && !(100..200).contains(&status) && status != 204 && status != 304 {
        s.read_to_end(&mut rest)?;
    }
    Ok((status, hs, rest))
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&b[..eol])
                .split(';')
                .next()
                .unwrap_or("0")
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 || b.len() < eol + 2 + size {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[(eol + 4 + size).min(b.len())..];
    }
    out
}

/// A headless Chromium session through chromedriver; both end when dropped.
pub struct Browser {
    driver: Child,
    port: u16,
    session: String,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = http(
            self.port,
            "DELETE",
            &format!("/session/{}", self.session),
            &[],
            None,
        );
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session with a fresh profile.
    pub fn start() -> Browser {
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let started = Instant::now();
        while http(port, "GET", "/status", &[], None).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not answer in 20 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let profile = tempfile::tempdir().unwrap();
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--hide-scrollbars", "--window-size=1400,900",
                    format!("--user-data-dir={}", profile.path().display()),
                ],
            },
        }}});
        let body = caps.to_string();
        let (status, _, out) = http(
            port,
            "POST",
            "/session",
            &[("Content-Type", "application/json")],
            Some(body.as_bytes()),
        )
        .expect("new session");
        let v: Value = serde_json::from_slice(&out).expect("session JSON");
        assert_eq!(status, 200, "new session: {v}");
        let session = v["value"]["sessionId"]
            .as_str()
            .expect("session id")
            .to_string();
        Browser {
            driver,
            port,
            session,
            _profile: profile,
        }
    }

    /// A WebDriver command; the `value` of its answer, or the WebDriver error.
    pub fn call(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let b = body.map(|b| b.to_string());
        let (status, _, out) = http(
            self.port,
            method,
            &format!("/session/{}{path}", self.session),
            &[("Content-Type", "application/json")],
            b.as_deref().map(str::as_bytes),
        )
        .map_err(|e| e.to_string())?;
        let v: Value = serde_json::from_slice(&out)
            .map_err(|e| format!("{e}: {}", String::from_utf8_lossy(&out)))?;
        if status == 200 {
            Ok(v["value"].clone())
        } else {
            Err(format!("{method} {path}: {status} {}", v["value"]))
        }
    }

    fn ok(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        self.call(method, path, body)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// Opens a URL.
    pub fn goto(&self, url: &str) {
        self.ok("POST", "/url", Some(json!({ "url": url })));
    }

    /// The page's URL.
    pub fn url(&self) -> String {
        self.ok("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Runs a script (its `return` value).
    pub fn js(&self, script: &str, args: Value) -> Value {
        self.ok(
            "POST",
            "/execute/sync",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// Runs an asynchronous script (it calls `arguments[arguments.length - 1]` with the result).
    pub fn js_async(&self, script: &str, args: Value) -> Value {
        self.ok(
            "POST",
            "/execute/async",
            Some(json!({ "script": script, "args": args })),
        )
    }

    /// The element a CSS selector finds first, if any.
    pub fn find(&self, css: &str) -> Option<String> {
        self.call(
            "POST",
            "/element",
            Some(json!({"using": "css selector", "value": css})),
        )
        .ok()
        .and_then(|v| v[ELEMENT].as_str().map(str::to_string))
    }

    /// True when the selector finds an element.
    pub fn exists(&self, css: &str) -> bool {
        self.find(css).is_some()
    }

    /// Waits until the selector finds an element.
    pub fn wait_for(&self, css: &str, timeout: Duration) -> String {
        let started = Instant::now();
        loop {
            if let Some(e) = self.find(css) {
                return e;
            }
            assert!(
                started.elapsed() < timeout,
                "`{css}` did not appear within {timeout:?} on {}: {:?}",
                self.url(),
                self.call(
                    "POST",
                    "/element",
                    Some(json!({"using": "css selector", "value": css}))
                )
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until the element `css` shows `needle` in its text (a page reached by a form post
    /// may still be the old one when the click returns), and returns that text.
    pub fn wait_for_text(&self, css: &str, needle: &str, timeout: Duration) -> String {
        let started = Instant::now();
        loop {
            let text = self.js(
                "const e = document.querySelector(arguments[0]); return e ? e.innerText : null",
                json!([css]),
            );
            if let Some(t) = text.as_str().filter(|t| t.contains(needle)) {
                return t.to_string();
            }
            assert!(
                started.elapsed() < timeout,
                "`{css}` did not show {needle:?} within {timeout:?} on {}: {text:?}",
                self.url()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn el(&self, css: &str) -> String {
        self.wait_for(css, Duration::from_secs(10))
    }

    /// Clicks an element.
    pub fn click(&self, css: &str) {
        let e = self.el(css);
        self.ok("POST", &format!("/element/{e}/click"), Some(json!({})));
    }

    /// Types into an element (for a file input: a path).
    pub fn type_in(&self, css: &str, text: &str) {
        let e = self.el(css);
        self.ok(
            "POST",
            &format!("/element/{e}/value"),
            Some(json!({ "text": text })),
        );
    }

    /// An element's visible text.
    pub fn text(&self, css: &str) -> String {
        let e = self.el(css);
        self.ok("GET", &format!("/element/{e}/text"), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// The page's whole visible text.
    pub fn page_text(&self) -> String {
        self.js("return document.body.innerText", json!([]))
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Every cookie of the current page (HttpOnly ones too).
    pub fn cookies(&self) -> Vec<Value> {
        self.ok("GET", "/cookie", None)
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Sets the window's size.
    pub fn set_size(&self, width: u32, height: u32) {
        self.ok(
            "POST",
            "/window/rect",
            Some(json!({"width": width, "height": height})),
        );
    }

    /// Screenshots the whole page at a width into `dir/name-WIDTH.png`; returns the file and the
    /// page's layout width (a page wider than the window scrolls sideways: a layout fault).
    pub fn screenshot(&self, dir: &Path, name: &str, width: u32) -> (PathBuf, u64) {
        self.set_size(width, 900);
        std::thread::sleep(Duration::from_millis(150));
        let h = self
            .js("return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)", json!([]))
            .as_u64()
            .unwrap_or(900);
        self.set_size(width, (h + 20).clamp(600, 12_000) as u32);
        std::thread::sleep(Duration::from_millis(250));
        let layout = self
            .js("return document.documentElement.scrollWidth", json!([]))
            .as_u64()
            .unwrap_or(0);
        let png = self.ok("GET", "/screenshot", None);
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(png.as_str().unwrap_or_default())
            .expect("screenshot base64");
        assert!(bytes.starts_with(b"\x89PNG"), "a PNG");
        let path = dir.join(format!("{name}-{width}.png"));
        std::fs::write(&path, &bytes).unwrap();
        self.set_size(1400, 900);
        (path, layout)
    }
}

/// Width and height of a PNG file (from its header).
pub fn png_size(path: &Path) -> (u32, u32) {
    let b = std::fs::read(path).unwrap();
    let w = u32::from_be_bytes([b[16], b[17], b[18], b[19]]);
    let h = u32::from_be_bytes([b[20], b[21], b[22], b[23]]);
    (w, h)
}
