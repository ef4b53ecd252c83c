//! Stylesheets, the small progressive script and the icon, embedded in the binary (no CDN, no
//! external font). URLs carry a content hash (`/static/app.css?v=…`) so browsers may cache them
//! for a year. `profile.css` is the scan report's own stylesheet (`leakscope-profile`) scoped to
//! the `.lsp` container the case page embeds the report's charts and tables in.

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

const APP_CSS: &str = include_str!("../assets/app.css");
const APP_JS: &str = include_str!("../assets/app.js");
const ICON: &str = include_str!("../assets/icon.svg");

/// The class of the element the profile fragments are embedded in.
pub const PROFILE_SCOPE: &str = ".lsp";

struct Asset {
    name: &'static str,
    mime: &'static str,
    body: String,
    version: String,
}

fn assets() -> &'static [Asset] {
    static ALL: OnceLock<Vec<Asset>> = OnceLock::new();
    ALL.get_or_init(|| {
        let make = |name: &'static str, mime: &'static str, body: String| {
            let version = hex::encode(&Sha256::digest(body.as_bytes())[..6]);
            Asset {
                name,
                mime,
                body,
                version,
            }
        };
        vec![
            make("app.css", "text/css; charset=utf-8", APP_CSS.to_string()),
            make(
                "app.js",
                "text/javascript; charset=utf-8",
                APP_JS.to_string(),
            ),
            make("icon.svg", "image/svg+xml", ICON.to_string()),
            make(
                "profile.css",
                "text/css; charset=utf-8",
                scope_css(leakscope_profile::render::STYLESHEET, PROFILE_SCOPE),
            ),
        ]
    })
}

/// The versioned URL of an asset (`/static/app.css?v=…`).
pub fn url(name: &str) -> String {
    match assets().iter().find(|a| a.name == name) {
        Some(a) => format!("/static/{}?v={}", a.name, a.version),
        None => format!("/static/{name}"),
    }
}

/// `GET /static/{file}`.
pub async fn serve(Path(file): Path<String>) -> Response {
    let Some(a) = assets().iter().find(|a| a.name == file) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut r = a.body.clone().into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(a.mime));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    r
}

/// `GET /favicon.ico`: the SVG icon.
pub async fn favicon() -> Response {
    serve(Path("icon.svg".to_string())).await
}

/// Removes `/* … */` comments.
fn strip_comments(css: &str) -> String {
    let mut o = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find("/*") {
        o.push_str(&rest[..i]);
        match rest[i + 2..].find("*/") {
            Some(j) => rest = &rest[i + 2 + j + 2..],
            None => {
                rest = "";
            }
        }
    }
    o.push_str(rest);
    o
}

/// Rewrites a stylesheet so that it applies inside `scope` only: every selector is prefixed,
/// `:root` becomes the scope itself, rules for `html`, `body` and `main` (the report's page
/// layout) and `@page` are dropped, `@media` blocks are scoped inside.
pub fn scope_css(css: &str, scope: &str) -> String {
    let css = strip_comments(css);
    let mut out = String::with_capacity(css.len() + css.len() / 4);
    scope_block(&css, scope, &mut out);
    out
}

fn scope_block(css: &str, scope: &str, out: &mut String) {
    let mut rest = css;
    while let Some(open) = rest.find('{') {
        let prelude = rest[..open].trim();
        // The matching closing brace.
        let mut depth = 0usize;
        let mut close = None;
        for (i, c) in rest[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(open + i);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(close) = close else { break };
        let body = &rest[open + 1..close];
        rest = &rest[close + 1..];
        if prelude.starts_with("@media") || prelude.starts_with("@supports") {
            let mut inner = String::new();
            scope_block(body, scope, &mut inner);
            if !inner.is_empty() {
                out.push_str(prelude);
                out.push('{');
                out.push_str(&inner);
                out.push_str("}\n");
            }
            continue;
        }
        if prelude.starts_with('@') {
            continue;
        }
        let selectors: Vec<String> = prelude
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .filter_map(|s| {
                let first = s.split_whitespace().next().unwrap_or(s);
                match first {
                    ":root" => Some(scope.to_string()),
                    "html" | "body" | "main" => None,
                    _ => Some(format!("{scope} {s}")),
                }
            })
            .collect();
        if selectors.is_empty() {
            continue;
        }
        out.push_str(&selectors.join(", "));
        out.push('{');
        // One rule per line (declarations joined).
        out.push_str(&body.split_whitespace().collect::<Vec<_>>().join(" "));
        out.push_str("}\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stylesheets_are_scoped() {
        let css = ":root { --a: 1; }\n/* note { x } */ body { margin: 0 }\nh2, .x td { color: red; }\n@media (max-width: 640px) { main { padding: 0 } .kpi { gap: 1px } }\n@page { size: A4 }";
        let s = scope_css(css, ".lsp");
        assert!(s.contains(".lsp{--a: 1;}"), "{s}");
        assert!(s.contains(".lsp h2, .lsp .x td{color: red;}"), "{s}");
        assert!(
            s.contains("@media (max-width: 640px){.lsp .kpi{gap: 1px}\n}"),
            "{s}"
        );
        assert!(!s.contains("body") && !s.contains("main") && !s.contains("@page"));
        assert!(!s.contains("note"));
    }

    #[test]
    fn the_report_stylesheet_scopes_without_leaking_page_rules() {
        let s = scope_css(leakscope_profile::render::STYLESHEET, PROFILE_SCOPE);
        assert!(s.contains(".lsp .kpis"));
        for line in s.lines() {
            let sel = line.split('{').next().unwrap_or("");
            if sel.starts_with("@media") || sel.trim() == "}" {
                continue;
            }
            assert!(sel.starts_with(".lsp"), "unscoped rule: {line}");
        }
        assert!(url("app.css").starts_with("/static/app.css?v="));
    }
}
