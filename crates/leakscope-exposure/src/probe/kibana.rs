//! Kibana and OpenSearch Dashboards: recognised by their `kbn-name` / `osd-name` headers or
//! their redirect to `/app/…`, `/spaces/enter` or `/login`. Sends `GET /api/status` (login
//! required?), `GET /api/saved_objects/_find?type=index-pattern` and `…type=dashboard`
//! (saved objects), and, when the dashboard is open, reads the cluster behind it through the
//! console proxy with GET requests only: `POST /api/console/proxy?method=GET&path=…` for
//! `_cat/indices`, `_mapping` and `_search` (the `kbn-xsrf` / `osd-xsrf` header the API
//! requires is sent; any other method is never proxied).

use super::elastic;
use super::{new_service, ProbeResult, Probed};
use crate::http::{Http, Resp};
use crate::model::{Auth, ServiceKind, Store};
use serde_json::Value;

fn looks_like_kibana(root: &Resp) -> Option<&'static str> {
    if root.header("osd-name").is_some() {
        return Some("OpenSearch Dashboards");
    }
    if root.header("kbn-name").is_some() || root.header("kbn-version").is_some() {
        return Some("Kibana");
    }
    let loc = root.header("location").unwrap_or("");
    if (300..400).contains(&root.status)
        && (loc.starts_with("/app/kibana")
            || loc.starts_with("/app/home")
            || loc.starts_with("/spaces/enter")
            || loc.starts_with("/app/dashboards"))
    {
        return Some("Kibana");
    }
    let t = root.text();
    if t.contains("kbn-injected-metadata") || t.contains("osd-injected-metadata") {
        return Some("Kibana");
    }
    None
}

/// Recognises Kibana / OpenSearch Dashboards from the `GET /` response and probes it.
pub fn recognise(c: &Http, root: &Resp) -> ProbeResult {
    let Some(product) = looks_like_kibana(root) else {
        return Ok(None);
    };
    let osd = product.starts_with("OpenSearch");
    let mut svc = new_service(c.endpoint(), ServiceKind::Kibana);
    svc.product = Some(product.into());
    svc.version = root
        .header("kbn-version")
        .or(root.header("osd-version"))
        .map(str::to_string);
    let status = c.get("/api/status", 4 << 20)?;
    if status.status == 401 || status.status == 403 {
        svc.auth = Auth::Required;
        svc.auth_detail = format!("GET /api/status answered HTTP {}", status.status);
        return Ok(Some(Probed::new(svc)));
    }
    let Some(sv) = status.json().filter(|_| status.status == 200) else {
        svc.auth_detail = format!("GET /api/status answered HTTP {}", status.status);
        return Ok(Some(Probed::new(svc)));
    };
    if let Some(v) = sv.pointer("/version/number").and_then(Value::as_str) {
        svc.version = Some(v.to_string());
    }
    if let Some(n) = sv.get("name").and_then(Value::as_str) {
        svc.details.insert("name".into(), n.into());
    }
    svc.auth = Auth::None;
    svc.auth_detail = "GET /api/status answered without login".into();
    let mut out = Probed::new(svc);
    let xsrf = if osd { "osd-xsrf" } else { "kbn-xsrf" };
    for (kind, label) in [
        ("index-pattern", "index-pattern"),
        ("dashboard", "dashboard"),
    ] {
        let r = c.get_with(
            &format!("/api/saved_objects/_find?type={kind}&per_page=100"),
            &[(xsrf, "true")],
            8 << 20,
        )?;
        let Some(v) = r.json().filter(|_| r.status == 200) else {
            continue;
        };
        let total = v.get("total").and_then(Value::as_u64);
        out.service
            .details
            .insert(format!("saved_{label}s"), total.into());
        if kind == "index-pattern" {
            for o in v
                .get("saved_objects")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(t) = o.pointer("/attributes/title").and_then(Value::as_str) {
                    out.service.stores.push(Store {
                        name: t.to_string(),
                        kind: "index-pattern".into(),
                        records: None,
                        bytes: None,
                        newest: None,
                        sampled: 0,
                        source: None,
                    });
                }
            }
        }
    }
    // The data behind the dashboard, through the console proxy (GET only).
    let fetch = |path: &str, limit: u64| -> Result<Resp, String> {
        let p = crate::http::encode_segment(path.trim_start_matches('/'));
        c.post_json(
            &format!("/api/console/proxy?method=GET&path={p}"),
            &[(xsrf, "true")],
            "",
            limit,
        )
    };
    match fetch(elastic::CAT, 16 << 20) {
        Ok(cat) if cat.status == 200 && cat.json().is_some_and(|v| v.is_array()) => {
            out.service
                .details
                .insert("console_proxy".into(), "open".into());
            let source = format!("kibana://{}", c.endpoint().authority());
            elastic::read_indices(&fetch, &cat, &source, c.limits(), &mut out);
        }
        Ok(r) => out.service.notes.push(format!(
            "console proxy answered HTTP {}: the cluster behind was not read",
            r.status
        )),
        Err(e) => out.service.notes.push(format!("console proxy: {e}")),
    }
    Ok(Some(out))
}
