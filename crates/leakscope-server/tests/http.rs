//! The HIBP-compatible API over real loopback HTTP: shapes, status codes, headers, auth scopes,
//! rate limiting, padding, and answering during an ingest.

mod common;

use common::{add_breach, get, get_ua, start};
use leakscope_corpus::passwords::sha1;

#[test]
fn breached_account_shapes_and_filters() {
    let s = start();
    let r = get_ua(
        s.addr,
        "/api/v3/breachedaccount/alice%40example.com",
        Some(&s.read_key),
    );
    assert_eq!(r.status, 200);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    assert_eq!(
        r.json(),
        serde_json::json!([{"Name": "forum"}, {"Name": "shop"}]),
        "sensitive breach hidden, truncated by default"
    );

    let r = get_ua(
        s.addr,
        "/api/v3/breachedaccount/Alice@Example.com?truncateResponse=false",
        Some(&s.read_key),
    );
    let full = r.json();
    assert_eq!(full.as_array().unwrap().len(), 2);
    for key in [
        "Name",
        "Title",
        "Domain",
        "BreachDate",
        "AddedDate",
        "ModifiedDate",
        "PwnCount",
        "Description",
        "LogoPath",
        "DataClasses",
        "IsVerified",
        "IsFabricated",
        "IsSensitive",
        "IsRetired",
        "IsSpamList",
        "IsMalware",
        "IsSubscriptionFree",
        "IsStealerLog",
    ] {
        assert!(full[0].get(key).is_some(), "Breach model lacks {key}");
    }
    let r = get_ua(
        s.addr,
        "/api/v3/breachedaccount/alice@example.com?IncludeUnverified=false",
        Some(&s.read_key),
    );
    assert_eq!(r.json(), serde_json::json!([{"Name": "shop"}]));
    let r = get_ua(
        s.addr,
        "/api/v3/breachedaccount/alice@example.com?domain=forum.example",
        Some(&s.read_key),
    );
    assert_eq!(r.json(), serde_json::json!([{"Name": "forum"}]));
    // Phones are accounts too (E.164, separators ignored).
    let r = get_ua(
        s.addr,
        "/api/v3/breachedaccount/%2B65%209123%204567",
        Some(&s.read_key),
    );
    assert_eq!(r.status, 200);
    // A look-alike one digit off is not found; nonsense is a 400.
    assert_eq!(
        get_ua(
            s.addr,
            "/api/v3/breachedaccount/%2B6591234568",
            Some(&s.read_key)
        )
        .status,
        404
    );
    assert_eq!(
        get_ua(
            s.addr,
            "/api/v3/breachedaccount/alice@example",
            Some(&s.read_key)
        )
        .status,
        400
    );
    assert_eq!(
        get_ua(
            s.addr,
            "/api/v3/breachedaccount/alice@example.com?truncateResponse=maybe",
            Some(&s.read_key)
        )
        .status,
        400
    );
}

#[test]
fn auth_user_agent_and_scopes() {
    let s = start();
    let r = get(s.addr, "/api/v3/breaches", &[]);
    assert_eq!(r.status, 403, "no User-Agent");
    let r = get_ua(s.addr, "/api/v3/breachedaccount/alice@example.com", None);
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["statusCode"], 401);
    assert_eq!(
        get_ua(
            s.addr,
            "/api/v3/breachedaccount/alice@example.com",
            Some("0123456789abcdef0123456789abcdef")
        )
        .status,
        401
    );
    assert_eq!(
        get_ua(
            s.addr,
            "/api/v3/breacheddomain/example.com",
            Some(&s.read_key)
        )
        .status,
        403,
        "read key cannot search domains"
    );
    let r = get_ua(
        s.addr,
        "/api/v3/breacheddomain/example.com",
        Some(&s.admin_key),
    );
    assert_eq!(r.status, 200);
    let alice = hex::encode(
        s.secret
            .hash16(leakscope_keys::IdKind::Email, "alice@example.com"),
    );
    assert_eq!(
        r.json()[&alice],
        serde_json::json!(["clinic", "forum", "shop"])
    );
    assert!(
        !r.body.contains("alice"),
        "aliases are never returned in clear"
    );
    assert_eq!(
        get_ua(
            s.addr,
            "/api/v3/breacheddomain/nowhere.test",
            Some(&s.admin_key)
        )
        .status,
        404
    );
    assert!(
        get_ua(s.addr, "/api/v3/breaches", None)
            .header("access-control-allow-origin")
            .is_none(),
        "CORS off"
    );
}

#[test]
fn rate_limit_answers_429_with_retry_after() {
    let s = start();
    for _ in 0..3 {
        assert_eq!(
            get_ua(
                s.addr,
                "/api/v3/breachedaccount/alice@example.com",
                Some(&s.slow_key)
            )
            .status,
            200
        );
    }
    let r = get_ua(
        s.addr,
        "/api/v3/breachedaccount/alice@example.com",
        Some(&s.slow_key),
    );
    assert_eq!(r.status, 429);
    let wait: u64 = r
        .header("retry-after")
        .expect("retry-after")
        .parse()
        .unwrap();
    assert!((1..=20).contains(&wait));
    assert_eq!(
        get_ua(
            s.addr,
            "/api/v3/breachedaccount/alice@example.com",
            Some(&s.read_key)
        )
        .status,
        200,
        "limits are per key"
    );
}

