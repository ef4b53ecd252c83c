//! Web servers: directory listings (nginx `autoindex`, Apache, Python `http.server` …) walked
//! breadth-first (depth 3, 50 listings, 2,000 entries at most) and a short documented list of
//! well-known paths (`HEAD` only, after a soft-404 check); files whose names say dump, backup or
//! export are sampled with one ranged `GET` (`Range: bytes=0-N`, N = the sample byte limit);
//! `.env` and `.git/config` are read to confirm them — variable names are counted and secret-like
//! names flagged, values never kept.

use super::{new_service, ProbeResult, Probed};
use crate::http::{Http, Resp};
use crate::model::{Auth, ServiceKind, Store};
use crate::sample::Sample;

/// Extensions of files that hold data (checked on the lower-cased name, longest first).
pub const DUMP_EXTENSIONS: &[&str] = &[
    ".sql.gz", ".sql.bz2", ".sql.xz", ".sql.zst", ".csv.gz", ".json.gz", ".tar.gz", ".sql",
    ".dump", ".bak", ".zip", ".tgz", ".7z", ".csv", ".tsv", ".xlsx", ".xls", ".ndjson", ".jsonl",
    ".json", ".gz",
];

/// Paths checked with `HEAD` on every web server (when the well-known path checks are on).
pub const WELL_KNOWN: &[&str] = &[
    "/.env",
    "/.git/config",
    "/backup.sql",
    "/backup.sql.gz",
    "/backup.zip",
    "/backup.tar.gz",
    "/dump.sql",
    "/dump.sql.gz",
    "/db.sql",
    "/db.sql.gz",
    "/database.sql",
    "/users.csv",
    "/customers.csv",
];

const MAX_LISTINGS: usize = 50;
const MAX_ENTRIES: usize = 2000;
const MAX_DEPTH: usize = 3;

/// The data kind of a file name: `Some(ext)` for dump/backup/export files.
pub fn dump_ext(name: &str) -> Option<&'static str> {
    let n = name.to_ascii_lowercase();
    let n = n.split(['?', '#']).next().unwrap_or("");
    DUMP_EXTENSIONS.iter().copied().find(|e| n.ends_with(e))
}

/// A configuration file that should never be served.
pub fn config_kind(path: &str) -> Option<&'static str> {
    let p = path.to_ascii_lowercase();
    if p.ends_with("/.env") || p.ends_with(".env.production") || p.ends_with(".env.local") {
        Some("env")
    } else if p.ends_with("/.git/config") {
        Some("git")
    } else {
        None
    }
}

/// True when the page is a generated directory listing.
pub fn is_listing(body: &str) -> bool {
    let head: String = body
        .chars()
        .take(4096)
        .collect::<String>()
        .to_ascii_lowercase();
    head.contains("<title>index of /")
        || head.contains("<h1>index of /")
        || head.contains("directory listing for /")
        || head.contains("<title>directory listing")
}

/// Relative links of a listing (no parent, no absolute or query links).
pub fn listing_links(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = body.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("href=") {
        let start = from + i + 5;
        let quote = body[start..].chars().next();
        let (s, end) = match quote {
            Some(q @ ('"' | '\'')) => {
                let s = start + 1;
                match body[s..].find(q) {
                    Some(e) => (s, s + e),
                    None => break,
                }
            }
            _ => {
                let e = body[start..]
                    .find(|c: char| c.is_whitespace() || c == '>')
                    .map_or(body.len(), |e| start + e);
                (start, e)
            }
        };
        let link = &body[s..end];
        from = end;
        if link.is_empty()
            || link.starts_with('?')
            || link.starts_with('#')
            || link.starts_with('/')
            || link.starts_with("..")
            || link.contains("://")
            || link.starts_with("mailto:")
        {
            continue;
        }
        if !out.iter().any(|l| l == link) {
            out.push(link.to_string());
        }
        if out.len() >= MAX_ENTRIES {
            break;
        }
    }
    out
}

