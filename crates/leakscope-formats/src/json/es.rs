//! Elasticsearch shapes: a search hit (`{"_index", "_id", "_source": {…}}`, as `_search`/scroll
//! responses and `elasticdump` write them) becomes its `_source` document plus `_id`, in the
//! table named by its index; a whole search response on one line has its `hits.hits` read as
//! hits; `_bulk` bodies pair each action line (`{"index": {"_index": …, "_id": …}}`) with the
//! document line after it.

use super::cut::value_end;
use super::flat::{self, Field, Out, Shape};
use super::pipeline::Kind;
use serde_json::Value;

/// A `_bulk` action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OpKind {
    Index,
    Create,
    Update,
    Delete,
}

/// A `_bulk` action line: its kind, and the `_index` and `_id` it names (ranges of the text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Op {
    pub kind: OpKind,
    pub index: Option<(u32, u32)>,
    pub id: Option<(u32, u32)>,
}

/// Keys an action's metadata object may hold.
const ACTION_KEYS: [&str; 9] = [
    "routing",
    "version",
    "version_type",
    "retry_on_conflict",
    "pipeline",
    "if_seq_no",
    "if_primary_term",
    "require_alias",
    "dynamic_templates",
];

/// True when `text` (one JSON value) is a `_bulk` action line.
pub(crate) fn is_action(text: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(text) else {
        return false;
    };
    let mut scratch = Out::default();
    action(s, &mut scratch).is_some()
}

/// Reads a `_bulk` action line; its index and id are appended to `out.text`.
pub(crate) fn action(text: &str, out: &mut Out) -> Option<Op> {
    let t = text.trim_start();
    if t.len() > 4096 || !t.starts_with('{') {
        return None;
    }
    let after = t[1..].trim_start();
    let kind = [
        ("\"index\"", OpKind::Index),
        ("\"create\"", OpKind::Create),
        ("\"update\"", OpKind::Update),
        ("\"delete\"", OpKind::Delete),
    ]
    .into_iter()
    .find(|(k, _)| after.starts_with(k))?
    .1;
    let Ok(Value::Object(m)) = serde_json::from_str::<Value>(text) else {
        return None;
    };
    if m.len() != 1 {
        return None;
    }
    let Some(Value::Object(meta)) = m.values().next() else {
        return None;
    };
    if !meta
        .keys()
        .all(|k| k.starts_with('_') || ACTION_KEYS.contains(&k.as_str()))
    {
        return None;
    }
    let mut field = |k: &str| match meta.get(k) {
        Some(Value::String(s)) => Some(out.push_str(s)),
        Some(v @ Value::Number(_)) => Some(out.push_str(&v.to_string())),
        _ => None,
    };
    let index = field("_index");
    let id = field("_id");
    Some(Op { kind, index, id })
}

/// If the record with `fields` is a search hit, keeps only `_id` and its `_source` fields
/// (renamed without the `_source.` prefix) and returns its `_index` (a range of the text).
pub(crate) fn hit(out: &mut Out, fields: (u32, u32)) -> Option<(u32, u32)> {
    let range = fields.0 as usize..fields.1 as usize;
    let mut index = None;
    let mut has_source = false;
    // Keys compared as bytes: most records are not hits, and this runs for every record.
    for f in &out.fields[range.clone()] {
        let k = out.bytes(f.key);
        if k.first() != Some(&b'_') {
            continue;
        }
        if k == b"_index" {
            index = Some(f.val);
        } else if k == b"_source" || k.starts_with(b"_source.") {
            has_source = true;
        }
    }
    let index = index?;
    if !has_source {
        // `{"_index", "_id", "_source": {}}`: an empty document is still a hit.
        let fields = &out.fields[range.clone()];
        let empty_source = fields.iter().any(|f| out.bytes(f.key) == b"_id")
            && fields.iter().all(|f| out.bytes(f.key).starts_with(b"_"));
        if !empty_source {
            return None;
        }
    }
    let mut w = range.start;
    for r in range.clone() {
        let f = out.fields[r];
        let k = out.bytes(f.key);
        let keep = if k == b"_id" {
            Some(f)
        } else if k.starts_with(b"_source.") {
            Some(Field {
                key: (f.key.0 + 8, f.key.1),
                val: f.val,
            })
        } else {
            None
        };
        if let Some(f) = keep {
            out.fields[w] = f;
            w += 1;
        }
    }
    out.fields.truncate(w);
    Some(index)
}

/// One hit of a response: what it is, its fields and its index.
pub(crate) type Hit = (Kind, (u32, u32), Option<(u32, u32)>);

