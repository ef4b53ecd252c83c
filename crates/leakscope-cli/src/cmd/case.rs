//! `leakscope case`: one record per incident — open from a claim, add samples, a reference,
//! notes and events, show the timeline, write the advisory, export STIX 2.1 / MISP, close.
//! All logic lives in `leakscope-cases`; this module parses arguments and prints.

use std::io::IsTerminal;
use std::path::PathBuf;

use leakscope_cases::analyse::{self, Env, EventInput, ReferenceInput, SampleInput};
use leakscope_cases::claim::ClaimInput;
use leakscope_cases::model::{OrgFacts, Tlp};
use leakscope_cases::{store, CaseError, CaseView, Templates};
use leakscope_db::Db;

use crate::exit;

#[path = "case_views.rs"]
mod views;

/// Arguments of `leakscope case`.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  leakscope case open --claim post.html --tz Asia/Ho_Chi_Minh --org 'Shop Platform JSC'
  leakscope case open --title 'Helpdesk export on Telegram' --tlp amber+strict
  leakscope case add 3 --sample dump.csv --reference crm.lsidx       scan, verify, re-post check, obligations
  leakscope case add 3 --event 'notified PDPC 2026-01-03 10:00'      deadlines met are marked
  leakscope case add 3 --event 'aware 2026-01-01 09:00'              deadlines count from here
  leakscope case add 3 --note 'seller asks 2,000 USDT, sample of 300 rows bought'
  leakscope case show 3                                              figures, deadlines, timeline
  leakscope case report 3 --format html --out advisory.html          also md, json; --lang vi|zh
  leakscope case export 3 --format stix --tlp green --out case3.stix.json
  leakscope case export 3 --format misp --out case3.misp.json
  leakscope case templates --out my-templates/                       edit, then --templates my-templates/

Cases live in the data directory's database (or --database postgres://…); samples and other
files are recorded by SHA-256 only, never copied. Schemas and mappings: docs/cases.md.
Exit codes: 0 usable result, 1 nothing usable, 2 usage error, 3 partial (part of a sample unreadable).")]
pub struct Args {
    /// The database (the breach corpus is looked up there too).
    #[command(flatten)]
    pub db: super::db_args::DbArgs,
    /// Machine-readable output.
    #[arg(long, global = true)]
    pub json: bool,
    /// The current time for deadlines and remaining times (RFC 3339, or YYYY-MM-DD HH:MM in
    /// UTC; default: now).
    #[arg(long, global = true, value_name = "TIME")]
    pub now: Option<String>,
    /// Directory of edited templates (`en.toml`, `vi.toml`, `zh.toml`, `policy.toml`); default:
    /// `<data dir>/case-templates` when it exists.
    #[arg(long, global = true, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Secret key file (default: the data directory's).
    #[arg(long, global = true, value_name = "FILE")]
    pub secret: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Cmd,
}

/// `case` sub-commands.
#[derive(clap::Subcommand)]
pub enum Cmd {
    /// Open a case: from a post (`--claim`), a stored claim (`--claim-id`), or empty (`--title`).
    Open(Box<OpenArgs>),
    /// Add to a case: samples (analysed), a reference, a claim, notes, events, settings.
    Add(Box<AddArgs>),
    /// The case at a glance: figures, mitigations, deadlines, the timeline.
    Show(ShowArgs),
    /// Cases, open first.
    List(ListArgs),
    /// Close a case.
    Close(CloseArgs),
    /// Re-open a closed case.
    Reopen(CaseArg),
    /// The advisory: Markdown, HTML or JSON.
    Report(ReportArgs),
    /// Export for peers: STIX 2.1 bundle or MISP event.
    Export(ExportArgs),
    /// Write the built-in templates (en, vi, zh, policy) to a directory for editing.
    Templates {
        /// Directory to write into.
        #[arg(long)]
        out: PathBuf,
    },
}

