//! Bounded-memory sorting for the index builder.
//!
//! Reference rows become compact binary *row records* (customer key, the organisation's customer
//! id, tenant index, update day, identifier hashes, token hashes: no raw identifier). They are
//! collected in an arena of at most `run_bytes`; a full arena is sorted by customer and written to
//! a temporary *run* file. [`RowRuns::into_groups`] k-way merges the runs (plus the in-memory tail)
//! and yields all records of one customer together, in customer order.
//!
//! Identifier entries are sorted the same way by [`super::entries::EntrySorter`].

use crate::error::VerifyError;
use leakscope_extsort::SpillDir;
use rayon::prelude::*;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

/// One reference row as the builder keeps it (decoded form, for tests).
#[cfg(test)]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowRec {
    /// Keyed 64-bit hash of the customer id (sort key; ties broken by the id itself).
    pub key: u64,
    /// The organisation's customer id.
    pub id: String,
    /// Tenant index.
    pub tenant: Option<u32>,
    /// Last-update day.
    pub updated: Option<i32>,
    /// Identifier kind tag and keyed hash.
    pub ids: Vec<(u8, [u8; 16])>,
    /// Name token hashes.
    pub name: Vec<u16>,
    /// Address token hashes.
    pub address: Vec<u16>,
}

const NONE_TENANT: u32 = u32::MAX;
const NONE_DAY: i32 = i32::MIN;

pub(super) fn io_err(what: &str) -> impl Fn(std::io::Error) -> VerifyError + '_ {
    move |e| VerifyError::Io(format!("index build: {what}: {e}"))
}

/// Appends the encoding of `r` (without a length prefix).
#[cfg(test)]
pub fn encode_row(r: &RowRec, out: &mut Vec<u8>) {
    encode_parts(
        r.key,
        &r.id,
        r.tenant,
        r.updated,
        r.ids.iter().map(|(k, h)| (*k, h)),
        &r.name,
        &r.address,
        out,
    );
}

/// Appends the encoding of one row record given by parts; returns the offset of the tenant field
/// within the record (patched later by [`RowRuns::append`]).
#[allow(clippy::too_many_arguments)]
pub fn encode_parts<'a>(
    key: u64,
    id: &str,
    tenant: Option<u32>,
    updated: Option<i32>,
    ids: impl ExactSizeIterator<Item = (u8, &'a [u8; 16])>,
    name: &[u16],
    address: &[u16],
    out: &mut Vec<u8>,
) -> usize {
    out.extend_from_slice(&key.to_le_bytes());
    out.extend_from_slice(&(id.len() as u32).to_le_bytes());
    out.extend_from_slice(id.as_bytes());
    let tenant_at = 12 + id.len();
    out.extend_from_slice(&tenant.unwrap_or(NONE_TENANT).to_le_bytes());
    out.extend_from_slice(&updated.unwrap_or(NONE_DAY).to_le_bytes());
    let nids = ids.len().min(255);
    out.push(nids as u8);
    for (k, h) in ids.take(nids) {
        out.push(k);
        out.extend_from_slice(h);
    }
    for toks in [name, address] {
        let n = toks.len().min(u16::MAX as usize);
        out.extend_from_slice(&(n as u16).to_le_bytes());
        toks[..n]
            .iter()
            .for_each(|t| out.extend_from_slice(&t.to_le_bytes()));
    }
    tenant_at
}

/// A borrowed view of an encoded record.
pub struct RecView<'a> {
    /// Customer id.
    pub id: &'a str,
    /// Tenant index.
    pub tenant: Option<u32>,
    /// Update day.
    pub updated: Option<i32>,
    /// `count × (tag, 16-byte hash)`.
    pub ids: &'a [u8],
    /// Little-endian u16 name token hashes.
    pub name: &'a [u8],
    /// Little-endian u16 address token hashes.
    pub address: &'a [u8],
}

/// Parses an encoded record without copying (`None` if malformed).
pub fn view(rec: &[u8]) -> Option<RecView<'_>> {
    let mut cur = rec;
    let mut take = |n: usize| -> Option<&[u8]> {
        let (a, b) = (cur.get(..n)?, cur.get(n..)?);
        cur = b;
        Some(a)
    };
    take(8)?;
    let n = u32::from_le_bytes(take(4)?.try_into().ok()?) as usize;
    let id = std::str::from_utf8(take(n)?).ok()?;
    let tenant = u32::from_le_bytes(take(4)?.try_into().ok()?);
    let updated = i32::from_le_bytes(take(4)?.try_into().ok()?);
    let nids = take(1)?[0] as usize;
    let ids = take(nids * 17)?;
    let nn = u16::from_le_bytes(take(2)?.try_into().ok()?) as usize;
    let name = take(nn * 2)?;
    let na = u16::from_le_bytes(take(2)?.try_into().ok()?) as usize;
    let address = take(na * 2)?;
    Some(RecView {
        id,
        tenant: (tenant != NONE_TENANT).then_some(tenant),
        updated: (updated != NONE_DAY).then_some(updated),
        ids,
        name,
        address,
    })
}

