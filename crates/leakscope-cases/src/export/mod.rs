//! Sharing a case with peers: STIX 2.1 bundles and MISP events, marked with the case's (or the
//! given) TLP level. Neither holds raw personal data.

pub mod misp;
pub mod stix;
pub mod tlp;
