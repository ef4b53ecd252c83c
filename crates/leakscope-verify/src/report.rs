//! From counts to a verdict with evidence, currency, scope and extrapolation.

use crate::dates;
use crate::error::VerifyError;
use crate::index::Index;
use crate::stats::{min_trials, wilson};
use crate::tally::Tally;
use serde::Serialize;
use std::collections::BTreeMap;

/// Fewer informative rows than this is always inconclusive.
pub const MIN_ROWS: u64 = 10;
/// `unrelated` when the upper 95% bound of the match share is below this.
pub const UNRELATED_MAX: f64 = 0.10;
/// A verdict on consistency needs the lower 95% bound of the match share at least this.
pub const MATCH_MIN: f64 = 0.20;
/// `authentic` when the lower 95% bound of the consistent share (of judged rows) is at least this.
pub const AUTHENTIC_MIN: f64 = 0.70;
/// `fabricated` when the upper 95% bound of the consistent share is below this.
pub const FABRICATED_MAX: f64 = 0.50;
/// Currency flags a copy as dated when this share of consistent rows holds stale fields.
pub const STALE_SHARE: f64 = 0.05;

/// The four verdicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Most rows match our customers consistently.
    Authentic,
    /// Identifiers are ours but the combinations are not.
    Fabricated,
    /// Not our data.
    Unrelated,
    /// Too little data to say.
    Inconclusive,
}

/// A share with its 95% Wilson interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Share {
    /// Successes.
    pub k: u64,
    /// Trials.
    pub n: u64,
    /// k / n.
    pub value: f64,
    /// Lower 95% bound.
    pub lo: f64,
    /// Upper 95% bound.
    pub hi: f64,
}

impl Share {
    /// k of n.
    pub fn new(k: u64, n: u64) -> Share {
        let (lo, hi) = wilson(k, n);
        Share {
            k,
            n,
            value: if n == 0 { 0.0 } else { k as f64 / n as f64 },
            lo,
            hi,
        }
    }

    fn words(&self) -> String {
        format!(
            "{} of {} ({:.1}%, 95% CI {:.1}–{:.1}%)",
            self.k,
            self.n,
            self.value * 100.0,
            self.lo * 100.0,
            self.hi * 100.0
        )
    }
}

/// How current the matched data is.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Currency {
    /// Matched customers with a known last-update day.
    pub customers_with_dates: u64,
    /// Earliest / median / latest last-update day of matched customers.
    pub earliest_update: Option<String>,
    /// Median.
    pub median_update: Option<String>,
    /// Latest.
    pub latest_update: Option<String>,
    /// Consistent rows holding a field that differs from our current record.
    pub stale_rows: u64,
    /// stale_rows / consistent rows.
    pub stale_share: f64,
    /// Estimated snapshot month (`YYYY-MM`): the records as they were then.
    pub as_of: Option<String>,
    /// Days between the estimated snapshot and `today`.
    pub age_days: Option<i64>,
    /// True when the sample reflects an older state of our records.
    pub dated: bool,
    /// One sentence.
    pub statement: String,
}

/// One affected tenant.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TenantScope {
    /// Tenant id as held by the organisation.
    pub tenant: String,
    /// Distinct matched customers of this tenant.
    pub customers: u64,
    /// Of which matched consistently.
    pub consistent_customers: u64,
    /// Sample rows attributed to this tenant.
    pub rows: u64,
    /// Estimated rows of this tenant in the claimed total (with `--claimed-rows`).
    pub estimated_rows_in_claim: Option<u64>,
}

/// Extrapolation from the sample to the claimed total.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Extrapolation {
    /// `--claimed-rows`.
    pub claimed_rows: u64,
    /// Estimated rows of the claim that match our customers (point, 95% low, 95% high).
    pub matched_rows: [u64; 3],
    /// Estimated distinct customers affected (point, low, high), capped at our customer count.
    pub customers: [u64; 3],
    /// Customers in the reference index.
    pub reference_customers: u64,
    /// One sentence.
    pub statement: String,
}

/// One affected customer (the organisation's own ids only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AffectedCustomer {
    /// Customer id.
    pub customer_id: String,
    /// Tenant id.
    pub tenant: Option<String>,
    /// `consistent`, `uncorroborated` or `partial` (the strongest of its rows).
    pub matched: &'static str,
    /// Sample rows attributed to the customer.
    pub rows: u32,
}

