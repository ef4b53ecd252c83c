//! Actors (sellers, authors, groups), the venue (forum, Telegram, marketplace, leak site) and
//! contact channels (Telegram, Jabber, Tox, Session, e-mail …, or just "PM me").

use super::{Ctx, Draft, Ev};
use crate::model::{Actor, Contact, Venue};
use crate::text::fold;
use regex::Regex;
use std::sync::OnceLock;

pub(super) fn extract(cx: &Ctx, d: &mut Draft) {
    venue(cx, d);
    contacts(cx, d);
    actors(cx, d);
}

fn venue(cx: &Ctx, d: &mut Draft) {
    // A named forum in the text or as the site name.
    if let Some(h) = cx.hits("forum").first() {
        d.venue = Some((
            Venue {
                kind: "forum".into(),
                name: Some(cx.value(h).to_string()),
            },
            vec![Ev::hit(h)],
        ));
        return;
    }
    if let Some((kind, name, r)) = &cx.doc.hints.venue {
        let (s, e) = cx.folded_range(*r);
        d.venue = Some((
            Venue {
                kind: kind.clone(),
                name: name.clone(),
            },
            vec![Ev::with(s, e, "metadata")],
        ));
        return;
    }
    if let Some(h) = cx.hits("venue").first() {
        d.venue = Some((
            Venue {
                kind: cx.value(h).to_string(),
                name: None,
            },
            vec![Ev::hit(h)],
        ));
    }
}

fn handle_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(concat!(
            r"^[\s:：\-–=>(\[]*(?:(?:is|at|on|via|me|us|id|handle|username|:)\s+)*",
            r"(?P<h>@[a-z0-9_]{3,32}|t\.me/[a-z0-9_]{3,32}|[a-z0-9._%+\-]+@[a-z0-9.\-]+\.[a-z]{2,}|[0-9a-f]{76}|05[0-9a-f]{64}|\+?[0-9][0-9 \-]{6,16}[0-9]|[a-z][a-z0-9_.\-]{2,31})"
        ))
        .expect("valid regex")
    })
}

