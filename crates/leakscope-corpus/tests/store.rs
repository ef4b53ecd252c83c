//! Embedded store: round trip, re-post detection, lookups, ranges, removal, concurrent readers.

mod common;

use common::people;
use leakscope_corpus::passwords::{parse_prefix5, sha1};
use leakscope_corpus::{
    overlap_report, BreachMeta, CorpusError, EmbeddedStore, Ingest, IngestOptions, Item, Marks,
    PwMode, Records, Store, Verdict,
};
use leakscope_keys::{IdKind, Secret};

fn meta(name: &str) -> BreachMeta {
    BreachMeta {
        name: name.into(),
        breach_date: Some("2024-05-01".into()),
        ..BreachMeta::default()
    }
}

fn prepare(secret: &Secret, items: Vec<Item>, email_range: bool) -> leakscope_corpus::Prepared {
    let mut ing = Ingest::new(secret, IngestOptions { email_range });
    ing.extend(items);
    ing.finish().unwrap()
}

#[test]
fn round_trip_lookup_and_reopen() {
    let dir = tempfile::tempdir().unwrap();
    let secret = Secret::from_bytes(&[3; 32]);
    let store = EmbeddedStore::open(dir.path(), &secret.fingerprint_hex()).unwrap();
    let p = prepare(&secret, people(1, 2000), true);
    let (max_kind, n_ids) = (p.kind_counts.values().copied().max().unwrap(), p.ids.len());
    let b = store.add(&meta("vn-shop-2024"), p).unwrap().breach;
    assert_eq!(b.pwn_count, max_kind);
    assert!(b.data_classes.contains(&"Passwords".to_string()));
    assert!(matches!(
        store.add(
            &meta("VN-SHOP-2024"),
            prepare(&secret, people(1, 2000), true)
        ),
        Err(leakscope_corpus::CorpusError::Exists(_))
    ));

    let reopened = EmbeddedStore::open(dir.path(), &secret.fingerprint_hex()).unwrap();
    let Item::Id(kind, value) = &people(1, 1)[0] else {
        panic!()
    };
    assert_eq!(
        reopened.lookup(&secret.hash16(*kind, value)).unwrap(),
        vec!["vn-shop-2024"]
    );
    // An adversarial look-alike (one character off, other kind) is not found.
    assert!(reopened
        .lookup(&secret.hash16(IdKind::Email, &format!("{value}x")))
        .unwrap()
        .is_empty());
    assert!(reopened
        .lookup(&secret.hash16(IdKind::Username, value))
        .unwrap()
        .is_empty());
    assert_eq!(reopened.breaches().unwrap()[0], b);
    // Bytes per identifier stay within budget (email range on: +20 bytes per email).
    assert!(reopened.disk_bytes() < (n_ids as u64) * 40 + 8192);

    // Another secret cannot silently use the store.
    let other = Secret::from_bytes(&[4; 32]);
    assert!(EmbeddedStore::open(dir.path(), &other.fingerprint_hex()).is_err());
}

