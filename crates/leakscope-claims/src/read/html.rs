//! HTML pages (saved news articles, forum threads): the main content as text, with navigation,
//! headers/footers, sidebars, scripts, forms, comment sections, forum signatures and replies
//! removed. The title and the publication date become labelled lines at the top.

use super::{Document, Format, TextBuilder};
use scraper::node::Node;
use scraper::{ElementRef, Html, Selector};

/// Elements never read.
const SKIP_TAGS: [&str; 16] = [
    "script", "style", "noscript", "template", "svg", "nav", "form", "button", "iframe", "select",
    "option", "head", "canvas", "object", "embed", "dialog",
];
/// Elements skipped when outside the main content.
const CHROME_TAGS: [&str; 3] = ["header", "footer", "aside"];
/// Class / id words that mark boilerplate.
const BOILERPLATE: [&str; 28] = [
    "nav",
    "navbar",
    "menu",
    "breadcrumb",
    "breadcrumbs",
    "footer",
    "sidebar",
    "comment",
    "comments",
    "related",
    "share",
    "sharing",
    "social",
    "advert",
    "ads",
    "ad-slot",
    "cookie",
    "newsletter",
    "subscribe",
    "signature",
    "widget",
    "popup",
    "promo",
    "recommended",
    "trending",
    "reply",
    "replies",
    "masthead",
];
/// Block elements: a line break before and after.
const BLOCK_TAGS: [&str; 30] = [
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "blockquote",
    "pre",
    "dd",
    "dt",
    "dl",
    "br",
    "hr",
    "header",
    "footer",
    "figure",
    "figcaption",
    "address",
    "td",
    "th",
];

/// Reads an HTML page.
pub fn read(html: &str) -> Document {
    let doc = Html::parse_document(html);
    let title = meta(&doc, &["og:title", "twitter:title"])
        .or_else(|| first_text(&doc, "title"))
        .or_else(|| first_text(&doc, "h1"));
    let published = meta(
        &doc,
        &[
            "article:published_time",
            "og:published_time",
            "datepublished",
            "pubdate",
            "publishdate",
            "date",
            "dc.date",
            "dc.date.issued",
            "sailthru.date",
        ],
    )
    .or_else(|| attr_of(&doc, "time[datetime]", "datetime"));
    let site = meta(&doc, &["og:site_name", "application-name"]);
    let url = meta(&doc, &["og:url"]).or_else(|| attr_of(&doc, "link[rel=canonical]", "href"));

    let main = main_content(&doc);
    let mut body = String::new();
    match main {
        Some(el) => render(el, &mut body, true),
        None => render(doc.root_element(), &mut body, false),
    }
    let body = tidy(&body);

    let mut b = TextBuilder::default();
    let mut hints = super::Hints::default();
    if let Some(s) = &site {
        if let Some(r) = b.field("Site", s) {
            hints.site = Some((s.clone(), r));
        }
    }
    let title_in_body = title
        .as_deref()
        .is_some_and(|t| body.lines().take(3).any(|l| l.trim() == t.trim()));
    if let (Some(t), false) = (&title, title_in_body) {
        b.line(t);
    }
    if let Some(p) = &published {
        if let Some(r) = b.field("Published", p) {
            hints.posted = Some((p.clone(), r));
        }
    }
    b.body(&body);
    let body_start = b.body_offset();
    Document {
        text: b.text,
        format: Some(Format::Html),
        title,
        url,
        body_start,
        hints,
        ..Document::default()
    }
}

/// Converts an HTML fragment (feed item description, e-mail body) to text.
pub fn fragment_to_text(html: &str) -> String {
    let frag = Html::parse_fragment(html);
    let mut out = String::new();
    render(frag.root_element(), &mut out, false);
    tidy(&out)
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap_or_else(|_| Selector::parse("html").expect("valid selector"))
}

fn meta(doc: &Html, names: &[&str]) -> Option<String> {
    let s = sel("meta");
    for el in doc.select(&s) {
        let key = el
            .attr("property")
            .or_else(|| el.attr("name"))
            .or_else(|| el.attr("itemprop"))
            .unwrap_or("")
            .to_ascii_lowercase();
        if names.contains(&key.as_str()) {
            if let Some(c) = el.attr("content").map(str::trim).filter(|c| !c.is_empty()) {
                return Some(c.to_string());
            }
        }
    }
    None
}

