//! Background sample scans. An uploaded sample becomes a job; one worker thread runs jobs one
//! at a time (a scan already uses every core) through `leakscope_cases::analyse::add_sample`
//! (scan → verify → corpus overlap → obligations, everything recorded in the case), and
//! publishes its progress — the stage, rows read, bytes, an estimated share — on a watch
//! channel that the page follows over Server-Sent Events ([`events`]) or by polling
//! ([`status`], `leakscope.web-job/1`).
//!
//! Jobs live in memory: a server restart forgets queued and running jobs (their uploads are
//! removed on the next failure path or stay in the case's `uploads/` directory, never recorded
//! as a run).

use crate::auth::Auth;
use crate::error::WebError;
use crate::pool::Pool;
use crate::WebOptions;
use crate::WebState;
use axum::extract::{Path, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use leakscope_cases::analyse::{self, Env, SampleInput};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::convert::Infallible;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// Schema of a job's status document.
pub const JOB_SCHEMA: &str = "leakscope.web-job/1";

/// A job's state as the page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct JobStatus {
    /// Always [`JOB_SCHEMA`].
    pub schema: &'static str,
    /// Job number (per server run).
    pub job: u64,
    /// Case row id.
    pub case: i64,
    /// `queued`, `running`, `done` or `failed`.
    pub state: &'static str,
    /// What is being done (`hashing the sample`, `scanning`, `verifying against the reference`…).
    pub stage: String,
    /// Files uploaded.
    pub files: usize,
    /// Bytes uploaded.
    pub bytes_total: u64,
    /// Rows read so far.
    pub rows: u64,
    /// Bytes read so far (decoded cell text or finished files, whichever is larger).
    pub bytes_read: u64,
    /// Estimated share done while scanning (0–99; 100 when done), when it can be estimated.
    pub percent: Option<u32>,
    /// Why it failed, when it failed (no raw values).
    pub message: Option<String>,
    /// What the run produced, when done: run, rows, people, sensitivity, verdict, next deadline.
    pub result: Option<Value>,
    /// Milliseconds since the job was queued.
    pub elapsed_ms: u64,
}

impl JobStatus {
    /// Done or failed.
    pub fn finished(&self) -> bool {
        matches!(self.state, "done" | "failed")
    }
}

/// One job.
pub struct Job {
    /// Job number.
    pub id: u64,
    /// Case row id.
    pub case_id: i64,
    /// Who uploaded it.
    pub user: String,
    /// Their address.
    pub client: Option<String>,
    /// Where the upload is.
    pub dir: PathBuf,
    queued: Instant,
    status: watch::Sender<JobStatus>,
}

impl Job {
    /// The current status.
    pub fn status(&self) -> JobStatus {
        let mut s = self.status.borrow().clone();
        s.elapsed_ms = self.queued.elapsed().as_millis() as u64;
        s
    }

    fn update(&self, f: impl FnOnce(&mut JobStatus)) {
        let queued = self.queued;
        self.status.send_modify(|s| {
            f(s);
            s.elapsed_ms = queued.elapsed().as_millis() as u64;
        });
    }
}

struct Inner {
    map: Mutex<HashMap<u64, Arc<Job>>>,
    next: AtomicU64,
    queue: Mutex<mpsc::Sender<Arc<Job>>>,
}

/// The job registry and its worker.
#[derive(Clone)]
pub struct Jobs {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Jobs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Jobs")
    }
}

/// Finished jobs are forgotten this long after they finish.
const KEEP_FINISHED: Duration = Duration::from_secs(3600);

impl Jobs {
    /// Starts the worker thread.
    pub fn start(pool: Arc<Pool>, opts: WebOptions) -> Jobs {
        let (tx, rx) = mpsc::channel::<Arc<Job>>();
        let jobs = Jobs {
            inner: Arc::new(Inner {
                map: Mutex::new(HashMap::new()),
                next: AtomicU64::new(1),
                queue: Mutex::new(tx),
            }),
        };
        let spawned = std::thread::Builder::new()
            .name("leakscope-web-scan".into())
            .spawn(move || {
                while let Ok(job) = rx.recv() {
                    run(&pool, &opts, &job);
                }
            });
        if let Err(e) = spawned {
            eprintln!("leakscope serve: web: cannot start the scan worker: {e}");
        }
        jobs
    }

