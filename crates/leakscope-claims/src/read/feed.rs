//! RSS (0.9x, 1.0/RDF, 2.0), Atom and JSON Feed: one document per item, text = title, a `Date:`
//! line and the item's content (HTML content as text).

use super::{html, Document, Format, Hints, TextBuilder};
use quick_xml::events::Event;
use quick_xml::Reader;
use serde_json::Value;

/// One item's raw fields.
#[derive(Debug, Default)]
struct Item {
    title: String,
    link: String,
    body: String,
    summary: String,
    date: String,
    updated: String,
    guid: String,
}

/// Reads a feed of the given format (`Rss`, `Atom` or `JsonFeed`).
pub fn read(text: &str, format: Format) -> Result<Vec<Document>, String> {
    let items = if format == Format::JsonFeed {
        json_items(text)?
    } else {
        xml_items(text)?
    };
    Ok(items.into_iter().map(|i| to_document(i, format)).collect())
}

fn to_document(i: Item, format: Format) -> Document {
    let mut b = TextBuilder::default();
    let mut hints = Hints::default();
    b.line(&i.title);
    let date = if i.date.trim().is_empty() {
        &i.updated
    } else {
        &i.date
    };
    if let Some(r) = b.field("Date", date) {
        hints.posted = Some((date.trim().to_string(), r));
    }
    let raw = if i.body.trim().len() >= i.summary.trim().len() {
        &i.body
    } else {
        &i.summary
    };
    let body = if raw.contains('<') && raw.contains('>') {
        html::fragment_to_text(raw)
    } else {
        raw.trim().to_string()
    };
    b.body(&body);
    let guid = if i.guid.trim().is_empty() {
        i.link.trim()
    } else {
        i.guid.trim()
    };
    let body_start = b.body_offset();
    Document {
        text: b.text,
        format: Some(format),
        item: (!guid.is_empty()).then(|| guid.to_string()),
        title: (!i.title.trim().is_empty()).then(|| i.title.trim().to_string()),
        url: (!i.link.trim().is_empty()).then(|| i.link.trim().to_string()),
        guid: (!guid.is_empty()).then(|| guid.to_string()),
        body_start,
        hints,
    }
}

