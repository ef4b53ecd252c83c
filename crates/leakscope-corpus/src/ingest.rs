//! Turns a stream of normalised identifiers and plaintext passwords into the sorted, keyed,
//! de-duplicated record sets a store persists, in bounded memory whatever the leak's size.
//!
//! Hashing runs on all cores (rayon); nothing raw is kept beyond the current chunk. Every set is
//! collected by a [`leakscope_extsort::Sorter`]: sorted and de-duplicated in memory up to its
//! budget, spilled as sorted runs to the ingest's working directory (`ingest-*`, inside the
//! corpus so the result can be renamed into place) when the data do not fold down, and merged
//! into segment files at [`Ingest::finish`]. A leak that repeats one e-mail a billion times
//! never touches the disk; a leak of a billion distinct e-mails uses the budget and disk.

use crate::passwords::{ntlm, sha1};
use crate::records::Records;
use crate::segment;
use crate::store::{CorpusError, Result};
use leakscope_extsort::{Merged, Record, Sorter, SpillDir};
use leakscope_keys::{IdKind, Secret};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

mod recs;
use recs::{DomIdx, DomRec, IdRec, NtlmRec, PwRec, Sha1Rec};

/// One item read from a leak.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A normalised identifier (see [`crate::normalize`]).
    Id(IdKind, String),
    /// A plaintext password (hashed with SHA-1 and NTLM, then dropped).
    Password(String),
    /// A data class present in the leak beyond the identifiers (HIBP vocabulary, e.g. "Names").
    DataClass(String),
}

/// Ingestion options.
#[derive(Debug, Clone, Copy, Default)]
pub struct IngestOptions {
    /// Also keep unkeyed SHA-1 of lower-cased emails for the HIBP k-anonymity email range
    /// endpoint (opt-in: see docs/threat-model.md).
    pub email_range: bool,
}

/// Memory budget of an ingest's sorters together (the reader and hashing chunks come on top).
pub const MEMORY_BUDGET: usize = 224 << 20;

/// The persisted form of one leak, ready for a store. Its large sets live in files of the
/// ingest's working directory, removed when this is dropped (unless a store took them).
#[derive(Default)]
pub struct Prepared {
    /// Sorted, distinct 16-byte keyed hashes of every identifier (all kinds).
    pub ids: Records<16>,
    /// Sorted `(8-byte keyed domain hash, u32 big-endian index into ids)` for email identifiers.
    pub domains: Records<12>,
    /// Sorted, distinct SHA-1 of lower-cased emails (empty unless `email_range`).
    pub email_sha1: Records<20>,
    /// Sorted `(SHA-1, u32 big-endian count)` of passwords.
    pub pw_sha1: Records<24>,
    /// Sorted `(NTLM, u32 big-endian count)` of passwords.
    pub pw_ntlm: Records<20>,
    /// Distinct identifiers per kind.
    pub kind_counts: BTreeMap<&'static str, u64>,
    /// HIBP data classes found.
    pub data_classes: BTreeSet<String>,
    /// Identifier items read (before de-duplication).
    pub items_read: u64,
    /// The working directory holding the file-backed sets.
    pub(crate) work: Option<SpillDir>,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Prepared({} ids, {} passwords, working directory {:?})",
            self.ids.len(),
            self.pw_sha1.len(),
            self.work_dir()
        )
    }
}

impl Prepared {
    /// Accounts in the leak: the largest number of distinct identifiers of any one kind (most
    /// accounts carry one email or one phone; counting all kinds would double-count people).
    pub fn pwn_count(&self) -> u64 {
        self.kind_counts.values().copied().max().unwrap_or(0)
    }

    /// True when nothing would be stored: no identifier and no password.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty() && self.pw_sha1.is_empty()
    }

    /// The count of a `(hash, u32 count)` record.
    pub fn count_of(record: &[u8]) -> u32 {
        let n = record.len();
        u32::from_be_bytes(record[n - 4..].try_into().expect("4 bytes"))
    }

    /// The working directory, if the sets needed one.
    pub(crate) fn work_dir(&self) -> Option<&Path> {
        self.work.as_ref().and_then(|w| w.existing())
    }
}

