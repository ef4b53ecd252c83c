//! What other verbs add to a report: the nearest deadline in the header, their urgent sections
//! right after "why it is …" (before the charts), the appendix at the end; the same in Markdown.

mod common;

use leakscope_profile::render::{
    html_report, markdown_report, Deadline, Extras, HtmlSection, MarkdownSection,
};

fn extras(overdue: bool) -> Extras {
    Extras {
        deadline: Some(Deadline {
            text: "notify PDPC (Singapore) by 2026-01-05 23:59 <b>· 2 d left".into(),
            overdue,
        }),
        urgent: vec![HtmlSection {
            id: "obligations".into(),
            title: "Notification obligations".into(),
            html: "<p>table</p>".into(),
        }],
        appendix: vec![HtmlSection {
            id: "verify".into(),
            title: "Verification".into(),
            html: "<p>verdict</p>".into(),
        }],
        markdown: vec![MarkdownSection {
            title: "Notification obligations".into(),
            markdown: "| Due | Where |\n|---|---|\n| 2026-01-05 | Singapore |".into(),
        }],
    }
}

#[test]
fn html_puts_the_deadline_in_the_header_and_obligations_after_the_reasons() {
    let page = html_report(&common::sg(), &extras(false));
    let at = |needle: &str| {
        page.find(needle)
            .unwrap_or_else(|| panic!("missing {needle}"))
    };
    assert!(
        at("id=\"nearest-deadline\"") < at("id=\"headline\""),
        "deadline above the figures"
    );
    assert!(
        page.contains("by 2026-01-05 23:59 &lt;b&gt;· 2 d left"),
        "escaped"
    );
    assert!(at("id=\"sensitivity\"") < at("id=\"obligations\""));
    assert!(
        at("id=\"obligations\"") < at("id=\"overview\""),
        "before the charts"
    );
    assert!(
        at("id=\"reading\"") < at("id=\"verify\""),
        "appendix at the end"
    );
    assert!(!page.contains("class=\"deadline overdue\""));
    let overdue = html_report(&common::sg(), &extras(true));
    assert!(overdue.contains("class=\"deadline overdue\""));
}

#[test]
fn markdown_puts_the_deadline_under_the_title_and_obligations_after_the_reasons() {
    let md = markdown_report(&common::sg(), &extras(true));
    let at = |needle: &str| {
        md.find(needle)
            .unwrap_or_else(|| panic!("missing {needle}"))
    };
    assert!(md.contains("**⚠ Nearest deadline:** notify PDPC"), "{md}");
    assert!(at("Nearest deadline") < at("## Why it is"));
    assert!(at("## Why it is") < at("## Notification obligations"));
    assert!(at("## Notification obligations") < at("## Countries"));
    assert!(md.contains("&lt;b&gt;"), "deadline text escaped");
}

#[test]
fn tenants_show_their_name_beside_their_id() {
    let mut p = common::vn();
    let t = p.tenants.as_mut().unwrap();
    t.top[0].name = "118392".into();
    t.top[0].label = Some("Chợ Mỹ Phẩm Hoa".into());
    let md = markdown_report(&p, &Extras::default());
    assert!(md.contains("118392 · Chợ Mỹ Phẩm Hoa"), "{md}");
    let page = html_report(&p, &Extras::default());
    assert!(page.contains("118392 · Chợ Mỹ Phẩm Hoa"));
    let json = leakscope_profile::render::json(&p);
    assert!(json.contains("\"label\": \"Chợ Mỹ Phẩm Hoa\""));
}
