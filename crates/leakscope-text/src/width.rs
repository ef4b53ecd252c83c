//! Display width on a terminal (CJK counts two cells), cutting and padding to it.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Terminal display width of an already cleaned string (CJK counts 2 cells).
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

#[cfg(test)]
mod tests {
    use super::*;

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
