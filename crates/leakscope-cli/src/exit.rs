//! Exit codes and how errors are printed.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | success; the result is usable (warnings may have been printed) |
//! | 1 | the result is not usable (nothing could be read, or a hard error) |
//! | 2 | usage error (bad arguments) — also what clap uses |
//! | 3 | partial: a result was produced but some inputs could not be read at all |

/// Success.
pub const OK: i32 = 0;
/// The result is not usable.
pub const FAILURE: i32 = 1;
/// Bad arguments.
pub const USAGE: i32 = 2;
/// A result was produced, but some inputs failed entirely.
pub const PARTIAL: i32 = 3;

/// An error that carries its own exit code.
#[derive(Debug)]
pub struct ExitError {
    /// Process exit code.
    pub code: i32,
    /// Message printed to stderr (may be empty when already printed).
    pub message: String,
}

impl std::fmt::Display for ExitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ExitError {}

/// Builds an error with an explicit exit code.
#[allow(dead_code)]
pub fn with_code(code: i32, message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(ExitError {
        code,
        message: message.into(),
    })
}

/// Maps a verb's result to the process exit code, printing the error chain.
pub fn code_for(result: anyhow::Result<i32>) -> i32 {
    match result {
        Ok(code) => code,
        // The reader of our output went away (`| head`): nothing to report, and nothing wrong.
        Err(err) if crate::out::is_broken_pipe(&err) => OK,
        Err(err) => {
            if let Some(e) = err.downcast_ref::<ExitError>() {
                if !e.message.is_empty() {
                    eprintln!("leakscope: error: {}", crate::show::message(&e.message));
                }
                return e.code;
            }
            eprintln!(
                "leakscope: error: {}",
                crate::show::message(&format!("{err:#}"))
            );
            FAILURE
        }
    }
}

#[allow(dead_code)]
const _USED: [i32; 4] = [OK, FAILURE, USAGE, PARTIAL];
