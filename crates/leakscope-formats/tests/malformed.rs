//! The malformed corpus: every kind of broken input yields the expected diagnostic, correct
//! counts of rows read and skipped, and never a panic.

mod common;
mod gen;

use common::*;
use gen::*;
use leakscope_formats::{ReadOptions, Severity};

/// One malformed input and what must come of it.
struct Case {
    name: &'static str,
    file: &'static str,
    bytes: Vec<u8>,
    opts: ReadOptions,
    code: &'static str,
    rows: u64,
    skipped: u64,
}

/// Rows for a stream cut part-way: some rows read, not all of them.
const PARTIAL: u64 = u64::MAX;

fn case(
    name: &'static str,
    file: &'static str,
    bytes: Vec<u8>,
    code: &'static str,
    rows: u64,
    skipped: u64,
) -> Case {
    Case {
        name,
        file,
        bytes,
        opts: ReadOptions::default(),
        code,
        rows,
        skipped,
    }
}

fn with(mut c: Case, opts: ReadOptions) -> Case {
    c.opts = opts;
    c
}

/// `n` CSV rows of (email,password) with a header.
fn accounts(n: usize) -> Vec<u8> {
    let mut s = String::from("email,password\n");
    for i in 0..n {
        s.push_str(&format!("user{i}@example.vn,pw{}\n", i * 7919 % 10007));
    }
    s.into_bytes()
}

fn cut(mut v: Vec<u8>, keep: usize) -> Vec<u8> {
    v.truncate(keep);
    v
}