    /// Queues a sample scan; returns its job number.
    pub fn submit(
        &self,
        case_id: i64,
        user: &str,
        client: Option<String>,
        dir: PathBuf,
        files: usize,
        bytes_total: u64,
    ) -> Result<u64, WebError> {
        let id = self.inner.next.fetch_add(1, Ordering::Relaxed);
        let (tx, _) = watch::channel(JobStatus {
            schema: JOB_SCHEMA,
            job: id,
            case: case_id,
            state: "queued",
            stage: "waiting for the scanner".into(),
            files,
            bytes_total,
            rows: 0,
            bytes_read: 0,
            percent: None,
            message: None,
            result: None,
            elapsed_ms: 0,
        });
        let job = Arc::new(Job {
            id,
            case_id,
            user: user.to_string(),
            client,
            dir,
            queued: Instant::now(),
            status: tx,
        });
        {
            let mut map = self.inner.map.lock().unwrap_or_else(|e| e.into_inner());
            map.retain(|_, j| !(j.status().finished() && j.queued.elapsed() > KEEP_FINISHED));
            map.insert(id, job.clone());
        }
        self.inner
            .queue
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .send(job)
            .map_err(|_| WebError::Unavailable("the scan worker is not running".into()))?;
        Ok(id)
    }

    /// A job by number.
    pub fn get(&self, id: u64) -> Option<Arc<Job>> {
        self.inner
            .map
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&id)
            .cloned()
    }

    /// A case's jobs that are queued or running, oldest first.
    pub fn active_for(&self, case_id: i64) -> Vec<JobStatus> {
        let map = self.inner.map.lock().unwrap_or_else(|e| e.into_inner());
        let mut v: Vec<JobStatus> = map
            .values()
            .filter(|j| j.case_id == case_id)
            .map(|j| j.status())
            .filter(|s| !s.finished())
            .collect();
        v.sort_by_key(|s| s.job);
        v
    }
}

/// Runs one job to its end, recording the outcome in the job and the audit log.
fn run(pool: &Pool, opts: &WebOptions, job: &Arc<Job>) {
    job.update(|s| {
        s.state = "running";
        s.stage = "starting".into();
    });
    let total = job.status.borrow().bytes_total;
    let last = Mutex::new(Instant::now() - Duration::from_secs(1));
    let progress_job = job.clone();
    let on_rows: leakscope_scan::ProgressFn = Arc::new(move |p: &leakscope_scan::ScanProgress| {
        let mut l = last.lock().unwrap_or_else(|e| e.into_inner());
        if l.elapsed() < Duration::from_millis(150) {
            return;
        }
        *l = Instant::now();
        let read = p.source_bytes_done.max(p.text_bytes);
        let percent = (total > 0).then(|| ((read.saturating_mul(100)) / total).min(99) as u32);
        progress_job.update(|s| {
            s.rows = p.rows;
            s.bytes_read = read;
            s.percent = percent;
        });
    });
    let env = Env {
        data_dir: opts.data_dir.clone(),
        database: opts.database.clone(),
        secret: None,
        rules: None,
        now: Utc::now(),
        actor: Some(job.user.clone()),
    };
    let stage_job = job.clone();
    let outcome = pool.blocking(|db| {
        let case = leakscope_cases::store::get(db, job.case_id)?;
        let input = SampleInput {
            paths: vec![job.dir.clone()],
            scan_progress: Some(on_rows),
            ..SampleInput::default()
        };
        let report = analyse::add_sample(db, &case, &input, &env, &mut |stage: &str| {
            let stage = stage.to_string();
            stage_job.update(|s| s.stage = stage);
        })?;
        let after = leakscope_cases::store::get(db, job.case_id)?;
        let _ = crate::audit::record(
            db,
            &crate::audit::New::ok(
                Some(&job.user),
                "sample_scanned",
                Some(format!("case {}", job.case_id)),
                format!(
                    "run {}: {} rows, {} people, sensitivity {}, verdict {}",
                    report.run,
                    report.rows,
                    report.people,
                    report.sensitivity,
                    after.verdict.as_deref().unwrap_or("not verified")
                ),
            )
            .from_client(job.client.clone()),
        );
        Ok((report, after))
    });
    match outcome {
        Ok((report, after)) => job.update(|s| {
            s.state = "done";
            s.stage = "done".into();
            s.rows = report.rows;
            s.percent = Some(100);
            s.result = Some(json!({
                "run": report.run,
                "rows": report.rows,
                "people": report.people,
                "sensitivity": report.sensitivity,
                "verdict": after.verdict,
                "next_due": after.next_due,
                "notes": report.notes,
                "errors": report.errors,
            }));
        }),
        Err(e) => {
            let message = leakscope_text::display_message(&e.to_string());
            // Nothing was recorded for this upload: do not keep its bytes.
            let _ = std::fs::remove_dir_all(&job.dir);
            let _ = pool.blocking(|db| {
                Ok(crate::audit::record(
                    db,
                    &crate::audit::New::ok(
                        Some(&job.user),
                        "sample_scanned",
                        Some(format!("case {}", job.case_id)),
                        message.clone(),
                    )
                    .outcome("failed")
                    .from_client(job.client.clone()),
                )?)
            });
            job.update(|s| {
                s.state = "failed";
                s.stage = "failed".into();
                s.message = Some(message);
            });
        }
    }
}

