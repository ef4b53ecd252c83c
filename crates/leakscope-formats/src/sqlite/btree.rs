//! Walking SQLite b-trees: every record of a table (or `WITHOUT ROWID` index) b-tree in key
//! order, with payloads gathered from overflow pages. A page that does not parse is recorded
//! as damage (page number and what is wrong) and its subtree skipped; the walk goes on.

use super::pager::Pager;

/// Which kind of b-tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Rowid table: records in leaf cells, keyed by rowid.
    Table,
    /// Index (and `WITHOUT ROWID` table): records in every cell, interior ones too.
    Index,
}

/// A page (or chain) that could not be read.
#[derive(Debug, Clone)]
pub(crate) struct Damage {
    pub page: u32,
    pub what: String,
}

/// One value of a record.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Field {
    Null,
    Int(i64),
    Real(f64),
    /// Text bytes (in the database's encoding) at this range of the payload.
    Text(std::ops::Range<usize>),
    /// Blob bytes at this range of the payload.
    Blob(std::ops::Range<usize>),
}

/// Pages already walked (a page met twice is damage: a loop or a shared page).
#[derive(Default)]
pub(crate) struct Visited(Vec<u64>);

impl Visited {
    /// Marks `page`; false when it was marked already.
    pub fn mark(&mut self, page: u32) -> bool {
        let (w, b) = ((page / 64) as usize, page % 64);
        if self.0.len() <= w {
            self.0.resize(w + 1, 0);
        }
        let was = self.0[w] >> b & 1 == 1;
        self.0[w] |= 1 << b;
        !was
    }
}

/// Reads a varint at `b[at..]`: value and length (0 when it runs off the end).
pub(crate) fn varint(b: &[u8], at: usize) -> (u64, usize) {
    let mut v: u64 = 0;
    for i in 0..9 {
        let Some(&c) = b.get(at + i) else {
            return (0, 0);
        };
        if i == 8 {
            return (v << 8 | u64::from(c), 9);
        }
        v = v << 7 | u64::from(c & 0x7f);
        if c & 0x80 == 0 {
            return (v, i + 1);
        }
    }
    (v, 9)
}

/// Decodes a record's header and values into `out` (ranges point into `payload`); false when
/// the record is malformed.
pub(crate) fn record(payload: &[u8], out: &mut Vec<Field>) -> bool {
    out.clear();
    let (hlen, n) = varint(payload, 0);
    let hlen = hlen as usize;
    if n == 0 || hlen < n || hlen > payload.len() {
        return false;
    }
    let mut h = n;
    let mut body = hlen;
    while h < hlen {
        let (t, n) = varint(payload, h);
        if n == 0 {
            return false;
        }
        h += n;
        let int = |len: usize, body: usize| -> Option<i64> {
            let bytes = payload.get(body..body + len)?;
            let mut v: i64 = if bytes[0] & 0x80 != 0 { -1 } else { 0 };
            for &c in bytes {
                v = v << 8 | i64::from(c);
            }
            Some(v)
        };
        let (field, len) = match t {
            0 => (Field::Null, 0),
            1..=6 => {
                let len = [0, 1, 2, 3, 4, 6, 8][t as usize];
                match int(len, body) {
                    Some(v) => (Field::Int(v), len),
                    None => return false,
                }
            }
            7 => match payload.get(body..body + 8) {
                Some(b) => (
                    Field::Real(f64::from_be_bytes(b.try_into().unwrap_or([0; 8]))),
                    8,
                ),
                None => return false,
            },
            8 => (Field::Int(0), 0),
            9 => (Field::Int(1), 0),
            10 | 11 => return false,
            t => {
                let len = ((t - 12) / 2) as usize;
                let r = body..body + len;
                if r.end > payload.len() {
                    return false;
                }
                if t % 2 == 0 {
                    (Field::Blob(r), len)
                } else {
                    (Field::Text(r), len)
                }
            }
        };
        out.push(field);
        body += len;
        if body > payload.len() {
            return false;
        }
    }
    true
}

