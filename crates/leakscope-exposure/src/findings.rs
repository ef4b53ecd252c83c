//! From a probed service to a finding draft: the samples are profiled (then dropped), file
//! stores get their rows extrapolated by size, and records and people are estimated from the
//! counts the service reports × what the sample shows.

use crate::model::{Auth, Estimate, Service, ServiceKind};
use crate::probe::Probed;
use crate::sample;
use leakscope_profile::ScanProfile;

/// Store kinds whose records are counted in a finding's total.
pub const COUNTED: &[&str] = &["index", "collection", "table", "keyspace", "file"];

/// A finding before its history is known.
#[derive(Debug, Clone)]
pub struct Draft {
    /// Records.
    pub records: Estimate,
    /// People.
    pub people: Estimate,
    /// Rows profiled.
    pub sample_rows: u64,
    /// The sample's profile (examples removed).
    pub profile: ScanProfile,
}

/// True when the service exposes data without credentials.
pub fn is_finding(s: &Service) -> bool {
    s.auth == Auth::None
        && (s.kind != ServiceKind::Http
            || s.stores
                .iter()
                .any(|x| x.kind == "file" || x.kind == "config-file"))
}

/// Profiles a probed service; the samples are consumed.
pub fn profile(p: Probed, found_on: &str) -> (Service, Option<Draft>) {
    let Probed {
        mut service,
        samples,
    } = p;
    // Names of stores are the owner's, but may hold identifiers (an index per customer e-mail):
    // masked like every name leakscope prints.
    for st in &mut service.stores {
        st.name = leakscope_text::mask_identifiers(&st.name).into_owned();
    }
    for n in &mut service.notes {
        *n = leakscope_text::mask_identifiers(n).into_owned();
    }
    if !is_finding(&service) {
        return (service, None);
    }
    let profile = sample::profile(&samples, found_on);
    drop(samples);
    // Files: rows read from the prefix, extrapolated by size.
    for st in service.stores.iter_mut().filter(|s| s.kind == "file") {
        let Some(src) = &st.source else { continue };
        let (rows, bytes) = profile
            .sources
            .iter()
            .filter(|s| s.path == *src || s.path.starts_with(&format!("{src}!")))
            .fold((0u64, 0u64), |(r, b), s| (r + s.rows, b.max(s.bytes)));
        st.sampled = rows;
        st.records = match st.bytes {
            Some(total) if bytes > 0 && total > bytes && rows > 0 => {
                Some((rows as f64 * total as f64 / bytes as f64).round() as u64)
            }
            _ => Some(rows),
        };
    }
    let (records, people) = estimate(&service, &profile);
    let draft = Draft {
        records,
        people,
        sample_rows: profile.rows,
        profile,
    };
    (service, Some(draft))
}

/// Records and people of a service from its stores and its sample's profile.
pub fn estimate(s: &Service, p: &ScanProfile) -> (Estimate, Estimate) {
    let counted: Vec<_> = s
        .stores
        .iter()
        .filter(|x| COUNTED.contains(&x.kind.as_str()))
        .collect();
    let unknown = counted.iter().filter(|x| x.records.is_none()).count();
    let total: u64 = counted.iter().filter_map(|x| x.records).sum();
    let extrapolated = counted.iter().any(|x| {
        x.kind == "file" && x.bytes.is_some_and(|b| b > 0) && x.records != Some(x.sampled)
    });
    let records = if counted.is_empty() || unknown == counted.len() {
        Estimate {
            value: None,
            basis: "no store reported a record count".into(),
        }
    } else {
        let mut basis = format!(
            "sum of the record counts {} store(s) report",
            counted.len() - unknown
        );
        if extrapolated {
            basis.push_str("; files: rows in the bytes read, scaled to the file size");
        }
        if unknown > 0 {
            basis.push_str(&format!("; {unknown} store(s) of unknown size not counted"));
        }
        Estimate {
            value: Some(total),
            basis,
        }
    };
    let people = match (records.value, p.individuals.basis.as_str()) {
        (_, "none") => Estimate {
            value: None,
            basis: "the sample holds no person identifiers or names: unknown".into(),
        },
        _ if p.rows == 0 => Estimate {
            value: None,
            basis: "nothing was sampled: unknown".into(),
        },
        (Some(n), basis) if n > p.rows => {
            let ratio = p.individuals.estimate as f64 / p.rows as f64;
            Estimate {
                value: Some(((n as f64) * ratio).round() as u64),
                basis: format!(
                    "{n} records × {} people per {} sampled rows (by {basis}); an extrapolation",
                    p.individuals.estimate, p.rows
                ),
            }
        }
        (_, basis) => Estimate {
            value: Some(p.individuals.estimate),
            basis: format!("every record was read (people by {basis})"),
        },
    };
    (records, people)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Store;

    fn store(kind: &str, records: Option<u64>) -> Store {
        Store {
            name: "x".into(),
            kind: kind.into(),
            records,
            bytes: None,
            newest: None,
            sampled: 10,
            source: None,
        }
    }

    #[test]
    fn estimates_scale_people_and_say_unknown() {
        let ep = crate::net::Endpoint {
            name: None,
            ip: "127.0.0.1".parse().unwrap(),
            port: 9200,
        };
        let mut s = crate::probe::new_service(&ep, ServiceKind::Elasticsearch);
        s.stores = vec![
            store("index", Some(10_000)),
            store("index", None),
            store("index-pattern", None),
        ];
        let mut p = crate::sample::profile(&[], "2026-12-01");
        p.individuals.basis = "identifiers".into();
        p.rows = 1000;
        p.individuals.estimate = 500;
        let (r, people) = estimate(&s, &p);
        assert_eq!(r.value, Some(10_000));
        assert!(r.basis.contains("1 store(s) of unknown size"));
        assert_eq!(people.value, Some(5_000));
        p.individuals.basis = "none".into();
        assert_eq!(estimate(&s, &p).1.value, None);
        s.stores = vec![store("index-pattern", None)];
        assert_eq!(estimate(&s, &p).0.value, None);
    }
}