fn corpus() -> Vec<Case> {
    let big = accounts(20_000); // ~530 KB
    let small = accounts(5);
    let repetitive: Vec<u8> = b"email,password\n"
        .iter()
        .copied()
        .chain(b"same@example.vn,samepassword\n".repeat(150_000))
        .collect();
    let mut nested = gzip(&small);
    for _ in 0..12 {
        nested = gzip(&nested);
    }
    let mut garbage = Vec::new();
    let mut r = Rng(99);
    for _ in 0..50_000 {
        garbage.push((r.next() % 256) as u8);
    }
    garbage[0] = 0x00;
    let huge_line = [
        b"id,blob\n1,".as_slice(),
        &b"x".repeat(20 << 20),
        b"\n2,small\n",
    ]
    .concat();
    let bad_deflate = {
        let mut z = zip(&[("a.csv", &big)]);
        let mid = z.len() / 2;
        for b in &mut z[mid..mid + 64] {
            *b ^= 0x5a;
        }
        z
    };
    let small_opts = |f: fn(&mut ReadOptions)| {
        let mut o = ReadOptions::default();
        f(&mut o);
        o
    };
    vec![
        case("truncated gzip", "t.csv.gz", cut(gzip(&big), 40_000), "truncated-stream", PARTIAL, 0),
        case("truncated zstd", "t.csv.zst", cut(zstd(&big), 30_000), "truncated-stream", PARTIAL, 0),
        case("truncated xz", "t.csv.xz", cut(xz(&big), 30_000), "truncated-stream", PARTIAL, 0),
        case("truncated bzip2", "t.csv.bz2", cut(bzip2(&big), 30_000), "truncated-stream", PARTIAL, 0),
        case("truncated zip", "t.zip", cut(zip(&[("a.csv", &big)]), 20_000), "corrupt-archive", 0, 0),
        case("truncated tar", "t.tar", cut(tar(&[("a.csv", &big)]), 100_000), "corrupt-archive", PARTIAL, 0),
        case("damaged deflate in zip", "d.zip", bad_deflate, "corrupt-stream", PARTIAL, 0),
        with(case("zip bomb (ratio)", "bomb.zip", zip(&[("bomb.csv", &repetitive)]), "zip-bomb", PARTIAL, 0), small_opts(|o| {
            o.ratio_floor_bytes = 1 << 20;
            o.max_expansion_ratio = 50;
        })),
        with(case("nested bomb (total bytes)", "nested.zip", zip(&[("in.csv.gz", &gzip(&repetitive))]), "expansion-limit", PARTIAL, 0), small_opts(|o| o.max_expanded_bytes = 2 << 20)),
        case("deep nesting", "deep.gz", nested, "archive-too-deep", 0, 0),
        case("binary garbage", "x.csv", garbage, "binary-unknown", 0, 0),
        case("20 MB single line reads", "huge.csv", huge_line.clone(), "", 2, 0),
        with(case("line above max record size", "huge.csv", huge_line, "record-too-large", 1, 1), small_opts(|o| o.max_record_bytes = 1 << 20)),
        case("unbalanced quote", "q.csv", [b"id,name\n1,\"open\n".as_slice(), &b"2,b\n".repeat(1500)].concat(), "unbalanced-quote", 1501, 0),
        case("invalid UTF-8", "u.csv", "id,name\n1,Nguyễn Văn An\n2,Trần Thị Bích\n3,Lê Minh Đức\n".bytes().chain(b"4,bad\xff\xfe here\n5,Nguy\xe1\xbb\n".iter().copied()).collect(), "invalid-utf8", 5, 0),
        case("xlsx that is HTML", "report.xlsx", b"<html><body><table><tr><td>name</td></tr></table></body></html>".to_vec(), "html-not-spreadsheet", 0, 0),
        case("SQL cut mid-statement", "cut.sql", b"CREATE TABLE `u` (`id` int, `email` text);\nINSERT INTO `u` VALUES (1,'a@x.vn'),(2,'b@x".to_vec(), "truncated-statement", 1, 1),
        case("SQL cut between tuples", "cut2.sql", b"INSERT INTO u VALUES (1,'a'),(2,'b'),".to_vec(), "truncated-statement", 2, 0),
        case("COPY without terminator", "c.sql", b"COPY public.u (id, email) FROM stdin;\n1\ta@x.vn\n2\tb@x.vn\n".to_vec(), "copy-unterminated", 2, 0),
        case("COPY cut mid-line", "c2.sql", b"COPY public.u (id, email) FROM stdin;\n1\ta@x.vn\n2\tb@".to_vec(), "copy-unterminated", 1, 1),
        case("SQL without data", "schema.sql", b"CREATE TABLE t (id int);\nDROP TABLE x;\n".to_vec(), "no-rows", 0, 0),
        with(case("SQL value too large", "big.sql", [b"INSERT INTO t VALUES (1,'".as_slice(), &b"y".repeat(3 << 20), b"'),(2,'ok');\n"].concat(), "record-too-large", 1, 1), small_opts(|o| o.max_record_bytes = 1 << 20)),
        case("encrypted zip", "s.zip", std::fs::read(data("secret.zip")).unwrap(), "encrypted-archive", 0, 0),
        case("empty file", "e.csv", vec![], "empty-file", 0, 0),
        case("BOM only", "b.csv", b"\xef\xbb\xbf".to_vec(), "empty-file", 0, 0),
        case("header only", "h.csv", b"email,password,phone\n".to_vec(), "", 0, 0),
        case("ragged rows", "r.csv", b"a@x.vn,1,2\nb@x.vn,1\nc@x.vn,1,2,3\nd@x.vn,4,5\n".to_vec(), "ragged-rows", 4, 0),
        case("rows of only delimiters", "d.csv", b"email,name\na@x.vn,An\n,\n,,\n\"\",\"\"\nb@x.vn,Binh\n".to_vec(), "empty-rows", 2, 0),
        case("NUL bytes in text", "n.csv", [b"id,name\n1,a\x00b\n".as_slice(), &b"2,Nguyen Van Binh\n".repeat(20)].concat(), "", 21, 0),
        case("mixed line endings", "m.csv", b"id,name\r\n1,a\n2,b\r3,c\r\n4,d".to_vec(), "", 4, 0),
        case("JSON truncated", "t.json", b"[{\"a\":1},{\"a\":2},{\"a\":".to_vec(), "json-truncated", 2, 0),
        case("JSON non-object items", "n.json", b"[{\"a\":1},2,\"x\",[3],{\"a\":4}]".to_vec(), "json-non-object", 2, 3),
        case("JSON syntax error in a record", "s.json", b"[{\"a\":1},{\"a\" 2},{\"a\":3}]".to_vec(), "json-syntax", 2, 1),
        case("JSON broken between records", "s2.json", b"[{\"a\":1}} {\"a\":2}]".to_vec(), "json-syntax", 1, 0),
        case("NDJSON bad line", "b.ndjson", b"{\"a\":1}\n{\"a\":\n{\"a\":3}\n".to_vec(), "json-syntax", 2, 1),
        case("empty zip", "empty.zip", zip(&[]), "empty-archive", 0, 0),
        case("corrupt xlsx", "c.xlsx", zip(&[("xl/workbook.xml", b"<not xml"), ("[Content_Types].xml", b"?")]), "corrupt-spreadsheet", 0, 0),
        with(case("undecodable bytes", "g.csv", b"id,name\n1,\x81\x20x\n".to_vec(), "undecodable-bytes", 1, 0), small_opts(|o| o.encoding = Some("gbk".into()))),
        case("Parquet", "x.parquet", [b"PAR1\x15\x04\x15".as_slice(), &[0u8; 200]].concat(), "unsupported-format", 0, 0),
        case("Avro", "x.avro", [b"Obj\x01\x04\x14avro.schema".as_slice(), &[0u8; 200]].concat(), "unsupported-format", 0, 0),
        case("ORC", "x.orc", [b"ORC\x0a\x05\x12".as_slice(), &[0u8; 200]].concat(), "unsupported-format", 0, 0),
        case("MS Access", "shop.mdb", [b"\x00\x01\x00\x00Standard Jet DB\x00".as_slice(), &[0u8; 200]].concat(), "unsupported-format", 0, 0),
        case("MS Access 2007", "shop.accdb", [b"\x00\x01\x00\x00Standard ACE DB\x00".as_slice(), &[0u8; 200]].concat(), "unsupported-format", 0, 0),
        case("Oracle exp", "exp.dmp", [b"\x03\x00\x01EXPORT:V11.02.00\nDSYSTEM\nRUSERS\n".as_slice(), &[0u8; 200]].concat(), "unsupported-format", 0, 0),
        case("Oracle expdp", "expdp.dmp", [[0u8; 300].as_slice(), b"\"SYSTEM\".\"SYS_EXPORT_SCHEMA_01\"", &[0u8; 300]].concat(), "unsupported-format", 0, 0),
        case("MySQL ibd", "users.ibd", { let mut v = vec![0u8; 16384]; v[25] = 8; v[38] = 1; v }, "unsupported-format", 0, 0),
        case("MySQL frm", "users.frm", [b"\xfe\x01\x0a\x0c\x03\x00".as_slice(), &[0u8; 200]].concat(), "unsupported-format", 0, 0),
        case("SQL Server bak", "shop.bak", [b"TAPE\x00\x00\x1c\x00\x00\x00".as_slice(), &[0u8; 200]].concat(), "unsupported-format", 0, 0),
        case("SQL Server mdf", "shop.mdf", { let mut v = vec![0u8; 8192]; v[0] = 1; v[1] = 15; v }, "unsupported-format", 0, 0),
        case("mongodump archive", "dump.archive", [b"\x6d\xe2\x99\x81".as_slice(), &[0u8; 200]].concat(), "unsupported-format", 0, 0),
        case("text dump named .dmp is read", "backup.dmp", b"INSERT INTO u VALUES (1,'a');\n".to_vec(), "", 1, 0),
        with(case("unknown encoding label", "l.csv", b"id,name\n1,a\n".to_vec(), "unknown-encoding", 1, 0), small_opts(|o| o.encoding = Some("klingon".into()))),
    ]
}

