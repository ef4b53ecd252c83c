//! The Have-I-Been-Pwned v3 Breach model and the metadata a user gives at `corpus add`.

use serde::{Deserialize, Serialize};

/// One breach, in the exact JSON shape of HIBP v3 (PascalCase field names).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Breach {
    /// Stable identifier (`vn-shop-2024`), unique in the corpus.
    pub name: String,
    /// Human title.
    pub title: String,
    /// Domain of the breached service (may be empty).
    pub domain: String,
    /// Date of the breach, `YYYY-MM-DD`.
    pub breach_date: String,
    /// When it was added to the corpus, `YYYY-MM-DDTHH:MM:SSZ`.
    pub added_date: String,
    /// When its record was last modified, same format.
    pub modified_date: String,
    /// Number of accounts (see [`crate::ingest::Prepared::pwn_count`]).
    pub pwn_count: u64,
    /// Free-text description (HTML in HIBP; plain text here).
    pub description: String,
    /// Logo URL or path (may be empty).
    pub logo_path: String,
    /// HIBP data-class vocabulary ("Email addresses", "Phone numbers", ...), sorted.
    pub data_classes: Vec<String>,
    /// Confirmed genuine.
    pub is_verified: bool,
    /// Known to be fabricated.
    pub is_fabricated: bool,
    /// Sensitive: not returned by public searches of the account.
    pub is_sensitive: bool,
    /// Retired from the corpus.
    pub is_retired: bool,
    /// A spam list rather than a breach.
    pub is_spam_list: bool,
    /// Malware-sourced.
    pub is_malware: bool,
    /// Free-subscription breach (HIBP flag; kept for shape compatibility).
    pub is_subscription_free: bool,
    /// Harvested by info-stealer malware.
    pub is_stealer_log: bool,
}

/// What the user supplies when adding a leak; everything else is computed.
#[derive(Debug, Clone, Default)]
pub struct BreachMeta {
    /// Unique breach name (`[A-Za-z0-9._-]{1,64}`).
    pub name: String,
    /// Title; defaults to the name.
    pub title: Option<String>,
    /// Service domain.
    pub domain: Option<String>,
    /// `YYYY-MM-DD`; defaults to the added date.
    pub breach_date: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Flags.
    pub is_verified: bool,
    /// Flags.
    pub is_fabricated: bool,
    /// Flags.
    pub is_sensitive: bool,
    /// Flags.
    pub is_spam_list: bool,
    /// Flags.
    pub is_malware: bool,
    /// Flags.
    pub is_stealer_log: bool,
}

/// Checks a breach name: 1–64 characters of `[A-Za-z0-9._-]`, not starting with a dot.
pub fn validate_name(name: &str) -> Result<(), String> {
    let ok_chars = name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
    if name.is_empty() || name.len() > 64 || !ok_chars || name.starts_with('.') {
        return Err(format!(
            "breach name {name:?} must be 1-64 characters of letters, digits, '.', '_' or '-', not starting with '.'"
        ));
    }
    Ok(())
}

/// Checks a `YYYY-MM-DD` date (a real calendar day).
pub fn validate_date(date: &str) -> Result<(), String> {
    let b = date.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return Err(format!("breach date {date:?} is not YYYY-MM-DD"));
    }
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(|_| ())
        .map_err(|_| format!("breach date {date:?} is not a calendar day"))
}

/// Current UTC time as `YYYY-MM-DDTHH:MM:SSZ` (HIBP's AddedDate format).
pub fn now_iso() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Formats Unix seconds as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn iso_from_unix(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_format_and_validate() {
        assert_eq!(iso_from_unix(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_from_unix(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso_from_unix(1_700_000_000), "2023-11-14T22:13:20Z");
        assert!(validate_date("2024-02-29").is_ok());
        assert!(validate_date("2024-13-01").is_err());
        assert!(validate_date("2023-02-29").is_err(), "not a leap year");
        assert!(validate_date("24-01-01").is_err());
    }

    #[test]
    fn names_are_checked() {
        assert!(validate_name("vn-shop-2024").is_ok());
        assert!(validate_name("../etc").is_err());
        assert!(validate_name("").is_err());
        assert!(validate_name("a b").is_err());
    }

    #[test]
    fn breach_serialises_in_pascal_case() {
        let b = Breach {
            name: "x".into(),
            title: "X".into(),
            domain: String::new(),
            breach_date: "2024-01-01".into(),
            added_date: now_iso(),
            modified_date: now_iso(),
            pwn_count: 3,
            description: String::new(),
            logo_path: String::new(),
            data_classes: vec!["Email addresses".into()],
            is_verified: true,
            is_fabricated: false,
            is_sensitive: false,
            is_retired: false,
            is_spam_list: false,
            is_malware: false,
            is_subscription_free: false,
            is_stealer_log: false,
        };
        let v = serde_json::to_value(&b).unwrap();
        for key in [
            "Name",
            "BreachDate",
            "PwnCount",
            "DataClasses",
            "IsSpamList",
            "IsStealerLog",
            "LogoPath",
        ] {
            assert!(v.get(key).is_some(), "missing {key}");
        }
    }
}
