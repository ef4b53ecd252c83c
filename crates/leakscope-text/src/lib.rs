//! Text for display, shared by every leakscope printer (terminal, Markdown, HTML, JSON, logs).
//!
//! Names that reach output — file and archive-member names, table names, column headers, JSON
//! keys, tenant names — come from stolen data. Two things can go wrong with them, and each has
//! one function here:
//!
//! - a name may carry terminal escapes or bidirectional overrides (a zip member called
//!   `\x1b[2J…` clears the analyst's screen): [`clean`] neutralises them;
//! - a name may itself be an identifier (`{"an@x.vn": {…}}` makes the e-mail a column header):
//!   [`mask_identifiers`] masks e-mail local parts and long digit runs in it.
//!
//! [`display_name`] does both, for anything printed from a leak; [`display_message`] does the
//! same for leakscope's own messages that quote such names (counts and locations kept). The rest are number and width
//! helpers ([`thousands`], [`bytes`], [`parse_size`], [`width`], [`truncate`], [`pad_left`],
//! [`pad_right`]) so that every printer formats them the same way.

#![warn(missing_docs)]

mod json_writer;
mod mask;
mod numbers;
mod table;
mod width;

pub use json_writer::JsonSafeWriter;
pub use mask::{mask_identifiers, mask_in_message};
pub use numbers::{bytes, parse_size, thousands};
pub use table::{wrap, Col, TextTable};
pub use width::{pad_left, pad_right, truncate, width};

/// True for characters that could move the cursor, recolour a terminal or reorder text
/// (C0/C1 controls, bidirectional overrides and isolates, zero-width characters used for
/// spoofing).
fn is_hostile(ch: char) -> bool {
    ch.is_control()
        || matches!(ch, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Replaces control and bidi characters with `�` so that a hostile name cannot inject terminal
/// escapes or reorder a line. Tabs and newlines become a space.
pub fn clean(s: &str) -> String {
    s.chars()
        .map(|ch| match ch {
            '\t' | '\n' | '\r' => ' ',
            c if is_hostile(c) => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// JSON text made safe to print on a terminal without changing what it says: characters that
/// JSON may carry raw but a terminal would act on (DEL, C1 controls, bidi overrides, zero-width
/// characters) become `\uXXXX` escapes. Such characters only occur inside JSON strings, so
/// the document decodes to exactly the same value.
pub fn json_safe(json: String) -> String {
    if !json.chars().any(is_hostile) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for ch in json.chars() {
        if is_hostile(ch) && !matches!(ch, '\n' | '\r' | '\t') {
            out.push_str(&format!("\\u{:04x}", ch as u32));
        } else {
            out.push(ch);
        }
    }
    out
}

/// A message written by leakscope that may quote names from a leak (diagnostics, errors), as
/// it may be printed: identifiers masked ([`mask_in_message`]), then [`clean`]ed.
pub fn display_message(s: &str) -> String {
    clean(&mask_in_message(s))
}

/// A name from a leak as it may be printed: identifiers in it masked ([`mask_identifiers`]),
/// then neutralised for a terminal ([`clean`]).
pub fn display_name(s: &str) -> String {
    clean(&mask_identifiers(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_neutralises_escapes_and_bidi() {
        let hostile = "name\x1b[31m\u{202E}gnp.exe\ttab\x1b[2J\x1b[H";
        let c = clean(hostile);
        assert!(!c.contains('\x1b'));
        assert!(!c.contains('\u{202E}'));
        assert!(c.contains("tab"));
        assert!(!c.contains('\t'));
        assert_eq!(clean("Số điện thoại 手机"), "Số điện thoại 手机");
    }

    #[test]
    fn json_safe_escapes_without_changing_the_value() {
        let v = serde_json::json!({"name": "\u{202E}gnp.exe\u{9b}31m\u{7f}", "ok": "Số 手机"});
        let raw = serde_json::to_string_pretty(&v).unwrap();
        let safe = json_safe(raw);
        assert!(!safe.contains('\u{202E}') && !safe.contains('\u{9b}') && !safe.contains('\u{7f}'));
        assert!(safe.contains("\\u202e"), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn display_name_masks_and_cleans() {
        let d = display_name("an.nguyen@x.vn\x1b[2J.name");
        assert!(!d.contains("an.nguyen"), "{d}");
        assert!(!d.contains('\x1b'), "{d}");
        assert!(d.contains("@x.vn"), "{d}");
    }
}
