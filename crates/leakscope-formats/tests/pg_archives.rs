//! pg_dump archives read without pg_restore: real `pg_dump -Fc` (gzip and uncompressed), `-Ft`
//! (also gzipped) and `-Fd` output of a throwaway PostgreSQL server, and hand-built archives of
//! newer versions (zstd and LZ4 compression, archive version 1.16).

mod common;

use common::*;
use leakscope_formats::ReadOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const SETUP: &str = "
CREATE TABLE public.customers (id integer PRIMARY KEY, full_name text, email text, note text, born date);
INSERT INTO customers VALUES
  (1, 'Lê Văn An', 'an@x.vn', E'tab\\there', '1990-01-02'),
  (2, '李小龙', NULL, E'multi\\nline \\\\ back', NULL),
  (3, 'O''Brien', 'ob@x.ie', '', '1975-12-31');
CREATE SCHEMA shop;
CREATE TABLE shop.orders (order_id bigint, customer_id int, total numeric(10,2));
INSERT INTO shop.orders SELECT g, g % 3 + 1, g * 1.5 FROM generate_series(1, 20000) g;
CREATE TABLE public.empty_t (x int);
";

fn expected_customers() -> Vec<Vec<String>> {
    rows(&[
        &["1", "Lê Văn An", "an@x.vn", "tab\there", "1990-01-02"],
        &["2", "李小龙", "", "multi\nline \\ back", ""],
        &["3", "O'Brien", "ob@x.ie", "", "1975-12-31"],
    ])
}

fn table<'c>(c: &'c Collect, name: &str) -> &'c Got {
    c.tables
        .iter()
        .find(|t| t.info.name == name)
        .unwrap_or_else(|| {
            panic!(
                "no table {name}: {:?} {:?}",
                c.tables.iter().map(|t| &t.info.name).collect::<Vec<_>>(),
                c.diags
            )
        })
}

fn check(c: &Collect, what: &str) {
    let t = table(c, "customers");
    assert_eq!(
        t.info.headers,
        strs(&["id", "full_name", "email", "note", "born"]),
        "{what}"
    );
    assert_eq!(t.rows, expected_customers(), "{what}");
    let o = table(c, "orders");
    assert_eq!(o.rows.len(), 20_000, "{what}");
    assert_eq!(o.rows[19_999], strs(&["20000", "3", "30000.00"]), "{what}");
    // An empty table is a table of 0 rows, except in INSERT dumps, which say nothing of it.
    if what.starts_with("inserts") {
        assert_eq!(c.tables.len(), 2, "{what}: {:?}", c.diags);
    } else {
        assert_eq!(table(c, "empty_t").rows.len(), 0, "{what}");
        assert_eq!(c.tables.len(), 3, "{what}: {:?}", c.diags);
    }
    let bad: Vec<_> = c
        .diags
        .iter()
        .filter(|d| d.severity != leakscope_formats::Severity::Info)
        .collect();
    assert!(bad.is_empty(), "{what}: {bad:?}");
}

fn pg_dump(pg: &leakscope_testpg::TestPg, args: &[&str], out: &Path) {
    let bin = leakscope_testpg::find_bin_dir().unwrap().join("pg_dump");
    let status = Command::new(bin)
        .args(args)
        .arg("-f")
        .arg(out)
        .arg("-d")
        .arg(pg.url())
        .status()
        .unwrap();
    assert!(status.success(), "pg_dump {args:?}");
}

fn gzip(p: &Path) -> PathBuf {
    let gz = PathBuf::from(format!("{}.gz", p.display()));
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(&std::fs::read(p).unwrap()).unwrap();
    std::fs::write(&gz, e.finish().unwrap()).unwrap();
    gz
}

#[test]
fn real_pg_dump_archives_of_every_format() {
    let Some(pg) = leakscope_testpg::start_or_skip("real_pg_dump_archives_of_every_format") else {
        return;
    };
    pg.psql(SETUP).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    pg_dump(&pg, &["-Fc"], &d.join("db.dump"));
    pg_dump(&pg, &["-Fc", "-Z0"], &d.join("plain.dump"));
    pg_dump(&pg, &["-Ft"], &d.join("db.tar"));
    pg_dump(&pg, &["-Fd"], &d.join("db.dir"));
    pg_dump(&pg, &["-Fd", "-Z0"], &d.join("plain.dir"));
    pg_dump(&pg, &["-Fc", "--inserts"], &d.join("inserts.dump"));
    let opts = ReadOptions::default();
    for name in [
        "db.dump",
        "plain.dump",
        "db.tar",
        "db.dir",
        "plain.dir",
        "inserts.dump",
    ] {
        let (c, s) = read_with(&[&d.join(name)], &opts);
        check(&c, name);
        assert_eq!(s.sources_failed, 0, "{name}");
    }
    // Custom and tar archives compressed once more.
    for name in ["db.dump", "db.tar"] {
        let gz = gzip(&d.join(name));
        let (c, _) = read_with(&[&gz], &opts);
        check(&c, &format!("{name}.gz"));
    }
    let (c, _) = read(&d.join("db.dump"));
    assert_eq!(c.sources[0].format, "pg-dump-custom");
    // A directory archive below the directory given is read as the archive, its data files not
    // again one by one (nor the files beside it skipped).
    let outer = d.join("outer");
    std::fs::create_dir_all(outer.join("backups")).unwrap();
    pg_dump(&pg, &["-Fd"], &outer.join("backups").join("shop.dir"));
    let (c, s) = read_with(&[&outer], &opts);
    check(&c, "nested directory archive");
    assert_eq!(s.sources_failed, 0);
    std::fs::write(outer.join("backups").join("a-notes.csv"), "a,b\n1,2\n").unwrap();
    std::fs::write(outer.join("z-notes.csv"), "a,b\n1,2\n").unwrap();
    let (c, _) = read_with(&[&outer], &opts);
    let formats: Vec<&str> = c.sources.iter().map(|s| s.format.as_str()).collect();
    assert_eq!(formats, ["csv", "pg-dump-directory", "csv"], "{formats:?}");
    assert_eq!(c.tables.len(), 5, "{:?}", c.diags);
    // The TOC of a directory archive named on its own reads the directory.
    let (c, _) = read(&d.join("db.dir").join("toc.dat"));
    check(&c, "toc.dat");
    // A cut archive reads what is there and says where it broke off.
    let bytes = std::fs::read(d.join("plain.dump")).unwrap();
    let cut = d.join("cut.dump");
    std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let (c, _) = read(&cut);
    assert!(
        c.diags.iter().any(|d| d.code == "truncated-stream"),
        "{:?}",
        c.diags
    );
    assert!(c.tables.iter().map(|t| t.rows.len()).sum::<usize>() > 0);
}

