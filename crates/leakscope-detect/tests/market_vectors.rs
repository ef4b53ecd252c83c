//! The six new markets' validators against published vectors of independent implementations
//! (counts in docs/detectors.md):
//! - python-stdnum 2.2 (Arthur de Jong, LGPL test data): `tests/test_my_nric.doctest`,
//!   `tests/test_th_pin.doctest`, the doctests of `stdnum/id/nik.py`;
//! - identique/idnumbers (MIT): `tests/nationalid/test_TWN.py`, `tests/nationalid/test_PHL.py`,
//!   and for Hong Kong the inputs of `tests/parity/corpus.json` with the verdicts of its own
//!   `HKG.NationalID.validate` (idnumbers 1.22.0), plus the example of its metadata.

use leakscope_detect::validators::ids_asia::{hk_id, id_nik, my_nric, ph_psn, th_pin, tw_id};
use leakscope_detect::ValueFacts;

type Validator = fn(&str) -> Option<ValueFacts>;

fn check(name: &str, f: Validator, valid: &[&str], invalid: &[&str]) -> (usize, usize) {
    for v in valid {
        assert!(f(v).is_some(), "{name}: {v} must validate");
    }
    for v in invalid {
        assert!(f(v).is_none(), "{name}: {v} must not validate");
    }
    (valid.len(), invalid.len())
}

const MY_VALID: &[&str] = &[
    "770305-02-1234",
    "890131-06-1224",
    "810909785542",
    "880229875542",
];
const MY_INVALID: &[&str] = &[
    "771305-02-1234",
    "890132-06-1224",
    "870229875542",
    "770305-00-1234",
    "890131-17-1224",
    "810909805542",
    "880229195542",
    "770305-00",
    "890A31-17-1224",
];

const TH_VALID: &[&str] = &[
    "1 1101 00152 64 1",
    "1 1996 00076 67 4",
    "1 6299 00299 92 5",
    "1 7399 00504 82 0",
    "1-1002-00439-84-4",
    "1100900359657",
    "1311100161266",
    "1350500075722",
    "1459900065632",
    "1670800079267",
    "2 3107 00002 24 7",
    "3   451  000  50     5414",
    "3  3415  01 082 5 68",
    "3  91 05 00  3    92 03 6",
    "3 5099 00736 90 7",
    "3 6710 00129 65 8",
    "3 7401 00523 48 8",
    "3-1001-00818-95-5",
    "3-1103-00283-26-5",
    "3-1898-00009-58-6",
    "3-3207-00476-55-7",
    "3-5207-00211-03-9",
    "3-6599-00381-54-7",
    "3-7005-00702-40-1",
    "3-9099-00588-10-6",
    "3100400648338",
    "3101900254691",
    "3102400746269",
    "33508 0030 2577",
    "3400100399577",
    "3540200423193",
    "3569900168313",
    "3600500113229",
    "3629900162691",
    "3709800221741",
    "3810100438722",
    "4 6205000  0482 7",
    "4-6607-00003-53-1",
    "4220100005137",
    "5 3013 00038 01 1",
    "5 5805 90000 01 9",
    "5100200233319",
    "5260399000878",
    "5671000003006",
    "5900599008311",
];
const TH_INVALID: &[&str] = &[
    "1-2345-45678-78-11",
    "1-2345-45678-78-X",
    "0-2345-45678-78-1",
    "9-2345-45678-78-1",
];

const ID_VALID: &[&str] = &["3171011708450001", "3171015708450001", "3171012902001234"];
const ID_INVALID: &[&str] = &["31710117084500", "9971011708450001", "3171013002001234"];

const TW_VALID: &[&str] = &[
    "A123456789",
    "M140051653",
    "Q238927307",
    "A120229780",
    "A123402290",
    "A130456780",
    "M162773050",
];
const TW_INVALID: &[&str] = &["A223456789", "m140051653", "A120229781", "M162773051"];

const HK_VALID: &[&str] = &[
    "A000056(9)",
    "A100006(6)",
    "A113456(9)",
    "A120234(3)",
    "A123005(3)",
    "A123256(0)",
    "A123411(3)",
    "A123456(3)",
    "A123996(4)",
    "A130455(3)",
    "A133456(8)",
    "A303456(1)",
    "D360546A",
    "TP1490258",
    "A1234563",
];
const HK_INVALID: &[&str] = &["LL2557369A", "TP1490253", "A1234564", "G1234560"];

const PH_VALID: &[&str] = &["1234-5678912-3", "123456789123"];
const PH_INVALID: &[&str] = &["1234567890"];

#[test]
fn independent_vectors() {
    let counts = [
        ("MY MyKad", check("my_nric", my_nric, MY_VALID, MY_INVALID)),
        ("TH PIN", check("th_pin", th_pin, TH_VALID, TH_INVALID)),
        ("ID NIK", check("id_nik", id_nik, ID_VALID, ID_INVALID)),
        ("TW ID", check("tw_id", tw_id, TW_VALID, TW_INVALID)),
        ("HK ID", check("hk_id", hk_id, HK_VALID, HK_INVALID)),
        ("PH PSN", check("ph_psn", ph_psn, PH_VALID, PH_INVALID)),
    ];
    for (name, (v, i)) in counts {
        eprintln!("{name}: {v} valid, {i} invalid vectors pass");
    }
}
