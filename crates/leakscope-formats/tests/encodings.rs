//! UTF-32 (LE/BE, with and without byte-order mark) is recognised by its zero-byte pattern and
//! never read as UTF-16 full of NULs; bytes a decoder had to replace are counted and located.

mod common;

use common::*;
use leakscope_formats::{read_bytes, ReadOptions, ReadSummary};

fn utf32(text: &str, be: bool, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let chars = bom.then_some('\u{feff}').into_iter().chain(text.chars());
    for c in chars {
        let v = c as u32;
        out.extend_from_slice(&if be { v.to_be_bytes() } else { v.to_le_bytes() });
    }
    out
}

fn read_as(name: &str, data: &[u8], opts: &ReadOptions) -> (Collect, ReadSummary) {
    let mut c = Collect::default();
    let s = read_bytes(name, data, opts, &mut c);
    (c, s)
}

const CSV: &str = "họ_tên,email,điện_thoại\nNguyễn Văn An,an@x.vn,+84912345678\n王伟,wei@x.cn,+8613812345678\nTrần 😀 Bích,bich@x.vn,+84987654321\n";

#[test]
fn utf32_with_and_without_bom_reads_exactly() {
    for be in [false, true] {
        for bom in [false, true] {
            let (c, s) = read_as("u.csv", &utf32(CSV, be, bom), &ReadOptions::default());
            let label = if be { "UTF-32BE" } else { "UTF-32LE" };
            assert_eq!(
                c.sources[0].encoding.as_deref(),
                Some(label),
                "be {be} bom {bom}"
            );
            let t = c.one();
            assert_eq!(t.info.headers, strs(&["họ_tên", "email", "điện_thoại"]));
            assert_eq!(
                t.rows[2],
                strs(&["Trần 😀 Bích", "bich@x.vn", "+84987654321"])
            );
            assert_eq!(s.rows, 3);
            assert!(
                c.diags.iter().all(|d| d.code != "undecodable-bytes"),
                "{:?}",
                c.diags
            );
            assert!(t.rows.iter().flatten().all(|v| !v.contains('\0')));
        }
    }
    // JSON too, and the --encoding override.
    let json = r#"[{"name":"Lê An","email":"an@x.vn"},{"name":"Phạm Chi","email":"chi@x.vn"}]"#;
    let (c, _) = read_as(
        "u.json",
        &utf32(json, false, false),
        &ReadOptions::default(),
    );
    assert_eq!(c.one().rows[1], strs(&["Phạm Chi", "chi@x.vn"]));
    let opts = ReadOptions {
        encoding: Some("utf-32be".into()),
        ..ReadOptions::default()
    };
    let (c, _) = read_as("o.csv", &utf32("a,b\n1,2\n", true, false), &opts);
    assert_eq!(c.one().rows, rows(&[&["1", "2"]]));
}

#[test]
fn replaced_bytes_are_counted_and_located() {
    // GBK with two invalid sequences on line 3.
    let mut gbk = b"id,name\n1,\xcd\xf5\xce\xb0\n2,ab".to_vec();
    gbk.extend_from_slice(b"\x81\x20cd\xff\n3,\xc0\xee\xc4\xc8\n");
    let opts = ReadOptions {
        encoding: Some("gbk".into()),
        ..ReadOptions::default()
    };
    let (c, s) = read_as("g.csv", &gbk, &opts);
    assert_eq!(s.rows, 3);
    let d = c
        .diags
        .iter()
        .find(|d| d.code == "undecodable-bytes")
        .unwrap();
    assert_eq!(d.line, Some(3));
    assert_eq!(d.offset, Some(19));
    assert!(
        d.message.starts_with("2 byte sequences are not valid GBK"),
        "{}",
        d.message
    );
    // A cut-off UTF-32 code unit and a value past U+10FFFF.
    let mut bad = utf32("a,b\n1,2\n", false, true);
    bad.extend_from_slice(&0x0011_0000u32.to_le_bytes());
    bad.extend_from_slice(&[b'x', 0]);
    let (c, _) = read_as("b.csv", &bad, &ReadOptions::default());
    let d = c
        .diags
        .iter()
        .find(|d| d.code == "undecodable-bytes")
        .unwrap();
    assert!(
        d.message
            .starts_with("2 byte sequences are not valid UTF-32LE"),
        "{}",
        d.message
    );
    assert_eq!(d.offset, Some(4 + 8 * 4));
}
