//! NDJSON (optionally nested) and JSON arrays.

use std::io::{self, Write};

use serde_json::{Map, Value};

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

/// The JSON object of one row; with `nested`, person fields go under `"customer"`.
/// Empty cells become `null`.
pub fn row_object(table: &SynthTable, row: &[String], nested: bool) -> Map<String, Value> {
    let mut top = Map::new();
    let mut customer = Map::new();
    for (i, v) in row.iter().enumerate() {
        let val = if v.is_empty() { Value::Null } else { Value::String(v.clone()) };
        let target = if nested && is_person_field(table.columns[i].class) { &mut customer } else { &mut top };
        target.insert(table.column_name(i), val);
    }
    if nested && !customer.is_empty() {
        top.insert("customer".into(), Value::Object(customer));
    }
    top
}

/// Writes one JSON object per line.
pub fn write_ndjson(table: &SynthTable, nested: bool, w: &mut dyn Write) -> io::Result<()> {
    for row in &table.rows {
        serde_json::to_writer(&mut *w, &row_object(table, row, nested))?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

/// Writes a JSON array of objects, one per line.
pub fn write_json_array(table: &SynthTable, w: &mut dyn Write) -> io::Result<()> {
    w.write_all(b"[")?;
    for (i, row) in table.rows.iter().enumerate() {
        w.write_all(if i == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *w, &row_object(table, row, false))?;
    }
    w.write_all(b"\n]\n")
}
