//! The parallel SQL dump reader against the sequential one on generated dumps full of the things
//! that make cutting a dump hard: strings holding `;`, newlines, `),(` and quotes of both escape
//! styles, comments holding statement ends, COPY data lines ending in `;` or `,`, single-line and
//! multi-line multi-row INSERTs, empty COPY sections, interleaved tables, oversize values and dumps
//! cut short at every kind of place. Both readers must deliver the same tables, headers, rows and
//! diagnostics (with the same lines and offsets), whatever the block size.

mod common;

use common::*;
use leakscope_formats::{read_bytes, ReadOptions};

/// A MySQL string literal body with hazards (already escaped).
fn mysql_text(r: &mut Lcg, i: usize) -> String {
    match r.below(14) {
        0 => format!("Nguy\\'ễn {i}; drop"),
        1 => "semi;\\ncolon".to_string(),
        2 => "raw\nnewline;\nINSERT INTO `x` VALUES (1);".to_string(),
        3 => "tuple),(look-alike".to_string(),
        4 => "tuple),\n(look-alike".to_string(),
        5 => "O''Brien".to_string(),
        6 => "back\\\\slash".to_string(),
        7 => "李小龙 /* not a comment */ -- nor this".to_string(),
        8 => String::new(),
        _ => format!("Trần Thị {i}"),
    }
}

/// A mysqldump-style dump: `rows` rows over two tables, in the given INSERT style.
fn mysql_dump(seed: u64, rows: usize, style: u8) -> Vec<u8> {
    let mut r = Lcg(seed);
    let mut out = String::from(
        "-- MySQL dump 10.13\n/*!40101 SET NAMES utf8mb4 */;\n\
         CREATE TABLE `customers` (\n  `id` int NOT NULL,\n  `name` varchar(255),\n  \
         `email` varchar(255),\n  `note` text,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB;\n\
         CREATE TABLE `orders` (`order_id` int, `customer_id` int, `total` decimal(10,2));\n",
    );
    let mut i = 0;
    while i < rows {
        let n = 1 + r.below(40) as usize;
        let orders = r.below(4) == 0;
        if r.below(10) == 0 {
            out.push_str("/* a comment; with a statement end;\n*/\n-- line comment;\n# hash;\n");
        }
        if orders {
            out.push_str("INSERT INTO `orders` VALUES ");
        } else if r.below(3) == 0 {
            out.push_str("INSERT INTO `customers` (`id`, `name`, `email`, `note`) VALUES");
        } else {
            out.push_str("INSERT INTO `customers` VALUES ");
        }
        for k in 0..n {
            if k > 0 {
                out.push(',');
                if style == 1 {
                    out.push('\n');
                }
            } else if style == 1 {
                out.push('\n');
            }
            if orders {
                out.push_str(&format!(
                    "({i},{},{}.{:02})",
                    r.below(1000),
                    r.below(900),
                    r.below(100)
                ));
            } else {
                let note = if r.below(5) == 0 {
                    "NULL".to_string()
                } else {
                    format!("'{}'", mysql_text(&mut r, i))
                };
                out.push_str(&format!(
                    "({i},'{}','user{i}@example.vn',{note})",
                    mysql_text(&mut r, i)
                ));
            }
            i += 1;
        }
        out.push_str(";\n");
        if style == 2 && r.below(3) != 0 {
            // Several statements on one line.
            out.pop();
            out.push(' ');
        }
    }
    out.into_bytes()
}

/// A pg_dump-style dump with COPY sections (data lines ending in `;` and `,`) and INSERTs.
fn pg_dump(seed: u64, rows: usize) -> Vec<u8> {
    let mut r = Lcg(seed);
    let mut out = String::from(
        "--\n-- PostgreSQL database dump\n--\nSET search_path = public;\n\
         CREATE TABLE public.users (\n    id integer,\n    full_name text,\n    phone text\n);\n",
    );
    let mut i = 0;
    while i < rows {
        match r.below(5) {
            0 => {
                out.push_str(&format!(
                    "INSERT INTO public.users VALUES ({i}, E'line\\nbreak;\\n', '+84 90 {i}');\n"
                ));
                i += 1;
            }
            1 if r.below(4) == 0 => {
                out.push_str("COPY public.empty (a, b) FROM stdin;\n\\.\n");
            }
            _ => {
                out.push_str("COPY public.users (id, full_name, phone) FROM stdin;\n");
                let n = 1 + r.below(200) as usize;
                for _ in 0..n {
                    let name = match r.below(8) {
                        0 => "ends with semicolon;".to_string(),
                        1 => "ends with comma,".to_string(),
                        2 => "tab\\tand\\nnewline escapes".to_string(),
                        3 => "\\N".to_string(),
                        4 => "COPY x FROM stdin;".to_string(),
                        _ => format!("Lê Văn {i}"),
                    };
                    out.push_str(&format!("{i}\t{name}\t09{:08}\n", r.below(100_000_000)));
                    i += 1;
                }
                out.push_str("\\.\n");
            }
        }
    }
    out.into_bytes()
}

