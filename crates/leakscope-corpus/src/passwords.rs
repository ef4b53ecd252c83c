//! Pwned-Passwords hashing (SHA-1 and NTLM) and the `/range` text format.

use sha1::Digest;

/// SHA-1 of bytes.
pub fn sha1(data: &[u8]) -> [u8; 20] {
    sha1::Sha1::digest(data).into()
}

/// NTLM hash of a password: MD4 of its UTF-16LE encoding.
pub fn ntlm(password: &str) -> [u8; 16] {
    let mut h = md4::Md4::new();
    for unit in password.encode_utf16() {
        h.update(unit.to_le_bytes());
    }
    h.finalize().into()
}

/// Hash mode of the password range endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PwMode {
    /// SHA-1 (20 bytes, 35-hex suffixes).
    Sha1,
    /// NTLM (16 bytes, 27-hex suffixes).
    Ntlm,
}

impl PwMode {
    /// Hash width in bytes.
    pub fn width(self) -> usize {
        match self {
            PwMode::Sha1 => 20,
            PwMode::Ntlm => 16,
        }
    }
}

/// Parses a 5-hex-digit range prefix (case-insensitive) into 3 bytes (last nibble zero).
pub fn parse_prefix5(prefix: &str) -> Option<[u8; 3]> {
    if prefix.len() != 5 || !prefix.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let padded = format!("{prefix}0");
    let v = hex::decode(padded).ok()?;
    v.try_into().ok()
}

/// Uppercase hex suffix of a hash after its first 5 hex digits.
pub fn suffix5(hash: &[u8]) -> String {
    let full = hex::encode_upper(hash);
    full[5..].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_vectors() {
        // SHA-1("password") and NTLM("password") are published widely.
        assert_eq!(
            hex::encode_upper(sha1(b"password")),
            "5BAA61E4C9B93F3F0682250B6CF8331B7EE68FD8"
        );
        assert_eq!(
            hex::encode_upper(ntlm("password")),
            "8846F7EAEE8FB117AD06BDD830B7586C"
        );
        assert_eq!(parse_prefix5("5baa6"), Some([0x5b, 0xaa, 0x60]));
        assert_eq!(parse_prefix5("5BAAG"), None);
        assert_eq!(parse_prefix5("5BAA"), None);
        assert_eq!(
            suffix5(&sha1(b"password")),
            "1E4C9B93F3F0682250B6CF8331B7EE68FD8"
        );
    }
}
