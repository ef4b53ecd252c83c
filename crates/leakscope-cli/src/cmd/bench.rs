//! `leakscope bench`: throughput of reading and scanning against this machine's own ceilings,
//! measured in the same run on the same file (warm page cache).
//!
//! Each measured step runs in a child process (`leakscope bench --step …`) so its peak RSS is its
//! own; the parent prints a Markdown table and, with `--json`, a `leakscope.bench/1` document.

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Arguments of `leakscope bench`.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  leakscope bench                               1 GiB CSV: read and scan vs ripgrep and csv
  leakscope bench --size 10GiB --runs 1         memory stays flat
  leakscope bench --format mysql --json         schema leakscope.bench/1

Generated input is kept in --dir between runs. Figures go into BENCHMARKS.md with the machine
and load average it prints.")]
pub struct Args {
    /// Size of the generated input, e.g. `1GiB`, `300MB`.
    #[arg(long, default_value = "1GiB")]
    size: String,
    /// Input kind: `csv` (Vietnamese shop platform), `mysql` (the same as a mysqldump), `pg`
    /// (the same as a pg_dump with COPY sections), `tables` (a mysqldump of many small tables
    /// of every synth flavour: 20 to 5,000 rows each, ~480 tables per 100 MB) or `tiny` (one
    /// one-row table per ~65 bytes: 200,000 tables in 13 MB) or `wide` (a 40-column order
    /// export: ids, dates, amounts, long addresses, CJK text, phones, e-mails, national IDs).
    #[arg(long, default_value = "csv")]
    format: String,
    /// Directory for the generated input (kept between runs, regenerated if the size differs).
    #[arg(long, default_value = "target/bench-data")]
    dir: PathBuf,
    /// Print the `leakscope.bench/1` JSON document instead of the table.
    #[arg(long)]
    json: bool,
    /// Runs of every step (ceilings included); each step reports its median run, so one
    /// disturbed run does not decide a figure.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=50))]
    runs: u32,
    /// Internal: run one measured step on FILE and print its result as JSON.
    #[arg(long, hide = true, value_names = ["STEP", "FILE"], num_args = 2)]
    step: Option<Vec<String>>,
}

/// One measured step.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StepResult {
    /// Step id: `ripgrep-email`, `csv-byterecord`, `read`, `scan`.
    pub step: String,
    /// What it does.
    pub what: String,
    /// Input bytes.
    pub bytes: u64,
    /// Wall seconds.
    pub seconds: f64,
    /// Throughput.
    pub mb_per_s: f64,
    /// Peak resident memory of the step's process, MiB (0 when unknown).
    pub peak_rss_mib: f64,
    /// Rows seen (when the step counts rows).
    pub rows: u64,
}

