//! Key insights derived from the evidence. Each rule reads figures from the stored documents
//! through [`cite`] (so the figure printed is the figure cited); a rule whose figures are absent
//! emits nothing.

use crate::advisory::{Ctx, Insight};
use crate::evidence::{cite, cite_len, EvidenceRef};
use serde_json::Value;

fn insight(
    id: &str,
    title: String,
    text: String,
    evidence: Vec<Option<EvidenceRef>>,
) -> Option<Insight> {
    let evidence: Vec<EvidenceRef> = evidence.into_iter().flatten().collect();
    (!evidence.is_empty()).then(|| Insight {
        id: id.into(),
        title,
        text,
        evidence,
    })
}

/// Every insight the evidence supports, in reading order.
pub(crate) fn build(cx: &Ctx<'_>) -> Vec<Insight> {
    let mut out = Vec::new();
    out.extend(authenticity(cx));
    out.extend(supply_chain(cx));
    out.extend(verified_merchants(cx));
    out.extend(store_impersonation(cx));
    out.extend(passwords(cx));
    out.extend(scenarios(cx));
    out.extend(freshness(cx));
    out.extend(repost(cx));
    out.extend(scale(cx));
    out
}

fn top_list(cx: &Ctx<'_>, items: &[(String, u64)], unit: &str, total: u64) -> String {
    let t = cx.t;
    let mut v: Vec<String> = items
        .iter()
        .map(|(n, k)| {
            format!(
                "{n} ({})",
                t.fill(&format!("unit.{unit}"), &[("n", t.num(*k))])
            )
        })
        .collect();
    let more = total.saturating_sub(items.len() as u64);
    if more > 0 {
        v.push(t.fill("text.and_more", &[("n", t.num(more))]));
    }
    t.join(&v)
}

fn supply_chain(cx: &Ctx<'_>) -> Option<Insight> {
    let s = cx.view.scan.as_ref()?;
    let tn = s.value.tenants.as_ref().filter(|t| t.count >= 2)?;
    let k = tn.top.len().min(3);
    let top: Vec<(String, u64)> = tn.top[..k]
        .iter()
        .map(|x| (x.name.clone(), x.rows))
        .collect();
    let mut ev = vec![cite(s, "/tenants/count"), cite(s, "/tenants/column")];
    ev.extend((0..k).map(|i| cite(s, &format!("/tenants/top/{i}"))));
    let n = cx.t.num(tn.count);
    insight(
        "supply_chain",
        cx.t.fill("insight.supply_chain.title", &[("merchants", n.clone())]),
        cx.t.fill(
            "insight.supply_chain.text",
            &[
                ("merchants", n),
                ("column", tn.column.clone()),
                ("top", top_list(cx, &top, "rows", tn.count)),
            ],
        ),
        ev,
    )
}

