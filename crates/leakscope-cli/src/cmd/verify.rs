//! `leakscope verify` (not built yet).

/// Arguments of `leakscope verify`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs the verb.
pub fn run(_args: Args) -> anyhow::Result<i32> {
    Err(crate::exit::with_code(
        crate::exit::FAILURE,
        "`verify` is not built yet",
    ))
}
