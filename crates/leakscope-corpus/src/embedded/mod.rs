//! The embedded store: one directory of immutable, sorted segment files per breach, and a
//! `manifest.json` that names the live breaches. The manifest is the only commit point: a new
//! breach is written to a temporary directory, fsynced, renamed, and only then is a new manifest
//! written to a temporary file, fsynced and renamed over the old one. A crash at any moment leaves
//! either the old or the new manifest; orphaned directories are removed by the next writer.
//! Writers take an exclusive `flock` on `LOCK`; readers never lock and keep answering from their
//! memory-mapped snapshot while a writer works.

use crate::ingest::Prepared;
use crate::model::{now_iso, Breach, BreachMeta};
use crate::passwords::PwMode;
use crate::segment::{self, Segment};
use crate::store::{breach_record, CorpusError, OverlapRow, RangeHit, Result, Store};
use rayon::prelude::*;
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

    /// Removes directories no manifest entry names (left by a crashed writer). Caller holds the lock.
    fn collect_garbage(&self, m: &Manifest) {
        let live: std::collections::HashSet<&str> =
            m.breaches.iter().map(|e| e.dir.as_str()).collect();
        if let Ok(rd) = fs::read_dir(&self.dir) {
            for e in rd.flatten() {
                let name = e.file_name().to_string_lossy().to_string();
                let ours = name.starts_with("b-") || name.starts_with("tmp-");
                if ours && !live.contains(name.as_str()) && e.path().is_dir() {
                    let _ = fs::remove_dir_all(e.path());
                }
            }
        }
    }

    fn write_breach_files(&self, tmp: &Path, p: &Prepared) -> Result<()> {
        leakscope_keys::create_private_dir(tmp).map_err(io(tmp.display().to_string()))?;
        let pw_sha1: Vec<u8> = p
            .pw_sha1
            .iter()
            .flat_map(|(h, c)| h.iter().copied().chain(c.to_be_bytes()))
            .collect();
        let pw_ntlm: Vec<u8> = p
            .pw_ntlm
            .iter()
            .flat_map(|(h, c)| h.iter().copied().chain(c.to_be_bytes()))
            .collect();
        let parts: [(&str, usize, &[u8]); 5] = [
            ("ids.seg", 16, p.ids.as_flattened()),
            ("domains.seg", 12, p.domains.as_flattened()),
            ("email_sha1.seg", 20, p.email_sha1.as_flattened()),
            ("pw_sha1.seg", 24, &pw_sha1),
            ("pw_ntlm.seg", 20, &pw_ntlm),
        ];
        parts.par_iter().try_for_each(|(file, width, bytes)| {
            let path = tmp.join(file);
            segment::write(&path, *width, bytes).map_err(io(path.display().to_string()))
        })?;
        fsync_dir(tmp)
    }
}

