//! MySQL / MariaDB: a minimal client of the classic protocol. The server's greeting identifies
//! it; with the default-credential checks on, `root` and the anonymous user are tried with an
//! empty password (an empty auth response, whatever the plugin). A session that gets in sets
//! `SESSION TRANSACTION READ ONLY` and runs only `information_schema` queries, bounded counts
//! and `SELECT * … LIMIT n` (`COM_QUERY`, text protocol).

use super::{new_service, ProbeResult, Probed};
use crate::model::{Auth, ServiceKind, Store};
use crate::net::{Endpoint, Net};
use crate::sample::Sample;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

/// Users tried with an empty password (`""` is the anonymous user).
pub const USERS: &[&str] = &["root", ""];

const COUNT_CAP: u64 = 1_000_000;
const MAX_PACKET: usize = 16 << 20;

struct Conn {
    s: TcpStream,
    seq: u8,
}

impl Conn {
    fn read_packet(&mut self) -> Result<Vec<u8>, String> {
        let mut h = [0u8; 4];
        self.s
            .read_exact(&mut h)
            .map_err(|e| format!("reading: {e}"))?;
        let len = usize::from(h[0]) | usize::from(h[1]) << 8 | usize::from(h[2]) << 16;
        if len > MAX_PACKET {
            return Err("packet too large".into());
        }
        self.seq = h[3].wrapping_add(1);
        let mut p = vec![0u8; len];
        self.s
            .read_exact(&mut p)
            .map_err(|e| format!("reading: {e}"))?;
        Ok(p)
    }

    fn write_packet(&mut self, payload: &[u8]) -> Result<(), String> {
        let len = payload.len();
        let mut b = vec![len as u8, (len >> 8) as u8, (len >> 16) as u8, self.seq];
        b.extend_from_slice(payload);
        self.seq = self.seq.wrapping_add(1);
        self.s.write_all(&b).map_err(|e| format!("writing: {e}"))
    }

    /// COM_QUERY with the text protocol: column names and rows (NULL as empty).
    fn query(
        &mut self,
        sql: &str,
        max_bytes: u64,
    ) -> Result<(Vec<String>, Vec<Vec<String>>), String> {
        self.seq = 0;
        let mut p = vec![0x03];
        p.extend_from_slice(sql.as_bytes());
        self.write_packet(&p)?;
        let first = self.read_packet()?;
        match first.first() {
            Some(0x00) => return Ok((Vec::new(), Vec::new())),
            Some(0xff) => return Err(err_text(&first)),
            None => return Err("empty reply".into()),
            _ => {}
        }
        let mut pos = 0;
        let ncols = lenenc_int(&first, &mut pos).ok_or("bad column count")? as usize;
        let mut names = Vec::with_capacity(ncols);
        for _ in 0..ncols {
            let c = self.read_packet()?;
            let mut pos = 0;
            let mut name = String::new();
            for i in 0..5 {
                let s = lenenc_str(&c, &mut pos).ok_or("bad column definition")?;
                if i == 4 {
                    name = String::from_utf8_lossy(s).into_owned();
                }
            }
            names.push(name);
        }
        let eof = self.read_packet()?;
        if !(eof.first() == Some(&0xfe) && eof.len() < 9) {
            return Err("expected EOF after columns".into());
        }
        let mut rows = Vec::new();
        let mut bytes = 0u64;
        let mut full = false;
        loop {
            let r = self.read_packet()?;
            match r.first() {
                Some(0xfe) if r.len() < 9 => break,
                Some(0xff) => return Err(err_text(&r)),
                _ => {}
            }
            if full {
                continue; // drain what the LIMIT let through
            }
            let mut pos = 0;
            let mut row = Vec::with_capacity(ncols);
            for _ in 0..ncols {
                if r.get(pos) == Some(&0xfb) {
                    pos += 1;
                    row.push(String::new());
                } else {
                    let s = lenenc_str(&r, &mut pos).ok_or("bad row")?;
                    bytes += s.len() as u64;
                    row.push(String::from_utf8_lossy(s).into_owned());
                }
            }
            rows.push(row);
            full = bytes > max_bytes;
        }
        Ok((names, rows))
    }
}

fn err_text(p: &[u8]) -> String {
    let code = if p.len() >= 3 {
        u16::from(p[1]) | u16::from(p[2]) << 8
    } else {
        0
    };
    let msg = if p.get(3) == Some(&b'#') && p.len() > 9 {
        &p[9..]
    } else {
        p.get(3..).unwrap_or(&[])
    };
    // Server messages quote the user and host name, never data values.
    let text: String = String::from_utf8_lossy(msg).chars().take(160).collect();
    format!("error {code}: {text}")
}

