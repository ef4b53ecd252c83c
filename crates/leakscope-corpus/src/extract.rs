//! A small built-in reader of delimited text leaks (CSV/TSV/`;`/`|`/`email:password` lines),
//! used until the shared reader (`leakscope_formats::read_paths`) and detectors land. Columns are
//! typed by header name, else each cell by shape. Yields [`Item`]s; counts what it skipped.

use crate::ingest::Item;
use crate::normalize;
use leakscope_keys::IdKind;
use std::io::BufRead;
use std::path::Path;

/// What a column holds, from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Id(IdKind),
    Password,
    Class(&'static str),
    Unknown,
}

fn column_of(header: &str) -> Col {
    let h = header
        .trim()
        .trim_matches('"')
        .to_ascii_lowercase()
        .replace([' ', '-'], "_");
    let has = |keys: &[&str]| {
        keys.iter()
            .any(|k| h == *k || h.ends_with(&format!("_{k}")) || h.starts_with(&format!("{k}_")))
    };
    if has(&["email", "e_mail", "mail", "email_address"]) {
        Col::Id(IdKind::Email)
    } else if has(&[
        "phone",
        "mobile",
        "tel",
        "telephone",
        "msisdn",
        "phone_number",
    ]) {
        Col::Id(IdKind::Phone)
    } else if has(&[
        "national_id",
        "id_card",
        "nric",
        "ssn",
        "resident_id",
        "id_number",
        "sfz",
    ]) {
        Col::Id(IdKind::NationalId)
    } else if has(&["username", "user_name", "login", "user"]) {
        Col::Id(IdKind::Username)
    } else if has(&["password", "passwd", "pass", "pwd"]) {
        Col::Password
    } else if has(&["name", "full_name", "first_name", "last_name"]) {
        Col::Class("Names")
    } else if has(&["address", "street", "addr"]) {
        Col::Class("Physical addresses")
    } else if has(&["dob", "birthday", "date_of_birth", "birth_date"]) {
        Col::Class("Dates of birth")
    } else if has(&["ip", "ip_address", "last_ip"]) {
        Col::Class("IP addresses")
    } else {
        Col::Unknown
    }
}

/// Counters of one extraction.
#[derive(Debug, Default, Clone, Copy)]
pub struct ExtractStats {
    /// Lines read.
    pub lines: u64,
    /// Cells in identifier columns that failed normalisation.
    pub rejected: u64,
    /// Lines that were not valid UTF-8 (read lossily).
    pub lossy_lines: u64,
}

fn split_line(line: &str, delim: Option<char>) -> Vec<&str> {
    match delim {
        Some(d) => line.split(d).collect(),
        None => vec![line],
    }
}

fn guess_delim(line: &str) -> Option<char> {
    [',', '\t', ';', '|', ':']
        .into_iter()
        .max_by_key(|d| line.matches(*d).count())
        .filter(|d| line.contains(*d))
}

fn by_shape(cell: &str) -> Option<Item> {
    if let Some(e) = normalize::email(cell) {
        return Some(Item::Id(IdKind::Email, e));
    }
    if let Some(p) = normalize::phone(cell) {
        return Some(Item::Id(IdKind::Phone, p));
    }
    normalize::national_id(cell)
        .filter(|n| n.starts_with("cn_resident_id:"))
        .map(|n| Item::Id(IdKind::NationalId, n))
}

fn normalize_as(kind: IdKind, cell: &str) -> Option<String> {
    match kind {
        IdKind::Email => normalize::email(cell),
        IdKind::Phone => normalize::phone(cell),
        IdKind::NationalId => normalize::national_id(cell),
        IdKind::Username => normalize::username(cell),
    }
}

