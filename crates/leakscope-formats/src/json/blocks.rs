//! Finding where a JSON container ends, 64 bytes at a time: one pass builds bit masks of the
//! block's quotes, backslashes and brackets (written so the compiler turns it into vector
//! compares), escaped quotes are removed, a prefix XOR of the quotes tells which bytes are
//! inside strings, and only the brackets outside strings are walked one by one. Exactly the
//! answer of the byte-by-byte scan in `cut.rs` (tested against it); a block with a backslash
//! outside every string (invalid JSON) is left to that scan.

/// Bytes per block.
pub(crate) const BLOCK: usize = 64;

/// One bit per byte of a block: where its quotes, backslashes, opening and closing brackets
/// are.
struct Masks {
    quote: u64,
    backslash: u64,
    open: u64,
    close: u64,
}

/// The masks of one block, 16 bytes at a time (the shape LLVM vectorises on SSE2).
#[inline(always)]
fn masks(block: &[u8; BLOCK]) -> Masks {
    let mut m = [0u64; 4];
    for (j, lane) in block.chunks_exact(16).enumerate() {
        let mut a = [0u16; 4];
        for (k, &c) in lane.iter().enumerate() {
            a[0] |= ((c == b'"') as u16) << k;
            a[1] |= ((c == b'\\') as u16) << k;
            // `{` 0x7B and `[` 0x5B differ only in bit 0x20, as do `}` 0x7D and `]` 0x5D.
            a[2] |= ((c | 0x20 == b'{') as u16) << k;
            a[3] |= ((c | 0x20 == b'}') as u16) << k;
        }
        for (t, v) in a.iter().enumerate() {
            m[t] |= (*v as u64) << (16 * j);
        }
    }
    Masks {
        quote: m[0],
        backslash: m[1],
        open: m[2],
        close: m[3],
    }
}

/// Bit `k` set when an odd number of bits `0..=k` of `x` are set.
#[inline(always)]
fn prefix_xor(mut x: u64) -> u64 {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    x
}

/// Bytes escaped by a backslash within the block (a backslash escaped itself escapes
/// nothing), and whether the block's last byte is a backslash that escapes the next block's
/// first.
#[inline(always)]
fn escaped(backslash: u64) -> (u64, bool) {
    let mut escaped = 0u64;
    let mut rest = backslash;
    while rest != 0 {
        let p = rest.trailing_zeros();
        if p == 63 {
            return (escaped, true);
        }
        escaped |= 1 << (p + 1);
        rest &= rest - 1;
        rest &= !escaped;
    }
    (escaped, false)
}

/// What scanning one block found.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Step {
    /// The container closed at this offset in the block (exclusive end).
    End(usize),
    /// The block holds no end: the state after it (inside a string, and whether its first
    /// byte is escaped).
    Next { in_str: bool, escape_next: bool },
    /// A backslash outside every string: the block must be scanned byte by byte.
    Bytewise,
}

/// Scans one block of a container at `depth` (≥ 1), starting inside a string when `in_str`
/// (the block's first byte not escaped); updates `depth`.
#[inline]
pub(crate) fn scan(block: &[u8; BLOCK], in_str: bool, depth: &mut u32) -> Step {
    let m = masks(block);
    let start = if in_str { !0u64 } else { 0 };
    let (esc, escape_next) = if m.backslash == 0 {
        (0, false)
    } else {
        escaped(m.backslash)
    };
    let inside = prefix_xor(m.quote & !esc) ^ start;
    // Every backslash that counted as an escape must sit inside a string; the first one
    // that does not is where this reading and the byte-by-byte one part ways.
    if m.backslash & !inside != 0 {
        return Step::Bytewise;
    }
    let mut brackets = (m.open | m.close) & !inside;
    while brackets != 0 {
        let p = brackets.trailing_zeros();
        if m.open >> p & 1 == 1 {
            *depth += 1;
        } else {
            *depth -= 1;
            if *depth == 0 {
                return Step::End(p as usize + 1);
            }
        }
        brackets &= brackets - 1;
    }
    Step::Next {
        in_str: inside >> 63 == 1,
        escape_next,
    }
}

#[cfg(test)]
mod tests {
    use super::super::cut::{value_end, EndScan};
    use super::*;

    #[test]
    fn prefix_xor_marks_odd_counts() {
        assert_eq!(prefix_xor(0b1001), 0b0111);
        assert_eq!(prefix_xor(1 << 63), 1 << 63);
        assert_eq!(prefix_xor(1), !0);
    }

    #[test]
    fn escapes_pair_up() {
        // `\\\"`: bytes 0..=3; 1 and 3 are escaped, 2 is an escaping backslash.
        assert_eq!(escaped(0b0111), (0b1010, false));
        assert_eq!(escaped(0b0011), (0b0010, false));
        assert_eq!(escaped(1 << 63), (0, true));
        assert_eq!(escaped(3 << 62), (1 << 63, false));
    }