fn lenenc_int(p: &[u8], pos: &mut usize) -> Option<u64> {
    let b = *p.get(*pos)?;
    *pos += 1;
    let n = match b {
        0..=0xfa => return Some(u64::from(b)),
        0xfc => 2,
        0xfd => 3,
        0xfe => 8,
        _ => return None,
    };
    let bytes = p.get(*pos..*pos + n)?;
    *pos += n;
    Some(
        bytes
            .iter()
            .rev()
            .fold(0u64, |acc, &x| (acc << 8) | u64::from(x)),
    )
}

fn lenenc_str<'a>(p: &'a [u8], pos: &mut usize) -> Option<&'a [u8]> {
    let n = lenenc_int(p, pos)? as usize;
    let s = p.get(*pos..*pos + n)?;
    *pos += n;
    Some(s)
}

/// The greeting's version and auth plugin, or `Err(message)` for an error greeting.
fn parse_greeting(p: &[u8]) -> Option<Result<(String, String), String>> {
    match p.first()? {
        0xff => return Some(Err(err_text(p))),
        0x0a => {}
        _ => return None,
    }
    let end = p.iter().skip(1).position(|&b| b == 0)? + 1;
    let version = String::from_utf8_lossy(&p[1..end]).into_owned();
    // conn id (4), salt part 1 (8), filler (1), caps low (2), charset (1), status (2),
    // caps high (2), salt length (1), reserved (10), salt part 2 (≥ 13), plugin name.
    let mut pos = end + 1 + 4 + 8 + 1 + 2 + 1 + 2 + 2;
    let salt_len = usize::from(*p.get(pos).unwrap_or(&0));
    pos += 1 + 10 + salt_len.saturating_sub(8).max(13);
    let plugin = p
        .get(pos..)
        .map(|r| {
            let e = r.iter().position(|&b| b == 0).unwrap_or(r.len());
            String::from_utf8_lossy(&r[..e]).into_owned()
        })
        .unwrap_or_default();
    Some(Ok((version, plugin)))
}

fn product_version(v: &str) -> (String, String) {
    let v = v.strip_prefix("5.5.5-").unwrap_or(v);
    let product = if v.to_ascii_lowercase().contains("mariadb") {
        "MariaDB"
    } else {
        "MySQL"
    };
    (product.into(), v.to_string())
}

/// A connection with its greeting: (version, auth plugin), or the server's refusal.
type Greeted = (Conn, Result<(String, String), String>);

/// Connects and reads the greeting.
fn greet(net: &Net, ep: &Endpoint) -> Result<Option<Greeted>, String> {
    let s = net.connect(ep).map_err(|e| e.to_string())?;
    // MySQL speaks first; nothing within a few seconds means it is something else.
    let _ = s.set_read_timeout(Some(net.limits.io_timeout.min(Duration::from_secs(3))));
    let mut c = Conn { s, seq: 0 };
    let p = match c.read_packet() {
        Ok(p) => p,
        Err(_) => return Ok(None),
    };
    let _ = c.s.set_read_timeout(Some(net.limits.io_timeout));
    Ok(parse_greeting(&p).map(|g| (c, g)))
}

fn login(mut c: Conn, user: &str) -> Result<Conn, String> {
    // CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 | CLIENT_TRANSACTIONS | CLIENT_SECURE_CONNECTION
    // | CLIENT_PLUGIN_AUTH
    let caps: u32 = 0x1 | 0x200 | 0x2000 | 0x8000 | 0x80000;
    let mut p = Vec::new();
    p.extend_from_slice(&caps.to_le_bytes());
    p.extend_from_slice(&(MAX_PACKET as u32).to_le_bytes());
    p.push(45); // utf8mb4_general_ci
    p.extend_from_slice(&[0u8; 23]);
    p.extend_from_slice(user.as_bytes());
    p.push(0);
    p.push(0); // empty auth response
    p.extend_from_slice(b"mysql_native_password\0");
    c.write_packet(&p)?;
    for _ in 0..3 {
        let r = c.read_packet()?;
        match r.first() {
            Some(0x00) => return Ok(c),
            Some(0xff) => return Err(err_text(&r)),
            // Auth switch (any plugin): an empty password is an empty response.
            Some(0xfe) => c.write_packet(&[])?,
            // caching_sha2_password "fast auth ok" / more data.
            Some(0x01) => continue,
            _ => return Err("unexpected authentication reply".into()),
        }
    }
    Err("authentication did not finish".into())
}

fn q(s: &str) -> String {
    format!("`{}`", s.replace('`', "``"))
}

