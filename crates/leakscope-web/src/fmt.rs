//! Small pieces of display shared by the pages: numbers, times, badges, the deadline countdown
//! and names from a leak (masked as the CLI masks them unless revealed).

use chrono::{DateTime, Utc};
use maud::{html, Markup};

/// `1234567` → `1,234,567`.
pub fn num(n: u64) -> String {
    leakscope_text::thousands(n)
}

/// A count or "–" when unknown.
pub fn opt_num(n: Option<u64>) -> String {
    n.map_or_else(|| "–".to_string(), num)
}

/// A size in bytes.
pub fn bytes(n: u64) -> String {
    leakscope_text::bytes(n)
}

/// A name from a leak (merchant, table, column, file) as it may be shown: identifiers in it
/// masked and hostile characters neutralised, as in the CLI — unless `reveal`.
pub fn leak_name(s: &str, reveal: bool) -> String {
    if reveal {
        leakscope_text::clean(s)
    } else {
        leakscope_text::display_name(s)
    }
}

/// A stored UTC time (`2026-12-01T10:00:00Z`) in a timezone: `2026-12-01 18:00 +08`.
pub fn local(utc: &str, zone: &str) -> String {
    leakscope_cases::time::local_str(utc, leakscope_cases::time::tz_or_utc(zone))
}

/// A stored UTC time as `2026-12-01 10:00 UTC`.
pub fn utc(s: &str) -> String {
    match leakscope_cases::time::parse_utc(s) {
        Some(t) => t.format("%Y-%m-%d %H:%M UTC").to_string(),
        None => s.to_string(),
    }
}

/// Seconds from `now` to a stored UTC time (negative when past).
pub fn seconds_until(utc: &str, now: DateTime<Utc>) -> Option<i64> {
    leakscope_cases::time::parse_utc(utc).map(|t| (t - now).num_seconds())
}

/// "2 d 3 h left" / "5 h 10 min overdue".
pub fn remaining(seconds: i64) -> String {
    let span = leakscope_cases::time::span(seconds);
    if seconds < 0 {
        format!("{span} overdue")
    } else {
        format!("{span} left")
    }
}

/// A deadline counting down: the text is right when the page is made, and `app.js` keeps it
/// right while the page stays open (`data-due`).
pub fn countdown(due_utc: &str, now: DateTime<Utc>) -> Markup {
    let secs = seconds_until(due_utc, now);
    let overdue = secs.is_some_and(|s| s < 0);
    let soon = secs.is_some_and(|s| (0..86_400).contains(&s));
    let text = secs.map_or_else(|| "unknown".to_string(), remaining);
    html! {
        time.countdown.overdue[overdue].soon[soon] datetime=(due_utc) data-due=(due_utc) { (text) }
    }
}

/// A verify verdict as a badge.
pub fn verdict_badge(v: Option<&str>) -> Markup {
    let (class, text) = match v {
        Some("authentic") => ("bad", "authentic"),
        Some("fabricated") => ("good", "fabricated"),
        Some("unrelated") => ("good", "unrelated"),
        Some("inconclusive") => ("warn", "inconclusive"),
        Some(other) => ("muted", other),
        None => ("muted", "not verified"),
    };
    html! { span class={"badge " (class)} data-verdict=(v.unwrap_or("none")) { (text) } }
}

/// A sensitivity level as a badge.
pub fn sensitivity_badge(s: Option<&str>) -> Markup {
    let class = match s {
        Some("critical") => "sev-critical",
        Some("high") => "sev-high",
        Some("moderate") => "sev-moderate",
        Some("low") => "sev-low",
        _ => "muted",
    };
    html! { span class={"badge " (class)} { (s.unwrap_or("unknown")) } }
}

/// A case status as a badge.
pub fn status_badge(s: &str) -> Markup {
    let class = if s == "open" { "open" } else { "muted" };
    html! { span class={"badge " (class)} { (s) } }
}

/// The TLP label with its colour.
pub fn tlp_badge(tlp: leakscope_cases::Tlp) -> Markup {
    html! { span class={"tlp tlp-" (tlp.id().replace('+', "-"))} { (tlp.label()) } }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countdowns_and_names() {
        let now = leakscope_cases::time::parse_utc("2026-12-01T00:00:00Z").unwrap();
        let c = countdown("2026-12-02T03:00:00Z", now).into_string();
        assert!(
            c.contains("1 d 3 h left") && c.contains("data-due=\"2026-12-02T03:00:00Z\""),
            "{c}"
        );
        let c = countdown("2026-11-30T22:00:00Z", now).into_string();
        assert!(
            c.contains("overdue") && c.contains("2 h 0 min overdue"),
            "{c}"
        );
        assert!(!leak_name("shop 0901234567", false).contains("0901234567"));
        assert!(leak_name("shop 0901234567", true).contains("0901234567"));
        assert_eq!(opt_num(None), "–");
        assert_eq!(num(1234567), "1,234,567");
    }
}
