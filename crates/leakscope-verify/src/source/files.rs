//! File references through the reading layer.

use crate::error::VerifyError;
use leakscope_formats::{
    read_paths, Diagnostic, Flow, ReadOptions, RowBatch, Severity, Sink, TableInfo,
};
use std::path::PathBuf;

struct Forward<'a> {
    f: &'a mut dyn FnMut(&TableInfo, RowBatch) -> Result<(), VerifyError>,
    error: Option<VerifyError>,
    failures: Vec<String>,
    rows: u64,
}

impl Sink for Forward<'_> {
    fn rows(&mut self, table: &TableInfo, batch: RowBatch) -> Flow {
        self.rows += batch.len() as u64;
        match (self.f)(table, batch) {
            Ok(()) => Flow::Continue,
            Err(e) => {
                self.error = Some(e);
                Flow::Stop
            }
        }
    }

    fn diagnostic(&mut self, d: &Diagnostic) {
        if d.severity == Severity::Error {
            self.failures
                .push(format!("{}: {} ({})", d.source, d.message, d.code));
        }
    }
}

/// Streams every table of every file.
pub fn stream(
    paths: &[PathBuf],
    f: &mut dyn FnMut(&TableInfo, RowBatch) -> Result<(), VerifyError>,
) -> Result<u64, VerifyError> {
    for p in paths {
        if p.as_os_str() != "-" {
            std::fs::metadata(p)
                .map_err(|e| VerifyError::Reference(format!("cannot read {}: {e}", p.display())))?;
        }
    }
    let mut sink = Forward {
        f,
        error: None,
        failures: Vec::new(),
        rows: 0,
    };
    let summary = read_paths(paths, &ReadOptions::default(), &mut sink);
    if let Some(e) = sink.error {
        return Err(e);
    }
    if summary.sources_failed > 0 && sink.rows == 0 {
        return Err(VerifyError::Reference(format!(
            "could not read: {}",
            sink.failures.join("; ")
        )));
    }
    Ok(sink.rows)
}