/// Probes a MySQL or MariaDB server.
pub fn probe(net: &Net, ep: &Endpoint) -> ProbeResult {
    let Some((conn, greeting)) = greet(net, ep)? else {
        return Ok(None);
    };
    let mut svc = new_service(ep, ServiceKind::Mysql);
    let (version, plugin) = match greeting {
        Ok(g) => g,
        Err(e) => {
            svc.product = Some("MySQL".into());
            svc.auth = Auth::Required;
            svc.auth_detail = format!("the server refused the connection: {e}");
            return Ok(Some(Probed::new(svc)));
        }
    };
    let (product, v) = product_version(&version);
    svc.product = Some(product);
    svc.version = Some(v);
    svc.details.insert("auth_plugin".into(), plugin.into());
    if !net.limits.default_credentials {
        svc.auth_detail = "login checks switched off (--no-default-credentials)".into();
        return Ok(Some(Probed::new(svc)));
    }
    let mut refusals = Vec::new();
    let mut first = Some(conn);
    for user in USERS {
        let c = match first.take() {
            Some(c) => c,
            None => match greet(net, ep)? {
                Some((c, Ok(_))) => c,
                _ => break,
            },
        };
        let label = if user.is_empty() { "anonymous" } else { user };
        match login(c, user) {
            Ok(c) => {
                svc.auth = Auth::None;
                svc.auth_detail = format!("user {label} logged in with an empty password");
                return read_all(net, ep, svc, c).map(Some);
            }
            Err(e) => refusals.push(format!("{label}: {e}")),
        }
    }
    svc.auth = Auth::Required;
    svc.auth_detail = format!("no login with an empty password ({})", refusals.join("; "));
    Ok(Some(Probed::new(svc)))
}

fn read_all(
    net: &Net,
    ep: &Endpoint,
    svc: crate::model::Service,
    mut c: Conn,
) -> Result<Probed, String> {
    let _ = c.query("SET SESSION TRANSACTION READ ONLY", 1 << 10);
    let limits = net.limits.clone();
    let (_, tables) = c.query(
        "SELECT table_schema, table_name, table_rows, data_length + index_length \
         FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema NOT IN \
         ('mysql', 'information_schema', 'performance_schema', 'sys') \
         ORDER BY data_length + index_length DESC LIMIT 500",
        16 << 20,
    )?;
    let mut out = Probed::new(svc);
    let mut dbs = std::collections::BTreeSet::new();
    for (i, t) in tables.iter().enumerate() {
        let [schema, name, rows, size] = <[String; 4]>::try_from(t.clone())
            .map_err(|_| "information_schema.tables: unexpected columns".to_string())?;
        dbs.insert(schema.clone());
        let qualified = format!("{}.{}", q(&schema), q(&name));
        let mut store = Store {
            name: format!("{schema}.{name}"),
            kind: "table".into(),
            records: rows.parse().ok(),
            bytes: size.parse().ok(),
            newest: None,
            sampled: 0,
            source: None,
        };
        if i < limits.stores_per_service {
            let count = format!(
                "SELECT COUNT(*) FROM (SELECT 1 FROM {qualified} LIMIT {}) s",
                COUNT_CAP + 1
            );
            if let Ok((_, r)) = c.query(&count, 1 << 10) {
                if let Some(n) = r
                    .first()
                    .and_then(|r| r.first())
                    .and_then(|s| s.parse().ok())
                {
                    store.records = Some(n);
                }
            }
            match c.query(
                &format!(
                    "SELECT * FROM {qualified} LIMIT {}",
                    limits.sample_per_store
                ),
                limits.sample_bytes,
            ) {
                Ok((headers, rows)) => {
                    store.sampled = rows.len() as u64;
                    if !rows.is_empty() {
                        out.samples.push(Sample::Rows {
                            source: format!("mysql://{}/{schema}", ep.authority()),
                            table: format!("{schema}.{name}"),
                            headers,
                            rows,
                        });
                    }
                }
                Err(e) => out.service.notes.push(format!("{}: {e}", store.name)),
            }
        }
        out.service.stores.push(store);
    }
    out.service
        .details
        .insert("databases".into(), dbs.len().into());
    if tables.len() > limits.stores_per_service {
        out.service.notes.push(format!(
            "{} tables, the {} largest sampled",
            tables.len(),
            limits.stores_per_service
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenenc_and_greeting() {
        let mut pos = 0;
        assert_eq!(lenenc_int(&[0xfc, 0x10, 0x01], &mut pos), Some(0x110));
        let mut g = vec![0x0a];
        g.extend_from_slice(b"5.5.5-10.11.6-MariaDB\0");
        g.extend_from_slice(&[1, 0, 0, 0]);
        g.extend_from_slice(b"abcdefgh");
        g.push(0);
        g.extend_from_slice(&[0xff, 0xf7, 45, 2, 0, 0xff, 0x81, 21]);
        g.extend_from_slice(&[0; 10]);
        g.extend_from_slice(b"ijklmnopqrst\0");
        g.extend_from_slice(b"mysql_native_password\0");
        let (v, plugin) = parse_greeting(&g).unwrap().unwrap();
        assert_eq!(plugin, "mysql_native_password");
        assert_eq!(
            product_version(&v),
            ("MariaDB".into(), "10.11.6-MariaDB".into())
        );
        assert!(parse_greeting(b"HTTP/1.1").is_none());
    }
}
