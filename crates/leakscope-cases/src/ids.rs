//! Content hashes of files (streamed, bounded memory) and UUIDs: random version 4 for cases,
//! deterministic version-4-shaped ids for exported objects (the same case exports the same ids,
//! so a re-export updates objects instead of duplicating them), and RFC 4122 version 5 for STIX
//! cyber-observables (as STIX 2.1 §2.9 prescribes).

use sha1::Digest as _;
use std::io::Read;
use std::path::Path;

/// SHA-256 of bytes.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    sha2::Sha256::digest(data).into()
}

/// SHA-256 of a file, read in 1 MiB chunks; returns (hex digest, bytes).
pub fn sha256_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut f = std::fs::File::open(path)?;
    let mut h = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf)?;
        if k == 0 {
            break;
        }
        h.update(&buf[..k]);
        n += k as u64;
    }
    Ok((hex::encode(h.finalize()), n))
}

/// Formats 16 bytes as a version-4, RFC 4122-variant UUID (version and variant bits set).
pub fn format_v4(mut b: [u8; 16]) -> String {
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    format_uuid(&b)
}

fn format_uuid(b: &[u8; 16]) -> String {
    let h = hex::encode(b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// A deterministic version-4-shaped UUID for `key` within a case (`case_uuid`).
pub fn derived_uuid(case_uuid: &str, key: &str) -> String {
    let d = sha256(format!("leakscope-case\0{case_uuid}\0{key}").as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    format_v4(b)
}

/// RFC 4122 version-5 UUID (SHA-1) of `name` in `namespace`.
pub fn uuid_v5(namespace: &str, name: &str) -> String {
    let ns: Vec<u8> = hex::decode(namespace.replace('-', "")).unwrap_or_default();
    let mut h = sha1::Sha1::new();
    h.update(&ns);
    h.update(name.as_bytes());
    let d = h.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    format_uuid(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_have_version_and_variant() {
        let u = derived_uuid("c", "k");
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert!(matches!(&u[19..20], "8" | "9" | "a" | "b"));
        assert_eq!(u, derived_uuid("c", "k"));
        assert_ne!(u, derived_uuid("c", "k2"));
        // RFC 4122 appendix-style check: the DNS namespace and "python.org" (a well-known
        // published value of uuid5).
        assert_eq!(
            uuid_v5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org"),
            "886313e1-3b8a-5372-9b90-0c9aee199e5d"
        );
    }
}
