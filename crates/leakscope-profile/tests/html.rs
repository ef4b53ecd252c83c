//! The HTML report: escaping, charts, self-containment, masked/revealed marking, extra sections.

mod common;

use leakscope_profile::render::html::{escape, html, HtmlSection};

#[test]
fn no_hostile_markup_survives() {
    let page = html(&common::hostile(), &[]);
    let lower = page.to_lowercase();
    assert!(!lower.contains("<script"), "raw <script> in the report");
    assert!(!lower.contains("<img"), "raw <img> in the report");
    assert!(
        !page.contains("\"><img") && !page.contains("\" onerror"),
        "an attribute value broke out"
    );
    assert!(
        page.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"),
        "the payload is shown, escaped"
    );
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the payload is shown, escaped"
    );
    assert!(!page.contains("<b>bold</b>"));
    assert!(!page.contains('\x1b') && !page.contains('\u{202E}'));
    // Every `<` in the page opens one of the renderer's own elements.
    let allowed = [
        "!DOCTYPE",
        "html",
        "/html",
        "head",
        "/head",
        "meta",
        "title",
        "/title",
        "style",
        "/style",
        "body",
        "/body",
        "main",
        "/main",
        "header",
        "/header",
        "div",
        "/div",
        "h1",
        "/h1",
        "h2",
        "/h2",
        "h3",
        "/h3",
        "span",
        "/span",
        "section",
        "/section",
        "ul",
        "/ul",
        "li",
        "/li",
        "figure",
        "/figure",
        "figcaption",
        "/figcaption",
        "svg",
        "/svg",
        "line",
        "text",
        "/text",
        "rect",
        "/rect",
        "table",
        "/table",
        "colgroup",
        "/colgroup",
        "col",
        "thead",
        "/thead",
        "tbody",
        "/tbody",
        "tr",
        "/tr",
        "th",
        "/th",
        "td",
        "/td",
        "strong",
        "/strong",
        "p",
        "/p",
        "i",
        "/i",
        "footer",
        "/footer",
    ];
    for (i, _) in page.match_indices('<') {
        let tag: String = page[i + 1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '/' || *c == '!')
            .collect();
        assert!(
            allowed.contains(&tag.as_str()),
            "unexpected element <{tag} at {i}"
        );
    }
}

#[test]
fn the_four_charts_are_inline_svg() {
    let page = html(&common::vn(), &[]);
    for id in [
        "chart-data-classes",
        "chart-records",
        "chart-countries",
        "chart-tenants",
    ] {
        let at = page
            .find(&format!("<svg id=\"{id}\""))
            .unwrap_or_else(|| panic!("no svg #{id}"));
        let end = page[at..].find("</svg>").expect("closed") + at;
        let svg = &page[at..end];
        assert!(svg.contains("<rect "), "#{id} has bars");
        assert!(svg.contains("<text "), "#{id} has labels");
    }
    // The timeline has one bar per month, year labels and a labelled y axis.
    let p = common::vn();
    let at = page.find("<svg id=\"chart-records\"").unwrap();
    let svg = &page[at..at + page[at..].find("</svg>").unwrap()];
    assert_eq!(svg.matches("<rect ").count(), p.records.by_month.len());
    for year in ["2021", "2022", "2023", "2024"] {
        assert!(svg.contains(&format!(">{year}</text>")), "year {year}");
    }
    assert!(
        svg.contains(">0</text>") && svg.contains("k</text>"),
        "y ticks"
    );
    // Tenants chart lists all top tenants by name.
    for t in &p.tenants.as_ref().unwrap().top {
        assert!(page.contains(&escape(&t.name)), "{}", t.name);
    }
    assert!(page.contains("id=\"sensitivity-badge\" class=\"badge critical\""));
}

#[test]
fn missing_data_gets_a_note_not_an_empty_chart() {
    let page = html(&common::sg(), &[]);
    assert!(page.contains("<svg id=\"chart-records\""));
    assert!(!page.contains("chart-tenants"));
    assert!(page.contains("No tenant (merchant / shop) column"));
    let mut p = common::sg();
    p.countries.clear();
    p.records.by_month.clear();
    let page = html(&p, &[]);
    assert!(!page.contains("chart-countries") && !page.contains("chart-records"));
    assert!(page.contains("No country signal") && page.contains("No dated records"));
}

#[test]
fn report_is_self_contained_and_print_ready() {
    let page = html(&common::vn(), &[]);
    let without_ns = page.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(
        !without_ns.contains("http://") && !without_ns.contains("https://"),
        "no network reference"
    );
    assert!(
        !page.contains("<link")
            && !page.contains("src=")
            && !page.contains("@import")
            && !page.contains("url(")
    );
    assert!(page.contains("Content-Security-Policy") && page.contains("default-src 'none'"));
    assert!(page.contains("@media print") && page.contains("@page"));
    assert!(page.starts_with("<!DOCTYPE html>") && page.trim_end().ends_with("</html>"));
}

#[test]
fn masked_and_revealed_are_marked() {
    let mut p = common::sg();
    let page = html(&p, &[]);
    assert!(page.contains("VALUES MASKED") && page.contains("Examples (masked)"));
    assert!(!page.contains("REVEALED"));
    p.revealed = true;
    let page = html(&p, &[]);
    assert!(page.contains("RAW VALUES REVEALED") && page.contains("Examples (REVEALED)"));
}

#[test]
fn extra_sections_are_appended_with_safe_ids_and_titles() {
    let extra = [
        HtmlSection {
            id: "obligations".into(),
            title: "Notification <obligations>".into(),
            html: "<p>PDPC: 3 days</p>".into(),
        },
        HtmlSection {
            id: "x\" onmouseover=\"y".into(),
            title: "Verify".into(),
            html: format!("<p>{}</p>", escape("<script>")),
        },
    ];
    let page = html(&common::sg(), &extra);
    let at = page
        .find("<section class=\"extra\" id=\"obligations\">")
        .expect("first extra section");
    assert!(page[at..].contains("<h2>Notification &lt;obligations&gt;</h2>\n<p>PDPC: 3 days</p>"));
    assert!(page.contains("id=\"x--onmouseover--y\""));
    assert!(!page.contains("onmouseover=\""));
    assert!(
        at > page.find("id=\"reading\"").unwrap(),
        "after the scan's own sections"
    );
    assert!(at < page.find("<footer>").unwrap());
}

#[test]
fn column_tables_show_every_column_with_masked_examples() {
    let p = common::sg();
    let page = html(&p, &[]);
    for t in &p.tables {
        for c in &t.columns {
            assert!(
                page.contains(&format!(
                    "<td class=\"name\"><strong>{}</strong></td>",
                    escape(&c.name)
                )),
                "{}",
                c.name
            );
            for e in &c.examples {
                assert!(page.contains(&format!("<span>{}</span>", escape(e))));
            }
        }
    }
    assert!(page.contains("national_id</span><span class=\"kind\"> / sg_nric_fin</span>"));
}

#[test]
fn header_shows_readable_scan_time_and_breach_vocabulary() {
    let page = html(&common::sg(), &[]);
    assert!(page.contains("Scanned 2026-11-22 04:30 UTC"));
    assert!(
        page.contains("Breach vocabulary: Government issued IDs, Names, Partial credit card data")
    );
}