/// The result of `leakscope verify` (`verify.json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerifyReport {
    /// `leakscope.verify/1`.
    pub schema: &'static str,
    /// The verdict.
    pub verdict: Verdict,
    /// The verdict in one sentence.
    pub summary: String,
    /// Sample rows read.
    pub sample_rows: u64,
    /// Rows with at least one identifier.
    pub informative_rows: u64,
    /// Rows matching a customer.
    pub matched_rows: u64,
    /// Consistent rows.
    pub consistent_rows: u64,
    /// Partial rows.
    pub partial_rows: u64,
    /// Uncorroborated rows.
    pub uncorroborated_rows: u64,
    /// Unmatched rows.
    pub unmatched_rows: u64,
    /// Distinct customers matched.
    pub affected_customers: u64,
    /// matched / informative.
    pub match_share: Share,
    /// consistent / (consistent + partial).
    pub consistency: Share,
    /// For `inconclusive`: sample rows needed for a verdict at the observed proportions.
    pub minimum_rows_needed: Option<u64>,
    /// Affected tenants, most customers first.
    pub tenants: Vec<TenantScope>,
    /// Matched customers without a tenant.
    pub customers_without_tenant: u64,
    /// Evidence in words and numbers.
    pub evidence: Vec<String>,
    /// Currency.
    pub currency: Currency,
    /// Extrapolation (with `--claimed-rows`).
    pub extrapolation: Option<Extrapolation>,
    /// Reference: source description, secret fingerprint, customers, build day.
    pub reference: BTreeMap<String, String>,
    /// Day of the analysis.
    pub today: String,
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn percentile(sorted: &[i32], q: f64) -> Option<i32> {
    (!sorted.is_empty()).then(|| sorted[((sorted.len() - 1) as f64 * q).round() as usize])
}

fn decide(t: &Tally, m: &Share, c: &Share) -> (Verdict, String, Option<u64>) {
    let inf = t.informative();
    let scale = |needed_judged: u64, judged: u64| {
        (needed_judged as f64 * t.rows as f64 / judged.max(1) as f64).ceil() as u64
    };
    if inf == 0 {
        return (Verdict::Inconclusive, "no sample row holds an identifier we can look up (email, phone, national id, username); map one with --map COLUMN=email".into(), None);
    }
    if m.hi < UNRELATED_MAX && inf >= MIN_ROWS {
        return (Verdict::Unrelated, format!("only {} of rows with identifiers match our customers (95% upper bound {} < {}): not our data", pct(m.value), pct(m.hi), pct(UNRELATED_MAX)), None);
    }
    if m.lo >= MATCH_MIN && inf >= MIN_ROWS {
        let judged = c.n;
        if judged == 0 {
            return (Verdict::Inconclusive, "identifiers match our customers, but no row carries a second field (name, address, another identifier) to show whether the rows themselves are real".into(), None);
        }
        if c.lo >= AUTHENTIC_MIN {
            return (Verdict::Authentic, format!("{} of checkable matched rows agree with the same customer in name/address/other identifiers (95% lower bound {} ≥ {})", pct(c.value), pct(c.lo), pct(AUTHENTIC_MIN)), None);
        }
        if c.hi < FABRICATED_MAX {
            return (Verdict::Fabricated, format!("identifiers are ours, but only {} of matched rows agree with the same customer (95% upper bound {} < {}): the combinations were made up", pct(c.value), pct(c.hi), pct(FABRICATED_MAX)), None);
        }
        let need = if c.value >= AUTHENTIC_MIN {
            min_trials(c.value, AUTHENTIC_MIN, true)
        } else {
            min_trials(c.value, FABRICATED_MAX, false)
        };
        let why = match need {
            Some(n) => format!("consistency {} is not yet conclusive; about {} checkable rows (≈ {} sample rows) are needed", pct(c.value), n, scale(n, judged)),
            None => format!("consistency {} lies between fabricated (< {}) and authentic (≥ {}): a mix of real and recombined rows", pct(c.value), pct(FABRICATED_MAX), pct(AUTHENTIC_MIN)),
        };
        return (Verdict::Inconclusive, why, need.map(|n| scale(n, judged)));
    }
    let need = if m.value >= MATCH_MIN {
        min_trials(m.value, MATCH_MIN, true)
    } else if m.value < UNRELATED_MAX {
        min_trials(m.value, UNRELATED_MAX, false)
    } else {
        None
    };
    let need = need.map(|n| scale(n.max(MIN_ROWS), inf));
    let why = match need {
        Some(n) => format!("{} informative rows are too few to decide; at least {} sample rows are needed at the observed match share {}", inf, n, pct(m.value)),
        None => format!("{} of rows match our customers: too many for unrelated data, too few to judge authenticity", pct(m.value)),
    };
    (Verdict::Inconclusive, why, need)
}

