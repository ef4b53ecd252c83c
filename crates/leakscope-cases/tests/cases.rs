//! A case through the library on SQLite (and PostgreSQL when the Debian binaries are there):
//! open from a Vietnamese post, reference, sample, notification, second sample; every statement
//! of the advisory resolves to a stored figure; deadlines count from awareness; no raw value in
//! the database or any output.

mod common;

use chrono::{DateTime, Utc};
use leakscope_cases::analyse::{self, Env, EventInput, ReferenceInput, SampleInput};
use leakscope_cases::claim::ClaimInput;
use leakscope_cases::evidence::{self, EvidenceRef};
use leakscope_cases::model::{OrgFacts, Status, Tlp};
use leakscope_cases::{render, store, Advisory, CaseView, Templates};
use leakscope_db::{Db, Target};
use std::path::Path;

fn t(s: &str) -> DateTime<Utc> {
    leakscope_cases::time::parse_utc(s).unwrap()
}

struct Fixture {
    dir: tempfile::TempDir,
    sample: Vec<common::Person>,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let people = common::people(400);
    common::write_reference(&dir.path().join("ref.csv"), &people);
    let sample = common::write_sample(&dir.path().join("sample.csv"), &people, 2);
    common::write_sample(&dir.path().join("sample2.csv"), &people, 3);
    std::fs::write(dir.path().join("post.txt"), common::POST_VI).unwrap();
    Fixture { dir, sample }
}

fn env(data_dir: &Path, now: &str) -> Env {
    let mut e = Env::new(data_dir.to_path_buf(), None);
    e.now = t(now);
    e.actor = Some("tester".into());
    e
}

fn new_case(opened: &str) -> store::NewCase {
    store::NewCase {
        title: String::new(),
        lang: "en".into(),
        tlp: Tlp::Amber,
        timezone: "Asia/Ho_Chi_Minh".into(),
        facts: OrgFacts {
            organisation: Some("Chợ Lúa JSC".into()),
            ..OrgFacts::default()
        },
        aware_at: None,
        opened_at: opened.into(),
        actor: Some("tester".into()),
    }
}

/// Every statement's references resolve, against documents read back from the database.
fn check_evidence(db: &mut Db, case: i64, a: &Advisory) {
    for x in &a.insights {
        assert!(!x.evidence.is_empty(), "insight {} has no evidence", x.id);
    }
    for m in &a.mitigations {
        assert!(
            !m.evidence.is_empty(),
            "mitigation {} has no evidence",
            m.id
        );
    }
    let mut statements: Vec<(String, &[EvidenceRef])> = Vec::new();
    for x in &a.insights {
        statements.push((format!("insight {}", x.id), &x.evidence));
    }
    for m in &a.mitigations {
        statements.push((format!("mitigation {}", m.id), &m.evidence));
    }
    for o in &a.obligations.items {
        statements.push((format!("obligation {}", o.rule_id), &o.evidence));
    }
    for s in a
        .summary
        .iter()
        .chain(&a.questions)
        .filter(|s| !s.evidence.is_empty())
    {
        statements.push((format!("statement {}", s.id), &s.evidence));
    }
    let mut load = |id: i64| store::document(db, case, id).unwrap().map(|(_, j)| j);
    let problems = evidence::check(&statements, &mut load);
    assert!(problems.is_empty(), "{problems:#?}");
}

fn ids<T>(items: &[T], f: impl Fn(&T) -> &str) -> Vec<String> {
    items.iter().map(|x| f(x).to_string()).collect()
}

