//! Deterministic fixture generator: realistic leak rows in several scripts, written in every
//! supported format, encoding and compression.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};

/// Small deterministic PRNG (SplitMix64).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

/// Which people to generate.
#[derive(Clone, Copy, Debug)]
pub enum Script {
    Vietnamese,
    Simplified,
    Traditional,
    Western,
}

/// Header + rows of a customer table.
pub fn customers(script: Script, n: usize, seed: u64) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = Rng(seed);
    let (family, given, cities): (&[&str], &[&str], &[&str]) = match script {
        Script::Vietnamese => (
            &["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"],
            &[
                "Văn An",
                "Thị Bích",
                "Minh Đức",
                "Thu Hương",
                "Quốc Bảo",
                "Ngọc Ánh",
            ],
            &["Hà Nội", "Hồ Chí Minh", "Đà Nẵng", "Cần Thơ", "Hải Phòng"],
        ),
        Script::Simplified => (
            &["王", "李", "张", "刘", "陈", "杨", "赵", "黄"],
            &["伟", "娜", "敏", "静", "强", "磊", "洋", "艳"],
            &[
                "北京市朝阳区",
                "上海市浦东新区",
                "广州市天河区",
                "深圳市南山区",
            ],
        ),
        Script::Traditional => (
            &["陳", "林", "黃", "張", "李", "王", "吳", "劉"],
            &["志明", "淑芬", "家豪", "美玲", "建宏", "雅婷"],
            &[
                "台北市信義區",
                "新北市板橋區",
                "台中市西屯區",
                "高雄市前鎮區",
            ],
        ),
        Script::Western => (
            &["Müller", "García", "Søren", "Dubois", "Lefèvre", "Núñez"],
            &["José", "Zoë", "François", "Björn", "Inés", "Renée"],
            &["München", "Málaga", "Besançon", "Zürich"],
        ),
    };
    let header = vec![
        "id".to_string(),
        "full_name".into(),
        "phone".into(),
        "email".into(),
        "city".into(),
    ];
    let rows = (1..=n)
        .map(|i| {
            let name = format!(
                "{}{}{}",
                r.pick(family),
                if matches!(script, Script::Simplified | Script::Traditional) {
                    ""
                } else {
                    " "
                },
                r.pick(given)
            );
            let phone = format!("09{:08}", r.next() % 100_000_000);
            let email = format!("user{}.{}@example.com", i, r.next() % 1000);
            vec![
                i.to_string(),
                name,
                phone,
                email,
                r.pick(cities).to_string(),
            ]
        })
        .collect();
    (header, rows)
}

/// CSV text with `delim`, quoting fields that need it.
pub fn to_csv(header: Option<&[String]>, rows: &[Vec<String>], delim: char) -> String {
    let mut s = String::new();
    let line = |s: &mut String, r: &[String]| {
        let cells: Vec<String> = r
            .iter()
            .map(|c| {
                if c.contains(delim) || c.contains('"') || c.contains('\n') {
                    format!("\"{}\"", c.replace('"', "\"\""))
                } else {
                    c.clone()
                }
            })
            .collect();
        s.push_str(&cells.join(&delim.to_string()));
        s.push('\n');
    };
    if let Some(h) = header {
        line(&mut s, h);
    }
    for r in rows {
        line(&mut s, r);
    }
    s
}

/// Encodes text: UTF-16 and UTF-32 (LE/BE) by hand (with BOM unless `bom` false), others via
/// encoding_rs.
pub fn encode(text: &str, label: &str, bom: bool) -> Vec<u8> {
    match label {
        "utf-16le" | "utf-16be" => {
            let le = label == "utf-16le";
            let mut out = Vec::new();
            let units = if bom {
                std::iter::once(0xfeffu16)
                    .chain(text.encode_utf16())
                    .collect::<Vec<_>>()
            } else {
                text.encode_utf16().collect()
            };
            for u in units {
                out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
            }
            out
        }
        "utf-32le" | "utf-32be" => {
            let le = label == "utf-32le";
            let chars = bom.then_some('\u{feff}').into_iter().chain(text.chars());
            chars
                .flat_map(|c| {
                    if le {
                        (c as u32).to_le_bytes()
                    } else {
                        (c as u32).to_be_bytes()
                    }
                })
                .collect()
        }
        "utf-8-bom" => [b"\xef\xbb\xbf".as_slice(), text.as_bytes()].concat(),
        _ => {
            let enc = encoding_rs::Encoding::for_label(label.as_bytes()).expect("label");
            let (bytes, _, unmappable) = enc.encode(text);
            assert!(!unmappable, "{label} cannot encode the sample");
            bytes.into_owned()
        }
    }
}

pub fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

pub fn zstd(data: &[u8]) -> Vec<u8> {
    zstd::encode_all(data, 3).unwrap()
}

