//! The report's inline stylesheet: light, ink-friendly, prints to A4 without dark fills.

/// CSS of the HTML report.
pub(crate) const CSS: &str = r#"
:root { --ink:#0f172a; --muted:#64748b; --line:#e2e8f0; --soft:#f8fafc; --accent:#2563eb;
  --critical:#b91c1c; --high:#c2410c; --moderate:#a16207; --low:#15803d; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", "DejaVu Sans", Arial, sans-serif; }
main { max-width: 1160px; margin: 0 auto; padding: 28px 32px 48px; }
h1 { font-size: 22px; margin: 0; letter-spacing: -0.01em; }
h2 { font-size: 16px; margin: 32px 0 10px; padding-bottom: 6px; border-bottom: 1px solid var(--line); break-after: avoid; }
h3 { font-size: 14px; margin: 20px 0 6px; break-after: avoid; }
.muted, .meta { color: var(--muted); }
.meta { font-size: 12px; }
header.top { display: flex; justify-content: space-between; align-items: flex-start; gap: 24px;
  padding-bottom: 16px; border-bottom: 2px solid var(--ink); }
header.top .sub { font-size: 13px; color: var(--muted); margin-top: 4px; word-break: break-all; }
.pills { display: flex; gap: 8px; flex-wrap: wrap; justify-content: flex-end; }
.badge { display: inline-block; padding: 4px 12px; border-radius: 999px; font-weight: 700; font-size: 12px;
  letter-spacing: .06em; color: #fff; white-space: nowrap; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.badge.critical { background: var(--critical); } .badge.high { background: var(--high); }
.badge.moderate { background: var(--moderate); } .badge.low { background: var(--low); }
.badge.masked { background: #fff; color: var(--low); border: 1.5px solid var(--low); }
.badge.revealed { background: #fff; color: var(--critical); border: 1.5px solid var(--critical); }
.kpis { display: grid; grid-template-columns: repeat(3, 1fr); gap: 12px; margin: 20px 0 8px; }
.kpi { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; break-inside: avoid; }
.kpi .k { font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.kpi .v { font-size: 22px; font-weight: 700; font-variant-numeric: tabular-nums; line-height: 1.25; }
.kpi .d { font-size: 12px; color: var(--muted); }
ul.reasons { list-style: none; padding: 0; margin: 0; }
ul.reasons li { display: flex; gap: 10px; align-items: baseline; padding: 6px 0; border-bottom: 1px solid var(--line); break-inside: avoid; }
.lvl { flex: 0 0 78px; font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .05em; }
.lvl.critical { color: var(--critical); } .lvl.high { color: var(--high); }
.lvl.moderate { color: var(--moderate); } .lvl.low { color: var(--low); }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
figure { margin: 0 0 22px; break-inside: avoid; }
figcaption { font-weight: 600; font-size: 13px; margin-bottom: 6px; }
figcaption .meta { font-weight: 400; }
svg.chart { display: block; max-width: 100%; height: auto; font-family: inherit; }
svg .label, svg .value, svg .tick { font-size: 11.5px; fill: #334155; }
svg .value { fill: var(--ink); font-variant-numeric: tabular-nums; }
svg .tick { fill: var(--muted); font-size: 11px; }
svg .axis { stroke: #94a3b8; stroke-width: 1; }
svg .grid { stroke: var(--line); stroke-width: 1; }
.vocab { margin-top: 6px; }
.empty { color: var(--muted); font-style: italic; padding: 12px 0; }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
th { text-align: left; font-size: 11px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted);
  font-weight: 600; border-bottom: 1.5px solid #cbd5e1; padding: 6px 8px; }
td { border-bottom: 1px solid var(--line); padding: 6px 8px; vertical-align: top; }
tr { break-inside: avoid; }
table.cols { table-layout: fixed; }
table.cols td { overflow-wrap: anywhere; }
col.c-name { width: 15%; } col.c-class { width: 35%; } col.c-conf { width: 12%; }
col.c-fill { width: 7%; } col.c-distinct { width: 9%; } col.c-ex { width: 22%; }
table.cols td.ex { padding-left: 14px; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.ex { font-size: 12px; color: #334155; }
td.ex span { display: block; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 280px; }
.cls { font-weight: 600; } .kind { color: var(--muted); font-weight: 400; }
.ev { display: block; color: var(--muted); font-size: 11.5px; margin-top: 2px; }
.note { display: block; color: var(--high); font-size: 11.5px; }
.tablemeta { color: var(--muted); font-size: 12px; margin: -2px 0 8px; }
.conf { display: inline-block; width: 36px; height: 5px; background: var(--line); border-radius: 3px; margin-left: 6px;
  vertical-align: middle; overflow: hidden; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.conf rect { fill: var(--accent); }
.sev-warning { color: var(--high); font-weight: 600; } .sev-error { color: var(--critical); font-weight: 600; }
.sev-info { color: var(--muted); font-weight: 600; }
footer { margin-top: 40px; padding-top: 10px; border-top: 1px solid var(--line); color: var(--muted); font-size: 11.5px; }
.deadline { margin: 14px 0 0; padding: 10px 14px; border-radius: 8px; border: 1.5px solid var(--high);
  background: #fff7ed; font-weight: 600; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.deadline.overdue { border-color: var(--critical); background: #fef2f2; color: var(--critical); }
.deadline .k { font-size: 11px; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); margin-right: 6px; }
.deadline a { font-weight: 400; font-size: 12px; margin-left: 6px; color: var(--accent); }
.no-rule { color: var(--high); }
svg.deadline-timeline { max-width: 100%; height: auto; }
@media (max-width: 800px) { .grid2 { grid-template-columns: 1fr; } .kpis { grid-template-columns: 1fr 1fr; } }
.prt, .mob { display: none; }
/* Phones: charts drawn for the width, tables stacked one row per card with labelled values. */
@media screen and (max-width: 640px) {
  main { padding: 16px 14px 32px; }
  header.top { flex-direction: column; gap: 10px; }
  .pills { justify-content: flex-start; }
  .kpis { gap: 8px; }
  .kpi .v { font-size: 19px; }
  .scr { display: none; }
  .mob { display: block; }
  svg.deadline-timeline { display: none; }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; }
  table.stack colgroup, table.stack thead { display: none; }
  table.stack tr { padding: 8px 0; border-bottom: 1px solid var(--line); }
  table.stack td { border: 0; padding: 1px 0; text-align: left; white-space: normal; }
  table.stack td.name { font-size: 13.5px; }
  table.stack td.n { display: inline-block; width: auto; margin-right: 16px; }
  table.stack td[data-label]::before { content: attr(data-label) ": "; color: var(--muted); font-size: 11px;
    text-transform: uppercase; letter-spacing: .04em; }
  table.stack td.ex { padding-left: 0; }
  table.stack td.ex span { display: inline; max-width: none; white-space: normal; overflow-wrap: anywhere; }
  table.stack td.ex span + span::before { content: " · "; color: var(--muted); }
  table.stack .conf { display: none; }
}
@page { size: A4; margin: 12mm 12mm; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h2 { margin-top: 18px; }
  section.table { break-before: auto; }
  col.c-name { width: 14%; } col.c-class { width: 31%; } col.c-conf { width: 10%; }
  col.c-fill { width: 8%; } col.c-distinct { width: 12%; } col.c-ex { width: 25%; }
  .conf { display: none; }
  th { font-size: 9px; }
  .kpi .v { font-size: 17px; }
  .kpis { grid-template-columns: repeat(3, 1fr); gap: 8px; }
  .grid2 { grid-template-columns: 1fr; gap: 0; }
  .scr { display: none; }
  .prt { display: block; }
  td.ex span { max-width: 200px; }
  a { color: inherit; text-decoration: none; }
}
"#;
