//! The advisory as one self-contained HTML page (no scripts, no external assets): summary,
//! insights and mitigations with their evidence, obligations, questions and the timeline — an
//! SVG axis of every event, deadline and due time (overdue in red, a "now" line) above the
//! same items as a list. Fluid layout: readable from 390 px wide up.

use super::evidence_words;
use crate::advisory::Advisory;
use crate::evidence::EvidenceRef;
use crate::templates::Templates;
use crate::time::parse_utc;
use std::fmt::Write as _;

/// Escapes text for HTML.
pub(crate) fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in super::clean(s).chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

const STYLE: &str = r#"
:root{--fg:#1d2330;--muted:#5b6475;--line:#d9dde5;--bg:#fff;--card:#f6f7f9;--red:#c0392b;--green:#1e8449;--amber:#b9770e;--blue:#2e5e9e}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",sans-serif;color:var(--fg);background:var(--bg)}
main{max-width:980px;margin:0 auto;padding:16px}
h1{font-size:1.5em;margin:.2em 0 .3em;overflow-wrap:anywhere}
h2{font-size:1.15em;margin:1.6em 0 .5em;border-bottom:1px solid var(--line);padding-bottom:.2em}
.meta{color:var(--muted);font-size:.9em;display:flex;flex-wrap:wrap;gap:.3em .9em}
.tlp{font-weight:700;padding:.05em .5em;border-radius:3px;background:#000;color:#ffc000}
.tlp.red{color:#ff2b2b}.tlp.green{color:#33ff00}.tlp.clear,.tlp.white{color:#fff}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:8px;margin:12px 0}
.figures div{background:var(--card);border-radius:6px;padding:8px 10px}
.figures b{display:block;font-size:1.25em}
ul,ol{padding-left:1.3em}
li{margin:.45em 0;overflow-wrap:anywhere}
.card{background:var(--card);border-radius:6px;padding:10px 12px;margin:8px 0}
.card h3{font-size:1em;margin:0 0 .3em}
.ev{font-size:.8em;color:var(--muted);margin-top:.35em;overflow-wrap:anywhere}
.ev code{font-size:.95em}
.badges{display:flex;flex-wrap:wrap;gap:.4em;font-size:.85em;margin-top:.3em}
.badge{border:1px solid var(--line);border-radius:10px;padding:0 .55em;background:#fff}
.overdue,.badge.overdue{color:var(--red);border-color:var(--red);font-weight:600}
.met,.done{color:var(--green)}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.92em}
th,td{border-bottom:1px solid var(--line);padding:6px 6px;text-align:left;vertical-align:top}
th{color:var(--muted);font-weight:600}
.axis{width:100%;height:auto;display:block;margin:6px 0 10px}
.tl{list-style:none;padding:0;margin:0;border-left:2px solid var(--line)}
.tl li{position:relative;padding:0 0 0 14px;margin:0 0 10px}
.tl li::before{content:"";position:absolute;left:-7px;top:.45em;width:12px;height:12px;border-radius:50%;background:var(--blue)}
.tl li.deadline::before{border-radius:2px;background:var(--amber)}
.tl li.due::before{border-radius:2px;background:#7d8797}
.tl li.overdue::before{background:var(--red)}
.tl li.met::before,.tl li.done::before,.tl li.met_late::before{background:var(--green)}
.tl time{display:block;font-size:.85em;color:var(--muted)}
.note{font-size:.88em;color:var(--muted)}
footer{margin-top:2em;font-size:.8em;color:var(--muted)}
@media (max-width:520px){main{padding:10px}body{font-size:14px}th,td{padding:5px 4px}}
@media print{.axis{max-height:90px}}
"#;

fn evidence(o: &mut String, t: &Templates, refs: &[EvidenceRef]) {
    if refs.is_empty() {
        return;
    }
    let items: Vec<String> = refs
        .iter()
        .map(|r| format!("<code>{}</code>", esc(&evidence_words(r))))
        .collect();
    let _ = write!(
        o,
        "<div class=\"ev\">{}: {}</div>",
        esc(&t.t("text.evidence")),
        items.join("; ")
    );
}

fn status_class(s: &str) -> &'static str {
    match s {
        "overdue" => "overdue",
        "met" => "met",
        "met_late" => "met_late",
        "done" => "done",
        _ => "",
    }
}

/// The SVG time axis: one marker per item, the "now" line.
fn axis(a: &Advisory, t: &Templates, now: chrono::DateTime<chrono::Utc>) -> String {
    let times: Vec<i64> = a
        .timeline
        .iter()
        .filter_map(|i| parse_utc(&i.at))
        .map(|t| t.timestamp())
        .chain(std::iter::once(now.timestamp()))
        .collect();
    let (Some(&lo), Some(&hi)) = (times.iter().min(), times.iter().max()) else {
        return String::new();
    };
    let width = 1000.0;
    let span = (hi - lo).max(1) as f64;
    let x = |t: i64| 20.0 + (t - lo) as f64 / span * (width - 40.0);
    let mut s = format!(
        "<svg class=\"axis\" viewBox=\"0 0 {width} 64\" role=\"img\" aria-label=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\"><line x1=\"20\" y1=\"32\" x2=\"{}\" y2=\"32\" stroke=\"#9aa3b2\" stroke-width=\"2\"/>",
        width - 20.0
    );
    for it in &a.timeline {
        let Some(t) = parse_utc(&it.at) else { continue };
        let cx = x(t.timestamp());
        let colour = match it.state.as_str() {
            "overdue" => "#c0392b",
            "met" | "done" | "met_late" => "#1e8449",
            _ if it.kind == "deadline" => "#b9770e",
            _ if it.kind == "due" => "#7d8797",
            _ => "#2e5e9e",
        };
        let shape = if it.kind == "event" || it.kind == "posted" {
            format!("<circle cx=\"{cx:.1}\" cy=\"32\" r=\"7\" fill=\"{colour}\">")
        } else {
            format!(
                "<rect x=\"{:.1}\" y=\"24\" width=\"14\" height=\"16\" fill=\"{colour}\">",
                cx - 7.0
            )
        };
        let _ = write!(
            s,
            "{shape}<title>{} {}: {}</title>{}",
            esc(&it.local),
            esc(&it.label),
            esc(&it.text),
            if shape.starts_with("<circle") {
                "</circle>"
            } else {
                "</rect>"
            }
        );
    }
    let nx = x(now.timestamp());
    let _ = write!(
        s,
        "<line x1=\"{nx:.1}\" y1=\"6\" x2=\"{nx:.1}\" y2=\"58\" stroke=\"#1d2330\" stroke-dasharray=\"4 3\"/><text x=\"{:.1}\" y=\"62\" font-size=\"11\" fill=\"#1d2330\">{}</text></svg>",
        (nx - 10.0).max(0.0),
        esc(&t.t("text.now"))
    );
    s
}

/// Renders the advisory as a self-contained HTML page.
pub fn html(a: &Advisory, t: &Templates) -> String {
    let now = parse_utc(&a.generated_at).unwrap_or_else(chrono::Utc::now);
    let mut o = String::with_capacity(32 * 1024);
    let tlp_class = a
        .case
        .tlp
        .trim_start_matches("TLP:")
        .to_ascii_lowercase()
        .replace('+', "-");
    let _ = write!(
        o,
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>{} — {}</title><style>{STYLE}</style></head><body><main>",
        esc(&a.lang),
        esc(&t.t("text.advisory")),
        esc(&a.case.title)
    );
    let _ = write!(
        o,
        "<div class=\"meta\"><span class=\"tlp {}\">{}</span><span>#{}</span><span>{}</span><span>{}</span></div><h1>{}</h1>",
        esc(tlp_class.split('-').next().unwrap_or("amber")),
        esc(&a.case.tlp),
        a.case.id,
        esc(&t.label("text", &format!("case_{}", a.case.status))),
        esc(&t.fill(
            "text.awareness",
            &[
                ("time", a.case.aware_local.clone()),
                ("basis", t.t(&format!("text.awareness_{}", a.case.aware_basis))),
            ]
        )),
        esc(&a.case.title)
    );
    if let Some((at, why)) = &a.case.closed {
        let _ = write!(
            o,
            "<p class=\"note\">{}</p>",
            esc(&t.fill(
                "text.closed",
                &[("time", at.clone()), ("reason", why.clone())]
            ))
        );
    }
    // Headline figures.
    let mut figs: Vec<(String, String)> = Vec::new();
    if let Some(v) = &a.case.verdict {
        figs.push((t.t("text.fig_verdict"), t.label("verdict", v)));
    }
    if let Some(l) = &a.case.sensitivity {
        figs.push((t.t("text.fig_sensitivity"), t.label("level", l)));
    }
    if let Some(p) = a.case.people {
        figs.push((t.t("text.fig_people"), t.num(p)));
    }
    if let Some(m) = a.case.merchants {
        figs.push((t.t("text.fig_merchants"), t.num(m)));
    }
    if let Some(next) = a
        .obligations
        .items
        .iter()
        .filter(|x| x.status == "open" || x.status == "overdue")
        .find(|x| x.due_utc.is_some())
    {
        figs.push((
            t.t("text.fig_next_deadline"),
            format!("{} · {}", next.jurisdiction, next.remaining),
        ));
    }
    if !figs.is_empty() {
        o.push_str("<div class=\"figures\">");
        for (k, v) in figs {
            let _ = write!(o, "<div>{}<b>{}</b></div>", esc(&k), esc(&v));
        }
        o.push_str("</div>");
    }
    let _ = write!(o, "<h2>{}</h2><ul>", esc(&t.t("text.summary")));
    for s in &a.summary {
        let _ = write!(o, "<li>{}", esc(&s.text));
        evidence(&mut o, t, &s.evidence);
        o.push_str("</li>");
    }
    o.push_str("</ul>");
    let _ = write!(o, "<h2>{}</h2>", esc(&t.t("text.insights")));
    if a.insights.is_empty() {
        let _ = write!(o, "<p class=\"note\">{}</p>", esc(&t.t("text.no_insights")));
    }
    for x in &a.insights {
        let _ = write!(
            o,
            "<div class=\"card\"><h3>{}</h3><div>{}</div>",
            esc(&x.title),
            esc(&x.text)
        );
        evidence(&mut o, t, &x.evidence);
        o.push_str("</div>");
    }
    let _ = write!(o, "<h2>{}</h2>", esc(&t.t("text.mitigations")));
    if a.mitigations.is_empty() {
        let _ = write!(
            o,
            "<p class=\"note\">{}</p>",
            esc(&t.t("text.no_mitigations"))
        );
    }
    for m in &a.mitigations {
        let _ = write!(
            o,
            "<div class=\"card\"><h3>{}</h3><div>{}</div><div class=\"badges\"><span class=\"badge\">{}: {}</span><span class=\"badge {}\">{}: {}</span><span class=\"badge {}\">{}</span></div>",
            esc(&m.title),
            esc(&m.text),
            esc(&t.t("text.owner")),
            esc(&m.owner_label),
            status_class(&m.status),
            esc(&t.t("text.due")),
            esc(&m.due_local),
            status_class(&m.status),
            esc(&t.label("text", &format!("status_{}", m.status)))
        );
        evidence(&mut o, t, &m.evidence);
        o.push_str("</div>");
    }
    let _ = write!(o, "<h2>{}</h2>", esc(&t.t("text.obligations")));
    if a.obligations.items.is_empty() {
        let _ = write!(
            o,
            "<p class=\"note\">{}</p>",
            esc(&t.t("text.no_obligations"))
        );
    } else {
        let _ = write!(
            o,
            "<div class=\"scroll\"><table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
            esc(&t.t("text.recipient")),
            esc(&t.t("text.deadline")),
            esc(&t.t("text.due")),
            esc(&t.t("text.status"))
        );
        for ob in &a.obligations.items {
            let _ = write!(
                o,
                "<tr><td><b>{}</b> {}<br><span class=\"note\">{} · {}</span></td><td>{}{}</td><td>{}</td><td class=\"{}\">{}</td></tr>",
                esc(&ob.jurisdiction),
                esc(&ob.recipient),
                esc(&ob.citation),
                esc(&ob.rule_id),
                esc(&ob.deadline),
                ob.individuals
                    .as_ref()
                    .map(|i| format!("<br><span class=\"note\">{}</span>", esc(i)))
                    .unwrap_or_default(),
                esc(ob.due_local.as_deref().unwrap_or("—")),
                status_class(&ob.status),
                esc(&ob.remaining)
            );
        }
        o.push_str("</tbody></table></div>");
    }
    for n in &a.obligations.notes {
        let _ = write!(o, "<p class=\"note\">{}</p>", esc(n));
    }
    let _ = write!(o, "<h2>{}</h2><ul>", esc(&t.t("text.questions")));
    if a.questions.is_empty() {
        let _ = write!(o, "<li>{}</li>", esc(&t.t("text.no_questions")));
    }
    for q in &a.questions {
        let _ = write!(o, "<li>{}", esc(&q.text));
        evidence(&mut o, t, &q.evidence);
        o.push_str("</li>");
    }
    o.push_str("</ul>");
    let _ = write!(o, "<h2 id=\"timeline\">{}</h2>", esc(&t.t("text.timeline")));
    o.push_str(&axis(a, t, now));
    o.push_str("<ol class=\"tl\">");
    for it in &a.timeline {
        let state = status_class(&it.state);
        let _ = write!(
            o,
            "<li class=\"{} {state}\"><time datetime=\"{}\">{}</time><b>{}</b> {}{}</li>",
            esc(&it.kind),
            esc(&it.at),
            esc(&it.local),
            esc(&it.label),
            esc(&it.text),
            if state.is_empty() {
                String::new()
            } else {
                format!(
                    " <span class=\"badge {state}\">{}</span>",
                    esc(&t.label("text", &format!("status_{}", it.state)))
                )
            }
        );
    }
    o.push_str("</ol>");
    let _ = write!(
        o,
        "<h2>{}</h2><ul class=\"note\">",
        esc(&t.t("text.documents"))
    );
    for d in &a.documents {
        let _ = write!(
            o,
            "<li>{}</li>",
            esc(&t.fill(
                "text.document_line",
                &[
                    ("id", d.id.to_string()),
                    ("kind", d.kind.clone()),
                    ("schema", d.schema.clone()),
                    ("basis", d.basis.clone()),
                    ("run", d.run.to_string()),
                    ("time", d.created_at.clone()),
                ]
            ))
        );
    }
    for x in &a.artefacts {
        let _ = write!(
            o,
            "<li>{}</li>",
            esc(&t.fill(
                "text.artefact_line",
                &[
                    ("kind", x.kind.clone()),
                    ("name", x.name.clone()),
                    ("bytes", t.num(x.bytes)),
                    ("sha", x.sha256.clone()),
                ]
            ))
        );
    }
    let _ = writeln!(
        o,
        "</ul><footer>{} · {}</footer></main></body></html>",
        esc(&a.case.tlp),
        esc(&t.fill(
            "text.generated",
            &[
                ("time", a.generated_at.clone()),
                ("version", a.tool_version.clone()),
                ("id", a.case.id.to_string()),
            ]
        ))
    );
    o
}
