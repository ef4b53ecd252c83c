//! Header-less combolists (`email:password`, the most common leak) store their passwords, like
//! the same lines under a header (issue 12).

use leakscope_corpus::{read, IngestOptions};
use leakscope_keys::Secret;
use std::io::Write;

fn write_lines(path: &std::path::Path, header: Option<&str>, n: u32) {
    let mut f = std::fs::File::create(path).unwrap();
    if let Some(h) = header {
        writeln!(f, "{h}").unwrap();
    }
    for i in 0..n {
        writeln!(f, "member{i}@mail.example.net:Pass{}word{}", i % 97, i % 13).unwrap();
    }
}

#[test]
fn headerless_and_headed_combolists_store_the_same_passwords() {
    let dir = tempfile::tempdir().unwrap();
    let bare = dir.path().join("combo.txt");
    let headed = dir.path().join("combo_headed.txt");
    write_lines(&bare, None, 600);
    write_lines(&headed, Some("email:password"), 600);
    let secret = Secret::from_bytes(&[7; 32]);
    let (a, sa) = read::prepare_paths(&[bare], &secret, IngestOptions::default()).unwrap();
    let (b, sb) = read::prepare_paths(&[headed], &secret, IngestOptions::default()).unwrap();
    assert_eq!(sa.rows, 600);
    assert_eq!(sb.rows, 600);
    assert_eq!(a.kind_counts.get("email"), Some(&600));
    assert!(
        !a.pw_sha1.is_empty(),
        "header-less combolist stored no password"
    );
    assert_eq!(a.pw_sha1.to_vec().unwrap(), b.pw_sha1.to_vec().unwrap());
    assert!(a.data_classes.contains("Passwords"), "{:?}", a.data_classes);
}
