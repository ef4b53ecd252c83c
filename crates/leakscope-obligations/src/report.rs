//! The obligations document (`"schema": "leakscope.obligations/1"`).

use serde::{Deserialize, Serialize};

/// Schema id written in every obligations document.
pub const OBLIGATIONS_SCHEMA: &str = "leakscope.obligations/1";

/// Everything the engine concluded.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ObligationsReport {
    /// Always [`OBLIGATIONS_SCHEMA`].
    pub schema: String,
    /// The instant remaining times are measured from (RFC 3339, UTC).
    pub now: String,
    /// Where the rules came from (`built-in` or a path) and when their facts were checked.
    pub rules: RulesInfo,
    /// Facts used, as given or defaulted.
    pub facts: FactsEcho,
    /// Affected people per jurisdiction considered.
    pub affected: Vec<AffectedCount>,
    /// Obligations that apply, ordered by due time (open deadlines last).
    pub obligations: Vec<Obligation>,
    /// Rules considered that do not apply, with the reason.
    pub not_applicable: Vec<NotApplicable>,
    /// Draft notifications (counts and classes only, no personal data).
    pub drafts: Vec<Draft>,
    /// Things the reader must know (defaults used, unknown counts).
    pub warnings: Vec<String>,
}

/// Origin of the rules.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RulesInfo {
    /// `built-in` or the `--rules` path.
    pub origin: String,
    /// Date the facts in the rules file were checked.
    pub checked_on: String,
}

/// The facts the evaluation used.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FactsEcho {
    /// Detection time (UTC).
    pub discovered_at: String,
    /// Awareness time, if given.
    pub aware_at: Option<String>,
    /// Assessment time, if given.
    pub assessed_at: Option<String>,
    /// Occurrence time, if given.
    pub occurred_at: Option<String>,
    /// Critical information infrastructure operator.
    pub ciio: bool,
    /// Acting as a processor.
    pub processor: bool,
    /// Data declared encrypted.
    pub encrypted: bool,
    /// Sector.
    pub sector: Option<String>,
    /// Establishment countries.
    pub established_in: Vec<String>,
    /// Data classes in the profile.
    pub data_classes: Vec<String>,
    /// Distinct people in the profile.
    pub individuals: u64,
}

/// Affected residents of one jurisdiction.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AffectedCount {
    /// Jurisdiction code.
    pub code: String,
    /// Jurisdiction name.
    pub name: String,
    /// People, when known.
    pub people: Option<u64>,
    /// `profile`, `override` or `unknown`.
    pub source: String,
}

/// One duty to notify.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Obligation {
    /// Rule id.
    pub rule_id: String,
    /// Jurisdiction code.
    pub jurisdiction_code: String,
    /// Jurisdiction name.
    pub jurisdiction: String,
    /// Rule title.
    pub title: String,
    /// "Law, article".
    pub citation: String,
    /// Who must be told (the controller, when acting as a processor).
    pub recipient: String,
    /// How.
    pub channel: String,
    /// Why the rule applies, in words with numbers.
    pub reason: String,
    /// Severity tier named by the law, if any.
    pub tier: Option<String>,
    /// The deadline.
    pub deadline: DeadlineOut,
    /// The duty towards the individuals.
    pub individuals: IndividualsOut,
    /// Items the notification must contain.
    pub content: Vec<String>,
    /// Maximum penalty.
    pub penalty: String,
    /// Exemptions and notes.
    pub notes: Vec<String>,
    /// Source URLs.
    pub sources: Vec<String>,
    /// Whether the rule's facts are verified.
    pub verified: bool,
    /// Caveats: unverified facts, assumed times.
    pub caveats: Vec<String>,
    /// Draft languages.
    pub languages: Vec<String>,
}

/// A computed deadline.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DeadlineOut {
    /// The rule in words.
    pub text: String,
    /// `detection`, `awareness`, `assessment` or `occurrence`.
    pub anchor: String,
    /// The anchor instant (UTC).
    pub anchor_at: String,
    /// `hours`, `calendar_days`, `immediately` or `as_soon_as_practicable`.
    pub unit: String,
    /// Hours or days.
    pub amount: Option<u32>,
    /// Due instant in the jurisdiction's local time (RFC 3339 with offset), if fixed.
    pub due_local: Option<String>,
    /// Due instant in UTC, if fixed.
    pub due_utc: Option<String>,
    /// IANA timezone of `due_local`.
    pub timezone: String,
    /// Seconds from `now` to the due instant (negative when overdue).
    pub remaining_seconds: Option<i64>,
    /// "2 d 3 h left", "4 h overdue", "immediately", "as soon as practicable".
    pub remaining: String,
}

/// The duty towards the individuals.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IndividualsOut {
    /// Whether individuals must be told.
    pub required: bool,
    /// Why (or why not).
    pub reason: String,
    /// The duty in words.
    pub text: String,
    /// Deadline, when required.
    pub deadline: Option<DeadlineOut>,
}

/// A rule that does not apply.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct NotApplicable {
    /// Rule id.
    pub rule_id: String,
    /// Jurisdiction code.
    pub jurisdiction_code: String,
    /// Jurisdiction name.
    pub jurisdiction: String,
    /// Rule title.
    pub title: String,
    /// "Law, article".
    pub citation: String,
    /// Why not, in words with numbers.
    pub reason: String,
    /// Whether the rule's facts are verified.
    pub verified: bool,
}

/// One draft notification.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Draft {
    /// Rule id.
    pub rule_id: String,
    /// `regulator` or `individuals`.
    pub audience: String,
    /// `en`, `vi` or `zh`.
    pub lang: String,
    /// Suggested file name (`sg-pdpa-26d.regulator.en.md`).
    pub file_name: String,
    /// Markdown text.
    pub markdown: String,
}

impl Obligation {
    /// When it is due, in the jurisdiction's local time, or the rule in words when the law sets
    /// no fixed time.
    pub fn due_text(&self) -> String {
        self.deadline
            .due_local
            .clone()
            .unwrap_or_else(|| self.deadline.text.clone())
    }

    /// The duty towards the individuals in one phrase (`yes: …` / `no: …`).
    pub fn individuals_text(&self) -> String {
        if self.individuals.required {
            format!("yes: {}", self.individuals.text)
        } else {
            format!("no: {}", self.individuals.reason)
        }
    }
}
