//! Deterministic generated identifiers for corpus tests.

#![allow(dead_code)]

use leakscope_corpus::Item;
use leakscope_keys::IdKind;

/// A tiny deterministic PRNG (SplitMix64).
pub struct Rng(pub u64);

impl Rng {
    /// Next value.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

const DOMAINS: [&str; 5] = [
    "gmail.com",
    "yahoo.com.vn",
    "shop.vn",
    "qq.com",
    "singnet.com.sg",
];

/// `n` people of a leak: email, VN/SG phone, sometimes a password; `seed` picks who.
pub fn people(seed: u64, n: usize) -> Vec<Item> {
    let mut r = Rng(seed);
    let mut out = Vec::new();
    for _ in 0..n {
        let who = r.next();
        out.push(Item::Id(
            IdKind::Email,
            format!(
                "user{}@{}",
                who % 10_000_000_000,
                DOMAINS[(who % 5) as usize]
            ),
        ));
        let cc = if who.is_multiple_of(2) { "84" } else { "65" };
        out.push(Item::Id(
            IdKind::Phone,
            format!("+{cc}9{:08}", who % 100_000_000),
        ));
        if who.is_multiple_of(3) {
            out.push(Item::Password(format!("pw{}", who % 5000)));
        }
    }
    out
}
