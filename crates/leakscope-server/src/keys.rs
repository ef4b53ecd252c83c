//! API keys: stored as SHA-256 hashes (keys are 128-bit random, so an unsalted hash is enough),
//! each with a scope and a per-minute rate limit. The plaintext key is shown once, at creation.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

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
        let mut raw = [0u8; 20];
        getrandom::getrandom(&mut raw).map_err(|e| std::io::Error::other(e.to_string()))?;
        let key = hex::encode(&raw[..16]);
        let rec = KeyRecord {
            id: hex::encode(&raw[16..]),
            sha256: sha256_hex(&key),
            scope,
            rpm: rpm.max(1),
            created,
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
}
