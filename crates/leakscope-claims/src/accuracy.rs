//! Field-level precision and recall of extracted claims against expected claims.
//!
//! A corpus directory holds posts (`NAME.txt`, `.md`, `.html`, `.eml`, `.json` …) each with
//! `NAME.expected.json`: `{"claims": [ {partial claim}, … ]}` (an empty list for a post that
//! makes no claim; `"item"` selects a message / item of a multi-item input, else claims pair in
//! order). Each claim is flattened into facts (one per kind, victim attribute, data class, date
//! …; see `docs/claims.md`); precision = matched / extracted facts, recall = matched / expected.
//! Victim names match leniently (legal forms ignored, one name's words inside the other's, or
//! the same domain).

use crate::extract::{extract, Options};
use crate::read::{read_path, Document};
use crate::rules::Rules;
use crate::text::fold;
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One fact: field name and value.
pub type Fact = (String, String);

/// Counts for one field.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    /// Extracted and expected.
    pub tp: usize,
    /// Extracted, not expected.
    pub fp: usize,
    /// Expected, not extracted.
    pub fn_: usize,
}

impl Counts {
    /// Precision (1 when nothing was extracted).
    pub fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }

    /// Recall (1 when nothing was expected).
    pub fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }

    fn add(&mut self, o: &Counts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
}

/// Result for one post file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileResult {
    /// Post file name.
    pub file: String,
    /// Totals.
    pub counts: Counts,
    /// Extracted facts that were not expected.
    pub false_positives: Vec<Fact>,
    /// Expected facts that were not extracted.
    pub false_negatives: Vec<Fact>,
    /// Filled fields without evidence (must be empty).
    pub evidence_gaps: Vec<String>,
}

/// The accuracy report (`leakscope.claim-accuracy/1`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Schema id.
    pub schema: String,
    /// Corpus directory.
    pub corpus: String,
    /// Posts read.
    pub files: usize,
    /// Claims expected.
    pub claims_expected: usize,
    /// Claims extracted.
    pub claims_extracted: usize,
    /// Totals over all fields.
    pub total: Counts,
    /// Precision over all fields.
    pub precision: f64,
    /// Recall over all fields.
    pub recall: f64,
    /// Per field.
    pub fields: BTreeMap<String, Counts>,
    /// Per file.
    pub per_file: Vec<FileResult>,
}

