//! One-shot functions: scan, inspect, classify, detect, verify, obligations.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use leakscope_detect::{mask, DataClass, Detectors};
use leakscope_formats::{
    read_paths, Diagnostic, Flow, ReadSummary, RowBatch, Sink, SourceInfo, TableInfo, TableStats,
};
use leakscope_obligations::facts::{parse_time, parse_tz};
use leakscope_obligations::{evaluate, Facts};
use leakscope_profile::ScanProfile;
use leakscope_scan::{nothing_readable, scan_paths_detailed, ScanProgress};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde::Serialize;
use serde_json::json;

use crate::opts::{existing_paths, scan_err, to_json, Options};
use crate::LeakscopeError;

/// Scans `paths`; returns the `leakscope.scan/1` document as JSON. `progress` (a callable
/// taking a dict) is called at most ten times a second while reading.
#[pyfunction]
#[pyo3(signature = (paths, options="{}", progress=None))]
pub fn scan(
    py: Python<'_>,
    paths: Vec<String>,
    options: &str,
    progress: Option<PyObject>,
) -> PyResult<String> {
    let o = Options::parse(options)?;
    let paths = existing_paths(&paths)?;
    let mut scan_opts = o.scan();
    let read = o.read();
    let failure: Arc<Mutex<Option<PyErr>>> = Arc::default();
    if let Some(cb) = progress {
        let failure = Arc::clone(&failure);
        let last = Mutex::new(Instant::now() - Duration::from_secs(1));
        scan_opts.progress = Some(Arc::new(move |p: &ScanProgress| {
            {
                let mut l = last.lock().unwrap_or_else(|e| e.into_inner());
                if l.elapsed() < Duration::from_millis(100) {
                    return;
                }
                *l = Instant::now();
            }
            Python::with_gil(|py| {
                let mut f = failure.lock().unwrap_or_else(|e| e.into_inner());
                if f.is_some() {
                    return;
                }
                let d = PyDict::new(py);
                let r = d
                    .set_item("rows", p.rows)
                    .and_then(|_| d.set_item("text_bytes", p.text_bytes))
                    .and_then(|_| d.set_item("source_bytes_done", p.source_bytes_done))
                    .and_then(|_| d.set_item("sources_started", p.sources_started))
                    .and_then(|_| {
                        d.set_item(
                            "current_source",
                            leakscope_text::mask_identifiers(&p.current_source).into_owned(),
                        )
                    })
                    .and_then(|_| cb.call1(py, (d,)).map(|_| ()));
                if let Err(e) = r {
                    *f = Some(e);
                }
            });
        }));
    }
    let out = py.allow_threads(|| scan_paths_detailed(&paths, &read, &scan_opts));
    if let Some(e) = failure.lock().unwrap_or_else(|e| e.into_inner()).take() {
        return Err(e);
    }
    let out = out.map_err(scan_err)?;
    if nothing_readable(&out) {
        let why = leakscope_scan::ScanError::NothingReadable {
            sources: out.read.sources,
            failed: out.read.sources_failed,
            profile: Box::new(ScanProfile::clone(&out.profile)),
        };
        return Err(LeakscopeError::new_err(why.to_string()));
    }
    // No row read from any input: the result is not usable (the CLI exits 1), and says why.
    if let Some(why) = leakscope_scan::empty::nothing_read(&out.profile) {
        return Err(LeakscopeError::new_err(format!(
            "nothing read: {}",
            leakscope_text::mask_identifiers(&why)
        )));
    }
    // As `leakscope scan --json` writes it: names that are identifiers masked unless revealing.
    Ok(leakscope_profile::render::json(&out.profile))
}

#[derive(Serialize)]
struct TableReport {
    id: u32,
    name: String,
    headers: Vec<String>,
    has_header_row: bool,
    rows: u64,
    rows_skipped: u64,
}

#[derive(Serialize)]
struct SourceReport {
    #[serde(flatten)]
    info: SourceInfo,
    tables: Vec<TableReport>,
    diagnostics: Vec<Diagnostic>,
}

