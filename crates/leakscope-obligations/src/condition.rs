//! Declarative trigger conditions over the profile and the organisation facts, evaluated with an
//! explanation in words ("≥ 500 affected Singapore residents: 898,791").
//!
//! A condition is a table whose present fields must all hold (an empty table always holds).

use std::collections::BTreeSet;

use leakscope_profile::Level;
use serde::{Deserialize, Serialize};

use crate::facts::{thousands, Facts};

/// One condition; every field that is present must hold.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Name used in explanations ("significant-harm data").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// `true`: any breach of personal data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub always: Option<bool>,
    /// At least this many affected residents of the jurisdiction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_affected: Option<u64>,
    /// At least one of these data classes is present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classes_any: Option<Vec<String>>,
    /// All of these data classes are present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub classes_all: Option<Vec<String>>,
    /// A column has one of these sub-kinds (`sg_nric_fin`, `cn_resident_id`, `md5`...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kinds_any: Option<Vec<String>>,
    /// An organisation flag is set (`ciio`, `processor`, `encrypted`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flag: Option<String>,
    /// The organisation's sector is one of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sector_in: Option<Vec<String>>,
    /// The organisation is (true) / is not (false) established in the jurisdiction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub established: Option<bool>,
    /// The profile's sensitivity is at least this level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitivity_at_least: Option<Level>,
    /// All sub-conditions hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub all_of: Option<Vec<Condition>>,
    /// At least one sub-condition holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub any_of: Option<Vec<Condition>>,
    /// The sub-condition does not hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not: Option<Box<Condition>>,
}

/// What a condition is evaluated against.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    /// Jurisdiction name ("Singapore").
    pub jurisdiction: &'a str,
    /// Affected residents of the jurisdiction, when known.
    pub affected: Option<u64>,
    /// Data classes present.
    pub classes: &'a BTreeSet<String>,
    /// Column sub-kinds present.
    pub kinds: &'a BTreeSet<String>,
    /// Organisation facts.
    pub facts: &'a Facts,
    /// The organisation is established in the jurisdiction.
    pub established: bool,
    /// Profile sensitivity.
    pub sensitivity: Level,
}

/// Result of evaluating a condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Whether it holds.
    pub holds: bool,
    /// Why, in words with numbers.
    pub why: String,
}

impl Outcome {
    fn new(holds: bool, why: impl Into<String>) -> Outcome {
        Outcome {
            holds,
            why: why.into(),
        }
    }
}

fn level_name(l: Level) -> &'static str {
    match l {
        Level::Low => "low",
        Level::Moderate => "moderate",
        Level::High => "high",
        Level::Critical => "critical",
    }
}

fn flag_words(flag: &str, set: bool) -> String {
    match (flag, set) {
        ("ciio", true) => "critical information infrastructure operator (--ciio)".into(),
        ("ciio", false) => "not a critical information infrastructure operator".into(),
        ("processor", true) => {
            "acting as a processor for another organisation (--processor)".into()
        }
        ("processor", false) => "acting as the controller".into(),
        ("encrypted", true) => "data was encrypted (--encrypted)".into(),
        ("encrypted", false) => "data was not declared encrypted".into(),
        (other, true) => format!("flag {other} set"),
        (other, false) => format!("flag {other} not set"),
    }
}

fn join_and(parts: &[String]) -> String {
    parts.join(" and ")
}

impl Condition {
    /// Evaluates the condition with an explanation.
    pub fn eval(&self, ctx: &Context<'_>) -> Outcome {
        let parts = self.parts(ctx);
        let holds = parts.iter().all(|p| p.holds);
        let whys: Vec<String> = parts
            .iter()
            .filter(|p| p.holds == holds)
            .map(|p| p.why.clone())
            .collect();
        let inner = if parts.is_empty() {
            "whenever the rule applies".to_string()
        } else {
            join_and(&whys)
        };
        match (&self.label, holds) {
            (Some(label), true) => Outcome::new(true, format!("{label} ({inner})")),
            (Some(label), false) => Outcome::new(false, format!("no {label}")),
            _ => Outcome::new(holds, inner),
        }
    }

