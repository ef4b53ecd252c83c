//! Document-store dumps and JSON documents: records under any key path, dictionaries of
//! records, Elasticsearch responses / elasticdump / `_bulk`, mongoexport extended JSON,
//! mongodump BSON, keys first seen late, the column cap — each read exactly, the same with one
//! parser thread or several.

mod common;
mod gen;

use common::*;
use gen::bson_users;
use leakscope_formats::*;
use std::path::Path;

fn read_text(dir: &Path, name: &str, text: &str) -> (Collect, ReadSummary) {
    let p = gen::write(dir, name, text.as_bytes());
    read(&p)
}

fn table<'a>(c: &'a Collect, name: &str) -> &'a Got {
    c.tables
        .iter()
        .find(|t| t.info.name == name)
        .unwrap_or_else(|| {
            panic!(
                "no table {name}: {:?}",
                c.tables.iter().map(|t| &t.info.name).collect::<Vec<_>>()
            )
        })
}

fn codes(c: &Collect) -> Vec<String> {
    c.codes()
}

/// Users as JSON objects: id, name, email, nested address.
fn users_json(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            format!(
                r#"{{"id": {i}, "name": "Nguyễn Văn {i}", "email": "u{i}@example.vn", "address": {{"city": "Huế", "zip": "53{i:04}"}}}}"#
            )
        })
        .collect()
}

fn users_rows(n: usize) -> Vec<Vec<String>> {
    (0..n)
        .map(|i| {
            vec![
                i.to_string(),
                format!("Nguyễn Văn {i}"),
                format!("u{i}@example.vn"),
                "Huế".to_string(),
                format!("53{i:04}"),
            ]
        })
        .collect()
}

const USER_HEADERS: [&str; 5] = ["id", "name", "email", "address.city", "address.zip"];

#[test]
fn records_under_any_key_path() {
    let dir = tempfile::tempdir().unwrap();
    let recs = users_json(2500).join(",\n    ");
    for (file, text) in [
        ("data.json", format!("{{\"data\": [\n    {recs}\n]}}")),
        ("users.json", format!("{{\"users\":[{recs}]}}")),
        (
            "nested.json",
            format!("{{\"status\": \"ok\", \"result\": {{\"count\": 2500, \"users\": [\n{recs}\n]}}, \"page\": 1}}"),
        ),
    ] {
        let (c, s) = read_text(dir.path(), file, &text);
        let stem = file.trim_end_matches(".json");
        let t = c.one();
        assert_eq!(t.info.name, stem, "{file}");
        assert_eq!(t.info.headers, strs(&USER_HEADERS), "{file}");
        assert_eq!(t.rows, users_rows(2500), "{file}");
        assert_eq!((s.rows, s.rows_skipped), (2500, 0), "{file}");
        assert!(c.diags.iter().all(|d| d.severity != Severity::Error), "{file}");
    }
    // Values outside the records are counted by key path, never as rows.
    let text = format!(
        "{{\"status\": \"ok\", \"result\": {{\"count\": 2, \"users\": [{}]}}}}",
        users_json(2).join(",")
    );
    let (c, _) = read_text(dir.path(), "w.json", &text);
    let d = c.diags.iter().find(|d| d.code == "json-wrapper").unwrap();
    assert!(
        d.message.contains("status") && d.message.contains("result.count"),
        "{}",
        d.message
    );
    let d = c.diags.iter().find(|d| d.code == "json-path").unwrap();
    assert!(d.message.contains("result.users"));
}

