//! Reading real leak files through the shared reader and detectors into the corpus.

use leakscope_corpus::{normalize_query, read, IngestOptions};
use leakscope_keys::{IdKind, Secret};
use std::io::Write;

fn cn_id(seq: u32) -> String {
    let body = format!(
        "11010519{:02}{:02}{:02}{:03}",
        60 + seq % 30,
        1 + seq % 12,
        1 + seq % 28,
        seq % 1000
    );
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .bytes()
        .zip(W)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    format!("{body}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

#[test]
fn csv_leak_is_classified_normalised_and_hashed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("leak.csv");
    let mut f = std::fs::File::create(&path).unwrap();
    writeln!(f, "id,full_name,email,mobile,id_card,password,created_at").unwrap();
    for i in 0..800u32 {
        let name = [
            "Nguyen Van An",
            "Tran Thi Binh",
            "Le Van Cuong",
            "Pham Thi Dung",
        ][(i % 4) as usize];
        let phone = 2_345_678 + (i * 7919) % 7_000_000;
        writeln!(
            f,
            "{i},{name},User{i}@Shop.VN,+84 91 {phone},{},pw{},2024-01-{:02}",
            cn_id(i),
            i % 50,
            1 + i % 28
        )
        .unwrap();
    }
    drop(f);
    let secret = Secret::from_bytes(&[1; 32]);
    let (p, stats) = read::prepare_paths(&[path], &secret, IngestOptions::default()).unwrap();
    let ids = p.ids.to_vec().unwrap();
    assert_eq!(stats.rows, 800);
    assert_eq!(p.kind_counts.get("email"), Some(&800));
    assert_eq!(p.kind_counts.get("phone"), Some(&800));
    assert!(
        p.kind_counts.get("national_id").copied().unwrap_or(0) >= 700,
        "{:?}",
        p.kind_counts
    );
    assert_eq!(p.pw_sha1.len(), 50);
    assert!(
        p.data_classes.contains("Names") && p.data_classes.contains("Passwords"),
        "{:?}",
        p.data_classes
    );
    // What `corpus check` and the server compute for user input matches what add stored.
    let email = normalize_query(IdKind::Email, " user7@shop.vn ").unwrap();
    assert!(ids
        .binary_search(&secret.hash16(IdKind::Email, &email))
        .is_ok());
    let phone = normalize_query(IdKind::Phone, &format!("+8491{}", 2_345_678 + 7 * 7919)).unwrap();
    assert!(ids
        .binary_search(&secret.hash16(IdKind::Phone, &phone))
        .is_ok());
    let nid = normalize_query(IdKind::NationalId, &cn_id(7)).unwrap();
    assert!(
        ids.binary_search(&secret.hash16(IdKind::NationalId, &nid))
            .is_ok(),
        "{nid}"
    );
    // A look-alike with a broken check digit does not validate.
    let mut bad = cn_id(7);
    let last = bad.pop().unwrap();
    bad.push(if last == '0' { '1' } else { '0' });
    assert!(normalize_query(IdKind::NationalId, &bad).is_none_or(|n| ids
        .binary_search(&secret.hash16(IdKind::NationalId, &n))
        .is_err()));
}

#[test]
fn interleaved_tables_and_late_keys_keep_their_own_columns() {
    // An Elasticsearch `_bulk` body alternating two indices: `customers` documents carry an
    // e-mail, `shipments` documents a tracking number where the e-mail would be. Each index is
    // its own table and must keep its own column decision, even though the rows interleave.
    let dir = tempfile::tempdir().unwrap();
    let bulk = dir.path().join("bulk.ndjson");
    let mut f = std::fs::File::create(&bulk).unwrap();
    for i in 0..700u32 {
        writeln!(f, r#"{{"index":{{"_index":"customers","_id":"c{i}"}}}}"#).unwrap();
        writeln!(
            f,
            r#"{{"contact":"buyer{i}@shop.example.vn","tier":"gold"}}"#
        )
        .unwrap();
        writeln!(f, r#"{{"index":{{"_index":"shipments","_id":"s{i}"}}}}"#).unwrap();
        writeln!(f, r#"{{"contact":"SPX{:010}","tier":"x"}}"#, 4_000_000 + i).unwrap();
    }
    drop(f);
    let secret = Secret::from_bytes(&[3; 32]);
    let (p, stats) = read::prepare_paths(&[bulk], &secret, IngestOptions::default()).unwrap();
    assert_eq!(stats.rows, 1400);
    assert_eq!(
        p.kind_counts.get("email"),
        Some(&700),
        "{:?}",
        p.kind_counts
    );
    assert_eq!(stats.rejected, 0, "tracking numbers were taken for e-mails");

    // NDJSON whose `email` key first appears after the corpus's 500-row sample.
    let late = dir.path().join("late.ndjson");
    let mut f = std::fs::File::create(&late).unwrap();
    for i in 0..1200u32 {
        if i < 800 {
            writeln!(f, r#"{{"id":{i},"city":"Hanoi"}}"#).unwrap();
        } else {
            writeln!(
                f,
                r#"{{"id":{i},"city":"Hanoi","email":"late{i}@mail.example.vn"}}"#
            )
            .unwrap();
        }
    }
    drop(f);
    let (p, stats) = read::prepare_paths(&[late], &secret, IngestOptions::default()).unwrap();
    assert_eq!(stats.rows, 1200);
    assert_eq!(
        p.kind_counts.get("email"),
        Some(&400),
        "{:?}",
        p.kind_counts
    );
}
