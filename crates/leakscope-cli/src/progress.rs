//! Progress bars of the long verbs (`scan`, `corpus add`, `corpus overlap`, `verify`, `index
//! build`): one look, with the ETA, drawn on stderr only when it is a terminal and `-q` was not
//! given. The work is sized with the reader's own rule ([`leakscope_formats::walk`]): symbolic
//! links inside directories are not followed, so a link to a huge file does not inflate the
//! total.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

/// A byte-measured bar for reading `paths`, or `None` when quiet or stderr is not a terminal.
pub fn reading(paths: &[PathBuf], quiet: bool) -> Option<Bar> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let total = leakscope_formats::walk::input_bytes(paths);
    let bar = ProgressBar::with_draw_target(Some(total.max(1)), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {msg} ETA {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    Some(Bar {
        bar,
        started: Instant::now(),
    })
}

/// A spinner counting rows, for sources whose size is unknown in advance (a database table);
/// `None` when quiet or stderr is not a terminal.
pub fn counting(quiet: bool) -> Option<Bar> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{spinner} [{elapsed_precise}] {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    bar.set_style(style);
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    Some(Bar {
        bar,
        started: Instant::now(),
    })
}

/// The bar for reading a verify/index reference: by bytes for files, counting rows otherwise.
pub fn for_reference(source: &leakscope_verify::RefSource, quiet: bool) -> Option<Bar> {
    match source {
        leakscope_verify::RefSource::Files(paths) => reading(paths, quiet),
        _ => counting(quiet),
    }
}

/// A reading progress bar.
#[derive(Clone)]
pub struct Bar {
    bar: ProgressBar,
    started: Instant,
}

impl Bar {
    /// Moves the bar: its position is the larger of the finished sources' stored bytes and the
    /// cell text seen (≈ bytes of a plain text file, plus 10 % for separators), never past the
    /// total, never backwards.
    pub fn update(&self, source_bytes_done: u64, text_bytes: u64, rows: u64) {
        let Some(total) = self.bar.length() else {
            self.bar
                .set_message(format!("{} rows read", leakscope_text::thousands(rows)));
            return;
        };
        let estimate = source_bytes_done.max((text_bytes + text_bytes / 10).min(total));
        if estimate > self.bar.position() {
            self.bar.set_position(estimate.min(total));
        }
        let rate = rows as f64 / self.started.elapsed().as_secs_f64().max(1e-3);
        self.bar.set_message(format!(
            "{} rows, {} rows/s",
            leakscope_text::thousands(rows),
            leakscope_text::thousands(rate as u64)
        ));
    }

    /// Says what happens after reading (sorting, writing, comparing).
    pub fn stage(&self, what: &str) {
        self.bar.set_position(self.bar.length().unwrap_or(0));
        self.bar.set_message(what.to_string());
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Bar {
    /// The callback form the verify library takes.
    pub fn verify_hook(&self) -> leakscope_verify::Progress {
        let b = self.clone();
        leakscope_verify::Progress(std::sync::Arc::new(move |text, rows| {
            b.update(0, text, rows)
        }))
    }
}
