//! End to end: generated leaks (leakscope-synth) scanned with the real detectors, checked against
//! the generator's ground truth — rows exact, individuals within 1%, classes, tenants, newest
//! record, countries.

use std::path::PathBuf;

use leakscope_formats::{ReadOptions, RowBatch, Sink, TableInfo, TableStats};
use leakscope_profile::ScanProfile;
use leakscope_scan::{scan_paths, ScanOptions, Scanner};
use leakscope_synth::write::{write_dataset, CsvOptions, Format};
use leakscope_synth::{generate, Dataset, Flavour, GenOptions, HeaderStyle};

fn dataset(flavour: Flavour, rows: usize, headers: HeaderStyle) -> Dataset {
    generate(
        flavour,
        &GenOptions {
            rows,
            seed: 20_260_101,
            headers,
            adversarial: true,
        },
    )
}

/// Feeds the generated tables straight into a scanner (no file formats involved).
fn scan_in_memory(ds: &Dataset) -> ScanProfile {
    let opts = ScanOptions {
        threads: 2,
        found_on: Some("2026-11-01".into()),
        ..ScanOptions::default()
    };
    let mut sc = Scanner::new(opts).expect("scanner");
    for (id, t) in ds.tables.iter().enumerate() {
        let info = TableInfo {
            id: id as u32,
            name: t.name.clone(),
            source: format!("{}.mem", t.name),
            headers: (0..t.columns.len()).map(|i| t.column_name(i)).collect(),
            has_header_row: t.has_header(),
        };
        sc.begin_table(&info);
        for (n, chunk) in t.rows.chunks(1_000).enumerate() {
            let mut b = RowBatch::new(n as u64 * 1_000 + 1);
            for r in chunk {
                for f in r {
                    b.push_field(f);
                }
                b.end_row();
            }
            sc.rows(&info, b);
        }
        sc.end_table(
            &info,
            &TableStats {
                rows: t.rows.len() as u64,
                rows_skipped: 0,
            },
        );
    }
    sc.finish()
}

fn check_against_truth(p: &ScanProfile, ds: &Dataset, what: &str) {
    let t = &ds.truth;
    assert_eq!(p.rows, t.rows, "{what}: rows");
    let err =
        (p.individuals.estimate as f64 - t.individuals as f64).abs() / t.individuals.max(1) as f64;
    assert!(
        err <= 0.01,
        "{what}: individuals {} vs truth {} ({err:.4})",
        p.individuals.estimate,
        t.individuals
    );
    assert_eq!(p.records.newest, t.newest_record, "{what}: newest record");
    for class in [
        leakscope_synth::DataClass::Email,
        leakscope_synth::DataClass::Phone,
    ] {
        if t.classes.contains(&class) {
            assert!(
                p.data_classes.iter().any(|c| c == class.id()),
                "{what}: class {} missing",
                class.id()
            );
        }
    }
    // A tenant column is recognised by its header; header-less dumps cannot name it.
    let has_headers = ds.tables.iter().all(|t| t.has_header());
    if let (Some(col), Some(n), true) = (&t.tenant_column, t.tenants, has_headers) {
        let tenants = p
            .tenants
            .as_ref()
            .unwrap_or_else(|| panic!("{what}: no tenants found"));
        assert!(
            tenants.column.ends_with(&format!(".{col}")),
            "{what}: tenant column {}",
            tenants.column
        );
        assert_eq!(tenants.count, n, "{what}: tenants");
        assert!(!tenants.top.is_empty() && tenants.top.len() <= 20);
    }
    // Countries: the truth places people by phone only; the scan also uses ID kinds and
    // addresses, so shares may differ a little. The main country must match (share within
    // 3 points) and every truth country with a 5% share must be listed.
    let known: u64 = t.countries.values().sum();
    if let Some((code, n)) = t.countries.iter().max_by_key(|x| x.1) {
        let top = &p.countries[0];
        assert_eq!(&top.code, code, "{what}: main country");
        let want = *n as f64 / known as f64;
        assert!(
            (top.share - want).abs() < 0.03,
            "{what}: share {} vs {want}",
            top.share
        );
    }
    for (code, n) in &t.countries {
        if *n as f64 / known as f64 >= 0.05 {
            assert!(
                p.countries.iter().any(|c| &c.code == code),
                "{what}: country {code} missing"
            );
        }
    }
}

