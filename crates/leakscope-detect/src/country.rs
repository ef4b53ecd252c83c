//! Country names and codes → ISO 3166-1 alpha-2 (`data/countries.txt`), for country / region
//! columns that tell which numbering plan a row's phone follows; e-mail ccTLDs.

use crate::text::{compact, data_lines};
use std::collections::HashMap;
use std::sync::OnceLock;

fn table() -> &'static HashMap<String, &'static str> {
    static T: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    T.get_or_init(|| {
        let mut m = HashMap::new();
        for line in data_lines(include_str!("../data/countries.txt")) {
            let mut parts = line.split('|').map(str::trim);
            let Some(code) = parts.next().filter(|c| c.len() == 2) else {
                continue;
            };
            let code: &'static str = code;
            m.insert(compact(code), code);
            for name in parts.filter(|p| !p.is_empty()) {
                m.entry(compact(name)).or_insert(code);
            }
        }
        m
    })
}

/// ISO2 code of a country written as a code (`US`, `vn`, `GBR` is not accepted) or a name
/// (`United States`, `Việt Nam`, `台灣`); `None` when unknown.
pub fn code(value: &str) -> Option<&'static str> {
    let v = value.trim();
    if v.is_empty() || v.len() > 60 {
        return None;
    }
    let key = compact(v);
    let c = table().get(&key).copied()?;
    // Two-letter words that are codes only in upper case (`no`, `in`, `it` are words too).
    if key.len() == 2 && !v.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    Some(c)
}

/// Country of an e-mail address from its country-code TLD (`.vn`, `.com.sg`); `None` for generic
/// TLDs (`.com`) and the ccTLDs commonly used as generic ones (`.co`, `.io`, `.me`, `.tv`, `.ai`).
pub fn of_email(email: &str) -> Option<&'static str> {
    let domain = email.rsplit_once('@')?.1;
    let tld = domain.rsplit('.').next()?;
    if tld.len() != 2
        || matches!(
            tld,
            "co" | "io" | "me" | "tv" | "ai" | "cc" | "ws" | "fm" | "ly"
        )
    {
        return None;
    }
    let up = tld.to_ascii_uppercase();
    let up = if up == "UK" { "GB".to_string() } else { up };
    table().get(&compact(&up)).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_codes() {
        assert_eq!(code("United States"), Some("US"));
        assert_eq!(code("USA"), Some("US"));
        assert_eq!(code("Việt Nam"), Some("VN"));
        assert_eq!(code("台灣"), Some("TW"));
        assert_eq!(code("DE"), Some("DE"));
        assert_eq!(code("Brazil"), Some("BR"));
        assert_eq!(code("no"), None);
        assert_eq!(code("Narnia"), None);
        assert_eq!(of_email("a@shop.com.vn"), Some("VN"));
        assert_eq!(of_email("a@b.co.uk"), Some("GB"));
        assert_eq!(of_email("a@gmail.com"), None);
        assert_eq!(of_email("a@x.io"), None);
    }
}