/// Organisation facts for the obligations engine.
#[derive(clap::Args, Default)]
pub struct FactArgs {
    /// Our organisation's name (as the advisory and exports name it).
    #[arg(long, value_name = "NAME")]
    pub org: Option<String>,
    /// Countries we are established in (ISO codes, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "CC")]
    pub established_in: Vec<String>,
    /// Our sector, lower case (`finance`, `retail` …).
    #[arg(long)]
    pub sector: Option<String>,
    /// We process the data for someone else.
    #[arg(long)]
    pub processor: bool,
    /// We operate critical information infrastructure.
    #[arg(long)]
    pub ciio: bool,
    /// The data was encrypted and the keys were not taken.
    #[arg(long)]
    pub encrypted: bool,
    /// Affected people per jurisdiction (`SG=898791`), overriding the sample's count.
    #[arg(long, value_name = "CODE=N")]
    pub affected: Vec<String>,
}

impl FactArgs {
    fn apply(&self, f: &mut OrgFacts) -> anyhow::Result<()> {
        if self.org.is_some() {
            f.organisation = self.org.clone();
        }
        if !self.established_in.is_empty() {
            f.established_in = self
                .established_in
                .iter()
                .map(|c| c.trim().to_ascii_uppercase())
                .filter(|c| !c.is_empty())
                .collect();
        }
        if self.sector.is_some() {
            f.sector = self.sector.as_ref().map(|s| s.to_lowercase());
        }
        f.processor |= self.processor;
        f.ciio |= self.ciio;
        f.encrypted |= self.encrypted;
        for a in &self.affected {
            let (code, n) = leakscope_obligations::facts::parse_affected(a)
                .map_err(|e| exit::with_code(exit::USAGE, e))?;
            f.affected.insert(code, n);
        }
        Ok(())
    }
}

/// `case open` arguments.
#[derive(clap::Args)]
pub struct OpenArgs {
    /// A post (forum page, Telegram export, e-mail, feed, leak-site JSON …) whose claim starts the
    /// case; it is stored in the claims table too.
    #[arg(long, value_name = "POST", conflicts_with = "claim_id")]
    pub claim: Option<PathBuf>,
    /// A claim already stored (`clm-…` id or row number from `claim list`).
    #[arg(long, value_name = "ID")]
    pub claim_id: Option<String>,
    /// An exposure finding (`exp-…` id or row number from `leakscope exposure list`): its
    /// profile becomes the case's scan, its open period the first event.
    #[arg(long, value_name = "FINDING", conflicts_with_all = ["claim", "claim_id"])]
    pub exposure: Option<String>,
    /// The message / item of a multi-item post file.
    #[arg(long, value_name = "ID")]
    pub item: Option<String>,
    /// Input format of the post (text, markdown, html, eml, telegram, rss, atom, json_feed,
    /// leak_site_json).
    #[arg(long, value_name = "F")]
    pub format: Option<String>,
    /// Title (default: from the claim).
    #[arg(long)]
    pub title: Option<String>,
    /// Advisory language: en, vi, zh.
    #[arg(long, default_value = "en")]
    pub lang: String,
    /// Sharing level: clear, white, green, amber, amber+strict, red.
    #[arg(long, default_value = "amber")]
    pub tlp: String,
    /// Timezone of local times (IANA name).
    #[arg(long, default_value = "UTC", value_name = "TZ")]
    pub tz: String,
    /// When we became aware (deadlines count from it; default: the case's first event).
    #[arg(long, value_name = "TIME")]
    pub aware_at: Option<String>,
    /// When the case is opened (default: now).
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    #[command(flatten)]
    pub facts: FactArgs,
}