/// Writes an archive integer: sign byte and four little-endian bytes.
fn int(out: &mut Vec<u8>, v: i64) {
    out.push(u8::from(v < 0));
    out.extend_from_slice(&(v.unsigned_abs() as u32).to_le_bytes());
}

fn string(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        None => int(out, -1),
        Some(s) => {
            int(out, s.len() as i64);
            out.extend_from_slice(s.as_bytes());
        }
    }
}

/// A custom-format archive of archive version 1.`minor` with one table, its data compressed
/// with `algorithm` (0 none, 2 lz4, 3 zstd) as `chunks`.
fn archive(minor: u8, algorithm: u8, chunks: &[&[u8]]) -> Vec<u8> {
    let mut a = b"PGDMP".to_vec();
    a.extend_from_slice(&[1, minor, 0, 4, 8, 1, algorithm]);
    for v in [1, 2, 3, 4, 5, 125, 0] {
        int(&mut a, v);
    }
    for s in ["db", "17.2", "17.2"] {
        string(&mut a, Some(s));
    }
    int(&mut a, 1);
    int(&mut a, 7); // dump id
    int(&mut a, 1); // had dumper
    string(&mut a, Some("0"));
    string(&mut a, Some("0"));
    string(&mut a, Some("users"));
    string(&mut a, Some("TABLE DATA"));
    int(&mut a, 3); // section
    string(&mut a, Some(""));
    string(&mut a, Some(""));
    string(&mut a, Some("COPY public.users (id, email) FROM stdin;\n"));
    string(&mut a, Some("public"));
    string(&mut a, Some(""));
    string(&mut a, Some(""));
    if minor >= 16 {
        int(&mut a, i64::from(b'r'));
    }
    string(&mut a, Some("postgres"));
    string(&mut a, Some("false"));
    string(&mut a, Some("6"));
    string(&mut a, None);
    a.push(2);
    a.extend_from_slice(&[0; 8]);
    a.push(1); // data block
    int(&mut a, 7);
    for c in chunks {
        int(&mut a, c.len() as i64);
        a.extend_from_slice(c);
    }
    int(&mut a, 0);
    a
}

#[test]
fn newer_archives_with_zstd_and_lz4() {
    let data = b"1\ta@x.vn\n2\tb@x.vn\n\\.\n\n\n";
    let zst = zstd::encode_all(&data[..], 3).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for (minor, name, body) in [
        (15, "zstd.dump", archive(15, 3, &[&zst[..10], &zst[10..]])),
        (16, "v16.dump", archive(16, 0, &[data])),
    ] {
        let p = dir.path().join(name);
        std::fs::write(&p, body).unwrap();
        let (c, _) = read(&p);
        let t = c.one();
        assert_eq!(t.info.name, "users", "1.{minor}");
        assert_eq!(t.info.headers, strs(&["id", "email"]));
        assert_eq!(
            t.rows,
            rows(&[&["1", "a@x.vn"], &["2", "b@x.vn"]]),
            "1.{minor}"
        );
        assert!(c.codes().is_empty(), "1.{minor}: {:?}", c.diags);
    }
    let p = dir.path().join("lz4.dump");
    std::fs::write(&p, archive(15, 2, &[b"\x04\x22\x4d\x18 not really lz4"])).unwrap();
    let (c, s) = read(&p);
    assert_eq!(c.codes(), ["unsupported-compression"]);
    assert!(c.diags[0].message.contains("LZ4") && c.diags[0].message.contains("pg_restore"));
    assert_eq!(s.sources_failed, 1);
    // An archive cut inside its TOC is an error of that source, not a panic.
    let mut bad = archive(15, 0, &[data]);
    bad.truncate(90);
    let p = dir.path().join("bad.dump");
    std::fs::write(&p, bad).unwrap();
    let (c, s) = read(&p);
    assert_eq!(s.sources_failed, 1, "{:?}", c.diags);
    assert_eq!(c.codes(), ["corrupt-archive"]);
}
