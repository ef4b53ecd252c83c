//! Mergeable partials: any split of the rows into partials, counted separately, serialised,
//! merged in any order and tree shape, gives the same profile as one partial over all rows —
//! and the same profile as the scanner itself (exactly where exact; within the sketch error
//! where the people count is estimated, since the scanner keys people under its own seed).

mod common;

use std::sync::Arc;

use common::{email, feed, opts, scan, table, vn_phone, FakeDetectors, Rng};
use leakscope_formats::{RowBatch, TableInfo};
use leakscope_scan::partial::{
    finish_with, Partial, PartialError, PartialScan, SampledTable, ScanPlan,
};
use leakscope_scan::{ScanOptions, ScanProfile};
use serde_json::Value;

type Tables = Vec<(TableInfo, Vec<Vec<String>>)>;

/// Three tables: users keyed by e-mail and phone, orders keyed by e-mail, and a table of
/// names only (people by names). People recur across rows and tables; each person keeps one
/// country.
fn leak(seed: u64) -> Tables {
    let mut rng = Rng(seed);
    let shops = ["shop-a", "shop-b", "shop-c", "shop-d"];
    let users_h = [
        "email",
        "phone",
        "name",
        "created_at",
        "password",
        "shop",
        "address",
        "card",
    ];
    let mut users = Vec::new();
    for i in 0..2_500u64 {
        let p = rng.below(1_800);
        let sg = p.is_multiple_of(5);
        users.push(vec![
            if p.is_multiple_of(7) {
                String::new()
            } else {
                email(p, i % 3 == 0)
            },
            if sg {
                format!("65{}", 81_000_000 + p)
            } else {
                vn_phone(p, i % 2 == 0)
            },
            format!("Person {p}"),
            format!(
                "20{:02}-{:02}-{:02} 10:00",
                18 + p % 5,
                1 + p % 12,
                1 + p % 28
            ),
            if p.is_multiple_of(3) {
                format!("$2b$10${p:053}")
            } else {
                format!("{:032x}", p * 7919)
            },
            shops[(p % 4) as usize].to_string(),
            if sg {
                "1 Orchard Rd, Singapore".into()
            } else {
                "12 Phố Huế, Hà Nội".into()
            },
            if p.is_multiple_of(11) {
                format!("4111{:012}", p)
            } else {
                String::new()
            },
        ]);
    }
    let mut orders = Vec::new();
    for i in 0..1_200u64 {
        let p = rng.below(2_400);
        orders.push(vec![
            format!("ORD{i}"),
            email(p, false),
            format!("2023-{:02}-15", 1 + p % 12),
            shops[(i % 4) as usize].to_string(),
        ]);
    }
    let mut names = Vec::new();
    for _ in 0..400u64 {
        let p = rng.below(300);
        names.push(vec![
            format!("Name{p} Family{}", p % 17),
            format!("1990-01-{:02}", 1 + p % 28),
        ]);
    }
    vec![
        (table(0, "users", &users_h), users),
        (
            table(1, "orders", &["order_id", "email", "order_time", "shop"]),
            orders,
        ),
        (table(2, "members", &["name", "dob"]), names),
    ]
}

fn plan_of(tables: &[(TableInfo, Vec<Vec<String>>)], o: &ScanOptions) -> ScanPlan {
    let samples: Vec<SampledTable> = tables
        .iter()
        .map(|(t, rows)| {
            let mut b = RowBatch::new(1);
            for r in rows.iter().take(o.sample_rows) {
                for f in r {
                    b.push_field(f);
                }
                b.end_row();
            }
            SampledTable {
                info: t.clone(),
                format: Some("csv".into()),
                batches: vec![b],
            }
        })
        .collect();
    ScanPlan::decide_with(&samples, o, &FakeDetectors).expect("plan")
}

fn count(plan: &ScanPlan, tables: &[(TableInfo, Vec<Vec<String>>)]) -> Partial {
    let mut s = PartialScan::with_classifier(plan, Arc::new(FakeDetectors)).expect("scan");
    for (t, rows) in tables {
        feed(&mut s, t, rows, 53);
    }
    s.finish()
}

fn json(p: &ScanProfile) -> Value {
    let mut v = serde_json::to_value(p).expect("profile serialises");
    v.as_object_mut().expect("object").remove("generated_at");
    v
}

/// Splits every table's rows at random over `k` partials (order kept within each).
fn split(tables: &Tables, k: usize, rng: &mut Rng) -> Vec<Tables> {
    let mut parts: Vec<Tables> = (0..k)
        .map(|_| {
            tables
                .iter()
                .map(|(t, _)| (t.clone(), Vec::new()))
                .collect()
        })
        .collect();
    for (ti, (_, rows)) in tables.iter().enumerate() {
        // Contiguous runs of random length, each to a random partial.
        let mut i = 0;
        while i < rows.len() {
            let run = 1 + rng.below(400) as usize;
            let to = rng.below(k as u64) as usize;
            for r in &rows[i..(i + run).min(rows.len())] {
                parts[to][ti].1.push(r.clone());
            }
            i += run;
        }
    }
    parts
}

