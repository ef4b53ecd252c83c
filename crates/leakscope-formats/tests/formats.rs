//! Every supported format × encoding × compression, written by the fixture generator and read
//! back exactly.

mod common;
mod gen;

use common::*;
use gen::*;
use leakscope_formats::ReadOptions;

fn check_table(c: &Collect, header: &[String], rows: &[Vec<String>]) {
    let t = c.one();
    assert_eq!(t.info.headers, header, "headers; diags {:?}", c.diags);
    assert_eq!(t.rows.len(), rows.len());
    assert_eq!(t.rows, rows);
    assert_eq!(t.stats.rows, rows.len() as u64);
    assert_eq!(t.stats.rows_skipped, 0);
}

#[test]
fn delimiters_and_headers() {
    let dir = tempfile::tempdir().unwrap();
    let (h, r) = customers(Script::Vietnamese, 40, 1);
    for (delim, fmt) in [(',', "csv"), ('\t', "tsv"), (';', "csv"), ('|', "csv")] {
        let p = write(dir.path(), "a.txt", to_csv(Some(&h), &r, delim).as_bytes());
        let (c, s) = read(&p);
        check_table(&c, &h, &r);
        assert_eq!(c.sources[0].format, fmt);
        assert_eq!(s.rows, 40);
        assert!(c.one().info.has_header_row);
    }
    // No header row: synthetic names.
    let p = write(dir.path(), "nohead.csv", to_csv(None, &r, ',').as_bytes());
    let (c, _) = read(&p);
    check_table(
        &c,
        &strs(&["col_1", "col_2", "col_3", "col_4", "col_5"]),
        &r,
    );
    assert!(!c.one().info.has_header_row);
}

#[test]
fn quoted_newlines_crlf_and_batches() {
    let dir = tempfile::tempdir().unwrap();
    let text = "id,name,address\r\n1,\"Lê, Minh\",\"12 Lý Thường Kiệt\r\nHà Nội\"\r\n2,Bùi,\"say \"\"hi\"\"\"\r\n3,An,x\r\n";
    let p = write(dir.path(), "q.csv", text.as_bytes());
    let opts = ReadOptions {
        batch_rows: 2,
        ..ReadOptions::default()
    };
    let (c, _) = read_with(&[&p], &opts);
    check_table(
        &c,
        &strs(&["id", "name", "address"]),
        &rows(&[
            &["1", "Lê, Minh", "12 Lý Thường Kiệt\r\nHà Nội"],
            &["2", "Bùi", "say \"hi\""],
            &["3", "An", "x"],
        ]),
    );
    assert_eq!(c.batch_sizes, vec![2, 1]);
}

#[test]
fn combolists() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "combo.txt",
        b"an@example.vn:hunter2\nbich@example.com:pa:ss:word\nduc@mail.vn:123456\n",
    );
    let (c, _) = read(&p);
    assert_eq!(c.sources[0].format, "combolist");
    check_table(
        &c,
        &strs(&["col_1", "col_2"]),
        &rows(&[
            &["an@example.vn", "hunter2"],
            &["bich@example.com", "pa:ss:word"],
            &["duc@mail.vn", "123456"],
        ]),
    );
    let p = write(
        dir.path(),
        "phones.txt",
        "84912345678|Nguyễn An|Hà Nội\n84987654321|Trần Bích|Huế\n".as_bytes(),
    );
    let (c, _) = read(&p);
    assert_eq!(c.sources[0].format, "combolist");
    check_table(
        &c,
        &strs(&["col_1", "col_2", "col_3"]),
        &rows(&[
            &["84912345678", "Nguyễn An", "Hà Nội"],
            &["84987654321", "Trần Bích", "Huế"],
        ]),
    );
    let p = write(
        dir.path(),
        "users.txt",
        b"an@x.vn;secret1\nbo@y.cn;secret2\n",
    );
    let (c, _) = read(&p);
    assert_eq!(c.sources[0].format, "combolist");
    assert_eq!(c.one().rows[1], strs(&["bo@y.cn", "secret2"]));
}

