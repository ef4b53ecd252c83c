//! Which SQL dialect a script is written in, sniffed from its first lines: it decides the
//! lexer's quoting rules (backslash escapes, `"…"` and `[…]` identifiers, `#` comments,
//! MySQL's executable `/*!…*/` comments) and the source's format id.

/// The SQL dialects told apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// mysqldump, MariaDB, phpMyAdmin, and SQL scripts with no other dialect's marks.
    MySql,
    /// pg_dump plain format and PostgreSQL scripts.
    Postgres,
    /// SQL Server (T-SQL) scripts: `GO` batches, `[dbo].[T]`, `N'…'`.
    TSql,
    /// Oracle scripts: `TO_DATE`, `VARCHAR2`, `q'[…]'`, `/` block terminators.
    Oracle,
    /// `sqlite3 .dump` output.
    Sqlite,
}

/// The lexical rules of one dump.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Dialect {
    /// The dialect.
    pub kind: Kind,
    /// `'…'` strings take backslash escapes (MySQL; PostgreSQL with
    /// `standard_conforming_strings = off`).
    pub backslash: bool,
}

impl Dialect {
    /// A dialect with its usual string rules.
    pub fn of(kind: Kind) -> Dialect {
        Dialect {
            kind,
            backslash: kind == Kind::MySql,
        }
    }

    /// The format id of a source in this dialect.
    pub fn format(&self) -> &'static str {
        match self.kind {
            Kind::MySql => "mysql-dump",
            Kind::Postgres => "pg-dump",
            Kind::TSql => "mssql-dump",
            Kind::Oracle => "oracle-dump",
            Kind::Sqlite => "sqlite-dump",
        }
    }

    /// `"…"` is a quoted identifier (everywhere but MySQL, where it is a string).
    pub fn dq_ident(&self) -> bool {
        self.kind != Kind::MySql
    }

    /// `[…]` is a quoted identifier (not in PostgreSQL, where brackets are array subscripts).
    pub fn brackets(&self) -> bool {
        self.kind != Kind::Postgres
    }

    /// `#` starts a comment (MySQL only; T-SQL's `#temp` tables are names).
    pub fn hash_comments(&self) -> bool {
        self.kind == Kind::MySql
    }

    /// `/*!50705 …*/` and `/*M!… */` hold SQL that MySQL executes (the comment marks vanish).
    pub fn executable_comments(&self) -> bool {
        self.kind == Kind::MySql
    }

    /// Statements may end without `;` (T-SQL batches): a dump ending after a complete value
    /// tuple is not cut short.
    pub fn optional_semicolons(&self) -> bool {
        self.kind == Kind::TSql
    }

    /// Procedure, function and trigger bodies end only at a batch terminator line (`GO` in
    /// T-SQL, `/` in Oracle's SQL*Plus scripts) rather than at the `;` after their `END`.
    pub fn routines_end_at_batch(&self) -> bool {
        matches!(self.kind, Kind::TSql | Kind::Oracle)
    }
}

/// Case-insensitive prefix test.
fn starts(l: &str, p: &str) -> bool {
    l.len() >= p.len() && l.as_bytes()[..p.len()].eq_ignore_ascii_case(p.as_bytes())
}

/// Case-insensitive substring test (`needle` is lower case).
fn has(lower: &str, needle: &str) -> bool {
    lower.contains(needle)
}

