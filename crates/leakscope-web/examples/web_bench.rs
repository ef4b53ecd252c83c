//! Server time of the web app's heaviest pages (issue 16's target: under 300 ms): the case list
//! with 1,000 cases, the page of a case whose verify run names 5,000 merchants (with 10,000
//! merchant-pack files registered, a scan profile with tenants, obligations with drafts), and
//! that case's full merchant list. Data is generated in a temporary SQLite database (no leak
//! data); requests go through the same router `leakscope serve` mounts, with a signed-in
//! session; the time is the app's own `Server-Timing` (authentication, database, advisory,
//! HTML), median and 95th percentile of the runs.
//!
//! `cargo run --release -p leakscope-web --example web_bench [CASES] [MERCHANTS] [RUNS]`

use axum::body::Body;
use axum::http::Request;
use chrono::Utc;
use leakscope_cases::analyse::{self, Env};
use leakscope_cases::model::{OrgFacts, Tlp};
use leakscope_cases::store::{self, NewArtefact, NewCase, NewDocument};
use leakscope_db::{Target, Value};
use leakscope_web::{Pool, Role, WebOptions, WebState};
use serde_json::json;
use std::sync::Arc;
use std::time::Instant;
use tower::ServiceExt;

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let cases: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let merchants: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(5000);
    let runs: usize = args.get(3).and_then(|a| a.parse().ok()).unwrap_or(15);
    let dir = tempfile::tempdir().expect("temp dir");
    let home = dir.path().join("home");
    leakscope_keys::init_data_dir(&home).expect("data dir");
    let pool = Arc::new(Pool::open(Target::Sqlite(home.join("leakscope.db")), 4).expect("db"));
    let t0 = Instant::now();
    let (big, token) = pool
        .blocking(|db| {
            let mut last = 0;
            for i in 0..cases {
                let c = store::create(
                    db,
                    &NewCase {
                        title: format!("Customer data of merchant platform {i} offered on a forum"),
                        lang: "en".into(),
                        tlp: Tlp::Amber,
                        timezone: "Asia/Singapore".into(),
                        facts: OrgFacts::default(),
                        aware_at: None,
                        opened_at: "2026-12-01T00:00:00Z".into(),
                        actor: None,
                    },
                )?;
                db.execute(
                    "UPDATE cases SET verdict = ?, sensitivity = ?, people = ?, merchants = ?, next_due = ? WHERE id = ?",
                    &[
                        ["authentic", "inconclusive", "unrelated"][i % 3].into(),
                        ["critical", "high", "moderate"][i % 3].into(),
                        Value::Int((i * 137 % 100_000) as i64),
                        Value::Int((i % 40) as i64),
                        format!("2026-12-{:02}T{:02}:00:00Z", 3 + i % 20, i % 24).into(),
                        Value::Int(c.id),
                    ],
                )?;
                last = c.id;
            }
            // The big case: a profile with tenants, a verify report naming every merchant, the
            // merchant packs registered as output files, obligations with drafts.
            let mut p = leakscope_cases::claim::empty_profile();
            p.rows = 1_000_000;
            p.individuals.estimate = 800_000;
            p.data_classes = vec!["email".into(), "phone".into(), "person_name".into(), "order_id".into()];
            p.countries = vec![leakscope_profile::CountryShare {
                code: "SG".into(),
                name: "Singapore".into(),
                people: 800_000,
                share: 1.0,
                signals: vec!["phone country code".into()],
            }];
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
            let out_dir = home.join("cases").join("bench").join("run-1");
            let tenants: Vec<_> = (0..merchants)
                .map(|i| json!({"tenant": format!("shop-{i:05}"), "customers": 1000 - (i % 900), "consistent_customers": 900 - (i % 800), "rows": 1200, "estimated_rows_in_claim": null}))
                .collect();
            let verify = json!({
                "schema": "leakscope.verify/1", "verdict": "authentic", "summary": "authentic",
                "sample_rows": 1_000_000, "affected_customers": 800_000,
                "match_share": {"k": 900, "n": 1000, "value": 0.9, "lo": 0.88, "hi": 0.92},
                "consistency": {"k": 880, "n": 900, "value": 0.98, "lo": 0.97, "hi": 0.99},
                "evidence": ["900 of 1000 sample rows match one of our customers"],
                "tenants": tenants, "currency": {"dated": false, "statement": "current"},
                "case_outputs": {"directory": out_dir.display().to_string(), "affected_customers": 800_000, "affected_customers_csv": "00", "merchant_packs": merchants},
            });
            let scan = serde_json::to_value(&p).unwrap();
            for (kind, schema, doc) in [("scan", "leakscope.scan/1", &scan), ("verify", "leakscope.verify/1", &verify)] {
                store::add_document(db, last, &NewDocument { kind, schema, basis: "sample", run: 1, artefacts: &[], json: doc })?;
            }
            db.transaction(|db| -> Result<(), leakscope_web::WebError> {
                for i in 0..merchants {
                    for ext in ["json", "md"] {
                        let name = format!("shop-{i:05}.{ext}");
                        store::add_artefact(
                            db,
                            last,
                            &NewArtefact {
                                sha256: format!("{:064x}", i * 2 + usize::from(ext == "md")),
                                kind: "output".into(),
                                name: name.clone(),
                                location: Some(out_dir.join("merchants").join(&name).display().to_string()),
                                bytes: 900,
                            },
                        )?;
                    }
                }
                Ok(())
            })?;
            let env = Env::new(home.clone(), None);
            let case = store::get(db, last)?;
            analyse::reevaluate_obligations(db, &case, &env)?;
            let user = leakscope_web::users::add(db, "bench", Role::Analyst, "bench password 2026")
                .map_err(|e| leakscope_web::WebError::Internal(e.to_string()))?;
            let (token, _) = leakscope_web::sessions::create(db, &user, None, Utc::now(), std::time::Duration::from_secs(3600))?;
            Ok((last, token))
        })
        .expect("bench data");
    eprintln!(
        "generated {cases} cases and one with {merchants} merchants in {:.1} s",
        t0.elapsed().as_secs_f64()
    );
    let state = WebState::new(pool, WebOptions::new(home.clone()), None);
    let router = leakscope_web::router(state);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    println!("| page | bytes | server median ms | server p95 ms | wall median ms |");
    println!("|---|---:|---:|---:|---:|");
    for (label, path) in [
        (format!("case list, {cases} cases"), "/cases".to_string()),
        (
            format!("case page, {merchants} merchants"),
            format!("/cases/{big}"),
        ),
        (
            format!("merchant list, {merchants} merchants"),
            format!("/cases/{big}/merchants"),
        ),
    ] {
        let mut server = Vec::new();
        let mut wall = Vec::new();
        let mut size = 0;
        for i in 0..=runs {
            let req = Request::builder()
                .uri(&path)
                .header("cookie", format!("__Host-leakscope={token}"))
                .body(Body::empty())
                .unwrap();
            let t = Instant::now();
            let (st, ms, bytes) = rt.block_on(async {
                let r = router.clone().oneshot(req).await.unwrap();
                let ms: f64 = r
                    .headers()
                    .get("server-timing")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.strip_prefix("app;dur="))
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(f64::NAN);
                let st = r.status();
                let b = axum::body::to_bytes(r.into_body(), usize::MAX)
                    .await
                    .unwrap();
                (st, ms, b.len())
            });
            let w = t.elapsed().as_secs_f64() * 1e3;
            assert!(st.is_success(), "{path}: {st}");
            if i == 0 {
                continue; // warm-up
            }
            server.push(ms);
            wall.push(w);
            size = bytes;
        }
        println!(
            "| {label} | {size} | {:.1} | {:.1} | {:.1} |",
            pct(&mut server.clone(), 0.5),
            pct(&mut server, 0.95),
            pct(&mut wall, 0.5)
        );
    }
}
