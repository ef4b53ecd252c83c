//! Inline SVG charts, generated here (no JavaScript, no fonts, no network). Every label is
//! escaped; widths are estimated from Unicode display width since nothing can measure text.

use super::esc;
use crate::model::MonthCount;
use crate::text::{clean, thousands, truncate, width};
use std::fmt::Write;

/// Drawing width of a full-width chart in CSS px (the content width of the report); charts are
/// drawn at their native size and only shrink (print, narrow windows), so text stays legible.
pub(crate) const FULL: f64 = 1096.0;
/// Drawing width of a half-width chart.
pub(crate) const HALF: f64 = 536.0;
/// Drawing width of a chart on a phone (a 390 px screen less the page margins).
pub(crate) const PHONE: f64 = 360.0;
/// Drawing width of a chart on an A4 page (186 mm of content at 96 px per inch).
pub(crate) const PRINT: f64 = 700.0;
/// Approximate advance of one display cell at the chart font size, in px.
const CELL: f64 = 6.6;

/// One labelled value of a horizontal bar chart.
pub(crate) struct Bar {
    /// Label (escaped when drawn).
    pub label: String,
    /// Value that sets the bar length.
    pub value: f64,
    /// Text printed after the bar.
    pub value_text: String,
    /// Fill colour (a CSS colour from this module's palette).
    pub color: &'static str,
}

/// Palette.
pub(crate) const BLUE: &str = "#2563eb";
/// Palette: identity and secrets.
pub(crate) const RED: &str = "#c0392b";
/// Palette: contact details.
pub(crate) const AMBER: &str = "#d97706";
/// Palette: other.
pub(crate) const GREY: &str = "#64748b";
/// Palette: tenants.
pub(crate) const TEAL: &str = "#0f766e";

/// A "nice" tick step (1, 2, 2.5 or 5 × 10^k) giving about `ticks` intervals, and the axis
/// maximum: the first multiple of the step ≥ `max`.
pub(crate) fn nice_scale(max: f64, ticks: usize) -> (f64, f64) {
    if max.is_nan() || max <= 0.0 {
        return (1.0, 1.0 / ticks as f64);
    }
    let raw = max / ticks as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    ((max / step).ceil().max(1.0) * step, step)
}

/// `1234` → `1.2k`, `1500000` → `1.5M`.
pub(crate) fn compact(v: f64) -> String {
    let (d, s) = if v >= 1e9 {
        (1e9, "B")
    } else if v >= 1e6 {
        (1e6, "M")
    } else if v >= 1e3 {
        (1e3, "k")
    } else {
        return format!("{}", v.round() as u64);
    };
    let x = v / d;
    if (x - x.round()).abs() < 0.05 {
        format!("{:.0}{s}", x.round())
    } else {
        format!("{x:.1}{s}")
    }
}

/// A horizontal bar chart with labels on the left and values on the right.
pub(crate) fn hbars(id: &str, title: &str, bars: &[Bar], max_label_cells: usize, w: f64) -> String {
    let row = 24.0;
    let top = 8.0;
    let labels: Vec<String> = bars
        .iter()
        .map(|b| truncate(&clean(&b.label), max_label_cells))
        .collect();
    let label_w = labels.iter().map(|l| width(l)).max().unwrap_or(4) as f64 * CELL + 12.0;
    let value_w = bars
        .iter()
        .map(|b| b.value_text.chars().count())
        .max()
        .unwrap_or(4) as f64
        * CELL
        + 14.0;
    let plot_w = (w - label_w - value_w).max(80.0);
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max).max(1e-9);
    let h = top * 2.0 + row * bars.len() as f64;
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg id="{}" class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(id),
        esc(title)
    );
    let _ = write!(s, "<title>{}</title>", esc(title));
    let _ = write!(
        s,
        r#"<line class="axis" x1="{label_w}" y1="{top}" x2="{label_w}" y2="{}"/>"#,
        h - top
    );
    for (i, (b, label)) in bars.iter().zip(&labels).enumerate() {
        let y = top + row * i as f64;
        let len = (b.value / max * plot_w).max(if b.value > 0.0 { 1.5 } else { 0.0 });
        let _ = write!(
            s,
            r#"<text class="label" x="{}" y="{}" text-anchor="end">{}</text>"#,
            label_w - 8.0,
            y + row / 2.0 + 4.0,
            esc(label)
        );
        let _ = write!(
            s,
            r#"<rect x="{label_w}" y="{}" width="{len:.1}" height="{}" rx="2" fill="{}"/>"#,
            y + 4.0,
            row - 8.0,
            b.color
        );
        let _ = write!(
            s,
            r#"<text class="value" x="{:.1}" y="{}">{}</text>"#,
            label_w + len + 6.0,
            y + row / 2.0 + 4.0,
            esc(&b.value_text)
        );
    }
    s.push_str("</svg>");
    s
}