#[test]
fn malformed_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let cases = corpus();
    assert!(cases.len() >= 30);
    let mut failures = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let p = write(dir.path(), &format!("{i}/{}", c.file), &c.bytes);
        let (got, s) = read_with(&[&p], &c.opts);
        let codes = got.codes();
        let code_ok = if c.code.is_empty() {
            got.diags.iter().all(|d| d.severity != Severity::Error)
        } else {
            codes.iter().any(|x| x == c.code)
        };
        let rows_ok = if c.rows == PARTIAL {
            s.rows > 0 && s.rows < 150_000
        } else {
            s.rows == c.rows
        };
        if !code_ok || !rows_ok || s.rows_skipped != c.skipped {
            failures.push(format!(
                "{}: codes {:?} rows {} skipped {} (want {} {} {})",
                c.name, codes, s.rows, s.rows_skipped, c.code, c.rows, c.skipped
            ));
        }
        // Every diagnostic is located at least by source, and no message echoes cell values.
        for d in &got.diags {
            assert!(!d.source.is_empty());
            assert!(
                !d.message.contains("user1@example.vn") && !d.message.contains("samepassword"),
                "{}: {}",
                c.name,
                d.message
            );
        }
        // Skipped rows are explained by diagnostics.
        assert_eq!(
            got.diags.iter().map(|d| d.rows_skipped).sum::<u64>(),
            s.rows_skipped,
            "{}",
            c.name
        );
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// The parallel reader, cutting every input into tiny blocks, delivers exactly what the
/// sequential reader delivers: same rows in the same order, same diagnostics and counts.
#[test]
fn parallel_blocks_match_sequential_on_the_malformed_corpus() {
    let dir = tempfile::tempdir().unwrap();
    for (i, c) in corpus().into_iter().enumerate() {
        let p = write(dir.path(), &format!("{i}/{}", c.file), &c.bytes);
        let seq = ReadOptions {
            threads: 1,
            ..c.opts.clone()
        };
        let (a, sa) = read_with(&[&p], &seq);
        for (threads, block) in [(3, 97), (2, 4096)] {
            let par = ReadOptions {
                threads,
                block_bytes: block,
                ..c.opts.clone()
            };
            let (b, sb) = read_with(&[&p], &par);
            if matches!(c.code, "zip-bomb" | "expansion-limit") {
                // Where a size limit trips depends on how much each read asks for; the verdict
                // and the explanation of skipped rows must still agree.
                assert_eq!(a.codes(), b.codes(), "{}", c.name);
                assert_eq!(sa.rows_skipped, sb.rows_skipped, "{}", c.name);
                assert!(sb.rows > 0, "{}", c.name);
                continue;
            }
            let (fa, fb) = (fingerprint(&a, &sa), fingerprint(&b, &sb));
            if fa != fb {
                let diff = fa
                    .lines()
                    .zip(fb.lines())
                    .find(|(x, y)| x != y)
                    .map(|(x, y)| format!("sequential: {x}\nparallel:   {y}"))
                    .unwrap_or_else(|| format!("lengths {} vs {}", fa.len(), fb.len()));
                panic!("{} (threads {threads}, block {block}):\n{diff}", c.name);
            }
        }
    }
}

