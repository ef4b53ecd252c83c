//! Streaming writer for very large single-table files (benchmarks): rows are produced on the fly
//! from a pre-generated, pre-escaped pool of people, so memory stays bounded and output runs at
//! hundreds of MB/s.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::cards::{bcrypt_like, card_number, mask_card};
use crate::checks::cn_resident_id_lookalike;
use crate::dates::{civil_from_days, days_from_civil, ymd};
use crate::people::{cn_people, render_name, render_phone, sg_people, vn_people, Person};
use crate::rng::{Rng, Zipf};
use crate::vocab::{cn, vn};
use crate::write::sql::{
    mysql_ident, mysql_quote, pg_copy_field, pg_ident, INSERT_BATCH, MYSQL_PREAMBLE, PG_PREAMBLE,
};
use crate::{DataClass as C, Flavour, SynthColumn};

/// Output format of [`write_large`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LargeFormat {
    /// Comma-separated UTF-8 with a header row.
    Csv,
    /// `mysqldump` style (multi-row INSERTs).
    MysqlDump,
    /// `pg_dump` plain (COPY … FROM stdin).
    PgDump,
}

/// Ground truth of a streamed file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroundTruthLite {
    /// Data rows written.
    pub rows: u64,
    /// Bytes written.
    pub bytes: u64,
    /// Distinct people (by strongest identifier).
    pub individuals: u64,
    /// Distinct tenants (shops), for flavours that have them.
    pub tenants: Option<u64>,
    /// Oldest event timestamp (`YYYY-MM-DD`).
    pub oldest_record: Option<String>,
    /// Newest event timestamp (`YYYY-MM-DD`).
    pub newest_record: Option<String>,
    /// People per ISO2 country.
    pub countries: BTreeMap<String, u64>,
}

fn c(header: &str, class: C, kind: Option<&str>) -> SynthColumn {
    SynthColumn {
        header: header.into(),
        class,
        kind: kind.map(str::to_string),
    }
}

/// The single table's columns for `flavour` (native headers), in file order.
pub fn large_columns(flavour: Flavour) -> Vec<SynthColumn> {
    match flavour {
        Flavour::VnShop => vec![
            c("Mã đơn hàng", C::OrderId, None),
            c("Mã shop", C::Merchant, None),
            c("Tên cửa hàng", C::Merchant, None),
            c("Tên khách hàng", C::PersonName, None),
            c("Số điện thoại", C::Phone, None),
            c("Email", C::Email, None),
            c("Số CCCD", C::NationalId, Some("vn_cccd")),
            c("Địa chỉ", C::Address, None),
            c("Sản phẩm", C::Product, None),
            c("Thành tiền", C::Amount, Some("VND")),
            c("Thời gian đặt hàng", C::Timestamp, None),
            c("Mã vận đơn", C::OrderId, Some("tracking")),
            c("Ghi chú", C::Other, Some("free_text_phone")),
        ],
        Flavour::CnTransactions => vec![
            c("订单号", C::OrderId, None),
            c("姓名", C::PersonName, None),
            c("身份证号", C::NationalId, Some("cn_resident_id")),
            c("手机号", C::Phone, None),
            c("邮箱", C::Email, None),
            c("收货地址", C::Address, None),
            c("商品", C::Product, None),
            c("价格", C::Amount, Some("CNY")),
            c("下单时间", C::Timestamp, None),
            c("交易流水号", C::OrderId, Some("transaction")),
            c("物流单号", C::OrderId, Some("tracking")),
        ],
        Flavour::SgGrocery => vec![
            c("order_id", C::OrderId, None),
            c("full_name", C::PersonName, None),
            c("email", C::Email, None),
            c("mobile", C::Phone, None),
            c("nric", C::NationalId, Some("sg_nric_fin")),
            c("address", C::Address, None),
            c("postal_code", C::PostalCode, None),
            c("password_hash", C::PasswordHash, Some("bcrypt")),
            c("card_masked", C::PaymentCardPartial, None),
            c("order_date", C::Timestamp, None),
            c("total_sgd", C::Amount, Some("SGD")),
            c("top_item", C::Product, None),
            c("tracking_no", C::OrderId, Some("tracking")),
        ],
    }
}