#[derive(Serialize)]
struct InspectReport {
    schema: &'static str,
    sources: Vec<SourceReport>,
    diagnostics: Vec<Diagnostic>,
    summary: ReadSummary,
}

/// Collects what the reader finds, never a cell value.
#[derive(Default)]
struct Collector {
    sources: Vec<SourceReport>,
    other: Vec<Diagnostic>,
    tables: HashMap<u32, (usize, usize)>,
}

impl Sink for Collector {
    fn begin_source(&mut self, s: &SourceInfo) {
        self.sources.push(SourceReport {
            info: s.clone(),
            tables: Vec::new(),
            diagnostics: Vec::new(),
        });
    }

    fn begin_table(&mut self, t: &TableInfo) {
        let Some(s) = self.sources.len().checked_sub(1) else {
            return;
        };
        self.sources[s].tables.push(TableReport {
            id: t.id,
            name: t.name.clone(),
            headers: t.headers.clone(),
            has_header_row: t.has_header_row,
            rows: 0,
            rows_skipped: 0,
        });
        self.tables
            .insert(t.id, (s, self.sources[s].tables.len() - 1));
    }

    fn headers_extended(&mut self, t: &TableInfo, _from: usize) {
        if let Some(&(s, i)) = self.tables.get(&t.id) {
            self.sources[s].tables[i].headers = t.headers.clone();
        }
    }

    fn rows(&mut self, t: &TableInfo, b: RowBatch) -> Flow {
        if let Some(&(s, i)) = self.tables.get(&t.id) {
            self.sources[s].tables[i].rows += b.len() as u64;
        }
        leakscope_formats::recycle(b);
        Flow::Continue
    }

    fn end_table(&mut self, t: &TableInfo, stats: &TableStats) {
        if let Some(&(s, i)) = self.tables.get(&t.id) {
            self.sources[s].tables[i].rows_skipped += stats.rows_skipped;
        }
    }

    fn diagnostic(&mut self, d: &Diagnostic) {
        match self
            .sources
            .iter_mut()
            .rev()
            .find(|s| s.info.path == d.source)
        {
            Some(s) => s.diagnostics.push(d.clone()),
            None => self.other.push(d.clone()),
        }
    }
}

fn masked_diagnostic(d: &Diagnostic) -> Diagnostic {
    let mut d = d.clone();
    d.message = leakscope_text::mask_in_message(&d.message).into_owned();
    d.source = leakscope_text::mask_identifiers(&d.source).into_owned();
    d.table = d
        .table
        .map(|t| leakscope_text::mask_identifiers(&t).into_owned());
    d
}

/// What `paths` hold (`leakscope.inspect/1` as JSON): sources, tables, headers, row counts and
/// located diagnostics; never cell values, and names that are identifiers are masked.
#[pyfunction]
#[pyo3(signature = (paths, options="{}"))]
pub fn inspect(py: Python<'_>, paths: Vec<String>, options: &str) -> PyResult<String> {
    let o = Options::parse(options)?;
    let paths = existing_paths(&paths)?;
    let read = o.read();
    let (c, summary) = py.allow_threads(|| {
        let mut c = Collector::default();
        let summary = read_paths(&paths, &read, &mut c);
        (c, summary)
    });
    let m = |s: &str| leakscope_text::mask_identifiers(s).into_owned();
    let report = InspectReport {
        schema: "leakscope.inspect/1",
        sources: c
            .sources
            .into_iter()
            .map(|mut s| {
                s.info.path = m(&s.info.path);
                for t in &mut s.tables {
                    t.name = m(&t.name);
                    t.headers = t.headers.iter().map(|h| m(h)).collect();
                }
                s.diagnostics = s.diagnostics.iter().map(masked_diagnostic).collect();
                s
            })
            .collect(),
        diagnostics: c.other.iter().map(masked_diagnostic).collect(),
        summary,
    };
    to_json(&report)
}

