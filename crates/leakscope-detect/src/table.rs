//! The table-level column decision: every column with its header semantics in context, the
//! country of each row for phones, and combolists.

use crate::column::{classify_in, ColumnInput};
use crate::context::{header_role, is_country_header, table_entity, HeaderRole};
use crate::validators::phone_shape;
use crate::{country, ColumnVerdict, DataClass, Detectors};
use std::collections::HashMap;

/// A table's sample as every verb hands it to [`Detectors::classify_table`].
#[derive(Debug, Clone)]
pub struct TableSample<'a> {
    /// Table name (SQL table, sheet, file stem); `""` when unknown.
    pub name: &'a str,
    /// Source format as the reader named it (`csv`, `combolist`, `mysqldump`…), if known.
    pub format: Option<&'a str>,
    /// Headers (`col_N` for header-less tables).
    pub headers: &'a [String],
    /// Whether the headers came from the data.
    pub has_header_row: bool,
    /// Row-aligned sample values per column (`""` for a missing cell); every column has the
    /// same number of rows.
    pub columns: &'a [Vec<&'a str>],
}

/// One signal of a row's country.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountrySignal {
    /// A column naming the country (`Country`, `quốc gia`, ISO codes or names).
    CountryColumn(usize),
    /// An e-mail column (country-code TLDs such as `.vn`, `.com.sg`).
    Email(usize),
    /// An address column (VN / CN / SG address tokens).
    Address(usize),
}

/// Where the country of a table's rows comes from, for validating national-format phones.
#[derive(Debug, Clone, PartialEq)]
pub struct CountryContext {
    /// Signals tried in order for each row.
    pub signals: Vec<CountrySignal>,
    /// The table's majority country, used for rows no signal places.
    pub default: Option<&'static str>,
}

impl CountryContext {
    /// The country of one row from its (trimmed) cells; the majority when no signal tells.
    pub fn of_row(&self, ds: &Detectors, cells: &[&str]) -> Option<&'static str> {
        for s in &self.signals {
            let found = match *s {
                CountrySignal::CountryColumn(c) => cells.get(c).and_then(|v| country::code(v)),
                CountrySignal::Email(c) => cells.get(c).and_then(|v| country::of_email(v)),
                CountrySignal::Address(c) => cells
                    .get(c)
                    .filter(|v| !v.is_empty())
                    .and_then(|v| crate::address_memo::address_country(ds, v)),
            };
            if found.is_some() {
                return found;
            }
        }
        self.default
    }

    /// Plain description for evidence lines.
    pub fn describe(&self, headers: &[String]) -> String {
        let name = |c: usize| {
            headers
                .get(c)
                .cloned()
                .unwrap_or_else(|| format!("col_{}", c + 1))
        };
        let mut parts: Vec<String> = self
            .signals
            .iter()
            .map(|s| match *s {
                CountrySignal::CountryColumn(c) => format!("country column {}", name(c)),
                CountrySignal::Email(c) => format!("e-mail domains of {}", name(c)),
                CountrySignal::Address(c) => format!("addresses in {}", name(c)),
            })
            .collect();
        if let Some(d) = self.default {
            parts.push(format!("else the table's majority {d}"));
        }
        parts.join(", ")
    }
}

