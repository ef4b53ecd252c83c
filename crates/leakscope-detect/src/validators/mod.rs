//! Validator functions, looked up by the name a rule file gives in `validator = "..."`.
//!
//! Adding a country usually needs no new code (reuse a validator); when a new check-digit scheme
//! is needed, add one function here and list it in [`REGISTRY`].

pub mod card;
pub mod dates;
pub mod dates_util;
pub mod hash;
pub mod ids;
pub mod ids_asia;
pub mod misc;
pub mod names;
pub mod net;
pub mod phone;
pub mod phone_meta;
pub mod phone_shape;

use crate::ValueFacts;

/// A validator: the trimmed value in, normalised facts out (`None` = does not validate).
pub type ValidatorFn = fn(&str) -> Option<ValueFacts>;

/// Every validator by name.
pub const REGISTRY: &[(&str, ValidatorFn)] = &[
    ("cn_resident_id", ids::cn_resident_id),
    ("sg_nric_fin", ids::sg_nric_fin),
    ("vn_cccd", ids::vn_cccd),
    ("vn_cmnd", ids::vn_cmnd),
    ("passport", ids::passport),
    ("my_nric", ids_asia::my_nric),
    ("th_pin", ids_asia::th_pin),
    ("id_nik", ids_asia::id_nik),
    ("tw_id", ids_asia::tw_id),
    ("hk_id", ids_asia::hk_id),
    ("ph_psn", ids_asia::ph_psn),
    ("ph_sss", ids_asia::ph_sss),
    ("ph_tin", ids_asia::ph_tin),
    ("payment_card", card::payment_card),
    ("payment_card_partial", card::payment_card_partial),
    ("card_last4", card::card_last4),
    ("vn_phone", phone::vn_phone),
    ("cn_phone", phone::cn_phone),
    ("sg_phone", phone::sg_phone),
    ("intl_phone", phone::intl_phone),
    ("cn_landline", phone::cn_landline),
    ("phone_unknown_country", phone::phone_unknown_country),
    ("phone_short_code", phone::phone_short_code),
    ("tw_phone", phone::tw_phone),
    ("hk_phone", phone::hk_phone),
    ("my_phone", phone::my_phone),
    ("th_phone", phone::th_phone),
    ("id_phone", phone::id_phone),
    ("ph_phone", phone::ph_phone),
    ("crypt_hash", hash::crypt_hash),
    ("hex_digest", hash::hex_digest),
    ("ntlm", hash::ntlm),
    ("email", net::email),
    ("ip_address", net::ip_address),
    ("date", dates::date_value),
    ("date_only", dates::date_only),
    ("person_name", names::person_name),
    ("address", misc::address),
    ("postal_code", misc::postal_code),
    ("gender", misc::gender),
    ("gender_code", misc::gender_code),
    ("amount", misc::amount),
    ("order_id", misc::order_id),
    ("product", misc::product),
    ("merchant", misc::merchant),
    ("username", misc::username),
    ("password", misc::password),
    ("bank_account", misc::bank_account),
    ("any", misc::any_value),
];

/// Finds a validator by name.
pub fn lookup(name: &str) -> Option<ValidatorFn> {
    REGISTRY.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}
