//! Elasticsearch and OpenSearch (REST API, read-only GETs): `GET /` (cluster name, version,
//! distribution), `GET /_cat/indices?format=json&bytes=b` (indices, document counts, sizes),
//! per sampled index `GET /{index}/_mapping` (its date fields), `GET /{index}/_search?size=1&
//! sort={date}:desc` (newest document time) and `GET /{index}/_search?size=N` (the sample).

use super::{new_service, ProbeResult, Probed};
use crate::http::{encode_segment, Http, Resp};
use crate::model::{Auth, ServiceKind, Store};
use crate::sample::Sample;
use serde_json::Value;

fn is_es_root(v: &Value) -> bool {
    v.get("tagline").and_then(Value::as_str) == Some("You Know, for Search")
        || (v.get("cluster_name").is_some() && v.pointer("/version/number").is_some())
}

/// Recognises Elasticsearch/OpenSearch from the `GET /` response and probes it.
pub fn recognise(c: &Http, root: &Resp) -> ProbeResult {
    let ep = c.endpoint();
    let auth_header = root.header("www-authenticate").unwrap_or("");
    let body = root.text();
    let product_header = root.header("x-elastic-product");
    if root.status == 401 || root.status == 403 {
        let es = body.contains("security_exception")
            || auth_header.contains("realm=\"security\"")
            || auth_header.contains("OpenSearch Security")
            || product_header.is_some();
        if !es {
            return Ok(None);
        }
        let mut svc = new_service(ep, ServiceKind::Elasticsearch);
        svc.product = Some(if auth_header.contains("OpenSearch") {
            "OpenSearch".into()
        } else {
            "Elasticsearch".into()
        });
        svc.auth = Auth::Required;
        svc.auth_detail = format!("GET / answered HTTP {}", root.status);
        return Ok(Some(Probed::new(svc)));
    }
    let Some(v) = root.json().filter(|v| root.status == 200 && is_es_root(v)) else {
        return Ok(None);
    };
    let mut svc = new_service(ep, ServiceKind::Elasticsearch);
    let dist = v.pointer("/version/distribution").and_then(Value::as_str);
    svc.product = Some(if dist == Some("opensearch") {
        "OpenSearch".into()
    } else {
        "Elasticsearch".into()
    });
    svc.version = v
        .pointer("/version/number")
        .and_then(Value::as_str)
        .map(str::to_string);
    if let Some(n) = v.get("cluster_name").and_then(Value::as_str) {
        svc.details.insert("cluster_name".into(), n.into());
    }
    let cat = c.get(CAT, 16 << 20)?;
    if cat.status == 401 || cat.status == 403 {
        svc.auth = Auth::Required;
        svc.auth_detail = format!("GET /_cat/indices answered HTTP {}", cat.status);
        return Ok(Some(Probed::new(svc)));
    }
    svc.auth = Auth::None;
    svc.auth_detail = "GET /_cat/indices answered without credentials".into();
    let mut out = Probed::new(svc);
    let fetch = |path: &str, limit: u64| c.get(path, limit);
    let source = format!("elasticsearch://{}", ep.authority());
    read_indices(&fetch, &cat, &source, c.limits(), &mut out);
    Ok(Some(out))
}

/// The index listing request.
pub const CAT: &str =
    "/_cat/indices?format=json&bytes=b&h=index,docs.count,store.size,health,status";

/// A GET against the cluster (directly, or through Kibana's console proxy).
pub type Fetch<'a> = dyn Fn(&str, u64) -> Result<Resp, String> + 'a;