/// Reads the first bytes of a file with a ranged GET: the sample and the file's full size.
pub fn sample_file(
    c: &Http,
    path: &str,
    source: String,
    limit: u64,
) -> Result<(Sample, Option<u64>), String> {
    let range = format!("bytes=0-{}", limit.saturating_sub(1));
    let r = c.get_with(path, &[("range", range.as_str())], limit)?;
    if r.status != 200 && r.status != 206 {
        return Err(format!("GET answered HTTP {}", r.status));
    }
    let total = r
        .header("content-range")
        .and_then(|v| v.rsplit('/').next())
        .and_then(|n| n.trim().parse().ok())
        .or_else(|| {
            (r.status == 200)
                .then(|| {
                    r.header("content-length")
                        .and_then(|n| n.trim().parse().ok())
                })
                .flatten()
        })
        .or((!r.truncated).then_some(r.body.len() as u64));
    Ok((
        Sample::File {
            source,
            data: r.body,
        },
        total,
    ))
}

fn env_facts(body: &str) -> (u64, Vec<String>) {
    let mut n = 0;
    let mut secret = Vec::new();
    for l in body.lines() {
        let l = l.trim();
        if l.starts_with('#') {
            continue;
        }
        let l = l.strip_prefix("export ").unwrap_or(l);
        if let Some((k, _)) = l.split_once('=') {
            let k = k.trim();
            if !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                n += 1;
                let u = k.to_ascii_uppercase();
                if [
                    "PASS",
                    "SECRET",
                    "TOKEN",
                    "KEY",
                    "PRIVATE",
                    "DSN",
                    "DATABASE_URL",
                ]
                .iter()
                .any(|w| u.contains(w))
                    && secret.len() < 20
                {
                    secret.push(k.to_string());
                }
            }
        }
    }
    (n, secret)
}

/// Probes a web server whose `GET /` answered `root`; `path` is a URL target's path.
pub fn probe(c: &Http, root: &Resp, path: &str) -> ProbeResult {
    let ep = c.endpoint();
    let mut svc = new_service(ep, ServiceKind::Http);
    svc.product = root
        .header("server")
        .map(|s| s.chars().take(60).collect::<String>());
    if root.status == 401 {
        svc.auth = Auth::Required;
        svc.auth_detail = "GET / answered HTTP 401".into();
        return Ok(Some(Probed::new(svc)));
    }
    let limits = c.limits().clone();
    let mut out = Probed::new(svc);
    let mut files: Vec<String> = Vec::new();
    let mut configs: Vec<String> = Vec::new();
    // Directory listings, breadth first.
    let start = if path.is_empty() {
        "/".to_string()
    } else {
        path.to_string()
    };
    let mut queue = vec![(start, 0usize)];
    let mut listings = 0;
    let mut entries = 0;
    while let Some((dir, depth)) = (!queue.is_empty()).then(|| queue.remove(0)) {
        let page = if dir == "/" {
            root.clone()
        } else {
            match c.get(&dir, 4 << 20) {
                Ok(p) => p,
                Err(_) => continue,
            }
        };
        if page.status != 200 {
            continue;
        }
        let text = page.text();
        if !is_listing(&text) {
            if dump_ext(&dir).is_some() {
                files.push(dir.clone());
            }
            continue;
        }
        listings += 1;
        out.service.stores.push(Store {
            name: dir.clone(),
            kind: "listing".into(),
            records: None,
            bytes: None,
            newest: None,
            sampled: 0,
            source: None,
        });
        for l in listing_links(&text) {
            entries += 1;
            let full = format!(
                "{}{}",
                if dir.ends_with('/') {
                    dir.clone()
                } else {
                    format!("{dir}/")
                },
                l
            );
            if l.ends_with('/') {
                if depth < MAX_DEPTH && listings + queue.len() < MAX_LISTINGS {
                    queue.push((full, depth + 1));
                }
            } else if config_kind(&full).is_some() {
                configs.push(full);
            } else if dump_ext(&l).is_some() {
                files.push(full);
            }
            if entries >= MAX_ENTRIES {
                break;
            }
        }
        if entries >= MAX_ENTRIES || listings >= MAX_LISTINGS {
            out.service
                .notes
                .push("directory walk stopped at its limits (50 listings, 2,000 entries)".into());
            break;
        }
    }
    if listings > 0 {
        out.service
            .details
            .insert("directory_listings".into(), listings.into());
    }
    // Well-known paths, unless the server answers 200 for anything (soft 404).
    if limits.well_known_paths {
        let probe_path = format!("/leakscope-check-{}.sql", ep.port);
        let soft = c.head(&probe_path).map(|r| r.status == 200).unwrap_or(true);
        if soft {
            out.service
                .notes
                .push("the server answers 200 for any path: well-known paths not checked".into());
        } else {
            for p in WELL_KNOWN {
                if files.iter().chain(&configs).any(|f| f == p) {
                    continue;
                }
                if let Ok(r) = c.head(p) {
                    if r.status == 200 {
                        if config_kind(p).is_some() {
                            configs.push(p.to_string());
                        } else {
                            files.push(p.to_string());
                        }
                    }
                }
            }
        }
    }
    for p in configs.iter().take(10) {
        let Ok(r) = c.get(p, 256 << 10) else { continue };
        if r.status != 200 {
            continue;
        }
        let text = r.text();
        match config_kind(p) {
            Some("env") => {
                let (n, secret) = env_facts(&text);
                if n == 0 {
                    continue;
                }
                out.service.stores.push(config_file(p, r.body.len()));
                out.service.notes.push(format!(
                    "{p}: {n} variables exposed{}",
                    if secret.is_empty() {
                        String::new()
                    } else {
                        format!(", secret-like names: {}", secret.join(", "))
                    }
                ));
            }
            Some(_) if text.contains("[core]") || text.contains("[remote") => {
                out.service.stores.push(config_file(p, r.body.len()));
                out.service.notes.push(format!(
                    "{p}: git repository metadata exposed (the source and its history may be downloadable)"
                ));
            }
            _ => {}
        }
    }
    files.sort();
    files.dedup();
    for (i, f) in files.iter().enumerate() {
        let mut store = Store {
            name: f.clone(),
            kind: "file".into(),
            records: None,
            bytes: None,
            newest: None,
            sampled: 0,
            source: None,
        };
        if i < limits.stores_per_service {
            let source = format!("{}{}", c.base(), f);
            store.source = Some(source.clone());
            match sample_file(c, f, source, limits.sample_bytes) {
                Ok((s, total)) => {
                    store.bytes = total;
                    out.samples.push(s);
                }
                Err(e) => out.service.notes.push(format!("{f}: {e}")),
            }
        }
        out.service.stores.push(store);
    }
    let exposed = out
        .service
        .stores
        .iter()
        .any(|s| s.kind == "file" || s.kind == "config-file");
    if exposed {
        out.service.auth = Auth::None;
        out.service.auth_detail = "files served without credentials".into();
    } else if listings > 0 {
        out.service.auth = Auth::None;
        out.service.auth_detail =
            "directory listing without credentials, no data file in it".into();
    } else {
        out.service.auth = Auth::Unknown;
        out.service.auth_detail = "no directory listing or data file found".into();
    }
    Ok(Some(out))
}