/// Key and id of an encoded record (for ordering without decoding).
fn key_id(rec: &[u8]) -> (u64, &[u8]) {
    let key = u64::from_le_bytes(rec[..8].try_into().expect("8 bytes"));
    let n = u32::from_le_bytes(rec[8..12].try_into().expect("4 bytes")) as usize;
    (key, &rec[12..12 + n])
}

/// Orders encoded records by customer.
pub fn cmp_rec(a: &[u8], b: &[u8]) -> Ordering {
    key_id(a).cmp(&key_id(b))
}

/// Decodes a record produced by [`encode_row`] (`None` if it is malformed).
#[cfg(test)]
pub fn decode_row(rec: &[u8]) -> Option<RowRec> {
    let mut cur = rec;
    let mut take = |n: usize| -> Option<&[u8]> {
        let (a, b) = (cur.get(..n)?, cur.get(n..)?);
        cur = b;
        Some(a)
    };
    let key = u64::from_le_bytes(take(8)?.try_into().ok()?);
    let n = u32::from_le_bytes(take(4)?.try_into().ok()?) as usize;
    let id = std::str::from_utf8(take(n)?).ok()?.to_string();
    let tenant = u32::from_le_bytes(take(4)?.try_into().ok()?);
    let updated = i32::from_le_bytes(take(4)?.try_into().ok()?);
    let nids = take(1)?[0] as usize;
    let mut ids = Vec::with_capacity(nids);
    for _ in 0..nids {
        let e = take(17)?;
        ids.push((e[0], e[1..].try_into().ok()?));
    }
    let mut toks = [Vec::new(), Vec::new()];
    for t in &mut toks {
        let n = u16::from_le_bytes(take(2)?.try_into().ok()?) as usize;
        *t = take(n * 2)?
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
    }
    let [name, address] = toks;
    Some(RowRec {
        key,
        id,
        tenant: (tenant != NONE_TENANT).then_some(tenant),
        updated: (updated != NONE_DAY).then_some(updated),
        ids,
        name,
        address,
    })
}

/// Spill files of a build: the shared [`leakscope_extsort::SpillDir`] (a private temporary
/// directory created on first use, removed when dropped), with this crate's errors.
pub struct Spill(SpillDir);

impl Spill {
    /// Spill files will live in a fresh hidden directory under `parent`.
    pub fn new(parent: PathBuf) -> Spill {
        Spill(SpillDir::lazy(&parent, ".leakscope-index-build-"))
    }

    /// Where new spill directories are created (only before the first spill).
    pub fn set_parent(&mut self, parent: &Path) {
        self.0.set_parent(parent);
    }

    /// The shared spill directory (for [`leakscope_extsort::Sorter`]s).
    pub fn dir(&mut self) -> &mut SpillDir {
        &mut self.0
    }

    /// A new, empty temporary file (read back with [`Spill::reopen`]).
    pub fn create(&mut self) -> Result<(PathBuf, BufWriter<File>), VerifyError> {
        self.0
            .create()
            .map_err(|e| VerifyError::Io(format!("index build: {e}")))
    }

    /// Opens a finished spill file for reading.
    pub fn reopen(path: &Path) -> Result<BufReader<File>, VerifyError> {
        SpillDir::reopen(path).map_err(io_err("cannot reopen a temporary file"))
    }
}

/// Encoded records made by one worker: `(key, offset, length)` into `arena`.
#[derive(Debug, Default)]
pub struct Chunk {
    /// Record bytes.
    pub arena: Vec<u8>,
    /// Key, offset and length of each record.
    pub recs: Vec<(u64, u32, u32)>,
}

/// Row records collected so far: sorted runs on disk plus an in-memory arena.
pub struct RowRuns {
    arena: Vec<u8>,
    recs: Vec<(u64, u32, u32)>,
    run_bytes: usize,
    runs: Vec<PathBuf>,
}

impl RowRuns {
    /// Empty, spilling when the arena passes `run_bytes`.
    pub fn new(run_bytes: usize) -> RowRuns {
        RowRuns {
            arena: Vec::new(),
            recs: Vec::new(),
            run_bytes: run_bytes.max(64),
            runs: Vec::new(),
        }
    }