/// The HIBP data-class name of an identifier kind.
pub fn data_class_of(kind: IdKind) -> &'static str {
    match kind {
        IdKind::Email => "Email addresses",
        IdKind::Phone => "Phone numbers",
        IdKind::NationalId => "Government issued IDs",
        IdKind::Username => "Usernames",
    }
}

/// The keyed domain hash used by the breached-domain index.
pub fn domain_key(secret: &Secret, domain: &str) -> [u8; 8] {
    let h = secret.hash(IdKind::Email, &format!("@{}", domain.to_ascii_lowercase()));
    h[..8].try_into().expect("8 bytes")
}

const CHUNK: usize = 1 << 16;
/// Domains whose keyed hash is cached (a spam list may have millions of distinct domains).
const DOMAIN_CACHE: usize = 1 << 16;
/// Prefix of ingest working directories (see [`crate::EmbeddedStore`]'s clean-up).
pub const WORK_PREFIX: &str = "ingest-";

const KINDS: [IdKind; 4] = [
    IdKind::Email,
    IdKind::Phone,
    IdKind::NationalId,
    IdKind::Username,
];

fn kind_slot(k: IdKind) -> u8 {
    KINDS.iter().position(|x| *x == k).unwrap_or(0) as u8
}

fn io(what: &str) -> impl Fn(std::io::Error) -> CorpusError + '_ {
    move |e| CorpusError::Io(format!("ingest: {what}"), e)
}

/// Streaming builder of a [`Prepared`] leak.
pub struct Ingest<'a> {
    secret: &'a Secret,
    opts: IngestOptions,
    pending: Vec<(IdKind, String)>,
    passwords: Vec<String>,
    spill: SpillDir,
    ids: Sorter<IdRec>,
    doms: Sorter<DomRec>,
    sha1s: Sorter<Sha1Rec>,
    pws: Sorter<PwRec>,
    domain_cache: HashMap<String, [u8; 8]>,
    data_classes: BTreeSet<String>,
    items_read: u64,
    error: Option<std::io::Error>,
}

