//! How a SQLite table's records map to its columns, from the `CREATE TABLE` text kept in
//! `sqlite_schema`: column names and declared types, the `INTEGER PRIMARY KEY` column (stored
//! as the rowid, NULL in the record), `WITHOUT ROWID` tables (primary-key columns first in the
//! record) and virtual generated columns (not stored).

use crate::sql::dialect::{Dialect, Kind};
use crate::sql::lex::{Lexer, Tok};

/// One declared column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Column {
    pub name: String,
    /// Declared type as written (`NVARCHAR(40)`), empty when none.
    pub decl_type: String,
    /// `GENERATED ALWAYS AS (…) VIRTUAL` (or `AS (…)` without `STORED`): not in the record.
    pub virtual_generated: bool,
}

/// A table's columns and record layout.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Layout {
    pub columns: Vec<Column>,
    /// The column that aliases the rowid.
    pub rowid_alias: Option<usize>,
    pub without_rowid: bool,
    /// Primary-key columns in key order.
    pub primary_key: Vec<usize>,
}

impl Layout {
    /// For each field of a stored record, the column it fills.
    pub fn record_order(&self) -> Vec<usize> {
        let stored = |i: &usize| !self.columns[*i].virtual_generated;
        if self.without_rowid && !self.primary_key.is_empty() {
            let mut order: Vec<usize> = self.primary_key.clone();
            order.extend((0..self.columns.len()).filter(|i| !self.primary_key.contains(i)));
            order.retain(stored);
            order
        } else {
            (0..self.columns.len()).filter(stored).collect()
        }
    }
}

/// Words that end a column's declared type.
const CONSTRAINTS: [&str; 12] = [
    "CONSTRAINT",
    "PRIMARY",
    "NOT",
    "NULL",
    "UNIQUE",
    "CHECK",
    "DEFAULT",
    "COLLATE",
    "REFERENCES",
    "GENERATED",
    "AS",
    "AUTOINCREMENT",
];

/// Words that start a table constraint instead of a column.
const TABLE_CONSTRAINTS: [&str; 5] = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"];

fn is(t: &[u8], w: &str) -> bool {
    t.eq_ignore_ascii_case(w.as_bytes())
}

/// One token with its text.
type Token = (Tok, String);

