//! Hostile inputs found by probing the reading layer: each ends with its named diagnostic,
//! bounded work, and the other inputs of the same run still read. (How long they take is
//! measured in BENCHMARKS.md, not asserted here.)

mod common;
mod gen;

use common::*;
use gen::*;
use leakscope_formats::*;
use std::path::{Path, PathBuf};

/// A small CSV read next to every hostile input: it must always come through.
fn good(dir: &Path) -> PathBuf {
    write(
        dir,
        "good/customers.csv",
        b"email,name\na@x.vn,An\nb@x.vn,Binh\n",
    )
}

fn assert_good_read(c: &Collect) {
    let t = c
        .tables
        .iter()
        .find(|t| t.info.name == "customers")
        .expect("the other input of the run was read");
    assert_eq!(t.rows.len(), 2);
}

fn sheet_xml(rows: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:XFD1048576"/><sheetData>{rows}</sheetData></worksheet>"#
    )
    .into_bytes()
}

#[test]
fn xlsx_cells_at_the_far_corner_do_not_allocate_the_dimension() {
    let dir = tempfile::tempdir().unwrap();
    for (file, far) in [("corner.xlsx", "XFD1048576"), ("wide.xlsx", "XFD20000")] {
        let row = far.trim_start_matches(char::is_alphabetic);
        let xml = sheet_xml(&format!(
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>email</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>a@x.vn</t></is></c></row><row r="{row}"><c r="{far}"><v>1</v></c></row>"#
        ));
        let p = write(dir.path(), file, &xlsx(&[("Sheet1", &xml)], None));
        let (c, s) = read_with(&[&p, &good(dir.path())], &ReadOptions::default());
        assert_good_read(&c);
        let t = c.tables.iter().find(|t| t.info.name == "Sheet1").unwrap();
        assert_eq!(
            t.rows,
            rows(&[&["email"], &["a@x.vn"]])
                .into_iter()
                .skip(1)
                .collect::<Vec<_>>(),
            "{file}"
        );
        assert_eq!(t.info.headers, strs(&["email"]));
        let d = c
            .diags
            .iter()
            .find(|d| d.code == "too-many-columns")
            .unwrap();
        assert!(
            d.message.starts_with("1 cells beyond column 4096"),
            "{}",
            d.message
        );
        assert_eq!(s.sources_failed, 0);
    }
    // With a limit above the column, the cell is read, in its column.
    let xml = sheet_xml(r#"<row r="1"><c r="A1"><v>1</v></c><c r="E1"><v>5</v></c></row>"#);
    let p = write(dir.path(), "e.xlsx", &xlsx(&[("S", &xml)], None));
    let (c, _) = read(&p);
    assert_eq!(c.one().rows, rows(&[&["1", "", "", "", "5"]]));
}

#[test]
fn xlsx_shared_strings_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    // 80 MB of shared strings (more than are kept in memory: the rest is spilled to disk),
    // one string longer than the per-string limit, and cells pointing at the last strings.
    let n = 40_000;
    let mut sst =
        String::from(r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#);
    let filler = "Đ".repeat(1000);
    for i in 0..n {
        sst.push_str(&format!("<si><t>{i} {filler}</t></si>"));
    }
    sst.push_str(&format!("<si><t>{}</t></si>", "x".repeat(3 << 20)));
    sst.push_str("<si><r><t>last </t></r><r><t>string</t></r></si></sst>");
    let rows_xml = format!(
        r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>{}</v></c><c r="B2" t="s"><v>{}</v></c><c r="C2" t="s"><v>{}</v></c></row>"#,
        n - 1,
        n + 1,
        n
    );
    let p = write(
        dir.path(),
        "sst.xlsx",
        &xlsx(&[("S", &sheet_xml(&rows_xml))], Some(sst.as_bytes())),
    );
    let (c, _) = read_with(&[&p, &good(dir.path())], &ReadOptions::default());
    assert_good_read(&c);
    let t = c.tables.iter().find(|t| t.info.name == "S").unwrap();
    let last_row = t.rows.last().unwrap();
    assert_eq!(last_row[0], format!("{} {filler}", n - 1));
    assert_eq!(last_row[1], "last string");
    assert_eq!(last_row[2].len(), 1 << 20);
    assert!(c.diags.iter().any(|d| d.code == "long-strings"));
    // A cell pointing past the table reads as empty, and says so.
    let xml =
        sheet_xml(r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>7</v></c></row>"#);
    let sst = br#"<sst><si><t>only</t></si></sst>"#;
    let p = write(dir.path(), "bad-sst.xlsx", &xlsx(&[("S", &xml)], Some(sst)));
    let (c, _) = read(&p);
    assert_eq!(c.one().rows, rows(&[&["only"]]));
    assert!(c.diags.iter().any(|d| d.code == "missing-shared-string"));
}

#[test]
fn ods_repeated_rows_and_columns_are_not_materialised() {
    let dir = tempfile::tempdir().unwrap();
    let body = r#"<table:table table:name="People"><table:table-row><table:table-cell office:value-type="string"><text:p>email</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>age</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell office:value-type="string"><text:p>a@x.vn</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="31"><text:p>31</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16382"/></table:table-row><table:table-row table:number-rows-repeated="1000"><table:table-cell table:number-columns-repeated="16384"/></table:table-row><table:table-row table:number-rows-repeated="2000000000"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row></table:table>"#;
    let p = write(dir.path(), "rep.ods", &ods(body));
    let opts = ReadOptions {
        max_columns: 3,
        ..ReadOptions::default()
    };
    let (c, s) = read_with(&[&p, &good(dir.path())], &opts);
    assert_good_read(&c);
    let t = c.tables.iter().find(|t| t.info.name == "People").unwrap();
    assert_eq!(t.info.headers, strs(&["email", "age", "col_3"]));
    assert_eq!(t.rows[0], strs(&["a@x.vn", "31"]));
    // The repeated row with a value is read up to the sheet's row limit, 3 columns wide.
    assert_eq!(t.rows[1], strs(&["x", "x", "x"]));
    // Rows 1 and 2, 1,000 empty rows, then the repeated row up to row 1,048,576.
    assert_eq!(t.rows.len() as u64, 1 + (1_048_576 - 1_002));
    assert!(c.diags.iter().any(|d| d.code == "too-many-rows"));
    assert!(c.diags.iter().any(|d| d.code == "too-many-columns"));
    assert!(s.rows > 1_000_000);
}

fn repetitive_csv(lines: usize) -> Vec<u8> {
    let mut v = b"a,b\n".to_vec();
    for _ in 0..lines {
        v.extend_from_slice(b"0,0\n");
    }
    v
}

/// Options scaled down so the bombs stay small: the ratio is checked past 1 MiB of output.
fn bomb_opts() -> ReadOptions {
    ReadOptions {
        ratio_floor_bytes: 1 << 20,
        max_expansion_ratio: 100,
        ..ReadOptions::default()
    }
}

#[test]
fn nested_zip_bomb_stops_the_input_not_the_run() {
    let dir = tempfile::tempdir().unwrap();
    // 42.zip's shape: zips of zips of zips, 8 wide and 3 deep, of very compressible leaves.
    let leaf = zip(&[("zeros.csv", &repetitive_csv(2_000_000))]);
    let names: Vec<String> = (0..8).map(|i| format!("lib{i}.zip")).collect();
    let level = |inner: &[u8]| {
        let members: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), inner)).collect();
        zip(&members)
    };
    let bomb = level(&level(&level(&leaf)));
    let p = write(dir.path(), "42.zip", &bomb);
    let (c, s) = read_with(&[&p, &good(dir.path())], &bomb_opts());
    assert_good_read(&c);
    let codes = c.codes();
    assert!(codes.iter().any(|x| x == "zip-bomb"), "{codes:?}");
    assert!(codes.iter().any(|x| x == "archive-stopped"), "{codes:?}");
    // Only the start of the first leaf was read: the input stopped there.
    assert!(s.rows < 2_000_000 + 2, "{}", s.rows);
    assert_eq!(
        codes.iter().filter(|x| *x == "zip-bomb").count(),
        1,
        "{codes:?}"
    );
}