/// `case add` arguments.
#[derive(clap::Args)]
pub struct AddArgs {
    /// Case number.
    pub case: String,
    /// Sample files or directories: scanned, verified (with a reference), compared with the
    /// corpus, obligations re-assessed.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    pub sample: Vec<PathBuf>,
    /// Reference to verify against: an index (`leakscope index build`), reference files, or one
    /// postgres:// / sqlite:// URL (a password is used for this run, never stored).
    #[arg(long, num_args = 1.., value_name = "REF")]
    pub reference: Vec<String>,
    /// Table of a database reference.
    #[arg(long)]
    pub table: Option<String>,
    /// Read-only SELECT of a database reference.
    #[arg(long)]
    pub query: Option<String>,
    /// Column class override `COLUMN=CLASS` for the reference and samples.
    #[arg(long = "map", value_name = "COLUMN=CLASS")]
    pub map: Vec<String>,
    /// Customer id column of the reference.
    #[arg(long)]
    pub id_column: Option<String>,
    /// Tenant / merchant column of the reference.
    #[arg(long)]
    pub tenant_column: Option<String>,
    /// Last-update column of the reference.
    #[arg(long)]
    pub updated_column: Option<String>,
    /// Country of phone numbers written without a country code.
    #[arg(long)]
    pub default_country: Option<String>,
    /// Rows the seller claims (default: the claim's count).
    #[arg(long)]
    pub claimed_rows: Option<u64>,
    /// Another post about the same leak.
    #[arg(long, value_name = "POST")]
    pub claim: Option<PathBuf>,
    /// A note (free text; do not paste personal data).
    #[arg(long)]
    pub note: Option<String>,
    /// An event: `notified PDPC 2026-01-03 10:00`, `aware 2026-01-01 09:00`, `assessed …`,
    /// `occurred …`, `contained …`, `done password_reset`.
    #[arg(long)]
    pub event: Option<String>,
    /// Kind of the --event (default: its first word).
    #[arg(long)]
    pub kind: Option<String>,
    /// Time of the --event / --note / --sample (default: at the end of the event text, else now).
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    /// Set the awareness time explicitly.
    #[arg(long, value_name = "TIME")]
    pub aware_at: Option<String>,
    /// Change the title.
    #[arg(long)]
    pub title: Option<String>,
    /// Change the sharing level.
    #[arg(long)]
    pub tlp: Option<String>,
    /// Change the advisory language.
    #[arg(long)]
    pub lang: Option<String>,
    /// Change the timezone.
    #[arg(long, value_name = "TZ")]
    pub tz: Option<String>,
    #[command(flatten)]
    pub facts: FactArgs,
}

/// A case number.
#[derive(clap::Args)]
pub struct CaseArg {
    /// Case number (or the start of its UUID).
    pub case: String,
}

/// `case show` arguments.
#[derive(clap::Args)]
pub struct ShowArgs {
    /// Case number.
    pub case: String,
    /// Language (default: the case's).
    #[arg(long)]
    pub lang: Option<String>,
}

/// `case list` arguments.
#[derive(clap::Args)]
pub struct ListArgs {
    /// Only open or closed cases.
    #[arg(long)]
    pub status: Option<String>,
    /// At most N.
    #[arg(long, default_value_t = 100)]
    pub limit: i64,
}

/// `case close` arguments.
#[derive(clap::Args)]
pub struct CloseArgs {
    /// Case number.
    pub case: String,
    /// Why (e.g. `fabricated, no customer data`).
    #[arg(long)]
    pub reason: String,
    /// When (default: now).
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
}

