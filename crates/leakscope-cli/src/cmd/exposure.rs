//! `leakscope exposure`: audit hosts you own for services that answer without credentials, with
//! what they expose and since when. All logic lives in `leakscope-exposure`.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use leakscope_exposure::{model::ExposureReport, render, store, Limits, Request, Scope};

use crate::exit;

/// Arguments of `leakscope exposure`.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  leakscope exposure scan 10.20.0.0/24 --scope scope.txt              default ports of every probe
  leakscope exposure scan db1.example.com:5432 https://kb.example.com:5601 --scope scope.txt
  leakscope exposure scan 10.20.0.0/24 --scope scope.txt --dry-run    what would be probed, nothing sent
  leakscope exposure scan 10.20.0.7 --scope scope.txt --html exposure.html --json > exposure.json
  leakscope exposure list                                             stored findings and their windows
  leakscope exposure show exp-1a2b3c4d5e6f --profile f.json           the finding's leakscope.scan/1 profile
  leakscope obligations f.json --established-in SG                    who must be told, by when
  leakscope case open --exposure exp-1a2b3c4d5e6f                     a case from a finding

The scope file lists what you own or may test, one entry a line: networks (10.20.0.0/24),
addresses, host names (db.example.com, *.example.com), host:port, URLs; `!entry` excludes.
Targets outside it are refused before any packet is sent. Probes are read-only; what each sends
and its limits: docs/exposure.md. Findings are kept in the data directory's database with
first/last seen; repeated scans give the exposure window.
Exit codes: 0 done, 1 failed, 2 usage error (nothing in scope), 3 partial (targets refused or probes failed).")]
pub struct Args {
    #[command(flatten)]
    pub db: super::db_args::DbArgs,
    /// Machine-readable output (`leakscope.exposure/1`).
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Cmd,
}

/// `exposure` sub-commands.
#[derive(clap::Subcommand)]
pub enum Cmd {
    /// Probe targets inside the scope; profile what is readable; record findings.
    Scan(Box<ScanArgs>),
    /// Stored findings, open first.
    List {
        /// Only `open` or `closed` findings.
        #[arg(long)]
        status: Option<String>,
    },
    /// One stored finding with its history.
    Show {
        /// Finding id (`exp-…`) or row number.
        finding: String,
        /// Write the finding's profile (`leakscope.scan/1`) here, for `leakscope obligations`.
        #[arg(long, value_name = "FILE")]
        profile: Option<PathBuf>,
    },
}

