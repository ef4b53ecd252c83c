//! The local secret and keyed hashes of normalised identifiers.
//!
//! leakscope never stores a raw identifier. What it stores (reference indexes, the breach corpus)
//! is `HMAC-SHA256(secret, kind || 0x00 || normalised value)`, truncated. The secret is 32 random
//! bytes created once per installation by `leakscope init` (and by nothing else: a second secret
//! would make every hash silently unmatchable) in the data directory, file mode 0600. Without the
//! secret a stored hash cannot be tested against guesses, which is what protects enumerable
//! identifiers such as phone numbers and national IDs.
//!
//! The data directory ([`data_dir`]) is private: created 0700 with 0600 files
//! ([`create_private_dir`], [`create_private_file`]), and refused when other users can read it
//! ([`check_private`], called by [`open_secret`]), with the `chmod` that fixes it in the error.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

type HmacSha256 = Hmac<Sha256>;

/// The kind of identifier being hashed; part of the MAC input so an email and a phone with the
/// same text never collide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IdKind {
    /// Lower-cased e-mail address.
    Email,
    /// E.164 phone number.
    Phone,
    /// Upper-cased national ID, prefixed by its kind (`cn_resident_id:...`).
    NationalId,
    /// Lower-cased username.
    Username,
}

impl IdKind {
    /// Stable one-byte tag.
    pub fn tag(self) -> u8 {
        match self {
            IdKind::Email => b'e',
            IdKind::Phone => b'p',
            IdKind::NationalId => b'n',
            IdKind::Username => b'u',
        }
    }

    /// Stable id used in outputs.
    pub fn id(self) -> &'static str {
        match self {
            IdKind::Email => "email",
            IdKind::Phone => "phone",
            IdKind::NationalId => "national_id",
            IdKind::Username => "username",
        }
    }

    /// Inverse of [`IdKind::tag`].
    pub fn from_tag(tag: u8) -> Option<IdKind> {
        [
            IdKind::Email,
            IdKind::Phone,
            IdKind::NationalId,
            IdKind::Username,
        ]
        .into_iter()
        .find(|k| k.tag() == tag)
    }
}

/// Errors handling the secret.
#[derive(Debug)]
pub enum KeyError {
    /// Reading or writing the secret file failed.
    Io(PathBuf, std::io::Error),
    /// The secret file exists but is not 64 hex characters.
    Malformed(PathBuf),
    /// The system random generator failed.
    Random,
    /// No secret in the data directory: `leakscope init` was not run for it.
    NotInitialised(PathBuf),
    /// The data directory or the secret can be read by other users.
    NotPrivate {
        /// The directory or file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
        /// True for the directory, false for the secret file.
        dir: bool,
    },
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::Io(p, e) => write!(f, "secret file {}: {e}", p.display()),
            KeyError::Malformed(p) => {
                write!(f, "secret file {} is not 64 hex characters; restore it from backup (hashes made with another secret will not match)", p.display())
            }
            KeyError::Random => write!(f, "the system random generator failed"),
            KeyError::NotInitialised(dir) => write!(
                f,
                "no installation secret in data directory {}: run `leakscope init` first, or point --data-dir (or LEAKSCOPE_HOME) at the directory that holds your secret",
                dir.display()
            ),
            KeyError::NotPrivate { path, mode, dir } => {
                let (what, fix) = if *dir {
                    ("data directory", format!("chmod -R go-rwx {}", path.display()))
                } else {
                    ("secret file", format!("chmod 600 {}", path.display()))
                };
                write!(
                    f,
                    "{what} {} can be read by other users (mode {:04o}); it holds the secret and keyed hashes (and, with --email-range, unkeyed e-mail hashes). Fix: `{fix}`",
                    path.display(),
                    mode & 0o7777
                )
            }
        }
    }
}

impl std::error::Error for KeyError {}

/// The installation's secret key, with the HMAC state precomputed.
#[derive(Clone)]
pub struct Secret {
    mac: HmacSha256,
    fingerprint: [u8; 8],
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(fingerprint {})", self.fingerprint_hex())
    }
}

impl Secret {
    /// A secret from raw bytes (tests, or a key held elsewhere).
    pub fn from_bytes(key: &[u8; 32]) -> Secret {
        let mac = HmacSha256::new_from_slice(key).expect("HMAC accepts any key length");
        let mut fp = HmacSha256::new_from_slice(key).expect("HMAC accepts any key length");
        fp.update(b"leakscope-secret-fingerprint");
        let full = fp.finalize().into_bytes();
        let mut fingerprint = [0u8; 8];
        fingerprint.copy_from_slice(&full[..8]);
        Secret { mac, fingerprint }
    }

