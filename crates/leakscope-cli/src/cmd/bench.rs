//! `leakscope bench` (not built yet).

/// Arguments of `leakscope bench`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs the verb.
pub fn run(_args: Args) -> anyhow::Result<i32> {
    Err(crate::exit::with_code(crate::exit::FAILURE, "`bench` is not built yet"))
}
