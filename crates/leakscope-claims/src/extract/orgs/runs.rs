//! Capitalised name runs in the original text, read leftwards from a legal suffix or a context
//! ("… FooMart Pte Ltd", "FreshBasket confirmed") or rightwards from a prefix ("Công ty Cổ
//! phần Ví điện tử An Phát bị phạt").

use crate::rules::NameRules;
use crate::text::fold;

/// A capitalised run ending at original byte `end` (backwards) or starting at `start`.
pub(super) struct Runs<'a> {
    pub orig: &'a str,
    pub names: &'a NameRules,
}

pub(super) fn token_ok(tok: &str) -> bool {
    // "Bangkok-based", "Singapore-based" describe a name, they are not part of it.
    if tok.to_lowercase().ends_with("-based") {
        return false;
    }
    let first = tok.chars().next();
    let letters = tok.chars().filter(|c| c.is_alphabetic()).count();
    match first {
        Some(c) if c.is_uppercase() => true,
        // "7-Eleven", "8base" — but not "1.2M" or "500k".
        Some(c) if c.is_ascii_digit() => letters >= 3,
        _ => false,
    }
}

pub(super) fn connector(tok: &str) -> bool {
    matches!(tok, "&" | "and" | "of" | "de" | "du" | "-" | "và" | "va")
}

impl<'a> Runs<'a> {
    /// Tokens (word, start, end) of a line segment.
    pub(super) fn tokens(&self, from: usize, to: usize) -> Vec<(&'a str, usize, usize)> {
        let mut out = Vec::new();
        let seg = &self.orig[from..to];
        let mut i = 0;
        for part in seg.split_inclusive(|c: char| c.is_whitespace()) {
            let word = part.trim_end();
            if !word.is_empty() {
                out.push((word, from + i, from + i + word.len()));
            }
            i += part.len();
        }
        out
    }

    /// The capitalised run that ends right before original byte `end` (on the same line).
    pub(super) fn before(&self, end: usize, max: usize) -> Option<(usize, usize)> {
        let line_start = self.orig[..end].rfind('\n').map_or(0, |p| p + 1);
        let toks = self.tokens(line_start, end);
        let mut start = None;
        let mut n = 0;
        for (w, s, _) in toks.iter().rev() {
            let clean = w.trim_matches(|c: char| {
                matches!(
                    c,
                    '"' | '\'' | '(' | ')' | '[' | ']' | '“' | '”' | '*' | '_' | '~' | '`'
                )
            });
            let abbrev = matches!(
                fold(clean).as_str(),
                "ltd."
                    | "pte."
                    | "co."
                    | "inc."
                    | "corp."
                    | "bhd."
                    | "sdn."
                    | "co.,"
                    | "jsc."
                    | "tbk."
                    | "s.a."
            );
            if clean.ends_with([',', ';', ':', '.']) && start.is_some() && !abbrev {
                break;
            }
            if token_ok(clean) && !self.names.is_stop(clean) {
                start = Some(*s);
                n += 1;
            } else if connector(clean) && start.is_some() {
                continue;
            } else {
                break;
            }
            if n >= max {
                break;
            }
            if w.starts_with(['(', '"', '“', '[']) {
                break;
            }
        }
        let s = start?;
        let s = s + self.orig[s..]
            .find(|c: char| c.is_alphanumeric())
            .unwrap_or(0);
        Some((s, trim_end_punct(self.orig, s, end)))
    }

    /// The capitalised run that starts at (or right after spaces from) original byte `start`.
    /// Lower-case words inside are kept when more capitalised words follow (Vietnamese names
    /// such as "Ví điện tử An Phát").
    pub(super) fn after(
        &self,
        start: usize,
        max: usize,
        allow_lower: bool,
    ) -> Option<(usize, usize)> {
        let line_end = self.orig[start..]
            .find('\n')
            .map_or(self.orig.len(), |p| start + p);
        let toks = self.tokens(start, line_end);
        let mut end = None;
        let mut n = 0;
        let mut pending_lower = 0;
        for (w, _, e) in toks.iter() {
            let w = w.trim_start_matches(['*', '_', '~', '`']);
            let clean = w.trim_end_matches(|c: char| {
                matches!(
                    c,
                    ',' | ';' | ':' | '.' | ')' | '"' | '”' | '!' | '?' | '*' | '_' | '~' | '`'
                )
            });
            let stop_here = clean.len() != w.len();
            if clean.starts_with(['(', '"', '“']) {
                break;
            }
            if token_ok(clean) && !(n == 0 && self.names.is_stop(clean)) {
                end = Some(e - (w.len() - clean.len()));
                n += 1;
                pending_lower = 0;
            } else if (connector(clean)
                || allow_lower && is_plain_lower(clean) && !self.names.ends_name(clean))
                && end.is_some()
                && pending_lower < 3
            {
                pending_lower += 1;
            } else if allow_lower
                && is_plain_lower(clean)
                && end.is_none()
                && pending_lower < 3
                && n == 0
            {
                // "Ví điện tử": first word capitalised is required; lower before it stops.
                break;
            } else {
                break;
            }
            if stop_here || n >= max {
                break;
            }
        }
        let e = end?;
        let s = start
            + self.orig[start..]
                .find(|c: char| c.is_alphanumeric())
                .unwrap_or(0);
        (e > s).then_some((s, e))
    }
}

pub(super) fn is_plain_lower(w: &str) -> bool {
    w.chars().all(|c| c.is_lowercase())
}

pub(super) fn trim_end_punct(orig: &str, s: usize, mut e: usize) -> usize {
    while e > s {
        let c = orig[..e].chars().last().unwrap_or(' ');
        if c.is_alphanumeric()
            || c == '.' && orig[s..e].to_ascii_lowercase().ends_with("ltd.")
            || c == ')' && orig[s..e].contains('(')
        {
            break;
        }
        e -= c.len_utf8();
    }
    e
}
