//! JSON arrays of objects (streamed element by element, never loaded whole) and NDJSON / JSON
//! Lines. Nested objects are flattened to dotted column names; arrays are kept as compact JSON.

mod lines;

use crate::ctx::{Ctx, Table};
use crate::model::{Diagnostic, Severity};
use serde::de::{SeqAccess, Visitor};
use serde_json::Value;
use std::collections::HashMap;
use std::io::{BufReader, Read};

/// Objects buffered to learn the column set before the table begins.
const HEADER_SAMPLE: usize = 1000;

/// Builds one table from a stream of JSON values.
struct JsonTable<'c, 'o> {
    ctx: &'c mut Ctx<'o>,
    source: String,
    name: String,
    pending: Vec<Vec<(String, String)>>,
    table: Option<Table>,
    index: HashMap<String, usize>,
    row: Vec<Option<String>>,
    items: u64,
    non_objects: u64,
    first_non_object: u64,
    extra_rows: u64,
    extra_keys: Vec<String>,
    skipped_before: u64,
}

/// Reads JSON from `input` (UTF-8): an array when `!ndjson`, else one value per line (or a
/// stream of concatenated values).
pub(crate) fn read_json(
    ctx: &mut Ctx,
    source: &str,
    name: &str,
    input: &mut dyn Read,
    ndjson: bool,
) {
    let mut st = JsonTable {
        ctx,
        source: source.into(),
        name: name.into(),
        pending: Vec::new(),
        table: None,
        index: HashMap::new(),
        row: Vec::new(),
        items: 0,
        non_objects: 0,
        first_non_object: 0,
        extra_rows: 0,
        extra_keys: Vec::new(),
        skipped_before: 0,
    };
    let mut reader = BufReader::with_capacity(256 << 10, input);
    if ndjson {
        st.lines(&mut reader);
    } else {
        let mut de = serde_json::Deserializer::from_reader(reader);
        let res = serde::Deserializer::deserialize_seq(&mut de, Items { st: &mut st })
            .and_then(|_| de.end());
        if let Err(e) = res {
            st.json_error(e, None);
        }
    }
    st.finish();
}

/// Streams the elements of the top-level array.
struct Items<'s, 'c, 'o> {
    st: &'s mut JsonTable<'c, 'o>,
}

impl<'de> Visitor<'de> for Items<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON array")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(v) = seq.next_element::<Value>()? {
            self.st.item(v);
            if self.st.ctx.stopped {
                break;
            }
        }
        Ok(())
    }
}

impl JsonTable<'_, '_> {
    fn skip(&mut self, line: u64, code: &str, msg: String) {
        let d = Diagnostic::new(Severity::Warning, code, &self.source, msg)
            .table(&self.name)
            .line(line)
            .skipped(1);
        self.ctx.diag(d);
        match self.table.as_mut() {
            Some(t) => t.stats.rows_skipped += 1,
            None => self.skipped_before += 1,
        }
    }

    /// A parse error that stops the stream (`base_line` is added for streams that began mid-file).
    fn json_error(&mut self, e: serde_json::Error, base_line: Option<u64>) {
        let line = e.line() as u64 + base_line.unwrap_or(0);
        if e.is_io() {
            let io = std::io::Error::from(e);
            crate::source::io_failure(
                self.ctx,
                &self.source,
                Some(&self.name),
                &io,
                Some(line),
                None,
            );
            return;
        }
        let (code, sev, what) = if e.is_eof() {
            (
                "json-truncated",
                Severity::Warning,
                "the JSON ends early (truncated file); everything before was read",
            )
        } else {
            (
                "json-syntax",
                Severity::Warning,
                "invalid JSON; reading stopped there, everything before was read",
            )
        };
        // serde_json messages can quote input; only the category and position are reported.
        let msg = format!("{what} (line {line}, column {})", e.column());
        self.ctx.diag(
            Diagnostic::new(sev, code, &self.source, msg)
                .table(&self.name)
                .line(line),
        );
    }
}

impl JsonTable<'_, '_> {
    /// One array element or NDJSON value.
    fn item(&mut self, v: Value) {
        self.flat_item(flat_object(v));
    }