fn xml_items(text: &str) -> Result<Vec<Item>, String> {
    let mut reader = Reader::from_str(text);
    let mut items = Vec::new();
    let mut cur: Option<Item> = None;
    // Local names of the open elements inside the current item.
    let mut path: Vec<String> = Vec::new();
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| format!("XML error at byte {}: {e}", reader.error_position()))?;
        match ev {
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_ascii_lowercase();
                if name == "item" || name == "entry" {
                    cur = Some(Item::default());
                    path.clear();
                    continue;
                }
                if let Some(it) = cur.as_mut() {
                    if name == "link" && path.is_empty() {
                        take_atom_link(&e, it);
                    }
                    path.push(name);
                }
            }
            Event::Empty(e) => {
                let name = e.local_name().as_ref().to_ascii_lowercase();
                if let (Some(it), "link", true) = (cur.as_mut(), name.as_str(), path.is_empty()) {
                    take_atom_link(&e, it);
                }
            }
            Event::End(e) => {
                let name = e.local_name().as_ref().to_ascii_lowercase();
                if (name == "item" || name == "entry") && path.is_empty() {
                    if let Some(it) = cur.take() {
                        items.push(it);
                    }
                    continue;
                }
                path.pop();
            }
            Event::Text(t) => {
                if let Some(it) = cur.as_mut() {
                    append(it, &path, &t.html_content());
                }
            }
            Event::CData(t) => {
                if let Some(it) = cur.as_mut() {
                    append(it, &path, &t);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(it) = cur.as_mut() {
                    let s = match r.resolve_char_ref() {
                        Ok(Some(c)) => c.to_string(),
                        _ => match r.html_content().as_ref() {
                            "amp" => "&".into(),
                            "lt" => "<".into(),
                            "gt" => ">".into(),
                            "quot" => "\"".into(),
                            "apos" => "'".into(),
                            "nbsp" => " ".into(),
                            other => format!("&{other};"),
                        },
                    };
                    append(it, &path, &s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if items.is_empty() && !text.contains("<item") && !text.contains("<entry") {
        return Err("no <item> or <entry> elements: not an RSS or Atom feed".into());
    }
    Ok(items)
}

fn take_atom_link(e: &quick_xml::events::BytesStart, it: &mut Item) {
    let mut href = None;
    let mut rel = None;
    for a in e.attributes().flatten() {
        let v = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map(|v| v.into_owned())
            .unwrap_or_default();
        match a.key.local_name().as_ref() {
            "href" => href = Some(v),
            "rel" => rel = Some(v),
            _ => {}
        }
    }
    if let Some(h) = href {
        if rel.as_deref().is_none_or(|r| r == "alternate") && it.link.is_empty() {
            it.link = h;
        }
    }
}

fn append(it: &mut Item, path: &[String], s: &str) {
    let Some(field) = path.first() else {
        return;
    };
    // Only the item's own children (and Atom author/name).
    let target = match field.as_str() {
        "title" if path.len() == 1 => &mut it.title,
        "link" if path.len() == 1 => &mut it.link,
        "encoded" | "content" => &mut it.body,
        "description" | "summary" => &mut it.summary,
        "pubdate" | "published" | "date" | "issued" => &mut it.date,
        "updated" | "modified" => &mut it.updated,
        "guid" | "id" if path.len() == 1 => &mut it.guid,
        _ => return,
    };
    target.push_str(s);
}

fn json_items(text: &str) -> Result<Vec<Item>, String> {
    let v: Value = serde_json::from_str(text)
        .map_err(|e| format!("not valid JSON at line {}, column {}", e.line(), e.column()))?;
    let items = v
        .get("items")
        .and_then(Value::as_array)
        .ok_or("a JSON Feed has an \"items\" array")?;
    let s = |i: &Value, k: &str| i.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    Ok(items
        .iter()
        .map(|i| Item {
            title: s(i, "title"),
            link: s(i, "url"),
            body: {
                let t = s(i, "content_text");
                if t.is_empty() {
                    s(i, "content_html")
                } else {
                    t
                }
            },
            summary: s(i, "summary"),
            date: s(i, "date_published"),
            updated: s(i, "date_modified"),
            guid: match i.get("id") {
                Some(Value::String(x)) => x.clone(),
                Some(other) if !other.is_null() => other.to_string(),
                _ => String::new(),
            },
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_items_with_cdata_entities_and_html() {
        let rss = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Feed</title>
            <item><title>FooMart &amp; Co breach</title><link>https://n.example/1</link><guid>n-1</guid>
            <pubDate>Thu, 12 Jun 2025 08:30:00 +0800</pubDate>
            <description><![CDATA[<p>FooMart <b>confirmed</b> a breach.</p>]]></description></item>
            <item><title>Second</title><description>plain &amp; simple</description></item></channel></rss>"#;
        let docs = read(rss, Format::Rss).unwrap();
        assert_eq!(docs.len(), 2);
        assert!(docs[0]
            .text
            .starts_with("FooMart & Co breach\nDate: Thu, 12 Jun 2025"));
        assert!(docs[0].text.contains("FooMart confirmed a breach."));
        assert_eq!(docs[0].guid.as_deref(), Some("n-1"));
        assert!(docs[1].text.contains("plain & simple"));
    }

    #[test]
    fn atom_entries() {
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>F</title>
            <entry><title>T</title><id>urn:1</id><link rel="alternate" href="https://a.example/1"/>
            <published>2025-02-20T00:00:00Z</published><content type="html">&lt;p&gt;Body text&lt;/p&gt;</content></entry></feed>"#;
        let docs = read(atom, Format::Atom).unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].url.as_deref(), Some("https://a.example/1"));
        assert!(docs[0].text.contains("Body text"));
        assert!(docs[0].text.contains("Date: 2025-02-20T00:00:00Z"));
    }
}
