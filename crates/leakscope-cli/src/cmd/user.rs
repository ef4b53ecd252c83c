//! `leakscope user`: the web app's local users (Argon2id password hashes in the data directory's
//! database), their roles and lock-outs. Passwords are generated and shown once unless given on
//! standard input; every change is written to the web app's audit log.

use std::io::Read;

use leakscope_db::Db;
use leakscope_text::{Col, TextTable};
use leakscope_web::users::{self, Role, UserError};

use crate::exit;

/// Arguments of `leakscope user`.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  leakscope user add ann --role admin                 a generated password, shown once
  printf '%s' \"$PW\" | leakscope user add bo --role analyst --password-stdin
  leakscope user passwd bo                            a new generated password; bo's sessions end
  leakscope user role bo viewer                       bo's sessions end; the new role applies at sign-in
  leakscope user unlock bo                            after repeated failed sign-ins
  leakscope user list
  leakscope user remove bo

Roles: admin (users page, audit log, everything an analyst may), analyst (open cases, upload
samples, record events, search the corpus, download merchant packs, reveal masked names),
viewer (read claims and cases, download the advisory and exports).
The web app is part of `leakscope serve`; see docs/web.md.")]
pub struct Args {
    #[command(flatten)]
    pub db: super::db_args::DbArgs,
    /// Machine-readable output (`list`).
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Cmd,
}

/// `user` sub-commands.
#[derive(clap::Subcommand)]
pub enum Cmd {
    /// Add a user (password generated and printed once, or read from standard input).
    Add {
        /// Sign-in name (letters, digits, `.`, `_`, `-`, `@`).
        name: String,
        /// admin, analyst or viewer.
        #[arg(long, default_value = "analyst")]
        role: String,
        /// Read the password from standard input (one line; at least 12 characters).
        #[arg(long)]
        password_stdin: bool,
    },
    /// Remove a user (their sessions end at once).
    Remove {
        /// Sign-in name.
        name: String,
    },
    /// Set a new password (generated and printed once, or from standard input); ends the
    /// user's sessions and clears a lock-out.
    Passwd {
        /// Sign-in name.
        name: String,
        /// Read the password from standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Change a user's role (their sessions end).
    Role {
        /// Sign-in name.
        name: String,
        /// admin, analyst or viewer.
        role: String,
    },
    /// Clear a lock-out after repeated failed sign-ins.
    Unlock {
        /// Sign-in name.
        name: String,
    },
    /// List users (never their password hashes).
    List,
}

fn fail(e: UserError) -> anyhow::Error {
    match e {
        UserError::Invalid(m) => exit::with_code(exit::USAGE, m),
        UserError::Exists(n) => exit::with_code(exit::USAGE, format!("a user {n} exists already")),
        UserError::NotFound(n) => exit::with_code(exit::FAILURE, format!("no user {n}")),
        UserError::Db(e) => exit::with_code(exit::FAILURE, format!("database: {e}")),
    }
}

fn role(s: &str) -> anyhow::Result<Role> {
    Role::from_id(s).ok_or_else(|| {
        exit::with_code(
            exit::USAGE,
            format!("unknown role {s:?}: use admin, analyst or viewer"),
        )
    })
}

/// A generated password: 20 characters from an unambiguous alphabet (≈ 110 bits).
pub(crate) fn generate() -> anyhow::Result<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut out = String::new();
    while out.len() < 20 {
        let mut b = [0u8; 32];
        getrandom::getrandom(&mut b)
            .map_err(|e| exit::with_code(exit::FAILURE, format!("no system randomness: {e}")))?;
        for x in b {
            // Rejection sampling keeps every character equally likely.
            if (x as usize) < 256 - 256 % ALPHABET.len() && out.len() < 20 {
                out.push(ALPHABET[x as usize % ALPHABET.len()] as char);
            }
        }
    }
    Ok(out)
}

