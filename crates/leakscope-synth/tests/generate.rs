//! Generator behaviour: determinism, valid identifiers, failing look-alikes, ground truth.

use std::collections::HashSet;

use leakscope_synth::checks::{cn_resident_id_valid, nric_valid, vn_cccd_valid};
use leakscope_synth::write::{write_csv, CsvOptions};
use leakscope_synth::{generate, DataClass, Dataset, Flavour, GenOptions, HeaderStyle};

fn opts(rows: usize, seed: u64, headers: HeaderStyle) -> GenOptions {
    GenOptions {
        rows,
        seed,
        headers,
        adversarial: true,
    }
}

fn csv_bytes(d: &Dataset) -> Vec<u8> {
    let mut out = Vec::new();
    for t in &d.tables {
        write_csv(t, &CsvOptions::default(), &mut out).unwrap();
    }
    out
}

fn column<'a>(
    d: &'a Dataset,
    table: &str,
    pred: impl Fn(&leakscope_synth::SynthColumn) -> bool,
) -> Vec<&'a str> {
    let t = d.tables.iter().find(|t| t.name == table).expect("table");
    let i = t.columns.iter().position(pred).expect("column");
    t.rows.iter().map(|r| r[i].as_str()).collect()
}

#[test]
fn same_seed_same_bytes_other_seed_differs() {
    for f in Flavour::ALL {
        let a = csv_bytes(&generate(f, &opts(600, 7, HeaderStyle::Native)));
        let b = csv_bytes(&generate(f, &opts(600, 7, HeaderStyle::Native)));
        let c = csv_bytes(&generate(f, &opts(600, 8, HeaderStyle::Native)));
        assert_eq!(a, b, "{f}");
        assert_ne!(a, c, "{f}");
    }
}

#[test]
fn every_national_id_validates_and_lookalikes_fail() {
    for f in Flavour::ALL {
        let d = generate(f, &opts(1500, 11, HeaderStyle::English));
        let mut ids = 0;
        for t in &d.tables {
            for (i, c) in t.columns.iter().enumerate() {
                if c.class != DataClass::NationalId {
                    continue;
                }
                for row in t.rows.iter().filter(|r| !r[i].is_empty()) {
                    let v = &row[i];
                    let ok = match c.kind.as_deref() {
                        Some("vn_cccd") => vn_cccd_valid(v),
                        Some("cn_resident_id") => cn_resident_id_valid(v),
                        Some("sg_nric_fin") => nric_valid(v),
                        k => panic!("unexpected kind {k:?}"),
                    };
                    assert!(ok, "{f}: invalid {v}");
                    ids += 1;
                }
            }
        }
        assert!(ids > 500, "{f}: only {ids} ids");
    }
    let cn = generate(
        Flavour::CnTransactions,
        &opts(1500, 11, HeaderStyle::English),
    );
    let serials = column(&cn, "transactions", |c| {
        c.kind.as_deref() == Some("transaction")
    });
    assert!(serials.iter().all(|s| s.len() == 18
        && s.bytes().all(|b| b.is_ascii_digit())
        && !cn_resident_id_valid(s)));
    let vn = generate(Flavour::VnShop, &opts(1500, 11, HeaderStyle::English));
    let refs = column(&vn, "orders", |c| c.kind.as_deref() == Some("transaction"));
    assert!(refs.iter().all(|s| s.len() == 12 && !vn_cccd_valid(s)));
    let sg = generate(Flavour::SgGrocery, &opts(1500, 11, HeaderStyle::English));
    let codes = column(&sg, "customers", |c| {
        c.kind.as_deref() == Some("nric_lookalike")
    });
    assert!(codes.iter().all(|s| s.len() == 9 && !nric_valid(s)));
}

