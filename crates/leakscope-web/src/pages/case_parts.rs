//! The sections of the case page. The header holds the verdict, sensitivity, people, merchants
//! and the nearest deadline counting down; the main column the summary, insights, verify
//! evidence, merchants with their packs, obligations with drafts, mitigations, the scan's charts
//! and columns (`leakscope-profile`'s own renderers, not drawn again), the timeline, open
//! questions and the analysis history; the side column the actions (upload with live progress,
//! a note or an event, exports, close / re-open).

use super::case::{CaseData, Pack};
use super::{csrf_field, trusted};
use crate::auth::Auth;
use crate::fmt;
use leakscope_cases::evidence::EvidenceRef;
use leakscope_cases::model::{Status, USER_EVENT_KINDS};
use leakscope_cases::CaseView;
use maud::{html, Markup};
use serde_json::Value;
use std::collections::HashMap;

/// Merchants shown on the case page itself (the rest on the merchants page).
pub const MERCHANTS_ON_PAGE: usize = 50;

fn evidence(refs: &[EvidenceRef]) -> Markup {
    html! {
        @if !refs.is_empty() {
            details.ev {
                summary { "Evidence (" (refs.len()) ")" }
                ul {
                    @for r in refs {
                        li {
                            code { (r.kind) " #" (r.document) " " (r.pointer) }
                            " = "
                            (short_value(&r.value))
                            @if r.measure.as_deref() == Some("length") { " (count)" }
                            @if let Some(q) = &r.quote { " «" (leakscope_text::clean(q)) "»" }
                        }
                    }
                }
            }
        }
    }
}

fn short_value(v: &Value) -> String {
    let s = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let s = leakscope_text::clean(&s);
    if s.chars().count() > 120 {
        format!("{}…", s.chars().take(120).collect::<String>())
    } else {
        s
    }
}

/// The whole page body.
pub fn page_body(d: &CaseData, auth: &Auth) -> Markup {
    let c = &d.view.case;
    html! {
        (header(d))
        div.case-grid {
            div.case-main {
                (summary(d))
                (insights(d))
                (verify(d))
                section.card #merchants {
                    h2 { "Merchants affected" }
                    (merchants_table(&d.view, &d.packs, d.affected_csv, auth, MERCHANTS_ON_PAGE, d.reveal))
                }
                (obligations(d, auth))
                (mitigations(d))
                (profile(d, auth))
                (timeline(d))
                (questions(d))
                (history(d))
            }
            aside.case-side {
                @if c.status == Status::Open {
                    (upload(d, auth))
                    (add_event(d, auth))
                }
                (exports(d))
                (status_form(d, auth))
            }
        }
    }
}