#[test]
fn encodings_are_detected_and_transcoded() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, Script, &str); 11] = [
        ("utf-8", Script::Vietnamese, "UTF-8"),
        ("utf-32le", Script::Vietnamese, "UTF-32LE"),
        ("utf-32be", Script::Simplified, "UTF-32BE"),
        ("utf-8-bom", Script::Simplified, "UTF-8"),
        ("utf-16le", Script::Vietnamese, "UTF-16LE"),
        ("utf-16be", Script::Simplified, "UTF-16BE"),
        ("gbk", Script::Simplified, "GBK"),
        ("gb18030", Script::Simplified, "GBK"),
        ("big5", Script::Traditional, "Big5"),
        ("windows-1258", Script::Vietnamese, "windows-1258"),
        ("windows-1252", Script::Western, "windows-1252"),
    ];
    for (label, script, expect) in cases {
        let (h, mut r) = customers(script, 60, 7);
        if label == "windows-1258" {
            // windows-1258 stores Vietnamese tone marks as combining characters.
            r = r
                .into_iter()
                .map(|row| row.into_iter().map(|c| to_1258_form(&c)).collect())
                .collect();
        }
        let bytes = encode(&to_csv(Some(&h), &r, ','), label, true);
        let p = write(dir.path(), &format!("{label}.csv"), &bytes);
        let (c, _) = read(&p);
        assert_eq!(c.sources[0].encoding.as_deref(), Some(expect), "{label}");
        check_table(&c, &h, &r);
        assert!(c.codes().is_empty(), "{label}: {:?}", c.diags);
    }
    // UTF-16 without BOM.
    let (h, r) = customers(Script::Vietnamese, 10, 3);
    let p = write(
        dir.path(),
        "nobom.csv",
        &encode(&to_csv(Some(&h), &r, ';'), "utf-16le", false),
    );
    let (c, _) = read(&p);
    assert_eq!(c.sources[0].encoding.as_deref(), Some("UTF-16LE"));
    check_table(&c, &h, &r);
}

/// Vietnamese as windows-1258 stores it: base letter + combining tone mark (for the letters the
/// generator uses).
fn to_1258_form(s: &str) -> String {
    let map: &[(char, &str)] = &[
        ('ễ', "ê\u{303}"),
        ('ầ', "â\u{300}"),
        ('ạ', "a\u{323}"),
        ('à', "a\u{300}"),
        ('ũ', "u\u{303}"),
        ('ặ', "ă\u{323}"),
        ('ù', "u\u{300}"),
        ('ị', "i\u{323}"),
        ('í', "i\u{301}"),
        ('ứ', "ư\u{301}"),
        ('ố', "ô\u{301}"),
        ('ả', "a\u{309}"),
        ('ọ', "o\u{323}"),
        ('Á', "A\u{301}"),
        ('ộ', "ô\u{323}"),
        ('ồ', "ô\u{300}"),
        ('ẵ', "ă\u{303}"),
        ('ò', "o\u{300}"),
        ('ầ', "â\u{300}"),
        ('ơ', "ơ"),
    ];
    s.chars()
        .map(|c| {
            map.iter()
                .find(|(k, _)| *k == c)
                .map_or(c.to_string(), |(_, v)| v.to_string())
        })
        .collect()
}

#[test]
fn encoding_override() {
    let dir = tempfile::tempdir().unwrap();
    let (h, r) = customers(Script::Simplified, 5, 9);
    let p = write(
        dir.path(),
        "short.csv",
        &encode(&to_csv(Some(&h), &r, ','), "gb18030", true),
    );
    let opts = ReadOptions {
        encoding: Some("gb18030".into()),
        ..ReadOptions::default()
    };
    let (c, _) = read_with(&[&p], &opts);
    assert_eq!(c.sources[0].encoding.as_deref(), Some("gb18030"));
    check_table(&c, &h, &r);
}