/// Runs the verb.
pub fn run(args: Args) -> Result<i32> {
    if let Some(step) = &args.step {
        let res = run_step(&step[0], Path::new(&step[1]))?;
        outln!("{}", serde_json::to_string(&res)?);
        return Ok(crate::exit::OK);
    }
    let bytes = parse_size(&args.size)?;
    let file = prepare_input(&args.dir, &args.format, bytes)?;
    let len = std::fs::metadata(&file)?.len();
    warm(&file)?;
    let exe = std::env::current_exe()?;
    let mut results = Vec::new();
    let runs = args.runs as usize;
    for per_line in [true, false] {
        let mut all = Vec::new();
        for _ in 0..runs {
            all.extend(ripgrep(&file, len, per_line)?);
        }
        results.extend(median(all));
    }
    if results.is_empty() {
        eprintln!("leakscope bench: ripgrep (rg) not found; install it (apt-get install ripgrep) for the ceiling");
    }
    let steps: &[&str] = if args.format == "csv" || args.format == "wide" {
        &["csv-byterecord", "read-1thread", "read", "scan"]
    } else {
        &["read-1thread", "read", "scan"]
    };
    for step in steps {
        let mut all = Vec::new();
        for _ in 0..runs {
            let out = Command::new(&exe)
                .args(["bench", "--step", step])
                .arg(&file)
                .output()
                .with_context(|| format!("running step {step}"))?;
            if !out.status.success() {
                bail!(
                    "step {step} failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            all.push(serde_json::from_slice::<StepResult>(&out.stdout)?);
        }
        results.extend(median(all));
    }
    let costs = if args.format == "csv" || args.format == "wide" {
        super::bench_cost::class_costs(&file)?
    } else {
        Vec::new()
    };
    if args.json {
        let doc = serde_json::json!({
            "schema": "leakscope.bench/1",
            "input": { "path": file, "format": args.format, "bytes": len },
            "machine": machine(),
            "load_average": load_average(),
            "runs_per_step": runs,
            "steps": results,
            "class_costs": costs,
        });
        outln!("{}", crate::show::json(&doc)?);
    } else {
        print_table(&file, len, runs, &results)?;
        print_costs(&costs)?;
    }
    Ok(crate::exit::OK)
}

/// The run with the median time, reporting the highest peak RSS of all runs.
fn median(mut runs: Vec<StepResult>) -> Option<StepResult> {
    let peak = runs.iter().map(|r| r.peak_rss_mib).fold(0.0, f64::max);
    runs.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
    let mid = runs.len().checked_sub(1)? / 2;
    let mut m = runs.swap_remove(mid);
    m.peak_rss_mib = peak;
    Some(m)
}

fn print_table(file: &Path, len: u64, runs: usize, results: &[StepResult]) -> Result<()> {
    let speed = |step: &str| results.iter().find(|r| r.step == step).map(|r| r.mb_per_s);
    let rg = speed("ripgrep-email-lines");
    let rg_all = speed("ripgrep-email");
    outln!(
        "input: {} ({:.1} MiB), machine: {}, load average at start: {}, median of {runs} run(s) per step",
        file.display(),
        len as f64 / 1048576.0,
        machine(),
        load_average()
    );
    outln!();
    outln!("| step | what | MB/s | vs rg lines | vs rg matches | seconds | peak RSS MiB | rows |");
    outln!("|---|---|---:|---:|---:|---:|---:|---:|");
    for r in results {
        let pct = |c: Option<f64>| {
            c.map(|c| format!("{:.0}%", 100.0 * r.mb_per_s / c))
                .unwrap_or_else(|| "-".into())
        };
        let ratio = format!("{} | {}", pct(rg), pct(rg_all));
        outln!(
            "| {} | {} | {:.0} | {} | {:.2} | {:.0} | {} |",
            r.step,
            r.what,
            r.mb_per_s,
            ratio,
            r.seconds,
            r.peak_rss_mib,
            r.rows
        );
    }
    Ok(())
}

/// Per-column-class cost of the per-value work (one thread, first rows of the first table).
fn print_costs(costs: &[super::bench_cost::ClassCost]) -> Result<()> {
    if costs.is_empty() {
        return Ok(());
    }
    outln!();
    outln!(
        "Per-column-class cost (1 thread, first {} rows of the first table, worker's per-cell work):",
        super::bench_cost::COST_ROWS
    );
    outln!();
    outln!("| class | columns | cells | sketch ns/cell | check ns/cell | share of per-cell time |");
    outln!("|---|---:|---:|---:|---:|---:|");
    for c in costs {
        outln!(
            "| {} | {} | {} | {:.1} | {:.1} | {:.1}% |",
            c.class,
            c.columns,
            c.cells,
            c.sketch_ns,
            c.check_ns,
            c.share_pct
        );
    }
    Ok(())
}

/// The 1-minute load average (other work on the machine skews every figure).
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "unknown".into())
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "unknown cpu".into());
    let cores = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    format!("{cpu}, {cores} cores")
}

/// Parses `1GiB`, `300MB`, `64MiB`, `1000000` ([`leakscope_text::parse_size`]).
pub fn parse_size(s: &str) -> Result<u64> {
    leakscope_text::parse_size(s).map_err(anyhow::Error::msg)
}

