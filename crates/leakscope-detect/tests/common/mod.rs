//! Deterministic generators of realistic leaked columns (VN shop platform, CN transactions,
//! SG grocery accounts), including adversarial look-alikes.

#![allow(dead_code)]

/// SplitMix64: small, deterministic, good enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
    pub fn digits(&mut self, n: usize) -> String {
        (0..n)
            .map(|_| char::from(b'0' + self.below(10) as u8))
            .collect()
    }
    pub fn chance(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
}

const VN_SURNAMES: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
];
const VN_MIDDLE: &[&str] = &[
    "Văn", "Thị", "Đức", "Minh", "Ngọc", "Thanh", "Hữu", "Quốc", "Gia", "Bảo",
];
const VN_GIVEN: &[&str] = &[
    "An", "Bình", "Châu", "Dũng", "Hà", "Hải", "Hòa", "Hùng", "Lan", "Linh", "Long", "Mai", "Nam",
    "Phúc", "Quân", "Sơn", "Thảo", "Trang", "Tuấn", "Vy", "Yến",
];
const CN_SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "欧阳", "司马",
];
const CN_GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "小明", "建国",
];
const SG_SURNAMES: &[&str] = &[
    "Tan", "Lim", "Lee", "Ng", "Ong", "Wong", "Goh", "Chua", "Koh", "Teo",
];
const SG_GIVEN: &[&str] = &[
    "Wei Ming", "Hui Ling", "Jun Jie", "Mei Ling", "Kai Wen", "Xin Yi", "Jia Hui", "Zhi Hao",
];
const SG_WESTERN: &[&str] = &[
    "Sarah", "David", "Michael", "Rachel", "Kevin", "Nicole", "Ryan", "Emily",
];

