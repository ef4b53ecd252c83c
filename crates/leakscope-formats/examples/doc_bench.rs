//! Documents, spreadsheets and hostile inputs for the figures in BENCHMARKS.md.
//!
//! `cargo run --release -p leakscope-formats --example doc_bench -- write DIR [MiB]` writes
//! (deterministically) a `{"data": [...]}` JSON document and a mongodump BSON file of about MiB
//! each (default 1024), a 2M-row XLSX sheet, and the hostile inputs of issue 11: XLSX cells at
//! XFD1048576 / XFD20000, a workbook of huge shared strings, NDJSON whose records keep adding
//! keys, one object with 10⁶ keys, a 42.zip-shaped nested bomb and a zip member that expands
//! 2 MB → 2 GB.
//!
//! `... --example doc_bench -- hostile DIR` writes only the hostile inputs.
//!
//! `... --example doc_bench -- ceiling FILE...` measures what a file costs without leakscope:
//! serde_json parsing a JSON document to nothing, walking a BSON file's document lengths, or
//! inflating every member of an XLSX.
//!
//! `... --example doc_bench -- read [--threads N] FILE...` reads each file with a no-op sink
//! and prints rows, seconds, MB/s (of the file as stored) and the process's peak RSS.

use leakscope_formats::bson_write::{document, Val};
use leakscope_formats::{Diagnostic, Flow, ReadOptions, RowBatch, Sink, TableInfo};
use serde::Deserialize;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

/// SplitMix64.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

const FAMILY: [&str; 10] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "王", "李", "Tan", "Lim", "Ng",
];
const GIVEN: [&str; 8] = [
    "Văn An",
    "Thị Bích",
    "Minh Đức",
    "伟",
    "娜",
    "Wei Ling",
    "Kok Seng",
    "Hui Min",
];
const CITIES: [&str; 6] = [
    "Hà Nội",
    "Hồ Chí Minh",
    "Đà Nẵng",
    "北京市",
    "上海市",
    "Singapore",
];
const DOMAINS: [&str; 5] = [
    "gmail.com",
    "yahoo.com.vn",
    "qq.com",
    "163.com",
    "hotmail.sg",
];

/// One customer record's fields.
struct Person {
    id: u64,
    name: String,
    email: String,
    phone: String,
    city: &'static str,
    street: String,
    created_ms: i64,
    card_last4: String,
    hash: String,
}

fn person(r: &mut Rng, id: u64) -> Person {
    Person {
        id,
        name: format!("{} {}", r.pick(&FAMILY), r.pick(&GIVEN)),
        email: format!("user{id}.{:x}@{}", r.next() % 65_536, r.pick(&DOMAINS)),
        phone: format!("+849{:08}", r.next() % 100_000_000),
        city: r.pick(&CITIES),
        street: format!("{} Lý Thường Kiệt", r.next() % 300),
        created_ms: 1_500_000_000_000 + (r.next() % 200_000_000_000) as i64,
        card_last4: format!("{:04}", r.next() % 10_000),
        hash: format!(
            "$2y$10${:016x}{:016x}{:016x}abc",
            r.next(),
            r.next(),
            r.next()
        ),
    }
}

fn json_record(p: &Person) -> String {
    format!(
        r#"{{"id": {}, "name": "{}", "email": "{}", "phone": "{}", "address": {{"city": "{}", "street": "{}"}}, "created_at": {{"$date": {{"$numberLong": "{}"}}}}, "card_last4": "{}", "password": "{}", "tags": ["vip", "{}"]}}"#,
        p.id,
        p.name,
        p.email,
        p.phone,
        p.city,
        p.street,
        p.created_ms,
        p.card_last4,
        p.hash,
        p.id % 7
    )
}

fn write_json(path: &Path, bytes: u64) -> std::io::Result<()> {
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    w.write_all(b"{\"status\": \"ok\", \"count\": 0, \"data\": [\n")?;
    let mut r = Rng(42);
    let mut written = 0u64;
    let mut id = 0;
    while written < bytes {
        let rec = json_record(&person(&mut r, id));
        if id > 0 {
            w.write_all(b",\n")?;
        }
        w.write_all(rec.as_bytes())?;
        written += rec.len() as u64 + 2;
        id += 1;
    }
    w.write_all(b"\n]}\n")?;
    w.flush()
}

