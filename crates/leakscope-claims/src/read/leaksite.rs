//! JSON lists of leak-site posts as the public ransomware trackers publish them: an array (or an
//! object holding one under `posts`, `data`, `items` or `victims`) of objects with
//! `post_title`, `group_name`, `discovered`, `published`, `description`, `website`, `country`,
//! `activity`, `post_url`. One document per post; every field becomes a labelled line.

use super::{Document, Format, Hints, TextBuilder};
use serde_json::Value;

/// Reads a post list.
pub fn read(text: &str) -> Result<Vec<Document>, String> {
    let v: Value = serde_json::from_str(text)
        .map_err(|e| format!("not valid JSON at line {}, column {}", e.line(), e.column()))?;
    let list = match &v {
        Value::Array(a) => a,
        Value::Object(o) => ["posts", "data", "items", "victims"]
            .iter()
            .find_map(|k| o.get(*k).and_then(Value::as_array))
            .ok_or("expected an array of leak-site posts (or an object with a \"posts\" array)")?,
        _ => return Err("expected an array of leak-site posts".into()),
    };
    let mut out = Vec::new();
    for (i, post) in list.iter().enumerate() {
        let Some(o) = post.as_object() else {
            continue;
        };
        let s = |k: &str| {
            o.get(k)
                .and_then(Value::as_str)
                .unwrap_or("")
                .trim()
                .to_string()
        };
        let title = s("post_title");
        let group = s("group_name");
        if title.is_empty() && group.is_empty() {
            continue;
        }
        let mut b = TextBuilder::default();
        let mut h = Hints::default();
        if let Some(r) = b.field("Group", &group) {
            h.actor = Some((group.clone(), r));
            h.venue = Some(("leak_site".into(), Some(group.clone()), r));
            h.ransomware = Some(r);
        }
        if let Some(r) = b.field("Victim", &title) {
            h.victim = Some((title.clone(), r));
        }
        let published = s("published");
        let discovered = s("discovered");
        if let Some(r) = b.field("Published", &published) {
            h.posted = Some((published.clone(), r));
        }
        if let Some(r) = b.field("Discovered", &discovered) {
            if h.posted.is_none() {
                h.posted = Some((discovered.clone(), r));
            }
        }
        let website = s("website");
        if let Some(r) = b.field("Website", &website) {
            h.website = Some((website.clone(), r));
        }
        let country = s("country");
        if let Some(r) = b.field("Country", &country) {
            h.country = Some((country.clone(), r));
        }
        b.field("Activity", &s("activity"));
        b.body(&s("description"));
        let url = s("post_url");
        let body_start = b.body_offset();
        out.push(Document {
            text: b.text,
            format: Some(Format::LeakSite),
            item: Some(i.to_string()),
            title: (!title.is_empty()).then_some(title.clone()),
            url: (!url.is_empty()).then_some(url),
            guid: Some(format!("{group}|{title}")),
            body_start,
            hints: h,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posts_become_documents_with_hints() {
        let j = r#"[{"post_title":"foo.com.sg","group_name":"grp","discovered":"2025-09-30 11:02:17","description":"d","website":"foo.com.sg","country":"SG"},
                    {"post_title":"","group_name":""}]"#;
        let d = read(j).unwrap();
        assert_eq!(d.len(), 1);
        let (g, (s, e)) = d[0].hints.actor.clone().unwrap();
        assert_eq!(g, "grp");
        assert_eq!(&d[0].text[s..e], "grp");
        let (c, (s, e)) = d[0].hints.country.clone().unwrap();
        assert_eq!((c.as_str(), &d[0].text[s..e]), ("SG", "SG"));
    }
}
