//! NDJSON read on several cores against one core, on generated lines full of what a log export
//! holds: nested objects, arrays, nulls, non-object lines, broken and cut-short lines, blank lines,
//! keys first seen late, oversize lines. Both must give the same table, rows and diagnostics.

mod common;

use common::*;
use leakscope_formats::{read_bytes, ReadOptions};

fn generate(seed: u64, lines: usize) -> Vec<u8> {
    let mut r = Lcg(seed);
    let mut next = move || r.next();
    let mut out = String::new();
    for i in 0..lines {
        let line = match next() % 40 {
            0 => "{\"user\": {\"email\": \"cut".to_string(),
            1 => "[1, 2, 3]".to_string(),
            2 => String::new(),
            3 => "{not json}".to_string(),
            4 if i > 2_000 => format!("{{\"late_key\": \"x{i}\", \"id\": {i}}}"),
            5 => format!("{{\"id\": {i}, \"blob\": \"{}\"}}", "z".repeat(3_000)),
            _ => format!(
                "{{\"@timestamp\": \"2024-03-0{}T10:00:00Z\", \"id\": {i}, \"user\": {{\"email\": \"u{i}@example.vn\", \"phone\": \"+84 90 {:07}\"}}, \"tags\": [\"a\", {i}], \"note\": null}}",
                1 + next() % 9,
                next() % 10_000_000
            ),
        };
        out.push_str(&line);
        out.push(if next() % 7 == 0 { '\r' } else { ' ' });
        out.push('\n');
    }
    out.into_bytes()
}

fn read(data: &[u8], threads: usize) -> String {
    let opts = ReadOptions {
        threads,
        max_record_bytes: 2_048,
        ..ReadOptions::default()
    };
    let mut c = Collect::default();
    let s = read_bytes("events.ndjson", data, &opts, &mut c);
    fingerprint(&c, &s)
}

#[test]
fn ndjson_reads_the_same_on_every_core_count() {
    let data = generate(3, 30_000);
    let one = read(&data, 1);
    for code in ["json-syntax", "json-non-object", "record-too-large"] {
        assert!(one.contains(code), "the generated file exercises {code}");
    }
    // A key first seen after 2,000 lines is a column, not a loss.
    assert!(one.contains("\"late_key\""));
    assert!(!one.contains("json-extra-keys"));
    for threads in [2, 3, 4] {
        let many = read(&data, threads);
        if one != many {
            panic!("threads {threads}:\n{}", first_difference(&one, &many));
        }
    }
}

#[test]
fn a_truncated_ndjson_file_reads_the_same() {
    let data = generate(4, 12_000);
    let cut = &data[..data.len() - 37];
    assert_eq!(read(cut, 1), read(cut, 2));
}
