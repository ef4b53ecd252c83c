//! The rule files (`rules/*.toml`, embedded; `--platforms FILE` adds platforms): loading,
//! validation and the compiled form the extractor uses.

use crate::lexicon::{Entry, Lexicon};
use crate::text::fold;
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// The embedded phrase files, by name.
pub const PHRASE_FILES: [(&str, &str); 7] = [
    ("cues.toml", include_str!("../rules/cues.toml")),
    ("classes.toml", include_str!("../rules/classes.toml")),
    ("quantities.toml", include_str!("../rules/quantities.toml")),
    ("dates.toml", include_str!("../rules/dates.toml")),
    ("orgs.toml", include_str!("../rules/orgs.toml")),
    ("venues.toml", include_str!("../rules/venues.toml")),
    ("exposure.toml", include_str!("../rules/exposure.toml")),
];
/// The embedded laws and regulators.
pub const LEGAL_FILE: &str = include_str!("../rules/legal.toml");
/// The embedded platforms file.
pub const PLATFORMS_FILE: &str = include_str!("../rules/platforms.toml");
/// The embedded name-finding rules.
pub const NAMES_FILE: &str = include_str!("../rules/names.toml");

/// How organisation names are found (`rules/names.toml`); phrases folded at load.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NameRules {
    /// File format.
    pub format: u32,
    /// Words that never start a name.
    pub stop_names: Vec<String>,
    /// Words that end a name read rightwards.
    pub name_stop_words: Vec<String>,
    /// Victim contexts before a name.
    pub context_before: Vec<String>,
    /// Victim contexts after a name.
    pub context_after: Vec<String>,
    /// Type words before a name.
    pub type_prefix: Vec<String>,
    /// Researcher / source contexts.
    pub source_context: Vec<String>,
    /// Parent role cues.
    pub role_parent: Vec<String>,
    /// Platform role cues.
    pub role_platform: Vec<String>,
    /// Service-provider role cues.
    pub role_provider: Vec<String>,
    /// Service-provider role cues written after the name.
    pub role_provider_after: Vec<String>,
    /// `context_before` + `type_prefix`, compiled (pattern i = that list's phrase i).
    #[serde(skip)]
    pub before_ac: Option<aho_corasick::AhoCorasick>,
    /// `context_after`, compiled.
    #[serde(skip)]
    pub after_ac: Option<aho_corasick::AhoCorasick>,
}

impl NameRules {
    fn folded(mut self) -> NameRules {
        for list in [
            &mut self.stop_names,
            &mut self.context_before,
            &mut self.context_after,
            &mut self.type_prefix,
            &mut self.source_context,
            &mut self.role_parent,
            &mut self.role_platform,
            &mut self.role_provider,
            &mut self.role_provider_after,
        ] {
            for p in list.iter_mut() {
                *p = fold(p);
            }
        }
        // Name stop words are compared as written (lower case) and folded.
        let folded: Vec<String> = self.name_stop_words.iter().map(|w| fold(w)).collect();
        self.name_stop_words.extend(folded);
        let build = |p: Vec<&String>| {
            aho_corasick::AhoCorasickBuilder::new()
                .match_kind(aho_corasick::MatchKind::Standard)
                .build(p)
                .ok()
        };
        self.before_ac = build(
            self.context_before
                .iter()
                .chain(&self.type_prefix)
                .collect(),
        );
        self.after_ac = build(self.context_after.iter().collect());
        self
    }

    /// Phrase `i` of `context_before` + `type_prefix`.
    pub fn before_phrase(&self, i: usize) -> &str {
        self.context_before
            .get(i)
            .or_else(|| self.type_prefix.get(i - self.context_before.len()))
            .map_or("", String::as_str)
    }

    /// True when `word` (any case) is a stop name.
    pub fn is_stop(&self, word: &str) -> bool {
        let w = fold(word);
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        self.stop_names.iter().any(|s| s == w)
    }

    /// True when `word` (lower case) ends a name.
    pub fn ends_name(&self, word: &str) -> bool {
        self.name_stop_words.iter().any(|s| s == word)
    }
}

/// Families used as look-up tables rather than searched in the text.
const TABLE_FAMILIES: [&str; 2] = ["tld", "gtld"];