fn header(d: &CaseData) -> Markup {
    let c = &d.view.case;
    let a = &d.advisory;
    let next = a
        .obligations
        .items
        .iter()
        .filter(|o| o.due_utc.is_some() && matches!(o.status.as_str(), "open" | "overdue"))
        .min_by(|x, y| x.due_utc.cmp(&y.due_utc));
    let verify = d.view.verify.as_ref();
    html! {
        section.case-header #case-header {
            div.titleline {
                h1 #case-title { span.caseno { "#" (c.id) } " " (fmt::leak_name(&c.title, d.reveal)) }
                div.pills {
                    (fmt::status_badge(c.status.id()))
                    (fmt::tlp_badge(c.tlp))
                    span.badge.muted { (c.lang) }
                    @if d.reveal { span.badge.bad #revealed-marker { "NAMES REVEALED" } }
                }
            }
            div.meta {
                span { "opened " (fmt::local(&c.created_at, &c.timezone)) }
                span { "aware " (a.case.aware_local) " (" (a.case.aware_basis.replace('_', " ")) ")" }
                @if let Some((at, why)) = &a.case.closed { span { "closed " (fmt::local(at, &c.timezone)) ": " (why) } }
                a.mobile-only href="#upload" { "Add a sample ↓" }
            }
            div.kpirow.five {
                div.kpi #kpi-verdict {
                    div.k { "Verdict" }
                    div.v { (fmt::verdict_badge(c.verdict.as_deref())) }
                    div.d {
                        @match verify {
                            Some(v) => { (fmt::num(v.value.affected_customers)) " of our customers matched" }
                            None => { "no sample verified yet" }
                        }
                    }
                }
                div.kpi #kpi-sensitivity {
                    div.k { "Sensitivity" }
                    div.v { (fmt::sensitivity_badge(c.sensitivity.as_deref())) }
                    div.d { @if let Some(s) = &d.view.scan { (s.value.data_classes.len()) " data classes" } @else { "from the claim only" } }
                }
                div.kpi #kpi-people {
                    div.k { "People" }
                    div.v { (fmt::opt_num(c.people)) }
                    div.d { @if let Some(s) = &d.view.scan { (fmt::num(s.value.rows)) " rows in the sample" } @else { "no sample yet" } }
                }
                div.kpi #kpi-merchants {
                    div.k { "Merchants" }
                    div.v { (fmt::opt_num(c.merchants)) }
                    div.d { @if c.merchants.is_some() { a href="#merchants" { "who and packs ↓" } } @else { "no tenant data" } }
                }
                div.kpi.deadline #kpi-deadline {
                    div.k { "Nearest deadline" }
                    @match next {
                        Some(o) => {
                            div.v { (fmt::countdown(o.due_utc.as_deref().unwrap_or_default(), d.now)) }
                            div.d { (o.recipient) " · " (o.jurisdiction) " · by " (o.due_local.as_deref().unwrap_or_default()) }
                        }
                        None => {
                            div.v { "–" }
                            div.d { @if a.obligations.items.is_empty() { "no obligation evaluated yet" } @else { "no open fixed deadline" } }
                        }
                    }
                }
            }
        }
    }
}

fn summary(d: &CaseData) -> Markup {
    html! {
        section.card #summary {
            h2 { "Summary" }
            @if d.advisory.summary.is_empty() { p.muted { "Nothing recorded yet." } }
            @for s in &d.advisory.summary {
                div.statement { p { (s.text) } (evidence(&s.evidence)) }
            }
        }
    }
}

fn insights(d: &CaseData) -> Markup {
    html! {
        section.card #insights {
            h2 { "Key insights" }
            @if d.advisory.insights.is_empty() {
                p.muted { "No insight the evidence supports yet (add a sample or a claim)." }
            }
            @for i in &d.advisory.insights {
                div.insight data-id=(i.id) {
                    h3 { (i.title) }
                    p { (i.text) }
                    (evidence(&i.evidence))
                }
            }
        }
    }
}

fn pct(v: &Value) -> String {
    v.as_f64()
        .map_or_else(|| "–".into(), |x| format!("{:.1}%", x * 100.0))
}

fn share(v: Option<&Value>) -> String {
    match v {
        Some(s) => format!(
            "{} of {} ({}; 95% CI {}–{})",
            fmt::num(s["k"].as_u64().unwrap_or(0)),
            fmt::num(s["n"].as_u64().unwrap_or(0)),
            pct(&s["value"]),
            pct(&s["lo"]),
            pct(&s["hi"])
        ),
        None => "–".into(),
    }
}

