//! Local users of the web app (migration 3, `web_users`): a name, a role and an Argon2id password
//! hash (PHC string, random salt, the crate's defaults: m = 19 MiB, t = 2, p = 1), plus the
//! lock-out state. `leakscope user add/remove/passwd/list` and the sign-in page call this.

use crate::Lockout;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use chrono::{DateTime, Utc};
use leakscope_db::{Db, DbError, Row, Value};
use serde::Serialize;
use std::fmt;
use std::sync::OnceLock;

/// What a user may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything an analyst may, plus the user list, unlocking and the audit log.
    Admin,
    /// Works cases: opens them, uploads samples, records events, searches the corpus, downloads
    /// merchant packs, reveals masked names.
    Analyst,
    /// Reads claims and cases and downloads the advisory and its exports.
    Viewer,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 3] = [Role::Admin, Role::Analyst, Role::Viewer];

    /// Stable id.
    pub fn id(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Analyst => "analyst",
            Role::Viewer => "viewer",
        }
    }

    /// Parses a stable id.
    pub fn from_id(s: &str) -> Option<Role> {
        Role::ALL
            .into_iter()
            .find(|r| r.id().eq_ignore_ascii_case(s.trim()))
    }

    /// May change cases (open, upload, events), search the corpus, download customer lists.
    pub fn can_work(self) -> bool {
        matches!(self, Role::Admin | Role::Analyst)
    }

    /// May ask for masked names to be shown raw (each reveal is audited).
    pub fn can_reveal(self) -> bool {
        matches!(self, Role::Admin | Role::Analyst)
    }

    /// May see the user list and the audit log, and unlock accounts.
    pub fn is_admin(self) -> bool {
        self == Role::Admin
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// A user as listed (never the password hash).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct User {
    /// Row id.
    pub id: i64,
    /// Sign-in name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Failed sign-ins counted towards the lock-out.
    pub failed_count: i64,
    /// Locked until (UTC), when locked.
    pub locked_until: Option<String>,
    /// Last successful sign-in (UTC).
    pub last_login_at: Option<String>,
    /// Created (UTC).
    pub created_at: String,
}

/// Errors of user management.
#[derive(Debug)]
pub enum UserError {
    /// The database.
    Db(DbError),
    /// A bad name, role or password (the message says why; never the password).
    Invalid(String),
    /// No such user.
    NotFound(String),
    /// The name is taken.
    Exists(String),
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UserError::Db(e) => write!(f, "database: {e}"),
            UserError::Invalid(m) => f.write_str(m),
            UserError::NotFound(n) => write!(f, "no user {n}"),
            UserError::Exists(n) => write!(f, "a user {n} exists already"),
        }
    }
}

impl std::error::Error for UserError {}

impl From<DbError> for UserError {
    fn from(e: DbError) -> UserError {
        UserError::Db(e)
    }
}

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;

const COLUMNS: &str = "id, name, role, failed_count, locked_until, last_login_at, created_at";

fn user_from(r: &Row) -> User {
    User {
        id: r.i64(0),
        name: r.str(1),
        role: Role::from_id(&r.str(2)).unwrap_or(Role::Viewer),
        failed_count: r.i64(3),
        locked_until: r.opt_str(4),
        last_login_at: r.opt_str(5),
        created_at: r.str(6),
    }
}

/// Checks a user name: 1–64 characters of letters, digits, `.`, `_`, `-`, `@`.
pub fn check_name(name: &str) -> Result<(), UserError> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if ok {
        Ok(())
    } else {
        Err(UserError::Invalid(
            "a user name is 1-64 characters of letters, digits, '.', '_', '-' or '@'".into(),
        ))
    }
}

/// Checks a new password: at least [`MIN_PASSWORD_CHARS`] characters, not the user name, not
/// one repeated character.
pub fn check_password(name: &str, password: &str) -> Result<(), UserError> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(UserError::Invalid(format!(
            "the password must have at least {MIN_PASSWORD_CHARS} characters (it has {n})"
        )));
    }
    if password.eq_ignore_ascii_case(name) {
        return Err(UserError::Invalid(
            "the password must not be the user name".into(),
        ));
    }
    let mut chars = password.chars();
    let first = chars.next();
    if chars.all(|c| Some(c) == first) {
        return Err(UserError::Invalid(
            "the password must not be one repeated character".into(),
        ));
    }
    Ok(())
}

