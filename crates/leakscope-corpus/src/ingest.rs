//! Turns a stream of normalised identifiers and plaintext passwords into the sorted, keyed,
//! de-duplicated arrays a store persists. Hashing runs on all cores (rayon); nothing raw is kept
//! beyond the current chunk.

use crate::passwords::{ntlm, sha1};
use leakscope_keys::{IdKind, Secret};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};

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

/// The persisted form of one leak, ready for a store.
#[derive(Debug, Default, Clone)]
pub struct Prepared {
    /// Sorted, distinct 16-byte keyed hashes of every identifier (all kinds).
    pub ids: Vec<[u8; 16]>,
    /// Sorted `(8-byte keyed domain hash, u32 big-endian index into ids)` for email identifiers.
    pub domains: Vec<[u8; 12]>,
    /// Sorted, distinct SHA-1 of lower-cased emails (empty unless `email_range`).
    pub email_sha1: Vec<[u8; 20]>,
    /// Sorted `(SHA-1, count)` of passwords.
    pub pw_sha1: Vec<([u8; 20], u32)>,
    /// Sorted `(NTLM, count)` of passwords.
    pub pw_ntlm: Vec<([u8; 16], u32)>,
    /// Distinct identifiers per kind.
    pub kind_counts: BTreeMap<&'static str, u64>,
    /// HIBP data classes found.
    pub data_classes: BTreeSet<String>,
    /// Identifier items read (before de-duplication).
    pub items_read: u64,
}

