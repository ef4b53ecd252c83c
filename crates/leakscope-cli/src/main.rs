//! `leakscope`: the command-line front end. Each verb lives in its own module under `cmd/`;
//! this file only parses arguments and maps results to exit codes.

// First: its `outln!`/`out!` macros are used by every verb.
#[macro_use]
mod out;
mod cmd;
mod exit;
mod progress;
mod show;

use clap::{Parser, Subcommand};

/// Triage leaked customer-data dumps: what was exposed, how many people, whose, how old,
/// and what must be done.
///
/// Start with `leakscope demo`, which writes three synthetic leaks and scans them.
#[derive(Parser)]
#[command(name = "leakscope", version, about, long_about = None, propagate_version = true)]
#[command(after_help = "Examples:
  leakscope demo                                   three synthetic leaks, scanned, with a report
  leakscope scan dump.sql.gz --html report.html    what a leak exposes, whose, how old
  leakscope init                                   the data directory and its secret (once)
  leakscope --data-dir /srv/leakscope corpus list  use another data directory

The data directory (secret, corpus, API keys) is --data-dir, else $LEAKSCOPE_HOME, else
$XDG_DATA_HOME/leakscope, else ~/.local/share/leakscope; only `init` creates it.")]
struct Cli {
    /// Data directory holding the secret, the corpus and the API keys (default:
    /// $XDG_DATA_HOME/leakscope or ~/.local/share/leakscope). Only `init` creates it.
    #[arg(long, global = true, env = "LEAKSCOPE_HOME", value_name = "DIR")]
    data_dir: Option<std::path::PathBuf>,
    /// Colour: auto (a terminal, unless NO_COLOR is set), always, or never.
    #[arg(long, global = true, value_enum, default_value_t = out::Color::Auto, value_name = "WHEN")]
    color: out::Color,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Show what a path holds: sources, formats, encodings, tables, headers, row counts, warnings.
    Inspect(cmd::inspect::Args),
    /// Profile a leak: data classes per column, people, countries, dates, tenants, sensitivity.
    Scan(cmd::scan::Args),
    /// Write three synthetic leaks (VN shop platform, CN transactions, SG grocery), scan them and write a report.
    Demo(cmd::demo::Args),
    /// Classify columns and measure detection accuracy on generated labelled data.
    Detect(cmd::detect::Args),
    /// Who must be told, by when, under which article: breach-notification obligations for a profile.
    Obligations(cmd::obligations::Args),
    /// Generate synthetic leak data with ground truth (deterministic seed).
    Generate(cmd::generate::Args),
    /// Is this leak ours, is it real, and which customers and merchants are in it?
    Verify(cmd::verify::Args),
    /// Build or update a reference index (keyed hashes of your customers' identifiers).
    Index(cmd::index::Args),
    /// The private breach corpus: add leaks, detect re-posts, check exposure.
    Corpus(cmd::corpus::Args),
    /// Serve the corpus over a Have-I-Been-Pwned-compatible HTTP API.
    Serve(cmd::serve::Args),
    /// Create the data directory and the local secret used for keyed hashes.
    Init(cmd::init::Args),
    /// Run throughput benchmarks against this machine's own ceilings.
    Bench(cmd::bench::Args),
    /// Turn a forum post, Telegram message, news item or leak-site listing into a structured leak claim; poll feeds.
    Claim(cmd::claim::Args),
    /// The watchlist claims are matched against, and the webhooks that receive alerts.
    Watch(cmd::watch::Args),
    /// A leak case from claim to advisory: samples, verdict, deadlines, events; STIX 2.1 / MISP export.
    Case(cmd::case::Args),
    /// Users of the web app (`leakscope serve`): add, remove, passwd, role, unlock, list.
    User(cmd::user::Args),
    /// Find your own services that answer without credentials (Elasticsearch, Kibana, MongoDB, Redis, PostgreSQL, MySQL, S3, dump files) and what personal data they expose.
    Exposure(cmd::exposure::Args),
}

fn main() {
    out::quiet_broken_pipe();
    let cli = Cli::parse();
    out::set_color(cli.color);
    if let Some(dir) = cli.data_dir {
        leakscope_keys::set_data_dir(dir);
    }
    let result = match cli.command {
        Command::Inspect(a) => cmd::inspect::run(a),
        Command::Scan(a) => cmd::scan::run(a),
        Command::Demo(a) => cmd::demo::run(a),
        Command::Detect(a) => cmd::detect::run(a),
        Command::Obligations(a) => cmd::obligations::run(a),
        Command::Generate(a) => cmd::generate::run(a),
        Command::Verify(a) => cmd::verify::run(a),
        Command::Index(a) => cmd::index::run(a),
        Command::Corpus(a) => cmd::corpus::run(a),
        Command::Serve(a) => cmd::serve::run(a),
        Command::Init(a) => cmd::init::run(a),
        Command::Bench(a) => cmd::bench::run(a),
        Command::Claim(a) => cmd::claim::run(a),
        Command::Watch(a) => cmd::watch::run(a),
        Command::Case(a) => cmd::case::run(a),
        Command::User(a) => cmd::user::run(a),
        Command::Exposure(a) => cmd::exposure::run(a),
    };
    std::process::exit(exit::code_for(result));
}