/// `exposure scan` arguments.
#[derive(clap::Args)]
pub struct ScanArgs {
    /// Hosts, addresses, networks (CIDR) or URLs (`https://h:5601/`, `redis://h:6380`,
    /// `postgres://h`, `mysql://h`, `mongodb://h`, `s3://h/bucket`, `http://h/backup/`).
    #[arg(required = true, value_name = "TARGET")]
    pub targets: Vec<String>,
    /// The scope file (allow list); required.
    #[arg(long, value_name = "FILE")]
    pub scope: PathBuf,
    /// Ports for targets without one, comma-separated (default: every probe's default port:
    /// 9200, 5601, 27017, 6379, 5432, 3306, 9000, 80, 443, 8080, 8443).
    #[arg(long, value_delimiter = ',', value_name = "PORTS")]
    pub ports: Vec<u16>,
    /// List what would be probed; send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Endpoints probed at once.
    #[arg(long, default_value_t = 16, value_name = "N")]
    pub concurrency: usize,
    /// New connections plus HTTP requests per second, all probes together.
    #[arg(long, default_value_t = 20.0, value_name = "PER_SECOND")]
    pub rate: f64,
    /// Connect timeout (`3s`, `500ms`).
    #[arg(long, default_value = "3s", value_name = "DURATION")]
    pub connect_timeout: String,
    /// Read/write timeout of each operation.
    #[arg(long, default_value = "10s", value_name = "DURATION")]
    pub timeout: String,
    /// Documents or rows sampled per store.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub sample: usize,
    /// Stores (indices, collections, tables, files) sampled per service, largest first.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub stores: usize,
    /// Bytes read per sampled store or file (`8MiB`).
    #[arg(long, default_value = "8MiB", value_name = "SIZE")]
    pub sample_bytes: String,
    /// Do not try the documented default credentials (PostgreSQL users without password,
    /// MySQL/MariaDB root and anonymous with an empty password).
    #[arg(long)]
    pub no_default_credentials: bool,
    /// Do not HEAD the documented well-known paths (`/.env`, `/backup.sql` …) on web servers.
    #[arg(long)]
    pub no_path_checks: bool,
    /// Largest number of addresses a network target may expand to.
    #[arg(long, default_value_t = 4096, value_name = "N")]
    pub max_hosts: usize,
    /// Write the HTML report here.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// The scan's time (RFC 3339 or `YYYY-MM-DD[ HH:MM]`, UTC; default now) — for replaying a
    /// scan into the history.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// Do not record the findings in the database (every finding is reported as new).
    #[arg(long)]
    pub no_store: bool,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `3s`, `500ms`, `2m`, or plain seconds.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let (num, unit) = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .map_or((s, "s"), |i| (&s[..i], &s[i..]));
    let n: f64 = num
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite() && *n > 0.0)?;
    let secs = match unit.trim() {
        "ms" => n / 1000.0,
        "s" | "" => n,
        "m" | "min" => n * 60.0,
        _ => return None,
    };
    (secs <= 3600.0).then(|| Duration::from_secs_f64(secs))
}

/// `--now`: RFC 3339, `YYYY-MM-DD HH:MM[:SS]` or `YYYY-MM-DD` (UTC).
pub fn parse_now(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc};
    let s = s.trim();
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    for f in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(s, f) {
            return Some(Utc.from_utc_datetime(&d));
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| Utc.from_utc_datetime(&d))
}

fn usage(m: impl Into<String>) -> anyhow::Error {
    exit::with_code(exit::USAGE, m)
}

fn open_db(database: Option<&str>) -> anyhow::Result<leakscope_db::Db> {
    leakscope_db::Db::open_default(database).map_err(|e| {
        exit::with_code(
            exit::FAILURE,
            format!("opening the leakscope database: {e}"),
        )
    })
}

/// Runs the verb.
pub fn run(args: Args) -> anyhow::Result<i32> {
    match args.command {
        Cmd::Scan(a) => scan(&args.db.database, args.json, *a),
        Cmd::List { status } => list(&args.db.database, args.json, status),
        Cmd::Show { finding, profile } => show(&args.db.database, args.json, &finding, profile),
    }
}

fn limits(a: &ScanArgs) -> anyhow::Result<Limits> {
    let d = |s: &str, what: &str| {
        parse_duration(s).ok_or_else(|| usage(format!("{what} {s:?}: use e.g. 3s, 500ms, 2m")))
    };
    if a.concurrency == 0 || a.concurrency > 256 {
        return Err(usage("--concurrency must be 1 to 256"));
    }
    if !(a.rate.is_finite() && a.rate > 0.0 && a.rate <= 10_000.0) {
        return Err(usage(
            "--rate must be more than 0 and at most 10000 per second",
        ));
    }
    if a.sample == 0 || a.sample > 100_000 {
        return Err(usage("--sample must be 1 to 100000"));
    }
    let sample_bytes = leakscope_text::parse_size(&a.sample_bytes)
        .map_err(|e| usage(format!("--sample-bytes: {e}")))?;
    Ok(Limits {
        concurrency: a.concurrency,
        rate: a.rate,
        connect_timeout: d(&a.connect_timeout, "--connect-timeout")?,
        io_timeout: d(&a.timeout, "--timeout")?,
        sample_per_store: a.sample,
        stores_per_service: a.stores.max(1),
        sample_bytes: sample_bytes.clamp(1024, 1 << 30),
        default_credentials: !a.no_default_credentials,
        well_known_paths: !a.no_path_checks,
        max_hosts: a.max_hosts.max(1),
        ..Limits::default()
    })
}