impl<'a> Ingest<'a> {
    /// A new builder hashing with `secret`, spilling (when it must) under the system temporary
    /// directory.
    pub fn new(secret: &'a Secret, opts: IngestOptions) -> Ingest<'a> {
        Ingest::in_dir(secret, opts, &std::env::temp_dir())
    }

    /// A new builder whose working directory (created when needed) is under `parent`: the
    /// corpus directory, so that a store can rename the result into place.
    pub fn in_dir(secret: &'a Secret, opts: IngestOptions, parent: &Path) -> Ingest<'a> {
        Ingest::with_budget(secret, opts, parent, MEMORY_BUDGET)
    }

    /// Like [`Ingest::in_dir`] with another memory budget (tests force spilling with a small one).
    pub fn with_budget(
        secret: &'a Secret,
        opts: IngestOptions,
        parent: &Path,
        budget: usize,
    ) -> Ingest<'a> {
        Ingest {
            secret,
            opts,
            pending: Vec::with_capacity(CHUNK),
            passwords: Vec::new(),
            spill: SpillDir::lazy(parent, WORK_PREFIX),
            ids: Sorter::new(budget * 3 / 8),
            doms: Sorter::new(budget / 4),
            sha1s: Sorter::new(budget / 8),
            pws: Sorter::new(budget / 4),
            domain_cache: HashMap::new(),
            data_classes: BTreeSet::new(),
            items_read: 0,
            error: None,
        }
    }

    /// Adds one item.
    pub fn push(&mut self, item: Item) {
        match item {
            Item::Id(kind, value) => {
                if value.is_empty() {
                    return;
                }
                self.items_read += 1;
                self.pending.push((kind, value));
                if self.pending.len() >= CHUNK {
                    self.flush_ids();
                }
            }
            Item::Password(p) => {
                if p.is_empty() {
                    return;
                }
                self.passwords.push(p);
                if self.passwords.len() >= CHUNK {
                    self.flush_passwords();
                }
            }
            Item::DataClass(c) => {
                self.data_classes.insert(c);
            }
        }
    }

    /// Adds every item of an iterator.
    pub fn extend(&mut self, items: impl IntoIterator<Item = Item>) {
        for it in items {
            self.push(it);
        }
    }

    fn keep_error(&mut self, r: std::io::Result<()>) {
        if let (Err(e), None) = (r, &self.error) {
            self.error = Some(e);
        }
    }

    fn flush_ids(&mut self) {
        let secret = self.secret;
        let email_range = self.opts.email_range;
        let hashed: Vec<([u8; 16], Option<[u8; 20]>)> = self
            .pending
            .par_iter()
            .map(|(kind, v)| {
                let id = secret.hash16(*kind, v);
                let s = (email_range && *kind == IdKind::Email).then(|| sha1(v.as_bytes()));
                (id, s)
            })
            .collect();
        let mut pending = std::mem::take(&mut self.pending);
        for ((kind, value), (id, s)) in pending.drain(..).zip(hashed) {
            let r = self
                .ids
                .push(IdRec::new(id, kind_slot(kind)), &mut self.spill);
            self.keep_error(r);
            if let Some(s) = s {
                let r = self.sha1s.push(Sha1Rec(s), &mut self.spill);
                self.keep_error(r);
            }
            if kind == IdKind::Email {
                if let Some(at) = value.rfind('@') {
                    let dk = self.domain(&value[at + 1..]);
                    let r = self.doms.push(DomRec::new(id, dk), &mut self.spill);
                    self.keep_error(r);
                }
            }
        }
        self.pending = pending;
    }

    fn domain(&mut self, domain: &str) -> [u8; 8] {
        if let Some(k) = self.domain_cache.get(domain) {
            return *k;
        }
        if self.domain_cache.len() >= DOMAIN_CACHE {
            self.domain_cache.clear();
        }
        let k = domain_key(self.secret, domain);
        self.domain_cache.insert(domain.to_string(), k);
        k
    }

    fn flush_passwords(&mut self) {
        let hashed: Vec<PwRec> = self
            .passwords
            .par_iter()
            .map(|p| PwRec::new(sha1(p.as_bytes()), ntlm(p)))
            .collect();
        self.passwords.clear();
        for r in hashed {
            let r = self.pws.push(r, &mut self.spill);
            self.keep_error(r);
        }
    }

    /// Finishes: merges every set (from memory and spilled runs) into its final sorted form and
    /// builds the domain index. Fails only on a disk error of the working directory.
    pub fn finish(mut self) -> Result<Prepared> {
        self.flush_ids();
        self.flush_passwords();
        if let Some(e) = self.error.take() {
            return Err(CorpusError::Io("ingest: writing a sorted run".into(), e));
        }
        let mut out = Prepared {
            data_classes: std::mem::take(&mut self.data_classes),
            items_read: self.items_read,
            ..Prepared::default()
        };
        let Ingest {
            mut spill,
            ids,
            doms,
            sha1s,
            pws,
            ..
        } = self;
        // Identifiers, counted per kind.
        let mut per_kind = [0u64; 4];
        let to_file = ids.spilled_runs() > 0;
        out.ids = write_set(
            ids.into_merged(),
            to_file,
            &mut spill,
            "ids.seg",
            |r: &IdRec| {
                per_kind[usize::from(r.kind)] += 1;
                r.bytes()
            },
        )?;
        for (slot, n) in per_kind.into_iter().enumerate() {
            if n > 0 {
                out.kind_counts.insert(KINDS[slot].id(), n);
                out.data_classes
                    .insert(data_class_of(KINDS[slot]).to_string());
            }
        }
        out.domains = domain_index(&out.ids, doms, &mut spill)?;
        let to_file = sha1s.spilled_runs() > 0;
        out.email_sha1 = write_set(
            sha1s.into_merged(),
            to_file,
            &mut spill,
            "email_sha1.seg",
            |r| r.0,
        )?;
        let (pw_sha1, pw_ntlm) = passwords(pws, &mut spill)?;
        if !pw_sha1.is_empty() {
            out.data_classes.insert("Passwords".to_string());
        }
        out.pw_sha1 = pw_sha1;
        out.pw_ntlm = pw_ntlm;
        out.work = Some(spill);
        Ok(out)
    }
}

/// Drains a merged set into memory, or into a segment file `name` of the working directory.
fn write_set<T: Record, const W: usize>(
    merged: std::io::Result<Merged<T>>,
    to_file: bool,
    spill: &mut SpillDir,
    name: &str,
    mut enc: impl FnMut(&T) -> [u8; W],
) -> Result<Records<W>> {
    let merged = merged.map_err(io("merging sorted runs"))?;
    if !to_file {
        let v: Vec<[u8; W]> = merged
            .map(|r| r.map(|r| enc(&r)))
            .collect::<std::io::Result<_>>()
            .map_err(io("merging sorted runs"))?;
        return Ok(Records::Mem(v));
    }
    let path: PathBuf = spill.dir().map_err(io("working directory"))?.join(name);
    let mut w = segment::Writer::create(&path, W).map_err(io("writing a segment"))?;
    for r in merged {
        let r = r.map_err(io("merging sorted runs"))?;
        w.push(&enc(&r)).map_err(io("writing a segment"))?;
    }
    let len = w.count() as usize;
    w.finish().map_err(io("writing a segment"))?;
    Ok(Records::File { path, len })
}

/// The domain index: `(keyed domain, position of the e-mail's id in ids)`, found by walking the
/// e-mail ids (sorted by id) along the sorted ids, then sorted by domain.
fn domain_index(
    ids: &Records<16>,
    doms: Sorter<DomRec>,
    spill: &mut SpillDir,
) -> Result<Records<12>> {
    let spilled = doms.spilled_runs() > 0;
    let merged = doms.into_merged().map_err(io("merging sorted runs"))?;
    let mut by_domain: Sorter<DomIdx> = Sorter::new(MEMORY_BUDGET / 4);
    let mut all = ids.stream().map_err(io("reading ids"))?;
    let mut at: u32 = 0;
    let mut cur: Option<[u8; 16]> = None;
    for d in merged {
        let d = d.map_err(io("merging sorted runs"))?;
        let want = d.id_bytes();
        // Both streams are sorted by id: advance ids to this e-mail's id.
        while cur.is_none_or(|c| c < want) {
            match all.next() {
                Some(c) => {
                    if cur.is_some() {
                        at += 1;
                    }
                    cur = Some(c.map_err(io("reading ids"))?);
                }
                None => break,
            }
        }
        if cur == Some(want) {
            by_domain
                .push(DomIdx { dk: d.dk, idx: at }, spill)
                .map_err(io("writing a sorted run"))?;
        }
    }
    let to_file = spilled || by_domain.spilled_runs() > 0;
    write_set(
        by_domain.into_merged(),
        to_file,
        spill,
        "domains.seg",
        DomIdx::bytes,
    )
}

/// Password counts by SHA-1, and the same counts re-sorted by NTLM.
fn passwords(pws: Sorter<PwRec>, spill: &mut SpillDir) -> Result<(Records<24>, Records<20>)> {
    let spilled = pws.spilled_runs() > 0;
    let merged = pws.into_merged().map_err(io("merging sorted runs"))?;
    let mut by_ntlm: Sorter<NtlmRec> = Sorter::new(MEMORY_BUDGET / 4);
    let mut file = None;
    if spilled {
        let path = spill
            .dir()
            .map_err(io("working directory"))?
            .join("pw_sha1.seg");
        let w = segment::Writer::create(&path, 24).map_err(io("writing a segment"))?;
        file = Some((path, w));
    }
    let mut mem = Vec::new();
    for r in merged {
        let r = r.map_err(io("merging sorted runs"))?;
        match &mut file {
            Some((_, w)) => w.push(&r.sha1_bytes()).map_err(io("writing a segment"))?,
            None => mem.push(r.sha1_bytes()),
        }
        by_ntlm
            .push(r.by_ntlm(), spill)
            .map_err(io("writing a sorted run"))?;
    }
    let sha = match file {
        None => Records::Mem(mem),
        Some((path, w)) => {
            let len = w.count() as usize;
            w.finish().map_err(io("writing a segment"))?;
            Records::File { path, len }
        }
    };
    let to_file = spilled || by_ntlm.spilled_runs() > 0;
    let ntlm = write_set(
        by_ntlm.into_merged(),
        to_file,
        spill,
        "pw_ntlm.seg",
        NtlmRec::bytes,
    )?;
    Ok((sha, ntlm))
}

#[cfg(test)]
mod tests;
