//! A small deterministic stand-in for the detectors and a row generator, so the engine can be
//! tested on its own: the classifier decides by header and validates with simple exact rules.

#![allow(dead_code)]

use std::sync::Arc;

use leakscope_detect::{ColumnVerdict, DataClass, ValueFacts};
use leakscope_formats::{RowBatch, Sink, TableInfo, TableStats};
use leakscope_scan::{Classifier, ScanOptions, ScanProfile, Scanner};

/// Decides columns by header; validates values with exact toy rules.
pub struct FakeDetectors;

fn class_of(header: &str) -> (DataClass, Option<String>) {
    let h = header.to_ascii_lowercase();
    let c = match h.as_str() {
        "email" | "mail" => DataClass::Email,
        "phone" | "mobile" => DataClass::Phone,
        "national_id" => DataClass::NationalId,
        "name" => DataClass::PersonName,
        "created_at" | "order_time" | "updated_at" => DataClass::Timestamp,
        "dob" => DataClass::DateOfBirth,
        "password" => DataClass::PasswordHash,
        "plain_pw" => DataClass::Password,
        "shop" => DataClass::Merchant,
        "card" => DataClass::PaymentCard,
        "card_last4" => DataClass::PaymentCardPartial,
        "address" => DataClass::Address,
        "order_id" => DataClass::OrderId,
        _ => DataClass::Other,
    };
    (c, None)
}

fn digits(v: &str) -> String {
    v.chars().filter(|c| c.is_ascii_digit()).collect()
}

impl Classifier for FakeDetectors {
    fn classify_column(&self, header: Option<&str>, values: &[&str]) -> ColumnVerdict {
        let (class, kind) = header.map(class_of).unwrap_or((DataClass::Other, None));
        let valid = values
            .iter()
            .filter(|v| self.check_value(class, kind.as_deref(), v).is_some())
            .count();
        ColumnVerdict {
            class,
            kind,
            confidence: if class == DataClass::Other { 0.0 } else { 0.9 },
            evidence: format!("header says {}", class.id()),
            validation_share: if values.is_empty() {
                0.0
            } else {
                valid as f64 / values.len() as f64
            },
            mixed: Vec::new(),
            embedded: Vec::new(),
            country: None,
        }
    }

    fn check_value(&self, class: DataClass, _kind: Option<&str>, v: &str) -> Option<ValueFacts> {
        let mut f = ValueFacts::default();
        match class {
            DataClass::Email => {
                let (local, domain) = v.split_once('@')?;
                if local.is_empty() || !domain.contains('.') || domain.contains('@') {
                    return None;
                }
                f.normalized = Some(v.to_ascii_lowercase());
            }
            DataClass::Phone => {
                let d = digits(v);
                let (cc, country) = if d.starts_with("84") {
                    ("84", "VN")
                } else if d.starts_with("65") {
                    ("65", "SG")
                } else if d.starts_with("86") {
                    ("86", "CN")
                } else {
                    return None;
                };
                if d.len() < 10 {
                    return None;
                }
                f.normalized = Some(format!("+{cc}{}", &d[2..]));
                f.country = Some(country);
            }
            DataClass::NationalId => {
                if v.len() != 12 || !v.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                f.normalized = Some(v.to_string());
                f.country = Some("VN");
                f.kind = Some("vn_cccd");
            }
            DataClass::Timestamp | DataClass::DateOfBirth => {
                let d = v.get(..10)?;
                let y: i32 = d.get(..4)?.parse().ok()?;
                let m: u32 = d.get(5..7)?.parse().ok()?;
                let day: u32 = d.get(8..10)?.parse().ok()?;
                if !(1..=12).contains(&m) || !(1..=31).contains(&day) {
                    return None;
                }
                f.date = Some((y, m, day));
            }
            DataClass::PasswordHash => {
                if v.starts_with("$2b$") {
                    f.kind = Some("bcrypt");
                } else if v.len() == 32 && v.bytes().all(|b| b.is_ascii_hexdigit()) {
                    f.kind = Some("md5");
                } else {
                    return None;
                }
            }
            DataClass::Address => {
                if v.contains("Singapore") {
                    f.country = Some("SG");
                } else if v.contains("Hà Nội") {
                    f.country = Some("VN");
                } else {
                    return None;
                }
            }
            DataClass::PaymentCard if digits(v).len() != 16 => return None,
            _ => {}
        }
        Some(f)
    }

    fn mask(&self, _class: DataClass, value: &str) -> String {
        let head: String = value.chars().take(2).collect();
        format!("{head}•••")
    }
}

/// splitmix64: a tiny deterministic generator.
pub struct Rng(pub u64);

impl Rng {
    /// Next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A table description.
pub fn table(id: u32, name: &str, headers: &[&str]) -> TableInfo {
    TableInfo {
        id,
        name: name.to_string(),
        source: format!("{name}.csv"),
        headers: headers.iter().map(|h| h.to_string()).collect(),
        has_header_row: true,
    }
}

/// Feeds `rows` to `sink` as one table in batches of `batch_rows`.
pub fn feed(sink: &mut dyn Sink, t: &TableInfo, rows: &[Vec<String>], batch_rows: usize) {
    sink.begin_table(t);
    let mut first = 1u64;
    for chunk in rows.chunks(batch_rows.max(1)) {
        let mut b = RowBatch::new(first);
        for r in chunk {
            for f in r {
                b.push_field(f);
            }
            b.end_row();
        }
        first += chunk.len() as u64;
        sink.rows(t, b);
    }
    sink.end_table(
        t,
        &TableStats {
            rows: rows.len() as u64,
            rows_skipped: 0,
        },
    );
}

/// A scanner on the fake detectors.
pub fn scanner(opts: ScanOptions) -> Scanner {
    Scanner::with_classifier(opts, Arc::new(FakeDetectors)).expect("scanner starts")
}

/// Options with `threads` workers.
pub fn opts(threads: usize) -> ScanOptions {
    ScanOptions {
        threads,
        sample_rows: 500,
        ..ScanOptions::default()
    }
}

/// Scans tables with the fake detectors.
pub fn scan(opts: ScanOptions, tables: &[(TableInfo, Vec<Vec<String>>)]) -> ScanProfile {
    let mut s = scanner(opts);
    for (t, rows) in tables {
        feed(&mut s, t, rows, 97);
    }
    s.finish()
}

/// Email of person `i`, in varying letter case (normalisation must fold it).
pub fn email(i: u64, upper: bool) -> String {
    let e = format!("user{i}@shop-mail.vn");
    if upper {
        e.to_uppercase()
    } else {
        e
    }
}

/// Vietnamese phone of person `i`, in varying formats.
pub fn vn_phone(i: u64, spaced: bool) -> String {
    let n = 900_000_000 + i;
    if spaced {
        format!("+84 {} {:06}", n / 1_000_000, n % 1_000_000)
    } else {
        format!("84{n}")
    }
}
