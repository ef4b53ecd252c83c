//! Matching a claim against a compiled watchlist.

use super::{domain_key, name_key, Entry};
use crate::model::{Claim, WatchHit};
use crate::text::{fold, on_boundaries};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use leakscope_db::{Db, DbError};
use std::collections::HashMap;

/// A watchlist compiled for matching.
#[derive(Debug)]
pub struct Watchlist {
    /// The entries.
    pub entries: Vec<Entry>,
    by_key: HashMap<String, Vec<(usize, &'static str)>>,
    by_domain: HashMap<String, Vec<usize>>,
    by_parent: HashMap<String, Vec<usize>>,
    mentions: Option<(AhoCorasick, Vec<usize>)>,
}

impl Watchlist {
    /// Loads and compiles the database's watchlist.
    pub fn load(db: &mut Db) -> Result<Watchlist, DbError> {
        Ok(Watchlist::new(super::list(db)?))
    }

    /// Compiles entries.
    pub fn new(entries: Vec<Entry>) -> Watchlist {
        let mut by_key: HashMap<String, Vec<(usize, &'static str)>> = HashMap::new();
        let mut by_domain: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_parent: HashMap<String, Vec<usize>> = HashMap::new();
        let mut patterns = Vec::new();
        let mut pattern_entry = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            if e.kind == "domain" {
                by_domain.entry(domain_key(&e.name)).or_default().push(i);
            } else {
                by_key
                    .entry(name_key(&e.name))
                    .or_default()
                    .push((i, "name"));
            }
            for a in &e.aliases {
                by_key.entry(name_key(a)).or_default().push((i, "alias"));
            }
            for d in &e.domains {
                by_domain.entry(domain_key(d)).or_default().push(i);
            }
            if let Some(p) = &e.parent {
                by_parent.entry(name_key(p)).or_default().push(i);
            }
            for n in std::iter::once(&e.name).chain(&e.aliases) {
                let f = fold(n).trim().to_string();
                if f.chars().filter(|c| c.is_alphanumeric()).count() >= 4 {
                    patterns.push(f);
                    pattern_entry.push(i);
                }
            }
        }
        let mentions = (!patterns.is_empty())
            .then(|| {
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .build(&patterns)
                    .ok()
                    .map(|ac| (ac, pattern_entry))
            })
            .flatten();
        Watchlist {
            entries,
            by_key,
            by_domain,
            by_parent,
            mentions,
        }
    }

    /// True when there is nothing to match.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every entry matching a domain or one of its parent domains.
    fn domain_entries(&self, domain: &str) -> Vec<(usize, bool)> {
        let d = domain_key(domain);
        let mut out = Vec::new();
        let mut rest = d.as_str();
        let mut sub = false;
        loop {
            if let Some(list) = self.by_domain.get(rest) {
                out.extend(list.iter().map(|i| (*i, sub)));
            }
            match rest.split_once('.') {
                Some((_, r)) if r.contains('.') => {
                    rest = r;
                    sub = true;
                }
                _ => break,
            }
        }
        out
    }

    /// Matches a claim; `text` is the text as read (for mentions). Strongest reason per entry.
    pub fn matches(&self, claim: &Claim, text: &str) -> Vec<WatchHit> {
        let mut hits: Vec<WatchHit> = Vec::new();
        let push = |hits: &mut Vec<WatchHit>, i: usize, how: &str, field: String, why: String| {
            let e = &self.entries[i];
            if hits.iter().any(|h| h.entry_id == e.id && h.entry == e.name) {
                return;
            }
            hits.push(WatchHit {
                entry_id: e.id,
                entry: e.name.clone(),
                how: how.into(),
                field,
                why,
            });
        };
        for (vi, v) in claim.victims.iter().enumerate() {
            let role = v.role.as_str();
            let names =
                std::iter::once((&v.name, "name")).chain(v.aliases.iter().map(|a| (a, "aliases")));
            for (n, field) in names {
                if let Some(list) = self.by_key.get(&name_key(n)) {
                    for (i, how) in list {
                        let e = &self.entries[*i];
                        let (how, why) = match role {
                            "victim" => (
                                *how,
                                format!(
                                    "{} {:?} of the watched {} is the claimed victim {:?}",
                                    how_word(how),
                                    matched_name(e, n),
                                    e.kind,
                                    v.name
                                ),
                            ),
                            "parent" | "owner" => (
                                "parent",
                                format!(
                                    "watched {} {:?} is the {role} of the claimed victim {:?}",
                                    e.kind,
                                    e.name,
                                    v.of.as_deref().unwrap_or("")
                                ),
                            ),
                            "platform" => (
                                "platform",
                                format!(
                                    "watched {} {:?} is the platform of the claimed victims",
                                    e.kind, e.name
                                ),
                            ),
                            other => (
                                *how,
                                format!(
                                    "watched {} {:?} is named as {other} in the claim",
                                    e.kind, e.name
                                ),
                            ),
                        };
                        push(&mut hits, *i, how, format!("victims[{vi}].{field}"), why);
                    }
                }
                // A victim that is the parent / platform of watched entries.
                if let Some(list) = self.by_parent.get(&name_key(n)) {
                    for i in list {
                        let e = &self.entries[*i];
                        let rel = if e.kind == "merchant" {
                            "sells on"
                        } else {
                            "belongs to"
                        };
                        push(
                            &mut hits,
                            *i,
                            if e.kind == "merchant" {
                                "platform"
                            } else {
                                "parent"
                            },
                            format!("victims[{vi}].{field}"),
                            format!(
                                "watched {} {:?} {rel} {:?}, named in the claim as {role}",
                                e.kind, e.name, v.name
                            ),
                        );
                    }
                }
            }
            if let Some(d) = &v.domain {
                for (i, sub) in self.domain_entries(d) {
                    let e = &self.entries[i];
                    let (how, why) = if sub {
                        (
                            "subdomain",
                            format!("{d} is a subdomain of watched {}", watched_domain(e, d)),
                        )
                    } else {
                        (
                            "domain",
                            format!(
                                "domain {d} of the claimed {role} is on the watchlist ({} {:?})",
                                e.kind, e.name
                            ),
                        )
                    };
                    push(&mut hits, i, how, format!("victims[{vi}].domain"), why);
                }
            }
        }
        // Mentions: a watched name in the post that was not extracted as an organisation.
        if let Some((ac, pat_entry)) = &self.mentions {
            let t = crate::text::Text::new(text.to_string());
            let folded = &t.folded;
            for m in ac.find_overlapping_iter(folded) {
                if !on_boundaries(folded, m.start(), m.end()) {
                    continue;
                }
                let i = pat_entry[m.pattern().as_usize()];
                let e = &self.entries[i];
                let chars = t.char_index(t.orig_range(m.start(), m.end()).0);
                push(
                    &mut hits,
                    i,
                    "mention",
                    "text".into(),
                    format!("watched {} {:?} is mentioned in the post (character {chars}) but not as the victim", e.kind, e.name),
                );
            }
        }
        hits
    }
}

fn how_word(how: &str) -> &'static str {
    if how == "alias" {
        "alias"
    } else {
        "name"
    }
}