/// Decides every column of a table.
pub(crate) fn classify(ds: &Detectors, t: &TableSample<'_>) -> Vec<ColumnVerdict> {
    let entity = table_entity(t.name);
    let width = t.columns.len().max(t.headers.len());
    let empty: Vec<&str> = Vec::new();
    let col = |i: usize| t.columns.get(i).unwrap_or(&empty);
    let header = |i: usize| {
        t.headers
            .get(i)
            .map(String::as_str)
            .filter(|_| t.has_header_row)
    };
    let roles: Vec<HeaderRole> = (0..width)
        .map(|i| match header(i) {
            Some(h) => {
                let kw = ds.header_hit(h).map(|x| ds.detectors()[x.detector].class);
                header_role(h, entity, kw)
            }
            // Header-less columns of a table of people (`actor`, `customers`): names weigh more.
            None if entity == Some(crate::context::Entity::Person) => HeaderRole::Values,
            None => HeaderRole::Keywords,
        })
        .collect();
    let decide = |i: usize| {
        classify_in(
            ds,
            &ColumnInput {
                header: header(i),
                values: col(i),
                role: roles[i].clone(),
                countries: &[],
            },
        )
    };
    // Columns are decided independently, so large samples are spread over the cores (the
    // reader waits for this decision before any row of the table flows on).
    let cells: usize = t.columns.iter().map(Vec::len).sum();
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(width.max(1));
    let mut verdicts: Vec<ColumnVerdict> = if threads <= 1 || cells < 20_000 {
        (0..width).map(decide).collect()
    } else {
        let decide = &decide;
        let parts: Vec<Vec<(usize, ColumnVerdict)>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|k| {
                    s.spawn(move || {
                        (k..width)
                            .step_by(threads)
                            .map(|i| (i, decide(i)))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        });
        let mut all: Vec<(usize, ColumnVerdict)> = parts.into_iter().flatten().collect();
        all.sort_by_key(|(i, _)| *i);
        all.into_iter().map(|(_, v)| v).collect()
    };
    combolist(ds, t, &mut verdicts);
    // The country of each row, for national-format phones.
    let Some(ctx) = country_context(ds, t, &verdicts) else {
        return verdicts;
    };
    let rows = t.columns.iter().map(Vec::len).max().unwrap_or(0);
    let per_row: Vec<Option<&'static str>> = (0..rows)
        .map(|r| {
            let cells: Vec<&str> = (0..width)
                .map(|c| col(c).get(r).copied().unwrap_or("").trim())
                .collect();
            ctx.of_row(ds, &cells)
        })
        .collect();
    for i in 0..width {
        let header_phone = header(i)
            .and_then(|h| ds.header_hit(h))
            .is_some_and(|x| ds.detectors()[x.detector].class == DataClass::Phone);
        let v = &verdicts[i];
        let candidate = v.class == DataClass::Phone
            || (matches!(
                roles[i],
                HeaderRole::Keywords | HeaderRole::Class(DataClass::Phone)
            ) && (header_phone
                || (v.class == DataClass::Other && formatted_share(col(i)) >= 0.5)));
        if !candidate {
            continue;
        }
        let mut again = classify_in(
            ds,
            &ColumnInput {
                header: header(i),
                values: col(i),
                role: roles[i].clone(),
                countries: &per_row,
            },
        );
        if again.class == DataClass::Phone {
            again.evidence.push_str(&format!(
                "; national formats checked against each row's country ({})",
                ctx.describe(t.headers)
            ));
            again.country = Some(ctx.clone());
            verdicts[i] = again;
        }
    }
    verdicts
}

/// Share of non-empty values written in a phone shape with grouping or a `+`.
fn formatted_share(vals: &[&str]) -> f64 {
    let non_empty: Vec<&str> = vals
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    if non_empty.is_empty() {
        return 0.0;
    }
    non_empty
        .iter()
        .filter(|v| phone_shape::parse(v).is_some_and(|s| s.formatted || s.plus))
        .count() as f64
        / non_empty.len() as f64
}

/// Finds the signals that place a row in a country, and the table's majority.
fn country_context(
    ds: &Detectors,
    t: &TableSample<'_>,
    verdicts: &[ColumnVerdict],
) -> Option<CountryContext> {
    let mut signals = Vec::new();
    for (i, vals) in t.columns.iter().enumerate() {
        let named = t.has_header_row && t.headers.get(i).is_some_and(|h| is_country_header(h));
        let non_empty: Vec<&&str> = vals.iter().filter(|v| !v.trim().is_empty()).collect();
        if non_empty.is_empty() {
            continue;
        }
        let coded = non_empty
            .iter()
            .filter(|v| country::code(v).is_some())
            .count() as f64
            / non_empty.len() as f64;
        if (named && coded >= 0.5) || coded >= 0.9 {
            signals.push(CountrySignal::CountryColumn(i));
        }
    }
    for (i, v) in verdicts.iter().enumerate() {
        match v.class {
            DataClass::Email => signals.push(CountrySignal::Email(i)),
            DataClass::Address => signals.push(CountrySignal::Address(i)),
            _ => {}
        }
    }
    if signals.is_empty() {
        return None;
    }
    let mut ctx = CountryContext {
        signals,
        default: None,
    };
    let rows = t.columns.iter().map(Vec::len).max().unwrap_or(0);
    let mut counts: HashMap<&'static str, usize> = HashMap::new();
    let mut placed = 0usize;
    for r in 0..rows {
        let cells: Vec<&str> = t
            .columns
            .iter()
            .map(|c| c.get(r).copied().unwrap_or("").trim())
            .collect();
        if let Some(c) = ctx.of_row(ds, &cells) {
            *counts.entry(c).or_default() += 1;
            placed += 1;
        }
    }
    if placed == 0 {
        return None;
    }
    if let Some((c, n)) = counts
        .iter()
        .max_by_key(|(c, n)| (**n, std::cmp::Reverse(**c)))
    {
        if *n * 10 >= placed * 6 {
            ctx.default = Some(c);
        }
        // One country for (nearly) every placed row: the rows need no signal of their own
        // (reading an address per row costs more than the whole phone check).
        if *n * 100 >= placed * 98 && placed * 2 >= rows {
            ctx.signals.clear();
        }
    }
    Some(ctx)
}

/// Header-less `user:pass`, `email:pass`, `email;hash`, `email:hash:salt` lines: the second
/// field is a password (or a password hash with its algorithm), the third a salt.
fn combolist(ds: &Detectors, t: &TableSample<'_>, verdicts: &mut [ColumnVerdict]) {
    let n = verdicts.len();
    let declared = t.format == Some("combolist");
    // With a header line, the headers say what each field is.
    if !(2..=3).contains(&n) || t.has_header_row {
        return;
    }
    let first = verdicts[0].class;
    // A plain delimited file of two word columns (`lamp,red`) is not a combolist: outside a
    // source read as combolist lines, the first field must be an e-mail or phone login.
    let login = match first {
        DataClass::Email | DataClass::Phone => true,
        DataClass::Username => declared,
        _ if !declared => false,
        _ => {
            let v = &t.columns[0];
            let ne: Vec<&&str> = v.iter().filter(|x| !x.trim().is_empty()).collect();
            !ne.is_empty()
                && ne
                    .iter()
                    .filter(|x| {
                        ds.check_value(DataClass::Email, None, x).is_some()
                            || crate::validators::misc::username(x).is_some()
                    })
                    .count()
                    * 10
                    >= ne.len() * 8
        }
    };
    if !login {
        return;
    }
    let second: Vec<&str> = t.columns[1]
        .iter()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .collect();
    if second.is_empty() {
        return;
    }
    let total = second.len();
    let mut kinds: HashMap<&'static str, usize> = HashMap::new();
    let mut hashed = 0usize;
    for v in &second {
        if let Some(f) = ds.check_value(DataClass::PasswordHash, None, v) {
            hashed += 1;
            *kinds.entry(f.kind.unwrap_or("unknown")).or_default() += 1;
        }
    }
    let printable = second
        .iter()
        .filter(|v| v.len() <= 128 && !v.chars().any(char::is_control))
        .count();
    let how = if declared {
        "combolist lines"
    } else {
        "header-less login:secret lines"
    };
    if hashed * 10 >= total * 8 {
        let kind = kinds
            .iter()
            .max_by_key(|(k, n)| (**n, std::cmp::Reverse(**k)))
            .map(|(k, _)| k.to_string());
        verdicts[1] = ColumnVerdict {
            class: DataClass::PasswordHash,
            kind: kind.clone(),
            confidence: 0.9,
            evidence: format!(
                "{} of {} sampled values are {} password hashes; second field of {how}",
                pct(hashed, total),
                total,
                kind.as_deref().unwrap_or("unknown")
            ),
            validation_share: hashed as f64 / total as f64,
            mixed: Vec::new(),
            embedded: Vec::new(),
            country: None,
        };
        if n == 3 {
            verdicts[2] = ColumnVerdict {
                class: DataClass::Other,
                kind: Some("salt".into()),
                confidence: 0.7,
                evidence: format!("third field of {how} after a password hash: its salt"),
                validation_share: 0.0,
                mixed: Vec::new(),
                embedded: Vec::new(),
                country: None,
            };
        }
    } else if printable * 10 >= total * 9 && n == 2 {
        verdicts[1] = ColumnVerdict {
            class: DataClass::Password,
            kind: Some("plaintext".into()),
            confidence: 0.85,
            evidence: format!(
                "{} of {} sampled values are printable secrets; second field of {how}",
                pct(printable, total),
                total
            ),
            validation_share: printable as f64 / total as f64,
            mixed: Vec::new(),
            embedded: Vec::new(),
            country: None,
        };
    }
}

fn pct(a: usize, b: usize) -> String {
    format!("{:.0}%", (a as f64 / b.max(1) as f64 * 100.0).floor())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table<'a>(
        name: &'a str,
        headers: &'a [String],
        has_header_row: bool,
        columns: &'a [Vec<&'a str>],
    ) -> TableSample<'a> {
        TableSample {
            name,
            format: None,
            headers,
            has_header_row,
            columns,
        }
    }

    #[test]
    fn phones_with_a_country_column() {
        let ds = Detectors::builtin();
        let headers: Vec<String> = ["Phone", "Country"].iter().map(|s| s.to_string()).collect();
        let phones = [
            "(206) 555-9857",
            "+1 (604) 555-3392",
            "030-0074321",
            "(02)27653147",
            "(212) 221-3546",
            "+55 (11) 3033-5446",
            "0621-08460",
            "(312) 332-3232",
            "(415) 555-0199",
            "(02) 2765-3147",
        ];
        let countries = [
            "USA", "Canada", "Germany", "Taiwan", "USA", "Brazil", "Germany", "USA", "USA",
            "Taiwan",
        ];
        let cols = vec![phones.to_vec(), countries.to_vec()];
        let v = ds.classify_table(&table("Customer", &headers, true, &cols));
        assert_eq!(v[0].class, DataClass::Phone, "{}", v[0].evidence);
        assert!(v[0].country.is_some());
        assert_eq!(v[1].class, DataClass::Other);
        let ctx = v[0].country.as_ref().unwrap();
        assert_eq!(ctx.of_row(ds, &["", "Germany"]), Some("DE"));
        let f = ds.check_value_in(DataClass::Phone, None, "030-0074321", Some("DE"));
        assert_eq!(f.and_then(|f| f.country), Some("DE"));
    }

    #[test]
    fn headerless_combolists() {
        let ds = Detectors::builtin();
        let headers: Vec<String> = vec!["col_1".into(), "col_2".into()];
        let emails: Vec<String> = (0..50)
            .map(|i| format!("user{i}@mail.example.com"))
            .collect();
        let pws: Vec<String> = (0..50).map(|i| format!("Secret{i}!x")).collect();
        let cols = vec![
            emails.iter().map(String::as_str).collect::<Vec<_>>(),
            pws.iter().map(String::as_str).collect::<Vec<_>>(),
        ];
        let v = ds.classify_table(&table("combo", &headers, false, &cols));
        assert_eq!(v[0].class, DataClass::Email);
        assert_eq!(v[1].class, DataClass::Password, "{}", v[1].evidence);
        let md5: Vec<String> = (0..50)
            .map(|i| format!("{:032x}", 0xabcdef0123u64 * (i + 7)))
            .collect();
        let salts: Vec<String> = (0..50).map(|i| format!("s{i:03}")).collect();
        let headers3: Vec<String> = vec!["col_1".into(), "col_2".into(), "col_3".into()];
        let cols = vec![
            cols[0].clone(),
            md5.iter().map(String::as_str).collect::<Vec<_>>(),
            salts.iter().map(String::as_str).collect::<Vec<_>>(),
        ];
        let v = ds.classify_table(&table("combo", &headers3, false, &cols));
        assert_eq!(v[1].class, DataClass::PasswordHash, "{}", v[1].evidence);
        assert_eq!(v[2].kind.as_deref(), Some("salt"));
    }

    #[test]
    fn two_word_columns_are_not_a_combolist() {
        // `product,colour` without its header: words in both fields, no login.
        let ds = Detectors::builtin();
        let headers: Vec<String> = vec!["col_1".into(), "col_2".into()];
        let products = ["lamp", "chair", "table", "sofa", "desk", "shelf"];
        let colours = ["red", "blue", "green", "oak", "white", "black"];
        let cols = vec![products.to_vec(), colours.to_vec()];
        let v = ds.classify_table(&table("names", &headers, false, &cols));
        assert_ne!(v[1].class, DataClass::Password, "{}", v[1].evidence);
        // The same words read as combolist lines (`lamp:red`) are login:secret pairs.
        let mut t = table("names", &headers, false, &cols);
        t.format = Some("combolist");
        let v = ds.classify_table(&t);
        assert_eq!(v[1].class, DataClass::Password, "{}", v[1].evidence);
    }
}
