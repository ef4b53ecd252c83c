//! `leakscope init` (not built yet).

/// Arguments of `leakscope init`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs the verb.
pub fn run(_args: Args) -> anyhow::Result<i32> {
    Err(crate::exit::with_code(
        crate::exit::FAILURE,
        "`init` is not built yet",
    ))
}
