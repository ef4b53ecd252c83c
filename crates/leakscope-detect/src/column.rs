//! The column decision: header evidence + value evidence → one class, a confidence, evidence.

use crate::context::HeaderRole;
use crate::distribution::{round_share, sequential, top_prefix_share, unique_share};
use crate::validators::dates_util::today;
use crate::{ColumnVerdict, DataClass, Detectors};
use std::collections::HashMap;

/// Header classes that contradict an identifier reading of look-alike values.
const CONTRARY: [DataClass; 10] = [
    DataClass::OrderId,
    DataClass::Amount,
    DataClass::Product,
    DataClass::Timestamp,
    DataClass::DateOfBirth,
    DataClass::PostalCode,
    DataClass::BankAccount,
    DataClass::Merchant,
    DataClass::Gender,
    DataClass::Other,
];

/// Values that mean "no value".
fn nullish(v: &str) -> bool {
    matches!(
        v,
        "-" | "--"
            | "null"
            | "NULL"
            | "Null"
            | "\\N"
            | "N/A"
            | "n/a"
            | "NA"
            | "none"
            | "None"
            | "nil"
            | "undefined"
    )
}

fn idx(c: DataClass) -> usize {
    DataClass::ALL
        .iter()
        .position(|x| *x == c)
        .unwrap_or(DataClass::ALL.len() - 1)
}

/// Plural label for a class in evidence lines.
pub(crate) fn class_label(c: DataClass) -> &'static str {
    match c {
        DataClass::PersonName => "person names",
        DataClass::Email => "e-mail addresses",
        DataClass::Phone => "phone numbers",
        DataClass::NationalId => "national IDs",
        DataClass::Address => "postal addresses",
        DataClass::PostalCode => "postal codes",
        DataClass::DateOfBirth => "dates of birth",
        DataClass::Gender => "gender values",
        DataClass::PasswordHash => "password hashes",
        DataClass::Password => "passwords",
        DataClass::PaymentCard => "payment card numbers",
        DataClass::PaymentCardPartial => "masked card numbers",
        DataClass::BankAccount => "bank account numbers",
        DataClass::IpAddress => "IP addresses",
        DataClass::Username => "usernames",
        DataClass::OrderId => "order ids",
        DataClass::Amount => "money amounts",
        DataClass::Timestamp => "timestamps",
        DataClass::Product => "products",
        DataClass::Merchant => "merchants",
        DataClass::Other => "other values",
    }
}

/// `10000` → `10,000`.
pub(crate) fn thousands(n: usize) -> String {
    leakscope_text::thousands(n as u64)
}

pub(crate) fn pct(x: f64) -> String {
    format!("{:.0}%", (x * 100.0).floor())
}