#[test]
fn compressions_and_archives() {
    let dir = tempfile::tempdir().unwrap();
    let (h, r) = customers(Script::Vietnamese, 30, 11);
    let csv = to_csv(Some(&h), &r, ',').into_bytes();
    let cases: Vec<(&str, Vec<u8>, Vec<&str>)> = vec![
        ("u.csv.gz", gzip(&csv), vec!["gzip"]),
        ("u.csv.zst", zstd(&csv), vec!["zstd"]),
        ("u.csv.bz2", bzip2(&csv), vec!["bzip2"]),
        ("u.csv.xz", xz(&csv), vec!["xz"]),
        ("u.tar", tar(&[("dump/u.csv", &csv)]), vec!["tar"]),
        (
            "u.tar.gz",
            gzip(&tar(&[("u.csv", &csv)])),
            vec!["gzip", "tar"],
        ),
        ("u.zip", zip(&[("u.csv", &csv)]), vec!["zip"]),
        (
            "nested.zip",
            zip(&[("inner.csv.xz", &xz(&csv))]),
            vec!["zip", "xz"],
        ),
        ("wrong-ext.json", gzip(&csv), vec!["gzip"]),
    ];
    for (name, bytes, chain) in cases {
        let p = write(dir.path(), name, &bytes);
        let (c, s) = read(&p);
        assert_eq!(c.sources.len(), 1, "{name}: {:?}", c.diags);
        assert_eq!(c.sources[0].compression, chain, "{name}");
        assert!(c.sources[0].bytes > 0);
        check_table(&c, &h, &r);
        let expect = if name.starts_with("nested") {
            "inner"
        } else if name.starts_with("wrong") {
            "wrong-ext"
        } else {
            "u"
        };
        assert_eq!(c.one().info.name, expect, "{name}");
        assert_eq!(s.sources_failed, 0);
    }
}

#[test]
fn zip_with_several_members_and_formats() {
    let dir = tempfile::tempdir().unwrap();
    let (h, r) = customers(Script::Western, 12, 5);
    let csv = to_csv(Some(&h), &r, ',');
    let json = r#"[{"id":1,"user":{"email":"a@x.vn","name":"An"},"tags":["vip"]},{"id":2,"user":{"email":"b@x.vn","name":null}}]"#;
    let p = write(
        dir.path(),
        "leak.zip",
        &zip(&[
            ("a/customers.csv", csv.as_bytes()),
            ("b/users.json", json.as_bytes()),
            ("notes/", b""),
        ]),
    );
    let (c, s) = read(&p);
    assert_eq!(s.sources, 2);
    assert_eq!(c.tables.len(), 2);
    assert_eq!(
        c.sources[0].path,
        format!("{}!/a/customers.csv", p.display())
    );
    assert_eq!(c.tables[0].rows, r);
    assert_eq!(
        c.tables[1].info.headers,
        strs(&["id", "user.email", "user.name", "tags"])
    );
    assert_eq!(
        c.tables[1].rows,
        rows(&[
            &["1", "a@x.vn", "An", "[\"vip\"]"],
            // A record's row ends at its last key present.
            &["2", "b@x.vn", ""]
        ])
    );
}

#[test]
fn seven_zip_and_encrypted_archives() {
    let (c, s) = read(&data("members.7z"));
    assert_eq!(s.sources, 2, "{:?}", c.diags);
    let names: Vec<_> = c.tables.iter().map(|t| t.info.name.as_str()).collect();
    assert!(
        names.contains(&"accounts") && names.contains(&"customers"),
        "{names:?}"
    );
    let acc = c.tables.iter().find(|t| t.info.name == "accounts").unwrap();
    assert_eq!(
        acc.rows,
        rows(&[
            &["an@example.vn", "hunter2"],
            &["bich@example.vn", "123456"]
        ])
    );
    assert_eq!(c.sources[0].compression, vec!["7z"]);

    for f in ["secret.zip", "secret.7z"] {
        let (c, s) = read(&data(f));
        assert!(
            c.codes().contains(&"encrypted-archive".to_string()),
            "{f}: {:?}",
            c.diags
        );
        let d = c
            .diags
            .iter()
            .find(|d| d.code == "encrypted-archive")
            .unwrap();
        assert!(d.message.contains("--password"));
        assert_eq!(s.rows, 0);
        let opts = ReadOptions {
            password: Some("SECRET".into()),
            ..ReadOptions::default()
        };
        let (c, s) = read_with(&[&data(f)], &opts);
        assert_eq!(s.rows, 2, "{f} with password: {:?}", c.diags);
    }
}

