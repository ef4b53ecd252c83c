//! Open questions: what the evidence leaves unanswered (no sample yet, no reference, classes the
//! claim names but the sample lacks, a claimed count the sample cannot speak to, unknown
//! countries, assumed awareness, the obligations engine's warnings).

use crate::advisory::{Ctx, Statement};
use crate::evidence::{cite, cite_claim};

fn q(id: &str, text: String, evidence: Vec<Option<crate::evidence::EvidenceRef>>) -> Statement {
    Statement {
        id: id.into(),
        text,
        evidence: evidence.into_iter().flatten().collect(),
    }
}

/// The open questions of a case.
pub(crate) fn build(cx: &Ctx<'_>, aware_basis: &str) -> Vec<Statement> {
    let t = cx.t;
    let v = cx.view;
    let mut out = Vec::new();
    match (&v.claim, &v.scan) {
        (Some(c), None) => out.push(q(
            "no_sample",
            t.t("question.no_sample.text"),
            vec![cite_claim(c, "kind[0]")],
        )),
        (Some(c), Some(s)) => {
            let unseen: Vec<usize> = c
                .value
                .data_classes
                .iter()
                .enumerate()
                .filter(|(_, k)| !s.value.data_classes.contains(k))
                .map(|(i, _)| i)
                .collect();
            if !unseen.is_empty() {
                let ids: Vec<&str> = unseen
                    .iter()
                    .map(|i| c.value.data_classes[*i].as_str())
                    .collect();
                let mut ev: Vec<_> = unseen
                    .iter()
                    .map(|i| cite_claim(c, &format!("data_classes[{i}]")))
                    .collect();
                ev.push(cite(s, "/data_classes"));
                out.push(q(
                    "claimed_unseen",
                    t.fill(
                        "question.claimed_unseen.text",
                        &[("classes", cx.class_labels(&ids))],
                    ),
                    ev,
                ));
            }
            let extrapolated = v
                .verify
                .as_ref()
                .is_some_and(|x| x.value.extrapolation.is_some());
            if let Some((i, r)) = c
                .value
                .records
                .iter()
                .enumerate()
                .max_by_key(|(_, r)| r.count)
            {
                if r.count > s.value.rows && !extrapolated {
                    out.push(q(
                        "claimed_count",
                        t.fill(
                            "question.claimed_count.text",
                            &[
                                ("claimed", crate::advisory::records_phrase(t, r)),
                                ("rows", t.num(s.value.rows)),
                            ],
                        ),
                        vec![cite_claim(c, &format!("records[{i}]")), cite(s, "/rows")],
                    ));
                }
            }
        }
        _ => {}
    }
    if let Some(s) = &v.scan {
        if v.verify.is_none() && v.case.reference.is_none() {
            out.push(q(
                "no_reference",
                t.t("question.no_reference.text"),
                vec![cite(s, "/rows")],
            ));
        }
        if s.value.countries.is_empty() && s.value.individuals.estimate > 0 {
            out.push(q(
                "countries_unknown",
                t.t("question.countries_unknown.text"),
                vec![cite(s, "/countries"), cite(s, "/individuals/estimate")],
            ));
        }
    }
    if aware_basis == "first_event" {
        out.push(q(
            "awareness_assumed",
            t.fill(
                "question.awareness_assumed.text",
                &[("time", cx.local(cx.aware))],
            ),
            Vec::new(),
        ));
    }
    if let Some(o) = &v.obligations {
        for (i, w) in o.value.warnings.iter().enumerate() {
            out.push(q(
                &format!("obligation_warning:{i}"),
                t.fill(
                    "question.obligation_warning.text",
                    &[("warning", w.clone())],
                ),
                vec![cite(o, &format!("/warnings/{i}"))],
            ));
        }
    }
    if let Some(x) = &v.verify {
        let occurred = v.events.iter().any(|e| e.kind == "occurred");
        if x.value.verdict == "authentic" && !occurred {
            out.push(q(
                "how",
                t.t("question.how.text"),
                vec![cite(x, "/verdict")],
            ));
        }
    }
    out
}
