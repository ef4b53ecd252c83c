//! The cases from the issue: Singapore grocery, Chinese transactions, Vietnamese platform
//! before and after Law 91, an EU case, a small Singapore leak, and a mixed-country leak.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use leakscope_obligations::examples::minimal_profile;
use leakscope_obligations::facts::parse_time;
use leakscope_obligations::*;
use leakscope_profile::{ColumnProfile, Level, Passwords, Reason, ScanProfile, TableProfile};

const SECRET_EXAMPLE: &str = "tan.ah.kow@example.sg";

fn column(name: &str, class: &str, kind: Option<&str>) -> ColumnProfile {
    ColumnProfile {
        name: name.into(),
        class: class.into(),
        kind: kind.map(str::to_string),
        confidence: 0.97,
        evidence: format!("{class} by shape and header"),
        fill_rate: 1.0,
        distinct_estimate: 1000,
        validation_share: 0.98,
        examples: vec![SECRET_EXAMPLE.into()],
        mixed: Vec::new(),
        embedded: Vec::new(),
    }
}

fn with_table(mut p: ScanProfile, cols: &[(&str, &str, Option<&str>)]) -> ScanProfile {
    p.tables.push(TableProfile {
        name: "users".into(),
        source: "dump.csv".into(),
        rows: p.individuals.estimate,
        rows_skipped: 0,
        columns: cols.iter().map(|(n, c, k)| column(n, c, *k)).collect(),
    });
    p
}

/// The 2020 Singapore grocery database: 898,791 people; names, emails, phones, addresses,
/// encrypted passwords, partial cards. Only the columns carry the classes (data_classes empty),
/// so the engine must read the tables.
fn grocery() -> ScanProfile {
    let mut p = minimal_profile(&[], &[("SG", 898_791)]);
    p.passwords = Passwords {
        total: 1_100_000,
        plaintext: 0,
        fast_or_unsalted: 0,
        by_algorithm: Vec::new(),
    };
    p.sensitivity.level = Level::High;
    p.sensitivity.reasons.push(Reason {
        code: "account-takeover".into(),
        level: Level::High,
        text: "emails with password hashes: account takeover".into(),
    });
    with_table(
        p,
        &[
            ("name", "person_name", None),
            ("email", "email", None),
            ("mobile", "phone", None),
            ("address", "address", None),
            ("pwd", "password_hash", Some("bcrypt")),
            ("card", "payment_card_partial", Some("visa")),
        ],
    )
}

fn sgt(s: &str) -> DateTime<Utc> {
    parse_time(s, "Asia/Singapore".parse::<Tz>().unwrap()).unwrap()
}

fn utc(s: &str) -> DateTime<Utc> {
    parse_time(s, Tz::UTC).unwrap()
}

fn run(p: &ScanProfile, facts: &Facts, now: DateTime<Utc>) -> ObligationsReport {
    evaluate(&builtin().unwrap(), "built-in", p, facts, now)
}

fn ob<'a>(r: &'a ObligationsReport, id: &str) -> &'a Obligation {
    r.obligations
        .iter()
        .find(|o| o.rule_id == id)
        .unwrap_or_else(|| {
            let why = r
                .not_applicable
                .iter()
                .find(|n| n.rule_id == id)
                .map(|n| n.reason.clone());
            panic!("{id} does not apply: {why:?}")
        })
}

fn na<'a>(r: &'a ObligationsReport, id: &str) -> &'a NotApplicable {
    r.not_applicable
        .iter()
        .find(|n| n.rule_id == id)
        .unwrap_or_else(|| panic!("{id} applies"))
}