#[test]
fn spreadsheets() {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("Khách hàng").unwrap();
    for (col, h) in ["id", "name", "phone"].iter().enumerate() {
        ws.write_string(0, col as u16, *h).unwrap();
    }
    ws.write_number(1, 0, 1).unwrap();
    ws.write_string(1, 1, "Nguyễn Văn An").unwrap();
    ws.write_string(1, 2, "0912345678").unwrap();
    ws.write_number(2, 0, 2).unwrap();
    ws.write_string(2, 1, "王伟").unwrap();
    ws.write_number(2, 2, 13812345678.0).unwrap();
    let ws2 = wb.add_worksheet().set_name("raw").unwrap();
    ws2.write_string(0, 0, "an@x.vn").unwrap();
    ws2.write_string(0, 1, "pw1").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    // A workbook with a .csv name still reads as XLSX.
    let p = write(dir.path(), "export.csv", &bytes);
    let (c, _) = read(&p);
    assert_eq!(c.sources[0].format, "xlsx");
    assert_eq!(c.tables.len(), 2);
    assert_eq!(c.tables[0].info.name, "Khách hàng");
    assert_eq!(c.tables[0].info.headers, strs(&["id", "name", "phone"]));
    assert_eq!(
        c.tables[0].rows,
        rows(&[
            &["1", "Nguyễn Văn An", "0912345678"],
            &["2", "王伟", "13812345678"]
        ])
    );
    assert_eq!(c.tables[1].info.headers, strs(&["col_1", "col_2"]));
    assert_eq!(c.tables[1].rows, rows(&[&["an@x.vn", "pw1"]]));
    // Inside a zip too.
    let p = write(dir.path(), "x.zip", &zip(&[("book.xlsx", &bytes)]));
    let (c, _) = read(&p);
    assert_eq!(c.sources[0].compression, vec!["zip"]);
    assert_eq!(c.tables.len(), 2);

    for (f, fmt) in [("legacy.xls", "xls"), ("sheet.ods", "ods")] {
        let (c, _) = read(&data(f));
        assert_eq!(c.sources[0].format, fmt);
        let t = c.one();
        assert_eq!(t.info.headers, strs(&["id", "name", "phone"]), "{f}");
        assert_eq!(
            t.rows,
            rows(&[
                &["1", "Nguyễn Văn An", "912345678"],
                &["2", "Trần Thị Bích", "987654321"],
                &["3", "王伟", "13812345678"]
            ]),
            "{f}"
        );
    }
}

#[test]
fn json_array_and_ndjson() {
    let dir = tempfile::tempdir().unwrap();
    let arr = "[\n {\"id\": 1, \"name\": \"Lê An\", \"addr\": {\"city\": \"Huế\", \"geo\": {\"lat\": 16.4}}},\n {\"id\": 2, \"name\": \"陈静\", \"vip\": true}\n]";
    let p = write(dir.path(), "users.json", arr.as_bytes());
    let (c, _) = read(&p);
    assert_eq!(c.sources[0].format, "json");
    let t = c.one();
    assert_eq!(
        t.info.headers,
        strs(&["id", "name", "addr.city", "addr.geo.lat", "vip"])
    );
    assert_eq!(
        t.rows,
        rows(&[
            &["1", "Lê An", "Huế", "16.4"],
            &["2", "陈静", "", "", "true"]
        ])
    );
    let nd = "{\"email\":\"a@x.vn\",\"p\":{\"h\":\"$2y$10$abc\"}}\n\n{\"email\":\"b@x.vn\"}\r\n";
    let p = write(dir.path(), "u.jsonl", nd.as_bytes());
    let (c, _) = read(&p);
    assert_eq!(c.sources[0].format, "ndjson");
    assert_eq!(
        c.one().rows,
        rows(&[&["a@x.vn", "$2y$10$abc"], &["b@x.vn"]])
    );
    // Pretty-printed concatenated objects.
    let p = write(
        dir.path(),
        "pretty.json",
        b"{\n \"a\": 1\n}\n{\n \"a\": 2\n}\n",
    );
    let (c, _) = read(&p);
    assert_eq!(c.one().rows, rows(&[&["1"], &["2"]]));
}