/// If the record with `fields` is a whole search response (`hits.hits` an array, with `took`,
/// `timed_out`, `_shards` or `_scroll_id` beside it), replaces it with its hits: each hit's
/// fields, and its index. Hits that cannot be parsed come back as `Kind::Bad`.
pub(crate) fn response_hits(out: &mut Out, fields: (u32, u32)) -> Option<Vec<Hit>> {
    let range = fields.0 as usize..fields.1 as usize;
    let mut hits = None;
    let mut marker = false;
    for f in &out.fields[range.clone()] {
        let k = out.bytes(f.key);
        if !matches!(k.first(), Some(b'h' | b't' | b'_')) {
            continue;
        }
        if k == b"hits.hits" && out.bytes(f.val).starts_with(b"[") {
            hits = Some(f.val);
        } else if k == b"took"
            || k == b"timed_out"
            || k == b"_scroll_id"
            || k.starts_with(b"_shards.")
            || k.starts_with(b"hits.total")
        {
            marker = true;
        }
    }
    let hits = hits.filter(|_| marker)?;
    let array = out.str(hits).to_string();
    let text_start = out.fields[range.clone()]
        .first()
        .map_or(out.text.len(), |f| f.key.0 as usize);
    out.text.truncate(text_start);
    out.fields.truncate(range.start);
    let b = array.as_bytes();
    let mut res = Vec::new();
    let mut i = 1;
    loop {
        while i < b.len() && matches!(b[i], b' ' | b'\n' | b'\r' | b'\t' | b',') {
            i += 1;
        }
        if i >= b.len() || b[i] == b']' {
            break;
        }
        let Some(end) = value_end(b, i) else {
            break;
        };
        let first = out.fields.len() as u32;
        let mark = out.text.len();
        match flat::flatten(&array[i..end], out) {
            Ok(Shape::Object) => {
                let end_f = out.fields.len() as u32;
                let route = hit(out, (first, end_f));
                let end_f = out.fields.len() as u32;
                res.push((Kind::Row(Shape::Object), (first, end_f), route));
            }
            Ok(shape) => {
                let end_f = out.fields.len() as u32;
                res.push((Kind::Row(shape), (first, end_f), None));
            }
            Err(e) => {
                out.text.truncate(mark);
                out.fields.truncate(first as usize);
                res.push((
                    Kind::Bad {
                        eof: e.eof,
                        column: e.offset as u64 + 1,
                    },
                    (first, first),
                    None,
                ));
            }
        }
        i = end;
    }
    Some(res)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(out: &Out, r: (u32, u32)) -> Vec<(String, String)> {
        out.fields[r.0 as usize..r.1 as usize]
            .iter()
            .map(|f| (out.str(f.key).to_string(), out.str(f.val).to_string()))
            .collect()
    }

    #[test]
    fn hits_keep_id_and_source() {
        let mut out = Out::default();
        flat::flatten(
            r#"{"_index":"users","_type":"_doc","_id":"7","_score":1.0,"_source":{"email":"a@b.vn","addr":{"city":"Huế"}}}"#,
            &mut out,
        )
        .unwrap();
        let n = out.fields.len() as u32;
        let index = hit(&mut out, (0, n)).unwrap();
        assert_eq!(out.str(index), "users");
        let n = out.fields.len() as u32;
        assert_eq!(
            fields(&out, (0, n)),
            [("_id", "7"), ("email", "a@b.vn"), ("addr.city", "Huế")]
                .map(|(a, b)| (a.to_string(), b.to_string()))
        );
        let mut out = Out::default();
        flat::flatten(r#"{"index":"users","source":{"a":1}}"#, &mut out).unwrap();
        assert_eq!(hit(&mut out, (0, 2)), None);
    }

    #[test]
    fn actions() {
        let mut out = Out::default();
        let op = action(
            r#"{ "index" : { "_index" : "test", "_id" : "1" } }"#,
            &mut out,
        )
        .unwrap();
        assert_eq!(op.kind, OpKind::Index);
        assert_eq!(out.str(op.index.unwrap()), "test");
        assert_eq!(out.str(op.id.unwrap()), "1");
        let op = action(r#"{"delete":{"_id":2}}"#, &mut out).unwrap();
        assert_eq!((op.kind, op.index), (OpKind::Delete, None));
        assert!(action(r#"{"index":{}}"#, &mut out).is_some());
        assert!(action(r#"{"index":{"name":"x"}}"#, &mut out).is_none());
        assert!(action(r#"{"index":1}"#, &mut out).is_none());
        assert!(action(r#"{"index":{},"x":1}"#, &mut out).is_none());
    }

    #[test]
    fn responses_become_their_hits() {
        let mut out = Out::default();
        flat::flatten(
            r#"{"took":3,"timed_out":false,"hits":{"total":{"value":2},"hits":[{"_index":"a","_id":"1","_source":{"x":1}},{"_index":"b","_id":"2","_source":{"x":2}}]}}"#,
            &mut out,
        )
        .unwrap();
        let n = out.fields.len() as u32;
        let hits = response_hits(&mut out, (0, n)).unwrap();
        assert_eq!(hits.len(), 2);
        assert_eq!(out.str(hits[1].2.unwrap()), "b");
        assert_eq!(
            fields(&out, hits[1].1)[1],
            ("x".to_string(), "2".to_string())
        );
        let mut out = Out::default();
        flat::flatten(r#"{"hits":{"hits":[1]}}"#, &mut out).unwrap();
        assert!(
            response_hits(&mut out, (0, 1)).is_none(),
            "no response marker"
        );
    }
}