impl Prepared {
    /// Accounts in the leak: the largest number of distinct identifiers of any one kind (most
    /// accounts carry one email or one phone; counting all kinds would double-count people).
    pub fn pwn_count(&self) -> u64 {
        self.kind_counts.values().copied().max().unwrap_or(0)
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

/// Streaming builder of a [`Prepared`] leak.
pub struct Ingest<'a> {
    secret: &'a Secret,
    opts: IngestOptions,
    pending: Vec<(IdKind, String)>,
    passwords: Vec<String>,
    /// Big-endian integer form of each id (sorts like the bytes, much faster) and its kind slot.
    ids: Vec<(u128, u8)>,
    email_domains: Vec<(u64, u128)>,
    domain_cache: HashMap<String, [u8; 8]>,
    email_sha1: Vec<[u8; 20]>,
    pw: HashMap<[u8; 20], ([u8; 16], u32)>,
    out: Prepared,
}

fn kind_slot(k: IdKind) -> usize {
    match k {
        IdKind::Email => 0,
        IdKind::Phone => 1,
        IdKind::NationalId => 2,
        IdKind::Username => 3,
    }
}

impl<'a> Ingest<'a> {
    /// A new builder hashing with `secret`.
    pub fn new(secret: &'a Secret, opts: IngestOptions) -> Ingest<'a> {
        Ingest {
            secret,
            opts,
            pending: Vec::with_capacity(CHUNK),
            passwords: Vec::new(),
            ids: Vec::new(),
            email_domains: Vec::new(),
            domain_cache: HashMap::new(),
            email_sha1: Vec::new(),
            pw: HashMap::new(),
            out: Prepared::default(),
        }
    }

    /// Adds one item.
    pub fn push(&mut self, item: Item) {
        match item {
            Item::Id(kind, value) => {
                if value.is_empty() {
                    return;
                }
                self.out.items_read += 1;
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
                self.out.data_classes.insert(c);
            }
        }
    }

    /// Adds every item of an iterator.
    pub fn extend(&mut self, items: impl IntoIterator<Item = Item>) {
        for it in items {
            self.push(it);
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
        for ((kind, value), (id, s)) in self.pending.drain(..).zip(hashed) {
            let id = u128::from_be_bytes(id);
            self.ids.push((id, kind_slot(kind) as u8));
            if let Some(s) = s {
                self.email_sha1.push(s);
            }
            if kind == IdKind::Email {
                if let Some(at) = value.rfind('@') {
                    let domain = &value[at + 1..];
                    let dk = match self.domain_cache.get(domain) {
                        Some(k) => *k,
                        None => {
                            let k = domain_key(secret, domain);
                            self.domain_cache.insert(domain.to_string(), k);
                            k
                        }
                    };
                    self.email_domains.push((u64::from_be_bytes(dk), id));
                }
            }
        }
    }

    fn flush_passwords(&mut self) {
        let hashed: Vec<([u8; 20], [u8; 16])> = self
            .passwords
            .par_iter()
            .map(|p| (sha1(p.as_bytes()), ntlm(p)))
            .collect();
        self.passwords.clear();
        for (s, n) in hashed {
            self.pw.entry(s).or_insert((n, 0)).1 += 1;
        }
    }

    /// Finishes: sorts, de-duplicates and builds the domain index.
    pub fn finish(mut self) -> Prepared {
        self.flush_ids();
        self.flush_passwords();
        let mut out = self.out;
        let mut tagged = self.ids;
        tagged.par_sort_unstable_by_key(|t| t.0);
        // The kind is part of the MAC input, so equal ids always have equal kinds.
        tagged.dedup_by_key(|t| t.0);
        let mut per_kind = [0u64; 4];
        for t in &tagged {
            per_kind[usize::from(t.1)] += 1;
        }
        for (slot, n) in per_kind.into_iter().enumerate() {
            if n > 0 {
                let kind = [
                    IdKind::Email,
                    IdKind::Phone,
                    IdKind::NationalId,
                    IdKind::Username,
                ][slot];
                out.kind_counts.insert(kind.id(), n);
                out.data_classes.insert(data_class_of(kind).to_string());
            }
        }
        let ids: Vec<u128> = tagged.into_iter().map(|t| t.0).collect();
        let mut ed = self.email_domains;
        ed.par_sort_unstable();
        ed.dedup();
        out.domains = ed
            .par_iter()
            .map(|(dk, id)| {
                let idx = ids.binary_search(id).expect("every email id is in ids") as u32;
                let mut r = [0u8; 12];
                r[..8].copy_from_slice(&dk.to_be_bytes());
                r[8..].copy_from_slice(&idx.to_be_bytes());
                r
            })
            .collect();
        let mut es = self.email_sha1;
        es.par_sort_unstable();
        es.dedup();
        out.email_sha1 = es;
        if !self.pw.is_empty() {
            out.data_classes.insert("Passwords".to_string());
        }
        let mut pw_ntlm: Vec<([u8; 16], u32)> = self.pw.values().copied().collect();
        let mut pw_sha1: Vec<([u8; 20], u32)> =
            self.pw.into_iter().map(|(s, (_, c))| (s, c)).collect();
        pw_sha1.par_sort_unstable();
        pw_ntlm.par_sort_unstable();
        out.pw_sha1 = pw_sha1;
        out.pw_ntlm = pw_ntlm;
        out.ids = ids.into_par_iter().map(u128::to_be_bytes).collect();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedups_counts_kinds_and_indexes_domains() {
        let secret = Secret::from_bytes(&[7; 32]);
        let mut ing = Ingest::new(&secret, IngestOptions { email_range: true });
        ing.extend([
            Item::Id(IdKind::Email, "a@x.com".into()),
            Item::Id(IdKind::Email, "a@x.com".into()),
            Item::Id(IdKind::Email, "b@y.org".into()),
            Item::Id(IdKind::Phone, "+6591234567".into()),
            Item::Password("hunter2".into()),
            Item::Password("hunter2".into()),
            Item::Password("letmein".into()),
            Item::DataClass("Names".into()),
        ]);
        let p = ing.finish();
        assert_eq!(p.ids.len(), 3);
        assert_eq!(p.items_read, 4);
        assert_eq!(p.kind_counts["email"], 2);
        assert_eq!(p.pwn_count(), 2);
        assert!(p.ids.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(p.domains.len(), 2);
        let x = domain_key(&secret, "X.com");
        let row = p.domains.iter().find(|r| r[..8] == x).unwrap();
        let idx = u32::from_be_bytes(row[8..].try_into().unwrap()) as usize;
        assert_eq!(p.ids[idx], secret.hash16(IdKind::Email, "a@x.com"));
        assert_eq!(p.email_sha1.len(), 2);
        assert_eq!(p.pw_sha1.len(), 2);
        assert_eq!(
            p.pw_sha1
                .iter()
                .find(|(s, _)| *s == sha1(b"hunter2"))
                .unwrap()
                .1,
            2
        );
        let classes: Vec<&str> = p.data_classes.iter().map(String::as_str).collect();
        assert_eq!(
            classes,
            ["Email addresses", "Names", "Passwords", "Phone numbers"]
        );
    }

    #[test]
    fn email_range_is_off_by_default() {
        let secret = Secret::from_bytes(&[7; 32]);
        let mut ing = Ingest::new(&secret, IngestOptions::default());
        ing.push(Item::Id(IdKind::Email, "a@x.com".into()));
        assert!(ing.finish().email_sha1.is_empty());
    }
}