#[test]
fn singapore_grocery_pdpc_within_three_days_and_individuals() {
    let facts = Facts {
        discovered_at: Some(sgt("2026-01-01 09:00")),
        assessed_at: Some(sgt("2026-01-02 15:00")),
        ..Facts::default()
    };
    let r = run(&grocery(), &facts, sgt("2026-01-03 12:00"));
    let o = ob(&r, "sg-pdpa-26d");
    assert!(
        o.reason
            .contains("≥ 500 affected Singapore residents: 898,791"),
        "{}",
        o.reason
    );
    assert!(
        o.reason
            .contains("account identifier + password (email and password_hash)"),
        "{}",
        o.reason
    );
    assert_eq!(o.deadline.anchor, "assessment");
    assert_eq!(
        o.deadline.due_local.as_deref(),
        Some("2026-01-05T23:59:59+08:00")
    );
    assert_eq!(o.deadline.due_utc.as_deref(), Some("2026-01-05T15:59:59Z"));
    assert_eq!(
        o.deadline.remaining_seconds,
        Some(2 * 86_400 + 11 * 3600 + 3599)
    );
    assert!(o.individuals.required, "{}", o.individuals.reason);
    assert!(o.verified && o.caveats.is_empty(), "{:?}", o.caveats);
    // Only Singapore is affected: every other jurisdiction is listed as not applicable.
    assert_eq!(
        r.obligations.len(),
        1,
        "{:?}",
        r.obligations.iter().map(|o| &o.rule_id).collect::<Vec<_>>()
    );
    assert!(na(&r, "cn-cac-incident")
        .reason
        .contains("no affected China residents"));
    // Drafts: English regulator and individuals notices, counts and classes only.
    let langs: Vec<(&str, &str)> = r
        .drafts
        .iter()
        .map(|d| (d.audience.as_str(), d.lang.as_str()))
        .collect();
    assert_eq!(langs, vec![("regulator", "en"), ("individuals", "en")]);
    let reg = &r.drafts[0].markdown;
    assert!(reg.contains("898,791 residents of Singapore"), "{reg}");
    assert!(
        reg.contains("password hashes") && reg.contains("partial card numbers"),
        "{reg}"
    );
    assert!(reg.contains("emails with password hashes: account takeover"));
    let json = serde_json::to_string(&r).unwrap();
    assert!(
        !json.contains(SECRET_EXAMPLE),
        "raw example value leaked into the report"
    );
}

#[test]
fn singapore_without_assessment_time_counts_from_awareness_with_a_caveat() {
    let facts = Facts {
        discovered_at: Some(sgt("2026-01-01 09:00")),
        encrypted: true,
        ..Facts::default()
    };
    let r = run(&grocery(), &facts, sgt("2026-01-01 10:00"));
    let o = ob(&r, "sg-pdpa-26d");
    assert_eq!(
        o.deadline.due_local.as_deref(),
        Some("2026-01-04T23:59:59+08:00")
    );
    assert!(
        o.caveats.iter().any(|c| c.contains("--assessed-at")),
        "{:?}",
        o.caveats
    );
    assert!(!o.individuals.required);
    assert!(
        o.individuals
            .reason
            .starts_with("exempt: data was encrypted"),
        "{}",
        o.individuals.reason
    );
}

#[test]
fn singapore_before_the_2021_regulations_is_not_yet_in_force() {
    let facts = Facts {
        discovered_at: Some(sgt("2020-10-29 10:00")),
        ..Facts::default()
    };
    let r = run(&grocery(), &facts, sgt("2020-10-29 12:00"));
    let n = na(&r, "sg-pdpa-26d");
    assert_eq!(
        n.reason,
        "not yet in force on the detection date 2020-10-29 (applies from 2021-02-01)"
    );
}

#[test]
fn small_singapore_leak_without_harm_data_is_not_notifiable() {
    let p = with_table(
        minimal_profile(&[], &[("SG", 300)]),
        &[
            ("name", "person_name", None),
            ("email", "email", None),
            ("phone", "phone", None),
        ],
    );
    let facts = Facts {
        discovered_at: Some(sgt("2026-04-01 09:00")),
        ..Facts::default()
    };
    let r = run(&p, &facts, sgt("2026-04-01 10:00"));
    assert!(
        r.obligations.is_empty(),
        "{:?}",
        r.obligations.iter().map(|o| &o.rule_id).collect::<Vec<_>>()
    );
    assert_eq!(
        na(&r, "sg-pdpa-26d").reason,
        "300 affected Singapore residents < 500 and no significant-harm data (Schedule)"
    );
    assert!(r.drafts.is_empty());
}