    fn parts(&self, ctx: &Context<'_>) -> Vec<Outcome> {
        let mut out = Vec::new();
        if let Some(a) = self.always {
            out.push(Outcome::new(
                a,
                if a {
                    "any personal-data breach"
                } else {
                    "never"
                },
            ));
        }
        if let Some(min) = self.min_affected {
            out.push(match ctx.affected {
                Some(n) if n >= min => Outcome::new(
                    true,
                    format!(
                        "≥ {} affected {} residents: {}",
                        thousands(min),
                        ctx.jurisdiction,
                        thousands(n)
                    ),
                ),
                Some(n) => Outcome::new(
                    false,
                    format!(
                        "{} affected {} residents < {}",
                        thousands(n),
                        ctx.jurisdiction,
                        thousands(min)
                    ),
                ),
                None => Outcome::new(
                    false,
                    format!(
                        "number of affected {} residents unknown (give --affected)",
                        ctx.jurisdiction
                    ),
                ),
            });
        }
        if let Some(list) = &self.classes_any {
            let found: Vec<String> = list
                .iter()
                .filter(|c| ctx.classes.contains(*c))
                .cloned()
                .collect();
            out.push(if found.is_empty() {
                Outcome::new(false, format!("no {}", list.join(" / ")))
            } else {
                Outcome::new(true, found.join(", "))
            });
        }
        if let Some(list) = &self.classes_all {
            let missing: Vec<String> = list
                .iter()
                .filter(|c| !ctx.classes.contains(*c))
                .cloned()
                .collect();
            out.push(if missing.is_empty() {
                Outcome::new(true, list.join(" + "))
            } else {
                Outcome::new(false, format!("missing {}", missing.join(", ")))
            });
        }
        if let Some(list) = &self.kinds_any {
            let found: Vec<String> = list
                .iter()
                .filter(|c| ctx.kinds.contains(*c))
                .cloned()
                .collect();
            out.push(if found.is_empty() {
                Outcome::new(false, format!("no {}", list.join(" / ")))
            } else {
                Outcome::new(true, found.join(", "))
            });
        }
        if let Some(flag) = &self.flag {
            let set = ctx.facts.flag(flag);
            out.push(Outcome::new(set, flag_words(flag, set)));
        }
        if let Some(sectors) = &self.sector_in {
            out.push(match &ctx.facts.sector {
                Some(s) if sectors.iter().any(|x| x == s) => {
                    Outcome::new(true, format!("sector {s}"))
                }
                Some(s) => {
                    Outcome::new(false, format!("sector {s} is not {}", sectors.join(" / ")))
                }
                None => Outcome::new(
                    false,
                    format!("sector not given (--sector {})", sectors.join("|")),
                ),
            });
        }
        if let Some(want) = self.established {
            let is = ctx.established;
            let why = if is {
                format!("organisation established in {}", ctx.jurisdiction)
            } else {
                format!("organisation not established in {}", ctx.jurisdiction)
            };
            out.push(Outcome::new(is == want, why));
        }
        if let Some(min) = self.sensitivity_at_least {
            let ok = ctx.sensitivity >= min;
            let rel = if ok { "≥" } else { "<" };
            out.push(Outcome::new(
                ok,
                format!(
                    "sensitivity {} {rel} {}",
                    level_name(ctx.sensitivity),
                    level_name(min)
                ),
            ));
        }
        if let Some(subs) = &self.all_of {
            let outs: Vec<Outcome> = subs.iter().map(|c| c.eval(ctx)).collect();
            let holds = outs.iter().all(|o| o.holds);
            let whys: Vec<String> = outs
                .iter()
                .filter(|o| o.holds == holds)
                .map(|o| o.why.clone())
                .collect();
            out.push(Outcome::new(holds, join_and(&whys)));
        }
        if let Some(subs) = &self.any_of {
            let outs: Vec<Outcome> = subs.iter().map(|c| c.eval(ctx)).collect();
            let holds = outs.iter().any(|o| o.holds);
            let whys: Vec<String> = outs
                .iter()
                .filter(|o| o.holds == holds)
                .map(|o| o.why.clone())
                .collect();
            out.push(Outcome::new(
                holds,
                if holds {
                    whys.join("; ")
                } else {
                    join_and(&whys)
                },
            ));
        }
        if let Some(sub) = &self.not {
            let o = sub.eval(ctx);
            out.push(Outcome::new(!o.holds, o.why));
        }
        out
    }

