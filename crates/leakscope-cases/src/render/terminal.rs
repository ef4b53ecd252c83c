//! The terminal views: `case list`, `case show` (header, claim, figures, mitigations,
//! obligations) and the timeline — overdue in red when colour is on.

use super::clean;
use crate::advisory::Advisory;
use crate::model::Case;
use crate::templates::Templates;
use std::fmt::Write as _;

/// Terminal options.
#[derive(Debug, Clone, Copy, Default)]
pub struct TerminalOptions {
    /// ANSI colours.
    pub color: bool,
}

fn paint(on: bool, code: &str, s: &str) -> String {
    if on {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

/// The timeline, one line per item, overdue in red.
pub fn timeline(a: &Advisory, t: &Templates, o: TerminalOptions) -> String {
    let mut s = String::new();
    if a.timeline.is_empty() {
        let _ = writeln!(s, "  {}", t.t("text.no_events"));
    }
    let width = a
        .timeline
        .iter()
        .map(|i| i.local.chars().count())
        .max()
        .unwrap_or(0);
    for it in &a.timeline {
        let mark = match it.kind.as_str() {
            "deadline" => "◆",
            "due" => "■",
            "posted" => "○",
            _ => "●",
        };
        let state = match it.state.as_str() {
            "past" | "" => String::new(),
            st => format!("  [{}]", t.label("text", &format!("status_{st}"))),
        };
        let line = format!(
            "  {:<width$}  {mark} {}: {}{state}",
            it.local,
            clean(&it.label),
            clean(&it.text),
        );
        let line = match it.state.as_str() {
            "overdue" => paint(o.color, "31;1", &line),
            "met" | "done" | "met_late" => paint(o.color, "32", &line),
            _ => line,
        };
        let _ = writeln!(s, "{line}");
    }
    s
}

/// `case show`: the case at a glance, then the timeline.
pub fn show(a: &Advisory, t: &Templates, o: TerminalOptions) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}  {}  [{}, {}]",
        paint(o.color, "1", &format!("Case #{}", a.case.id)),
        clean(&a.case.title),
        a.case.status,
        a.case.tlp
    );
    let _ = writeln!(
        s,
        "  {}",
        t.fill(
            "text.awareness",
            &[
                (
                    "time",
                    crate::time::local_str(
                        &a.case.aware_at,
                        crate::time::tz_or_utc(&a.case.timezone)
                    )
                ),
                (
                    "basis",
                    t.t(&format!("text.awareness_{}", a.case.aware_basis))
                ),
            ]
        )
    );
    let mut figs = Vec::new();
    if let Some(v) = &a.case.verdict {
        figs.push(format!(
            "{} {}",
            t.t("text.fig_verdict"),
            t.label("verdict", v)
        ));
    }
    if let Some(l) = &a.case.sensitivity {
        figs.push(format!(
            "{} {}",
            t.t("text.fig_sensitivity"),
            t.label("level", l)
        ));
    }
    if let Some(p) = a.case.people {
        figs.push(format!("{} {}", t.t("text.fig_people"), t.num(p)));
    }
    if let Some(m) = a.case.merchants {
        figs.push(format!("{} {}", t.t("text.fig_merchants"), t.num(m)));
    }
    if !figs.is_empty() {
        let _ = writeln!(s, "  {}", figs.join(" · "));
    }
    let _ = writeln!(s, "\n{}", paint(o.color, "1", &t.t("text.summary")));
    for st in &a.summary {
        let _ = writeln!(s, "  - {}", clean(&st.text));
    }
    if !a.insights.is_empty() {
        let _ = writeln!(s, "\n{}", paint(o.color, "1", &t.t("text.insights")));
        for i in &a.insights {
            let _ = writeln!(s, "  - {}", clean(&i.title));
        }
    }
    if !a.mitigations.is_empty() {
        let _ = writeln!(s, "\n{}", paint(o.color, "1", &t.t("text.mitigations")));
        for m in &a.mitigations {
            let line = format!(
                "  - {} — {}, {} {} [{}]",
                clean(&m.title),
                m.owner_label,
                t.t("text.due"),
                m.due_local,
                t.label("text", &format!("status_{}", m.status))
            );
            let _ = writeln!(
                s,
                "{}",
                if m.status == "overdue" {
                    paint(o.color, "31;1", &line)
                } else {
                    line
                }
            );
        }
    }
    if !a.obligations.items.is_empty() {
        let _ = writeln!(s, "\n{}", paint(o.color, "1", &t.t("text.obligations")));
        for ob in &a.obligations.items {
            let line = format!(
                "  - {} {} ({}): {} — {}",
                ob.jurisdiction,
                ob.recipient,
                ob.rule_id,
                ob.due_local.as_deref().unwrap_or("—"),
                ob.remaining
            );
            let _ = writeln!(
                s,
                "{}",
                if ob.status == "overdue" {
                    paint(o.color, "31;1", &line)
                } else {
                    line
                }
            );
        }
    }
    if !a.questions.is_empty() {
        let _ = writeln!(s, "\n{}", paint(o.color, "1", &t.t("text.questions")));
        for q in &a.questions {
            let _ = writeln!(s, "  - {}", clean(&q.text));
        }
    }
    let _ = writeln!(s, "\n{}", paint(o.color, "1", &t.t("text.timeline")));
    s.push_str(&timeline(a, t, o));
    s
}

/// `case list`: one line per case.
pub fn case_list(cases: &[Case], o: TerminalOptions) -> String {
    let mut s = String::new();
    if cases.is_empty() {
        s.push_str(
            "no cases (open one with `leakscope case open --claim POST` or `--title TEXT`)\n",
        );
        return s;
    }
    let now = crate::time::fmt_utc(chrono::Utc::now());
    for c in cases {
        let due = match &c.next_due {
            Some(d) if *d < now => paint(o.color, "31;1", &format!("deadline {d} OVERDUE")),
            Some(d) => format!("next deadline {d}"),
            None => String::new(),
        };
        let _ = writeln!(
            s,
            "#{:<4} {:<6} {:<7} {:<12} {:<9} {}{}",
            c.id,
            c.status.id(),
            c.tlp.id(),
            c.verdict.as_deref().unwrap_or("-"),
            c.sensitivity.as_deref().unwrap_or("-"),
            clean(&c.title),
            if due.is_empty() {
                String::new()
            } else {
                format!("  ({due})")
            }
        );
    }
    s
}
