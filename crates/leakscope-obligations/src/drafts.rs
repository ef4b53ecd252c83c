//! Draft notifications pre-filled from the profile: counts and data classes only, never values.

use leakscope_profile::ScanProfile;

use crate::facts::thousands;
use crate::report::{Draft, Obligation, ObligationsReport};
use crate::rules::{ContentItem, RuleSet};

/// Placeholders a template may use.
pub const PLACEHOLDERS: [&str; 10] = [
    "title",
    "recipient",
    "jurisdiction",
    "citation",
    "deadline",
    "due",
    "content",
    "people",
    "classes",
    "individuals_duty",
];

/// Phrases every draft language must define.
pub const PHRASE_KEYS: [&str; 6] = [
    "todo",
    "assessed",
    "residents_of",
    "people_in_dataset",
    "will_notify",
    "not_notifying",
];

/// Content keys the engine can pre-fill; any other key is left for the writer.
pub const CONTENT_KEYS: [&str; 10] = [
    "awareness",
    "discovery_time",
    "assessment",
    "number_affected",
    "data_classes",
    "harm",
    "incident_level",
    "individuals_plan",
    "late_reasons",
    "other",
];

/// Builds the drafts for every obligation of `report`.
pub fn build(rules: &RuleSet, report: &ObligationsReport, profile: &ScanProfile) -> Vec<Draft> {
    let mut out = Vec::new();
    for ob in &report.obligations {
        let Some(rule) = rules.rules.iter().find(|r| r.id == ob.rule_id) else {
            continue;
        };
        let mut audiences = vec!["regulator"];
        if ob.individuals.required {
            audiences.push("individuals");
        }
        for audience in audiences {
            for lang in &ob.languages {
                let key = format!("{audience}.{lang}");
                let Some(template) = rules.drafts.templates.get(&key) else {
                    continue;
                };
                let markdown = fill(template, rules, report, profile, ob, &rule.content, lang);
                out.push(Draft {
                    rule_id: ob.rule_id.clone(),
                    audience: audience.to_string(),
                    lang: lang.clone(),
                    file_name: format!("{}.{audience}.{lang}.md", ob.rule_id),
                    markdown,
                });
            }
        }
    }
    out
}

fn phrase<'a>(rules: &'a RuleSet, lang: &str, key: &str) -> &'a str {
    rules
        .drafts
        .phrases
        .get(lang)
        .and_then(|m| m.get(key))
        .or_else(|| rules.drafts.phrases.get("en").and_then(|m| m.get(key)))
        .map(String::as_str)
        .unwrap_or("")
}

fn class_label(rules: &RuleSet, lang: &str, class: &str) -> String {
    rules
        .drafts
        .class_labels
        .get(lang)
        .and_then(|m| m.get(class))
        .or_else(|| {
            rules
                .drafts
                .class_labels
                .get("en")
                .and_then(|m| m.get(class))
        })
        .cloned()
        .unwrap_or_else(|| crate::html::clean(class))
}

fn fill(
    template: &str,
    rules: &RuleSet,
    report: &ObligationsReport,
    profile: &ScanProfile,
    ob: &Obligation,
    content: &[ContentItem],
    lang: &str,
) -> String {
    let classes: Vec<String> = report
        .facts
        .data_classes
        .iter()
        .map(|c| class_label(rules, lang, c))
        .collect();
    let classes = classes.join(", ");
    let local = report
        .affected
        .iter()
        .find(|a| a.code == ob.jurisdiction_code)
        .and_then(|a| a.people);
    let people = format!(
        "{} {}; {} {}",
        local.map(thousands).unwrap_or_else(|| "?".into()),
        phrase(rules, lang, "residents_of").replace("{jurisdiction}", &ob.jurisdiction),
        thousands(profile.individuals.estimate),
        phrase(rules, lang, "people_in_dataset"),
    );
    let todo = phrase(rules, lang, "todo");
    let mut items = String::new();
    for item in content {
        let value = match item.key.as_str() {
            "awareness" => report
                .facts
                .aware_at
                .clone()
                .unwrap_or_else(|| report.facts.discovered_at.clone()),
            "discovery_time" => report.facts.discovered_at.clone(),
            "assessment" => report
                .facts
                .assessed_at
                .clone()
                .unwrap_or_else(|| todo.to_string()),
            "number_affected" => people.clone(),
            "data_classes" => classes.clone(),
            "harm" if !profile.sensitivity.reasons.is_empty() => profile
                .sensitivity
                .reasons
                .iter()
                .map(|r| r.text.clone())
                .collect::<Vec<_>>()
                .join("; "),
            "incident_level" => ob.tier.clone().unwrap_or_else(|| todo.to_string()),
            "individuals_plan" => {
                if ob.individuals.required {
                    format!(
                        "{} — {}",
                        phrase(rules, lang, "will_notify"),
                        ob.individuals.text
                    )
                } else {
                    format!(
                        "{} — {}",
                        phrase(rules, lang, "not_notifying"),
                        ob.individuals.reason
                    )
                }
            }
            _ => todo.to_string(),
        };
        items.push_str(&format!("### {}\n\n{}\n\n", item.text(lang), value));
    }
    let due = match (&ob.deadline.due_local, &ob.deadline.due_utc) {
        (Some(l), Some(u)) => format!("{l} ({u})"),
        _ => ob.deadline.remaining.clone(),
    };
    let pairs: [(&str, String); 10] = [
        ("title", ob.title.clone()),
        ("recipient", ob.recipient.clone()),
        ("jurisdiction", ob.jurisdiction.clone()),
        ("citation", ob.citation.clone()),
        ("deadline", ob.deadline.text.clone()),
        ("due", due),
        ("content", items.trim_end().to_string()),
        ("people", people),
        ("classes", classes),
        ("individuals_duty", ob.individuals.text.clone()),
    ];
    let mut text = template.to_string();
    for (k, v) in pairs {
        text = text.replace(&format!("{{{k}}}"), &v);
    }
    text
}

/// Placeholder names used in a template (`{name}`), for validation.
pub fn placeholders_in(template: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                out.push(after[..end].to_string());
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    out
}
