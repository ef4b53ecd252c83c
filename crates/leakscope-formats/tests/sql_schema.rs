//! Schema and data in separate files: `CREATE TABLE` column names apply to the header-less
//! `INSERT`s of the same table in any other input of the read, whatever the order, in a
//! directory, and from a schema file beside the data file that was not named.

mod common;

use common::*;
use leakscope_formats::ReadOptions;
use std::io::Write;
use std::path::{Path, PathBuf};

const SCHEMA: &str = "-- schema\nCREATE TABLE customer (\n  customer_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT,\n  first_name VARCHAR(45) NOT NULL,\n  email VARCHAR(50) DEFAULT NULL,\n  PRIMARY KEY (customer_id)\n) ENGINE=InnoDB;\nCREATE TABLE `payment` (`payment_id` int, `amount` decimal(5,2));\n";
const DATA: &str = "-- data\nINSERT INTO customer VALUES (1,'MARY','mary@x.org'),(2,'PATRICIA','pat@x.org');\nINSERT INTO `payment` VALUES (1,2.99);\nINSERT INTO other VALUES (1,2,3);\n";

fn write(dir: &Path, name: &str, body: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::File::create(&p).unwrap().write_all(body).unwrap();
    p
}

fn headers(c: &Collect, table: &str) -> Vec<String> {
    c.tables
        .iter()
        .find(|t| t.info.name == table)
        .map(|t| t.info.headers.clone())
        .unwrap_or_default()
}

fn joined(c: &Collect) {
    assert_eq!(
        headers(c, "customer"),
        strs(&["customer_id", "first_name", "email"])
    );
    assert_eq!(headers(c, "payment"), strs(&["payment_id", "amount"]));
    // A table no schema defines keeps synthesised names and says so.
    assert_eq!(headers(c, "other"), strs(&["col_1", "col_2", "col_3"]));
    let t = c.tables.iter().find(|t| t.info.name == "customer").unwrap();
    assert!(t.info.has_header_row);
    assert_eq!(t.rows.len(), 2);
    // Said once per dump, naming the tables and the schema file.
    let joined: Vec<_> = c
        .diags
        .iter()
        .filter(|d| d.code == "schema-joined")
        .collect();
    assert_eq!(joined.len(), 1, "{:?}", c.diags);
    let m = &joined[0].message;
    assert!(
        m.contains("schema.sql") && m.contains("`customer`, `payment`"),
        "{m}"
    );
    let none: Vec<_> = c.diags.iter().filter(|d| d.code == "no-schema").collect();
    assert_eq!(none.len(), 1);
    assert!(none[0].message.contains("`other`"));
}

#[test]
fn data_file_first_is_joined_with_a_later_schema_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "data.sql", DATA.as_bytes());
    let schema = write(dir.path(), "schema.sql", SCHEMA.as_bytes());
    let (c, s) = read_with(&[&data, &schema], &ReadOptions::default());
    joined(&c);
    assert_eq!(s.rows, 4);
    // The schema file itself is read too: it defines tables but holds no rows.
    let no_rows: Vec<_> = c.diags.iter().filter(|d| d.code == "no-rows").collect();
    assert_eq!(no_rows.len(), 1);
    assert!(no_rows[0].message.contains("2 table definitions"));
}

#[test]
fn schema_file_first_is_joined_too() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "data.sql", DATA.as_bytes());
    let schema = write(dir.path(), "schema.sql", SCHEMA.as_bytes());
    let (c, _) = read_with(&[&schema, &data], &ReadOptions::default());
    joined(&c);
}

#[test]
fn a_directory_reads_data_before_schema_and_joins_them() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a-data.sql", DATA.as_bytes());
    write(dir.path(), "b-schema.sql", SCHEMA.as_bytes());
    let (c, _) = read(dir.path());
    joined(&c);
}

#[test]
fn a_schema_file_beside_the_data_file_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "sakila-data.sql", DATA.as_bytes());
    write(dir.path(), "sakila-schema.sql", SCHEMA.as_bytes());
    write(
        dir.path(),
        "notes.txt",
        b"CREATE TABLE customer (a int, b int, c int);",
    );
    let (c, _) = read(&data);
    joined(&c);
    // Nothing of the sibling file is reported as a source of this read.
    assert_eq!(c.sources.len(), 1);
}

#[test]
fn a_compressed_schema_beside_the_data_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(dir.path(), "data.sql", DATA.as_bytes());
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(SCHEMA.as_bytes()).unwrap();
    write(dir.path(), "schema.sql.gz", &gz.finish().unwrap());
    let (c, _) = read(&data);
    assert_eq!(
        headers(&c, "customer"),
        strs(&["customer_id", "first_name", "email"])
    );
}

#[test]
fn a_schema_of_another_width_is_not_applied() {
    let dir = tempfile::tempdir().unwrap();
    let data = write(
        dir.path(),
        "data.sql",
        b"INSERT INTO customer VALUES (1,'MARY');\n",
    );
    write(dir.path(), "schema.sql", SCHEMA.as_bytes());
    let (c, _) = read(&data);
    assert_eq!(headers(&c, "customer"), strs(&["col_1", "col_2"]));
    assert_eq!(c.codes(), ["no-schema"]);
}

#[test]
fn schema_and_data_in_one_archive_whatever_the_member_order() {
    let dir = tempfile::tempdir().unwrap();
    // Data first in both archives (`a-data.sql` sorts before `b-schema.sql`).
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body) in [("dump/a-data.sql", DATA), ("dump/b-schema.sql", SCHEMA)] {
        z.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        z.write_all(body.as_bytes()).unwrap();
    }
    let zp = write(dir.path(), "leak.zip", &z.finish().unwrap().into_inner());
    let mut t = tar::Builder::new(Vec::new());
    for (name, body) in [("a-data.sql", DATA), ("b-schema.sql", SCHEMA)] {
        let mut h = tar::Header::new_gnu();
        h.set_size(body.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        t.append_data(&mut h, name, body.as_bytes()).unwrap();
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&t.into_inner().unwrap()).unwrap();
    let tp = write(dir.path(), "leak.tar.gz", &gz.finish().unwrap());
    for p in [zp, tp] {
        let (c, _) = read(&p);
        joined(&c);
    }
}
