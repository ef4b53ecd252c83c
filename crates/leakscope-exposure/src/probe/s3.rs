//! S3-compatible object stores (AWS S3, MinIO, Ceph RGW …), anonymous requests only (never
//! signed): `GET /` (a bucket list, or a bucket's listing on a virtual-hosted endpoint), and for
//! each bucket named by a URL target or the bucket list `GET /{bucket}?list-type=2&max-keys=1000`
//! (ListObjectsV2, first page). Objects whose names say dump, backup or export are sampled with a
//! ranged GET, as on web servers.

use super::http::{dump_ext, sample_file};
use super::{new_service, ProbeResult, Probed};
use crate::http::{encode_segment, Http, Resp};
use crate::model::{Auth, ServiceKind, Store};
use quick_xml::events::Event;

/// One object of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    /// Key.
    pub key: String,
    /// Size in bytes.
    pub size: u64,
    /// LastModified.
    pub modified: String,
}

/// What an S3 XML answer holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// Root element (`ListBucketResult`, `ListAllMyBucketsResult`, `Error`).
    pub root: String,
    /// Bucket names (ListAllMyBucketsResult) or the listed bucket (ListBucketResult).
    pub buckets: Vec<String>,
    /// Objects (ListBucketResult).
    pub objects: Vec<Object>,
    /// More pages exist.
    pub truncated: bool,
    /// Error code (Error).
    pub code: Option<String>,
}

/// Parses an S3 XML answer.
pub fn parse(xml: &str) -> Option<Listing> {
    let mut r = quick_xml::Reader::from_str(xml);
    let mut l = Listing::default();
    let mut path: Vec<String> = Vec::new();
    let mut cur = Object {
        key: String::new(),
        size: 0,
        modified: String::new(),
    };
    let mut text = String::new();
    loop {
        match r.read_event() {
            Ok(Event::Start(e)) => {
                let n = e.local_name().as_ref().to_string();
                if path.is_empty() {
                    l.root = n.clone();
                }
                path.push(n);
                text.clear();
            }
            Ok(Event::Text(t)) => text.push_str(&t.html_content()),
            Ok(Event::GeneralRef(g)) => match g.resolve_char_ref() {
                Ok(Some(c)) => text.push(c),
                _ => text.push_str(match g.html_content().as_ref() {
                    "amp" => "&",
                    "lt" => "<",
                    "gt" => ">",
                    "quot" => "\"",
                    "apos" => "'",
                    _ => "",
                }),
            },
            Ok(Event::End(e)) => {
                let n = e.local_name().as_ref().to_string();
                let parent = path.len().checked_sub(2).map(|i| path[i].as_str());
                let value = std::mem::take(&mut text);
                match (parent, n.as_str()) {
                    (Some("Contents"), "Key") => cur.key = value,
                    (Some("Contents"), "Size") => cur.size = value.trim().parse().unwrap_or(0),
                    (Some("Contents"), "LastModified") => cur.modified = value,
                    (Some("Bucket"), "Name") | (Some("ListBucketResult"), "Name") => {
                        l.buckets.push(value)
                    }
                    (Some("ListBucketResult"), "IsTruncated") => {
                        l.truncated = value.trim() == "true"
                    }
                    (Some("Error"), "Code") => l.code = Some(value),
                    (_, "Contents") => l.objects.push(std::mem::replace(
                        &mut cur,
                        Object {
                            key: String::new(),
                            size: 0,
                            modified: String::new(),
                        },
                    )),
                    _ => {}
                }
                path.pop();
            }
            Ok(Event::Eof) => break,
            Err(_) => return None,
            _ => {}
        }
    }
    (!l.root.is_empty()).then_some(l)
}

fn is_s3(root: &Resp) -> bool {
    let server = root.header("server").unwrap_or("").to_ascii_lowercase();
    server.contains("amazons3")
        || server.contains("minio")
        || root.header("x-amz-request-id").is_some()
        || root.header("x-amz-id-2").is_some()
        || {
            let t = root.text();
            t.contains("<ListAllMyBucketsResult") || t.contains("<ListBucketResult")
        }
}

