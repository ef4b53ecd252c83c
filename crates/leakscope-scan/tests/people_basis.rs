//! People without identifiers (issue 12): a contacts table with names but no e-mail, phone or ID
//! is counted by names and says so (`individuals.basis = names`), never "0 (exact count)"; a
//! table with nothing personal says the count is unknown; distinct counts never exceed rows.

use std::io::Write;

use leakscope_formats::ReadOptions;
use leakscope_scan::{scan_paths, ScanOptions};

const GIVEN: [&str; 12] = [
    "Mary", "John", "Linda", "Robert", "Patricia", "Michael", "Barbara", "William", "Susan",
    "David", "Jessica", "Thomas",
];
const FAMILY: [&str; 11] = [
    "Smith", "Johnson", "Brown", "Garcia", "Miller", "Davis", "Wilson", "Moore", "Taylor",
    "Anderson", "Jackson",
];

#[test]
fn names_without_identifiers_are_counted_by_names() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("contacts.csv");
    let mut f = std::fs::File::create(&path).unwrap();
    writeln!(f, "first_name,last_name,title,department").unwrap();
    // 129 people (12 × 11 name pairs minus 3), one row each, and 20 rows repeating people.
    let mut n = 0;
    'outer: for g in GIVEN {
        for s in FAMILY {
            if n == 129 {
                break 'outer;
            }
            writeln!(f, "{g},{s},Clerk,Sales").unwrap();
            n += 1;
        }
    }
    for i in 0..20 {
        writeln!(f, "{},{},Manager,Support", GIVEN[i % 12], FAMILY[i % 11]).unwrap();
    }
    drop(f);
    let p = scan_paths(&[path], &ReadOptions::default(), &ScanOptions::default()).unwrap();
    assert_eq!(p.rows, 149);
    assert_eq!(p.individuals.basis, "names");
    assert_eq!(p.individuals.method, "names");
    assert_eq!(p.individuals.estimate, 129);
    assert_eq!(p.individuals.keyed_by[0].key, "person_name");
    let human =
        leakscope_profile::render::human(&p, &leakscope_profile::render::HumanOptions::default());
    assert!(human.contains("≈ 129 (by names"), "{human}");
    assert!(!human.contains("exact count"), "{human}");
    for t in &p.tables {
        for c in &t.columns {
            assert!(
                c.distinct_estimate <= t.rows,
                "{} {}",
                c.name,
                c.distinct_estimate
            );
        }
    }
}

#[test]
fn nothing_personal_means_people_unknown() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("places.csv");
    let mut f = std::fs::File::create(&path).unwrap();
    writeln!(f, "place_id,latitude,longitude,population").unwrap();
    for i in 0..300u32 {
        writeln!(
            f,
            "{i},{}.{:07},-{}.{:07},{}",
            20 + i % 40,
            (i * 7919) % 10_000_000,
            70 + i % 50,
            (i * 104_729) % 10_000_000,
            1000 + i * 13
        )
        .unwrap();
    }
    drop(f);
    let p = scan_paths(&[path], &ReadOptions::default(), &ScanOptions::default()).unwrap();
    assert_eq!(p.individuals.basis, "none");
    assert_eq!(p.individuals.estimate, 0);
    assert!(p.countries.is_empty(), "{:?}", p.countries);
    assert!(
        !p.data_classes.iter().any(|c| c == "phone"),
        "{:?}",
        p.data_classes
    );
    let human =
        leakscope_profile::render::human(&p, &leakscope_profile::render::HumanOptions::default());
    assert!(
        human.contains("unknown (no e-mail, phone, ID or name column)"),
        "{human}"
    );
}