#[test]
fn generated_leaks_in_memory_match_ground_truth() {
    for flavour in Flavour::ALL {
        let ds = dataset(flavour, 3_000, HeaderStyle::Native);
        let p = scan_in_memory(&ds);
        check_against_truth(&p, &ds, flavour.id());
        assert!(p.records.age_text.is_some());
        assert_ne!(
            p.sensitivity.reasons[0].code,
            "nothing-sensitive",
            "{}",
            flavour.id()
        );
    }
}

#[test]
fn english_and_headerless_variants_keep_the_people_count() {
    for headers in [HeaderStyle::English, HeaderStyle::Headerless] {
        let ds = dataset(Flavour::VnShop, 2_000, headers);
        let p = scan_in_memory(&ds);
        check_against_truth(&p, &ds, &format!("vn-shop {headers:?}"));
    }
}

#[test]
fn generated_csv_files_scan_end_to_end() {
    let dir = std::env::temp_dir().join(format!("leakscope-scan-e2e-{}", std::process::id()));
    let ds = dataset(Flavour::SgGrocery, 2_000, HeaderStyle::Native);
    let files = write_dataset(&ds, &dir, &[Format::Csv(CsvOptions::default())]).expect("write");
    let paths: Vec<PathBuf> = files.clone();
    let opts = ScanOptions {
        threads: 2,
        ..ScanOptions::default()
    };
    let p = scan_paths(&paths, &ReadOptions::default(), &opts).expect("scan");
    check_against_truth(&p, &ds, "sg-grocery csv");
    assert_eq!(p.sources.len(), files.len());
    assert!(p.sources.iter().all(|s| s.format == "csv"));
    // Nothing raw: no e-mail address from the data appears in the profile.
    let json = serde_json::to_string(&p).unwrap();
    let emails: Vec<&String> = ds
        .tables
        .iter()
        .flat_map(|t| t.rows.iter().flatten())
        .filter(|v| v.contains('@'))
        .collect();
    assert!(!emails.is_empty());
    assert!(
        emails.iter().all(|e| !json.contains(e.as_str())),
        "a raw e-mail leaked into the profile"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Cutting the files into small blocks parsed on several threads changes nothing in the profile:
/// the same rows, people, countries, dates, tenants and column decisions as one sequential pass,
/// and both match the generator's truth.
#[test]
fn parallel_block_reading_gives_the_sequential_profile() {
    let dir = std::env::temp_dir().join(format!("leakscope-scan-par-{}", std::process::id()));
    let ds = dataset(Flavour::VnShop, 12_000, HeaderStyle::Native);
    let files = write_dataset(&ds, &dir, &[Format::Csv(CsvOptions::default())]).expect("write");
    let opts = ScanOptions {
        threads: 2,
        found_on: Some("2026-11-01".into()),
        ..ScanOptions::default()
    };
    let sequential = ReadOptions {
        threads: 1,
        ..ReadOptions::default()
    };
    let parallel = ReadOptions {
        threads: 3,
        block_bytes: 16 << 10,
        ..ReadOptions::default()
    };
    let a = scan_paths(&files, &sequential, &opts).expect("scan");
    let b = scan_paths(&files, &parallel, &opts).expect("scan");
    check_against_truth(&a, &ds, "vn-shop csv, sequential");
    check_against_truth(&b, &ds, "vn-shop csv, parallel");
    let json = |p: &ScanProfile| {
        let mut v = serde_json::to_value(p).unwrap();
        v.as_object_mut().unwrap().remove("generated_at");
        v
    };
    let (ja, jb) = (json(&a), json(&b));
    for (k, va) in ja.as_object().unwrap() {
        if Some(va) != jb.get(k) {
            let (sa, sb) = (va.to_string(), jb[k].to_string());
            let at = sa
                .bytes()
                .zip(sb.bytes())
                .take_while(|(x, y)| x == y)
                .count();
            let lo = at.saturating_sub(200);
            panic!(
                "profile field {k} differs:\nsequential …{}\nparallel   …{}",
                &sa[lo..(at + 80).min(sa.len())],
                &sb[lo..(at + 80).min(sb.len())]
            );
        }
    }
    assert_eq!(ja, jb);
    let _ = std::fs::remove_dir_all(&dir);
}
