use super::*;

fn sample(ing: &mut Ingest) {
    ing.extend([
        Item::Id(IdKind::Email, "a@x.com".into()),
        Item::Id(IdKind::Email, "a@x.com".into()),
        Item::Id(IdKind::Email, "b@y.org".into()),
        Item::Id(IdKind::Phone, "+6591234567".into()),
        Item::Password("hunter2".into()),
        Item::Password("hunter2".into()),
        Item::Password("letmein".into()),
        Item::DataClass("Names".into()),
    ]);
}

#[test]
fn dedups_counts_kinds_and_indexes_domains() {
    let secret = Secret::from_bytes(&[7; 32]);
    let mut ing = Ingest::new(&secret, IngestOptions { email_range: true });
    sample(&mut ing);
    let p = ing.finish().unwrap();
    assert_eq!(p.ids.len(), 3);
    assert_eq!(p.items_read, 4);
    assert_eq!(p.kind_counts["email"], 2);
    assert_eq!(p.pwn_count(), 2);
    let ids = p.ids.to_vec().unwrap();
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    let domains = p.domains.to_vec().unwrap();
    assert_eq!(domains.len(), 2);
    let x = domain_key(&secret, "X.com");
    let row = domains.iter().find(|r| r[..8] == x).unwrap();
    let idx = u32::from_be_bytes(row[8..].try_into().unwrap()) as usize;
    assert_eq!(ids[idx], secret.hash16(IdKind::Email, "a@x.com"));
    assert_eq!(p.email_sha1.len(), 2);
    let pw = p.pw_sha1.to_vec().unwrap();
    assert_eq!(pw.len(), 2);
    let hunter = pw.iter().find(|r| r[..20] == sha1(b"hunter2")).unwrap();
    assert_eq!(Prepared::count_of(hunter), 2);
    let nt = p.pw_ntlm.to_vec().unwrap();
    let hunter = nt.iter().find(|r| r[..16] == ntlm("hunter2")).unwrap();
    assert_eq!(Prepared::count_of(hunter), 2);
    let classes: Vec<&str> = p.data_classes.iter().map(String::as_str).collect();
    assert_eq!(
        classes,
        ["Email addresses", "Names", "Passwords", "Phone numbers"]
    );
}

#[test]
fn email_range_is_off_by_default() {
    let secret = Secret::from_bytes(&[7; 32]);
    let mut ing = Ingest::new(&secret, IngestOptions::default());
    ing.push(Item::Id(IdKind::Email, "a@x.com".into()));
    assert!(ing.finish().unwrap().email_sha1.is_empty());
}

/// The same leak through a tiny budget (everything spilled to runs and merged from files)
/// gives exactly the same sets as in memory, and the working directory goes with the result.
#[test]
fn spilled_ingest_equals_in_memory_ingest() {
    let secret = Secret::from_bytes(&[3; 32]);
    let parent = tempfile::tempdir().unwrap();
    let items: Vec<Item> = (0..30_000u32)
        .flat_map(|i| {
            let j = i.wrapping_mul(2_654_435_761) % 9_000;
            [
                Item::Id(IdKind::Email, format!("u{j}@d{}.example", j % 37)),
                Item::Id(IdKind::Phone, format!("+849{:08}", j * 7)),
                Item::Password(format!("pw{}", j % 1_234)),
            ]
        })
        .collect();
    let opts = IngestOptions { email_range: true };
    let mut mem = Ingest::in_dir(&secret, opts, parent.path());
    mem.extend(items.clone());
    let a = mem.finish().unwrap();
    assert!(
        a.work_dir().is_none(),
        "a small leak needs no working directory"
    );
    let mut small = Ingest::with_budget(&secret, opts, parent.path(), 64 << 10);
    small.extend(items);
    let b = small.finish().unwrap();
    assert!(matches!(b.ids, Records::File { .. }), "spilled");
    let work = b.work_dir().unwrap().to_path_buf();
    assert!(work.starts_with(parent.path()));
    assert_eq!(a.ids.to_vec().unwrap(), b.ids.to_vec().unwrap());
    assert_eq!(a.domains.to_vec().unwrap(), b.domains.to_vec().unwrap());
    assert_eq!(
        a.email_sha1.to_vec().unwrap(),
        b.email_sha1.to_vec().unwrap()
    );
    assert_eq!(a.pw_sha1.to_vec().unwrap(), b.pw_sha1.to_vec().unwrap());
    assert_eq!(a.pw_ntlm.to_vec().unwrap(), b.pw_ntlm.to_vec().unwrap());
    assert_eq!(a.kind_counts, b.kind_counts);
    assert_eq!(a.ids.len(), 18_000);
    let runs_left = std::fs::read_dir(&work)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("run-")
        })
        .count();
    assert_eq!(runs_left, 0, "runs are deleted once merged");
    drop(b);
    assert!(
        !work.exists(),
        "the working directory goes with the prepared leak"
    );
}
