//! MongoDB: the wire protocol's OP_MSG (opcode 2013, MongoDB 3.6+) with one body section per
//! command. Sends only `hello` (`isMaster` on servers without it), `buildInfo`,
//! `listDatabases`, `listCollections`, `count` (no query: the collection's metadata count) and
//! `find` with `limit`/`singleBatch` (plus one `find` sorted by `_id` for the newest document's
//! time). No `saslStart`/`authenticate` is ever sent.

use super::bson;
use super::{new_service, ProbeResult, Probed};
use crate::model::{Auth, ServiceKind, Store};
use crate::net::{Endpoint, Net};
use crate::sample::Sample;
use serde_json::{json, Value};
use std::io::{Read, Write};
use std::net::TcpStream;

/// OP_MSG opcode.
pub const OP_MSG: i32 = 2013;
/// Largest message accepted (MongoDB's own default maxMessageSizeBytes).
pub const MAX_MESSAGE: usize = 48_000_000;

/// Frames a command document as an OP_MSG.
pub fn op_msg(request_id: i32, response_to: i32, doc: &Value) -> Vec<u8> {
    let body = bson::encode(doc);
    let len = 16 + 4 + 1 + body.len();
    let mut m = Vec::with_capacity(len);
    m.extend_from_slice(&(len as i32).to_le_bytes());
    m.extend_from_slice(&request_id.to_le_bytes());
    m.extend_from_slice(&response_to.to_le_bytes());
    m.extend_from_slice(&OP_MSG.to_le_bytes());
    m.extend_from_slice(&0u32.to_le_bytes());
    m.push(0);
    m.extend_from_slice(&body);
    m
}

/// Reads one OP_MSG: (request id, response to, body document).
pub fn read_op_msg(r: &mut impl Read) -> Result<(i32, i32, Value), String> {
    let mut h = [0u8; 16];
    r.read_exact(&mut h).map_err(|e| format!("reading: {e}"))?;
    let le = |i: usize| i32::from_le_bytes([h[i], h[i + 1], h[i + 2], h[i + 3]]);
    let (len, id, to, op) = (le(0), le(4), le(8), le(12));
    if op != OP_MSG || len < 21 || len as usize > MAX_MESSAGE {
        return Err("not an OP_MSG reply".into());
    }
    let mut rest = vec![0u8; len as usize - 16];
    r.read_exact(&mut rest)
        .map_err(|e| format!("reading: {e}"))?;
    let flags = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]);
    let end = if flags & 1 != 0 {
        rest.len().saturating_sub(4)
    } else {
        rest.len()
    };
    let mut pos = 4;
    while pos < end {
        let kind = rest[pos];
        pos += 1;
        let slen = rest
            .get(pos..pos + 4)
            .map(|b| i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
            .ok_or("OP_MSG section truncated")?;
        if kind == 0 {
            let d = rest.get(pos..pos + slen).ok_or("OP_MSG body truncated")?;
            return Ok((id, to, bson::decode(d)?));
        }
        pos += slen;
    }
    Err("OP_MSG without a body section".into())
}

struct Conn {
    s: TcpStream,
    next: i32,
}

impl Conn {
    fn cmd(&mut self, doc: Value) -> Result<Value, String> {
        self.next += 1;
        self.s
            .write_all(&op_msg(self.next, 0, &doc))
            .map_err(|e| format!("writing: {e}"))?;
        let (_, to, body) = read_op_msg(&mut self.s)?;
        if to != self.next {
            return Err("reply to another request".into());
        }
        Ok(body)
    }
}

fn ok(v: &Value) -> bool {
    v.get("ok").and_then(Value::as_f64) == Some(1.0)
}

fn unauthorised(v: &Value) -> bool {
    let code = v.get("code").and_then(Value::as_i64);
    matches!(code, Some(13) | Some(18))
        || v.get("codeName").and_then(Value::as_str) == Some("Unauthorized")
}