    /// Loads the secret at `path`, creating it (32 random bytes, hex, mode 0600; its directory
    /// 0700) if missing. Only `leakscope init` should create one: see [`open_secret`].
    pub fn load_or_create(path: &Path) -> Result<Secret, KeyError> {
        if path.exists() {
            return Secret::load(path);
        }
        let mut key = [0u8; 32];
        getrandom::getrandom(&mut key).map_err(|_| KeyError::Random)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir).map_err(|e| KeyError::Io(dir.to_path_buf(), e))?;
        }
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts
            .open(path)
            .map_err(|e| KeyError::Io(path.to_path_buf(), e))?;
        f.write_all(hex::encode(key).as_bytes())
            .and_then(|_| f.sync_all())
            .map_err(|e| KeyError::Io(path.to_path_buf(), e))?;
        Ok(Secret::from_bytes(&key))
    }

    /// Loads an existing secret file.
    pub fn load(path: &Path) -> Result<Secret, KeyError> {
        let text =
            std::fs::read_to_string(path).map_err(|e| KeyError::Io(path.to_path_buf(), e))?;
        let bytes =
            hex::decode(text.trim()).map_err(|_| KeyError::Malformed(path.to_path_buf()))?;
        let key: [u8; 32] = bytes
            .try_into()
            .map_err(|_| KeyError::Malformed(path.to_path_buf()))?;
        Ok(Secret::from_bytes(&key))
    }

    /// A short public fingerprint of the secret, stored beside hashes so a store made with another
    /// secret is recognised instead of silently matching nothing.
    pub fn fingerprint_hex(&self) -> String {
        hex::encode(self.fingerprint)
    }

    /// The full 32-byte keyed hash of a normalised identifier.
    pub fn hash(&self, kind: IdKind, normalized: &str) -> [u8; 32] {
        let mut mac = self.mac.clone();
        mac.update(&[kind.tag(), 0]);
        mac.update(normalized.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// The first 16 bytes of [`Secret::hash`]: collision probability ~ n²/2¹²⁹, negligible for
    /// any realistic corpus.
    pub fn hash16(&self, kind: IdKind, normalized: &str) -> [u8; 16] {
        let full = self.hash(kind, normalized);
        let mut out = [0u8; 16];
        out.copy_from_slice(&full[..16]);
        out
    }

    /// The first 8 bytes of [`Secret::hash`] as an integer, for in-memory sets.
    pub fn hash64(&self, kind: IdKind, normalized: &str) -> u64 {
        let full = self.hash(kind, normalized);
        u64::from_le_bytes(full[..8].try_into().expect("8 bytes"))
    }
}

static DATA_DIR: OnceLock<PathBuf> = OnceLock::new();

/// Sets this process's data directory (the CLI's global `--data-dir`); [`data_dir`] returns it
/// from then on. The first call wins.
pub fn set_data_dir(dir: PathBuf) {
    let _ = DATA_DIR.set(dir);
}

/// The data directory: the one given to [`set_data_dir`] (`--data-dir`), else
/// `$LEAKSCOPE_HOME`, else `$XDG_DATA_HOME/leakscope`, else `~/.local/share/leakscope`.
pub fn data_dir() -> PathBuf {
    if let Some(p) = DATA_DIR.get() {
        return p.clone();
    }
    if let Some(p) = std::env::var_os("LEAKSCOPE_HOME") {
        return PathBuf::from(p);
    }
    if let Some(p) = std::env::var_os("XDG_DATA_HOME") {
        return PathBuf::from(p).join("leakscope");
    }
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."));
    home.join(".local/share/leakscope")
}

/// Path of the secret inside a data directory.
pub fn secret_path(data_dir: &Path) -> PathBuf {
    data_dir.join("secret.key")
}

/// Creates `dir` and its missing parents with mode 0700 (owner only).
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir)
}

/// Creates (or truncates) a file readable and writable by its owner only (mode 0600 when new).
pub fn create_private_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    opts.open(path)
}

/// Refuses a data directory (or its secret file) that users other than the owner can access:
/// the error says which `chmod` fixes it.
pub fn check_private(dir: &Path) -> Result<(), KeyError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let check = |path: &Path, is_dir: bool| -> Result<(), KeyError> {
            match std::fs::metadata(path) {
                Ok(m) if m.permissions().mode() & 0o077 != 0 => Err(KeyError::NotPrivate {
                    path: path.to_path_buf(),
                    mode: m.permissions().mode(),
                    dir: is_dir,
                }),
                Ok(_) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
                Err(e) => Err(KeyError::Io(path.to_path_buf(), e)),
            }
        };
        check(dir, true)?;
        check(&secret_path(dir), false)?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Creates the data directory (0700) and its secret (0600) if missing; returns the secret and