/// Reads one file, calling `emit` for each item.
pub fn extract_file(path: &Path, emit: &mut dyn FnMut(Item)) -> std::io::Result<ExtractStats> {
    let mut stats = ExtractStats::default();
    let mut reader = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(path)?);
    let mut buf = Vec::new();
    let mut cols: Option<Vec<Col>> = None;
    let mut delim = None;
    let mut first = true;
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            break;
        }
        stats.lines += 1;
        let line = match std::str::from_utf8(&buf) {
            Ok(s) => std::borrow::Cow::Borrowed(s),
            Err(_) => {
                stats.lossy_lines += 1;
                String::from_utf8_lossy(&buf)
            }
        };
        let line = line.trim_end_matches(['\r', '\n']);
        if line.trim().is_empty() {
            continue;
        }
        if first {
            first = false;
            delim = guess_delim(line);
            let heads: Vec<Col> = split_line(line, delim).into_iter().map(column_of).collect();
            if heads.iter().any(|c| *c != Col::Unknown) {
                for c in &heads {
                    if let Col::Class(name) = c {
                        emit(Item::DataClass((*name).to_string()));
                    }
                }
                cols = Some(heads);
                continue;
            }
        }
        let cells = split_line(line, delim);
        match &cols {
            Some(cols) => {
                for (cell, col) in cells.iter().zip(cols) {
                    let cell = cell.trim().trim_matches('"');
                    if cell.is_empty() {
                        continue;
                    }
                    match col {
                        Col::Id(kind) => match normalize_as(*kind, cell) {
                            Some(v) => emit(Item::Id(*kind, v)),
                            None => stats.rejected += 1,
                        },
                        Col::Password => emit(Item::Password(cell.to_string())),
                        Col::Class(_) | Col::Unknown => {}
                    }
                }
            }
            None => {
                // Headerless: `email:password` combolists, or cells typed by shape.
                if cells.len() == 2 && delim == Some(':') {
                    if let Some(e) = normalize::email(cells[0]) {
                        emit(Item::Id(IdKind::Email, e));
                        emit(Item::Password(cells[1].to_string()));
                        continue;
                    }
                }
                for cell in cells {
                    if let Some(item) = by_shape(cell.trim().trim_matches('"')) {
                        emit(item);
                    }
                }
            }
        }
    }
    Ok(stats)
}

/// Files under `paths` (directories walked recursively, sorted for determinism).
pub fn list_files(paths: &[std::path::PathBuf]) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut out = Vec::new();
    let mut stack: Vec<std::path::PathBuf> = paths.iter().rev().cloned().collect();
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            let mut entries: Vec<_> = std::fs::read_dir(&p)?.flatten().map(|e| e.path()).collect();
            entries.sort();
            stack.extend(entries.into_iter().rev());
        } else {
            std::fs::metadata(&p)?;
            out.push(p);
        }
    }
    Ok(out)
}

/// Reads every file under `paths` into a [`Prepared`] leak.
pub fn prepare_paths(
    paths: &[std::path::PathBuf],
    secret: &leakscope_keys::Secret,
    opts: crate::ingest::IngestOptions,
) -> std::io::Result<(crate::ingest::Prepared, ExtractStats)> {
    let mut ing = crate::ingest::Ingest::new(secret, opts);
    let mut total = ExtractStats::default();
    for file in list_files(paths)? {
        let st = extract_file(&file, &mut |item| ing.push(item))
            .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", file.display())))?;
        total.lines += st.lines;
        total.rejected += st.rejected;
        total.lossy_lines += st.lossy_lines;
    }
    Ok((ing.finish().map_err(std::io::Error::other)?, total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_header_csv_and_combolists() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("a.csv");
        std::fs::write(&csv, "id,Full Name,Email,Mobile,password\n1,An,AN@x.vn,+84901234567,pw1\n2,Bo,bad-email,+84,pw2\n").unwrap();
        let mut items = Vec::new();
        let st = extract_file(&csv, &mut |i| items.push(i)).unwrap();
        assert!(items.contains(&Item::Id(IdKind::Email, "an@x.vn".into())));
        assert!(items.contains(&Item::Id(IdKind::Phone, "+84901234567".into())));
        assert!(items.contains(&Item::Password("pw2".into())));
        assert!(items.contains(&Item::DataClass("Names".into())));
        assert_eq!(
            st.rejected, 2,
            "bad email and short phone are counted, not silently dropped"
        );
        let combo = dir.path().join("c.txt");
        std::fs::write(&combo, "a@b.com:secret\nc@d.org:hunter2\n").unwrap();
        items.clear();
        extract_file(&combo, &mut |i| items.push(i)).unwrap();
        assert_eq!(items.len(), 4);
        assert!(items.contains(&Item::Password("hunter2".into())));
    }
}