/// `case report` arguments.
#[derive(clap::Args)]
pub struct ReportArgs {
    /// Case number.
    pub case: String,
    /// md, html or json.
    #[arg(long, default_value = "md")]
    pub format: String,
    /// Language (default: the case's).
    #[arg(long)]
    pub lang: Option<String>,
    /// Write here instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// `case export` arguments.
#[derive(clap::Args)]
pub struct ExportArgs {
    /// Case number.
    pub case: String,
    /// stix or misp.
    #[arg(long)]
    pub format: String,
    /// Sharing level of the export (default: the case's).
    #[arg(long)]
    pub tlp: Option<String>,
    /// Write here instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub(crate) fn fail(e: CaseError) -> anyhow::Error {
    let code = match e {
        CaseError::Usage(_) | CaseError::NotFound(_) => exit::USAGE,
        _ => exit::FAILURE,
    };
    exit::with_code(code, e.to_string())
}

pub(crate) fn open_db(database: Option<&str>) -> anyhow::Result<Db> {
    Db::open_default(database).map_err(|e| {
        exit::with_code(
            exit::FAILURE,
            format!("opening the leakscope database: {e}"),
        )
    })
}

pub(crate) fn parse_tlp(s: &str) -> anyhow::Result<Tlp> {
    Tlp::from_id(s).ok_or_else(|| {
        exit::with_code(
            exit::USAGE,
            format!("--tlp {s:?}: use clear, white, green, amber, amber+strict or red"),
        )
    })
}

pub(crate) fn check_lang(l: &str) -> anyhow::Result<String> {
    if leakscope_cases::templates::LANGUAGES.contains(&l) {
        Ok(l.to_string())
    } else {
        Err(exit::with_code(
            exit::USAGE,
            format!("--lang {l:?}: use en, vi or zh"),
        ))
    }
}

pub(crate) struct Ctx {
    pub(crate) database: Option<String>,
    pub(crate) json: bool,
    pub(crate) env: Env,
    pub(crate) templates: Option<PathBuf>,
    pub(crate) color: bool,
}

impl Ctx {
    pub(crate) fn templates(&self, lang: &str) -> anyhow::Result<Templates> {
        Templates::load(lang, self.templates.as_deref()).map_err(fail)
    }

    pub(crate) fn time(&self, text: &str, tz: &str) -> anyhow::Result<String> {
        let zone = leakscope_cases::time::tz(tz).map_err(fail)?;
        Ok(leakscope_cases::time::fmt_utc(
            leakscope_cases::time::parse_user(text, zone).map_err(fail)?,
        ))
    }
}

/// Runs the verb.
pub fn run(args: Args) -> anyhow::Result<i32> {
    let data_dir = leakscope_keys::data_dir();
    let mut env = Env::new(data_dir.clone(), args.db.database.clone());
    env.secret = args.secret.clone();
    env.actor = std::env::var("USER").ok().filter(|u| !u.is_empty());
    if let Some(n) = &args.now {
        env.now = leakscope_cases::time::parse_user(n, chrono_tz::UTC).map_err(fail)?;
    }
    let templates = args.templates.clone().or_else(|| {
        let d = data_dir.join("case-templates");
        d.is_dir().then_some(d)
    });
    let cx = Ctx {
        database: args.db.database.clone(),
        json: args.json,
        env,
        templates,
        color: std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    match args.command {
        Cmd::Open(a) => open_cmd(&cx, *a),
        Cmd::Add(a) => add_cmd(&cx, *a),
        Cmd::Show(a) => views::show_cmd(&cx, a),
        Cmd::List(a) => views::list_cmd(&cx, a),
        Cmd::Close(a) => views::close_cmd(&cx, a),
        Cmd::Reopen(a) => views::reopen_cmd(&cx, a),
        Cmd::Report(a) => views::report_cmd(&cx, a),
        Cmd::Export(a) => views::export_cmd(&cx, a),
        Cmd::Templates { out } => views::templates_cmd(&out),
    }
}

fn open_cmd(cx: &Ctx, a: OpenArgs) -> anyhow::Result<i32> {
    let lang = check_lang(&a.lang)?;
    let tlp = parse_tlp(&a.tlp)?;
    leakscope_cases::time::tz(&a.tz).map_err(fail)?;
    let mut facts = OrgFacts::default();
    a.facts.apply(&mut facts)?;
    let aware_at = a
        .aware_at
        .as_deref()
        .map(|t| cx.time(t, &a.tz))
        .transpose()?;
    let opened_at = match &a.at {
        Some(t) => cx.time(t, &a.tz)?,
        None => leakscope_cases::time::fmt_utc(cx.env.now),
    };
    let format = match a.format.as_deref() {
        Some(f) => Some(leakscope_claims::read::Format::from_id(f).ok_or_else(|| {
            exit::with_code(exit::USAGE, format!("--format {f:?} is not a post format"))
        })?),
        None => None,
    };
    let claim = match (&a.claim, &a.claim_id) {
        (Some(p), _) => Some(ClaimInput::Post {
            path: p.clone(),
            format,
            item: a.item.clone(),
        }),
        (None, Some(id)) => Some(ClaimInput::Stored(id.clone())),
        (None, None) if a.title.is_none() && a.exposure.is_none() => {
            return Err(exit::with_code(
                exit::USAGE,
                "give --claim POST, --claim-id ID, --exposure FINDING or --title TEXT",
            ))
        }
        _ => None,
    };
    let mut db = open_db(cx.database.as_deref())?;
    let exposure = match &a.exposure {
        Some(id) => Some(exposure_input(&mut db, id)?),
        None => None,
    };
    let new = store::NewCase {
        title: a
            .title
            .clone()
            .or_else(|| {
                exposure
                    .as_ref()
                    .map(|e| format!("Exposed without credentials: {}", e.location))
            })
            .unwrap_or_default(),
        lang,
        tlp,
        timezone: a.tz.clone(),
        facts,
        aware_at,
        opened_at,
        actor: cx.env.actor.clone(),
    };
    let mut case = analyse::open(&mut db, &new, claim.as_ref(), &cx.env).map_err(fail)?;
    if let Some(e) = &exposure {
        analyse::attach_exposure(&mut db, &mut case, e, &cx.env).map_err(fail)?;
    }
    if cx.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(&CaseView::load(&mut db, case.id).map_err(fail)?)?
        );
    } else {
        outln!("opened case #{}: {}", case.id, case.title);
        outln!(
            "next: leakscope case add {} --sample FILE --reference REF   (or --event, --note); leakscope case show {}",
            case.id, case.id
        );
    }
    Ok(exit::OK)
}