/// Flattens a claim (full or partial JSON) into facts. Victim names are keyed by their folded
/// core name; use [`align_victims`] first when comparing two claims.
pub fn facts(v: &Value) -> BTreeSet<Fact> {
    let mut out = BTreeSet::new();
    let s = |x: &Value| match x {
        Value::String(s) => s.clone(),
        Value::Number(n) => num(n.as_f64().unwrap_or(0.0)),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    };
    let mut put = |k: &str, v: String| {
        if !v.is_empty() {
            out.insert((k.to_string(), v));
        }
    };
    for k in arr(v, "kind") {
        put("kind", s(k));
    }
    if let Some(x) = v.get("status").filter(|x| !x.is_null()) {
        put("status", s(x));
    }
    for vic in arr(v, "victims") {
        let name = vic.get("name").map(&s).unwrap_or_default();
        let key = victim_key(&name);
        let role = vic
            .get("role")
            .map(&s)
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| "victim".into());
        put("victim", format!("{role}:{key}"));
        for field in ["domain", "country", "sector"] {
            if let Some(x) = vic.get(field).filter(|x| !x.is_null()) {
                put(
                    &format!("victim.{field}"),
                    format!("{key}={}", s(x).to_lowercase()),
                );
            }
        }
    }
    for a in arr(v, "actors") {
        put(
            "actor",
            fold(
                a.get("name")
                    .map(&s)
                    .unwrap_or_default()
                    .trim_start_matches('@'),
            ),
        );
    }
    if let Some(venue) = v.get("venue").filter(|x| !x.is_null()) {
        put("venue.kind", venue.get("kind").map(&s).unwrap_or_default());
        if let Some(n) = venue.get("name").filter(|x| !x.is_null()) {
            put("venue.name", fold(&s(n)));
        }
    }
    for c in arr(v, "contacts") {
        let kind = c.get("kind").map(&s).unwrap_or_default();
        put("contact.kind", kind.clone());
        if let Some(h) = c.get("handle").filter(|x| !x.is_null()) {
            put("contact.handle", format!("{kind}:{}", s(h).to_lowercase()));
        }
    }
    if let Some(p) = v.get("price").filter(|x| !x.is_null()) {
        put(
            "price",
            format!(
                "{} {}",
                p.get("amount").map(&s).unwrap_or_default(),
                p.get("currency").map(&s).unwrap_or_default()
            ),
        );
    }
    for r in arr(v, "records") {
        let n = r.get("count").map(&s).unwrap_or_default();
        put("records.count", n.clone());
        if let Some(u) = r.get("unit").filter(|x| !x.is_null()) {
            put("records.unit", format!("{n}:{}", s(u)));
        }
        if let Some(q) = r.get("qualifier").filter(|x| !x.is_null()) {
            put("records.qualifier", format!("{n}:{}", s(q)));
        }
    }
    if let Some(b) = v.get("size_bytes").filter(|x| !x.is_null()) {
        put("size_bytes", s(b));
    }
    for c in arr(v, "data_classes") {
        put("data_class", s(c));
    }
    for c in arr(v, "data_other") {
        put("data_other", s(c));
    }
    if let Some(sm) = v.get("sample").filter(|x| !x.is_null()) {
        if let Some(p) = sm.get("provided").filter(|x| !x.is_null()) {
            put("sample.provided", s(p));
        }
        for f in arr(sm, "formats") {
            put("sample.format", s(f));
        }
    }
    if let Some(Value::Object(dates)) = v.get("dates") {
        for (k, d) in dates {
            if let Some(val) = d.get("value").filter(|x| !x.is_null()) {
                put(&format!("date.{k}"), s(val));
            }
        }
    }
    if let Some(Value::Object(x)) = v.get("exposure") {
        for (k, val) in x {
            if !val.is_null() {
                put(&format!("exposure.{k}"), s(val));
            }
        }
    }
    for l in arr(v, "laws") {
        put("law", l.get("id").map(&s).unwrap_or_default());
    }
    for r in arr(v, "regulators") {
        put("regulator", r.get("id").map(&s).unwrap_or_default());
    }
    for p in arr(v, "penalties") {
        let kind = p.get("kind").map(&s).unwrap_or_default();
        let what = match p.get("amount").filter(|x| !x.is_null()) {
            Some(a) => format!("{} {}", s(a), p.get("currency").map(&s).unwrap_or_default()),
            None => format!(
                "{}% {}",
                p.get("percent").map(&s).unwrap_or_default(),
                p.get("basis").map(&s).unwrap_or_default()
            ),
        };
        put("penalty", format!("{kind}:{what}"));
    }
    out
}

fn num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e17 {
        format!("{}", x as i64)
    } else {
        format!("{}", (x * 10000.0).round() / 10000.0)
    }
}

fn arr<'a>(v: &'a Value, k: &str) -> impl Iterator<Item = &'a Value> {
    v.get(k).and_then(Value::as_array).into_iter().flatten()
}

/// Folded core of a victim name (legal forms at either end removed, punctuation dropped) used
/// as its key: "FooMart Pte. Ltd." → "foomart", "Công ty Cổ phần An Phát" → "an phat".
pub fn victim_key(name: &str) -> String {
    const SUFFIXES: [&str; 22] = [
        "pte ltd",
        "pte",
        "sdn bhd",
        "bhd",
        "berhad",
        "co ltd",
        "company limited",
        "ltd",
        "limited",
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "jsc",
        "joint stock company",
        "llc",
        "plc",
        "tbk",
        "public company limited",
        "pcl",
        "gmbh",
        "co",
    ];
    const PREFIXES: [&str; 8] = [
        "cong ty co phan",
        "cong ty cp",
        "cong ty tnhh mtv",
        "cong ty tnhh",
        "cong ty",
        "ctcp",
        "pt",
        "tap doan",
    ];
    const ZH: [&str; 5] = [
        "股份有限公司",
        "有限责任公司",
        "有限責任公司",
        "有限公司",
        "公司",
    ];
    let mut f = fold(name);
    for z in ZH {
        if let Some(x) = f.trim_end().strip_suffix(z) {
            f = x.to_string();
            break;
        }
    }
    let mut words: Vec<String> = f
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect();
    let strip_end = |words: &mut Vec<String>, affixes: &[&str], front: bool| loop {
        let hit = affixes.iter().find(|a| {
            let aw: Vec<&str> = a.split(' ').collect();
            words.len() > aw.len()
                && if front {
                    words[..aw.len()]
                        .iter()
                        .map(String::as_str)
                        .eq(aw.iter().copied())
                } else {
                    words[words.len() - aw.len()..]
                        .iter()
                        .map(String::as_str)
                        .eq(aw.iter().copied())
                }
        });
        match hit {
            Some(a) => {
                let n = a.split(' ').count();
                if front {
                    words.drain(..n);
                } else {
                    words.truncate(words.len() - n);
                }
            }
            None => break,
        }
    };
    strip_end(&mut words, &SUFFIXES, false);
    strip_end(&mut words, &PREFIXES, true);
    words.join(" ")
}

