//! E-mail messages (`.eml`): subject, sender, date and attachment names as labelled lines, then
//! the text body (or the HTML body as text). Encoded words, quoted-printable, base64 and
//! charsets are decoded by `mail-parser`.

use super::{html, Document, Format, Hints, TextBuilder};
use mail_parser::{MessageParser, MimeHeaders};

/// Reads one message.
pub fn read(bytes: &[u8]) -> Result<Document, String> {
    let msg = MessageParser::default()
        .parse(bytes)
        .ok_or("not a parsable e-mail message (no header block)")?;
    let mut b = TextBuilder::default();
    let mut hints = Hints::default();
    let subject = msg.subject().map(str::to_string);
    if let Some(s) = &subject {
        b.field("Subject", s);
    }
    if let Some(addr) = msg.from().and_then(|f| f.first()) {
        let from = match (addr.name(), addr.address()) {
            (Some(n), Some(a)) => format!("{n} <{a}>"),
            (Some(n), None) => n.to_string(),
            (None, Some(a)) => a.to_string(),
            (None, None) => String::new(),
        };
        b.field("From", &from);
    }
    if let Some(raw) = msg.header_raw("Date") {
        let raw = raw.trim().to_string();
        if let Some(r) = b.field("Date", &raw) {
            hints.posted = Some((raw, r));
        }
    }
    let names: Vec<String> = msg
        .attachments()
        .filter_map(|a| a.attachment_name().map(str::to_string))
        .collect();
    if !names.is_empty() {
        b.field("Attachments", &names.join(", "));
    }
    let body = if msg.text_body_count() > 0 && msg.text_bodies().any(|p| !p.is_text_html()) {
        msg.body_text(0).map(|t| t.into_owned()).unwrap_or_default()
    } else if let Some(h) = msg.body_html(0) {
        html::fragment_to_text(&h)
    } else {
        String::new()
    };
    b.body(&body.replace("\r\n", "\n"));
    let url = msg.header_raw("List-Archive").map(|s| s.trim().to_string());
    let body_start = b.body_offset();
    Ok(Document {
        text: b.text,
        format: Some(Format::Eml),
        title: subject,
        url,
        guid: msg.message_id().map(str::to_string),
        body_start,
        hints,
        ..Document::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_headers_and_quoted_printable() {
        let raw = "From: \"Tin\" <a@example.vn>\r\nSubject: =?UTF-8?B?WMOhYyBuaOG6rW4=?=\r\nDate: Mon, 17 Nov 2025 07:45:00 +0700\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nC=C3=B4ng ty x=C3=A1c nh=E1=BA=ADn.\r\n";
        let d = read(raw.as_bytes()).unwrap();
        assert!(d.text.starts_with("Subject: Xác nhận\n"));
        assert!(d.text.contains("Công ty xác nhận."));
        let (s, e) = d.hints.posted.unwrap().1;
        assert_eq!(&d.text[s..e], "Mon, 17 Nov 2025 07:45:00 +0700");
    }
}
