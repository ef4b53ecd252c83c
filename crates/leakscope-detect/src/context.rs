//! Header semantics with table and neighbour context (`rules/context.toml`): what a "name" is in
//! `customers` and in `products`, keys (`address_id`), places (`city`), coordinates, and which
//! column tells each row's country.

use crate::text::{compact, fold, is_han};
use crate::DataClass;
use serde::Deserialize;
use std::sync::OnceLock;

/// The context vocabularies, as written in `rules/context.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextRules {
    name: NameRules,
    tables: TableRules,
    location: LocationRules,
    coordinates: Heads,
    keys: KeyRules,
    country: Heads,
    title: Heads,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NameRules {
    heads: Vec<String>,
    person: Vec<String>,
    username: Vec<String>,
    product: Vec<String>,
    merchant: Vec<String>,
    other: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableRules {
    person: Prepared,
    product: Prepared,
    merchant: Prepared,
    other: Prepared,
}

/// A phrase list matched against every table name of a scan (a dump may have 200,000 tables),
/// folded once when the rules load instead of on every match.
#[derive(Debug)]
struct Prepared(Vec<PreparedPhrase>);

#[derive(Debug)]
enum PreparedPhrase {
    /// Han text, compacted: found anywhere in the compact name.
    Han(String),
    /// Words (`n` as written, `parts` folded): the name's last words.
    Words { n: usize, parts: Vec<String> },
}

impl<'de> Deserialize<'de> for Prepared {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Prepared, D::Error> {
        let list = Vec::<String>::deserialize(d)?;
        Ok(Prepared(
            list.iter()
                .map(|p| {
                    if p.chars().any(is_han) {
                        PreparedPhrase::Han(compact(p))
                    } else {
                        PreparedPhrase::Words {
                            n: p.split_whitespace().count(),
                            parts: fold(p).split_whitespace().map(str::to_string).collect(),
                        }
                    }
                })
                .collect(),
        ))
    }
}

impl Prepared {
    /// Whether a name of words `w` (compact form `c`) ends with, or holds (Han), a phrase.
    fn hit(&self, w: &[String], c: &str) -> bool {
        self.0.iter().any(|p| match p {
            PreparedPhrase::Han(h) => c.contains(h.as_str()),
            PreparedPhrase::Words { n, parts } => {
                w.len() >= *n && {
                    let at = w.len() - n;
                    at + parts.len() <= w.len()
                        && parts.iter().enumerate().all(|(i, p)| w[at + i] == *p)
                }
            }
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LocationRules {
    heads: Vec<String>,
    not_postal: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Heads {
    heads: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyRules {
    heads: Vec<String>,
    identifier: Vec<String>,
}

/// The built-in context rules.
pub fn rules() -> &'static ContextRules {
    static R: OnceLock<ContextRules> = OnceLock::new();
    R.get_or_init(|| {
        // Checked by the test suite (`context_rules_load`); failing here is a build defect.
        load(include_str!("../rules/context.toml")).expect("rules/context.toml is valid")
    })
}

/// Parses a context rule file.
pub fn load(text: &str) -> Result<ContextRules, String> {
    toml::from_str(text).map_err(|e| format!("rule file context.toml: {e}"))
}

/// Header words: camelCase, digits and separators split, folded (`PhysicalAddress1` →
/// `physical address 1`; `category.name` → `category name`); a word ending in a name head
/// (`filename`, `surname`) is split before it. Han text stays whole.
pub fn words(header: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev: Option<char> = None;
    let flush = |cur: &mut String, out: &mut Vec<String>| {
        if !cur.is_empty() {
            out.push(fold(cur));
            cur.clear();
        }
    };
    for c in header.chars() {
        if c.is_alphanumeric() {
            let boundary = match prev {
                Some(p) => {
                    (c.is_uppercase() && p.is_lowercase())
                        || (c.is_ascii_digit() != p.is_ascii_digit())
                        || (is_han(c) != is_han(p))
                }
                None => false,
            };
            if boundary {
                flush(&mut cur, &mut out);
            }
            cur.push(c);
            prev = Some(c);
        } else {
            flush(&mut cur, &mut out);
            prev = None;
        }
    }
    flush(&mut cur, &mut out);
    // `filename` → `file name`, `hostname` → `host name`.
    let mut split = Vec::with_capacity(out.len());
    for w in out {
        match w.strip_suffix("name") {
            Some(p) if !p.is_empty() && w.is_ascii() && p.len() >= 2 => {
                split.push(p.to_string());
                split.push("name".to_string());
            }
            _ => split.push(w),
        }
    }
    split
}

fn phrase_at(words: &[String], at: usize, phrase: &str) -> bool {
    let parts: Vec<&str> = phrase.split_whitespace().collect();
    at + parts.len() <= words.len() && parts.iter().enumerate().all(|(i, p)| words[at + i] == *p)
}

/// Whether `phrase` (folded words, or Han text) occurs in the header.
fn has_phrase(words: &[String], compact_header: &str, phrase: &str) -> bool {
    if phrase.chars().any(is_han) || !phrase.is_ascii() && !phrase.contains(' ') {
        let p = compact(phrase);
        return if p.chars().count() == 1 {
            compact_header == p
        } else {
            compact_header.contains(&p)
        };
    }
    let p = fold(phrase);
    (0..words.len()).any(|i| phrase_at(words, i, &p))
}

fn any_phrase(words: &[String], compact_header: &str, list: &[String]) -> bool {
    list.iter().any(|p| has_phrase(words, compact_header, p))
}

/// Whether the header ends with one of `list` (its head noun in English word order), or is one.
fn ends_with_any(words: &[String], compact_header: &str, list: &[String]) -> bool {
    list.iter().any(|p| {
        if p.chars().any(is_han) || !p.is_ascii() && !p.contains(' ') {
            let c = compact(p);
            return if c.chars().count() == 1 {
                compact_header == c
            } else {
                compact_header.ends_with(&c) || compact_header == c
            };
        }
        let n = p.split_whitespace().count();
        words.len() >= n && phrase_at(words, words.len() - n, &fold(p))
    })
}

/// What a table's rows are, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    /// People (customers, users, employees…).
    Person,
    /// Things sold (products, tracks, films…).
    Product,
    /// Shops of a platform.
    Merchant,
    /// Anything else (categories, genres, companies, places…).
    Other,
}

/// The entity a table name names, if any (`dbo.Customers`, `sakila.film`, `客户表`).
pub fn table_entity(table: &str) -> Option<Entity> {
    let last = table.rsplit('.').next().unwrap_or(table);
    let w = words(last);
    let c = compact(last);
    let r = &rules().tables;
    let hit = |list: &Prepared| list.hit(&w, &c);
    if hit(&r.person) {
        Some(Entity::Person)
    } else if hit(&r.product) {
        Some(Entity::Product)
    } else if hit(&r.merchant) {
        Some(Entity::Merchant)
    } else if hit(&r.other) {
        Some(Entity::Other)
    } else {
        None
    }
}

/// What the context says about one column's header.
#[derive(Debug, Clone, PartialEq)]
pub enum HeaderRole {
    /// No context rule applies: the ordinary keyword match decides.
    Keywords,
    /// The header means this class (its keyword match is overruled).
    Class(DataClass),
    /// The header is ambiguous: values alone decide (names: by the name lists).
    Values,
    /// Never a content class: `other` with this kind (`key`, `location`, `coordinate`, …).
    Other(&'static str),
    /// A key column when its values are integers or UUIDs (checked against the values).
    Key,
    /// Coordinates when its values are decimal numbers (checked against the values).
    Coordinate,
    /// A place (city, province, country) unless its values are full postal addresses.
    Location,
}

/// The header's role from its words and the table's entity. `keyword_class` is what the
/// ordinary keyword match found.
pub fn header_role(
    header: &str,
    entity: Option<Entity>,
    keyword_class: Option<DataClass>,
) -> HeaderRole {
    let r = rules();
    let w = words(header);
    let c = compact(header);
    if w.is_empty() {
        return HeaderRole::Keywords;
    }
    if w.iter().any(|x| r.coordinates.heads.contains(x)) || any_han(&c, &r.coordinates.heads) {
        return HeaderRole::Coordinate;
    }
    let key_head = ends_with_any(&w, &c, &r.keys.heads) || w[0] == "ma" && w.len() > 1;
    let keeps_key = matches!(
        keyword_class,
        Some(DataClass::OrderId | DataClass::Merchant | DataClass::NationalId)
    );
    if key_head && !keeps_key && !any_phrase(&w, &c, &r.keys.identifier) {
        return HeaderRole::Key;
    }
    if ends_with_any(&w, &c, &r.location.heads)
        && matches!(
            keyword_class,
            None | Some(DataClass::Address | DataClass::Other)
        )
    {
        return HeaderRole::Location;
    }
    if keyword_class == Some(DataClass::Address) && any_phrase(&w, &c, &r.location.not_postal) {
        return HeaderRole::Other("not_postal_address");
    }
    let n = &r.name;
    let named = w.iter().any(|x| n.heads.contains(x))
        || n.heads
            .iter()
            .any(|h| h.chars().any(is_han) && c.contains(&compact(h)));
    if named
        && matches!(
            keyword_class,
            None | Some(DataClass::PersonName | DataClass::Other | DataClass::Username)
        )
    {
        let quals: Vec<String> = w
            .iter()
            .filter(|x| !n.heads.contains(x) && !x.bytes().all(|b| b.is_ascii_digit()))
            .filter(|x| !matches!(x.as_str(), "of" | "the" | "s" | "a" | "cua"))
            .cloned()
            .collect();
        let han_qual = c.chars().any(is_han) && !n.heads.iter().any(|h| compact(h) == c);
        if any_phrase(&w, &c, &n.person) {
            return HeaderRole::Class(DataClass::PersonName);
        }
        if any_phrase(&w, &c, &n.username) {
            return HeaderRole::Class(DataClass::Username);
        }
        if any_phrase(&w, &c, &n.product) {
            return HeaderRole::Class(DataClass::Product);
        }
        if any_phrase(&w, &c, &n.merchant) {
            return HeaderRole::Class(DataClass::Merchant);
        }
        if any_phrase(&w, &c, &n.other) {
            return HeaderRole::Other("name_of_thing");
        }
        if !quals.is_empty() || han_qual {
            return HeaderRole::Values;
        }
        return match entity {
            Some(Entity::Person) => HeaderRole::Class(DataClass::PersonName),
            Some(Entity::Product) => HeaderRole::Class(DataClass::Product),
            Some(Entity::Merchant) => HeaderRole::Class(DataClass::Merchant),
            Some(Entity::Other) => HeaderRole::Other("name_of_thing"),
            None => HeaderRole::Values,
        };
    }
    if entity == Some(Entity::Product) && ends_with_any(&w, &c, &r.title.heads) {
        return HeaderRole::Class(DataClass::Product);
    }
    HeaderRole::Keywords
}

fn any_han(compact_header: &str, list: &[String]) -> bool {
    list.iter()
        .filter(|p| p.chars().any(is_han))
        .any(|p| compact_header.contains(&compact(p)))
}

/// Whether the header names each row's country.
pub fn is_country_header(header: &str) -> bool {
    let w = words(header);
    let c = compact(header);
    ends_with_any(&w, &c, &rules().country.heads)
}

/// A decimal coordinate in any common notation: `-89.1526108`, `10.7769`, `N 10.77`, `10.77°`,
/// `10.7769° N`, `10°46'36.8"N` (degrees within ±180, at least four decimals for plain
/// numbers; hemisphere or degree marks make the notation explicit).
pub fn coordinate(v: &str) -> bool {
    let t = v.trim();
    if t.is_empty() || t.len() > 32 {
        return false;
    }
    let hemi = |c: char| matches!(c, 'N' | 'S' | 'E' | 'W' | 'n' | 's' | 'e' | 'w');
    let marked = t.contains('°') || t.starts_with(hemi) || t.ends_with(hemi);
    let core = t
        .trim_matches(hemi)
        .trim()
        .trim_end_matches(['°', '\'', '"', '′', '″'])
        .trim();
    if marked && (core.contains('°') || core.contains('\'')) {
        // Degrees, minutes, seconds.
        let nums: Vec<&str> = core
            .split(['°', '\'', '"', '′', '″', ' '])
            .filter(|s| !s.is_empty())
            .collect();
        return !nums.is_empty()
            && nums.len() <= 3
            && nums
                .iter()
                .all(|n| n.parse::<f64>().is_ok_and(|x| (0.0..=180.0).contains(&x)));
    }
    let Ok(x) = core.parse::<f64>() else {
        return false;
    };
    if !(-180.0..=180.0).contains(&x) {
        return false;
    }
    let decimals = core.split_once('.').map_or(0, |(_, d)| d.len());
    decimals >= 4 || (marked && decimals >= 1)
}

/// Whether a value is a key: an integer of at most nine digits, or a UUID / long hex id.
pub fn key_value(v: &str) -> bool {
    let b = v.as_bytes();
    if !b.is_empty() && b.len() <= 9 && b.iter().all(u8::is_ascii_digit) {
        return true;
    }
    uuid_or_hex(v)
}

/// A UUID (`8-4-4-4-12` hex digits, optionally in braces).
pub fn uuid(v: &str) -> bool {
    let t = v.trim_matches(['{', '}']);
    let mut lens = t.split('-').map(str::len);
    [8, 4, 4, 4, 12].iter().all(|&n| lens.next() == Some(n))
        && lens.next().is_none()
        && t.bytes().all(|b| b.is_ascii_hexdigit() || b == b'-')
}

/// UUIDs and hex ids of 16+ characters with letters and digits.
pub fn uuid_or_hex(v: &str) -> bool {
    let t = v.trim_matches(['{', '}']);
    if uuid(t) {
        return true;
    }
    t.len() >= 16
        && t.bytes().all(|b| b.is_ascii_hexdigit())
        && t.bytes().any(|b| b.is_ascii_alphabetic())
        && t.bytes().any(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use DataClass::*;

    #[test]
    fn context_rules_load() {
        let _ = rules();
        assert_eq!(words("PhysicalAddress1"), vec!["physical", "address", "1"]);
        assert_eq!(words("category.name"), vec!["category", "name"]);
        assert_eq!(words("filename"), vec!["file", "name"]);
        assert_eq!(words("SupportRepId"), vec!["support", "rep", "id"]);
    }

    #[test]
    fn names_depend_on_table_and_qualifier() {
        let role = |h: &str, t: &str| header_role(h, table_entity(t), None);
        assert_eq!(role("name", "customers"), HeaderRole::Class(PersonName));
        assert_eq!(role("Name", "Track"), HeaderRole::Class(Product));
        assert_eq!(role("Name", "Genre"), HeaderRole::Other("name_of_thing"));
        assert_eq!(role("name", "category"), HeaderRole::Other("name_of_thing"));
        assert_eq!(
            role("company_name", "x"),
            HeaderRole::Other("name_of_thing")
        );
        assert_eq!(role("filename", "x"), HeaderRole::Other("name_of_thing"));
        assert_eq!(role("screen_name", "x"), HeaderRole::Class(Username));
        assert_eq!(
            role("category.name", "x"),
            HeaderRole::Other("name_of_thing")
        );
        assert_eq!(role("first_name", "actor"), HeaderRole::Class(PersonName));
        assert_eq!(
            role("SeniorWorkerName", "211"),
            HeaderRole::Class(PersonName)
        );
        assert_eq!(
            role("ship_name", "orders"),
            HeaderRole::Other("name_of_thing")
        );
        assert_eq!(role("name", "contacts_2024"), HeaderRole::Values);
        assert_eq!(role("Tên khách hàng", "x"), HeaderRole::Class(PersonName));
        assert_eq!(role("Tên sản phẩm", "x"), HeaderRole::Class(Product));
        assert_eq!(
            role("景點中文名稱", "x"),
            HeaderRole::Other("name_of_thing")
        );
        assert_eq!(role("title", "film"), HeaderRole::Class(Product));
    }

    #[test]
    fn keys_places_and_coordinates() {
        let role = |h: &str| header_role(h, None, None);
        assert_eq!(role("address_id"), HeaderRole::Key);
        assert_eq!(role("CustomerId"), HeaderRole::Key);
        assert_eq!(role("ReportsTo"), HeaderRole::Key);
        assert_eq!(
            header_role("citizen_id", None, Some(NationalId)),
            HeaderRole::Keywords
        );
        assert_eq!(
            header_role("order_id", None, Some(OrderId)),
            HeaderRole::Keywords
        );
        assert_eq!(role("national_id"), HeaderRole::Keywords);
        assert_eq!(role("City"), HeaderRole::Location);
        assert_eq!(role("BillingCountry"), HeaderRole::Location);
        assert_eq!(role("PhysicalStateProvince"), HeaderRole::Location);
        assert_eq!(role("Latitude"), HeaderRole::Coordinate);
        assert_eq!(role("X坐標"), HeaderRole::Coordinate);
        assert_eq!(
            header_role("WebsiteAddress", None, Some(Address)),
            HeaderRole::Other("not_postal_address")
        );
        assert!(is_country_header("BillingCountry"));
        assert!(is_country_header("quốc gia"));
        // `tính` in `giới tính` (gender) is not `tỉnh` (province).
        assert_eq!(
            header_role("Giới tính", None, Some(Gender)),
            HeaderRole::Keywords
        );
    }

    #[test]
    fn coordinates_in_every_notation() {
        for v in [
            "-89.1526108",
            "10.7769",
            "N 10.77",
            "10.77°",
            "10.7769° N",
            "10°46'36.8\"N",
            "106.70091234",
        ] {
            assert!(coordinate(v), "{v}");
        }
        for v in ["10.77", "1234.5678", "abc", "0912345678", "12"] {
            assert!(!coordinate(v), "{v}");
        }
        assert!(uuid_or_hex("550e8400-e29b-41d4-a716-446655440000"));
        assert!(key_value("603"));
        assert!(!key_value("0912345678"));
    }
}
