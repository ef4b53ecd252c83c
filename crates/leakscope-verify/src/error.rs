//! Errors of reference reading, index handling and verification. Messages never contain raw cell
//! values or passwords.

use std::fmt;

/// What went wrong, with enough context to act on it.
#[derive(Debug)]
pub enum VerifyError {
    /// Bad arguments (`--map` syntax, missing `--table`/`--query`, ...).
    Usage(String),
    /// The reference could not be opened or read (connection, credentials, missing table, ...).
    Reference(String),
    /// The reference was read but yielded nothing usable (no rows, no identifier columns).
    EmptyReference(String),
    /// The index file is unreadable, corrupt, or from another secret.
    Index(String),
    /// The sample could not be read.
    Sample(String),
    /// Writing outputs failed.
    Io(String),
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::Usage(m) => write!(f, "usage: {m}"),
            VerifyError::Reference(m) => write!(f, "reference: {m}"),
            VerifyError::EmptyReference(m) => write!(f, "reference: {m}"),
            VerifyError::Index(m) => write!(f, "index: {m}"),
            VerifyError::Sample(m) => write!(f, "sample: {m}"),
            VerifyError::Io(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for VerifyError {}

/// Removes the password from a `scheme://user:password@host/...` URL for display.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (auth, tail) = match rest.rfind('@') {
        Some(at) => (&rest[..at], &rest[at..]),
        None => return url.to_string(),
    };
    let user = auth.split(':').next().unwrap_or("");
    let tail = tail.split('?').next().unwrap_or(tail);
    format!("{scheme}://{user}:***{tail}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            super::redact_url("postgres://u:s3cr3t@db:5432/x?sslmode=disable&password=p"),
            "postgres://u:***@db:5432/x"
        );
        assert_eq!(
            super::redact_url("sqlite:///tmp/a.db"),
            "sqlite:///tmp/a.db"
        );
    }
}
