//! SQLite database files read without SQLite: databases written by the real SQLite library
//! (rusqlite) in the test — every value type, overflow pages, interior pages, `WITHOUT ROWID`,
//! added columns, UTF-16, a WAL beside the file, damaged pages, and files inside archives.

mod common;

use common::*;
use leakscope_formats::ReadOptions;
use rusqlite::Connection;
use std::io::Write;
use std::path::{Path, PathBuf};

fn table<'c>(c: &'c Collect, name: &str) -> &'c Got {
    c.tables
        .iter()
        .find(|t| t.info.name == name)
        .unwrap_or_else(|| panic!("no table {name}: {:?}", c.diags))
}

/// A database with the value types leaks hold.
fn people_db(path: &Path) {
    let db = Connection::open(path).unwrap();
    db.execute_batch(
        "CREATE TABLE [Customer] ([CustomerId] INTEGER NOT NULL, [FirstName] NVARCHAR(40) NOT NULL,
             [Email] TEXT, [Balance] REAL, [Avatar] BLOB, [Note] BLOB, [Big] INTEGER,
             CONSTRAINT [PK_Customer] PRIMARY KEY ([CustomerId]));
         INSERT INTO Customer VALUES (1, 'Nguyễn Văn An', 'an@x.vn', 12.5, x'89504e47', CAST('plain text' AS BLOB), 9007199254740993);
         INSERT INTO Customer VALUES (2, '李小龙', NULL, -0.25, NULL, NULL, -129);
         INSERT INTO Customer VALUES (40, 'O''Brien', 'ob@x.ie', 0, x'', NULL, 0);
         CREATE TABLE seq (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);
         INSERT INTO seq (v) VALUES ('s');
         CREATE TABLE kv (v TEXT, k TEXT, n INT, PRIMARY KEY (k, n)) WITHOUT ROWID;
         INSERT INTO kv VALUES ('one', 'a', 1), ('two', 'a', 2), ('three', 'b', 0);
         CREATE TABLE later (a INTEGER PRIMARY KEY, b TEXT);
         INSERT INTO later VALUES (7, 'old');
         ALTER TABLE later ADD COLUMN c TEXT DEFAULT 'x';
         INSERT INTO later VALUES (8, 'new', 'c');
         CREATE INDEX ix ON Customer (Email);
         CREATE VIEW v AS SELECT * FROM Customer;",
    )
    .unwrap();
}

fn write(dir: &Path, name: &str, body: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::File::create(&p).unwrap().write_all(body).unwrap();
    p
}

#[test]
fn every_value_type_and_layout() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("app.db");
    people_db(&p);
    let (c, s) = read(&p);
    assert_eq!(c.sources[0].format, "sqlite");
    assert_eq!(c.sources[0].encoding.as_deref(), Some("UTF-8"));
    let t = table(&c, "Customer");
    assert_eq!(
        t.info.headers,
        strs(&[
            "CustomerId",
            "FirstName",
            "Email",
            "Balance",
            "Avatar",
            "Note",
            "Big"
        ])
    );
    assert_eq!(
        t.rows,
        rows(&[
            &[
                "1",
                "Nguyễn Văn An",
                "an@x.vn",
                "12.5",
                "89504e47",
                "plain text",
                "9007199254740993"
            ],
            &["2", "李小龙", "", "-0.25", "", "", "-129"],
            &["40", "O'Brien", "ob@x.ie", "0", "", "", "0"],
        ])
    );
    // Primary-key columns come first in a WITHOUT ROWID record; rows are in key order.
    let kv = table(&c, "kv");
    assert_eq!(kv.info.headers, strs(&["v", "k", "n"]));
    assert_eq!(
        kv.rows,
        rows(&[&["one", "a", "1"], &["two", "a", "2"], &["three", "b", "0"]])
    );
    // A column added later is missing from older records.
    assert_eq!(
        table(&c, "later").rows,
        rows(&[&["7", "old", ""], &["8", "new", "c"]])
    );
    assert_eq!(table(&c, "seq").rows, rows(&[&["1", "s"]]));
    assert_eq!(
        c.tables.len(),
        4,
        "indexes, views and sqlite_sequence are no tables"
    );
    assert_eq!(s.rows, 9);
    let types = c
        .diags
        .iter()
        .find(|d| d.code == "column-types" && d.table.as_deref() == Some("Customer"))
        .unwrap();
    assert!(
        types.message.contains("FirstName NVARCHAR(40)"),
        "{}",
        types.message
    );
    assert!(c
        .diags
        .iter()
        .all(|d| d.severity == leakscope_formats::Severity::Info));
}