#[test]
fn mysqldump() {
    let dir = tempfile::tempdir().unwrap();
    let sql = r#"-- MySQL dump 10.13  Distrib 8.0.36
/*!40101 SET NAMES utf8mb4 */;
DROP TABLE IF EXISTS `customers`;
CREATE TABLE `customers` (
  `id` int NOT NULL AUTO_INCREMENT,
  `full_name` varchar(255) DEFAULT NULL COMMENT 'name, (legal)',
  `email` varchar(255) NOT NULL,
  `pw` varbinary(64),
  PRIMARY KEY (`id`),
  UNIQUE KEY `email` (`email`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
LOCK TABLES `customers` WRITE;
INSERT INTO `customers` VALUES (1,'O\'Brien; Sean','s@x.ie',_binary 'ab\\c'),(2,'It''s (me)','m@x.vn',NULL),
(3,'Nguyễn\nVăn','n@x.vn',0x1F);
INSERT INTO `customers` (`id`,`email`) VALUES (4,'d@x.vn');
UNLOCK TABLES;
CREATE TABLE `orders` (`oid` bigint, `total` decimal(10,2));
INSERT INTO `orders` VALUES (10,-5.50),(11,NULL);
"#;
    let p = write(dir.path(), "shop.sql", sql.as_bytes());
    let (c, s) = read(&p);
    assert_eq!(c.sources[0].format, "mysql-dump");
    assert_eq!(c.tables.len(), 2, "{:?}", c.diags);
    assert_eq!(c.tables[0].info.name, "customers");
    assert_eq!(
        c.tables[0].info.headers,
        strs(&["id", "full_name", "email", "pw"])
    );
    assert_eq!(
        c.tables[0].rows,
        rows(&[
            &["1", "O'Brien; Sean", "s@x.ie", "ab\\c"],
            &["2", "It's (me)", "m@x.vn", ""],
            // Binary that is not printable text reads as lower-case hex digits.
            &["3", "Nguyễn\nVăn", "n@x.vn", "1f"],
            &["4", "d@x.vn"]
        ])
    );
    assert_eq!(c.tables[1].info.headers, strs(&["oid", "total"]));
    assert_eq!(c.tables[1].rows, rows(&[&["10", "-5.50"], &["11", ""]]));
    assert_eq!(s.rows, 6);
    assert!(c.codes().is_empty(), "{:?}", c.diags);
}

#[test]
fn pg_dump() {
    let dir = tempfile::tempdir().unwrap();
    let sql = "--\n-- PostgreSQL database dump\n--\nSET statement_timeout = 0;\nCREATE TABLE public.users (\n    id integer NOT NULL,\n    \"Email\" text,\n    note text\n);\nCOPY public.users (id, \"Email\", note) FROM stdin;\n1\ta@x.vn\tline1\\nline2\n2\t\\N\ttab\\there \\\\ back\n3\tc@x.vn\t\\303\\251\n\\.\nINSERT INTO public.users VALUES (4, 'd@x.vn', 'it''s \\ raw');\nINSERT INTO public.users VALUES (5, NULL, E'esc\\'d');\n";
    let p = write(dir.path(), "db.sql", sql.as_bytes());
    let (c, _) = read(&p);
    assert_eq!(c.sources[0].format, "pg-dump");
    let t = c.one();
    assert_eq!(t.info.name, "users");
    assert_eq!(t.info.headers, strs(&["id", "Email", "note"]));
    assert_eq!(
        t.rows,
        rows(&[
            &["1", "a@x.vn", "line1\nline2"],
            &["2", "", "tab\there \\ back"],
            &["3", "c@x.vn", "é"],
            &["4", "d@x.vn", "it's \\ raw"],
            &["5", "", "esc'd"]
        ])
    );
}

#[test]
fn directories_walk_hidden_and_skip_symlinks() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.csv", b"email,name\na@x.vn,An\n");
    write(dir.path(), ".hidden/b.csv", b"email,name\nb@x.vn,Bo\n");
    write(dir.path(), "sub/deeper/c.txt", b"c@x.vn:pw\nd@x.vn:pw2\n");
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "o.csv", b"email\nz@x.vn\n");
    std::os::unix::fs::symlink(outside.path().join("o.csv"), dir.path().join("link.csv")).unwrap();
    let (c, s) = read(dir.path());
    assert_eq!(s.sources, 3);
    assert_eq!(s.rows, 4);
    assert!(c.codes().contains(&"symlink-skipped".to_string()));
    assert!(c.sources.iter().any(|s| s.path.contains(".hidden")));
}

