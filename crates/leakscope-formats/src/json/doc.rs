//! Document mode: a JSON document whose records sit somewhere inside it — a top-level array,
//! `{"data": […]}`, `{"result": {"users": […]}}`, an Elasticsearch response (`hits.hits`), or a
//! dictionary of records keyed by id (`{"users": {"-Mx1": {…}, "-Mx2": {…}}}`, as Firebase
//! exports are). The walker reads the document's outer structure on the reading thread and
//! cuts every record it finds; the records are parsed on all cores ([`super::pipeline`]).
//! Memory is bounded by one record, whatever the document's size.
//!
//! Rules: an array whose first element is an object or an array is a table (at the top level
//! any array is), and so is an array of 64 or more plain values; an object whose first members are objects with mostly the same keys, or which
//! has many scalar members keyed like data (e-mails, ids), is a dictionary of records (its keys
//! become a `_key` column); any other object is descended into; other values are outside the
//! records and are counted (`json-wrapper`).

use super::cut::{Cursor, Took};
use super::pipeline::Pipeline;
use std::collections::HashSet;

/// Object members looked at to decide whether an object is a dictionary of records.
const DICT_PROBE: usize = 3;
/// A dictionary member longer than this is not a record: the object is a wrapper.
const DICT_RECORD_PEEK: usize = 1 << 20;
/// Scalar members (all keyed like data) that make an object a dictionary of values, and plain
/// values that make an array inside a document a one-column table.
const DICT_SCALARS: usize = 64;
/// Wrapper objects nested deeper than this are not walked.
const MAX_WRAPPER_DEPTH: usize = 64;
/// Longest key read at wrapper level.
const MAX_KEY: usize = 64 << 10;

/// Why the walk stopped early.
#[derive(Debug)]
pub(crate) enum Stop {
    /// The input ended inside the document.
    Truncated { line: u64, offset: u64 },
    /// Something that is not JSON, at this place.
    Syntax { line: u64, offset: u64 },
    /// The sink asked to stop.
    Stopped,
}

/// Walks documents from a cursor. `base_line`/`base_offset` locate a cursor over a piece of
/// the input (a dictionary member) within the whole.
pub(crate) struct Walker<'a, 'r> {
    pub cur: &'a mut Cursor<'r>,
    pub max_record: usize,
    pub base_line: u64,
    pub base_offset: u64,
}

/// A member held while deciding whether its object is a dictionary.
struct Probe {
    key: String,
    bytes: Vec<u8>,
    line: u64,
    offset: u64,
}

impl Walker<'_, '_> {
    fn at(&mut self) -> (u64, u64) {
        (
            self.base_line + self.cur.line() - 1,
            self.base_offset + self.cur.offset(),
        )
    }

    fn syntax(&mut self) -> Stop {
        let (line, offset) = self.at();
        Stop::Syntax { line, offset }
    }

    fn truncated(&mut self) -> Stop {
        let (line, offset) = self.at();
        Stop::Truncated { line, offset }
    }

    /// Walks one whole document (the next value of the input).
    pub fn document(&mut self, p: &mut Pipeline) -> Result<(), Stop> {
        match self.cur.peek() {
            Some(b'[') => self.array(p, "", 0, true),
            Some(_) => self.value(p, "", 0),
            None => Err(self.truncated()),
        }
    }

    fn value(&mut self, p: &mut Pipeline, path: &str, depth: usize) -> Result<(), Stop> {
        if p.stopped() {
            return Err(Stop::Stopped);
        }
        match self.cur.peek() {
            Some(b'{') if depth < MAX_WRAPPER_DEPTH => self.object(p, path, depth),
            Some(b'[') if depth < MAX_WRAPPER_DEPTH => self.array(p, path, depth, false),
            Some(c) if super::cut::value_start(c) => self.skip(p, path),
            Some(_) => Err(self.syntax()),
            None => Err(self.truncated()),
        }
    }

