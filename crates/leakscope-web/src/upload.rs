//! `POST /cases/{id}/samples`: a sample uploaded into a case. The form's first field must be the
//! CSRF token (checked before a byte of the file is accepted); files are streamed to
//! `<data dir>/cases/<uuid>/uploads/<time>-<random>/` (0700 directory, 0600 files) and refused
//! with 413 past the size limit (the partial upload is deleted); then a background job scans
//! them ([`crate::jobs`]). A page with JavaScript gets JSON (`leakscope.web-job/1` links); a
//! plain form post is redirected to the case page, which shows the job.

use crate::auth::Auth;
use crate::error::WebError;
use crate::WebState;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use std::path::{Path as FsPath, PathBuf};
use std::sync::Arc;
use tokio::io::AsyncWriteExt;

/// A file name from a browser as it may be written to disk: its last path component, characters
/// other than letters, digits, `.`, `_` and `-` replaced by `_`, no leading dot, at most 100
/// characters; `sample` when nothing is left.
pub fn safe_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let mut s: String = last
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    while s.starts_with('.') {
        s.remove(0);
    }
    if s.chars().count() > 100 {
        // Keep the extension, which helps the reader.
        let ext: String = s
            .rsplit_once('.')
            .map(|(_, e)| e.chars().take(12).collect())
            .unwrap_or_default();
        let head: String = s.chars().take(80).collect();
        s = if ext.is_empty() {
            head
        } else {
            format!("{head}.{ext}")
        };
    }
    if s.is_empty() || s.chars().all(|c| c == '_') {
        "sample".into()
    } else {
        s
    }
}

fn private_dir(dir: &FsPath) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

async fn private_file(path: &FsPath) -> std::io::Result<tokio::fs::File> {
    let mut o = tokio::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    o.mode(0o600);
    o.open(path).await
}

/// Deletes the upload directory when dropped, unless kept.
struct Cleanup {
    dir: PathBuf,
    keep: bool,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"))
}

/// `POST /cases/{id}/samples` (multipart: `csrf`, then one or more `sample` files).
pub async fn upload(
    State(st): State<Arc<WebState>>,
    auth: Auth,
    Path(id): Path<i64>,
    headers: HeaderMap,
    mut form: Multipart,
) -> Result<Response, WebError> {
    auth.require_work()?;
    let limit = st.opts.upload_limit;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit.saturating_add(1 << 20)) {
        return Err(WebError::TooLarge(format!(
            "the upload is larger than the limit of {} (serve --upload-limit)",
            crate::fmt::bytes(limit)
        )));
    }
    let bad = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            WebError::TooLarge(format!(
                "the upload is larger than the limit of {}",
                crate::fmt::bytes(limit)
            ))
        } else {
            WebError::BadRequest(format!("the upload could not be read: {}", e.body_text()))
        }
    };
    // The CSRF token comes first: nothing is written before it is checked.
    let first = form.next_field().await.map_err(bad)?;
    let token = match first {
        Some(f) if f.name() == Some("csrf") => f.text().await.map_err(bad)?,
        _ => String::new(),
    };
    auth.check_csrf(&token)?;
    let uuid = st
        .pool
        .run(move |db| Ok(leakscope_cases::store::get(db, id)?))
        .await?
        .uuid;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let dir = st
        .opts
        .data_dir
        .join("cases")
        .join(&uuid)
        .join("uploads")
        .join(format!(
            "{stamp}-{}",
            crate::sessions::random_token(6)?.replace(['-', '_'], "x")
        ));
    private_dir(&dir)
        .map_err(|e| WebError::Unavailable(format!("cannot create the upload directory: {e}")))?;
    let mut cleanup = Cleanup {
        dir: dir.clone(),
        keep: false,
    };
    let mut total: u64 = 0;
    let mut files = 0usize;
    let mut names: Vec<String> = Vec::new();
    while let Some(mut field) = form.next_field().await.map_err(bad)? {
        if field.name() != Some("sample") {
            continue;
        }
        let Some(original) = field.file_name().map(str::to_string) else {
            continue;
        };
        if original.is_empty() {
            continue;
        }
        let mut name = safe_file_name(&original);
        while names.contains(&name) {
            name = format!("{}-{name}", names.len());
        }
        let path = dir.join(&name);
        let mut out = private_file(&path)
            .await
            .map_err(|e| WebError::Unavailable(format!("cannot write the upload: {e}")))?;
        let mut size: u64 = 0;
        while let Some(chunk) = field.chunk().await.map_err(bad)? {
            size += chunk.len() as u64;
            total += chunk.len() as u64;
            if total > limit {
                return Err(WebError::TooLarge(format!(
                    "the upload is larger than the limit of {} (serve --upload-limit); nothing was kept",
                    crate::fmt::bytes(limit)
                )));
            }
            out.write_all(&chunk)
                .await
                .map_err(|e| WebError::Unavailable(format!("cannot write the upload: {e}")))?;
        }
        out.flush()
            .await
            .map_err(|e| WebError::Unavailable(format!("cannot write the upload: {e}")))?;
        if size == 0 {
            let _ = tokio::fs::remove_file(&path).await;
            continue;
        }
        files += 1;
        names.push(name);
    }
    if files == 0 {
        return Err(WebError::BadRequest(
            "choose at least one non-empty file to upload".into(),
        ));
    }
    let job = st.jobs.submit(
        id,
        auth.name(),
        auth.client.clone(),
        dir.clone(),
        files,
        total,
    )?;
    cleanup.keep = true;
    st.record(auth.audit(
        "sample_upload",
        Some(format!("case {id}")),
        format!("{files} file(s), {total} bytes, job {job}"),
    ))
    .await?;
    if wants_json(&headers) {
        return Ok((
            StatusCode::ACCEPTED,
            Json(json!({
                "schema": crate::jobs::JOB_SCHEMA,
                "job": job,
                "case": id,
                "status": format!("/cases/{id}/jobs/{job}"),
                "events": format!("/cases/{id}/jobs/{job}/events"),
            })),
        )
            .into_response());
    }
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/cases/{id}?job={job}#upload")) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_file_names_are_made_safe() {
        assert_eq!(safe_file_name("dump.csv"), "dump.csv");
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(
            safe_file_name("C:\\Users\\x\\Khách hàng.xlsx"),
            "Kh_ch_h_ng.xlsx"
        );
        assert_eq!(safe_file_name(".hidden"), "hidden");
        assert_eq!(safe_file_name(""), "sample");
        assert_eq!(safe_file_name("数据"), "sample");
        let long = format!("{}.csv.gz", "a".repeat(300));
        let s = safe_file_name(&long);
        assert!(s.len() <= 100 && s.ends_with(".gz"), "{s}");
    }
}