/// Counts gathered over the sample.
pub(crate) struct Tally {
    pub(crate) n: usize,
    class_hits: [usize; 21],
    det_hits: Vec<usize>,
    kinds: HashMap<(usize, &'static str), usize>,
    /// Normalised phone values (for prefix checks).
    phones: Vec<String>,
    /// (year, kind) of values parsed by the timestamp detector.
    dates: Vec<(i32, &'static str)>,
    /// Values validated as phones of their row's country.
    phone_in_country: usize,
}

fn tally(
    ds: &Detectors,
    header_class: Option<DataClass>,
    vals: &[&str],
    countries: &[Option<&'static str>],
) -> Tally {
    let dets = ds.detectors();
    let mut t = Tally {
        n: vals.len(),
        class_hits: [0; 21],
        det_hits: vec![0; dets.len()],
        kinds: HashMap::new(),
        phones: Vec::new(),
        dates: Vec::new(),
        phone_in_country: 0,
    };
    let eligible: Vec<usize> = (0..dets.len())
        .filter(|&i| !dets[i].def.header_required || header_class == Some(dets[i].class))
        .collect();
    // Repeated values (shop names, products, amounts) are checked once and counted with their
    // multiplicity, in order of first appearance: the tally is the same, for less work.
    // With a country per row (phones), the same digits can be valid in one row's country and
    // not in another's: values are distinct per (value, country).
    let mut distinct: Vec<(&str, Option<&'static str>, usize)> = Vec::new();
    let mut position: HashMap<(&str, Option<&'static str>), usize> =
        HashMap::with_capacity(vals.len());
    for (i, &v) in vals.iter().enumerate() {
        let c = countries.get(i).copied().flatten();
        match position.get(&(v, c)) {
            Some(&i) => distinct[i].2 += 1,
            None => {
                position.insert((v, c), distinct.len());
                distinct.push((v, c, 1));
            }
        }
    }
    let phone_ci = idx(DataClass::Phone);
    for (v, country, w) in distinct {
        let mut seen = [false; 21];
        if let Some(f) = country.and_then(|c| crate::validators::phone::phone_in(v, c)) {
            seen[phone_ci] = true;
            t.class_hits[phone_ci] += w;
            t.phone_in_country += w;
            if let Some(p) = f.normalized {
                t.phones.extend(std::iter::repeat_n(p, w));
            }
        }
        for &i in &eligible {
            let d = &dets[i];
            let ci = idx(d.class);
            if seen[ci] && d.class != DataClass::Timestamp && !d.def.header_required {
                continue;
            }
            if let Some(f) = d.check(v) {
                t.det_hits[i] += w;
                if !seen[ci] {
                    seen[ci] = true;
                    t.class_hits[ci] += w;
                    if let Some(k) = f.kind {
                        *t.kinds.entry((ci, k)).or_default() += w;
                    }
                    if d.class == DataClass::Phone {
                        if let Some(p) = &f.normalized {
                            t.phones.extend(std::iter::repeat_n(p.clone(), w));
                        }
                    }
                }
                if d.class == DataClass::Timestamp {
                    if let (Some((y, _, _)), Some(k)) = (f.date, f.kind) {
                        t.dates.extend(std::iter::repeat_n((y, k), w));
                    }
                }
            }
        }
    }
    t
}

/// Date of birth or event timestamp, from the header or the values.
fn date_class(
    header_class: Option<DataClass>,
    dates: &[(i32, &'static str)],
) -> (DataClass, &'static str) {
    if let Some(h @ (DataClass::DateOfBirth | DataClass::Timestamp)) = header_class {
        return (h, "header");
    }
    if dates.is_empty() {
        return (DataClass::Timestamp, "values");
    }
    let n = dates.len() as f64;
    let timed = dates.iter().filter(|(_, k)| *k != "date").count() as f64 / n;
    if timed >= 0.5 {
        return (DataClass::Timestamp, "time of day / Unix time in values");
    }
    let now = today().0;
    let in_life = dates
        .iter()
        .filter(|(y, _)| (now - 110..=now).contains(y))
        .count() as f64
        / n;
    let old = dates.iter().filter(|(y, _)| *y <= now - 10).count() as f64 / n;
    if in_life >= 0.95 && old >= 0.8 {
        (
            DataClass::DateOfBirth,
            "years span a lifetime, mostly >10 years ago",
        )
    } else {
        (DataClass::Timestamp, "recent years")
    }
}

/// Why an identifier reading of the values is rejected, if it is.
fn lookalike(
    class: DataClass,
    vals: &[&str],
    t: &Tally,
    header_class: Option<DataClass>,
) -> Option<&'static str> {
    // A header that names the class over values that nearly all validate is not undone by
    // order: exports sorted by phone or ID number step by small amounts too.
    let named_and_valid =
        header_class == Some(class) && t.class_hits[idx(class)] as f64 >= 0.95 * t.n as f64;
    if sequential(vals) && !named_and_valid {
        return Some("values are sequential");
    }
    if class == DataClass::Phone {
        // Country code + 5 national digits shared by half the values: an id series, not phones.
        let prefix_len = t.phones.first().map_or(8, |p| {
            if p.starts_with("+1") || p.starts_with("+7") {
                7
            } else {
                8
            }
        });
        let named = header_class == Some(DataClass::Phone);
        let limit = if named { 0.9 } else { 0.5 };
        if t.phones.len() >= 20 && top_prefix_share(&t.phones, prefix_len) >= limit {
            return Some("values share a long constant prefix");
        }
        // Bare digit strings mostly ending in 000 are prices; a phone header, or numbers
        // written as phones are written, say otherwise (business lines end in 000 too).
        if !named && round_share(vals) >= 0.3 {
            return Some("values are round numbers");
        }
    }
    None
}

/// Classes with their shares of a column's values.
pub(crate) type Shares = Vec<(DataClass, f64)>;

/// Everything one column decision looks at besides the detectors.
pub(crate) struct ColumnInput<'a> {
    /// The header, when the table has one.
    pub header: Option<&'a str>,
    /// Row-aligned values (empty for a missing cell).
    pub values: &'a [&'a str],
    /// What the table context says about the header.
    pub role: HeaderRole,
    /// The country of each row (phones are validated against it), when the table tells.
    pub countries: &'a [Option<&'static str>],
}

/// Decides one column without table context.
pub(crate) fn classify(ds: &Detectors, header: Option<&str>, values: &[&str]) -> ColumnVerdict {
    let role = match header {
        Some(h) => {
            let kw = ds.header_hit(h).map(|x| ds.detectors()[x.detector].class);
            crate::context::header_role(h, None, kw)
        }
        None => HeaderRole::Keywords,
    };
    classify_in(
        ds,
        &ColumnInput {
            header,
            values,
            role,
            countries: &[],
        },
    )
}

fn share_of(vals: &[&str], f: impl Fn(&str) -> bool) -> f64 {
    if vals.is_empty() {
        return 0.0;
    }
    vals.iter().filter(|v| f(v)).count() as f64 / vals.len() as f64
}

fn other_kind(kind: &str, evidence: String) -> ColumnVerdict {
    verdict(DataClass::Other, Some(kind.to_string()), 0.8, evidence, 0.0)
}

/// Decides one column with its table context.
pub(crate) fn classify_in(ds: &Detectors, input: &ColumnInput<'_>) -> ColumnVerdict {
    let dets = ds.detectors();
    let header = input.header.map(str::trim).filter(|h| !h.is_empty());
    let mut hit = header.and_then(|h| ds.header_hit(h));
    let mut header_class = hit.as_ref().map(|h| dets[h.detector].class);
    let mut vals: Vec<&str> = Vec::with_capacity(input.values.len());
    let mut countries: Vec<Option<&'static str>> = Vec::new();
    for (i, v) in input.values.iter().enumerate() {
        let v = v.trim();
        if v.is_empty() || nullish(v) {
            continue;
        }
        vals.push(v);
        if !input.countries.is_empty() {
            countries.push(input.countries.get(i).copied().flatten());
        }
    }
    let h = header.unwrap_or("");
    let mut values_decide_names = false;
    match &input.role {
        HeaderRole::Keywords => {}
        HeaderRole::Class(c) => {
            header_class = Some(*c);
            if hit.as_ref().is_some_and(|x| dets[x.detector].class != *c) {
                hit = None;
            }
        }
        HeaderRole::Values => {
            header_class = None;
            hit = None;
            values_decide_names = true;
        }
        HeaderRole::Other(kind) => {
            return other_kind(kind, format!("header {h} names no personal data ({kind})"));
        }
        HeaderRole::Key => {
            if !vals.is_empty() && share_of(&vals, crate::context::key_value) >= 0.95 {
                return other_kind(
                    "key",
                    format!("header {h} names a key and its values are integer or UUID keys"),
                );
            }
        }
        HeaderRole::Coordinate => {
            let numeric = |v: &str| crate::context::coordinate(v) || v.parse::<f64>().is_ok();
            if !vals.is_empty() && share_of(&vals, numeric) >= 0.8 {
                return other_kind(
                    "coordinate",
                    format!("header {h} names a coordinate and its values are numbers"),
                );
            }
        }
        HeaderRole::Location => {
            let addr = share_of(&vals, |v| {
                ds.check_value(DataClass::Address, None, v).is_some()
            });
            if addr < 0.5 {
                return other_kind(
                    "location",
                    format!(
                        "header {h} names a place (city, region, country), not a postal address"
                    ),
                );
            }
            header_class = Some(DataClass::Address);
        }
    }
    // Coordinates in any notation are numbers, never identifiers, whatever the header says.
    if !vals.is_empty() && share_of(&vals, crate::context::coordinate) >= 0.8 {
        return other_kind(
            "coordinate",
            format!(
                "{} of {} sampled values are coordinates (decimal degrees){}",
                pct(share_of(&vals, crate::context::coordinate)),
                thousands(vals.len()),
                header.map(|h| format!("; header {h}")).unwrap_or_default()
            ),
        );
    }
    if header_class.is_none_or(|c| c == DataClass::Other)
        && vals.len() >= 3
        && share_of(&vals, crate::context::uuid) >= 0.9
    {
        return other_kind("uuid", "values are UUIDs (keys)".to_string());
    }
    let header_note = |class: DataClass| match (header, header_class) {
        (Some(h), Some(hc)) if hc == class => format!("; header {h}"),
        (Some(h), Some(hc)) => format!("; header {h} suggests {}", hc.id()),
        _ => String::new(),
    };
    if vals.is_empty() {
        let class = header_class
            .filter(|c| !c.is_sensitive_identifier())
            .unwrap_or(DataClass::Other);
        return verdict(
            class,
            None,
            if class == DataClass::Other { 0.0 } else { 0.3 },
            format!("no non-empty values{}", header_note(class)),
            0.0,
        );
    }
    if values_decide_names || header_class.is_none() {
        if let Some(v) = crate::validators::names::name_column(&vals, h, values_decide_names) {
            return v;
        }
    }
    let t = tally(ds, header_class, &vals, &countries);
    let n = t.n as f64;
    let share = |c: DataClass| t.class_hits[idx(c)] as f64 / n;
    let mut rejected: Vec<String> = Vec::new();
    let mut best: Option<(f64, DataClass)> = None;
    for c in DataClass::ALL {
        let s = share(c);
        let header_match = header_class == Some(c);
        if s == 0.0 && !header_match {
            continue;
        }
        if c == DataClass::DateOfBirth {
            continue; // decided together with Timestamp
        }
        // Strength of the detector of this class that validated most values.
        let top = ds.class_indices(c).iter().copied().max_by_key(|&i| {
            (
                t.det_hits[i],
                !dets[i].def.header_required,
                std::cmp::Reverse(i),
            )
        });
        let strength = top.map_or(0.5, |i| dets[i].def.strength);
        if c.is_sensitive_identifier() {
            let min = if header_match { 0.6 } else { 0.9 };
            if s < min {
                continue;
            }
            // A generic header ("id", "no") does not outweigh check digits that nearly all pass.
            let generic_ok =
                header_class == Some(DataClass::Other) && c != DataClass::Phone && s >= 0.95;
            if let Some(hc) = header_class.filter(|hc| CONTRARY.contains(hc) && !generic_ok) {
                rejected.push(format!("not {}: header names {}", c.id(), hc.id()));
                continue;
            }
            if let Some(why) = lookalike(c, &vals, &t, header_class) {
                rejected.push(format!("not {}: {why}", c.id()));
                continue;
            }
        } else if !header_match && !value_evidence_ok(c, &vals, &t) {
            continue;
        } else if header_match && s < 0.3 && checkable(ds, c) {
            // A header alone does not make an e-mail / IP / hash column when values say otherwise
            // (`email_verified: true`).
            continue;
        }
        let score = s * strength + if header_match { 0.45 } else { 0.0 };
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, c));
        }
    }
    // Mixed contact columns: e-mails and phones side by side.
    let (e, p) = (share(DataClass::Email), share(DataClass::Phone));
    let phone_ok = lookalike(DataClass::Phone, &vals, &t, header_class).is_none();
    if e >= 0.1 && p >= 0.1 && e + p >= 0.8 && e.max(p) < 0.9 && phone_ok {
        let class = if e >= p {
            DataClass::Email
        } else {
            DataClass::Phone
        };
        let mut v = verdict(
            class,
            None,
            ((e + p).min(1.0) * 0.9 * 100.0).round() / 100.0,
            format!(
                "mixed column: {} e-mail addresses and {} phone numbers of {} sampled values{}",
                pct(e),
                pct(p),
                thousands(t.n),
                header_note(class)
            ),
            share(class),
        );
        v.mixed = vec![(DataClass::Email, e), (DataClass::Phone, p)];
        return v;
    }
    let Some((score, mut class)) = best.filter(|(s, _)| *s >= 0.4) else {
        return crate::freetext::other(ds, header, header_class, &vals, &t, &rejected);
    };
    let mut s = share(class);
    let mut how = String::new();
    if class == DataClass::Timestamp {
        let (c, why) = date_class(header_class, &t.dates);
        class = c;
        how = format!(" ({why})");
        s = s.max(share(c));
    }
    let kind = column_kind(ds, class, hit.as_ref().map(|h| h.detector), &t);
    let label = top_label(ds, class, &t);
    let header_match = header_class == Some(class);
    let evidence = if s > 0.0 {
        format!(
            "{} of {} sampled values are valid {label}{how}{}",
            pct(s),
            thousands(t.n),
            header_note(class)
        )
    } else {
        format!(
            "header {} names {}; values not checkable",
            header.unwrap_or(""),
            class.id()
        )
    };
    let mut confidence = (score.min(1.0)
        * if header_match || header_class.is_none() {
            1.0
        } else {
            0.9
        })
    .min(0.99);
    if s < 0.5 && header_match {
        confidence = confidence.min(0.6);
    }
    let mut evidence = evidence;
    for r in &rejected {
        evidence.push_str("; ");
        evidence.push_str(r);
    }
    verdict(
        class,
        kind,
        (confidence * 100.0).round() / 100.0,
        evidence,
        s,
    )
}

