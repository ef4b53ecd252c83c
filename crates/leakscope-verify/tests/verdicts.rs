//! The four verdicts, currency and tenant scope on generated cases.

mod common;

use common::*;
use leakscope_verify::dates::days_from_civil;
use leakscope_verify::{verify_batches, Index, Verdict, VerifyOptions, VerifyOutcome};
use std::collections::{BTreeMap, BTreeSet};

fn run(index: &Index, rows: Vec<Vec<String>>, claimed: Option<u64>) -> VerifyOutcome {
    let opts = VerifyOptions {
        claimed_rows: claimed,
        today: Some(days_from_civil(2026, 11, 22)),
        ..Default::default()
    };
    verify_batches(
        &[(table("leak", &SAMPLE_HEADERS), batch(&rows))],
        index,
        &hashing(),
        &opts,
    )
    .unwrap()
}

fn distinct_picks(rng: &mut Rng, n: usize, of: usize) -> Vec<usize> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    while out.len() < n {
        let i = rng.below(of as u64) as usize;
        if seen.insert(i) {
            out.push(i);
        }
    }
    out
}

#[test]
fn authentic_leak_with_respelled_fields_and_tenant_scope() {
    let people = customers(2000, 11);
    let idx = index(&people);
    let mut rng = Rng::new(12);
    let picks = distinct_picks(&mut rng, 360, people.len());
    let mut rows: Vec<Vec<String>> = picks
        .iter()
        .map(|&i| faithful_row(&mut rng, &people[i]))
        .collect();
    // 10% strangers, including look-alikes sharing our customers' names.
    for i in 0..40u64 {
        let mut p = person(&mut rng, 50_000 + i);
        p.name = people[i as usize].name.clone();
        rows.push(faithful_row(&mut rng, &p));
    }
    let out = run(&idx, rows, Some(40_000));
    let r = &out.report;
    assert_eq!(r.verdict, Verdict::Authentic, "{}", r.summary);
    assert_eq!(r.sample_rows, 400);
    assert_eq!(r.matched_rows, 360, "strangers must not match");
    assert_eq!(r.consistent_rows, 360);
    assert_eq!(r.partial_rows, 0);
    assert_eq!(r.affected_customers, 360);
    let mut expect: BTreeMap<String, u64> = BTreeMap::new();
    for &i in &picks {
        *expect.entry(people[i].tenant.clone()).or_default() += 1;
    }
    let got: BTreeMap<String, u64> = r
        .tenants
        .iter()
        .map(|t| (t.tenant.clone(), t.customers))
        .collect();
    assert_eq!(got, expect);
    assert!(
        r.tenants
            .windows(2)
            .all(|w| w[0].customers >= w[1].customers),
        "most affected tenant first"
    );
    let ids: BTreeSet<&str> = out
        .affected
        .iter()
        .map(|a| a.customer_id.as_str())
        .collect();
    let want: BTreeSet<&str> = picks.iter().map(|&i| people[i].id.as_str()).collect();
    assert_eq!(ids, want);
    let x = r.extrapolation.as_ref().unwrap();
    assert_eq!(x.matched_rows[0], 36_000);
    assert!(x.matched_rows[1] < 36_000 && x.matched_rows[2] > 36_000);
    assert_eq!(x.customers[0], 2000, "capped at our customer count");
    assert!(x.statement.contains("exceeds our customer count"));
    let shop = &r.tenants[0];
    assert_eq!(
        shop.estimated_rows_in_claim,
        Some((40_000.0 * shop.rows as f64 / 400.0).round() as u64)
    );
}

#[test]
fn fabricated_leak_recombines_real_identifiers_across_customers() {
    let people = customers(2000, 21);
    let idx = index(&people);
    let mut rng = Rng::new(22);
    let rows: Vec<Vec<String>> = (0..300)
        .map(|_| {
            let p = distinct_picks(&mut rng, 4, people.len());
            vec![
                people[p[0]].name.clone(),
                people[p[1]].email.clone(),
                people[p[2]].phone.clone(),
                people[p[3]].address.clone(),
            ]
        })
        .collect();
    let r = run(&idx, rows, None).report;
    assert_eq!(r.verdict, Verdict::Fabricated, "{}", r.summary);
    assert_eq!(r.matched_rows, 300);
    assert!(r.partial_rows >= 295, "partial {}", r.partial_rows);
    assert!(r.consistency.hi < 0.5);
    assert!(r.evidence.iter().any(|e| e.contains("partial matches")));
}