fn scan(database: &Option<String>, json: bool, a: ScanArgs) -> anyhow::Result<i32> {
    let text = std::fs::read_to_string(&a.scope)
        .with_context(|| format!("reading the scope file {}", a.scope.display()))
        .map_err(|e| usage(format!("{e:#}")))?;
    let scope = Scope::parse(&text, &a.scope.display().to_string())
        .map_err(|e| usage(format!("{}: {e}", a.scope.display())))?;
    let now = match &a.now {
        Some(t) => parse_now(t)
            .ok_or_else(|| usage(format!("--now {t:?}: use RFC 3339 or YYYY-MM-DD HH:MM")))?,
        None => chrono::Utc::now(),
    };
    let req = Request {
        targets: a.targets.clone(),
        scope: Arc::new(scope),
        ports: a.ports.clone(),
        limits: limits(&a)?,
        now,
    };
    if a.dry_run {
        let plan = leakscope_exposure::plan(&req.targets, &req.scope, &req.ports, &req.limits);
        if json {
            let mut doc = serde_json::to_value(leakscope_exposure::report_for(&req, &plan))?;
            doc["dry_run"] = true.into();
            doc["endpoints"] = plan
                .jobs
                .iter()
                .map(|j| {
                    serde_json::json!({"endpoint": j.ep.authority(), "ip": j.ep.ip.to_string(),
                    "probe": j.hint.map(|k| k.id()), "target": j.target})
                })
                .collect();
            outln!("{}", crate::show::json(&doc)?);
        } else {
            outln!(
                "dry run: {} endpoint(s) would be probed, {} target(s) refused; nothing was sent",
                plan.jobs.len(),
                plan.refused.len()
            );
            for j in &plan.jobs {
                outln!(
                    "  {}  {}",
                    crate::show::name(&j.ep.authority()),
                    j.hint.map_or("identify", |k| k.id())
                );
            }
            for r in &plan.refused {
                outln!("  refused {} — {}", crate::show::name(&r.target), r.reason);
            }
        }
        return Ok(if plan.jobs.is_empty() {
            exit::USAGE
        } else {
            exit::OK
        });
    }
    let plan = leakscope_exposure::plan(&req.targets, &req.scope, &req.ports, &req.limits);
    if plan.jobs.is_empty() {
        for r in &plan.refused {
            eprintln!(
                "leakscope: refused {} — {}",
                crate::show::name(&r.target),
                r.reason
            );
        }
        return Err(usage(
            "nothing to probe: every target is outside the scope (nothing was sent)",
        ));
    }
    let mut db = if a.no_store {
        None
    } else {
        Some(open_db(database.as_deref())?)
    };
    let bar = (!a.quiet && std::io::stderr().is_terminal()).then(|| {
        let b = indicatif::ProgressBar::with_draw_target(
            Some(plan.jobs.len() as u64),
            indicatif::ProgressDrawTarget::stderr(),
        );
        if let Ok(s) = indicatif::ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} endpoints {msg} ETA {eta}",
        ) {
            b.set_style(s);
        }
        b
    });
    let mut progress = |done: usize, _total: usize, last: &str| {
        if let Some(b) = &bar {
            b.set_position(done as u64);
            b.set_message(crate::show::name(last));
        }
    };
    let report = leakscope_exposure::scan(&req, db.as_mut(), &mut progress)
        .map_err(|e| exit::with_code(exit::FAILURE, format!("recording the scan: {e}")))?;
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    if let Some(p) = &a.html {
        std::fs::write(p, render::html(&report))
            .with_context(|| format!("writing {}", p.display()))?;
    }
    print_report(&report, json)?;
    if a.html.is_some() && !json {
        eprintln!(
            "leakscope: HTML report written to {}",
            a.html
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        );
    }
    Ok(if report.refused.is_empty() && report.failures.is_empty() {
        exit::OK
    } else {
        exit::PARTIAL
    })
}

