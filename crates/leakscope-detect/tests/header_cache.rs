//! The remembered header matches (`Detectors::header_hit`) answer exactly as matching afresh.

use leakscope_detect::header::match_header;
use leakscope_detect::Detectors;

#[test]
fn remembered_header_matches_equal_fresh_ones() {
    let d = Detectors::builtin();
    let headers = [
        "email",
        "Số điện thoại",
        "customer_phone",
        "CapacityType",
        "billing_city",
        "收货人手机",
        "tên cửa hàng",
        "national_id",
        "last_update",
        "",
        "col_7",
        "amount ($)",
    ];
    // Twice, so the second round is answered from the cache.
    for round in 0..2 {
        for h in headers {
            let fresh = match_header(d.detectors(), h).map(|x| (x.detector, x.score));
            let cached = d.header_hit(h).map(|x| (x.detector, x.score));
            assert_eq!(fresh, cached, "round {round}: {h:?}");
        }
    }
}