fn chinese(people: u64) -> ScanProfile {
    let mut p = minimal_profile(
        &["person_name", "national_id", "phone", "amount", "product"],
        &[("CN", people)],
    );
    p.sensitivity.level = Level::Critical;
    with_table(
        p,
        &[
            ("姓名", "person_name", None),
            ("身份证号", "national_id", Some("cn_resident_id")),
            ("手机", "phone", None),
        ],
    )
}

#[test]
fn chinese_leak_cac_four_hours_one_with_ciio_and_pipl_immediately() {
    let detected = utc("2026-03-02T01:00:00Z");
    let facts = Facts {
        discovered_at: Some(detected),
        ..Facts::default()
    };
    let r = run(&chinese(1_200_000), &facts, utc("2026-03-02T02:30:00Z"));
    let cac = ob(&r, "cn-cac-incident");
    assert_eq!(
        cac.deadline.due_utc.as_deref(),
        Some("2026-03-02T05:00:00Z")
    );
    assert_eq!(
        cac.deadline.due_local.as_deref(),
        Some("2026-03-02T13:00:00+08:00")
    );
    assert_eq!(cac.deadline.remaining, "2 h 30 min left");
    assert_eq!(cac.tier.as_deref(), Some("relatively major (较大)"));
    assert!(
        cac.reason
            .contains("≥ 1,000,000 affected China residents: 1,200,000"),
        "{}",
        cac.reason
    );
    let pipl = ob(&r, "cn-pipl-57");
    assert_eq!(pipl.deadline.unit, "immediately");
    assert_eq!(
        pipl.deadline.due_utc.as_deref(),
        Some("2026-03-02T01:00:00Z")
    );
    assert!(
        pipl.deadline
            .remaining
            .starts_with("immediately (1 h 30 min overdue)"),
        "{}",
        pipl.deadline.remaining
    );
    assert!(pipl.individuals.required);
    // Due order: PIPL (immediately) before CAC.
    let ids: Vec<&str> = r.obligations.iter().map(|o| o.rule_id.as_str()).collect();
    assert_eq!(ids, vec!["cn-pipl-57", "cn-cac-incident"]);
    // Chinese and English drafts for both rules; PIPL also to individuals.
    let zh = r
        .drafts
        .iter()
        .find(|d| d.rule_id == "cn-cac-incident" && d.lang == "zh")
        .unwrap();
    assert!(
        zh.markdown.contains("事件发现时间") && zh.markdown.contains("身份证号码"),
        "{}",
        zh.markdown
    );
    assert!(zh.markdown.contains("relatively major (较大)"));
    assert!(r
        .drafts
        .iter()
        .any(|d| d.rule_id == "cn-pipl-57" && d.audience == "individuals" && d.lang == "zh"));

    let ciio = Facts {
        ciio: true,
        ..facts.clone()
    };
    let r = run(&chinese(1_200_000), &ciio, utc("2026-03-02T01:10:00Z"));
    let cac = ob(&r, "cn-cac-incident");
    assert_eq!(
        cac.deadline.due_utc.as_deref(),
        Some("2026-03-02T02:00:00Z")
    );
    assert!(cac.deadline.text.contains("1 hour"));

    // 900,000 people: no CAC duty, PIPL still applies.
    let r = run(&chinese(900_000), &facts, detected);
    assert_eq!(
        na(&r, "cn-cac-incident").reason,
        "900,000 affected China residents < 1,000,000"
    );
    ob(&r, "cn-pipl-57");
}

fn vietnamese() -> ScanProfile {
    let mut p = minimal_profile(
        &["person_name", "phone", "address", "merchant", "order_id"],
        &[("VN", 412_000)],
    );
    p.sensitivity.level = Level::Moderate;
    p
}

