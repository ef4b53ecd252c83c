//! The scan engine on hand-built batches (fake detectors, deterministic generated rows).

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};

use common::*;
use leakscope_formats::{Diagnostic, RowBatch, Severity, Sink, SourceInfo};
use leakscope_profile::Level;
use leakscope_scan::ScanOptions;

fn s(v: &str) -> String {
    v.to_string()
}

/// Users of a shop: person `p` drawn from `people` (so people repeat), email case varies.
fn users(rng: &mut Rng, rows: usize, people: u64) -> (Vec<Vec<String>>, HashSet<u64>) {
    let mut seen = HashSet::new();
    let out = (0..rows)
        .map(|_| {
            let p = rng.below(people);
            seen.insert(p);
            vec![
                format!("Nguyễn Văn {p}"),
                email(p, rng.below(3) == 0),
                s(""),
            ]
        })
        .collect();
    (out, seen)
}

#[test]
fn individuals_exact_with_normalised_emails() {
    let mut rng = Rng(1);
    let (rows, seen) = users(&mut rng, 6_000, 4_000);
    let p = scan(
        opts(2),
        &[(table(0, "users", &["name", "email", "note"]), rows)],
    );
    assert_eq!(p.rows, 6_000);
    assert_eq!(p.individuals.method, "exact");
    assert_eq!(p.individuals.relative_error, 0.0);
    assert_eq!(p.individuals.estimate, seen.len() as u64);
    assert_eq!(p.individuals.keyed_by.len(), 1);
    assert_eq!(p.individuals.keyed_by[0].key, "email");
    assert_eq!(p.individuals.keyed_by[0].rows, 6_000);
    let email_col = &p.tables[0].columns[1];
    assert_eq!(email_col.class, "email");
    assert_eq!(email_col.fill_rate, 1.0);
    assert_eq!(email_col.validation_share, 1.0);
    // Distinct values are counted case-sensitively (raw values), so at least the people count.
    let d = email_col.distinct_estimate as f64;
    assert!(d >= seen.len() as f64 * 0.95, "{d}");
    assert_eq!(p.tables[0].columns[2].fill_rate, 0.0);
}

#[test]
fn individuals_switch_to_hyperloglog_past_the_limit() {
    let n = 60_000u64;
    let rows: Vec<Vec<String>> = (0..n).map(|i| vec![email(i, false)]).collect();
    let o = ScanOptions {
        exact_individuals_limit: 10_000,
        ..opts(2)
    };
    let p = scan(o, &[(table(0, "u", &["email"]), rows)]);
    assert_eq!(p.individuals.method, "hyperloglog");
    let re = p.individuals.relative_error;
    assert!(re > 0.005 && re < 0.01, "{re}");
    let err = (p.individuals.estimate as f64 - n as f64).abs() / n as f64;
    assert!(
        err < 3.0 * re,
        "estimate {} err {err}",
        p.individuals.estimate
    );
}