/// Records per month as vertical bars with a labelled y axis and year marks on the x axis.
pub(crate) fn timeline(id: &str, title: &str, months: &[MonthCount], w: f64) -> String {
    let h = 240.0;
    let (left, right, top, bottom) = (56.0, 12.0, 12.0, 40.0);
    let plot_w = w - left - right;
    let plot_h = h - top - bottom;
    let max = months.iter().map(|m| m.count).max().unwrap_or(0) as f64;
    let (ymax, step) = nice_scale(max, 4);
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg id="{}" class="chart" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(id),
        esc(title)
    );
    let _ = write!(s, "<title>{}</title>", esc(title));
    let mut t = 0.0;
    while t <= ymax + step / 2.0 {
        let y = top + plot_h - t / ymax * plot_h;
        let _ = write!(
            s,
            r#"<line class="grid" x1="{left}" y1="{y:.1}" x2="{}" y2="{y:.1}"/>"#,
            w - right
        );
        let _ = write!(
            s,
            r#"<text class="tick" x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            left - 6.0,
            y + 4.0,
            compact(t)
        );
        t += step;
    }
    let n = months.len().max(1) as f64;
    let slot = plot_w / n;
    let bar = (slot * 0.78).max(1.0);
    // Right edge of the last year label drawn: labels that would touch it are left out (narrow
    // charts have little room per year).
    let mut label_end = f64::MIN;
    for (i, m) in months.iter().enumerate() {
        let x = left + slot * i as f64 + (slot - bar) / 2.0;
        let bh = m.count as f64 / ymax * plot_h;
        let label = format!("{}: {} records", clean(&m.month), thousands(m.count));
        let _ = write!(
            s,
            r#"<rect x="{x:.1}" y="{:.1}" width="{bar:.1}" height="{bh:.1}" fill="{BLUE}"><title>{}</title></rect>"#,
            top + plot_h - bh,
            esc(&label)
        );
        // Mark every January (and the first month) with its year; every month gets a tick.
        let is_jan = m.month.get(5..7) == Some("01");
        let tick_x = left + slot * i as f64 + slot / 2.0;
        let tick_len = if is_jan || i == 0 { 6.0 } else { 3.0 };
        let _ = write!(
            s,
            r#"<line class="axis" x1="{tick_x:.1}" y1="{}" x2="{tick_x:.1}" y2="{}"/>"#,
            top + plot_h,
            top + plot_h + tick_len
        );
        if is_jan || (i == 0 && months.len() > 1) {
            let text = if is_jan {
                m.month.get(..4).unwrap_or("")
            } else {
                m.month.as_str()
            };
            let anchor = if i == 0 { "start" } else { "middle" };
            let lx = if i == 0 { left } else { tick_x };
            let text_w = width(text) as f64 * CELL;
            let start = if i == 0 { lx } else { lx - text_w / 2.0 };
            if start < label_end + 6.0 {
                continue;
            }
            label_end = start + text_w;
            let _ = write!(
                s,
                r#"<text class="tick" x="{lx:.1}" y="{}" text-anchor="{anchor}">{}</text>"#,
                top + plot_h + 20.0,
                esc(text)
            );
        }
    }
    // The last month, on the year row when the last January label is far enough away.
    if let (Some(last), true) = (months.last(), months.len() > 1) {
        let last_jan = months.iter().rposition(|m| m.month.get(5..7) == Some("01"));
        let end_x = left + slot * (months.len() - 1) as f64 + slot / 2.0;
        let clear = last_jan.is_none_or(|j| end_x - (left + slot * j as f64 + slot / 2.0) > 90.0);
        let y = if clear {
            top + plot_h + 20.0
        } else {
            top + plot_h + 34.0
        };
        let _ = write!(
            s,
            r#"<text class="tick" x="{}" y="{y}" text-anchor="end">{}</text>"#,
            w - right,
            esc(&last.month)
        );
    }
    let _ = write!(
        s,
        r#"<line class="axis" x1="{left}" y1="{}" x2="{}" y2="{}"/>"#,
        top + plot_h,
        w - right,
        top + plot_h
    );
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_scale_rounds_up_to_readable_steps() {
        assert_eq!(nice_scale(87_000.0, 4), (100_000.0, 25_000.0));
        assert_eq!(nice_scale(115_000.0, 4), (150_000.0, 50_000.0));
        assert_eq!(nice_scale(7.0, 4), (8.0, 2.0));
        assert_eq!(nice_scale(0.0, 4).0, 1.0);
        let (m, s) = nice_scale(123_456.0, 4);
        assert!(m >= 123_456.0 && m - s < 123_456.0, "{m} {s}");
    }

    #[test]
    fn compact_numbers() {
        assert_eq!(compact(0.0), "0");
        assert_eq!(compact(25_000.0), "25k");
        assert_eq!(compact(1_500_000.0), "1.5M");
        assert_eq!(compact(950.0), "950");
    }

    #[test]
    fn bars_scale_to_the_largest_value() {
        let bars = vec![
            Bar {
                label: "a".into(),
                value: 100.0,
                value_text: "100".into(),
                color: BLUE,
            },
            Bar {
                label: "b".into(),
                value: 50.0,
                value_text: "50".into(),
                color: BLUE,
            },
        ];
        let svg = hbars("c", "t", &bars, 20, HALF);
        let widths: Vec<f64> = svg
            .match_indices("<rect ")
            .map(|(i, _)| {
                let rest = &svg[i..];
                let w = rest.split("width=\"").nth(1).unwrap();
                w[..w.find('"').unwrap()].parse().unwrap()
            })
            .collect();
        assert_eq!(widths.len(), 2);
        assert!((widths[0] / widths[1] - 2.0).abs() < 0.01, "{widths:?}");
    }
}