/// The column decision for `values` under `header` (`leakscope.classify/1` as JSON). No value
/// appears in the result.
#[pyfunction]
#[pyo3(signature = (values, header=None))]
pub fn classify(py: Python<'_>, values: Vec<String>, header: Option<String>) -> PyResult<String> {
    let v = py.allow_threads(|| {
        let refs: Vec<&str> = values
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        Detectors::builtin().classify_column(header.as_deref(), &refs)
    });
    let shares = |xs: &[(DataClass, f64)]| {
        xs.iter()
            .map(|(c, s)| json!({"class": c.id(), "share": s}))
            .collect::<Vec<_>>()
    };
    to_json(&json!({
        "schema": "leakscope.classify/1",
        "class": v.class.id(),
        "kind": v.kind,
        "confidence": v.confidence,
        "evidence": v.evidence,
        "validation_share": v.validation_share,
        "mixed": shares(&v.mixed),
        "embedded": shares(&v.embedded),
        "hibp": v.class.hibp_name(),
    }))
}

/// Which detectors accept `value` (`leakscope.detect/1` as JSON, as `leakscope detect --value
/// --json`): normalised forms masked unless `reveal`.
#[pyfunction]
#[pyo3(signature = (value, header=None, reveal=false))]
pub fn detect(value: &str, header: Option<String>, reveal: bool) -> PyResult<String> {
    let ds = Detectors::builtin();
    let show = |class: DataClass, v: &str| {
        if reveal {
            v.to_string()
        } else {
            mask(class, v)
        }
    };
    let mut matches = Vec::new();
    for d in ds.detectors() {
        // Header-only catch-alls (any value, any password) say nothing about a value alone.
        if d.def.header_required && matches!(d.def.validator.as_str(), "any" | "password") {
            continue;
        }
        if let Some(f) = d.check(value.trim()) {
            matches.push(json!({
                "detector": d.def.id,
                "class": d.class.id(),
                "kind": f.kind,
                "country": f.country,
                "normalized": f.normalized.as_deref().map(|n| show(d.class, n)),
                "date": f.date.map(|(y, m, day)| format!("{y:04}-{m:02}-{day:02}")),
                "header_required": d.def.header_required,
            }));
        }
    }
    let verdict = ds.classify_column(header.as_deref(), &[value]);
    to_json(&json!({
        "schema": "leakscope.detect/1",
        "matches": matches,
        "column": {"class": verdict.class.id(), "kind": verdict.kind,
                   "confidence": verdict.confidence, "evidence": verdict.evidence},
    }))
}

/// Verifies `samples` against a reference (files or one `postgres://`/`sqlite://` URL) with the
/// installation secret (`secret` file, else the data directory's); `verify.json` as JSON.
#[pyfunction]
#[pyo3(signature = (samples, reference, secret=None, table=None, query=None, id_column=None,
    tenant_column=None, updated_column=None, default_country=None, map=Vec::new(),
    claimed_rows=None, today=None, options="{}"))]
#[allow(clippy::too_many_arguments)]
pub fn verify(
    py: Python<'_>,
    samples: Vec<String>,
    reference: Vec<String>,
    secret: Option<String>,
    table: Option<String>,
    query: Option<String>,
    id_column: Option<String>,
    tenant_column: Option<String>,
    updated_column: Option<String>,
    default_country: Option<String>,
    map: Vec<String>,
    claimed_rows: Option<u64>,
    today: Option<String>,
    options: &str,
) -> PyResult<String> {
    use leakscope_verify::{
        dates, index_from_reference_with, verify_paths_with, Hashing, MapOptions, RefSource,
        VerifyOptions,
    };
    let o = Options::parse(options)?;
    let samples = existing_paths(&samples)?;
    if reference.is_empty() {
        return Err(PyValueError::new_err("no reference given"));
    }
    let today = match &today {
        Some(t) => Some(dates::parse_day(t).ok_or_else(|| {
            PyValueError::new_err(format!("today {t:?} is not a date (YYYY-MM-DD)"))
        })?),
        None => None,
    };
    let mut mo = MapOptions {
        id_column,
        tenant_column,
        updated_column,
        default_country,
        ..Default::default()
    };
    for m in &map {
        mo.push_map(m)
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
    }
    let secret = match &secret {
        Some(p) => leakscope_keys::open_secret_file(&PathBuf::from(p)),
        None => leakscope_keys::open_secret(&leakscope_keys::data_dir()),
    }
    .map_err(|e| LeakscopeError::new_err(e.to_string()))?;
    let hashing = Hashing::new(secret);
    let source = RefSource::parse(&reference, table.as_deref(), query.as_deref())
        .map_err(|e| PyValueError::new_err(e.to_string()))?;
    let read = o.read();
    let report = py.allow_threads(|| {
        let (index, _warnings) = index_from_reference_with(&source, &hashing, &mo, None)?;
        let vopts = VerifyOptions {
            map: mo.clone(),
            claimed_rows,
            today,
            progress: None,
        };
        verify_paths_with(&samples, &index, &hashing, &vopts, &read)
    });
    let out = report.map_err(|e| LeakscopeError::new_err(e.to_string()))?;
    to_json(&out.report)
}