/// A line that only a SQL script starts with.
fn statement_line(l: &str) -> bool {
    const STARTS: [&str; 22] = [
        "-- postgresql database dump",
        "-- mysql dump",
        "-- mariadb dump",
        "-- phpmyadmin sql dump",
        "create table",
        "create database",
        "create schema",
        "insert into",
        "insert ignore",
        "insert or ",
        "insert all",
        "replace into",
        "lock tables",
        "drop table",
        "/*!40",
        "set identity_insert",
        "pragma foreign_keys",
        "begin transaction;",
        "set search_path",
        "set define off",
        "set ansi_nulls",
        "set quoted_identifier",
    ];
    if STARTS.iter().any(|p| starts(l, p)) {
        return true;
    }
    if starts(l, "copy ") && l.to_ascii_lowercase().contains("from stdin") {
        return true;
    }
    // `INSERT [dbo].[T] (…) VALUES`, `INSERT "Orders"(…) VALUES(…)`: T-SQL without INTO.
    if starts(l, "insert ") {
        let rest = l[7..].trim_start();
        let lower = rest.to_ascii_lowercase();
        return rest.starts_with(['[', '"', '`']) && lower.contains("values");
    }
    false
}

/// Dialect marks: (dialect index, weight, test on a trimmed line and its lower-case form).
/// Each mark counts once however often it appears, so one feature repeated on every line (a
/// MySQL script writing `N'…'` strings) cannot outvote the others.
type Mark = (usize, u32, fn(&str, &str) -> bool);

const MARKS: [Mark; 24] = [
    // MySQL / MariaDB.
    (0, 10, |l, _| {
        starts(l, "-- MySQL dump") || starts(l, "-- MariaDB dump") || starts(l, "-- phpMyAdmin")
    }),
    (0, 4, |l, _| l.contains('`')),
    (0, 4, |l, _| starts(l, "/*!")),
    (0, 3, |_, lo| {
        has(lo, "engine=") || has(lo, "auto_increment")
    }),
    (0, 3, |l, _| starts(l, "lock tables")),
    // PostgreSQL.
    (1, 10, |l, _| starts(l, "-- PostgreSQL database dump")),
    (1, 6, |l, lo| starts(l, "copy ") && has(lo, "from stdin")),
    (1, 4, |l, _| starts(l, "set search_path")),
    (1, 3, |l, lo| {
        has(lo, "pg_catalog.") || starts(l, "set standard_conforming_strings")
    }),
    // T-SQL.
    (2, 6, |_, lo| {
        lo == "go" || (starts(lo, "go ") && lo[3..].trim().bytes().all(|b| b.is_ascii_digit()))
    }),
    (2, 4, |_, lo| has(lo, "[dbo]")),
    (2, 4, |l, _| {
        starts(l, "set identity_insert")
            || starts(l, "set ansi_nulls")
            || starts(l, "set quoted_identifier")
    }),
    (2, 1, |l, _| {
        l.contains(" N'") || l.contains("(N'") || l.contains(",N'")
    }),
    (2, 1, |_, lo| has(lo, "nvarchar(")),
    // Oracle.
    (3, 4, |_, lo| has(lo, "varchar2")),
    (3, 3, |_, lo| {
        has(lo, "to_date(") || has(lo, "to_timestamp(")
    }),
    (3, 3, |l, _| l == "/"),
    (3, 3, |l, _| {
        starts(l, "set define off") || starts(l, "prompt ")
    }),
    (3, 2, |_, lo| {
        has(lo, " q'[") || has(lo, ",q'[") || has(lo, "(q'[")
    }),
    (3, 2, |_, lo| has(lo, "number(") || has(lo, "tablespace")),
    // SQLite.
    (4, 6, |l, _| {
        starts(l, "pragma foreign_keys") || starts(l, "begin transaction;")
    }),
    (4, 4, |_, lo| has(lo, "sqlite_sequence")),
    (4, 2, |_, lo| has(lo, "autoincrement")),
    (4, 3, |l, _| {
        l.contains("] (")
            || l.contains("]\t")
            || starts(l, "create table [")
            || starts(l, "insert into [")
    }),
];

