//! Per-flavour table builders and the helpers they share.

pub(crate) mod cn;
pub(crate) mod sg;
pub(crate) mod vn;

use crate::dates::{days_from_civil, Moment};
use crate::people::{render_phone, Person};
use crate::rng::Rng;
use crate::SynthTable;

/// What a flavour builder returns: tables and the (table, column) of the tenant column.
pub(crate) type Built = (Vec<SynthTable>, Option<(usize, usize)>);

/// A uniformly random moment between two dates (inclusive of the start day).
pub(crate) fn moment_between(rng: &mut Rng, from: (i32, u32, u32), to: (i32, u32, u32)) -> Moment {
    let a = days_from_civil(from.0, from.1, from.2) * 86_400;
    let b = days_from_civil(to.0, to.1, to.2) * 86_400;
    Moment(rng.range(a, b.max(a + 1) - 1))
}

/// A mixed "contact" cell: the person's e-mail (if any, ~40%) or their phone.
pub(crate) fn contact(rng: &mut Rng, p: &Person) -> String {
    match &p.email {
        Some(e) if rng.chance(0.4) => e.clone(),
        _ => render_phone(rng, &p.phone),
    }
}

/// A free-text note; ~10% embed the person's phone number.
pub(crate) fn note(rng: &mut Rng, p: &Person, notes: &[&str], template: &str) -> String {
    if rng.chance(0.1) {
        template.replace("{}", &render_phone(rng, &p.phone))
    } else {
        rng.pick(notes).to_string()
    }
}

/// A SKU code (`SP-04213-XL`).
pub(crate) fn sku(rng: &mut Rng, prefix: &str) -> String {
    format!("{prefix}-{:05}-{}", rng.below(100_000), rng.pick(&["S", "M", "L", "XL", "BK", "WH", "01", "02"]))
}

/// Row-picker for repeat customers: every person once, then Zipf-ish repeats.
pub(crate) fn customer_sequence(rng: &mut Rng, people: usize, rows: usize) -> Vec<usize> {
    let zipf = crate::rng::Zipf::new(people.max(1), 0.7);
    let mut seq: Vec<usize> = (0..rows).map(|i| if i < people { i } else { zipf.sample(rng) }).collect();
    // Shuffle so first-time and repeat orders interleave.
    for i in (1..seq.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        seq.swap(i, j);
    }
    seq
}
