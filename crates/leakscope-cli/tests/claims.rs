//! `leakscope claim` and `leakscope watch` end to end through the binary, with feeds, a proxy and
//! webhooks served by loopback servers this test starts.

use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

fn leakscope(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_leakscope"));
    c.env("LEAKSCOPE_HOME", home);
    for v in [
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        c.env_remove(v);
    }
    c
}

fn run(c: &mut Command) -> Output {
    let out = c.output().expect("leakscope runs");
    if !out.status.success() {
        eprintln!("stderr: {}", String::from_utf8_lossy(&out.stderr));
    }
    out
}

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

/// A request a loopback server received.
#[derive(Debug, Clone)]
struct Req {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Req {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

type Handler = dyn Fn(&Req) -> (u16, Vec<(String, String)>, Vec<u8>) + Send + Sync;

/// A tiny HTTP/1.1 server on 127.0.0.1 (one request per connection).
struct Server {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Req>>>,
}

fn read_request(stream: &mut TcpStream) -> Option<Req> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let len = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    Some(Req {
        method,
        target,
        headers,
        body,
    })
}

fn serve(handler: Arc<Handler>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let requests = Arc::new(Mutex::new(Vec::new()));
    let reqs = requests.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let handler = handler.clone();
            let reqs = reqs.clone();
            std::thread::spawn(move || {
                let Some(req) = read_request(&mut stream) else {
                    return;
                };
                reqs.lock().unwrap().push(req.clone());
                let (status, headers, body) = handler(&req);
                let mut resp = format!(
                    "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                    body.len()
                );
                for (k, v) in headers {
                    resp.push_str(&format!("{k}: {v}\r\n"));
                }
                resp.push_str("\r\n");
                let _ = stream.write_all(resp.as_bytes());
                let _ = stream.write_all(&body);
            });
        }
    });
    Server { addr, requests }
}

/// An HTTP CONNECT proxy on 127.0.0.1 that records the targets it tunnels to.
fn connect_proxy() -> (SocketAddr, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s2 = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut client) = stream else { continue };
            let seen = s2.clone();
            std::thread::spawn(move || {
                let Some(req) = read_request(&mut client) else {
                    return;
                };
                seen.lock()
                    .unwrap()
                    .push(format!("{} {}", req.method, req.target));
                if req.method != "CONNECT" {
                    let _ = client.write_all(b"HTTP/1.1 405 X\r\nContent-Length: 0\r\n\r\n");
                    return;
                }
                let Ok(upstream) = TcpStream::connect(&req.target) else {
                    return;
                };
                let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n");
                let (mut c2, mut u2) = (client.try_clone().unwrap(), upstream.try_clone().unwrap());
                let (mut c1, mut u1) = (client, upstream);
                std::thread::spawn(move || {
                    let _ = std::io::copy(&mut c2, &mut u2);
                });
                let _ = std::io::copy(&mut u1, &mut c1);
            });
        }
    });
    (addr, seen)
}

const SALE_POST: &str = "BreachForums > Databases\n\n[SELLING] Lotus Grocer Pte Ltd (lotusgrocer.com.sg) - 640k customers\nPosted by nightjar_77 - 2025-10-02\n\nSelling the customer database of Lotus Grocer, a Singapore online grocery store.\n640,112 customers: names, emails, phone numbers, delivery addresses, hashed passwords.\nSample row: tran.thi.b@example-mail.com | 91234567\nPrice 2,500 USD. Telegram: @nightjar_77\n";

