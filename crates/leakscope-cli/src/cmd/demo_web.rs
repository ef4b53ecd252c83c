//! `leakscope demo --serve`: the demo directory, already laid out as a data directory (database,
//! secret, cases), made private and served with the web app — a few more claims for the feed
//! (one that nobody opened a case for yet), one demo leak in the breach corpus for the search
//! page, and an `admin` user whose generated password is printed once.

use std::path::{Path, PathBuf};

use anyhow::Context;
use leakscope_cases::claim::ClaimInput;
use leakscope_db::{Db, Target};
use leakscope_synth::{Dataset, Flavour};

/// Posts that go into the claims feed without a case (the feed's "Open a case" button).
const EXTRA_POSTS: [(&str, &str); 2] = [
    (
        "ransomware-listing.txt",
        "LockBit-style leak site listing\n\nGroup: darkvault\nVictim: Mekong Logistics JSC (mekonglogistics.vn), Vietnam\nDiscovered: 2026-11-30\n\nThe group claims 120 GB of data from Mekong Logistics JSC including customer names, phone numbers, addresses and invoices. Publication in 5 days unless paid.\n",
    ),
    (
        "news-confirmed.txt",
        "FreshCart confirms data breach affecting customer accounts\n\nSingapore, 2026-12-01 — FreshCart Pte Ltd (freshcart.com.sg), the online grocery service, confirmed on Monday that an unauthorised party accessed a customer database. The company said names, e-mail addresses, phone numbers and partial credit card numbers of about 18,000 customers were exposed, and that it has notified the PDPC.\n",
    ),
];

/// Prepares the demo directory for serving; returns the admin's password.
pub fn prepare(
    out: &Path,
    leaks: &[(Flavour, Dataset, PathBuf)],
    say: &dyn Fn(&str),
) -> anyhow::Result<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(out, std::fs::Permissions::from_mode(0o700))
            .with_context(|| format!("making {} private", out.display()))?;
    }
    let secret = leakscope_keys::Secret::load_or_create(&leakscope_keys::secret_path(out))?;
    let mut db =
        Db::open(&Target::Sqlite(out.join(leakscope_db::FILE_NAME))).context("demo database")?;
    let posts = out.join("posts");
    for (name, text) in EXTRA_POSTS {
        let p = posts.join(name);
        std::fs::write(&p, text)?;
        leakscope_cases::claim::load(
            &mut db,
            &ClaimInput::Post {
                path: p,
                format: None,
                item: None,
            },
        )
        .map_err(|e| anyhow::anyhow!("demo claim {name}: {e}"))?;
    }
    if let Some((_, _, dir)) = leaks.iter().find(|(f, _, _)| *f == Flavour::SgGrocery) {
        say("adding the SG grocery leak to the demo's breach corpus (for the search page)");
        let store = leakscope_corpus::open_store(None, out, &secret.fingerprint_hex())?;
        let (prepared, _) = leakscope_corpus::read::prepare_paths(
            std::slice::from_ref(dir),
            &secret,
            leakscope_corpus::IngestOptions::default(),
        )?;
        let meta = leakscope_corpus::BreachMeta {
            name: "freshcart-2026".into(),
            title: Some("FreshCart customer database (demo)".into()),
            domain: Some("freshcart.com.sg".into()),
            is_verified: true,
            ..Default::default()
        };
        store.add(&meta, prepared)?;
    }
    let password = super::user::generate()?;
    leakscope_web::users::add(&mut db, "admin", leakscope_web::Role::Admin, &password)
        .map_err(|e| anyhow::anyhow!("demo user: {e}"))?;
    Ok(password)
}

/// Serves the demo directory (blocking until the process ends).
pub fn serve(out: &Path, listen: &str, password: &str) -> anyhow::Result<i32> {
    leakscope_keys::set_data_dir(out.to_path_buf());
    eprintln!();
    eprintln!(
        "leakscope demo: the web app serves the demo data (synthetic, no real person's data)."
    );
    eprintln!("leakscope demo: sign in as `admin` with password {password} (shown only once).");
    eprintln!("leakscope demo: stop with Ctrl-C; the data stays in {} (LEAKSCOPE_HOME={} leakscope serve to serve it again).", out.display(), out.display());
    super::serve::run(super::serve::Args {
        listen: listen.to_string(),
        tls_cert: None,
        tls_key: None,
        database: None,
        access_log: false,
        header_timeout: 10,
        idle_timeout: 60,
        max_connections: 1024,
        password_rpm: 3000,
        cors_origins: Vec::new(),
        no_web: false,
        upload_limit: "1GB".into(),
        case_reference: [out.join("reference").join("sg-grocery-customers.csv")]
            .into_iter()
            .filter(|p| p.exists())
            .map(|p| p.display().to_string())
            .collect(),
        session_idle: 120,
        command: None,
    })
}
