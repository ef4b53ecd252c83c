//! `leakscope detect` (not built yet).

/// Arguments of `leakscope detect`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs the verb.
pub fn run(_args: Args) -> anyhow::Result<i32> {
    Err(crate::exit::with_code(crate::exit::FAILURE, "`detect` is not built yet"))
}
