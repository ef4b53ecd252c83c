//! Text helpers shared by the renderers: number formatting, display width, and neutralising
//! attacker-controlled strings (headers, file names and values come from stolen data).

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A share (0.0–1.0) as a percentage with `decimals` digits; non-finite shares show as `?`, and
/// shares that would round to 0% or 100% without being so show as `<0.1%` / `>99.9%`.
pub fn pct(share: f64, decimals: usize) -> String {
    if !share.is_finite() {
        return "?".to_string();
    }
    let p = share * 100.0;
    let step = 0.1f64.powi(decimals as i32);
    if p > 0.0 && p < step / 2.0 {
        return format!("<{step:.decimals$}%");
    }
    if p < 100.0 && p >= 100.0 - step / 2.0 {
        return format!(">{:.decimals$}%", 100.0 - step);
    }
    format!("{p:.decimals$}%")
}

/// A share as a short percentage: whole numbers, except that values that would round to 0%
/// or 100% without being exactly so keep one decimal (`0.4%`, `99.8%`).
pub fn pct_short(share: f64) -> String {
    if !share.is_finite() {
        return "?".to_string();
    }
    let p = share * 100.0;
    if (p > 0.0 && p < 0.5) || (99.5..100.0).contains(&p) {
        pct(share, 1)
    } else {
        format!("{p:.0}%")
    }
}

/// Bytes in decimal units (`412.3 MB`).
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["B", "kB", "MB", "GB", "TB", "PB"];
    if n < 1000 {
        return format!("{n} B");
    }
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1000.0 && unit < UNITS.len() - 1 {
        v /= 1000.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

/// True for characters that could move the cursor, recolour a terminal or reorder text
/// (C0/C1 controls, bidirectional overrides and isolates, zero-width joiners used for spoofing).
fn is_hostile(ch: char) -> bool {
    ch.is_control()
        || matches!(ch, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Replaces control and bidi characters with `�` so that a hostile header cannot inject
/// terminal escapes or reorder a line. Tabs and newlines become a space.
pub fn clean(s: &str) -> String {
    s.chars()
        .map(|ch| match ch {
            '\t' | '\n' | '\r' => ' ',
            c if is_hostile(c) => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// Terminal display width of an already [`clean`]ed string (CJK counts 2 cells).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Cuts `s` to at most `max` display cells, ending with `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for ch in s.chars() {
        let w = UnicodeWidthChar::width(ch).unwrap_or(0);
        if used + w > max - 1 {
            break;
        }
        out.push(ch);
        used += w;
    }
    out.push('…');
    out
}

/// Pads `s` with spaces on the right to `w` display cells (never cuts).
pub fn pad_right(s: &str, w: usize) -> String {
    let have = width(s);
    let mut out = s.to_string();
    out.extend(std::iter::repeat_n(' ', w.saturating_sub(have)));
    out
}

/// Pads `s` with spaces on the left to `w` display cells (never cuts).
pub fn pad_left(s: &str, w: usize) -> String {
    let have = width(s);
    let mut out: String = std::iter::repeat_n(' ', w.saturating_sub(have)).collect();
    out.push_str(s);
    out
}

/// `class` or `class/kind`.
pub fn class_kind(class: &str, kind: Option<&str>) -> String {
    match kind {
        Some(k) if !k.is_empty() => format!("{class}/{k}"),
        _ => class.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(898_791), "898,791");
        assert_eq!(thousands(1_104_312), "1,104,312");
    }

    #[test]
    fn percentages_keep_meaningful_digits() {
        assert_eq!(pct_short(1.0), "100%");
        assert_eq!(pct_short(0.998), "99.8%");
        assert_eq!(pct_short(0.004), "0.4%");
        assert_eq!(pct_short(0.0), "0%");
        assert_eq!(pct_short(0.62), "62%");
        assert_eq!(pct_short(f64::NAN), "?");
        assert_eq!(pct(0.971, 1), "97.1%");
        assert_eq!(pct(0.0001, 1), "<0.1%");
        assert_eq!(pct_short(0.0001), "<0.1%");
        assert_eq!(pct_short(0.99999), ">99.9%");
        assert_eq!(pct(0.0, 1), "0.0%");
        assert_eq!(pct(0.0004, 0), "<1%");
    }

    #[test]
    fn bytes_use_decimal_units() {
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(412_300_000), "412.3 MB");
        assert_eq!(bytes(10_000_000_000), "10.0 GB");
    }

    #[test]
    fn clean_neutralises_escapes_and_bidi() {
        let hostile = "name\x1b[31m\u{202E}gnp.exe\ttab";
        let c = clean(hostile);
        assert!(!c.contains('\x1b'));
        assert!(!c.contains('\u{202E}'));
        assert!(c.contains("tab"));
        assert!(!c.contains('\t'));
    }

    #[test]
    fn width_and_truncate_respect_cjk() {
        assert_eq!(width("身份证号"), 8);
        assert_eq!(width("Số điện thoại"), 13);
        let t = truncate("身份证号码", 7);
        assert!(width(&t) <= 7, "{t}");
        assert!(t.ends_with('…'));
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(pad_right("手机", 6), "手机  ");
        assert_eq!(pad_left("7", 3), "  7");
    }
}