    /// Changes the run size (applies from the next record on).
    pub fn set_run_bytes(&mut self, n: usize) {
        self.run_bytes = n.max(64);
    }

    /// Number of runs written to disk so far.
    pub fn spilled_runs(&self) -> usize {
        self.runs.len()
    }

    /// Adds a record, spilling a sorted run when the arena is full.
    #[cfg(test)]
    pub fn push(&mut self, r: &RowRec, spill: &mut Spill) -> Result<(), VerifyError> {
        let mut c = Chunk::default();
        let at = c.arena.len();
        encode_row(r, &mut c.arena);
        c.recs.push((r.key, at as u32, (c.arena.len() - at) as u32));
        self.append(&c, spill)
    }

    /// Appends a chunk of encoded records (offsets relative to the chunk), spilling a sorted run
    /// when the arena is full.
    pub fn append(&mut self, c: &Chunk, spill: &mut Spill) -> Result<(), VerifyError> {
        let base = self.arena.len();
        if base + c.arena.len() > u32::MAX as usize {
            self.spill(spill)?;
            return self.append(c, spill);
        }
        let base = base as u32;
        self.arena.extend_from_slice(&c.arena);
        self.recs
            .extend(c.recs.iter().map(|(k, off, len)| (*k, off + base, *len)));
        if self.arena.len() + self.recs.len() * 16 >= self.run_bytes {
            self.spill(spill)?;
        }
        Ok(())
    }

    fn sort(&mut self) {
        let arena = &self.arena;
        // Stable: records of one customer keep their row order.
        self.recs.par_sort_by(|a, b| {
            a.0.cmp(&b.0).then_with(|| {
                let ra = &arena[a.1 as usize..(a.1 + a.2) as usize];
                let rb = &arena[b.1 as usize..(b.1 + b.2) as usize];
                cmp_rec(ra, rb)
            })
        });
    }

    fn spill(&mut self, spill: &mut Spill) -> Result<(), VerifyError> {
        self.sort();
        let (path, mut w) = spill.create()?;
        for (_, off, len) in &self.recs {
            w.write_all(&len.to_le_bytes())
                .and_then(|_| w.write_all(&self.arena[*off as usize..(off + len) as usize]))
                .map_err(io_err("cannot write a run"))?;
        }
        w.flush().map_err(io_err("cannot write a run"))?;
        self.runs.push(path);
        self.arena.clear();
        self.recs.clear();
        Ok(())
    }

    /// Merges everything into customer order.
    pub fn into_groups(mut self) -> Result<Groups, VerifyError> {
        self.sort();
        let mut sources = Vec::with_capacity(self.runs.len() + 1);
        // Runs first, in the order written: on equal customers, earlier rows come first.
        for p in &self.runs {
            sources.push(Source::File(Spill::reopen(p)?, p.clone()));
        }
        sources.push(Source::Mem {
            arena: std::mem::take(&mut self.arena),
            recs: std::mem::take(&mut self.recs),
            at: 0,
        });
        let mut g = Groups {
            sources,
            heap: BinaryHeap::new(),
        };
        for i in 0..g.sources.len() {
            g.refill(Vec::new(), i)?;
        }
        Ok(g)
    }
}

enum Source {
    /// A run file; deleted as soon as it has been read to the end (frees disk during merges).
    File(BufReader<File>, PathBuf),
    Mem {
        arena: Vec<u8>,
        recs: Vec<(u64, u32, u32)>,
        at: usize,
    },
}

impl Source {
    /// Reads the next record into `buf`; false at the end.
    fn next_into(&mut self, buf: &mut Vec<u8>) -> Result<bool, VerifyError> {
        buf.clear();
        match self {
            Source::File(r, path) => {
                let mut len = [0u8; 4];
                match r.read_exact(&mut len) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                        let _ = std::fs::remove_file(path);
                        return Ok(false);
                    }
                    Err(e) => return Err(io_err("cannot read a run")(e)),
                }
                buf.resize(u32::from_le_bytes(len) as usize, 0);
                r.read_exact(buf).map_err(io_err("cannot read a run"))?;
                Ok(true)
            }
            Source::Mem { arena, recs, at } => {
                let Some((_, off, len)) = recs.get(*at) else {
                    return Ok(false);
                };
                buf.extend_from_slice(&arena[*off as usize..(off + len) as usize]);
                *at += 1;
                Ok(true)
            }
        }
    }
}

/// Heap entry: the head record of source `src` (ordered by key, id, then source order).
struct Head {
    key: u64,
    rec: Vec<u8>,
    src: usize,
}

