//! An in-process web app over a temporary data directory (secret, database, users, a stored
//! claim, a reference, a breach corpus), driven request by request through the router — the
//! same router `leakscope serve` mounts — with a cookie jar per browser.
#![allow(dead_code)]

#[path = "../../../leakscope-cases/tests/common/mod.rs"]
pub mod common;

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use leakscope_db::Target;
use leakscope_web::{Pool, Role, WebOptions, WebState};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;

/// A two-thread runtime for the app's background work (scans, sessions).
pub fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

/// Passwords of the test users.
pub const ADMIN_PW: &str = "admin password 2026";
/// Analyst's password.
pub const ANALYST_PW: &str = "analyst password 2026";
/// Viewer's password.
pub const VIEWER_PW: &str = "viewer password 2026";

/// The app and its data directory.
pub struct App {
    /// Temporary directory (data directory under `home`, inputs beside it).
    pub dir: tempfile::TempDir,
    /// The data directory.
    pub home: PathBuf,
    /// The router.
    pub router: axum::Router,
    /// The state.
    pub state: Arc<WebState>,
    /// The customers of the generated platform.
    pub people: Vec<common::Person>,
    /// The sample (every second customer).
    pub sample: Vec<common::Person>,
}

/// A response, read.
pub struct Resp {
    /// Status.
    pub status: StatusCode,
    /// Headers.
    pub headers: HeaderMap,
    /// Body as text (lossy).
    pub body: String,
}

impl Resp {
    /// The `Location` header.
    pub fn location(&self) -> String {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }
}

/// A browser's cookies.
#[derive(Default, Clone, Debug)]
pub struct Jar(pub HashMap<String, String>);

impl Jar {
    fn header(&self) -> Option<String> {
        (!self.0.is_empty()).then(|| {
            self.0
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ")
        })
    }

    fn absorb(&mut self, h: &HeaderMap) {
        for v in h.get_all(header::SET_COOKIE) {
            let s = v.to_str().unwrap_or_default();
            let (kv, attrs) = s.split_once(';').unwrap_or((s, ""));
            let (k, val) = kv.split_once('=').unwrap_or((kv, ""));
            if attrs.contains("Max-Age=0") {
                self.0.remove(k);
            } else {
                self.0.insert(k.to_string(), val.to_string());
            }
        }
    }
}

/// The value of `name="csrf"` in a page.
pub fn csrf_in(html: &str) -> String {
    let key = "name=\"csrf\" value=\"";
    let i = html.find(key).expect("a CSRF field") + key.len();
    html[i..].split('"').next().unwrap().to_string()
}

impl App {
    /// A data directory with the three users, the Vietnamese post's claim stored and the
    /// watchlist matching it, the platform's customers as the server's case reference, and a
    /// breach corpus holding the first 50 customers' e-mail addresses.
    pub fn new(upload_limit: u64) -> App {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        let (secret, _) = leakscope_keys::init_data_dir(&home).unwrap();
        let people = common::people(400);
        common::write_reference(&dir.path().join("ref.csv"), &people);
        let sample = common::write_sample(&dir.path().join("sample.csv"), &people, 2);
        std::fs::write(dir.path().join("post-vi.txt"), common::POST_VI).unwrap();
        let pool = Arc::new(Pool::open(Target::Sqlite(home.join("leakscope.db")), 4).unwrap());
        pool.blocking(|db| {
            leakscope_web::users::add(db, "ada", Role::Admin, ADMIN_PW).unwrap();
            leakscope_web::users::add(db, "ana", Role::Analyst, ANALYST_PW).unwrap();
            leakscope_web::users::add(db, "vic", Role::Viewer, VIEWER_PW).unwrap();
            leakscope_claims::watch::add(
                db,
                &leakscope_claims::watch::Entry {
                    kind: "organisation".into(),
                    name: "Công ty Cổ phần Chợ Lúa".into(),
                    domains: vec!["cholua.vn".into()],
                    ..Default::default()
                },
            )
            .unwrap();
            leakscope_cases::claim::load(
                db,
                &leakscope_cases::claim::ClaimInput::Post {
                    path: dir.path().join("post-vi.txt"),
                    format: None,
                    item: None,
                },
            )
            .unwrap();
            Ok(())
        })
        .unwrap();
        let leak = dir.path().join("old-leak.csv");
        let mut csv = String::from("email,name\n");
        for p in people.iter().take(50) {
            csv.push_str(&format!("{},{}\n", p.email, p.name));
        }
        std::fs::write(&leak, csv).unwrap();
        let store: Arc<dyn leakscope_corpus::Store> = Arc::from(
            leakscope_corpus::open_store(None, &home, &secret.fingerprint_hex()).unwrap(),
        );
        let (prepared, _) = leakscope_corpus::read::prepare_paths(
            std::slice::from_ref(&leak),
            &secret,
            leakscope_corpus::IngestOptions::default(),
        )
        .unwrap();
        store
            .add(
                &leakscope_corpus::BreachMeta {
                    name: "cholua-2025".into(),
                    title: Some("Chợ Lúa forum dump 2025".into()),
                    domain: Some("cholua.vn".into()),
                    ..Default::default()
                },
                prepared,
            )
            .unwrap();
        let mut opts = WebOptions::new(home.clone());
        opts.upload_limit = upload_limit;
        opts.case_reference = Some(leakscope_cases::ReferenceInput {
            specs: vec![dir.path().join("ref.csv").display().to_string()],
            ..Default::default()
        });
        let state = WebState::new(pool, opts, Some((store, secret)));
        let router = leakscope_web::router(state.clone());
        App {
            dir,
            home,
            router,
            state,
            people,
            sample,
        }
    }

