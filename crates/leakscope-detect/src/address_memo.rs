//! The country of address values, remembered per thread: the row country of national-format
//! phones and the country of a person both fall back to an address, and in an order table the
//! same customers' addresses come back row after row.

use crate::{DataClass, Detectors};

/// Address values whose country a thread remembers (two slots per hash): in an order
/// table the same customers' addresses come back row after row, and telling an address's
/// country costs far more than looking it up. 1.5 MiB per thread that reads addresses.
const ADDRESS_MEMO_SLOTS: usize = 1 << 16;

/// One remembered address: a 64-bit SipHash of its text under the thread's random keys (so
/// no input can aim two addresses at one hash), and its country. Hash 0: empty.
#[derive(Default, Clone, Copy)]
struct MemoSlot {
    hash: u64,
    country: Option<&'static str>,
}

/// A thread's remembered addresses, for one detector set.
struct AddressMemo {
    detectors: usize,
    keys: std::collections::hash_map::RandomState,
    slots: Vec<MemoSlot>,
}

thread_local! {
    static ADDRESS_MEMO: std::cell::RefCell<AddressMemo> = std::cell::RefCell::new(AddressMemo {
        detectors: 0,
        keys: std::collections::hash_map::RandomState::new(),
        slots: Vec::new(),
    });
}

/// The country of an address value as `ds`'s address detectors tell it
/// (`check_value(DataClass::Address, None, v)`), remembered per thread.
pub fn address_country(ds: &Detectors, v: &str) -> Option<&'static str> {
    let id = ds as *const Detectors as usize;
    let known = ADDRESS_MEMO.with(|m| {
        let m = m.borrow();
        let hash = std::hash::BuildHasher::hash_one(&m.keys, v) | 1;
        let at = set_of(hash);
        let set = m.slots.get(at..at + 2).filter(|_| m.detectors == id);
        let hit = set.and_then(|set| set.iter().find(|s| s.hash == hash));
        (hash, hit.map(|s| s.country))
    });
    if let (_, Some(country)) = known {
        return country;
    }
    let country = ds
        .check_value(DataClass::Address, None, v)
        .and_then(|f| f.country);
    ADDRESS_MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.detectors != id || m.slots.is_empty() {
            m.detectors = id;
            m.slots.clear();
            m.slots.resize(ADDRESS_MEMO_SLOTS, MemoSlot::default());
        }
        // Two slots per hash (the newer first): two addresses that share a set both stay.
        let hash = known.0;
        let at = set_of(hash);
        m.slots[at + 1] = m.slots[at];
        m.slots[at] = MemoSlot { hash, country };
    });
    country
}

/// The first of the two memo slots a hash may sit in.
fn set_of(hash: u64) -> usize {
    hash as usize & (ADDRESS_MEMO_SLOTS - 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remembered_address_countries_are_the_detectors_answers() {
        let ds = Detectors::builtin();
        let streets = ["Lý Thường Kiệt", "Nguyễn Huệ", "Orchard Road", "Main St"];
        let tails = [
            ", Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh",
            " Blk 12 #03-45 Singapore 238801",
            ", Springfield",
            "",
        ];
        let mut values: Vec<String> = Vec::new();
        // More distinct values than the memo has slots, so slots are shared and replaced.
        for i in 0..(ADDRESS_MEMO_SLOTS + 5_000) {
            let s = streets[i % 4];
            let t = tails[(i / 4) % 4];
            values.push(format!("{i} {s}{t}"));
        }
        values.push("北京市朝阳区建国路88号".to_string());
        values.push("123".to_string());
        let mut countries = std::collections::BTreeSet::new();
        for round in 0..2 {
            for v in &values {
                let want = ds
                    .check_value(DataClass::Address, None, v)
                    .and_then(|f| f.country);
                assert_eq!(address_country(ds, v), want, "{v} (round {round})");
                countries.insert(want);
            }
        }
        // VN, SG, CN and no country all occur.
        assert!(countries.len() >= 4, "{countries:?}");
    }
}