fn prepare_input(dir: &Path, format: &str, bytes: u64) -> Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let ext = match format {
        "csv" => "csv",
        "mysql" => "sql",
        "pg" => "pg.sql",
        "tables" => "tables.sql",
        "tiny" => "tiny.sql",
        "wide" => "wide.csv",
        other => bail!("unknown --format {other}: use csv, mysql, pg, tables, tiny or wide"),
    };
    let path = dir.join(format!("vn-shop-{bytes}.{ext}"));
    if path.exists() {
        return Ok(path);
    }
    if format == "tables" || format == "tiny" || format == "wide" {
        eprintln!(
            "leakscope bench: generating {} ({bytes} bytes)…",
            path.display()
        );
        let tmp = path.with_extension("tmp");
        let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
        if format == "tiny" {
            tiny_tables(bytes, &mut w)?;
        } else if format == "wide" {
            super::bench_wide::wide_csv(bytes, &mut w)?;
        } else {
            many_tables(bytes, &mut w)?;
        }
        use std::io::Write;
        w.flush()?;
        drop(w);
        std::fs::rename(&tmp, &path)?;
        return Ok(path);
    }
    eprintln!(
        "leakscope bench: generating {} ({} bytes)…",
        path.display(),
        bytes
    );
    let tmp = path.with_extension("tmp");
    let mut w = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp)?);
    let large = match format {
        "csv" => leakscope_synth::large::LargeFormat::Csv,
        "pg" => leakscope_synth::large::LargeFormat::PgDump,
        _ => leakscope_synth::large::LargeFormat::MysqlDump,
    };
    leakscope_synth::large::write_large(
        leakscope_synth::Flavour::VnShop,
        large,
        bytes,
        42,
        &mut w,
    )?;
    use std::io::Write;
    w.flush()?;
    drop(w);
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

/// A mysqldump of many small tables, like a real application database dumped whole: the
/// generated leaks of the three synth flavours again and again (each copy's tables renamed
/// `name_N`), main tables of 20 to 5,000 rows, until about `bytes` are written. Deterministic.
fn many_tables(bytes: u64, w: &mut dyn std::io::Write) -> Result<()> {
    use leakscope_synth::{generate, write::write_mysql_dump, Flavour, GenOptions};
    let flavours = [Flavour::VnShop, Flavour::CnTransactions, Flavour::SgGrocery];
    let sizes = [20, 150, 600, 2_000, 5_000, 80, 300];
    let mut written = 0u64;
    let mut k = 0usize;
    while written < bytes {
        let opts = GenOptions {
            rows: sizes[k % sizes.len()],
            seed: 42 + k as u64,
            ..GenOptions::default()
        };
        let mut ds = generate(flavours[k % flavours.len()], &opts);
        for t in &mut ds.tables {
            t.name = format!("{}_{k}", t.name);
        }
        let mut buf = Vec::new();
        write_mysql_dump(&ds.tables, &mut buf)?;
        w.write_all(&buf)?;
        written += buf.len() as u64;
        k += 1;
    }
    Ok(())
}

/// A dump of one-row tables without CREATE TABLE (`INSERT INTO t123 VALUES (123,'…');`), the
/// hostile shape of issue 11: about `bytes` of them.
fn tiny_tables(bytes: u64, w: &mut dyn std::io::Write) -> Result<()> {
    let mut written = 0u64;
    let mut k = 0u64;
    while written < bytes {
        let line = format!("INSERT INTO t{k} VALUES ({k},'user{k}@example.vn');\n");
        w.write_all(line.as_bytes())?;
        written += line.len() as u64;
        k += 1;
    }
    Ok(())
}

fn warm(file: &Path) -> Result<()> {
    use std::io::Read;
    let mut f = std::fs::File::open(file)?;
    let mut buf = vec![0u8; 1 << 20];
    while f.read(&mut buf)? > 0 {}
    Ok(())
}

