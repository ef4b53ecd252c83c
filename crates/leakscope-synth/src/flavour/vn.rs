//! `vn-shop`: a Vietnamese multi-tenant shop platform export (shops, customers, orders).

use std::collections::HashSet;

use super::{contact, customer_sequence, moment_between, note, sku, Built};
use crate::dates::Moment;
use crate::people::{render_name, render_phone, vn_people, Person};
use crate::rng::{Rng, Zipf};
use crate::table::{adv, col, ColSpec, TableBuilder};
use crate::vocab::vn;
use crate::{DataClass as C, GenOptions};

const ORDERS: [ColSpec; 19] = [
    col("Mã đơn hàng", "Order ID", "Ma don hang", C::OrderId, None),
    col("Mã shop", "Shop ID", "Ma shop", C::Merchant, None),
    col("Tên cửa hàng", "Shop Name", "Ten cua hang", C::Merchant, None),
    col("Mã khách hàng", "Customer ID", "Ma khach hang", C::Other, None),
    col("Tên người nhận", "Recipient Name", "Ten nguoi nhan", C::PersonName, None),
    col("Số điện thoại", "Phone", "So dien thoai", C::Phone, None),
    col("Email", "Email", "Email", C::Email, None),
    col("Số CCCD", "National ID", "So CCCD", C::NationalId, Some("vn_cccd")),
    col("Địa chỉ giao hàng", "Shipping Address", "Dia chi giao hang", C::Address, None),
    col("Sản phẩm", "Product", "San pham", C::Product, None),
    adv("Mã SKU", "SKU", "Ma SKU", C::Product, Some("sku")),
    col("Số lượng", "Quantity", "So luong", C::Other, None),
    col("Thành tiền", "Total (VND)", "Thanh tien", C::Amount, Some("VND")),
    col("Thời gian đặt hàng", "Order Time", "Thoi gian dat hang", C::Timestamp, None),
    col("Trạng thái", "Status", "Trang thai", C::Other, None),
    adv("Mã vận đơn", "Tracking Number", "Ma van don", C::OrderId, Some("tracking")),
    adv("Mã giao dịch", "Transaction Ref", "Ma giao dich", C::OrderId, Some("transaction")),
    adv("Thanh toán lúc", "Paid At (Unix)", "Thanh toan luc", C::Timestamp, Some("unix_seconds")),
    adv("Ghi chú", "Notes", "Ghi chu", C::Other, Some("free_text_phone")),
];

const CUSTOMERS: [ColSpec; 10] = [
    col("Mã khách hàng", "Customer ID", "Ma khach hang", C::Other, None),
    col("Họ và tên", "Full Name", "Ho va ten", C::PersonName, None),
    col("SĐT", "Mobile", "SDT", C::Phone, None),
    col("Email", "Email", "Email", C::Email, None),
    col("CCCD", "Citizen ID", "CCCD", C::NationalId, Some("vn_cccd")),
    col("Ngày sinh", "Date of Birth", "Ngay sinh", C::DateOfBirth, None),
    col("Giới tính", "Gender", "Gioi tinh", C::Gender, None),
    col("Địa chỉ", "Address", "Dia chi", C::Address, None),
    col("Ngày đăng ký", "Registered At", "Ngay dang ky", C::Timestamp, None),
    adv("Liên hệ", "Contact", "Lien he", C::Phone, Some("mixed_email_phone")),
];

const SHOPS: [ColSpec; 4] = [
    col("Mã shop", "Shop ID", "Ma shop", C::Merchant, None),
    col("Tên cửa hàng", "Shop Name", "Ten cua hang", C::Merchant, None),
    col("Ngày tạo", "Created At", "Ngay tao", C::Timestamp, None),
    col("Gói dịch vụ", "Plan", "Goi dich vu", C::Other, None),
];

const STATUS: [&str; 5] = ["Đã giao", "Đang giao", "Đã hủy", "Chờ xác nhận", "Hoàn trả"];

fn email_cell(rng: &mut Rng, p: &Person) -> String {
    match &p.email {
        Some(e) if rng.chance(0.05) => {
            let mut c = e.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
        }
        Some(e) => e.clone(),
        None => String::new(),
    }
}

