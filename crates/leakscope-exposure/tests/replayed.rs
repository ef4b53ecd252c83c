//! Elasticsearch, Kibana, MongoDB and an S3 store replayed on loopback (see `replay.rs` for the
//! documented responses and versions), probed by the same client code that talks to real
//! products: open → a finding with classes and counts; secured → "auth required", no finding;
//! out of scope → refused without a connection (the listener counts accepts); the exposure
//! window over simulated days.

use chrono::{Duration, TimeZone, Utc};
use leakscope_exposure::model::{Auth, ServiceKind};
use leakscope_exposure::replay::{self, Product};
use leakscope_exposure::{scan, Limits, Request, Scope};
use std::net::IpAddr;
use std::sync::Arc;

fn lo() -> IpAddr {
    "127.0.0.1".parse().unwrap()
}

fn limits() -> Limits {
    Limits {
        rate: 500.0,
        concurrency: 8,
        sample_per_store: 300,
        ..Limits::default()
    }
}

fn request(scope: &str, targets: Vec<String>, days: i64) -> Request {
    Request {
        targets,
        scope: Arc::new(Scope::parse(scope, "test scope").unwrap()),
        ports: Vec::new(),
        limits: limits(),
        now: Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap() + Duration::days(days),
    }
}

fn db(dir: &tempfile::TempDir) -> leakscope_db::Db {
    leakscope_db::Db::open(&leakscope_db::Target::Sqlite(
        dir.path().join("leakscope.db"),
    ))
    .unwrap()
}

