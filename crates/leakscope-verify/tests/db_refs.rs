//! Database references: SQLite and a real PostgreSQL server, good and bad.

mod common;

use common::*;
use leakscope_verify::dates::days_from_civil;
use leakscope_verify::{
    build_index, index_from_reference, verify_batches, Index, IndexBuilder, MapOptions, RefSource,
    Since, Verdict, VerifyError, VerifyOptions,
};

fn sql_values(people: &[Person]) -> String {
    let q = |s: &str| format!("'{}'", s.replace('\'', "''"));
    people
        .iter()
        .map(|p| {
            format!(
                "({}, {}, {}, {}, {}, {}, {})",
                q(&p.id),
                q(&p.name),
                q(&p.email),
                q(&p.phone),
                q(&p.address),
                q(&p.tenant),
                q(&p.updated)
            )
        })
        .collect::<Vec<_>>()
        .join(",\n")
}

const CREATE: &str = "CREATE TABLE customers (customer_id TEXT PRIMARY KEY, full_name TEXT, email TEXT, phone TEXT, address TEXT, merchant_id TEXT, updated_at DATE)";

fn assert_authentic(idx: &leakscope_verify::Index, people: &[Person]) {
    let mut rng = Rng::new(5);
    let rows: Vec<Vec<String>> = people
        .iter()
        .take(120)
        .map(|p| faithful_row(&mut rng, p))
        .collect();
    let opts = VerifyOptions {
        today: Some(days_from_civil(2026, 1, 1)),
        ..Default::default()
    };
    let r = verify_batches(
        &[(table("leak", &SAMPLE_HEADERS), batch(&rows))],
        idx,
        &hashing(),
        &opts,
    )
    .unwrap()
    .report;
    assert_eq!(r.verdict, Verdict::Authentic, "{}", r.summary);
    assert_eq!(r.consistent_rows, 120);
    assert!(!r.tenants.is_empty());
}

fn sqlite_ref(people: &[Person]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.sqlite");
    let c = rusqlite::Connection::open(&path).unwrap();
    c.execute_batch(&format!(
        "{CREATE}; CREATE TABLE empty_t (email TEXT); INSERT INTO customers VALUES {};",
        sql_values(people)
    ))
    .unwrap();
    (dir, path)
}

#[test]
fn sqlite_table_query_and_since() {
    let people = customers(600, 91);
    let (_dir, path) = sqlite_ref(&people);
    let url = format!("sqlite://{}", path.display());
    let src = RefSource::parse(std::slice::from_ref(&url), Some("customers"), None).unwrap();
    let (idx, _) = index_from_reference(&src, &hashing(), &MapOptions::default()).unwrap();
    assert_eq!(idx.header().customers, 600);
    assert!(idx.header().source.contains("crm.sqlite"));
    assert_authentic(&idx, &people);

    let q = "SELECT customer_id, email, full_name FROM customers WHERE merchant_id = 'shop-001'";
    let src = RefSource::parse(std::slice::from_ref(&url), None, Some(q)).unwrap();
    let (idx, _) = index_from_reference(&src, &hashing(), &MapOptions::default()).unwrap();
    assert_eq!(
        idx.header().customers as usize,
        people.iter().filter(|p| p.tenant == "shop-001").count()
    );

    let since = Since {
        column: "updated_at".into(),
        value: "2022-01-01".into(),
    };
    let src = RefSource::parse(std::slice::from_ref(&url), Some("customers"), None).unwrap();
    let opts = MapOptions {
        updated_column: Some("updated_at".into()),
        ..Default::default()
    };
    let b = build_index(&src, Some(&since), IndexBuilder::new(hashing(), opts, "x")).unwrap();
    let idx = Index::from_vec(b.finish().unwrap(), &hashing()).unwrap();
    assert_eq!(
        idx.header().customers as usize,
        people
            .iter()
            .filter(|p| p.updated.as_str() >= "2022-01-01")
            .count()
    );
}