fn vnt(s: &str) -> DateTime<Utc> {
    parse_time(s, "Asia/Ho_Chi_Minh".parse::<Tz>().unwrap()).unwrap()
}

#[test]
fn vietnam_march_2026_is_law_91_and_october_2025_is_decree_13() {
    let facts = Facts {
        discovered_at: Some(vnt("2026-03-10 09:00")),
        ..Facts::default()
    };
    let r = run(&vietnamese(), &facts, vnt("2026-03-10 10:00"));
    let o = ob(&r, "vn-law91-23");
    assert_eq!(
        o.deadline.due_local.as_deref(),
        Some("2026-03-13T09:00:00+07:00")
    );
    assert!(o.recipient.contains("A05"));
    assert!(
        !o.verified && o.caveats.iter().any(|c| c.starts_with("Unverified:")),
        "{:?}",
        o.caveats
    );
    assert_eq!(
        na(&r, "vn-decree13-23").reason,
        "no longer in force on the detection date 2026-03-10 (applied until 2025-12-31)"
    );
    assert!(na(&r, "vn-decree356-finance")
        .reason
        .contains("sector not given"));
    let vi = r
        .drafts
        .iter()
        .find(|d| d.rule_id == "vn-law91-23" && d.lang == "vi")
        .unwrap();
    assert!(
        vi.markdown.contains("412,000 người cư trú tại Vietnam")
            && vi.markdown.contains("số điện thoại"),
        "{}",
        vi.markdown
    );

    let facts = Facts {
        discovered_at: Some(vnt("2025-10-10 09:00")),
        ..Facts::default()
    };
    let r = run(&vietnamese(), &facts, vnt("2025-10-10 10:00"));
    let o = ob(&r, "vn-decree13-23");
    assert_eq!(o.deadline.anchor, "occurrence");
    assert!(o.caveats.iter().any(|c| c.contains("--occurred-at")));
    assert_eq!(
        o.deadline.due_local.as_deref(),
        Some("2025-10-13T09:00:00+07:00")
    );
    assert!(na(&r, "vn-law91-23").reason.starts_with("not yet in force"));

    // The local date decides: 23:30 on 31 Dec in Hanoi is still Decree 13 (16:30 UTC).
    let facts = Facts {
        discovered_at: Some(vnt("2025-12-31 23:30")),
        occurred_at: Some(vnt("2025-12-30 08:00")),
        ..Facts::default()
    };
    let r = run(&vietnamese(), &facts, vnt("2026-01-01 00:00"));
    let o = ob(&r, "vn-decree13-23");
    assert_eq!(
        o.deadline.due_local.as_deref(),
        Some("2026-01-02T08:00:00+07:00")
    );
    na(&r, "vn-law91-23");
}

#[test]
fn eu_case_gdpr_72_hours_in_brussels_time() {
    let p = minimal_profile(
        &["email", "password_hash", "ip_address"],
        &[("DE", 40_000), ("FR", 2_500), ("US", 900)],
    );
    let facts = Facts {
        discovered_at: Some(utc("2026-03-27T20:00:00Z")),
        aware_at: Some(utc("2026-03-28T09:00:00Z")),
        ..Facts::default()
    };
    let r = run(&p, &facts, utc("2026-03-28T10:00:00Z"));
    let o = ob(&r, "eu-gdpr-33");
    assert!(o.reason.contains("EU/EEA"));
    assert_eq!(o.deadline.anchor, "awareness");
    assert_eq!(o.deadline.due_utc.as_deref(), Some("2026-03-31T09:00:00Z"));
    // Summer time started on 29 March: +02:00.
    assert_eq!(
        o.deadline.due_local.as_deref(),
        Some("2026-03-31T11:00:00+02:00")
    );
    assert!(o.individuals.required, "{}", o.individuals.reason);
    let affected = r.affected.iter().find(|a| a.code == "EU").unwrap();
    assert_eq!(affected.people, Some(42_500));
    // 900 US people cannot be placed in California.
    let ca = na(&r, "us-ca-1798-82");
    assert!(
        ca.reason.contains("give --affected US-CA=N"),
        "{}",
        ca.reason
    );

    let processor = Facts {
        processor: true,
        ..facts
    };
    let r = run(&p, &processor, utc("2026-03-28T10:00:00Z"));
    let o = ob(&r, "eu-gdpr-33");
    assert!(o.recipient.starts_with("the controller"));
    assert!(o.deadline.text.contains("Art 33(2)"));
    assert!(!o.individuals.required);
}

