//! The PostgreSQL store against a real, throwaway server: the same behaviour as the embedded one.

mod common;

use common::people;
use leakscope_corpus::passwords::{parse_prefix5, sha1};
use leakscope_corpus::{
    overlap_report, BreachMeta, EmbeddedStore, Ingest, IngestOptions, Item, PgStore, PwMode, Store,
    Verdict,
};
use leakscope_keys::{IdKind, Secret};

fn prepare(secret: &Secret, items: Vec<Item>) -> leakscope_corpus::Prepared {
    let mut ing = Ingest::new(secret, IngestOptions { email_range: true });
    ing.extend(items);
    ing.finish().unwrap()
}

fn meta(name: &str) -> BreachMeta {
    BreachMeta {
        name: name.into(),
        breach_date: Some("2023-07-01".into()),
        is_verified: true,
        ..BreachMeta::default()
    }
}

/// Runs one scenario on a store and returns what it observed, so two stores can be compared.
fn scenario(store: &dyn Store, secret: &Secret) -> Vec<String> {
    let mut seen = Vec::new();
    let mut original = people(42, 3000);
    original.push(Item::Id(IdKind::Email, "alice@example.com".into()));
    original.push(Item::Password("password".into()));
    store
        .add(&meta("shop"), prepare(secret, original.clone()))
        .unwrap();
    store
        .add(&meta("other"), prepare(secret, people(8, 1000)))
        .unwrap();
    assert!(matches!(
        store.add(&meta("SHOP"), prepare(secret, people(1, 5))),
        Err(leakscope_corpus::CorpusError::Exists(_))
    ));

    let alice = secret.hash16(IdKind::Email, "alice@example.com");
    assert_eq!(store.lookup(&alice).unwrap(), vec!["shop"]);
    assert!(store
        .lookup(&secret.hash16(IdKind::Email, "alice@example.co"))
        .unwrap()
        .is_empty());

    let mut repost: Vec<Item> = original
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 20 != 0)
        .map(|(_, x)| x.clone())
        .collect();
    repost.extend(people(99, 150));
    let r = overlap_report(store, &prepare(secret, repost.clone()).ids).unwrap();
    assert_eq!(r.verdict, Verdict::LikelyRepost, "{}", r.summary);
    let added = store.add(&meta("repost"), prepare(secret, repost)).unwrap();
    assert_eq!(added.overlap.verdict, Verdict::LikelyRepost);
    assert_eq!(
        added.overlap.known, r.known,
        "the verdict under the lock is the same"
    );
    let marked = store
        .mark(
            "Repost",
            &leakscope_corpus::Marks {
                verified: Some(true),
                fabricated: Some(true),
                ..Default::default()
            },
        )
        .unwrap()
        .unwrap();
    assert!(marked.is_verified && marked.is_fabricated);
    assert!(store.breach("repost").unwrap().unwrap().is_fabricated);
    assert!(store.remove("repost").unwrap());
    seen.push(format!(
        "{} {} {} {:?}",
        r.identifiers,
        r.known,
        r.breaches[0].breach,
        r.breaches.iter().map(|b| b.shared).collect::<Vec<_>>()
    ));

    let pw = store
        .password_range(parse_prefix5("5BAA6").unwrap(), PwMode::Sha1)
        .unwrap();
    assert!(pw
        .iter()
        .any(|(h, n)| h[..] == sha1(b"password")[..] && *n == 1));
    seen.push(format!("{pw:?}"));
    let ntlm = store
        .password_range(parse_prefix5("8846F").unwrap(), PwMode::Ntlm)
        .unwrap();
    seen.push(format!("{ntlm:?}"));
    let last = store
        .password_range(parse_prefix5("FFFFF").unwrap(), PwMode::Sha1)
        .unwrap();
    seen.push(format!("{last:?}"));
    let e = sha1(b"alice@example.com");
    let er = store.email_range([e[0], e[1], e[2]]).unwrap();
    assert!(er.iter().any(|h| h.sha1 == e && h.breaches == ["shop"]));
    seen.push(format!("{er:?}"));
    let dom = store
        .domain_accounts(leakscope_corpus::ingest::domain_key(secret, "example.com"))
        .unwrap();
    assert_eq!(dom, vec![(alice, vec!["shop".to_string()])]);
    let gmail = store
        .domain_accounts(leakscope_corpus::ingest::domain_key(secret, "gmail.com"))
        .unwrap();
    seen.push(format!("{}", gmail.len()));

    let b = store.breach("Shop").unwrap().unwrap();
    assert_eq!(b.breach_date, "2023-07-01");
    seen.push(format!("{} {} {:?}", b.name, b.pwn_count, b.data_classes));
    assert!(store.remove("shop").unwrap());
    assert!(!store.remove("shop").unwrap());
    assert!(store.lookup(&alice).unwrap().is_empty());
    assert_eq!(store.breaches().unwrap().len(), 1);
    seen
}

#[test]
fn postgres_store_behaves_like_the_embedded_store() {
    let Some(pg) =
        leakscope_testpg::start_or_skip("postgres_store_behaves_like_the_embedded_store")
    else {
        return;
    };
    let secret = Secret::from_bytes(&[21; 32]);
    let store = PgStore::connect(&pg.url(), &secret.fingerprint_hex()).unwrap();
    let on_pg = scenario(&store, &secret);
    let dir = tempfile::tempdir().unwrap();
    let embedded = EmbeddedStore::open(dir.path(), &secret.fingerprint_hex()).unwrap();
    let on_files = scenario(&embedded, &secret);
    assert_eq!(on_pg, on_files);

    // Reconnecting keeps data; another installation's secret is refused.
    let again = PgStore::connect(&pg.url(), &secret.fingerprint_hex()).unwrap();
    assert_eq!(again.breaches().unwrap().len(), 1);
    let other = Secret::from_bytes(&[22; 32]);
    assert!(matches!(
        PgStore::connect(&pg.url(), &other.fingerprint_hex()),
        Err(leakscope_corpus::CorpusError::SecretMismatch { .. })
    ));
}
