//! `leakscope generate`: synthetic leak data with ground truth (deterministic seed).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use leakscope_synth::large::{write_large, LargeFormat};
use leakscope_synth::write::{self, CsvOptions, Format, TextEncoding};
use leakscope_synth::{generate, Flavour, GenOptions, HeaderStyle};

use crate::exit;

/// Schema of the ground truth of a generated dataset (`--truth`).
pub const TRUTH_SCHEMA: &str = "leakscope.generate.truth/1";
/// Schema of the ground truth of a large single-table file (`--size … --truth`).
pub const LARGE_TRUTH_SCHEMA: &str = "leakscope.generate.large/1";

/// Arguments of `leakscope generate`.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  leakscope generate --flavour vn-shop --out leak/                 every table, CSV
  leakscope generate --flavour cn-transactions --format mysql --out dump.sql
  leakscope generate --flavour sg-grocery --headers headerless --encoding gb18030 --out sg/
  leakscope generate --flavour vn-shop --size 1GiB --out big.csv   one large table, streamed
  leakscope generate --flavour vn-shop --rows 500 --out leak/ --truth > truth.json

The same seed always gives byte-identical output. `--truth` prints what was written (schema
leakscope.generate.truth/1, or leakscope.generate.large/1 with --size; docs/schemas.md).")]
pub struct Args {
    /// Flavour: vn-shop, cn-transactions or sg-grocery.
    #[arg(long, value_parser = parse_flavour)]
    pub flavour: Flavour,
    /// Rows of the main table (orders / transactions / accounts).
    #[arg(long, default_value_t = 10_000)]
    pub rows: usize,
    /// RNG seed; the same seed always gives byte-identical output.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Output format: csv, xlsx, ndjson, ndjson-nested, json, mysql, pg, combolist.
    #[arg(long, default_value = "csv")]
    pub format: String,
    /// CSV encoding: utf8, utf8-bom, gb18030, utf16le.
    #[arg(long, default_value = "utf8")]
    pub encoding: String,
    /// CSV delimiter: `,` `;` `tab` or `|`.
    #[arg(long, default_value = ",")]
    pub delimiter: String,
    /// Header style: native, english, no-diacritics, headerless.
    #[arg(long, default_value = "native")]
    pub headers: String,
    /// Leave out the adversarial look-alike columns.
    #[arg(long)]
    pub no_adversarial: bool,
    /// Write only this table (then `--out` is a file).
    #[arg(long)]
    pub table: Option<String>,
    /// Stream one large single-table file of about this size (e.g. `1GB`, `200MB`); formats csv, mysql, pg.
    #[arg(long, value_parser = parse_size)]
    pub size: Option<u64>,
    /// Output: a directory (one file per table), or a file for `--size`, `--table` and
    /// single-file formats given a file name; `-` = stdout (with `--size` or `--table`).
    #[arg(long)]
    pub out: PathBuf,
    /// Print the ground truth as JSON on stdout.
    #[arg(long)]
    pub truth: bool,
}

fn parse_flavour(s: &str) -> Result<Flavour, String> {
    s.parse()
}

/// Parses `1GB`, `500MB`, `64KiB`, `12345` ([`leakscope_text::parse_size`]).
pub fn parse_size(s: &str) -> Result<u64, String> {
    leakscope_text::parse_size(s)
}

fn usage(msg: impl Into<String>) -> anyhow::Error {
    exit::with_code(exit::USAGE, msg)
}