/// Parses a `CREATE TABLE` statement; `None` when it has no column list (`CREATE TABLE … AS
/// SELECT`).
pub(crate) fn parse(sql: &str) -> Option<Layout> {
    let mut input = sql.as_bytes();
    let mut lx = Lexer::new(&mut input, Dialect::of(Kind::Sqlite), 1 << 20);
    let mut toks: Vec<Token> = Vec::new();
    loop {
        let t = lx.next();
        if t == Tok::Eof {
            break;
        }
        toks.push((t, String::from_utf8_lossy(&lx.text).into_owned()));
    }
    let open = toks.iter().position(|t| t.0 == Tok::Punct(b'('))?;
    // Items of the column list, split at depth-1 commas.
    let mut items: Vec<Vec<Token>> = vec![Vec::new()];
    let mut depth = 0usize;
    let mut close = toks.len();
    for (i, t) in toks.iter().enumerate().skip(open + 1) {
        match t.0 {
            Tok::Punct(b'(') => depth += 1,
            Tok::Punct(b')') if depth == 0 => {
                close = i;
                break;
            }
            Tok::Punct(b')') => depth -= 1,
            Tok::Punct(b',') if depth == 0 => {
                items.push(Vec::new());
                continue;
            }
            _ => {}
        }
        if let Some(last) = items.last_mut() {
            last.push(t.clone());
        }
    }
    let mut layout = Layout {
        without_rowid: toks[close.min(toks.len())..]
            .windows(2)
            .any(|w| is(w[0].1.as_bytes(), "WITHOUT") && is(w[1].1.as_bytes(), "ROWID")),
        ..Layout::default()
    };
    let mut table_pk: Vec<String> = Vec::new();
    let mut column_pk: Option<usize> = None;
    for item in items.iter().filter(|i| !i.is_empty()) {
        let (t0, w0) = &item[0];
        let named = matches!(t0, Tok::Word | Tok::Ident | Tok::Str);
        if *t0 == Tok::Word && TABLE_CONSTRAINTS.iter().any(|k| is(w0.as_bytes(), k)) {
            if let Some(p) = item.iter().position(|t| is(t.1.as_bytes(), "PRIMARY")) {
                // `PRIMARY KEY (a, b)`: the names inside the parentheses.
                let mut d = 0;
                for t in &item[p..] {
                    match t.0 {
                        Tok::Punct(b'(') => d += 1,
                        Tok::Punct(b')') => d -= 1,
                        Tok::Word | Tok::Ident | Tok::Str
                            if d == 1
                                && !["ASC", "DESC", "COLLATE"]
                                    .iter()
                                    .any(|k| is(t.1.as_bytes(), k)) =>
                        {
                            table_pk.push(t.1.clone());
                        }
                        _ => {}
                    }
                }
            }
            continue;
        }
        if !named {
            continue;
        }
        let mut decl = String::new();
        let mut d = 0;
        let mut k = 1;
        while k < item.len() {
            let (t, w) = &item[k];
            if d == 0 && *t == Tok::Word && CONSTRAINTS.iter().any(|c| is(w.as_bytes(), c)) {
                break;
            }
            match t {
                Tok::Punct(b'(') => {
                    d += 1;
                    decl.push('(');
                }
                Tok::Punct(b')') => {
                    d -= 1;
                    decl.push(')');
                }
                Tok::Punct(c) => decl.push(*c as char),
                _ => {
                    if !decl.is_empty() && !decl.ends_with('(') && !decl.ends_with(',') {
                        decl.push(' ');
                    }
                    decl.push_str(w);
                }
            }
            k += 1;
        }
        let words: Vec<String> = item[k..]
            .iter()
            .filter(|t| t.0 == Tok::Word)
            .map(|t| t.1.to_ascii_uppercase())
            .collect();
        let has = |w: &str| words.iter().any(|x| x == w);
        let generated =
            has("GENERATED") || (has("AS") && item[k..].iter().any(|t| t.0 == Tok::Punct(b'(')));
        let index = layout.columns.len();
        if words.windows(2).any(|w| w[0] == "PRIMARY" && w[1] == "KEY") {
            column_pk = Some(index);
            // `INTEGER PRIMARY KEY DESC` is, by a quirk kept for compatibility, no rowid alias.
            let desc = words
                .windows(3)
                .any(|w| w[0] == "PRIMARY" && w[1] == "KEY" && w[2] == "DESC");
            if decl.eq_ignore_ascii_case("INTEGER") && !desc {
                layout.rowid_alias = Some(index);
            }
        }
        layout.columns.push(Column {
            name: w0.clone(),
            decl_type: decl,
            virtual_generated: generated && !has("STORED"),
        });
    }
    if layout.columns.is_empty() {
        return None;
    }
    let find = |n: &str| {
        layout
            .columns
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(n))
    };
    if !table_pk.is_empty() {
        layout.primary_key = table_pk.iter().filter_map(|n| find(n)).collect();
        if layout.primary_key.len() == 1 {
            let c = layout.primary_key[0];
            if layout.columns[c].decl_type.eq_ignore_ascii_case("INTEGER") {
                layout.rowid_alias = Some(c);
            }
        }
    } else if let Some(c) = column_pk {
        layout.primary_key = vec![c];
    }
    if layout.without_rowid {
        layout.rowid_alias = None;
    }
    Some(layout)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(l: &Layout) -> Vec<&str> {
        l.columns.iter().map(|c| c.name.as_str()).collect()
    }

    #[test]
    fn columns_types_and_keys() {
        let l = parse("CREATE TABLE [Customer]\n(\n    [CustomerId] INTEGER  NOT NULL,\n    [FirstName] NVARCHAR(40)  NOT NULL,\n    CONSTRAINT [PK_Customer] PRIMARY KEY  ([CustomerId]),\n    FOREIGN KEY ([SupportRepId]) REFERENCES [Employee] ([EmployeeId])\n)").unwrap();
        assert_eq!(names(&l), ["CustomerId", "FirstName"]);
        assert_eq!(l.columns[1].decl_type, "NVARCHAR(40)");
        assert_eq!(l.rowid_alias, Some(0));
        let l = parse("CREATE TABLE t(id integer primary key autoincrement, \"e mail\" text, v, d DECIMAL(10, 2))").unwrap();
        assert_eq!(names(&l), ["id", "e mail", "v", "d"]);
        assert_eq!(l.columns[3].decl_type, "DECIMAL(10,2)");
        assert_eq!(l.rowid_alias, Some(0));
        let l = parse("CREATE TABLE t(a INT PRIMARY KEY, b TEXT)").unwrap();
        assert_eq!(l.rowid_alias, None, "INT is no rowid alias");
    }

    #[test]
    fn without_rowid_and_generated_columns() {
        let l = parse("CREATE TABLE kv(v TEXT, k TEXT, n INT, PRIMARY KEY (k, n)) WITHOUT ROWID")
            .unwrap();
        assert!(l.without_rowid);
        assert_eq!(l.record_order(), [1, 2, 0]);
        let l = parse(
            "CREATE TABLE g(a INT, b INT GENERATED ALWAYS AS (a*2) VIRTUAL, c INT AS (a+1) STORED)",
        )
        .unwrap();
        assert_eq!(l.record_order(), [0, 2]);
        assert_eq!(parse("CREATE TABLE x AS SELECT 1"), None);
    }
}