#[test]
fn people_are_deduplicated_across_tables_by_the_strongest_identifier() {
    // accounts: national_id + email + phone; orders: email only (same people + newcomers);
    // leads: phone only (some known, some new); rows with nothing: not people.
    let accounts: Vec<Vec<String>> = (0..1_000u64)
        .map(|i| {
            vec![
                format!("{:012}", 10_000 + i),
                email(i, false),
                vn_phone(i, false),
            ]
        })
        .collect();
    let orders: Vec<Vec<String>> = (500..1_500u64)
        .map(|i| vec![format!("o{i}"), email(i, i % 2 == 0), s("")])
        .collect();
    let leads: Vec<Vec<String>> = (1_400..1_700u64).map(|i| vec![vn_phone(i, true)]).collect();
    let blanks: Vec<Vec<String>> = (0..50).map(|_| vec![s("n/a")]).collect();
    let p = scan(
        opts(3),
        &[
            (
                table(0, "accounts", &["national_id", "email", "phone"]),
                accounts,
            ),
            (table(1, "orders", &["order_id", "email", "phone"]), orders),
            (table(2, "leads", &["mobile"]), leads),
            (table(3, "junk", &["phone"]), blanks),
        ],
    );
    // accounts are keyed by national ID, so their emails do not merge with orders' emails:
    // 1,000 (IDs) + 1,000 order emails (500..1500) + 300 lead phones (1400..1700, none keyed before).
    assert_eq!(p.individuals.estimate, 2_300);
    let by: HashMap<&str, u64> = p
        .individuals
        .keyed_by
        .iter()
        .map(|k| (k.key.as_str(), k.rows))
        .collect();
    assert_eq!(by["national_id"], 1_000);
    assert_eq!(by["email"], 1_000);
    assert_eq!(by["phone"], 300);
    assert_eq!(p.individuals.keyed_by[0].key, "national_id");
    assert_eq!(p.individuals.rows_without_identifier, 50);
    assert_eq!(p.rows, 2_350);
    assert_eq!(p.tables.len(), 4);
    assert_eq!(p.tables[3].columns[0].validation_share, 0.0);
}

#[test]
fn same_email_in_two_tables_is_one_person() {
    let a: Vec<Vec<String>> = (0..800u64).map(|i| vec![email(i, false)]).collect();
    let b: Vec<Vec<String>> = (400..1_200u64).map(|i| vec![email(i, true)]).collect();
    let p = scan(
        opts(2),
        &[
            (table(0, "a", &["email"]), a),
            (table(1, "b", &["mail"]), b),
        ],
    );
    assert_eq!(p.individuals.estimate, 1_200);
}

#[test]
fn thread_count_does_not_change_the_figures() {
    let mut rng = Rng(7);
    let (rows, _) = users(&mut rng, 5_000, 3_000);
    let t = table(0, "users", &["name", "email", "note"]);
    let one = scan(opts(1), &[(t.clone(), rows.clone())]);
    let four = scan(opts(4), &[(t, rows)]);
    assert_eq!(one.individuals, four.individuals);
    assert_eq!(one.tables, four.tables);
    assert_eq!(one.sensitivity, four.sensitivity);
}

#[test]
fn tenants_are_counted_exactly_with_top_20() {
    let mut rng = Rng(3);
    let mut truth: BTreeMap<String, u64> = BTreeMap::new();
    let mut rows = Vec::new();
    for i in 0..8_000u64 {
        // Skewed: shop k is chosen with weight ~ 1/(k+1) over 300 shops.
        let k = (rng.below(300) * rng.below(300)) / 300;
        let shop = format!("Shop {k:03}");
        *truth.entry(shop.clone()).or_default() += 1;
        rows.push(vec![format!("o{i}"), shop, email(i % 700, false)]);
    }
    let p = scan(
        opts(2),
        &[(table(0, "orders", &["order_id", "shop", "email"]), rows)],
    );
    let t = p.tenants.expect("tenant column found");
    assert_eq!(t.column, "orders.shop");
    assert_eq!(t.count, truth.len() as u64);
    let mut want: Vec<(String, u64)> = truth.into_iter().collect();
    want.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    want.truncate(20);
    let got: Vec<(String, u64)> = t.top.iter().map(|x| (x.name.clone(), x.rows)).collect();
    assert_eq!(got, want);
}

