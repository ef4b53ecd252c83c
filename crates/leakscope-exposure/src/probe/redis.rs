//! Redis: a minimal RESP client. Sends only `INFO`, `SELECT`, `SCAN`, `TYPE`, `GETRANGE`,
//! `HSCAN`, `LRANGE`, `SSCAN` and `ZRANGE` — all read-only. No `AUTH` is ever sent.

use super::{new_service, ProbeResult, Probed};
use crate::model::{Auth, ServiceKind, Store};
use crate::net::{Endpoint, Net};
use crate::sample::Sample;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;

/// Largest bulk reply accepted (values are read with `GETRANGE` up to [`VALUE_BYTES`]).
const MAX_BULK: usize = 1 << 20;
/// Bytes of a string value read.
const VALUE_BYTES: usize = 64 << 10;
/// Commands sent per pipeline batch.
const BATCH: usize = 100;

/// A RESP reply.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// `+OK`.
    Simple(String),
    /// `-ERR …`.
    Error(String),
    /// `:1`.
    Int(i64),
    /// `$n` (None for a null bulk).
    Bulk(Option<Vec<u8>>),
    /// `*n`.
    Array(Vec<Reply>),
}

impl Reply {
    fn text(&self) -> Option<String> {
        match self {
            Reply::Simple(s) => Some(s.clone()),
            Reply::Bulk(Some(b)) => Some(String::from_utf8_lossy(b).into_owned()),
            _ => None,
        }
    }
}

