//! The terminal summary: content, alignment (including CJK headers), width, colour, hostile input.

mod common;

use leakscope_profile::render::{human, HumanOptions};
use unicode_width::UnicodeWidthStr;

fn plain(p: &leakscope_profile::ScanProfile, width: usize) -> String {
    human(
        p,
        &HumanOptions {
            color: false,
            width,
        },
    )
}

#[test]
fn singapore_summary_matches_snapshot() {
    common::snapshot::assert_snapshot("human_sg.txt", &plain(&common::sg(), 100));
}

#[test]
fn vietnamese_summary_matches_snapshot() {
    common::snapshot::assert_snapshot("human_vn.txt", &plain(&common::vn(), 100));
}

#[test]
fn headline_carries_the_key_figures() {
    let out = plain(&common::sg(), 100);
    let line = |label: &str| {
        out.lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("no {label} line in\n{out}"))
            .to_string()
    };
    assert!(line("Rows").contains("1,516,399 read · 37 skipped"));
    assert!(line("People").contains("898,791 (exact count)"));
    assert!(line("Tables").contains("2 tables · 12 columns · 1 source (sql in gzip) · 398.4 MB"));
    assert!(line("Sensitivity").contains("CRITICAL"));
    assert!(line("Countries").starts_with("Countries     SG 97.1% · MY 1.6%"));
    assert!(out.contains("18 months before discovery"));
    assert!(line("Passwords").contains("bcrypt 1,098,602 · md5 5,673 (weak)"));
    assert!(line("Tenants").contains("no tenant"));
    // Order: headline, sensitivity, landscape, tables, diagnostics.
    let pos = |s: &str| out.find(s).unwrap_or_else(|| panic!("{s} missing"));
    assert!(pos("Rows") < pos("Sensitivity"));
    assert!(pos("Sensitivity") < pos("Data classes"));
    assert!(pos("Passwords") < pos("customers  "));
    assert!(pos("payment_cards  ") < pos("Read "));
    let vn = plain(&common::vn(), 100);
    assert!(vn.contains("1,093,406 ± 0.8% (HyperLogLog estimate)"));
    assert!(vn.contains("1,500 in don_hang.Tên cửa hàng"));
    assert!(vn.contains("… and 1,495 more"));
}

/// Display column where the distinct figure of each column row ends; all rows of one table
/// must agree (the table is aligned).
fn distinct_ends(out: &str, table_header: &str) -> Vec<usize> {
    let mut lines = out
        .lines()
        .skip_while(|l| !l.starts_with(table_header))
        .skip(1);
    let header = lines.next().expect("column header");
    assert!(header.trim_start().starts_with("column"), "{header}");
    let mut ends = Vec::new();
    for l in lines.take_while(|l| !l.is_empty()) {
        if l.trim_start().starts_with('↳') {
            continue;
        }
        // The distinct figure is the 5th cell; find it as the last run of digits/commas before
        // the examples (which follow two spaces).
        let head_w: usize = header
            .find("examples")
            .map(|b| UnicodeWidthStr::width(&header[..b]))
            .unwrap();
        let mut w = 0;
        let mut prefix_end = l.len();
        for (i, ch) in l.char_indices() {
            if w >= head_w {
                prefix_end = i;
                break;
            }
            w += unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        }
        let prefix = &l[..prefix_end];
        assert!(
            prefix.ends_with("  "),
            "examples start after two spaces: {l:?}"
        );
        let digits = prefix.trim_end();
        assert!(
            digits.ends_with(|c: char| c.is_ascii_digit()),
            "distinct ends the prefix: {l:?}"
        );
        ends.push(UnicodeWidthStr::width(digits));
    }
    ends
}

#[test]
fn column_tables_are_aligned_even_with_cjk_headers() {
    for (p, header) in [
        (common::sg(), "customers"),
        (common::vn(), "don_hang"),
        (common::vn(), "khach_hang"),
        (common::cjk(), "交易记录"),
    ] {
        let out = plain(&p, 100);
        let ends = distinct_ends(&out, header);
        assert!(ends.len() >= 6, "{header}: {ends:?}");
        assert!(
            ends.windows(2).all(|w| w[0] == w[1]),
            "{header} misaligned: {ends:?}\n{out}"
        );
    }
}

