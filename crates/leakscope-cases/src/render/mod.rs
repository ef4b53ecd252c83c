//! Renderers of an [`Advisory`](crate::advisory::Advisory): Markdown, self-contained HTML (with
//! the timeline drawn on one axis, overdue in red, usable at 390 px), JSON, and the terminal view
//! of `case show`. Text from a leak or a post (titles, merchant names, quotes) is neutralised for
//! each medium.

mod html;
mod markdown;
mod terminal;

pub use html::html;
pub use markdown::markdown;
pub use terminal::{case_list, show, timeline as terminal_timeline, TerminalOptions};

use crate::advisory::Advisory;
use crate::evidence::EvidenceRef;

/// The advisory as pretty-printed JSON (`leakscope.advisory/1`).
pub fn json(a: &Advisory) -> String {
    serde_json::to_string_pretty(a).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}

/// Replaces control and bidirectional-override characters (terminal and Markdown safety).
pub(crate) fn clean(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control() && c != '\n' || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}') {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

/// One evidence reference in words: `scan #12 /tenants/count = 250 «quote»`.
pub(crate) fn evidence_words(r: &EvidenceRef) -> String {
    let v = match &r.value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Object(_) | serde_json::Value::Array(_) => {
            let s = r.value.to_string();
            if s.chars().count() > 80 {
                format!("{}…", s.chars().take(80).collect::<String>())
            } else {
                s
            }
        }
        other => other.to_string(),
    };
    let measure = if r.measure.as_deref() == Some("length") {
        " (count)"
    } else {
        ""
    };
    let quote = r
        .quote
        .as_ref()
        .map(|q| format!(" «{}»", clean(q)))
        .unwrap_or_default();
    format!(
        "{} #{} {}{measure} = {}{quote}",
        r.kind,
        r.document,
        r.pointer,
        clean(&v)
    )
}