fn verified_merchants(cx: &Ctx<'_>) -> Option<Insight> {
    let v = cx.view.verify.as_ref()?;
    if v.value.tenants.is_empty()
        || !matches!(v.value.verdict.as_str(), "authentic" | "inconclusive")
    {
        return None;
    }
    let k = v.value.tenants.len().min(3);
    let top: Vec<(String, u64)> = v.value.tenants[..k]
        .iter()
        .map(|x| {
            (
                x["tenant"].as_str().unwrap_or("").to_string(),
                x["customers"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let mut ev = vec![cite_len(v, "/tenants")];
    ev.extend((0..k).map(|i| cite(v, &format!("/tenants/{i}/customers"))));
    let t = cx.t;
    let n = t.num(v.value.tenants.len() as u64);
    let top = {
        let mut items: Vec<String> = top
            .iter()
            .map(|(name, c)| format!("{name} ({})", t.fill("unit.accounts", &[("n", t.num(*c))])))
            .collect();
        let more = v.value.tenants.len().saturating_sub(k);
        if more > 0 {
            items.push(t.fill("text.and_more", &[("n", t.num(more as u64))]));
        }
        t.join(&items)
    };
    insight(
        "verified_merchants",
        t.fill(
            "insight.verified_merchants.title",
            &[("merchants", n.clone())],
        ),
        t.fill(
            "insight.verified_merchants.text",
            &[("merchants", n), ("top", top)],
        ),
        ev,
    )
}

fn store_impersonation(cx: &Ctx<'_>) -> Option<Insight> {
    let s = cx.view.scan.as_ref()?;
    let tenants = s.value.tenants.as_ref().filter(|t| t.count >= 2)?;
    let _ = tenants;
    let contacts: Vec<(String, EvidenceRef)> = cx
        .classes()
        .into_iter()
        .filter(|(c, _)| c == "email" || c == "phone")
        .collect();
    if contacts.is_empty() {
        return None;
    }
    let orders: Vec<(String, EvidenceRef)> = cx
        .classes()
        .into_iter()
        .filter(|(c, _)| c == "order_id" || c == "product")
        .collect();
    let ids: Vec<&str> = contacts.iter().map(|(c, _)| c.as_str()).collect();
    let order_text = if orders.is_empty() {
        String::new()
    } else {
        let o: Vec<&str> = orders.iter().map(|(c, _)| c.as_str()).collect();
        format!(" ({})", cx.class_labels(&o))
    };
    let mut ev = vec![cite(s, "/tenants/count")];
    ev.extend(
        contacts
            .iter()
            .chain(orders.iter())
            .map(|(_, r)| Some(r.clone())),
    );
    insight(
        "store_impersonation",
        cx.t.t("insight.store_impersonation.title"),
        cx.t.fill(
            "insight.store_impersonation.text",
            &[("contacts", cx.class_labels(&ids)), ("orders", order_text)],
        ),
        ev,
    )
}

fn weak_algorithms(p: &leakscope_profile::ScanProfile) -> String {
    p.passwords
        .by_algorithm
        .iter()
        .filter(|a| a.weak)
        .map(|a| a.algorithm.clone())
        .collect::<Vec<_>>()
        .join(", ")
}

fn passwords(cx: &Ctx<'_>) -> Option<Insight> {
    let s = cx.view.scan.as_ref()?;
    let p = &s.value.passwords;
    if p.total == 0 {
        return None;
    }
    let weak = p.fast_or_unsalted.max(p.plaintext);
    let algos = weak_algorithms(&s.value);
    let t = cx.t;
    insight(
        "passwords",
        t.fill("insight.passwords.title", &[("total", t.num(p.total))]),
        t.fill(
            "insight.passwords.text",
            &[
                ("total", t.num(p.total)),
                ("weak", t.num(weak)),
                (
                    "algorithms",
                    if algos.is_empty() {
                        t.t("text.unknown")
                    } else {
                        algos
                    },
                ),
            ],
        ),
        vec![
            cite(s, "/passwords/total"),
            cite(s, "/passwords/fast_or_unsalted"),
            cite(s, "/passwords/plaintext"),
        ],
    )
}

/// One insight per sensitivity reason of the scan: the fraud and phishing scenarios its rules
/// name (password reasons are covered by the passwords insight).
fn scenarios(cx: &Ctx<'_>) -> Vec<Insight> {
    let Some(s) = cx.view.scan.as_ref() else {
        return Vec::new();
    };
    let t = cx.t;
    let has_pw = s.value.passwords.total > 0;
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (i, r) in s.value.sensitivity.reasons.iter().enumerate() {
        if has_pw && r.code.contains("password") {
            continue;
        }
        if !seen.insert(r.code.clone()) {
            continue;
        }
        let key = format!("scenario.{}", r.code);
        let vars = [
            ("people", t.num(s.value.individuals.estimate)),
            ("algorithms", weak_algorithms(&s.value)),
        ];
        let (title, text) = if t.has(&format!("{key}.title")) {
            (
                t.fill(&format!("{key}.title"), &vars),
                t.fill(&format!("{key}.text"), &vars),
            )
        } else {
            (r.code.clone(), r.text.clone())
        };
        let mut ev = vec![cite(s, &format!("/sensitivity/reasons/{i}/code"))];
        if r.code == "scale" {
            ev.push(cite(s, "/individuals/estimate"));
        }
        out.extend(insight(&format!("scenario:{}", r.code), title, text, ev));
    }
    out
}

fn freshness(cx: &Ctx<'_>) -> Vec<Insight> {
    let mut out = Vec::new();
    let t = cx.t;
    let pol = &t.policy.freshness;
    if let Some(s) = &cx.view.scan {
        if let (Some(newest), Some(age)) = (&s.value.records.newest, s.value.records.age_days) {
            let which = if age <= pol.fresh_days {
                Some("freshness_fresh")
            } else if age >= pol.stale_days {
                Some("freshness_stale")
            } else {
                None
            };
            if let Some(id) = which {
                let vars = [
                    ("newest", newest.chars().take(10).collect::<String>()),
                    ("age", t.num(age.max(0) as u64)),
                ];
                out.extend(insight(
                    id,
                    t.fill(&format!("insight.{id}.title"), &vars),
                    t.fill(&format!("insight.{id}.text"), &vars),
                    vec![cite(s, "/records/newest"), cite(s, "/records/age_days")],
                ));
            }
        }
    }
    if let Some(v) = &cx.view.verify {
        let c = &v.value.currency;
        if c["dated"].as_bool() == Some(true) {
            if let Some(as_of) = c["as_of"].as_str() {
                out.extend(insight(
                    "freshness_dated",
                    t.t("insight.freshness_dated.title"),
                    t.fill(
                        "insight.freshness_dated.text",
                        &[
                            ("as_of", as_of.to_string()),
                            ("stale", t.pct(c["stale_share"].as_f64().unwrap_or(0.0))),
                        ],
                    ),
                    vec![
                        cite(v, "/currency/dated"),
                        cite(v, "/currency/as_of"),
                        cite(v, "/currency/stale_share"),
                    ],
                ));
            }
        }
    }
    out
}

fn repost(cx: &Ctx<'_>) -> Option<Insight> {
    let o = cx.view.overlap.as_ref()?;
    let t = cx.t;
    let n = o.value.identifiers;
    if n == 0 {
        return None;
    }
    let share = |k: u64| t.pct(k as f64 / n as f64);
    match o.value.verdict.as_str() {
        "likely_repost" => {
            let top = o.value.breaches.first()?;
            insight(
                "repost",
                t.t("insight.repost.title"),
                t.fill(
                    "insight.repost.text",
                    &[
                        ("share", t.pct(top["share"].as_f64().unwrap_or(0.0))),
                        ("breach", top["breach"].as_str().unwrap_or("").to_string()),
                    ],
                ),
                vec![
                    cite(o, "/verdict"),
                    cite(o, "/breaches/0/share"),
                    cite(o, "/breaches/0/breach"),
                ],
            )
        }
        "likely_compilation" => insight(
            "compilation",
            t.t("insight.compilation.title"),
            t.fill(
                "insight.compilation.text",
                &[
                    ("share", share(o.value.known)),
                    ("breaches", t.num(o.value.breaches.len() as u64)),
                ],
            ),
            vec![
                cite(o, "/verdict"),
                cite(o, "/known"),
                cite(o, "/identifiers"),
                cite_len(o, "/breaches"),
            ],
        ),
        "new" => insight(
            "new_data",
            t.t("insight.new_data.title"),
            t.fill(
                "insight.new_data.text",
                &[("share", share(n - o.value.known.min(n)))],
            ),
            vec![
                cite(o, "/verdict"),
                cite(o, "/new"),
                cite(o, "/identifiers"),
            ],
        ),
        _ => None,
    }
}

fn authenticity(cx: &Ctx<'_>) -> Option<Insight> {
    let v = cx.view.verify.as_ref()?;
    let t = cx.t;
    let id = v.value.verdict.as_str();
    if !matches!(
        id,
        "authentic" | "fabricated" | "unrelated" | "inconclusive"
    ) {
        return None;
    }
    let f = |p: &str| v.json.pointer(p).and_then(Value::as_f64).unwrap_or(0.0);
    let vars = [
        ("match", t.pct(f("/match_share/value"))),
        ("consistency", t.pct(f("/consistency/value"))),
        ("customers", t.num(v.value.affected_customers)),
        ("reason", v.value.summary.trim_end_matches('.').to_string()),
    ];
    let mut ev = vec![cite(v, "/verdict"), cite(v, "/match_share/value")];
    match id {
        "authentic" | "fabricated" => {
            ev.push(cite(v, "/consistency/value"));
            ev.push(cite(v, "/affected_customers"));
        }
        "inconclusive" => ev.push(cite(v, "/summary")),
        _ => {}
    }
    insight(
        id,
        t.fill(&format!("insight.{id}.title"), &vars),
        t.fill(&format!("insight.{id}.text"), &vars),
        ev,
    )
}

fn scale(cx: &Ctx<'_>) -> Vec<Insight> {
    let Some(v) = &cx.view.verify else {
        return Vec::new();
    };
    let Some(x) = &v.value.extrapolation else {
        return Vec::new();
    };
    let t = cx.t;
    let claimed = x["claimed_rows"].as_u64().unwrap_or(0);
    let ours = x["reference_customers"].as_u64().unwrap_or(0);
    let mut out = Vec::new();
    if ours > 0 && claimed > ours && v.value.verdict != "unrelated" {
        out.extend(insight(
            "inflated",
            t.t("insight.inflated.title"),
            t.fill(
                "insight.inflated.text",
                &[
                    ("claimed", t.fill("unit.rows", &[("n", t.num(claimed))])),
                    ("customers", t.num(ours)),
                ],
            ),
            vec![
                cite(v, "/extrapolation/claimed_rows"),
                cite(v, "/extrapolation/reference_customers"),
            ],
        ));
    }
    if v.value.verdict == "authentic" {
        let c = |i: usize| x["customers"][i].as_u64().unwrap_or(0);
        out.extend(insight(
            "scale",
            t.t("insight.scale.title"),
            t.fill(
                "insight.scale.text",
                &[
                    ("claimed", t.num(claimed)),
                    ("estimate", t.num(c(0))),
                    ("low", t.num(c(1))),
                    ("high", t.num(c(2))),
                ],
            ),
            vec![
                cite(v, "/extrapolation/claimed_rows"),
                cite(v, "/extrapolation/customers/0"),
                cite(v, "/extrapolation/customers/1"),
                cite(v, "/extrapolation/customers/2"),
            ],
        ));
    }
    out
}
