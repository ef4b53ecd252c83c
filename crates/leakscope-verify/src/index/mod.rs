//! The reference index file: keyed hashes of normalised identifiers, sorted for binary search,
//! and a compact customer table (the organisation's own customer id, tenant, last-update day, and
//! 16-bit keyed hashes of name/address tokens). Never any raw customer data.
//!
//! Layout (little-endian): `LSKIDX\0\x02` magic, u32 header length, JSON [`IndexHeader`], zero
//! padding to 8 bytes, then the sections named in the header (offsets relative to the padded end
//! of the header): tenants, customers, customer offsets (one u64 per [`OFFSET_STRIDE`] customers),
//! buckets (2^bits + 1 u64 entry positions by hash prefix), entries (16-byte hash + u32 ordinal).
//! Customers are in keyed customer order (`Hashing::customer_key`, then the id), which lets builds
//! merge sorted runs by customer without an in-memory id map (see [`IndexBuilder`]).

mod assemble;
mod build;
mod codec;
mod entries;
mod runs;

pub use build::{BuildStats, IndexBuilder, DEFAULT_RUN_BYTES};
pub use codec::Customer;

use crate::error::VerifyError;
use crate::keys::Hashing;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

/// File magic (format version in the last byte).
pub const MAGIC: &[u8; 8] = b"LSKIDX\0\x02";
/// Format name in the header. Version 2: identifiers normalised by `leakscope_detect::normalize`
/// (shared with the corpus), customers stored in customer-key order.
pub const FORMAT: &str = "leakscope.index/2";
/// Most prefix bits of the bucket table.
pub const MAX_BUCKET_BITS: u32 = 20;
/// Bytes per entry.
pub const ENTRY_BYTES: usize = 20;
/// Customers per sparse offset.
pub const OFFSET_STRIDE: usize = 32;

/// One section of the file: offset (from the data start) and length in bytes.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Section {
    /// Offset from the start of the data area.
    pub offset: u64,
    /// Length in bytes.
    pub len: u64,
}

/// Section table.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Sections {
    /// Tenant names.
    pub tenants: Section,
    /// Customer records.
    pub customers: Section,
    /// Sparse customer offsets.
    pub offsets: Section,
    /// Hash-prefix buckets.
    pub buckets: Section,
    /// Sorted entries.
    pub entries: Section,
}

/// The index header: what it was built from and with, and counts. No raw data.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct IndexHeader {
    /// [`FORMAT`] (`leakscope.index/2`).
    pub format: String,
    /// Fingerprint of the secret the hashes were made with.
    pub secret_fingerprint: String,
    /// Build time, Unix seconds.
    pub built_at: u64,
    /// Source description (URLs without passwords).
    pub source: String,
    /// Identifier entries.
    pub entries: u64,
    /// Customers.
    pub customers: u64,
    /// Tenants.
    pub tenants: u64,
    /// Entries per identifier kind.
    pub by_kind: BTreeMap<String, u64>,
    /// Reference rows read (over all builds, including incremental ones).
    pub rows_read: u64,
    /// Latest last-update day among customers (`YYYY-MM-DD`), when known.
    pub max_updated: Option<String>,
    /// The update column used for `--since`, if any.
    pub updated_column: Option<String>,
    /// Previous incremental builds: `since` values applied.
    pub increments: Vec<String>,
    /// Bucket bits of the prefix table.
    pub bucket_bits: u32,
    /// Where the sections are.
    pub sections: Sections,
}

#[derive(Clone)]
enum Data {
    Mmap(Arc<memmap2::Mmap>),
    Owned(Arc<Vec<u8>>),
}

impl std::ops::Deref for Data {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Data::Mmap(m) => m,
            Data::Owned(v) => v,
        }
    }
}

/// An opened (memory-mapped or in-memory) index. Cloning shares the data.
#[derive(Clone)]
pub struct Index {
    data: Data,
    base: usize,
    header: IndexHeader,
    tenants: Vec<String>,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index")
            .field("header", &self.header)
            .finish()
    }
}

