//! `leakscope scan` (not built yet).

/// Arguments of `leakscope scan`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs the verb.
pub fn run(_args: Args) -> anyhow::Result<i32> {
    Err(crate::exit::with_code(crate::exit::FAILURE, "`scan` is not built yet"))
}