#[test]
fn unrelated_dump_with_look_alikes_does_not_match() {
    let people = customers(2000, 31);
    let idx = index(&people);
    let mut rng = Rng::new(32);
    let rows: Vec<Vec<String>> = (0..300u64)
        .map(|i| {
            let real = &people[i as usize];
            let mut p = person(&mut rng, 90_000 + i);
            // Adversarial: same name, same mail domain, a phone one digit away.
            p.name = real.name.clone();
            p.email = format!("x{}", real.email);
            let last = real.phone.chars().last().unwrap().to_digit(10).unwrap();
            p.phone = format!("{}{}", &real.phone[..real.phone.len() - 1], (last + 1) % 10);
            faithful_row(&mut rng, &p)
        })
        .collect();
    let r = run(&idx, rows, None).report;
    assert_eq!(r.verdict, Verdict::Unrelated, "{}", r.summary);
    assert_eq!(r.matched_rows, 0);
    assert!(r.match_share.hi < 0.1);
}

#[test]
fn too_few_rows_or_a_mix_is_inconclusive_with_the_minimum_needed() {
    let people = customers(500, 41);
    let idx = index(&people);
    let mut rng = Rng::new(42);
    let rows: Vec<Vec<String>> = (0..6).map(|i| faithful_row(&mut rng, &people[i])).collect();
    let r = run(&idx, rows, None).report;
    assert_eq!(r.verdict, Verdict::Inconclusive, "{}", r.summary);
    let need = r.minimum_rows_needed.expect("a minimum is stated");
    assert!(need > 6 && need <= 40, "need {need}");
    assert!(r.summary.contains(&need.to_string()));

    // 60% faithful, 40% recombined: between the fabricated and authentic thresholds.
    let rows: Vec<Vec<String>> = (0..400usize)
        .map(|i| {
            if i % 5 < 3 {
                faithful_row(&mut rng, &people[i])
            } else {
                vec![
                    people[i].name.clone(),
                    people[(i + 7) % 500].email.clone(),
                    String::new(),
                    String::new(),
                ]
            }
        })
        .collect();
    let r = run(&idx, rows, None).report;
    assert_eq!(r.verdict, Verdict::Inconclusive, "{}", r.summary);
    assert!(r.summary.contains("mix"), "{}", r.summary);

    // Identifiers only: they match, but nothing corroborates the rows.
    let rows: Vec<Vec<String>> = (0..50)
        .map(|i| {
            vec![
                String::new(),
                people[i].email.clone(),
                String::new(),
                String::new(),
            ]
        })
        .collect();
    let r = run(&idx, rows, None).report;
    assert_eq!(r.verdict, Verdict::Inconclusive);
    assert_eq!(r.uncorroborated_rows, 50);
}

#[test]
fn decommissioned_copy_with_stale_fields_is_authentic_but_dated() {
    let mut old = customers(1500, 51);
    let mut rng = Rng::new(52);
    for p in &mut old {
        p.updated = date(&mut rng, (2016, 1, 1), (2019, 3, 10));
    }
    // Since the copy was taken, 40% of customers moved and changed phone numbers.
    let mut current = old.clone();
    let mut changed = 0;
    for p in &mut current {
        if rng.chance(0.4) {
            p.phone = phone(&mut rng);
            p.address = address(&mut rng);
            p.updated = date(&mut rng, (2019, 4, 1), (2024, 6, 30));
            changed += 1;
        }
    }
    assert!(changed > 400);
    let idx = index(&current);
    let picks = distinct_picks(&mut rng, 400, old.len());
    let rows: Vec<Vec<String>> = picks
        .iter()
        .map(|&i| faithful_row(&mut rng, &old[i]))
        .collect();
    let r = run(&idx, rows, None).report;
    assert_eq!(r.verdict, Verdict::Authentic, "{}", r.summary);
    let stale_expected = picks
        .iter()
        .filter(|&&i| current[i].phone != old[i].phone)
        .count() as u64;
    assert_eq!(r.currency.stale_rows, stale_expected);
    assert!(r.currency.dated);
    let as_of = r.currency.as_of.clone().unwrap();
    assert!(as_of == "2019-02" || as_of == "2019-03", "as_of {as_of}");
    assert!(
        r.currency.statement.contains("2019"),
        "{}",
        r.currency.statement
    );
    assert!(r.currency.age_days.unwrap() > 365 * 7);

    // The same sample against the reference as it was then: current, not dated.
    let idx_then = index(&old);
    let rows: Vec<Vec<String>> = picks
        .iter()
        .map(|&i| faithful_row(&mut rng, &old[i]))
        .collect();
    let r = run(&idx_then, rows, None).report;
    assert_eq!(r.verdict, Verdict::Authentic);
    assert_eq!(r.currency.stale_rows, 0);
    assert!(r
        .currency
        .statement
        .starts_with("matches our current records"));
}