/// Merges in a random tree shape: two random partials at a time, through JSON.
fn merge_randomly(mut ps: Vec<Partial>, rng: &mut Rng) -> Partial {
    while ps.len() > 1 {
        let a = ps.swap_remove(rng.below(ps.len() as u64) as usize);
        let b = ps.swap_remove(rng.below(ps.len() as u64) as usize);
        let mut a = Partial::from_json(&a.to_json()).expect("round trip");
        a.merge(b).expect("same plan");
        ps.push(a);
    }
    ps.pop().expect("one left")
}

fn check_splits(o: ScanOptions, trials: u64) -> (ScanProfile, ScanProfile) {
    let tables = leak(7);
    let plan = ScanPlan::from_json(&plan_of(&tables, &o).to_json()).expect("plan round trip");
    let whole = finish_with(&plan, [count(&plan, &tables)], &FakeDetectors).expect("finish");
    let mut rng = Rng(42);
    for trial in 0..trials {
        let k = 1 + rng.below(6) as usize;
        let partials: Vec<Partial> = split(&tables, k, &mut rng)
            .iter()
            .map(|part| count(&plan, part))
            .collect();
        let merged = merge_randomly(partials, &mut rng);
        let got = finish_with(&plan, [merged], &FakeDetectors).expect("finish");
        assert_eq!(
            json(&got),
            json(&whole),
            "trial {trial}: {k} partials differ from one"
        );
    }
    // One worker: the scanner counts a person in the country of the first row it sees, which
    // with more workers depends on which batch wins the race.
    let scanned = scan(ScanOptions { threads: 1, ..o }, &tables);
    (whole, scanned)
}

#[test]
fn any_split_merged_in_any_order_gives_the_scanners_profile() {
    let (whole, scanned) = check_splits(opts(2), 6);
    assert_eq!(whole.individuals.method, "exact");
    let (a, b) = (json(&whole), json(&scanned));
    for field in [
        "rows",
        "rows_skipped",
        "tables",
        "individuals",
        "data_classes",
        "data_classes_hibp",
        "countries",
        "records",
        "tenants",
        "passwords",
        "sensitivity",
        "revealed",
    ] {
        assert_eq!(
            a[field], b[field],
            "field {field} differs from the scanner's"
        );
    }
    assert!(whole.rows > 4_000);
    assert!(!whole.countries.is_empty());
}

#[test]
fn past_the_exact_limit_the_sketches_merge_within_their_error() {
    let o = ScanOptions {
        exact_individuals_limit: 200,
        ..opts(2)
    };
    let (whole, scanned) = check_splits(o, 6);
    assert_eq!(whole.individuals.method, "hyperloglog");
    assert_eq!(scanned.individuals.method, "hyperloglog");
    let (a, b) = (whole.individuals.estimate, scanned.individuals.estimate);
    let tolerance = 3.0 * whole.individuals.relative_error * b as f64 + 2.0;
    assert!(
        (a as f64 - b as f64).abs() <= tolerance,
        "people {a} vs the scanner's {b}"
    );
    for (x, y) in whole.countries.iter().zip(&scanned.countries) {
        assert_eq!(x.code, y.code);
        let tol = 0.05 * y.people as f64 + 2.0;
        assert!((x.people as f64 - y.people as f64).abs() <= tol);
    }
    let (a, b) = (json(&whole), json(&scanned));
    for field in ["rows", "tables", "records", "tenants", "passwords"] {
        assert_eq!(
            a[field], b[field],
            "field {field} differs from the scanner's"
        );
    }
}

#[test]
fn partials_of_another_plan_or_broken_documents_are_refused() {
    let tables = leak(3);
    let o = opts(1);
    let plan = plan_of(&tables, &o);
    let other = plan_of(&tables, &o); // a fresh seed: another plan
    let mut a = count(&plan, &tables);
    let b = count(&other, &tables);
    assert_eq!(a.merge(b), Err(PartialError::PlanMismatch));
    assert!(finish_with(&other, [count(&plan, &tables)], &FakeDetectors).is_err());
    assert!(matches!(
        Partial::from_json("{\"schema\":\"x\"}"),
        Err(PartialError::Json(_))
    ));
    let mut v: Value = serde_json::from_str(&a.to_json()).expect("json");
    v["schema"] = Value::String("leakscope.partial/9".into());
    assert!(matches!(
        Partial::from_json(&v.to_string()),
        Err(PartialError::Schema { .. })
    ));
    let mut v: Value = serde_json::from_str(&a.to_json()).expect("json");
    v["people"]["p"] = Value::from(30);
    assert!(matches!(
        Partial::from_json(&v.to_string()),
        Err(PartialError::Malformed(_))
    ));
    assert!(ScanPlan::from_json("[]").is_err());
}

#[test]
fn rows_of_tables_outside_the_plan_are_reported_not_lost() {
    let tables = leak(5);
    let o = opts(1);
    let plan = plan_of(&tables[..1], &o);
    let p = count(&plan, &tables);
    let profile = finish_with(&plan, [p], &FakeDetectors).expect("finish");
    let d: Vec<_> = profile
        .diagnostics
        .iter()
        .filter(|d| d.code == "table-not-planned")
        .collect();
    assert_eq!(d.len(), 2);
    assert_eq!(
        d.iter().map(|d| d.rows_skipped).sum::<u64>(),
        (tables[1].1.len() + tables[2].1.len()) as u64
    );
    assert_eq!(profile.rows, tables[0].1.len() as u64);
}