fn run_case(db: &mut Db, fx: &Fixture) -> i64 {
    let d = fx.dir.path();
    let data = d.join("data");
    let e = env(&data, "2026-12-05T05:00:00Z");
    let input = ClaimInput::Post {
        path: d.join("post.txt"),
        format: None,
        item: None,
    };
    let mut case = analyse::open(db, &new_case("2026-12-03T02:00:00Z"), Some(&input), &e).unwrap();
    assert!(case.title.contains("Chợ Lúa"), "{}", case.title);
    // Before any sample: obligations assessed from the claim; the question is whether it is real.
    let view = CaseView::load(db, case.id).unwrap();
    assert_eq!(view.obligations.as_ref().unwrap().meta.basis, "claim");
    let a = leakscope_cases::build_advisory(&view, &Templates::builtin("en").unwrap(), e.now);
    assert!(ids(&a.mitigations, |m| &m.id).contains(&"investigate".to_string()));
    assert!(ids(&a.questions, |q| &q.id).contains(&"no_sample".to_string()));
    check_evidence(db, case.id, &a);

    analyse::set_reference(
        db,
        &mut case,
        &ReferenceInput {
            specs: vec![d.join("ref.csv").display().to_string()],
            ..ReferenceInput::default()
        },
        &e,
    )
    .unwrap();
    let run = analyse::add_sample(
        db,
        &case,
        &SampleInput {
            paths: vec![d.join("sample.csv")],
            ..SampleInput::default()
        },
        &e,
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(run.run, 1);
    assert_eq!(
        run.verify.as_ref().unwrap()["verdict"],
        "authentic",
        "{run:?}"
    );
    analyse::record_event(
        db,
        &case,
        &EventInput {
            text: "notified A05 2026-12-04 10:00".into(),
            ..EventInput::default()
        },
        &e,
    )
    .unwrap();
    case.id
}

#[test]
fn a_case_from_post_to_advisory_on_sqlite() {
    let fx = fixture();
    let d = fx.dir.path();
    let data = d.join("data");
    let mut db = Db::open(&Target::Sqlite(data.join("leakscope.db"))).unwrap();
    let id = run_case(&mut db, &fx);
    let now = t("2026-12-05T05:00:00Z");
    let view = CaseView::load(&mut db, id).unwrap();
    assert_eq!(view.case.verdict.as_deref(), Some("authentic"));
    assert_eq!(view.case.merchants, Some(25));
    let en = Templates::builtin("en").unwrap();
    let a = leakscope_cases::build_advisory(&view, &en, now);
    let insights = ids(&a.insights, |x| &x.id);
    for want in [
        "authentic",
        "supply_chain",
        "verified_merchants",
        "store_impersonation",
        "passwords",
        "freshness_fresh",
    ] {
        assert!(
            insights.contains(&want.to_string()),
            "{want} missing from {insights:?}"
        );
    }
    let mitigations = ids(&a.mitigations, |x| &x.id);
    for want in [
        "password_reset",
        "merchant_notices",
        "mfa",
        "phishing_awareness",
        "monitor_actor",
    ] {
        assert!(
            mitigations.contains(&want.to_string()),
            "{want} missing from {mitigations:?}"
        );
    }
    // Nothing the evidence does not support: no national IDs or cards in the sample.
    for absent in ["identity_monitoring", "issuer_notice", "investigate"] {
        assert!(
            !mitigations.contains(&absent.to_string()),
            "{absent} without evidence"
        );
    }
    // The claim names national IDs the sample does not hold: an open question, not an insight.
    assert!(ids(&a.questions, |q| &q.id).contains(&"claimed_unseen".to_string()));
    check_evidence(&mut db, id, &a);

    // Deadlines count from awareness (the first event, 2026-12-03 09:00 +07); Vietnam's 72 h duty
    // was met by the recorded notification; a 24 h mitigation is overdue at 12:00 on the 5th.
    let vn = a
        .obligations
        .items
        .iter()
        .find(|o| o.jurisdiction == "VN")
        .expect("a Vietnamese duty");
    assert_eq!(vn.due_utc.as_deref(), Some("2026-12-06T02:00:00Z"));
    assert_eq!(vn.status, "met");
    let reset = a
        .mitigations
        .iter()
        .find(|m| m.id == "password_reset")
        .unwrap();
    assert_eq!(reset.due_utc, "2026-12-04T02:00:00Z");
    assert_eq!(reset.status, "overdue");
    assert!(a
        .timeline
        .iter()
        .any(|i| i.kind == "deadline" && i.state == "met"));
    assert!(a
        .timeline
        .iter()
        .any(|i| i.kind == "due" && i.state == "overdue"));

    // Awareness recorded earlier moves the deadline: before the notification, so now overdue-met
    // late is impossible — the duty stays met, and its due time is 72 h after the new awareness.
    let case = store::get(&mut db, id).unwrap();
    let e = env(&data, "2026-12-05T05:00:00Z");
    analyse::record_event(
        &mut db,
        &case,
        &EventInput {
            text: "aware 2026-12-01 08:00".into(),
            ..EventInput::default()
        },
        &e,
    )
    .unwrap();
    let view = CaseView::load(&mut db, id).unwrap();
    let a = leakscope_cases::build_advisory(&view, &en, now);
    assert_eq!(a.case.aware_basis, "aware");
    let vn = a
        .obligations
        .items
        .iter()
        .find(|o| o.jurisdiction == "VN")
        .unwrap();
    assert_eq!(vn.due_utc.as_deref(), Some("2026-12-04T01:00:00Z"));
    assert_eq!(
        vn.status, "met_late",
        "notified at 03:00 UTC on the 4th, due 01:00"
    );

    // A newer sample: a new run, the history kept, the newest documents used.
    let before = view.documents.len();
    analyse::add_sample(
        &mut db,
        &case,
        &SampleInput {
            paths: vec![d.join("sample2.csv")],
            ..SampleInput::default()
        },
        &e,
        &mut |_| {},
    )
    .unwrap();
    let view = CaseView::load(&mut db, id).unwrap();
    assert!(view.documents.len() >= before + 3);
    assert_eq!(view.scan.as_ref().unwrap().meta.run, 2);
    assert_eq!(
        view.documents.iter().filter(|d| d.kind == "scan").count(),
        2
    );
    let a = leakscope_cases::build_advisory(&view, &en, now);
    check_evidence(&mut db, id, &a);

    // Every language renders every statement; evidence identical across languages.
    let mut outputs = Vec::new();
    for lang in ["en", "vi", "zh"] {
        let tl = Templates::builtin(lang).unwrap();
        let al = leakscope_cases::build_advisory(&view, &tl, now);
        assert_eq!(ids(&al.insights, |x| &x.id), ids(&a.insights, |x| &x.id));
        assert_eq!(
            al.insights
                .iter()
                .map(|x| x.evidence.clone())
                .collect::<Vec<_>>(),
            a.insights
                .iter()
                .map(|x| x.evidence.clone())
                .collect::<Vec<_>>()
        );
        for x in &al.insights {
            assert!(
                !x.text.contains('{'),
                "unfilled placeholder in {lang}: {}",
                x.text
            );
        }
        outputs.push(render::markdown(&al, &tl));
        outputs.push(render::html(&al, &tl));
        outputs.push(render::json(&al));
    }
    let html = render::html(&a, &en);
    assert!(
        !html.contains("<b>Lụa</b>"),
        "merchant names are escaped in HTML"
    );
    assert!(html.contains("&lt;b&gt;Lụa&lt;/b&gt;"));
    assert!(html.contains("class=\"overdue\"") || html.contains("overdue\">"));
    outputs.push(
        serde_json::to_string(&leakscope_cases::export::stix::bundle(&view, &a, None)).unwrap(),
    );
    outputs.push(
        serde_json::to_string(
            &leakscope_cases::export::misp::event(&view, &a, Some(Tlp::Green)).unwrap(),
        )
        .unwrap(),
    );

    // No raw value from the sample anywhere: database files, advisory in every language, exports.
    drop(db);
    let mut stored = Vec::new();
    for f in std::fs::read_dir(&data).unwrap().flatten() {
        if f.file_name().to_string_lossy().starts_with("leakscope.db") {
            stored.push(String::from_utf8_lossy(&std::fs::read(f.path()).unwrap()).into_owned());
        }
    }
    assert!(!stored.is_empty());
    for v in common::raw_values(&fx.sample) {
        for (i, o) in outputs.iter().chain(&stored).enumerate() {
            assert!(!o.contains(&v), "raw value found in output {i}");
        }
    }
}

#[test]
fn cases_list_close_reopen_and_resolve() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = Db::open(&Target::Sqlite(dir.path().join("leakscope.db"))).unwrap();
    let e = env(dir.path(), "2026-12-05T05:00:00Z");
    let mut n = new_case("2026-12-01T00:00:00Z");
    n.title = "First".into();
    let a = analyse::open(&mut db, &n, None, &e).unwrap();
    n.title = "Second".into();
    let b = analyse::open(&mut db, &n, None, &e).unwrap();
    store::close(&mut db, a.id, "2026-12-05T06:00:00Z", "fabricated", None).unwrap();
    let all = store::list(&mut db, &store::ListFilter::default()).unwrap();
    assert_eq!(
        ids(&all, |c| &c.title),
        ["Second", "First"],
        "open cases first"
    );
    let open = store::list(
        &mut db,
        &store::ListFilter {
            status: Some(Status::Open),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(
        store::resolve(&mut db, &format!("#{}", b.id)).unwrap().id,
        b.id
    );
    assert_eq!(store::resolve(&mut db, &b.uuid[..13]).unwrap().id, b.id);
    assert!(store::resolve(&mut db, "999").is_err());
    store::reopen(&mut db, a.id, "2026-12-05T07:00:00Z", None).unwrap();
    let a = CaseView::load(&mut db, a.id).unwrap();
    assert_eq!(a.case.status, Status::Open);
    assert_eq!(
        ids(&a.events, |e| &e.kind),
        ["opened", "closed", "reopened"]
    );
    // An empty case: no statement without evidence.
    let adv = leakscope_cases::build_advisory(&a, &Templates::builtin("en").unwrap(), e.now);
    assert!(adv.insights.is_empty() && adv.mitigations.is_empty());
    assert!(adv.obligations.items.is_empty());
}

#[test]
fn the_same_case_on_postgresql() {
    let Some(pg) = leakscope_testpg::start_or_skip("the_same_case_on_postgresql") else {
        return;
    };
    let fx = fixture();
    let mut db = Db::open(&Target::Postgres(pg.url())).unwrap();
    let id = run_case(&mut db, &fx);
    let view = CaseView::load(&mut db, id).unwrap();
    assert_eq!(view.case.verdict.as_deref(), Some("authentic"));
    let a = leakscope_cases::build_advisory(
        &view,
        &Templates::builtin("en").unwrap(),
        t("2026-12-05T05:00:00Z"),
    );
    assert!(a.insights.iter().any(|x| x.id == "supply_chain"));
    assert!(a.obligations.items.iter().any(|o| o.status == "met"));
    check_evidence(&mut db, id, &a);
}

#[test]
fn a_claim_document_opens_a_case_with_its_quotes_masked() {
    let dir = tempfile::tempdir().unwrap();
    let mut db = Db::open(&Target::Sqlite(dir.path().join("leakscope.db"))).unwrap();
    let e = env(dir.path(), "2026-12-05T05:00:00Z");
    // What `claim extract --json --reveal` could have written: a raw e-mail and phone in quotes.
    let doc = serde_json::json!({
        "schema": "leakscope.claim/1", "id": "clm-0000000000000001",
        "source": {"format": "text", "chars": 120, "sha256": "00"},
        "lang": "en", "fingerprint": "01", "kind": ["sale"], "status": "alleged",
        "victims": [{"name": "FooMart Pte Ltd", "country": "SG", "role": "victim"}],
        "contacts": [{"kind": "email", "handle": "seller@proton.example"}],
        "data_classes": ["email", "phone"],
        "evidence": {
            "data_classes[0]": [{"start": 0, "end": 30, "text": "e.g. jane.tan.1988@mail.example.sg"}],
            "data_classes[1]": [{"start": 31, "end": 50, "text": "phone +6591234567"}],
            "contacts[0]": [{"start": 51, "end": 80, "text": "seller@proton.example"}]
        }
    });
    let path = dir.path().join("claim.json");
    std::fs::write(&path, doc.to_string()).unwrap();
    let input = ClaimInput::Post {
        path,
        format: None,
        item: None,
    };
    let case = analyse::open(&mut db, &new_case("2026-12-04T00:00:00Z"), Some(&input), &e).unwrap();
    let view = CaseView::load(&mut db, case.id).unwrap();
    let stored = view.claim.as_ref().unwrap().json.to_string();
    assert!(
        !stored.contains("jane.tan.1988") && !stored.contains("91234567"),
        "{stored}"
    );
    assert!(
        stored.contains("seller@proton.example"),
        "the seller's contact stays"
    );
    assert_eq!(view.obligations.as_ref().unwrap().meta.basis, "claim");
}
