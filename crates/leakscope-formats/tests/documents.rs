//! Document-store dumps and JSON documents: records under any key path, dictionaries of
//! records, Elasticsearch responses / elasticdump / `_bulk`, mongoexport extended JSON,
//! mongodump BSON, keys first seen late, the column cap — each read exactly, the same with one
//! parser thread or several.

mod common;
mod gen;

use common::*;
use leakscope_formats::bson_write::{document, Val};
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

fn hit(index: &str, id: usize, source: &str) -> String {
    format!(
        r#"{{"_index": "{index}", "_type": "_doc", "_id": "{id}", "_score": 1.0, "_source": {source}}}"#
    )
}

#[test]
fn elasticsearch_responses_elasticdump_and_bulk() {
    let dir = tempfile::tempdir().unwrap();
    let hits: Vec<String> = (0..30)
        .map(|i| {
            let index = if i % 3 == 0 { "orders" } else { "customers" };
            hit(
                index,
                i,
                &format!(r#"{{"email": "c{i}@shop.vn", "profile": {{"phone": "+8490{i:07}"}}}}"#),
            )
        })
        .collect();
    let response = format!(
        "{{\n  \"took\": 12, \"timed_out\": false,\n  \"_shards\": {{\"total\": 1, \"successful\": 1, \"skipped\": 0, \"failed\": 0}},\n  \"hits\": {{\"total\": {{\"value\": 30, \"relation\": \"eq\"}}, \"max_score\": 1.0,\n    \"hits\": [\n{}\n]}}}}",
        hits.join(",\n")
    );
    let (c, s) = read_text(dir.path(), "search.json", &response);
    assert_eq!(s.rows, 30);
    let customers = table(&c, "customers");
    assert_eq!(
        customers.info.headers,
        strs(&["_id", "email", "profile.phone"])
    );
    assert_eq!(customers.rows.len(), 20);
    assert_eq!(
        customers.rows[0],
        strs(&["1", "c1@shop.vn", "+84900000001"])
    );
    assert_eq!(table(&c, "orders").rows.len(), 10);
    assert_eq!(c.sources[0].format, "elasticsearch");
    // Scroll pages saved one response per line.
    let page = |from: usize| {
        let h: Vec<String> = (from..from + 5)
            .map(|i| hit("logs", i, &format!(r#"{{"ip": "10.0.0.{i}"}}"#)))
            .collect();
        format!(
            r#"{{"_scroll_id": "abc", "took": 1, "hits": {{"total": 10, "hits": [{}]}}}}"#,
            h.join(",")
        )
    };
    let (c, _) = read_text(
        dir.path(),
        "scroll.ndjson",
        &format!("{}\n{}\n", page(0), page(5)),
    );
    let t = c.one();
    assert_eq!((t.info.name.as_str(), t.rows.len()), ("logs", 10));
    assert_eq!(t.rows[9], strs(&["9", "10.0.0.9"]));
    // elasticdump: one hit per line.
    let lines: Vec<String> = (0..4)
        .map(|i| hit("members", i, &format!(r#"{{"name": "M{i}"}}"#)).replace('\n', ""))
        .collect();
    let (c, _) = read_text(dir.path(), "members.json", &lines.join("\n"));
    let t = c.one();
    assert_eq!(t.info.name, "members");
    assert_eq!(
        t.rows,
        rows(&[&["0", "M0"], &["1", "M1"], &["2", "M2"], &["3", "M3"]])
    );
    // _bulk: actions with their documents.
    let bulk = r#"{"index": {"_index": "people", "_id": "1"}}
{"name": "An", "email": "an@x.vn"}
{"create": {"_index": "people", "_id": "2"}}
{"name": "Bình", "email": "binh@x.vn"}
{"delete": {"_index": "people", "_id": "3"}}
{"update": {"_index": "people", "_id": "1"}}
{"doc": {"phone": "+84911111111"}}
{"index": {"_id": "9"}}
{"name": "No index", "email": "n@x.vn"}
"#;
    let (c, _) = read_text(dir.path(), "bulk.ndjson", bulk);
    assert_eq!(c.sources[0].format, "elasticsearch-bulk");
    let people = table(&c, "people");
    assert_eq!(
        people.info.headers,
        strs(&["_id", "name", "email", "phone"])
    );
    assert_eq!(
        people.rows,
        rows(&[
            &["1", "An", "an@x.vn"],
            &["2", "Bình", "binh@x.vn"],
            &["1", "", "", "+84911111111"]
        ])
    );
    assert_eq!(
        table(&c, "bulk").rows,
        rows(&[&["9", "No index", "n@x.vn"]])
    );
    assert!(c
        .diags
        .iter()
        .any(|d| d.code == "es-bulk" && d.message.contains("1 delete")));
}

#[test]
fn mongoexport_extended_json_becomes_plain_values() {
    let dir = tempfile::tempdir().unwrap();
    let canonical = r#"{"_id":{"$oid":"5f1b2c3d4e5f6a7b8c9d0e1f"},"phone":{"$numberLong":"84912345678"},"joined":{"$date":{"$numberLong":"1356351330000"}},"balance":{"$numberDecimal":"1234.50"},"key":{"$binary":{"base64":"AAECAwQFBgcICQoLDA0ODw==","subType":"04"}}}
{"_id":{"$oid":"5f1b2c3d4e5f6a7b8c9d0e20"},"phone":84987654321,"joined":{"$date":"2020-02-29T08:00:00Z"},"balance":{"$numberDecimal":"0.1"},"key":{"$binary":"aGVsbG8=","$type":"00"}}
"#;
    let (c, _) = read_text(dir.path(), "users.json", canonical);
    assert_eq!(c.sources[0].format, "mongoexport");
    let t = c.one();
    assert_eq!(
        t.info.headers,
        strs(&["_id", "phone", "joined", "balance", "key"])
    );
    assert_eq!(
        t.rows,
        rows(&[
            &[
                "5f1b2c3d4e5f6a7b8c9d0e1f",
                "84912345678",
                "2012-12-24T12:15:30.000Z",
                "1234.50",
                "00010203-0405-0607-0809-0a0b0c0d0e0f"
            ],
            &[
                "5f1b2c3d4e5f6a7b8c9d0e20",
                "84987654321",
                "2020-02-29T08:00:00Z",
                "0.1",
                "aGVsbG8="
            ],
        ])
    );
    // `mongoexport --jsonArray --pretty`.
    let arr = "[{\n  \"_id\": {\"$oid\": \"5f1b2c3d4e5f6a7b8c9d0e1f\"},\n  \"n\": {\"$numberInt\": \"7\"}\n}]";
    let (c, _) = read_text(dir.path(), "arr.json", arr);
    assert_eq!(c.one().rows, rows(&[&["5f1b2c3d4e5f6a7b8c9d0e1f", "7"]]));
}

fn oid(i: u32) -> [u8; 12] {
    let mut o = [0x5fu8; 12];
    o[8..].copy_from_slice(&i.to_be_bytes());
    o
}

fn bson_users(n: u32) -> Vec<u8> {
    let mut out = Vec::new();
    for i in 0..n {
        let email = format!("u{i}@example.vn");
        let name = format!("Trần Thị {i}");
        let mut fields = vec![
            ("_id", Val::Oid(oid(i))),
            ("email", Val::Str(&email)),
            ("name", Val::Str(&name)),
            (
                "joined",
                Val::Date(1_600_000_000_000 + i as i64 * 86_400_000),
            ),
            ("address", Val::Doc(vec![("city", Val::Str("Đà Nẵng"))])),
        ];
        if i % 2 == 1 {
            fields.push(("vip", Val::Bool(true)));
        }
        document(&fields, &mut out);
    }
    out
}

#[test]
fn mongodump_bson_with_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let raw = bson_users(3000);
    let db = dir.path().join("dump/shop");
    gen::write(&db, "users.bson", &raw);
    gen::write(&db, "orders.bson.gz", &gen::gzip(&bson_users(10)));
    gen::write(
        &db,
        "users.metadata.json",
        br#"{"indexes":[{"v":{"$numberInt":"2"},"key":{"_id":{"$numberInt":"1"}},"name":"_id_"},{"v":2,"key":{"email":1},"name":"email_1","unique":true}],"uuid":"0123","collectionName":"users","type":"collection","options":{}}"#,
    );
    let (c, s) = read(&dir.path().join("dump"));
    assert_eq!(c.tables.len(), 2, "{:?}", c.diags);
    let users = table(&c, "users");
    assert_eq!(
        users.info.headers,
        strs(&["_id", "email", "name", "joined", "address.city", "vip"])
    );
    assert_eq!(users.rows.len(), 3000);
    assert_eq!(
        users.rows[1],
        strs(&[
            "5f5f5f5f5f5f5f5f00000001",
            "u1@example.vn",
            "Trần Thị 1",
            "2020-09-14T12:26:40.000Z",
            "Đà Nẵng",
            "true"
        ])
    );
    assert_eq!(users.rows[0].len(), 5, "no vip key: the row ends before it");
    assert_eq!(table(&c, "orders").rows.len(), 10);
    assert_eq!(s.rows, 3010);
    let meta = c
        .diags
        .iter()
        .find(|d| d.code == "mongodb-metadata")
        .unwrap();
    assert!(meta.message.contains("email (unique)"), "{}", meta.message);
    assert!(c.sources.iter().any(|s| s.format == "bson"));
    // Truncated and damaged dumps keep what was read.
    let (c, s) = read_bytes_as("cut.bson", &raw[..raw.len() - 10]);
    assert_eq!(s.rows, 2999);
    assert!(codes(&c).contains(&"truncated-stream".to_string()));
    let mut bad = raw.clone();
    let second = i32::from_le_bytes([raw[0], raw[1], raw[2], raw[3]]) as usize;
    bad[second + 4] = 0x42; // an unknown element type in document 2
    let (c, s) = read_bytes_as("bad.bson", &bad);
    assert_eq!((s.rows, s.rows_skipped), (2999, 1));
    assert!(
        codes(&c).contains(&"json-syntax".to_string())
            || codes(&c).contains(&"bson-corrupt".to_string())
    );
}

fn read_bytes_as(name: &str, data: &[u8]) -> (Collect, ReadSummary) {
    let mut c = Collect::default();
    let s = leakscope_formats::read_bytes(name, data, &ReadOptions::default(), &mut c);
    (c, s)
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
