//! Facts about data classes the profile needs: importance order, the breach-corpus names, which
//! classes are checked cell by cell, and which password algorithms are weak.

use leakscope_detect::DataClass;

/// Classes most important first (what a responder must read first).
pub const IMPORTANCE: [DataClass; 20] = [
    DataClass::NationalId,
    DataClass::PaymentCard,
    DataClass::Password,
    DataClass::PasswordHash,
    DataClass::BankAccount,
    DataClass::PaymentCardPartial,
    DataClass::PersonName,
    DataClass::DateOfBirth,
    DataClass::Phone,
    DataClass::Email,
    DataClass::Address,
    DataClass::PostalCode,
    DataClass::IpAddress,
    DataClass::Username,
    DataClass::Gender,
    DataClass::OrderId,
    DataClass::Amount,
    DataClass::Product,
    DataClass::Timestamp,
    DataClass::Merchant,
];

/// Rank of a class in [`IMPORTANCE`] (`Other` last).
pub fn importance_rank(c: DataClass) -> usize {
    IMPORTANCE
        .iter()
        .position(|&x| x == c)
        .unwrap_or(IMPORTANCE.len())
}

/// The breach-corpus ("Have I Been Pwned") data-class name (`None` for `other`).
pub fn hibp_name(c: DataClass) -> Option<&'static str> {
    (c != DataClass::Other).then(|| c.hibp_name())
}

/// Classes whose every cell goes through `check_value` (identifiers for people and countries,
/// dates, password algorithms, cards). Other columns only get cheap fill and distinct counts.
pub fn checked_per_cell(c: DataClass) -> bool {
    matches!(
        c,
        DataClass::Email
            | DataClass::Phone
            | DataClass::NationalId
            | DataClass::Timestamp
            | DataClass::PasswordHash
            | DataClass::Password
            | DataClass::PaymentCard
            | DataClass::PaymentCardPartial
    )
}

/// The identifier classes that key a person, strongest first.
pub const KEY_CLASSES: [DataClass; 3] = [DataClass::NationalId, DataClass::Email, DataClass::Phone];

/// Password storage that is unsalted or fast to brute-force (or none at all).
pub fn weak_algorithm(alg: &str) -> bool {
    let a = alg.to_ascii_lowercase();
    matches!(
        a.as_str(),
        "plaintext"
            | "md5"
            | "md4"
            | "sha1"
            | "sha224"
            | "sha256"
            | "sha384"
            | "sha512"
            | "ntlm"
            | "lm"
            | "mysql323"
            | "mysql41"
            | "crc32"
            | "md5_hex"
            | "sha1_hex"
            | "ripemd160"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn importance_covers_every_class_but_other_once() {
        for c in DataClass::ALL {
            let n = IMPORTANCE.iter().filter(|&&x| x == c).count();
            assert_eq!(n, usize::from(c != DataClass::Other), "{c:?}");
        }
        assert!(importance_rank(DataClass::NationalId) < importance_rank(DataClass::Email));
    }

    #[test]
    fn weak_algorithms() {
        assert!(weak_algorithm("MD5"));
        assert!(weak_algorithm("plaintext"));
        assert!(!weak_algorithm("bcrypt"));
        assert!(!weak_algorithm("argon2id"));
        assert!(!weak_algorithm("pbkdf2_sha256"));
    }
}
