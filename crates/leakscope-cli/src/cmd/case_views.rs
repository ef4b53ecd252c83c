//! `leakscope case` sub-commands that read or close a case: `show`, `list`, `close`, `reopen`,
//! `report`, `export`, `templates`.

use std::path::PathBuf;

use leakscope_cases::model::{Status, CASE_LIST_SCHEMA};
use leakscope_cases::render::{self, TerminalOptions};
use leakscope_cases::{store, CaseView};
use leakscope_db::Db;

use super::{
    check_lang, fail, open_db, parse_tlp, CaseArg, CloseArgs, Ctx, ExportArgs, ListArgs,
    ReportArgs, ShowArgs,
};
use crate::exit;

fn load(cx: &Ctx, key: &str) -> anyhow::Result<(Db, CaseView)> {
    let mut db = open_db(cx.database.as_deref())?;
    let case = store::resolve(&mut db, key).map_err(fail)?;
    let view = CaseView::load(&mut db, case.id).map_err(fail)?;
    Ok((db, view))
}

pub(super) fn show_cmd(cx: &Ctx, a: ShowArgs) -> anyhow::Result<i32> {
    let (_, view) = load(cx, &a.case)?;
    if cx.json {
        outln!("{}", serde_json::to_string_pretty(&view)?);
        return Ok(exit::OK);
    }
    let lang = check_lang(a.lang.as_deref().unwrap_or(&view.case.lang))?;
    let t = cx.templates(&lang)?;
    let adv = leakscope_cases::build_advisory(&view, &t, cx.env.now);
    out!(
        "{}",
        render::show(&adv, &t, TerminalOptions { color: cx.color })
    );
    Ok(exit::OK)
}

pub(super) fn list_cmd(cx: &Ctx, a: ListArgs) -> anyhow::Result<i32> {
    let status = match a.status.as_deref() {
        None => None,
        Some(s) => Some(Status::from_id(s).ok_or_else(|| {
            exit::with_code(exit::USAGE, format!("--status {s:?}: use open or closed"))
        })?),
    };
    let mut db = open_db(cx.database.as_deref())?;
    let cases = store::list(
        &mut db,
        &store::ListFilter {
            status,
            limit: a.limit,
            offset: 0,
        },
    )
    .map_err(fail)?;
    if cx.json {
        outln!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({"schema": CASE_LIST_SCHEMA, "cases": cases})
            )?
        );
    } else {
        out!(
            "{}",
            render::case_list(&cases, TerminalOptions { color: cx.color })
        );
    }
    Ok(exit::OK)
}

pub(super) fn close_cmd(cx: &Ctx, a: CloseArgs) -> anyhow::Result<i32> {
    let mut db = open_db(cx.database.as_deref())?;
    let case = store::resolve(&mut db, &a.case).map_err(fail)?;
    if case.status == Status::Closed {
        return Err(exit::with_code(
            exit::USAGE,
            format!("case #{} is already closed", case.id),
        ));
    }
    let at = match &a.at {
        Some(t) => cx.time(t, &case.timezone)?,
        None => leakscope_cases::time::fmt_utc(cx.env.now),
    };
    store::close(&mut db, case.id, &at, &a.reason, cx.env.actor.as_deref()).map_err(fail)?;
    outln!("closed case #{}", case.id);
    Ok(exit::OK)
}

pub(super) fn reopen_cmd(cx: &Ctx, a: CaseArg) -> anyhow::Result<i32> {
    let mut db = open_db(cx.database.as_deref())?;
    let case = store::resolve(&mut db, &a.case).map_err(fail)?;
    if case.status == Status::Open {
        return Err(exit::with_code(
            exit::USAGE,
            format!("case #{} is open", case.id),
        ));
    }
    let at = leakscope_cases::time::fmt_utc(cx.env.now);
    store::reopen(&mut db, case.id, &at, cx.env.actor.as_deref()).map_err(fail)?;
    outln!("re-opened case #{}", case.id);
    Ok(exit::OK)
}

fn write_out(out: Option<&PathBuf>, text: &str) -> anyhow::Result<()> {
    match out {
        Some(p) => std::fs::write(p, text).map_err(|e| {
            exit::with_code(exit::FAILURE, format!("cannot write {}: {e}", p.display()))
        }),
        None => {
            out!("{text}");
            Ok(())
        }
    }
}

pub(super) fn report_cmd(cx: &Ctx, a: ReportArgs) -> anyhow::Result<i32> {
    let (_, view) = load(cx, &a.case)?;
    let lang = check_lang(a.lang.as_deref().unwrap_or(&view.case.lang))?;
    let t = cx.templates(&lang)?;
    let adv = leakscope_cases::build_advisory(&view, &t, cx.env.now);
    let text = match a.format.as_str() {
        "md" | "markdown" => render::markdown(&adv, &t),
        "html" => render::html(&adv, &t),
        "json" => render::json(&adv) + "\n",
        f => {
            return Err(exit::with_code(
                exit::USAGE,
                format!("--format {f:?}: use md, html or json"),
            ))
        }
    };
    write_out(a.out.as_ref(), &text)?;
    Ok(exit::OK)
}

pub(super) fn export_cmd(cx: &Ctx, a: ExportArgs) -> anyhow::Result<i32> {
    let tlp = a.tlp.as_deref().map(parse_tlp).transpose()?;
    let (_, view) = load(cx, &a.case)?;
    let t = cx.templates(&view.case.lang)?;
    let adv = leakscope_cases::build_advisory(&view, &t, cx.env.now);
    let doc = match a.format.as_str() {
        "stix" | "stix2" | "stix2.1" => leakscope_cases::export::stix::bundle(&view, &adv, tlp),
        "misp" => leakscope_cases::export::misp::event(&view, &adv, tlp).map_err(fail)?,
        f => {
            return Err(exit::with_code(
                exit::USAGE,
                format!("--format {f:?}: use stix or misp"),
            ))
        }
    };
    write_out(
        a.out.as_ref(),
        &(serde_json::to_string_pretty(&doc)? + "\n"),
    )?;
    Ok(exit::OK)
}

pub(super) fn templates_cmd(out: &PathBuf) -> anyhow::Result<i32> {
    std::fs::create_dir_all(out)
        .map_err(|e| exit::with_code(exit::FAILURE, format!("{}: {e}", out.display())))?;
    for name in ["en", "vi", "zh", "policy"] {
        let p = out.join(format!("{name}.toml"));
        if p.exists() {
            eprintln!("leakscope: {} exists; left as it is", p.display());
            continue;
        }
        let text = leakscope_cases::templates::builtin_text(name).unwrap_or_default();
        std::fs::write(&p, text)
            .map_err(|e| exit::with_code(exit::FAILURE, format!("{}: {e}", p.display())))?;
        outln!("wrote {}", p.display());
    }
    outln!("edit them, then pass --templates {}", out.display());
    Ok(exit::OK)
}