    /// Skips a value outside the records, counting it.
    fn skip(&mut self, p: &mut Pipeline, path: &str) -> Result<(), Stop> {
        let mut sink = Vec::new();
        match self.cur.take_value(0, &mut sink) {
            Took::Truncated => Err(self.truncated()),
            _ => {
                p.tables
                    .wrapper_value(if path.is_empty() { "(top)" } else { path });
                Ok(())
            }
        }
    }

    /// Reads an object key (at its opening quote).
    fn key(&mut self) -> Result<String, Stop> {
        if self.cur.peek() != Some(b'"') {
            return Err(self.syntax());
        }
        let mut raw = Vec::new();
        match self.cur.take_value(MAX_KEY, &mut raw) {
            Took::Value => {}
            Took::Oversize => return Ok(String::from("?")),
            Took::Truncated => return Err(self.truncated()),
        }
        let text = String::from_utf8_lossy(&raw);
        let mut out = super::flat::Out::default();
        match super::flat::flatten(&text, &mut out) {
            Ok(_) if out.fields.len() == 1 => Ok(out.str(out.fields[0].val).to_string()),
            _ => Err(self.syntax()),
        }
    }

    fn colon(&mut self) -> Result<(), Stop> {
        match self.cur.peek() {
            Some(b':') => {
                self.cur.bump();
                Ok(())
            }
            None => Err(self.truncated()),
            _ => Err(self.syntax()),
        }
    }

    /// After a member or element: true at the closing `close`, false after a comma.
    fn next_or_close(&mut self, close: u8) -> Result<bool, Stop> {
        match self.cur.peek() {
            Some(b',') => {
                self.cur.bump();
                Ok(false)
            }
            Some(c) if c == close => {
                self.cur.bump();
                Ok(true)
            }
            None => Err(self.truncated()),
            _ => Err(self.syntax()),
        }
    }

    /// An array at `path`: a table when its first element is an object or array (or at the
    /// top), else values outside the records.
    fn array(&mut self, p: &mut Pipeline, path: &str, depth: usize, top: bool) -> Result<(), Stop> {
        self.cur.bump();
        let first = self.cur.peek();
        if first == Some(b']') {
            self.cur.bump();
            if !top {
                p.tables.wrapper_value(path);
            }
            return Ok(());
        }
        let records = top || matches!(first, Some(b'{' | b'['));
        if !records {
            // Plain values: a short list (tags, ids) is outside the records; a long one (a
            // list of e-mails) is a one-column table.
            let mut held: Vec<Probe> = Vec::new();
            loop {
                match self.cur.peek() {
                    Some(c) if super::cut::value_start(c) && !matches!(c, b'{' | b'[') => {
                        let (line, offset) = self.at();
                        let mut bytes = Vec::new();
                        match self.cur.take_value(MAX_KEY, &mut bytes) {
                            Took::Value => held.push(Probe {
                                key: String::new(),
                                bytes,
                                line,
                                offset,
                            }),
                            Took::Oversize => p.tables.wrapper_value(path),
                            Took::Truncated => return Err(self.truncated()),
                        }
                    }
                    _ => self.value(p, path, depth + 1)?,
                }
                if held.len() == DICT_SCALARS {
                    break;
                }
                if self.next_or_close(b']')? {
                    for _ in held {
                        p.tables.wrapper_value(path);
                    }
                    return Ok(());
                }
            }
            let group = p.tables.group(path);
            // Records found: the document is not a record itself (`documents`).
            self.cur.forget_mark();
            for pr in held {
                let t = p.text();
                let start = t.len();
                t.extend_from_slice(&pr.bytes);
                p.push(start, pr.line, pr.offset, group, None);
            }
            loop {
                if self.next_or_close(b']')? {
                    return Ok(());
                }
                if p.stopped() {
                    return Err(Stop::Stopped);
                }
                self.record(p, group, None)?;
            }
        }
        let group = p.tables.group(path);
        // Records found: the document is not a record itself (`documents`).
        self.cur.forget_mark();
        loop {
            if p.stopped() {
                return Err(Stop::Stopped);
            }
            self.record(p, group, None)?;
            if self.next_or_close(b']')? {
                return Ok(());
            }
        }
    }

