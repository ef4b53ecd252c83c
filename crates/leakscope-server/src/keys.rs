//! API keys: stored as SHA-256 hashes (keys are 128-bit random, so an unsalted hash is enough),
//! each with a scope, a per-minute rate limit and optionally the e-mail domains it may search.
//! The plaintext key is shown once, at creation. A running server re-reads the key file within
//! a second of any change ([`LiveKeys`]): removed keys stop working, new keys start, without a
//! restart.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

/// What a key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Account and range lookups.
    Read,
    /// Read, plus breached-domain searches.
    Admin,
}

impl std::str::FromStr for Scope {
    type Err = String;
    fn from_str(s: &str) -> Result<Scope, String> {
        match s {
            "read" => Ok(Scope::Read),
            "admin" => Ok(Scope::Admin),
            _ => Err(format!("scope must be `read` or `admin`, not {s:?}")),
        }
    }
}

/// One stored key.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyRecord {
    /// Public identifier (shown in listings and used for rate limiting).
    pub id: String,
    /// Hex SHA-256 of the key.
    pub sha256: String,
    /// Scope.
    pub scope: Scope,
    /// Requests allowed per minute.
    pub rpm: u32,
    /// Creation time (ISO 8601).
    pub created: String,
    /// E-mail domains this key may search with `/breacheddomain` (an admin key may search any)
    /// and lists at `/subscribeddomains`, lower case.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<String>,
}

impl KeyRecord {
    /// True when the key may search the accounts of `domain` (lower case).
    pub fn may_search(&self, domain: &str) -> bool {
        self.scope == Scope::Admin || self.domains.iter().any(|d| d == domain)
    }
}

/// The key file (`<data dir>/server/keys.json`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct KeyFile {
    /// Keys.
    pub keys: Vec<KeyRecord>,
}

/// Path of the key file in a data directory.
pub fn key_file_path(data_dir: &Path) -> PathBuf {
    data_dir.join("server").join("keys.json")
}