/// Hashes a password with Argon2id (PHC string with a random salt).
pub fn hash_password(password: &str) -> Result<String, UserError> {
    let h: PasswordHash = Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| UserError::Invalid(format!("cannot hash the password: {e}")))?;
    Ok(h.to_string())
}

/// True when `password` matches the PHC string `hash`.
pub fn verify_password(hash: &str, password: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash of a random password, verified against when the user does not exist, so that an
/// unknown name takes as long to refuse as a wrong password.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| {
        let mut b = [0u8; 24];
        let _ = getrandom::getrandom(&mut b);
        hash_password(&hex::encode(b)).unwrap_or_default()
    })
}

/// Adds a user.
pub fn add(db: &mut Db, name: &str, role: Role, password: &str) -> Result<User, UserError> {
    check_name(name)?;
    check_password(name, password)?;
    if find(db, name)?.is_some() {
        return Err(UserError::Exists(name.into()));
    }
    let hash = hash_password(password)?;
    let now = leakscope_db::now();
    db.insert(
        "INSERT INTO web_users (name, role, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
        &[
            name.into(),
            role.id().into(),
            hash.into(),
            now.clone().into(),
            now.into(),
        ],
    )?;
    find(db, name)?.ok_or_else(|| UserError::NotFound(name.into()))
}

/// A user by name.
pub fn find(db: &mut Db, name: &str) -> Result<Option<User>, UserError> {
    Ok(db
        .query_opt(
            &format!("SELECT {COLUMNS} FROM web_users WHERE name = ?"),
            &[name.into()],
        )?
        .map(|r| user_from(&r)))
}

/// Every user, by name.
pub fn list(db: &mut Db) -> Result<Vec<User>, UserError> {
    Ok(db
        .query(
            &format!("SELECT {COLUMNS} FROM web_users ORDER BY name"),
            &[],
        )?
        .iter()
        .map(user_from)
        .collect())
}

/// Removes a user and ends their sessions; false when there is none.
pub fn remove(db: &mut Db, name: &str) -> Result<bool, UserError> {
    let Some(u) = find(db, name)? else {
        return Ok(false);
    };
    db.transaction(|db| -> Result<(), DbError> {
        db.execute(
            "DELETE FROM web_sessions WHERE user_id = ?",
            &[Value::Int(u.id)],
        )?;
        db.execute("DELETE FROM web_users WHERE id = ?", &[Value::Int(u.id)])?;
        Ok(())
    })?;
    Ok(true)
}

/// Sets a new password, clears the lock-out and ends the user's sessions.
pub fn set_password(db: &mut Db, name: &str, password: &str) -> Result<(), UserError> {
    let u = find(db, name)?.ok_or_else(|| UserError::NotFound(name.into()))?;
    check_password(name, password)?;
    let hash = hash_password(password)?;
    update_ending_sessions(
        db,
        u.id,
        "UPDATE web_users SET password_hash = ?, failed_count = 0, locked_until = NULL, updated_at = ? WHERE id = ?",
        vec![hash.into(), leakscope_db::now().into()],
    )
}

/// Runs `sql` (whose last parameter is the user's id, after `params`) and ends the user's
/// sessions, in one transaction.
fn update_ending_sessions(
    db: &mut Db,
    id: i64,
    sql: &str,
    mut params: Vec<Value>,
) -> Result<(), UserError> {
    params.push(Value::Int(id));
    db.transaction(|db| -> Result<(), DbError> {
        db.execute(sql, &params)?;
        db.execute(
            "DELETE FROM web_sessions WHERE user_id = ?",
            &[Value::Int(id)],
        )?;
        Ok(())
    })?;
    Ok(())
}

/// Changes a user's role and ends their sessions (the new role applies from the next sign-in).
pub fn set_role(db: &mut Db, name: &str, role: Role) -> Result<(), UserError> {
    let u = find(db, name)?.ok_or_else(|| UserError::NotFound(name.into()))?;
    update_ending_sessions(
        db,
        u.id,
        "UPDATE web_users SET role = ?, updated_at = ? WHERE id = ?",
        vec![role.id().into(), leakscope_db::now().into()],
    )
}

