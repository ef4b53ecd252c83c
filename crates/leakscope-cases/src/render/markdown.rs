//! The advisory as Markdown (for tickets, e-mail, wikis).

use super::{clean, evidence_words};
use crate::advisory::Advisory;
use crate::evidence::EvidenceRef;
use crate::templates::Templates;
use std::fmt::Write as _;

/// Escapes Markdown metacharacters in text that came from a leak or a post.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in clean(s).chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' | '{' | '}'
        ) {
            o.push('\\');
        }
        o.push(if c == '\n' { ' ' } else { c });
    }
    o
}

fn evidence(out: &mut String, t: &Templates, refs: &[EvidenceRef]) {
    if refs.is_empty() {
        return;
    }
    let items: Vec<String> = refs
        .iter()
        .map(|r| format!("`{}`", evidence_words(r).replace('`', "'")))
        .collect();
    let _ = writeln!(out, "   *{}:* {}", t.t("text.evidence"), items.join("; "));
}

/// Renders the advisory as Markdown.
pub fn markdown(a: &Advisory, t: &Templates) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# {}: {}\n", t.t("text.advisory"), esc(&a.case.title));
    let _ = writeln!(
        o,
        "**{}** · #{} · {} · {}\n",
        a.case.tlp,
        a.case.id,
        t.label("text", &format!("case_{}", a.case.status)),
        t.fill(
            "text.generated",
            &[
                ("time", a.generated_at.clone()),
                ("version", a.tool_version.clone()),
                ("id", a.case.id.to_string()),
            ]
        )
    );
    if let Some((at, why)) = &a.case.closed {
        let _ = writeln!(
            o,
            "{}\n",
            t.fill("text.closed", &[("time", at.clone()), ("reason", esc(why))])
        );
    }
    let _ = writeln!(o, "## {}\n", t.t("text.summary"));
    for s in &a.summary {
        let _ = writeln!(o, "- {}  ", esc(&s.text));
        evidence(&mut o, t, &s.evidence);
    }
    let _ = writeln!(o, "\n## {}\n", t.t("text.insights"));
    if a.insights.is_empty() {
        let _ = writeln!(o, "{}", t.t("text.no_insights"));
    }
    for (i, x) in a.insights.iter().enumerate() {
        let _ = writeln!(o, "{}. **{}** — {}  ", i + 1, esc(&x.title), esc(&x.text));
        evidence(&mut o, t, &x.evidence);
    }
    let _ = writeln!(o, "\n## {}\n", t.t("text.mitigations"));
    if a.mitigations.is_empty() {
        let _ = writeln!(o, "{}", t.t("text.no_mitigations"));
    }
    for (i, m) in a.mitigations.iter().enumerate() {
        let status = match m.status.as_str() {
            "overdue" => format!("**{}**", t.t("text.status_overdue").to_uppercase()),
            s => t.label("text", &format!("status_{s}")),
        };
        let _ = writeln!(
            o,
            "{}. **{}** — {}  \n   {}: {} · {}: {} · {}: {}  ",
            i + 1,
            esc(&m.title),
            esc(&m.text),
            t.t("text.owner"),
            esc(&m.owner_label),
            t.t("text.due"),
            m.due_local,
            t.t("text.status"),
            status
        );
        evidence(&mut o, t, &m.evidence);
    }
    let _ = writeln!(o, "\n## {}\n", t.t("text.obligations"));
    if a.obligations.items.is_empty() {
        let _ = writeln!(o, "{}\n", t.t("text.no_obligations"));
    } else {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} |\n|---|---|---|---|",
            t.t("text.recipient"),
            t.t("text.deadline"),
            t.t("text.due"),
            t.t("text.status")
        );
        for ob in &a.obligations.items {
            let status = if ob.status == "overdue" {
                format!("**{}**", esc(&ob.remaining))
            } else {
                esc(&ob.remaining)
            };
            let _ = writeln!(
                o,
                "| {} — {} ({}) | {} | {} | {} |",
                ob.jurisdiction,
                esc(&ob.recipient),
                esc(&ob.citation),
                esc(&ob.deadline),
                ob.due_local.as_deref().unwrap_or("—"),
                status
            );
        }
        o.push('\n');
        for ob in a
            .obligations
            .items
            .iter()
            .filter(|x| x.individuals.is_some() || !x.verified)
        {
            if let Some(i) = &ob.individuals {
                let _ = writeln!(o, "- {} ({}): {}", ob.rule_id, ob.jurisdiction, esc(i));
            }
            if !ob.verified {
                for c in &ob.caveats {
                    let _ = writeln!(
                        o,
                        "- {}: {}",
                        ob.rule_id,
                        t.fill("text.unverified_rule", &[("caveat", esc(c))])
                    );
                }
            }
        }
    }
    let _ = writeln!(
        o,
        "\n{}\n",
        t.fill(
            "text.awareness",
            &[
                ("time", a.case.aware_local.clone()),
                (
                    "basis",
                    t.t(&format!("text.awareness_{}", a.case.aware_basis))
                ),
            ]
        )
    );
    for n in &a.obligations.notes {
        let _ = writeln!(o, "> {}\n", esc(n));
    }
    let _ = writeln!(o, "## {}\n", t.t("text.questions"));
    if a.questions.is_empty() {
        let _ = writeln!(o, "{}", t.t("text.no_questions"));
    }
    for q in &a.questions {
        let _ = writeln!(o, "- {}  ", esc(&q.text));
        evidence(&mut o, t, &q.evidence);
    }
    let _ = writeln!(o, "\n## {}\n", t.t("text.timeline"));
    let _ = writeln!(
        o,
        "| {} | {} | |\n|---|---|---|",
        t.t("text.when"),
        t.t("text.what")
    );
    for it in &a.timeline {
        let mark = match it.state.as_str() {
            "overdue" => format!("**{}**", t.t("text.status_overdue").to_uppercase()),
            "met" | "done" | "met_late" => {
                format!("✓ {}", t.t(&format!("text.status_{}", it.state)))
            }
            _ => String::new(),
        };
        let _ = writeln!(
            o,
            "| {} | {}: {} | {mark} |",
            it.local,
            esc(&it.label),
            esc(&it.text)
        );
    }
    let _ = writeln!(o, "\n## {}\n", t.t("text.documents"));
    for d in &a.documents {
        let _ = writeln!(
            o,
            "- {}",
            t.fill(
                "text.document_line",
                &[
                    ("id", d.id.to_string()),
                    ("kind", d.kind.clone()),
                    ("schema", d.schema.clone()),
                    ("basis", d.basis.clone()),
                    ("run", d.run.to_string()),
                    ("time", d.created_at.clone()),
                ]
            )
        );
    }
    for x in &a.artefacts {
        let _ = writeln!(
            o,
            "- {}",
            t.fill(
                "text.artefact_line",
                &[
                    ("kind", x.kind.clone()),
                    ("name", esc(&x.name)),
                    ("bytes", t.num(x.bytes)),
                    ("sha", x.sha256.clone()),
                ]
            )
        );
    }
    o
}