pub fn bzip2(data: &[u8]) -> Vec<u8> {
    let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

pub fn xz(data: &[u8]) -> Vec<u8> {
    let mut e = liblzma::write::XzEncoder::new(Vec::new(), 1);
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// A zip with the given members (deflated).
pub fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in members {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A tar with the given members.
pub fn tar(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (name, data) in members {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_cksum();
        b.append_data(&mut h, name, *data).unwrap();
    }
    b.into_inner().unwrap()
}

/// Writes a file into `dir`.
pub fn write(dir: &Path, name: &str, data: &[u8]) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, data).unwrap();
    p
}

/// Path of a committed fixture.
pub fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

/// A minimal XLSX workbook: one sheet per `(name, sheet XML)`, and a shared-strings part.
pub fn xlsx(sheets: &[(&str, &[u8])], shared_strings: Option<&[u8]>) -> Vec<u8> {
    let mut wb = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for (i, (name, xml)) in sheets.iter().enumerate() {
        wb.push_str(&format!(
            r#"<sheet name="{name}" sheetId="{}" r:id="rId{}"/>"#,
            i + 1,
            i + 1
        ));
        rels.push_str(&format!(r#"<Relationship Id="rId{}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{}.xml"/>"#, i + 1, i + 1));
        parts.push((format!("xl/worksheets/sheet{}.xml", i + 1), xml.to_vec()));
    }
    wb.push_str("</sheets></workbook>");
    if let Some(sst) = shared_strings {
        rels.push_str(r#"<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#);
        parts.push(("xl/sharedStrings.xml".into(), sst.to_vec()));
    }
    rels.push_str("</Relationships>");
    parts.push(("xl/workbook.xml".into(), wb.into_bytes()));
    parts.push(("xl/_rels/workbook.xml.rels".into(), rels.into_bytes()));
    parts.push(("[Content_Types].xml".into(), b"<Types/>".to_vec()));
    let members: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|(n, d)| (n.as_str(), d.as_slice()))
        .collect();
    zip(&members)
}

/// A minimal ODS file with the given `content.xml` body (the `<table:table>` elements).
pub fn ods(tables: &str) -> Vec<u8> {
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"#
    );
    zip(&[
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("content.xml", content.as_bytes()),
    ])
}

/// Rows as JSON objects keyed by the headers (all values strings), one per element.
pub fn to_json_objects(h: &[String], r: &[Vec<String>]) -> Vec<String> {
    r.iter()
        .map(|row| {
            let fields: Vec<String> = h
                .iter()
                .zip(row)
                .map(|(k, v)| format!("{}:{}", json_str(k), json_str(v)))
                .collect();
            format!("{{{}}}", fields.join(","))
        })
        .collect()
}

fn json_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The same rows as every document-store dump shape: (file name, bytes).
pub fn document_dumps(h: &[String], r: &[Vec<String>]) -> Vec<(String, Vec<u8>)> {
    let objs = to_json_objects(h, r);
    let hits: Vec<String> = objs
        .iter()
        .enumerate()
        .map(|(i, o)| {
            format!(
                r#"{{"_index":"customers","_type":"_doc","_id":"{i}","_score":1,"_source":{o}}}"#
            )
        })
        .collect();
    let bulk: Vec<String> = objs
        .iter()
        .enumerate()
        .map(|(i, o)| format!("{{\"index\":{{\"_index\":\"customers\",\"_id\":\"{i}\"}}}}\n{o}"))
        .collect();
    let mut bson = Vec::new();
    for row in r {
        let fields: Vec<(&str, leakscope_formats::bson_write::Val)> = h
            .iter()
            .zip(row)
            .map(|(k, v)| (k.as_str(), leakscope_formats::bson_write::Val::Str(v)))
            .collect();
        leakscope_formats::bson_write::document(&fields, &mut bson);
    }
    vec![
        ("customers.json".into(), format!("{{\"data\": [\n{}\n]}}", objs.join(",\n")).into_bytes()),
        ("customers-nested.json".into(), format!("{{\"status\":\"ok\",\"result\":{{\"total\":{},\"users\":[{}]}}}}", r.len(), objs.join(",")).into_bytes()),
        ("customers-search.json".into(), format!("{{\"took\":1,\"timed_out\":false,\"hits\":{{\"total\":{{\"value\":{}}},\"hits\":[{}]}}}}", r.len(), hits.join(",")).into_bytes()),
        ("customers-elasticdump.json".into(), hits.join("\n").into_bytes()),
        ("customers-bulk.ndjson".into(), (bulk.join("\n") + "\n").into_bytes()),
        ("customers-export.ndjson".into(), objs.join("\n").into_bytes()),
        ("customers.bson".into(), bson),
    ]
}

/// ObjectId number `i`.
pub fn oid(i: u32) -> [u8; 12] {
    let mut o = [0x5fu8; 12];
    o[8..].copy_from_slice(&i.to_be_bytes());
    o
}

/// `n` users as mongodump BSON: ObjectId, e-mail, name, date, nested address, `vip` on odd ones.
pub fn bson_users(n: u32) -> Vec<u8> {
    use leakscope_formats::bson_write::{document, Val};
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
