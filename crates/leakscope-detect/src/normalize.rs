//! Normalisation helpers for identifiers, used to count and compare people across rows.

use crate::validators::{names, net, phone as ph};

/// Lower-cased, trimmed e-mail when it validates (plus-addressing and dots are kept: the
/// breach-corpus convention compares the address as written).
pub fn email(value: &str) -> Option<String> {
    net::email(value.trim())?.normalized
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
        assert_eq!(person_name("Nguyễn Văn An"), person_name("AN NGUYEN VAN"));
    }
}
