//! Second half of a build: merge sorted row records (and, for incremental builds, the existing
//! index) into the customer table, sort the identifier entries, and write the file — streaming,
//! with memory bounded by the run size.

use super::codec::{self, Customer};
use super::entries::EntrySorter;
use super::runs::{view, Group, Groups, Spill};
use super::{bucket_of, corrupt, Index, IndexHeader, Section, Sections, ENTRY_BYTES, MAGIC};
use super::{MAX_BUCKET_BITS, OFFSET_STRIDE};
use crate::dates;
use crate::error::VerifyError;
use crate::keys::Hashing;
use leakscope_keys::IdKind;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};

/// What the merge needs besides the records.
pub struct Assembly<'a> {
    /// Keys (customer sort keys of an existing index are recomputed with them).
    pub hashing: &'a Hashing,
    /// The index an incremental build extends.
    pub existing: Option<&'a Index>,
    /// In-memory budget per sorted run.
    pub run_bytes: usize,
}

const GONE: u32 = u32::MAX;

/// The customer table: in memory until it outgrows the run size, then a temporary file.
enum Blob {
    Mem(Vec<u8>),
    File(BufWriter<File>, std::path::PathBuf),
}

/// Merged customers and the pending identifier entries.
pub struct Parts {
    blob: Blob,
    blob_len: u64,
    offsets: Vec<u64>,
    /// Customers in the new index.
    pub customers: u64,
    /// Customers not in the existing index.
    pub added: u64,
    /// Existing customers replaced by new rows.
    pub replaced: u64,
    /// Entries per identifier kind (new rows only).
    pub by_kind: BTreeMap<String, u64>,
    max_updated: Option<i32>,
    entries: EntrySorter,
    remap: Vec<u32>,
    old_kept: u64,
    fine: Vec<u64>,
    blob_spilled: bool,
}

impl Parts {
    /// Identifier entries of the new index.
    pub fn entry_count(&self) -> u64 {
        self.entries.len + self.old_kept
    }

    /// Temporary files this phase wrote.
    pub fn spilled_runs(&self) -> u64 {
        self.entries.spilled_runs() as u64 + u64::from(self.blob_spilled)
    }

    #[allow(clippy::too_many_arguments)]
    fn push_parts(
        &mut self,
        id: &str,
        tenant: Option<u32>,
        updated: Option<i32>,
        name: &[u16],
        address: &[u16],
        scratch: &mut Vec<u8>,
        a: &Assembly,
        spill: &mut Spill,
    ) -> Result<u32, VerifyError> {
        let ord = u32::try_from(self.customers)
            .ok()
            .filter(|o| *o != GONE)
            .ok_or_else(|| VerifyError::Usage("more than 4 billion customers".into()))?;
        if (ord as usize).is_multiple_of(OFFSET_STRIDE) {
            self.offsets.push(self.blob_len);
        }
        scratch.clear();
        codec::encode_parts(id, tenant, updated, name, address, scratch);
        self.blob_len += scratch.len() as u64;
        let werr = |e: std::io::Error| VerifyError::Io(format!("index build: customer table: {e}"));
        match &mut self.blob {
            Blob::Mem(v) => {
                v.extend_from_slice(scratch);
                if v.len() > a.run_bytes {
                    let (path, mut w) = spill.create()?;
                    w.write_all(v).map_err(werr)?;
                    self.blob = Blob::File(w, path);
                    self.blob_spilled = true;
                }
            }
            Blob::File(w, _) => w.write_all(scratch).map_err(werr)?,
        }
        self.customers += 1;
        if let Some(u) = updated {
            self.max_updated = Some(self.max_updated.map_or(u, |m| m.max(u)));
        }
        Ok(ord)
    }
}

/// Reusable buffers for folding one customer's rows.
#[derive(Default)]
struct Fold {
    name: Vec<u16>,
    address: Vec<u16>,
    ids: Vec<(u8, [u8; 16])>,
}

fn bad_run() -> VerifyError {
    VerifyError::Io("index build: a run file is corrupt".into())
}

