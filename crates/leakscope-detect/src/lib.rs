//! Data-class detection: what each column of a leaked table holds, with evidence.
//!
//! CONTRACT (used by `leakscope-scan`; keep these signatures): [`DataClass`], [`Detectors`],
//! [`ColumnVerdict`], [`ValueFacts`], [`mask`]. Bodies here are placeholders until the detector
//! engine lands.

use serde::{Deserialize, Serialize};

/// The stable data-class ids used in every output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataClass {
    /// Full or partial person name.
    PersonName,
    /// E-mail address.
    Email,
    /// Phone number.
    Phone,
    /// Government identifier (see [`ColumnVerdict::kind`]).
    NationalId,
    /// Postal address.
    Address,
    /// Postal code.
    PostalCode,
    /// Date of birth.
    DateOfBirth,
    /// Gender.
    Gender,
    /// Password hash (algorithm in `kind`).
    PasswordHash,
    /// Plaintext password.
    Password,
    /// Full payment card number.
    PaymentCard,
    /// Masked or partial card number.
    PaymentCardPartial,
    /// Bank account number.
    BankAccount,
    /// IPv4 / IPv6 address.
    IpAddress,
    /// Username / login.
    Username,
    /// Order or transaction id.
    OrderId,
    /// Money amount.
    Amount,
    /// Event timestamp.
    Timestamp,
    /// Product name or SKU.
    Product,
    /// Tenant / shop / merchant of a multi-tenant platform.
    Merchant,
    /// Nothing recognised.
    Other,
}

impl DataClass {
    /// Every class, in a stable order.
    pub const ALL: [DataClass; 21] = [
        DataClass::PersonName,
        DataClass::Email,
        DataClass::Phone,
        DataClass::NationalId,
        DataClass::Address,
        DataClass::PostalCode,
        DataClass::DateOfBirth,
        DataClass::Gender,
        DataClass::PasswordHash,
        DataClass::Password,
        DataClass::PaymentCard,
        DataClass::PaymentCardPartial,
        DataClass::BankAccount,
        DataClass::IpAddress,
        DataClass::Username,
        DataClass::OrderId,
        DataClass::Amount,
        DataClass::Timestamp,
        DataClass::Product,
        DataClass::Merchant,
        DataClass::Other,
    ];

    /// Stable snake_case id (`person_name`, `email`...).
    pub fn id(self) -> &'static str {
        match self {
            DataClass::PersonName => "person_name",
            DataClass::Email => "email",
            DataClass::Phone => "phone",
            DataClass::NationalId => "national_id",
            DataClass::Address => "address",
            DataClass::PostalCode => "postal_code",
            DataClass::DateOfBirth => "date_of_birth",
            DataClass::Gender => "gender",
            DataClass::PasswordHash => "password_hash",
            DataClass::Password => "password",
            DataClass::PaymentCard => "payment_card",
            DataClass::PaymentCardPartial => "payment_card_partial",
            DataClass::BankAccount => "bank_account",
            DataClass::IpAddress => "ip_address",
            DataClass::Username => "username",
            DataClass::OrderId => "order_id",
            DataClass::Amount => "amount",
            DataClass::Timestamp => "timestamp",
            DataClass::Product => "product",
            DataClass::Merchant => "merchant",
            DataClass::Other => "other",
        }
    }

    /// Parses an id produced by [`DataClass::id`].
    pub fn from_id(id: &str) -> Option<DataClass> {
        DataClass::ALL.iter().copied().find(|c| c.id() == id)
    }
}

/// The decision for one column.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnVerdict {
    /// Winning class.
    pub class: DataClass,
    /// Sub-kind: `cn_resident_id`, `sg_nric_fin`, `vn_cccd`, `vn_cmnd`, `passport`; hash algorithm
    /// (`bcrypt`, `md5`...); card brand.
    pub kind: Option<String>,
    /// 0.0–1.0.
    pub confidence: f64,
    /// One line, no raw values.
    pub evidence: String,
    /// Share of sampled non-empty values that validate as `class`.
    pub validation_share: f64,
    /// Other classes in a mixed column with their shares.
    pub mixed: Vec<(DataClass, f64)>,
    /// PII embedded in free text, with the share of values containing it.
    pub embedded: Vec<(DataClass, f64)>,
}

/// What one value validated as, normalised.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ValueFacts {
    /// Normalised identifier: lower-cased email, E.164 phone, upper-cased national ID.
    pub normalized: Option<String>,
    /// ISO 3166-1 alpha-2 country the value points to (phone country code, ID kind, address tokens).
    pub country: Option<&'static str>,
    /// Sub-kind of this value (ID kind, hash algorithm, card brand).
    pub kind: Option<&'static str>,
    /// A date the value holds, as (year, month, day) — for timestamps and dates of birth.
    pub date: Option<(i32, u32, u32)>,
}

/// The compiled detector set.
#[derive(Debug)]
pub struct Detectors {
    _private: (),
}

impl Detectors {
    /// The built-in detectors (rule files compiled into the binary).
    pub fn builtin() -> &'static Detectors {
        static D: Detectors = Detectors { _private: () };
        &D
    }

    /// Decides the class of a column from its header (if any) and a sample of its values.
    pub fn classify_column(&self, _header: Option<&str>, _values: &[&str]) -> ColumnVerdict {
        ColumnVerdict {
            class: DataClass::Other,
            kind: None,
            confidence: 0.0,
            evidence: String::new(),
            validation_share: 0.0,
            mixed: Vec::new(),
            embedded: Vec::new(),
        }
    }

    /// Validates one value against `class` (and `kind`, when the column has one); `None` when it
    /// does not validate. Cheap enough for every cell of an identifier column.
    pub fn check_value(&self, _class: DataClass, _kind: Option<&str>, _value: &str) -> Option<ValueFacts> {
        None
    }
}

/// Masks a value of `class` for display (`ng•••@gmail.com`, `+84 9•• ••• •12`).
pub fn mask(_class: DataClass, value: &str) -> String {
    "•".repeat(value.chars().count().min(8))
}