fn print_report(r: &ExposureReport, json: bool) -> anyhow::Result<()> {
    if json {
        outln!("{}", crate::show::json(r)?);
    } else {
        out!("{}", render::human(r, crate::out::width()));
    }
    Ok(())
}

fn list(database: &Option<String>, json: bool, status: Option<String>) -> anyhow::Result<i32> {
    if let Some(s) = &status {
        if s != "open" && s != "closed" {
            return Err(usage("--status must be open or closed"));
        }
    }
    let mut db = open_db(database.as_deref())?;
    let rows = store::list(&mut db, status.as_deref())
        .map_err(|e| exit::with_code(exit::FAILURE, e.to_string()))?;
    if json {
        let doc = serde_json::json!({"schema": "leakscope.exposure-list/1", "findings": rows});
        outln!("{}", crate::show::json(&doc)?);
        return Ok(exit::OK);
    }
    if rows.is_empty() {
        outln!("no exposure findings recorded (run `leakscope exposure scan`)");
        return Ok(exit::OK);
    }
    use leakscope_text::{thousands, Col, TextTable};
    let mut t = TextTable::new(
        &[
            Col::NUM,
            Col::FIXED,
            Col::capped(40),
            Col::FIXED,
            Col::NUM,
            Col::NUM,
            Col::FIXED,
            Col::FIXED,
            Col::FIXED,
        ],
        &[
            "#",
            "id",
            "location",
            "status",
            "days",
            "people",
            "level",
            "first seen",
            "last seen",
        ],
    );
    for r in &rows {
        t.push([
            r.row.to_string(),
            r.id.clone(),
            crate::show::name(&r.location),
            r.status.clone(),
            r.open_days.to_string(),
            r.people
                .map_or("unknown".into(), |p| thousands(p.max(0) as u64)),
            r.sensitivity.clone().unwrap_or_default(),
            r.first_seen.clone(),
            r.last_seen.clone(),
        ]);
    }
    out!("{}", t.render(crate::out::width()));
    Ok(exit::OK)
}

fn show(
    database: &Option<String>,
    json: bool,
    which: &str,
    profile: Option<PathBuf>,
) -> anyhow::Result<i32> {
    let mut db = open_db(database.as_deref())?;
    let Some((f, l, hist)) =
        store::get(&mut db, which).map_err(|e| exit::with_code(exit::FAILURE, e.to_string()))?
    else {
        return Err(usage(format!(
            "no exposure finding {which:?} (see `leakscope exposure list`)"
        )));
    };
    if let Some(p) = &profile {
        std::fs::write(p, leakscope_profile::json(&f.profile))
            .with_context(|| format!("writing {}", p.display()))?;
    }
    if json {
        let doc = serde_json::json!({"schema": "leakscope.exposure-finding/1", "status": l,
            "finding": f, "history": hist});
        outln!("{}", crate::show::json(&doc)?);
        return Ok(exit::OK);
    }
    outln!(
        "finding #{} {} — {} ({})",
        l.row,
        f.id,
        crate::show::name(&f.location),
        l.status
    );
    if l.status == "closed" {
        outln!(
            "closed at {}; it was open for at least {} days (since {})",
            l.closed_at.clone().unwrap_or_default(),
            l.open_days,
            l.open_since
        );
    }
    out!("{}", render::finding_detail(&f, crate::out::width()));
    outln!("\nhistory:");
    for h in hist {
        outln!("  {}  {}  (scan {})", h.at, h.state, h.scan);
    }
    if let Some(p) = profile {
        outln!("profile written to {} (leakscope.scan/1)", p.display());
    }
    Ok(exit::OK)
}
