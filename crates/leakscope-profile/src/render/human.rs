//! The terminal summary: compact, aligned, coloured on a TTY, readable in 30 seconds.

use super::facts::{age, column_count, date_range, level_id, level_label, people};
use crate::model::{ColumnProfile, Level, ScanProfile, TableProfile};
use crate::text::{
    bytes, class_kind, clean, pad_left, pad_right, pct, pct_short, thousands, truncate, width,
};
use anstyle::{AnsiColor, Style};
use leakscope_text::{Col, TextTable};

/// How to render the terminal summary.
#[derive(Debug, Clone, Copy)]
pub struct HumanOptions {
    /// Use ANSI colours (only when stdout is a terminal).
    pub color: bool,
    /// Terminal width in cells; lines are wrapped or cut to fit (minimum 60 is used).
    pub width: usize,
}

impl Default for HumanOptions {
    fn default() -> Self {
        HumanOptions {
            color: false,
            width: 100,
        }
    }
}

/// Width of the label column of the summary.
const LABEL: usize = 14;
/// Tenants listed in the summary.
const TOP_TENANTS: usize = 5;
/// Sources and diagnostics listed before "… N more".
const MAX_LISTED: usize = 10;

/// The terminal style (`anstyle`) of text about a sensitivity level.
pub fn level_style(level: Level) -> Style {
    match level {
        Level::Critical => Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
        Level::High => Style::new().bold().fg_color(Some(AnsiColor::Yellow.into())),
        Level::Moderate => Style::new().fg_color(Some(AnsiColor::Yellow.into())),
        Level::Low => Style::new().fg_color(Some(AnsiColor::Green.into())),
    }
}

/// The terminal style of a sensitivity level's badge (inverse colours).
pub fn badge_style(level: Level) -> Style {
    let (bold, fg, bg) = match level {
        Level::Critical => (true, AnsiColor::BrightWhite, AnsiColor::Red),
        Level::High => (true, AnsiColor::Black, AnsiColor::Yellow),
        Level::Moderate => (false, AnsiColor::Black, AnsiColor::Yellow),
        Level::Low => (false, AnsiColor::Black, AnsiColor::Green),
    };
    let s = Style::new()
        .fg_color(Some(fg.into()))
        .bg_color(Some(bg.into()));
    if bold {
        s.bold()
    } else {
        s
    }
}

/// `s` in `style` (`anstyle` escape codes).
pub fn styled(style: Style, s: &str) -> String {
    format!("{style}{s}{style:#}")
}

/// ANSI styling, or none.
struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, style: Style, s: &str) -> String {
        if self.on {
            styled(style, s)
        } else {
            s.to_string()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.wrap(Style::new().bold(), s)
    }
    fn dim(&self, s: &str) -> String {
        self.wrap(Style::new().dimmed(), s)
    }
    fn level(&self, level: Level, s: &str) -> String {
        self.wrap(level_style(level), s)
    }
    fn badge(&self, level: Level) -> String {
        if self.on {
            self.wrap(badge_style(level), &format!(" {} ", level_label(level)))
        } else {
            level_label(level).to_string()
        }
    }
}

/// Renders the terminal summary of a profile.
pub fn human(profile: &ScanProfile, opts: &HumanOptions) -> String {
    let profile = &*crate::names::for_output(profile);
    let w = opts.width.max(60);
    let paint = Paint { on: opts.color };
    let mut out = Out {
        lines: Vec::new(),
        width: w,
        paint: &paint,
    };
    headline(&mut out, profile);
    sensitivity(&mut out, profile);
    landscape(&mut out, profile);
    let shown = shown_tables(profile);
    for (i, t) in profile.tables.iter().enumerate() {
        if shown.as_ref().is_none_or(|s| s.contains(&i)) {
            out.blank();
            table(&mut out, t, profile.revealed);
        }
    }
    if let Some(s) = &shown {
        let hidden = profile.tables.len() - s.len();
        out.blank();
        out.lines.push(format!(
            "… {} more tables not shown (the {} with the most identifying columns and rows are); --json, --markdown or --html list every table",
            thousands(hidden as u64),
            s.len()
        ));
    }
    out.blank();
    diagnostics(&mut out, profile);
    let mut s = out.lines.join("\n");
    s.push('\n');
    s
}

/// Tables listed one by one in the terminal at most; a dump of 200,000 tables lists these.
pub const MAX_TABLES_SHOWN: usize = 60;