#[test]
fn ranges_and_domains() {
    let dir = tempfile::tempdir().unwrap();
    let secret = Secret::from_bytes(&[3; 32]);
    let store = EmbeddedStore::open(dir.path(), &secret.fingerprint_hex()).unwrap();
    let mut items = people(9, 500);
    items.push(Item::Password("password".into()));
    items.push(Item::Id(IdKind::Email, "alice@example.com".into()));
    store
        .add(&meta("a"), prepare(&secret, items.clone(), true))
        .unwrap();
    store
        .add(&meta("b"), prepare(&secret, items, false))
        .unwrap();

    let pw = sha1(b"password");
    let rows = store
        .password_range(parse_prefix5("5BAA6").unwrap(), PwMode::Sha1)
        .unwrap();
    let hit = rows
        .iter()
        .find(|(h, _)| h[..] == pw[..])
        .expect("password in its range");
    assert_eq!(hit.1, 2, "counts add up across breaches");
    assert!(rows
        .iter()
        .all(|(h, _)| hex::encode_upper(h).starts_with("5BAA6")));
    let ntlm = store
        .password_range(parse_prefix5("8846F").unwrap(), PwMode::Ntlm)
        .unwrap();
    assert!(ntlm
        .iter()
        .any(|(h, n)| hex::encode_upper(h) == "8846F7EAEE8FB117AD06BDD830B7586C" && *n == 2));

    let e = sha1(b"alice@example.com");
    let hits = store.email_range([e[0], e[1], e[2]]).unwrap();
    let h = hits
        .iter()
        .find(|h| h.sha1 == e)
        .expect("email in its range");
    assert_eq!(
        h.breaches,
        vec!["a"],
        "only the breach added with --email-range answers"
    );

    let dk = leakscope_corpus::ingest::domain_key(&secret, "example.com");
    let accounts = store.domain_accounts(dk).unwrap();
    assert_eq!(accounts.len(), 1);
    assert_eq!(
        accounts[0].0,
        secret.hash16(IdKind::Email, "alice@example.com")
    );
    assert_eq!(accounts[0].1, vec!["a", "b"]);
}

#[test]
fn repost_is_detected_and_new_leak_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let secret = Secret::from_bytes(&[5; 32]);
    let store = EmbeddedStore::open(dir.path(), &secret.fingerprint_hex()).unwrap();
    let original = people(42, 20_000);
    store
        .add(
            &meta("vn-shop-2024"),
            prepare(&secret, original.clone(), false),
        )
        .unwrap();
    store
        .add(&meta("unrelated"), prepare(&secret, people(7, 5000), false))
        .unwrap();

    // Re-post: 95% of the original people (every 20th dropped) + 5% new ones.
    let mut repost: Vec<Item> = original
        .chunks(1)
        .enumerate()
        .filter(|(i, _)| i % 20 != 0)
        .map(|(_, c)| c[0].clone())
        .collect();
    repost.extend(people(99, 1000));
    let p = prepare(&secret, repost, false);
    let r = overlap_report(&store, &p.ids).unwrap();
    assert_eq!(r.verdict, Verdict::LikelyRepost, "{}", r.summary);
    assert_eq!(r.breaches[0].breach, "vn-shop-2024");
    assert!(
        r.breaches[0].share > 0.9 && r.breaches[0].share < 0.97,
        "share {}",
        r.breaches[0].share
    );
    assert!(r.summary.contains("vn-shop-2024") && r.summary.contains("likely a re-post"));
    assert_eq!(r.known + r.new, r.identifiers);

    // A fresh leak with an adversarial 30% overlap is "new".
    let mut fresh = people(1234, 7000);
    fresh.extend(original.iter().take(6000).cloned());
    let r = overlap_report(&store, &prepare(&secret, fresh, false).ids).unwrap();
    assert_eq!(r.verdict, Verdict::New, "{}", r.summary);

    // A compilation of two earlier breaches.
    let mut combo: Vec<Item> = original.iter().take(8000).cloned().collect();
    combo.extend(people(7, 5000));
    let r = overlap_report(&store, &prepare(&secret, combo, false).ids).unwrap();
    assert_eq!(r.verdict, Verdict::LikelyCompilation, "{}", r.summary);
}

#[test]
fn remove_and_concurrent_readers() {
    let dir = tempfile::tempdir().unwrap();
    let secret = Secret::from_bytes(&[6; 32]);
    let writer = EmbeddedStore::open(dir.path(), &secret.fingerprint_hex()).unwrap();
    let reader = EmbeddedStore::open(dir.path(), &secret.fingerprint_hex()).unwrap();
    writer
        .add(&meta("one"), prepare(&secret, people(1, 300), false))
        .unwrap();
    let Item::Id(kind, value) = &people(1, 1)[0] else {
        panic!()
    };
    let id = secret.hash16(*kind, value);
    assert!(
        reader.lookup(&id).unwrap().is_empty(),
        "reader keeps its snapshot until refresh"
    );
    assert!(reader.refresh().unwrap());
    assert_eq!(reader.lookup(&id).unwrap(), vec!["one"]);
    assert!(writer.remove("one").unwrap());
    assert!(!writer.remove("one").unwrap());
    // The reader's old snapshot still answers (mapped files survive removal) until it refreshes.
    assert_eq!(reader.lookup(&id).unwrap(), vec!["one"]);
    assert!(reader.refresh().unwrap());
    assert!(reader.lookup(&id).unwrap().is_empty());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .collect();
    assert!(leftovers.is_empty(), "removed breach directory is deleted");
}