#[test]
fn member_ratio_is_checked_while_streaming() {
    let dir = tempfile::tempdir().unwrap();
    // Very compressible rows, then incompressible ones: the member's whole compressed size is
    // large, so only a ratio against the bytes consumed so far catches the first part.
    let mut data = repetitive_csv(2_000_000);
    let mut r = Lcg(9);
    for _ in 0..60_000 {
        data.extend_from_slice(format!("{:016x},{:016x}\n", r.next(), r.next()).as_bytes());
    }
    let p = write(dir.path(), "m.zip", &zip(&[("m.csv", &data)]));
    let (c, s) = read_with(&[&p, &good(dir.path())], &bomb_opts());
    assert_good_read(&c);
    assert!(c.codes().iter().any(|x| x == "zip-bomb"), "{:?}", c.codes());
    assert!(s.rows < 1_000_000, "{}", s.rows);
}

#[cfg(unix)]
#[test]
fn a_fifo_on_the_command_line_is_skipped_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.csv");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("skip: mkfifo is not available");
        return;
    }
    let good = good(dir.path());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(read_with(&[&fifo, &good], &ReadOptions::default()));
    });
    let (c, s) = rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("reading a FIFO without a writer must not block");
    assert_good_read(&c);
    let d = c
        .diags
        .iter()
        .find(|d| d.code == "special-file-skipped")
        .unwrap();
    assert!(
        d.message.contains("named pipe") && d.message.contains('-'),
        "{}",
        d.message
    );
    assert_eq!(d.severity, Severity::Error);
    assert_eq!(s.sources_failed, 1);
}

