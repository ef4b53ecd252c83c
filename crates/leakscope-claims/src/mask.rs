//! Length-preserving masking of personal data in post text (sample rows pasted into a sale
//! post): e-mail local parts and long digit runs (phones, ID and card numbers) become `•`, one
//! character for one, so evidence offsets stay valid in the masked text.

use regex::Regex;
use std::sync::OnceLock;

const DOT: char = '•';

fn email_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9][A-Za-z0-9.\-]*\.[A-Za-z]{2,}")
            .expect("valid regex")
    })
}

fn digits_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    // Digit groups joined by single spaces, dashes or dots, ending in a digit or X (CN ID).
    R.get_or_init(|| Regex::new(r"\+?[0-9][0-9]*(?:[ \-.]?[0-9]+)*[0-9Xx]?").expect("valid regex"))
}

fn date_like(s: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(r"^\d{4}[\-./]\d{1,2}[\-./]\d{1,2}|^\d{1,2}[\-./]\d{1,2}[\-./]\d{2,4}")
            .expect("valid regex")
    })
    .is_match(s)
}

/// Masks `text`, leaving the byte ranges in `keep` (e.g. a seller's contact) untouched.
/// The result has exactly as many characters as `text`.
pub fn mask_text(text: &str, keep: &[(usize, usize)]) -> String {
    let mut hide = vec![false; text.len()];
    for m in email_re().find_iter(text) {
        // Keep the first character of the local part and the domain.
        let at = m.as_str().find('@').unwrap_or(0);
        for (i, c) in text[m.start()..m.start() + at].char_indices().skip(1) {
            if c.is_alphanumeric() {
                hide[m.start() + i] = true;
            }
        }
    }
    for m in digits_re().find_iter(text) {
        let s = m.as_str();
        let digits = s.chars().filter(|c| c.is_ascii_alphanumeric()).count();
        let prev_word = text[..m.start()]
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '@');
        if !(9..=19).contains(&digits) || date_like(s) || prev_word {
            continue;
        }
        // Keep the first three and the last two digits.
        let mut n = 0;
        for (i, c) in s.char_indices() {
            if c.is_ascii_alphanumeric() {
                if n >= 3 && n + 2 < digits {
                    hide[m.start() + i] = true;
                }
                n += 1;
            }
        }
    }
    for &(s, e) in keep {
        for h in hide.iter_mut().take(e.min(text.len())).skip(s) {
            *h = false;
        }
    }
    text.char_indices()
        .map(|(i, c)| if hide[i] { DOT } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_emails_phones_and_ids_but_not_counts_or_dates() {
        let t = "Sample: nguyen.van.a@gmail.com | 0901234567 | 079201001234 | 1,812,440 users on 2025-10-14 09:12";
        let m = mask_text(t, &[]);
        assert_eq!(m.chars().count(), t.chars().count());
        assert!(m.contains("n•••••.•••.•@gmail.com"), "{m}");
        assert!(m.contains("090•••••67"), "{m}");
        assert!(!m.contains("079201001234"));
        assert!(m.contains("1,812,440 users on 2025-10-14 09:12"));
    }

    #[test]
    fn kept_ranges_stay() {
        let t = "Contact: seller@proton.me";
        let m = mask_text(t, &[(9, t.len())]);
        assert_eq!(m, t);
    }
}
