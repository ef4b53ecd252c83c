//! `leakscope detect --accuracy`: column-classification accuracy on the generator's labelled
//! leaks, written to disk in every format and read back through the real reading layer.
//!
//! For each flavour × header style the datasets are written as CSV (UTF-8, and GB18030 for the
//! Chinese set), XLSX, NDJSON and a SQL dump (MySQL, and pg_dump for the Chinese set), read with
//! `leakscope_formats::read_paths`, every column is classified from up to `sample` rows, and the
//! decision is compared with the generator's label in a confusion matrix.

use std::collections::HashMap;
use std::path::Path;

use leakscope_detect::accuracy::ConfusionMatrix;
use leakscope_detect::{DataClass, Detectors};
use leakscope_formats::{Flow, ReadOptions, RowBatch, Sink, TableInfo};
use leakscope_synth::write::{write_dataset, CsvOptions, Format, TextEncoding};
use leakscope_synth::{generate, Flavour, GenOptions, HeaderStyle, SynthTable};

/// One misclassified column.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Miss {
    /// `flavour/headers/format/table.column`.
    pub column: String,
    /// The generator's label.
    pub expected: &'static str,
    /// What the classifier said.
    pub predicted: &'static str,
}

/// The result of an accuracy run.
pub struct AccuracyRun {
    /// Expected × predicted counts.
    pub matrix: ConfusionMatrix,
    /// Every miss, for the report.
    pub misses: Vec<Miss>,
    /// Columns per format tag.
    pub per_format: Vec<(String, usize, usize)>,
}

/// The formats each flavour is written in.
fn formats(flavour: Flavour) -> Vec<Format> {
    let mut f = vec![
        Format::Csv(CsvOptions::default()),
        Format::Xlsx,
        Format::Ndjson { nested: false },
    ];
    match flavour {
        Flavour::CnTransactions => {
            f.push(Format::Csv(CsvOptions {
                encoding: TextEncoding::Gb18030,
                ..CsvOptions::default()
            }));
            f.push(Format::PgDump);
        }
        _ => f.push(Format::MysqlDump),
    }
    f
}

/// Collects up to `limit` rows per table.
struct Collect {
    limit: usize,
    tables: Vec<(TableInfo, Vec<Vec<String>>)>,
}

impl Sink for Collect {
    fn begin_table(&mut self, table: &TableInfo) {
        self.tables.push((table.clone(), Vec::new()));
    }
    fn rows(&mut self, table: &TableInfo, batch: RowBatch) -> Flow {
        if let Some((_, rows)) = self.tables.iter_mut().rev().find(|(t, _)| t.id == table.id) {
            for row in batch.rows() {
                if rows.len() >= self.limit {
                    break;
                }
                rows.push(row.iter().map(str::to_string).collect());
            }
        }
        Flow::Continue
    }
}

/// Finds the generator's table for a table read back (CSV/NDJSON files are named
/// `{flavour}-{table}[.tag].ext`; sheets and SQL tables keep the table name).
fn synth_table<'a>(tables: &'a [SynthTable], read_name: &str) -> Option<&'a SynthTable> {
    // `vn-shop-orders.gb18030` (file stem with a tag), `public.transactions` (SQL schema).
    read_name.split('.').find_map(|part| {
        tables
            .iter()
            .filter(|t| part == t.name || part.ends_with(&format!("-{}", t.name)))
            .max_by_key(|t| t.name.len())
    })
}

/// The label of column `i` read back with header `header`.
fn label(table: &SynthTable, i: usize, header: &str) -> Option<DataClass> {
    let plain = header.strip_prefix("customer.").unwrap_or(header);
    if let Some(c) = table
        .columns
        .iter()
        .find(|c| c.header == plain && table.has_header())
    {
        return Some(c.class);
    }
    table.columns.get(i).map(|c| c.class)
}

/// Runs the accuracy measurement in `dir` (files are written there).
pub fn measure(dir: &Path, rows: usize, seed: u64, sample: usize) -> anyhow::Result<AccuracyRun> {
    let ds = Detectors::builtin();
    let mut matrix = ConfusionMatrix::new();
    let mut misses = Vec::new();
    let mut per_format: HashMap<String, (usize, usize)> = HashMap::new();
    let styles = [
        HeaderStyle::Native,
        HeaderStyle::English,
        HeaderStyle::NoDiacritics,
        HeaderStyle::Headerless,
    ];
    for flavour in Flavour::ALL {
        for (si, style) in styles.into_iter().enumerate() {
            let data = generate(
                flavour,
                &GenOptions {
                    rows,
                    seed: seed + si as u64,
                    headers: style,
                    adversarial: true,
                },
            );
            for format in formats(flavour) {
                let tag = format.tag();
                let sub = dir.join(format!("{}-{si}-{tag}", flavour.id()));
                std::fs::create_dir_all(&sub)?;
                write_dataset(&data, &sub, std::slice::from_ref(&format))?;
                let mut sink = Collect {
                    limit: sample,
                    tables: Vec::new(),
                };
                leakscope_formats::read_paths(
                    std::slice::from_ref(&sub),
                    &ReadOptions::default(),
                    &mut sink,
                );
                for (info, trows) in &sink.tables {
                    let Some(st) = synth_table(&data.tables, &info.name) else {
                        continue;
                    };
                    // The same table-level decision scan, verify and corpus make.
                    let columns: Vec<Vec<&str>> = (0..info.headers.len())
                        .map(|i| {
                            trows
                                .iter()
                                .map(|r| r.get(i).map(String::as_str).unwrap_or(""))
                                .collect()
                        })
                        .collect();
                    let verdicts = ds.classify_table(&leakscope_detect::TableSample {
                        name: &info.name,
                        format: None,
                        headers: &info.headers,
                        has_header_row: info.has_header_row,
                        columns: &columns,
                    });
                    for (i, header) in info.headers.iter().enumerate() {
                        let Some(expected) = label(st, i, header) else {
                            continue;
                        };
                        let predicted = verdicts.get(i).map_or(DataClass::Other, |v| v.class);
                        matrix.add(expected, predicted);
                        let e = per_format.entry(tag.clone()).or_default();
                        e.0 += 1;
                        if expected == predicted {
                            e.1 += 1;
                        } else {
                            misses.push(Miss {
                                column: format!(
                                    "{}/{:?}/{tag}/{}.{header}",
                                    flavour.id(),
                                    style,
                                    info.name
                                ),
                                expected: expected.id(),
                                predicted: predicted.id(),
                            });
                        }
                    }
                }
            }
        }
    }
    let mut per_format: Vec<_> = per_format
        .into_iter()
        .map(|(k, (n, ok))| (k, n, ok))
        .collect();
    per_format.sort();
    Ok(AccuracyRun {
        matrix,
        misses,
        per_format,
    })
}