#[test]
fn many_pages_and_overflow_chains() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("big.sqlite");
    let mut db = Connection::open(&p).unwrap();
    db.execute_batch("PRAGMA page_size = 1024; CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, bio TEXT);")
        .unwrap();
    let tx = db.transaction().unwrap();
    for i in 0..5_000 {
        let bio = if i % 1000 == 7 {
            format!("{i}:{}", "Lê ".repeat(20_000 + i))
        } else {
            format!("bio {i}")
        };
        tx.execute(
            "INSERT INTO users VALUES (?1, ?2, ?3)",
            rusqlite::params![i * 3, format!("user{i}@example.vn"), bio],
        )
        .unwrap();
    }
    tx.commit().unwrap();
    drop(db);
    let (c, _) = read(&p);
    let t = c.one();
    assert_eq!(t.rows.len(), 5_000);
    for (i, r) in t.rows.iter().enumerate() {
        assert_eq!(r[0], (i * 3).to_string());
        assert_eq!(r[1], format!("user{i}@example.vn"));
        if i % 1000 == 7 {
            assert_eq!(r[2], format!("{i}:{}", "Lê ".repeat(20_000 + i)));
        }
    }
}

#[test]
fn utf16_databases() {
    let dir = tempfile::tempdir().unwrap();
    for (enc, label) in [("UTF-16le", "UTF-16LE"), ("UTF-16be", "UTF-16BE")] {
        let p = dir.path().join(format!("{label}.db"));
        let db = Connection::open(&p).unwrap();
        db.execute_batch(&format!(
            "PRAGMA encoding = '{enc}'; CREATE TABLE t (name TEXT); INSERT INTO t VALUES ('Trần Thị Bích');"
        ))
        .unwrap();
        drop(db);
        let (c, _) = read(&p);
        assert_eq!(c.sources[0].encoding.as_deref(), Some(label));
        assert_eq!(c.one().rows, rows(&[&["Trần Thị Bích"]]));
    }
}

#[test]
fn the_wal_beside_the_database_holds_the_latest_commits() {
    let dir = tempfile::tempdir().unwrap();
    let live = dir.path().join("live.db");
    let db = Connection::open(&live).unwrap();
    db.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;
         CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT);
         INSERT INTO t VALUES (1, 'a@x.vn');",
    )
    .unwrap();
    db.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
        .unwrap();
    db.execute_batch(
        "INSERT INTO t VALUES (2, 'b@x.vn'); UPDATE t SET email = 'A@x.vn' WHERE id = 1;",
    )
    .unwrap();
    // A copy of the files as an attacker would take them, with the connection still open.
    let copy = dir.path().join("copy");
    std::fs::create_dir(&copy).unwrap();
    std::fs::copy(&live, copy.join("app.db")).unwrap();
    std::fs::copy(dir.path().join("live.db-wal"), copy.join("app.db-wal")).unwrap();
    drop(db);
    let (c, s) = read(&copy);
    let t = table(&c, "t");
    assert_eq!(t.rows, rows(&[&["1", "A@x.vn"], &["2", "b@x.vn"]]));
    assert!(c.codes().iter().any(|c| c == "sqlite-wal"), "{:?}", c.diags);
    assert_eq!(
        s.sources_failed, 0,
        "the -wal file is no failed source: {:?}",
        c.diags
    );
    // Without its WAL the file holds only the checkpointed state.
    std::fs::remove_file(copy.join("app.db-wal")).unwrap();
    let (c, _) = read(&copy.join("app.db"));
    assert_eq!(c.one().rows, rows(&[&["1", "a@x.vn"]]));
}

