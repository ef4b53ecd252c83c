//! The rules file: its data model, loading and validation.
//!
//! The format is documented field by field in `docs/obligations.md`. The built-in file is
//! `rules/obligations.toml`, compiled into the binary; `--rules FILE` replaces it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::condition::Condition;
use crate::deadline::Deadline;

/// The built-in rules file, embedded at compile time.
pub const BUILTIN_RULES: &str = include_str!("../rules/obligations.toml");

/// A whole rules file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    /// Format version; must be 1.
    pub format: u32,
    /// Date the facts were last checked (YYYY-MM-DD).
    pub checked_on: String,
    /// Jurisdictions the rules refer to.
    #[serde(rename = "jurisdiction")]
    pub jurisdictions: Vec<Jurisdiction>,
    /// The rules.
    #[serde(rename = "rule")]
    pub rules: Vec<Rule>,
    /// Draft templates and localised labels.
    pub drafts: DraftTemplates,
}

/// Sectors an organisation may name with `--sector`, beyond those the rules name themselves.
pub const SECTORS: &[&str] = &[
    "banking",
    "credit",
    "ecommerce",
    "education",
    "energy",
    "finance",
    "government",
    "health",
    "hospitality",
    "insurance",
    "other",
    "retail",
    "technology",
    "telecom",
    "transport",
];

impl RuleSet {
    /// Codes the rules know: every jurisdiction's code and member countries, sorted.
    pub fn codes(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .jurisdictions
            .iter()
            .flat_map(|j| std::iter::once(j.code.clone()).chain(j.member_countries()))
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// Sectors `--sector` accepts: [`SECTORS`] and every sector a rule names, sorted.
    pub fn sectors(&self) -> Vec<String> {
        let mut set: std::collections::BTreeSet<String> =
            SECTORS.iter().map(|s| s.to_string()).collect();
        for r in &self.rules {
            r.trigger.sectors(&mut set);
            for t in &r.tiers {
                t.when.sectors(&mut set);
            }
            r.individuals.when.sectors(&mut set);
        }
        set.into_iter().collect()
    }
}

/// A place whose law may apply.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Jurisdiction {
    /// Code used by rules and by `--affected`: ISO 3166-1 alpha-2 (`SG`), a region (`EU`) or a
    /// subdivision (`US-CA`).
    pub code: String,
    /// English name ("Singapore").
    pub name: String,
    /// IANA timezone used for local deadlines and calendar-day counting.
    pub timezone: String,
    /// Countries whose residents count as this jurisdiction's residents (default: `[code]`).
    #[serde(default)]
    pub countries: Vec<String>,
    /// Languages drafts are written in (`en`, `vi`, `zh`).
    pub languages: Vec<String>,
}

impl Jurisdiction {
    /// The ISO codes whose residents count here.
    pub fn member_countries(&self) -> Vec<String> {
        if self.countries.is_empty() {
            vec![self.code.clone()]
        } else {
            self.countries.clone()
        }
    }
}

/// One notification duty.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Stable id (`sg-pdpa-26d`).
    pub id: String,
    /// Code of a [`Jurisdiction`].
    pub jurisdiction: String,
    /// Short title ("PDPC notification").
    pub title: String,
    /// Law name.
    pub law: String,
    /// Article / section.
    pub article: String,
    /// Who must be told.
    pub regulator: String,
    /// How (portal, hotline, form).
    pub channel: String,
    /// First day the rule applies (local date, inclusive).
    pub effective_from: String,
    /// Last day the rule applies (local date, inclusive), if it has been replaced.
    #[serde(default)]
    pub effective_until: Option<String>,
    /// When the rule applies to the breach; all conditions on the profile and facts.
    pub trigger: Condition,
    /// Deadline for telling the regulator.
    pub deadline: Deadline,
    /// Severity tiers, lowest first; the last matching one is reported.
    #[serde(default)]
    pub tiers: Vec<Tier>,
    /// Duty to tell the affected individuals.
    pub individuals: IndividualsDuty,
    /// What a processor (not the controller) must do instead, if the law says.
    #[serde(default)]
    pub processor_duty: Option<String>,
    /// Items the notification must contain.
    pub content: Vec<ContentItem>,
    /// Maximum penalty, in words.
    pub penalty: String,
    /// Exemptions and notes, in words.
    #[serde(default)]
    pub notes: Vec<String>,
    /// Source URLs (at least one, https).
    pub sources: Vec<String>,
    /// True when every fact of this rule was confirmed on an official text.
    pub verified: bool,
    /// What is uncertain (required when `verified` is false).
    #[serde(default)]
    pub caveat: Option<String>,
    /// Positive and negative examples, checked by the test suite.
    #[serde(rename = "example", default)]
    pub examples: Vec<Example>,
}

