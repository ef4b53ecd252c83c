//! Evidence references: every insight, mitigation, obligation and open question in an advisory
//! points at the figure or claim span it rests on — a stored document (row id), a JSON pointer
//! into it, and the value found there. A reference is only ever made by reading the value at the
//! pointer, so a statement cannot cite a figure that is not in the document; [`check`] verifies
//! this independently against the stored documents.

use crate::view::{CaseView, Doc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One figure or claim span a statement rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceRef {
    /// Row id of the stored document.
    pub document: i64,
    /// Its kind (`claim`, `scan`, `verify`, `overlap`, `obligations`).
    pub kind: String,
    /// JSON pointer (RFC 6901) into the document.
    pub pointer: String,
    /// The value at the pointer when the advisory was built.
    pub value: Value,
    /// For a claim field: the text of the post it was read from (masked), when the claim has a
    /// span for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// `length` when `value` is the number of elements of the array at the pointer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<String>,
}

/// Makes a reference to `pointer` in a document, or `None` when the document has no value there.
pub fn cite<T>(doc: &Doc<T>, pointer: &str) -> Option<EvidenceRef> {
    let v = doc.json.pointer(pointer)?;
    if v.is_null() {
        return None;
    }
    Some(EvidenceRef {
        document: doc.meta.id,
        kind: doc.meta.kind.clone(),
        pointer: pointer.to_string(),
        value: v.clone(),
        quote: None,
        measure: None,
    })
}

/// A reference to the number of elements of the array at `pointer` (`None` when it is empty or
/// not an array).
pub fn cite_len<T>(doc: &Doc<T>, pointer: &str) -> Option<EvidenceRef> {
    let n = doc.json.pointer(pointer)?.as_array()?.len();
    (n > 0).then(|| EvidenceRef {
        document: doc.meta.id,
        kind: doc.meta.kind.clone(),
        pointer: pointer.to_string(),
        value: Value::from(n),
        quote: None,
        measure: Some("length".into()),
    })
}

/// A claim field with the quote of its evidence span (`path` is the claim's evidence key, e.g.
/// `records[0]`, `victims[0].name`; the pointer is the same field as a JSON pointer).
pub fn cite_claim(doc: &Doc<leakscope_claims::Claim>, path: &str) -> Option<EvidenceRef> {
    let pointer = claim_pointer(path);
    let mut r = cite(doc, &pointer)?;
    r.quote = doc
        .value
        .evidence
        .get(path)
        .and_then(|spans| spans.first())
        .map(|s| s.text.clone());
    Some(r)
}

/// `victims[0].name` → `/victims/0/name`.
pub fn claim_pointer(path: &str) -> String {
    let mut out = String::new();
    for part in path.split('.') {
        let (name, idx) = match part.split_once('[') {
            Some((n, rest)) => (n, Some(rest.trim_end_matches(']'))),
            None => (part, None),
        };
        out.push('/');
        out.push_str(&name.replace('~', "~0").replace('/', "~1"));
        if let Some(i) = idx {
            out.push('/');
            out.push_str(i);
        }
    }
    out
}

/// A problem found by [`check`].
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Which statement (`insights[2]`, `mitigations[0]` …).
    pub statement: String,
    /// What is wrong.
    pub why: String,
}

/// Checks that every reference resolves to the same value in the case's documents, given a
/// function that returns a stored document's JSON by row id.
pub fn check(
    statements: &[(String, &[EvidenceRef])],
    doc: &mut dyn FnMut(i64) -> Option<Value>,
) -> Vec<Problem> {
    let mut out = Vec::new();
    for (name, refs) in statements {
        if refs.is_empty() {
            out.push(Problem {
                statement: name.clone(),
                why: "no evidence reference".into(),
            });
        }
        for r in refs.iter() {
            match doc(r.document) {
                None => out.push(Problem {
                    statement: name.clone(),
                    why: format!("document {} is not stored", r.document),
                }),
                Some(j) => match j.pointer(&r.pointer).map(|v| match r.measure.as_deref() {
                    Some("length") => Value::from(v.as_array().map_or(0, Vec::len)),
                    _ => v.clone(),
                }) {
                    Some(v) if v == r.value => {}
                    Some(v) => out.push(Problem {
                        statement: name.clone(),
                        why: format!(
                            "document {} {} holds {v}, the advisory says {}",
                            r.document, r.pointer, r.value
                        ),
                    }),
                    None => out.push(Problem {
                        statement: name.clone(),
                        why: format!("document {} has no {}", r.document, r.pointer),
                    }),
                },
            }
        }
    }
    out
}

/// Resolves references against a loaded view (newest documents only).
pub fn resolver(view: &CaseView) -> impl FnMut(i64) -> Option<Value> + '_ {
    move |id| view.doc_json(id).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_paths_become_pointers() {
        assert_eq!(claim_pointer("victims[0].name"), "/victims/0/name");
        assert_eq!(claim_pointer("records[1]"), "/records/1");
        assert_eq!(claim_pointer("dates.breach"), "/dates/breach");
        assert_eq!(claim_pointer("price"), "/price");
    }
}
