//! Sensitivity: declarative rules (`rules/sensitivity.toml`, embedded) over the classes present
//! and a few counts, each giving a level and a sentence a responder can act on. The leak's level
//! is the highest level among the reasons that fired.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use leakscope_detect::DataClass;
use leakscope_profile::{Level, Reason, Sensitivity};
use serde::Deserialize;

const RULES_TOML: &str = include_str!("../rules/sensitivity.toml");

/// What the rules look at.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LeakFacts {
    /// Classes present in the leak.
    pub classes: BTreeSet<DataClass>,
    /// Distinct people.
    pub people: u64,
    /// Password values stored unsalted/fast.
    pub weak_passwords: u64,
    /// Names of the weak algorithms found, most frequent first (`MD5`, `SHA1`...).
    pub weak_algorithms: Vec<String>,
    /// Plaintext passwords.
    pub plaintext_passwords: u64,
    /// Password values stored with salted slow hashes.
    pub strong_passwords: u64,
}

/// One rule of the rule file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable reason code.
    pub code: String,
    /// Level the rule implies (for `raise` rules: ignored, computed).
    pub level: Level,
    /// Actionable sentence; may use `{people}` and `{weak_algorithms}`.
    pub text: String,
    /// Classes that must all be present.
    #[serde(default)]
    pub all: Vec<String>,
    /// At least one of these classes must be present.
    #[serde(default)]
    pub any: Vec<String>,
    /// Minimum distinct people.
    #[serde(default)]
    pub min_people: Option<u64>,
    /// Minimum weak password values.
    #[serde(default)]
    pub min_weak_passwords: Option<u64>,
    /// Minimum plaintext passwords.
    #[serde(default)]
    pub min_plaintext_passwords: Option<u64>,
    /// Minimum strongly hashed passwords.
    #[serde(default)]
    pub min_strong_passwords: Option<u64>,
    /// Codes of rules that make this one redundant.
    #[serde(default)]
    pub unless: Vec<String>,
    /// A scale rule: one level above the other reasons.
    #[serde(default)]
    pub raise: bool,
    /// Where the judgement comes from.
    #[serde(default)]
    pub reference: String,
    /// Facts with the expected outcome, checked by tests.
    #[serde(default)]
    pub examples: Vec<RuleExample>,
}

/// An example for a rule: facts and whether the rule must fire.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleExample {
    /// Class ids present.
    pub classes: Vec<String>,
    /// Distinct people.
    #[serde(default)]
    pub people: u64,
    /// Weak password values.
    #[serde(default)]
    pub weak: u64,
    /// Plaintext passwords.
    #[serde(default)]
    pub plaintext: u64,
    /// Strongly hashed passwords.
    #[serde(default)]
    pub strong: u64,
    /// Whether the rule fires on these facts.
    pub fires: bool,
}

/// The whole rule file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    /// Reason given when nothing fired.
    pub fallback_text: String,
    /// Rules in file order.
    pub rule: Vec<Rule>,
}

impl RuleSet {
    /// Parses a rule file, checking that every class id exists.
    pub fn parse(text: &str) -> Result<RuleSet, String> {
        let set: RuleSet = toml::from_str(text).map_err(|e| e.to_string())?;
        for r in &set.rule {
            for id in r.all.iter().chain(&r.any) {
                if DataClass::from_id(id).is_none() {
                    return Err(format!("rule {}: unknown class `{id}`", r.code));
                }
            }
            for u in &r.unless {
                if !set.rule.iter().any(|o| &o.code == u) {
                    return Err(format!(
                        "rule {}: `unless` names unknown rule `{u}`",
                        r.code
                    ));
                }
            }
        }
        Ok(set)
    }

    /// The embedded rule set.
    pub fn builtin() -> &'static RuleSet {
        static SET: OnceLock<RuleSet> = OnceLock::new();
        SET.get_or_init(|| {
            RuleSet::parse(RULES_TOML)
                .expect("embedded sensitivity rules are valid (checked by tests)")
        })
    }

    /// Evaluates the rules.
    pub fn evaluate(&self, facts: &LeakFacts) -> Sensitivity {
        let has = |id: &String| DataClass::from_id(id).is_some_and(|c| facts.classes.contains(&c));
        let matches = |r: &Rule| {
            r.all.iter().all(has)
                && (r.any.is_empty() || r.any.iter().any(has))
                && r.min_people.is_none_or(|n| facts.people >= n)
                && r.min_weak_passwords
                    .is_none_or(|n| facts.weak_passwords >= n)
                && r.min_plaintext_passwords
                    .is_none_or(|n| facts.plaintext_passwords >= n)
                && r.min_strong_passwords
                    .is_none_or(|n| facts.strong_passwords >= n)
        };
        let fired: Vec<&Rule> = self.rule.iter().filter(|r| matches(r)).collect();
        let fired_codes: BTreeSet<&str> = fired.iter().map(|r| r.code.as_str()).collect();
        let kept: Vec<&Rule> = fired
            .into_iter()
            .filter(|r| !r.unless.iter().any(|u| fired_codes.contains(u.as_str())))
            .collect();
        let mut reasons: Vec<Reason> = kept
            .iter()
            .filter(|r| !r.raise)
            .map(|r| Reason {
                code: r.code.clone(),
                level: r.level,
                text: fill(&r.text, facts),
            })
            .collect();
        let base = reasons.iter().map(|r| r.level).max();
        if let Some(base) = base {
            for r in kept.iter().filter(|r| r.raise) {
                reasons.push(Reason {
                    code: r.code.clone(),
                    level: raise(base),
                    text: fill(&r.text, facts),
                });
            }
        }
        reasons.sort_by_key(|r| std::cmp::Reverse(r.level));
        if reasons.is_empty() {
            reasons.push(Reason {
                code: "nothing-sensitive".into(),
                level: Level::Low,
                text: self.fallback_text.clone(),
            });
        }
        let level = reasons.iter().map(|r| r.level).max().unwrap_or(Level::Low);
        Sensitivity { level, reasons }
    }
}