/// Which tables a long profile lists (`None`: all): those with the most columns of a data
/// class, then the most rows, shown in their own order.
fn shown_tables(profile: &ScanProfile) -> Option<std::collections::BTreeSet<usize>> {
    if profile.tables.len() <= MAX_TABLES_SHOWN {
        return None;
    }
    let mut rank: Vec<(usize, u64, usize)> = profile
        .tables
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let classed = t.columns.iter().filter(|c| c.class != "other").count();
            (classed, t.rows, i)
        })
        .collect();
    rank.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    Some(
        rank.into_iter()
            .take(MAX_TABLES_SHOWN)
            .map(|r| r.2)
            .collect(),
    )
}

/// Collects output lines.
struct Out<'a> {
    lines: Vec<String>,
    width: usize,
    paint: &'a Paint,
}

impl Out<'_> {
    fn blank(&mut self) {
        self.lines.push(String::new());
    }

    /// A labelled field whose (already cleaned) value is word-wrapped under the value column.
    fn field(&mut self, label: &str, value: &str) {
        let avail = self.width - LABEL;
        let label = self.paint.bold(&pad_right(label, LABEL));
        for (i, line) in wrap(value, avail).into_iter().enumerate() {
            if i == 0 {
                self.lines.push(format!("{label}{line}"));
            } else {
                self.lines.push(format!("{}{line}", " ".repeat(LABEL)));
            }
        }
    }

    /// A labelled list, wrapped between items.
    fn field_items(&mut self, label: &str, items: &[String]) {
        let label = self.paint.bold(&pad_right(label, LABEL));
        for (i, line) in wrap_items(items, self.width - LABEL)
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 {
                label.clone()
            } else {
                " ".repeat(LABEL)
            };
            self.lines.push(format!("{lead}{line}"));
        }
    }

    /// Continuation lines under the value column, word-wrapped.
    fn sub(&mut self, value: &str) {
        self.sub_with(value, |_, s| s.to_string());
    }

    /// Continuation lines, word-wrapped to width, then styled.
    fn sub_with(&mut self, value: &str, style: impl Fn(&Paint, &str) -> String) {
        for line in wrap(value, self.width - LABEL) {
            self.lines
                .push(format!("{}{}", " ".repeat(LABEL), style(self.paint, &line)));
        }
    }
}

/// Packs list items into lines of at most `w` cells, breaking only between items.
fn wrap_items(items: &[String], w: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for item in items {
        let item = truncate(item, w);
        if cur.is_empty() {
            cur = item;
        } else if width(&cur) + 3 + width(&item) <= w {
            cur.push_str(" · ");
            cur.push_str(&item);
        } else {
            lines.push(std::mem::take(&mut cur));
            cur = item;
        }
    }
    lines.push(cur);
    lines
}

/// Word-wraps `s` to `w` cells ([`leakscope_text::wrap`]).
fn wrap(s: &str, w: usize) -> Vec<String> {
    leakscope_text::wrap(s, w)
}

fn headline(out: &mut Out, p: &ScanProfile) {
    let title = out.paint.bold("leakscope scan");
    let meta = format!(
        "{} {} · {} · {}",
        clean(&p.tool.name),
        clean(&p.tool.version),
        clean(&p.schema),
        clean(&p.generated_at)
    );
    out.lines.push(format!(
        "{title}  {}",
        out.paint.dim(&truncate(&meta, out.width - 16))
    ));
    if p.revealed {
        out.lines.push(out.paint.level(
            Level::Critical,
            "RAW VALUES REVEALED (--reveal): handle this output as the leak itself",
        ));
    }
    out.blank();
    let skipped = if p.rows_skipped > 0 {
        format!(" · {} skipped", thousands(p.rows_skipped))
    } else {
        String::new()
    };
    out.field("Rows", &format!("{} read{skipped}", thousands(p.rows)));
    out.field("People", &people(p));
    let formats = distinct(p.sources.iter().map(|s| {
        let mut f = clean(&s.format);
        if !s.compression.is_empty() {
            f = format!("{f} in {}", clean(&s.compression.join("+")));
        }
        f
    }));
    out.field(
        "Tables",
        &format!(
            "{} tables · {} columns · {} source{}{} · {}",
            thousands(p.tables.len() as u64),
            thousands(column_count(p) as u64),
            thousands(p.sources.len() as u64),
            if p.sources.len() == 1 { "" } else { "s" },
            if formats.is_empty() {
                String::new()
            } else {
                format!(" ({})", formats.join(", "))
            },
            bytes(p.bytes)
        ),
    );
}