/// Per-format field encoding.
#[derive(Clone, Copy)]
struct Enc(LargeFormat);

impl Enc {
    fn sep(self) -> u8 {
        if self.0 == LargeFormat::PgDump {
            b'\t'
        } else {
            b','
        }
    }

    /// Appends a fully escaped text field (no separator).
    fn text(self, out: &mut Vec<u8>, v: &str) {
        match self.0 {
            LargeFormat::Csv => {
                let mut s = String::new();
                crate::write::csv::push_field(&mut s, v, b',');
                out.extend_from_slice(s.as_bytes());
            }
            LargeFormat::MysqlDump if v.is_empty() => out.extend_from_slice(b"NULL"),
            LargeFormat::MysqlDump => mysql_quote(out, v),
            LargeFormat::PgDump => pg_copy_field(out, v),
        }
    }

    /// Appends a field of safe ASCII (digits, dashes, spaces) that needs no escaping.
    #[inline]
    fn safe(self, out: &mut Vec<u8>, v: &[u8]) {
        if self.0 == LargeFormat::MysqlDump {
            out.push(b'\'');
            out.extend_from_slice(v);
            out.push(b'\'');
        } else {
            out.extend_from_slice(v);
        }
    }

    /// Joins several escaped fields into one pre-rendered segment.
    fn segment(self, values: &[&str]) -> Vec<u8> {
        let mut out = Vec::new();
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                out.push(self.sep());
            }
            self.text(&mut out, v);
        }
        out
    }
}

#[inline]
fn push_num(out: &mut Vec<u8>, mut n: u64) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&tmp[i..]);
}

#[inline]
fn push_digits(out: &mut Vec<u8>, rng: &mut Rng, n: usize) {
    let mut x = rng.next_u64();
    for _ in 0..n {
        out.push(b'0' + (x % 10) as u8);
        x /= 10;
    }
}

/// Many byte strings in one contiguous buffer (cache-friendly, one allocation).
#[derive(Default)]
struct Arena {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

impl Arena {
    fn push(&mut self, v: &[u8]) {
        self.bytes.extend_from_slice(v);
        self.ends.push(self.bytes.len());
    }

    #[inline]
    fn get(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start..self.ends[i]]
    }

    fn len(&self) -> usize {
        self.ends.len()
    }
}

/// Pre-rendered material for one flavour and format.
struct Pool {
    people: Arena,
    notes: Arena,
    countries: Vec<&'static str>,
    shops: Vec<Vec<u8>>,
    products: Vec<Vec<u8>>,
    lookalikes: Vec<Vec<u8>>,
    first_day: i64,
    days: Vec<[u8; 10]>,
}