/// A delimited file wider than the column cap: the first `max_columns` columns are read, the
/// fields past them dropped and counted — by the sequential and the parallel reader alike.
#[test]
fn delimited_fields_past_the_column_cap_are_counted_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let width = 300;
    let mut csv = (0..width)
        .map(|i| format!("c{i}"))
        .collect::<Vec<_>>()
        .join(",");
    csv.push('\n');
    let rows = 3000;
    for r in 0..rows {
        let row: Vec<String> = (0..width).map(|i| format!("{}", r * width + i)).collect();
        csv.push_str(&row.join(","));
        csv.push('\n');
    }
    let p = dir.path().join("wide.csv");
    std::fs::write(&p, &csv).unwrap();
    for threads in [1, 2] {
        let opts = ReadOptions {
            max_columns: 100,
            threads,
            block_bytes: 256 * 1024,
            ..ReadOptions::default()
        };
        let (c, s) = read_with(&[&p], &opts);
        assert_eq!(s.rows, rows as u64, "threads {threads}");
        assert_eq!(c.tables.len(), 1);
        let t = &c.tables[0];
        assert_eq!(t.info.headers.len(), 100, "threads {threads}");
        assert_eq!(t.info.headers[99], "c99");
        assert!(t.rows.iter().all(|r| r.len() == 100), "threads {threads}");
        assert_eq!(t.rows[2][99], format!("{}", 2 * width + 99));
        let d = c
            .diags
            .iter()
            .find(|d| d.code == "too-many-columns")
            .unwrap_or_else(|| panic!("threads {threads}: {:?}", c.diags));
        assert!(
            d.message
                .contains(&format!("{} fields", rows * (width - 100))),
            "{}",
            d.message
        );
        assert!(!c.diags.iter().any(|d| d.code == "ragged-rows"));
    }
}
