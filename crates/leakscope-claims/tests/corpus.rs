//! Field-level precision / recall on the post corpus (`tests/corpus/`), and the evidence rule:
//! no field is ever filled without an evidence span.
//!
//! `dev/` was used while writing the rules; `heldout/` was written first and measured blind once,
//! `fresh/` was written after the rules and measured blind once (figures and history in
//! BENCHMARKS.md). All are reported; the gate (≥ 95 % precision, ≥ 90 % recall) applies to each.

use leakscope_claims::accuracy::{run_dir, Report};
use leakscope_claims::Rules;
use std::path::Path;

fn report(part: &str) -> Report {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(part);
    run_dir(&dir, Rules::builtin().unwrap()).unwrap()
}

fn print(part: &str, r: &Report) {
    println!(
        "{part}: {} posts, {} claims expected, {} extracted: precision {:.1}% recall {:.1}% (tp {} fp {} fn {})",
        r.files,
        r.claims_expected,
        r.claims_extracted,
        100.0 * r.precision,
        100.0 * r.recall,
        r.total.tp,
        r.total.fp,
        r.total.fn_
    );
    for (field, c) in &r.fields {
        println!(
            "  {field:<22} P {:>5.1}%  R {:>5.1}%  (tp {} fp {} fn {})",
            100.0 * c.precision(),
            100.0 * c.recall(),
            c.tp,
            c.fp,
            c.fn_
        );
    }
    for f in &r.per_file {
        if !f.false_positives.is_empty() || !f.false_negatives.is_empty() {
            println!("  {}:", f.file);
            for (k, v) in &f.false_positives {
                println!("    + {k} = {v}");
            }
            for (k, v) in &f.false_negatives {
                println!("    - {k} = {v}");
            }
        }
    }
}

#[test]
fn corpus_is_big_enough_and_mixed() {
    let dev = report("dev");
    let held = report("heldout");
    let fresh = report("fresh");
    assert!(
        dev.files + held.files + fresh.files >= 30,
        "at least 30 posts"
    );
    assert!(held.files >= 10, "a held-out part of at least 10 posts");
}

#[test]
fn dev_corpus_precision_and_recall() {
    let r = report("dev");
    print("dev", &r);
    assert!(r.precision >= 0.95, "precision {:.3} < 0.95", r.precision);
    assert!(r.recall >= 0.90, "recall {:.3} < 0.90", r.recall);
}

#[test]
fn heldout_corpus_precision_and_recall() {
    let r = report("heldout");
    print("heldout", &r);
    assert!(r.precision >= 0.95, "precision {:.3} < 0.95", r.precision);
    assert!(r.recall >= 0.90, "recall {:.3} < 0.90", r.recall);
}

#[test]
fn fresh_corpus_precision_and_recall() {
    let r = report("fresh");
    print("fresh", &r);
    assert!(r.precision >= 0.95, "precision {:.3} < 0.95", r.precision);
    assert!(r.recall >= 0.90, "recall {:.3} < 0.90", r.recall);
}

#[test]
fn no_field_without_evidence() {
    for part in ["dev", "heldout", "fresh"] {
        let r = report(part);
        for f in &r.per_file {
            assert!(
                f.evidence_gaps.is_empty(),
                "{part}/{}: fields without evidence: {:?}",
                f.file,
                f.evidence_gaps
            );
        }
    }
}
