//! `leakscope obligations`: who must be told, by when, under which article.
//!
//! Reads a scan profile (`leakscope scan --json > p.json`) or scans files directly, applies the
//! breach-notification rules (built-in, or `--rules FILE`) with the organisation's facts, and
//! prints the obligations in due order (or JSON `leakscope.obligations/1`), optionally writing
//! draft notifications to `--drafts DIR`.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use chrono::{DateTime, Utc};
use leakscope_obligations::facts::{parse_affected, parse_time, parse_tz};
use leakscope_obligations::{evaluate, Facts};
use leakscope_profile::{ScanProfile, SCAN_SCHEMA};

use crate::exit::{with_code, OK, USAGE};

/// Arguments of `leakscope obligations` (boxed: the options are large).
#[derive(clap::Args)]
#[command(after_help = "Examples:
  leakscope obligations profile.json --established-in SG --discovered-at 2026-11-28T09:00:00+08:00
  leakscope scan dump.csv --json | leakscope obligations - --sector retail
  leakscope obligations dump.csv --affected SG=898791 --affected MY=12000 --html report.html
  leakscope obligations profile.json --drafts drafts/ --json

Codes are ISO 3166-1 alpha-2 (SG, VN, CN, …) or a rules region (EU, US-CA); unknown codes and
sectors are refused with the valid ones listed. Countries in the leak without a rule are listed
as \"no rule\". Rules and their sources: docs/obligations.md.")]
pub struct Args {
    /// The options.
    #[command(flatten)]
    pub opts: Box<Options>,
}

/// Options of `leakscope obligations`.
#[derive(clap::Args)]
pub struct Options {
    /// A scan profile (JSON from `leakscope scan --json`; `-` reads stdin), or the leaked files
    /// themselves to scan first.
    #[arg(required = true, value_name = "PROFILE.json | FILES")]
    pub inputs: Vec<PathBuf>,
    /// Affected people per country or region, overriding the profile (repeatable): SG=898791, US-CA=1200.
    #[arg(long, value_name = "CODE=N")]
    pub affected: Vec<String>,
    /// The organisation operates critical information infrastructure (China: 1 h instead of 4 h).
    #[arg(long)]
    pub ciio: bool,
    /// Countries the organisation is established in (ISO codes, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "CC,CC")]
    pub established_in: Vec<String>,
    /// Sector of the organisation (finance, banking, credit, health, retail...).
    #[arg(long)]
    pub sector: Option<String>,
    /// When the leak was detected (RFC 3339, or `YYYY-MM-DD HH:MM` in --tz). Default: the
    /// profile's found_on date, else now.
    #[arg(long, value_name = "TIME")]
    pub discovered_at: Option<String>,
    /// When the organisation became aware it is a personal-data breach (default: detection).
    #[arg(long, value_name = "TIME")]
    pub aware_at: Option<String>,
    /// When the assessment concluded the breach is notifiable (Singapore, Australia).
    #[arg(long, value_name = "TIME")]
    pub assessed_at: Option<String>,
    /// When the breach happened (Vietnam Decree 13 counts from it).
    #[arg(long, value_name = "TIME")]
    pub occurred_at: Option<String>,
    /// Timezone for times given without an offset (IANA name).
    #[arg(long, default_value = "UTC", value_name = "IANA")]
    pub tz: String,
    /// The organisation acts as a processor for another organisation (the controller).
    #[arg(long)]
    pub processor: bool,
    /// The leaked data was encrypted and the keys were not taken (exemptions apply).
    #[arg(long)]
    pub encrypted: bool,
    /// Measure remaining time from this instant instead of the current time.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// Print the JSON document (schema leakscope.obligations/1).
    #[arg(long)]
    pub json: bool,
    /// Write draft notifications (Markdown) to this directory.
    #[arg(long, value_name = "DIR")]
    pub drafts: Option<PathBuf>,
    /// Write the HTML report (the leak profile with the obligations section and its deadline
    /// timeline) to FILE.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
    /// Use this rules file instead of the built-in one (format: docs/obligations.md).
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
}