#[test]
fn replayed_products_open_secured_and_out_of_scope() {
    let docs = replay::customers(400, 7);
    let start = |p, secured| replay::start(p, lo(), 0, docs.clone(), 12_000, secured).unwrap();
    let es = start(Product::Elasticsearch, false);
    let es_sec = start(Product::Elasticsearch, true);
    let kb = start(Product::Kibana, false);
    let kb_sec = start(Product::Kibana, true);
    let mg = start(Product::Mongodb, false);
    let mg_sec = start(Product::Mongodb, true);
    let s3 = start(Product::S3, false);
    let s3_sec = start(Product::S3, true);
    // Out of scope: another loopback address the scope does not list.
    let outside = replay::start(
        Product::Elasticsearch,
        "127.0.0.2".parse().unwrap(),
        0,
        docs.clone(),
        1,
        false,
    )
    .unwrap();
    let p = |r: &replay::Replay| r.addr().port();
    let targets = vec![
        format!("127.0.0.1:{}", p(&es)), // no hint: identified from its answer
        format!("127.0.0.1:{}", p(&es_sec)),
        format!("http://127.0.0.1:{}/", p(&kb)),
        format!("kibana://127.0.0.1:{}", p(&kb_sec)),
        format!("mongodb://127.0.0.1:{}", p(&mg)),
        format!("127.0.0.1:{}", p(&mg_sec)),
        format!("http://127.0.0.1:{}/backups", p(&s3)),
        format!("s3://127.0.0.1:{}/backups", p(&s3_sec)),
        format!("127.0.0.2:{}", p(&outside)),
        format!("http://127.0.0.2:{}/", p(&outside)),
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut db = db(&dir);
    let req = request("127.0.0.1\n", targets, 0);
    let r = scan(&req, Some(&mut db), &mut |_, _, _| {}).unwrap();

    assert_eq!(outside.accepts(), 0, "an out-of-scope target was contacted");
    assert_eq!(r.refused.len(), 2);
    assert!(r
        .refused
        .iter()
        .all(|x| x.reason.contains("outside the scope")));
    assert!(es.accepts() > 0 && mg.accepts() > 0);
    assert!(r.failures.is_empty(), "{:?}", r.failures);

    let by_port = |port: u16| {
        r.services
            .iter()
            .find(|s| s.port == port)
            .unwrap_or_else(|| panic!("no service on {port}: {:#?}", r.services))
    };
    for (srv, kind) in [
        (&es_sec, ServiceKind::Elasticsearch),
        (&kb_sec, ServiceKind::Kibana),
        (&mg_sec, ServiceKind::Mongodb),
        (&s3_sec, ServiceKind::S3),
    ] {
        let s = by_port(p(srv));
        assert_eq!(s.kind, kind);
        assert_eq!(s.auth, Auth::Required, "{s:#?}");
        assert!(
            !r.findings.iter().any(|f| f.service.port == p(srv)),
            "secured {kind:?} gave a finding"
        );
    }
    assert_eq!(
        r.findings.len(),
        4,
        "{:#?}",
        r.findings.iter().map(|f| &f.location).collect::<Vec<_>>()
    );
    let finding = |port: u16| r.findings.iter().find(|f| f.service.port == port).unwrap();

    let f = finding(p(&es));
    assert_eq!(f.service.kind, ServiceKind::Elasticsearch);
    assert_eq!(f.service.version.as_deref(), Some("7.17.9"));
    assert_eq!(f.service.details["cluster_name"], "shop-logs");
    let idx = f
        .service
        .stores
        .iter()
        .find(|s| s.name == "customers-2026")
        .unwrap();
    assert_eq!(idx.records, Some(12_000));
    assert_eq!(idx.sampled, 300);
    assert!(idx.newest.as_deref().unwrap().starts_with("2026-11"));
    // System and empty indices are listed, not sampled.
    assert!(f
        .service
        .stores
        .iter()
        .any(|s| s.name.starts_with(".kibana") && s.sampled == 0));
    assert_eq!(f.records.value, Some(12_000 + 52));
    assert!(
        f.data_classes.iter().any(|c| c == "email"),
        "{:?}",
        f.data_classes
    );
    assert!(
        f.data_classes.iter().any(|c| c == "phone"),
        "{:?}",
        f.data_classes
    );
    let people = f.people.value.unwrap();
    assert!(
        (11_000..=12_100).contains(&people),
        "people {people}: {}",
        f.people.basis
    );
    assert_eq!(f.sample_rows, 300);
    assert!(f
        .profile
        .tables
        .iter()
        .all(|t| t.columns.iter().all(|c| c.examples.is_empty())));

    let f = finding(p(&kb));
    assert_eq!(f.service.kind, ServiceKind::Kibana);
    assert_eq!(f.service.version.as_deref(), Some("7.17.9"));
    assert!(f
        .service
        .stores
        .iter()
        .any(|s| s.kind == "index-pattern" && s.name == "customers-*"));
    assert_eq!(f.service.details["console_proxy"], "open");
    assert!(f.data_classes.iter().any(|c| c == "email"));

    let f = finding(p(&mg));
    assert_eq!(f.service.version.as_deref(), Some("6.0.5"));
    let c = f
        .service
        .stores
        .iter()
        .find(|s| s.name == "shop.customers")
        .unwrap();
    assert_eq!(c.records, Some(12_000));
    assert_eq!(c.sampled, 300);
    assert!(c.newest.is_some());
    assert!(f.data_classes.iter().any(|c| c == "phone"));

    let f = finding(p(&s3));
    assert_eq!(f.service.kind, ServiceKind::S3);
    let file = f.service.stores.iter().find(|s| s.kind == "file").unwrap();
    assert_eq!(file.records, Some(400), "the whole CSV fits in the sample");
    assert!(f.data_classes.iter().any(|c| c == "email"));
    assert_eq!(f.people.value, Some(400));

    // Stored, and no raw value anywhere in the database.
    let text = std::fs::read(dir.path().join("leakscope.db")).unwrap();
    let hay = String::from_utf8_lossy(&text);
    for d in docs.iter().take(50) {
        assert!(
            !hay.contains(d["email"].as_str().unwrap()),
            "raw e-mail stored"
        );
    }
    let json = serde_json::to_string(&r).unwrap();
    assert!(!json.contains(docs[0]["email"].as_str().unwrap()));
    assert!(json.contains("\"schema\":\"leakscope.exposure/1\""));
}

#[test]
fn repeated_scans_give_the_window_and_the_changes() {
    let docs = replay::customers(200, 3);
    let es = replay::start(Product::Elasticsearch, lo(), 0, docs.clone(), 5_000, false).unwrap();
    let port = es.addr().port();
    let dir = tempfile::tempdir().unwrap();
    let mut db = db(&dir);
    let targets = vec![format!("elasticsearch://127.0.0.1:{port}")];
    let r0 = scan(
        &request("127.0.0.0/8\n", targets.clone(), 0),
        Some(&mut db),
        &mut |_, _, _| {},
    )
    .unwrap();
    assert_eq!(r0.findings[0].change.state, "new");
    assert_eq!(r0.findings[0].observations, 1);

    let r1 = scan(
        &request("127.0.0.0/8\n", targets.clone(), 1),
        Some(&mut db),
        &mut |_, _, _| {},
    )
    .unwrap();
    let f = &r1.findings[0];
    assert_eq!(f.id, r0.findings[0].id);
    assert_eq!(f.change.state, "unchanged");
    assert_eq!((f.observations, f.open_days), (2, 1));
    assert_eq!(f.first_seen, "2026-09-01T08:00:00Z");
    assert!(leakscope_exposure::render::window(f).contains("at least 1 day"));

    // More documents on day 87: same finding, changed, open for at least 87 days.
    drop(es);
    let es = replay::start(
        Product::Elasticsearch,
        lo(),
        port,
        docs.clone(),
        6_000,
        false,
    )
    .unwrap();
    let r2 = scan(
        &request("127.0.0.0/8\n", targets.clone(), 87),
        Some(&mut db),
        &mut |_, _, _| {},
    )
    .unwrap();
    let f = &r2.findings[0];
    assert_eq!(f.change.state, "changed");
    assert!(
        f.change
            .details
            .iter()
            .any(|d| d == "customers-2026: 5,000 → 6,000 records"),
        "{:?}",
        f.change.details
    );
    assert_eq!(f.open_days, 87);

    // Day 90: nothing answers any more → closed, with its window.
    drop(es);
    let r3 = scan(
        &request("127.0.0.0/8\n", targets.clone(), 90),
        Some(&mut db),
        &mut |_, _, _| {},
    )
    .unwrap();
    assert!(r3.findings.is_empty());
    assert_eq!(r3.closed.len(), 1);
    assert_eq!(r3.closed[0].open_days, 87);
    let listed = leakscope_exposure::store::list(&mut db, Some("closed")).unwrap();
    assert_eq!(listed.len(), 1);
    let (_, l, hist) = leakscope_exposure::store::get(&mut db, &r0.findings[0].id)
        .unwrap()
        .unwrap();
    assert_eq!(l.status, "closed");
    let states: Vec<_> = hist.iter().map(|h| h.state.as_str()).collect();
    assert_eq!(states, vec!["new", "unchanged", "changed", "closed"]);

    // A failed probe never closes a finding: only endpoints that answered are closed.
    let _ = r3;
}

#[test]
fn scope_checked_at_connect_time_too() {
    // Even a probe handed an out-of-scope endpoint cannot connect: Net refuses it.
    let counter = replay::start(
        Product::Counter,
        "127.0.0.3".parse().unwrap(),
        0,
        Vec::new(),
        0,
        false,
    )
    .unwrap();
    let scope = Arc::new(Scope::parse("127.0.0.1\n", "t").unwrap());
    let net = leakscope_exposure::Net::new(scope, limits());
    let ep = leakscope_exposure::net::Endpoint {
        name: None,
        ip: counter.addr().ip(),
        port: counter.addr().port(),
    };
    assert!(net.connect(&ep).is_err());
    for kind in [
        None,
        Some(ServiceKind::Redis),
        Some(ServiceKind::Elasticsearch),
        Some(ServiceKind::Mysql),
    ] {
        let _ = leakscope_exposure::probe::run(&net, &ep, kind, None, "");
    }
    let http = leakscope_exposure::http::Http::new(&net, &ep, false);
    assert!(http.get("/", 100).is_err());
    std::thread::sleep(std::time::Duration::from_millis(50));
    assert_eq!(counter.accepts(), 0);
    assert_eq!(net.connections(), 0);
}