/// A worked example in a rule file (checked by the test suite).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// Post text for extractor examples.
    #[serde(default)]
    pub text: Option<String>,
    /// Facts the claim must contain (a partial claim, same shape as the JSON).
    #[serde(default)]
    pub expect: Option<toml::Value>,
    /// Facts the claim must not contain.
    #[serde(default)]
    pub reject: Option<toml::Value>,
    /// Platform examples: a mention …
    #[serde(default)]
    pub mention: Option<String>,
    /// … the platform id it resolves to (empty: none) …
    #[serde(default)]
    pub id: Option<String>,
    /// … and its parent chain.
    #[serde(default)]
    pub chain: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PhraseFile {
    format: u32,
    #[serde(default)]
    entry: Vec<Entry>,
    #[serde(default)]
    example: Vec<Example>,
}

/// A law in `rules/legal.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LawRule {
    /// Stable id.
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// Jurisdiction code.
    pub jurisdiction: String,
    /// Phrases naming it alone.
    #[serde(default)]
    pub phrases: Vec<String>,
    /// Phrases shared with other jurisdictions.
    #[serde(default)]
    pub ambiguous: Vec<String>,
}

/// A regulator in `rules/legal.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegulatorRule {
    /// Stable id.
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// Jurisdiction code.
    pub jurisdiction: String,
    /// Phrases naming it alone (lower-case phrases are folded; upper-case abbreviations of
    /// three or more letters match only in upper case).
    #[serde(default)]
    pub phrases: Vec<String>,
    /// Phrases shared with other jurisdictions.
    #[serde(default)]
    pub ambiguous: Vec<String>,
    /// Substring of an obligations rule's `regulator` (same jurisdiction) that links it.
    #[serde(default)]
    pub obligations_match: Option<String>,
    /// Linked obligations rule ids (computed at load).
    #[serde(skip)]
    pub obligations: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LegalFile {
    format: u32,
    #[serde(default)]
    law: Vec<LawRule>,
    #[serde(default)]
    regulator: Vec<RegulatorRule>,
    #[serde(default)]
    example: Vec<Example>,
}

/// A platform, marketplace or brand in `rules/platforms.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Platform {
    /// Stable id.
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// Other names (folded when matched).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Names matched only with exactly this spelling.
    #[serde(default)]
    pub exact: Vec<String>,
    /// Web domains.
    #[serde(default)]
    pub domains: Vec<String>,
    /// Head-office country.
    #[serde(default)]
    pub country: Option<String>,
    /// Sector.
    #[serde(default)]
    pub sector: Option<String>,
    /// Parent entry id.
    #[serde(default)]
    pub parent: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlatformFile {
    format: u32,
    #[serde(default)]
    platform: Vec<Platform>,
    #[serde(default)]
    example: Vec<Example>,
}

/// The platform list with its look-ups.
#[derive(Debug, Default)]
pub struct Platforms {
    /// Entries in file order (built-in first, then added files).
    pub list: Vec<Platform>,
    by_id: HashMap<String, usize>,
    by_domain: HashMap<String, usize>,
}

