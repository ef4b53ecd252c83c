//! The self-contained HTML report: inline CSS and SVG charts, no JavaScript, no network, no
//! external fonts; prints cleanly to PDF. Other verbs append their own [`HtmlSection`]s.

mod charts;
mod sections;
mod style;

use crate::model::ScanProfile;
use crate::text::clean;
use std::fmt::Write;

/// A section another verb (verify, obligations...) appends to the report.
///
/// `id` and `title` are escaped by the renderer; `html` is inserted as is, so the caller must
/// build it with [`escape`] applied to every data-derived string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlSection {
    /// Anchor id (characters other than `[A-Za-z0-9_-]` are replaced by `-`).
    pub id: String,
    /// Heading text.
    pub title: String,
    /// Trusted HTML body of the section.
    pub html: String,
}

/// HTML-escapes a string for text or a quoted attribute value, after replacing control and
/// bidi-override characters (data strings are attacker-controlled).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for ch in clean(s).chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Short alias used throughout the renderer.
pub(crate) fn esc(s: &str) -> String {
    escape(s)
}

/// An anchor id restricted to `[A-Za-z0-9_-]`.
fn anchor(id: &str) -> String {
    let a: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if a.is_empty() {
        "section".to_string()
    } else {
        a
    }
}

/// The stylesheet of the report and of its [`Fragments`] (a page that embeds fragments scopes
/// it to their container).
pub const STYLESHEET: &str = style::CSS;

/// The report's parts as HTML fragments, for a page that shows a profile among other things
/// (the web app's case page) without drawing it again. Every data-derived string is escaped and
/// identifiers in names are masked unless the profile was made with `--reveal`; no fragment
/// holds a script or an inline style, so they render under a strict Content-Security-Policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragments {
    /// Header: title, scan time, sensitivity badge, masked/revealed marker.
    pub header: String,
    /// The headline figures (rows, people, tables, sources, newest record, tenants).
    pub kpis: String,
    /// Why it is as sensitive as it is.
    pub reasons: String,
    /// The charts: data classes, countries, records over time, top tenants.
    pub charts: String,
    /// Password material.
    pub passwords: String,
    /// Tables and columns with their classes.
    pub columns: String,
    /// Sources read and diagnostics.
    pub reading: String,
}

/// Renders the report's parts separately (see [`Fragments`]).
pub fn fragments(profile: &ScanProfile) -> Fragments {
    let profile = &*crate::names::for_output(profile);
    let part = |f: &dyn Fn(&mut String)| {
        let mut o = String::with_capacity(8 * 1024);
        f(&mut o);
        o
    };
    Fragments {
        header: part(&|o| sections::header(o, profile, None)),
        kpis: part(&|o| sections::kpis(o, profile)),
        reasons: part(&|o| sections::reasons(o, profile)),
        charts: part(&|o| sections::charts(o, profile)),
        passwords: part(&|o| sections::passwords(o, profile)),
        columns: part(&|o| sections::columns(o, profile)),
        reading: part(&|o| sections::reading(o, profile)),
    }
}

/// Renders the full report, with `extra` sections appended after the scan's own.
pub fn html(profile: &ScanProfile, extra: &[HtmlSection]) -> String {
    html_report(
        profile,
        &super::Extras {
            appendix: extra.to_vec(),
            ..super::Extras::default()
        },
    )
}

fn extra_section(o: &mut String, s: &HtmlSection) {
    let _ = write!(
        o,
        "<section class=\"extra\" id=\"{}\">\n<h2>{}</h2>\n{}\n</section>\n",
        anchor(&s.id),
        esc(&s.title),
        s.html
    );
}

/// Renders the full report with what other verbs add: the nearest deadline in the header, the
/// urgent sections right after "why it is …", the appendix at the end.
pub fn html_report(profile: &ScanProfile, extras: &super::Extras) -> String {
    let profile = &*crate::names::for_output(profile);
    let mut o = String::with_capacity(64 * 1024);
    let title = format!("Leak profile: {}", super::markdown::title(profile));
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"generator\" content=\"{} {}\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<main>\n",
        esc(&profile.tool.name),
        esc(&profile.tool.version),
        esc(&title),
        style::CSS
    );
    sections::header(&mut o, profile, extras.deadline.as_ref());
    sections::kpis(&mut o, profile);
    sections::reasons(&mut o, profile);
    for s in &extras.urgent {
        extra_section(&mut o, s);
    }
    sections::charts(&mut o, profile);
    sections::passwords(&mut o, profile);
    sections::columns(&mut o, profile);
    sections::reading(&mut o, profile);
    for s in &extras.appendix {
        extra_section(&mut o, s);
    }
    let _ = write!(
        o,
        "<footer>Generated by {} {} on {} · schema {} · {}</footer>\n</main>\n</body>\n</html>\n",
        esc(&profile.tool.name),
        esc(&profile.tool.version),
        esc(&profile.generated_at),
        esc(&profile.schema),
        if profile.revealed {
            "contains RAW values (--reveal): handle as the leak itself"
        } else {
            "examples are masked; no raw values are included"
        }
    );
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_html_metacharacters() {
        assert_eq!(
            escape(r#"<a href="x" onclick='y'>&</a>"#),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
        );
        assert_eq!(escape("Thời Trang 身份证"), "Thời Trang 身份证");
        assert!(!escape("a\u{202E}b").contains('\u{202E}'));
    }

    #[test]
    fn fragments_are_the_report_parts_without_inline_styles_or_scripts() {
        let p = crate::sample::sample_vn_platform();
        let f = fragments(&p);
        let report = html(&p, &[]);
        for part in [
            &f.kpis,
            &f.reasons,
            &f.charts,
            &f.passwords,
            &f.columns,
            &f.reading,
        ] {
            assert!(!part.is_empty());
            assert!(
                report.contains(part.as_str()),
                "a fragment differs from the report"
            );
            assert!(!part.contains("style=") && !part.contains("<script"));
        }
        assert!(f.charts.contains("<svg"));
    }

    #[test]
    fn anchors_are_restricted() {
        assert_eq!(anchor("obligations"), "obligations");
        assert_eq!(anchor("a\"><script>"), "a---script-");
        assert_eq!(anchor(""), "section");
    }
}
