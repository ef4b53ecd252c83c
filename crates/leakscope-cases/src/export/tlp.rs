//! TLP marking definitions as published: TLP 1.0 `white` is predefined by STIX 2.1 (§7.2.1.4);
//! TLP 2.0 levels are the OASIS common objects using the TLP 2.0 extension definition.

use crate::model::Tlp;
use serde_json::{json, Value};

/// The TLP 2.0 extension definition id (OASIS cti-stix-common-objects).
pub const TLP2_EXTENSION: &str = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

/// The marking-definition id of a level.
pub fn marking_id(t: Tlp) -> &'static str {
    match t {
        Tlp::White => "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
        Tlp::Clear => "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
        Tlp::Green => "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
        Tlp::Amber => "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
        Tlp::AmberStrict => "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
        Tlp::Red => "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
    }
}

/// The marking-definition object of a level, as published.
pub fn marking_object(t: Tlp) -> Value {
    match t {
        Tlp::White => json!({
            "type": "marking-definition",
            "spec_version": "2.1",
            "id": marking_id(t),
            "created": "2017-01-20T00:00:00.000Z",
            "definition_type": "tlp",
            "name": "TLP:WHITE",
            "definition": {"tlp": "white"},
        }),
        _ => json!({
            "type": "marking-definition",
            "spec_version": "2.1",
            "id": marking_id(t),
            "created": "2022-10-01T00:00:00.000Z",
            "name": t.label(),
            "extensions": {
                TLP2_EXTENSION: {
                    "extension_type": "property-extension",
                    "tlp_2_0": t.id(),
                }
            },
        }),
    }
}

/// The MISP taxonomy tag of a level (`tlp:amber+strict`).
pub fn misp_tag(t: Tlp) -> String {
    format!("tlp:{}", t.id())
}

/// MISP distribution for a level: red / amber+strict → 0 (your organisation only), amber → 1
/// (this community only), green → 2 (connected communities), clear / white → 3 (all).
pub fn misp_distribution(t: Tlp) -> u8 {
    match t {
        Tlp::Red | Tlp::AmberStrict => 0,
        Tlp::Amber => 1,
        Tlp::Green => 2,
        Tlp::Clear | Tlp::White => 3,
    }
}