impl Platforms {
    /// Entry index by id.
    pub fn by_id(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Entry index of a domain or any of its parent domains (`shop.tiki.vn` → Tiki).
    pub fn by_domain(&self, domain: &str) -> Option<usize> {
        let d = domain.trim_start_matches("www.").to_ascii_lowercase();
        let mut rest = d.as_str();
        loop {
            if let Some(i) = self.by_domain.get(rest) {
                return Some(*i);
            }
            match rest.split_once('.') {
                Some((_, r)) if r.contains('.') => rest = r,
                _ => return None,
            }
        }
    }

    /// Parent chain of an entry (parent, its parent …), at most 4 deep, cycle-safe.
    pub fn chain(&self, idx: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut cur = idx;
        while let Some(p) = self.list[cur].parent.as_deref().and_then(|p| self.by_id(p)) {
            if p == idx || out.contains(&p) || out.len() >= 4 {
                break;
            }
            out.push(p);
            cur = p;
        }
        out
    }

    fn add(&mut self, p: Platform, origin: &str) -> Result<(), String> {
        if p.id.is_empty() || p.name.trim().is_empty() {
            return Err(format!("{origin}: a platform needs an id and a name"));
        }
        let idx = match self.by_id.get(&p.id) {
            // A later file replaces an entry with the same id.
            Some(&i) => {
                self.list[i] = p.clone();
                i
            }
            None => {
                self.list.push(p.clone());
                self.list.len() - 1
            }
        };
        self.by_id.insert(p.id.clone(), idx);
        for d in &p.domains {
            self.by_domain.insert(d.to_ascii_lowercase(), idx);
        }
        Ok(())
    }

    fn validate(&self) -> Result<(), String> {
        for p in &self.list {
            if let Some(parent) = &p.parent {
                if self.by_id(parent).is_none() {
                    return Err(format!("platform {}: parent {parent:?} is not an id", p.id));
                }
            }
        }
        Ok(())
    }
}

/// Everything the extractor needs, compiled once.
#[derive(Debug)]
pub struct Rules {
    /// All phrase entries (phrase files, laws, regulators and platform names).
    pub lex: Lexicon,
    /// ccTLD → country.
    pub tld_country: HashMap<String, String>,
    /// Generic TLDs accepted for victim domains.
    pub gtlds: HashSet<String>,
    /// Laws.
    pub laws: Vec<LawRule>,
    /// Regulators (with their obligations links).
    pub regulators: Vec<RegulatorRule>,
    /// Platforms.
    pub platforms: Platforms,
    /// Name-finding rules.
    pub names: NameRules,
    /// Worked examples by file name.
    pub examples: Vec<(String, Example)>,
}

static BUILTIN: OnceLock<Result<Rules, String>> = OnceLock::new();

impl Rules {
    /// The built-in rules (compiled on first use).
    pub fn builtin() -> Result<&'static Rules, String> {
        BUILTIN
            .get_or_init(|| Rules::load(&[]))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Built-in rules plus extra platform files `(origin, text)`.
    pub fn load(extra_platforms: &[(String, String)]) -> Result<Rules, String> {
        let mut entries = Vec::new();
        let mut examples = Vec::new();
        let mut tld_country = HashMap::new();
        let mut gtlds = HashSet::new();
        for (name, text) in PHRASE_FILES {
            let f: PhraseFile = toml::from_str(text).map_err(|e| format!("{name}: {e}"))?;
            if f.format != 1 {
                return Err(format!("{name}: unsupported format {}", f.format));
            }
            for e in f.entry {
                let (fam, value) = e.signal.split_once(':').unwrap_or(("", ""));
                if TABLE_FAMILIES.contains(&fam) {
                    for p in &e.phrases {
                        if fam == "tld" {
                            tld_country.insert(p.to_ascii_lowercase(), value.to_string());
                        } else {
                            gtlds.insert(p.to_ascii_lowercase());
                        }
                    }
                } else {
                    entries.push(e);
                }
            }
            examples.extend(f.example.into_iter().map(|x| (name.to_string(), x)));
        }

        let legal: LegalFile =
            toml::from_str(LEGAL_FILE).map_err(|e| format!("legal.toml: {e}"))?;
        if legal.format != 1 {
            return Err("legal.toml: unsupported format".into());
        }
        let mut regulators = legal.regulator;
        link_obligations(&mut regulators)?;
        for l in &legal.law {
            entries.extend(named_entries("law", &l.id, &l.phrases, &l.ambiguous));
        }
        for r in &regulators {
            entries.extend(named_entries("reg", &r.id, &r.phrases, &r.ambiguous));
        }
        examples.extend(legal.example.into_iter().map(|x| ("legal.toml".into(), x)));

        let mut platforms = Platforms::default();
        let builtin = [("platforms.toml".to_string(), PLATFORMS_FILE.to_string())];
        for (origin, text) in builtin.iter().chain(extra_platforms) {
            let f: PlatformFile = toml::from_str(text).map_err(|e| format!("{origin}: {e}"))?;
            if f.format != 1 {
                return Err(format!("{origin}: unsupported format {}", f.format));
            }
            for p in f.platform {
                platforms.add(p, origin)?;
            }
            examples.extend(f.example.into_iter().map(|x| (origin.clone(), x)));
        }
        platforms.validate()?;
        for p in &platforms.list {
            let mut names = vec![p.name.clone()];
            names.extend(p.aliases.iter().cloned());
            entries.push(Entry {
                signal: format!("plat:{}", p.id),
                phrases: names,
                langs: vec![],
                weight: 1,
                exact: false,
                diacritics: false,
            });
            if !p.exact.is_empty() {
                entries.push(Entry {
                    signal: format!("plat:{}", p.id),
                    phrases: p.exact.clone(),
                    langs: vec![],
                    weight: 1,
                    exact: true,
                    diacritics: false,
                });
            }
        }

        let names: NameRules =
            toml::from_str(NAMES_FILE).map_err(|e| format!("names.toml: {e}"))?;
        if names.format != 1 {
            return Err("names.toml: unsupported format".into());
        }
        let names = names.folded();
        let lex = Lexicon::new(entries)?;
        Ok(Rules {
            names,
            lex,
            tld_country,
            gtlds,
            laws: legal.law,
            regulators,
            platforms,
            examples,
        })
    }