#[test]
fn extract_human_and_json_with_evidence_and_masking() {
    let dir = tempfile::tempdir().unwrap();
    let post = dir.path().join("post.txt");
    std::fs::write(&post, SALE_POST).unwrap();
    let home = dir.path().join("home");
    let out = run(leakscope(&home).args(["claim", "extract"]).arg(&post));
    assert!(out.status.success());
    let human = String::from_utf8_lossy(&out.stdout);
    assert!(human.contains("sale (alleged)"), "{human}");
    assert!(human.contains("Lotus Grocer Pte Ltd"), "{human}");
    assert!(human.contains("640,112 individuals"), "{human}");

    let out = run(leakscope(&home)
        .args(["claim", "extract", "--json", "--text"])
        .arg(&post));
    let claims = json_lines(&out);
    assert_eq!(claims.len(), 1);
    let c = &claims[0];
    assert_eq!(c["schema"], "leakscope.claim/1");
    assert_eq!(c["kind"][0], "sale");
    assert_eq!(c["victims"][0]["domain"], "lotusgrocer.com.sg");
    assert_eq!(c["victims"][0]["country"], "SG");
    assert_eq!(c["price"]["amount"], 2500.0);
    assert_eq!(c["contacts"][0]["handle"], "@nightjar_77");
    // Evidence spans are character offsets into the text as read.
    let chars: Vec<char> = SALE_POST.chars().collect();
    for (field, spans) in c["evidence"].as_object().unwrap() {
        for s in spans.as_array().unwrap() {
            let (a, b) = (
                s["start"].as_u64().unwrap() as usize,
                s["end"].as_u64().unwrap() as usize,
            );
            let quoted: String = chars[a..b].iter().collect();
            let shown = s["text"].as_str().unwrap();
            assert_eq!(quoted.chars().count(), shown.chars().count(), "{field}");
        }
    }
    // The sample row never appears raw, in JSON or anywhere in the output.
    let all = String::from_utf8_lossy(&out.stdout);
    assert!(
        !all.contains("tran.thi.b@"),
        "raw e-mail leaked into the output"
    );
    assert!(
        !all.contains("91234567"),
        "raw phone leaked into the output"
    );
    // Nothing stored without --store.
    assert!(!home.join("leakscope.db").exists());
}

#[test]
fn unreadable_input_is_partial_and_located() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("post.txt");
    std::fs::write(&good, SALE_POST).unwrap();
    let bad = dir.path().join("broken.json");
    std::fs::write(&bad, "{\"messages\": [ {\"id\": 1, ").unwrap();
    let out = run(leakscope(dir.path())
        .args(["claim", "extract"])
        .arg(&good)
        .arg(&bad));
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken.json") && err.contains("line"), "{err}");
    let out = run(leakscope(dir.path()).args(["claim", "extract"]).arg(&bad));
    assert_eq!(out.status.code(), Some(1));
    let out = run(leakscope(dir.path()).args(["claim", "poll"]));
    assert_eq!(
        out.status.code(),
        Some(1),
        "no feeds configured is not a usable result"
    );
}

