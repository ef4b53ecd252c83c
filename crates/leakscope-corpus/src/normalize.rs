//! Identifier normalisation used by the corpus. Interim: mirrors the rules of
//! `leakscope_detect::normalize` (lower-cased email; E.164 phone; upper-cased national ID
//! prefixed by its kind) until that crate lands, so hashes made here and there agree.

/// Lower-cased, trimmed email, or None when it does not look like one.
pub fn email(raw: &str) -> Option<String> {
    let s = raw
        .trim()
        .trim_matches(|c| c == '"' || c == '\'' || c == '<' || c == '>');
    let at = s.rfind('@')?;
    let (local, domain) = (&s[..at], &s[at + 1..]);
    let ok = !local.is_empty()
        && local.len() <= 64
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        && !s.chars().any(char::is_whitespace);
    ok.then(|| s.to_lowercase())
}

/// E.164 phone (`+` and 8–15 digits); separators ignored; requires a leading `+` or `00`
/// (national numbers need a country, which the detector supplies).
pub fn phone(raw: &str) -> Option<String> {
    let s = raw.trim();
    let rest = s.strip_prefix('+').or_else(|| s.strip_prefix("00"))?;
    if !rest
        .chars()
        .all(|c| c.is_ascii_digit() || " -().".contains(c))
    {
        return None;
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    ((8..=15).contains(&digits.len()) && !digits.starts_with('0')).then(|| format!("+{digits}"))
}

/// A national ID: `kind:VALUE` given explicitly, or a Chinese resident ID (18 characters with a
/// valid ISO 7064 check digit), else None.
pub fn national_id(raw: &str) -> Option<String> {
    let s: String = raw
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_uppercase();
    if let Some((kind, value)) = s.split_once(':') {
        let kind = kind.to_lowercase();
        let ok = !kind.is_empty()
            && !value.is_empty()
            && kind.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
        return ok.then(|| format!("{kind}:{value}"));
    }
    cn_resident_id_ok(&s).then(|| format!("cn_resident_id:{s}"))
}

fn cn_resident_id_ok(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = b[..17]
        .iter()
        .zip(W)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    b[17] == b"10X98765432"[(sum % 11) as usize]
}

/// Lower-cased, trimmed username (1–64 characters, no whitespace).
pub fn username(raw: &str) -> Option<String> {
    let s = raw.trim();
    (!s.is_empty() && s.chars().count() <= 64 && !s.chars().any(char::is_whitespace))
        .then(|| s.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_and_rejects_look_alikes() {
        assert_eq!(
            email(" Alice@Example.COM ").as_deref(),
            Some("alice@example.com")
        );
        assert_eq!(email("alice@localhost"), None);
        assert_eq!(email("not an@email.com"), None);
        assert_eq!(phone("+84 (90) 123-4567").as_deref(), Some("+84901234567"));
        assert_eq!(phone("0084901234567").as_deref(), Some("+84901234567"));
        assert_eq!(phone("0901234567"), None, "national format needs a country");
        assert_eq!(phone("+12"), None);
        assert_eq!(
            national_id("11010519491231002x").as_deref(),
            Some("cn_resident_id:11010519491231002X")
        );
        assert_eq!(national_id("110105194912310021"), None, "bad check digit");
        assert_eq!(
            national_id("sg_nric:s1234567d").as_deref(),
            Some("sg_nric:S1234567D")
        );
        assert_eq!(username(" Neo ").as_deref(), Some("neo"));
    }
}
