//! The probes: one module per product, each read-only and documented in `docs/exposure.md`.
//! A probe answers `Ok(None)` when the endpoint is not its product, `Ok(Some(…))` with the
//! service (open or not) and the samples it read, or `Err` when the conversation failed.

pub mod bson;
pub mod elastic;
pub mod http;
pub mod kibana;
pub mod mongo;
pub mod mysql;
pub mod postgres;
pub mod redis;
pub mod s3;

use crate::model::{Auth, Service, ServiceKind};
use crate::net::{Endpoint, Net};
use crate::sample::Sample;
use std::collections::BTreeMap;

/// A service and what was read from it.
#[derive(Debug, Clone)]
pub struct Probed {
    /// The service.
    pub service: Service,
    /// Samples (in memory only, profiled then dropped).
    pub samples: Vec<Sample>,
}

impl Probed {
    /// A service without samples.
    pub fn new(service: Service) -> Probed {
        Probed {
            service,
            samples: Vec::new(),
        }
    }
}

/// What a probe returns.
pub type ProbeResult = Result<Option<Probed>, String>;

/// A fresh service record for `ep`, auth unknown.
pub fn new_service(ep: &Endpoint, kind: ServiceKind) -> Service {
    Service {
        host: ep.host(),
        ip: ep.ip.to_string(),
        port: ep.port,
        kind,
        product: None,
        version: None,
        auth: Auth::Unknown,
        auth_detail: String::new(),
        details: BTreeMap::new(),
        stores: Vec::new(),
        notes: Vec::new(),
    }
}

/// Default ports and the service each usually is.
pub const DEFAULT_PORTS: &[(u16, ServiceKind)] = &[
    (9200, ServiceKind::Elasticsearch),
    (5601, ServiceKind::Kibana),
    (27017, ServiceKind::Mongodb),
    (6379, ServiceKind::Redis),
    (5432, ServiceKind::Postgresql),
    (3306, ServiceKind::Mysql),
    (9000, ServiceKind::S3),
    (80, ServiceKind::Http),
    (443, ServiceKind::Http),
    (8080, ServiceKind::Http),
    (8443, ServiceKind::Http),
];

/// The usual service of a port.
pub fn port_hint(port: u16) -> Option<ServiceKind> {
    DEFAULT_PORTS
        .iter()
        .find(|(p, _)| *p == port)
        .map(|(_, k)| *k)
}

fn is_http_family(k: ServiceKind) -> bool {
    matches!(
        k,
        ServiceKind::Elasticsearch | ServiceKind::Kibana | ServiceKind::S3 | ServiceKind::Http
    )
}

/// Identifies and probes one endpoint: the hinted product first, then the others (one
/// connection each) until one recognises it. `path` is a URL target's path (HTTP only).
pub fn run(
    net: &Net,
    ep: &Endpoint,
    hint: Option<ServiceKind>,
    https: Option<bool>,
    path: &str,
) -> ProbeResult {
    let http = |net: &Net| http_family(net, ep, hint, https, path);
    let order: Vec<ServiceKind> = match hint {
        Some(k) if is_http_family(k) => vec![ServiceKind::Http],
        Some(k) => vec![k],
        None => Vec::new(),
    };
    let mut tried = Vec::new();
    let mut last_err = None;
    // HTTP first (the other products close on an HTTP request); each later probe's first message
    // makes the products before it close at once; MySQL last (it waits for the server's
    // greeting, which only MySQL sends).
    let fallbacks = [
        ServiceKind::Http,
        ServiceKind::Redis,
        ServiceKind::Mongodb,
        ServiceKind::Postgresql,
        ServiceKind::Mysql,
    ];
    for k in order.into_iter().chain(fallbacks) {
        if tried.contains(&k) {
            continue;
        }
        tried.push(k);
        let r = match k {
            ServiceKind::Http => http(net),
            ServiceKind::Mysql => mysql::probe(net, ep),
            ServiceKind::Redis => redis::probe(net, ep),
            ServiceKind::Postgresql => postgres::probe(net, ep),
            ServiceKind::Mongodb => mongo::probe(net, ep),
            _ => continue,
        };
        match r {
            Ok(Some(p)) => return Ok(Some(p)),
            Ok(None) => {}
            Err(e) => {
                // A hinted product that fails mid-conversation is reported, not masked by
                // further guesses.
                if tried.len() == 1 && hint.is_some() {
                    return Err(e);
                }
                last_err = Some(e);
            }
        }
    }
    match last_err {
        Some(e) => Err(e),
        None => Ok(None),
    }
}

/// HTTP(S): `GET /` once, then Elasticsearch/OpenSearch, Kibana/Dashboards, an S3 store, or a
/// web server by what answered.
fn http_family(
    net: &Net,
    ep: &Endpoint,
    hint: Option<ServiceKind>,
    https: Option<bool>,
    path: &str,
) -> ProbeResult {
    let schemes: Vec<bool> = match https {
        Some(h) => vec![h],
        None if matches!(ep.port, 443 | 8443 | 9243) => vec![true, false],
        None => vec![false, true],
    };
    let mut last = None;
    for tls in schemes {
        let c = crate::http::Http::new(net, ep, tls);
        let root = match c.get("/", 1 << 20) {
            Ok(r) => r,
            Err(e) => {
                last = Some(e);
                continue;
            }
        };
        // nginx and others answer plain HTTP sent to a TLS port with this 400.
        if root.status == 400 && root.text().contains("sent to HTTPS port") {
            continue;
        }
        if let Some(p) = elastic::recognise(&c, &root)? {
            return Ok(Some(p));
        }
        if let Some(p) = kibana::recognise(&c, &root)? {
            return Ok(Some(p));
        }
        if let Some(p) = s3::recognise(&c, &root, path)? {
            return Ok(Some(p));
        }
        let _ = hint;
        return http::probe(&c, &root, path);
    }
    match last {
        // Nothing speaks HTTP here.
        Some(_) if hint.is_none() => Ok(None),
        Some(e) => Err(e),
        None => Ok(None),
    }
}