#[test]
fn a_damaged_page_is_reported_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("d.db");
    let mut db = Connection::open(&p).unwrap();
    db.execute_batch("PRAGMA page_size = 1024; CREATE TABLE a (x TEXT); CREATE TABLE b (y TEXT);")
        .unwrap();
    let tx = db.transaction().unwrap();
    for i in 0..2_000 {
        tx.execute("INSERT INTO a VALUES (?1)", [format!("row {i} of a")])
            .unwrap();
    }
    tx.execute("INSERT INTO b VALUES ('b is intact')", [])
        .unwrap();
    tx.commit().unwrap();
    let leaf: i64 = db
        .query_row(
            "SELECT rootpage FROM sqlite_schema WHERE name = 'b'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    drop(db);
    let mut bytes = std::fs::read(&p).unwrap();
    // Damage one leaf page of `a`: the page after b's root holds rows of a (a grew after b's
    // root was allocated); clobber its type byte.
    let victim = leaf as usize + 1;
    bytes[(victim - 1) * 1024] = 0x42;
    std::fs::write(&p, &bytes).unwrap();
    let (c, s) = read(&p);
    let d: Vec<_> = c
        .diags
        .iter()
        .filter(|d| d.code == "corrupt-page")
        .collect();
    assert_eq!(d.len(), 1, "{:?}", c.diags);
    assert_eq!(d[0].offset, Some(((victim - 1) * 1024) as u64));
    assert_eq!(d[0].table.as_deref(), Some("a"));
    let a = table(&c, "a");
    assert!(
        a.rows.len() > 1_900 && a.rows.len() < 2_000,
        "{}",
        a.rows.len()
    );
    assert_eq!(table(&c, "b").rows, rows(&[&["b is intact"]]));
    assert_eq!(s.sources_failed, 0);
    // A b-tree page pointing to itself ends in a diagnostic, not a hang.
    let mut looped = std::fs::read(&p).unwrap();
    looped[(victim - 1) * 1024] = 0x05;
    looped[(victim - 1) * 1024 + 3..(victim - 1) * 1024 + 5].copy_from_slice(&[0, 0]);
    looped[(victim - 1) * 1024 + 8..(victim - 1) * 1024 + 12]
        .copy_from_slice(&(victim as u32).to_be_bytes());
    let p2 = write(dir.path(), "loop.db", &looped);
    let (c, _) = read(&p2);
    assert!(c
        .diags
        .iter()
        .any(|d| d.code == "corrupt-page" && d.message.contains("twice")));
}

#[test]
fn databases_inside_archives_and_compressed() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("app.db");
    people_db(&p);
    let bytes = std::fs::read(&p).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&bytes).unwrap();
    let gzp = write(dir.path(), "app.db.gz", &gz.finish().unwrap());
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    z.start_file("data/app.sqlite", zip::write::SimpleFileOptions::default())
        .unwrap();
    z.write_all(&bytes).unwrap();
    let zp = write(dir.path(), "leak.zip", &z.finish().unwrap().into_inner());
    for path in [gzp, zp] {
        let (c, s) = read_with(&[&path], &ReadOptions::default());
        assert_eq!(s.rows, 9, "{}: {:?}", path.display(), c.diags);
        assert_eq!(table(&c, "Customer").rows.len(), 3);
    }
}

#[test]
fn damaged_headers_and_truncated_files_fail_with_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("app.db");
    people_db(&p);
    let bytes = std::fs::read(&p).unwrap();
    let mut bad = bytes.clone();
    bad[16] = 3; // page size 0x0310: not a power of two
    let (c, s) = read(&write(dir.path(), "bad.db", &bad));
    assert_eq!(c.codes(), ["corrupt-database"]);
    assert_eq!(s.sources_failed, 1);
    let cut = &bytes[..bytes.len() / 2];
    let (c, _) = read(&write(dir.path(), "cut.db", cut));
    assert!(
        c.codes().iter().any(|c| c == "corrupt-page"),
        "{:?}",
        c.diags
    );
}
