//! Loopback servers that replay the documented responses of products that are not packaged for
//! this machine — Elasticsearch 7.17, Kibana 7.17, MongoDB 6.0 and a MinIO S3 endpoint — with a
//! generated customer data set inside, so the same probe code that talks to a real cluster can be
//! tested (and benchmarked) here. Each server counts the connections it accepted, which is how
//! the tests prove that an out-of-scope target was never contacted.
//!
//! Response shapes, as documented by the vendors (fields the probes do not read trimmed):
//! - Elasticsearch 7.17 "Root API" (`GET /`), "cat indices API" (`format=json`), "Get mapping
//!   API", "Search API" (`hits.hits[]._source`, `sort`); the 401 of a secured cluster from the
//!   "Security" chapter (`security_exception`, `WWW-Authenticate: Basic realm="security"`).
//! - Kibana 7.17 "Status API" (`GET /api/status`), "Saved objects API → Find objects"
//!   (`GET /api/saved_objects/_find`), the Console proxy (`POST /api/console/proxy`), the root
//!   redirect to `/spaces/enter` with the `kbn-name` header; a secured Kibana's 401
//!   `{"statusCode":401,"error":"Unauthorized"}`.
//! - MongoDB 6.0 "Database Commands": `hello`, `buildInfo`, `listDatabases`, `listCollections`,
//!   `count`, `find` reply documents; `Unauthorized` (code 13) when access control is on.
//! - Amazon S3 API Reference (2006-03-01) `ListObjectsV2`, `GetObject` with `Range`
//!   (206 + `Content-Range`), and `AccessDenied` errors, as MinIO (RELEASE.2023-03) serves them.

use crate::probe::mongo;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// Which product to replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Product {
    /// Elasticsearch 7.17.
    Elasticsearch,
    /// Kibana 7.17 in front of an Elasticsearch cluster.
    Kibana,
    /// MongoDB 6.0.
    Mongodb,
    /// MinIO (S3 API) with a public bucket.
    S3,
    /// Accepts connections and closes them (counts only).
    Counter,
}

/// Deterministic customer documents: name, e-mail, phone (SG / VN), city, created time.
pub fn customers(n: usize, seed: u64) -> Vec<Value> {
    const GIVEN: &[&str] = &[
        "Wei Ling",
        "Minh Anh",
        "Siti",
        "Arjun",
        "Hui Min",
        "Thanh Hoa",
        "Daniel",
        "Mei Xin",
        "Quang Huy",
        "Nurul",
    ];
    const FAMILY: &[&str] = &[
        "Tan", "Nguyen", "Lim", "Tran", "Ong", "Pham", "Lee", "Le", "Goh", "Hoang",
    ];
    const CITY: &[&str] = &[
        "Singapore",
        "Ho Chi Minh City",
        "Hanoi",
        "Jurong West",
        "Da Nang",
    ];
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    (0..n)
        .map(|i| {
            let g = GIVEN[(next() % GIVEN.len() as u64) as usize];
            let f = FAMILY[(next() % FAMILY.len() as u64) as usize];
            let sg = i % 2 == 0;
            let phone = if sg {
                format!("+65 {}{:03} {:04}", [8, 9][i % 4 / 2], next() % 1000, next() % 10000)
            } else {
                format!("+84 9{:02} {:03} {:03}", next() % 100, next() % 1000, next() % 1000)
            };
            let local = format!("{}.{}{}", g.split(' ').next().unwrap_or(g), f, i).to_lowercase();
            json!({
                "customer_id": 100_000 + i,
                "full_name": format!("{f} {g}"),
                "email": format!("{local}@example.com"),
                "phone": phone,
                "city": CITY[i % CITY.len()],
                "created_at": format!("2026-{:02}-{:02}T08:{:02}:00Z", 1 + i % 11, 1 + i % 28, i % 60),
            })
        })
        .collect()
}

