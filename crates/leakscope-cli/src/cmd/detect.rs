//! `leakscope detect`: debug one value against the detectors, or list the detectors.
//!
//! - `leakscope detect --value V [--header H] [--reveal]`: which detectors match `V` (masked
//!   unless `--reveal`), and the column decision for a one-value column with header `H`.
//! - `leakscope detect --rules [--json]`: the detectors (id, class, kind, validator, file).

use anyhow::Context;
use leakscope_detect::{mask, DataClass, Detectors};
use leakscope_text::{Col, TextTable};

/// Arguments of `leakscope detect`.
#[derive(clap::Args)]
#[command(after_help = "Examples:
  leakscope detect --value 0912345678                  which detectors accept it (masked)
  leakscope detect --value 079085001234 --header \"Số CCCD\"
  leakscope detect --rules                             every detector: class, kind, validator
  leakscope detect --accuracy                          confusion matrix on generated leaks

JSON: --value → leakscope.detect/1, --rules → leakscope.detectors/1, --accuracy →
leakscope.accuracy/1 (docs/schemas.md).")]
pub struct Args {
    /// A value to test against every detector.
    #[arg(long, conflicts_with = "rules")]
    value: Option<String>,
    /// Column header to use with `--value` (header evidence).
    #[arg(long, requires = "value")]
    header: Option<String>,
    /// Print the value and normalised forms unmasked.
    #[arg(long)]
    reveal: bool,
    /// List the built-in detectors.
    #[arg(long)]
    rules: bool,
    /// Measure column accuracy on generated labelled leaks written in every format (CSV, GB18030
    /// CSV, XLSX, NDJSON, SQL dumps) and read back; prints the confusion matrix.
    #[arg(long, conflicts_with_all = ["rules", "value"])]
    accuracy: bool,
    /// Rows per generated table for `--accuracy`.
    #[arg(long, default_value_t = 1000, requires = "accuracy")]
    rows: usize,
    /// Seed for `--accuracy`.
    #[arg(long, default_value_t = 42, requires = "accuracy")]
    seed: u64,
    /// JSON output.
    #[arg(long)]
    json: bool,
}

/// Runs the verb.
pub fn run(args: Args) -> anyhow::Result<i32> {
    let ds = Detectors::builtin();
    if args.rules {
        return list_rules(ds, args.json);
    }
    if args.accuracy {
        return accuracy(args.rows, args.seed, args.json);
    }
    let Some(value) = args.value.as_deref() else {
        return Err(crate::exit::with_code(
            crate::exit::USAGE,
            "give --value V or --rules",
        ));
    };
    let show = |class: DataClass, v: &str| {
        if args.reveal {
            v.to_string()
        } else {
            mask(class, v)
        }
    };
    let mut matches = Vec::new();
    for d in ds.detectors() {
        // Header-only catch-alls (any value, any password) say nothing about a value alone.
        if d.def.header_required && matches!(d.def.validator.as_str(), "any" | "password") {
            continue;
        }
        if let Some(f) = d.check(value.trim()) {
            matches.push(serde_json::json!({
                "detector": d.def.id,
                "class": d.class.id(),
                "kind": f.kind,
                "country": f.country,
                "normalized": f.normalized.as_deref().map(|n| show(d.class, n)),
                "date": f.date.map(|(y, m, day)| format!("{y:04}-{m:02}-{day:02}")),
                "header_required": d.def.header_required,
            }));
        }
    }
    let verdict = ds.classify_column(args.header.as_deref(), &[value]);
    if args.json {
        let out = serde_json::json!({
            "schema": "leakscope.detect/1",
            "matches": matches,
            "column": {"class": verdict.class.id(), "kind": verdict.kind, "confidence": verdict.confidence, "evidence": verdict.evidence},
        });
        outln!("{}", crate::show::json(&out).context("serialising JSON")?);
        return Ok(crate::exit::OK);
    }
    let shown = show(verdict.class, value);
    outln!(
        "value: {shown}{}",
        if args.reveal {
            ""
        } else {
            "  (masked; --reveal to show)"
        }
    );
    if matches.is_empty() {
        outln!("no detector matches");
    } else {
        let mut table = TextTable::new(
            &[
                Col::FIXED,
                Col::FIXED,
                Col::FIXED,
                Col::FIXED,
                Col::TEXT,
                Col::FIXED,
                Col::TEXT,
            ],
            &[
                "detector",
                "class",
                "kind",
                "cc",
                "normalized",
                "date",
                "note",
            ],
        )
        .indent(2);
        for m in &matches {
            let s = |k: &str| m[k].as_str().unwrap_or("-").to_string();
            let note = if m["header_required"].as_bool() == Some(true) {
                "counts only with a matching header"
            } else {
                ""
            };
            table.push([
                s("detector"),
                s("class"),
                s("kind"),
                s("country"),
                s("normalized"),
                s("date"),
                note.to_string(),
            ]);
        }
        out!("{}", table.render(crate::out::width()));
    }
    outln!(
        "as a one-value column: {} ({:.2}) — {}",
        verdict.class.id(),
        verdict.confidence,
        verdict.evidence
    );
    Ok(crate::exit::OK)
}

