//! `leakscope init`: create the data directory and the installation secret.

use std::path::PathBuf;

/// Arguments of `leakscope init`.
#[derive(clap::Args)]
pub struct Args {
    /// Data directory (default: $LEAKSCOPE_HOME, else ~/.local/share/leakscope).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
}

/// Runs the verb.
pub fn run(args: Args) -> anyhow::Result<i32> {
    let dir = args.data_dir.unwrap_or_else(leakscope_keys::data_dir);
    let path = leakscope_keys::secret_path(&dir);
    let existed = path.exists();
    let secret = leakscope_keys::Secret::load_or_create(&path)?;
    std::fs::create_dir_all(leakscope_corpus::corpus_dir(&dir))?;
    let verb = if existed { "uses existing" } else { "created" };
    println!(
        "data directory {}: {verb} secret {} (fingerprint {})",
        dir.display(),
        path.display(),
        secret.fingerprint_hex()
    );
    if !existed {
        println!(
            "back up {}: hashes made with another secret never match",
            path.display()
        );
    }
    Ok(crate::exit::OK)
}