fn pool(flavour: Flavour, enc: Enc, target: u64, rng: &mut Rng) -> Pool {
    let n_people = (target / 2000).clamp(500, 250_000) as usize;
    let n_shops = (target / 50_000).clamp(20, 20_000) as usize;
    let people: Vec<Person> = match flavour {
        Flavour::VnShop => vn_people(rng, n_people),
        Flavour::CnTransactions => cn_people(rng, n_people),
        Flavour::SgGrocery => sg_people(rng, n_people),
    };
    let mut segs = Arena::default();
    let mut notes = Arena::default();
    for p in &people {
        let phone = render_phone(rng, &p.phone);
        let email = p.email.clone().unwrap_or_default();
        let id = p.national_id.clone().unwrap_or_default();
        let seg = match flavour {
            Flavour::VnShop => {
                let name = render_name(rng, &p.name);
                notes.push(&enc.segment(&[&format!("Gọi trước khi giao: {phone}")]));
                enc.segment(&[&name, &phone, &email, &id, &p.address])
            }
            Flavour::CnTransactions => enc.segment(&[&p.name, &id, &phone, &email, &p.address]),
            Flavour::SgGrocery => {
                let card = if rng.chance(0.7) {
                    let n = card_number(rng);
                    mask_card(rng, &n)
                } else {
                    String::new()
                };
                let postal = p.postal.clone().unwrap_or_default();
                enc.segment(&[
                    &p.name,
                    &email,
                    &phone,
                    &id,
                    &p.address,
                    &postal,
                    &bcrypt_like(rng),
                    &card,
                ])
            }
        };
        segs.push(&seg);
    }
    let shops = (0..n_shops)
        .map(|i| {
            let id = (100_000 + i).to_string();
            let name = format!(
                "{} {} {} {}",
                rng.pick(&vn::SHOP_PREFIX),
                rng.pick(&vn::SHOP_THEME),
                rng.pick(&vn::GIVEN_F),
                i + 1
            );
            enc.segment(&[&id, &name])
        })
        .collect();
    let products = match flavour {
        Flavour::VnShop => vn::PRODUCTS.iter().map(|p| enc.segment(&[p])).collect(),
        Flavour::CnTransactions => cn::PRODUCTS.iter().map(|p| enc.segment(&[p])).collect(),
        Flavour::SgGrocery => crate::vocab::sg::PRODUCTS
            .iter()
            .map(|p| enc.segment(&[p]))
            .collect(),
    };
    let lookalikes = (0..1000u32)
        .map(|i| {
            let area = rng.pick(&cn::AREAS).code;
            let b = (
                rng.range(1960, 2005) as i32,
                rng.range(1, 12) as u32,
                rng.range(1, 28) as u32,
            );
            cn_resident_id_lookalike(area, b, i, i / 7).into_bytes()
        })
        .collect();
    let (from, to) = match flavour {
        Flavour::VnShop => ((2022, 1, 1), (2024, 6, 30)),
        Flavour::CnTransactions => ((2019, 3, 1), (2021, 8, 31)),
        Flavour::SgGrocery => ((2015, 1, 1), (2019, 9, 30)),
    };
    let first_day = days_from_civil(from.0, from.1, from.2);
    let days = (first_day..=days_from_civil(to.0, to.1, to.2))
        .map(|d| {
            let mut a = [0u8; 10];
            a.copy_from_slice(ymd(d).as_bytes());
            a
        })
        .collect();
    Pool {
        people: segs,
        notes,
        countries: people.iter().map(|p| p.country).collect(),
        shops,
        products,
        lookalikes,
        first_day,
        days,
    }
}

fn push_time(out: &mut Vec<u8>, day: &[u8; 10], secs: u64) {
    out.extend_from_slice(day);
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    out.extend_from_slice(&[
        b' ',
        b'0' + (h / 10) as u8,
        b'0' + (h % 10) as u8,
        b':',
        b'0' + (m / 10) as u8,
        b'0' + (m % 10) as u8,
        b':',
        b'0' + (s / 10) as u8,
        b'0' + (s % 10) as u8,
    ]);
}