fn write_bson(path: &Path, bytes: u64) -> std::io::Result<()> {
    let mut w = BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let mut r = Rng(43);
    let mut written = 0u64;
    let mut id = 0u64;
    let mut doc = Vec::new();
    while written < bytes {
        let p = person(&mut r, id);
        let mut oid = [0u8; 12];
        oid[..8].copy_from_slice(&r.next().to_be_bytes());
        oid[8..].copy_from_slice(&(id as u32).to_be_bytes());
        let tag = (id % 7).to_string();
        doc.clear();
        document(
            &[
                ("_id", Val::Oid(oid)),
                ("name", Val::Str(&p.name)),
                ("email", Val::Str(&p.email)),
                ("phone", Val::Str(&p.phone)),
                (
                    "address",
                    Val::Doc(vec![
                        ("city", Val::Str(p.city)),
                        ("street", Val::Str(&p.street)),
                    ]),
                ),
                ("created_at", Val::Date(p.created_ms)),
                ("card_last4", Val::Str(&p.card_last4)),
                ("password", Val::Str(&p.hash)),
                ("tags", Val::Arr(vec![Val::Str("vip"), Val::Str(&tag)])),
                ("orders", Val::I32((id % 50) as i32)),
            ],
            &mut doc,
        );
        w.write_all(&doc)?;
        written += doc.len() as u64;
        id += 1;
    }
    w.flush()
}

fn zip_file(path: &Path, members: &[(&str, &[u8])]) -> std::io::Result<()> {
    let mut z = zip::ZipWriter::new(std::fs::File::create(path)?);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, data) in members {
        z.start_file(*name, opts).map_err(std::io::Error::other)?;
        z.write_all(data)?;
    }
    z.finish().map_err(std::io::Error::other)?;
    Ok(())
}

fn zip_bytes(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    for (name, data) in members {
        z.start_file(*name, opts).expect("zip member");
        z.write_all(data).expect("zip write");
    }
    z.finish().expect("zip finish").into_inner()
}

/// An XLSX with one sheet (and shared strings), zipped.
fn xlsx(
    path: &Path,
    sheet: &[u8],
    sst: Option<&[u8]>,
    styles: Option<&[u8]>,
) -> std::io::Result<()> {
    let wb = br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let rels = br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;
    let mut members: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", b"<Types/>"),
        ("xl/workbook.xml", wb),
        ("xl/_rels/workbook.xml.rels", rels),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    if let Some(s) = sst {
        members.push(("xl/sharedStrings.xml", s));
    }
    if let Some(s) = styles {
        members.push(("xl/styles.xml", s));
    }
    zip_file(path, &members)
}

const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;

