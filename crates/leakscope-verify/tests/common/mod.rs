//! Deterministic generated customers for the verify tests.
#![allow(dead_code)]

use leakscope_formats::{RowBatch, TableInfo};
use leakscope_keys::Secret;
use leakscope_verify::dates::days_from_civil;
use leakscope_verify::{Hashing, Index, IndexBuilder, MapOptions};

/// SplitMix64.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn pick<'a>(&mut self, v: &[&'a str]) -> &'a str {
        v[self.below(v.len() as u64) as usize]
    }
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
}

const VN_FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Đặng", "Bùi",
];
const VN_MIDDLE: &[&str] = &["Thị", "Văn", "Đức", "Minh", "Ngọc", "Hữu"];
const VN_GIVEN: &[&str] = &[
    "Lan", "Hùng", "Đào", "Anh", "Tuấn", "Hương", "Dũng", "Thảo", "Khoa", "Linh", "Quân", "Trang",
];
const EN_GIVEN: &[&str] = &[
    "Sarah", "Wei Ling", "Rajesh", "Siti", "Daniel", "Priya", "Marcus", "Hui Min", "Ahmad", "Grace",
];
const EN_FAMILY: &[&str] = &[
    "Tan", "Lim", "Lee", "Ng", "Wong", "Kumar", "Rahman", "Goh", "Chua", "Teo",
];
const CN_FAMILY: &[&str] = &["王", "李", "张", "刘", "陈", "杨"];
const CN_GIVEN: &[&str] = &["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "军"];
const STREETS: &[&str] = &[
    "Tampines",
    "Bedok North",
    "Jurong West",
    "Ang Mo Kio",
    "Lê Lợi",
    "Nguyễn Huệ",
    "Hai Bà Trưng",
    "Yishun Ring",
];
const DOMAINS: &[&str] = &[
    "gmail.com",
    "yahoo.com.sg",
    "hotmail.com",
    "outlook.com",
    "fpt.vn",
    "qq.com",
];

/// One generated customer.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
    pub tenant: String,
    pub updated: String,
}

fn ascii(s: &str) -> String {
    leakscope_verify::normalize::tokens(s).join("")
}

/// A random person (not yet a customer).
pub fn person(rng: &mut Rng, id: u64) -> Person {
    let name = match rng.below(3) {
        0 => format!(
            "{} {} {}",
            rng.pick(VN_FAMILY),
            rng.pick(VN_MIDDLE),
            rng.pick(VN_GIVEN)
        ),
        1 => format!("{} {}", rng.pick(EN_GIVEN), rng.pick(EN_FAMILY)),
        _ => format!(
            "{}{}{}",
            rng.pick(CN_FAMILY),
            rng.pick(CN_GIVEN),
            rng.pick(CN_GIVEN)
        ),
    };
    let local = {
        let a = ascii(&name);
        if a.is_ascii() && !a.is_empty() {
            a
        } else {
            "user".into()
        }
    };
    let email = format!(
        "{local}.{}{}@{}",
        rng.below(1000),
        id % 97,
        rng.pick(DOMAINS)
    );
    (Person {
        id: format!("C{id:07}"),
        name,
        email,
        phone: phone(rng),
        address: address(rng),
        tenant: format!("shop-{:03}", rng.below(12) + 1),
        updated: date(rng, (2015, 1, 1), (2024, 12, 31)),
    })
    .clone()
}

pub fn phone(rng: &mut Rng) -> String {
    if rng.chance(0.5) {
        format!("+65{}{:07}", rng.pick(&["8", "9"]), rng.below(10_000_000))
    } else {
        format!("+849{:08}", rng.below(100_000_000))
    }
}

pub fn address(rng: &mut Rng) -> String {
    format!(
        "Blk {} {} St {}, #{:02}-{:03}, {:06}",
        rng.below(900) + 1,
        rng.pick(STREETS),
        rng.below(90) + 1,
        rng.below(20) + 1,
        rng.below(300),
        rng.below(900_000) + 100_000
    )
}

/// A random `YYYY-MM-DD` between two dates.
pub fn date(rng: &mut Rng, from: (i32, u32, u32), to: (i32, u32, u32)) -> String {
    let a = days_from_civil(from.0, from.1, from.2);
    let b = days_from_civil(to.0, to.1, to.2);
    leakscope_verify::dates::format_day(a + rng.below((b - a + 1) as u64) as i32)
}

pub fn customers(n: u64, seed: u64) -> Vec<Person> {
    let mut rng = Rng::new(seed);
    (0..n).map(|i| person(&mut rng, i + 1)).collect()
}

pub const REF_HEADERS: [&str; 7] = [
    "customer_id",
    "full_name",
    "email",
    "phone",
    "address",
    "merchant_id",
    "updated_at",
];

pub fn table(name: &str, headers: &[&str]) -> TableInfo {
    TableInfo {
        id: 0,
        name: name.into(),
        source: format!("{name}.csv"),
        headers: headers.iter().map(|s| s.to_string()).collect(),
        has_header_row: true,
    }
}

pub fn batch(rows: &[Vec<String>]) -> RowBatch {
    let mut b = RowBatch::new(1);
    for r in rows {
        r.iter().for_each(|f| b.push_field(f));
        b.end_row();
    }
    b
}

pub fn ref_row(p: &Person) -> Vec<String> {
    vec![
        p.id.clone(),
        p.name.clone(),
        p.email.clone(),
        p.phone.clone(),
        p.address.clone(),
        p.tenant.clone(),
        p.updated.clone(),
    ]
}

pub fn hashing() -> Hashing {
    Hashing::new(Secret::from_bytes(&[7; 32]))
}

pub fn builder(people: &[Person]) -> IndexBuilder {
    let mut b = IndexBuilder::new(hashing(), MapOptions::default(), "generated customers");
    let rows: Vec<Vec<String>> = people.iter().map(ref_row).collect();
    b.add_batch(&table("customers", &REF_HEADERS), &batch(&rows))
        .unwrap();
    b
}

pub fn index(people: &[Person]) -> Index {
    Index::from_vec(builder(people).finish().unwrap(), &hashing()).unwrap()
}

/// The name as a leaker might spell it: case changed, diacritics dropped, tokens reordered.
pub fn respell_name(rng: &mut Rng, name: &str) -> String {
    let mut toks: Vec<String> = name.split(' ').map(str::to_string).collect();
    if rng.chance(0.5) {
        toks.reverse();
    }
    let s = toks.join(" ");
    match rng.below(3) {
        0 => s.to_uppercase(),
        1 => leakscope_verify::normalize::tokens(&s).join(" "),
        _ => s,
    }
}

/// The phone as a leaker might spell it.
pub fn respell_phone(rng: &mut Rng, phone: &str) -> String {
    let digits = &phone[1..];
    match rng.below(3) {
        0 => format!("00{digits}"),
        1 => format!("+{} {} {}", &digits[..2], &digits[2..6], &digits[6..]),
        _ => phone.to_string(),
    }
}

pub const SAMPLE_HEADERS: [&str; 4] = ["Name", "Email Address", "Mobile", "Shipping Address"];

/// A faithful sample row of a customer.
pub fn faithful_row(rng: &mut Rng, p: &Person) -> Vec<String> {
    vec![
        respell_name(rng, &p.name),
        p.email.to_uppercase(),
        respell_phone(rng, &p.phone),
        p.address.to_lowercase(),
    ]
}