/// Classes whose values are checkable exactly, so a header alone is not enough; names, addresses
/// and dates of birth are often written in forms the validators do not cover (given name only,
/// city only, birth year only).
fn checkable(ds: &Detectors, c: DataClass) -> bool {
    !matches!(
        c,
        DataClass::PersonName | DataClass::Address | DataClass::DateOfBirth
    ) && ds
        .class_indices(c)
        .iter()
        .any(|&i| ds.detectors()[i].def.strength >= 0.9)
}

/// Extra value evidence needed when a weak class has no header.
fn value_evidence_ok(c: DataClass, vals: &[&str], t: &Tally) -> bool {
    let hits = t.class_hits[idx(c)];
    let share = hits as f64 / t.n as f64;
    let kind_share =
        |k: &str| t.kinds.get(&(idx(c), k)).copied().unwrap_or(0) as f64 / hits.max(1) as f64;
    match c {
        DataClass::Amount => share >= 0.8 && kind_share("integer") <= 0.5,
        DataClass::OrderId => {
            share >= 0.8
                && if kind_share("prefixed") >= 0.5 {
                    // Order codes are one per row; customer codes (`KH0000123`) repeat.
                    unique_share(vals) >= 0.8
                } else {
                    // Bare numbers: long, unique, fixed-length and not an auto-increment key
                    // (a sequential header-less number is a row / customer id, not an order).
                    !sequential(vals)
                        && unique_share(vals) >= 0.98
                        && vals
                            .iter()
                            .all(|v| v.len() >= 10 && v.len() == vals[0].len())
                }
        }
        DataClass::Username => {
            // Status words and booleans are lower-case too: handles are varied and carry digits or dots.
            let marked = vals
                .iter()
                .filter(|v| {
                    v.bytes()
                        .any(|b| b.is_ascii_digit() || b == b'.' || b == b'_')
                })
                .count();
            share >= 0.7 && unique_share(vals) >= 0.5 && marked * 10 >= vals.len() * 3
        }
        // Catalogue values repeat across orders: a repeated, partly recognised vocabulary is
        // enough (product vocabularies are open-ended).
        DataClass::Product => share >= 0.7 || (share >= 0.4 && unique_share(vals) <= 0.5),
        DataClass::Merchant => share >= 0.7,
        _ => share >= 0.5,
    }
}

