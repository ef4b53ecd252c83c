//! Identifier normalisation used by the corpus. E-mail and national IDs are the canonical forms of
//! `leakscope_detect::normalize` (shared with `leakscope verify`), so hashes made here and there
//! agree; phones found by shape need an explicit international prefix here.

/// Canonical e-mail (`leakscope_detect::normalize::email`), or None when it does not validate.
pub fn email(raw: &str) -> Option<String> {
    leakscope_detect::normalize::email(raw)
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

/// Canonical national ID key (`leakscope_detect::normalize::national_id_key`): `kind:VALUE`
/// with the kind the detectors validate the value as, else `national_id:VALUE`; None when the
/// value cannot be an ID.
pub fn national_id(raw: &str) -> Option<String> {
    leakscope_detect::normalize::national_id_key(raw)
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
        assert_eq!(
            national_id("110105194912310021").as_deref(),
            Some("national_id:110105194912310021"),
            "bad check digit: a generic ID, never a resident ID"
        );
        assert_eq!(
            national_id("sg_nric:s1234567d").as_deref(),
            Some("sg_nric_fin:S1234567D")
        );
        assert_eq!(username(" Neo ").as_deref(), Some("neo"));
    }
}