#[test]
fn watchlist_import_and_match_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    // Thousands of merchants, generated; one of them sells on the claimed platform.
    let mut csv = String::from("name,aliases,domains,parent,kind\n");
    for i in 0..3000 {
        csv.push_str(&format!(
            "Merchant {i:04} Store,M{i:04},m{i:04}.example.vn,Chợ Sài Gòn,merchant\n"
        ));
    }
    csv.push_str("\"Cửa Hàng Hoa Mai\",Hoa Mai Shop,hoamai.vn,Chợ Phố Việt,merchant\n");
    csv.push_str(",missing name,,,\n");
    std::fs::write(dir.path().join("merchants.csv"), &csv).unwrap();
    let out = run(leakscope(&home)
        .args(["watch", "import", "--json"])
        .arg(dir.path().join("merchants.csv")));
    assert!(out.status.success());
    let rep: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rep["schema"], "leakscope.watch-import/1");
    assert_eq!(rep["created"], 3001);
    assert_eq!(rep["skipped"].as_array().unwrap().len(), 1);
    // Importing again adds nothing.
    let out = run(leakscope(&home)
        .args(["watch", "import", "--json"])
        .arg(dir.path().join("merchants.csv")));
    let rep: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rep["unchanged"], 3001);
    run(leakscope(&home).args([
        "watch",
        "add",
        "LOTUS GROCER",
        "--domain",
        "lotusgrocer.com.sg",
    ]));

    let post = dir.path().join("post.txt");
    std::fs::write(&post, SALE_POST).unwrap();
    let out = run(leakscope(&home)
        .args(["claim", "extract", "--store", "--json"])
        .arg(&post));
    let c = &json_lines(&out)[0];
    let hit = &c["watch"][0];
    assert_eq!(hit["entry"], "LOTUS GROCER");
    assert_eq!(hit["how"], "name", "case and legal form ignored: {hit}");
    assert!(hit["why"].as_str().unwrap().contains("claimed victim"));

    // A Vietnamese post about the platform one merchant sells on (written without diacritics).
    let vi = dir.path().join("vi.txt");
    std::fs::write(
        &vi,
        "Ngay dang: 03/11/2025\nBan data khach hang san thuong mai dien tu Cho Pho Viet (chophoviet.vn), khoang 1,2 trieu tai khoan gom ho ten, so dien thoai, email. Gia 900 USDT. Lien he Telegram @chopho_leak\n",
    )
    .unwrap();
    let out = run(leakscope(&home)
        .args(["claim", "extract", "--store", "--json"])
        .arg(&vi));
    let c = &json_lines(&out)[0];
    let hits: Vec<&Value> = c["watch"].as_array().unwrap().iter().collect();
    let hoa_mai = hits
        .iter()
        .find(|h| h["entry"] == "Cửa Hàng Hoa Mai")
        .expect("merchant hit");
    assert_eq!(hoa_mai["how"], "platform");
    assert!(
        hoa_mai["why"].as_str().unwrap().contains("sells on"),
        "{hoa_mai}"
    );

    // The list shows watchlist hits first.
    let out = run(leakscope(&home).args(["claim", "list", "--json"]));
    let listed = json_lines(&out);
    assert_eq!(listed.len(), 2);
    assert!(listed
        .iter()
        .all(|c| !c["watch"].as_array().unwrap().is_empty()));
    let out = run(leakscope(&home).args(["watch", "remove", "LOTUS GROCER"]));
    assert!(out.status.success());
    let out = run(leakscope(&home).args(["watch", "list", "--json"]));
    let wl: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(wl["schema"], "leakscope.watchlist/1");
    assert_eq!(wl["entries"].as_array().unwrap().len(), 3001);
    let out = run(leakscope(&home).args([
        "claim",
        "list",
        "--json",
        "--status",
        "alleged",
        "--kind",
        "sale",
        "--country",
        "vn",
    ]));
    let only: Vec<Value> = json_lines(&out);
    assert_eq!(only.len(), 1, "filters combine");
}

fn rss(items: &[(&str, &str, &str)]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Leak watch</title>",
    );
    for (guid, title, body) in items {
        s.push_str(&format!(
            "<item><guid>{guid}</guid><title>{title}</title><pubDate>Mon, 03 Nov 2025 08:00:00 +0000</pubDate><description><![CDATA[{body}]]></description></item>"
        ));
    }
    s.push_str("</channel></rss>");
    s
}

const CLAIM_A: &str = "<p>Selling the full customer database of Lotus Grocer Pte Ltd (lotusgrocer.com.sg): 640,112 customers with names, emails and hashed passwords. Sample: tran.thi.b@example-mail.com. Price 2,500 USD.</p>";
const CLAIM_B: &str = "<p>Researchers found an unprotected Elasticsearch server of Kestrel Freight Sdn Bhd exposing 2.1 million shipment records with names and phone numbers; it was publicly accessible for at least 30 days.</p>";
const NOISE: &str = "<p>Join our webinar on incident response next week.</p>";