/// Streams a single-table file of about `target_bytes` (stops after the row that reaches it)
/// and returns its ground truth. Deterministic in `seed`.
pub fn write_large(
    flavour: Flavour,
    format: LargeFormat,
    target_bytes: u64,
    seed: u64,
    w: &mut dyn Write,
) -> io::Result<GroundTruthLite> {
    let enc = Enc(format);
    let mut rng = Rng::new(seed, 77);
    let pool = pool(flavour, enc, target_bytes, &mut rng);
    let columns = large_columns(flavour);
    let table = match flavour {
        Flavour::VnShop => "orders",
        Flavour::CnTransactions => "transactions",
        Flavour::SgGrocery => "orders",
    };
    let names: Vec<&str> = columns.iter().map(|c| c.header.as_str()).collect();
    let mut buf: Vec<u8> = Vec::with_capacity(1 << 21);
    match format {
        LargeFormat::Csv => {
            buf.extend_from_slice(&Enc(LargeFormat::Csv).segment(&names));
            buf.extend_from_slice(b"\r\n");
        }
        LargeFormat::MysqlDump => {
            buf.extend_from_slice(MYSQL_PREAMBLE.as_bytes());
            let cols: Vec<String> = names
                .iter()
                .map(|n| format!("  {} varchar(255) DEFAULT NULL", mysql_ident(n)))
                .collect();
            let t = mysql_ident(table);
            write!(buf, "DROP TABLE IF EXISTS {t};\nCREATE TABLE {t} (\n{}\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n\nLOCK TABLES {t} WRITE;\n", cols.join(",\n"))?;
        }
        LargeFormat::PgDump => {
            buf.extend_from_slice(PG_PREAMBLE.as_bytes());
            let cols: Vec<String> = names.iter().map(|n| pg_ident(n)).collect();
            let t = format!("public.{}", pg_ident(table));
            let defs: Vec<String> = cols.iter().map(|c| format!("    {c} text")).collect();
            write!(
                buf,
                "CREATE TABLE {t} (\n{}\n);\n\nCOPY {t} ({}) FROM stdin;\n",
                defs.join(",\n"),
                cols.join(", ")
            )?;
        }
    }
    let insert_head = format!("INSERT INTO {} VALUES ", mysql_ident(table)).into_bytes();
    let shop_zipf = Zipf::new(pool.shops.len(), 1.1);
    let mut used = vec![false; pool.people.len()];
    let mut shop_used = vec![false; pool.shops.len()];
    let (mut individuals, mut tenants) = (0u64, 0u64);
    let (mut oldest, mut newest) = (usize::MAX, 0usize);
    let mut countries: BTreeMap<String, u64> = BTreeMap::new();
    let (mut rows, mut written) = (0u64, 0u64);
    let sep = enc.sep();
    let (mut time, mut num) = (Vec::with_capacity(24), Vec::with_capacity(32));
    loop {
        let in_batch = rows as usize % INSERT_BATCH;
        match format {
            LargeFormat::MysqlDump if in_batch == 0 => {
                buf.extend_from_slice(&insert_head);
                buf.push(b'(');
            }
            LargeFormat::MysqlDump => buf.extend_from_slice(b",("),
            _ => {}
        }
        let pi = rng.below(pool.people.len() as u64) as usize;
        if !used[pi] {
            used[pi] = true;
            individuals += 1;
            *countries.entry(pool.countries[pi].to_string()).or_insert(0) += 1;
        }
        let di = rng.below(pool.days.len() as u64) as usize;
        oldest = oldest.min(di);
        newest = newest.max(di);
        let secs = rng.below(86_400);
        let day = &pool.days[di];
        time.clear();
        push_time(&mut time, day, secs);
        let product = &pool.products[rng.below(pool.products.len() as u64) as usize];
        num.clear();
        match flavour {
            Flavour::VnShop => {
                let si = shop_zipf.sample(&mut rng);
                if !shop_used[si] {
                    shop_used[si] = true;
                    tenants += 1;
                }
                num.extend_from_slice(&day[2..4]);
                num.extend_from_slice(&day[5..7]);
                num.extend_from_slice(&day[8..10]);
                push_num(&mut num, 10_000_000 + rows);
                enc.safe(&mut buf, &num);
                buf.push(sep);
                buf.extend_from_slice(&pool.shops[si]);
                buf.push(sep);
                buf.extend_from_slice(pool.people.get(pi));
                buf.push(sep);
                buf.extend_from_slice(product);
                buf.push(sep);
                num.clear();
                push_num(&mut num, (rng.below(2500) + 15) * 1000);
                enc.safe(&mut buf, &num);
                buf.push(sep);
                enc.safe(&mut buf, &time);
                buf.push(sep);
                num.clear();
                num.extend_from_slice(b"84");
                push_digits(&mut num, &mut rng, 10);
                enc.safe(&mut buf, &num);
                buf.push(sep);
                if rng.below(10) == 0 {
                    buf.extend_from_slice(pool.notes.get(pi));
                } else {
                    enc.text(&mut buf, "");
                }
            }
            Flavour::CnTransactions => {
                num.push(b'3');
                push_digits(&mut num, &mut rng, 18);
                enc.safe(&mut buf, &num);
                buf.push(sep);
                buf.extend_from_slice(pool.people.get(pi));
                buf.push(sep);
                buf.extend_from_slice(product);
                buf.push(sep);
                num.clear();
                let cents = rng.below(99_000) + 990;
                push_num(&mut num, cents / 100);
                num.push(b'.');
                num.extend_from_slice(&[b'0' + (cents / 10 % 10) as u8, b'0' + (cents % 10) as u8]);
                enc.safe(&mut buf, &num);
                buf.push(sep);
                enc.safe(&mut buf, &time);
                buf.push(sep);
                enc.safe(&mut buf, &pool.lookalikes[rng.below(1000) as usize]);
                buf.push(sep);
                num.clear();
                num.push(b'1');
                num.push(b'3' + rng.below(7) as u8);
                push_digits(&mut num, &mut rng, 10);
                enc.safe(&mut buf, &num);
            }
            Flavour::SgGrocery => {
                num.extend_from_slice(b"SO");
                push_num(&mut num, 10_000_000 + rows);
                enc.safe(&mut buf, &num);
                buf.push(sep);
                buf.extend_from_slice(pool.people.get(pi));
                buf.push(sep);
                enc.safe(&mut buf, &time);
                buf.push(sep);
                num.clear();
                let cents = rng.below(33_500) + 1500;
                push_num(&mut num, cents / 100);
                num.push(b'.');
                num.extend_from_slice(&[b'0' + (cents / 10 % 10) as u8, b'0' + (cents % 10) as u8]);
                enc.safe(&mut buf, &num);
                buf.push(sep);
                buf.extend_from_slice(product);
                buf.push(sep);
                num.clear();
                num.push(b'8' + rng.below(2) as u8);
                push_digits(&mut num, &mut rng, 9);
                enc.safe(&mut buf, &num);
            }
        }
        rows += 1;
        let done = written + buf.len() as u64 >= target_bytes;
        match format {
            LargeFormat::Csv => buf.extend_from_slice(b"\r\n"),
            LargeFormat::PgDump => buf.push(b'\n'),
            LargeFormat::MysqlDump if done || (rows as usize).is_multiple_of(INSERT_BATCH) => {
                buf.extend_from_slice(b");\n")
            }
            LargeFormat::MysqlDump => buf.push(b')'),
        }
        if done {
            match format {
                LargeFormat::MysqlDump => {
                    buf.extend_from_slice(b"UNLOCK TABLES;\n-- Dump completed\n")
                }
                LargeFormat::PgDump => {
                    buf.extend_from_slice(b"\\.\n\n--\n-- PostgreSQL database dump complete\n--\n")
                }
                LargeFormat::Csv => {}
            }
        }
        if done || buf.len() >= 1 << 20 {
            w.write_all(&buf)?;
            written += buf.len() as u64;
            buf.clear();
        }
        if done {
            break;
        }
    }
    w.flush()?;
    let day = |i: usize| {
        let (y, m, d) = civil_from_days(pool.first_day + i as i64);
        format!("{y:04}-{m:02}-{d:02}")
    };
    Ok(GroundTruthLite {
        rows,
        bytes: written,
        individuals,
        tenants: (flavour == Flavour::VnShop).then_some(tenants),
        oldest_record: Some(day(oldest)),
        newest_record: Some(day(newest)),
        countries,
    })
}