const EMAIL_RE: &str = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}";

/// Runs ripgrep with the email regex: `per_line` counts matching lines (`-c`: a line is done at its
/// first match, the cheapest ceiling), otherwise every match (`--count-matches`, the work a PII
/// scan must do). `--text` so NUL bytes in dumps do not make it stop early.
fn ripgrep(file: &Path, len: u64, per_line: bool) -> Result<Option<StepResult>> {
    if Command::new("rg").arg("--version").output().is_err() {
        return Ok(None);
    }
    let t = Instant::now();
    let out = Command::new("rg")
        .args([
            "--text",
            if per_line {
                "--count"
            } else {
                "--count-matches"
            },
            EMAIL_RE,
        ])
        .arg(file)
        .output()?;
    let secs = t.elapsed().as_secs_f64();
    let lines: u64 = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(0);
    Ok(Some(StepResult {
        step: if per_line {
            "ripgrep-email-lines"
        } else {
            "ripgrep-email"
        }
        .into(),
        what: if per_line {
            "ceiling: rg --text --count <email regex> (matching lines)"
        } else {
            "ceiling: rg --text --count-matches <email regex> (every match)"
        }
        .into(),
        bytes: len,
        seconds: secs,
        mb_per_s: len as f64 / 1e6 / secs,
        peak_rss_mib: 0.0,
        rows: lines,
    }))
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

fn run_step(step: &str, file: &Path) -> Result<StepResult> {
    let len = std::fs::metadata(file)?.len();
    let t = Instant::now();
    let (what, rows) = match step {
        "csv-byterecord" => {
            let mut rdr = csv::ReaderBuilder::new().flexible(true).from_path(file)?;
            let mut rec = csv::ByteRecord::new();
            let mut rows = 0u64;
            while rdr.read_byte_record(&mut rec)? {
                rows += 1;
            }
            (
                "ceiling: csv crate ByteRecord, 1 thread, no UTF-8 check",
                rows,
            )
        }
        "read-1thread" => {
            let mut sink = CountSink::default();
            let opts = leakscope_formats::ReadOptions {
                threads: 1,
                ..Default::default()
            };
            leakscope_formats::read_paths(&[file.to_path_buf()], &opts, &mut sink);
            (
                "leakscope reading layer (sniff, decode, parse → row batches), 1 thread",
                sink.rows,
            )
        }
        "read" => {
            let mut sink = CountSink::default();
            leakscope_formats::read_paths(&[file.to_path_buf()], &Default::default(), &mut sink);
            (
                "leakscope reading layer, all cores (large files parsed in blocks)",
                sink.rows,
            )
        }
        "scan" => {
            let profile = leakscope_scan::scan_paths(
                &[file.to_path_buf()],
                &Default::default(),
                &Default::default(),
            )
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            (
                "full scan (classify, people, countries, dates, tenants), all cores",
                profile.rows,
            )
        }
        other => bail!("unknown step {other}"),
    };
    let secs = t.elapsed().as_secs_f64();
    Ok(StepResult {
        step: step.into(),
        what: what.into(),
        bytes: len,
        seconds: secs,
        mb_per_s: len as f64 / 1e6 / secs,
        peak_rss_mib: peak_rss_mib(),
        rows,
    })
}

#[derive(Default)]
struct CountSink {
    rows: u64,
}

impl leakscope_formats::Sink for CountSink {
    fn rows(
        &mut self,
        _t: &leakscope_formats::TableInfo,
        batch: leakscope_formats::RowBatch,
    ) -> leakscope_formats::Flow {
        self.rows += batch.len() as u64;
        leakscope_formats::Flow::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("1GiB").unwrap(), 1 << 30);
        assert_eq!(parse_size("300MB").unwrap(), 300_000_000);
        assert_eq!(parse_size("12345").unwrap(), 12345);
        assert!(parse_size("lots").is_err());
    }
}
