//! Dumps of many tables with the built-in detectors: the profile does not depend on how many
//! workers decide columns or in which order they finish, a repeated header's decision is
//! confirmed on each table's own values (not assumed), also on tables too small to decide by
//! themselves, and tiny tables are all there.

use leakscope_formats::ReadOptions;
use leakscope_scan::{scan_paths, ScanOptions};
use std::fmt::Write;

/// A mysqldump of `copies` copies of a small shop schema plus one-row tables without schema.
fn dump(copies: usize) -> String {
    let mut s = String::from("-- MySQL dump 10.13\n");
    for k in 0..copies {
        let rows = [3, 40, 120, 8][k % 4];
        let _ = writeln!(
            s,
            "CREATE TABLE `customers_{k}` (`id` int, `full_name` varchar(80), `email` varchar(80), `phone` varchar(20));"
        );
        s.push_str(&format!("INSERT INTO `customers_{k}` VALUES "));
        for i in 0..rows {
            if i > 0 {
                s.push(',');
            }
            let _ = write!(
                s,
                "({i},'Nguyễn Văn {k}x{i}','user{k}.{i}@example.vn','+84 91{:07}')",
                (k * 1000 + i) * 7919 % 10_000_000
            );
        }
        s.push_str(";\n");
        let _ = writeln!(s, "INSERT INTO `log_{k}` VALUES ({k},'event {k}');");
    }
    s
}

fn profile_json(
    path: &std::path::Path,
    read_threads: usize,
    scan_threads: usize,
) -> serde_json::Value {
    let read = ReadOptions {
        threads: read_threads,
        block_bytes: 4096,
        ..ReadOptions::default()
    };
    let opts = ScanOptions {
        threads: scan_threads,
        ..ScanOptions::default()
    };
    let p = scan_paths(&[path.to_path_buf()], &read, &opts).expect("scan");
    let mut v = serde_json::to_value(&p).unwrap();
    v["generated_at"] = serde_json::Value::Null;
    v
}

#[test]
fn many_tables_profile_is_exact_and_deterministic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.sql");
    std::fs::write(&path, dump(160)).unwrap();
    let one = profile_json(&path, 1, 1);
    for (r, w) in [(2, 2), (2, 3), (1, 4)] {
        assert!(
            profile_json(&path, r, w) == one,
            "profile differs with {r} read threads and {w} scan workers"
        );
    }
    let tables = one["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 320);
    let rows: u64 = (0..160).map(|k| [3u64, 40, 120, 8][k % 4] + 1).sum();
    assert_eq!(one["rows"], rows);
    // Tables of 3 or 8 rows give the detectors too little to go on by themselves, but those read
    // after `customers_1` (the first of their shape with more than 32 rows) confirm its decision
    // on their own values.
    for t in tables.iter().filter(|t| {
        t["name"].as_str().unwrap().starts_with("customers_") && t["name"] != "customers_0"
    }) {
        let class = |c: usize| t["columns"][c]["class"].as_str().unwrap().to_string();
        assert_eq!(class(2), "email", "{}", t["name"]);
        assert_eq!(class(3), "phone", "{}", t["name"]);
    }
    // The 160 schema-less tables are named once, not 160 times.
    let diags = one["diagnostics"].as_array().unwrap();
    assert_eq!(
        diags.iter().filter(|d| d["code"] == "no-schema").count(),
        1,
        "{diags:?}"
    );
}

#[test]
fn a_repeated_header_is_confirmed_on_each_table() {
    let mut s = String::new();
    for k in 0..30 {
        let _ = writeln!(s, "CREATE TABLE `t{k}` (`id` int, `contact` varchar(80));");
        s.push_str(&format!("INSERT INTO `t{k}` VALUES "));
        for i in 0..200 {
            if i > 0 {
                s.push(',');
            }
            // Table 17's `contact` holds phone numbers; every other table's, e-mail addresses.
            let v = if k == 17 {
                format!("+84 91{:07}", (i * 104_729 + 11) % 10_000_000)
            } else {
                format!("contact{i}.t{k}@example.vn")
            };
            let _ = write!(s, "({i},'{v}')");
        }
        s.push_str(";\n");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.sql");
    std::fs::write(&path, s).unwrap();
    let p = profile_json(&path, 1, 2);
    for t in p["tables"].as_array().unwrap() {
        let want = if t["name"] == "t17" { "phone" } else { "email" };
        assert_eq!(t["columns"][1]["class"], want, "{}", t["name"]);
    }
}

#[test]
fn thousands_of_one_row_tables_each_have_their_entry() {
    let mut s = String::new();
    for t in 0..3_000 {
        let _ = writeln!(s, "INSERT INTO t{t} VALUES ({t},'u{t}@example.vn');");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tiny.sql");
    std::fs::write(&path, s).unwrap();
    let p = profile_json(&path, 2, 2);
    let tables = p["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 3_000);
    assert!(tables.iter().all(|t| t["rows"] == 1));
    // The first one-row table is the reference of the 2,999 others of its shape, each confirmed
    // on its own value: all decide the e-mail column alike.
    assert!(
        tables.iter().all(|t| t["columns"][1]["class"] == "email"),
        "{}",
        tables[0]
    );
    assert_eq!(p["rows"], 3_000);
    // One diagnostic says what the 3,000 tables lack.
    assert_eq!(
        p["diagnostics"].as_array().unwrap().len(),
        1,
        "{}",
        p["diagnostics"]
    );
}
