//! Markdown for tickets: content, table shape, escaping of hostile strings.

mod common;

use leakscope_profile::render::markdown;

#[test]
fn singapore_markdown_matches_snapshot() {
    common::snapshot::assert_snapshot("markdown_sg.md", &markdown(&common::sg()));
}

#[test]
fn markdown_has_the_sections_and_figures() {
    let md = markdown(&common::vn());
    for needle in [
        "# Leak profile: shopnen\\_dump.zip!/don\\_hang.csv and 1 more",
        "**Sensitivity: CRITICAL** · examples masked",
        "| People | 1,093,406 ± 0.8% (HyperLogLog estimate) |",
        "| Tenants | 1,500 in don\\_hang.Tên cửa hàng |",
        "## Why it is critical",
        "- **critical**: CCCD + full name",
        "| VN Viet Nam | 1,082,558 | 99.2% | phone, national\\_id, address |",
        "| 1 | 118300 · Thời Trang Hà My | 96,000 |",
        "| plaintext | 2,415 | yes |",
        "## Table khach\\_hang",
        "| CCCD | national\\_id/vn\\_cccd | 97% | 44% | 519,870 |",
        "embedded phone in 12%",
        "- **warning** encoding-invalid-line",
    ] {
        assert!(md.contains(needle), "missing {needle:?} in\n{md}");
    }
}

/// Counts the unescaped `|` of a Markdown table line.
fn cells(line: &str) -> usize {
    let mut n = 0;
    let mut prev = ' ';
    for c in line.chars() {
        if c == '|' && prev != '\\' {
            n += 1;
        }
        prev = c;
    }
    n
}

#[test]
fn every_table_row_has_as_many_cells_as_its_header() {
    for p in [common::sg(), common::vn(), common::hostile()] {
        let md = markdown(&p);
        let mut expected = None;
        for line in md.lines() {
            if line.starts_with('|') {
                let n = cells(line);
                match expected {
                    None => expected = Some(n),
                    Some(e) => assert_eq!(n, e, "row breaks its table: {line}"),
                }
            } else {
                expected = None;
            }
        }
    }
}

#[test]
fn hostile_strings_are_inert_in_markdown() {
    let md = markdown(&common::hostile());
    assert!(!md.contains("<script"), "raw script tag");
    assert!(!md.contains("<img"), "raw img tag");
    assert!(md.contains("&lt;script&gt;"), "escaped visibly");
    assert!(!md.contains("**x**"), "emphasis injected");
    assert!(!md.contains('\x1b') && !md.contains('\u{202E}'));
    // Only the renderer's own line breaks inside cells.
    assert!(md.matches("<br>").count() >= 2);
    assert_eq!(md.matches('<').count(), md.matches("<br>").count());
}

#[test]
fn revealed_markdown_warns() {
    let mut p = common::sg();
    p.revealed = true;
    let md = markdown(&p);
    assert!(md.contains("RAW VALUES REVEALED"));
    assert!(md.contains("Examples (REVEALED)"));
}