#[test]
fn sqlite_bad_references_are_clear_errors() {
    let people = customers(20, 92);
    let (dir, path) = sqlite_ref(&people);
    let url = format!("sqlite://{}", path.display());
    let err = |t: Option<&str>, q: Option<&str>, u: &str| {
        index_from_reference(
            &RefSource::parse(&[u.to_string()], t, q).unwrap(),
            &hashing(),
            &MapOptions::default(),
        )
        .unwrap_err()
    };
    let e = err(Some("nope"), None, &url);
    assert!(e.to_string().contains("table nope does not exist"), "{e}");
    let e = err(Some("empty_t"), None, &url);
    assert!(
        matches!(e, VerifyError::EmptyReference(_)) && e.to_string().contains("no rows"),
        "{e}"
    );
    let e = err(
        Some("customers"),
        None,
        &format!("sqlite://{}/missing.db", dir.path().display()),
    );
    assert!(e.to_string().contains("no such database file"), "{e}");
    let e = err(None, Some("DELETE FROM customers"), &url);
    assert!(matches!(e, VerifyError::Usage(_)), "{e}");
    std::fs::write(
        dir.path().join("junk.db"),
        b"this is not a database at all, just text padding padding padding",
    )
    .unwrap();
    let e = err(
        Some("customers"),
        None,
        &format!("sqlite://{}/junk.db", dir.path().display()),
    );
    assert!(matches!(e, VerifyError::Reference(_)), "{e}");
    assert!(
        RefSource::parse(std::slice::from_ref(&url), None, None).is_err(),
        "table or query required"
    );
    // Nothing was written to the reference.
    let c = rusqlite::Connection::open(&path).unwrap();
    let n: i64 = c
        .query_row("SELECT count(*) FROM customers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 20);
}

#[test]
fn postgres_reference_good_and_bad() {
    let Some(pg) = leakscope_testpg::start_or_skip("postgres_reference_good_and_bad") else {
        return;
    };
    let people = customers(800, 93);
    pg.psql(&format!(
        "{CREATE}; CREATE TABLE empty_t (email TEXT); INSERT INTO customers VALUES {};",
        sql_values(&people)
    ))
    .unwrap();
    let url = pg.url();
    // More rows than one cursor fetch (4096): several round trips, nothing lost or repeated.
    pg.psql("CREATE TABLE big AS SELECT 'B' || g AS customer_id, 'user' || g || '@example.com' AS email FROM generate_series(1, 9000) g").unwrap();
    let big = RefSource::parse(std::slice::from_ref(&url), Some("big"), None).unwrap();
    let (idx, _) = index_from_reference(&big, &hashing(), &MapOptions::default()).unwrap();
    assert_eq!(
        (
            idx.header().customers,
            idx.header().entries,
            idx.header().rows_read
        ),
        (9000, 9000, 9000)
    );
    let src = RefSource::parse(std::slice::from_ref(&url), Some("customers"), None).unwrap();
    assert!(!src.describe().contains(pg.password()));
    let (idx, warnings) = index_from_reference(&src, &hashing(), &MapOptions::default()).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(idx.header().customers, 800);
    assert!(!idx.header().source.contains(pg.password()));
    assert_authentic(&idx, &people);

    // --since on a DATE column, through the server-side cursor.
    let since = Since {
        column: "updated_at".into(),
        value: "2023-01-01".into(),
    };
    let opts = MapOptions {
        updated_column: Some("updated_at".into()),
        ..Default::default()
    };
    let b = build_index(&src, Some(&since), IndexBuilder::new(hashing(), opts, "x")).unwrap();
    let idx = Index::from_vec(b.finish().unwrap(), &hashing()).unwrap();
    assert_eq!(
        idx.header().customers as usize,
        people
            .iter()
            .filter(|p| p.updated.as_str() >= "2023-01-01")
            .count()
    );

    let q = RefSource::parse(
        std::slice::from_ref(&url),
        None,
        Some("SELECT customer_id, email FROM customers WHERE merchant_id = 'shop-002';"),
    )
    .unwrap();
    let (idx, _) = index_from_reference(&q, &hashing(), &MapOptions::default()).unwrap();
    assert_eq!(
        idx.header().customers as usize,
        people.iter().filter(|p| p.tenant == "shop-002").count()
    );

    let err = |u: &str, t: Option<&str>, q: Option<&str>| {
        index_from_reference(
            &RefSource::parse(&[u.to_string()], t, q).unwrap(),
            &hashing(),
            &MapOptions::default(),
        )
        .unwrap_err()
        .to_string()
    };
    let bad = pg.url_with(pg.user(), "wrong-password", pg.database());
    let e = err(&bad, Some("customers"), None);
    assert!(
        e.contains("authentication failed") && !e.contains("wrong-password"),
        "{e}"
    );
    let e = err(
        &pg.url_with("nobody", "x", pg.database()),
        Some("customers"),
        None,
    );
    assert!(e.contains("authentication failed"), "{e}");
    let e = err(&url, Some("missing_table"), None);
    assert!(
        e.contains("table missing_table does not exist") && !e.contains(pg.password()),
        "{e}"
    );
    let e = err(&url, Some("empty_t"), None);
    assert!(e.contains("no rows"), "{e}");
    let e = err(
        &pg.url_with(pg.user(), pg.password(), "no_such_db"),
        Some("customers"),
        None,
    );
    assert!(e.contains("database does not exist"), "{e}");
    let e = err(&url, None, Some("DELETE FROM customers"));
    assert!(e.contains("read-only"), "{e}");
    assert!(
        pg.psql("SELECT count(*) FROM customers")
            .unwrap()
            .contains("800"),
        "the reference was not modified"
    );
    let e = err(
        &format!("postgres://u:p@127.0.0.1:{}/x", free_port()),
        Some("customers"),
        None,
    );
    assert!(e.contains("cannot connect"), "{e}");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
