//! `leakscope inspect` (not built yet).

/// Arguments of `leakscope inspect`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs the verb.
pub fn run(_args: Args) -> anyhow::Result<i32> {
    Err(crate::exit::with_code(crate::exit::FAILURE, "`inspect` is not built yet"))
}