/// Lists the indices of a `_cat/indices` answer and samples the largest ones.
pub fn read_indices(
    fetch: &Fetch<'_>,
    cat: &Resp,
    source: &str,
    limits: &crate::net::Limits,
    out: &mut Probed,
) {
    let mut indices: Vec<(String, Option<u64>, Option<u64>)> = cat
        .json()
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|i| {
            let name = i.get("index")?.as_str()?.to_string();
            let num = |k: &str| {
                i.get(k).and_then(|v| {
                    v.as_u64()
                        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
                })
            };
            Some((name, num("docs.count"), num("store.size")))
        })
        .collect();
    indices.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut sampled = 0;
    for (name, docs, size) in indices {
        let mut store = Store {
            name: name.clone(),
            kind: "index".into(),
            records: docs,
            bytes: size,
            newest: None,
            sampled: 0,
            source: None,
        };
        // System indices (`.kibana`, `.security` …) are listed, not sampled.
        if !name.starts_with('.') && sampled < limits.stores_per_service && docs.unwrap_or(1) > 0 {
            sampled += 1;
            let idx = encode_segment(&name);
            store.newest = newest(fetch, &idx);
            match search(fetch, &idx, limits.sample_per_store, limits.sample_bytes) {
                Ok(docs) => {
                    store.sampled = docs.len() as u64;
                    if !docs.is_empty() {
                        out.samples.push(Sample::Documents {
                            source: format!("{source}/{name}"),
                            docs,
                        });
                    }
                }
                Err(e) => out.service.notes.push(format!("index {name}: {e}")),
            }
        }
        out.service.stores.push(store);
    }
}

/// `_source` of up to `size` documents (fewer when the response would pass the byte limit).
pub fn search(
    fetch: &Fetch<'_>,
    idx: &str,
    size: usize,
    max_bytes: u64,
) -> Result<Vec<Value>, String> {
    let mut size = size.max(1);
    loop {
        let r = fetch(&format!("/{idx}/_search?size={size}"), max_bytes)?;
        if r.truncated && size > 10 {
            size /= 4;
            continue;
        }
        if r.status != 200 {
            return Err(format!("_search answered HTTP {}", r.status));
        }
        return Ok(hits(&r.json().unwrap_or(Value::Null)));
    }
}

/// The `_source` documents of a search response.
pub fn hits(v: &Value) -> Vec<Value> {
    v.pointer("/hits/hits")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|h| h.get("_source").cloned()).collect())
        .unwrap_or_default()
}

/// The date fields of a mapping, `@timestamp` first.
pub fn date_fields(mapping: &Value) -> Vec<String> {
    fn walk(props: &Value, prefix: &str, out: &mut Vec<String>) {
        let Some(m) = props.as_object() else { return };
        for (k, v) in m {
            let path = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            match v.get("type").and_then(Value::as_str) {
                Some("date") | Some("date_nanos") => out.push(path),
                _ => {
                    if let Some(p) = v.get("properties") {
                        walk(p, &path, out);
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    if let Some(indices) = mapping.as_object() {
        for i in indices.values() {
            if let Some(p) = i.pointer("/mappings/properties") {
                walk(p, "", &mut out);
            } else if let Some(types) = i.get("mappings").and_then(Value::as_object) {
                // Elasticsearch 6: one level of mapping types.
                for t in types.values() {
                    if let Some(p) = t.get("properties") {
                        walk(p, "", &mut out);
                    }
                }
            }
        }
    }
    out.sort_by_key(|f| (f != "@timestamp", f.clone()));
    out.dedup();
    out
}

fn newest(fetch: &Fetch<'_>, idx: &str) -> Option<String> {
    let m = fetch(&format!("/{idx}/_mapping"), 4 << 20).ok()?;
    let field = date_fields(&m.json()?).into_iter().next()?;
    let f = encode_segment(&field);
    let r = fetch(
        &format!("/{idx}/_search?size=1&sort={f}:desc&_source={f}"),
        1 << 20,
    )
    .ok()?;
    let v = r.json()?;
    let ms = v.pointer("/hits/hits/0/sort/0")?.as_i64()?;
    chrono::DateTime::from_timestamp_millis(ms).map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn date_fields_from_mappings() {
        let m = json!({"logs": {"mappings": {"properties": {
            "msg": {"type": "text"}, "@timestamp": {"type": "date"},
            "user": {"properties": {"created": {"type": "date_nanos"}}}}}}});
        assert_eq!(date_fields(&m), vec!["@timestamp", "user.created"]);
        let m6 = json!({"old": {"mappings": {"doc": {"properties": {"ts": {"type": "date"}}}}}});
        assert_eq!(date_fields(&m6), vec!["ts"]);
    }
}
