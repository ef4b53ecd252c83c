//! The wide-table input of `leakscope bench --format wide` (issue 19): a 40-column marketplace
//! order export with the mix of classes real leaks carry — several ids, dates and amounts per row,
//! long free-text addresses, CJK text, phones, e-mails and national IDs. Deterministic (seed 42).

use anyhow::Result;
use std::io::Write;

use leakscope_synth::dates::Moment;
use leakscope_synth::people::{cn_people, render_phone, vn_people, Person};
use leakscope_synth::rng::Rng;
use leakscope_synth::vocab::{cn, vn};

/// Header of the wide table: 40 columns.
pub const WIDE_HEADER: [&str; 40] = [
    "order_id",
    "order_sn",
    "waybill_no",
    "customer_id",
    "shop_id",
    "sku",
    "created_ts",
    "updated_at",
    "paid_at",
    "delivered_date",
    "customer_name",
    "gender",
    "birth_date",
    "phone",
    "email",
    "national_id",
    "shipping_address",
    "billing_address",
    "city",
    "district",
    "receiver_name",
    "receiver_phone",
    "product_name",
    "product_name_zh",
    "note_zh",
    "quantity",
    "unit_price",
    "amount",
    "discount",
    "shipping_fee",
    "total",
    "currency",
    "payment_method",
    "payment_ref",
    "status",
    "ip_address",
    "device_id",
    "voucher_code",
    "rating",
    "remark",
];

const STATUS: [&str; 6] = [
    "completed",
    "shipping",
    "cancelled",
    "returned",
    "pending",
    "completed",
];
const PAYMENT: [&str; 5] = ["COD", "VNPAY", "MOMO", "ZaloPay", "CreditCard"];
const REMARKS: [&str; 6] = [
    "Giao giờ hành chính, gọi trước khi giao",
    "",
    "Hàng dễ vỡ xin nhẹ tay",
    "",
    "Khách hẹn lấy tại bưu cục",
    "Đổi size M sang L",
];

/// Writes about `bytes` of the wide CSV (whole rows; header first).
pub fn wide_csv(bytes: u64, w: &mut dyn Write) -> Result<()> {
    let mut rng = Rng::new(42, 19);
    let mut people: Vec<Person> = vn_people(&mut rng, 40_000);
    people.extend(cn_people(&mut rng, 10_000));
    let mut line = Vec::with_capacity(2048);
    line.extend_from_slice(WIDE_HEADER.join(",").as_bytes());
    line.push(b'\n');
    w.write_all(&line)?;
    let mut written = line.len() as u64;
    // 2023-01-01 00:00:00 UTC onwards, a few minutes per order.
    let mut ts: i64 = 1_672_531_200;
    let mut id: u64 = 10_000_000;
    while written < bytes {
        line.clear();
        row(&mut rng, &people, id, ts, &mut line)?;
        w.write_all(&line)?;
        written += line.len() as u64;
        id += 1;
        ts += rng.range(1, 240);
    }
    Ok(())
}

/// A CSV field, quoted when it holds a comma or quote.
fn field(out: &mut Vec<u8>, v: &str) {
    if v.contains([',', '"', '\n']) {
        out.push(b'"');
        out.extend_from_slice(v.replace('"', "\"\"").as_bytes());
        out.push(b'"');
    } else {
        out.extend_from_slice(v.as_bytes());
    }
    out.push(b',');
}

fn row(rng: &mut Rng, people: &[Person], id: u64, ts: i64, out: &mut Vec<u8>) -> Result<()> {
    let p = &people[rng.below(people.len() as u64) as usize];
    let r = &people[rng.below(people.len() as u64) as usize];
    let m = Moment(ts);
    let paid = Moment(ts + rng.range(30, 7200));
    let delivered = Moment(ts + rng.range(86_400, 6 * 86_400));
    let qty = rng.range(1, 5);
    let price = rng.range(10, 2_000) * 1_000;
    let amount = qty * price;
    let discount = rng.range(0, 5) * 10_000;
    let fee = rng.range(15, 45) * 1_000;
    write!(out, "{id},")?;
    write!(
        out,
        "{}{:06}VN,",
        230_101 + (id % 300),
        rng.below(1_000_000)
    )?;
    write!(out, "SPX{:012},", rng.below(1_000_000_000_000))?;
    write!(out, "{},", 500_000 + rng.below(300_000))?;
    write!(out, "{},", 1_000 + rng.below(5_000))?;
    write!(out, "SKU-{:05}-{},", rng.below(100_000), rng.below(9))?;
    write!(out, "{ts},")?;
    field(out, &m.iso());
    field(out, &paid.rfc3339());
    field(out, &delivered.dmy_hm()[..10]);
    field(out, &p.name);
    field(out, if p.male { "Nam" } else { "Nữ" });
    write!(out, "{:04}-{:02}-{:02},", p.birth.0, p.birth.1, p.birth.2)?;
    field(out, &render_phone(rng, &p.phone));
    field(out, p.email.as_deref().unwrap_or(""));
    field(out, p.national_id.as_deref().unwrap_or(""));
    field(out, &r.address);
    field(out, &p.address);
    let (city, districts) = *rng.pick(&vn::CITIES);
    field(out, city);
    field(out, rng.pick::<&str>(districts));
    field(out, &r.name);
    field(out, &render_phone(rng, &r.phone));
    field(out, rng.pick::<&str>(&vn::PRODUCTS));
    field(out, rng.pick::<&str>(&cn::PRODUCTS));
    field(out, rng.pick::<&str>(&cn::NOTES));
    write!(out, "{qty},{price},{amount},{discount},{fee},")?;
    write!(out, "{},VND,", amount - discount + fee)?;
    field(out, rng.pick::<&str>(&PAYMENT));
    write!(out, "PAY{:016X},", rng.next_u64())?;
    field(out, rng.pick::<&str>(&STATUS));
    write!(
        out,
        "{}.{}.{}.{},",
        rng.range(1, 223),
        rng.below(256),
        rng.below(256),
        rng.range(1, 254)
    )?;
    write!(out, "{:016x},", rng.next_u64())?;
    if rng.chance(0.3) {
        write!(out, "FREESHIP{},", rng.below(100))?;
    } else {
        out.push(b',');
    }
    write!(out, "{},", rng.range(1, 5))?;
    field(out, rng.pick::<&str>(&REMARKS));
    // The last field's comma becomes the line end.
    out.pop();
    out.push(b'\n');
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_rows_have_forty_fields_and_are_deterministic() {
        let mut a = Vec::new();
        wide_csv(200_000, &mut a).unwrap();
        let mut b = Vec::new();
        wide_csv(200_000, &mut b).unwrap();
        assert_eq!(a, b);
        let mut rdr = csv::ReaderBuilder::new().from_reader(a.as_slice());
        assert_eq!(rdr.headers().unwrap().len(), 40);
        let mut rows = 0;
        for rec in rdr.records() {
            assert_eq!(rec.unwrap().len(), 40);
            rows += 1;
        }
        assert!(rows > 200, "{rows} rows");
    }
}