    /// A file beside the data directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Sends a request with the jar's cookies; the jar takes the response's cookies.
    pub async fn send(&self, jar: &mut Jar, req: Request<Body>) -> Resp {
        let (mut parts, body) = req.into_parts();
        if let Some(c) = jar.header() {
            parts.headers.insert(header::COOKIE, c.parse().unwrap());
        }
        let resp = self
            .router
            .clone()
            .oneshot(Request::from_parts(parts, body))
            .await
            .unwrap();
        jar.absorb(resp.headers());
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap();
        Resp {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// `GET path`.
    pub async fn get(&self, jar: &mut Jar, path: &str) -> Resp {
        self.send(
            jar,
            Request::builder().uri(path).body(Body::empty()).unwrap(),
        )
        .await
    }

    /// `POST path` with a URL-encoded form.
    pub async fn post(&self, jar: &mut Jar, path: &str, fields: &[(&str, &str)]) -> Resp {
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.send(
            jar,
            Request::builder()
                .method(Method::POST)
                .uri(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
    }

    /// Signs in; returns the browser's jar and the session's CSRF token.
    pub async fn sign_in(&self, name: &str, password: &str) -> (Jar, String) {
        let mut jar = Jar::default();
        let form = self.get(&mut jar, "/login").await;
        let token = csrf_in(&form.body);
        let r = self
            .post(
                &mut jar,
                "/login",
                &[
                    ("csrf", &token),
                    ("name", name),
                    ("password", password),
                    ("next", "/"),
                ],
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "sign-in of {name}: {}",
            r.body
        );
        let home = self.get(&mut jar, "/").await;
        assert_eq!(home.status, StatusCode::OK);
        let csrf = csrf_in(&home.body);
        (jar, csrf)
    }

    /// Uploads files into a case (multipart: the CSRF token first).
    pub async fn upload(
        &self,
        jar: &mut Jar,
        case: i64,
        csrf: &str,
        files: &[(&str, Vec<u8>)],
        json: bool,
    ) -> Resp {
        let boundary = "leakscopeTestBoundary7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n"
            )
            .as_bytes(),
        );
        for (name, bytes) in files {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"sample\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n").as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let mut b = Request::builder()
            .method(Method::POST)
            .uri(format!("/cases/{case}/samples"))
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header(header::CONTENT_LENGTH, body.len());
        if json {
            b = b.header(header::ACCEPT, "application/json");
        }
        self.send(jar, b.body(Body::from(body)).unwrap()).await
    }

    /// Waits for a job to finish; returns its last status.
    pub async fn wait_job(&self, jar: &mut Jar, case: i64, job: u64) -> serde_json::Value {
        for _ in 0..1200 {
            let r = self.get(jar, &format!("/cases/{case}/jobs/{job}")).await;
            assert_eq!(r.status, StatusCode::OK, "{}", r.body);
            let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
            if v["state"] == "done" || v["state"] == "failed" {
                return v;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("job {job} did not finish in 120 s");
    }

    /// Every row of a table as text (for "no raw value stored" checks).
    pub fn dump_table(&self, table: &str) -> String {
        self.state
            .pool
            .blocking(|db| {
                let rows = db.query(&format!("SELECT * FROM {table}"), &[])?;
                Ok(rows
                    .iter()
                    .map(|r| format!("{:?}", r.0))
                    .collect::<Vec<_>>()
                    .join("\n"))
            })
            .unwrap()
    }

    /// The newest audit entries as `action outcome detail` lines.
    pub fn audit(&self) -> Vec<String> {
        self.state
            .pool
            .blocking(|db| {
                Ok(leakscope_web::audit::list(db, &Default::default())?
                    .into_iter()
                    .map(|e| {
                        format!(
                            "{} {} {} {} {}",
                            e.actor.unwrap_or_default(),
                            e.action,
                            e.outcome,
                            e.target.unwrap_or_default(),
                            e.detail
                        )
                    })
                    .collect())
            })
            .unwrap()
    }
}

/// True when a directory tree holds no file.
pub fn no_files(dir: &Path) -> bool {
    if !dir.exists() {
        return true;
    }
    walk(dir).is_empty()
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
