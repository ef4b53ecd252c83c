//! The parallel delimited reader against the sequential one on generated files full of the
//! things that make cutting a CSV hard: quoted fields with newlines, doubled quotes, stray quotes
//! in unquoted fields, CRLF, blank lines, invalid bytes, ragged rows. Both must deliver the same
//! rows in the same order with the same diagnostics, whatever the block size.

mod common;

use common::*;
use leakscope_formats::{read_bytes, Flow, ReadOptions, ReadSummary, RowBatch, Sink, TableInfo};

/// Which hazards a generated file contains.
#[derive(Clone, Copy)]
struct Hazards {
    multiline: bool,
    stray_quotes: bool,
    crlf: bool,
    invalid_bytes: bool,
    ragged: bool,
    header: bool,
    delimiter: u8,
}

fn generate(seed: u64, rows: usize, h: Hazards) -> Vec<u8> {
    let mut r = Lcg(seed);
    let d = h.delimiter as char;
    let nl = if h.crlf { "\r\n" } else { "\n" };
    let mut out = Vec::new();
    if h.header {
        out.extend_from_slice(
            format!("\u{feff}Họ tên{d}Email{d}Số điện thoại{d}Địa chỉ{d}Ghi chú{nl}").as_bytes(),
        );
    }
    let names = [
        "Nguyễn Văn An",
        "Trần Thị Bích",
        "李小龙",
        "Tan Wei Ming",
        "Lê \"Bé\" Na",
    ];
    for i in 0..rows {
        let name = names[r.below(names.len() as u64) as usize];
        let name = if name.contains('"') {
            format!("\"{}\"", name.replace('"', "\"\""))
        } else {
            name.to_string()
        };
        let email = format!("user{i}@example.vn");
        let phone = format!("09{:08}", r.below(100_000_000));
        let address = if h.multiline && r.below(5) == 0 {
            format!(
                "\"{} Lê Lợi,\nPhường {},\r\nQuận 1\"",
                r.below(500),
                r.below(20)
            )
        } else {
            format!("\"{} Trần Hưng Đạo, Quận 5\"", r.below(500))
        };
        let note = match r.below(16) {
            0 if h.stray_quotes => "màn hình 15\" cũ".to_string(),
            1 => "\"giao \"\"nhanh\"\"\"".to_string(),
            2 if h.invalid_bytes => "bad\u{1}".to_string(),
            3 if h.stray_quotes => "\"quoted\"then text".to_string(),
            4 => "\"\"".to_string(),
            5 => " \"spaced\"".to_string(),
            6 => "\"ends with delimiter\"".to_string() + &d.to_string(),
            _ => String::new(),
        };
        let mut line = format!("{name}{d}{email}{d}{phone}{d}{address}{d}{note}");
        if h.ragged && r.below(50) == 0 {
            line.push(d);
            line.push_str("extra");
        }
        let mut bytes = line.into_bytes();
        if h.invalid_bytes && r.below(40) == 0 {
            bytes.extend_from_slice(b"\xff\xfe");
        }
        out.extend_from_slice(&bytes);
        out.extend_from_slice(nl.as_bytes());
        if r.below(200) == 0 {
            out.extend_from_slice(nl.as_bytes());
        }
        if r.below(300) == 0 {
            out.extend_from_slice(b"\"\"");
            out.extend_from_slice(nl.as_bytes());
        }
    }
    out
}

fn read(name: &str, data: &[u8], threads: usize, block: usize) -> (Collect, ReadSummary) {
    let opts = ReadOptions {
        threads,
        block_bytes: block,
        ..ReadOptions::default()
    };
    let mut c = Collect::default();
    let s = read_bytes(name, data, &opts, &mut c);
    (c, s)
}

fn assert_same(name: &str, data: &[u8]) {
    let (a, sa) = read(name, data, 1, 4 << 20);
    assert!(sa.rows > 0, "{name}: nothing read");
    let fa = fingerprint(&a, &sa);
    for (threads, block) in [(2, 211), (4, 4096), (3, 65_536)] {
        let (b, sb) = read(name, data, threads, block);
        let fb = fingerprint(&b, &sb);
        if fa != fb {
            let diff = first_difference(&fa, &fb);
            panic!("{name} (threads {threads}, block {block}):\n{diff}");
        }
    }
}

const ALL: Hazards = Hazards {
    multiline: true,
    stray_quotes: true,
    crlf: false,
    invalid_bytes: true,
    ragged: true,
    header: true,
    delimiter: b',',
};

#[test]
fn clean_file_matches() {
    let h = Hazards {
        multiline: false,
        stray_quotes: false,
        invalid_bytes: false,
        ragged: false,
        ..ALL
    };
    assert_same("clean.csv", &generate(1, 20_000, h));
}

#[test]
fn quoted_newlines_and_crlf_match() {
    let h = Hazards {
        stray_quotes: false,
        crlf: true,
        ..ALL
    };
    assert_same("multiline.csv", &generate(2, 20_000, h));
}

#[test]
fn stray_quotes_invalid_bytes_and_ragged_rows_match() {
    assert_same("hazards.csv", &generate(3, 20_000, ALL));
}

#[test]
fn headerless_semicolon_and_tab_files_match() {
    for (i, delim) in [b';', b'\t', b'|'].into_iter().enumerate() {
        let h = Hazards {
            header: false,
            delimiter: delim,
            stray_quotes: false,
            ..ALL
        };
        assert_same(
            &format!("noheader{i}.txt"),
            &generate(10 + i as u64, 8_000, h),
        );
    }
}

#[test]
fn combolist_matches() {
    let mut r = Lcg(9);
    let mut data = Vec::new();
    for i in 0..30_000 {
        data.extend_from_slice(
            format!("user{i}@mail.example.com:p\"a:ss{}\n", r.below(1_000_000)).as_bytes(),
        );
    }
    assert_same("combo.txt", &data);
}

/// A sink that asks to stop after a number of rows.
struct StopAfter {
    limit: usize,
    seen: usize,
}

impl Sink for StopAfter {
    fn rows(&mut self, _t: &TableInfo, b: RowBatch) -> Flow {
        self.seen += b.len();
        if self.seen >= self.limit {
            Flow::Stop
        } else {
            Flow::Continue
        }
    }
}

#[test]
fn parallel_reader_honours_stop() {
    let data = generate(4, 50_000, ALL);
    let opts = ReadOptions {
        threads: 3,
        block_bytes: 8192,
        batch_rows: 100,
        ..ReadOptions::default()
    };
    let mut s = StopAfter {
        limit: 1000,
        seen: 0,
    };
    let summary = read_bytes("stop.csv", &data, &opts, &mut s);
    assert!(s.seen >= 1000, "{}", s.seen);
    assert!(s.seen < 2_000, "kept delivering after stop: {}", s.seen);
    assert_eq!(summary.rows, s.seen as u64);
}
