//! Deterministic test inputs for cases: a Vietnamese forum post claiming a shop platform's
//! customer data, the platform's own customer table (the reference) and a leaked sample of it
//! (names, e-mails, phones, addresses, MD5 password hashes, merchant ids, orders). Shared by the
//! library tests and the CLI end-to-end test (`#[path]`-included there).
#![allow(dead_code)]

use std::path::Path;

/// A linear congruential generator (fixed seed, same data on every machine).
pub struct Lcg(pub u64);

impl Lcg {
    /// Next value.
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// A value below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ",
];
const MIDDLE: &[&str] = &["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thu"];
const GIVEN: &[&str] = &[
    "Lan", "Hùng", "Minh", "Thu", "Phương", "Quang", "Hà", "Tuấn", "Vy", "Khoa",
];
const STREETS: &[&str] = &[
    "Lê Lợi",
    "Hai Bà Trưng",
    "Nguyễn Huệ",
    "Trần Hưng Đạo",
    "Pasteur",
];

/// One customer of the platform.
#[derive(Clone, Debug)]
pub struct Person {
    /// Customer id.
    pub id: String,
    /// Full name.
    pub name: String,
    /// E-mail.
    pub email: String,
    /// Phone, E.164.
    pub phone: String,
    /// Address.
    pub address: String,
    /// Merchant id.
    pub merchant: String,
}

/// The merchant whose name tries to break HTML and Markdown.
pub const HOSTILE_MERCHANT: &str = "Shop <b>Lụa</b> & *Co*";

/// `n` customers spread over 25 merchants (one with a hostile name).
pub fn people(n: usize) -> Vec<Person> {
    let mut r = Lcg(0x5eed_cafe);
    (0..n)
        .map(|i| {
            // The hostile-named merchant is the largest (a quarter of the customers).
            let m = if i % 4 == 0 { 7 } else { i % 25 };
            Person {
                id: format!("KH{i:06}"),
                name: format!(
                    "{} {} {}",
                    FAMILY[r.below(FAMILY.len() as u64) as usize],
                    MIDDLE[r.below(MIDDLE.len() as u64) as usize],
                    GIVEN[r.below(GIVEN.len() as u64) as usize]
                ),
                email: format!("khach{i}.{}@mail{}.example.vn", r.below(1000), i % 7),
                phone: format!("+849{:08}", 10_000_000 + (i as u64) * 7919 % 89_999_999),
                address: format!(
                    "{} {}, Quận {}, TP. Hồ Chí Minh",
                    r.below(300) + 1,
                    STREETS[r.below(STREETS.len() as u64) as usize],
                    r.below(12) + 1
                ),
                merchant: if m == 7 {
                    HOSTILE_MERCHANT.to_string()
                } else {
                    format!("shop-{m:03}")
                },
            }
        })
        .collect()
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Writes the reference (the platform's own customer table).
pub fn write_reference(path: &Path, people: &[Person]) {
    let mut s = String::from("customer_id,full_name,email,phone,address,merchant_id,updated_at\n");
    for p in people {
        let row = [
            p.id.as_str(),
            &p.name,
            &p.email,
            &p.phone,
            &p.address,
            &p.merchant,
            "2026-10-01",
        ];
        s.push_str(
            &row.iter()
                .map(|c| csv_field(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        s.push('\n');
    }
    std::fs::write(path, s).unwrap();
}

/// A hex MD5-looking digest of a string (a fixed mix, not a real MD5: the scanner only needs the
/// shape of unsalted hashes).
pub fn fake_md5(s: &str) -> String {
    let mut r = Lcg(s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    }));
    (0..4).map(|_| format!("{:08x}", r.next() as u32)).collect()
}

/// Writes the leaked sample: every `step`-th customer, Vietnamese headers, with orders dated in
/// November 2026 and MD5 password hashes.
pub fn write_sample(path: &Path, people: &[Person], step: usize) -> Vec<Person> {
    let mut s =
        String::from("Họ tên,Email,Số điện thoại,Địa chỉ,Mật khẩu,Mã shop,Mã đơn hàng,Ngày đặt\n");
    let mut out = Vec::new();
    for (i, p) in people.iter().enumerate().step_by(step) {
        let row = [
            p.name.clone(),
            p.email.clone(),
            p.phone.clone(),
            p.address.clone(),
            fake_md5(&p.id),
            p.merchant.clone(),
            format!("DH{:07}", 100_000 + i),
            format!("2026-11-{:02} 10:00:00", i % 28 + 1),
        ];
        s.push_str(
            &row.iter()
                .map(|c| csv_field(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        s.push('\n');
        out.push(p.clone());
    }
    std::fs::write(path, s).unwrap();
    out
}

/// The Vietnamese forum post that claims the leak.
pub const POST_VI: &str = "Diễn đàn > Mua bán dữ liệu

[BÁN] Dữ liệu khách hàng sàn Chợ Lúa (cholua.vn) - 1,2 triệu tài khoản
Người bán: laocai_data | Ngày đăng: 02/12/2026

Bán toàn bộ dữ liệu khách hàng của Công ty Cổ phần Chợ Lúa (cholua.vn), gồm 1.200.000 tài khoản.
Thông tin gồm: họ và tên, email, số điện thoại, địa chỉ giao hàng, mật khẩu đã mã hóa MD5, lịch sử mua hàng, số CCCD.
Dữ liệu bị lấy vào tháng 11/2026.
Giá 2.000 USDT, có file mẫu (csv). Liên hệ Telegram @laocai_data
";

/// Raw values from the sample that must never appear in the database or any output.
pub fn raw_values(sample: &[Person]) -> Vec<String> {
    let mut v = Vec::new();
    for p in sample {
        v.push(p.email.clone());
        v.push(p.phone.clone());
        v.push(p.phone.trim_start_matches('+').to_string());
        v.push(p.address.clone());
        v.push(fake_md5(&p.id));
    }
    v
}