fn read(name: &str, data: &[u8], threads: usize, block: usize, max_record: usize) -> String {
    let opts = ReadOptions {
        threads,
        block_bytes: block,
        max_record_bytes: max_record,
        ..ReadOptions::default()
    };
    let mut c = Collect::default();
    let s = read_bytes(name, data, &opts, &mut c);
    fingerprint(&c, &s)
}

fn assert_same_with(name: &str, data: &[u8], max_record: usize) {
    let seq = read(name, data, 1, 4 << 20, max_record);
    assert!(seq.lines().count() > 3, "{name}: nothing read");
    for (threads, block) in [(2, 64), (2, 211), (3, 1000), (4, 4096), (2, 65_536)] {
        let par = read(name, data, threads, block, max_record);
        if seq != par {
            let diff = first_difference(&seq, &par);
            panic!("{name} (threads {threads}, block {block}):\n{diff}");
        }
    }
}

fn assert_same(name: &str, data: &[u8]) {
    assert_same_with(name, data, 64 << 20);
}

#[test]
fn mysqldump_one_insert_per_line_matches() {
    assert_same("dump.sql", &mysql_dump(1, 3_000, 0));
}

#[test]
fn multi_line_value_lists_match() {
    assert_same("phpmyadmin.sql", &mysql_dump(2, 3_000, 1));
}

#[test]
fn several_statements_per_line_match() {
    assert_same("oneline.sql", &mysql_dump(3, 3_000, 2));
}

#[test]
fn pg_dump_copy_sections_match() {
    assert_same("pg.sql", &pg_dump(4, 4_000));
}

#[test]
fn truncated_dumps_match_wherever_they_are_cut() {
    let my = mysql_dump(5, 600, 1);
    let pg = pg_dump(6, 800);
    let mut r = Lcg(7);
    for k in 0..12 {
        let (name, data) = if k % 2 == 0 {
            ("cut.sql", &my)
        } else {
            ("cutpg.sql", &pg)
        };
        let at = data.len() / 3 + r.below(data.len() as u64 / 2) as usize;
        assert_same(name, &data[..at]);
    }
}

#[test]
fn oversize_values_are_skipped_alike() {
    // Between two dumps (a statement boundary), one INSERT with a value over the limit.
    let mut data = mysql_dump(8, 800, 0);
    data.extend_from_slice(
        format!(
            "INSERT INTO `customers` VALUES (1,'{}','big@example.vn','x'),(2,'ok','ok@example.vn','y');\n",
            "x".repeat(5_000)
        )
        .as_bytes(),
    );
    data.extend_from_slice(&mysql_dump(88, 800, 0));
    let seq = read("oversize.sql", &data, 1, 4 << 20, 2_048);
    assert!(
        seq.contains("record-too-large"),
        "the oversize row is reported"
    );
    assert_same_with("oversize.sql", &data, 2_048);
}

#[test]
fn a_single_huge_insert_and_an_unterminated_comment_match() {
    // One INSERT of 3,000 tuples on one line (newlines only inside strings).
    let mut r = Lcg(9);
    let mut data = String::from("-- MySQL dump 10.13\nINSERT INTO `customers` VALUES ");
    for i in 0..3_000 {
        if i > 0 {
            data.push(',');
        }
        data.push_str(&format!(
            "({i},'{}','u{i}@example.vn')",
            mysql_text(&mut r, i)
        ));
    }
    data.push(';');
    assert_same("huge.sql", data.as_bytes());
    let mut open_comment = mysql_dump(10, 800, 0);
    open_comment.extend_from_slice(b"/* never closed; INSERT INTO `orders` VALUES (1,2,3);\n");
    open_comment.extend_from_slice(&mysql_dump(11, 300, 0));
    assert_same("comment.sql", &open_comment);
}