fn raise(l: Level) -> Level {
    match l {
        Level::Low => Level::Moderate,
        Level::Moderate => Level::High,
        Level::High | Level::Critical => Level::Critical,
    }
}

fn fill(text: &str, facts: &LeakFacts) -> String {
    let algs = if facts.weak_algorithms.is_empty() {
        "weak".to_string()
    } else {
        facts
            .weak_algorithms
            .iter()
            .map(|a| a.to_uppercase())
            .collect::<Vec<_>>()
            .join("/")
    };
    text.replace("{people}", &group_thousands(facts.people))
        .replace("{weak_algorithms}", &algs)
}

/// `1234567` → `1,234,567`.
pub fn group_thousands(n: u64) -> String {
    leakscope_text::thousands(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(ex: &RuleExample) -> LeakFacts {
        LeakFacts {
            classes: ex
                .classes
                .iter()
                .map(|c| DataClass::from_id(c).expect("known class"))
                .collect(),
            people: ex.people,
            weak_passwords: ex.weak,
            weak_algorithms: if ex.weak > 0 {
                vec!["md5".into()]
            } else {
                vec![]
            },
            plaintext_passwords: ex.plaintext,
            strong_passwords: ex.strong,
        }
    }

    #[test]
    fn every_rule_has_positive_and_negative_examples_that_hold() {
        let set = RuleSet::builtin();
        assert!(set.rule.len() >= 10);
        for r in &set.rule {
            assert!(
                r.examples.iter().any(|e| e.fires),
                "{} lacks a positive example",
                r.code
            );
            assert!(
                r.examples.iter().any(|e| !e.fires),
                "{} lacks a negative example",
                r.code
            );
            assert!(!r.reference.is_empty(), "{} lacks a reference", r.code);
            for ex in &r.examples {
                let s = set.evaluate(&facts(ex));
                let fired = s.reasons.iter().any(|x| x.code == r.code);
                assert_eq!(fired, ex.fires, "rule {} on {:?}", r.code, ex.classes);
                assert_eq!(s.level, s.reasons.iter().map(|x| x.level).max().unwrap());
            }
        }
    }

    #[test]
    fn level_is_the_max_and_scale_raises_it() {
        let set = RuleSet::builtin();
        let mut f = LeakFacts {
            people: 500,
            ..Default::default()
        };
        f.classes.extend([DataClass::Email, DataClass::Phone]);
        let s = set.evaluate(&f);
        assert_eq!(s.level, Level::Moderate);
        assert!(s.reasons[0].text.contains("phishing/smishing"));
        f.people = 898_791;
        let s = set.evaluate(&f);
        assert_eq!(s.level, Level::High);
        let scale = s.reasons.iter().find(|r| r.code == "scale").unwrap();
        assert!(scale.text.starts_with("898,791 people"), "{}", scale.text);
        f.classes
            .extend([DataClass::NationalId, DataClass::PersonName]);
        let s = set.evaluate(&f);
        assert_eq!(s.level, Level::Critical);
        assert_eq!(s.reasons[0].code, "id-and-name");
    }

    #[test]
    fn weak_hash_text_names_the_algorithm() {
        let f = LeakFacts {
            classes: [DataClass::PasswordHash].into_iter().collect(),
            weak_passwords: 10,
            weak_algorithms: vec!["md5".into()],
            ..Default::default()
        };
        let s = RuleSet::builtin().evaluate(&f);
        assert_eq!(s.level, Level::High);
        assert!(
            s.reasons[0]
                .text
                .starts_with("unsalted/fast MD5 password hashes: crackable"),
            "{}",
            s.reasons[0].text
        );
    }

    #[test]
    fn nothing_sensitive_is_low() {
        let f = LeakFacts {
            classes: [DataClass::Product].into_iter().collect(),
            ..Default::default()
        };
        let s = RuleSet::builtin().evaluate(&f);
        assert_eq!(s.level, Level::Low);
        assert_eq!(s.reasons.len(), 1);
    }

    #[test]
    fn bad_rule_files_are_rejected() {
        let bad = "fallback_text = \"x\"\n[[rule]]\ncode = \"a\"\nlevel = \"high\"\ntext = \"t\"\nall = [\"nope\"]\n";
        assert!(RuleSet::parse(bad).unwrap_err().contains("unknown class"));
        let bad2 =
            "fallback_text = \"x\"\n[[rule]]\ncode = \"a\"\nlevel = \"severe\"\ntext = \"t\"\n";
        assert!(RuleSet::parse(bad2).is_err());
        assert_eq!(group_thousands(1_234_567), "1,234,567");
        assert_eq!(group_thousands(999), "999");
    }
}