/// An exposed configuration file, as a store of no records.
fn config_file(path: &str, bytes: usize) -> Store {
    Store {
        name: path.to_string(),
        kind: "config-file".into(),
        records: None,
        bytes: Some(bytes as u64),
        newest: None,
        sampled: 0,
        source: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listings_and_names() {
        let nginx = "<html>\r\n<head><title>Index of /backup/</title></head>\r\n<body>\r\n<h1>Index of /backup/</h1><hr><pre><a href=\"../\">../</a>\r\n<a href=\"old/\">old/</a> 01-Dec-2026 10:00 -\r\n<a href=\"shop_2026.sql.gz\">shop_2026.sql.gz</a> 01-Dec-2026 10:00 12345\r\n<a href=\"readme.txt\">readme.txt</a>\r\n</pre><hr></body>\r\n</html>";
        assert!(is_listing(nginx));
        assert_eq!(
            listing_links(nginx),
            vec!["old/", "shop_2026.sql.gz", "readme.txt"]
        );
        assert_eq!(dump_ext("shop_2026.SQL.GZ"), Some(".sql.gz"));
        assert_eq!(dump_ext("readme.txt"), None);
        assert_eq!(config_kind("/app/.env"), Some("env"));
        assert!(!is_listing("<html><title>Welcome to nginx!</title>"));
        let (n, s) = env_facts(
            "# x\nAPP_NAME=shop\nDB_PASSWORD=hunter2\nexport API_TOKEN=abc\nnot a line\n",
        );
        assert_eq!(n, 3);
        assert_eq!(s, vec!["DB_PASSWORD", "API_TOKEN"]);
    }
}