/// Clears a user's failed sign-ins and lock.
pub fn unlock(db: &mut Db, name: &str) -> Result<(), UserError> {
    let n = db.execute(
        "UPDATE web_users SET failed_count = 0, locked_until = NULL, updated_at = ? WHERE name = ?",
        &[leakscope_db::now().into(), name.into()],
    )?;
    if n == 0 {
        return Err(UserError::NotFound(name.into()));
    }
    Ok(())
}

/// How a sign-in went.
#[derive(Debug, Clone, PartialEq)]
pub enum SignIn {
    /// The password matched.
    Ok(User),
    /// Unknown user or wrong password (the caller must not say which).
    Failed {
        /// The user, when the name exists (for the audit log).
        user: Option<String>,
        /// This failure locked the account.
        locked_now: bool,
    },
    /// The account is locked; the password was not checked.
    Locked {
        /// Until when (UTC).
        until: String,
    },
}

fn fmt_utc(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn parse_utc(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Checks a name and password at `now`, applying the lock-out policy.
pub fn authenticate(
    db: &mut Db,
    name: &str,
    password: &str,
    now: DateTime<Utc>,
    policy: &Lockout,
) -> Result<SignIn, UserError> {
    let row = db.query_opt(
        "SELECT id, password_hash, failed_count, last_failed_at, locked_until FROM web_users WHERE name = ?",
        &[name.into()],
    )?;
    let Some(r) = row else {
        let _ = verify_password(decoy_hash(), password);
        return Ok(SignIn::Failed {
            user: None,
            locked_now: false,
        });
    };
    let id = r.i64(0);
    if let Some(until) = r
        .opt_str(4)
        .filter(|u| parse_utc(u).is_some_and(|u| u > now))
    {
        return Ok(SignIn::Locked { until });
    }
    if verify_password(&r.str(1), password) {
        let stamp = fmt_utc(now);
        db.execute(
            "UPDATE web_users SET failed_count = 0, last_failed_at = NULL, locked_until = NULL, last_login_at = ? WHERE id = ?",
            &[stamp.into(), Value::Int(id)],
        )?;
        let user = find(db, name)?.ok_or_else(|| UserError::NotFound(name.into()))?;
        return Ok(SignIn::Ok(user));
    }
    let window = chrono::Duration::from_std(policy.window).unwrap_or(chrono::Duration::zero());
    let recent = r
        .opt_str(3)
        .and_then(|t| parse_utc(&t))
        .is_some_and(|t| now - t <= window);
    let failed = if recent { r.i64(2) + 1 } else { 1 };
    let locked_now = failed >= i64::from(policy.max_failures.max(1));
    let until = locked_now.then(|| {
        fmt_utc(
            now + chrono::Duration::from_std(policy.lock_for).unwrap_or(chrono::Duration::zero()),
        )
    });
    db.execute(
        "UPDATE web_users SET failed_count = ?, last_failed_at = ?, locked_until = ? WHERE id = ?",
        &[
            Value::Int(if locked_now { 0 } else { failed }),
            fmt_utc(now).into(),
            until.into(),
            Value::Int(id),
        ],
    )?;
    Ok(SignIn::Failed {
        user: Some(name.to_string()),
        locked_now,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password(&h, "correct horse battery"));
        assert!(!verify_password(&h, "correct horse batterY"));
        assert!(!verify_password("not a hash", "x"));
        // A fresh salt every time.
        assert_ne!(h, hash_password("correct horse battery").unwrap());
    }

    #[test]
    fn names_roles_and_password_rules() {
        assert!(check_name("an.analyst@team").is_ok());
        assert!(check_name("").is_err());
        assert!(check_name("a b").is_err());
        assert!(check_name("<script>").is_err());
        assert!(check_password("ann", "short").is_err());
        assert!(check_password("annannannann", "ANNANNANNANN").is_err());
        assert!(check_password("ann", "aaaaaaaaaaaaaaa").is_err());
        assert!(check_password("ann", "a long enough one").is_ok());
        assert_eq!(Role::from_id("Analyst"), Some(Role::Analyst));
        assert_eq!(Role::from_id("root"), None);
        assert!(Role::Analyst.can_work() && !Role::Viewer.can_work());
        assert!(Role::Admin.is_admin() && !Role::Analyst.is_admin());
    }
}