fn read_password() -> anyhow::Result<String> {
    let mut s = String::new();
    std::io::stdin().take(4096).read_to_string(&mut s)?;
    let line = s.lines().next().unwrap_or_default().to_string();
    if line.is_empty() {
        return Err(exit::with_code(
            exit::USAGE,
            "--password-stdin: standard input holds no password",
        ));
    }
    Ok(line)
}

/// Who is acting, as the audit log records it.
fn actor() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "unknown".into());
    format!("cli:{user}")
}

fn audit(db: &mut Db, action: &str, target: &str, detail: String) -> anyhow::Result<()> {
    leakscope_web::audit::record(
        db,
        &leakscope_web::audit::New::ok(
            Some(&actor()),
            action,
            Some(format!("user {target}")),
            detail,
        ),
    )?;
    Ok(())
}

/// Runs the verb.
pub fn run(args: Args) -> anyhow::Result<i32> {
    let mut db = super::case::open_db(args.db.database.as_deref())?;
    match args.command {
        Cmd::Add {
            name,
            role: r,
            password_stdin,
        } => {
            let r = role(&r)?;
            let (password, generated) = if password_stdin {
                (read_password()?, false)
            } else {
                (generate()?, true)
            };
            let u = users::add(&mut db, &name, r, &password).map_err(fail)?;
            audit(&mut db, "user_add", &u.name, format!("role {}", u.role))?;
            eprintln!("added user {} ({})", u.name, u.role);
            if generated {
                eprintln!(
                    "password (shown only once; `leakscope user passwd {}` sets a new one):",
                    u.name
                );
                outln!("{password}");
            }
        }
        Cmd::Remove { name } => {
            if !users::remove(&mut db, &name).map_err(fail)? {
                return Err(exit::with_code(exit::FAILURE, format!("no user {name}")));
            }
            audit(&mut db, "user_remove", &name, String::new())?;
            outln!("removed user {name}; their sessions have ended");
        }
        Cmd::Passwd {
            name,
            password_stdin,
        } => {
            let (password, generated) = if password_stdin {
                (read_password()?, false)
            } else {
                (generate()?, true)
            };
            users::set_password(&mut db, &name, &password).map_err(fail)?;
            audit(&mut db, "user_passwd", &name, String::new())?;
            eprintln!("new password set for {name}; their sessions have ended");
            if generated {
                eprintln!("password (shown only once):");
                outln!("{password}");
            }
        }
        Cmd::Role { name, role: r } => {
            let r = role(&r)?;
            users::set_role(&mut db, &name, r).map_err(fail)?;
            audit(&mut db, "user_role", &name, format!("role {r}"))?;
            outln!("{name} is now {r}; their sessions have ended");
        }
        Cmd::Unlock { name } => {
            users::unlock(&mut db, &name).map_err(fail)?;
            audit(&mut db, "user_unlock", &name, String::new())?;
            outln!("{name} unlocked");
        }
        Cmd::List => {
            let list = users::list(&mut db).map_err(fail)?;
            if args.json {
                outln!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({
                        "schema": "leakscope.users/1",
                        "users": list,
                    }))?
                );
                return Ok(exit::OK);
            }
            if list.is_empty() {
                outln!("no users yet: leakscope user add NAME --role admin");
                return Ok(exit::OK);
            }
            let mut table = TextTable::new(
                &[Col::FIXED, Col::FIXED, Col::FIXED, Col::NUM, Col::FIXED],
                &["user", "role", "last sign-in", "failed", "locked until"],
            );
            for u in list {
                table.push([
                    crate::show::name(&u.name),
                    u.role.to_string(),
                    u.last_login_at.unwrap_or_else(|| "never".into()),
                    u.failed_count.to_string(),
                    u.locked_until.unwrap_or_default(),
                ]);
            }
            out!("{}", table.render(crate::out::width()));
        }
    }
    Ok(exit::OK)
}
