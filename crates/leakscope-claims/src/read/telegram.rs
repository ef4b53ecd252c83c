//! Telegram Desktop exports (`result.json`): one document per message that has text. A single
//! chat export (`{"name", "messages"}`) and a full export (`{"chats": {"list": [...]}}`) are
//! both read; service messages and empty messages are skipped.

use super::{Document, Format, Hints, TextBuilder};
use serde::Deserialize;
use serde_json::Value;

/// Only the fields read: everything else (media, reactions, entities …) is skipped while
/// parsing, so memory follows the messages' text, not the export's size.
#[derive(Deserialize)]
struct Export {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    id: Option<Value>,
    #[serde(default)]
    messages: Option<Vec<Message>>,
    #[serde(default)]
    chats: Option<Chats>,
}

#[derive(Deserialize)]
struct Chats {
    #[serde(default)]
    list: Vec<Export>,
}

#[derive(Deserialize)]
struct Message {
    #[serde(default)]
    id: Option<Value>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    text: Option<Value>,
}

/// Reads an export.
pub fn read(text: &str) -> Result<Vec<Document>, String> {
    let v: Export = serde_json::from_str(text).map_err(|e| {
        format!(
            "not a readable Telegram export: JSON error at line {}, column {}",
            e.line(),
            e.column()
        )
    })?;
    let chats: Vec<Export> = match (v.messages.is_some(), v.chats) {
        (true, _) => vec![Export {
            name: v.name,
            id: v.id,
            messages: v.messages,
            chats: None,
        }],
        (false, Some(c)) => c.list,
        _ => {
            return Err("a Telegram export has a \"messages\" array (or \"chats\".\"list\")".into())
        }
    };
    let mut out = Vec::new();
    for chat in chats {
        let name = chat.name.as_deref().unwrap_or("");
        let chat_id = chat.id.as_ref().map(|c| c.to_string()).unwrap_or_default();
        for m in chat.messages.into_iter().flatten() {
            if m.kind.as_deref() != Some("message") {
                continue;
            }
            let body = message_text(m.text.as_ref().unwrap_or(&Value::Null));
            if body.trim().is_empty() {
                continue;
            }
            let id = m.id.map(|i| match i {
                Value::String(s) => s,
                other => other.to_string(),
            });
            let mut b = TextBuilder::default();
            let mut hints = Hints::default();
            if let Some(r) = b.field("Channel", name) {
                hints.venue = Some(("telegram".into(), Some(name.to_string()), r));
            }
            if let Some(date) = m.date.as_deref() {
                if let Some(r) = b.field("Date", date) {
                    hints.posted = Some((date.to_string(), r));
                }
            }
            if let Some(from) = m.from.as_deref() {
                if from != name {
                    b.field("From", from);
                }
            }
            b.body(&body);
            let title = body
                .lines()
                .find(|l| !l.trim().is_empty())
                .map(|l| l.chars().take(200).collect());
            let body_start = b.body_offset();
            out.push(Document {
                text: b.text,
                format: Some(Format::Telegram),
                item: id.clone(),
                title,
                guid: id.map(|i| format!("telegram:{chat_id}:{i}")),
                body_start,
                hints,
                ..Document::default()
            });
        }
    }
    Ok(out)
}

/// A message's `text`: a string, or an array of strings and `{type, text}` entities.
fn message_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts
            .iter()
            .map(|p| match p {
                Value::String(s) => s.clone(),
                Value::Object(o) => o
                    .get("text")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                _ => String::new(),
            })
            .collect(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_document_per_text_message() {
        let export = r#"{"name":"Leak Market","type":"public_channel","id":77,"messages":[
            {"id":1,"type":"service","date":"2025-10-01T10:00:00","action":"create_channel"},
            {"id":2,"type":"message","date":"2025-10-01T12:00:00","from":"Leak Market","text":["Selling ",{"type":"bold","text":"FooShop"}," DB"]},
            {"id":3,"type":"message","date":"2025-10-02T12:00:00","from":"Leak Market","text":""}]}"#;
        let docs = read(export).unwrap();
        assert_eq!(docs.len(), 1);
        assert!(docs[0].text.contains("Selling FooShop DB"));
        assert_eq!(docs[0].item.as_deref(), Some("2"));
        let (kind, name, (s, e)) = docs[0].hints.venue.clone().unwrap();
        assert_eq!(
            (kind.as_str(), name.as_deref()),
            ("telegram", Some("Leak Market"))
        );
        assert_eq!(&docs[0].text[s..e], "Leak Market");
    }
}