#[test]
fn truth_matches_population_and_recount() {
    let rows = 2000;
    let expected_people = [
        (Flavour::VnShop, rows * 2 / 5),
        (Flavour::CnTransactions, rows / 3),
        (Flavour::SgGrocery, rows * 82 / 100),
    ];
    for (f, people) in expected_people {
        let d = generate(f, &opts(rows, 5, HeaderStyle::Native));
        let t = &d.truth;
        assert_eq!(
            t.rows,
            d.tables.iter().map(|t| t.rows.len() as u64).sum::<u64>()
        );
        assert_eq!(t.individuals, people as u64, "{f}");
        assert_eq!(t.countries.values().sum::<u64>(), t.individuals, "{f}");
        let labelled: HashSet<DataClass> = d
            .tables
            .iter()
            .flat_map(|t| t.columns.iter().map(|c| c.class))
            .filter(|c| *c != DataClass::Other)
            .collect();
        assert_eq!(t.classes.iter().copied().collect::<HashSet<_>>(), labelled);
        assert!(t.oldest_record < t.newest_record);
        // Headerless output carries the same truth.
        let h = generate(f, &opts(rows, 5, HeaderStyle::Headerless));
        assert_eq!(h.truth.individuals, t.individuals);
        assert!(h.tables.iter().all(|t| !t.has_header()));
    }
    let vn = generate(Flavour::VnShop, &opts(rows, 5, HeaderStyle::Native));
    let shops = vn
        .tables
        .iter()
        .find(|t| t.name == "shops")
        .unwrap()
        .rows
        .len() as u64;
    assert_eq!(vn.truth.tenants, Some(shops));
    assert_eq!(vn.truth.tenant_column.as_deref(), Some("Mã shop"));
    assert_eq!(
        vn.truth.newest_record.as_deref().map(|s| s <= "2024-06-30"),
        Some(true)
    );
    assert_eq!(vn.truth.countries.keys().collect::<Vec<_>>(), ["VN"]);
    let sg = generate(Flavour::SgGrocery, &opts(rows, 5, HeaderStyle::Native));
    for c in ["SG", "US", "GB", "AU"] {
        assert!(sg.truth.countries.get(c).copied().unwrap_or(0) > 0, "{c}");
    }
    assert!(sg.truth.countries["SG"] * 10 > sg.truth.individuals * 8);
}

#[test]
fn people_repeat_across_rows_and_tables() {
    let d = generate(Flavour::VnShop, &opts(1000, 3, HeaderStyle::Native));
    let phones = column(&d, "orders", |c| c.class == DataClass::Phone);
    let e164: Vec<_> = phones
        .iter()
        .filter_map(|p| leakscope_synth::people::to_e164(p, "84"))
        .collect();
    assert_eq!(e164.len(), phones.len(), "every order phone normalises");
    let distinct: HashSet<_> = e164.iter().collect();
    assert!(
        distinct.len() < e164.len() * 3 / 4,
        "repeat customers expected"
    );
    let keys = |name: &str| -> HashSet<String> {
        let t = d.tables.iter().find(|t| t.name == name).unwrap();
        t.rows
            .iter()
            .filter_map(|r| leakscope_synth::truth::row_key(t, r, "84"))
            .map(|(k, _)| k)
            .collect()
    };
    let (order_keys, customer_keys) = (keys("orders"), keys("customers"));
    assert!(
        !order_keys.is_empty() && order_keys.is_subset(&customer_keys),
        "orders reference known customers"
    );
    let names = column(&d, "customers", |c| c.class == DataClass::PersonName);
    let nguyen = names
        .iter()
        .filter(|n| n.to_lowercase().starts_with("nguy"))
        .count();
    assert!(
        (250..=500).contains(&(nguyen * 1000 / names.len())),
        "Nguyễn share {nguyen}/{}",
        names.len()
    );
    assert!(
        names
            .iter()
            .any(|n| n.chars().all(|c| !c.is_lowercase()) && n.len() > 5),
        "ALL CAPS names"
    );
    let notes = column(&d, "orders", |c| {
        c.kind.as_deref() == Some("free_text_phone")
    });
    let with_phone = notes
        .iter()
        .filter(|n| n.chars().filter(char::is_ascii_digit).count() >= 9)
        .count();
    assert!(
        (40..=170).contains(&with_phone),
        "{with_phone} notes with phones"
    );
}

#[test]
fn header_styles() {
    let plain = generate(Flavour::VnShop, &opts(50, 1, HeaderStyle::NoDiacritics));
    let native = generate(Flavour::VnShop, &opts(50, 1, HeaderStyle::Native));
    for (p, n) in plain.tables.iter().zip(&native.tables) {
        assert!(p
            .columns
            .iter()
            .all(|c| c.header.is_ascii() && !c.header.is_empty()));
        assert!(n.columns.iter().any(|c| !c.header.is_ascii()));
        assert_eq!(p.rows, n.rows, "header style must not change the data");
    }
    let no_adv = generate(
        Flavour::CnTransactions,
        &GenOptions {
            adversarial: false,
            ..opts(50, 1, HeaderStyle::Native)
        },
    );
    assert!(no_adv.tables[0]
        .columns
        .iter()
        .all(|c| c.kind.as_deref() != Some("transaction")));
}
