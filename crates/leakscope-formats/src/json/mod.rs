//! JSON in every shape leaks come in, streamed with memory bounded by one record:
//!
//! * a document whose records sit in an array anywhere inside it (`[…]`, `{"data": […]}`,
//!   `{"result": {"users": […]}}`, Elasticsearch `_search`/scroll responses) or in a
//!   dictionary keyed by id (Firebase) — [`doc`];
//! * NDJSON / JSON Lines (`mongoexport`, `elasticdump`, Elasticsearch `_bulk` bodies) and
//!   streams of concatenated (pretty-printed) values.
//!
//! The reading thread cuts records ([`cut`]); parser threads flatten them ([`flat`]: nested
//! objects → dotted columns, MongoDB extended JSON → plain values, Elasticsearch hits → their
//! `_source`) and the reading thread builds the tables in input order ([`tables`]).
//!
//! Which of these a file is, is decided from its first value: a file that is one value (or whose
//! first value is larger than a record may be) is a document; several values are records, one
//! per line when they sit on lines of their own.

mod blocks;
mod builder;
mod cut;
mod doc;
pub(crate) mod es;
pub(crate) mod ext;
pub(crate) mod flat;
pub(crate) mod pipeline;
mod tables;

pub(crate) use tables::Tables;

use crate::ctx::Ctx;
use crate::model::{Diagnostic, Severity};
use cut::{Cursor, Took};
use pipeline::{Encoding, Mode, Pipeline};
use std::io::Read;

/// Looked at to recognise a `_bulk` action line or a mongodump metadata file.
const SMALL_PEEK: usize = 4 << 20;

/// The format id to report for JSON text, from its first bytes.
pub(crate) fn format_of(preview: &str) -> &'static str {
    let t = preview.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let first_line = t.lines().next().unwrap_or("");
    if es::is_action(first_line.trim().as_bytes()) {
        return "elasticsearch-bulk";
    }
    if t.contains("\"_source\"") && t.contains("\"_index\"") {
        return "elasticsearch";
    }
    if t.contains("{\"$oid\"") || t.contains("{ \"$oid\"") || t.contains("\"$date\"") {
        return "mongoexport";
    }
    if t.starts_with('[') {
        return "json";
    }
    let lines = t.lines().filter(|l| !l.trim().is_empty()).take(2).count();
    let first_whole = cut::value_end(first_line.as_bytes(), 0) == Some(first_line.trim_end().len());
    if lines >= 2 && first_whole {
        "ndjson"
    } else {
        "json"
    }
}

/// Reads JSON text (UTF-8) from `input` as the tables of source `source`; tables are named
/// after `name` (the file stem) unless the data names them.
pub(crate) fn read_json(ctx: &mut Ctx, source: &str, name: &str, input: &mut dyn Read) {
    let mut cur = Cursor::new(input);
    let threads = ctx.opts.parse_threads();
    let max = ctx.opts.max_record_bytes;
    if name.ends_with(".metadata") && mongodump_metadata(ctx, source, name, &mut cur) {
        return;
    }
    let mut tables = Tables::new(ctx, source, name);
    let how = decide(&mut cur, max);
    let mode = Mode {
        encoding: Encoding::Json,
        bulk: how == How::Lines && first_is_action(&mut cur, max),
    };
    let stop = pipeline::run(&mut tables, threads, mode, |p| match how {
        How::Empty => None,
        How::Document { big } => documents(p, &mut cur, max, big),
        How::Lines => {
            lines(p, &mut cur, max);
            None
        }
        How::Stream => stream(p, &mut cur, max),
    });
    if let Some(stop) = stop {
        report_stop(&mut tables, stop);
    }
    if let Some(e) = cur.failed.take() {
        let (source, name) = (tables.source.clone(), tables.stem().to_string());
        crate::source::io_failure(tables.ctx, &source, Some(&name), &e, None, None);
    }
    tables.finish();
}

/// How a JSON text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum How {
    Empty,
    /// Documents; `big` when the first is known to be larger than a record may be.
    Document {
        big: bool,
    },
    Lines,
    Stream,
}

/// Decides from the first value (looked at, not consumed): a value that is the whole input,
/// or is larger than a record may be, or is cut short, is a document; several values are
/// records — one per line (NDJSON) when the first sits on a line of its own.
fn decide(cur: &mut Cursor, max: usize) -> How {
    match cur.peek() {
        None => return How::Empty,
        Some(b'[') => return How::Document { big: true },
        Some(_) => {}
    }
    // A first value longer than a few MiB that spans lines is no line of NDJSON: it is
    // walked as a document (whether it is short enough to be a record itself is found out
    // while walking it, see `documents`), without reading up to `max` bytes ahead first.
    let small = SMALL_PEEK.min(max);
    if small < max && cur.peek_value(small) == Err(true) && cur.window(small).contains(&b'\n') {
        return How::Document { big: false };
    }
    match cur.peek_value(max) {
        Err(too_long) => How::Document { big: too_long },
        Ok(len) => {
            let one_line = !cur.window(len).contains(&b'\n');
            match after_value(cur, len) {
                None => How::Document { big: false },
                Some(newline) if one_line && newline => How::Lines,
                Some(_) => How::Stream,
            }
        }
    }
}

/// What follows the first value (of `len` bytes): `None` at the end of input, else whether a
/// line end came before the next value.
fn after_value(cur: &mut Cursor, len: usize) -> Option<bool> {
    cur.peek_after(len)
}