#[test]
fn catalogue_endpoints() {
    let s = start();
    let all = get_ua(s.addr, "/api/v3/breaches", None).json();
    assert_eq!(all.as_array().unwrap().len(), 3);
    let one = get_ua(s.addr, "/api/v3/breaches?Domain=shop.example", None).json();
    assert_eq!(one[0]["Name"], "shop");
    assert_eq!(
        get_ua(s.addr, "/api/v3/breaches?IsSpamList=true", None).json(),
        serde_json::json!([])
    );
    let b = get_ua(s.addr, "/api/v3/breach/SHOP", None);
    assert_eq!(b.status, 200);
    assert_eq!(b.json()["PwnCount"], 301);
    assert_eq!(get_ua(s.addr, "/api/v3/breach/nope", None).status, 404);
    let latest = get_ua(s.addr, "/api/v3/latestbreach", None).json();
    assert!(["shop", "forum", "clinic"].contains(&latest["Name"].as_str().unwrap()));
    let classes = get_ua(s.addr, "/api/v3/dataclasses", None).json();
    assert!(classes
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "Phone numbers"));
    assert_eq!(get_ua(s.addr, "/api/v3/nothing", None).status, 404);
}

#[test]
fn email_range_is_k_anonymous() {
    let s = start();
    let h = hex::encode_upper(sha1(b"alice@example.com"));
    let r = get_ua(
        s.addr,
        &format!("/api/v3/breachedaccount/range/{}", &h[..6]),
        Some(&s.read_key),
    );
    assert_eq!(r.status, 200);
    let rows = r.json();
    let row = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["hashSuffix"] == h[6..])
        .expect("alice in range");
    assert_eq!(
        row["websites"],
        serde_json::json!(["clinic", "forum", "shop"])
    );
    assert_eq!(
        get_ua(
            s.addr,
            "/api/v3/breachedaccount/range/ABCDE",
            Some(&s.read_key)
        )
        .status,
        400
    );
    assert_eq!(
        get_ua(
            s.addr,
            &format!("/api/v3/breachedaccount/range/{}", &h[..6]),
            None
        )
        .status,
        401
    );
}

#[test]
fn password_range_sha1_ntlm_and_padding() {
    let s = start();
    let r = get_ua(s.addr, "/range/5baa6", None);
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap().starts_with("text/plain"));
    assert!(
        r.body
            .split("\r\n")
            .any(|l| l == "1E4C9B93F3F0682250B6CF8331B7EE68FD8:3"),
        "password seen in 3 breaches"
    );
    assert!(
        r.body.split("\r\n").all(|l| l.len() == 35 + 2),
        "35-hex suffix and a one-digit count, CRLF between lines"
    );
    assert!(
        !r.body.ends_with('\n'),
        "no line break after the last line (as HIBP)"
    );
    let n = get_ua(s.addr, "/range/8846F?mode=ntlm", None);
    assert!(n.body.contains("7EAEE8FB117AD06BDD830B7586C:3"));
    let p = get(
        s.addr,
        "/range/5BAA6",
        &[("User-Agent", "t"), ("Add-Padding", "true")],
    );
    assert!(!p.body.ends_with('\n'));
    let lines: Vec<&str> = p.body.split("\r\n").collect();
    assert!((800..=1000).contains(&lines.len()), "{} rows", lines.len());
    assert!(lines.contains(&"1E4C9B93F3F0682250B6CF8331B7EE68FD8:3"));
    assert_eq!(
        lines.iter().filter(|l| l.ends_with(":0")).count(),
        lines.len() - 1
    );
    assert!(
        lines.windows(2).all(|w| w[0] < w[1]),
        "padded rows are mixed in sorted order"
    );
    let empty = get_ua(s.addr, "/range/00000", None);
    assert_eq!(empty.status, 200, "every prefix answers");
    let rows: Vec<&str> = empty.body.split("\r\n").collect();
    assert_eq!(
        rows.len(),
        1,
        "an empty range answers one count-0 line, never an empty body"
    );
    assert!(rows[0].ends_with(":0") && rows[0].len() == 37, "{rows:?}");
    let padded = get(
        s.addr,
        "/range/00000",
        &[("User-Agent", "t"), ("Add-Padding", "true")],
    );
    assert!(padded.body.split("\r\n").count() >= 800);
    assert_eq!(get_ua(s.addr, "/range/XYZ12", None).status, 400);
    assert_eq!(get_ua(s.addr, "/range/5BAA6?mode=md5", None).status, 400);
}

#[test]
fn lookups_keep_answering_during_an_ingest() {
    let s = start();
    let store = s.store.clone();
    let secret = s.secret.clone();
    let writer =
        std::thread::spawn(move || add_breach(&store, &secret, "big", 77, 200_000, true, false));
    let mut answered = 0;
    while !writer.is_finished() {
        let r = get_ua(
            s.addr,
            "/api/v3/breachedaccount/alice@example.com",
            Some(&s.read_key),
        );
        assert_eq!(r.status, 200);
        answered += 1;
    }
    writer.join().unwrap();
    assert!(answered > 0);
    // The server picks up the new breach on its next refresh.
    std::thread::sleep(std::time::Duration::from_millis(400));
    let r = get_ua(
        s.addr,
        "/api/v3/breachedaccount/alice@example.com",
        Some(&s.read_key),
    );
    assert!(r.body.contains("\"big\""), "{}", r.body);
}