/// whether it was created now. `leakscope init` is the only caller: every other use opens the
/// existing secret with [`open_secret`].
pub fn init_data_dir(dir: &Path) -> Result<(Secret, bool), KeyError> {
    let existed = dir.exists();
    create_private_dir(dir).map_err(|e| KeyError::Io(dir.to_path_buf(), e))?;
    if existed {
        check_private(dir)?;
    }
    let path = secret_path(dir);
    let created = !path.exists();
    Ok((Secret::load_or_create(&path)?, created))
}

/// The installation secret of a data directory that `leakscope init` prepared: refused when the
/// directory or secret is readable by others, and never created here.
pub fn open_secret(dir: &Path) -> Result<Secret, KeyError> {
    let path = secret_path(dir);
    if !path.exists() {
        return Err(KeyError::NotInitialised(dir.to_path_buf()));
    }
    check_private(dir)?;
    Secret::load(&path)
}

/// A secret file named explicitly (e.g. `--secret FILE`): must exist and be private.
pub fn open_secret_file(path: &Path) -> Result<Secret, KeyError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let m = std::fs::metadata(path).map_err(|e| KeyError::Io(path.to_path_buf(), e))?;
        if m.permissions().mode() & 0o077 != 0 {
            return Err(KeyError::NotPrivate {
                path: path.to_path_buf(),
                mode: m.permissions().mode(),
                dir: false,
            });
        }
    }
    Secret::load(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc4231_case_2() {
        // RFC 4231 test case 2 uses key "Jefe"; check our MAC plumbing against it through the
        // raw HMAC type (the keyed hash adds a kind prefix, tested below).
        let mut mac = HmacSha256::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(mac.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn kinds_and_keys_separate_hashes() {
        let a = Secret::from_bytes(&[1; 32]);
        let b = Secret::from_bytes(&[2; 32]);
        assert_ne!(
            a.hash(IdKind::Email, "x@y.z"),
            a.hash(IdKind::Username, "x@y.z")
        );
        assert_ne!(
            a.hash(IdKind::Email, "x@y.z"),
            b.hash(IdKind::Email, "x@y.z")
        );
        assert_eq!(
            a.hash16(IdKind::Phone, "+6591234567"),
            a.hash16(IdKind::Phone, "+6591234567")
        );
        assert_ne!(a.fingerprint_hex(), b.fingerprint_hex());
    }

    #[test]
    fn secret_is_created_once_private_and_reloaded() {
        let dir = tempfile::tempdir().unwrap();
        let path = secret_path(dir.path());
        let s1 = Secret::load_or_create(&path).unwrap();
        let s2 = Secret::load_or_create(&path).unwrap();
        assert_eq!(s1.fingerprint_hex(), s2.fingerprint_hex());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "secret must not be readable by others");
        }
        std::fs::write(&path, "zz").unwrap();
        assert!(matches!(Secret::load(&path), Err(KeyError::Malformed(_))));
    }

    #[cfg(unix)]
    #[test]
    fn data_dir_is_private_and_never_created_by_open() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("a/b/home");
        assert!(matches!(
            open_secret(&dir),
            Err(KeyError::NotInitialised(_))
        ));
        assert!(!dir.exists(), "opening never creates");
        let (s1, created) = init_data_dir(&dir).unwrap();
        assert!(created);
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&secret_path(&dir)), 0o600);
        assert_eq!(
            open_secret(&dir).unwrap().fingerprint_hex(),
            s1.fingerprint_hex()
        );
        let (s2, created) = init_data_dir(&dir).unwrap();
        assert!(!created && s2.fingerprint_hex() == s1.fingerprint_hex());
        let f = dir.join("x.seg");
        create_private_file(&f).unwrap();
        assert_eq!(mode(&f), 0o600);

        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let e = open_secret(&dir).unwrap_err().to_string();
        assert!(
            e.contains("mode 0755") && e.contains("chmod -R go-rwx"),
            "{e}"
        );
        assert!(init_data_dir(&dir).is_err(), "init refuses it too");
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        std::fs::set_permissions(secret_path(&dir), std::fs::Permissions::from_mode(0o644))
            .unwrap();
        let e = open_secret(&dir).unwrap_err().to_string();
        assert!(e.contains("chmod 600"), "{e}");
        assert!(open_secret_file(&secret_path(&dir)).is_err());
    }
}