/// A store written under the older identifier normalisation (manifest format 1) is refused with
/// a rebuild instruction instead of silently missing some e-mails and national IDs.
#[test]
fn store_of_an_older_format_is_refused_with_a_rebuild_hint() {
    let dir = tempfile::tempdir().unwrap();
    let secret = Secret::from_bytes(&[5; 32]);
    let store = EmbeddedStore::open(dir.path(), &secret.fingerprint_hex()).unwrap();
    store
        .add(&meta("old-leak"), prepare(&secret, people(1, 50), false))
        .unwrap();
    drop(store);
    let path = dir.path().join("manifest.json");
    let mut m: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(m["format"], 2);
    m["format"] = 1.into();
    std::fs::write(&path, serde_json::to_vec(&m).unwrap()).unwrap();
    let err = match EmbeddedStore::open(dir.path(), &secret.fingerprint_hex()) {
        Ok(_) => panic!("a format-1 store must be refused"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("format 1") && err.contains("rebuild"), "{err}");
}

/// The re-post verdict of an add is taken under the writer lock against the corpus as it is
/// then: a handle whose view predates another writer's commit still sees that breach.
#[test]
fn the_repost_verdict_is_taken_under_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let secret = Secret::from_bytes(&[8; 32]);
    let first = EmbeddedStore::open(dir.path(), &secret.fingerprint_hex()).unwrap();
    let second = EmbeddedStore::open(dir.path(), &secret.fingerprint_hex()).unwrap();
    let leak = people(11, 3000);
    let a = first
        .add(
            &meta("posted-monday"),
            prepare(&secret, leak.clone(), false),
        )
        .unwrap();
    assert_eq!(a.overlap.verdict, Verdict::New);
    // `second` has not refreshed: its snapshot is empty.
    assert!(second.breaches().unwrap().is_empty());
    let b = second
        .add(&meta("posted-tuesday"), prepare(&secret, leak, false))
        .unwrap();
    assert_eq!(
        b.overlap.verdict,
        Verdict::LikelyRepost,
        "{}",
        b.overlap.summary
    );
    assert_eq!(b.overlap.breaches[0].breach, "posted-monday");

    // Two adds racing on two threads: exactly one of them sees the other.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let fp = secret.fingerprint_hex();
    let verdicts: Vec<Verdict> = std::thread::scope(|s| {
        let runs: Vec<_> = ["x", "y"]
            .into_iter()
            .map(|name| {
                let (path, fp, secret) = (path.clone(), fp.clone(), secret.clone());
                s.spawn(move || {
                    let store = EmbeddedStore::open(&path, &fp).unwrap();
                    let p = prepare(&secret, people(12, 4000), false);
                    store.add(&meta(name), p).unwrap().overlap.verdict
                })
            })
            .collect();
        runs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let reposts = verdicts
        .iter()
        .filter(|v| **v == Verdict::LikelyRepost)
        .count();
    assert_eq!(reposts, 1, "{verdicts:?}");
}

#[test]
fn an_empty_leak_creates_no_breach() {
    let dir = tempfile::tempdir().unwrap();
    let secret = Secret::from_bytes(&[8; 32]);
    let store = EmbeddedStore::open(dir.path(), &secret.fingerprint_hex()).unwrap();
    let mut ing = Ingest::new(&secret, IngestOptions::default());
    ing.push(Item::DataClass("Names".into()));
    let r = store.add(&meta("nothing"), ing.finish().unwrap());
    assert!(matches!(r, Err(CorpusError::Empty)), "{r:?}");
    assert!(store.breaches().unwrap().is_empty());
    // Passwords alone are worth storing (Pwned Passwords).
    let mut ing = Ingest::new(&secret, IngestOptions::default());
    ing.push(Item::Password("hunter2".into()));
    assert!(store.add(&meta("pw-only"), ing.finish().unwrap()).is_ok());
}

#[test]
fn marks_change_flags_and_modified_date() {
    let dir = tempfile::tempdir().unwrap();
    let secret = Secret::from_bytes(&[8; 32]);
    let store = EmbeddedStore::open(dir.path(), &secret.fingerprint_hex()).unwrap();
    let added = store
        .add(&meta("shop"), prepare(&secret, people(3, 20), false))
        .unwrap()
        .breach;
    assert!(!added.is_verified);
    let verified = Marks {
        verified: Some(true),
        ..Marks::default()
    };
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let b = store.mark("SHOP", &verified).unwrap().unwrap();
    assert!(b.is_verified && !b.is_fabricated);
    assert!(
        b.modified_date > added.modified_date,
        "{} vs {}",
        b.modified_date,
        added.modified_date
    );
    assert_eq!(b.added_date, added.added_date);
    let reopened = EmbeddedStore::open(dir.path(), &secret.fingerprint_hex()).unwrap();
    assert!(reopened.breach("shop").unwrap().unwrap().is_verified);
    assert!(store.mark("nope", &verified).unwrap().is_none());
}

/// A leak larger than the ingest's memory budget is sorted through runs in its working
/// directory inside the corpus, and that directory is renamed into place; the working
/// directory of an ingest that died is removed by the next writer, a live one's is not.
#[test]
fn a_spilled_leak_is_renamed_into_place_and_dead_ingests_are_cleaned() {
    let dir = tempfile::tempdir().unwrap();
    let secret = Secret::from_bytes(&[9; 32]);
    let store = EmbeddedStore::open(dir.path(), &secret.fingerprint_hex()).unwrap();
    let dead = dir.path().join("ingest-dead");
    std::fs::create_dir(&dead).unwrap();
    std::fs::write(dead.join("run-1"), b"leftover").unwrap();
    let items = people(5, 20_000);
    let opts = IngestOptions { email_range: true };
    let mut live = Ingest::with_budget(&secret, opts, dir.path(), 64 << 10);
    // More than one hashing chunk (65,536 identifiers), so that it has spilled already.
    live.extend((0..70_000).map(|i| Item::Id(IdKind::Email, format!("live{i}@x.example"))));
    let mut ing = Ingest::with_budget(&secret, opts, dir.path(), 64 << 10);
    ing.extend(items.clone());
    let p = ing.finish().unwrap();
    assert!(matches!(p.ids, Records::File { .. }));
    let ids = p.ids.to_vec().unwrap();
    store.add(&meta("big"), p).unwrap();
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.contains(&"ingest-dead".to_string()), "{names:?}");
    let live_dirs = names.iter().filter(|n| n.starts_with("ingest-")).count();
    assert_eq!(
        live_dirs, 1,
        "the live ingest keeps its directory: {names:?}"
    );
    let bdir = dir
        .path()
        .join(names.iter().find(|n| n.starts_with("b-big")).unwrap());
    let mut files: Vec<String> = std::fs::read_dir(&bdir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "domains.seg",
            "email_sha1.seg",
            "ids.seg",
            "pw_ntlm.seg",
            "pw_sha1.seg"
        ]
    );
    for id in ids.iter().step_by(997) {
        assert_eq!(store.lookup(id).unwrap(), vec!["big"]);
    }
    let same = prepare(&secret, items, true);
    let r = overlap_report(&store, &same.ids).unwrap();
    assert_eq!(r.known, r.identifiers);
    drop(live);
}