pub fn fold_ascii(s: &str) -> String {
    leakscope_detect::text::fold(s)
        .split(' ')
        .map(|t| {
            let mut c = t.chars();
            c.next()
                .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn vn_name(r: &mut Rng) -> String {
    let n = format!(
        "{} {} {}",
        r.pick(VN_SURNAMES),
        r.pick(VN_MIDDLE),
        r.pick(VN_GIVEN)
    );
    match r.below(4) {
        0 => n.to_uppercase(),
        1 => fold_ascii(&n),
        _ => n,
    }
}

pub fn cn_name(r: &mut Rng) -> String {
    format!("{}{}", r.pick(CN_SURNAMES), r.pick(CN_GIVEN))
}

pub fn sg_name(r: &mut Rng) -> String {
    match r.below(5) {
        0 => format!("{} {}", r.pick(SG_WESTERN), r.pick(SG_SURNAMES)),
        1 => format!("Muhammad {} bin Ahmad", r.pick(&["Hafiz", "Faiz", "Irfan"])),
        _ => format!("{} {}", r.pick(SG_SURNAMES), r.pick(SG_GIVEN)),
    }
}

pub fn vn_phone(r: &mut Rng) -> String {
    let p = r
        .pick(&[
            "090", "091", "098", "097", "086", "032", "035", "070", "077", "083", "088", "056",
        ])
        .to_string();
    let rest = r.digits(7);
    match r.below(5) {
        0 => format!("+84{}{}", &p[1..], rest),
        1 => format!("{} {} {}", p, &rest[..3], &rest[3..]),
        2 => format!("{}.{}.{}", p, &rest[..3], &rest[3..]),
        _ => format!("{p}{rest}"),
    }
}

pub fn cn_phone(r: &mut Rng) -> String {
    let p = r
        .pick(&[
            "130", "135", "138", "139", "150", "152", "158", "166", "177", "180", "186", "189",
            "199",
        ])
        .to_string();
    let n = format!("{p}{}", r.digits(8));
    if r.chance(15) {
        format!("+86 {n}")
    } else {
        n
    }
}

pub fn sg_phone(r: &mut Rng) -> String {
    let first = r.pick(&["8", "9", "9", "6"]).to_string();
    let n = format!("{first}{}", r.digits(7));
    match r.below(3) {
        0 => format!("+65 {} {}", &n[..4], &n[4..]),
        1 => format!("{} {}", &n[..4], &n[4..]),
        _ => n,
    }
}

pub fn email(r: &mut Rng, name_hint: &str) -> String {
    let local: String = leakscope_detect::text::fold(name_hint)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(12)
        .collect();
    let local = if local.is_empty() {
        format!("user{}", r.digits(4))
    } else {
        local
    };
    let domain = r.pick(&[
        "gmail.com",
        "yahoo.com.vn",
        "qq.com",
        "163.com",
        "hotmail.com",
        "singnet.com.sg",
        "outlook.com",
    ]);
    format!("{local}{}@{domain}", r.digits(2))
}

const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

pub fn cn_id(r: &mut Rng) -> String {
    let area = r.pick(&[
        "110101", "110105", "310104", "320102", "330106", "440305", "440106", "510107", "420111",
        "370202",
    ]);
    let y = 1950 + r.below(55);
    let m = 1 + r.below(12);
    let d = 1 + r.below(28);
    let body = format!("{area}{y}{m:02}{d:02}{}", r.digits(3));
    let sum: u32 = body
        .bytes()
        .zip(W)
        .map(|(b, w)| (b - b'0') as u32 * w)
        .sum();
    format!("{body}{}", b"10X98765432"[(sum % 11) as usize] as char)
}

/// 18 digits that look like a resident ID but are not (order numbers): checksum usually fails.
pub fn cn_id_lookalike(r: &mut Rng) -> String {
    format!("{}{}", r.pick(&["2023", "2024"]), r.digits(14))
}

pub fn sg_nric(r: &mut Rng) -> String {
    let p = *r.pick(b"STFGM");
    let d = r.digits(7);
    let sum: u32 = d
        .bytes()
        .zip([2u32, 7, 6, 5, 4, 3, 2])
        .map(|(b, w)| (b - b'0') as u32 * w)
        .sum();
    let c = match p {
        b'S' => b"JZIHGFEDCBA"[(sum % 11) as usize],
        b'T' => b"JZIHGFEDCBA"[((sum + 4) % 11) as usize],
        b'F' => b"XWUTRQPNMLK"[(sum % 11) as usize],
        b'G' => b"XWUTRQPNMLK"[((sum + 4) % 11) as usize],
        _ => b"KLJNPQRTUWX"[(10 - (sum + 3) % 11) as usize],
    };
    format!("{}{d}{}", p as char, c as char)
}

pub fn vn_cccd(r: &mut Rng) -> String {
    let prov = r.pick(&["001", "079", "048", "031", "092", "038", "040"]);
    let yy = 60 + r.below(45);
    let (g, y2) = if yy >= 100 {
        (2 + r.below(2), yy - 100)
    } else {
        (r.below(2), yy)
    };
    format!("{prov}{g}{y2:02}{}", r.digits(6))
}

pub fn bcrypt(r: &mut Rng) -> String {
    const A: &[u8] = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let s: String = (0..53).map(|_| A[r.below(64) as usize] as char).collect();
    format!("$2{}$10${s}", r.pick(&["a", "b", "y"]))
}

pub fn md5_hex(r: &mut Rng) -> String {
    (0..32)
        .map(|_| char::from(b"0123456789abcdef"[r.below(16) as usize]))
        .collect()
}

pub fn masked_card(r: &mut Rng) -> String {
    match r.below(3) {
        0 => format!("**** **** **** {}", r.digits(4)),
        1 => format!(
            "{}******{}",
            r.pick(&["411111", "555555", "453201", "520082"]),
            r.digits(4)
        ),
        _ => format!("XXXX-XXXX-XXXX-{}", r.digits(4)),
    }
}

pub fn vn_address(r: &mut Rng) -> String {
    let street = r.pick(&[
        "Nguyễn Huệ",
        "Lê Lợi",
        "Trần Hưng Đạo",
        "Hai Bà Trưng",
        "Cầu Giấy",
    ]);
    let ward = r.pick(&[
        "Phường Bến Nghé",
        "Phường 7",
        "Phường Dịch Vọng",
        "Xã Tân Lập",
    ]);
    let dist = r.pick(&["Quận 1", "Quận 3", "Quận Cầu Giấy", "Huyện Đan Phượng"]);
    let city = r.pick(&["TP. Hồ Chí Minh", "Hà Nội", "Đà Nẵng"]);
    let a = format!("{} {street}, {ward}, {dist}, {city}", 1 + r.below(300));
    if r.chance(25) {
        leakscope_detect::text::fold(&a)
    } else {
        a
    }
}

pub fn cn_address(r: &mut Rng) -> String {
    let p = r.pick(&[
        "广东省深圳市南山区",
        "北京市朝阳区",
        "上海市浦东新区",
        "浙江省杭州市西湖区",
        "四川省成都市武侯区",
    ]);
    let road = r.pick(&["科技路", "建国路", "人民路", "中山大道", "解放街"]);
    format!(
        "{p}{road}{}号{}栋{}室",
        1 + r.below(200),
        1 + r.below(20),
        100 + r.below(900)
    )
}

pub fn sg_address(r: &mut Rng) -> String {
    let town = r.pick(&[
        "Ang Mo Kio Ave 3",
        "Tampines St 21",
        "Jurong West St 52",
        "Bedok North Road",
        "Yishun Ring Road",
    ]);
    format!(
        "Blk {} {town} #{:02}-{:02} Singapore {}",
        100 + r.below(800),
        1 + r.below(20),
        1 + r.below(99),
        100_000 + r.below(800_000)
    )
}

pub fn dob(r: &mut Rng, style: u8) -> String {
    let y = 1950 + r.below(56);
    let m = 1 + r.below(12);
    let d = 1 + r.below(28);
    match style {
        0 => format!("{d:02}/{m:02}/{y}"),
        1 => format!("{y}-{m:02}-{d:02}"),
        _ => format!("{y}年{m}月{d}日"),
    }
}

pub fn timestamp(r: &mut Rng, style: u8) -> String {
    let secs = 1_640_995_200 + r.below(94_000_000); // 2022-01-01 .. ~2024-12
    match style {
        0 => secs.to_string(),
        1 => {
            let days = secs / 86_400;
            let (y, m, d) = civil(days as i64);
            format!(
                "{y}-{m:02}-{d:02} {:02}:{:02}:{:02}",
                (secs / 3600) % 24,
                (secs / 60) % 60,
                secs % 60
            )
        }
        _ => {
            let (y, m, d) = civil((secs / 86_400) as i64);
            format!(
                "{y}-{m:02}-{d:02}T{:02}:{:02}:00Z",
                (secs / 3600) % 24,
                (secs / 60) % 60
            )
        }
    }
}

fn civil(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

pub fn vn_product(r: &mut Rng) -> String {
    format!(
        "{} {} {}",
        r.pick(&[
            "Áo thun",
            "Quần jean",
            "Giày thể thao",
            "Túi xách",
            "Ốp lưng",
            "Sữa tươi",
            "Bánh quy",
            "Son môi"
        ]),
        r.pick(&[
            "nam",
            "nữ",
            "cao cấp",
            "chính hãng",
            "Hoàng Gia",
            "Minh Long"
        ]),
        r.pick(&["size L", "size M", "500ml", "1kg", "combo 2", "màu đen"])
    )
}

pub fn cn_product(r: &mut Rng) -> String {
    format!(
        "{}{}",
        r.pick(&["新款", "正品", "包邮", "官方"]),
        r.pick(&[
            "手机壳",
            "连衣裙",
            "纯牛奶 250ml",
            "充电器",
            "蓝牙耳机",
            "运动鞋"
        ])
    )
}

pub fn sg_product(r: &mut Rng) -> String {
    format!(
        "{} {}",
        r.pick(&[
            "Fresh Milk",
            "Jasmine Rice",
            "Free Range Eggs",
            "Green Tea",
            "Chicken Breast",
            "Orange Juice"
        ]),
        r.pick(&["1L", "5kg", "10 pcs", "500g", "2L"])
    )
}

pub fn vn_shop(r: &mut Rng) -> String {
    format!(
        "{} {}",
        r.pick(&["Shop", "Cửa hàng", "Tiệm", "Store"]),
        r.pick(&[
            "Thời Trang Hoa",
            "Minh Anh",
            "Mẹ và Bé",
            "Điện Thoại Số",
            "Giày Đẹp"
        ])
    )
}

pub fn cn_shop(r: &mut Rng) -> String {
    format!(
        "{}{}",
        r.pick(&["小米", "优衣库", "华为", "三只松鼠", "良品"]),
        r.pick(&["官方旗舰店", "专卖店", "旗舰店"])
    )
}

pub fn note(r: &mut Rng, phone: &str) -> String {
    if r.chance(15) {
        format!("Giao giờ hành chính, gọi trước {phone} nhé")
    } else {
        r.pick(&[
            "Giao giờ hành chính",
            "Gọi trước khi giao",
            "Để hàng ở bảo vệ",
            "Không giao thứ 7",
            "Hàng dễ vỡ, nhẹ tay giúp em",
        ])
        .to_string()
    }
}