#[test]
fn record_dates_exclude_dob_and_give_the_age() {
    let mut rows = Vec::new();
    let mut months: BTreeMap<String, u64> = BTreeMap::new();
    let mut rng = Rng(11);
    for i in 0..3_000u64 {
        let m = 1 + rng.below(12) as u32;
        let y = 2017 + rng.below(2) as i32;
        let d = 1 + rng.below(28) as u32;
        let ts = format!("{y}-{m:02}-{d:02} 10:00:00");
        *months.entry(format!("{y}-{m:02}")).or_default() += 1;
        // DOB far older and a malformed timestamp every 100 rows (not a record date).
        let created = if i % 100 == 0 { s("not a date") } else { ts };
        if i % 100 == 0 {
            *months.get_mut(&format!("{y}-{m:02}")).unwrap() -= 1;
        }
        rows.push(vec![email(i, false), s("1950-01-01"), created]);
    }
    rows.push(vec![
        email(1, false),
        s("1990-05-05"),
        s("2019-03-02T08:00:00"),
    ]);
    *months.entry(s("2019-03")).or_default() += 1;
    let o = ScanOptions {
        found_on: Some(s("2020-10-15")),
        ..opts(2)
    };
    let p = scan(o, &[(table(0, "t", &["email", "dob", "created_at"]), rows)]);
    assert_eq!(p.records.newest.as_deref(), Some("2019-03-02"));
    assert!(p.records.oldest.as_deref().unwrap() >= "2017-01-01");
    assert_eq!(p.records.columns, vec![s("t.created_at")]);
    assert_eq!(
        p.records.age_text.as_deref(),
        Some("newest record 2019-03-02, 19 months before discovery")
    );
    assert_eq!(p.records.age_days, Some(593));
    let got: BTreeMap<String, u64> = p
        .records
        .by_month
        .iter()
        .map(|m| (m.month.clone(), m.count))
        .collect();
    months.retain(|_, v| *v > 0);
    assert_eq!(got, months);
    let ts_col = &p.tables[0].columns[2];
    assert!(
        (ts_col.validation_share - 2_971.0 / 3_001.0).abs() < 1e-9,
        "{}",
        ts_col.validation_share
    );
    assert_eq!(p.found_on.as_deref(), Some("2020-10-15"));
}

#[test]
fn bad_found_on_is_rejected() {
    let o = ScanOptions {
        found_on: Some(s("15/10/2020")),
        ..opts(1)
    };
    let e = leakscope_scan::Scanner::with_classifier(o, std::sync::Arc::new(FakeDetectors))
        .err()
        .unwrap();
    assert!(e.to_string().contains("YYYY-MM-DD"));
}

#[test]
fn countries_are_shares_of_people_with_a_known_country() {
    // 600 VN phones, 300 SG phones, 100 emails with an SG address, 200 emails with no country.
    let mut rows = Vec::new();
    for i in 0..600u64 {
        rows.push(vec![s(""), vn_phone(i, false), s("")]);
        rows.push(vec![s(""), vn_phone(i, true), s("")]); // same person again
    }
    for i in 0..300u64 {
        rows.push(vec![s(""), format!("+65 8{:07}", i), s("")]);
    }
    for i in 0..100u64 {
        rows.push(vec![
            email(i, false),
            s(""),
            s("1 Orchard Rd, Singapore 238823"),
        ]);
    }
    for i in 100..300u64 {
        rows.push(vec![email(i, false), s(""), s("somewhere")]);
    }
    let p = scan(
        opts(2),
        &[(table(0, "c", &["email", "phone", "address"]), rows)],
    );
    assert_eq!(p.individuals.estimate, 1_200);
    assert_eq!(p.countries.len(), 2);
    assert_eq!(p.countries[0].code, "VN");
    assert_eq!(p.countries[0].name, "Vietnam");
    assert_eq!(p.countries[0].people, 600);
    assert!((p.countries[0].share - 0.6).abs() < 1e-9);
    assert_eq!(p.countries[1].code, "SG");
    assert_eq!(p.countries[1].people, 400);
    assert_eq!(p.countries[1].signals, vec![s("phone"), s("address")]);
    let total: f64 = p.countries.iter().map(|c| c.share).sum();
    assert!((total - 1.0).abs() < 1e-9);
}

