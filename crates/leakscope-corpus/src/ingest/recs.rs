//! The fixed-width records an ingest sorts externally, each with its byte encoding (sortable:
//! big-endian, so byte order is record order) and how equal records fold together.

use leakscope_extsort::Record;

/// A keyed identifier hash (as two big-endian halves, compared fast) and its kind slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct IdRec {
    hi: u64,
    lo: u64,
    /// Index into the ingest's kind list.
    pub kind: u8,
}

fn halves(id: [u8; 16]) -> (u64, u64) {
    (
        u64::from_be_bytes(id[..8].try_into().expect("8 bytes")),
        u64::from_be_bytes(id[8..].try_into().expect("8 bytes")),
    )
}

fn join(hi: u64, lo: u64) -> [u8; 16] {
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&hi.to_be_bytes());
    b[8..].copy_from_slice(&lo.to_be_bytes());
    b
}

impl IdRec {
    pub fn new(id: [u8; 16], kind: u8) -> IdRec {
        let (hi, lo) = halves(id);
        IdRec { hi, lo, kind }
    }

    /// The 16-byte hash.
    pub fn bytes(&self) -> [u8; 16] {
        join(self.hi, self.lo)
    }
}

impl Record for IdRec {
    const WIDTH: usize = 17;
    fn encode(&self, out: &mut [u8]) {
        out[..16].copy_from_slice(&self.bytes());
        out[16] = self.kind;
    }
    fn decode(b: &[u8]) -> Self {
        IdRec::new(b[..16].try_into().expect("16 bytes"), b[16])
    }
    /// The kind is part of the keyed hash's input, so equal hashes are one identifier.
    fn fold(&mut self, next: &Self) -> bool {
        (self.hi, self.lo) == (next.hi, next.lo)
    }
}

/// An e-mail's keyed hash and its keyed domain hash (sorted by id, to find the id's position).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct DomRec {
    hi: u64,
    lo: u64,
    pub dk: u64,
}

impl DomRec {
    pub fn new(id: [u8; 16], dk: [u8; 8]) -> DomRec {
        let (hi, lo) = halves(id);
        DomRec {
            hi,
            lo,
            dk: u64::from_be_bytes(dk),
        }
    }

    pub fn id_bytes(&self) -> [u8; 16] {
        join(self.hi, self.lo)
    }
}

impl Record for DomRec {
    const WIDTH: usize = 24;
    fn encode(&self, out: &mut [u8]) {
        out[..16].copy_from_slice(&self.id_bytes());
        out[16..].copy_from_slice(&self.dk.to_be_bytes());
    }
    fn decode(b: &[u8]) -> Self {
        DomRec::new(
            b[..16].try_into().expect("16 bytes"),
            b[16..].try_into().expect("8 bytes"),
        )
    }
}

/// A domain-index entry: keyed domain hash and the e-mail id's position in the id set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct DomIdx {
    pub dk: u64,
    pub idx: u32,
}

impl DomIdx {
    pub fn bytes(&self) -> [u8; 12] {
        let mut b = [0u8; 12];
        b[..8].copy_from_slice(&self.dk.to_be_bytes());
        b[8..].copy_from_slice(&self.idx.to_be_bytes());
        b
    }
}

impl Record for DomIdx {
    const WIDTH: usize = 12;
    fn encode(&self, out: &mut [u8]) {
        out.copy_from_slice(&self.bytes());
    }
    fn decode(b: &[u8]) -> Self {
        DomIdx {
            dk: u64::from_be_bytes(b[..8].try_into().expect("8 bytes")),
            idx: u32::from_be_bytes(b[8..].try_into().expect("4 bytes")),
        }
    }
}

/// An e-mail's unkeyed SHA-1 (the opt-in range index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Sha1Rec(pub [u8; 20]);

impl Record for Sha1Rec {
    const WIDTH: usize = 20;
    fn encode(&self, out: &mut [u8]) {
        out.copy_from_slice(&self.0);
    }
    fn decode(b: &[u8]) -> Self {
        Sha1Rec(b.try_into().expect("20 bytes"))
    }
}

/// A password's SHA-1 and NTLM hashes with how often it occurs; equal SHA-1s add up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct PwRec {
    sha1: [u8; 20],
    ntlm: [u8; 16],
    n: u32,
}

impl PwRec {
    pub fn new(sha1: [u8; 20], ntlm: [u8; 16]) -> PwRec {
        PwRec { sha1, ntlm, n: 1 }
    }

    /// `(SHA-1, count)` as stored.
    pub fn sha1_bytes(&self) -> [u8; 24] {
        let mut b = [0u8; 24];
        b[..20].copy_from_slice(&self.sha1);
        b[20..].copy_from_slice(&self.n.to_be_bytes());
        b
    }

    /// The same count keyed by NTLM.
    pub fn by_ntlm(&self) -> NtlmRec {
        NtlmRec {
            ntlm: self.ntlm,
            n: self.n,
        }
    }
}

impl Record for PwRec {
    const WIDTH: usize = 40;
    fn encode(&self, out: &mut [u8]) {
        out[..20].copy_from_slice(&self.sha1);
        out[20..36].copy_from_slice(&self.ntlm);
        out[36..].copy_from_slice(&self.n.to_be_bytes());
    }
    fn decode(b: &[u8]) -> Self {
        PwRec {
            sha1: b[..20].try_into().expect("20 bytes"),
            ntlm: b[20..36].try_into().expect("16 bytes"),
            n: u32::from_be_bytes(b[36..].try_into().expect("4 bytes")),
        }
    }
    fn fold(&mut self, next: &Self) -> bool {
        if self.sha1 != next.sha1 {
            return false;
        }
        self.n = self.n.saturating_add(next.n);
        true
    }
}

/// A password's NTLM hash and count; equal hashes add up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct NtlmRec {
    ntlm: [u8; 16],
    n: u32,
}

impl NtlmRec {
    /// `(NTLM, count)` as stored.
    pub fn bytes(&self) -> [u8; 20] {
        let mut b = [0u8; 20];
        b[..16].copy_from_slice(&self.ntlm);
        b[16..].copy_from_slice(&self.n.to_be_bytes());
        b
    }
}

impl Record for NtlmRec {
    const WIDTH: usize = 20;
    fn encode(&self, out: &mut [u8]) {
        out.copy_from_slice(&self.bytes());
    }
    fn decode(b: &[u8]) -> Self {
        NtlmRec {
            ntlm: b[..16].try_into().expect("16 bytes"),
            n: u32::from_be_bytes(b[16..].try_into().expect("4 bytes")),
        }
    }
    fn fold(&mut self, next: &Self) -> bool {
        if self.ntlm != next.ntlm {
            return false;
        }
        self.n = self.n.saturating_add(next.n);
        true
    }
}