#[test]
fn several_record_arrays_and_top_level_shapes() {
    let dir = tempfile::tempdir().unwrap();
    let text = r#"{"users": [{"id": 1, "email": "a@x.vn"}, {"id": 2, "email": "b@x.vn"}],
                   "orders": [{"no": "A1", "total": 10.5}], "roles": ["admin", "user"]}"#;
    let (c, _) = read_text(dir.path(), "shop.json", text);
    assert_eq!(c.tables.len(), 2);
    assert_eq!(
        table(&c, "shop").rows,
        rows(&[&["1", "a@x.vn"], &["2", "b@x.vn"]])
    );
    assert_eq!(table(&c, "orders").rows, rows(&[&["A1", "10.5"]]));
    // A long list of plain values inside a document is a one-column table; a short one is not.
    let emails: Vec<String> = (0..100).map(|i| format!("\"u{i}@x.vn\"")).collect();
    let text = format!(
        "{{\"tags\": [\"a\", \"b\"], \"leaked\": [{}]}}",
        emails.join(",")
    );
    let (c, _) = read_text(dir.path(), "list.json", &text);
    let t = c.one();
    assert_eq!(
        (t.info.headers.clone(), t.rows.len()),
        (strs(&["value"]), 100)
    );
    assert_eq!(t.rows[99], strs(&["u99@x.vn"]));
    assert!(c
        .diags
        .iter()
        .any(|d| d.code == "json-wrapper" && d.message.contains("tags")));
    // Arrays of arrays read positionally, arrays of plain values as one column.
    let (c, _) = read_text(
        dir.path(),
        "grid.json",
        r#"[["a@x.vn", 1], ["b@x.vn", 2, true]]"#,
    );
    let t = c.one();
    assert_eq!(t.info.headers, strs(&["col_1", "col_2", "col_3"]));
    assert!(!t.info.has_header_row);
    assert_eq!(t.rows, rows(&[&["a@x.vn", "1"], &["b@x.vn", "2", "true"]]));
    let (c, _) = read_text(dir.path(), "emails.json", r#"["a@x.vn", "b@x.vn", 3]"#);
    assert_eq!(c.one().info.headers, strs(&["value"]));
    assert_eq!(c.one().rows, rows(&[&["a@x.vn"], &["b@x.vn"], &["3"]]));
    // One small document without records is one row.
    let (c, _) = read_text(
        dir.path(),
        "one.json",
        "{\n \"name\": \"Lê An\",\n \"email\": \"an@x.vn\"\n}\n",
    );
    assert_eq!(c.one().rows, rows(&[&["Lê An", "an@x.vn"]]));
    assert!(c.diags.iter().all(|d| d.code != "json-wrapper"));
}

#[test]
fn dictionaries_of_records() {
    let dir = tempfile::tempdir().unwrap();
    // Firebase: users keyed by push id.
    let text = r#"{"users": {
        "-Mx01": {"email": "a@x.vn", "name": "An", "phone": "+84912345678"},
        "-Mx02": {"email": "b@x.vn", "name": "Bình"},
        "-Mx03": {"email": "c@x.vn", "name": "Chi", "phone": "+84987654321"},
        "-Mx04": {"email": "d@x.vn", "name": "Dũng"}
    }, "config": {"version": 3}}"#;
    let (c, _) = read_text(dir.path(), "firebase.json", text);
    let t = c.one();
    assert_eq!(t.info.name, "firebase");
    assert_eq!(t.info.headers, strs(&["_key", "email", "name", "phone"]));
    assert_eq!(t.rows.len(), 4);
    assert_eq!(t.rows[1], strs(&["-Mx02", "b@x.vn", "Bình"]));
    // A combolist as one object: e-mail → password.
    let pairs: Vec<String> = (0..100)
        .map(|i| format!("\"u{i}@mail.vn\": \"pw{i}\""))
        .collect();
    let (c, _) = read_text(
        dir.path(),
        "combo.json",
        &format!("{{{}}}", pairs.join(",")),
    );
    let t = c.one();
    assert_eq!(t.info.headers, strs(&["_key", "value"]));
    assert_eq!(t.rows.len(), 100);
    assert_eq!(t.rows[7], strs(&["u7@mail.vn", "pw7"]));
    // An Elasticsearch-like wrapper of two objects is not a dictionary.
    let (c, _) = read_text(
        dir.path(),
        "meta.json",
        r#"{"_shards": {"total": 1, "failed": 0}, "hits": {"total": 0, "max_score": null}}"#,
    );
    assert!(c.tables.is_empty() || c.one().rows.len() == 1);
}

/// Records what `headers_extended` announced.
#[derive(Default)]
struct Growth {
    inner: Collect,
    extended: Vec<(usize, usize, u64)>,
}

impl Sink for Growth {
    fn begin_source(&mut self, s: &SourceInfo) {
        self.inner.begin_source(s)
    }
    fn begin_table(&mut self, t: &TableInfo) {
        self.inner.begin_table(t)
    }
    fn headers_extended(&mut self, t: &TableInfo, from: usize) {
        let rows = self
            .inner
            .tables
            .iter()
            .find(|g| g.info.id == t.id)
            .map_or(0, |g| g.rows.len() as u64);
        self.extended.push((from, t.headers.len(), rows));
        if let Some(g) = self.inner.tables.iter_mut().find(|g| g.info.id == t.id) {
            g.info.headers = t.headers.clone();
        }
    }
    fn rows(&mut self, t: &TableInfo, b: RowBatch) -> Flow {
        self.inner.rows(t, b)
    }
    fn end_table(&mut self, t: &TableInfo, s: &TableStats) {
        self.inner.end_table(t, s)
    }
    fn diagnostic(&mut self, d: &Diagnostic) {
        self.inner.diagnostic(d)
    }
}