#[test]
fn poll_feeds_with_etag_dedup_proxy_and_webhook_retry() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    // Feed 1: ETag "v1"; a conditional request with it gets 304.
    let feed1 = rss(&[
        ("a-1", "Lotus Grocer DB for sale", CLAIM_A),
        ("b-1", "Open Elasticsearch", CLAIM_B),
        ("n-1", "Webinar", NOISE),
    ]);
    let f1 = serve(Arc::new(move |r: &Req| {
        if r.header("if-none-match") == Some("\"v1\"") {
            (304, vec![("ETag".into(), "\"v1\"".into())], Vec::new())
        } else {
            (
                200,
                vec![
                    ("ETag".into(), "\"v1\"".into()),
                    ("Content-Type".into(), "application/rss+xml".into()),
                ],
                feed1.clone().into_bytes(),
            )
        }
    }));
    // Feed 2 re-shares claim A (same text, another guid) and repeats it twice; it answers
    // If-Modified-Since with 304.
    let feed2 = rss(&[
        ("x-9", "Re: Lotus Grocer", CLAIM_A),
        ("x-10", "Re: Lotus Grocer (again)", CLAIM_A),
    ]);
    const LM: &str = "Mon, 03 Nov 2025 09:00:00 GMT";
    let f2 = serve(Arc::new(move |r: &Req| {
        if r.header("if-modified-since") == Some(LM) {
            (304, vec![], Vec::new())
        } else {
            (
                200,
                vec![("Last-Modified".into(), LM.into())],
                feed2.clone().into_bytes(),
            )
        }
    }));
    // Feed 3 has no conditional support: its items come back every time.
    let feed3 = rss(&[
        ("c-1", "Open Elasticsearch (repost)", CLAIM_B),
        ("c-2", "Webinar", NOISE),
    ]);
    let f3 = serve(Arc::new(move |_r: &Req| {
        (200, vec![], feed3.clone().into_bytes())
    }));
    // The webhook fails once, then accepts.
    let calls = Arc::new(Mutex::new(0u32));
    let c2 = calls.clone();
    let hook = serve(Arc::new(move |_r: &Req| {
        let mut n = c2.lock().unwrap();
        *n += 1;
        if *n == 1 {
            (500, vec![], b"try later".to_vec())
        } else {
            (200, vec![], b"ok".to_vec())
        }
    }));

    let url1 = format!("http://{}/feed.xml", f1.addr);
    let url2 = format!("http://{}/reshares.rss", f2.addr);
    let url3 = format!("http://{}/plain.xml", f3.addr);
    assert!(
        run(leakscope(&home).args(["claim", "feed", "add", &url1, "--name", "one"]))
            .status
            .success()
    );
    assert!(run(leakscope(&home).args(["claim", "feed", "add", &url2]))
        .status
        .success());
    assert!(run(leakscope(&home).args(["claim", "feed", "add", &url3]))
        .status
        .success());
    assert!(run(leakscope(&home).args(["watch", "add", "Lotus Grocer"]))
        .status
        .success());
    let hook_url = format!("http://{}/hooks/T0/B0/secret-token", hook.addr);
    assert!(
        run(leakscope(&home).args(["watch", "webhook", "add", &hook_url, "--name", "soc"]))
            .status
            .success()
    );
    let out = run(leakscope(&home).args(["watch", "webhook", "list"]));
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("secret-token"),
        "webhook URLs are secrets"
    );

    // First poll, through a CONNECT proxy.
    let (proxy, tunnelled) = connect_proxy();
    let out = run(leakscope(&home)
        .args(["claim", "poll", "--json", "--retry-delay-ms", "20"])
        .args(["--proxy", &format!("http://{proxy}")]));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let rep: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rep["schema"], "leakscope.claim-poll/1");
    let feeds = rep["feeds"].as_array().unwrap();
    assert_eq!(feeds[0]["items"], 3);
    assert_eq!(feeds[0]["new_claims"].as_array().unwrap().len(), 2);
    assert_eq!(feeds[0]["no_claim"], 1);
    assert_eq!(feeds[0]["hits"], 1);
    assert_eq!(
        feeds[1]["new_claims"].as_array().unwrap().len(),
        0,
        "a re-shared post is the same claim"
    );
    assert_eq!(feeds[1]["duplicates"].as_array().unwrap().len(), 2);
    let t = tunnelled.lock().unwrap().clone();
    assert!(
        t.iter().any(|x| x == &format!("CONNECT {}", f1.addr)),
        "fetched through the proxy: {t:?}"
    );
    // The webhook: failed once, retried, delivered; recorded.
    let d = &rep["deliveries"].as_array().unwrap()[0];
    assert_eq!(d["status"], "delivered");
    assert_eq!(d["attempts"], 2);
    let posts = hook.requests.lock().unwrap().clone();
    assert_eq!(posts.len(), 2);
    let payload: Value = serde_json::from_slice(&posts[1].body).unwrap();
    assert!(
        payload["text"].as_str().unwrap().contains("Lotus Grocer"),
        "{payload}"
    );
    assert_eq!(payload["leakscope"]["schema"], "leakscope.alert/1");
    assert_eq!(payload["leakscope"]["watch_hits"][0]["how"], "name");
    let raw = String::from_utf8_lossy(&posts[1].body);
    assert!(
        !raw.contains("tran.thi.b"),
        "no raw leaked value in the alert"
    );
    let out = run(leakscope(&home).args(["watch", "alerts", "--json"]));
    let recorded: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(recorded["schema"], "leakscope.deliveries/1");
    assert_eq!(recorded["deliveries"][0]["status"], "delivered");
    assert_eq!(recorded["deliveries"][0]["http_status"], 200);

    // Second poll: feed 1 answers 304 to the stored ETag, feed 2 to the stored Last-Modified.
    let out = run(leakscope(&home).args(["claim", "poll", "--json"]));
    let rep: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rep["feeds"][0]["not_modified"], true);
    assert_eq!(rep["feeds"][1]["not_modified"], true);
    assert_eq!(
        rep["feeds"][2]["seen_before"], 2,
        "items seen in an earlier poll are skipped: {}",
        rep
    );
    assert!(
        rep["deliveries"].as_array().unwrap().is_empty(),
        "nothing delivered twice"
    );
    let conditional = f1
        .requests
        .lock()
        .unwrap()
        .iter()
        .filter(|r| r.header("if-none-match").is_some())
        .count();
    assert_eq!(conditional, 1);

    // Stored: two claims, the re-shared one with its three sources; hits on top.
    let out = run(leakscope(&home).args(["claim", "list", "--json"]));
    let listed = json_lines(&out);
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["victims"][0]["name"], "Lotus Grocer Pte Ltd");
    assert!(!listed[0]["watch"].as_array().unwrap().is_empty());
    let out = run(leakscope(&home).args(["claim", "list"]));
    let human = String::from_utf8_lossy(&out.stdout);
    assert!(human.contains("reshares.rss"), "sources listed: {human}");
    // The database never holds the raw sample value.
    let db = std::fs::read(home.join("leakscope.db")).unwrap();
    let wal = std::fs::read(home.join("leakscope.db-wal")).unwrap_or_default();
    for bytes in [db, wal] {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("tran.thi.b@"),
            "raw value stored"
        );
    }
}