fn contacts(cx: &Ctx, d: &mut Draft) {
    let f = &cx.t.folded;
    let venue_hits = cx.hits("venue");
    let mut out: Vec<(Contact, Vec<Ev>)> = Vec::new();
    let add =
        |out: &mut Vec<(Contact, Vec<Ev>)>, kind: &str, handle: Option<String>, ev: Vec<Ev>| {
            if let Some(existing) = out.iter_mut().find(|(c, _)| {
                c.kind == kind && (c.handle == handle || c.handle.is_none() || handle.is_none())
            }) {
                if existing.0.handle.is_none() {
                    existing.0.handle = handle;
                }
                existing.1.extend(ev);
                return;
            }
            out.push((
                Contact {
                    kind: kind.to_string(),
                    handle,
                },
                ev,
            ));
        };
    for h in cx.hits("contact") {
        if venue_hits
            .iter()
            .any(|v| h.start < v.end && h.end > v.start)
        {
            continue;
        }
        let kind = cx.value(h);
        let clause = cx.clause_of(h.start);
        let sent = cx.sent_of(h.start);
        let contact_ctx = cx
            .hits_in("ctx", sent.start, sent.end)
            .iter()
            .any(|c| cx.value(c) == "contact" && !(c.start == h.start && c.end == h.end))
            || f[sent.start..h.start].trim().is_empty();
        let rest_end = (h.end + 140).min(clause.end.max(sent.end));
        let rest = &f[h.end..floor(f, rest_end)];
        let handle = handle_re()
            .captures(rest)
            .and_then(|c| c.name("h"))
            .and_then(|m| {
                let raw = m.as_str();
                valid_handle(kind, raw).then(|| (h.end + m.start(), h.end + m.end()))
            });
        if kind == "forum_pm" {
            add(&mut out, kind, None, vec![Ev::hit(h)]);
            continue;
        }
        // "DM @x on Telegram": the handle before the channel word.
        let handle = handle.or_else(|| {
            if kind != "telegram" {
                return None;
            }
            let from = floor(f, h.start.saturating_sub(40).max(sent.start));
            let before = &f[from..h.start];
            let at = before.rfind('@')?;
            let tail = &before[at..];
            let len = 1 + tail[1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .count();
            let rest = tail[len..].trim();
            (len >= 4 && matches!(rest, "on" | "via" | "at" | "(" | "-" | "" | "on the" | "in"))
                .then(|| (from + at, from + at + len))
        });
        match handle {
            Some((s, e)) if s < h.start => {
                let orig = cx.orig(s, e).to_string();
                add(&mut out, kind, Some(orig), vec![Ev::new(s, h.end)]);
            }
            Some((s, e)) => {
                let orig = cx.orig(s, e).to_string();
                let handle = normalise_handle(kind, &orig);
                add(&mut out, kind, Some(handle), vec![Ev::new(h.start, e)]);
            }
            None if contact_ctx && !matches!(kind, "email" | "session" | "signal" | "matrix") => {
                add(&mut out, kind, None, vec![Ev::hit(h)]);
            }
            None => {}
        }
    }
    // A bare "@handle" after a contact word ("Liên hệ @x") in a post that talks Telegram.
    let telegram_doc = cx.doc.format == Some(crate::read::Format::Telegram)
        || cx.hits("contact").iter().any(|h| cx.value(h) == "telegram");
    if telegram_doc {
        for c in cx.hits("ctx").iter().filter(|h| cx.value(h) == "contact") {
            let rest = &f[c.end..floor(f, (c.end + 24).min(f.len()))];
            let trimmed = rest.trim_start_matches([' ', ':', '：', '-']);
            if let Some(tail) = trimmed.strip_prefix('@') {
                let len = tail
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .count();
                if len >= 3 {
                    let s = c.end + (rest.len() - trimmed.len());
                    let handle = cx.orig(s, s + 1 + len).to_string();
                    add(
                        &mut out,
                        "telegram",
                        Some(handle),
                        vec![Ev::new(c.start, s + 1 + len)],
                    );
                }
            }
        }
    }
    // t.me links anywhere (not the channel the export came from).
    static TME: OnceLock<Regex> = OnceLock::new();
    let tme = TME.get_or_init(|| Regex::new(r"\bt\.me/([a-z0-9_]{4,32})\b").expect("valid regex"));
    let channel = cx
        .doc
        .hints
        .venue
        .as_ref()
        .and_then(|v| v.1.as_deref())
        .map(fold);
    for m in tme.captures_iter(f) {
        let g = m.get(1).expect("group");
        if channel.as_deref() == Some(g.as_str()) {
            continue;
        }
        let handle = format!("@{}", cx.orig(g.start(), g.end()));
        let whole = m.get(0).expect("match");
        add(
            &mut out,
            "telegram",
            Some(handle),
            vec![Ev::new(whole.start(), whole.end())],
        );
    }
    d.contacts = out;
}

fn floor(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn valid_handle(kind: &str, h: &str) -> bool {
    let email = h.contains('@') && !h.starts_with('@');
    match kind {
        "telegram" => h.starts_with('@') || h.starts_with("t.me/"),
        "jabber" | "email" => email,
        "tox" => h.len() == 76 && h.chars().all(|c| c.is_ascii_hexdigit()),
        "session" => h.len() == 66 && h.starts_with("05"),
        "signal" | "whatsapp" => {
            h.starts_with('@') || h.chars().filter(|c| c.is_ascii_digit()).count() >= 8
        }
        "wechat" | "qq" | "wickr" | "threema" | "zalo" => {
            h.starts_with('@') || h.chars().any(|c| c.is_ascii_digit()) || h.contains('_')
        }
        "matrix" => h.starts_with('@'),
        _ => false,
    }
}

fn normalise_handle(kind: &str, h: &str) -> String {
    let h = h.trim();
    if kind == "telegram" {
        if let Some(x) = h.strip_prefix("t.me/").or_else(|| h.strip_prefix("T.me/")) {
            return format!("@{x}");
        }
    }
    h.to_string()
}

/// Words that are never handles.
const NOT_HANDLES: &[&str] = &[
    "a",
    "an",
    "the",
    "user",
    "users",
    "named",
    "called",
    "known",
    "as",
    "is",
    "was",
    "who",
    "has",
    "had",
    "claimed",
    "claims",
    "claiming",
    "said",
    "says",
    "group",
    "gang",
    "team",
    "hacker",
    "hackers",
    "seller",
    "actor",
    "threat",
    "forum",
    "member",
    "account",
    "this",
    "that",
    "it",
    "they",
    "them",
    "their",
    "its",
    "on",
    "in",
    "at",
    "of",
    "to",
    "and",
    "or",
    "for",
    "from",
    "with",
    "by",
    "me",
    "us",
    "you",
    "data",
    "database",
    "new",
    "name",
    "handle",
    "alias",
    "ransomware",
    "researchers",
    "unknown",
    "anonymous",
    "nhom",
    "hacker",
    "ten",
];

fn actors(cx: &Ctx, d: &mut Draft) {
    let f = &cx.t.folded;
    let mut out: Vec<(Actor, Vec<Ev>)> = Vec::new();
    let add = |out: &mut Vec<(Actor, Vec<Ev>)>, name: String, kind: Option<&str>, ev: Ev| {
        let key = fold(name.trim_start_matches('@'));
        if let Some(x) = out.iter_mut().find(|(a, _)| fold(&a.name) == key) {
            if !x.1.contains(&ev) {
                x.1.push(ev);
            }
            if x.0.kind.is_none() {
                x.0.kind = kind.map(String::from);
            }
            return;
        }
        out.push((
            Actor {
                name: name.trim_start_matches('@').to_string(),
                kind: kind.map(String::from),
            },
            vec![ev],
        ));
    };
    if let Some((name, r)) = &cx.doc.hints.actor {
        let (s, e) = cx.folded_range(*r);
        add(
            &mut out,
            name.clone(),
            Some("group"),
            Ev::with(s, e, "metadata"),
        );
    }
    for h in cx.hits("group") {
        if cx.value(h) != "strong" {
            continue;
        }
        let name = cx
            .orig(h.start, h.end)
            .trim_end_matches(" ransomware")
            .to_string();
        let name = name
            .strip_suffix(" Ransomware")
            .unwrap_or(&name)
            .to_string();
        add(&mut out, name, Some("group"), Ev::hit(h));
    }
    for h in cx.hits("actor") {
        match cx.value(h) {
            "before" => {
                let rest_end = floor(f, (h.end + 60).min(cx.sent_of(h.start).end.max(h.end)));
                if let Some((s, e)) = handle_after(cx, h.end, rest_end) {
                    let name = cx
                        .orig(s, e)
                        .trim_matches(['"', '\'', '“', '”'])
                        .to_string();
                    add(&mut out, name, None, Ev::new(h.start, e));
                }
            }
            _ => {
                // "X ransomware group", "nhóm X" / "勒索软件组织X" (the group word first).
                let cue = cx.f(h.start, h.end);
                let cue_first =
                    cue == "nhom" || cue == "bang nhom" || cue.chars().any(crate::text::is_cjk);
                if cue_first {
                    if let Some((s, e)) =
                        handle_after(cx, h.end, floor(f, (h.end + 40).min(f.len())))
                    {
                        add(
                            &mut out,
                            cx.orig(s, e).to_string(),
                            Some("group"),
                            Ev::new(h.start, e),
                        );
                    }
                    continue;
                }
                // "Ransomware group Medusa lists …": the name after the group word.
                let specific_cue =
                    cue.contains("ransomware") || cue.contains("hack") || cue.contains("extortion");
                let after_end = floor(f, (h.end + 40).min(f.len()));
                if let Some((s, e)) = handle_after(cx, h.end, after_end) {
                    let known = cx.hits("group").iter().any(|g| g.start == s);
                    let name = cx.orig(s, e).to_string();
                    if known
                        || specific_cue
                            && looks_like_handle(&name)
                            && name.chars().next().is_some_and(char::is_uppercase)
                    {
                        add(&mut out, name, Some("group"), Ev::new(h.start, e));
                        continue;
                    }
                }
                if let Some((s, e)) = name_before(cx, h.start) {
                    let weak_group = cx.hits("group").iter().any(|g| g.start == s);
                    let name = cx.orig(s, e).to_string();
                    // After a plain "group" / "team" only handle-like names (digits, inner
                    // capitals): "Sunrise Retail Group" is a company.
                    let specific = cue.contains("ransomware")
                        || cue.contains("hack")
                        || cue.contains("extortion");
                    let handle_like = name.chars().any(|c| c.is_ascii_digit() || c == '_')
                        || name.chars().skip(1).any(char::is_uppercase);
                    if weak_group
                        || (specific && looks_like_handle(&name))
                        || handle_like && looks_like_handle(&name)
                    {
                        add(&mut out, name, Some("group"), Ev::new(s, h.end));
                    }
                }
            }
        }
    }
    d.actors = out;
}

/// A handle right after a cue: optional filler words, then a quoted name or a token that looks
/// like a handle (digits, underscores, inner capitals, or quoted).
fn handle_after(cx: &Ctx, from: usize, to: usize) -> Option<(usize, usize)> {
    let (os, oe) = cx.t.orig_range(from, to);
    let seg = &cx.t.orig[os..oe];
    let mut offset = 0;
    for tok in seg.split_inclusive(|c: char| c.is_whitespace()) {
        let word = tok.trim();
        let start = os + offset + tok.find(|c: char| !c.is_whitespace()).unwrap_or(0);
        offset += tok.len();
        if word.is_empty() || matches!(word, ":" | "-" | "–" | "—") {
            continue;
        }
        let quoted = word.starts_with(['"', '\'', '“', '「']);
        let clean = word.trim_matches(|c: char| {
            !(c.is_alphanumeric() || c == '_' || c == '@' || c == '.' || c == '-')
        });
        let clean = clean.trim_end_matches(['.', '-']);
        // In Chinese text the handle is the Latin run before the next CJK character.
        let clean = clean
            .find(crate::text::is_cjk)
            .map_or(clean, |p| &clean[..p])
            .trim_end_matches(['.', '-']);
        if clean.is_empty() {
            continue;
        }
        if NOT_HANDLES.contains(&fold(clean).as_str()) && !quoted {
            continue;
        }
        if !(quoted || looks_like_handle(clean)) {
            return None;
        }
        let s = start + word.find(clean).unwrap_or(0);
        let e = s + clean.len();
        return Some((cx.t.folded_offset(s), cx.t.folded_offset(e)));
    }
    None
}

/// Handles have a digit, an underscore, an inner capital or a leading `@`; plain dictionary
/// words do not.
fn looks_like_handle(s: &str) -> bool {
    let s = s.trim_start_matches('@');
    s.len() >= 3
        && s.len() <= 32
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-'))
        && (s.chars().any(|c| c.is_ascii_digit() || c == '_')
            || s.chars().skip(1).any(char::is_uppercase)
            || s.chars().next().is_some_and(char::is_uppercase)
                && !NOT_HANDLES.contains(&fold(s).as_str()))
}

/// The word right before folded position `pos` (one token).
fn name_before(cx: &Ctx, pos: usize) -> Option<(usize, usize)> {
    let f = &cx.t.folded;
    let line_start = f[..pos].rfind('\n').map_or(0, |p| p + 1);
    let before = f[..pos].trim_end_matches(' ');
    if before.len() < line_start || before.ends_with('\n') {
        return None;
    }
    let start = before
        .rfind(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | '"' | '“' | ':' | '.'))
        .map_or(0, |p| {
            p + before[p..].chars().next().map_or(1, char::len_utf8)
        });
    let start = start.max(line_start);
    let word = &f[start..before.len()];
    (start < before.len() && word.chars().any(char::is_alphabetic)).then_some((start, before.len()))
}
