//! JSON in and out, with a schema check on the way in.

use crate::model::{ScanProfile, SCAN_SCHEMA};
use std::fmt;

/// Why a document could not be read as a scan profile.
#[derive(Debug)]
pub enum ProfileError {
    /// The text is not JSON (or not a JSON object).
    NotJson(String),
    /// The object has no string `schema` field.
    MissingSchema,
    /// The document declares another schema.
    SchemaMismatch {
        /// The schema the document declares.
        found: String,
    },
    /// The schema matches but a field is missing or of the wrong type.
    Invalid(String),
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProfileError::NotJson(e) => write!(f, "not a JSON object: {e}"),
            ProfileError::MissingSchema => {
                write!(f, "no \"schema\" field: expected \"{SCAN_SCHEMA}\" (is this a `leakscope scan --json` document?)")
            }
            ProfileError::SchemaMismatch { found } => write!(
                f,
                "schema is \"{}\", expected \"{SCAN_SCHEMA}\" (produced by another leakscope command or version)",
                crate::text::clean(found)
            ),
            ProfileError::Invalid(e) => write!(f, "invalid {SCAN_SCHEMA} document: {e}"),
        }
    }
}

impl std::error::Error for ProfileError {}

/// The profile as pretty-printed JSON (non-finite numbers, which JSON cannot hold, become 0).
pub fn json(profile: &ScanProfile) -> String {
    let mut p = profile.clone();
    sanitize_floats(&mut p);
    serde_json::to_string_pretty(&p).unwrap_or_else(|e| {
        // Serialising plain data structs cannot fail; keep a located message rather than panic.
        format!("{{\"schema\":\"{SCAN_SCHEMA}\",\"error\":\"{e}\"}}")
    })
}

/// Writes the profile as the same pretty-printed JSON as [`json`], streaming: a profile of
/// 200,000 tables is not built as one string (nor copied) first. Non-finite numbers are set to
/// 0 in place, as [`json`] does on its copy.
pub fn write_json(profile: &mut ScanProfile, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    sanitize_floats(profile);
    let mut out = std::io::BufWriter::with_capacity(1 << 16, w);
    serde_json::to_writer_pretty(&mut out, profile).map_err(std::io::Error::other)?;
    use std::io::Write;
    out.write_all(b"\n")?;
    out.flush()
}

/// Reads a `leakscope.scan/1` document, checking the `schema` field first so that a document of
/// another kind or version gets a clear error instead of a missing-field complaint.
pub fn from_json(text: &str) -> Result<ScanProfile, ProfileError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| ProfileError::NotJson(e.to_string()))?;
    let obj = value
        .as_object()
        .ok_or_else(|| ProfileError::NotJson("top level is not an object".into()))?;
    match obj.get("schema").and_then(|s| s.as_str()) {
        None => return Err(ProfileError::MissingSchema),
        Some(s) if s != SCAN_SCHEMA => {
            return Err(ProfileError::SchemaMismatch {
                found: s.to_string(),
            })
        }
        Some(_) => {}
    }
    serde_json::from_value(value).map_err(|e| ProfileError::Invalid(e.to_string()))
}

/// Replaces NaN and infinities (which serde_json writes as `null`) with 0 so that output
/// always reads back.
fn sanitize_floats(p: &mut ScanProfile) {
    fn fix(x: &mut f64) {
        if !x.is_finite() {
            *x = 0.0;
        }
    }
    fix(&mut p.individuals.relative_error);
    for c in &mut p.countries {
        fix(&mut c.share);
    }
    for t in &mut p.tables {
        for c in &mut t.columns {
            fix(&mut c.confidence);
            fix(&mut c.fill_rate);
            fix(&mut c.validation_share);
            for s in c.mixed.iter_mut().chain(c.embedded.iter_mut()) {
                fix(&mut s.share);
            }
        }
    }
}
