//! File references and samples through the reading layer (CSV), and unreadable files.

mod common;

use common::*;
use leakscope_verify::dates::days_from_civil;
use leakscope_verify::{
    index_from_reference, verify_paths, MapOptions, RefSource, Verdict, VerifyError, VerifyOptions,
};

fn csv_line(fields: &[String]) -> String {
    fields
        .iter()
        .map(|f| format!("\"{}\"", f.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(",")
        + "\n"
}

#[test]
fn csv_reference_and_csv_sample_give_a_verdict() {
    let people = customers(500, 111);
    let dir = tempfile::tempdir().unwrap();
    let refp = dir.path().join("customers_export.csv");
    let mut text = csv_line(&REF_HEADERS.map(String::from));
    people.iter().for_each(|p| text += &csv_line(&ref_row(p)));
    std::fs::write(&refp, text).unwrap();
    let samp = dir.path().join("leak_sample.csv");
    let mut rng = Rng::new(112);
    let mut text = csv_line(&SAMPLE_HEADERS.map(String::from));
    people
        .iter()
        .take(100)
        .for_each(|p| text += &csv_line(&faithful_row(&mut rng, p)));
    std::fs::write(&samp, text).unwrap();

    let src = RefSource::parse(&[refp.display().to_string()], None, None).unwrap();
    let (idx, warnings) = index_from_reference(&src, &hashing(), &MapOptions::default()).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(idx.header().customers, 500);
    let opts = VerifyOptions {
        today: Some(days_from_civil(2026, 11, 22)),
        ..Default::default()
    };
    let out = verify_paths(&[samp], &idx, &hashing(), &opts).unwrap();
    assert_eq!(
        out.report.verdict,
        Verdict::Authentic,
        "{}",
        out.report.summary
    );
    assert_eq!(out.report.sample_rows, 100);
    assert_eq!(out.report.consistent_rows, 100);
}

#[test]
fn unreadable_references_and_samples_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.csv");
    let src = RefSource::parse(&[missing.display().to_string()], None, None).unwrap();
    let e = index_from_reference(&src, &hashing(), &MapOptions::default()).unwrap_err();
    assert!(
        matches!(e, VerifyError::Reference(_)) && e.to_string().contains("cannot read"),
        "{e}"
    );
    let only_header = dir.path().join("empty.csv");
    std::fs::write(&only_header, "customer_id,email\n").unwrap();
    let src = RefSource::parse(&[only_header.display().to_string()], None, None).unwrap();
    let e = index_from_reference(&src, &hashing(), &MapOptions::default()).unwrap_err();
    assert!(matches!(e, VerifyError::EmptyReference(_)), "{e}");
    let idx = index(&customers(50, 113));
    let e = verify_paths(&[missing], &idx, &hashing(), &VerifyOptions::default()).unwrap_err();
    assert!(matches!(e, VerifyError::Sample(_)), "{e}");
}