/// Runs the verb.
pub fn run(args: Args) -> anyhow::Result<i32> {
    let args = *args.opts;
    let tz = parse_tz(&args.tz).map_err(|e| with_code(USAGE, format!("--tz: {e}")))?;
    let time = |flag: &str, v: &Option<String>| -> anyhow::Result<Option<DateTime<Utc>>> {
        v.as_deref()
            .map(|s| parse_time(s, tz).map_err(|e| with_code(USAGE, format!("{flag}: {e}"))))
            .transpose()
    };
    let (rules, origin) = match &args.rules {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read rules file {}", path.display()))?;
            let set = leakscope_obligations::load(&text, &path.display().to_string())
                .map_err(|e| with_code(USAGE, e))?;
            (set, path.display().to_string())
        }
        None => (
            leakscope_obligations::builtin().map_err(anyhow::Error::msg)?,
            "built-in".to_string(),
        ),
    };
    let codes = Codes::new(&rules);
    for a in &args.affected {
        let (code, _) = parse_affected(a).map_err(|e| with_code(USAGE, e))?;
        codes.check("--affected", &code)?;
    }
    for c in &args.established_in {
        codes.check("--established-in", &c.trim().to_ascii_uppercase())?;
    }
    if let Some(sector) = &args.sector {
        let valid = rules.sectors();
        let s = sector.trim().to_ascii_lowercase();
        if !valid.contains(&s) {
            return Err(with_code(
                USAGE,
                format!(
                    "--sector {sector:?} is not a sector the rules know; use one of: {}",
                    valid.join(", ")
                ),
            ));
        }
    }
    let profile = load_profile(&args.inputs)?;
    let mut facts = Facts {
        discovered_at: time("--discovered-at", &args.discovered_at)?,
        aware_at: time("--aware-at", &args.aware_at)?,
        assessed_at: time("--assessed-at", &args.assessed_at)?,
        occurred_at: time("--occurred-at", &args.occurred_at)?,
        ciio: args.ciio,
        processor: args.processor,
        encrypted: args.encrypted,
        sector: args
            .sector
            .as_deref()
            .map(|s| s.trim().to_ascii_lowercase()),
        established_in: args
            .established_in
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
                    .map_err(|e| with_code(USAGE, format!("profile found_on: {e}")))?,
            );
        }
    }
    for a in &args.affected {
        let (code, n) = parse_affected(a).map_err(|e| with_code(USAGE, e))?;
        facts.affected_overrides.insert(code, n);
    }
    let now = time("--now", &args.now)?.unwrap_or_else(Utc::now);
    let report = evaluate(&rules, &origin, &profile, &facts, now);

    if let Some(dir) = &args.drafts {
        write_drafts(dir, &report)?;
    }
    if let Some(path) = &args.html {
        let extras = leakscope_obligations::report_extras(&report);
        std::fs::write(
            path,
            leakscope_profile::render::html_report(&profile, &extras),
        )
        .with_context(|| format!("cannot write {}", path.display()))?;
    }
    let mut out = crate::out::stdout();
    if args.json {
        writeln!(out, "{}", crate::show::json(&report)?)?;
    } else {
        let color = crate::out::color_stdout();
        let text = leakscope_obligations::human_table_width(&report, color, crate::out::width());
        out.write_all(text.as_bytes())?;
    }
    Ok(OK)
}

/// The country and region codes `--affected` and `--established-in` accept: ISO 3166-1 alpha-2
/// codes, and the codes the rules use (regions such as `EU`, subdivisions such as `US-CA`).
struct Codes {
    rules: Vec<String>,
}

impl Codes {
    fn new(rules: &leakscope_obligations::rules::RuleSet) -> Codes {
        Codes {
            rules: rules.codes(),
        }
    }

    fn check(&self, flag: &str, code: &str) -> anyhow::Result<()> {
        let iso = code.len() == 2 && leakscope_scan::countries::country_name(code) != code;
        if iso || self.rules.iter().any(|c| c == code) {
            return Ok(());
        }
        let hint = if code.len() == 3 && code.chars().all(|c| c.is_ascii_alphabetic()) {
            " (a 3-letter code: use the 2-letter ISO 3166-1 code, e.g. VN for VNM)"
        } else {
            ""
        };
        Err(with_code(
            USAGE,
            format!(
                "{flag}: {code:?} is not a known code{hint}; use an ISO 3166-1 alpha-2 country code or one the rules define: {}",
                self.rules.join(", ")
            ),
        ))
    }
}

