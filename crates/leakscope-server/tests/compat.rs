//! HIBP compatibility beyond the basics: the legacy `/pwnedpassword`, the subscription
//! endpoints, domain-scoped keys, the always-padded e-mail range, lenient query strings, CORS,
//! request bodies refused, the per-address limit of the password endpoints, and native TLS.

mod common;

use common::{get, get_ua, start, start_with};
use leakscope_corpus::passwords::sha1;
use leakscope_server::rate::Limiter;
use leakscope_server::ServeOptions;
use std::io::{Read, Write};

#[test]
fn legacy_pwnedpassword_takes_plaintext_or_sha1() {
    let s = start();
    let r = get_ua(s.addr, "/pwnedpassword/password", None);
    assert_eq!((r.status, r.body.as_str()), (200, "3"));
    let hash = hex::encode_upper(sha1(b"password"));
    let r = get_ua(s.addr, &format!("/pwnedpassword/{hash}"), None);
    assert_eq!(
        (r.status, r.body.as_str()),
        (200, "3"),
        "a SHA-1 is looked up as a hash"
    );
    let r = get_ua(
        s.addr,
        &format!("/pwnedpassword/{hash}?originalPasswordIsAHash=true"),
        None,
    );
    assert_eq!(r.status, 404, "the hash itself as a password is unknown");
    assert_eq!(
        get_ua(s.addr, "/pwnedpassword/not-in-any-leak-8c1f", None).status,
        404
    );
}

#[test]
fn subscription_status_and_subscribed_domains() {
    let s = start();
    let r = get_ua(s.addr, "/api/v3/subscription/status", Some(&s.read_key));
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v["Rpm"], 100_000);
    for k in [
        "SubscriptionName",
        "Description",
        "SubscribedUntil",
        "DomainSearchMaxBreachedAccounts",
        "IncludesStealerLogs",
    ] {
        assert!(v.get(k).is_some(), "missing {k}");
    }
    assert_eq!(
        get_ua(s.addr, "/api/v3/subscription/status", None).status,
        401
    );

    let r = get_ua(s.addr, "/api/v3/subscribeddomains", Some(&s.read_key));
    assert_eq!((r.status, r.json()), (200, serde_json::json!([])));
    let r = get_ua(s.addr, "/api/v3/subscribeddomains", Some(&s.domain_key));
    let v = r.json();
    assert_eq!(v[0]["DomainName"], "example.com");
    // 300 + 200 + 100 generated accounts and alice, all @example.com.
    assert_eq!(v[0]["PwnCount"], 601);
    assert_eq!(v[0]["PwnCountExcludingSpamLists"], 601);
}

#[test]
fn domain_searches_follow_the_key() {
    let s = start();
    let path = "/api/v3/breacheddomain/example.com";
    assert_eq!(get_ua(s.addr, path, Some(&s.read_key)).status, 403);
    let r = get_ua(s.addr, path, Some(&s.domain_key));
    assert_eq!(r.status, 200);
    assert_eq!(r.json().as_object().unwrap().len(), 601);
    let other = "/api/v3/breacheddomain/other.example";
    assert_eq!(get_ua(s.addr, other, Some(&s.domain_key)).status, 403);
    assert_eq!(get_ua(s.addr, other, Some(&s.admin_key)).status, 404);
}

#[test]
fn email_range_is_always_padded_and_always_200() {
    let s = start();
    let rows = |prefix: &str| {
        let r = get_ua(
            s.addr,
            &format!("/api/v3/breachedaccount/range/{prefix}"),
            Some(&s.read_key),
        );
        assert_eq!(r.status, 200, "{prefix}");
        r.json().as_array().unwrap().clone()
    };
    let alice = hex::encode_upper(sha1(b"alice@example.com"));
    let hit = rows(&alice[..6]);
    // A prefix none of the corpus e-mails has (differs from alice's in its first digit).
    let other = if alice.starts_with('0') {
        "F00000"
    } else {
        "000000"
    };
    let miss = rows(other);
    for r in [&hit, &miss] {
        assert!((100..=150).contains(&r.len()), "{} rows", r.len());
        assert!(r
            .iter()
            .all(|x| x["hashSuffix"].as_str().unwrap().len() == 34));
    }
    assert!(hit.iter().any(|x| x["hashSuffix"] == alice[6..]));
    assert!(miss.iter().all(|x| x["websites"] == serde_json::json!([])));
}

#[test]
fn query_strings_are_read_leniently() {
    let s = start();
    // hibpwned appends every parameter with `?`.
    let r = get_ua(
        s.addr,
        "/api/v3/breachedaccount/alice@example.com?truncateResponse=false?includeUnverified=false",
        Some(&s.read_key),
    );
    assert_eq!(r.status, 200);
    let v = r.json();
    assert_eq!(v.as_array().unwrap().len(), 1, "verified only: {v}");
    assert_eq!(v[0]["Name"], "shop");
    assert!(v[0].get("PwnCount").is_some(), "not truncated");
}

