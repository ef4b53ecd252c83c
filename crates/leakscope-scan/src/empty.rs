//! A scan that read no rows: why, in words a responder can act on. Such a profile says "nothing
//! read" instead of a sensitivity level, and `scan` exits 1.

use leakscope_profile::{DiagnosticSummary, Level, Reason, ScanProfile, Sensitivity};

/// Problems quoted in the explanation at most.
const QUOTED: usize = 3;

/// Why nothing was read, from the read's diagnostics (errors first, then warnings).
pub fn why(diagnostics: &[DiagnosticSummary], sources: usize) -> String {
    if sources == 0 {
        return "no input was found".to_string();
    }
    let mut quoted: Vec<String> = Vec::new();
    for severity in ["error", "warning"] {
        for d in diagnostics.iter().filter(|d| d.severity == severity) {
            if quoted.len() == QUOTED {
                break;
            }
            quoted.push(format!("{}: {} ({})", d.source, d.message, d.code));
        }
    }
    if quoted.is_empty() {
        let inputs = if sources == 1 {
            "the input holds".to_string()
        } else {
            format!("the {sources} inputs hold")
        };
        return format!("{inputs} no data rows (empty, or a header without rows)");
    }
    let more = diagnostics
        .iter()
        .filter(|d| d.severity != "info")
        .count()
        .saturating_sub(quoted.len());
    let mut s = quoted.join("; ");
    if more > 0 {
        s.push_str(&format!("; and {more} more problems"));
    }
    s
}

/// The sensitivity of a profile with no rows: one `nothing-read` reason saying why.
pub fn sensitivity(why: &str) -> Sensitivity {
    Sensitivity {
        level: Level::Low,
        reasons: vec![Reason {
            code: "nothing-read".into(),
            level: Level::Low,
            text: format!(
                "Nothing was read ({why}), so nothing can be said about what the leak exposes"
            ),
        }],
    }
}

/// Why `profile` holds no rows; `None` when it holds some.
pub fn nothing_read(profile: &ScanProfile) -> Option<String> {
    (profile.rows == 0).then(|| why(&profile.diagnostics, profile.sources.len()))
}