/// Builds the report and the affected-customer list.
pub fn build(
    t: &Tally,
    index: &Index,
    claimed_rows: Option<u64>,
    today: i32,
) -> Result<(VerifyReport, Vec<AffectedCustomer>), VerifyError> {
    let m = Share::new(t.matched(), t.informative());
    let c = Share::new(t.consistent, t.consistent + t.partial);
    let (verdict, summary, minimum_rows_needed) = decide(t, &m, &c);
    let mut affected = Vec::with_capacity(t.customers.len());
    let mut tenants: BTreeMap<String, TenantScope> = BTreeMap::new();
    let (mut fresh, mut stale, mut all) = (Vec::new(), Vec::new(), Vec::new());
    let mut without_tenant = 0;
    for (ord, h) in &t.customers {
        let cust = index.customer(*ord)?;
        let tenant = cust
            .tenant
            .and_then(|i| index.tenant(i))
            .map(str::to_string);
        let matched = if h.consistent > 0 {
            "consistent"
        } else if h.partial < h.rows {
            "uncorroborated"
        } else {
            "partial"
        };
        if let Some(u) = cust.updated {
            all.push(u);
            if h.stale > 0 {
                stale.push(u);
            } else if h.consistent > 0 {
                fresh.push(u);
            }
        }
        match &tenant {
            Some(tn) => {
                let e = tenants.entry(tn.clone()).or_insert_with(|| TenantScope {
                    tenant: tn.clone(),
                    customers: 0,
                    consistent_customers: 0,
                    rows: 0,
                    estimated_rows_in_claim: None,
                });
                e.customers += 1;
                e.consistent_customers += u64::from(h.consistent > 0);
                e.rows += u64::from(h.rows);
            }
            None => without_tenant += 1,
        }
        affected.push(AffectedCustomer {
            customer_id: cust.id,
            tenant,
            matched,
            rows: h.rows,
        });
    }
    affected.sort_by(|a, b| {
        a.tenant
            .cmp(&b.tenant)
            .then(a.customer_id.cmp(&b.customer_id))
    });
    let mut tenants: Vec<TenantScope> = tenants.into_values().collect();
    if let Some(n) = claimed_rows {
        for ts in &mut tenants {
            ts.estimated_rows_in_claim =
                Some((n as f64 * ts.rows as f64 / t.rows.max(1) as f64).round() as u64);
        }
    }
    tenants.sort_by(|a, b| b.customers.cmp(&a.customers).then(a.tenant.cmp(&b.tenant)));
    for v in [&mut fresh, &mut stale, &mut all] {
        v.sort_unstable();
    }
    let currency = currency(t, &fresh, &stale, &all, today);
    let extrapolation = claimed_rows.map(|n| extrapolate(n, t, &m, index.header().customers));
    let mut evidence = vec![format!(
        "{} sample rows with identifiers match one of our customers",
        m.words()
    )];
    let kinds = ["email", "phone", "national_id", "username"];
    let per_kind: Vec<String> = (0..4)
        .filter(|&i| t.kind_present[i] > 0)
        .map(|i| format!("{} {}/{}", kinds[i], t.kind_matched[i], t.kind_present[i]))
        .collect();
    if !per_kind.is_empty() {
        evidence.push(format!(
            "matches by identifier kind (rows matched/rows holding it): {}",
            per_kind.join(", ")
        ));
    }
    if c.n > 0 {
        evidence.push(format!("{} checkable matched rows agree with the same customer (name after normalisation, address tokens, other identifiers)", c.words()));
    }
    if t.partial > 0 {
        evidence.push(format!("{} rows are partial matches: an identifier is ours but the name or another identifier belongs to someone else", t.partial));
    }
    if t.uncorroborated > 0 {
        evidence.push(format!(
            "{} matched rows carry no second field to check",
            t.uncorroborated
        ));
    }
    if t.no_identifier > 0 {
        evidence.push(format!(
            "{} rows hold no identifier and were not judged",
            t.no_identifier
        ));
    }
    evidence.push(currency.statement.clone());
    if !tenants.is_empty() {
        evidence.push(format!(
            "{} distinct customers across {} tenants are affected",
            affected.len(),
            tenants.len()
        ));
    }
    if let Some(x) = &extrapolation {
        evidence.push(x.statement.clone());
    }
    evidence.extend(t.tables.iter().map(|s| format!("columns used — {s}")));
    let h = index.header();
    let reference = BTreeMap::from([
        ("source".to_string(), h.source.clone()),
        (
            "secret_fingerprint".to_string(),
            h.secret_fingerprint.clone(),
        ),
        ("customers".to_string(), h.customers.to_string()),
        ("identifiers".to_string(), h.entries.to_string()),
        (
            "built_at".to_string(),
            dates::format_day((h.built_at / 86_400) as i32),
        ),
    ]);
    let report = VerifyReport {
        schema: "leakscope.verify/1",
        verdict,
        summary,
        sample_rows: t.rows,
        informative_rows: t.informative(),
        matched_rows: t.matched(),
        consistent_rows: t.consistent,
        partial_rows: t.partial,
        uncorroborated_rows: t.uncorroborated,
        unmatched_rows: t.unmatched,
        affected_customers: affected.len() as u64,
        match_share: m,
        consistency: c,
        minimum_rows_needed,
        tenants,
        customers_without_tenant: without_tenant,
        evidence,
        currency,
        extrapolation,
        reference,
        today: dates::format_day(today),
    };
    Ok((report, affected))
}