/// Sub-kind of the column: the header detector's kind when it validated most values, else the
/// most common kind among validated values (for classes where kinds matter).
fn column_kind(
    ds: &Detectors,
    class: DataClass,
    header_det: Option<usize>,
    t: &Tally,
) -> Option<String> {
    if !matches!(
        class,
        DataClass::NationalId
            | DataClass::PasswordHash
            | DataClass::PaymentCard
            | DataClass::PaymentCardPartial
            | DataClass::IpAddress
    ) {
        return None;
    }
    let hits = t.class_hits[idx(class)];
    if let Some(h) = header_det {
        let d = &ds.detectors()[h];
        if d.class == class && d.def.kind.is_some() && t.det_hits[h] * 2 >= hits.max(1) {
            return d.def.kind.clone();
        }
    }
    t.kinds
        .iter()
        .filter(|((ci, _), _)| *ci == idx(class))
        .max_by_key(|(k, n)| (**n, std::cmp::Reverse(k.1)))
        .map(|((_, k), _)| k.to_string())
}

/// Label of the detector that validated most values when it dominates the class, else the
/// class label.
fn top_label(ds: &Detectors, class: DataClass, t: &Tally) -> String {
    let hits = t.class_hits[idx(class)];
    if class == DataClass::Phone && hits > 0 && t.phone_in_country * 10 >= hits * 9 {
        return "phone numbers of their row's country".to_string();
    }
    // On a tie the detector with value evidence of its own (not header-only) and listed first
    // names the values: CCCDs are not "PH TINs" because both accept 12 digits.
    let top = ds.class_indices(class).iter().copied().max_by_key(|&i| {
        (
            t.det_hits[i],
            !ds.detectors()[i].def.header_required,
            std::cmp::Reverse(i),
        )
    });
    match top {
        Some(i) if t.det_hits[i] * 10 >= hits * 9 && hits > 0 => {
            ds.detectors()[i].def.label.clone()
        }
        _ => class_label(class).to_string(),
    }
}

pub(crate) fn verdict(
    class: DataClass,
    kind: Option<String>,
    confidence: f64,
    evidence: String,
    share: f64,
) -> ColumnVerdict {
    ColumnVerdict {
        class,
        kind,
        confidence,
        evidence,
        validation_share: share,
        mixed: Vec::new(),
        embedded: Vec::new(),
        country: None,
    }
}
