//! `leakscope init`: create the data directory (mode 0700) and the installation secret (0600).
//! The only verb that creates either: every other verb refuses to run without them.

/// Arguments of `leakscope init`.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  leakscope init                          ~/.local/share/leakscope (or $LEAKSCOPE_HOME)
  leakscope --data-dir /srv/leakscope init

Back up the secret file it prints: hashes made with another secret never match. Running it
again keeps the existing secret.")]
pub struct Args {}

/// Runs the verb.
pub fn run(_args: Args) -> anyhow::Result<i32> {
    let dir = leakscope_keys::data_dir();
    let (secret, created) = leakscope_keys::init_data_dir(&dir)?;
    leakscope_keys::create_private_dir(&leakscope_corpus::corpus_dir(&dir))?;
    let path = leakscope_keys::secret_path(&dir);
    let verb = if created { "created" } else { "uses existing" };
    outln!(
        "data directory {}: {verb} secret {} (fingerprint {})",
        dir.display(),
        path.display(),
        secret.fingerprint_hex()
    );
    if created {
        outln!(
            "back up {}: hashes made with another secret never match",
            path.display()
        );
    }
    Ok(crate::exit::OK)
}
