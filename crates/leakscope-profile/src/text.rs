//! Text helpers shared by the renderers: number formatting, display width, and neutralising
//! attacker-controlled strings (headers, file names and values come from stolen data).

pub use leakscope_text::{bytes, clean, pad_left, pad_right, thousands, truncate, width};

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
}
