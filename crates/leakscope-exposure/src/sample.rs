//! Samples read from an exposed store go through the same reading and classification engine as
//! `leakscope scan`: rows straight into the [`Scanner`], documents as NDJSON and files as bytes
//! through [`leakscope_formats::read_bytes`] (so a `.sql.gz` prefix is unpacked and parsed like a
//! file on disk). Samples live in memory only for this, bounded by the scan's limits, and are
//! dropped once profiled; the profile keeps classes and counts, never values.

use leakscope_formats::{
    read_bytes, Diagnostic, Flow, ReadOptions, RowBatch, Sink, SourceInfo, TableInfo, TableStats,
};
use leakscope_profile::ScanProfile;
use leakscope_scan::{ScanOptions, Scanner};

/// Data read from one store.
#[derive(Debug, Clone)]
pub enum Sample {
    /// Rows of a table (SQL result, Redis hashes …).
    Rows {
        /// Source path shown in the profile (`postgresql://host:port/db`).
        source: String,
        /// Table name.
        table: String,
        /// Column names.
        headers: Vec<String>,
        /// Rows (cells as text).
        rows: Vec<Vec<String>>,
    },
    /// JSON documents (Elasticsearch `_source`, MongoDB documents), flattened by the JSON reader.
    Documents {
        /// Source path (`elasticsearch://host:port/index`); its last segment names the table.
        source: String,
        /// Documents.
        docs: Vec<serde_json::Value>,
    },
    /// The first bytes of a file (a dump on a web server or in a bucket).
    File {
        /// Source path (`http://host:port/backup/users.sql.gz`).
        source: String,
        /// The bytes read.
        data: Vec<u8>,
    },
}

impl Sample {
    /// Records in the sample (rows, documents; files: unknown until read).
    pub fn records(&self) -> Option<u64> {
        match self {
            Sample::Rows { rows, .. } => Some(rows.len() as u64),
            Sample::Documents { docs, .. } => Some(docs.len() as u64),
            Sample::File { .. } => None,
        }
    }
}

/// Re-numbers table ids so that several reads feed one scanner without clashes.
struct Renumber<'a> {
    inner: &'a mut Scanner,
    base: u32,
    seen: u32,
}

impl Renumber<'_> {
    fn map(&mut self, t: &TableInfo) -> TableInfo {
        self.seen = self.seen.max(t.id + 1);
        let mut t = t.clone();
        t.id += self.base;
        t
    }
}

impl Sink for Renumber<'_> {
    fn begin_source(&mut self, s: &SourceInfo) {
        self.inner.begin_source(s);
    }
    fn begin_table(&mut self, t: &TableInfo) {
        let t = self.map(t);
        self.inner.begin_table(&t);
    }
    fn rows(&mut self, t: &TableInfo, batch: RowBatch) -> Flow {
        let t = self.map(t);
        self.inner.rows(&t, batch)
    }
    fn end_table(&mut self, t: &TableInfo, stats: &TableStats) {
        let t = self.map(t);
        self.inner.end_table(&t, stats);
    }
    fn end_source(&mut self, s: &SourceInfo) {
        self.inner.end_source(s);
    }
    fn diagnostic(&mut self, d: &Diagnostic) {
        // A file sample is a prefix: its truncation is expected, not a problem of the store.
        if d.code.starts_with("truncated") || d.code == "unexpected-eof" {
            return;
        }
        self.inner.diagnostic(d);
    }
}

/// Profiles samples with the scan engine. `found_on` is the scan's date (`YYYY-MM-DD`).
pub fn profile(samples: &[Sample], found_on: &str) -> ScanProfile {
    let opts = ScanOptions {
        found_on: Some(found_on.to_string()),
        threads: 1,
        reveal: false,
        ..Default::default()
    };
    let mut scanner = match Scanner::new(opts.clone()) {
        Ok(s) => s,
        // A bad date is a caller bug; scan without it rather than lose the finding.
        Err(_) => Scanner::new(ScanOptions {
            found_on: None,
            ..opts
        })
        .expect("scanner without a date"),
    };
    let read = ReadOptions {
        threads: 1,
        max_expanded_bytes: 256 << 20,
        ..Default::default()
    };
    let mut next_id: u32 = 0;
    for s in samples {
        match s {
            Sample::Rows {
                source,
                table,
                headers,
                rows,
            } => {
                let src = SourceInfo {
                    path: source.clone(),
                    format: "service".into(),
                    encoding: Some("UTF-8".into()),
                    bytes: rows.iter().flatten().map(|c| c.len() as u64).sum(),
                    compression: Vec::new(),
                };
                let info = TableInfo {
                    id: next_id,
                    name: table.clone(),
                    source: source.clone(),
                    headers: headers.clone(),
                    has_header_row: true,
                };
                next_id += 1;
                scanner.begin_source(&src);
                scanner.begin_table(&info);
                for (k, chunk) in rows.chunks(1024).enumerate() {
                    let mut b = RowBatch::new(1 + (k * 1024) as u64);
                    for r in chunk {
                        for c in r {
                            b.push_field(c);
                        }
                        b.end_row();
                    }
                    if matches!(scanner.rows(&info, b), Flow::Stop) {
                        break;
                    }
                }
                scanner.end_table(
                    &info,
                    &TableStats {
                        rows: rows.len() as u64,
                        rows_skipped: 0,
                    },
                );
                scanner.end_source(&src);
            }
            Sample::Documents { source, docs } => {
                let mut nd = Vec::new();
                for d in docs {
                    if serde_json::to_writer(&mut nd, d).is_ok() {
                        nd.push(b'\n');
                    }
                }
                let mut r = Renumber {
                    inner: &mut scanner,
                    base: next_id,
                    seen: 0,
                };
                read_bytes(&format!("{source}.ndjson"), &nd, &read, &mut r);
                next_id += r.seen.max(1);
            }
            Sample::File { source, data } => {
                let mut r = Renumber {
                    inner: &mut scanner,
                    base: next_id,
                    seen: 0,
                };
                read_bytes(source, data, &read, &mut r);
                next_id += r.seen.max(1);
            }
        }
    }
    let mut p = scanner.finish();
    for t in &mut p.tables {
        for c in &mut t.columns {
            c.examples.clear();
        }
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_and_documents_are_classified_without_examples() {
        let rows: Vec<Vec<String>> = (0..60)
            .map(|i| {
                vec![
                    format!("user{i}@example.com"),
                    format!("+65 9{:03} {:04}", i, 1000 + i),
                ]
            })
            .collect();
        let docs: Vec<serde_json::Value> = (0..60)
            .map(
                |i| serde_json::json!({"customer": {"email": format!("c{i}@example.org")}, "n": i}),
            )
            .collect();
        let p = profile(
            &[
                Sample::Rows {
                    source: "redis://127.0.0.1:6379/0".into(),
                    table: "user".into(),
                    headers: vec!["email".into(), "phone".into()],
                    rows,
                },
                Sample::Documents {
                    source: "elasticsearch://127.0.0.1:9200/customers".into(),
                    docs,
                },
            ],
            "2026-12-01",
        );
        assert_eq!(p.rows, 120);
        assert!(
            p.data_classes.iter().any(|c| c == "email"),
            "{:?}",
            p.data_classes
        );
        assert!(p.tables.len() >= 2);
        assert!(p
            .tables
            .iter()
            .all(|t| t.columns.iter().all(|c| c.examples.is_empty())));
        assert!(p.individuals.estimate >= 100);
    }
}
