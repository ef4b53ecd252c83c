//! Advisory texts as data: one TOML file per language (`templates/en.toml`, `vi.toml`,
//! `zh.toml`) with every heading, sentence and label, and `templates/policy.toml` with each
//! mitigation's owner role and due time. The built-in files are embedded; a user edits copies
//! (`leakscope case templates --out DIR`) and points `--templates DIR` at them (or puts them in
//! `<data dir>/case-templates/`).
//!
//! The English file is the registry: a key exists when English has it, and a template may only use
//! the placeholders (`{name}`) the English one uses. Missing keys fall back to the built-in file of
//! the same language, then to English.

use crate::error::{CaseError, Result};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Languages with built-in templates.
pub const LANGUAGES: [&str; 3] = ["en", "vi", "zh"];

const EN: &str = include_str!("../templates/en.toml");
const VI: &str = include_str!("../templates/vi.toml");
const ZH: &str = include_str!("../templates/zh.toml");
const POLICY: &str = include_str!("../templates/policy.toml");

/// The built-in file of a language (`en`, `vi`, `zh`), or of the policy (`policy`).
pub fn builtin_text(name: &str) -> Option<&'static str> {
    match name {
        "en" => Some(EN),
        "vi" => Some(VI),
        "zh" => Some(ZH),
        "policy" => Some(POLICY),
        _ => None,
    }
}

/// Flattens a TOML table into `section.key` → text.
fn flatten(prefix: &str, v: &toml::Value, out: &mut BTreeMap<String, String>) {
    match v {
        toml::Value::Table(t) => {
            for (k, v) in t {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, out);
            }
        }
        toml::Value::String(s) => {
            out.insert(prefix.to_string(), s.clone());
        }
        toml::Value::Integer(i) => {
            out.insert(prefix.to_string(), i.to_string());
        }
        _ => {}
    }
}

/// The placeholders (`{name}`) a text uses.
pub fn placeholders(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = text;
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        match after.find('}') {
            Some(j)
                if after[..j]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && j > 0 =>
            {
                out.insert(after[..j].to_string());
                rest = &after[j + 1..];
            }
            _ => rest = after,
        }
    }
    out
}

fn parse_lang(text: &str, origin: &str) -> Result<BTreeMap<String, String>> {
    let v: toml::Value =
        toml::from_str(text).map_err(|e| CaseError::Usage(format!("{origin}: {e}")))?;
    let mut m = BTreeMap::new();
    flatten("", &v, &mut m);
    Ok(m)
}

/// Problems of a language file against the English registry (unknown keys, placeholders English
/// does not use). With `complete`, missing keys and placeholder sets that differ from English
/// are problems too (the built-in files must be complete).
pub fn validate(text: &str, origin: &str, complete: bool) -> Vec<String> {
    let en = match parse_lang(EN, "en") {
        Ok(m) => m,
        Err(e) => return vec![e.to_string()],
    };
    let m = match parse_lang(text, origin) {
        Ok(m) => m,
        Err(e) => return vec![e.to_string()],
    };
    let mut out = Vec::new();
    for (k, v) in &m {
        if matches!(k.as_str(), "format" | "lang" | "name") {
            continue;
        }
        match en.get(k) {
            None => out.push(format!("{origin}: unknown key `{k}`")),
            Some(e) => {
                let (want, got) = (placeholders(e), placeholders(v));
                let extra: Vec<_> = got.difference(&want).collect();
                if !extra.is_empty() {
                    out.push(format!(
                        "{origin}: `{k}` uses unknown placeholder(s) {extra:?} (allowed: {want:?})"
                    ));
                }
                if complete && want != got {
                    out.push(format!(
                        "{origin}: `{k}` uses {got:?}, English uses {want:?}"
                    ));
                }
            }
        }
    }
    if complete {
        for k in en.keys() {
            if !m.contains_key(k) {
                out.push(format!("{origin}: missing key `{k}`"));
            }
        }
    }
    out
}

/// Owner role and due time of one mitigation.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MitigationPolicy {
    /// Role key (`identity`, `merchants` …; labels in `[role]` of the language files).
    pub owner: String,
    /// Hours after awareness.
    pub due_hours: i64,
}

/// Freshness thresholds.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Freshness {
    /// Newest record at most this many days before discovery: fresh.
    pub fresh_days: i64,
    /// At least this many days: old.
    pub stale_days: i64,
}

/// `policy.toml`.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Must be 1.
    pub format: u32,
    /// Per mitigation id.
    pub mitigation: BTreeMap<String, MitigationPolicy>,
    /// Freshness thresholds.
    pub freshness: Freshness,
}

/// Loaded templates of one language plus the policy.
#[derive(Debug, Clone)]
pub struct Templates {
    /// Language (`en`, `vi`, `zh`).
    pub lang: String,
    texts: BTreeMap<String, String>,
    fallback: BTreeMap<String, String>,
    /// Owners and due times.
    pub policy: Policy,
}

impl Templates {
    /// The built-in templates of a language.
    pub fn builtin(lang: &str) -> Result<Templates> {
        Templates::load(lang, None)
    }

