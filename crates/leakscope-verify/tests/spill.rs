//! Bounded-memory builds: forcing tiny sorted runs (spilled to disk and merged) must give the
//! same index and the same verdicts as a build that fits in memory, fresh and incremental.

mod common;

use common::*;
use leakscope_verify::index::{BuildStats, Index};
use leakscope_verify::{verify_batches, IndexBuilder, MapOptions, VerifyOptions};

/// Reference rows where customers recur: every fifth customer has a second, later row (new
/// address, extra e-mail) far away in the input, so its rows land in different runs.
fn rows(people: &[Person]) -> Vec<Vec<String>> {
    let mut rows: Vec<Vec<String>> = people.iter().map(ref_row).collect();
    for p in people.iter().step_by(5) {
        let mut q = p.clone();
        q.email = format!("second.{}", p.email);
        q.address = format!("{} annex", p.address);
        q.updated = "2025-03-04".into();
        rows.push(ref_row(&q));
    }
    rows
}

fn build(
    b: IndexBuilder,
    rows: &[Vec<String>],
    run_bytes: Option<usize>,
    dir: &std::path::Path,
) -> (Vec<u8>, BuildStats) {
    let mut b = b;
    b.set_temp_dir(dir);
    if let Some(n) = run_bytes {
        b.set_run_bytes(n);
    }
    for part in rows.chunks(97) {
        b.add_batch(&table("customers", &REF_HEADERS), &batch(part))
            .unwrap();
    }
    b.finish_with_stats().unwrap()
}

/// Header JSON, entries and customers of an index.
type Contents = (String, Vec<([u8; 16], u32)>, Vec<String>);

/// Everything an index holds except its build time.
fn contents(bytes: Vec<u8>) -> Contents {
    let idx = Index::from_vec(bytes, &hashing()).unwrap();
    let mut h = idx.header().clone();
    h.built_at = 0;
    let entries = (0..h.entries as usize).map(|i| idx.entry(i)).collect();
    let customers = idx
        .customers()
        .unwrap()
        .iter()
        .map(|c| format!("{c:?}"))
        .collect();
    (serde_json::to_string(&h).unwrap(), entries, customers)
}

fn sample(people: &[Person]) -> Vec<(leakscope_formats::TableInfo, leakscope_formats::RowBatch)> {
    let mut rng = Rng::new(5);
    let rows: Vec<Vec<String>> = people
        .iter()
        .step_by(3)
        .map(|p| faithful_row(&mut rng, p))
        .collect();
    vec![(table("leak", &SAMPLE_HEADERS), batch(&rows))]
}

#[test]
fn tiny_runs_spill_and_merge_to_the_same_index_and_verdicts() {
    let people = customers(2500, 301);
    let rows = rows(&people);
    let dir = tempfile::tempdir().unwrap();
    let fresh = || IndexBuilder::new(hashing(), MapOptions::default(), "generated customers");
    let (mem, mem_stats) = build(fresh(), &rows, None, dir.path());
    let (disk, disk_stats) = build(fresh(), &rows, Some(4096), dir.path());
    assert_eq!(mem_stats.spilled_runs, 0, "small reference stays in memory");
    assert!(disk_stats.spilled_runs > 20, "{disk_stats:?}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "run files are removed"
    );
    assert_eq!(mem_stats.customers_added, 2500);
    assert_eq!(disk_stats.customers_added, 2500);
    let (a, b) = (contents(mem.clone()), contents(disk.clone()));
    assert_eq!(a, b);
    // 2 identifiers per customer plus the second e-mail of every fifth one.
    assert_eq!(a.1.len(), 5000 + 500);

    // A recurring customer is one customer with both e-mails and the union of its addresses.
    let idx = Index::from_vec(disk, &hashing()).unwrap();
    let mut hits = Vec::new();
    for e in [&people[0].email, &format!("second.{}", people[0].email)] {
        let n = leakscope_verify::normalize::email(e).unwrap();
        idx.lookup(&hashing().id(leakscope_keys::IdKind::Email, &n), &mut hits);
    }
    assert_eq!(hits.len(), 2);
    assert_eq!(hits[0], hits[1]);
    let c = idx.customer(hits[0]).unwrap();
    assert_eq!(c.id, people[0].id);
    assert_eq!(c.updated, leakscope_verify::dates::parse_day("2025-03-04"));

    let s = sample(&people);
    let opts = VerifyOptions {
        today: leakscope_verify::dates::parse_day("2025-06-01"),
        ..Default::default()
    };
    let mem_idx = Index::from_vec(mem, &hashing()).unwrap();
    let v1 = verify_batches(&s, &mem_idx, &hashing(), &opts).unwrap();
    let v2 = verify_batches(&s, &idx, &hashing(), &opts).unwrap();
    assert_eq!(
        serde_json::to_value(&v1.report).unwrap(),
        serde_json::to_value(&v2.report).unwrap()
    );
    assert_eq!(v1.report.verdict, leakscope_verify::Verdict::Authentic);
}

#[test]
fn incremental_builds_agree_whether_or_not_they_spill() {
    let mut people = customers(1500, 302);
    for p in &mut people {
        p.updated = "2020-01-15".into();
    }
    let dir = tempfile::tempdir().unwrap();
    let base = {
        let (bytes, _) = build(
            IndexBuilder::new(hashing(), MapOptions::default(), "generated customers"),
            &rows(&people),
            None,
            dir.path(),
        );
        Index::from_vec(bytes, &hashing()).unwrap()
    };
    let changed = people.iter().skip(3).step_by(7).count() as u64;
    for p in people.iter_mut().skip(3).step_by(7) {
        p.phone = format!("+6580{}", &p.phone[p.phone.len() - 6..]);
        p.updated = "2021-06-01".into();
    }
    let mut rng = Rng::new(303);
    for i in 0..40 {
        let mut p = person(&mut rng, 9000 + i);
        p.updated = "2021-06-02".into();
        people.push(p);
    }
    let opts = MapOptions {
        updated_column: Some("updated_at".into()),
        ..Default::default()
    };
    let inc = || IndexBuilder::incremental(&base, hashing(), opts.clone(), "2021-01-01").unwrap();
    let plain: Vec<Vec<String>> = people.iter().map(ref_row).collect();
    let (mem, s1) = build(inc(), &plain, None, dir.path());
    let (disk, s2) = build(inc(), &plain, Some(2048), dir.path());
    assert_eq!(s1.spilled_runs, 0);
    assert!(s2.spilled_runs > 5, "{s2:?}");
    for s in [&s1, &s2] {
        assert_eq!(s.customers_replaced, changed);
        assert_eq!(s.customers_added, 40);
    }
    assert_eq!(contents(mem.clone()), contents(disk));
    let idx = Index::from_vec(mem, &hashing()).unwrap();
    assert_eq!(idx.header().customers, 1540);
}