impl Head {
    fn id(&self) -> &[u8] {
        key_id(&self.rec).1
    }
}

impl PartialEq for Head {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Head {}
impl PartialOrd for Head {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Head {
    fn cmp(&self, o: &Self) -> Ordering {
        (self.key, self.id(), self.src).cmp(&(o.key, o.id(), o.src))
    }
}

/// The records of one customer, in row order (reused between groups).
#[derive(Default)]
pub struct Group {
    bytes: Vec<u8>,
    spans: Vec<(usize, usize)>,
}

impl Group {
    /// The encoded records.
    pub fn records(&self) -> impl Iterator<Item = &[u8]> {
        self.spans.iter().map(|(a, b)| &self.bytes[*a..*b])
    }
}

/// Row records merged into customer order.
pub struct Groups {
    sources: Vec<Source>,
    heap: BinaryHeap<Reverse<Head>>,
}

impl Groups {
    fn refill(&mut self, mut buf: Vec<u8>, src: usize) -> Result<(), VerifyError> {
        if self.sources[src].next_into(&mut buf)? {
            if buf.len() < 12 || key_id_checked(&buf).is_none() {
                return Err(VerifyError::Io("index build: a run file is corrupt".into()));
            }
            let key = key_id(&buf).0;
            self.heap.push(Reverse(Head { key, rec: buf, src }));
        }
        Ok(())
    }

    /// Key and id of the next customer, if any.
    pub fn peek(&self) -> Option<(u64, &[u8])> {
        self.heap.peek().map(|Reverse(h)| (h.key, h.id()))
    }

    /// Collects all records of the next customer into `out` (in row order); false at the end.
    pub fn next_group(&mut self, out: &mut Group) -> Result<bool, VerifyError> {
        out.bytes.clear();
        out.spans.clear();
        let Some(Reverse(mut cur)) = self.heap.pop() else {
            return Ok(false);
        };
        loop {
            let at = out.bytes.len();
            out.bytes.extend_from_slice(&cur.rec);
            out.spans.push((at, out.bytes.len()));
            let (key, src) = (cur.key, cur.src);
            self.refill(cur.rec, src)?;
            match self.heap.peek() {
                Some(Reverse(h)) if h.key == key && h.id() == key_id(&out.bytes[at..]).1 => {
                    cur = self.heap.pop().expect("peeked").0;
                }
                _ => return Ok(true),
            }
        }
    }
}

fn key_id_checked(rec: &[u8]) -> Option<()> {
    let n = u32::from_le_bytes(rec.get(8..12)?.try_into().ok()?) as usize;
    rec.get(12..12usize.checked_add(n)?).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(key: u64, id: &str, day: i32) -> RowRec {
        RowRec {
            key,
            id: id.into(),
            tenant: (day % 2 == 0).then_some(day as u32),
            updated: Some(day),
            ids: vec![(b'e', [day as u8; 16])],
            name: vec![1, 2],
            address: vec![],
        }
    }

    #[test]
    fn records_round_trip_and_runs_merge_into_customer_order() {
        let r = rec(7, "C-1", 12);
        let mut buf = Vec::new();
        encode_row(&r, &mut buf);
        assert_eq!(decode_row(&buf), Some(r));
        assert_eq!(decode_row(&buf[..buf.len() - 1]), None);

        let dir = tempfile::tempdir().unwrap();
        let mut spill = Spill::new(dir.path().to_path_buf());
        let mut runs = RowRuns::new(200);
        // Keys collide on purpose (3 % 2): the id separates customers.
        let input: Vec<RowRec> = (0..40)
            .map(|i| rec(i % 3 % 2, &format!("c{}", i % 3), i as i32))
            .collect();
        for r in &input {
            runs.push(r, &mut spill).unwrap();
        }
        assert!(runs.spilled_runs() > 3, "tiny runs must spill");
        let mut g = runs.into_groups().unwrap();
        let mut seen = Vec::new();
        let mut grp = Group::default();
        while g.next_group(&mut grp).unwrap() {
            let out: Vec<RowRec> = grp.records().map(|r| decode_row(r).unwrap()).collect();
            let days: Vec<i32> = out.iter().map(|r| r.updated.unwrap()).collect();
            assert!(days.windows(2).all(|w| w[0] < w[1]), "row order kept");
            assert!(out.iter().all(|r| r.id == out[0].id));
            seen.push((out[0].key, out[0].id.clone(), out.len()));
        }
        assert_eq!(
            seen,
            vec![
                (0, "c0".to_string(), 14),
                (0, "c2".to_string(), 13),
                (1, "c1".to_string(), 13)
            ]
        );
    }
}
