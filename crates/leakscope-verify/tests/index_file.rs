//! The persistent index: round trip, size, incremental `--since`, wrong secret, corruption.

mod common;

use common::*;
use leakscope_keys::{IdKind, Secret};
use leakscope_verify::index::Index;
use leakscope_verify::{normalize, Hashing, IndexBuilder, MapOptions, VerifyError};

fn lookup_email(idx: &Index, email: &str) -> Vec<String> {
    let mut out = Vec::new();
    idx.lookup(
        &hashing().id(IdKind::Email, &normalize::email(email).unwrap()),
        &mut out,
    );
    out.into_iter()
        .map(|o| idx.customer(o).unwrap().id)
        .collect()
}

#[test]
fn round_trip_through_a_file_is_compact_and_holds_no_raw_data() {
    let people = customers(3000, 61);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ref.lsidx");
    let size = builder(&people).write(&path).unwrap();
    let idx = Index::open(&path, &hashing()).unwrap();
    let h = idx.header();
    assert_eq!(h.customers, 3000);
    assert_eq!(h.entries, 6000, "email + phone per customer");
    assert_eq!(h.tenants, 12);
    assert_eq!(h.by_kind.get("email"), Some(&3000));
    assert_eq!(h.secret_fingerprint, hashing().fingerprint());
    assert_eq!(
        h.max_updated.as_deref(),
        people.iter().map(|p| p.updated.as_str()).max()
    );
    for p in people.iter().step_by(37) {
        assert_eq!(lookup_email(&idx, &p.email), vec![p.id.clone()]);
    }
    // Every customer is readable by ordinal (also the last, partial offset stride), once each.
    let mut ids: Vec<String> = (0..h.customers as u32)
        .map(|o| idx.customer(o).unwrap().id)
        .collect();
    ids.sort();
    let mut want: Vec<String> = people.iter().map(|p| p.id.clone()).collect();
    want.sort();
    assert_eq!(ids, want);
    assert!(lookup_email(&idx, "nobody@example.com").is_empty());
    let per_id = size as f64 / h.entries as f64;
    assert!(per_id <= 40.0, "{per_id:.1} bytes per identifier");
    // No raw identifier, name token or address in the file.
    let bytes = std::fs::read(&path).unwrap();
    let text = String::from_utf8_lossy(&bytes).to_lowercase();
    for p in people.iter().take(200) {
        let local = p.email.split('@').next().unwrap().to_lowercase();
        assert!(!text.contains(&local), "raw email part in index");
        assert!(!text.contains(&p.phone[1..]), "raw phone in index");
        assert!(
            !bytes.windows(p.name.len()).any(|w| w == p.name.as_bytes()),
            "raw name in index"
        );
    }
    // No temp file left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn incremental_since_replaces_changed_customers_and_adds_new_ones() {
    let mut people = customers(1000, 71);
    for p in &mut people {
        p.updated = "2020-01-15".into();
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ref.lsidx");
    builder(&people).write(&path).unwrap();
    let old = people.clone();
    // 50 customers change e-mail; 20 new customers join; the rest are untouched.
    for p in people.iter_mut().take(50) {
        p.email = format!("new.{}", p.email);
        p.updated = "2021-06-01".into();
    }
    let mut rng = Rng::new(72);
    for i in 0..20 {
        let mut p = person(&mut rng, 5000 + i);
        p.updated = "2021-06-02".into();
        people.push(p);
    }
    let existing = Index::open(&path, &hashing()).unwrap();
    let opts = MapOptions {
        updated_column: Some("updated_at".into()),
        ..Default::default()
    };
    let mut b = IndexBuilder::incremental(&existing, hashing(), opts, "2021-01-01").unwrap();
    let rows: Vec<Vec<String>> = people.iter().map(ref_row).collect();
    b.add_batch(&table("customers", &REF_HEADERS), &batch(&rows))
        .unwrap();
    assert_eq!(b.stats.rows_before_since, 950);
    drop(existing);
    let (_, stats) = b.write_with_stats(&path).unwrap();
    assert_eq!(stats.customers_replaced, 50);
    assert_eq!(stats.customers_added, 20);
    let idx = Index::open(&path, &hashing()).unwrap();
    assert_eq!(idx.header().customers, 1020);
    assert_eq!(idx.header().entries, 2040);
    assert_eq!(idx.header().increments, vec!["2021-01-01".to_string()]);
    assert!(
        lookup_email(&idx, &old[0].email).is_empty(),
        "old e-mail no longer ours"
    );
    assert_eq!(
        lookup_email(&idx, &people[0].email),
        vec![people[0].id.clone()]
    );
    assert_eq!(
        lookup_email(&idx, &people[500].email),
        vec![people[500].id.clone()]
    );
    assert_eq!(
        lookup_email(&idx, &people[1019].email),
        vec![people[1019].id.clone()]
    );
    assert_eq!(idx.header().max_updated.as_deref(), Some("2021-06-02"));
    assert!(matches!(
        IndexBuilder::incremental(&idx, hashing(), MapOptions::default(), "last tuesday"),
        Err(VerifyError::Usage(_))
    ));
}

#[test]
fn wrong_secret_corruption_and_missing_files_are_clear_errors() {
    let people = customers(200, 81);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ref.lsidx");
    builder(&people).write(&path).unwrap();
    let other = Hashing::new(Secret::from_bytes(&[9; 32]));
    let e = Index::open(&path, &other).unwrap_err().to_string();
    assert!(
        e.contains("another secret")
            && e.contains(&hashing().fingerprint())
            && e.contains(&other.fingerprint()),
        "{e}"
    );

    let bytes = std::fs::read(&path).unwrap();
    for cut in [5, 40, bytes.len() / 2, bytes.len() - 3] {
        let p = dir.path().join(format!("cut{cut}"));
        std::fs::write(&p, &bytes[..cut]).unwrap();
        let e = Index::open(&p, &hashing()).unwrap_err();
        assert!(matches!(e, VerifyError::Index(_)), "{e}");
    }
    let mut flipped = bytes.clone();
    let n = flipped.len();
    flipped[n - 30..].iter_mut().for_each(|b| *b = 0xff);
    let p = dir.path().join("garbled");
    std::fs::write(&p, &flipped).unwrap();
    if let Ok(idx) = Index::open(&p, &hashing()) {
        // Garbled entries may open, but lookups and customer reads never panic.
        let mut out = Vec::new();
        idx.lookup(&[0xff; 16], &mut out);
        for o in out {
            let _ = idx.customer(o);
        }
    }
    // An index of the previous format (other normalisation, other customer order) is refused
    // with a rebuild instruction instead of giving wrong answers.
    let mut v1 = bytes.clone();
    v1[7] = 1;
    let p = dir.path().join("v1");
    std::fs::write(&p, &v1).unwrap();
    let e = Index::open(&p, &hashing()).unwrap_err().to_string();
    assert!(
        e.contains("version 1") && e.contains("leakscope index build"),
        "{e}"
    );
    assert_eq!(idx_format(&path), "leakscope.index/2");
    std::fs::write(dir.path().join("csv"), "a,b\n1,2\n").unwrap();
    let e = Index::open(&dir.path().join("csv"), &hashing())
        .unwrap_err()
        .to_string();
    assert!(e.contains("not a leakscope index"), "{e}");
    let e = Index::open(&dir.path().join("missing"), &hashing())
        .unwrap_err()
        .to_string();
    assert!(e.contains("cannot open"), "{e}");
}

#[test]
fn an_empty_reference_or_one_without_identifiers_is_refused() {
    let b = IndexBuilder::new(hashing(), MapOptions::default(), "empty");
    assert!(matches!(b.finish(), Err(VerifyError::EmptyReference(_))));
    let mut b = IndexBuilder::new(hashing(), MapOptions::default(), "no ids");
    let e = b
        .add_batch(
            &table("t", &["product_name", "price"]),
            &batch(&[vec!["tea".into(), "3".into()]]),
        )
        .unwrap_err();
    assert!(e.to_string().contains("no identifier column"), "{e}");
}

fn idx_format(path: &std::path::Path) -> String {
    Index::open(path, &hashing())
        .unwrap()
        .header()
        .format
        .clone()
}