fn list_rules(ds: &Detectors, json: bool) -> anyhow::Result<i32> {
    if json {
        let rows: Vec<_> = ds
            .detectors()
            .iter()
            .map(|d| {
                serde_json::json!({
                    "id": d.def.id, "class": d.class.id(), "hibp": d.class.hibp_name(), "kind": d.def.kind,
                    "country": d.def.country, "validator": d.def.validator, "file": d.file,
                    "header_required": d.def.header_required, "strength": d.def.strength,
                    "header_keywords": d.def.header_keywords, "description": d.def.description,
                    "references": d.def.references,
                })
            })
            .collect();
        let doc = serde_json::json!({"schema": "leakscope.detectors/1", "detectors": rows});
        outln!("{}", crate::show::json(&doc).context("serialising JSON")?);
        return Ok(crate::exit::OK);
    }
    let mut table = TextTable::new(
        &[
            Col::FIXED,
            Col::FIXED,
            Col::TEXT,
            Col::FIXED,
            Col::TEXT,
            Col::TEXT,
            Col::FIXED,
        ],
        &["id", "class", "kind", "cc", "validator", "file", "header"],
    );
    for d in ds.detectors() {
        let text = |s: &str| s.to_string();
        table.push([
            text(&d.def.id),
            text(d.class.id()),
            text(d.def.kind.as_deref().unwrap_or("-")),
            text(d.def.country.as_deref().unwrap_or("-")),
            text(&d.def.validator),
            text(&d.file),
            text(if d.def.header_required {
                "required"
            } else {
                "optional"
            }),
        ]);
    }
    out!("{}", table.render(crate::out::width()));
    outln!("{} detectors", ds.detectors().len());
    Ok(crate::exit::OK)
}

/// `--accuracy`: writes labelled leaks to a temporary directory and measures.
fn accuracy(rows: usize, seed: u64, json: bool) -> anyhow::Result<i32> {
    use leakscope_detect::DataClass as C;
    let dir = std::env::temp_dir().join(format!("leakscope-accuracy-{}", std::process::id()));
    let run = super::accuracy::measure(&dir, rows, seed, 10_000);
    let _ = std::fs::remove_dir_all(&dir);
    let run = run?;
    let m = &run.matrix;
    let fp = |c: C| m.false_positives(c);
    if json {
        let doc = serde_json::json!({
            "schema": "leakscope.accuracy/1",
            "columns": m.total(),
            "accuracy": m.accuracy(),
            "false_positive_columns": {
                "national_id": fp(C::NationalId),
                "payment_card": fp(C::PaymentCard),
                "phone": fp(C::Phone),
            },
            "per_format": run.per_format.iter().map(|(f, n, ok)| serde_json::json!({"format": f, "columns": n, "correct": ok})).collect::<Vec<_>>(),
            "misses": run.misses,
        });
        outln!("{}", crate::show::json(&doc)?);
    } else {
        outln!("{}", m.render());
        let mut table = TextTable::new(
            &[Col::FIXED, Col::NUM, Col::NUM, Col::NUM],
            &["format", "correct", "columns", "accuracy"],
        )
        .indent(2);
        for (f, n, ok) in &run.per_format {
            table.push([
                f.to_string(),
                ok.to_string(),
                n.to_string(),
                format!("{:.1}%", 100.0 * *ok as f64 / (*n).max(1) as f64),
            ]);
        }
        outln!("per format:");
        out!("{}", table.render(crate::out::width()));
        outln!(
            "accuracy {:.2}% over {} columns; false national_id {} · payment_card {} · phone {}",
            100.0 * m.accuracy(),
            m.total(),
            fp(C::NationalId),
            fp(C::PaymentCard),
            fp(C::Phone)
        );
        if !run.misses.is_empty() {
            outln!("misses:");
            for miss in &run.misses {
                outln!(
                    "  {}: expected {}, got {}",
                    miss.column,
                    miss.expected,
                    miss.predicted
                );
            }
        }
    }
    Ok(crate::exit::OK)
}