/// True when two victim names denote the same organisation for scoring.
pub fn same_victim(a: &str, b: &str) -> bool {
    let (ka, kb) = (victim_key(a), victim_key(b));
    if ka.is_empty() || kb.is_empty() {
        return false;
    }
    if ka == kb || ka.replace(' ', "") == kb.replace(' ', "") {
        return true;
    }
    let (short, long) = if ka.len() <= kb.len() {
        (&ka, &kb)
    } else {
        (&kb, &ka)
    };
    let long_words: Vec<&str> = long.split(' ').collect();
    let short_words: Vec<&str> = short.split(' ').collect();
    let cjk = short.chars().any(crate::text::is_cjk);
    if cjk {
        return short.chars().count() >= 2 && long.contains(short.as_str());
    }
    short_words.iter().all(|w| long_words.contains(w)) && short.len() >= 3
}

/// Renames the predicted claim's victims to the expected names they match, so their facts
/// compare equal.
pub fn align_victims(pred: &mut Value, expected: &Value) {
    let exp_names: Vec<(String, Option<String>)> = arr(expected, "victims")
        .map(|v| {
            (
                v.get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                v.get("domain").and_then(Value::as_str).map(str::to_string),
            )
        })
        .collect();
    if let Some(Value::Array(list)) = pred.get_mut("victims") {
        let mut taken = vec![false; exp_names.len()];
        for v in list.iter_mut() {
            let name = v
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let aliases: Vec<String> = v
                .get("aliases")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            let domain = v.get("domain").and_then(Value::as_str).map(str::to_string);
            let hit = exp_names.iter().enumerate().position(|(i, (en, ed))| {
                !taken[i]
                    && (same_victim(en, &name)
                        || aliases.iter().any(|a| same_victim(en, a))
                        || (ed.is_some() && *ed == domain))
            });
            if let Some(i) = hit {
                taken[i] = true;
                v["name"] = Value::String(exp_names[i].0.clone());
            }
        }
    }
}

/// Compares one predicted claim (or none) with one expected claim (or none).
pub fn compare(
    pred: Option<&Value>,
    expected: Option<&Value>,
) -> (Counts, Vec<Fact>, Vec<Fact>, BTreeMap<String, Counts>) {
    let mut p = pred.cloned().unwrap_or(Value::Null);
    if let Some(e) = expected {
        align_victims(&mut p, e);
    }
    let pf = if pred.is_some() {
        facts(&p)
    } else {
        BTreeSet::new()
    };
    let ef = expected.map(facts).unwrap_or_default();
    let mut per: BTreeMap<String, Counts> = BTreeMap::new();
    let mut c = Counts::default();
    let mut fps = Vec::new();
    let mut fns = Vec::new();
    for f in &pf {
        let e = per.entry(f.0.clone()).or_default();
        if ef.contains(f) {
            c.tp += 1;
            e.tp += 1;
        } else {
            c.fp += 1;
            e.fp += 1;
            fps.push(f.clone());
        }
    }
    for f in ef.difference(&pf) {
        c.fn_ += 1;
        per.entry(f.0.clone()).or_default().fn_ += 1;
        fns.push(f.clone());
    }
    (c, fps, fns, per)
}

