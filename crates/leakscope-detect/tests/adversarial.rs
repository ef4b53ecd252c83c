//! Adversarial look-alikes and header edge cases: identifiers must not be invented.

mod common;

use common::*;
use leakscope_detect::{DataClass, Detectors};

use DataClass::*;

#[test]
fn adversarial_look_alikes() {
    let ds = Detectors::builtin();
    let mut r = Rng::new(99);
    let cases: Vec<(Option<&str>, Vec<String>, DataClass)> = vec![
        (
            None,
            (0..300)
                .map(|_| format!("{}{}", 1_690_000_000_000u64 + r.below(10_000_000_000), ""))
                .collect(),
            Timestamp,
        ),
        (None, (0..300).map(|i| (i + 1).to_string()).collect(), Other),
        (
            None,
            (0..300)
                .map(|_| format!("{}.{:02}", r.below(500), r.below(100)))
                .collect(),
            Amount,
        ),
        // VN-mobile look-alikes: 10-digit sequential ids with a leading 0 (just ids).
        (
            None,
            (0..300)
                .map(|i| format!("09{:08}", 12_345_000 + i))
                .collect(),
            Other,
        ),
        // Valid CN IDs under a generic "id" header are still national IDs.
        (
            Some("id"),
            (0..300).map(|_| cn_id(&mut r)).collect(),
            NationalId,
        ),
        // Tracking numbers under an order header never become phones.
        (
            Some("订单号"),
            (0..300)
                .map(|_| cn_phone(&mut r).replace("+86 ", ""))
                .collect(),
            OrderId,
        ),
        // Random 18-digit numbers: not resident IDs.
        (
            Some("身份证号"),
            (0..300).map(|_| format!("44{}", r.digits(16))).collect(),
            OrderId,
        ),
    ];
    for (h, vals, want) in cases {
        let v: Vec<&str> = vals.iter().map(String::as_str).collect();
        let got = ds.classify_column(h, &v);
        assert_eq!(got.class, want, "{h:?}: {}", got.evidence);
    }
}

#[test]
fn compound_headers_and_plain_words() {
    let ds = Detectors::builtin();
    let mut r = Rng::new(5);
    let addrs: Vec<String> = (0..100).map(|_| cn_address(&mut r)).collect();
    let v: Vec<&str> = addrs.iter().map(String::as_str).collect();
    assert_eq!(ds.classify_column(Some("收货人地址"), &v).class, Address);
    let addrs: Vec<String> = (0..100).map(|_| vn_address(&mut r)).collect();
    let v: Vec<&str> = addrs.iter().map(String::as_str).collect();
    assert_eq!(
        ds.classify_column(Some("Địa chỉ người nhận"), &v).class,
        Address
    );
    let phones: Vec<String> = (0..100).map(|_| cn_phone(&mut r)).collect();
    let v: Vec<&str> = phones.iter().map(String::as_str).collect();
    assert_eq!(ds.classify_column(Some("收货人手机"), &v).class, Phone);
    let status: Vec<&str> = (0..100)
        .map(|i| ["paid", "shipped", "cancelled", "refunded"][i % 4])
        .collect();
    assert_eq!(ds.classify_column(None, &status).class, Other);
    let flags: Vec<&str> = (0..100)
        .map(|i| if i % 3 == 0 { "true" } else { "false" })
        .collect();
    assert_eq!(
        ds.classify_column(Some("email_verified"), &flags).class,
        Other
    );
    let qty: Vec<String> = (0..100).map(|_| (1 + r.below(5)).to_string()).collect();
    let v: Vec<&str> = qty.iter().map(String::as_str).collect();
    assert_eq!(ds.classify_column(Some("商品数量"), &v).class, Other);
    assert_eq!(
        ds.classify_column(Some("sđt"), &[]).class,
        Other,
        "no values: no identifier"
    );
}
