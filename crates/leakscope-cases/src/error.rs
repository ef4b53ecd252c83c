//! Errors of the case library (messages never hold raw values from a leak).

use std::fmt;

/// What went wrong.
#[derive(Debug)]
pub enum CaseError {
    /// The database.
    Db(leakscope_db::DbError),
    /// No such case.
    NotFound(String),
    /// Bad input from the user (exit code 2 in the CLI).
    Usage(String),
    /// A file could not be read or written.
    Io(String),
    /// An analysis failed (scan, verify, corpus, obligations).
    Analysis(String),
    /// A stored document could not be read back.
    Corrupt(String),
}

impl fmt::Display for CaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CaseError::Db(e) => write!(f, "database: {e}"),
            CaseError::NotFound(w) => write!(f, "no case {w}"),
            CaseError::Usage(m) | CaseError::Io(m) | CaseError::Analysis(m) => f.write_str(m),
            CaseError::Corrupt(m) => write!(f, "stored case data unreadable: {m}"),
        }
    }
}

impl std::error::Error for CaseError {}

impl From<leakscope_db::DbError> for CaseError {
    fn from(e: leakscope_db::DbError) -> CaseError {
        CaseError::Db(e)
    }
}

/// Result alias.
pub type Result<T> = std::result::Result<T, CaseError>;