#[test]
fn passwords_by_algorithm_and_sensitivity() {
    let mut rows = Vec::new();
    for i in 0..900u64 {
        let pw = if i % 3 == 0 {
            format!("$2b$10$abcdefghijklmnopqrstuv{i:08}")
        } else {
            format!("{:032x}", i * 7919)
        };
        rows.push(vec![
            email(i, false),
            pw,
            format!("Trần Thị {i}"),
            format!("{:012}", i + 1),
        ]);
    }
    let p = scan(
        opts(2),
        &[(
            table(0, "accounts", &["email", "password", "name", "national_id"]),
            rows,
        )],
    );
    assert_eq!(p.passwords.total, 900);
    assert_eq!(p.passwords.fast_or_unsalted, 600);
    assert_eq!(p.passwords.plaintext, 0);
    assert_eq!(p.passwords.by_algorithm[0].algorithm, "md5");
    assert!(p.passwords.by_algorithm[0].weak);
    assert_eq!(p.passwords.by_algorithm[1].algorithm, "bcrypt");
    assert!(!p.passwords.by_algorithm[1].weak);
    assert_eq!(p.sensitivity.level, Level::Critical);
    let codes: Vec<&str> = p
        .sensitivity
        .reasons
        .iter()
        .map(|r| r.code.as_str())
        .collect();
    assert_eq!(codes[0], "id-and-name");
    assert!(codes.contains(&"weak-password-hashes"));
    let weak = p
        .sensitivity
        .reasons
        .iter()
        .find(|r| r.code == "weak-password-hashes")
        .unwrap();
    assert!(weak.text.contains("MD5"), "{}", weak.text);
    assert_eq!(p.data_classes[0], "national_id");
    assert!(p.data_classes_hibp.contains(&s("Government issued IDs")));
    assert!(p.data_classes_hibp.contains(&s("Passwords")));
}

#[test]
fn plaintext_passwords_are_critical() {
    let rows: Vec<Vec<String>> = (0..50u64)
        .map(|i| vec![email(i, false), format!("hunter{i}")])
        .collect();
    let p = scan(opts(1), &[(table(0, "t", &["email", "plain_pw"]), rows)]);
    assert_eq!(p.passwords.plaintext, 50);
    assert_eq!(p.passwords.by_algorithm[0].algorithm, "plaintext");
    assert_eq!(p.sensitivity.level, Level::Critical);
    assert_eq!(p.sensitivity.reasons[0].code, "plaintext-passwords");
}

fn profile_json(reveal: bool) -> (String, Vec<String>) {
    let mut raw = Vec::new();
    let mut rows = Vec::new();
    for i in 0..200u64 {
        let e = email(i, false);
        let ph = vn_phone(i, false);
        let card = format!("4111{:012}", i);
        raw.extend([e.clone(), ph.clone(), card.clone()]);
        rows.push(vec![e, ph, card, format!("{:012}", 900_000 + i)]);
    }
    let o = ScanOptions { reveal, ..opts(2) };
    let p = scan(
        o,
        &[(
            table(0, "t", &["email", "phone", "card", "national_id"]),
            rows,
        )],
    );
    assert_eq!(p.revealed, reveal);
    assert!(p.tables[0].columns.iter().all(|c| c.examples.len() == 3));
    (serde_json::to_string(&p).unwrap(), raw)
}

#[test]
fn examples_are_masked_unless_revealed() {
    let (json, raw) = profile_json(false);
    for r in &raw {
        assert!(
            !json.contains(r.as_str()),
            "raw value leaked into the profile"
        );
    }
    assert!(json.contains("•••"));
    let (json, raw) = profile_json(true);
    assert!(raw.iter().any(|r| json.contains(r.as_str())));
}