/// A running replay server; stopped on drop.
#[derive(Debug)]
pub struct Replay {
    addr: SocketAddr,
    accepts: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Replay {
    /// Where it listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Connections accepted so far.
    pub fn accepts(&self) -> u64 {
        self.accepts.load(Ordering::SeqCst)
    }
}

impl Drop for Replay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
        // The listener is closed once the thread ends: the port refuses connections again.
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// The data a server holds.
#[derive(Debug, Clone)]
struct Data {
    docs: Arc<Vec<Value>>,
    /// Documents the store reports (≥ docs held: the sample is a prefix).
    total: u64,
    secured: bool,
}

/// Starts `product` on `ip` (port 0: any free one) serving `docs` as a store of `total`
/// records; `secured` makes it demand credentials.
pub fn start(
    product: Product,
    ip: IpAddr,
    port: u16,
    docs: Vec<Value>,
    total: u64,
    secured: bool,
) -> std::io::Result<Replay> {
    let l = TcpListener::bind((ip, port))?;
    let addr = l.local_addr()?;
    let accepts = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let data = Data {
        docs: Arc::new(docs),
        total,
        secured,
    };
    let (a, s) = (Arc::clone(&accepts), Arc::clone(&stop));
    let thread = std::thread::Builder::new()
        .name(format!("replay-{product:?}"))
        .spawn(move || {
            for conn in l.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(c) = conn else { continue };
                a.fetch_add(1, Ordering::SeqCst);
                if product == Product::Counter {
                    continue;
                }
                let d = data.clone();
                std::thread::spawn(move || {
                    let _ = c.set_read_timeout(Some(Duration::from_secs(10)));
                    let _ = match product {
                        Product::Mongodb => serve_mongo(c, &d),
                        Product::Counter => Ok(()),
                        p => serve_http(c, p, &d),
                    };
                });
            }
        })?;
    Ok(Replay {
        addr,
        accepts,
        stop,
        thread: Some(thread),
    })
}

struct Req {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
}

fn read_request(r: &mut BufReader<TcpStream>) -> Option<Req> {
    let mut line = String::new();
    r.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        r.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len.min(1 << 20)];
    r.read_exact(&mut body).ok()?;
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    Some(Req {
        method,
        path: path.to_string(),
        query: query.to_string(),
        headers,
    })
}

fn param<'a>(q: &'a str, k: &str) -> Option<&'a str> {
    q.split('&')
        .find_map(|p| p.strip_prefix(k)?.strip_prefix('='))
}

fn pct_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