#[test]
fn in_memory_bytes_and_stop() {
    struct StopAfterOne(u64);
    impl leakscope_formats::Sink for StopAfterOne {
        fn rows(
            &mut self,
            _t: &leakscope_formats::TableInfo,
            b: leakscope_formats::RowBatch,
        ) -> leakscope_formats::Flow {
            self.0 += b.len() as u64;
            leakscope_formats::Flow::Stop
        }
    }
    let (h, r) = customers(Script::Western, 100, 2);
    let csv = to_csv(Some(&h), &r, ',');
    let opts = ReadOptions {
        batch_rows: 10,
        ..ReadOptions::default()
    };
    let mut sink = StopAfterOne(0);
    let s = leakscope_formats::read_bytes("x.csv", csv.as_bytes(), &opts, &mut sink);
    assert_eq!(sink.0, 10);
    assert_eq!(s.rows, 10);
}

#[test]
fn ragged_commas_with_timestamps_stay_comma_separated() {
    // Unquoted commas in some addresses make comma counts vary; the times' colons must not win.
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("id,name,address,created_at\n");
    for i in 0..30 {
        let addr = if i % 3 == 0 {
            "12 Lý Thường Kiệt, Hà Nội"
        } else {
            "Huế"
        };
        text.push_str(&format!("{i},Lê An,{addr},2024-03-05 12:{:02}:09\n", i));
    }
    let p = write(dir.path(), "messy.csv", text.as_bytes());
    let (c, _) = read(&p);
    assert_eq!(c.sources[0].format, "csv");
    assert_eq!(
        c.one().info.headers,
        strs(&["id", "name", "address", "created_at"])
    );
    assert_eq!(c.one().rows.len(), 30);
    assert!(c.codes().contains(&"ragged-rows".to_string()));
}

/// pg_dump writes schema-qualified, quoted names (`public."users"`): the lexer reads `public.` as
/// one word, and each COPY block must still become its own table with its own name.
#[test]
fn pg_dump_schema_qualified_quoted_names_stay_separate_tables() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("dump.sql");
    let dump = "--\n-- PostgreSQL database dump\n--\n\
        CREATE TABLE public.\"orders\" (id integer, \"姓名\" text);\n\
        COPY public.\"orders\" (id, \"姓名\") FROM stdin;\n1\t王伟\n2\t李娜\n\\.\n\n\
        CREATE TABLE public.\"users\" (\"手机号\" text);\n\
        COPY public.\"users\" (\"手机号\") FROM stdin;\n13800138000\n\\.\n";
    std::fs::write(&p, dump).unwrap();
    let (c, _) = read(&p);
    let names: Vec<&str> = c.tables.iter().map(|t| t.info.name.as_str()).collect();
    assert_eq!(names, ["orders", "users"], "diags {:?}", c.diags);
    assert_eq!(c.tables[0].rows, rows(&[&["1", "王伟"], &["2", "李娜"]]));
    assert_eq!(c.tables[1].info.headers, strs(&["手机号"]));
}

/// Every document-store dump shape (a JSON document with records at a key path, nested,
/// an Elasticsearch response, elasticdump lines, a `_bulk` body, mongoexport lines, mongodump
/// BSON) × plain / gzip / zip, read back exactly as the table `customers` (plus `_id` where
/// the dump has one).
#[test]
fn document_dumps_in_every_shape_and_container() {
    let dir = tempfile::tempdir().unwrap();
    let (h, r) = customers(Script::Vietnamese, 300, 11);
    for (name, bytes) in document_dumps(&h, &r) {
        for (suffix, data) in [
            ("", bytes.clone()),
            (".gz", gzip(&bytes)),
            (".zip", zip(&[(name.as_str(), &bytes)])),
        ] {
            let file = format!("{name}{suffix}");
            let p = write(dir.path(), &file, &data);
            let (c, s) = read(&p);
            let t = c.one();
            assert_eq!(t.info.name.split('-').next(), Some("customers"), "{file}");
            let with_id = t.info.headers.first().map(String::as_str) == Some("_id");
            let got: Vec<Vec<String>> = if with_id {
                t.rows.iter().map(|row| row[1..].to_vec()).collect()
            } else {
                t.rows.clone()
            };
            let headers = if with_id {
                &t.info.headers[1..]
            } else {
                &t.info.headers[..]
            };
            assert_eq!(headers, &h[..], "{file}");
            assert_eq!(got, r, "{file}");
            assert_eq!((s.rows, s.rows_skipped), (300, 0), "{file}");
            assert!(
                c.diags
                    .iter()
                    .all(|d| d.severity != leakscope_formats::Severity::Error),
                "{file}: {:?}",
                c.diags
            );
        }
    }
}
