//! Tables whose headers grow while they are read (`Sink::headers_extended`, e.g. JSON keys first
//! seen late): the new columns are decided on the rows that follow and every value is counted.

mod common;

use common::*;
use leakscope_formats::{RowBatch, Sink, TableStats};
use leakscope_scan::ScanOptions;

fn batch(first: u64, rows: &[Vec<String>]) -> RowBatch {
    let mut b = RowBatch::new(first);
    for r in rows {
        for f in r {
            b.push_field(f);
        }
        b.end_row();
    }
    b
}

/// Rows `from..to` of a users table: an e-mail, and (when `with_phone`) a phone.
fn users(from: u64, to: u64, with_phone: bool) -> Vec<Vec<String>> {
    (from..to)
        .map(|i| {
            let mut r = vec![format!("user{i}@example.vn")];
            if with_phone {
                r.push(format!("+8491{:07}", i));
            }
            r
        })
        .collect()
}

fn run(
    threads: usize,
    sample_rows: usize,
    grow_at: u64,
    total: u64,
) -> leakscope_scan::ScanProfile {
    let mut sc = scanner(ScanOptions {
        sample_rows,
        ..opts(threads)
    });
    let mut t = table(0, "users", &["email"]);
    sc.begin_table(&t);
    let mut next = 0;
    while next < grow_at {
        let end = (next + 100).min(grow_at);
        sc.rows(&t, batch(next + 1, &users(next, end, false)));
        next = end;
    }
    t.headers.push("phone".into());
    sc.headers_extended(&t, 1);
    while next < total {
        let end = (next + 100).min(total);
        sc.rows(&t, batch(next + 1, &users(next, end, true)));
        next = end;
    }
    sc.end_table(
        &t,
        &TableStats {
            rows: total,
            rows_skipped: 0,
        },
    );
    sc.finish()
}

#[test]
fn a_column_first_seen_after_the_decision_is_decided_and_counted() {
    for threads in [1, 2] {
        // The plan is made after 500 rows; the phone column appears at row 2,000.
        let p = run(threads, 500, 2_000, 5_000);
        assert_eq!(p.rows, 5_000);
        let t = &p.tables[0];
        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["email", "phone"]);
        assert_eq!(t.columns[1].class, "phone", "{:?}", t.columns[1]);
        // 3,000 of 5,000 rows have a phone; every one was counted.
        assert!(
            (t.columns[1].fill_rate - 0.6).abs() < 1e-9,
            "{}",
            t.columns[1].fill_rate
        );
        assert!((t.columns[0].fill_rate - 1.0).abs() < 1e-9);
        assert!(p.data_classes.iter().any(|c| c == "phone"));
    }
}

#[test]
fn a_column_added_before_the_decision_or_at_the_end_is_listed() {
    // Grows while the scanner is still sampling: one decision covers both columns.
    let p = run(2, 10_000, 300, 1_000);
    assert_eq!(p.tables[0].columns.len(), 2);
    assert_eq!(p.tables[0].columns[1].class, "phone");
    // Grows with no rows after it: the column is listed, empty.
    let p = run(2, 100, 1_000, 1_000);
    let c = &p.tables[0].columns;
    assert_eq!(c.len(), 2);
    assert_eq!(c[1].fill_rate, 0.0);
    assert_eq!(p.rows, 1_000);
}