/// A stored exposure finding as the cases library takes it.
fn exposure_input(db: &mut Db, id: &str) -> anyhow::Result<analyse::ExposureInput> {
    let Some((f, l, _)) = leakscope_exposure::store::get(db, id)
        .map_err(|e| exit::with_code(exit::FAILURE, e.to_string()))?
    else {
        return Err(exit::with_code(
            exit::USAGE,
            format!("no exposure finding {id:?} (see `leakscope exposure list`)"),
        ));
    };
    let mut document = serde_json::to_value(&f)?;
    if let Some(o) = document.as_object_mut() {
        o.remove("profile");
        o.insert("status".into(), l.status.clone().into());
    }
    Ok(analyse::ExposureInput {
        id: f.id.clone(),
        location: f.location.clone(),
        open_since: f.open_since.clone(),
        last_seen: f.last_seen.clone(),
        observations: f.observations,
        people: f.people.value,
        document,
        profile: f.profile,
    })
}

fn add_cmd(cx: &Ctx, a: AddArgs) -> anyhow::Result<i32> {
    let mut db = open_db(cx.database.as_deref())?;
    let mut case = store::resolve(&mut db, &a.case).map_err(fail)?;
    let mut did = Vec::new();
    // Settings first: they change how the rest is read.
    let mut changed = false;
    if let Some(t) = &a.title {
        case.title = t.clone();
        changed = true;
    }
    if let Some(t) = &a.tlp {
        case.tlp = parse_tlp(t)?;
        changed = true;
    }
    if let Some(l) = &a.lang {
        case.lang = check_lang(l)?;
        changed = true;
    }
    if let Some(z) = &a.tz {
        leakscope_cases::time::tz(z).map_err(fail)?;
        case.timezone = z.clone();
        changed = true;
    }
    let before = case.facts.clone();
    a.facts.apply(&mut case.facts)?;
    let facts_changed = before != case.facts;
    if let Some(t) = &a.aware_at {
        case.aware_at = Some(cx.time(t, &case.timezone)?);
    }
    if changed || facts_changed || a.aware_at.is_some() {
        store::update_settings(&mut db, &case).map_err(fail)?;
        did.push("settings updated".to_string());
    }
    if facts_changed || a.aware_at.is_some() {
        analyse::reevaluate_obligations(&mut db, &case, &cx.env).map_err(fail)?;
    }
    if let Some(p) = &a.claim {
        let input = ClaimInput::Post {
            path: p.clone(),
            format: None,
            item: None,
        };
        analyse::attach_claim(&mut db, &mut case, &input, &cx.env).map_err(fail)?;
        did.push(format!("claim from {} recorded", p.display()));
    }
    if !a.reference.is_empty() {
        let r = ReferenceInput {
            specs: a.reference.clone(),
            table: a.table.clone(),
            query: a.query.clone(),
            map: a.map.clone(),
            id_column: a.id_column.clone(),
            tenant_column: a.tenant_column.clone(),
            updated_column: a.updated_column.clone(),
            default_country: a.default_country.clone(),
        };
        analyse::set_reference(&mut db, &mut case, &r, &cx.env).map_err(fail)?;
        did.push("reference set".to_string());
    }
    if let Some(n) = &a.note {
        let e = EventInput {
            text: n.clone(),
            kind: Some("note".into()),
            at: a.at.clone(),
        };
        analyse::record_event(&mut db, &case, &e, &cx.env).map_err(fail)?;
        did.push("note recorded".to_string());
    }
    if let Some(t) = &a.event {
        let e = EventInput {
            text: t.clone(),
            kind: a.kind.clone(),
            at: a.at.clone(),
        };
        analyse::record_event(&mut db, &case, &e, &cx.env).map_err(fail)?;
        did.push("event recorded".to_string());
    }
    let mut run = None;
    if !a.sample.is_empty() {
        let at =
            a.at.as_deref()
                .filter(|_| a.event.is_none() && a.note.is_none())
                .map(|t| cx.time(t, &case.timezone))
                .transpose()?
                .and_then(|t| leakscope_cases::time::parse_utc(&t));
        let s = SampleInput {
            paths: a.sample.clone(),
            claimed_rows: a.claimed_rows,
            at,
            reference_specs: (!a.reference.is_empty()).then(|| a.reference.clone()),
            scan_progress: None,
        };
        let quiet = cx.json;
        let mut progress = |stage: &str| {
            if !quiet {
                eprintln!("leakscope case: {stage}");
            }
        };
        let case = store::get(&mut db, case.id).map_err(fail)?;
        let r = analyse::add_sample(&mut db, &case, &s, &cx.env, &mut progress).map_err(fail)?;
        run = Some(r);
    }
    if did.is_empty() && run.is_none() {
        return Err(exit::with_code(
            exit::USAGE,
            "nothing to add: give --sample, --reference, --claim, --note, --event or a setting",
        ));
    }
    if cx.json {
        match &run {
            Some(r) if r.errors > 0 => {
                outln!("{}", serde_json::to_string_pretty(r)?);
                return Ok(exit::PARTIAL);
            }
            Some(r) => outln!("{}", serde_json::to_string_pretty(r)?),
            None => outln!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({
                    "schema": leakscope_cases::model::RUN_SCHEMA,
                    "case": case.id,
                    "done": did,
                }))?
            ),
        }
        return Ok(exit::OK);
    }
    for d in &did {
        outln!("case #{}: {d}", case.id);
    }
    if let Some(r) = &run {
        outln!(
            "case #{}: run {} — {} rows, {} people, sensitivity {}",
            case.id,
            r.run,
            r.rows,
            r.people,
            r.sensitivity
        );
        if let Some(v) = &r.verify {
            outln!(
                "  verdict: {} — {}",
                v["verdict"].as_str().unwrap_or(""),
                v["summary"].as_str().unwrap_or("")
            );
        }
        if let Some(o) = &r.overlap {
            outln!("  corpus: {}", o["summary"].as_str().unwrap_or(""));
        }
        outln!(
            "  obligations: {} apply{}",
            r.obligations["applicable"],
            r.obligations["next_due"]
                .as_str()
                .map(|d| format!(", next due {d}"))
                .unwrap_or_default()
        );
        for n in &r.notes {
            outln!("  note: {n}");
        }
        if r.errors > 0 {
            eprintln!(
                "leakscope: warning: {} part(s) of the sample could not be read (see `leakscope inspect`)",
                r.errors
            );
        }
    }
    Ok(if run.as_ref().is_some_and(|r| r.errors > 0) {
        exit::PARTIAL
    } else {
        exit::OK
    })
}