fn write_sheet_2m(path: &Path, rows: u64) -> std::io::Result<()> {
    let mut r = Rng(44);
    let mut sheet = String::with_capacity(rows as usize * 200);
    sheet.push_str(SHEET_HEAD);
    sheet.push_str(r#"<dimension ref="A1:F2000001"/><sheetData>"#);
    sheet.push_str(r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c></row>"#);
    let mut sst = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>id</t></si><si><t>email</t></si><si><t>name</t></si><si><t>phone</t></si><si><t>created</t></si><si><t>city</t></si>"#,
    );
    for (i, n) in FAMILY.iter().enumerate() {
        sst.push_str(&format!("<si><t>{n} {}</t></si>", GIVEN[i % GIVEN.len()]));
    }
    let names = FAMILY.len() as u64;
    for i in 0..rows {
        let p = person(&mut r, i);
        let row = i + 2;
        sst.push_str(&format!("<si><t>{}</t></si>", p.email));
        // Headers and names come first in the table; each e-mail is a new string.
        let email_idx = 6 + names + i;
        let serial = 42_000.0 + (i % 3000) as f64 + 0.25;
        sheet.push_str(&format!(
            r#"<row r="{row}" spans="1:6"><c r="A{row}"><v>{i}</v></c><c r="B{row}" t="s"><v>{email_idx}</v></c><c r="C{row}" t="s"><v>{}</v></c><c r="D{row}" t="str"><v>{}</v></c><c r="E{row}" s="1"><v>{serial}</v></c><c r="F{row}" t="inlineStr"><is><t>{}</t></is></c></row>"#,
            6 + i % names,
            p.phone,
            p.city
        ));
    }
    sheet.push_str("</sheetData></worksheet>");
    sst.push_str("</sst>");
    let styles = br#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="22"/></cellXfs></styleSheet>"#;
    xlsx(path, sheet.as_bytes(), Some(sst.as_bytes()), Some(styles))
}

fn write_hostile(dir: &Path) -> std::io::Result<()> {
    for (name, far) in [("corner.xlsx", "XFD1048576"), ("wide.xlsx", "XFD20000")] {
        let row = far.trim_start_matches(char::is_alphabetic);
        let sheet = format!(
            r#"{SHEET_HEAD}<dimension ref="A1:{far}"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>a@x.vn</t></is></c></row><row r="{row}"><c r="{far}"><v>1</v></c></row></sheetData></worksheet>"#
        );
        xlsx(&dir.join(name), sheet.as_bytes(), None, None)?;
    }
    // ~1 GB of shared strings (about 200x compressible, as real text is not).
    let mut r = Rng(45);
    let mut sst =
        String::from(r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#);
    for _ in 0..1000 {
        let token: String = (0..48)
            .map(|_| (b'a' + (r.next() % 26) as u8) as char)
            .collect();
        sst.push_str("<si><t>");
        sst.push_str(&token.repeat(20_000));
        sst.push_str("</t></si>");
    }
    sst.push_str("</sst>");
    let sheet = format!(
        r#"{SHEET_HEAD}<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>999</v></c></row></sheetData></worksheet>"#
    );
    xlsx(
        &dir.join("huge-strings.xlsx"),
        sheet.as_bytes(),
        Some(sst.as_bytes()),
        None,
    )?;
    // NDJSON whose records keep adding keys (~15 MB).
    let mut w = BufWriter::new(std::fs::File::create(dir.join("new-keys.ndjson"))?);
    let mut i = 0u64;
    let mut size = 0;
    while size < 15 << 20 {
        let line = format!("{{\"id\":{i},\"key_{i}\":\"v{i}\",\"other_{i}\":{i}}}\n");
        size += line.len();
        w.write_all(line.as_bytes())?;
        i += 1;
    }
    w.flush()?;
    // One object with 10⁶ keys: as a document, and as the first record of NDJSON.
    let mut obj = String::from("{");
    for i in 0..1_000_000 {
        if i > 0 {
            obj.push(',');
        }
        obj.push_str(&format!("\"field_{i}\":{i}"));
    }
    obj.push('}');
    std::fs::write(dir.join("wide-object.json"), &obj)?;
    std::fs::write(
        dir.join("wide-record.ndjson"),
        format!("{obj}\n{{\"field_1\":2}}\n"),
    )?;
    // 42.zip's shape: 16 zips of 16 zips of 16 zips of 16 zips of a very compressible leaf.
    let leaf = zip_bytes(&[("0.csv", &vec![b'0'; 1 << 30])]);
    let mut level = leaf;
    for depth in 0..4 {
        let names: Vec<String> = (0..16).map(|i| format!("lib{depth}-{i:x}.zip")).collect();
        let members: Vec<(&str, &[u8])> = names
            .iter()
            .map(|n| (n.as_str(), level.as_slice()))
            .collect();
        level = zip_bytes(&members);
    }
    std::fs::write(dir.join("42.zip"), &level)?;
    // A member of 2 GiB from about 2 MB, deflate's maximum ratio (checked against the bytes it
    // consumed, it is caught after 64 MiB; checked against its whole compressed size, only at
    // the end).
    let rows = vec![b'0'; 2 << 30];
    zip_file(&dir.join("member-2gb.zip"), &[("rows.csv", &rows)])?;
    std::fs::write(dir.join("good.csv"), "email,name\na@x.vn,An\nb@x.vn,Binh\n")?;
    Ok(())
}

/// Counts rows; keeps diagnostic codes.
#[derive(Default)]
struct Count {
    rows: u64,
    codes: std::collections::BTreeSet<String>,
}

impl Sink for Count {
    fn rows(&mut self, _t: &TableInfo, b: RowBatch) -> Flow {
        self.rows += b.len() as u64;
        leakscope_formats::recycle(b);
        Flow::Continue
    }
    fn diagnostic(&mut self, d: &Diagnostic) {
        self.codes.insert(d.code.clone());
    }
}

/// User + system CPU seconds of a `/proc/.../stat` file (fields 14 and 15, in clock ticks).
fn cpu_seconds(stat: &str) -> f64 {
    std::fs::read_to_string(stat)
        .ok()
        .and_then(|s| {
            let after = s.rsplit_once(')')?.1;
            let f: Vec<&str> = after.split_whitespace().collect();
            let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
            Some(ticks / 100.0)
        })
        .unwrap_or(0.0)
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("write") => {
            let dir = Path::new(args.get(1).map_or("doc-bench", String::as_str));
            let mib: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1024);
            std::fs::create_dir_all(dir)?;
            let t = Instant::now();
            write_json(&dir.join("data.json"), mib << 20)?;
            write_bson(&dir.join("users.bson"), mib << 20)?;
            write_sheet_2m(&dir.join("sheet-2m.xlsx"), 2_000_000)?;
            write_hostile(dir)?;
            eprintln!("written in {:.1} s", t.elapsed().as_secs_f64());
        }
        Some("hostile") => {
            let dir = Path::new(args.get(1).map_or("doc-bench", String::as_str));
            std::fs::create_dir_all(dir)?;
            write_hostile(dir)?;
        }
        Some("ceiling") => {
            // What the same file costs without leakscope's work, measured in the same run.
            for f in args.iter().skip(1) {
                let path = Path::new(f);
                let bytes = std::fs::metadata(path).map_or(0, |m| m.len());
                let t = Instant::now();
                let what = match path.extension().and_then(|e| e.to_str()) {
                    Some("json") => {
                        let r = std::io::BufReader::with_capacity(256 << 10, std::fs::File::open(path)?);
                        let mut de = serde_json::Deserializer::from_reader(r);
                        let ok = serde::de::IgnoredAny::deserialize(&mut de).is_ok();
                        format!("serde_json parse to IgnoredAny (ok {ok})")
                    }
                    Some("bson") => {
                        let mut r = std::io::BufReader::with_capacity(256 << 10, std::fs::File::open(path)?);
                        let mut n = 0u64;
                        let mut buf = Vec::new();
                        loop {
                            let mut len = [0u8; 4];
                            if std::io::Read::read_exact(&mut r, &mut len).is_err() {
                                break;
                            }
                            let l = i32::from_le_bytes(len).max(4) as usize;
                            buf.resize(l - 4, 0);
                            if std::io::Read::read_exact(&mut r, &mut buf).is_err() {
                                break;
                            }
                            n += 1;
                        }
                        format!("read length-prefixed documents ({n})")
                    }
                    _ => {
                        let mut z = zip::ZipArchive::new(std::fs::File::open(path)?).map_err(std::io::Error::other)?;
                        let mut out = 0u64;
                        for i in 0..z.len() {
                            let mut m = z.by_index(i).map_err(std::io::Error::other)?;
                            out += std::io::copy(&mut m, &mut std::io::sink())?;
                        }
                        format!("inflate every member ({out} bytes)")
                    }
                };
                let secs = t.elapsed().as_secs_f64();
                println!("{f}: ceiling {what}: {secs:.2} s, {:.0} MB/s", bytes as f64 / 1e6 / secs);
            }
        }
        Some("read") => {
            let mut threads = 0;
            let mut files = Vec::new();
            let mut it = args.iter().skip(1);
            while let Some(a) = it.next() {
                if a == "--threads" {
                    threads = it.next().and_then(|s| s.parse().ok()).unwrap_or(0);
                } else {
                    files.push(std::path::PathBuf::from(a));
                }
            }
            for f in files {
                let opts = ReadOptions {
                    threads,
                    ..ReadOptions::default()
                };
                let bytes = std::fs::metadata(&f).map_or(0, |m| m.len());
                let mut sink = Count::default();
                let (main0, all0) = (cpu_seconds("/proc/thread-self/stat"), cpu_seconds("/proc/self/stat"));
                let t = Instant::now();
                leakscope_formats::read_paths(std::slice::from_ref(&f), &opts, &mut sink);
                let secs = t.elapsed().as_secs_f64();
                let main = cpu_seconds("/proc/thread-self/stat") - main0;
                let all = cpu_seconds("/proc/self/stat") - all0;
                println!(
                    "{}: {} rows, {:.2} s, {:.0} MB/s, peak RSS {:.0} MiB, CPU {:.2} s of which the reading thread {:.2} s, diagnostics {:?}",
                    f.display(),
                    sink.rows,
                    secs,
                    bytes as f64 / 1e6 / secs,
                    peak_rss_mib(),
                    all,
                    main,
                    sink.codes
                );
            }
        }
        _ => eprintln!(
            "usage: doc_bench write DIR [MiB] | doc_bench hostile DIR | doc_bench read [--threads N] FILE..."
        ),
    }
    Ok(())
}
