//! Combolists: `email:password` lines.

use std::io::{self, Write};

use crate::cards::weak_password;
use crate::{DataClass, SynthTable};

/// Writes `email:password` for every row with an e-mail. Uses the table's plaintext password
/// column when there is one, otherwise a deterministic weak password derived from the e-mail.
pub fn write_combolist(table: &SynthTable, w: &mut dyn Write) -> io::Result<()> {
    let email = table.columns.iter().position(|c| c.class == DataClass::Email);
    let pass = table.columns.iter().position(|c| c.class == DataClass::Password);
    let Some(e) = email else {
        return Ok(());
    };
    for row in &table.rows {
        let addr = row[e].trim();
        if !addr.contains('@') {
            continue;
        }
        let pw = match pass {
            Some(p) if !row[p].is_empty() => row[p].clone(),
            _ => weak_password(&addr.to_lowercase()),
        };
        writeln!(w, "{addr}:{pw}")?;
    }
    Ok(())
}