#[test]
fn mixed_country_leak_yields_several_jurisdictions_in_due_order() {
    let mut p = minimal_profile(
        &[
            "person_name",
            "email",
            "phone",
            "password_hash",
            "national_id",
        ],
        &[
            ("SG", 520_000),
            ("CN", 1_500_000),
            ("VN", 20_000),
            ("DE", 3_000),
            ("MY", 1_200),
            ("US", 4_000),
        ],
    );
    p.sensitivity.level = Level::Critical;
    let facts = Facts {
        discovered_at: Some(utc("2026-06-01T02:00:00Z")),
        assessed_at: Some(utc("2026-06-02T02:00:00Z")),
        affected_overrides: [("US-CA".to_string(), 1_500u64)].into_iter().collect(),
        ..Facts::default()
    };
    let r = run(&p, &facts, utc("2026-06-01T03:00:00Z"));
    let codes: std::collections::BTreeSet<&str> = r
        .obligations
        .iter()
        .map(|o| o.jurisdiction_code.as_str())
        .collect();
    for c in ["SG", "CN", "VN", "EU", "MY", "US-CA"] {
        assert!(codes.contains(c), "{c} missing from {codes:?}");
    }
    for c in ["TH", "JP", "AU", "HK"] {
        assert!(!codes.contains(c), "{c} should not apply");
    }
    // Due order: fixed deadlines ascending, open ones last.
    let dues: Vec<Option<&str>> = r
        .obligations
        .iter()
        .map(|o| o.deadline.due_utc.as_deref())
        .collect();
    let fixed: Vec<&str> = dues.iter().flatten().copied().collect();
    let mut sorted = fixed.clone();
    sorted.sort();
    assert_eq!(fixed, sorted);
    let first_open = dues.iter().position(Option::is_none).unwrap_or(dues.len());
    assert!(dues[first_open..].iter().all(Option::is_none));
    assert_eq!(r.obligations[0].rule_id, "cn-pipl-57");
    assert_eq!(r.obligations[1].rule_id, "cn-cac-incident");
    // India's DPDP rule is not yet applicable (no Indian residents here either).
    assert!(na(&r, "in-dpdp-8-6").reason.contains("not yet in force"));
    // The human table lists them in the same order, without colour when asked.
    let table = human_table(&r, false);
    assert!(!table.contains('\x1b'));
    let pos_cn = table.find("CN ").unwrap();
    let pos_sg = table.find("SG ").unwrap();
    assert!(pos_cn < pos_sg, "{table}");
    assert!(human_table(&r, true).contains("\x1b["));
}

#[test]
fn html_section_escapes_and_draws_a_timeline() {
    let facts = Facts {
        discovered_at: Some(utc("2026-03-02T01:00:00Z")),
        ..Facts::default()
    };
    let mut r = run(&chinese(1_200_000), &facts, utc("2026-03-02T02:00:00Z"));
    r.obligations[0].reason = "<script>alert(1)</script> & more".into();
    let (title, html) = html_section(&r);
    assert_eq!(title, "Notification obligations");
    assert!(html.contains("<svg") && html.contains("</svg>"));
    assert_eq!(html.matches("<circle").count(), 2);
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more"));
    assert!(!html.contains("<script>"));
    assert!(html.contains("Rules that do not apply"));
}