pub(crate) fn corrupt(what: &str) -> VerifyError {
    VerifyError::Index(format!(
        "file is corrupt or truncated ({what}); rebuild it with `leakscope index build`"
    ))
}

/// Bucket of a hash under `bits` prefix bits.
pub fn bucket_of(hash: &[u8; 16], bits: u32) -> usize {
    if bits == 0 {
        return 0;
    }
    (u32::from_be_bytes([hash[0], hash[1], hash[2], hash[3]]) >> (32 - bits)) as usize
}

impl Index {
    /// Memory-maps an index file and checks it was made with `hashing`'s secret.
    pub fn open(path: &Path, hashing: &Hashing) -> Result<Index, VerifyError> {
        let file = std::fs::File::open(path)
            .map_err(|e| VerifyError::Index(format!("cannot open {}: {e}", path.display())))?;
        // SAFETY: the file is opened read-only; leakscope never writes an index in place (it
        // writes a temporary file and renames it), so the mapping does not change under us.
        let map = unsafe { memmap2::Mmap::map(&file) }
            .map_err(|e| VerifyError::Index(format!("cannot map {}: {e}", path.display())))?;
        Index::parse(Data::Mmap(Arc::new(map)), hashing).map_err(|e| match e {
            VerifyError::Index(m) => VerifyError::Index(format!("{}: {m}", path.display())),
            other => other,
        })
    }

    /// An index held in memory (built on the fly from a reference).
    pub fn from_vec(bytes: Vec<u8>, hashing: &Hashing) -> Result<Index, VerifyError> {
        Index::parse(Data::Owned(Arc::new(bytes)), hashing)
    }

    fn parse(data: Data, hashing: &Hashing) -> Result<Index, VerifyError> {
        if data.len() < 12 || &data[..8] != MAGIC {
            if data.len() >= 8 && &data[..6] == b"LSKIDX" {
                return Err(VerifyError::Index(format!(
                    "index format version {} is not supported by this leakscope (it reads version {}; identifiers are normalised and ordered differently, so old hashes would give wrong answers); rebuild it with `leakscope index build`",
                    data[7], MAGIC[7]
                )));
            }
            return Err(VerifyError::Index(
                "not a leakscope index (bad magic)".into(),
            ));
        }
        let hl = u32::from_le_bytes(data[8..12].try_into().expect("4 bytes")) as usize;
        let hend = 12usize
            .checked_add(hl)
            .filter(|e| *e <= data.len())
            .ok_or_else(|| corrupt("header length"))?;
        let header: IndexHeader =
            serde_json::from_slice(&data[12..hend]).map_err(|_| corrupt("header"))?;
        if header.secret_fingerprint != hashing.fingerprint() {
            return Err(VerifyError::Index(format!(
                "built with another secret (fingerprint {}, this installation's is {}); its hashes cannot match here — rebuild the index on this installation or point --secret at the key it was built with",
                header.secret_fingerprint,
                hashing.fingerprint()
            )));
        }
        let base = hend.div_ceil(8) * 8;
        let s = &header.sections;
        for (name, sec) in [
            ("tenants", s.tenants),
            ("customers", s.customers),
            ("offsets", s.offsets),
            ("buckets", s.buckets),
            ("entries", s.entries),
        ] {
            let end = (base as u64)
                .checked_add(sec.offset)
                .and_then(|o| o.checked_add(sec.len));
            if end.is_none_or(|e| e > data.len() as u64) {
                return Err(corrupt(name));
            }
        }
        if s.entries.len != header.entries * ENTRY_BYTES as u64
            || header.bucket_bits > 24
            || s.buckets.len != ((1u64 << header.bucket_bits) + 1) * 8
            || s.offsets.len != header.customers.div_ceil(OFFSET_STRIDE as u64) * 8
        {
            return Err(corrupt("section sizes"));
        }
        let mut idx = Index {
            data,
            base,
            header,
            tenants: Vec::new(),
        };
        let mut prev = 0u64;
        for b in 0..=(1usize << idx.header.bucket_bits) {
            let v = idx.bucket(b);
            if v < prev || v > idx.header.entries {
                return Err(corrupt("buckets"));
            }
            prev = v;
        }
        idx.tenants = codec::decode_tenants(idx.section(idx.header.sections.tenants))
            .ok_or_else(|| corrupt("tenants"))?;
        if idx.tenants.len() as u64 != idx.header.tenants {
            return Err(corrupt("tenant count"));
        }
        Ok(idx)
    }

