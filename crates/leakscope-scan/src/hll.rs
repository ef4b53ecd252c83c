//! A small HyperLogLog distinct-count sketch over pre-hashed 64-bit values.
//!
//! Starts sparse (an exact sorted list of hashes, so small columns are counted exactly) and turns
//! dense (`2^p` one-byte registers) past a threshold. Relative standard error when dense is
//! `1.04 / sqrt(2^p)`. Mergeable, so each worker keeps its own and they are combined at the end.

/// Hashes bytes to 64 bits quickly (not keyed; use only for counting, never to protect values).
pub fn fast_hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h: u64 = 0x2545_F491_4F6C_DD1D ^ (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h ^ w).wrapping_mul(K).rotate_left(29);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        h = (h ^ tail_word(rest)).wrapping_mul(K).rotate_left(29);
    }
    mix64(h)
}

/// The 1–7 bytes of `rest` as a little-endian word padded with zeros, read in at most two
/// loads (copying them to a buffer first cost a `memcpy` call and a stalled reload per cell).
#[inline(always)]
fn tail_word(rest: &[u8]) -> u64 {
    let n = rest.len();
    if n >= 4 {
        // Two overlapping 4-byte reads: the shared bytes land on the same bits.
        let lo = u32::from_le_bytes([rest[0], rest[1], rest[2], rest[3]]) as u64;
        let hi = u32::from_le_bytes([rest[n - 4], rest[n - 3], rest[n - 2], rest[n - 1]]) as u64;
        lo | hi << (8 * (n - 4))
    } else {
        rest[0] as u64
            | (rest[n / 2] as u64) << (8 * (n / 2))
            | (rest[n - 1] as u64) << (8 * (n - 1))
    }
}

/// [`fast_hash`] under a secret `seed`: the same bytes give unrelated values under different
/// seeds, so a crafted input cannot aim for collisions without knowing the run's seed.
pub fn seeded_hash(seed: u64, bytes: &[u8]) -> u64 {
    mix64(fast_hash(bytes) ^ seed).wrapping_add(seed.rotate_left(23))
        ^ mix64(seed ^ bytes.len() as u64)
}

/// A `BuildHasher` for in-memory maps keyed by cell text (tenant names): [`fast_hash`] instead of
/// SipHash, which dominated per-row counting.
#[derive(Debug, Clone, Copy, Default)]
pub struct FastBuild;

/// The hasher of [`FastBuild`].
#[derive(Debug, Clone, Copy, Default)]
pub struct FastHasher(u64);

impl std::hash::BuildHasher for FastBuild {
    type Hasher = FastHasher;
    fn build_hasher(&self) -> FastHasher {
        FastHasher(0)
    }
}

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = mix64(self.0 ^ fast_hash(bytes));
    }
    fn write_u8(&mut self, i: u8) {
        self.0 = self.0.rotate_left(8) ^ u64::from(i);
    }
    fn write_u32(&mut self, i: u32) {
        self.0 = mix64(self.0 ^ u64::from(i));
    }
    fn write_i32(&mut self, i: i32) {
        self.write_u32(i as u32);
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = mix64(self.0 ^ i);
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A `BuildHasher` for maps keyed by values that are already good 64-bit hashes: the key is the
/// hash.
#[derive(Debug, Clone, Copy, Default)]
pub struct IdBuild;

/// The hasher of [`IdBuild`].
#[derive(Debug, Clone, Copy, Default)]
pub struct IdHasher(u64);

impl std::hash::BuildHasher for IdBuild {
    type Hasher = IdHasher;
    fn build_hasher(&self) -> IdHasher {
        IdHasher(0)
    }
}

impl std::hash::Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = mix64(self.0 ^ fast_hash(bytes));
    }
    fn write_u64(&mut self, i: u64) {
        self.0 ^= i;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// The 64-bit finaliser of MurmurHash3: spreads every input bit over every output bit.
pub fn mix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    h
}

/// Sparse entries kept before switching to registers.
const SPARSE_MAX: usize = 256;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
enum Repr {
    Sparse(Vec<u64>),
    Dense(Box<[u8]>),
}

/// A HyperLogLog sketch with `2^p` registers.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Hll {
    p: u8,
    repr: Repr,
}

impl Hll {
    /// A new empty sketch with `2^p` registers (`p` in 4..=18).
    pub fn new(p: u8) -> Self {
        assert!((4..=18).contains(&p), "HLL precision out of range");
        Hll {
            p,
            repr: Repr::Sparse(Vec::new()),
        }
    }

    /// True when the sketch is internally consistent (precision in range, `2^p` registers when
    /// dense): what a sketch read back from elsewhere must be before it is merged.
    pub(crate) fn is_well_formed(&self) -> bool {
        (4..=18).contains(&self.p)
            && match &self.repr {
                Repr::Sparse(v) => v.len() <= SPARSE_MAX,
                Repr::Dense(r) => r.len() == 1 << self.p,
            }
    }

    /// Precision of the sketch.
    pub(crate) fn precision(&self) -> u8 {
        self.p
    }

    /// Relative standard error of a dense sketch of precision `p`.
    pub fn relative_error(p: u8) -> f64 {
        1.04 / ((1u64 << p) as f64).sqrt()
    }

    /// True while the sketch still counts exactly (few distinct values seen).
    pub fn is_exact(&self) -> bool {
        matches!(self.repr, Repr::Sparse(_))
    }