fn sensitivity(out: &mut Out, p: &ScanProfile) {
    let s = &p.sensitivity;
    let badge = if super::facts::nothing_read(p) {
        out.paint.bold(super::facts::headline(p))
    } else {
        out.paint.badge(s.level)
    };
    out.lines.push(format!(
        "{}{}",
        out.paint.bold(&pad_right("Sensitivity", LABEL)),
        badge
    ));
    let lw = p
        .sensitivity
        .reasons
        .iter()
        .map(|r| level_id(r.level).len())
        .max()
        .unwrap_or(0);
    let text_w = out.width - LABEL - lw - 2;
    for r in &s.reasons {
        let tag = out.paint.level(r.level, &pad_right(level_id(r.level), lw));
        for (i, line) in wrap(&clean(&r.text), text_w).into_iter().enumerate() {
            let lead = if i == 0 { tag.clone() } else { " ".repeat(lw) };
            out.lines
                .push(format!("{}{lead}  {line}", " ".repeat(LABEL)));
        }
    }
}

fn landscape(out: &mut Out, p: &ScanProfile) {
    if p.data_classes.is_empty() {
        out.field("Data classes", "none recognised");
    } else {
        out.field("Data classes", &clean(&p.data_classes.join(", ")));
    }
    if !p.data_classes_hibp.is_empty() {
        let hibp = clean(&p.data_classes_hibp.join(", "));
        for line in wrap(&hibp, out.width - LABEL - 2) {
            out.sub_with(&line, Paint::dim);
        }
    }
    if p.countries.is_empty() {
        out.field("Countries", "no country signal");
    } else {
        let list: Vec<String> = p
            .countries
            .iter()
            .map(|c| format!("{} {}", clean(&c.code), pct(c.share, 1)))
            .collect();
        out.field_items("Countries", &list);
    }
    out.field("Records", &clean(&date_range(p)));
    if let Some(a) = age(p) {
        out.sub(&clean(&a));
    }
    match &p.tenants {
        None => out.field("Tenants", "no tenant (merchant/shop) column"),
        Some(t) => {
            out.field(
                "Tenants",
                &format!("{} in {}", thousands(t.count), clean(&t.column)),
            );
            let top: Vec<_> = t.top.iter().take(TOP_TENANTS).collect();
            let nums: Vec<String> = top.iter().map(|x| thousands(x.rows)).collect();
            let nw = nums.iter().map(|n| n.len()).max().unwrap_or(0);
            let longest = top
                .iter()
                .map(|x| width(&clean(&x.display())))
                .max()
                .unwrap_or(0);
            let name_w = longest.min(out.width - LABEL - nw - 8).min(32);
            for (x, n) in top.iter().zip(&nums) {
                let name = truncate(&clean(&x.display()), name_w);
                let row = format!("{}  {} rows", pad_right(&name, name_w), pad_left(n, nw));
                out.lines.push(format!("{}{row}", " ".repeat(LABEL)));
            }
            if t.count as usize > top.len() {
                out.sub_with(
                    &format!("… and {} more", thousands(t.count - top.len() as u64)),
                    Paint::dim,
                );
            }
        }
    }
    let pw = &p.passwords;
    if pw.total == 0 {
        out.field("Passwords", "none found");
    } else {
        let algos: Vec<String> = pw
            .by_algorithm
            .iter()
            .map(|a| {
                format!(
                    "{} {}{}",
                    clean(&a.algorithm),
                    thousands(a.count),
                    if a.weak { " (weak)" } else { "" }
                )
            })
            .collect();
        out.field(
            "Passwords",
            &format!("{} values: {}", thousands(pw.total), algos.join(" · ")),
        );
        let line = format!(
            "fast/unsalted hashes {} · plaintext {}",
            thousands(pw.fast_or_unsalted),
            thousands(pw.plaintext)
        );
        if pw.fast_or_unsalted + pw.plaintext > 0 {
            out.sub_with(&line, |p, s| p.level(Level::High, s));
        } else {
            out.sub(&line);
        }
    }
}

/// Cells of one column row, cleaned, before alignment.
struct Cells {
    name: String,
    class: String,
    conf: String,
    fill: String,
    distinct: String,
    examples: String,
}

fn cells(c: &ColumnProfile) -> Cells {
    let other = c.class == "other";
    Cells {
        name: clean(&c.name),
        class: clean(&class_kind(&c.class, c.kind.as_deref())),
        conf: if other {
            "–".into()
        } else {
            pct_short(c.confidence)
        },
        fill: pct_short(c.fill_rate),
        distinct: format!("≈{}", thousands(c.distinct_estimate)),
        examples: clean(&c.examples.join(" · ")),
    }
}

