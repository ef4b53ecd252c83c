//! What `corpus add` takes from each table: the shared column decision
//! (`leakscope_detect::Detectors::classify_table`, the same one `scan` and `verify` use) turned
//! into actions per column — identifiers to hash, plaintext passwords to count (combolists with
//! or without a header line included), data classes to record. The rows themselves come from the
//! shared reading layer (`crate::read`).

use leakscope_detect::{DataClass, Detectors, TableSample};
use leakscope_formats::TableInfo;
use leakscope_keys::IdKind;

/// What to do with one column's cells.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Normalise and store as an identifier of this kind (the column's ID kind for national IDs).
    Id(IdKind, Option<String>),
    /// Count as a plaintext password (hashed SHA-1 / NTLM, then dropped).
    Password,
    /// Nothing to store.
    Skip,
}

/// The decision for one table.
#[derive(Debug, Clone, Default)]
pub struct TableActions {
    /// One action per column.
    pub actions: Vec<Action>,
    /// Breach-corpus (HIBP) data classes the table holds.
    pub data_classes: Vec<&'static str>,
}

fn action_for(class: DataClass, kind: Option<String>) -> Action {
    match class {
        DataClass::Email => Action::Id(IdKind::Email, None),
        DataClass::Phone => Action::Id(IdKind::Phone, None),
        DataClass::NationalId => Action::Id(IdKind::NationalId, kind),
        DataClass::Username => Action::Id(IdKind::Username, None),
        DataClass::Password => Action::Password,
        _ => Action::Skip,
    }
}

/// Decides every column of `table` from its first rows (`sample`, row by row) and the source's
/// format (`combolist` lines get their second field read as a password or a password hash).
pub fn plan_table(table: &TableInfo, format: Option<&str>, sample: &[Vec<String>]) -> TableActions {
    let width = table
        .headers
        .len()
        .max(sample.iter().map(Vec::len).max().unwrap_or(0));
    let columns: Vec<Vec<&str>> = (0..width)
        .map(|c| {
            sample
                .iter()
                .map(|r| r.get(c).map(|v| v.trim()).unwrap_or(""))
                .collect()
        })
        .collect();
    let headers: Vec<String> = (0..width)
        .map(|c| {
            table
                .headers
                .get(c)
                .cloned()
                .unwrap_or_else(|| format!("col_{}", c + 1))
        })
        .collect();
    let verdicts = Detectors::builtin().classify_table(&TableSample {
        name: &table.name,
        format,
        headers: &headers,
        has_header_row: table.has_header_row,
        columns: &columns,
    });
    let mut out = TableActions::default();
    for v in verdicts {
        let confident = v.confidence >= 0.5 && v.class != DataClass::Other;
        if confident && !out.data_classes.contains(&v.class.hibp_name()) {
            out.data_classes.push(v.class.hibp_name());
        }
        out.actions.push(if confident {
            action_for(v.class, v.kind)
        } else {
            Action::Skip
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(headers: &[&str], has_header_row: bool) -> TableInfo {
        TableInfo {
            id: 1,
            name: "combo".into(),
            source: "combo.txt".into(),
            headers: headers.iter().map(|s| s.to_string()).collect(),
            has_header_row,
        }
    }

    #[test]
    fn combolists_with_and_without_a_header_store_passwords() {
        let rows: Vec<Vec<String>> = (0..60)
            .map(|i| vec![format!("user{i}@mail.example.com"), format!("pw{i}Secret!")])
            .collect();
        let headerless = plan_table(&table(&["col_1", "col_2"], false), Some("combolist"), &rows);
        assert_eq!(
            headerless.actions,
            vec![Action::Id(IdKind::Email, None), Action::Password]
        );
        assert!(headerless.data_classes.contains(&"Passwords"));
        let headed = plan_table(&table(&["email", "password"], true), Some("csv"), &rows);
        assert_eq!(headed.actions, headerless.actions);
    }

    #[test]
    fn hashed_combolists_are_not_plaintext() {
        let rows: Vec<Vec<String>> = (0..60u64)
            .map(|i| {
                vec![
                    format!("user{i}@mail.example.com"),
                    format!("{:040x}", 0x5baa_61e4_c9b9_3f3fu64.wrapping_mul(i + 3)),
                ]
            })
            .collect();
        let p = plan_table(&table(&["col_1", "col_2"], false), None, &rows);
        assert_eq!(
            p.actions[1],
            Action::Skip,
            "hashes are not plaintext passwords"
        );
        assert!(p.data_classes.contains(&"Passwords"));
    }
}
