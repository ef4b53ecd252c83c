//! Renderers of a [`ScanProfile`](crate::model::ScanProfile): terminal, Markdown, HTML, JSON.
//!
//! Every string in a profile may come from stolen data (headers, file names, tenant names,
//! examples), so each renderer neutralises it for its medium: control and bidi characters are
//! replaced on the terminal, Markdown metacharacters are escaped, HTML is entity-escaped.

mod facts;
pub mod html;
mod human;
mod markdown;

pub use html::{fragments, html, html_report, Fragments, HtmlSection, STYLESHEET};
pub use human::{badge_style, human, level_style, styled, HumanOptions, MAX_TABLES_SHOWN};
pub use markdown::{markdown, markdown_report};

/// Escapes a string for Markdown text or a table cell the way the Markdown report does (controls
/// neutralised, newlines flattened, Markdown and HTML metacharacters escaped).
pub fn markdown_escape(s: &str) -> String {
    markdown::md(s)
}

/// The nearest notification deadline, shown in the header of a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    /// One line: who, by when, how long is left (`PDPC (Singapore): by 2026-12-08 23:59 +08:00 ·
    /// 2 d 4 h left`), or why there is none.
    pub text: String,
    /// The deadline has passed.
    pub overdue: bool,
}

/// A section another verb adds to a Markdown report (`markdown` is trusted: the caller escapes
/// every data-derived string).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownSection {
    /// Heading text (escaped by the renderer).
    pub title: String,
    /// Trusted Markdown body.
    pub markdown: String,
}

/// What other verbs add to a report: the nearest deadline for its header, sections that belong
/// right after "why it is …" (the obligations: what must be done, by when), and an appendix.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extras {
    /// The nearest notification deadline.
    pub deadline: Option<Deadline>,
    /// HTML sections placed right after the sensitivity reasons.
    pub urgent: Vec<HtmlSection>,
    /// HTML sections appended after the scan's own.
    pub appendix: Vec<HtmlSection>,
    /// Markdown sections placed right after the sensitivity reasons.
    pub markdown: Vec<MarkdownSection>,
}

/// The profile as pretty-printed JSON, with identifiers in names masked unless it was made with
/// `--reveal` ([`crate::names::for_output`]; [`crate::json`] writes the document as it is).
pub fn json(profile: &crate::model::ScanProfile) -> String {
    leakscope_text::json_safe(crate::io::json(&crate::names::for_output(profile)))
}

/// Writes [`json`] of `profile` (and a line end) to `w` streaming: masked in place, serialised
/// through [`leakscope_text::JsonSafeWriter`], never built as one string — a profile of
/// 200,000 tables costs no second and third copy of itself.
pub fn write_json(
    mut profile: crate::model::ScanProfile,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    crate::names::mask_for_output(&mut profile);
    let mut safe =
        leakscope_text::JsonSafeWriter::new(std::io::BufWriter::with_capacity(1 << 16, w));
    crate::io::write_json(&mut profile, &mut safe)?;
    let mut inner = safe.into_inner()?;
    std::io::Write::flush(&mut inner)
}