/// Probes a MongoDB server.
pub fn probe(net: &Net, ep: &Endpoint) -> ProbeResult {
    let s = net.connect(ep).map_err(|e| e.to_string())?;
    let mut c = Conn { s, next: 0 };
    let hello = match c.cmd(json!({"hello": 1, "$db": "admin"})) {
        Ok(h) if ok(&h) => h,
        Ok(h) if h.get("ok").is_some() => match c.cmd(json!({"isMaster": 1, "$db": "admin"})) {
            Ok(h) if ok(&h) => h,
            _ => return Ok(None),
        },
        _ => return Ok(None),
    };
    if hello.get("maxWireVersion").is_none() {
        return Ok(None);
    }
    let mut svc = new_service(ep, ServiceKind::Mongodb);
    svc.product = Some("MongoDB".into());
    if let Some(s) = hello.get("setName").and_then(Value::as_str) {
        svc.details.insert("replica_set".into(), s.into());
    }
    if let Ok(b) = c.cmd(json!({"buildInfo": 1, "$db": "admin"})) {
        svc.version = b.get("version").and_then(Value::as_str).map(str::to_string);
    }
    let dbs = c.cmd(json!({"listDatabases": 1, "nameOnly": false, "$db": "admin"}))?;
    if !ok(&dbs) {
        if unauthorised(&dbs) {
            svc.auth = Auth::Required;
            svc.auth_detail = "listDatabases answered Unauthorized".into();
        } else {
            svc.auth_detail = format!(
                "listDatabases failed: {}",
                dbs.get("codeName")
                    .and_then(Value::as_str)
                    .unwrap_or("error")
            );
        }
        return Ok(Some(Probed::new(svc)));
    }
    svc.auth = Auth::None;
    svc.auth_detail = "listDatabases answered without authentication".into();
    let names: Vec<(String, Option<u64>)> = dbs
        .get("databases")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|d| {
                    Some((
                        d.get("name")?.as_str()?.to_string(),
                        d.get("sizeOnDisk")
                            .and_then(Value::as_f64)
                            .map(|f| f as u64),
                    ))
                })
                .filter(|(n, _)| !matches!(n.as_str(), "admin" | "local" | "config"))
                .collect()
        })
        .unwrap_or_default();
    svc.details.insert("databases".into(), names.len().into());
    let mut out = Probed::new(svc);
    let limits = net.limits.clone();
    let mut sampled = 0usize;
    for (db, _size) in names.iter().take(64) {
        let lc = c.cmd(json!({"listCollections": 1, "nameOnly": true,
            "authorizedCollections": true, "$db": db}))?;
        let colls: Vec<String> = lc
            .pointer("/cursor/firstBatch")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter(|c| {
                        c.get("type")
                            .and_then(Value::as_str)
                            .unwrap_or("collection")
                            == "collection"
                    })
                    .filter_map(|c| c.get("name")?.as_str().map(str::to_string))
                    .filter(|n| !n.starts_with("system."))
                    .collect()
            })
            .unwrap_or_default();
        for coll in colls.iter().take(500) {
            let count = c.cmd(json!({"count": coll, "$db": db}))?;
            let records = count.get("n").and_then(Value::as_f64).map(|f| f as u64);
            let mut store = Store {
                name: format!("{db}.{coll}"),
                kind: "collection".into(),
                records,
                bytes: None,
                newest: None,
                sampled: 0,
                source: None,
            };
            if sampled < limits.stores_per_service {
                sampled += 1;
                let found = c.cmd(json!({"find": coll, "limit": limits.sample_per_store,
                    "batchSize": limits.sample_per_store, "singleBatch": true, "$db": db}))?;
                let docs: Vec<Value> = found
                    .pointer("/cursor/firstBatch")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                store.sampled = docs.len() as u64;
                store.newest = newest(&mut c, db, coll);
                if !docs.is_empty() {
                    out.samples.push(Sample::Documents {
                        source: format!("mongodb://{}/{db}/{coll}", ep.authority()),
                        docs,
                    });
                }
            }
            out.service.stores.push(store);
        }
    }
    if out.service.stores.len() > limits.stores_per_service {
        out.service.notes.push(format!(
            "{} collections, {} sampled",
            out.service.stores.len(),
            limits.stores_per_service
        ));
    }
    Ok(Some(out))
}

/// The newest document's time from the largest ObjectId `_id` (its first 4 bytes are seconds).
fn newest(c: &mut Conn, db: &str, coll: &str) -> Option<String> {
    let r = c
        .cmd(
            json!({"find": coll, "sort": {"_id": -1}, "limit": 1, "projection": {"_id": 1},
            "singleBatch": true, "$db": db}),
        )
        .ok()?;
    let id = r.pointer("/cursor/firstBatch/0/_id")?.as_str()?;
    if id.len() != 24 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let secs = i64::from_str_radix(&id[..8], 16).ok()?;
    chrono::DateTime::from_timestamp(secs, 0).map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}