/// A sink wrapper that records the scanner's buffered rows after every batch.
#[test]
fn buffering_for_the_decision_is_bounded() {
    let o = ScanOptions {
        sample_rows: 300,
        sample_bytes: 1 << 20,
        ..opts(2)
    };
    let mut sc = scanner(o);
    let t = table(0, "big", &["email", "note"]);
    sc.begin_table(&t);
    let mut max_buffered = 0;
    for b in 0..200u64 {
        let mut batch = RowBatch::new(b * 50 + 1);
        for i in 0..50u64 {
            batch.push_field(&email(b * 50 + i, false));
            batch.push_field("x");
            batch.end_row();
        }
        sc.rows(&t, batch);
        max_buffered = max_buffered.max(sc.buffered().0);
    }
    assert!(max_buffered <= 300 + 50, "{max_buffered}");
    assert_eq!(sc.buffered(), (0, 0));
    // A byte cap decides early even when rows are few.
    let o2 = ScanOptions {
        sample_rows: 1_000_000,
        sample_bytes: 4_096,
        ..opts(1)
    };
    let mut sc2 = scanner(o2);
    let t2 = table(1, "wide", &["note"]);
    for b in 0..20u64 {
        let mut batch = RowBatch::new(b + 1);
        batch.push_field(&"x".repeat(1_000));
        batch.end_row();
        sc2.rows(&t2, batch);
        assert!(sc2.buffered().1 <= 4_096 + 1_000);
    }
    let p = sc.finish();
    assert_eq!(p.rows, 10_000);
    assert_eq!(p.individuals.estimate, 10_000);
    assert_eq!(sc2.finish().rows, 20);
}

#[test]
fn sources_diagnostics_and_ragged_rows() {
    let mut sc = scanner(opts(2));
    let src = SourceInfo {
        path: s("dump.csv"),
        format: s("csv"),
        encoding: Some(s("UTF-8")),
        bytes: 12_345,
        compression: vec![],
    };
    sc.begin_source(&src);
    let mut t = table(0, "dump", &["email"]);
    t.source = s("dump.csv");
    let rows: Vec<Vec<String>> = (0..100u64)
        .map(|i| match i % 3 {
            0 => vec![email(i, false)],
            1 => vec![email(i, false), s("extra"), s("more")],
            _ => vec![],
        })
        .collect();
    feed(&mut sc, &t, &rows, 7);
    for line in 0..250u64 {
        sc.diagnostic(&Diagnostic {
            severity: Severity::Warning,
            code: s("bad-quote"),
            message: s("unterminated quote; row skipped"),
            source: s("dump.csv"),
            table: Some(s("dump")),
            line: Some(line + 2),
            offset: None,
            rows_skipped: 1,
        });
    }
    // A rare code after the flood is still listed in full.
    sc.diagnostic(&Diagnostic {
        severity: Severity::Warning,
        code: s("json-extra-keys"),
        message: s("12 objects have keys not seen in the first 1000"),
        source: s("dump.csv"),
        table: Some(s("dump")),
        line: None,
        offset: None,
        rows_skipped: 0,
    });
    sc.end_source(&src);
    let p = sc.finish();
    assert_eq!(p.rows, 100);
    assert_eq!(p.rows_skipped, 250);
    assert_eq!(p.bytes, 12_345);
    assert_eq!(p.sources.len(), 1);
    assert_eq!(p.sources[0].rows, 100);
    assert_eq!(p.tables[0].columns.len(), 3);
    assert_eq!(p.tables[0].columns[2].name, "col_3");
    assert_eq!(
        p.diagnostics.len(),
        52,
        "50 listed, the rare one, one closing entry"
    );
    assert!(p.diagnostics[0].message.contains("line 2"));
    let rare = p
        .diagnostics
        .iter()
        .find(|d| d.code == "json-extra-keys")
        .expect("the rare diagnostic survives the flood");
    assert!(rare.message.contains("12 objects"), "{}", rare.message);
    let last = p.diagnostics.last().unwrap();
    assert!(last.message.contains("200 more"), "{}", last.message);
    assert_eq!(last.count, 200);
    assert_eq!(p.diagnostics.iter().map(|d| d.count).sum::<u64>(), 251);
    assert_eq!(
        p.diagnostics.iter().map(|d| d.rows_skipped).sum::<u64>(),
        250
    );
    assert_eq!(p.individuals.estimate, 67);
}
