//! From a row to what the index stores: keyed hashes of its normalised identifiers and short keyed
//! hashes of its name and address tokens. No raw value survives this step.

use crate::mapping::{ColumnMap, MapOptions, Role};
use crate::normalize;
use leakscope_formats::Row;
use leakscope_keys::{IdKind, Secret};
use siphasher::sip::SipHasher13;
use std::hash::Hasher;

/// The installation secret plus a derived key for the short token hashes.
#[derive(Debug, Clone)]
pub struct Hashing {
    secret: Secret,
    token_keys: (u64, u64),
}

/// Field a token came from (part of the token hash input).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenField {
    /// Person name.
    Name,
    /// Address.
    Address,
}

impl Hashing {
    /// Wraps the installation secret.
    pub fn new(secret: Secret) -> Hashing {
        // NUL cannot occur in a normalised username, so this derivation never equals a real hash.
        let k = secret.hash(IdKind::Username, "\0leakscope-token-key/1");
        let k0 = u64::from_le_bytes(k[..8].try_into().expect("8 bytes"));
        let k1 = u64::from_le_bytes(k[8..16].try_into().expect("8 bytes"));
        Hashing {
            secret,
            token_keys: (k0, k1),
        }
    }

    /// The secret's public fingerprint.
    pub fn fingerprint(&self) -> String {
        self.secret.fingerprint_hex()
    }

    /// 16-byte keyed hash of a normalised identifier (`Secret::hash16`).
    pub fn id(&self, kind: IdKind, normalized: &str) -> [u8; 16] {
        self.secret.hash16(kind, normalized)
    }

    /// 16-bit keyed hash of a normalised token (SipHash-1-3 under a key derived from the secret);
    /// collisions only weaken a consistency check by ~2⁻¹⁶ per token pair, never create a match; short hashes also reveal less.
    pub fn token(&self, field: TokenField, token: &str) -> u16 {
        let mut h = SipHasher13::new_with_keys(self.token_keys.0, self.token_keys.1);
        h.write_u8(field as u8);
        h.write(token.as_bytes());
        h.finish() as u16
    }
}

impl Hashing {
    /// Keyed 64-bit sort key of a customer id: the index stores customers in this order, so
    /// builds can merge by customer without holding an id map (the order reveals nothing).
    pub fn customer_key(&self, id: &str) -> u64 {
        let mut h = SipHasher13::new_with_keys(self.token_keys.0, self.token_keys.1);
        h.write_u8(0xc1);
        h.write(id.as_bytes());
        h.finish()
    }
}

/// What one row contributes: hashed identifiers, hashed tokens, and the organisation's own ids.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowKeys {
    /// Identifier kind and keyed hash, deduplicated.
    pub ids: Vec<(IdKind, [u8; 16])>,
    /// Sorted, deduplicated name token hashes.
    pub name: Vec<u16>,
    /// Sorted, deduplicated address token hashes.
    pub address: Vec<u16>,
    /// Customer id (reference rows).
    pub customer_id: Option<String>,
    /// Tenant id.
    pub tenant: Option<String>,
    /// Raw text of the update-date column (parsed by the caller).
    pub updated: Option<String>,
}

/// Extracts [`RowKeys`] from a row under a column map.
pub fn row_keys(row: &Row<'_>, map: &ColumnMap, opts: &MapOptions, h: &Hashing) -> RowKeys {
    let mut k = RowKeys::default();
    let country = opts.default_country.as_deref();
    for (i, role) in map.roles.iter().enumerate() {
        let Some(v) = row.get(i) else { continue };
        if v.trim().is_empty() {
            continue;
        }
        match role {
            Role::Id(kind) => {
                let n = match kind {
                    IdKind::Email => normalize::email(v),
                    IdKind::Phone => normalize::phone(v, country),
                    IdKind::NationalId => normalize::national_id(v),
                    IdKind::Username => normalize::username(v),
                };
                if let Some(n) = n {
                    let hash = h.id(*kind, &n);
                    if !k.ids.iter().any(|(_, x)| *x == hash) {
                        k.ids.push((*kind, hash));
                    }
                }
            }
            Role::Name => {
                normalize::for_each_token(v, &mut |t| k.name.push(h.token(TokenField::Name, t)))
            }
            Role::Address => normalize::for_each_token(v, &mut |t| {
                if normalize::address_token_kept(t) {
                    k.address.push(h.token(TokenField::Address, t));
                }
            }),
            Role::CustomerId => k.customer_id = Some(v.trim().to_string()),
            Role::Tenant => k.tenant = Some(v.trim().to_string()),
            Role::Updated => k.updated = Some(v.trim().to_string()),
            Role::Ignore => {}
        }
    }
    for v in [&mut k.name, &mut k.address] {
        v.sort_unstable();
        v.dedup();
    }
    k
}

/// Share of the smaller token set found in the larger one (0 when either is empty).
pub fn overlap(a: &[u16], b: &[u16]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let common = small
        .iter()
        .filter(|t| large.binary_search(t).is_ok())
        .count();
    common as f64 / small.len() as f64
}