impl Rule {
    /// "Law, article".
    pub fn citation(&self) -> String {
        format!("{}, {}", self.law, self.article)
    }

    /// Parsed effective-from date.
    pub fn from_date(&self) -> Option<NaiveDate> {
        parse_date(&self.effective_from)
    }

    /// Parsed effective-until date.
    pub fn until_date(&self) -> Option<NaiveDate> {
        self.effective_until.as_deref().and_then(parse_date)
    }
}

/// A severity level named by the law ("relatively major").
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// Level name.
    pub label: String,
    /// When it applies.
    pub when: Condition,
}

/// The duty towards the people whose data leaked.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IndividualsDuty {
    /// When individuals must be told (an empty condition means whenever the rule applies);
    /// `never = true` means the rule itself never requires it.
    #[serde(default)]
    pub when: Condition,
    /// The rule never requires telling individuals.
    #[serde(default)]
    pub never: bool,
    /// Exemptions (e.g. prior encryption) that lift the duty.
    #[serde(default)]
    pub exempt_if: Option<Condition>,
    /// Deadline for telling them.
    #[serde(default)]
    pub deadline: Option<Deadline>,
    /// The duty in words.
    pub text: String,
}

/// One item a notification must contain.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ContentItem {
    /// What the engine can pre-fill (see `docs/obligations.md`; `other` = left to the writer).
    pub key: String,
    /// English wording.
    pub en: String,
    /// Vietnamese wording.
    #[serde(default)]
    pub vi: Option<String>,
    /// Chinese wording.
    #[serde(default)]
    pub zh: Option<String>,
}

impl ContentItem {
    /// The wording in `lang`, falling back to English.
    pub fn text(&self, lang: &str) -> &str {
        match lang {
            "vi" => self.vi.as_deref().unwrap_or(&self.en),
            "zh" => self.zh.as_deref().unwrap_or(&self.en),
            _ => &self.en,
        }
    }
}

/// A minimal breach that must (or must not) trigger the rule.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// Whether the rule must apply.
    pub applies: bool,
    /// Affected people per country code.
    #[serde(default)]
    pub affected: BTreeMap<String, u64>,
    /// Data classes present.
    #[serde(default)]
    pub classes: Vec<String>,
    /// Detection time (RFC 3339).
    pub detected_at: String,
    /// Organisation flags (`ciio`, `processor`, `encrypted`).
    #[serde(default)]
    pub flags: Vec<String>,
    /// Sector.
    #[serde(default)]
    pub sector: Option<String>,
    /// Countries the organisation is established in.
    #[serde(default)]
    pub established_in: Vec<String>,
    /// Expected hours from the anchor to the regulator deadline, when fixed.
    #[serde(default)]
    pub expect_hours: Option<i64>,
    /// Expected individuals duty, when it matters.
    #[serde(default)]
    pub expect_individuals: Option<bool>,
    /// Expected tier label.
    #[serde(default)]
    pub expect_tier: Option<String>,
}

/// Draft templates with localised labels.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DraftTemplates {
    /// Templates by `<audience>.<lang>` (`regulator.en`, `individuals.vi`).
    pub templates: BTreeMap<String, String>,
    /// Localised data-class labels by language, then class id.
    pub class_labels: BTreeMap<String, BTreeMap<String, String>>,
    /// Localised fixed phrases by language, then phrase key.
    pub phrases: BTreeMap<String, BTreeMap<String, String>>,
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Loads and validates a rules file's text.
pub fn load(text: &str, origin: &str) -> Result<RuleSet, String> {
    let set: RuleSet = toml::from_str(text).map_err(|e| format!("{origin}: {e}"))?;
    let problems = crate::validate::validate(&set);
    if problems.is_empty() {
        Ok(set)
    } else {
        Err(format!(
            "{origin}: invalid rules file:\n  - {}",
            problems.join("\n  - ")
        ))
    }
}

/// The built-in rules, validated.
pub fn builtin() -> Result<RuleSet, String> {
    load(BUILTIN_RULES, "built-in rules/obligations.toml")
}