fn sha256_hex(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

impl KeyFile {
    /// Loads the key file (empty if missing).
    pub fn load(path: &Path) -> std::io::Result<KeyFile> {
        match std::fs::read(path) {
            Ok(b) => serde_json::from_slice(&b).map_err(|e| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("{}: {e}", path.display()),
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(KeyFile::default()),
            Err(e) => Err(e),
        }
    }

    /// Saves atomically (temp file + rename), mode 0600.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        use std::io::Write;
        if let Some(dir) = path.parent() {
            leakscope_keys::create_private_dir(dir)?;
        }
        let tmp = path.with_extension("json.tmp");
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp)?;
        f.write_all(&serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    }

    /// Creates a key; returns the plaintext (shown once) and its record.
    pub fn add(
        &mut self,
        scope: Scope,
        rpm: u32,
        created: String,
    ) -> std::io::Result<(String, KeyRecord)> {
        self.add_with_domains(scope, rpm, created, Vec::new())
    }

    /// Creates a key that may also search the given e-mail domains.
    pub fn add_with_domains(
        &mut self,
        scope: Scope,
        rpm: u32,
        created: String,
        domains: Vec<String>,
    ) -> std::io::Result<(String, KeyRecord)> {
        let mut raw = [0u8; 20];
        getrandom::getrandom(&mut raw).map_err(|e| std::io::Error::other(e.to_string()))?;
        let key = hex::encode(&raw[..16]);
        let rec = KeyRecord {
            id: hex::encode(&raw[16..]),
            sha256: sha256_hex(&key),
            scope,
            rpm: rpm.max(1),
            created,
            domains: domains
                .iter()
                .map(|d| d.trim().to_ascii_lowercase())
                .collect(),
        };
        self.keys.push(rec.clone());
        Ok((key, rec))
    }

    /// Removes a key by id; false if absent.
    pub fn remove(&mut self, id: &str) -> bool {
        let before = self.keys.len();
        self.keys.retain(|k| k.id != id);
        self.keys.len() != before
    }
}

/// Keys indexed by hash, for request authentication.
#[derive(Debug, Clone, Default)]
pub struct KeyIndex {
    by_hash: HashMap<String, KeyRecord>,
}

impl KeyIndex {
    /// Indexes a key file.
    pub fn new(file: &KeyFile) -> KeyIndex {
        KeyIndex {
            by_hash: file
                .keys
                .iter()
                .map(|k| (k.sha256.clone(), k.clone()))
                .collect(),
        }
    }

    /// The record of a presented key, if valid.
    pub fn verify(&self, presented: &str) -> Option<&KeyRecord> {
        self.by_hash.get(&sha256_hex(presented.trim()))
    }

    /// Ids of the keys.
    pub fn ids(&self) -> Vec<&str> {
        self.by_hash.values().map(|k| k.id.as_str()).collect()
    }
}

/// The keys a running server authenticates with, re-read from the key file when it changes.
#[derive(Debug)]
pub struct LiveKeys {
    path: Option<PathBuf>,
    current: RwLock<Arc<KeyIndex>>,
    last: Mutex<Option<Vec<u8>>>,
}

impl LiveKeys {
    /// Fixed keys, never reloaded (tests, embedding).
    pub fn fixed(file: &KeyFile) -> LiveKeys {
        LiveKeys {
            path: None,
            current: RwLock::new(Arc::new(KeyIndex::new(file))),
            last: Mutex::new(None),
        }
    }

    /// Keys loaded from `path` now and re-read by [`LiveKeys::reload_if_changed`].
    pub fn watch(path: &Path) -> std::io::Result<LiveKeys> {
        let live = LiveKeys {
            path: Some(path.to_path_buf()),
            current: RwLock::new(Arc::new(KeyIndex::default())),
            last: Mutex::new(None),
        };
        live.reload_if_changed()?;
        Ok(live)
    }

    /// The keys in force.
    pub fn current(&self) -> Arc<KeyIndex> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Re-reads the key file; true when the keys changed. A missing file means no keys; a file
    /// that does not parse leaves the keys in force unchanged (and is an error).
    pub fn reload_if_changed(&self) -> std::io::Result<bool> {
        let Some(path) = &self.path else {
            return Ok(false);
        };
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e),
        };
        let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
        if last.as_deref() == Some(bytes.as_slice()) {
            return Ok(false);
        }
        let file = if bytes.is_empty() {
            KeyFile::default()
        } else {
            serde_json::from_slice(&bytes).map_err(|e| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!("{}: {e}", path.display()),
                )
            })?
        };
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(KeyIndex::new(&file));
        *last = Some(bytes);
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_stored_hashed_and_verified() {
        let dir = tempfile::tempdir().unwrap();
        let path = key_file_path(dir.path());
        let mut f = KeyFile::default();
        let (key, rec) = f.add(Scope::Admin, 60, "now".into()).unwrap();
        f.save(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains(&key), "plaintext key must not be stored");
        let idx = KeyIndex::new(&KeyFile::load(&path).unwrap());
        assert_eq!(idx.verify(&key).unwrap().id, rec.id);
        assert!(idx.verify(&key[1..]).is_none());
        assert!(idx.verify("").is_none());
        let mut f = KeyFile::load(&path).unwrap();
        assert!(f.remove(&rec.id));
        assert!(!f.remove(&rec.id));
    }

    #[test]
    fn live_keys_follow_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = key_file_path(dir.path());
        let live = LiveKeys::watch(&path).unwrap();
        assert!(live.current().ids().is_empty(), "no file: no keys");
        let mut f = KeyFile::default();
        let (key, rec) = f
            .add_with_domains(Scope::Read, 60, "now".into(), vec!["Shop.Example".into()])
            .unwrap();
        f.save(&path).unwrap();
        assert!(live.reload_if_changed().unwrap());
        let idx = live.current();
        let got = idx.verify(&key).unwrap();
        assert!(got.may_search("shop.example") && !got.may_search("other.example"));
        assert!(
            !live.reload_if_changed().unwrap(),
            "unchanged file: no reload"
        );
        f.remove(&rec.id);
        f.save(&path).unwrap();
        assert!(live.reload_if_changed().unwrap());
        assert!(live.current().verify(&key).is_none(), "removed key revoked");
        std::fs::write(&path, "{not json").unwrap();
        assert!(live.reload_if_changed().is_err());
        assert!(live.current().ids().is_empty(), "keys in force kept");
    }
}
