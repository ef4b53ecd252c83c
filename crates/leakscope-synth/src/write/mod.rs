//! Writers: every format streams to any `Write`.

mod combo;
mod csv;
mod json;
mod sql;
mod xlsx;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

pub use self::combo::write_combolist;
pub use self::csv::{write_csv, CsvOptions, TextEncoding};
pub use self::json::{write_json_array, write_ndjson};
pub use self::sql::{write_mysql_dump, write_pg_dump};
pub use self::xlsx::write_xlsx;
use crate::Dataset;

/// An output format of [`write_dataset`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    /// One CSV file per table.
    Csv(CsvOptions),
    /// One NDJSON file per table; `nested` groups person fields under `"customer"`.
    Ndjson {
        /// Group person fields in a nested object.
        nested: bool,
    },
    /// One JSON array file per table.
    Json,
    /// One MySQL dump of all tables.
    MysqlDump,
    /// One PostgreSQL plain `pg_dump` of all tables.
    PgDump,
    /// `email:password` lines from the table holding e-mails (skipped when none).
    Combolist,
    /// One workbook, a sheet per table.
    Xlsx,
}

impl Format {
    /// A short tag used in file names (`csv`, `csv-gb18030`, `ndjson-nested`…).
    pub fn tag(&self) -> String {
        match self {
            Format::Csv(o) => {
                let mut t = "csv".to_string();
                if o.encoding != TextEncoding::Utf8 {
                    t.push('-');
                    t.push_str(o.encoding.id());
                }
                if o.delimiter != b',' {
                    t.push_str(match o.delimiter {
                        b';' => "-semicolon",
                        b'\t' => "-tab",
                        b'|' => "-pipe",
                        _ => "-delim",
                    });
                }
                t
            }
            Format::Ndjson { nested: false } => "ndjson".into(),
            Format::Ndjson { nested: true } => "ndjson-nested".into(),
            Format::Json => "json".into(),
            Format::MysqlDump => "mysql".into(),
            Format::PgDump => "pg".into(),
            Format::Combolist => "combolist".into(),
            Format::Xlsx => "xlsx".into(),
        }
    }
}

fn create(path: &Path) -> io::Result<BufWriter<File>> {
    Ok(BufWriter::with_capacity(1 << 16, File::create(path)?))
}

/// Writes `dataset` into `dir` in each of `formats`; returns the files written.
/// File names: `{flavour}-{table}.{ext}` for per-table formats, `{flavour}.{ext}` otherwise
/// (with the format tag inserted when needed to keep names distinct).
pub fn write_dataset(dataset: &Dataset, dir: &Path, formats: &[Format]) -> io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let fl = dataset.flavour.id();
    let mut out = Vec::new();
    for f in formats {
        let tag = f.tag();
        match f {
            Format::Csv(_) | Format::Ndjson { .. } | Format::Json => {
                let ext = match f {
                    Format::Csv(o) if o.delimiter == b'\t' => "tsv",
                    Format::Csv(_) => "csv",
                    Format::Json => "json",
                    _ => "ndjson",
                };
                for t in &dataset.tables {
                    let infix = if tag == ext { String::new() } else { format!(".{tag}") };
                    let path = dir.join(format!("{fl}-{}{infix}.{ext}", t.name));
                    let mut w = create(&path)?;
                    match f {
                        Format::Csv(o) => write_csv(t, o, &mut w)?,
                        Format::Ndjson { nested } => write_ndjson(t, *nested, &mut w)?,
                        _ => write_json_array(t, &mut w)?,
                    }
                    w.flush()?;
                    out.push(path);
                }
            }
            Format::MysqlDump | Format::PgDump => {
                let path = dir.join(format!("{fl}.{tag}.sql"));
                let mut w = create(&path)?;
                if *f == Format::MysqlDump {
                    write_mysql_dump(&dataset.tables, &mut w)?;
                } else {
                    write_pg_dump(&dataset.tables, &mut w)?;
                }
                w.flush()?;
                out.push(path);
            }
            Format::Combolist => {
                if let Some(t) = dataset.tables.iter().find(|t| t.columns.iter().any(|c| c.class == crate::DataClass::Email)) {
                    let path = dir.join(format!("{fl}-combolist.txt"));
                    let mut w = create(&path)?;
                    write_combolist(t, &mut w)?;
                    w.flush()?;
                    out.push(path);
                }
            }
            Format::Xlsx => {
                let path = dir.join(format!("{fl}.xlsx"));
                let mut w = create(&path)?;
                write_xlsx(&dataset.tables, &mut w)?;
                w.flush()?;
                out.push(path);
            }
        }
    }
    Ok(out)
}
