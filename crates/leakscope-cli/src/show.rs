//! How names and messages from a leak reach the terminal: through [`leakscope_text`], masked
//! (a header or archive member may itself be an e-mail or phone number) and cleaned of terminal
//! escapes. Every printer of the CLI uses these, never the raw strings.

use leakscope_formats::{Diagnostic, Severity};

/// A name from a leak (path, member, table, header, tenant) as it may be printed.
pub fn name(s: &str) -> String {
    leakscope_text::display_name(s)
}

/// A message that may quote names from a leak (diagnostic, error) as it may be printed.
pub fn message(s: &str) -> String {
    leakscope_text::display_message(s)
}

/// A reader diagnostic with identifiers in its names and message masked (not cleaned: JSON
/// escapes control characters itself; terminal printers clean what they print).
pub fn masked_diagnostic(d: &Diagnostic) -> Diagnostic {
    let mut d = d.clone();
    d.message = leakscope_text::mask_in_message(&d.message).into_owned();
    d.source = leakscope_text::mask_identifiers(&d.source).into_owned();
    d.table = d
        .table
        .map(|t| leakscope_text::mask_identifiers(&t).into_owned());
    d
}

/// One diagnostic as a terminal line: `severity: source: message (code)`.
pub fn diagnostic_line(d: &Diagnostic) -> String {
    format!(
        "{}: {}: {} ({})",
        severity(d.severity),
        name(&d.source),
        message(&d.message),
        leakscope_text::clean(&d.code)
    )
}

/// The lower-case word for a severity.
pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

/// Pretty JSON, safe to print on a terminal ([`leakscope_text::json_safe`]: bidi overrides and
/// C1 controls in names become `\uXXXX` escapes; the value is unchanged).
pub fn json<T: serde::Serialize + ?Sized>(v: &T) -> serde_json::Result<String> {
    Ok(leakscope_text::json_safe(serde_json::to_string_pretty(v)?))
}

/// `v` serialised as a JSON object with `"schema": schema` as its first field (for documents
/// whose library type has no schema field of its own).
pub fn with_schema<T: serde::Serialize + ?Sized>(
    schema: &str,
    v: &T,
) -> serde_json::Result<serde_json::Value> {
    let mut doc = serde_json::Map::new();
    doc.insert("schema".into(), schema.into());
    match serde_json::to_value(v)? {
        serde_json::Value::Object(fields) => {
            doc.extend(fields.into_iter().filter(|(k, _)| k != "schema"))
        }
        other => {
            doc.insert("value".into(), other);
        }
    }
    Ok(serde_json::Value::Object(doc))
}
