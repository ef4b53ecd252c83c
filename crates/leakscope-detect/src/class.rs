//! The data classes and their names in the breach-corpus vocabulary.

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

    /// The breach-corpus (Have I Been Pwned) data-class name this class is reported under.
    pub fn hibp_name(self) -> &'static str {
        match self {
            DataClass::PersonName => "Names",
            DataClass::Email => "Email addresses",
            DataClass::Phone => "Phone numbers",
            DataClass::NationalId => "Government issued IDs",
            DataClass::Address => "Physical addresses",
            DataClass::PostalCode => "Physical addresses",
            DataClass::DateOfBirth => "Dates of birth",
            DataClass::Gender => "Genders",
            DataClass::PasswordHash => "Passwords",
            DataClass::Password => "Passwords",
            DataClass::PaymentCard => "Credit cards",
            DataClass::PaymentCardPartial => "Partial credit card data",
            DataClass::BankAccount => "Bank account numbers",
            DataClass::IpAddress => "IP addresses",
            DataClass::Username => "Usernames",
            DataClass::OrderId => "Purchases",
            DataClass::Amount => "Purchases",
            DataClass::Timestamp => "Account activity",
            DataClass::Product => "Purchases",
            DataClass::Merchant => "Purchases",
            DataClass::Other => "Other",
        }
    }

    /// True for classes whose false positives are costly (they drive notification duties).
    pub fn is_sensitive_identifier(self) -> bool {
        matches!(
            self,
            DataClass::NationalId | DataClass::PaymentCard | DataClass::Phone
        )
    }

    /// Parses an id produced by [`DataClass::id`].
    pub fn from_id(id: &str) -> Option<DataClass> {
        DataClass::ALL.iter().copied().find(|c| c.id() == id)
    }
}
