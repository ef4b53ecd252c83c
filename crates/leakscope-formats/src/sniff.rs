//! Delimited-text sniffing: which delimiter, whether the first row is a header, whether the file
//! is a combolist (`email:password`, `user;pass`, `phone|name|...`).

/// Delimiters tried, in order of preference on ties.
const CANDIDATES: [u8; 5] = [b',', b'\t', b';', b'|', b':'];
/// Records looked at when sniffing.
const SAMPLE_RECORDS: usize = 64;

/// How to split a delimited text file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dialect {
    /// Field delimiter byte.
    pub delimiter: u8,
    /// Whether `"` quoting is honoured (off for `:` combolists).
    pub quoting: bool,
    /// Whether the first record is a header row.
    pub has_header: bool,
    /// Columns expected (the most common field count in the sample).
    pub columns: usize,
    /// True for credential lists (no header, login in the first column).
    pub combolist: bool,
    /// Split each line into at most this many fields (2 for `email:password`, where passwords
    /// may themselves contain `:`).
    pub max_fields: Option<usize>,
    /// Fields past this many are dropped and counted (`too-many-columns`); the reader sets it
    /// from `ReadOptions::max_columns`, the sniffer leaves it unbounded.
    pub max_columns: usize,
}

/// Splits the sample into records of fields for `delim` (quote-aware, at most `SAMPLE_RECORDS`).
/// The last, possibly cut, line is dropped unless `complete`.
pub fn split_sample(text: &str, delim: u8, quoting: bool, complete: bool) -> Vec<Vec<String>> {
    let bytes = text.as_bytes();
    let mut records = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = Vec::new();
    let mut in_q = false;
    let mut at_start = true;
    let mut i = 0;
    while i < bytes.len() && records.len() < SAMPLE_RECORDS {
        let b = bytes[i];
        if in_q {
            if b == b'"' {
                if bytes.get(i + 1) == Some(&b'"') {
                    field.push(b'"');
                    i += 1;
                } else {
                    in_q = false;
                }
            } else {
                field.push(b);
            }
        } else if quoting && b == b'"' && at_start {
            in_q = true;
            at_start = false;
        } else if b == delim {
            fields.push(String::from_utf8_lossy(&field).into_owned());
            field.clear();
            at_start = true;
        } else if b == b'\n' || b == b'\r' {
            if !(fields.is_empty() && field.is_empty()) {
                fields.push(String::from_utf8_lossy(&field).into_owned());
                records.push(std::mem::take(&mut fields));
            }
            field.clear();
            at_start = true;
        } else {
            field.push(b);
            at_start = false;
        }
        i += 1;
    }
    if complete
        && !in_q
        && records.len() < SAMPLE_RECORDS
        && !(fields.is_empty() && field.is_empty())
    {
        fields.push(String::from_utf8_lossy(&field).into_owned());
        records.push(fields);
    }
    records
}

/// Most common value and how often it occurs.
fn mode(counts: &[usize]) -> (usize, usize) {
    let mut best = (0, 0);
    for &c in counts {
        let n = counts.iter().filter(|&&x| x == c).count();
        if n > best.1 || (n == best.1 && c > best.0) {
            best = (c, n);
        }
    }
    best
}

/// Guesses the dialect of delimited text from a decoded sample (`complete` when the sample is the
/// whole input). Never panics, whatever the input.
pub fn sniff_dialect(text: &str, complete: bool) -> Dialect {
    let mut best: Option<(f64, u8, usize)> = None;
    for &d in &CANDIDATES {
        let quoting = d != b':';
        let recs = split_sample(text, d, quoting, complete);
        if recs.is_empty() {
            continue;
        }
        let counts: Vec<usize> = recs.iter().map(Vec::len).collect();
        let (m, freq) = mode(&counts);
        if m < 2 {
            continue;
        }
        let mut score = freq as f64 / counts.len() as f64;
        if d == b':' {
            // Colons appear in times and URLs; only take them for `login:secret` lines whose
            // login has no spaces and no other delimiter.
            let logins = recs
                .iter()
                .filter(|r| {
                    r.len() >= 2 && !r[0].is_empty() && !r[0].contains([' ', ',', '\t', ';', '|'])
                })
                .count();
            score = logins as f64 / counts.len() as f64 * 0.8;
        }
        if best.is_none_or(|(s, _, _)| score > s + 1e-9) {
            best = Some((score, d, m));
        }
    }
    let (delimiter, columns) = match best {
        Some((_, d, m)) => (d, m),
        None => (b',', 1),
    };
    let quoting = delimiter != b':';
    let recs = split_sample(text, delimiter, quoting, complete);
    let has_header = looks_like_header(&recs);
    let combolist = !has_header && is_combolist(&recs, delimiter);
    let max_fields = if delimiter == b':' { Some(2) } else { None };
    let columns = if delimiter == b':' {
        2
    } else {
        columns.max(recs.first().map_or(1, Vec::len))
    };
    Dialect {
        delimiter,
        quoting,
        has_header,
        columns,
        combolist,
        max_fields,
        max_columns: usize::MAX,
    }
}

/// Decides whether the first record is a header row, on the whole row's evidence (see
/// `header.rs`): the kinds of its cells against the values below them.
pub fn looks_like_header(recs: &[Vec<String>]) -> bool {
    crate::header::looks_like_header(recs)
}

/// True for credential-list shaped records: few fields, first field a login (email, phone, user).
fn is_combolist(recs: &[Vec<String>], delimiter: u8) -> bool {
    if delimiter == b',' || recs.is_empty() {
        return false;
    }
    let loginish = recs
        .iter()
        .filter(|r| {
            let f = r.first().map_or("", |s| s.trim());
            let digits = f.chars().filter(char::is_ascii_digit).count();
            r.len() >= 2
                && (f.contains('@')
                    || (digits >= 8
                        && f.chars().all(|c| c.is_ascii_digit() || "+-() ".contains(c))))
        })
        .count();
    let few = recs.iter().filter(|r| r.len() <= 6).count();
    loginish * 10 >= recs.len() * 8 && few * 10 >= recs.len() * 8
}