    /// One item, already flattened (`None` when it was not an object).
    fn flat_item(&mut self, flat: Option<Vec<(String, String)>>) {
        self.items += 1;
        let Some(flat) = flat else {
            self.non_objects += 1;
            if self.first_non_object == 0 {
                self.first_non_object = self.items;
            }
            match self.table.as_mut() {
                Some(t) => t.stats.rows_skipped += 1,
                None => self.skipped_before += 1,
            }
            return;
        };
        if self.table.is_none() {
            self.pending.push(flat);
            if self.pending.len() >= HEADER_SAMPLE {
                self.begin();
            }
            return;
        }
        self.push(flat);
    }

    /// Starts the table with the union of keys seen in the sample, in first-seen order.
    fn begin(&mut self) {
        let mut headers = Vec::new();
        for row in &self.pending {
            for (k, _) in row {
                if !self.index.contains_key(k) {
                    self.index.insert(k.clone(), headers.len());
                    headers.push(k.clone());
                }
            }
        }
        let mut t = self
            .ctx
            .begin_table(&self.source, &self.name, headers, true);
        t.stats.rows_skipped += self.skipped_before;
        self.table = Some(t);
        for row in std::mem::take(&mut self.pending) {
            self.push(row);
        }
    }

    fn push(&mut self, flat: Vec<(String, String)>) {
        let Some(t) = self.table.as_mut() else { return };
        let width = t.info.headers.len();
        self.row.clear();
        self.row.resize(width, None);
        let mut extra = false;
        for (k, v) in flat {
            match self.index.get(&k) {
                Some(&i) => self.row[i] = Some(v),
                None => {
                    extra = true;
                    if self.extra_keys.len() < 10 && !self.extra_keys.contains(&k) {
                        self.extra_keys.push(k);
                    }
                }
            }
        }
        self.extra_rows += extra as u64;
        for cell in &self.row {
            t.batch.push_field(cell.as_deref().unwrap_or(""));
        }
        self.ctx.end_row(t);
    }

    fn finish(mut self) {
        if self.table.is_none() && !self.pending.is_empty() {
            self.begin();
        }
        if self.non_objects > 0 {
            let d = Diagnostic::new(
                Severity::Warning,
                "json-non-object",
                &self.source,
                format!(
                    "{} items are not JSON objects and were skipped (first is item {})",
                    self.non_objects, self.first_non_object
                ),
            )
            .table(&self.name)
            .skipped(self.non_objects);
            self.ctx.diag(d);
        }
        if self.extra_rows > 0 {
            let d = Diagnostic::new(Severity::Warning, "json-extra-keys", &self.source, format!("{} objects have keys not seen in the first {HEADER_SAMPLE} (e.g. {}); those values were not read", self.extra_rows, self.extra_keys.join(", "))).table(&self.name);
            self.ctx.diag(d);
        }
        match self.table.take() {
            Some(t) => self.ctx.finish_table(t),
            None if self.ctx.source_errors == 0 && self.non_objects == 0 => {
                let d = Diagnostic::new(
                    Severity::Warning,
                    "no-rows",
                    &self.source,
                    "no JSON objects found",
                )
                .table(&self.name);
                self.ctx.diag(d);
            }
            None => {}
        }
    }
}

/// An object's flattened `(key, value)` pairs; `None` for any other value.
fn flat_object(v: Value) -> Option<Vec<(String, String)>> {
    let Value::Object(map) = v else {
        return None;
    };
    let mut flat = Vec::with_capacity(map.len());
    for (k, v) in map {
        flatten(k, v, &mut flat);
    }
    Some(flat)
}

/// Flattens nested objects to `a.b.c` keys; arrays and scalars become text (null → empty).
fn flatten(key: String, v: Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                flatten(format!("{key}.{k}"), v, out);
            }
        }
        Value::Null => out.push((key, String::new())),
        Value::String(s) => out.push((key, s)),
        Value::Bool(_) | Value::Number(_) | Value::Array(_) => out.push((key, v.to_string())),
    }
}