#[test]
fn keys_first_seen_late_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for i in 0..5000 {
        if i >= 4000 {
            text.push_str(&format!(
                "{{\"email\":\"u{i}@x.vn\",\"phone\":\"+8491{i:07}\"}}\n"
            ));
        } else {
            text.push_str(&format!("{{\"email\":\"u{i}@x.vn\"}}\n"));
        }
    }
    let p = gen::write(dir.path(), "late.ndjson", text.as_bytes());
    for threads in [1, 2] {
        let mut g = Growth::default();
        let opts = ReadOptions {
            threads,
            ..ReadOptions::default()
        };
        read_paths(std::slice::from_ref(&p), &opts, &mut g);
        let t = g.inner.one();
        assert_eq!(t.info.headers, strs(&["email", "phone"]));
        assert_eq!(t.rows.len(), 5000);
        assert_eq!(t.rows[4000], strs(&["u4000@x.vn", "+84910004000"]));
        assert_eq!(t.rows[3999], strs(&["u3999@x.vn"]));
        assert!(g.inner.diags.iter().all(|d| d.code != "json-extra-keys"));
        // Announced once, when the key appeared (after the rows before it were delivered or
        // batched), from column 1 on.
        assert_eq!(g.extended.len(), 1);
        assert_eq!((g.extended[0].0, g.extended[0].1), (1, 2));
    }
}

#[test]
fn columns_are_capped_and_memory_stays_linear() {
    let dir = tempfile::tempdir().unwrap();
    // Every record adds two new keys.
    let mut text = String::new();
    for i in 0..20_000 {
        text.push_str(&format!("{{\"id\":{i},\"k{i}\":1,\"j{i}\":\"x\"}}\n"));
    }
    let p = gen::write(dir.path(), "keys.ndjson", text.as_bytes());
    let opts = ReadOptions {
        max_columns: 500,
        ..ReadOptions::default()
    };
    let (c, s) = read_with(&[&p], &opts);
    let t = c.one();
    assert_eq!(t.info.headers.len(), 500);
    assert_eq!(s.rows, 20_000);
    let d = c
        .diags
        .iter()
        .find(|d| d.code == "too-many-columns")
        .unwrap();
    assert!(d.message.starts_with("39501 keys"), "{}", d.message);
    // Rows end at their last column: not 500 fields each.
    let fields: usize = t.rows.iter().map(Vec::len).sum();
    assert!(fields < 20_000 * 4 + 500 * 500, "{fields}");
    // One object with 10⁶ keys (as one NDJSON record).
    let mut big = String::from("{");
    for i in 0..1_000_000 {
        if i > 0 {
            big.push(',');
        }
        big.push_str(&format!("\"field_{i}\":{i}"));
    }
    big.push_str("}\n{\"field_1\":2}\n");
    let p = gen::write(dir.path(), "wide.ndjson", big.as_bytes());
    let (c, s) = read(&p);
    let t = c.one();
    assert_eq!(t.info.headers.len(), 4096);
    assert_eq!(s.rows, 2);
    assert!(c.diags.iter().any(|d| d.code == "too-many-columns"));
}

/// Every document shape, read with one parser thread and with several (tiny blocks are not
/// configurable here; blocks of 8,192 records are cut by count), gives the same result.
#[test]
fn one_thread_and_many_agree() {
    let dir = tempfile::tempdir().unwrap();
    let recs = users_json(20_000);
    let mut late = recs.clone();
    for (i, r) in late.iter_mut().enumerate().skip(15_000) {
        r.insert_str(1, &format!("\"late\": {i}, "));
    }
    let bad: Vec<String> = recs
        .iter()
        .enumerate()
        .map(|(i, r)| {
            if i % 997 == 0 {
                r.replace("\"email\"", "\"email\" ")
                    .replace(": \"u", " \"u")
            } else {
                r.clone()
            }
        })
        .collect();
    let inputs = [
        ("a.json", format!("[{}]", recs.join(","))),
        (
            "b.json",
            format!("{{\"data\":[{}],\"n\":1}}", late.join(",\n")),
        ),
        ("c.ndjson", bad.join("\n")),
        (
            "d.json",
            recs.iter()
                .map(|r| r.replace(", ", ",\n  "))
                .collect::<Vec<_>>()
                .join("\n"),
        ),
    ];
    for (name, text) in inputs {
        let p = gen::write(dir.path(), name, text.as_bytes());
        let one = ReadOptions {
            threads: 1,
            ..ReadOptions::default()
        };
        let (a, sa) = read_with(&[&p], &one);
        let three = ReadOptions {
            threads: 3,
            ..ReadOptions::default()
        };
        let (b, sb) = read_with(&[&p], &three);
        let (fa, fb) = (fingerprint(&a, &sa), fingerprint(&b, &sb));
        assert!(fa == fb, "{name}: {}", first_difference(&fa, &fb));
        assert_eq!(sa.rows + sa.rows_skipped, 20_000, "{name}");
    }
    let p = gen::write(dir.path(), "u.bson", &bson_users(20_000));
    let (a, sa) = read_with(
        &[&p],
        &ReadOptions {
            threads: 1,
            ..ReadOptions::default()
        },
    );
    let (b, sb) = read_with(
        &[&p],
        &ReadOptions {
            threads: 2,
            ..ReadOptions::default()
        },
    );
    assert_eq!(fingerprint(&a, &sa), fingerprint(&b, &sb));
    assert_eq!(sa.rows, 20_000);
}

