//! Document-store dumps: Elasticsearch responses / elasticdump / `_bulk`, mongoexport extended
//! JSON, mongodump BSON with its metadata — each read exactly, damaged ones as far as they go.

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
        .unwrap_or_else(|| panic!("no table {name}"))
}

fn codes(c: &Collect) -> Vec<String> {
    c.codes()
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