fn order_id(rng: &mut Rng, t: Moment) -> String {
    const A: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
    let (y, m, d) = crate::dates::civil_from_days(t.day());
    let tail: String = (0..8).map(|_| A[rng.below(A.len() as u64) as usize] as char).collect();
    format!("{:02}{m:02}{d:02}{tail}", y % 100)
}

/// Builds shops, customers and orders.
pub(crate) fn build(opts: &GenOptions) -> Built {
    let mut rng = Rng::new(opts.seed, 1);
    let rows = opts.rows.max(1);
    let people = vn_people(&mut rng, (rows * 2 / 5).max(1));
    let n_shops = (rows / 8).max(1);

    let mut shops = TableBuilder::new("shops", &SHOPS, opts.headers, opts.adversarial);
    let mut names = HashSet::new();
    let mut shop_rows = Vec::with_capacity(n_shops);
    for i in 0..n_shops {
        let id = format!("{}", 100_000 + i * 7 + rng.below(7) as usize);
        let base = format!("{} {} {}", rng.pick(&vn::SHOP_PREFIX), rng.pick(&vn::SHOP_THEME), rng.pick(&vn::GIVEN_F));
        let mut name = base.clone();
        let mut n = 2;
        while !names.insert(name.clone()) {
            name = format!("{base} {n}");
            n += 1;
        }
        let created = moment_between(&mut rng, (2019, 6, 1), (2021, 12, 31));
        let plan = rng.pick(&["Cơ bản", "Nâng cao", "Pro"]).to_string();
        shops.push(vec![id.clone(), name.clone(), created.iso(), plan]);
        shop_rows.push((id, name));
    }

    let mut customers = TableBuilder::new("customers", &CUSTOMERS, opts.headers, opts.adversarial);
    for (i, p) in people.iter().enumerate() {
        let (y, m, d) = p.birth;
        customers.push(vec![
            format!("KH{:07}", i + 1),
            render_name(&mut rng, &p.name),
            render_phone(&mut rng, &p.phone),
            email_cell(&mut rng, p),
            p.national_id.clone().unwrap_or_default(),
            format!("{d:02}/{m:02}/{y}"),
            if p.male { "Nam" } else { "Nữ" }.to_string(),
            p.address.clone(),
            moment_between(&mut rng, (2020, 1, 1), (2023, 12, 31)).iso(),
            contact(&mut rng, p),
        ]);
    }

    let mut orders = TableBuilder::new("orders", &ORDERS, opts.headers, opts.adversarial);
    let zipf = Zipf::new(n_shops, 1.1);
    let mut shop_seq: Vec<usize> = (0..rows).map(|i| if i < n_shops { i } else { zipf.sample(&mut rng) }).collect();
    for i in (1..shop_seq.len()).rev() {
        shop_seq.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let cust_seq = customer_sequence(&mut rng, people.len(), rows);
    for (&s, &c) in shop_seq.iter().zip(&cust_seq) {
        let p = &people[c];
        let t = moment_between(&mut rng, (2022, 1, 1), (2024, 6, 30));
        let qty = rng.range(1, 5);
        let total = rng.range(15, 2500) * 1000 * qty;
        let amount = if rng.chance(0.25) { dotted(total) } else { total.to_string() };
        orders.push(vec![
            order_id(&mut rng, t),
            shop_rows[s].0.clone(),
            shop_rows[s].1.clone(),
            format!("KH{:07}", c + 1),
            render_name(&mut rng, &p.name),
            render_phone(&mut rng, &p.phone),
            email_cell(&mut rng, p),
            p.national_id.clone().unwrap_or_default(),
            p.address.clone(),
            rng.pick(&vn::PRODUCTS).to_string(),
            sku(&mut rng, "SP"),
            qty.to_string(),
            amount,
            t.iso(),
            rng.pick(&STATUS).to_string(),
            format!("84{}", rng.digits(10)),
            format!("{}{}{:02}{}", rng.range(100, 999), rng.range(0, 3), rng.below(100), rng.digits(6)),
            (t.0 + rng.range(30, 3600)).to_string(),
            note(&mut rng, p, &vn::NOTES, "Gọi trước khi giao: {}"),
        ]);
    }
    let tenant = orders.position("Mã shop").map(|c| (0, c));
    (vec![orders.finish(), customers.finish(), shops.finish()], tenant)
}

/// `1250000` → `1.250.000`.
pub(crate) fn dotted(n: i64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(ch);
    }
    out
}
