//! NDJSON (optionally nested) and JSON arrays.

use std::io::{self, Write};

use crate::{DataClass, SynthTable};

fn is_person_field(c: DataClass) -> bool {
    matches!(
        c,
        DataClass::PersonName
            | DataClass::Email
            | DataClass::Phone
            | DataClass::NationalId
            | DataClass::Address
            | DataClass::PostalCode
            | DataClass::DateOfBirth
            | DataClass::Gender
    )
}

fn push_json_str(out: &mut Vec<u8>, s: &str) {
    // serde_json's string escaping; cannot fail for a &str.
    out.extend_from_slice(serde_json::to_string(s).unwrap_or_default().as_bytes());
}

fn push_value(out: &mut Vec<u8>, v: &str) {
    if v.is_empty() {
        out.extend_from_slice(b"null");
    } else {
        push_json_str(out, v);
    }
}

/// Appends the row as a JSON object that keeps the table's column order; with `nested`, the
/// person fields form a `"customer"` object placed where the first of them was.
fn push_row(out: &mut Vec<u8>, table: &SynthTable, names: &[String], row: &[String], nested: bool) {
    let person: Vec<bool> = table
        .columns
        .iter()
        .map(|c| nested && is_person_field(c.class))
        .collect();
    let mut first = true;
    let mut sep = |out: &mut Vec<u8>| {
        if !first {
            out.push(b',');
        }
        first = false;
    };
    out.push(b'{');
    let mut customer_done = false;
    for (i, v) in row.iter().enumerate() {
        if person[i] {
            if customer_done {
                continue;
            }
            customer_done = true;
            sep(out);
            out.extend_from_slice(b"\"customer\":{");
            let mut inner_first = true;
            for (j, w) in row.iter().enumerate().filter(|(j, _)| person[*j]) {
                if !inner_first {
                    out.push(b',');
                }
                inner_first = false;
                push_json_str(out, &names[j]);
                out.push(b':');
                push_value(out, w);
            }
            out.push(b'}');
            continue;
        }
        sep(out);
        push_json_str(out, &names[i]);
        out.push(b':');
        push_value(out, v);
    }
    out.push(b'}');
}

fn names(table: &SynthTable) -> Vec<String> {
    (0..table.columns.len())
        .map(|i| table.column_name(i))
        .collect()
}

/// Writes one JSON object per line (column order kept; empty cells are `null`).
pub fn write_ndjson(table: &SynthTable, nested: bool, w: &mut dyn Write) -> io::Result<()> {
    let names = names(table);
    let mut out = Vec::with_capacity(1 << 16);
    for row in &table.rows {
        push_row(&mut out, table, &names, row, nested);
        out.push(b'\n');
        if out.len() > 60_000 {
            w.write_all(&out)?;
            out.clear();
        }
    }
    w.write_all(&out)
}

/// Writes a JSON array of objects, one per line.
pub fn write_json_array(table: &SynthTable, w: &mut dyn Write) -> io::Result<()> {
    let names = names(table);
    let mut out = Vec::with_capacity(1 << 16);
    out.push(b'[');
    for (i, row) in table.rows.iter().enumerate() {
        out.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
        push_row(&mut out, table, &names, row, false);
        if out.len() > 60_000 {
            w.write_all(&out)?;
            out.clear();
        }
    }
    out.extend_from_slice(b"\n]\n");
    w.write_all(&out)
}