#[test]
fn accuracy_command_meets_the_gate_on_both_corpus_parts() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../leakscope-claims/tests/corpus");
    for part in ["dev", "heldout", "fresh"] {
        let out = run(Command::new(env!("CARGO_BIN_EXE_leakscope"))
            .args(["claim", "accuracy", "--json"])
            .arg(corpus.join(part)));
        assert!(out.status.success());
        let rep: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(rep["schema"], "leakscope.claim-accuracy/1");
        let (p, r) = (
            rep["precision"].as_f64().unwrap(),
            rep["recall"].as_f64().unwrap(),
        );
        println!("{part}: precision {p:.3} recall {r:.3}");
        assert!(p >= 0.95 && r >= 0.90, "{part}: precision {p} recall {r}");
        for f in rep["per_file"].as_array().unwrap() {
            assert!(f["evidence_gaps"].as_array().unwrap().is_empty(), "{f}");
        }
    }
}

#[test]
fn postgres_database_through_the_cli() {
    let Some(pg) = leakscope_testpg::start_or_skip("postgres_database_through_the_cli") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let post = dir.path().join("post.txt");
    std::fs::write(&post, SALE_POST).unwrap();
    let url = pg.url();
    assert!(
        run(leakscope(dir.path()).args(["watch", "add", "Lotus Grocer", "--database", &url]))
            .status
            .success()
    );
    let out = run(leakscope(dir.path())
        .args(["claim", "extract", "--store", "--json", "--database", &url])
        .arg(&post));
    assert_eq!(json_lines(&out)[0]["watch"][0]["entry"], "Lotus Grocer");
    let out = run(leakscope(dir.path()).args(["claim", "list", "--json", "--database", &url]));
    assert_eq!(json_lines(&out).len(), 1);
    assert!(
        !dir.path().join("leakscope.db").exists(),
        "nothing written to SQLite"
    );
}
