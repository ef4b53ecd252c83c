//! Options as the Python half passes them (a JSON object of keyword arguments), and error
//! mapping.

use std::path::PathBuf;

use leakscope_formats::ReadOptions;
use leakscope_scan::partial::PartialError;
use leakscope_scan::{ScanError, ScanOptions};
use pyo3::exceptions::{PyFileNotFoundError, PyValueError};
use pyo3::PyErr;
use serde::Deserialize;

use crate::LeakscopeError;

/// Keyword options of `scan`, `inspect` and the plan/partial functions.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Options {
    pub sample_rows: Option<usize>,
    pub sample_bytes: Option<usize>,
    pub found_on: Option<String>,
    pub reveal: Option<bool>,
    pub threads: Option<usize>,
    pub exact_individuals_limit: Option<u64>,
    pub encoding: Option<String>,
    pub password: Option<String>,
    pub max_expanded_bytes: Option<u64>,
    pub max_ratio: Option<u64>,
    pub max_depth: Option<u32>,
    pub max_record_bytes: Option<usize>,
    pub max_columns: Option<usize>,
}

impl Options {
    /// Parses the JSON object of options; unknown names are a `ValueError`.
    pub fn parse(json: &str) -> Result<Options, PyErr> {
        serde_json::from_str(json).map_err(|e| PyValueError::new_err(format!("options: {e}")))
    }

    /// The scan options.
    pub fn scan(&self) -> ScanOptions {
        let d = ScanOptions::default();
        ScanOptions {
            sample_rows: self.sample_rows.unwrap_or(d.sample_rows).max(1),
            sample_bytes: self.sample_bytes.unwrap_or(d.sample_bytes).max(1),
            found_on: self.found_on.clone(),
            reveal: self.reveal.unwrap_or(false),
            threads: self.threads.unwrap_or(0),
            exact_individuals_limit: self
                .exact_individuals_limit
                .unwrap_or(d.exact_individuals_limit),
            progress: None,
        }
    }

    /// The reader options.
    pub fn read(&self) -> ReadOptions {
        let mut o = ReadOptions {
            encoding: self.encoding.clone(),
            password: self.password.clone(),
            ..ReadOptions::default()
        };
        if let Some(n) = self.max_expanded_bytes {
            o.max_expanded_bytes = n;
        }
        if let Some(n) = self.max_ratio {
            o.max_expansion_ratio = n.max(1);
        }
        if let Some(n) = self.max_depth {
            o.max_depth = n;
        }
        if let Some(n) = self.max_record_bytes {
            o.max_record_bytes = n.max(1);
        }
        if let Some(n) = self.max_columns {
            o.max_columns = n.max(1);
        }
        if let Some(n) = self.threads {
            o.threads = n;
        }
        o
    }
}

/// Paths that must exist (`-` is stdin): a missing one is a `FileNotFoundError`.
pub fn existing_paths(paths: &[String]) -> Result<Vec<PathBuf>, PyErr> {
    if paths.is_empty() {
        return Err(PyValueError::new_err("no paths given"));
    }
    paths
        .iter()
        .map(|p| {
            let path = PathBuf::from(p);
            if p != "-" && !path.exists() {
                // The path as given is the caller's own; it is not a leaked value.
                return Err(PyFileNotFoundError::new_err(format!("no such file: {p}")));
            }
            Ok(path)
        })
        .collect()
}

/// A scan error as a Python exception.
pub fn scan_err(e: ScanError) -> PyErr {
    match e {
        ScanError::InvalidFoundOn(_) => PyValueError::new_err(e.to_string()),
        other => LeakscopeError::new_err(other.to_string()),
    }
}

/// A plan/partial error as a Python exception.
pub fn partial_err(e: PartialError) -> PyErr {
    match e {
        PartialError::Json(_)
        | PartialError::Schema { .. }
        | PartialError::Malformed(_)
        | PartialError::Options(_) => PyValueError::new_err(e.to_string()),
        PartialError::PlanMismatch => LeakscopeError::new_err(e.to_string()),
    }
}

/// JSON text of a serialisable value.
pub fn to_json<T: serde::Serialize>(v: &T) -> Result<String, PyErr> {
    serde_json::to_string(v).map_err(|e| LeakscopeError::new_err(format!("serialising: {e}")))
}
