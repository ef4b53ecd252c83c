//! `cn-transactions`: Chinese e-commerce transactions and the user table they reference.

use super::{contact, customer_sequence, moment_between, note, sku, Built};
use crate::checks::cn_resident_id_lookalike;
use crate::people::{cn_people, render_phone};
use crate::rng::Rng;
use crate::table::{adv, col, ColSpec, TableBuilder};
use crate::vocab::cn;
use crate::{DataClass as C, GenOptions};

const TRANSACTIONS: [ColSpec; 15] = [
    col("订单号", "Order No", "订单号 Order No", C::OrderId, None),
    col("用户ID", "User ID", "user_id", C::Other, None),
    col("姓名", "Name", "姓名 Name", C::PersonName, None),
    col("身份证号", "ID Number", "身份证号", C::NationalId, Some("cn_resident_id")),
    col("手机号", "Mobile", "mobile", C::Phone, None),
    col("收货地址", "Shipping Address", "收货地址", C::Address, None),
    col("商品", "Product", "product", C::Product, None),
    adv("商品编码", "SKU", "sku", C::Product, Some("sku")),
    col("数量", "Qty", "数量", C::Other, None),
    col("价格", "Price", "price", C::Amount, Some("CNY")),
    col("下单时间", "Order Time", "下单时间", C::Timestamp, None),
    adv("交易流水号", "Transaction Serial", "交易流水号", C::OrderId, Some("transaction")),
    adv("物流单号", "Tracking No", "tracking_no", C::OrderId, Some("tracking")),
    adv("支付时间戳", "Paid At (ms)", "paid_ts", C::Timestamp, Some("unix_millis")),
    adv("备注", "Remarks", "备注", C::Other, Some("free_text_phone")),
];

const USERS: [ColSpec; 10] = [
    col("用户ID", "User ID", "user_id", C::Other, None),
    col("姓名", "Name", "姓名", C::PersonName, None),
    col("性别", "Gender", "gender", C::Gender, None),
    col("出生日期", "Date of Birth", "出生日期", C::DateOfBirth, None),
    col("身份证号", "ID Number", "id_card", C::NationalId, Some("cn_resident_id")),
    col("手机号", "Mobile", "手机号", C::Phone, None),
    col("邮箱", "Email", "email", C::Email, None),
    col("收货地址", "Address", "address", C::Address, None),
    col("注册时间", "Registered At", "注册时间", C::Timestamp, None),
    adv("联系方式", "Contact", "contact", C::Phone, Some("mixed_email_phone")),
];

/// Builds transactions and users.
pub(crate) fn build(opts: &GenOptions) -> Built {
    let mut rng = Rng::new(opts.seed, 2);
    let rows = opts.rows.max(1);
    let people = cn_people(&mut rng, (rows / 3).max(1));

    let mut users = TableBuilder::new("users", &USERS, opts.headers, opts.adversarial);
    for (i, p) in people.iter().enumerate() {
        let (y, m, d) = p.birth;
        users.push(vec![
            format!("{}", 20_000_000 + i * 3),
            p.name.clone(),
            if p.male { "男" } else { "女" }.to_string(),
            format!("{y}-{m:02}-{d:02}"),
            p.national_id.clone().unwrap_or_default(),
            render_phone(&mut rng, &p.phone),
            p.email.clone().unwrap_or_default(),
            p.address.clone(),
            moment_between(&mut rng, (2016, 1, 1), (2019, 2, 28)).iso(),
            contact(&mut rng, p),
        ]);
    }

    let mut tx = TableBuilder::new("transactions", &TRANSACTIONS, opts.headers, opts.adversarial);
    for c in customer_sequence(&mut rng, people.len(), rows) {
        let p = &people[c];
        let t = moment_between(&mut rng, (2019, 3, 1), (2021, 8, 31));
        let qty = rng.range(1, 6);
        let cents = rng.range(990, 99_900) * qty;
        let price = format!("{}{}.{:02}", if rng.chance(0.3) { "¥" } else { "" }, cents / 100, cents % 100);
        let area = rng.pick(&cn::AREAS);
        let serial_date = (rng.range(1960, 2005) as i32, rng.range(1, 12) as u32, rng.range(1, 28) as u32);
        let salt = rng.below(1000) as u32;
        tx.push(vec![
            format!("{}{}", rng.range(1, 4), rng.digits(18)),
            format!("{}", 20_000_000 + c * 3),
            p.name.clone(),
            p.national_id.clone().unwrap_or_default(),
            render_phone(&mut rng, &p.phone),
            p.address.clone(),
            rng.pick(&cn::PRODUCTS).to_string(),
            sku(&mut rng, "SKU"),
            qty.to_string(),
            price,
            if rng.chance(0.8) { t.iso() } else { t.zh() },
            cn_resident_id_lookalike(area.code, serial_date, salt, salt / 10),
            format!("1{}{}", rng.range(3, 9), rng.digits(10)),
            ((t.0 + rng.range(5, 900)) * 1000 + rng.range(0, 999)).to_string(),
            note(&mut rng, p, &cn::NOTES, "联系电话{}，送货前请联系"),
        ]);
    }
    (vec![tx.finish(), users.finish()], None)
}