    /// Cuts one record (the next value) into the pipeline.
    fn record(&mut self, p: &mut Pipeline, group: u32, key: Option<&str>) -> Result<(), Stop> {
        match self.cur.peek() {
            Some(c) if super::cut::value_start(c) => {}
            Some(_) => return Err(self.syntax()),
            None => return Err(self.truncated()),
        }
        let (line, offset) = self.at();
        let key = key.map(|k| {
            let t = p.text();
            let a = t.len() as u32;
            t.extend_from_slice(k.as_bytes());
            (a, t.len() as u32)
        });
        let start = p.text().len();
        match self.cur.take_value(self.max_record, p.text()) {
            Took::Value => p.push(start, line, offset, group, key),
            Took::Oversize => {
                p.text().truncate(key.map_or(start, |k| k.0 as usize));
                p.push_oversize(line, offset, group);
            }
            Took::Truncated => {
                p.text().truncate(key.map_or(start, |k| k.0 as usize));
                return Err(self.truncated());
            }
        }
        Ok(())
    }

    /// An object at `path`: a dictionary of records, or a wrapper to descend into. Its first
    /// members are held while they fit the pattern of a dictionary (objects with similar
    /// keys, or scalars keyed like data); the first member that does not makes it a wrapper.
    fn object(&mut self, p: &mut Pipeline, path: &str, depth: usize) -> Result<(), Stop> {
        self.cur.bump();
        if self.cur.peek() == Some(b'}') {
            self.cur.bump();
            return Ok(());
        }
        let child = |k: &str| {
            if path.is_empty() {
                k.to_string()
            } else {
                format!("{path}.{k}")
            }
        };
        let mut objects: Vec<Probe> = Vec::new();
        let mut scalars: Vec<Probe> = Vec::new();
        let mut wrapper = false;
        loop {
            let key = self.key()?;
            self.colon()?;
            let next = self.cur.peek();
            let (line, offset) = self.at();
            let scalar_next = matches!(next, Some(b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n'));
            if !wrapper && scalars.is_empty() && next == Some(b'{') {
                match self.cur.peek_value(DICT_RECORD_PEEK) {
                    Ok(len) => {
                        let bytes = self.cur.window(len).to_vec();
                        self.cur.consume(len);
                        objects.push(Probe {
                            key,
                            bytes,
                            line,
                            offset,
                        });
                        if objects.len() == DICT_PROBE {
                            if is_dictionary(&objects) {
                                return self.dictionary(p, path, objects);
                            }
                            wrapper = true;
                            self.release(p, path, depth, &mut objects)?;
                        }
                    }
                    Err(false) => return Err(self.truncated()),
                    Err(true) => {
                        wrapper = true;
                        self.release(p, path, depth, &mut objects)?;
                        self.value(p, &child(&key), depth + 1)?;
                    }
                }
            } else if !wrapper && objects.is_empty() && scalar_next && key_is_data(&key) {
                let mut bytes = Vec::new();
                match self.cur.take_value(MAX_KEY, &mut bytes) {
                    Took::Value => scalars.push(Probe {
                        key,
                        bytes,
                        line,
                        offset,
                    }),
                    Took::Oversize => {
                        wrapper = true;
                        p.tables.wrapper_value(&child(&key));
                    }
                    Took::Truncated => return Err(self.truncated()),
                }
                if scalars.len() == DICT_SCALARS {
                    return self.dictionary(p, path, scalars);
                }
            } else {
                if !wrapper {
                    wrapper = true;
                    self.release(p, path, depth, &mut objects)?;
                    for s in scalars.drain(..) {
                        p.tables.wrapper_value(&child(&s.key));
                    }
                }
                self.value(p, &child(&key), depth + 1)?;
            }
            if self.next_or_close(b'}')? {
                break;
            }
        }
        if objects.len() >= 2 && is_dictionary(&objects) {
            let g = p.tables.group(path);
            // Records found: the document is not a record itself (`documents`).
            self.cur.forget_mark();
            for pr in objects {
                self.push_probe(p, g, pr);
            }
            return Ok(());
        }
        self.release(p, path, depth, &mut objects)?;
        for s in scalars {
            p.tables.wrapper_value(&child(&s.key));
        }
        Ok(())
    }

    /// Walks held members as wrappers (the object turned out not to be a dictionary).
    fn release(
        &mut self,
        p: &mut Pipeline,
        path: &str,
        depth: usize,
        probes: &mut Vec<Probe>,
    ) -> Result<(), Stop> {
        for pr in probes.drain(..) {
            let child = if path.is_empty() {
                pr.key.clone()
            } else {
                format!("{path}.{}", pr.key)
            };
            let mut bytes: &[u8] = &pr.bytes;
            let mut cur = Cursor::new(&mut bytes);
            let mut w = Walker {
                cur: &mut cur,
                max_record: self.max_record,
                base_line: pr.line,
                base_offset: pr.offset,
            };
            w.value(p, &child, depth + 1)?;
        }
        Ok(())
    }

    fn push_probe(&mut self, p: &mut Pipeline, group: u32, pr: Probe) {
        let t = p.text();
        let a = t.len() as u32;
        t.extend_from_slice(pr.key.as_bytes());
        let key = Some((a, t.len() as u32));
        let start = t.len();
        t.extend_from_slice(&pr.bytes);
        p.push(start, pr.line, pr.offset, group, key);
    }

    /// The rest of a dictionary object: every member is a record keyed by its name.
    fn dictionary(&mut self, p: &mut Pipeline, path: &str, held: Vec<Probe>) -> Result<(), Stop> {
        let g = p.tables.group(path);
        // Records found: the document is not a record itself (`documents`).
        self.cur.forget_mark();
        for pr in held {
            self.push_probe(p, g, pr);
        }
        loop {
            if self.next_or_close(b'}')? {
                return Ok(());
            }
            if p.stopped() {
                return Err(Stop::Stopped);
            }
            let key = self.key()?;
            self.colon()?;
            self.record(p, g, Some(&key))?;
        }
    }
}

/// A key that names data rather than a field: an e-mail, a number, an id with digits.
fn key_is_data(k: &str) -> bool {
    let n = k.chars().count();
    let digits = k.chars().filter(char::is_ascii_digit).count();
    k.contains('@')
        || (n > 0 && digits * 2 >= n)
        || k.starts_with('-')
        || (n >= 16 && digits > 0 && !k.contains(['_', ' ']))
}

/// True when the probed members look like records of one kind: objects whose top-level keys
/// mostly agree (Jaccard ≥ 0.5 between every pair).
fn is_dictionary(probes: &[Probe]) -> bool {
    let sets: Vec<Option<HashSet<String>>> = probes
        .iter()
        .map(
            |p| match serde_json::from_slice::<serde_json::Value>(&p.bytes) {
                Ok(serde_json::Value::Object(m)) if !m.is_empty() => {
                    Some(m.keys().cloned().collect())
                }
                _ => None,
            },
        )
        .collect();
    if sets.len() < 2 || sets.iter().any(Option::is_none) {
        return false;
    }
    let sets: Vec<HashSet<String>> = sets.into_iter().flatten().collect();
    for i in 0..sets.len() {
        for j in i + 1..sets.len() {
            let inter = sets[i].intersection(&sets[j]).count();
            let union = sets[i].union(&sets[j]).count();
            if inter * 2 < union {
                return false;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_keys() {
        for k in [
            "a@b.vn",
            "84912345678",
            "-MabcdEFGH12345",
            "u1000",
            "5f1b2c3d4e5f6a7b8c9d0e1f",
        ] {
            assert!(key_is_data(k), "{k}");
        }
        for k in ["name", "email", "created_at", "address_line_2", "took"] {
            assert!(!key_is_data(k), "{k}");
        }
    }
}
