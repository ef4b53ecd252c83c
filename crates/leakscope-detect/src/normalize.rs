//! Normalisation helpers for identifiers, used to count and compare people across rows.

//!
//! [`email`], [`phone`] and [`national_id_key`] are the canonical forms that get keyed-hashed
//! (`leakscope verify`'s reference index, the breach corpus): every crate calls these, so the same
//! identifier hashes the same everywhere.

use crate::validators::{names, net, phone as ph};
use crate::{DataClass, Detectors};

/// Lower-cased, trimmed e-mail when it validates (plus-addressing and dots are kept: the
/// breach-corpus convention compares the address as written). Angle brackets and quotes around
/// the address (`<a@b.com>`, `"a@b.com"`) are removed first.
pub fn email(value: &str) -> Option<String> {
    let v = value
        .trim()
        .trim_matches(|c| matches!(c, '<' | '>' | '"' | '\''))
        .trim();
    net::email(v)?.normalized
}

/// E.164 form and ISO country of a phone; `default_country` (ISO2) reads national formats of
/// countries other than VN/CN/SG (through the cached libphonenumber metadata).
pub fn phone(value: &str, default_country: Option<&str>) -> Option<(String, &'static str)> {
    ph::any_phone(value.trim(), default_country)
}

/// Upper-cased identifier without spaces or dashes (`110105 19491231 002x` → `11010519491231002X`).
pub fn national_id(value: &str) -> String {
    value
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect()
}

/// Canonical hashing form of a national ID: `kind:VALUE` where `VALUE` is [`national_id`] and
/// `kind` the ID type the built-in detectors validate it as (`cn_resident_id`, `sg_nric_fin`,
/// ...), or `national_id` for an ID no detector validates that is still plausible (5–20 ASCII
/// letters/digits with at least one digit). A `kind:` prefix typed by a user (`sg_nric:S1234567D`)
/// is dropped: the kind always comes from the value, so a hint can never split one ID into two
/// hashes. `None` when the value cannot be an ID.
pub fn national_id_key(value: &str) -> Option<String> {
    let v = value.trim();
    let v = match v.split_once(':') {
        Some((k, rest))
            if !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_') =>
        {
            rest.trim()
        }
        _ => v,
    };
    let n = national_id(v);
    if let Some(f) = Detectors::builtin().check_value(DataClass::NationalId, None, &n) {
        if let (Some(k), Some(norm)) = (f.kind, f.normalized) {
            return Some(format!("{k}:{}", national_id(&norm)));
        }
    }
    let ok = (5..=20).contains(&n.len())
        && n.bytes().all(|b| b.is_ascii_alphanumeric())
        && n.bytes().any(|b| b.is_ascii_digit());
    ok.then(|| format!("national_id:{n}"))
}

/// Name key for comparisons: diacritics folded, lower case, tokens sorted
/// (`Nguyễn Văn An` and `AN NGUYEN VAN` give the same key).
pub fn person_name(value: &str) -> String {
    names::normalize_name(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(email(" A.B@Gmail.COM ").as_deref(), Some("a.b@gmail.com"));
        assert_eq!(
            phone("091-234-5678", None),
            Some(("+84912345678".to_string(), "VN"))
        );
        assert_eq!(national_id("110105 19491231 002x"), "11010519491231002X");
        assert_eq!(
            email("<Lan@Example.com>").as_deref(),
            Some("lan@example.com")
        );
        assert_eq!(email("a@b"), None);
        assert_eq!(person_name("Nguyễn Văn An"), person_name("AN NGUYEN VAN"));
    }

    #[test]
    fn national_id_keys_take_the_kind_from_the_value() {
        let cn = Some("cn_resident_id:11010519491231002X".to_string());
        assert_eq!(national_id_key("110105 19491231 002x"), cn);
        assert_eq!(national_id_key("110105-19491231-002X"), cn);
        assert_eq!(national_id_key("cn_resident_id:11010519491231002x"), cn);
        // A typed kind does not change the key; a wrong check digit is a generic ID.
        assert_eq!(
            national_id_key("sg_nric:110105194912310021").as_deref(),
            Some("national_id:110105194912310021")
        );
        assert_eq!(
            national_id_key("110105194912310021").as_deref(),
            Some("national_id:110105194912310021")
        );
        let sg = national_id_key("s1234567d").unwrap();
        assert_eq!(national_id_key("S 1234567 D").as_ref(), Some(&sg));
        assert_eq!(national_id_key("sg_nric:S1234567D").as_ref(), Some(&sg));
        assert_eq!(national_id_key("abc"), None);
        assert_eq!(national_id_key("12"), None);
        assert_eq!(national_id_key("ABCDEFG"), None);
    }
}
