//! `leakscope demo` writes an advisory for every demo leak, and every insight and mitigation in
//! it carries evidence references that resolve to the figures stored in the demo's case database.

use leakscope_cases::evidence::{self, EvidenceRef};
use leakscope_cases::{store, CaseView, Templates};
use leakscope_db::{Db, Target};
use serde_json::Value;
use std::process::Command;

#[test]
fn every_demo_leak_gets_an_advisory_whose_statements_cite_their_figures() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("demo");
    let o = Command::new(env!("CARGO_BIN_EXE_leakscope"))
        .args(["demo", "--rows", "1000", "--quiet", "--out"])
        .arg(&out)
        .env("NO_COLOR", "1")
        .output()
        .expect("leakscope demo runs");
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(text.contains("Advisories"), "{text}");
    for leak in ["vn-shop", "cn-transactions", "sg-grocery"] {
        for ext in ["html", "md", "json", "stix.json", "misp.json"] {
            let p = out.join(format!("advisory-{leak}.{ext}"));
            assert!(p.is_file(), "{} missing", p.display());
        }
        let adv: Value = serde_json::from_str(
            &std::fs::read_to_string(out.join(format!("advisory-{leak}.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(adv["schema"], "leakscope.advisory/1");
        assert!(
            !adv["insights"].as_array().unwrap().is_empty(),
            "{leak}: no insight"
        );
        assert!(
            !adv["mitigations"].as_array().unwrap().is_empty(),
            "{leak}: no mitigation"
        );
        for list in ["insights", "mitigations"] {
            for x in adv[list].as_array().unwrap() {
                let refs: Vec<EvidenceRef> = serde_json::from_value(x["evidence"].clone()).unwrap();
                assert!(
                    !refs.is_empty(),
                    "{leak}: {list} {} has no evidence reference",
                    x["id"]
                );
            }
        }
    }
    // The references resolve against the stored documents, in every language.
    let mut db = Db::open(&Target::Sqlite(out.join(leakscope_db::FILE_NAME))).unwrap();
    let cases = store::list(&mut db, &store::ListFilter::default()).unwrap();
    assert_eq!(cases.len(), 3);
    for c in cases {
        assert_eq!(c.verdict.as_deref(), Some("authentic"), "{}", c.title);
        let view = CaseView::load(&mut db, c.id).unwrap();
        for lang in ["en", "vi", "zh"] {
            let a = leakscope_cases::build_advisory(
                &view,
                &Templates::builtin(lang).unwrap(),
                chrono::Utc::now(),
            );
            let mut statements: Vec<(String, &[EvidenceRef])> = Vec::new();
            for x in &a.insights {
                statements.push((format!("{} insight {}", c.title, x.id), &x.evidence));
            }
            for m in &a.mitigations {
                statements.push((format!("{} mitigation {}", c.title, m.id), &m.evidence));
            }
            let problems = evidence::check(&statements, &mut |id| {
                store::document(&mut db, c.id, id).unwrap().map(|(_, j)| j)
            });
            assert!(problems.is_empty(), "{problems:#?}");
        }
    }
}