fn first_text(doc: &Html, tag: &str) -> Option<String> {
    let s = sel(tag);
    doc.select(&s)
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .find(|t| !t.is_empty())
}

fn attr_of(doc: &Html, selector: &str, attr: &str) -> Option<String> {
    let s = sel(selector);
    doc.select(&s).find_map(|e| {
        e.attr(attr)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(String::from)
    })
}

fn is_boilerplate(el: &ElementRef) -> bool {
    let v = el.value();
    let words = v
        .attr("class")
        .unwrap_or("")
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .chain(v.id().unwrap_or("").split(['-', '_']))
        .map(|w| w.to_ascii_lowercase())
        .collect::<Vec<_>>();
    let role = v.attr("role").unwrap_or("");
    matches!(
        role,
        "navigation" | "banner" | "contentinfo" | "complementary"
    ) || words.iter().any(|w| BOILERPLATE.contains(&w.as_str()))
}

/// The main content: the first forum post when the page repeats post containers, else the
/// single `<article>` / `<main>` / `[itemprop=articleBody]`, else none (whole body).
fn main_content(doc: &Html) -> Option<ElementRef<'_>> {
    for s in [
        "article .message-body, .message .message-content, .post .post_body, .postbody, .post-content, .message-body",
        "[itemprop=articleBody]",
    ] {
        let s = sel(s);
        if let Some(first) = doc.select(&s).next() {
            return Some(first);
        }
    }
    for tag in ["article", "main", "[role=main]"] {
        let s = sel(tag);
        let found: Vec<_> = doc.select(&s).collect();
        if let Some(best) = found
            .into_iter()
            .max_by_key(|e| e.text().map(str::len).sum::<usize>())
        {
            return Some(best);
        }
    }
    None
}

fn render(el: ElementRef, out: &mut String, inside_main: bool) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => {
                out.push_str(t);
            }
            Node::Element(e) => {
                let name = e.name();
                if SKIP_TAGS.contains(&name) {
                    continue;
                }
                let Some(child_el) = ElementRef::wrap(child) else {
                    continue;
                };
                if is_boilerplate(&child_el) {
                    continue;
                }
                if !inside_main && CHROME_TAGS.contains(&name) {
                    continue;
                }
                let block = BLOCK_TAGS.contains(&name);
                if block {
                    out.push('\n');
                }
                if name == "img" {
                    if let Some(alt) = e.attr("alt").filter(|a| !a.trim().is_empty()) {
                        out.push_str(alt);
                    }
                }
                if matches!(name, "td" | "th") {
                    out.push(' ');
                }
                render(child_el, out, inside_main);
                if block {
                    out.push('\n');
                }
            }
            _ => {} // comments, doctype, processing instructions
        }
    }
}

/// Collapses spaces within lines and runs of blank lines.
fn tidy(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut blank = 0;
    for line in s.lines() {
        let l = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if l.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(&l);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_chrome_comments_and_scripts() {
        let page = r#"<html><head><title>T</title><meta property="article:published_time" content="2025-06-12T08:30:00+08:00">
            <script>var x = "selling";</script></head><body>
            <nav>Home | Login</nav><div class="breadcrumb">Home &gt; News</div>
            <article><h1>Big news</h1><p>The company confirmed a breach.</p><!-- hidden note -->
            <div class="share-buttons">Share</div></article>
            <section id="comments"><p>5 million people!</p></section>
            <footer>Copyright</footer></body></html>"#;
        let d = read(page);
        assert!(d.text.contains("Published: 2025-06-12T08:30:00+08:00"));
        assert!(d.text.contains("The company confirmed a breach."));
        for gone in [
            "Home | Login",
            "Home > News",
            "5 million",
            "Copyright",
            "selling",
            "hidden",
            "Share",
        ] {
            assert!(
                !d.text.contains(gone),
                "{gone:?} should be stripped: {}",
                d.text
            );
        }
        let (s, e) = d.hints.posted.as_ref().unwrap().1;
        assert_eq!(&d.text[s..e], "2025-06-12T08:30:00+08:00");
    }

    #[test]
    fn forum_thread_keeps_first_post_only() {
        let page = r#"<html><body><div class="message"><div class="message-content">Selling FooShop DB 1M users</div></div>
            <div class="message"><div class="message-content">reply: scam, 9 million fake</div></div></body></html>"#;
        let d = read(page);
        assert!(d.text.contains("Selling FooShop DB"));
        assert!(!d.text.contains("9 million"));
    }
}