/// Encodes a command as a RESP array of bulk strings.
pub fn encode(args: &[&[u8]]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for a in args {
        out.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// Reads one reply.
pub fn read_reply(r: &mut impl BufRead, depth: u32) -> Result<Reply, String> {
    if depth > 4 {
        return Err("RESP nesting too deep".into());
    }
    let mut line = Vec::new();
    r.by_ref()
        .take(64 * 1024)
        .read_until(b'\n', &mut line)
        .map_err(|e| format!("reading: {e}"))?;
    if !line.ends_with(b"\r\n") {
        return Err("not a RESP reply".into());
    }
    line.truncate(line.len() - 2);
    let (kind, rest) = line.split_first().ok_or("empty RESP line")?;
    let rest = String::from_utf8_lossy(rest).into_owned();
    let num = || {
        rest.trim()
            .parse::<i64>()
            .map_err(|_| "bad RESP length".to_string())
    };
    Ok(match kind {
        b'+' => Reply::Simple(rest),
        b'-' => Reply::Error(rest),
        b':' => Reply::Int(num()?),
        b'$' => {
            let n = num()?;
            if n < 0 {
                Reply::Bulk(None)
            } else if n as usize > MAX_BULK {
                return Err("RESP bulk reply too large".into());
            } else {
                let mut buf = vec![0; n as usize + 2];
                std::io::Read::read_exact(r, &mut buf).map_err(|e| format!("reading: {e}"))?;
                buf.truncate(n as usize);
                Reply::Bulk(Some(buf))
            }
        }
        b'*' => {
            let n = num()?;
            if n < 0 {
                Reply::Array(Vec::new())
            } else if n > 100_000 {
                return Err("RESP array too long".into());
            } else {
                let mut v = Vec::with_capacity(n as usize);
                for _ in 0..n {
                    v.push(read_reply(r, depth + 1)?);
                }
                Reply::Array(v)
            }
        }
        _ => return Err("not a RESP reply".into()),
    })
}

struct Conn {
    w: TcpStream,
    r: BufReader<TcpStream>,
}

impl Conn {
    fn pipeline(&mut self, cmds: &[Vec<Vec<u8>>]) -> Result<Vec<Reply>, String> {
        let mut buf = Vec::new();
        for c in cmds {
            let refs: Vec<&[u8]> = c.iter().map(|a| a.as_slice()).collect();
            buf.extend(encode(&refs));
        }
        self.w
            .write_all(&buf)
            .map_err(|e| format!("writing: {e}"))?;
        cmds.iter().map(|_| read_reply(&mut self.r, 0)).collect()
    }

    fn one(&mut self, args: &[&str]) -> Result<Reply, String> {
        let c: Vec<Vec<u8>> = args.iter().map(|a| a.as_bytes().to_vec()).collect();
        Ok(self.pipeline(&[c])?.remove(0))
    }
}

fn info_map(text: &str) -> BTreeMap<String, String> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// The key prefix that names a sample table (`user:1001` → `user`).
fn prefix(key: &[u8]) -> String {
    let s = String::from_utf8_lossy(key);
    let p = s.split([':', '/', '|']).next().unwrap_or("");
    if p.is_empty() || p.len() == s.len() {
        "keys".into()
    } else {
        p.chars().take(64).collect()
    }
}

/// Probes a Redis server.
pub fn probe(net: &Net, ep: &Endpoint) -> ProbeResult {
    let s = net.connect(ep).map_err(|e| e.to_string())?;
    let mut c = Conn {
        r: BufReader::new(s.try_clone().map_err(|e| e.to_string())?),
        w: s,
    };
    let mut svc = new_service(ep, ServiceKind::Redis);
    svc.product = Some("Redis".into());
    let info = match c.one(&["INFO", "server"]) {
        Ok(r) => r,
        Err(_) => return Ok(None),
    };
    match &info {
        Reply::Error(e) => {
            let code = e.split_whitespace().next().unwrap_or("").to_string();
            if matches!(code.as_str(), "NOAUTH" | "DENIED" | "NOPERM" | "WRONGPASS") {
                svc.auth = Auth::Required;
                svc.auth_detail = format!("INFO answered {code}");
                return Ok(Some(Probed::new(svc)));
            }
            return Ok(None);
        }
        Reply::Bulk(Some(_)) => {}
        _ => return Ok(None),
    }
    let server = info_map(&info.text().unwrap_or_default());
    if !server.contains_key("redis_version") && !server.contains_key("valkey_version") {
        return Ok(None);
    }
    svc.version = server
        .get("redis_version")
        .or(server.get("valkey_version"))
        .cloned();
    if server.contains_key("valkey_version") {
        svc.product = Some("Valkey".into());
    }
    svc.auth = Auth::None;
    svc.auth_detail = "INFO answered without AUTH".into();
    if let Some(m) = server.get("redis_mode") {
        svc.details.insert("mode".into(), m.clone().into());
    }
    let ks = c.one(&["INFO", "keyspace"])?.text().unwrap_or_default();
    let mut dbs: Vec<(u32, u64)> = info_map(&ks)
        .into_iter()
        .filter_map(|(k, v)| {
            let n = k.strip_prefix("db")?.parse::<u32>().ok()?;
            let keys = v
                .split(',')
                .find_map(|kv| kv.strip_prefix("keys="))?
                .parse::<u64>()
                .ok()?;
            Some((n, keys))
        })
        .collect();
    dbs.sort_by_key(|d| std::cmp::Reverse(d.1));
    let mut out = Probed::new(svc);
    let limits = net.limits.clone();
    for (i, (db, keys)) in dbs.iter().enumerate() {
        let mut store = Store {
            name: format!("db{db}"),
            kind: "keyspace".into(),
            records: Some(*keys),
            bytes: None,
            newest: None,
            sampled: 0,
            source: None,
        };
        if i < limits.stores_per_service {
            let (n, samples) = sample_db(&mut c, ep, *db, limits.sample_per_store)?;
            store.sampled = n;
            out.samples.extend(samples);
        } else {
            out.service
                .notes
                .push(format!("db{db} not sampled (stores per service limit)"));
        }
        out.service.stores.push(store);
    }
    Ok(Some(out))
}

/// Field names and rows of the hashes under one key prefix.
type HashTable = (Vec<String>, Vec<BTreeMap<String, String>>);

fn sample_db(
    c: &mut Conn,
    ep: &Endpoint,
    db: u32,
    want: usize,
) -> Result<(u64, Vec<Sample>), String> {
    if let Reply::Error(e) = c.one(&["SELECT", &db.to_string()])? {
        return Err(format!("SELECT {db}: {e}"));
    }
    // SCAN until enough keys, the cursor wraps, or a bounded number of rounds.
    let mut keys: Vec<Vec<u8>> = Vec::new();
    let mut cursor = "0".to_string();
    for _ in 0..(want / 10 + 20) {
        let r = c.one(&["SCAN", &cursor, "COUNT", "100"])?;
        let Reply::Array(parts) = r else {
            return Err("SCAN: unexpected reply".into());
        };
        cursor = parts.first().and_then(Reply::text).unwrap_or_default();
        if let Some(Reply::Array(ks)) = parts.get(1) {
            for k in ks {
                if let Reply::Bulk(Some(b)) = k {
                    if keys.len() < want {
                        keys.push(b.clone());
                    }
                }
            }
        }
        if cursor == "0" || cursor.is_empty() || keys.len() >= want {
            break;
        }
    }
    let source = format!("redis://{}/{db}", ep.authority());
    let mut hashes: BTreeMap<String, HashTable> = BTreeMap::new();
    let mut plain: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
    let mut docs: BTreeMap<String, Vec<serde_json::Value>> = BTreeMap::new();
    for chunk in keys.chunks(BATCH) {
        let types = c.pipeline(
            &chunk
                .iter()
                .map(|k| vec![b"TYPE".to_vec(), k.clone()])
                .collect::<Vec<_>>(),
        )?;
        let end = (VALUE_BYTES - 1).to_string();
        let mut cmds = Vec::new();
        let mut kinds = Vec::new();
        for (k, t) in chunk.iter().zip(&types) {
            let t = t.text().unwrap_or_default();
            let cmd: Option<Vec<&[u8]>> = match t.as_str() {
                "string" => Some(vec![b"GETRANGE", k, b"0", end.as_bytes()]),
                "hash" => Some(vec![b"HSCAN", k, b"0", b"COUNT", b"200"]),
                "list" => Some(vec![b"LRANGE", k, b"0", b"49"]),
                "set" => Some(vec![b"SSCAN", k, b"0", b"COUNT", b"50"]),
                "zset" => Some(vec![b"ZRANGE", k, b"0", b"49"]),
                _ => None,
            };
            if let Some(cmd) = cmd {
                cmds.push(cmd.into_iter().map(<[u8]>::to_vec).collect::<Vec<_>>());
                kinds.push((k.clone(), t));
            }
        }
        let replies = c.pipeline(&cmds)?;
        for ((key, t), r) in kinds.into_iter().zip(replies) {
            let key_text = String::from_utf8_lossy(&key).into_owned();
            let table = prefix(&key);
            match (t.as_str(), r) {
                ("string", Reply::Bulk(Some(v))) => {
                    let text = String::from_utf8_lossy(&v).into_owned();
                    match serde_json::from_str::<serde_json::Value>(&text) {
                        Ok(serde_json::Value::Object(mut o)) => {
                            o.insert("_key".into(), key_text.into());
                            docs.entry(table).or_default().push(o.into());
                        }
                        _ => plain.entry(table).or_default().push(vec![key_text, text]),
                    }
                }
                ("hash", Reply::Array(parts)) => {
                    let mut row = BTreeMap::new();
                    if let Some(Reply::Array(fv)) = parts.get(1) {
                        for p in fv.chunks(2) {
                            if let [f, v] = p {
                                row.insert(
                                    f.text().unwrap_or_default(),
                                    v.text().unwrap_or_default(),
                                );
                            }
                        }
                    }
                    row.insert("_key".into(), key_text);
                    let e = hashes.entry(table).or_default();
                    for f in row.keys() {
                        if !e.0.contains(f) && e.0.len() < 64 {
                            e.0.push(f.clone());
                        }
                    }
                    e.1.push(row);
                }
                (_, Reply::Array(items)) => {
                    let members: Vec<&Reply> = match t.as_str() {
                        "set" => match items.get(1) {
                            Some(Reply::Array(m)) => m.iter().collect(),
                            _ => Vec::new(),
                        },
                        _ => items.iter().collect(),
                    };
                    let rows = plain.entry(format!("{table}.members")).or_default();
                    for m in members {
                        rows.push(vec![key_text.clone(), m.text().unwrap_or_default()]);
                    }
                }
                _ => {}
            }
        }
    }
    let n = keys.len() as u64;
    let mut samples = Vec::new();
    for (table, (headers, rows)) in hashes {
        let rows = rows
            .into_iter()
            .map(|r| {
                headers
                    .iter()
                    .map(|h| r.get(h).cloned().unwrap_or_default())
                    .collect()
            })
            .collect();
        samples.push(Sample::Rows {
            source: source.clone(),
            table,
            headers,
            rows,
        });
    }
    for (table, rows) in plain {
        let second = if table.ends_with(".members") {
            "member"
        } else {
            "value"
        };
        samples.push(Sample::Rows {
            source: source.clone(),
            table,
            headers: vec!["key".into(), second.into()],
            rows,
        });
    }
    for (table, d) in docs {
        samples.push(Sample::Documents {
            source: format!("{source}/{table}"),
            docs: d,
        });
    }
    Ok((n, samples))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resp_round_trip() {
        assert_eq!(
            encode(&[b"INFO", b"server"]),
            b"*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n"
        );
        let mut r =
            std::io::Cursor::new(b"*2\r\n$1\r\n0\r\n*1\r\n$3\r\nabc\r\n-NOAUTH x\r\n".to_vec());
        let a = read_reply(&mut r, 0).unwrap();
        assert_eq!(
            a,
            Reply::Array(vec![
                Reply::Bulk(Some(b"0".to_vec())),
                Reply::Array(vec![Reply::Bulk(Some(b"abc".to_vec()))])
            ])
        );
        assert_eq!(
            read_reply(&mut r, 0).unwrap(),
            Reply::Error("NOAUTH x".into())
        );
        assert!(read_reply(&mut std::io::Cursor::new(b"HTTP/1.1 400\r\n".to_vec()), 0).is_err());
        assert_eq!(prefix(b"user:1001"), "user");
        assert_eq!(prefix(b"plainkey"), "keys");
    }
}
