//! `leakscope generate` (not built yet).

/// Arguments of `leakscope generate`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs the verb.
pub fn run(_args: Args) -> anyhow::Result<i32> {
    Err(crate::exit::with_code(crate::exit::FAILURE, "`generate` is not built yet"))
}
