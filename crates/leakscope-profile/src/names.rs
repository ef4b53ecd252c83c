//! Names in a profile as they may be shown: a JSON key or SQL column name can itself be an
//! identifier (`{"an@x.vn": {...}}` makes an e-mail a column header), so every name-bearing
//! string — sources, tables, headers, evidence, tenant names, date columns, diagnostics — has
//! the identifiers in it masked ([`leakscope_text::mask_identifiers`]) before any renderer or
//! the JSON document sees it. A profile made with `--reveal` is shown as it is.

use crate::model::ScanProfile;
use leakscope_text::{mask_identifiers, mask_in_message};
use std::borrow::Cow;

/// Masks a name in place.
fn m(s: &mut String) {
    if let Cow::Owned(masked) = mask_identifiers(s) {
        *s = masked;
    }
}

/// Masks a message in place (counts and locations kept).
fn msg(s: &mut String) {
    if let Cow::Owned(masked) = mask_in_message(s) {
        *s = masked;
    }
}

/// The profile with identifiers in every name masked, unless it was made with `--reveal`.
pub fn for_output(p: &ScanProfile) -> Cow<'_, ScanProfile> {
    if p.revealed {
        return Cow::Borrowed(p);
    }
    let mut p = p.clone();
    mask_for_output(&mut p);
    Cow::Owned(p)
}

/// [`for_output`] in place, for a profile that is not needed unmasked afterwards (no copy).
pub fn mask_for_output(p: &mut ScanProfile) {
    if p.revealed {
        return;
    }
    for s in &mut p.sources {
        m(&mut s.path);
    }
    for t in &mut p.tables {
        m(&mut t.name);
        m(&mut t.source);
        for c in &mut t.columns {
            m(&mut c.name);
            msg(&mut c.evidence);
            c.examples.iter_mut().for_each(m);
        }
    }
    p.individuals
        .keyed_by
        .iter_mut()
        .for_each(|k| m(&mut k.key));
    p.records.columns.iter_mut().for_each(m);
    for c in &mut p.countries {
        c.signals.iter_mut().for_each(m);
    }
    if let Some(t) = &mut p.tenants {
        m(&mut t.column);
        for x in &mut t.top {
            m(&mut x.name);
            if let Some(l) = &mut x.label {
                m(l);
            }
        }
    }
    p.sensitivity
        .reasons
        .iter_mut()
        .for_each(|r| msg(&mut r.text));
    for d in &mut p.diagnostics {
        msg(&mut d.message);
        m(&mut d.source);
    }
}
