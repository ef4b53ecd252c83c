//! The embedded store: one directory of immutable, sorted segment files per breach, and a
//! `manifest.json` that names the live breaches. The manifest is the only commit point: a new
//! breach is written to a temporary directory, fsynced, renamed, and only then is a new manifest
//! written to a temporary file, fsynced and renamed over the old one. A crash at any moment leaves
//! either the old or the new manifest; orphaned directories are removed by the next writer.
//! Writers take an exclusive `flock` on `LOCK`; readers never lock and keep answering from their
//! memory-mapped snapshot while a writer works.
//!
//! A large leak arrives as segment files already written in its ingest working directory
//! (`ingest-*`, inside this directory): the commit renames that directory into place instead of
//! copying. Working directories of ingests that died are removed by the next writer; those of
//! live ingests are recognised by their lock and left alone.

mod read;

use crate::ingest::{Prepared, WORK_PREFIX};
use crate::model::{now_iso, Breach, BreachMeta};
use crate::overlap;
use crate::passwords::PwMode;
use crate::records::Records;
use crate::segment::Segment;
use crate::store::{breach_record, Added, CorpusError, Marks, OverlapRow, RangeHit, Result, Store};
use leakscope_extsort::SpillDir;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

const MANIFEST: &str = "manifest.json";
/// Store format. 2: identifiers normalised by `leakscope_detect::normalize` (shared with verify);
/// a format-1 store hashed some e-mails and national IDs differently and must be rebuilt.
const FORMAT: u32 = 2;
const FILES: [(&str, usize); 5] = [
    ("ids.seg", 16),
    ("domains.seg", 12),
    ("email_sha1.seg", 20),
    ("pw_sha1.seg", 24),
    ("pw_ntlm.seg", 20),
];

/// One breach entry of the manifest.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    breach: Breach,
    dir: String,
    kind_counts: BTreeMap<String, u64>,
}

/// The manifest file.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Manifest {
    format: u32,
    secret_fingerprint: String,
    generation: u64,
    breaches: Vec<Entry>,
}

/// A breach's opened segments.
struct Loaded {
    entry: Entry,
    segs: Vec<Segment>,
}

impl Loaded {
    fn ids(&self) -> &Segment {
        &self.segs[0]
    }
}

/// A consistent view of the corpus.
#[derive(Default)]
struct Snapshot {
    generation: u64,
    breaches: Vec<Loaded>,
}

/// The embedded, file-based store.
pub struct EmbeddedStore {
    dir: PathBuf,
    fingerprint: String,
    snap: RwLock<Arc<Snapshot>>,
}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> CorpusError {
    let what = what.into();
    move |e| CorpusError::Io(what, e)
}

fn fsync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|f| f.sync_all())
        .map_err(io(format!("fsync {}", dir.display())))
}

/// An exclusive writer lock, released on drop (and by the kernel if the process dies).
struct WriterLock {
    _file: File,
}

impl WriterLock {
    fn take(dir: &Path) -> Result<WriterLock> {
        let path = dir.join("LOCK");
        let mut opts = fs::OpenOptions::new();
        opts.create(true).truncate(false).write(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        let f = opts.open(&path).map_err(io(path.display().to_string()))?;
        // flock(2) on Unix (fs4): released when the file is closed, or by the kernel if the
        // process dies.
        fs4::FileExt::lock(&f).map_err(io("lock corpus"))?;
        Ok(WriterLock { _file: f })
    }
}

impl EmbeddedStore {
    /// Opens (creating if needed) the corpus in `dir`, for the secret with `fingerprint`.
    pub fn open(dir: &Path, fingerprint: &str) -> Result<EmbeddedStore> {
        leakscope_keys::create_private_dir(dir).map_err(io(dir.display().to_string()))?;
        let store = EmbeddedStore {
            dir: dir.to_path_buf(),
            fingerprint: fingerprint.to_string(),
            snap: RwLock::new(Arc::new(Snapshot::default())),
        };
        let m = store.read_manifest()?;
        store.check_secret(&m)?;
        store.install(m)?;
        Ok(store)
    }

    /// The corpus directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Bytes on disk of all live segment files and the manifest.
    pub fn disk_bytes(&self) -> u64 {
        let snap = self.current();
        let mut total = fs::metadata(self.dir.join(MANIFEST))
            .map(|m| m.len())
            .unwrap_or(0);
        for b in &snap.breaches {
            for (file, _) in FILES {
                total += fs::metadata(self.dir.join(&b.entry.dir).join(file))
                    .map(|m| m.len())
                    .unwrap_or(0);
            }
        }
        total
    }

    fn check_secret(&self, m: &Manifest) -> Result<()> {
        if !m.secret_fingerprint.is_empty() && m.secret_fingerprint != self.fingerprint {
            return Err(CorpusError::SecretMismatch {
                store: m.secret_fingerprint.clone(),
                ours: self.fingerprint.clone(),
            });
        }
        Ok(())
    }

