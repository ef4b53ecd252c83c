//! `sg-grocery`: Singapore grocery accounts (some people hold several) and their orders.

use super::{contact, moment_between, note, sku, Built};
use crate::cards::{bcrypt_like, card_number, mask_card, md5_like};
use crate::checks::nric_valid;
use crate::dates::{days_from_civil, Moment};
use crate::people::{render_phone, sg_people};
use crate::rng::{Rng, Zipf};
use crate::table::{adv, col, ColSpec, TableBuilder};
use crate::vocab::sg;
use crate::{DataClass as C, GenOptions};

const CUSTOMERS: [ColSpec; 15] = [
    col("customer_id", "Customer ID", "cust_no", C::Other, None),
    col("full_name", "Full Name", "cust_nm", C::PersonName, None),
    col("email", "Email Address", "email_addr", C::Email, None),
    col("mobile", "Mobile Number", "hp_no", C::Phone, None),
    col("nric", "NRIC/FIN", "ic_no", C::NationalId, Some("sg_nric_fin")),
    col("address", "Delivery Address", "addr", C::Address, None),
    col("postal_code", "Postal Code", "postcode", C::PostalCode, None),
    col("password_hash", "Password Hash", "pwd", C::PasswordHash, Some("bcrypt")),
    col("legacy_password", "Legacy Password (MD5)", "old_pwd", C::PasswordHash, Some("md5")),
    col("card_masked", "Saved Card", "card_no", C::PaymentCardPartial, None),
    col("created_at", "Created At", "crt_dt", C::Timestamp, None),
    col("last_login", "Last Login", "last_login_dt", C::Timestamp, None),
    adv("contact", "Contact", "contact", C::Phone, Some("mixed_email_phone")),
    adv("referral_code", "Referral Code", "ref_cd", C::Other, Some("nric_lookalike")),
    adv("member_no", "Member Number", "mbr_no", C::Other, Some("phone_lookalike")),
];

const ORDERS: [ColSpec; 11] = [
    col("order_id", "Order ID", "ord_no", C::OrderId, None),
    col("customer_id", "Customer ID", "cust_no", C::Other, None),
    col("order_date", "Order Date", "ord_dt", C::Timestamp, None),
    col("total_sgd", "Total (SGD)", "ord_amt", C::Amount, Some("SGD")),
    col("items", "Items", "qty", C::Other, None),
    col("top_item", "Top Item", "item_desc", C::Product, None),
    adv("sku", "SKU", "item_cd", C::Product, Some("sku")),
    col("delivery_slot", "Delivery Slot", "dlv_slot", C::Other, None),
    adv("tracking_no", "Tracking Number", "trk_no", C::OrderId, Some("tracking")),
    adv("notes", "Notes", "remarks", C::Other, Some("free_text_phone")),
    adv("paid_at", "Paid At (Unix)", "paid_ts", C::Timestamp, Some("unix_seconds")),
];

const SLOTS: [&str; 4] = ["09:00-12:00", "12:00-15:00", "15:00-18:00", "18:00-22:00"];

/// An NRIC-shaped code with a wrong check letter.
fn nric_lookalike(rng: &mut Rng) -> String {
    loop {
        let s = format!("{}{}{}", rng.pick(&["S", "T"]), rng.digits(7), (b'A' + rng.below(26) as u8) as char);
        if !nric_valid(&s) {
            return s;
        }
    }
}

/// Builds customers (accounts) and orders.
pub(crate) fn build(opts: &GenOptions) -> Built {
    let mut rng = Rng::new(opts.seed, 3);
    let rows = opts.rows.max(1);
    // ~82% as many people as accounts (898,791 people in 1.1M accounts in the real case).
    let people = sg_people(&mut rng, (rows * 82 / 100).max(1));
    let last_day = (2019, 9, 30);

    let mut customers = TableBuilder::new("customers", &CUSTOMERS, opts.headers, opts.adversarial);
    let mut accounts: Vec<(usize, Moment)> = Vec::with_capacity(rows);
    let repeat = Zipf::new(people.len(), 0.5);
    for i in 0..rows {
        let pi = if i < people.len() { i } else { repeat.sample(&mut rng) };
        let p = &people[pi];
        let created = moment_between(&mut rng, (2015, 1, 1), (2019, 6, 30));
        let login = Moment(rng.range(created.0, days_from_civil(last_day.0, last_day.1, last_day.2) * 86_400));
        let legacy = created.0 < days_from_civil(2017, 1, 1) * 86_400;
        let card = if rng.chance(0.7) {
            let n = card_number(&mut rng);
            mask_card(&mut rng, &n)
        } else {
            String::new()
        };
        let id = 100_001 + i;
        customers.push(vec![
            id.to_string(),
            p.name.clone(),
            p.email.clone().unwrap_or_default(),
            render_phone(&mut rng, &p.phone),
            p.national_id.clone().unwrap_or_default(),
            p.address.clone(),
            p.postal.clone().unwrap_or_default(),
            bcrypt_like(&mut rng),
            if legacy { md5_like(&mut rng) } else { String::new() },
            card,
            created.iso(),
            login.iso(),
            contact(&mut rng, p),
            nric_lookalike(&mut rng),
            format!("{}{}", rng.pick(&["8", "9"]), rng.digits(9)),
        ]);
        accounts.push((pi, created));
    }

    let mut orders = TableBuilder::new("orders", &ORDERS, opts.headers, opts.adversarial);
    let pick = Zipf::new(accounts.len(), 0.6);
    for i in 0..rows {
        let a = pick.sample(&mut rng);
        let (pi, created) = accounts[a];
        let p = &people[pi];
        let last = days_from_civil(last_day.0, last_day.1, last_day.2) * 86_400;
        let t = Moment(rng.range(created.0, last));
        let cents = rng.range(1500, 35_000);
        let total = if rng.chance(0.3) { format!("S${}.{:02}", cents / 100, cents % 100) } else { format!("{}.{:02}", cents / 100, cents % 100) };
        orders.push(vec![
            format!("SO{:08}", 10_000_000 + i * 13),
            (100_001 + a).to_string(),
            t.iso(),
            total,
            rng.range(1, 30).to_string(),
            rng.pick(&sg::PRODUCTS).to_string(),
            sku(&mut rng, "GR"),
            format!("{} {}", rng.pick(&["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]), rng.pick(&SLOTS)),
            format!("{}{}", rng.pick(&["8", "9"]), rng.digits(9)),
            note(&mut rng, p, &sg::NOTES, "Call {} if no one home"),
            (t.0 + rng.range(10, 600)).to_string(),
        ]);
    }
    (vec![customers.finish(), orders.finish()], None)
}