/// Notification obligations of a profile (`leakscope.scan/1` JSON) under the built-in rules
/// and the organisation's facts; the obligations report as JSON.
#[pyfunction]
#[pyo3(signature = (profile, discovered_at=None, aware_at=None, assessed_at=None,
    occurred_at=None, tz="UTC", ciio=false, processor=false, encrypted=false, sector=None,
    established_in=Vec::new(), affected=HashMap::new(), now=None))]
#[allow(clippy::too_many_arguments)]
pub fn obligations(
    profile: &str,
    discovered_at: Option<String>,
    aware_at: Option<String>,
    assessed_at: Option<String>,
    occurred_at: Option<String>,
    tz: &str,
    ciio: bool,
    processor: bool,
    encrypted: bool,
    sector: Option<String>,
    established_in: Vec<String>,
    affected: HashMap<String, u64>,
    now: Option<String>,
) -> PyResult<String> {
    let profile: ScanProfile = leakscope_profile::from_json(profile)
        .map_err(|e| PyValueError::new_err(format!("not a leakscope.scan/1 profile: {e}")))?;
    let tz = parse_tz(tz).map_err(|e| PyValueError::new_err(format!("tz: {e}")))?;
    let time = |name: &str, v: &Option<String>| -> PyResult<Option<DateTime<Utc>>> {
        v.as_deref()
            .map(|s| parse_time(s, tz).map_err(|e| PyValueError::new_err(format!("{name}: {e}"))))
            .transpose()
    };
    let rules = leakscope_obligations::builtin().map_err(LeakscopeError::new_err)?;
    if let Some(s) = &sector {
        let s = s.trim().to_ascii_lowercase();
        if !rules.sectors().contains(&s) {
            return Err(PyValueError::new_err(format!(
                "sector {s:?} is not one the rules know; use one of: {}",
                rules.sectors().join(", ")
            )));
        }
    }
    let mut facts = Facts {
        discovered_at: time("discovered_at", &discovered_at)?,
        aware_at: time("aware_at", &aware_at)?,
        assessed_at: time("assessed_at", &assessed_at)?,
        occurred_at: time("occurred_at", &occurred_at)?,
        ciio,
        processor,
        encrypted,
        sector: sector.map(|s| s.trim().to_ascii_lowercase()),
        established_in: established_in
            .iter()
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| !c.is_empty())
            .collect(),
        ..Facts::default()
    };
    if facts.discovered_at.is_none() {
        if let Some(found) = &profile.found_on {
            facts.discovered_at = Some(
                parse_time(found, tz)
                    .map_err(|e| PyValueError::new_err(format!("profile found_on: {e}")))?,
            );
        }
    }
    for (code, n) in affected {
        facts
            .affected_overrides
            .insert(code.trim().to_ascii_uppercase(), n);
    }
    let now = time("now", &now)?.unwrap_or_else(Utc::now);
    let report = evaluate(&rules, "built-in", &profile, &facts, now);
    to_json(&report)
}