/// Bytes of a payload of `p` bytes kept on its b-tree page (the rest overflows).
fn local_size(p: usize, usable: usize, kind: Kind) -> usize {
    let x = match kind {
        Kind::Table => usable - 35,
        Kind::Index => (usable - 12) * 64 / 255 - 23,
    };
    if p <= x {
        return p;
    }
    let m = (usable - 12) * 32 / 255 - 23;
    let k = m + (p - m) % (usable - 4);
    if k <= x {
        k
    } else {
        m
    }
}

/// What the walk hands back per record.
pub(crate) enum Visit {
    Continue,
    Stop,
}

/// A pending step of the walk.
enum Step {
    Page(u32),
    /// The record of an interior index cell, visited between its children.
    Payload(Vec<u8>),
}

/// Walks the b-tree rooted at `root`, calling `f(rowid, payload)` per record in key order
/// (rowid 0 for index b-trees). Payloads over `max_payload` bytes are passed as `None` (their
/// overflow is not read). Damage is appended to `damage`.
pub(crate) fn walk(
    pager: &mut Pager,
    root: u32,
    kind: Kind,
    max_payload: usize,
    visited: &mut Visited,
    damage: &mut Vec<Damage>,
    mut f: impl FnMut(i64, Option<&[u8]>) -> Visit,
) {
    let usable = pager.header.usable;
    let mut stack = vec![Step::Page(root)];
    let mut page = Vec::new();
    let mut payload = Vec::new();
    while let Some(step) = stack.pop() {
        let n = match step {
            Step::Page(n) => n,
            Step::Payload(p) => {
                if let Visit::Stop = f(0, Some(&p)) {
                    return;
                }
                continue;
            }
        };
        if !visited.mark(n) {
            damage.push(Damage {
                page: n,
                what: "page is referenced twice (a loop in the b-tree)".into(),
            });
            continue;
        }
        if let Err(what) = pager.read(n, &mut page) {
            damage.push(Damage { page: n, what });
            continue;
        }
        let h = if n == 1 { 100 } else { 0 };
        let ty = page[h];
        let (interior, want) = match ty {
            5 => (true, Kind::Table),
            13 => (false, Kind::Table),
            2 => (true, Kind::Index),
            10 => (false, Kind::Index),
            t => {
                damage.push(Damage {
                    page: n,
                    what: format!("not a b-tree page (type byte {t})"),
                });
                continue;
            }
        };
        if want != kind {
            damage.push(Damage {
                page: n,
                what: format!("a page of the wrong b-tree kind (type byte {ty})"),
            });
            continue;
        }
        let cells = (usize::from(page[h + 3]) << 8) | usize::from(page[h + 4]);
        let ptrs = h + if interior { 12 } else { 8 };
        if ptrs + 2 * cells > usable {
            damage.push(Damage {
                page: n,
                what: format!("{cells} cells cannot fit on the page"),
            });
            continue;
        }
        let mut children = Vec::new();
        let mut bad_cells = 0usize;
        for i in 0..cells {
            let at = (usize::from(page[ptrs + 2 * i]) << 8) | usize::from(page[ptrs + 2 * i + 1]);
            if at < ptrs + 2 * cells || at >= usable {
                bad_cells += 1;
                continue;
            }
            let mut c = at;
            if interior {
                let Some(child) = page.get(c..c + 4) else {
                    bad_cells += 1;
                    continue;
                };
                children.push(Step::Page(u32::from_be_bytes([
                    child[0], child[1], child[2], child[3],
                ])));
                c += 4;
                if kind == Kind::Table {
                    continue;
                }
            }
            let (p, k) = varint(&page[..usable], c);
            if k == 0 {
                bad_cells += 1;
                continue;
            }
            c += k;
            let mut rowid = 0i64;
            if kind == Kind::Table {
                let (r, k) = varint(&page[..usable], c);
                if k == 0 {
                    bad_cells += 1;
                    continue;
                }
                rowid = r as i64;
                c += k;
            }
            let p = p as usize;
            let local = local_size(p, usable, kind);
            if c + local > usable || (local < p && c + local + 4 > usable) {
                bad_cells += 1;
                continue;
            }
            let too_big = p > max_payload;
            if !too_big {
                payload.clear();
                payload.extend_from_slice(&page[c..c + local]);
                if local < p {
                    let first = u32::from_be_bytes([
                        page[c + local],
                        page[c + local + 1],
                        page[c + local + 2],
                        page[c + local + 3],
                    ]);
                    if let Err(d) = overflow(pager, first, p, usable, visited, &mut payload) {
                        damage.push(d);
                        continue;
                    }
                }
            }
            let data = (!too_big).then_some(payload.as_slice());
            if interior {
                // An interior index cell: its record comes after its left child's subtree.
                children.push(Step::Payload(data.map(<[u8]>::to_vec).unwrap_or_default()));
                continue;
            }
            if let Visit::Stop = f(rowid, data) {
                return;
            }
        }
        if bad_cells > 0 {
            damage.push(Damage {
                page: n,
                what: format!("{bad_cells} of its {cells} cells point outside the page"),
            });
        }
        if interior {
            let right = u32::from_be_bytes([page[h + 8], page[h + 9], page[h + 10], page[h + 11]]);
            children.push(Step::Page(right));
            // Children in reverse so the leftmost is walked first.
            stack.extend(children.into_iter().rev());
        }
    }
}