    /// Every data class, kind and flag the condition names, as (field, value) pairs.
    pub fn references(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        for c in self
            .classes_any
            .iter()
            .chain(self.classes_all.iter())
            .flatten()
        {
            out.push(("class", c.clone()));
        }
        for k in self.kinds_any.iter().flatten() {
            out.push(("kind", k.clone()));
        }
        if let Some(f) = &self.flag {
            out.push(("flag", f.clone()));
        }
        for sub in self.all_of.iter().chain(self.any_of.iter()).flatten() {
            out.extend(sub.references());
        }
        if let Some(sub) = &self.not {
            out.extend(sub.references());
        }
        out
    }
}

impl Condition {
    /// Every sector this condition (and the conditions inside it) names.
    pub fn sectors(&self, out: &mut std::collections::BTreeSet<String>) {
        if let Some(v) = &self.sector_in {
            out.extend(v.iter().cloned());
        }
        for c in self.all_of.iter().chain(self.any_of.iter()).flatten() {
            c.sectors(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx<'a>(
        classes: &'a BTreeSet<String>,
        kinds: &'a BTreeSet<String>,
        facts: &'a Facts,
        n: Option<u64>,
    ) -> Context<'a> {
        Context {
            jurisdiction: "Singapore",
            affected: n,
            classes,
            kinds,
            facts,
            established: false,
            sensitivity: Level::High,
        }
    }

    fn set(items: &[&str]) -> BTreeSet<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    fn sg_trigger() -> Condition {
        toml::from_str(
            r#"
[[any_of]]
min_affected = 500
[[any_of]]
label = "significant-harm data"
any_of = [
  { label = "account identifier + password", all_of = [{ classes_any = ["email", "username"] }, { classes_any = ["password", "password_hash"] }] },
  { label = "name or ID + financial data", all_of = [{ classes_any = ["person_name", "national_id"] }, { classes_any = ["payment_card", "bank_account"] }] },
]
"#,
        )
        .unwrap()
    }

    #[test]
    fn scale_limb_explains_with_numbers() {
        let (c, k, f) = (set(&["email"]), set(&[]), Facts::default());
        let o = sg_trigger().eval(&ctx(&c, &k, &f, Some(898_791)));
        assert!(o.holds);
        assert_eq!(o.why, "≥ 500 affected Singapore residents: 898,791");
    }

    #[test]
    fn neither_limb_explains_both_failures() {
        let (c, k, f) = (set(&["email", "phone"]), set(&[]), Facts::default());
        let o = sg_trigger().eval(&ctx(&c, &k, &f, Some(300)));
        assert!(!o.holds);
        assert_eq!(
            o.why,
            "300 affected Singapore residents < 500 and no significant-harm data"
        );
    }

    #[test]
    fn harm_limb_names_the_combination() {
        let (c, k, f) = (
            set(&["username", "password_hash"]),
            set(&[]),
            Facts::default(),
        );
        let o = sg_trigger().eval(&ctx(&c, &k, &f, Some(12)));
        assert!(o.holds);
        assert!(
            o.why
                .contains("account identifier + password (username and password_hash)"),
            "{}",
            o.why
        );
        // A name with a partial card is not a full card number: no harm limb.
        let c2 = set(&["person_name", "payment_card_partial"]);
        let o2 = sg_trigger().eval(&ctx(&c2, &k, &f, Some(12)));
        assert!(!o2.holds);
        assert_eq!(
            o2.why,
            "12 affected Singapore residents < 500 and no significant-harm data"
        );
    }

    #[test]
    fn flags_not_and_unknown_counts() {
        let (c, k) = (set(&[]), set(&[]));
        let f = Facts {
            ciio: true,
            ..Facts::default()
        };
        let cond = Condition {
            flag: Some("ciio".into()),
            ..Condition::default()
        };
        assert!(cond.eval(&ctx(&c, &k, &f, None)).holds);
        let neg = Condition {
            not: Some(Box::new(cond.clone())),
            ..Condition::default()
        };
        assert!(!neg.eval(&ctx(&c, &k, &f, None)).holds);
        let min = Condition {
            min_affected: Some(1),
            ..Condition::default()
        };
        let o = min.eval(&ctx(&c, &k, &f, None));
        assert!(!o.holds && o.why.contains("unknown"));
        let empty = Condition::default().eval(&ctx(&c, &k, &f, None));
        assert!(empty.holds);
        assert_eq!(empty.why, "whenever the rule applies");
    }
}