type Response = (u16, Vec<(&'static str, String)>, Vec<u8>);

fn json_resp(status: u16, v: &Value) -> Response {
    (
        status,
        vec![("content-type", "application/json".into())],
        v.to_string().into_bytes(),
    )
}

fn es_answer(path: &str, query: &str, d: &Data) -> Response {
    let index = "customers-2026";
    match path {
        "/" => json_resp(
            200,
            &json!({
            "name": "es-node-1", "cluster_name": "shop-logs", "cluster_uuid": "nq7LuqAaQ8y6vtAgEkqRCw",
            "version": {"number": "7.17.9", "build_flavor": "default", "build_type": "docker",
                "build_hash": "ef48222227ee6b9e70e502f0f0daa52435ee634d", "build_date": "2023-01-31T05:34:43.305517834Z",
                "build_snapshot": false, "lucene_version": "8.11.1", "minimum_wire_compatibility_version": "6.8.0",
                "minimum_index_compatibility_version": "6.0.0-beta1"},
            "tagline": "You Know, for Search"}),
        ),
        "/_cat/indices" => json_resp(
            200,
            &json!([
            {"index": index, "docs.count": d.total.to_string(), "store.size": (d.total * 412).to_string(), "health": "yellow", "status": "open"},
            {"index": ".kibana_7.17.9_001", "docs.count": "52", "store.size": "2345678", "health": "green", "status": "open"},
            {"index": "empty-index", "docs.count": "0", "store.size": "226", "health": "yellow", "status": "open"}]),
        ),
        p if p == format!("/{index}/_mapping") => json_resp(
            200,
            &json!({index: {"mappings": {"properties": {
            "created_at": {"type": "date"}, "email": {"type": "keyword"}, "full_name": {"type": "text"},
            "phone": {"type": "keyword"}, "city": {"type": "keyword"}, "customer_id": {"type": "long"}}}}}),
        ),
        p if p == format!("/{index}/_search") => {
            let size: usize = param(query, "size")
                .and_then(|s| s.parse().ok())
                .unwrap_or(10);
            if param(query, "sort").is_some() {
                let newest = d
                    .docs
                    .iter()
                    .filter_map(|x| x["created_at"].as_str())
                    .max()
                    .unwrap_or("2026-01-01T00:00:00Z");
                let ms = chrono::DateTime::parse_from_rfc3339(newest)
                    .map(|t| t.timestamp_millis())
                    .unwrap_or(0);
                return json_resp(
                    200,
                    &json!({"took": 1, "timed_out": false, "hits": {"total": {"value": d.total, "relation": "eq"},
                    "hits": [{"_index": index, "_id": "1", "_score": null, "_source": {"created_at": newest}, "sort": [ms]}]}}),
                );
            }
            let hits: Vec<Value> = d.docs.iter().take(size).enumerate()
                .map(|(i, s)| json!({"_index": index, "_id": i.to_string(), "_score": 1.0, "_source": s})).collect();
            json_resp(
                200,
                &json!({"took": 3, "timed_out": false, "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
                "hits": {"total": {"value": d.total.min(10000), "relation": if d.total > 10000 {"gte"} else {"eq"}}, "max_score": 1.0, "hits": hits}}),
            )
        }
        _ => json_resp(
            404,
            &json!({"error": {"root_cause": [{"type": "index_not_found_exception", "reason": "no such index"}],
            "type": "index_not_found_exception", "reason": "no such index"}, "status": 404}),
        ),
    }
}

fn answer(p: Product, req: &Req, d: &Data) -> Response {
    match p {
        Product::Elasticsearch => {
            if d.secured {
                let reason = format!(
                    "missing authentication credentials for REST request [{}]",
                    req.path
                );
                let mut r = json_resp(
                    401,
                    &json!({"error": {"root_cause": [{"type": "security_exception", "reason": reason,
                    "header": {"WWW-Authenticate": ["Basic realm=\"security\" charset=\"UTF-8\"", "ApiKey"]}}],
                    "type": "security_exception", "reason": reason}, "status": 401}),
                );
                r.1.push((
                    "www-authenticate",
                    "Basic realm=\"security\" charset=\"UTF-8\"".into(),
                ));
                return r;
            }
            let mut r = es_answer(&req.path, &req.query, d);
            r.1.push(("x-elastic-product", "Elasticsearch".into()));
            r
        }
        Product::Kibana => {
            let kbn = |mut r: Response| {
                r.1.push(("kbn-name", "kibana".into()));
                r.1.push(("kbn-license-sig", "da420c53321c02c93e55bc5c8e7a0b12".into()));
                r
            };
            if req.path == "/" {
                let loc = if d.secured {
                    "/login?next=%2F"
                } else {
                    "/spaces/enter"
                };
                return kbn((302, vec![("location", loc.into())], Vec::new()));
            }
            if d.secured {
                return kbn(json_resp(
                    401,
                    &json!({"statusCode": 401, "error": "Unauthorized", "message": "Unauthorized"}),
                ));
            }
            match (req.method.as_str(), req.path.as_str()) {
                ("GET", "/api/status") => kbn(json_resp(
                    200,
                    &json!({"name": "kibana-prod", "uuid": "5b2de169-2785-441b-ae8c-186a1936b17d",
                    "version": {"number": "7.17.9", "build_hash": "c0d0ec9b6d9b5cb4c2a0bd31e0f7d8b1c9a0b3f4", "build_number": 46534, "build_snapshot": false},
                    "status": {"overall": {"state": "green", "title": "Green", "nickname": "Looking good", "icon": "success", "uiColor": "secondary",
                    "since": "2026-11-30T02:00:00.000Z"}, "statuses": []}, "metrics": {}}),
                )),
                ("GET", "/api/saved_objects/_find") => {
                    let kind = param(&req.query, "type").unwrap_or("");
                    let objs = if kind == "index-pattern" {
                        json!([{"type": "index-pattern", "id": "ff959d40-b880-11e8-a6d9-e546fe2bba5f", "attributes": {"title": "customers-*", "timeFieldName": "created_at"},
                            "references": [], "migrationVersion": {"index-pattern": "7.11.0"}, "updated_at": "2026-11-30T02:00:00.000Z", "version": "WzEsMV0="}])
                    } else {
                        json!([{"type": "dashboard", "id": "722b74f0-b882-11e8-a6d9-e546fe2bba5f", "attributes": {"title": "Orders"}, "references": []}])
                    };
                    kbn(json_resp(
                        200,
                        &json!({"page": 1, "per_page": 100, "total": objs.as_array().map_or(0, Vec::len), "saved_objects": objs}),
                    ))
                }
                ("POST", "/api/console/proxy") => {
                    let has_xsrf = req.headers.iter().any(|(k, _)| k == "kbn-xsrf");
                    if !has_xsrf || param(&req.query, "method") != Some("GET") {
                        return kbn(json_resp(
                            400,
                            &json!({"statusCode": 400, "error": "Bad Request", "message": "Request must contain a kbn-xsrf header."}),
                        ));
                    }
                    let target = pct_decode(param(&req.query, "path").unwrap_or(""));
                    let (p, q) = target.split_once('?').unwrap_or((&target, ""));
                    let p = format!("/{}", p.trim_start_matches('/'));
                    kbn(es_answer(&p, q, d))
                }
                _ => kbn(json_resp(
                    404,
                    &json!({"statusCode": 404, "error": "Not Found", "message": "Not Found"}),
                )),
            }
        }
        Product::S3 => {
            let minio = |mut r: Response| {
                r.1.push(("server", "MinIO".into()));
                r.1.push(("x-amz-request-id", "17A0B0B6C8D5E2F1".into()));
                r
            };
            let denied = |res: &str| {
                minio((403, vec![("content-type", "application/xml".into())], format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied.</Message><Resource>{res}</Resource><RequestId>17A0B0B6C8D5E2F1</RequestId><HostId>dd9025bab4ad464b049177c95eb6ebf374d3b3fd1af9251148b658df7ac2e3e8</HostId></Error>").into_bytes()))
            };
            if req.path == "/" || d.secured {
                return denied(&req.path);
            }
            let csv = customers_csv(&d.docs);
            match req.path.as_str() {
                "/backups" => minio((200, vec![("content-type", "application/xml".into())], format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>backups</Name><Prefix></Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated><Contents><Key>crm/customers-2026-11.csv</Key><LastModified>2026-11-30T02:00:00.000Z</LastModified><ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag><Size>{}</Size><StorageClass>STANDARD</StorageClass></Contents><Contents><Key>logo.png</Key><LastModified>2026-10-01T00:00:00.000Z</LastModified><ETag>&quot;1&quot;</ETag><Size>4096</Size><StorageClass>STANDARD</StorageClass></Contents></ListBucketResult>",
                    csv.len()).into_bytes())),
                "/backups/crm/customers-2026-11.csv" => ranged(req, csv, minio),
                _ => denied(&req.path),
            }
        }
        _ => (404, Vec::new(), Vec::new()),
    }
}

fn ranged(req: &Req, body: Vec<u8>, wrap: impl Fn(Response) -> Response) -> Response {
    let total = body.len();
    let range = req
        .headers
        .iter()
        .find(|(k, _)| k == "range")
        .and_then(|(_, v)| {
            let (a, b) = v.strip_prefix("bytes=")?.split_once('-')?;
            Some((a.parse::<usize>().ok()?, b.parse::<usize>().ok()?))
        });
    match range {
        Some((a, b)) if a < total => {
            let b = b.min(total - 1);
            wrap((
                206,
                vec![
                    ("content-range", format!("bytes {a}-{b}/{total}")),
                    ("content-type", "text/csv".into()),
                ],
                body[a..=b].to_vec(),
            ))
        }
        _ => wrap((200, vec![("content-type", "text/csv".into())], body)),
    }
}

/// The documents as a CSV export.
pub fn customers_csv(docs: &[Value]) -> Vec<u8> {
    let mut s = String::from("customer_id,full_name,email,phone,city,created_at\n");
    for d in docs {
        s.push_str(&format!(
            "{},{},{},{},{},{}\n",
            d["customer_id"],
            d["full_name"].as_str().unwrap_or(""),
            d["email"].as_str().unwrap_or(""),
            d["phone"].as_str().unwrap_or(""),
            d["city"].as_str().unwrap_or(""),
            d["created_at"].as_str().unwrap_or("")
        ));
    }
    s.into_bytes()
}

fn serve_http(c: TcpStream, p: Product, d: &Data) -> std::io::Result<()> {
    let mut w = c.try_clone()?;
    let mut r = BufReader::new(c);
    while let Some(req) = read_request(&mut r) {
        let (status, headers, body) = answer(p, &req, d);
        let mut head = format!(
            "HTTP/1.1 {status} {}\r\ncontent-length: {}\r\n",
            reason(status),
            if req.method == "HEAD" { 0 } else { body.len() }
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        w.write_all(head.as_bytes())?;
        if req.method != "HEAD" {
            w.write_all(&body)?;
        }
    }
    Ok(())
}

fn reason(s: u16) -> &'static str {
    match s {
        200 => "OK",
        206 => "Partial Content",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        _ => "Not Found",
    }
}

fn serve_mongo(mut c: TcpStream, d: &Data) -> std::io::Result<()> {
    let mut id = 1000;
    while let Ok((req_id, _, cmd)) = mongo::read_op_msg(&mut c) {
        let name = cmd
            .as_object()
            .and_then(|o| o.keys().next().cloned())
            .unwrap_or_default();
        let db = cmd["$db"].as_str().unwrap_or("admin").to_string();
        let unauth = json!({"ok": 0.0, "errmsg": format!("command {name} requires authentication"), "code": 13, "codeName": "Unauthorized"});
        let reply = match name.as_str() {
            "hello" | "isMaster" => {
                json!({"isWritablePrimary": true, "topologyVersion": {"processId": {"$oid": "6570a1b2c3d4e5f601234567"}, "counter": 0},
                "maxBsonObjectSize": 16_777_216, "maxMessageSizeBytes": 48_000_000, "maxWriteBatchSize": 100_000,
                "localTime": {"$date": 1_764_900_000_000i64}, "logicalSessionTimeoutMinutes": 30, "connectionId": 7,
                "minWireVersion": 0, "maxWireVersion": 17, "readOnly": false, "ok": 1.0})
            }
            "buildInfo" => {
                json!({"version": "6.0.5", "gitVersion": "c9a99c120371d4d4c52cbb15dac34a36ce8d3b1d", "modules": [], "allocator": "tcmalloc",
                "javascriptEngine": "mozjs", "sysInfo": "deprecated", "versionArray": [6, 0, 5, 0], "bits": 64, "ok": 1.0})
            }
            _ if d.secured => unauth,
            "listDatabases" => {
                json!({"databases": [{"name": "admin", "sizeOnDisk": 40960, "empty": false},
                {"name": "shop", "sizeOnDisk": d.total * 300, "empty": false}, {"name": "local", "sizeOnDisk": 73728, "empty": false}],
                "totalSize": d.total * 300 + 114_688, "totalSizeMb": 1, "ok": 1.0})
            }
            "listCollections" => {
                json!({"cursor": {"id": 0, "ns": format!("{db}.$cmd.listCollections"),
                "firstBatch": if db == "shop" { json!([{"name": "customers", "type": "collection"}, {"name": "system.views", "type": "collection"}]) } else { json!([]) }}, "ok": 1.0})
            }
            "count" => json!({"n": if db == "shop" { d.total } else { 0 }, "ok": 1.0}),
            "find" => {
                let limit = cmd["limit"].as_u64().unwrap_or(101) as usize;
                let batch: Vec<Value> = if cmd.get("sort").is_some() {
                    vec![json!({"_id": {"$oid": format!("692b{:020x}", d.docs.len())}})]
                } else {
                    d.docs
                        .iter()
                        .take(limit)
                        .enumerate()
                        .map(|(i, x)| {
                            let mut x = x.clone();
                            x["_id"] = json!({"$oid": format!("6700{:020x}", i)});
                            x
                        })
                        .collect()
                };
                json!({"cursor": {"firstBatch": batch, "id": 0, "ns": format!("{db}.customers")}, "ok": 1.0})
            }
            _ => {
                json!({"ok": 0.0, "errmsg": format!("no such command: '{name}'"), "code": 59, "codeName": "CommandNotFound"})
            }
        };
        id += 1;
        c.write_all(&mongo::op_msg(id, req_id, &reply))?;
    }
    Ok(())
}