fn table(out: &mut Out, t: &TableProfile, revealed: bool) {
    let skipped = if t.rows_skipped > 0 {
        format!(" ({} skipped)", thousands(t.rows_skipped))
    } else {
        String::new()
    };
    let name = truncate(&clean(&t.name), out.width / 2);
    let meta = format!("{} · {} rows{skipped}", clean(&t.source), thousands(t.rows));
    let meta = truncate(&meta, out.width.saturating_sub(width(&name) + 2));
    let head = format!("{}  {}", out.paint.bold(&name), out.paint.dim(&meta));
    out.lines.push(head);
    let examples = if revealed {
        "examples (REVEALED)"
    } else {
        "examples (masked)"
    };
    // A narrow terminal gets a short header that still says whether values are masked.
    let examples = if out.width < 90 {
        if revealed {
            "REVEALED"
        } else {
            "masked"
        }
    } else {
        examples
    };
    let mut tt = TextTable::new(
        &[
            Col::capped(24),
            Col::capped(30),
            Col::NUM,
            Col::NUM,
            Col::NUM,
            Col::TEXT,
        ],
        &["column", "class", "conf", "fill", "distinct", examples],
    )
    .indent(2);
    for c in t.columns.iter().map(cells) {
        tt.push([c.name, c.class, c.conf, c.fill, c.distinct, c.examples]);
    }
    let lines = tt.lines(out.width);
    let mut lines = lines.into_iter();
    if let Some(h) = lines.next() {
        out.lines.push(out.paint.dim(&h));
    }
    for (line, col) in lines.zip(&t.columns) {
        out.lines.push(line);
        let notes: Vec<String> = col
            .mixed
            .iter()
            .map(|m| format!("mixed {} {}", clean(&m.class), pct_short(m.share)))
            .chain(
                col.embedded
                    .iter()
                    .map(|m| format!("embedded {} in {}", clean(&m.class), pct_short(m.share))),
            )
            .collect();
        if !notes.is_empty() {
            let note = format!("      ↳ {}", notes.join(" · "));
            out.lines.push(out.paint.dim(&truncate(&note, out.width)));
        }
    }
}

fn diagnostics(out: &mut Out, p: &ScanProfile) {
    let warnings = p
        .diagnostics
        .iter()
        .filter(|d| d.severity != "info")
        .count();
    out.field(
        "Read",
        &format!(
            "{} source{} · {} rows read · {} skipped · {} warning{}",
            p.sources.len(),
            if p.sources.len() == 1 { "" } else { "s" },
            thousands(p.rows),
            thousands(p.rows_skipped),
            warnings,
            if warnings == 1 { "" } else { "s" }
        ),
    );
    for s in p.sources.iter().take(MAX_LISTED) {
        let enc = s
            .encoding
            .as_deref()
            .map(clean)
            .unwrap_or_else(|| "binary".into());
        out.sub(&format!(
            "{}  {} {} · {} · {} rows",
            clean(&s.path),
            clean(&s.format),
            enc,
            bytes(s.bytes),
            thousands(s.rows)
        ));
    }
    if p.sources.len() > MAX_LISTED {
        out.sub(&format!(
            "… and {} more sources",
            p.sources.len() - MAX_LISTED
        ));
    }
    // Info diagnostics (e.g. the CSV dialect chosen per file) stay in --json; people reading the
    // summary need the warnings and errors.
    let listed: Vec<_> = p
        .diagnostics
        .iter()
        .filter(|d| d.severity != "info")
        .collect();
    for d in listed.iter().take(MAX_LISTED) {
        let sev = match d.severity.as_str() {
            "error" => out.paint.level(Level::Critical, "error"),
            "warning" => out.paint.level(Level::Moderate, "warning"),
            other => out.paint.dim(&clean(other)),
        };
        let skipped = if d.rows_skipped > 0 {
            format!(" [{} rows skipped]", thousands(d.rows_skipped))
        } else {
            String::new()
        };
        let text = format!(
            "{} {}: {}{skipped}",
            clean(&d.code),
            clean(&d.source),
            clean(&d.message)
        );
        for (i, line) in wrap(&text, out.width - LABEL - 9).into_iter().enumerate() {
            let lead = if i == 0 {
                format!("{sev}{}", " ".repeat(9 - width(&clean(&d.severity)).min(8)))
            } else {
                " ".repeat(9)
            };
            out.lines.push(format!("{}{lead}{line}", " ".repeat(LABEL)));
        }
    }
    if listed.len() > MAX_LISTED {
        out.sub(&format!(
            "… and {} more diagnostics (see --json)",
            listed.len() - MAX_LISTED
        ));
    }
    let infos = p.diagnostics.len() - listed.len();
    if infos > 0 {
        out.sub(&out.paint.dim(&format!(
            "{infos} informational note{} (e.g. CSV dialects) in --json",
            if infos == 1 { "" } else { "s" }
        )));
    }
}

/// Distinct values, first-seen order.
fn distinct(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}