/// Folds the rows of one customer (in row order) into `f` and returns id, tenant and update day:
/// the last tenant given wins, the latest update day, token and identifier sets united.
fn fold<'g>(
    group: &'g Group,
    f: &mut Fold,
) -> Result<(&'g str, Option<u32>, Option<i32>), VerifyError> {
    f.name.clear();
    f.address.clear();
    f.ids.clear();
    let (mut id, mut tenant, mut updated, mut rows) = ("", None, None::<i32>, 0);
    for rec in group.records() {
        let v = view(rec).ok_or_else(bad_run)?;
        id = v.id;
        tenant = v.tenant.or(tenant);
        updated = match (updated, v.updated) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        for (dst, src) in [(&mut f.name, v.name), (&mut f.address, v.address)] {
            dst.extend(
                src.chunks_exact(2)
                    .map(|c| u16::from_le_bytes([c[0], c[1]])),
            );
        }
        f.ids.extend(
            v.ids
                .chunks_exact(17)
                .map(|c| (c[0], c[1..].try_into().expect("16 bytes"))),
        );
        rows += 1;
    }
    if rows > 1 {
        // One row's tokens are already sorted and unique (see `keys::row_keys`).
        for t in [&mut f.name, &mut f.address] {
            t.sort_unstable();
            t.dedup();
        }
    }
    // Stable by hash: the first kind given for a hash is kept.
    f.ids.sort_by_key(|a| a.1);
    f.ids.dedup_by(|a, b| a.1 == b.1);
    Ok((id, tenant, updated))
}

struct OldCursor<'a> {
    idx: &'a Index,
    cur: &'a [u8],
    ord: u32,
    prev: Option<(u64, String)>,
}

impl OldCursor<'_> {
    /// Next existing customer with its sort key; checks the index is in customer order.
    fn next(&mut self, h: &Hashing) -> Result<Option<(u64, u32, Customer)>, VerifyError> {
        if u64::from(self.ord) >= self.idx.header().customers {
            return Ok(None);
        }
        let c = codec::decode_customer(&mut self.cur).ok_or_else(|| corrupt("customer record"))?;
        let key = h.customer_key(&c.id);
        if let Some((pk, pid)) = &self.prev {
            if (*pk, pid.as_str()) >= (key, c.id.as_str()) {
                return Err(corrupt("customer order"));
            }
        }
        self.prev = Some((key, c.id.clone()));
        self.ord += 1;
        Ok(Some((key, self.ord - 1, c)))
    }
}

/// Merges row groups (and the existing index, if any) into the customer table.
pub fn merge_customers(
    a: &Assembly,
    mut groups: Groups,
    spill: &mut Spill,
) -> Result<Parts, VerifyError> {
    let mut p = Parts {
        blob: Blob::Mem(Vec::new()),
        blob_len: 0,
        offsets: Vec::new(),
        customers: 0,
        added: 0,
        replaced: 0,
        by_kind: BTreeMap::new(),
        max_updated: None,
        entries: EntrySorter::new(a.run_bytes),
        remap: Vec::new(),
        old_kept: 0,
        fine: vec![0u64; 1 << MAX_BUCKET_BITS],
        blob_spilled: false,
    };
    let mut old = a.existing.map(|idx| {
        p.remap = vec![GONE; idx.header().customers as usize];
        OldCursor {
            idx,
            cur: idx.customer_bytes(),
            ord: 0,
            prev: None,
        }
    });
    let mut kind_counts = [0u64; 256];
    let mut old_head = match &mut old {
        Some(o) => o.next(a.hashing)?,
        None => None,
    };
    let (mut group, mut scratch, mut f) = (Group::default(), Vec::new(), Fold::default());
    loop {
        let order = match (&old_head, groups.peek()) {
            (None, None) => break,
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some((ok, _, oc)), Some((nk, nid))) => (*ok, oc.id.as_bytes()).cmp(&(nk, nid)),
        };
        if order.is_le() {
            let (_, old_ord, oc) = old_head.take().expect("old head present");
            if order.is_lt() {
                // Untouched existing customer: kept with its entries.
                let ord = p.push_parts(
                    &oc.id,
                    oc.tenant,
                    oc.updated,
                    &oc.name,
                    &oc.address,
                    &mut scratch,
                    a,
                    spill,
                )?;
                p.remap[old_ord as usize] = ord;
            } else {
                p.replaced += 1;
            }
            old_head = old.as_mut().expect("cursor").next(a.hashing)?;
            if order.is_lt() {
                continue;
            }
        } else {
            p.added += 1;
        }
        groups.next_group(&mut group)?;
        let (id, tenant, updated) = fold(&group, &mut f)?;
        let ord = p.push_parts(
            id,
            tenant,
            updated,
            &f.name,
            &f.address,
            &mut scratch,
            a,
            spill,
        )?;
        for (tag, h) in &f.ids {
            kind_counts[usize::from(*tag)] += 1;
            p.fine[bucket_of(h, MAX_BUCKET_BITS)] += 1;
            p.entries.push((*h, ord), spill)?;
        }
    }
    for (tag, n) in kind_counts.iter().enumerate() {
        if *n > 0 {
            let kind = IdKind::from_tag(tag as u8).map_or("other", IdKind::id);
            *p.by_kind.entry(kind.to_string()).or_default() += n;
        }
    }
    if let Some(idx) = a.existing {
        for i in 0..idx.header().entries as usize {
            let (h, o) = idx.entry(i);
            match p.remap.get(o as usize) {
                None => return Err(corrupt("entry ordinal")),
                Some(&GONE) => {}
                Some(_) => {
                    p.fine[bucket_of(&h, MAX_BUCKET_BITS)] += 1;
                    p.old_kept += 1;
                }
            }
        }
    }
    Ok(p)
}