    /// Law by id.
    pub fn law(&self, id: &str) -> Option<&LawRule> {
        self.laws.iter().find(|l| l.id == id)
    }

    /// Regulator by id.
    pub fn regulator(&self, id: &str) -> Option<&RegulatorRule> {
        self.regulators.iter().find(|r| r.id == id)
    }

    /// Country of a domain's top-level label (`foo.com.vn` → VN).
    pub fn domain_country(&self, domain: &str) -> Option<&str> {
        let tld = domain.rsplit('.').next()?;
        self.tld_country.get(tld).map(String::as_str)
    }

    /// True when the last label is a known TLD (country or generic).
    pub fn known_tld(&self, tld: &str) -> bool {
        self.tld_country.contains_key(tld) || self.gtlds.contains(tld)
    }
}

/// Entries for a named law/regulator: plain phrases → `fam:id`, ambiguous → `famamb:id`;
/// all-caps abbreviations of 3+ letters are exact (so `CAC` never matches Vietnamese "các").
fn named_entries(fam: &str, id: &str, phrases: &[String], ambiguous: &[String]) -> Vec<Entry> {
    let mut out = Vec::new();
    for (f, list) in [(fam.to_string(), phrases), (format!("{fam}amb"), ambiguous)] {
        let (exact, folded): (Vec<String>, Vec<String>) =
            list.iter().cloned().partition(|p| is_abbreviation(p));
        let exact: Vec<String> = exact.iter().map(|p| p.to_ascii_uppercase()).collect();
        for (phr, ex) in [(folded, false), (exact, true)] {
            if !phr.is_empty() {
                out.push(Entry {
                    signal: format!("{f}:{id}"),
                    phrases: phr,
                    langs: vec![],
                    weight: 1,
                    exact: ex,
                    diacritics: false,
                });
            }
        }
    }
    out
}

/// Phrases written in lower case in the file but that are abbreviations: matched in upper case
/// only. A phrase is treated as an abbreviation when it is one ASCII word of 2–6 letters/digits
/// with at least one letter and no vowel-heavy spelling, i.e. listed in this set.
fn is_abbreviation(p: &str) -> bool {
    const ABBR: [&str; 22] = [
        "cac", "miit", "samr", "sbv", "mps", "npc", "ppc", "pipc", "kisa", "oaic", "pcpd", "ojk",
        "ico", "pdpc", "pdpa", "pipl", "appi", "pipa", "pdpo", "ccpa", "jpdp", "gdpr",
    ];
    ABBR.contains(&p)
}

/// Fills each regulator's `obligations` from the obligations crate's built-in rules.
fn link_obligations(regs: &mut [RegulatorRule]) -> Result<(), String> {
    let set = leakscope_obligations::builtin()?;
    for r in regs.iter_mut() {
        let Some(m) = &r.obligations_match else {
            continue;
        };
        r.obligations = set
            .rules
            .iter()
            .filter(|rule| {
                rule.jurisdiction == r.jurisdiction && rule.regulator.contains(m.as_str())
            })
            .map(|rule| rule.id.clone())
            .collect();
    }
    Ok(())
}

/// Folded forms of a platform's names (for tests and watchlists).
pub fn folded_names(p: &Platform) -> Vec<String> {
    std::iter::once(&p.name)
        .chain(&p.aliases)
        .chain(&p.exact)
        .map(|n| fold(n))
        .collect()
}
