//! The Vietnamese shop platform case: one breach of a multi-tenant e-commerce platform exposes
//! the customers of 1,500 shops.

use super::{col, country, months, reason, tool};
use crate::model::*;

const ORDERS_SRC: &str = "shopnen_dump.zip!/don_hang.csv";
const CUSTOMERS_SRC: &str = "shopnen_dump.zip!/khach_hang.csv";
const ORDERS: u64 = 2_815_402;
const CUSTOMERS: u64 = 1_207_554;

/// Twenty invented shop names (businesses, not people), largest first.
const SHOPS: [&str; 20] = [
    "Thời Trang Hà My",
    "Mỹ Phẩm Ngọc Lan",
    "Shop Mẹ Bống",
    "Điện Máy Phú Quý",
    "Giày Dép Minh Anh",
    "Đồ Gia Dụng An Khang",
    "Phụ Kiện Điện Thoại 24h",
    "Sách Cũ Sài Gòn",
    "Trà Sữa Nhà Làm",
    "Nội Thất Gỗ Việt",
    "Balo Túi Xách Bảo Trâm",
    "Đồ Chơi Trẻ Em Kiki",
    "Nông Sản Đà Lạt Xanh",
    "Thực Phẩm Sạch Hòa Bình",
    "Văn Phòng Phẩm Tuấn Hưng",
    "Hoa Tươi Hồng Nhung",
    "Thể Thao Việt Tiến",
    "Đồng Hồ Thanh Tùng",
    "Cà Phê Rang Xay Cầu Đất",
    "Tạp Hóa Online Bé Na",
];

