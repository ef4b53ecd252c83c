//! `Detectors::country_free`: when it says a value does not need its row's country, every
//! country gives the same answer (the scan then skips working the row's country out).

use leakscope_detect::{DataClass, Detectors};

#[test]
fn country_free_values_answer_the_same_in_every_country() {
    let d = Detectors::builtin();
    let check = d.prepare(DataClass::Phone, None);
    let values = [
        "+84 912 345 678",
        "+8613812345678",
        "+65 9123 4567",
        "(+44) 20 7946 0958",
        "+1 206 555 0100",
        "0084912345678",
        "0912345678",
        "13812345678",
        "91234567",
        "02438251234",
        "10.776889",
        "N 10.77",
        "2024-01-05",
        "abc",
        "",
        "550e8400-e29b-41d4-a716-446655440000",
    ];
    let countries = ["VN", "CN", "SG", "US", "GB", "MY", "TH"];
    let mut free = 0;
    for v in values {
        if !d.country_free(&check, v) {
            continue;
        }
        free += 1;
        let first = d.check_prepared_in(&check, v, Some(countries[0]));
        for c in &countries[1..] {
            assert_eq!(
                d.check_prepared_in(&check, v, Some(c)),
                first,
                "{v:?} in {c}"
            );
        }
    }
    // Internationally written phones and non-phones are free; national ones are not.
    assert!(free >= 10, "{free}");
    assert!(!d.country_free(&check, "0912345678"));
    assert!(!d.country_free(&check, "91234567"));
    // Other classes never need a row's country.
    assert!(d.country_free(&d.prepare(DataClass::Email, None), "0912345678"));
}