fn write_drafts(
    dir: &Path,
    report: &leakscope_obligations::ObligationsReport,
) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create drafts directory {}", dir.display()))?;
    for d in &report.drafts {
        let path = dir.join(&d.file_name);
        std::fs::write(&path, &d.markdown)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    eprintln!(
        "leakscope: wrote {} draft notification(s) to {}",
        report.drafts.len(),
        dir.display()
    );
    Ok(())
}

/// Reads a scan profile from one JSON file (or stdin), or scans the given files.
fn load_profile(inputs: &[PathBuf]) -> anyhow::Result<ScanProfile> {
    if let [single] = inputs {
        let text = if single.as_os_str() == "-" {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .context("cannot read the profile from stdin")?;
            Some(s)
        } else if looks_like_json(single) {
            Some(
                std::fs::read_to_string(single)
                    .with_context(|| format!("cannot read {}", single.display()))?,
            )
        } else {
            None
        };
        if let Some(text) = text {
            return parse_profile(&text, &single.display().to_string());
        }
    }
    profile_from_files(inputs)
}

fn looks_like_json(path: &Path) -> bool {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        return true;
    }
    let mut head = [0u8; 64];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    let text = String::from_utf8_lossy(&head[..n]);
    text.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
        && text.contains("\"schema\"")
}

/// Parses a profile document; errors give the location and category, never the offending value.
fn parse_profile(text: &str, origin: &str) -> anyhow::Result<ScanProfile> {
    let value: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| {
            with_code(
                USAGE,
                format!(
                    "{origin}: not valid JSON (line {}, column {}: {:?} error)",
                    e.line(),
                    e.column(),
                    e.classify()
                ),
            )
        })?;
    let schema = value.get("schema").and_then(|s| s.as_str()).unwrap_or("");
    if schema != SCAN_SCHEMA {
        return Err(with_code(
            USAGE,
            format!(
                "{origin}: expected a scan profile with schema {SCAN_SCHEMA}, found {schema:?}"
            ),
        ));
    }
    serde_json::from_value(value).map_err(|e| {
        let detail = e.to_string();
        // Keep serde's field name but drop any quoted value it echoes.
        let safe = detail.split('"').step_by(2).collect::<Vec<_>>().join("…");
        with_code(
            USAGE,
            format!("{origin}: not a valid {SCAN_SCHEMA} profile: {safe}"),
        )
    })
}

/// Scans the files themselves with the scan engine's defaults.
fn profile_from_files(inputs: &[PathBuf]) -> anyhow::Result<ScanProfile> {
    leakscope_scan::scan_paths(
        inputs,
        &leakscope_formats::ReadOptions::default(),
        &leakscope_scan::ScanOptions::default(),
    )
    .map_err(|e| with_code(crate::exit::FAILURE, format!("scanning the leak: {e}")))
}

/// The obligations of a leak under the built-in rules with no organisation facts: detected on
/// the profile's `found_on` date (else now). What `scan` and `demo` show in their reports;
/// `leakscope obligations` refines it with the organisation's facts.
pub fn default_report(
    profile: &ScanProfile,
) -> anyhow::Result<leakscope_obligations::ObligationsReport> {
    let rules = leakscope_obligations::builtin().map_err(anyhow::Error::msg)?;
    let now = Utc::now();
    let discovered = profile
        .found_on
        .as_deref()
        .and_then(|d| parse_time(d, parse_tz("UTC").ok()?).ok());
    let facts = Facts {
        discovered_at: Some(discovered.unwrap_or(now)),
        ..Facts::default()
    };
    Ok(evaluate(&rules, "built-in", profile, &facts, now))
}

/// [`default_report`] as the sections and header line of a report.
pub fn report_extras_for(
    profile: &ScanProfile,
) -> anyhow::Result<leakscope_profile::render::Extras> {
    Ok(leakscope_obligations::report_extras(&default_report(
        profile,
    )?))
}