    /// Adds a hashed value.
    #[inline]
    pub fn insert(&mut self, hash: u64) {
        let p = self.p;
        match &mut self.repr {
            Repr::Dense(regs) => {
                let idx = (hash >> (64 - p)) as usize;
                let rank = ((hash << p) | (1u64 << (p - 1))).leading_zeros() as u8 + 1;
                if let Some(r) = regs.get_mut(idx) {
                    if *r < rank {
                        *r = rank;
                    }
                }
            }
            Repr::Sparse(_) => self.insert_sparse(hash),
        }
    }

    #[inline(never)]
    fn insert_sparse(&mut self, hash: u64) {
        if let Repr::Sparse(v) = &mut self.repr {
            if let Err(pos) = v.binary_search(&hash) {
                if v.len() >= SPARSE_MAX {
                    self.densify();
                    self.insert_dense(hash);
                } else {
                    v.insert(pos, hash);
                }
            }
        }
    }

    fn insert_dense(&mut self, hash: u64) {
        let p = self.p;
        if let Repr::Dense(regs) = &mut self.repr {
            let idx = (hash >> (64 - p)) as usize;
            let rest = (hash << p) | (1u64 << (p - 1));
            let rank = rest.leading_zeros() as u8 + 1;
            if regs[idx] < rank {
                regs[idx] = rank;
            }
        }
    }

    fn densify(&mut self) {
        if let Repr::Sparse(v) = &mut self.repr {
            let old = std::mem::take(v);
            self.repr = Repr::Dense(vec![0u8; 1 << self.p].into_boxed_slice());
            for h in old {
                self.insert_dense(h);
            }
        }
    }

    /// Adds everything `other` has seen (both must have the same precision).
    pub fn merge(&mut self, other: &Hll) {
        assert_eq!(self.p, other.p, "merging sketches of different precision");
        match &other.repr {
            Repr::Sparse(v) => {
                for &h in v {
                    self.insert(h);
                }
            }
            Repr::Dense(o) => {
                self.densify();
                if let Repr::Dense(regs) = &mut self.repr {
                    for (r, &x) in regs.iter_mut().zip(o.iter()) {
                        if *r < x {
                            *r = x;
                        }
                    }
                }
            }
        }
    }

    /// Estimated number of distinct values.
    pub fn estimate(&self) -> u64 {
        match &self.repr {
            Repr::Sparse(v) => v.len() as u64,
            Repr::Dense(regs) => {
                let m = regs.len() as f64;
                let alpha = 0.7213 / (1.0 + 1.079 / m);
                let mut sum = 0.0f64;
                let mut zeros = 0u32;
                for &r in regs.iter() {
                    sum += 1.0 / (1u64 << r) as f64;
                    if r == 0 {
                        zeros += 1;
                    }
                }
                let raw = alpha * m * m / sum;
                let est = if raw <= 2.5 * m && zeros > 0 {
                    // Linear counting is far more accurate in the small range.
                    m * (m / zeros as f64).ln()
                } else {
                    raw
                };
                est.round() as u64
            }
        }
    }

    /// Bytes of memory the sketch holds (approximate).
    pub fn memory_bytes(&self) -> usize {
        match &self.repr {
            Repr::Sparse(v) => v.capacity() * 8,
            Repr::Dense(r) => r.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(n: u64, p: u8, salt: u64) -> u64 {
        let mut h = Hll::new(p);
        for i in 0..n {
            // Each value inserted twice: duplicates must not count.
            let v = fast_hash(format!("user{}-{salt}@example.com", i).as_bytes());
            h.insert(v);
            h.insert(v);
        }
        h.estimate()
    }

    #[test]
    fn small_sets_are_exact() {
        assert_eq!(count(0, 12, 1), 0);
        assert_eq!(count(1, 12, 1), 1);
        assert_eq!(count(200, 12, 1), 200);
    }

    #[test]
    fn large_sets_are_within_three_standard_errors() {
        for (n, p) in [(1_000u64, 12u8), (20_000, 12), (200_000, 14), (3_000, 10)] {
            let e = count(n, p, n) as f64;
            let err = (e - n as f64).abs() / n as f64;
            assert!(
                err < 3.0 * Hll::relative_error(p),
                "n={n} p={p} est={e} err={err}"
            );
        }
    }

    #[test]
    fn merge_equals_union() {
        let mut a = Hll::new(12);
        let mut b = Hll::new(12);
        let mut all = Hll::new(12);
        for i in 0..30_000u64 {
            let h = mix64(i);
            if i % 3 == 0 {
                a.insert(h);
            } else {
                b.insert(h);
            }
            if i % 5 == 0 {
                a.insert(h); // overlap
            }
            all.insert(h);
        }
        let mut small = Hll::new(12);
        small.insert(mix64(1));
        small.insert(mix64(999_999));
        a.merge(&b);
        a.merge(&small);
        all.insert(mix64(999_999));
        assert_eq!(a.estimate(), all.estimate());
        let err = (a.estimate() as f64 - 30_001.0).abs() / 30_001.0;
        assert!(err < 0.05, "{err}");
    }

    #[test]
    fn tails_read_like_a_padded_buffer() {
        let bytes = b"\x01\x82\x03\xf4\x05\x06\xf7";
        for n in 1..8 {
            let mut buf = [0u8; 8];
            buf[..n].copy_from_slice(&bytes[..n]);
            assert_eq!(tail_word(&bytes[..n]), u64::from_le_bytes(buf), "{n} bytes");
        }
    }

    #[test]
    fn fast_hash_distinguishes_lengths_and_tails() {
        assert_ne!(fast_hash(b""), fast_hash(b"\0"));
        assert_ne!(fast_hash(b"abcdefgh1"), fast_hash(b"abcdefgh2"));
        assert_ne!(fast_hash(b"abc"), fast_hash(b"abc\0"));
    }
}