/// Appends the overflow chain starting at `first` to `payload` until it holds `total` bytes.
fn overflow(
    pager: &mut Pager,
    first: u32,
    total: usize,
    usable: usize,
    visited: &mut Visited,
    payload: &mut Vec<u8>,
) -> Result<(), Damage> {
    let mut next = first;
    let mut page = Vec::new();
    while payload.len() < total {
        if next == 0 || !visited.mark(next) {
            return Err(Damage {
                page: next,
                what: "overflow chain broken (ends early or loops)".into(),
            });
        }
        pager
            .read(next, &mut page)
            .map_err(|what| Damage { page: next, what })?;
        let take = (total - payload.len()).min(usable - 4);
        payload.extend_from_slice(&page[4..4 + take]);
        next = u32::from_be_bytes([page[0], page[1], page[2], page[3]]);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_and_records() {
        assert_eq!(varint(&[0x7f], 0), (127, 1));
        assert_eq!(varint(&[0x81, 0x00], 0), (128, 2));
        assert_eq!(varint(&[0xff; 9], 0), (u64::MAX, 9));
        assert_eq!(varint(&[0x81], 0), (0, 0));
        // Header: 5 bytes (size + 4 types): NULL, int8, text(3), zero.
        let rec = [5, 0, 1, 19, 8, 0xfe, b'a', b'b', b'c'];
        let mut f = Vec::new();
        assert!(record(&rec, &mut f));
        assert_eq!(
            f,
            [
                Field::Null,
                Field::Int(-2),
                Field::Text(6..9),
                Field::Int(0)
            ]
        );
        assert!(
            !record(&[5, 0, 1, 21, 8, 0], &mut f),
            "text runs past the end"
        );
    }

    #[test]
    fn local_sizes_follow_the_spill_rule() {
        assert_eq!(local_size(100, 4096, Kind::Table), 100);
        assert_eq!(local_size(4061, 4096, Kind::Table), 4061);
        // M = 489; K = 489 + (5000 - 489) % 4092 = 908.
        assert_eq!(local_size(5000, 4096, Kind::Table), 908);
        assert_eq!(local_size(1002, 4096, Kind::Index), 1002);
        // K = 489 + 514 = 1003 > X = 1002: only M stays local.
        assert_eq!(local_size(1003, 4096, Kind::Index), 489);
    }
}