    fn read_manifest(&self) -> Result<Manifest> {
        let path = self.dir.join(MANIFEST);
        match fs::read(&path) {
            Ok(bytes) => {
                let m: Manifest = serde_json::from_slice(&bytes).map_err(|e| {
                    CorpusError::Invalid(format!("corrupt manifest {}: {e}", path.display()))
                })?;
                if m.format < FORMAT && !m.breaches.is_empty() {
                    return Err(CorpusError::Invalid(format!(
                        "corpus {} has store format {} (older identifier normalisation, so some e-mails and national IDs would not match); rebuild it: move it aside, `leakscope init`, and `leakscope corpus add` each leak again",
                        self.dir.display(),
                        m.format
                    )));
                }
                Ok(m)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Manifest {
                format: FORMAT,
                ..Manifest::default()
            }),
            Err(e) => Err(CorpusError::Io(path.display().to_string(), e)),
        }
    }

    fn install(&self, m: Manifest) -> Result<()> {
        let mut breaches = Vec::with_capacity(m.breaches.len());
        for entry in m.breaches {
            let bdir = self.dir.join(&entry.dir);
            let mut segs = Vec::new();
            for (file, width) in FILES {
                let p = bdir.join(file);
                segs.push(if p.exists() {
                    Segment::open(&p, width).map_err(io(p.display().to_string()))?
                } else {
                    Segment::empty(width)
                });
            }
            breaches.push(Loaded { entry, segs });
        }
        breaches.sort_by(|a, b| a.entry.breach.name.cmp(&b.entry.breach.name));
        let snap = Arc::new(Snapshot {
            generation: m.generation,
            breaches,
        });
        *self.snap.write().unwrap_or_else(|e| e.into_inner()) = snap;
        Ok(())
    }

    fn current(&self) -> Arc<Snapshot> {
        self.snap.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn write_manifest(&self, m: &Manifest) -> Result<()> {
        let tmp = self.dir.join(format!("{MANIFEST}.tmp"));
        let bytes =
            serde_json::to_vec_pretty(m).map_err(|e| CorpusError::Invalid(e.to_string()))?;
        let write = || -> std::io::Result<()> {
            use std::io::Write;
            let mut f = leakscope_keys::create_private_file(&tmp)?;
            f.write_all(&bytes)?;
            f.sync_all()
        };
        write().map_err(io(tmp.display().to_string()))?;
        fs::rename(&tmp, self.dir.join(MANIFEST)).map_err(io("replace manifest"))?;
        fsync_dir(&self.dir)
    }

    /// Removes directories no manifest entry names (left by a crashed writer), and working
    /// directories of ingests that have ended. Caller holds the lock.
    fn collect_garbage(&self, m: &Manifest) {
        let live: std::collections::HashSet<&str> =
            m.breaches.iter().map(|e| e.dir.as_str()).collect();
        if let Ok(rd) = fs::read_dir(&self.dir) {
            for e in rd.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                let ours = name.starts_with("b-") || name.starts_with("tmp-");
                let dead_ingest =
                    name.starts_with(WORK_PREFIX) && SpillDir::is_abandoned(&e.path());
                let orphan = ours && !live.contains(name.as_str());
                if (orphan || dead_ingest) && e.path().is_dir() {
                    let _ = fs::remove_dir_all(e.path());
                }
            }
        }
    }

    /// Puts a prepared leak's five segment files into a staging directory: its own working
    /// directory when that is inside this corpus (files already written there are only renamed),
    /// else a new `tmp-*` directory.
    fn stage(&self, p: &Prepared) -> Result<PathBuf> {
        let own = p
            .work_dir()
            .filter(|w| w.parent() == Some(self.dir.as_path()))
            .map(Path::to_path_buf);
        let dir = match own {
            Some(d) => d,
            None => {
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or(0);
                let d = self.dir.join(format!("tmp-{}-{nanos}", std::process::id()));
                leakscope_keys::create_private_dir(&d).map_err(io(d.display().to_string()))?;
                d
            }
        };
        let place = |name: &str, r: std::io::Result<()>| {
            r.map_err(io(dir.join(name).display().to_string()))
        };
        place("ids.seg", p.ids.place(&dir.join("ids.seg")))?;
        place("domains.seg", p.domains.place(&dir.join("domains.seg")))?;
        place(
            "email_sha1.seg",
            p.email_sha1.place(&dir.join("email_sha1.seg")),
        )?;
        place("pw_sha1.seg", p.pw_sha1.place(&dir.join("pw_sha1.seg")))?;
        place("pw_ntlm.seg", p.pw_ntlm.place(&dir.join("pw_ntlm.seg")))?;
        // Only the five segments go into the breach directory.
        if let Ok(rd) = fs::read_dir(&dir) {
            for e in rd.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                if !FILES.iter().any(|(f, _)| *f == name) {
                    let _ = fs::remove_file(e.path());
                }
            }
        }
        fsync_dir(&dir)?;
        Ok(dir)
    }
}

