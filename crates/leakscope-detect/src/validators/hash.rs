//! Password hashes, reported with their algorithm.

use crate::ValueFacts;

fn is_b64ish(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'.' || b == b'/' || b == b'+' || b == b'='
}

fn all(s: &str, f: fn(u8) -> bool) -> bool {
    !s.is_empty() && s.bytes().all(f)
}

fn facts(kind: &'static str) -> Option<ValueFacts> {
    Some(ValueFacts {
        kind: Some(kind),
        ..Default::default()
    })
}

/// Modular-crypt and framework formats: bcrypt, argon2, scrypt, PBKDF2 (Django), phpass,
/// md5-crypt, sha256/sha512-crypt, MySQL 4.1+.
pub fn crypt_hash(v: &str) -> Option<ValueFacts> {
    let b = v.as_bytes();
    if b.len() < 20 {
        return None;
    }
    if b[0] == b'*' {
        return (b.len() == 41 && all(&v[1..], |c| c.is_ascii_hexdigit()))
            .then_some(())
            .and_then(|_| facts("mysql41"));
    }
    if let Some(rest) = v.strip_prefix("pbkdf2_") {
        let parts: Vec<&str> = rest.split('$').collect();
        return (parts.len() == 4
            && matches!(parts[0], "sha256" | "sha1")
            && parts[1].bytes().all(|c| c.is_ascii_digit())
            && !parts[2].is_empty()
            && all(parts[3], is_b64ish))
        .then_some(())
        .and_then(|_| facts("pbkdf2_django"));
    }
    if b[0] != b'$' {
        return None;
    }
    let parts: Vec<&str> = v[1..].split('$').collect();
    match parts[0] {
        "2a" | "2b" | "2x" | "2y" | "2" => (parts.len() == 3
            && parts[1].len() == 2
            && parts[1].bytes().all(|c| c.is_ascii_digit())
            && parts[2].len() == 53
            && all(parts[2], is_b64ish))
        .then_some(())
        .and_then(|_| facts("bcrypt")),
        "argon2id" | "argon2i" | "argon2d" => (parts.len() >= 4
            && parts.iter().skip(1).all(|p| !p.is_empty()))
        .then_some(())
        .and_then(|_| facts("argon2")),
        "scrypt" | "7" => (parts.len() >= 3)
            .then_some(())
            .and_then(|_| facts("scrypt")),
        "P" | "H" => (b.len() == 34).then_some(()).and_then(|_| facts("phpass")),
        "1" => (parts.len() == 3 && parts[2].len() == 22 && all(parts[2], is_b64ish))
            .then_some(())
            .and_then(|_| facts("md5_crypt")),
        "5" | "6" => {
            let (want, name) = if parts[0] == "5" {
                (43, "sha256_crypt")
            } else {
                (86, "sha512_crypt")
            };
            let hash = parts.last().copied().unwrap_or("");
            (parts.len() >= 3 && hash.len() == want && all(hash, is_b64ish))
                .then_some(())
                .and_then(|_| facts(name))
        }
        _ => None,
    }
}

/// Unsalted hex digests by length: MD5 (32), SHA-1 (40), SHA-256 (64), SHA-512 (128).
/// A 32-hex column is reported as NTLM only with header evidence (rule `ntlm`).
pub fn hex_digest(v: &str) -> Option<ValueFacts> {
    let kind = match v.len() {
        32 => "md5",
        40 => "sha1",
        64 => "sha256",
        128 => "sha512",
        _ => return None,
    };
    let b = v.as_bytes();
    if !b.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    // Mixed-case hex is not a digest; digits-only strings are numbers, not hashes.
    let lower = b.iter().any(u8::is_ascii_lowercase);
    let upper = b.iter().any(u8::is_ascii_uppercase);
    if (lower && upper) || !(lower || upper) {
        return None;
    }
    facts(kind)
}

/// 32 hex characters as an NTLM hash (header evidence decides between NTLM and MD5).
pub fn ntlm(v: &str) -> Option<ValueFacts> {
    hex_digest(v)
        .filter(|f| f.kind == Some("md5"))
        .map(|mut f| {
            f.kind = Some("ntlm");
            f
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(v: &str) -> Option<&'static str> {
        crypt_hash(v).or_else(|| hex_digest(v)).and_then(|f| f.kind)
    }

    #[test]
    fn algorithms() {
        assert_eq!(
            kind("$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"),
            Some("bcrypt")
        );
        assert_eq!(
            kind("$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG"),
            Some("argon2")
        );
        assert_eq!(
            kind("pbkdf2_sha256$260000$abc123$Qm9ndXNIYXNoVmFsdWVGb3JUZXN0aW5nMTIzNDU2Nzg5MA=="),
            Some("pbkdf2_django")
        );
        assert_eq!(kind("$P$984478476IagS59wHZvyQMArzfx58u."), Some("phpass"));
        assert_eq!(
            kind("$1$28772684$iEwNOgGugqO9.bIz5sk8k/"),
            Some("md5_crypt")
        );
        assert_eq!(
            kind("*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19"),
            Some("mysql41")
        );
        assert_eq!(kind("5f4dcc3b5aa765d61d8327deb882cf99"), Some("md5"));
        assert_eq!(
            kind("5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8"),
            Some("sha1")
        );
        assert_eq!(
            ntlm("8846F7EAEE8FB117AD06BDD830B7586C").and_then(|f| f.kind),
            Some("ntlm")
        );
        assert_eq!(kind("12345678901234567890123456789012"), None);
        assert_eq!(kind("5F4dcc3b5aa765d61d8327deb882cf99"), None);
        assert_eq!(kind("$2b$12$short"), None);
    }
}