#[test]
fn no_line_exceeds_the_width() {
    for width in [60, 80, 100, 140] {
        for p in [common::sg(), common::vn(), common::cjk(), common::hostile()] {
            let out = plain(&p, width);
            for l in out.lines() {
                assert!(
                    UnicodeWidthStr::width(l) <= width,
                    "width {width}: {} cells: {l}",
                    UnicodeWidthStr::width(l)
                );
            }
        }
    }
}

#[test]
fn colour_only_when_asked_and_levels_are_coloured() {
    let p = common::sg();
    let plain_out = plain(&p, 100);
    assert!(!plain_out.contains('\x1b'));
    let colour = human(
        &p,
        &HumanOptions {
            color: true,
            width: 100,
        },
    );
    use leakscope_profile::render::{badge_style, level_style, styled};
    use leakscope_profile::Level;
    assert!(
        colour.contains(&styled(badge_style(Level::Critical), " CRITICAL ")),
        "critical badge in red"
    );
    assert!(badge_style(Level::Critical).get_bg_color().is_some());
    assert!(
        colour.contains(&format!("{}critical", level_style(Level::Critical))),
        "critical reason in red"
    );
    assert!(
        colour.contains(&format!("{}high", level_style(Level::High))),
        "high reason in yellow"
    );
    assert!(colour.contains("\x1b["), "ANSI colour codes");
    // Stripping SGR sequences gives back the same words.
    let stripped = strip_sgr(&colour);
    for word in [
        "898,791",
        "national_id/sg_nric_fin",
        "S•••••12D",
        "sql-unbalanced-quote",
    ] {
        assert!(stripped.contains(word), "{word}");
    }
}

fn strip_sgr(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn hostile_strings_cannot_drive_the_terminal() {
    let p = common::hostile();
    let out = plain(&p, 100);
    assert!(!out.contains('\x1b'), "no escape from data");
    assert!(!out.contains('\u{202E}'), "no bidi override");
    assert!(out.contains('\u{FFFD}'), "replaced visibly");
    let colour = human(
        &p,
        &HumanOptions {
            color: true,
            width: 100,
        },
    );
    // Every ESC in colour output starts one of our own SGR codes.
    for (i, _) in colour.match_indices('\x1b') {
        let rest = &colour[i + 1..];
        assert!(
            rest.starts_with('[')
                && rest[1..].find('m').is_some_and(|m| rest[1..1 + m]
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == ';')),
            "foreign escape at {i}"
        );
    }
    assert!(!colour.contains("\x1b[31mgnp"), "data escape neutralised");
}

#[test]
fn revealed_profiles_say_so() {
    let mut p = common::sg();
    assert!(plain(&p, 100).contains("examples (masked)"));
    p.revealed = true;
    let out = plain(&p, 100);
    assert!(out.contains("RAW VALUES REVEALED"));
    assert!(out.contains("examples (REVEALED)"));
}

#[test]
fn a_profile_of_many_tables_lists_the_identifying_ones_and_counts_the_rest() {
    let mut p = common::vn();
    let base = p.tables[0].clone();
    let mut plain_table = base.clone();
    for c in &mut plain_table.columns {
        c.class = "other".into();
        c.kind = None;
    }
    p.tables.clear();
    for i in 0..500 {
        // Every tenth table holds classed columns; the others none.
        let mut t = if i % 10 == 0 {
            base.clone()
        } else {
            plain_table.clone()
        };
        t.name = format!("tbl_{i:03}");
        p.tables.push(t);
    }
    let out = plain(&p, 100);
    let listed: Vec<&str> = out
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|w| w.starts_with("tbl_"))
        .collect();
    assert_eq!(
        listed.len(),
        leakscope_profile::render::MAX_TABLES_SHOWN,
        "{out}"
    );
    // The 50 tables with classed columns all come first, in their own order.
    let classed: Vec<String> = (0..500)
        .step_by(10)
        .map(|i| format!("tbl_{i:03}"))
        .collect();
    for name in &classed {
        assert!(listed.contains(&name.as_str()), "{name} not listed");
    }
    let mut sorted = listed.clone();
    sorted.sort();
    assert_eq!(sorted, listed, "tables keep their own order");
    assert!(
        out.contains("… 440 more tables not shown") && out.contains("--json"),
        "{out}"
    );
}