fn currency(t: &Tally, fresh: &[i32], stale: &[i32], all: &[i32], today: i32) -> Currency {
    let mut c = Currency {
        customers_with_dates: all.len() as u64,
        earliest_update: all.first().map(|d| dates::format_day(*d)),
        median_update: percentile(all, 0.5).map(dates::format_day),
        latest_update: all.last().map(|d| dates::format_day(*d)),
        stale_rows: t.stale,
        stale_share: if t.consistent == 0 {
            0.0
        } else {
            t.stale as f64 / t.consistent as f64
        },
        ..Default::default()
    };
    if all.is_empty() {
        c.statement =
            "the reference has no last-update dates for the matched customers; currency unknown"
                .into();
        return c;
    }
    let snapshot = if c.stale_share >= STALE_SHARE && !stale.is_empty() {
        c.dated = true;
        Some(split_day(fresh, stale))
    } else {
        fresh.last().or(all.last()).copied()
    };
    if let Some(s) = snapshot {
        let (y, m, _) = dates::civil_from_days(s);
        c.as_of = Some(format!("{y:04}-{m:02}"));
        c.age_days = Some(i64::from(today - s));
        c.dated |= today - s > 365;
        c.statement = if c.stale_share >= STALE_SHARE {
            format!(
                "matches our records as they were in {} ({} of consistent rows hold phones/addresses we have since replaced): a copy taken around then, about {} days ago",
                dates::format_month(s),
                pct(c.stale_share),
                today - s
            )
        } else {
            format!("matches our current records; the most recently updated matched customers changed in {}", dates::format_month(s))
        };
    }
    c
}

/// The day that best separates customers whose matched rows equal our current record (last
/// updated before the copy) from those whose rows are stale (updated after it): the fewest
/// customers on the wrong side; ties go to the latest fresh day. Robust to updates that touch no
/// compared field (which put fresh customers after the split).
fn split_day(fresh: &[i32], stale: &[i32]) -> i32 {
    let mut best = (usize::MAX, stale[0] - 1);
    let mut cands: Vec<i32> = fresh.to_vec();
    cands.push(stale[0] - 1);
    for s in cands {
        let fresh_after = fresh.len() - fresh.partition_point(|d| *d <= s);
        let stale_before = stale.partition_point(|d| *d <= s);
        let err = fresh_after + stale_before;
        if err < best.0 || (err == best.0 && s > best.1 && fresh.binary_search(&s).is_ok()) {
            best = (err, s);
        }
    }
    best.1
}

fn extrapolate(n: u64, t: &Tally, m: &Share, reference_customers: u64) -> Extrapolation {
    let rows = t.rows.max(1) as f64;
    let inf_share = t.informative() as f64 / rows;
    let per = |share: f64| (n as f64 * inf_share * share).round() as u64;
    let matched = [per(m.value), per(m.lo), per(m.hi)];
    let dup = if t.matched() == 0 {
        1.0
    } else {
        t.customers.len() as f64 / t.matched() as f64
    };
    let customers = matched.map(|x| ((x as f64 * dup).round() as u64).min(reference_customers));
    let mut statement = format!(
        "if the claimed {n} rows resemble the sample, about {} of them ({}–{}) belong to our customers: ≈ {} distinct customers ({}–{}) of our {}",
        matched[0], matched[1], matched[2], customers[0], customers[1], customers[2], reference_customers
    );
    if (matched[1] as f64 * dup) > reference_customers as f64 {
        statement
            .push_str("; the claim exceeds our customer count, so it is inflated or repeats rows");
    }
    Extrapolation {
        claimed_rows: n,
        matched_rows: matched,
        customers,
        reference_customers,
        statement,
    }
}