#[test]
fn broken_documents_keep_what_was_read() {
    let dir = tempfile::tempdir().unwrap();
    let recs = users_json(10).join(",");
    let (c, s) = read_text(
        dir.path(),
        "cut.json",
        &format!("{{\"data\": [{recs}, {{\"id\": 99, \"na"),
    );
    assert_eq!(s.rows, 10);
    let d = c.diags.iter().find(|d| d.code == "json-truncated").unwrap();
    assert_eq!(d.line, Some(1));
    let (c, s) = read_text(dir.path(), "bad.json", &format!("{{\"data\": [{recs}] x"));
    assert_eq!(s.rows, 10);
    assert!(codes(&c).contains(&"json-syntax".to_string()));
    // Invalid UTF-8 inside a record is replaced and reported.
    let mut bytes = "[{\"n\":\"Nguyễn Thị Hồng Nhung\"},{\"n\":\"bad"
        .to_string()
        .into_bytes();
    bytes.extend_from_slice(b"\xff\"}]");
    let p = gen::write(dir.path(), "u8.json", &bytes);
    let (c, _) = read(&p);
    assert_eq!(c.one().rows[1], strs(&["bad\u{fffd}"]));
    assert!(codes(&c).contains(&"invalid-utf8".to_string()));
    // Concatenated pretty-printed values, with commas between them.
    let (c, _) = read_text(
        dir.path(),
        "cat.json",
        "{\n\"a\": 1\n},\n{\n\"a\": 2\n}\n{\"a\": 3}",
    );
    assert_eq!(c.one().rows, rows(&[&["1"], &["2"], &["3"]]));
}

/// A first document longer than the look-ahead (4 MiB) that spans lines is walked without
/// reading a record's worth ahead: with records it gives their table; without, and no longer
/// than a record may be, it is one row; longer than that, nothing of it is a row.
#[test]
fn long_documents_are_walked_without_reading_ahead() {
    let dir = tempfile::tempdir().unwrap();
    // 5 MiB of records under a wrapper key, one per line.
    let users = users_json(40_000);
    let text = format!(
        "{{\"status\": \"ok\", \"data\": [\n{}\n]}}\n",
        users.join(",\n")
    );
    assert!(text.len() > 4 << 20);
    let (c, _) = read_text(dir.path(), "export.json", &text);
    let t = c.one();
    assert_eq!(t.info.headers, strs(&USER_HEADERS));
    assert_eq!(t.rows, users_rows(40_000));
    // 5 MiB of one record (a long note), pretty-printed: one row of three columns.
    let note = "ghi chú ".repeat(700_000);
    let text = format!("{{\n  \"id\": 7,\n  \"note\": \"{note}\",\n  \"email\": \"an@x.vn\"\n}}\n");
    assert!(text.len() > 4 << 20);
    let (c, _) = read_text(dir.path(), "one.json", &text);
    let t = c.one();
    assert_eq!(t.info.headers, strs(&["id", "note", "email"]));
    assert_eq!(
        t.rows,
        vec![vec!["7".to_string(), note.clone(), "an@x.vn".to_string()]]
    );
    // The same document with a record limit below its size is no row (it is reported).
    let p = gen::write(dir.path(), "big.json", text.as_bytes());
    let opts = ReadOptions {
        max_record_bytes: 5 << 20,
        ..ReadOptions::default()
    };
    let (c, _) = read_with(&[&p], &opts);
    assert!(
        c.tables.iter().all(|t| t.rows.is_empty()),
        "{:?}",
        c.codes()
    );
}