/// Writes the index: header, tenants, customers, offsets, buckets, then the entries straight
/// out of the k-way merge.
pub fn write_index(
    a: &Assembly,
    header: &mut IndexHeader,
    tenants: &[String],
    p: Parts,
    out: &mut dyn Write,
) -> Result<(), VerifyError> {
    let n = p.entry_count();
    let bits = if n < 64 {
        0
    } else {
        (63 - (n / 4).leading_zeros()).min(MAX_BUCKET_BITS)
    };
    let per = 1usize << (MAX_BUCKET_BITS - bits);
    let mut buckets = Vec::with_capacity((1usize << bits) + 1);
    buckets.push(0u64);
    for chunk in p.fine.chunks(per) {
        let last = *buckets.last().expect("non-empty");
        buckets.push(last + chunk.iter().sum::<u64>());
    }
    let tenant_bytes = codec::encode_tenants(tenants);
    let mut sections = Sections::default();
    let mut pos = 0u64;
    let mut place = |len: u64| {
        let s = Section { offset: pos, len };
        pos += len.div_ceil(8) * 8;
        s
    };
    sections.tenants = place(tenant_bytes.len() as u64);
    sections.customers = place(p.blob_len);
    sections.offsets = place(p.offsets.len() as u64 * 8);
    sections.buckets = place(buckets.len() as u64 * 8);
    sections.entries = place(n * ENTRY_BYTES as u64);
    header.secret_fingerprint = a.hashing.fingerprint();
    header.built_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    header.entries = n;
    header.customers = p.customers;
    header.tenants = tenants.len() as u64;
    header.by_kind = p.by_kind.clone();
    header.max_updated = p.max_updated.map(dates::format_day);
    header.bucket_bits = bits;
    header.sections = sections;
    let json =
        serde_json::to_vec(header).map_err(|e| VerifyError::Io(format!("index header: {e}")))?;
    let io = |e: std::io::Error| VerifyError::Io(format!("cannot write index: {e}"));
    let put = |out: &mut dyn Write, b: &[u8]| out.write_all(b).map_err(io);
    let align = |len: u64| vec![0u8; (len.div_ceil(8) * 8 - len) as usize];
    put(out, MAGIC)?;
    put(out, &(json.len() as u32).to_le_bytes())?;
    put(out, &json)?;
    // Sections are 8-aligned relative to the padded header end; their lengths are padded too.
    put(out, &align(12 + json.len() as u64))?;
    put(out, &tenant_bytes)?;
    put(out, &align(tenant_bytes.len() as u64))?;
    match p.blob {
        Blob::Mem(v) => put(out, &v)?,
        Blob::File(w, path) => {
            drop(w.into_inner().map_err(|e| io(e.into_error()))?);
            let mut r = Spill::reopen(&path)?;
            let copied = std::io::copy(&mut r, out).map_err(io)?;
            if copied != p.blob_len {
                return Err(VerifyError::Io(
                    "index build: customer table temporary file is short".into(),
                ));
            }
        }
    }
    put(out, &align(p.blob_len))?;
    let offsets: Vec<u8> = p.offsets.iter().flat_map(|o| o.to_le_bytes()).collect();
    put(out, &offsets)?;
    let bucket_bytes: Vec<u8> = buckets.iter().flat_map(|o| o.to_le_bytes()).collect();
    put(out, &bucket_bytes)?;
    let remap = p.remap;
    let extra: Option<Box<dyn Iterator<Item = ([u8; 16], u32)> + '_>> = a.existing.map(|idx| {
        let remap = &remap;
        Box::new((0..idx.header().entries as usize).filter_map(move |i| {
            let (h, o) = idx.entry(i);
            match remap.get(o as usize) {
                Some(&r) if r != GONE => Some((h, r)),
                _ => None,
            }
        })) as Box<dyn Iterator<Item = ([u8; 16], u32)>>
    });
    let mut count = 0u64;
    let mut rec = [0u8; ENTRY_BYTES];
    p.entries.merge(extra, &mut |h, o| {
        count += 1;
        rec[..16].copy_from_slice(&h);
        rec[16..].copy_from_slice(&o.to_le_bytes());
        out.write_all(&rec).map_err(io)
    })?;
    if count != n {
        return Err(VerifyError::Io(format!(
            "index build: {count} entries merged, {n} expected"
        )));
    }
    Ok(())
}