fn matched_name<'a>(e: &'a Entry, n: &str) -> &'a str {
    e.aliases
        .iter()
        .find(|a| name_key(a) == name_key(n))
        .unwrap_or(&e.name)
}

fn watched_domain(e: &Entry, d: &str) -> String {
    let dk = domain_key(d);
    std::iter::once(&e.name)
        .chain(&e.domains)
        .map(|x| domain_key(x))
        .find(|x| dk.ends_with(&format!(".{x}")))
        .unwrap_or_else(|| e.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Victim;

    fn entry(
        id: i64,
        kind: &str,
        name: &str,
        aliases: &[&str],
        domains: &[&str],
        parent: Option<&str>,
    ) -> Entry {
        Entry {
            id,
            kind: kind.into(),
            name: name.into(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
            domains: domains.iter().map(|s| s.to_string()).collect(),
            parent: parent.map(String::from),
            note: None,
        }
    }

    fn claim(victims: Vec<Victim>) -> Claim {
        Claim {
            victims,
            ..Claim::default()
        }
    }

    #[test]
    fn case_diacritics_width_legal_forms_domains_parents() {
        let w = Watchlist::new(vec![
            entry(
                1,
                "organisation",
                "Bách Hóa Xanh",
                &["BHX"],
                &["bachhoaxanh.com"],
                Some("Mobile World"),
            ),
            entry(2, "merchant", "Cửa hàng Hoa Mai", &[], &[], Some("Chợ Phố")),
            entry(3, "organisation", "ＦｏｏＭａｒｔ Pte Ltd", &[], &[], None),
            entry(4, "domain", "example.vn", &[], &[], None),
        ]);
        let v = |name: &str, role: &str, domain: Option<&str>| Victim {
            name: name.into(),
            role: role.into(),
            domain: domain.map(String::from),
            ..Victim::default()
        };
        let hits = w.matches(&claim(vec![v("BACH HOA XANH", "victim", None)]), "");
        assert_eq!(hits[0].how, "name");
        let hits = w.matches(&claim(vec![v("bhx", "victim", None)]), "");
        assert_eq!(hits[0].how, "alias");
        let hits = w.matches(&claim(vec![v("FOOMART", "victim", None)]), "");
        assert_eq!(hits[0].entry_id, 3, "width and legal form ignored");
        let hits = w.matches(
            &claim(vec![v("Shop X", "victim", Some("shop.example.vn"))]),
            "",
        );
        assert_eq!((hits[0].entry_id, hits[0].how.as_str()), (4, "subdomain"));
        let hits = w.matches(&claim(vec![v("Cho Pho", "victim", None)]), "");
        assert_eq!((hits[0].entry_id, hits[0].how.as_str()), (2, "platform"));
        assert!(hits[0].why.contains("sells on"));
        let hits = w.matches(&claim(vec![v("Mobile World", "victim", None)]), "");
        assert_eq!((hits[0].entry_id, hits[0].how.as_str()), (1, "parent"));
        let hits = w.matches(
            &claim(vec![v("Someone", "victim", None)]),
            "Ai đó bán data của bách hoá xanh",
        );
        assert_eq!((hits[0].entry_id, hits[0].how.as_str()), (1, "mention"));
        assert!(w
            .matches(&claim(vec![v("Someone", "victim", None)]), "nothing here")
            .is_empty());
    }
}