/// Marks in `hit` the positions of `new` present in `seg`; returns how many.
fn mark_shared(new: &[[u8; 16]], seg: &Segment, hit: &mut [u64]) -> u64 {
    let old = seg.bytes();
    let m = seg.len();
    let mut n = 0u64;
    let mut mark = |i: usize| {
        hit[i / 64] |= 1 << (i % 64);
        n += 1;
    };
    if m == 0 || new.is_empty() {
        return 0;
    }
    // Binary search per item when the new side is much smaller, else a merge walk.
    if new.len() * 16 < m {
        for (i, id) in new.iter().enumerate() {
            if seg.find(&id[..]).is_some() {
                mark(i);
            }
        }
        return n;
    }
    let (mut i, mut j) = (0, 0);
    while i < new.len() && j < m {
        let o = &old[j * 16..j * 16 + 16];
        match new[i][..].cmp(o) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                mark(i);
                i += 1;
                j += 1;
            }
        }
    }
    n
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

    fn add(&self, meta: &BreachMeta, prepared: &Prepared) -> Result<Breach> {
        let breach = breach_record(meta, prepared, &now_iso())?;
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
        let generation = m.generation + 1;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let tmp = self.dir.join(format!("tmp-{}-{nanos}", std::process::id()));
        self.write_breach_files(&tmp, prepared)?;
        let dir = format!("b-{}-{generation}", breach.name);
        fs::rename(&tmp, self.dir.join(&dir)).map_err(io("rename breach directory"))?;
        fsync_dir(&self.dir)?;
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
        Ok(breach)
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
        let snap = self.current();
        Ok(snap
            .breaches
            .iter()
            .filter(|b| b.ids().find(id).is_some())
            .map(|b| b.entry.breach.name.clone())
            .collect())
    }

    fn overlap(&self, ids: &[[u8; 16]]) -> Result<(Vec<OverlapRow>, u64)> {
        let snap = self.current();
        let words = ids.len().div_ceil(64);
        let per: Vec<(OverlapRow, Vec<u64>)> = snap
            .breaches
            .par_iter()
            .map(|b| {
                let mut hit = vec![0u64; words];
                let shared = mark_shared(ids, b.ids(), &mut hit);
                (
                    OverlapRow {
                        breach: b.entry.breach.name.clone(),
                        shared,
                    },
                    hit,
                )
            })
            .filter(|(r, _)| r.shared > 0)
            .collect();
        let mut union = vec![0u64; words];
        for (_, hit) in &per {
            for (u, h) in union.iter_mut().zip(hit) {
                *u |= h;
            }
        }
        let known = union.iter().map(|w| u64::from(w.count_ones())).sum();
        Ok((per.into_iter().map(|(r, _)| r).collect(), known))
    }

    fn email_range(&self, prefix: [u8; 3]) -> Result<Vec<RangeHit>> {
        let snap = self.current();
        let mut hits: BTreeMap<[u8; 20], Vec<String>> = BTreeMap::new();
        for b in &snap.breaches {
            let seg = &b.segs[2];
            for i in seg.prefix_range(&prefix, 24) {
                let h: [u8; 20] = seg.get(i).try_into().expect("20 bytes");
                hits.entry(h).or_default().push(b.entry.breach.name.clone());
            }
        }
        Ok(hits
            .into_iter()
            .map(|(sha1, breaches)| RangeHit { sha1, breaches })
            .collect())
    }

    fn password_range(&self, prefix: [u8; 3], mode: PwMode) -> Result<Vec<(Vec<u8>, u64)>> {
        let snap = self.current();
        let slot = if mode == PwMode::Sha1 { 3 } else { 4 };
        let w = mode.width();
        let mut acc: BTreeMap<Vec<u8>, u64> = BTreeMap::new();
        for b in &snap.breaches {
            let seg = &b.segs[slot];
            for i in seg.prefix_range(&prefix, 20) {
                let r = seg.get(i);
                let count = u32::from_be_bytes(r[w..w + 4].try_into().expect("4 bytes"));
                *acc.entry(r[..w].to_vec()).or_default() += u64::from(count);
            }
        }
        Ok(acc.into_iter().collect())
    }

    fn domain_accounts(&self, domain_key: [u8; 8]) -> Result<Vec<([u8; 16], Vec<String>)>> {
        let snap = self.current();
        let mut out: BTreeMap<[u8; 16], Vec<String>> = BTreeMap::new();
        for b in &snap.breaches {
            let dom = &b.segs[1];
            let start = dom.lower_bound(&domain_key);
            for i in start..dom.len() {
                let r = dom.get(i);
                if r[..8] != domain_key {
                    break;
                }
                let idx = u32::from_be_bytes(r[8..12].try_into().expect("4 bytes")) as usize;
                if idx < b.ids().len() {
                    let id: [u8; 16] = b.ids().get(idx).try_into().expect("16 bytes");
                    out.entry(id).or_default().push(b.entry.breach.name.clone());
                }
            }
        }
        Ok(out.into_iter().collect())
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