fn verify(d: &CaseData) -> Markup {
    let c = &d.view.case;
    html! {
        section.card #verify {
            h2 { "Is it ours? Verification" }
            @match &d.view.verify {
                None => {
                    @if c.reference.is_none() {
                        p.muted {
                            "No reference is set, so samples are not checked against our customers. "
                            "Set one with " code { "leakscope case add " (c.id) " --reference INDEX" }
                            @if !d.server_reference { " (or start the server with " code { "--case-reference" } " for cases opened here)" }
                            "."
                        }
                    } @else {
                        p.muted { "A reference is set; the next sample is verified against it." }
                    }
                }
                Some(v) => {
                    div.verdict-line {
                        (fmt::verdict_badge(Some(&v.value.verdict)))
                        span #verify-summary { (leakscope_text::clean(&v.value.summary)) }
                    }
                    table.facts {
                        tr { th { "Sample rows" } td { (fmt::num(v.value.sample_rows)) } }
                        tr { th { "Matched our customers" } td { (share(v.json.get("match_share"))) } }
                        tr { th { "Consistent with our records" } td { (share(v.json.get("consistency"))) } }
                        tr { th { "Customers affected" } td { (fmt::num(v.value.affected_customers)) } }
                        @if let Some(n) = v.value.minimum_rows_needed { tr { th { "Rows needed for a verdict" } td { (fmt::num(n)) } } }
                        @if let Some(s) = v.json.pointer("/currency/statement").and_then(Value::as_str) {
                            @if !s.is_empty() { tr { th { "Currency" } td { (leakscope_text::clean(s)) } } }
                        }
                        @if let Some(s) = v.json.pointer("/extrapolation/statement").and_then(Value::as_str) {
                            tr { th { "Extrapolation" } td { (leakscope_text::clean(s)) } }
                        }
                    }
                    @if let Some(ev) = v.json.get("evidence").and_then(Value::as_array) {
                        h3 { "Evidence" }
                        ul.evidence-list {
                            @for e in ev { li { (leakscope_text::display_message(e.as_str().unwrap_or_default())) } }
                        }
                    }
                    p.note { "verify document #" (v.meta.id) ", run " (v.meta.run) ", " (fmt::utc(&v.meta.created_at)) }
                }
            }
        }
    }
}