fn open_out(path: &Path) -> anyhow::Result<Box<dyn Write>> {
    if path == Path::new("-") {
        return Ok(Box::new(BufWriter::new(std::io::stdout().lock())));
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let f = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    Ok(Box::new(BufWriter::with_capacity(1 << 20, f)))
}

fn format_of(args: &Args) -> anyhow::Result<Format> {
    let delimiter = match args.delimiter.as_str() {
        "," => b',',
        ";" => b';',
        "|" => b'|',
        "tab" | "\\t" | "\t" => b'\t',
        d => {
            return Err(usage(format!(
                "unsupported delimiter `{d}` (use , ; | or tab)"
            )))
        }
    };
    let encoding: TextEncoding = args.encoding.parse().map_err(usage)?;
    Ok(match args.format.as_str() {
        "csv" | "tsv" => Format::Csv(CsvOptions {
            delimiter,
            header: None,
            encoding,
        }),
        "xlsx" => Format::Xlsx,
        "ndjson" | "jsonl" => Format::Ndjson { nested: false },
        "ndjson-nested" => Format::Ndjson { nested: true },
        "json" => Format::Json,
        "mysql" => Format::MysqlDump,
        "pg" | "postgres" => Format::PgDump,
        "combolist" => Format::Combolist,
        f => return Err(usage(format!("unknown format `{f}`"))),
    })
}

/// Runs the verb.
pub fn run(args: Args) -> anyhow::Result<i32> {
    let format = format_of(&args)?;
    if let Some(size) = args.size {
        let lf = match format {
            Format::Csv(CsvOptions {
                delimiter: b',',
                encoding: TextEncoding::Utf8,
                ..
            }) => LargeFormat::Csv,
            Format::MysqlDump => LargeFormat::MysqlDump,
            Format::PgDump => LargeFormat::PgDump,
            _ => {
                return Err(usage(
                    "--size supports --format csv (UTF-8, comma), mysql or pg",
                ))
            }
        };
        let mut w = open_out(&args.out)?;
        let start = Instant::now();
        let truth =
            write_large(args.flavour, lf, size, args.seed, &mut w).context("writing large file")?;
        w.flush()?;
        let secs = start.elapsed().as_secs_f64();
        eprintln!(
            "leakscope: wrote {} rows, {} bytes in {secs:.2} s ({:.0} MB/s)",
            truth.rows,
            truth.bytes,
            truth.bytes as f64 / 1e6 / secs.max(1e-9)
        );
        if args.truth {
            let doc = crate::show::with_schema(LARGE_TRUTH_SCHEMA, &truth)?;
            outln!("{}", crate::show::json(&doc)?);
        }
        return Ok(exit::OK);
    }
    let headers: HeaderStyle = args.headers.parse().map_err(usage)?;
    let opts = GenOptions {
        rows: args.rows,
        seed: args.seed,
        headers,
        adversarial: !args.no_adversarial,
    };
    let mut dataset = generate(args.flavour, &opts);
    if let Some(name) = &args.table {
        let Some(t) = dataset.tables.iter().find(|t| &t.name == name).cloned() else {
            let names: Vec<&str> = dataset.tables.iter().map(|t| t.name.as_str()).collect();
            return Err(usage(format!(
                "no table `{name}` in {} (tables: {})",
                args.flavour,
                names.join(", ")
            )));
        };
        let mut w = open_out(&args.out)?;
        match &format {
            Format::Csv(o) => write::write_csv(&t, o, &mut w)?,
            Format::Ndjson { nested } => write::write_ndjson(&t, *nested, &mut w)?,
            Format::Json => write::write_json_array(&t, &mut w)?,
            Format::MysqlDump => write::write_mysql_dump(std::slice::from_ref(&t), &mut w)?,
            Format::PgDump => write::write_pg_dump(std::slice::from_ref(&t), &mut w)?,
            Format::Combolist => write::write_combolist(&t, &mut w)?,
            Format::Xlsx => write::write_xlsx(std::slice::from_ref(&t), &mut w)?,
        }
        w.flush()?;
        dataset.tables.retain(|x| &x.name == name);
    } else if matches!(
        format,
        Format::MysqlDump | Format::PgDump | Format::Xlsx | Format::Combolist
    ) && args.out.extension().is_some()
    {
        let mut w = open_out(&args.out)?;
        match &format {
            Format::MysqlDump => write::write_mysql_dump(&dataset.tables, &mut w)?,
            Format::PgDump => write::write_pg_dump(&dataset.tables, &mut w)?,
            Format::Xlsx => write::write_xlsx(&dataset.tables, &mut w)?,
            _ => {
                let t = dataset.tables.iter().find(|t| {
                    t.columns
                        .iter()
                        .any(|c| c.class == leakscope_detect::DataClass::Email)
                });
                if let Some(t) = t {
                    write::write_combolist(t, &mut w)?;
                }
            }
        }
        w.flush()?;
    } else {
        let files = write::write_dataset(&dataset, &args.out, std::slice::from_ref(&format))
            .with_context(|| format!("writing into {}", args.out.display()))?;
        for f in files {
            eprintln!("leakscope: wrote {}", f.display());
        }
    }
    if args.truth {
        if args.table.is_some() {
            // The tenant column keeps its meaning when the table that holds it is written alone.
            let tenant = dataset.truth.tenant_column.as_ref().and_then(|name| {
                let t = &dataset.tables[0];
                (0..t.columns.len())
                    .find(|&i| &t.column_name(i) == name)
                    .map(|i| (0, i))
            });
            let truth = leakscope_synth::truth::recount(args.flavour, &dataset.tables, tenant);
            let doc = crate::show::with_schema(TRUTH_SCHEMA, &truth)?;
            outln!("{}", crate::show::json(&doc)?);
        } else {
            let doc = crate::show::with_schema(TRUTH_SCHEMA, &dataset.truth)?;
            outln!("{}", crate::show::json(&doc)?);
        }
    }
    Ok(exit::OK)
}
