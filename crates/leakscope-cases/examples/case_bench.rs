//! Times what the web pages of issue 16 will call: listing 1,000 cases, and loading, building and
//! rendering (HTML, STIX, MISP) the advisory of a case whose verify report names 5,000 merchants.
//! Data is generated in a temporary SQLite database (no leak data involved).
//!
//! `cargo run --release -p leakscope-cases --example case_bench [CASES] [MERCHANTS]`

use chrono::Utc;
use leakscope_cases::model::{OrgFacts, Tlp};
use leakscope_cases::store::{self, NewCase, NewDocument};
use leakscope_cases::{render, CaseView, Templates};
use leakscope_db::{Db, Target};
use serde_json::json;
use std::time::Instant;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let cases: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let merchants: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(5000);
    let dir = tempfile::tempdir().expect("temp dir");
    let mut db = Db::open(&Target::Sqlite(dir.path().join("leakscope.db"))).expect("db");
    let t0 = Instant::now();
    let mut last = 0;
    {
        for i in 0..cases {
            let c = store::create(
                &mut db,
                &NewCase {
                    title: format!("Case {i}"),
                    lang: "en".into(),
                    tlp: Tlp::Amber,
                    timezone: "Asia/Singapore".into(),
                    facts: OrgFacts::default(),
                    aware_at: None,
                    opened_at: "2026-12-01T00:00:00Z".into(),
                    actor: None,
                },
            )
            .expect("case");
            last = c.id;
        }
    }
    println!(
        "created {cases} cases in {:.0} ms",
        t0.elapsed().as_secs_f64() * 1e3
    );
    // The big case: a scan profile with tenants and a verify report naming every merchant.
    let mut p = leakscope_cases::claim::empty_profile();
    p.rows = 1_000_000;
    p.individuals.estimate = 800_000;
    p.data_classes = vec![
        "email".into(),
        "phone".into(),
        "person_name".into(),
        "order_id".into(),
    ];
    p.tenants = Some(leakscope_profile::Tenants {
        column: "orders.shop_id".into(),
        count: merchants as u64,
        top: (0..20)
            .map(|i| leakscope_profile::TenantCount {
                name: format!("shop-{i:05}"),
                rows: 10_000 - i as u64,
                label: None,
            })
            .collect(),
    });
    let scan = serde_json::to_value(&p).unwrap();
    let tenants: Vec<_> = (0..merchants)
        .map(|i| json!({"tenant": format!("shop-{i:05}"), "customers": 1000 - (i % 900), "consistent_customers": 900 - (i % 800), "rows": 1200, "estimated_rows_in_claim": null}))
        .collect();
    let verify = json!({
        "schema": "leakscope.verify/1", "verdict": "authentic", "summary": "authentic",
        "sample_rows": 1_000_000, "affected_customers": 800_000,
        "match_share": {"k": 900, "n": 1000, "value": 0.9, "lo": 0.88, "hi": 0.92},
        "consistency": {"k": 880, "n": 900, "value": 0.98, "lo": 0.97, "hi": 0.99},
        "tenants": tenants, "currency": {"dated": false},
        "case_outputs": {"affected_customers": 800_000, "affected_customers_csv": "00", "merchant_packs": merchants},
    });
    for (kind, schema, doc) in [
        ("scan", "leakscope.scan/1", &scan),
        ("verify", "leakscope.verify/1", &verify),
    ] {
        store::add_document(
            &mut db,
            last,
            &NewDocument {
                kind,
                schema,
                basis: "sample",
                run: 1,
                artefacts: &[],
                json: doc,
            },
        )
        .expect("document");
    }
    let t = Templates::builtin("en").expect("templates");
    let mut list_ms = Vec::new();
    let mut case_ms = Vec::new();
    let mut html_bytes = 0;
    for _ in 0..7 {
        let t1 = Instant::now();
        let all = store::list(
            &mut db,
            &store::ListFilter {
                limit: cases as i64,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(all.len(), cases);
        list_ms.push(t1.elapsed().as_secs_f64() * 1e3);
        let t2 = Instant::now();
        let view = CaseView::load(&mut db, last).unwrap();
        let adv = leakscope_cases::build_advisory(&view, &t, Utc::now());
        let html = render::html(&adv, &t);
        let _ = leakscope_cases::export::stix::bundle(&view, &adv, None);
        let _ = leakscope_cases::export::misp::event(&view, &adv, None).unwrap();
        case_ms.push(t2.elapsed().as_secs_f64() * 1e3);
        html_bytes = html.len();
    }
    println!(
        "list {cases} cases: median {:.1} ms; case with {merchants} merchants (load + advisory + HTML {} KB + STIX + MISP): median {:.1} ms",
        median(list_ms),
        html_bytes / 1024,
        median(case_ms)
    );
}