    fn section(&self, s: Section) -> &[u8] {
        let start = self.base + s.offset as usize;
        &self.data[start..start + s.len as usize]
    }

    fn bucket(&self, b: usize) -> u64 {
        let sec = self.section(self.header.sections.buckets);
        u64::from_le_bytes(sec[b * 8..b * 8 + 8].try_into().expect("8 bytes"))
    }

    /// The header.
    pub fn header(&self) -> &IndexHeader {
        &self.header
    }

    /// File size in bytes.
    pub fn byte_len(&self) -> usize {
        self.data.len()
    }

    /// Entry `i`: hash and customer ordinal.
    pub fn entry(&self, i: usize) -> ([u8; 16], u32) {
        let sec = self.section(self.header.sections.entries);
        let e = &sec[i * ENTRY_BYTES..(i + 1) * ENTRY_BYTES];
        (
            e[..16].try_into().expect("16 bytes"),
            u32::from_le_bytes(e[16..20].try_into().expect("4 bytes")),
        )
    }

    /// Appends to `out` the ordinals of customers holding identifier hash `hash`.
    pub fn lookup(&self, hash: &[u8; 16], out: &mut Vec<u32>) {
        let b = bucket_of(hash, self.header.bucket_bits);
        let (mut lo, mut hi) = (self.bucket(b) as usize, self.bucket(b + 1) as usize);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if self.entry(mid).0 < *hash {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let n = self.header.entries as usize;
        while lo < n {
            let (h, ord) = self.entry(lo);
            if h != *hash {
                break;
            }
            out.push(ord);
            lo += 1;
        }
    }

    /// Customer `ord`.
    pub fn customer(&self, ord: u32) -> Result<Customer, VerifyError> {
        if ord as u64 >= self.header.customers {
            return Err(corrupt("customer ordinal"));
        }
        let offs = self.section(self.header.sections.offsets);
        let o = ord as usize / OFFSET_STRIDE;
        let start =
            u64::from_le_bytes(offs[o * 8..o * 8 + 8].try_into().expect("8 bytes")) as usize;
        let blob = self.section(self.header.sections.customers);
        let mut cur = blob
            .get(start..)
            .ok_or_else(|| corrupt("customer offset"))?;
        for _ in 0..(ord as usize % OFFSET_STRIDE) {
            codec::skip_customer(&mut cur).ok_or_else(|| corrupt("customer record"))?;
        }
        codec::decode_customer(&mut cur).ok_or_else(|| corrupt("customer record"))
    }

    /// The encoded customer table (records in ordinal order).
    pub(crate) fn customer_bytes(&self) -> &[u8] {
        self.section(self.header.sections.customers)
    }

    /// All customers in ordinal order.
    pub fn customers(&self) -> Result<Vec<Customer>, VerifyError> {
        let mut cur = self.section(self.header.sections.customers);
        (0..self.header.customers)
            .map(|_| codec::decode_customer(&mut cur).ok_or_else(|| corrupt("customer record")))
            .collect()
    }

    /// Tenant name by index.
    pub fn tenant(&self, ix: u32) -> Option<&str> {
        self.tenants.get(ix as usize).map(String::as_str)
    }

    /// All tenant names.
    pub fn tenants(&self) -> &[String] {
        &self.tenants
    }
}
