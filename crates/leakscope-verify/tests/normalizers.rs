//! One definition of the hashed identifier forms: verify, the detectors and the breach corpus
//! normalise e-mails and national IDs identically, so the same identifier hashes the same
//! everywhere (and a verify index and a corpus can be compared).

use leakscope_keys::IdKind;
use leakscope_verify::normalize;

const EMAILS: &[&str] = &[
    " Ng.Lan+shop@Example.COM ",
    "<lan@example.com.sg>",
    "\"Lan@Example.com\"",
    "o'brien@mail.example.ie",
    "UPPER.CASE@GMAIL.COM",
    "a@b",
    "no-at-sign.com",
    "a b@c.com",
    "two@@ats.com",
    ".dot@start.com",
    "x@localhost",
    "",
];

const IDS: &[&str] = &[
    "110105 19491231 002x",
    "110105-19491231-002X",
    "11010519491231002x",
    "cn_resident_id:11010519491231002X",
    "110105194912310021",
    "s1234567d",
    "S 1234567 D",
    "S1234567-D",
    "sg_nric:s1234567d",
    "079 123 456 789",
    "AB-12/34.56",
    "abc",
    "12",
    "ABCDEFG",
    "",
];

#[test]
fn emails_normalise_the_same_in_verify_detect_and_corpus() {
    for e in EMAILS {
        let v = normalize::email(e);
        assert_eq!(v, leakscope_detect::normalize::email(e), "{e:?}");
        assert_eq!(v, leakscope_corpus::normalize::email(e), "{e:?}");
        assert_eq!(
            v,
            leakscope_corpus::normalize_query(IdKind::Email, e),
            "{e:?}"
        );
    }
    assert_eq!(
        normalize::email(EMAILS[0]).as_deref(),
        Some("ng.lan+shop@example.com")
    );
    assert_eq!(
        normalize::email(EMAILS[1]),
        normalize::email("LAN@example.com.sg")
    );
    assert_eq!(normalize::email("a@b"), None);
    assert_eq!(normalize::email("a b@c.com"), None);
}

#[test]
fn national_ids_normalise_the_same_in_verify_detect_and_corpus() {
    for id in IDS {
        let v = normalize::national_id(id);
        assert_eq!(
            v,
            leakscope_detect::normalize::national_id_key(id),
            "{id:?}"
        );
        assert_eq!(v, leakscope_corpus::normalize::national_id(id), "{id:?}");
        assert_eq!(
            v,
            leakscope_corpus::normalize_query(IdKind::NationalId, id),
            "{id:?}"
        );
    }
    // Spaces, dashes, lower-case x and a typed kind all reach one key.
    let cn = normalize::national_id(IDS[0]).unwrap();
    assert_eq!(cn, "cn_resident_id:11010519491231002X");
    for id in &IDS[1..4] {
        assert_eq!(normalize::national_id(id).as_ref(), Some(&cn), "{id:?}");
    }
    let sg = normalize::national_id("S1234567D").unwrap();
    for id in &IDS[5..9] {
        assert_eq!(normalize::national_id(id).as_ref(), Some(&sg), "{id:?}");
    }
    // A failed check digit is a generic ID, never the resident ID it resembles.
    assert_eq!(
        normalize::national_id("110105194912310021").as_deref(),
        Some("national_id:110105194912310021")
    );
    for junk in ["abc", "12", "ABCDEFG", ""] {
        assert_eq!(normalize::national_id(junk), None, "{junk:?}");
    }
}