/// Recognises an S3-compatible store from the `GET /` answer and probes it; `path` is a URL
/// target's path (its first segment names a bucket).
pub fn recognise(c: &Http, root: &Resp, path: &str) -> ProbeResult {
    if !is_s3(root) {
        return Ok(None);
    }
    let mut svc = new_service(c.endpoint(), ServiceKind::S3);
    let server = root.header("server").unwrap_or("");
    svc.product = Some(if server.to_ascii_lowercase().contains("minio") {
        "MinIO".into()
    } else {
        "S3-compatible".into()
    });
    let root_listing = parse(&root.text());
    let mut buckets: Vec<String> = Vec::new();
    let mut listings: Vec<(String, Listing)> = Vec::new();
    match &root_listing {
        Some(l) if l.root == "ListAllMyBucketsResult" => buckets = l.buckets.clone(),
        Some(l) if l.root == "ListBucketResult" => listings.push((
            l.buckets.first().cloned().unwrap_or_else(|| "/".into()),
            l.clone(),
        )),
        _ => {}
    }
    if let Some(b) = path
        .trim_matches('/')
        .split('/')
        .next()
        .filter(|b| !b.is_empty())
    {
        if !buckets.iter().any(|x| x == b) {
            buckets.insert(0, b.to_string());
        }
    }
    let limits = c.limits().clone();
    let mut refused = Vec::new();
    for b in buckets.iter().take(limits.stores_per_service) {
        let r = c.get(
            &format!("/{}?list-type=2&max-keys=1000", encode_segment(b)),
            8 << 20,
        )?;
        match parse(&r.text()) {
            Some(l) if r.status == 200 && l.root == "ListBucketResult" => {
                listings.push((b.clone(), l))
            }
            Some(l) => refused.push(format!(
                "{b}: {}",
                l.code.unwrap_or_else(|| format!("HTTP {}", r.status))
            )),
            None => refused.push(format!("{b}: HTTP {}", r.status)),
        }
    }
    if listings.is_empty() {
        svc.auth = Auth::Required;
        svc.auth_detail = if refused.is_empty() {
            "anonymous bucket listing refused (give bucket URLs as targets to check buckets)".into()
        } else {
            format!("anonymous listing refused: {}", refused.join("; "))
        };
        return Ok(Some(Probed::new(svc)));
    }
    svc.auth = Auth::None;
    svc.auth_detail = "bucket listed anonymously".into();
    let mut out = Probed::new(svc);
    let mut sampled = 0;
    for (bucket, l) in listings {
        out.service.stores.push(Store {
            name: bucket.clone(),
            kind: "bucket".into(),
            records: Some(l.objects.len() as u64),
            bytes: Some(l.objects.iter().map(|o| o.size).sum()),
            newest: l.objects.iter().map(|o| o.modified.clone()).max(),
            sampled: 0,
            source: None,
        });
        if l.truncated {
            out.service.notes.push(format!(
                "bucket {bucket}: more than 1,000 objects (first page read)"
            ));
        }
        for o in l.objects.iter().filter(|o| dump_ext(&o.key).is_some()) {
            let key_path = format!(
                "/{}/{}",
                encode_segment(&bucket),
                o.key
                    .split('/')
                    .map(encode_segment)
                    .collect::<Vec<_>>()
                    .join("/")
            );
            let mut store = Store {
                name: format!("{bucket}/{}", o.key),
                kind: "file".into(),
                records: None,
                bytes: Some(o.size),
                newest: Some(o.modified.clone()),
                sampled: 0,
                source: None,
            };
            if sampled < limits.stores_per_service {
                sampled += 1;
                let source = format!("s3://{}/{bucket}/{}", c.endpoint().authority(), o.key);
                store.source = Some(source.clone());
                match sample_file(c, &key_path, source, limits.sample_bytes) {
                    Ok((s, total)) => {
                        store.bytes = total.or(Some(o.size));
                        out.samples.push(s);
                    }
                    Err(e) => out.service.notes.push(format!("{}: {e}", store.name)),
                }
            }
            out.service.stores.push(store);
        }
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_listings_and_errors() {
        // Shape from the Amazon S3 API Reference, ListObjectsV2 (2006-03-01).
        let x = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>backups</Name><Prefix></Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys>
  <IsTruncated>false</IsTruncated>
  <Contents><Key>crm/customers.csv</Key><LastModified>2026-11-02T03:04:05.000Z</LastModified>
    <ETag>&quot;x&quot;</ETag><Size>2048</Size><StorageClass>STANDARD</StorageClass></Contents>
  <Contents><Key>logo.png</Key><LastModified>2026-10-01T00:00:00.000Z</LastModified><Size>10</Size></Contents>
</ListBucketResult>"#;
        let l = parse(x).unwrap();
        assert_eq!(l.root, "ListBucketResult");
        assert_eq!(l.buckets, vec!["backups"]);
        assert_eq!(l.objects.len(), 2);
        assert_eq!(l.objects[0].key, "crm/customers.csv");
        assert_eq!(l.objects[0].size, 2048);
        let e = parse("<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>")
            .unwrap();
        assert_eq!(e.code.as_deref(), Some("AccessDenied"));
        assert!(parse("not xml <<<").is_none_or(|l| l.objects.is_empty()));
    }
}