/// Paths of filled fields in a claim document that have no evidence span (the evidence map
/// must hold the path or one of its prefixes).
pub fn evidence_gaps(claim: &Value) -> Vec<String> {
    let keys: Vec<String> = claim
        .get("evidence")
        .and_then(Value::as_object)
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    let mut gaps = Vec::new();
    let mut leaves = Vec::new();
    for field in [
        "kind",
        "status",
        "victims",
        "actors",
        "venue",
        "contacts",
        "price",
        "records",
        "size_bytes",
        "data_classes",
        "data_other",
        "sample",
        "dates",
        "exposure",
        "laws",
        "regulators",
        "penalties",
    ] {
        if let Some(v) = claim.get(field) {
            collect_leaves(field.to_string(), v, &mut leaves);
        }
    }
    for path in leaves {
        let covered = keys.iter().any(|k| {
            path == *k || path.starts_with(&format!("{k}.")) || path.starts_with(&format!("{k}["))
        });
        if !covered {
            gaps.push(path);
        }
    }
    gaps
}

fn collect_leaves(path: String, v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Null => {}
        Value::Bool(false) if path.ends_with("year_inferred") || path.ends_with("relative") => {}
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                collect_leaves(format!("{path}[{i}]"), x, out);
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                collect_leaves(format!("{path}.{k}"), x, out);
            }
        }
        Value::String(s) if s.is_empty() => {}
        _ => out.push(path),
    }
}

/// Post files of a corpus directory (every file with a sibling `.expected.json`), sorted.
pub fn corpus_files(dir: &Path) -> std::io::Result<Vec<(PathBuf, PathBuf)>> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir)? {
        let p = e?.path();
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if name.ends_with(".expected.json") || !p.is_file() {
            continue;
        }
        let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
        let exp = dir.join(format!("{stem}.expected.json"));
        if exp.is_file() {
            out.push((p, exp));
        }
    }
    out.sort();
    Ok(out)
}

/// Extracts every post of a corpus directory and scores it.
pub fn run_dir(dir: &Path, rules: &Rules) -> Result<Report, String> {
    let files = corpus_files(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut rep = Report {
        schema: "leakscope.claim-accuracy/1".into(),
        corpus: dir.display().to_string(),
        ..Report::default()
    };
    let opts = Options::default();
    for (post, exp) in files {
        let expected: Value = serde_json::from_str(
            &std::fs::read_to_string(&exp).map_err(|e| format!("{}: {e}", exp.display()))?,
        )
        .map_err(|e| format!("{}: {e}", exp.display()))?;
        let exp_claims: Vec<Value> = arr(&expected, "claims").cloned().collect();
        let docs: Vec<Document> = read_path(&post, None).map_err(|e| e.to_string())?;
        let preds: Vec<(Option<String>, Value)> = docs
            .iter()
            .filter_map(|d| extract(d, rules, &opts).map(|c| (d.item.clone(), c)))
            .map(|(item, c)| (item, serde_json::to_value(&c).unwrap_or(Value::Null)))
            .collect();
        rep.files += 1;
        rep.claims_expected += exp_claims.len();
        rep.claims_extracted += preds.len();
        let mut fr = FileResult {
            file: post
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default(),
            ..FileResult::default()
        };
        for (_, p) in &preds {
            fr.evidence_gaps.extend(evidence_gaps(p));
        }
        // Pair by item when the expectation names one, else in order.
        let mut used = vec![false; preds.len()];
        let mut pairs: Vec<(Option<usize>, Option<usize>)> = Vec::new();
        for (ei, e) in exp_claims.iter().enumerate() {
            let want = e.get("item").and_then(|i| match i {
                Value::String(s) => Some(s.clone()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            });
            let pi = match want {
                Some(w) => preds
                    .iter()
                    .position(|(item, _)| item.as_deref() == Some(w.as_str())),
                None => (0..preds.len()).find(|i| !used[*i]),
            };
            if let Some(i) = pi {
                used[i] = true;
            }
            pairs.push((pi, Some(ei)));
        }
        for (i, u) in used.iter().enumerate() {
            if !u {
                pairs.push((Some(i), None));
            }
        }
        for (pi, ei) in pairs {
            let (c, fps, fns, per) = compare(pi.map(|i| &preds[i].1), ei.map(|i| &exp_claims[i]));
            fr.counts.add(&c);
            fr.false_positives.extend(fps);
            fr.false_negatives.extend(fns);
            for (k, v) in per {
                rep.fields.entry(k).or_default().add(&v);
            }
        }
        rep.total.add(&fr.counts);
        rep.per_file.push(fr);
    }
    rep.precision = rep.total.precision();
    rep.recall = rep.total.recall();
    Ok(rep)
}