/// Decides whether `text` (the first decoded KiB of a source) is a SQL script and in which
/// dialect. `None` when it does not look like SQL.
pub(crate) fn sniff(text: &str) -> Option<Dialect> {
    let mut sqlish = false;
    let mut seen = [false; MARKS.len()];
    let mut conforming_off = false;
    for line in text.lines().take(2_000) {
        let l = line.trim();
        if l.is_empty() {
            continue;
        }
        sqlish |= statement_line(l);
        let lower = l.to_ascii_lowercase();
        for (i, (_, _, test)) in MARKS.iter().enumerate() {
            if !seen[i] && test(l, &lower) {
                seen[i] = true;
            }
        }
        if starts(l, "set standard_conforming_strings") && has(&lower, "off") {
            conforming_off = true;
        }
    }
    if !sqlish {
        return None;
    }
    // Marks per dialect: MySQL, PostgreSQL, T-SQL, Oracle, SQLite.
    let mut score = [0u32; 5];
    for (i, (d, w, _)) in MARKS.iter().enumerate() {
        if seen[i] {
            score[*d] += w;
        }
    }
    let kinds = [
        Kind::MySql,
        Kind::Postgres,
        Kind::TSql,
        Kind::Oracle,
        Kind::Sqlite,
    ];
    // Highest score wins; ties go to the earlier (more common) dialect. Nothing → MySQL rules.
    let mut best = 0;
    for i in 1..score.len() {
        if score[i] > score[best] {
            best = i;
        }
    }
    let kind = if score[best] == 0 {
        Kind::MySql
    } else {
        kinds[best]
    };
    let mut d = Dialect::of(kind);
    if kind == Kind::Postgres && conforming_off {
        d.backslash = true;
    }
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: &str) -> Option<Kind> {
        sniff(s).map(|d| d.kind)
    }

    #[test]
    fn dialects_are_told_apart() {
        assert_eq!(
            kind("-- MySQL dump 10.13\nCREATE TABLE `u` (`id` int);"),
            Some(Kind::MySql)
        );
        assert_eq!(
            kind("--\n-- PostgreSQL database dump\n--\nCOPY public.u (id) FROM stdin;\n"),
            Some(Kind::Postgres)
        );
        assert_eq!(
            kind("SET IDENTITY_INSERT [dbo].[T] ON\nINSERT [dbo].[T] ([a]) VALUES (N'x')\nGO\n"),
            Some(Kind::TSql)
        );
        assert_eq!(
            kind("INSERT \"Orders\"(\"OrderID\") VALUES(10248)\ngo\n"),
            Some(Kind::TSql)
        );
        assert_eq!(
            kind("CREATE TABLE Emp (name VARCHAR2(40));\nINSERT INTO Emp VALUES (TO_DATE('1962-2-18','yyyy-mm-dd'));"),
            Some(Kind::Oracle)
        );
        assert_eq!(
            kind("PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\nCREATE TABLE t(a);\n"),
            Some(Kind::Sqlite)
        );
        assert_eq!(kind("INSERT INTO t VALUES (1,'a');"), Some(Kind::MySql));
        // One feature on every line does not outvote another dialect's marks.
        let mut my = String::from("CREATE TABLE `t` (`a` NVARCHAR(9));\n");
        for i in 0..500 {
            my.push_str(&format!("INSERT INTO `t` VALUES (N'x{i}');\n"));
        }
        assert_eq!(kind(&my), Some(Kind::MySql));
        assert_eq!(
            kind("CREATE TABLE [Album]\n(\n  [Title] NVARCHAR(160)\n);\nINSERT INTO [Album] ([Title]) VALUES (N'x');"),
            Some(Kind::Sqlite)
        );
        assert_eq!(kind("id,name\n1,INSERT INTO x\n"), None);
    }

    #[test]
    fn pg_without_standard_strings_takes_backslashes() {
        let d = sniff("-- PostgreSQL database dump\nSET standard_conforming_strings = off;\nCOPY a (b) FROM stdin;\n").unwrap();
        assert!(d.backslash);
        assert!(!Dialect::of(Kind::Postgres).backslash);
    }
}
