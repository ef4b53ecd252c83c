//! Tiny independent parsers for the SQL dump formats (test-only).
#![allow(dead_code)]

/// Parses every tuple of every `INSERT INTO ... VALUES (...),(...);` statement; `None` = NULL.
pub fn mysql_rows(dump: &str) -> Vec<Vec<Option<String>>> {
    let mut rows = Vec::new();
    for line in dump.lines().filter(|l| l.starts_with("INSERT INTO ")) {
        let body = &line[line.find(" VALUES ").expect("VALUES") + 8..];
        let b: Vec<char> = body.chars().collect();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                '(' => {
                    i += 1;
                    let mut row = Vec::new();
                    loop {
                        if b[i] == '\'' {
                            i += 1;
                            let mut s = String::new();
                            while b[i] != '\'' {
                                if b[i] == '\\' {
                                    i += 1;
                                    s.push(match b[i] {
                                        'n' => '\n',
                                        'r' => '\r',
                                        '0' => '\0',
                                        'Z' => '\x1a',
                                        c => c,
                                    });
                                } else {
                                    s.push(b[i]);
                                }
                                i += 1;
                            }
                            i += 1;
                            row.push(Some(s));
                        } else {
                            let start = i;
                            while b[i] != ',' && b[i] != ')' {
                                i += 1;
                            }
                            let tok: String = b[start..i].iter().collect();
                            row.push(if tok == "NULL" { None } else { Some(tok) });
                        }
                        if b[i] == ')' {
                            i += 1;
                            break;
                        }
                        i += 1;
                    }
                    rows.push(row);
                }
                _ => i += 1,
            }
        }
    }
    rows
}

/// Parses the data lines of every `COPY ... FROM stdin;` block; `None` = `\N`.
pub fn pg_rows(dump: &str) -> Vec<Vec<Option<String>>> {
    let mut rows = Vec::new();
    let mut in_copy = false;
    for line in dump.lines() {
        if line.starts_with("COPY ") && line.ends_with("FROM stdin;") {
            in_copy = true;
        } else if line == "\\." {
            in_copy = false;
        } else if in_copy {
            rows.push(
                line.split('\t')
                    .map(|f| {
                        if f == "\\N" {
                            return None;
                        }
                        let mut s = String::new();
                        let mut it = f.chars();
                        while let Some(c) = it.next() {
                            if c == '\\' {
                                s.push(match it.next() {
                                    Some('t') => '\t',
                                    Some('n') => '\n',
                                    Some('r') => '\r',
                                    Some(o) => o,
                                    None => '\\',
                                });
                            } else {
                                s.push(c);
                            }
                        }
                        Some(s)
                    })
                    .collect(),
            );
        }
    }
    rows
}