#[test]
fn cors_is_off_by_default_and_configurable() {
    let s = start();
    let origin = [("User-Agent", "t"), ("Origin", "https://app.example")];
    let r = get(s.addr, "/api/v3/breaches", &origin);
    assert_eq!(r.status, 200);
    assert!(r.header("access-control-allow-origin").is_none());

    let s = start_with(
        |st| st.cors_origins = vec!["https://app.example".into()],
        ServeOptions::default(),
    );
    let r = get(s.addr, "/api/v3/breaches", &origin);
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://app.example")
    );
    let r = get(
        s.addr,
        "/api/v3/breaches",
        &[("User-Agent", "t"), ("Origin", "https://evil.example")],
    );
    assert!(r.header("access-control-allow-origin").is_none());
    let mut c = std::net::TcpStream::connect(s.addr).unwrap();
    write!(
        c,
        "OPTIONS /api/v3/breachedaccount/a@b.co HTTP/1.1\r\nHost: x\r\nOrigin: https://app.example\r\nAccess-Control-Request-Method: GET\r\nAccess-Control-Request-Headers: hibp-api-key\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut pre = String::new();
    c.read_to_string(&mut pre).unwrap();
    let pre = pre.to_ascii_lowercase();
    assert!(pre.starts_with("http/1.1 200"), "{pre}");
    assert!(
        pre.contains("access-control-allow-headers: hibp-api-key"),
        "{pre}"
    );
}

#[test]
fn request_bodies_are_refused_and_the_connection_closed() {
    let s = start();
    let mut c = std::net::TcpStream::connect(s.addr).unwrap();
    // Headers complete, body announced but never sent: a slow-body attack.
    write!(
        c,
        "GET /api/v3/breaches HTTP/1.1\r\nHost: x\r\nUser-Agent: t\r\nContent-Length: 1000\r\n\r\n"
    )
    .unwrap();
    c.set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    let mut resp = String::new();
    c.read_to_string(&mut resp).unwrap();
    assert!(resp.starts_with("HTTP/1.1 400"), "{resp}");
    assert!(resp.to_ascii_lowercase().contains("connection: close"));
}

#[test]
fn password_endpoints_have_their_own_per_address_limit() {
    let s = start_with(
        |st| st.limiter = Limiter::new(Some(3)),
        ServeOptions::default(),
    );
    for _ in 0..3 {
        assert_eq!(get_ua(s.addr, "/range/5BAA6", None).status, 200);
    }
    let r = get_ua(s.addr, "/range/5BAA6", None);
    assert_eq!(r.status, 429);
    assert!(r.header("retry-after").is_some());
    assert_eq!(get_ua(s.addr, "/pwnedpassword/password", None).status, 429);
    let r = get_ua(
        s.addr,
        "/api/v3/breachedaccount/alice@example.com",
        Some(&s.read_key),
    );
    assert_eq!(r.status, 200, "account lookups have the key's own limit");
}

#[test]
fn native_tls_serves_https() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let cert = std::path::Path::new(dir).join("test-cert.pem");
    let key = std::path::Path::new(dir).join("test-key.pem");
    let tls = leakscope_server::tls::server_config(&cert, &key).unwrap();
    let s = start_with(
        |_| {},
        ServeOptions {
            tls: Some(tls),
            ..ServeOptions::default()
        },
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let resp = rt.block_on(async {
        use rustls::pki_types::pem::PemObject;
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut roots = rustls::RootCertStore::empty();
        for c in rustls::pki_types::CertificateDer::pem_file_iter(&cert).unwrap() {
            roots.add(c.unwrap()).unwrap();
        }
        #[allow(deprecated)]
        let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
        let connector = tokio_rustls::TlsConnector::from(std::sync::Arc::new(config));
        let tcp = tokio::net::TcpStream::connect(s.addr).await.unwrap();
        let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
        let mut tls = connector.connect(name, tcp).await.unwrap();
        tls.write_all(
            b"GET /api/v3/breach/shop HTTP/1.1\r\nHost: localhost\r\nUser-Agent: t\r\nConnection: close\r\n\r\n",
        )
        .await
        .unwrap();
        let mut out = Vec::new();
        let _ = tls.read_to_end(&mut out).await;
        String::from_utf8_lossy(&out).into_owned()
    });
    assert!(resp.starts_with("HTTP/1.1 200"), "{resp}");
    assert!(resp.contains("\"Name\":\"shop\""));
    // Plain HTTP to the TLS port gets nothing useful.
    let mut c = std::net::TcpStream::connect(s.addr).unwrap();
    c.set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    let _ = c.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    let mut buf = Vec::new();
    let _ = c.read_to_end(&mut buf);
    assert!(!String::from_utf8_lossy(&buf).contains("HTTP/1.1 200"));
}