    /// Templates of a language: `dir/<lang>.toml` and `dir/policy.toml` when they exist (each
    /// validated), over the built-in ones.
    pub fn load(lang: &str, dir: Option<&Path>) -> Result<Templates> {
        let builtin = builtin_text(lang).ok_or_else(|| {
            CaseError::Usage(format!(
                "language `{lang}`: templates exist for {}",
                LANGUAGES.join(", ")
            ))
        })?;
        let mut texts = parse_lang(builtin, lang)?;
        let mut policy_text = POLICY.to_string();
        if let Some(d) = dir {
            let file = d.join(format!("{lang}.toml"));
            if file.exists() {
                let t = std::fs::read_to_string(&file)
                    .map_err(|e| CaseError::Io(format!("{}: {e}", file.display())))?;
                let origin = file.display().to_string();
                let problems = validate(&t, &origin, false);
                if !problems.is_empty() {
                    return Err(CaseError::Usage(problems.join("\n")));
                }
                texts.extend(parse_lang(&t, &origin)?);
            }
            let p = d.join("policy.toml");
            if p.exists() {
                policy_text = std::fs::read_to_string(&p)
                    .map_err(|e| CaseError::Io(format!("{}: {e}", p.display())))?;
            }
        }
        let policy: Policy = toml::from_str(&policy_text)
            .map_err(|e| CaseError::Usage(format!("policy.toml: {e}")))?;
        if policy.format != 1 {
            return Err(CaseError::Usage("policy.toml: format must be 1".into()));
        }
        Ok(Templates {
            lang: lang.to_string(),
            texts,
            fallback: parse_lang(EN, "en")?,
            policy,
        })
    }

    /// Whether a key exists (in this language or English).
    pub fn has(&self, key: &str) -> bool {
        self.texts.contains_key(key) || self.fallback.contains_key(key)
    }

    /// The raw text of a key (the key itself when missing everywhere).
    pub fn raw<'a>(&'a self, key: &'a str) -> &'a str {
        self.texts
            .get(key)
            .or_else(|| self.fallback.get(key))
            .map_or(key, String::as_str)
    }

    /// A text with its placeholders filled.
    pub fn fill(&self, key: &str, vars: &[(&str, String)]) -> String {
        let mut s = self.raw(key).to_string();
        for (k, v) in vars {
            s = s.replace(&format!("{{{k}}}"), v);
        }
        s
    }

    /// A plain text.
    pub fn t(&self, key: &str) -> String {
        self.raw(key).to_string()
    }

    /// A label from a section (`kind.sale`), or the id itself when there is none.
    pub fn label(&self, section: &str, id: &str) -> String {
        let key = format!("{section}.{id}");
        if self.has(&key) {
            self.t(&key)
        } else {
            id.to_string()
        }
    }

    /// Joins items with the language's separator.
    pub fn join(&self, items: &[String]) -> String {
        items.join(self.raw("text.list_sep"))
    }

    /// A count with the language's grouping (1,234,567; Vietnamese 1.234.567).
    pub fn num(&self, n: u64) -> String {
        let sep = self.raw("text.thousands_sep");
        let digits = n.to_string();
        let mut out = String::new();
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push_str(sep);
            }
            out.push(ch);
        }
        out
    }

    /// A share as a percentage with one decimal (`92.1%`).
    pub fn pct(&self, x: f64) -> String {
        let s = format!("{:.1}", x * 100.0);
        let s = if self.raw("text.decimal_sep") == "," {
            s.replace('.', ",")
        } else {
            s
        };
        format!("{s}%")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_languages_are_complete_and_consistent() {
        for lang in LANGUAGES {
            let problems = validate(builtin_text(lang).unwrap(), lang, true);
            assert!(problems.is_empty(), "{problems:#?}");
            Templates::builtin(lang).unwrap();
        }
        let p: Policy = toml::from_str(POLICY).unwrap();
        let en = parse_lang(EN, "en").unwrap();
        for (id, m) in &p.mitigation {
            assert!(en.contains_key(&format!("mitigation.{id}.title")), "{id}");
            assert!(en.contains_key(&format!("role.{}", m.owner)), "{id}");
            assert!(m.due_hours > 0);
        }
        for k in en.keys().filter(|k| k.starts_with("mitigation.")) {
            let id = k.split('.').nth(1).unwrap();
            assert!(p.mitigation.contains_key(id), "policy lacks {id}");
        }
    }

    #[test]
    fn placeholders_and_overrides() {
        assert_eq!(
            placeholders("{a} and {b_c} but not { x } or {}"),
            ["a".to_string(), "b_c".to_string()].into()
        );
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("en.toml"),
            "[text]\ninsights = \"What we learned\"\n",
        )
        .unwrap();
        let t = Templates::load("en", Some(dir.path())).unwrap();
        assert_eq!(t.t("text.insights"), "What we learned");
        assert_eq!(t.t("text.summary"), "Summary");
        std::fs::write(
            dir.path().join("en.toml"),
            "[text]\ninsights = \"{nope}\"\n",
        )
        .unwrap();
        let e = Templates::load("en", Some(dir.path())).unwrap_err();
        assert!(e.to_string().contains("nope"), "{e}");
        assert_eq!(
            Templates::builtin("vi").unwrap().num(1_234_567),
            "1.234.567"
        );
    }
}