/// A filled-in profile of a Vietnamese multi-tenant shop platform: two CSV tables with
/// Vietnamese headers, 1,500 tenants (top 20 listed), people estimated with HyperLogLog, unsalted
/// MD5 and some plaintext passwords, CCCD national IDs, and an encoding warning.
pub fn sample_vn_platform() -> ScanProfile {
    let mut notes = col(
        "Ghi chú",
        "other",
        None,
        0.0,
        0.214,
        96_310,
        &["giao giờ hành chính", "gọi trước khi gi•••", "để ở bảo vệ"],
        "free text; 12% of values embed a phone number",
    );
    notes.embedded = vec![ClassShare {
        class: "phone".into(),
        share: 0.12,
    }];
    let mut phone = col(
        "SĐT",
        "phone",
        None,
        0.96,
        0.97,
        1_118_902,
        &["+84 9•• ••• •12", "+84 3•• ••• •87", "+84 8•• ••• •40"],
        "95% of 10,000 sampled values are valid VN mobile numbers",
    );
    phone.mixed = vec![ClassShare {
        class: "other".into(),
        share: 0.05,
    }];
    let customers = TableProfile {
        name: "khach_hang".into(),
        source: CUSTOMERS_SRC.into(),
        rows: CUSTOMERS,
        rows_skipped: 311,
        columns: vec![
            col(
                "Họ tên",
                "person_name",
                None,
                0.95,
                0.99,
                903_114,
                &["Ng••••• Th• H••", "Tr•• V•• A••", "L• Th• M•• Ch••"],
                "93% of sampled values are Vietnamese personal names",
            ),
            col(
                "Email",
                "email",
                None,
                0.99,
                0.61,
                702_455,
                &[
                    "ng•••@gmail.com",
                    "h•••••92@yahoo.com",
                    "t•••@outlook.com.vn",
                ],
                "99.1% of sampled values are valid e-mail addresses",
            ),
            phone,
            col(
                "CCCD",
                "national_id",
                Some("vn_cccd"),
                0.97,
                0.44,
                519_870,
                &["0790•••••512", "0010•••••038", "0480•••••207"],
                "96% of sampled values are 12-digit CCCD numbers with a valid province code",
            ),
            col(
                "Mật khẩu",
                "password_hash",
                Some("md5"),
                0.98,
                1.0,
                1_021_337,
                &["e10adc39•••", "25f9e794•••", "5f4dcc3b•••"],
                "99.8% are 32-hex unsalted MD5; 0.2% look like plaintext",
            ),
            notes,
        ],
    };
    let orders = TableProfile {
        name: "don_hang".into(),
        source: ORDERS_SRC.into(),
        rows: ORDERS,
        rows_skipped: 0,
        columns: vec![
            col(
                "Mã đơn hàng",
                "order_id",
                None,
                0.9,
                1.0,
                ORDERS,
                &["DH2023••••71", "DH2024••••05", "DH2022••••38"],
                "unique prefixed ids; header Mã đơn hàng",
            ),
            col(
                "Tên cửa hàng",
                "merchant",
                None,
                0.92,
                1.0,
                1_500,
                &["Thời Trang Hà My", "Shop Mẹ Bống", "Sách Cũ Sài Gòn"],
                "1,500 distinct business names, each on many rows; header Tên cửa hàng",
            ),
            col(
                "Người nhận",
                "person_name",
                None,
                0.93,
                0.995,
                1_034_770,
                &["Ph•• Th• Th••", "Đ•• Q••• H••", "V• Ng•c Tr••"],
                "92% of sampled values are Vietnamese personal names",
            ),
            col(
                "Số điện thoại",
                "phone",
                None,
                0.98,
                0.999,
                1_065_018,
                &["+84 9•• ••• •33", "+84 7•• ••• •19", "+84 3•• ••• •61"],
                "98% of sampled values are valid VN mobile numbers",
            ),
            col(
                "Địa chỉ giao hàng",
                "address",
                None,
                0.9,
                0.998,
                1_210_663,
                &[
                    "Số •• Ngõ •••, Cầu Giấy, Hà Nội",
                    "••• Lê Văn Sỹ, Q.3, TP.HCM",
                    "Thôn •, Xã •••, Nghệ An",
                ],
                "89% of sampled values hold VN address tokens (Số, Ngõ, Phường, Quận, TP.)",
            ),
            col(
                "Tổng tiền",
                "amount",
                None,
                0.86,
                1.0,
                48_211,
                &["•••.000đ", "1.•••.000đ", "••.000đ"],
                "VND amounts with dot grouping",
            ),
            col(
                "Ngày đặt",
                "timestamp",
                None,
                0.99,
                1.0,
                2_706_114,
                &["2023-••-•• ••:••", "2024-••-•• ••:••", "2021-••-•• ••:••"],
                "100% of sampled values are date-times between 2021-01-04 and 2024-06-28",
            ),
        ],
    };

    let total = ORDERS + CUSTOMERS;
    let people = 1_093_406;
    let known_country = people - 2_118;
    // Strong growth through 2021–2022, with Tết (Jan/Feb) and 11.11 / 12.12 peaks.
    let by_month = months(2021, 1, 42, |i| {
        let month = i % 12;
        let season = match month {
            0 => 21_000,
            10 | 11 => 34_000,
            _ => 0,
        };
        15_000 + 1_800 * i as u64 + season + (i as u64 * 6_151) % 5_200
    });
    let top: Vec<TenantCount> = SHOPS
        .iter()
        .enumerate()
        .map(|(i, name)| TenantCount {
            // Shop ids, with the shop's name from the dump's name column beside them.
            name: (118_300 + 97 * i).to_string(),
            rows: (96_000.0 / ((i + 1) as f64).powf(0.8)).round() as u64,
            label: Some((*name).into()),
        })
        .collect();

    ScanProfile {
        schema: SCAN_SCHEMA.into(),
        tool: tool(),
        generated_at: "2026-11-22T04:30:00Z".into(),
        found_on: Some("2024-09-15".into()),
        rows: total,
        rows_skipped: 311,
        bytes: 204_778_113 + 61_020_448,
        sources: vec![
            SourceSummary { path: ORDERS_SRC.into(), format: "csv".into(), encoding: Some("utf-8".into()), bytes: 204_778_113, compression: vec!["zip".into()], rows: ORDERS },
            SourceSummary { path: CUSTOMERS_SRC.into(), format: "csv".into(), encoding: Some("windows-1258".into()), bytes: 61_020_448, compression: vec!["zip".into()], rows: CUSTOMERS },
        ],
        tables: vec![orders, customers],
        individuals: Individuals {
            estimate: people,
            method: "hyperloglog".into(),
            relative_error: 0.0081,
            keyed_by: vec![
                KeyCount { key: "national_id".into(), rows: 531_337 },
                KeyCount { key: "email".into(), rows: 213_960 },
                KeyCount { key: "phone".into(), rows: 3_247_913 },
            ],
            rows_without_identifier: total - 531_337 - 213_960 - 3_247_913,
            basis: "identifiers".into(),
        },
        data_classes: ["national_id", "person_name", "password_hash", "password", "phone", "email", "address", "merchant", "order_id", "amount", "timestamp"]
            .map(String::from)
            .to_vec(),
        data_classes_hibp: ["Government issued IDs", "Names", "Passwords", "Phone numbers", "Email addresses", "Physical addresses", "Purchases"]
            .map(String::from)
            .to_vec(),
        countries: vec![
            country("VN", "Viet Nam", 0.992, known_country, &["phone", "national_id", "address"]),
            country("US", "United States", 0.003, known_country, &["phone"]),
            country("KR", "Korea, Republic of", 0.002, known_country, &["phone"]),
            country("JP", "Japan", 0.002, known_country, &["phone"]),
            country("AU", "Australia", 0.001, known_country, &["phone"]),
        ],
        records: RecordDates {
            oldest: Some("2021-01-04".into()),
            newest: Some("2024-06-28".into()),
            columns: vec!["don_hang.Ngày đặt".into()],
            age_days: Some(79),
            age_text: Some("newest record 2024-06-28, 2 months before discovery (2024-09-15)".into()),
            by_month,
        },
        tenants: Some(Tenants { column: "don_hang.Tên cửa hàng".into(), count: 1_500, top }),
        passwords: Passwords {
            total: 1_207_554,
            plaintext: 2_415,
            fast_or_unsalted: 1_205_139,
            by_algorithm: vec![
                AlgorithmCount { algorithm: "md5".into(), count: 1_205_139, weak: true },
                AlgorithmCount { algorithm: "plaintext".into(), count: 2_415, weak: true },
            ],
        },
        sensitivity: Sensitivity {
            level: Level::Critical,
            reasons: vec![
                reason("id-and-name", Level::Critical, "CCCD + full name for ~519,870 people: identity theft, fraudulent loans and SIM swaps"),
                reason("weak-password-hashes", Level::High, "1,205,139 unsalted MD5 hashes: most crack in minutes; expect credential stuffing, force resets"),
                reason("plaintext-passwords", Level::High, "2,415 plaintext passwords: immediate account takeover wherever they are reused"),
                reason("multi-tenant", Level::High, "1,500 shops' customers in one breach: each shop may have its own duty to notify"),
                reason("contact-and-purchases", Level::Moderate, "names, phones, addresses and orders: convincing delivery and refund scams"),
            ],
        },
        diagnostics: vec![DiagnosticSummary {
            severity: "warning".into(),
            code: "encoding-invalid-line".into(),
            message: "311 lines not valid windows-1258 skipped (first at line 88,102)".into(),
            source: CUSTOMERS_SRC.into(),
            rows_skipped: 311,
            count: 1,
        }],
        revealed: false,
    }
}