/// A signed-out request to a job endpoint (called by the page's script) gets 401 JSON rather
/// than the sign-in page.
fn signed_in(auth: Result<Auth, WebError>) -> Option<Response> {
    match auth {
        Ok(_) => None,
        Err(WebError::SignIn { .. }) => Some(
            (
                axum::http::StatusCode::UNAUTHORIZED,
                Json(json!({"schema": JOB_SCHEMA, "error": "signed out: sign in again"})),
            )
                .into_response(),
        ),
        Err(e) => Some(e.into_response()),
    }
}

fn find(st: &WebState, case: i64, job: u64) -> Result<Arc<Job>, WebError> {
    st.jobs
        .get(job)
        .filter(|j| j.case_id == case)
        .ok_or_else(|| {
            WebError::NotFound(format!(
                "no job {job} for case {case} (jobs are forgotten when the server restarts)"
            ))
        })
}

/// `GET /cases/{id}/jobs/{job}`: the job's status (`leakscope.web-job/1`).
pub async fn status(
    State(st): State<Arc<WebState>>,
    auth: Result<Auth, WebError>,
    Path((case, job)): Path<(i64, u64)>,
) -> Result<Response, WebError> {
    if let Some(r) = signed_in(auth) {
        return Ok(r);
    }
    let j = find(&st, case, job)?;
    Ok(Json(j.status()).into_response())
}

/// `GET /cases/{id}/jobs/{job}/events`: the job's status as Server-Sent Events (`progress`,
/// one per change, the last one `done` or `failed`).
pub async fn events(
    State(st): State<Arc<WebState>>,
    auth: Result<Auth, WebError>,
    Path((case, job)): Path<(i64, u64)>,
) -> Result<Response, WebError> {
    if let Some(r) = signed_in(auth) {
        return Ok(r);
    }
    let j = find(&st, case, job)?;
    let rx = j.status.subscribe();
    let queued = j.queued;
    let stream =
        futures_util::stream::unfold((rx, true, false), move |(mut rx, first, end)| async move {
            if end {
                return None;
            }
            if !first && rx.changed().await.is_err() {
                return None;
            }
            let mut s = rx.borrow_and_update().clone();
            s.elapsed_ms = queued.elapsed().as_millis() as u64;
            let finished = s.finished();
            let ev = Event::default()
                .event("progress")
                .json_data(&s)
                .unwrap_or_else(|_| Event::default().event("progress"));
            Some((Ok::<Event, Infallible>(ev), (rx, false, finished)))
        });
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response())
}