    fn block(s: &str) -> [u8; BLOCK] {
        let mut b = [b' '; BLOCK];
        b[..s.len()].copy_from_slice(s.as_bytes());
        b
    }

    #[test]
    fn finds_the_end_outside_strings() {
        let mut depth = 1;
        let b = block(r#""a":"}]\"", "b":[1,{"c":2}]}, {"next":1}"#);
        assert_eq!(scan(&b, false, &mut depth), Step::End(28));
        let mut depth = 1;
        assert_eq!(
            scan(&block(r#"x", "b":"#), true, &mut depth),
            Step::Next {
                in_str: false,
                escape_next: false
            }
        );
        let mut depth = 2;
        let mut b = block(r#""long"#);
        b[63] = b'\\';
        assert_eq!(
            scan(&b, false, &mut depth),
            Step::Next {
                in_str: true,
                escape_next: true
            }
        );
        let mut depth = 1;
        assert_eq!(scan(&block(r#"1, \"a"#), false, &mut depth), Step::Bytewise);
    }

    /// The end of the value at `b[0]` by the plainest reading of the rules `EndScan` follows
    /// (one byte at a time, no skipping): the reference the block scan is checked against.
    fn reference_end(b: &[u8]) -> Option<usize> {
        let first = *b.first()?;
        if !matches!(first, b'{' | b'[' | b'"') {
            let k = b[1..].iter().position(|c| b",]} \t\r\n{[\":".contains(c));
            return Some(k.map_or(b.len(), |k| k + 1));
        }
        let (mut depth, mut in_str, mut esc) = (0u32, false, false);
        for (i, &c) in b.iter().enumerate() {
            if in_str {
                if esc {
                    esc = false;
                } else if c == b'\\' {
                    esc = true;
                } else if c == b'"' {
                    in_str = false;
                    if depth == 0 {
                        return Some(i + 1);
                    }
                }
                continue;
            }
            match c {
                b'"' => in_str = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i + 1);
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// Deterministic pseudo-random JSON-like text: nested records with strings full of
    /// brackets, escapes (runs of backslashes), multi-byte text, and now and then a stray
    /// backslash outside strings or an unbalanced bracket.
    fn jsonish(seed: u64, len: usize) -> Vec<u8> {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let pieces: [&[u8]; 16] = [
            b"{",
            b"}",
            b"[",
            b"]",
            b"\"",
            b"\\",
            b"\\\\",
            b"\\\"",
            b", ",
            b": ",
            b"abc",
            b"12",
            "Lý Thường".as_bytes(),
            b"\"k\": \"v}]\"",
            b"\"esc\\\"q\"",
            b" ",
        ];
        // Deeply nested from the start, so most values run over several 64-byte blocks.
        let mut out = b"{\"a\": [[[[[[[[".to_vec();
        while out.len() < len {
            let r = next();
            let piece = pieces[(r % 16) as usize];
            // Keep stray pieces (bare backslashes, brackets) rarer than strings and words.
            if matches!(r % 16, 5..=7) && (r >> 8) % 4 != 0 {
                continue;
            }
            out.extend_from_slice(piece);
        }
        out
    }

    #[test]
    fn block_scan_agrees_with_the_plain_reading() {
        let mut ends = 0;
        for seed in 0..3000u64 {
            let len = 8 + (seed as usize * 37) % 700;
            let text = jsonish(seed, len);
            let want = reference_end(&text);
            assert_eq!(value_end(&text, 0), want, "seed {seed}");
            ends += want.is_some() as usize;
            // Fed in pieces, as the cursor does when the window grows.
            let cut = (seed as usize * 131) % text.len();
            let mut s = EndScan::default();
            let got = s.feed(&text[..cut], 0).or_else(|| s.feed(&text, cut));
            let got = got.or_else(|| s.ends_at_eof().then_some(text.len()));
            assert_eq!(got, want, "seed {seed}, cut at {cut}");
        }
        // Both outcomes are exercised.
        assert!(ends > 300 && ends < 2700, "{ends} of 3000 ended");
    }

    #[test]
    fn long_records_end_where_the_plain_reading_ends() {
        let mut text = Vec::new();
        for i in 0..200 {
            text.extend_from_slice(
                format!(r#"{{"id": {i}, "note": "a \"quoted\" }} and \\ ]", "n": [1, {{"x": "{{"}}]}}, "#)
                    .as_bytes(),
            );
        }
        let mut at = 0;
        let mut seen = 0;
        while at < text.len() && text[at] == b'{' {
            let want = reference_end(&text[at..]).map(|e| at + e);
            assert_eq!(value_end(&text, at), want);
            at = want.unwrap() + 2;
            seen += 1;
        }
        assert_eq!(seen, 200);
    }
}
