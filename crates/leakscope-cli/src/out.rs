//! Standard output of every verb.
//!
//! - Colour is decided in one place, by `anstream`: `--color auto|always|never` sets the global
//!   choice; `auto` colours only a terminal and honours `NO_COLOR` / `CLICOLOR_FORCE`. Renderers
//!   write styled text ([`anstyle`]) and the stream strips it when colour is off.
//! - Writes return their errors instead of panicking: a closed pipe (`leakscope scan --json |
//!   head -1`) ends the verb quietly with exit 0 (see `exit::code_for`); [`quiet_broken_pipe`]
//!   does the same for a stray `println!`/`eprintln!` deeper down.
//! - [`width`] is the terminal's width (or `COLUMNS`), 100 when not a terminal.

use std::io::IsTerminal;

/// `println!` to [`stdout`] that returns the write error (`?`) instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!($crate::out::stdout(), $($arg)*)?
    }};
}

/// `print!` to [`stdout`] that returns the write error (`?`) instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!($crate::out::stdout(), $($arg)*)?
    }};
}

/// The `--color` choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Color {
    /// Colour a terminal unless `NO_COLOR` is set.
    Auto,
    /// Always colour (also into pipes and files).
    Always,
    /// Never colour.
    Never,
}

/// Applies `--color` to every stream of the process.
pub fn set_color(c: Color) {
    let choice = match c {
        Color::Auto => anstream::ColorChoice::Auto,
        Color::Always => anstream::ColorChoice::Always,
        Color::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
}

/// Locked standard output that strips styling when colour is off.
pub fn stdout() -> anstream::AutoStream<std::io::StdoutLock<'static>> {
    anstream::AutoStream::auto(std::io::stdout().lock())
}

/// True when styled text written to stdout keeps its colours.
pub fn color_stdout() -> bool {
    anstream::AutoStream::choice(&std::io::stdout()) != anstream::ColorChoice::Never
}

/// Output width in cells: `COLUMNS` when set, else the terminal's width, else 100 (pipes and
/// files); at least 40.
pub fn width() -> usize {
    let from_env = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok());
    let w = from_env.or_else(|| {
        let out = std::io::stdout();
        out.is_terminal()
            .then(|| terminal_size::terminal_size_of(&out))
            .flatten()
            .map(|(w, _)| usize::from(w.0))
    });
    w.unwrap_or(100).max(40)
}

/// True when the error (anywhere in its chain) is a closed pipe on an output.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// A panic caused by printing to a closed pipe (`println!`/`eprintln!` in library code) ends
/// the process quietly with exit 0 instead of a panic message and exit 101; any other panic
/// keeps the default report.
pub fn quiet_broken_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let msg = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if msg.starts_with("failed printing to") && msg.contains("Broken pipe") {
            std::process::exit(crate::exit::OK);
        }
        default(info);
    }));
}