/// The merchants table: at most `limit` rows, each with its pack downloads.
pub fn merchants_table(
    view: &CaseView,
    packs: &HashMap<String, Pack>,
    csv: Option<i64>,
    auth: &Auth,
    limit: usize,
    reveal: bool,
) -> Markup {
    let id = view.case.id;
    let Some(v) = &view.verify else {
        let tenants = view.scan.as_ref().and_then(|s| s.value.tenants.as_ref());
        return html! {
            @match tenants {
                Some(t) => p.muted { (fmt::num(t.count)) " tenants (merchants) in the sample, column " (fmt::leak_name(&t.column, reveal)) "; verify against a reference to know which are ours and to get their packs." }
                None => p.muted { "No merchant data: no verify run and no tenant column in the sample." }
            }
        };
    };
    let tenants = &v.value.tenants;
    let can = auth.role().can_work();
    html! {
        @if tenants.is_empty() {
            p.muted { "The verify run names no merchant (no tenant column in the reference)." }
        } @else {
            p.muted {
                (fmt::num(tenants.len() as u64)) " merchants have matched customers; most affected first."
                @if !can { " Packs list customer ids: analysts download them." }
            }
            div.scroll {
                table.stack.merchants #merchant-table {
                    thead { tr { th { "Merchant" } th.n { "Customers" } th.n { "Consistent" } th.n { "Sample rows" } th { "Pack" } } }
                    tbody {
                        @for t in tenants.iter().take(limit) {
                            @let name = t["tenant"].as_str().unwrap_or_default();
                            @let pack = packs.get(&leakscope_verify::outputs::tenant_file_stem(name));
                            tr {
                                td.name { (fmt::leak_name(name, reveal)) }
                                td.n data-label="Customers" { (fmt::num(t["customers"].as_u64().unwrap_or(0))) }
                                td.n data-label="Consistent" { (fmt::num(t["consistent_customers"].as_u64().unwrap_or(0))) }
                                td.n data-label="Sample rows" { (fmt::num(t["rows"].as_u64().unwrap_or(0))) }
                                td data-label="Pack" {
                                    @match (pack, can) {
                                        (Some(p), true) => {
                                            @if let Some(a) = p.md { a href={"/cases/" (id) "/files/" (a)} download { "notice (.md)" } " " }
                                            @if let Some(a) = p.json { a href={"/cases/" (id) "/files/" (a)} download { ".json" } }
                                        }
                                        (Some(_), false) => { span.muted { "analysts" } }
                                        (None, _) => { span.muted { "–" } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            p {
                @if tenants.len() > limit {
                    a href={"/cases/" (id) "/merchants"} #all-merchants { "All " (fmt::num(tenants.len() as u64)) " merchants →" } " "
                }
                @if let (Some(a), true) = (csv, can) {
                    a href={"/cases/" (id) "/files/" (a)} download #affected-csv { "Affected customer ids (.csv)" }
                }
            }
        }
    }
}

fn state_class(s: &str) -> &'static str {
    match s {
        "overdue" => "overdue",
        "met" => "met",
        "met_late" => "met-late",
        "done" => "done",
        "open" => "open",
        _ => "",
    }
}

fn obligations(d: &CaseData, auth: &Auth) -> Markup {
    let o = &d.advisory.obligations;
    let drafts = d
        .view
        .obligations
        .as_ref()
        .map(|x| x.value.drafts.as_slice())
        .unwrap_or_default();
    let id = d.view.case.id;
    html! {
        section.card #obligations {
            h2 { "Obligations" @if let Some(b) = &o.basis { span.muted.small { " assessed from the " (b) } } }
            @if o.items.is_empty() {
                p.muted { "No notification obligation applies to what is known yet." }
            } @else {
                div.scroll {
                    table.stack.obligations-table {
                        thead { tr { th { "Duty" } th { "Recipient" } th { "Due" } th { "Status" } } }
                        tbody {
                            @for it in &o.items {
                                tr class=(state_class(&it.status)) data-rule=(it.rule_id) {
                                    td.name {
                                        strong { (it.jurisdiction) } " " (it.title)
                                        div.muted.small { (it.citation) }
                                        @for cav in &it.caveats { div.note.small { (cav) } }
                                    }
                                    td data-label="Recipient" { (it.recipient) div.muted.small { (it.channel) } }
                                    td data-label="Due" {
                                        @match (&it.due_utc, matches!(it.status.as_str(), "open" | "overdue")) {
                                            (Some(due), true) => {
                                                (fmt::countdown(due, d.now))
                                                div.muted.small { (it.due_local.as_deref().unwrap_or_default()) }
                                            }
                                            (Some(_), false) => { (it.due_local.as_deref().unwrap_or_default()) }
                                            (None, _) => { (it.deadline) }
                                        }
                                    }
                                    td data-label="Status" {
                                        span class={"state " (state_class(&it.status))} { (it.status.replace('_', " ")) }
                                        @if it.status == "open" && auth.role().can_work() {
                                            div.small.muted { "record it: “notified " (short_recipient(&it.recipient)) "”" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @for n in &o.notes { p.note { (n) } }
            @if !drafts.is_empty() {
                h3 { "Drafts" }
                @for (i, dr) in drafts.iter().enumerate() {
                    details.draft {
                        summary { (dr.file_name) " " span.muted { "(" (dr.audience) ", " (dr.lang) ")" } }
                        pre { (dr.markdown) }
                        a href={"/cases/" (id) "/drafts/" (i)} download { "Download " (dr.file_name) }
                    }
                }
            }
        }
    }
}

fn short_recipient(r: &str) -> String {
    r.split(['(', ',']).next().unwrap_or(r).trim().to_string()
}

fn mitigations(d: &CaseData) -> Markup {
    html! {
        section.card #mitigations {
            h2 { "Mitigations" }
            @if d.advisory.mitigations.is_empty() { p.muted { "None derived yet." } }
            @for m in &d.advisory.mitigations {
                div.mitigation class=(state_class(&m.status)) data-id=(m.id) {
                    div.row {
                        h3 { (m.title) }
                        span.spacer {}
                        span.badge.muted { (m.owner_label) }
                        span class={"state " (state_class(&m.status))} { (m.status) }
                    }
                    p { (m.text) }
                    p.small.muted { "due " (m.due_local) " · " (fmt::countdown(&m.due_utc, d.now)) }
                    (evidence(&m.evidence))
                }
            }
        }
    }
}

fn profile(d: &CaseData, auth: &Auth) -> Markup {
    let id = d.view.case.id;
    let frags = d.view.scan.as_ref().map(|s| {
        let mut p = s.value.clone();
        p.revealed = d.reveal;
        leakscope_profile::render::fragments(&p)
    });
    html! {
        section.card #profile {
            div.row {
                h2 { "What the sample holds" }
                span.spacer {}
                @if d.view.scan.is_some() && auth.role().can_reveal() && !d.reveal {
                    form.inline method="post" action={"/cases/" (id) "/reveal"} {
                        (csrf_field(auth))
                        button.linkish #reveal type="submit" title="Shows names from the leak (tables, columns, merchants) unmasked; the reveal is audited" { "Reveal names" }
                    }
                }
                @if d.reveal { a href={"/cases/" (id)} { "Mask again" } }
            }
            @match (&d.view.scan, &frags) {
                (Some(s), Some(f)) => {
                    div.lsp {
                        (trusted(f.kpis.clone()))
                        (trusted(f.reasons.clone()))
                        (trusted(f.charts.clone()))
                        (trusted(f.passwords.clone()))
                        (trusted(f.columns.clone()))
                        details { summary { "Reading: sources and diagnostics" } (trusted(f.reading.clone())) }
                    }
                    p.note { "scan document #" (s.meta.id) ", run " (s.meta.run) " · " a href={"/cases/" (id) "/view/report"} { "the full scan report" } }
                }
                _ => { p.muted { "No sample analysed yet. Upload one: the profile (classes per column, people, countries, dates, merchants) appears here." } }
            }
        }
    }
}

fn timeline(d: &CaseData) -> Markup {
    html! {
        section.card #timeline {
            h2 { "Timeline" }
            ol.tl {
                @for it in &d.advisory.timeline {
                    li class={(it.kind) " " (state_class(&it.state))} {
                        time datetime=(it.at) { (it.local) }
                        strong { (it.label) } " " (leakscope_text::clean(&it.text))
                        @if it.state == "overdue" { " " span.state.overdue { "overdue" } }
                    }
                }
            }
        }
    }
}

fn questions(d: &CaseData) -> Markup {
    html! {
        @if !d.advisory.questions.is_empty() {
            section.card #questions {
                h2 { "Open questions" }
                ul { @for q in &d.advisory.questions { li { (q.text) (evidence(&q.evidence)) } } }
            }
        }
    }
}

fn history(d: &CaseData) -> Markup {
    let shown: Vec<_> = d
        .view
        .artefacts
        .iter()
        .filter(|a| a.kind != "output")
        .collect();
    let outputs = d.view.artefacts.len() - shown.len();
    html! {
        section.card #history {
            h2 { "Analyses and files" }
            div.scroll {
                table.stack {
                    thead { tr { th { "Document" } th { "Run" } th { "Basis" } th { "Stored" } } }
                    tbody {
                        @for m in d.view.documents.iter().rev() {
                            tr { td.name { (m.kind) " #" (m.id) " " span.muted.small { (m.schema) } } td data-label="Run" { (m.run) } td data-label="Basis" { (m.basis) } td data-label="Stored" { (fmt::utc(&m.created_at)) } }
                        }
                    }
                }
            }
            @if !shown.is_empty() {
                h3 { "Files (by content hash; never copied into the database)" }
                ul.files {
                    @for a in shown {
                        li { span.badge.muted { (a.kind) } " " (fmt::leak_name(&a.name, d.reveal)) " " span.muted.small { (fmt::bytes(a.bytes)) " · sha256 " (a.sha256.get(..12).unwrap_or_default()) "…" } }
                    }
                }
            }
            @if outputs > 0 { p.note { (fmt::num(outputs as u64)) " output files written for the case (verify outputs, merchant packs)." } }
        }
    }
}

fn upload(d: &CaseData, auth: &Auth) -> Markup {
    let id = d.view.case.id;
    html! {
        section.card #upload {
            h2 { "Add a sample" }
            @if !auth.role().can_work() {
                p.muted #upload-denied { "Viewers cannot add samples." }
            } @else {
                form #upload-form method="post" action={"/cases/" (id) "/samples"} enctype="multipart/form-data" data-case=(id) {
                    (csrf_field(auth))
                    label for="sample-file" { "Files (any format leakscope reads; archives too)" }
                    input #sample-file type="file" name="sample" multiple required;
                    p.small.muted { "Up to " (fmt::bytes(d.upload_limit)) ". Scanned in the background: scan, "
                        @if d.view.case.reference.is_some() { "verify against the reference, " }
                        "re-post check, obligations." }
                    button.primary #upload-button type="submit" { "Upload and scan" }
                }
            }
            div #jobs data-follow=[d.follow] {
                @for j in &d.jobs {
                    (job_box(id, j))
                }
            }
        }
    }
}

/// A job's progress box (also drawn by `app.js` from the live status).
pub fn job_box(case: i64, j: &crate::jobs::JobStatus) -> Markup {
    html! {
        div.job data-job=(j.job) data-events={"/cases/" (case) "/jobs/" (j.job) "/events"} data-status={"/cases/" (case) "/jobs/" (j.job)} {
            div.row { strong { "Sample " (j.job) } span.spacer {} span.state.job-state { (j.state) } }
            progress max="100" value=[j.percent] {}
            div.small.job-stage { (j.stage) " · " (fmt::num(j.rows)) " rows" }
            noscript { p.small { "Reload the page to see the progress." } }
        }
    }
}

fn add_event(d: &CaseData, auth: &Auth) -> Markup {
    let id = d.view.case.id;
    html! {
        @if auth.role().can_work() {
            section.card #add-event {
                h2 { "Record an event or a note" }
                form.stacked method="post" action={"/cases/" (id) "/events"} #event-form {
                    (csrf_field(auth))
                    label for="event-kind" { "What" }
                    select #event-kind name="kind" {
                        @for k in USER_EVENT_KINDS { option value=(k) selected[*k == "note"] { (k) } }
                    }
                    label for="event-text" { "Text" }
                    input #event-text name="text" required maxlength="2000" placeholder="notified PDPC via the online form";
                    label for="event-at" { "When (" (d.view.case.timezone) "; empty: now)" }
                    input #event-at name="at" type="datetime-local";
                    button type="submit" #event-submit { "Record" }
                }
            }
        }
    }
}

fn exports(d: &CaseData) -> Markup {
    let id = d.view.case.id;
    html! {
        section.card #exports {
            h2 { "Advisory and exports" }
            p { a.button href={"/cases/" (id) "/view/advisory"} #view-advisory { "Read the advisory" } }
            ul.plain.exports {
                li { a href={"/cases/" (id) "/export/md"} download #export-md { "Advisory, Markdown" } }
                li { a href={"/cases/" (id) "/export/html"} download #export-html { "Advisory, HTML" } }
                li { a href={"/cases/" (id) "/export/json"} download #export-json { "Advisory, JSON" } }
                li { a href={"/cases/" (id) "/export/stix"} download #export-stix { "STIX 2.1 bundle" } }
                li { a href={"/cases/" (id) "/export/misp"} download #export-misp { "MISP event" } }
            }
            p.small.muted { "Sharing level " (d.view.case.tlp.label()) "; exports hold counts, classes and the claim, never raw personal data." }
        }
    }
}

fn status_form(d: &CaseData, auth: &Auth) -> Markup {
    let c = &d.view.case;
    html! {
        @if auth.role().can_work() {
            section.card #case-status {
                h2 { "Case status" }
                form.stacked method="post" action={"/cases/" (c.id) "/status"} {
                    (csrf_field(auth))
                    @if c.status == Status::Open {
                        input type="hidden" name="action" value="close";
                        label for="close-reason" { "Close with a reason" }
                        input #close-reason name="reason" required maxlength="500" placeholder="not our data / handled";
                        button type="submit" { "Close the case" }
                    } @else {
                        input type="hidden" name="action" value="reopen";
                        button type="submit" { "Re-open the case" }
                    }
                }
            }
        }
    }
}