impl Store for EmbeddedStore {
    fn breaches(&self) -> Result<Vec<Breach>> {
        Ok(self
            .current()
            .breaches
            .iter()
            .map(|b| b.entry.breach.clone())
            .collect())
    }

    fn add(&self, meta: &BreachMeta, mut prepared: Prepared) -> Result<Added> {
        let breach = breach_record(meta, &prepared, &now_iso())?;
        let _lock = WriterLock::take(&self.dir)?;
        let mut m = self.read_manifest()?;
        self.check_secret(&m)?;
        self.collect_garbage(&m);
        if m.breaches
            .iter()
            .any(|e| e.breach.name.eq_ignore_ascii_case(&breach.name))
        {
            return Err(CorpusError::Exists(breach.name));
        }
        // The re-post verdict is taken here, under the lock, against the manifest as it is now:
        // a breach committed a moment ago by another writer is counted.
        self.install(m.clone())?;
        let (rows, known) = read::overlap(&self.current(), &prepared.ids)?;
        let report = overlap::report(rows, known, prepared.ids.len() as u64);
        let generation = m.generation + 1;
        let staged = self.stage(&prepared)?;
        let dir = format!("b-{}-{generation}", breach.name);
        fs::rename(&staged, self.dir.join(&dir)).map_err(io("rename breach directory"))?;
        fsync_dir(&self.dir)?;
        if let Some(work) = prepared.work.take() {
            // Renamed into place (or never created): nothing of it to remove.
            work.keep();
        }
        let kind_counts = prepared
            .kind_counts
            .iter()
            .map(|(k, v)| (k.to_string(), *v))
            .collect();
        m.breaches.push(Entry {
            breach: breach.clone(),
            dir,
            kind_counts,
        });
        m.generation = generation;
        m.format = FORMAT;
        m.secret_fingerprint = self.fingerprint.clone();
        self.write_manifest(&m)?;
        self.install(m)?;
        Ok(Added {
            breach,
            overlap: report,
        })
    }

    fn mark(&self, name: &str, marks: &Marks) -> Result<Option<Breach>> {
        let _lock = WriterLock::take(&self.dir)?;
        let mut m = self.read_manifest()?;
        self.check_secret(&m)?;
        let Some(e) = m
            .breaches
            .iter_mut()
            .find(|e| e.breach.name.eq_ignore_ascii_case(name))
        else {
            return Ok(None);
        };
        if marks.apply(&mut e.breach, &now_iso()) {
            let b = e.breach.clone();
            m.generation += 1;
            self.write_manifest(&m)?;
            self.install(m)?;
            return Ok(Some(b));
        }
        Ok(Some(e.breach.clone()))
    }

    fn remove(&self, name: &str) -> Result<bool> {
        let _lock = WriterLock::take(&self.dir)?;
        let mut m = self.read_manifest()?;
        let before = m.breaches.len();
        m.breaches
            .retain(|e| !e.breach.name.eq_ignore_ascii_case(name));
        if m.breaches.len() == before {
            return Ok(false);
        }
        m.generation += 1;
        self.write_manifest(&m)?;
        self.collect_garbage(&m);
        self.install(m)?;
        Ok(true)
    }

    fn lookup(&self, id: &[u8; 16]) -> Result<Vec<String>> {
        Ok(read::lookup(&self.current(), id))
    }

    fn overlap(&self, ids: &Records<16>) -> Result<(Vec<OverlapRow>, u64)> {
        read::overlap(&self.current(), ids)
    }

    fn email_range(&self, prefix: [u8; 3]) -> Result<Vec<RangeHit>> {
        Ok(read::email_range(&self.current(), prefix))
    }

    fn password_range(&self, prefix: [u8; 3], mode: PwMode) -> Result<Vec<(Vec<u8>, u64)>> {
        Ok(read::password_range(&self.current(), prefix, mode))
    }

    fn domain_accounts(&self, domain_key: [u8; 8]) -> Result<Vec<([u8; 16], Vec<String>)>> {
        Ok(read::domain_accounts(&self.current(), domain_key))
    }

    fn refresh(&self) -> Result<bool> {
        let m = self.read_manifest()?;
        if m.generation == self.current().generation {
            return Ok(false);
        }
        self.check_secret(&m)?;
        self.install(m)?;
        Ok(true)
    }
}

impl EmbeddedStore {
    /// Distinct identifiers per kind recorded for a breach.
    pub fn kind_counts(&self, name: &str) -> Option<BTreeMap<String, u64>> {
        self.current()
            .breaches
            .iter()
            .find(|b| b.entry.breach.name.eq_ignore_ascii_case(name))
            .map(|b| b.entry.kind_counts.clone())
    }
}
