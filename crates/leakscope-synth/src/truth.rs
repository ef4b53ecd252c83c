//! Ground truth recounted from emitted cells, with the rules `leakscope scan` applies.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::dates::{parse_event_day, ymd};
use crate::people::{e164_country, to_e164};
use crate::{DataClass, Flavour, GroundTruth, SynthTable};

/// The individual key of one row: strongest identifier present (national ID upper-cased, else
/// e-mail lower-cased, else E.164 phone), with the row's phone country. `None` without identifiers.
pub fn row_key(table: &SynthTable, row: &[String], home_cc: &str) -> Option<(String, Option<&'static str>)> {
    let cells = || table.columns.iter().zip(row);
    let phone = cells()
        .filter(|(c, _)| c.class == DataClass::Phone)
        .find_map(|(_, v)| to_e164(v, home_cc));
    let country = phone.as_deref().and_then(e164_country);
    let id = cells()
        .find(|(c, v)| c.class == DataClass::NationalId && !v.trim().is_empty())
        .map(|(_, v)| format!("id:{}", v.trim().to_uppercase()));
    let email = || {
        cells()
            .find(|(c, v)| c.class == DataClass::Email && v.contains('@'))
            .map(|(_, v)| format!("em:{}", v.trim().to_lowercase()))
    };
    let key = id.or_else(email).or_else(|| phone.map(|p| format!("ph:{p}")))?;
    Some((key, country))
}

/// Recounts a dataset's ground truth. `tenant` is the (table, column) of the tenant column.
pub fn recount(flavour: Flavour, tables: &[SynthTable], tenant: Option<(usize, usize)>) -> GroundTruth {
    let cc = flavour.calling_code();
    let mut people: HashMap<String, Option<&'static str>> = HashMap::new();
    let mut classes = BTreeSet::new();
    let (mut oldest, mut newest) = (i64::MAX, i64::MIN);
    let mut rows = 0u64;
    for t in tables {
        rows += t.rows.len() as u64;
        classes.extend(t.columns.iter().map(|c| c.class).filter(|c| *c != DataClass::Other));
        let ts: Vec<usize> = (0..t.columns.len()).filter(|&i| t.columns[i].class == DataClass::Timestamp).collect();
        for row in &t.rows {
            if let Some((key, country)) = row_key(t, row, cc) {
                people.entry(key).or_insert(country);
            }
            for &i in &ts {
                if let Some(d) = parse_event_day(&row[i]) {
                    oldest = oldest.min(d);
                    newest = newest.max(d);
                }
            }
        }
    }
    let mut countries = BTreeMap::new();
    for c in people.values().flatten() {
        *countries.entry(c.to_string()).or_insert(0u64) += 1;
    }
    let (tenant_column, tenants) = match tenant {
        Some((ti, ci)) => {
            let t = &tables[ti];
            let distinct: BTreeSet<&str> = t.rows.iter().map(|r| r[ci].as_str()).filter(|v| !v.is_empty()).collect();
            (Some(t.column_name(ci)), Some(distinct.len() as u64))
        }
        None => (None, None),
    };
    GroundTruth {
        rows,
        individuals: people.len() as u64,
        classes,
        tenant_column,
        tenants,
        oldest_record: (oldest != i64::MAX).then(|| ymd(oldest)),
        newest_record: (newest != i64::MIN).then(|| ymd(newest)),
        countries,
    }
}