#[test]
fn located_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "u.csv",
        &[
            "id,name\n1,Phạm Thu Hương\n2,Hoàng Quốc Bảo\n".as_bytes(),
            b"3,bad\xff\n",
        ]
        .concat(),
    );
    let (c, _) = read(&p);
    let d = c.diags.iter().find(|d| d.code == "invalid-utf8").unwrap();
    assert_eq!(d.line, Some(4));
    assert_eq!(c.one().rows[2][1], "bad\u{fffd}");
    let p = write(
        dir.path(),
        "cut.sql",
        b"INSERT INTO u VALUES (1,'a'),\n(2,'b'),\n(3,'c",
    );
    let (c, _) = read(&p);
    let d = c
        .diags
        .iter()
        .find(|d| d.code == "truncated-statement")
        .unwrap();
    assert_eq!((d.line, d.table.as_deref()), (Some(3), Some("u")));
    let huge = [
        b"id,v\n1,a\n2,".as_slice(),
        &b"z".repeat(2 << 20),
        b"\n3,c\n",
    ]
    .concat();
    let p = write(dir.path(), "h.csv", &huge);
    let opts = ReadOptions {
        max_record_bytes: 1 << 20,
        ..ReadOptions::default()
    };
    let (c, _) = read_with(&[&p], &opts);
    let d = c
        .diags
        .iter()
        .find(|d| d.code == "record-too-large")
        .unwrap();
    assert_eq!((d.line, d.offset), (Some(3), Some(9)));
    assert_eq!(c.one().rows, rows(&[&["1", "a"], &["3", "c"]]));
}