fn first_is_action(cur: &mut Cursor, max: usize) -> bool {
    match cur.peek_value(SMALL_PEEK.min(max)) {
        Ok(len) => es::is_action(cur.window(len)),
        Err(_) => false,
    }
}

/// Document mode: every value of the input is walked as a document; one that holds no
/// records (and is no larger than a record) is a record itself.
fn documents(p: &mut Pipeline, cur: &mut Cursor, max: usize, big: bool) -> Option<doc::Stop> {
    // Whether the first document is too large to be a record is known already.
    let mut known_big = big;
    loop {
        // A document that holds no records and is no longer than a record may be is a record:
        // its bytes are kept while it is walked, unless it runs longer or records turn up.
        let may_be_record = !known_big && cur.peek() != Some(b'[');
        known_big = false;
        if may_be_record {
            cur.set_mark(max);
        }
        let before = p.tables.groups();
        let wrapper = (p.tables.wrapper_values, p.tables.wrapper_paths.len());
        let line = cur.line();
        let offset = cur.offset();
        let mut w = doc::Walker {
            cur,
            max_record: max,
            base_line: 1,
            base_offset: 0,
        };
        if let Err(stop) = w.document(p) {
            return Some(stop);
        }
        if let Some(bytes) = cur.take_mark() {
            if p.tables.groups() == before {
                p.tables.wrapper_values = wrapper.0;
                p.tables.wrapper_paths.truncate(wrapper.1);
                let g = p.tables.group("");
                let t = p.text();
                let start = t.len();
                t.extend_from_slice(bytes);
                p.push(start, line, offset, g, None);
            }
        }
        if cur.peek() == Some(b',') {
            cur.bump();
        }
        match cur.peek() {
            None => return None,
            Some(c) if cut::value_start(c) => {}
            Some(_) => {
                let (line, offset) = (cur.line(), cur.offset());
                return Some(doc::Stop::Syntax { line, offset });
            }
        }
        if p.stopped() {
            return None;
        }
    }
}

/// NDJSON: one record per line; a bad line is skipped and reading goes on.
fn lines(p: &mut Pipeline, cur: &mut Cursor, max: usize) {
    let g = p.tables.group("");
    loop {
        if p.stopped() {
            return;
        }
        let no = cur.line();
        let offset = cur.offset();
        let start = p.text().len();
        match cur.take_line(max, p.text()) {
            None => return,
            Some(false) => p.push_oversize(no, offset, g),
            Some(true) => {
                let t = p.text();
                if t[start..].iter().all(u8::is_ascii_whitespace) {
                    t.truncate(start);
                } else {
                    p.push(start, no, offset, g, None);
                }
            }
        }
    }
}

/// A stream of concatenated values (commas between them tolerated): each is a record.
fn stream(p: &mut Pipeline, cur: &mut Cursor, max: usize) -> Option<doc::Stop> {
    let g = p.tables.group("");
    loop {
        if p.stopped() {
            return None;
        }
        let c = cur.peek()?;
        let (line, offset) = (cur.line(), cur.offset());
        if c == b',' {
            cur.bump();
            continue;
        }
        if !cut::value_start(c) {
            return Some(doc::Stop::Syntax { line, offset });
        }
        let start = p.text().len();
        match cur.take_value(max, p.text()) {
            Took::Value => p.push(start, line, offset, g, None),
            Took::Oversize => p.push_oversize(line, offset, g),
            Took::Truncated => {
                p.text().truncate(start);
                return Some(doc::Stop::Truncated { line, offset });
            }
        }
    }
}

fn report_stop(tables: &mut Tables, stop: doc::Stop) {
    match stop {
        doc::Stop::Stopped => {}
        doc::Stop::Truncated { line, offset } => tables.problem(
            "json-truncated",
            format!("the JSON ends early (truncated file) in the value starting at line {line}; everything before was read"),
            line,
            offset,
        ),
        doc::Stop::Syntax { line, offset } => tables.problem(
            "json-syntax",
            format!("invalid JSON at line {line}; reading stopped there, everything before was read"),
            line,
            offset,
        ),
    }
}

/// A `mongodump` `<collection>.metadata.json`: reported (collection, indexed keys), no table.
/// False when the file is not one (it is then read as any JSON).
fn mongodump_metadata(ctx: &mut Ctx, source: &str, name: &str, cur: &mut Cursor) -> bool {
    let Ok(len) = cur.peek_value(SMALL_PEEK) else {
        return false;
    };
    let Ok(serde_json::Value::Object(m)) = serde_json::from_slice(cur.window(len)) else {
        return false;
    };
    let Some(serde_json::Value::Array(indexes)) = m.get("indexes") else {
        return false;
    };
    if !m.contains_key("options") && !m.contains_key("uuid") {
        return false;
    }
    let collection = m
        .get("collectionName")
        .and_then(|v| v.as_str())
        .unwrap_or(name.trim_end_matches(".metadata"));
    let mut keys: Vec<String> = Vec::new();
    for ix in indexes {
        if let Some(serde_json::Value::Object(k)) = ix.get("key") {
            let unique = ix.get("unique").and_then(|u| u.as_bool()) == Some(true);
            let names: Vec<&str> = k.keys().map(String::as_str).collect();
            keys.push(format!(
                "{}{}",
                names.join("+"),
                if unique { " (unique)" } else { "" }
            ));
        }
    }
    let d = Diagnostic::new(
        Severity::Info,
        "mongodb-metadata",
        source,
        format!(
            "mongodump metadata of collection `{collection}`: {} indexes ({}); the documents are in `{collection}.bson`",
            keys.len(),
            keys.join(", ")
        ),
    );
    ctx.diag(d);
    true
}
