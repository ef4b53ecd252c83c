//! One minimal input per SQL dialect feature, read exactly — by the sequential reader and by the
//! parallel reader at several block sizes — and generated scripts of each dialect compared
//! between the two readers.

mod common;

use common::*;
use leakscope_formats::{read_bytes, ReadOptions};

/// Reads `sql` with one thread and checks the parallel reader agrees at several block sizes.
fn read_both(name: &str, sql: &str) -> Collect {
    read_both_at(name, sql, &[64, 97, 256, 4096])
}

/// [`read_both`] at the given block sizes.
fn read_both_at(name: &str, sql: &str, blocks: &[usize]) -> Collect {
    let data = sql.as_bytes();
    let opts = |threads, block_bytes| ReadOptions {
        threads,
        block_bytes,
        ..ReadOptions::default()
    };
    let mut seq = Collect::default();
    let s = read_bytes(name, data, &opts(1, 4 << 20), &mut seq);
    let expect = fingerprint(&seq, &s);
    for &block in blocks {
        let mut par = Collect::default();
        let s = read_bytes(name, data, &opts(2, block), &mut par);
        let got = fingerprint(&par, &s);
        assert!(
            expect == got,
            "{name}: parallel (block {block}) differs:\n{}",
            first_difference(&expect, &got)
        );
    }
    seq
}

/// The table called `name`.
fn table<'c>(c: &'c Collect, name: &str) -> &'c Got {
    c.tables
        .iter()
        .find(|t| t.info.name == name)
        .unwrap_or_else(|| {
            panic!(
                "no table {name}: {:?} {:?}",
                c.tables.iter().map(|t| &t.info.name).collect::<Vec<_>>(),
                c.diags
            )
        })
}

#[test]
fn tsql_batches_without_semicolons_or_into() {
    let sql = "SET NOCOUNT ON\nGO\nUSE [Shop]\nGO\n\
        CREATE TABLE [dbo].[Customers](\n\t[Id] [int] IDENTITY(1,1) NOT NULL,\n\t[Name] [nvarchar](50) NULL,\n\
        \t[Email] [nvarchar](100) NULL,\n\t[Born] [datetime] NULL,\n\t[Pw] [varbinary](16) NULL,\n\
        CONSTRAINT [PK_Customers] PRIMARY KEY CLUSTERED ([Id] ASC)\n) ON [PRIMARY]\nGO\n\
        SET IDENTITY_INSERT [dbo].[Customers] ON\n\
        INSERT [dbo].[Customers] ([Id], [Name], [Email], [Born], [Pw]) VALUES (1, N'Nguyễn Văn An', N'an@x.vn', CAST(N'1990-01-02T00:00:00.000' AS DateTime), 0x5F4DCC3B5AA765D61D8327DEB882CF99)\n\
        INSERT [dbo].[Customers] ([Id], [Name], [Email], [Born], [Pw]) VALUES (2, N'O''Neil', NULL, CONVERT(datetime, '1985-12-31', 120), NULL)\n\
        SET IDENTITY_INSERT [dbo].[Customers] OFF\nGO\n\
        INSERT \"Orders\"(\"OrderID\",\"ShipName\") VALUES(10248,N'Vins et alcools')\n\
        INSERT \"Orders\"(\"OrderID\",\"ShipName\") VALUES(10249,N'Toms ' + CHAR(13) + CHAR(10) + N'Spezialitäten')\ngo\n";
    let c = read_both("shop.sql", sql);
    assert_eq!(c.sources[0].format, "mssql-dump");
    let t = table(&c, "Customers");
    assert_eq!(t.info.headers, strs(&["Id", "Name", "Email", "Born", "Pw"]));
    assert_eq!(
        t.rows,
        rows(&[
            &[
                "1",
                "Nguyễn Văn An",
                "an@x.vn",
                "1990-01-02T00:00:00.000",
                "5f4dcc3b5aa765d61d8327deb882cf99"
            ],
            &["2", "O'Neil", "", "1985-12-31", ""],
        ])
    );
    let o = table(&c, "Orders");
    assert_eq!(o.info.headers, strs(&["OrderID", "ShipName"]));
    assert_eq!(
        o.rows,
        rows(&[
            &["10248", "Vins et alcools"],
            &["10249", "Toms \r\nSpezialitäten"]
        ])
    );
    assert!(c.codes().is_empty(), "{:?}", c.diags);
}

#[test]
fn tsql_procedures_are_not_data() {
    let sql = "CREATE TABLE [dbo].[Log]([Msg] [nvarchar](50))\nGO\n\
        CREATE PROCEDURE [dbo].[AddLog] @m nvarchar(50) AS\nBEGIN\n\tSET NOCOUNT ON;\n\
        INSERT INTO [dbo].[Log] ([Msg]) VALUES (@m);\nEND\nGO\n\
        CREATE PROC p2 AS\nINSERT INTO [dbo].[Log] VALUES (@x)\nGO\n\
        INSERT [dbo].[Log] ([Msg]) VALUES (N'real')\nGO\n";
    let c = read_both("proc.sql", sql);
    assert_eq!(table(&c, "Log").rows, rows(&[&["real"]]));
}

#[test]
fn oracle_dates_q_quotes_and_multi_table_inserts() {
    let sql = "SET DEFINE OFF;\nPROMPT Loading employees\n\
        CREATE TABLE \"HR\".\"EMP\" (\"EMPNO\" NUMBER(4,0), \"ENAME\" VARCHAR2(10), \"HIREDATE\" DATE, \"NOTE\" VARCHAR2(40)) TABLESPACE \"USERS\" ;\n\
        Insert into HR.EMP (EMPNO,ENAME,HIREDATE,NOTE) values (7369,'SMITH',to_date('17-DEC-80','DD-MON-RR'),q'[it's]');\n\
        Insert into HR.EMP (EMPNO,ENAME,HIREDATE,NOTE) values (7499,'ALLEN',TO_DATE('1962-2-18 00:00:00','yyyy-mm-dd hh24:mi:ss'),'a' || 'b');\n\
        INSERT INTO \"HR\".\"EMP\" VALUES (7521, 'WARD', DATE '1981-02-22', TIMESTAMP '2001-01-01 10:00:00');\n\
        CREATE OR REPLACE PROCEDURE add_emp (n VARCHAR2) IS\n  v NUMBER;\nBEGIN\n  INSERT INTO HR.EMP (ENAME) VALUES (n);\n  IF v > 0 THEN\n    NULL;\n  END IF;\nEND;\n/\n\
        INSERT ALL\n  INTO HR.EMP (EMPNO, ENAME) VALUES (1, 'A')\n  INTO HR.EMP (EMPNO, ENAME) VALUES (2, 'B')\nSELECT * FROM dual;\n";
    let c = read_both("hr.sql", sql);
    assert_eq!(c.sources[0].format, "oracle-dump");
    let t = table(&c, "EMP");
    assert_eq!(
        t.info.headers,
        strs(&["EMPNO", "ENAME", "HIREDATE", "NOTE"])
    );
    assert_eq!(
        t.rows,
        rows(&[
            &["7369", "SMITH", "1980-12-17", "it's"],
            &["7499", "ALLEN", "1962-02-18 00:00:00", "ab"],
            &["7521", "WARD", "1981-02-22", "2001-01-01 10:00:00"],
            &["1", "A"],
            &["2", "B"],
        ])
    );
    assert!(c.codes().is_empty(), "{:?}", c.diags);
}

#[test]
fn sqlite_dump_brackets_blobs_and_newline_replace() {
    let sql = "PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n\
        CREATE TABLE [Artist] ([ArtistId] INTEGER NOT NULL, [Name] NVARCHAR(120), CONSTRAINT [PK_Artist] PRIMARY KEY ([ArtistId]));\n\
        INSERT INTO [Artist] ([ArtistId], [Name]) VALUES (1, 'AC/DC');\n\
        CREATE TABLE IF NOT EXISTS \"users\"(id INTEGER PRIMARY KEY, note TEXT, avatar BLOB, bio);\n\
        INSERT INTO \"users\" VALUES(1,replace('line1\\nline2','\\n',char(10)),X'89504E47',NULL);\n\
        INSERT INTO users VALUES(2,unistr('L\\u00ea'),X'616263','x');\n\
        CREATE TRIGGER t AFTER INSERT ON users BEGIN INSERT INTO log VALUES(new.id); END;\n\
        COMMIT;\n";
    let c = read_both("app.sql", sql);
    assert_eq!(c.sources[0].format, "sqlite-dump");
    assert_eq!(table(&c, "Artist").rows, rows(&[&["1", "AC/DC"]]));
    let u = table(&c, "users");
    assert_eq!(u.info.headers, strs(&["id", "note", "avatar", "bio"]));
    assert_eq!(
        u.rows,
        rows(&[
            &["1", "line1\nline2", "89504e47", ""],
            &["2", "Lê", "abc", "x"]
        ])
    );
    assert_eq!(c.tables.len(), 2, "the trigger's INSERT is no table");
}

#[test]
fn mysql_introducers_bits_hex_and_executable_comments() {
    let sql = "-- MySQL dump 10.13\n/*!40101 SET NAMES utf8mb4 */;\n\
        CREATE TABLE `t` (\n  `id` int,\n  `name` varchar(20),\n  `flags` bit(3),\n  /*!50705 `geo` geometry,*/\n  `uuid` binary(4)\n);\n\
        INSERT INTO `t` VALUES (1,_utf8mb4'Trần',b'101',/*!50705 0x0101,*/_binary 0x00FF10AB),(2,_latin1'x',0b11,/*!50705 NULL,*/X'4142'),(3,_binary'ok',NULL,/*!50705 NULL,*/_binary '\\0\\0');\n\
        DELIMITER ;;\nCREATE PROCEDURE p()\nBEGIN\n  INSERT INTO `t` VALUES (9,'no',NULL,NULL,NULL);\nEND ;;\nDELIMITER ;\n\
        INSERT INTO `t` VALUES (4,'yes',NULL,NULL,NULL);\n";
    let c = read_both("intro.sql", sql);
    let t = table(&c, "t");
    assert_eq!(
        t.info.headers,
        strs(&["id", "name", "flags", "geo", "uuid"])
    );
    assert_eq!(
        t.rows,
        rows(&[
            &["1", "Trần", "5", "0101", "00ff10ab"],
            &["2", "x", "3", "", "AB"],
            &["3", "ok", "", "", "0000"],
            &["4", "yes", "", "", ""],
        ])
    );
    assert!(c.codes().is_empty(), "{:?}", c.diags);
}

#[test]
fn postgres_escape_strings_casts_and_function_bodies() {
    let sql = "--\n-- PostgreSQL database dump\n--\n\
        CREATE FUNCTION public.trg() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  INSERT INTO public.audit VALUES (NEW.id, 'it''s');\n  RETURN NEW;\nEND;\n$$;\n\
        CREATE TABLE public.users (id integer, note text, born date);\n\
        INSERT INTO public.users VALUES (1, E'tab\\there', '1990-01-02'::date);\n\
        INSERT INTO public.users (id, note, born) OVERRIDING SYSTEM VALUE VALUES (2, NULL::text, NULL);\n";
    let c = read_both("pg.sql", sql);
    assert_eq!(c.sources[0].format, "pg-dump");
    assert_eq!(c.tables.len(), 1, "{:?}", c.diags);
    assert_eq!(
        table(&c, "users").rows,
        rows(&[&["1", "tab\there", "1990-01-02"], &["2", "", ""]])
    );
}

#[test]
fn an_unclosed_comment_is_bounded_and_named() {
    let mut sql = String::from("CREATE TABLE `t` (`a` int, `b` text);\nINSERT INTO `t` VALUES (1,'x');\n/* a stray opener\n");
    // Well over the 1 MiB a comment may run: the rows after it must still be read.
    for i in 0..30_000 {
        sql.push_str(&format!(
            "INSERT INTO `t` VALUES ({i},'row {i} padding padding padding');\n"
        ));
    }
    // (Blocks of 4 KiB and more: joining 64-byte blocks up to the 1 MiB limit is slow.)
    let c = read_both_at("stray.sql", &sql, &[4096, 100_000]);
    assert_eq!(table(&c, "t").rows.len(), 30_001);
    let d: Vec<_> = c
        .diags
        .iter()
        .filter(|d| d.code == "unclosed-comment")
        .collect();
    assert_eq!(d.len(), 1, "{:?}", c.diags);
    assert_eq!(d[0].line, Some(3));
    // A closed long comment still hides what it holds.
    let closed =
        "INSERT INTO t VALUES (1);\n/* INSERT INTO t VALUES (2); */\nINSERT INTO t VALUES (3);\n";
    assert_eq!(
        read_both("c.sql", closed).one().rows,
        rows(&[&["1"], &["3"]])
    );
}

#[test]
fn broken_tuples_are_reported_not_merged() {
    let sql = "INSERT INTO t VALUES (1,'a';\nINSERT INTO t VALUES (2,'b');\n";
    let c = read_both("broken.sql", sql);
    assert_eq!(c.one().rows, rows(&[&["2", "b"]]));
    assert_eq!(c.codes(), ["sql-syntax", "no-schema"]);
    assert_eq!(c.one().stats.rows_skipped, 1);
}

/// A T-SQL script in SSMS style: batches, `SET IDENTITY_INSERT`, one INSERT per line, no `;`.
fn tsql_script(seed: u64, rows: usize) -> String {
    let mut r = Lcg(seed);
    let mut out = String::from("SET ANSI_NULLS ON\nGO\nCREATE TABLE [dbo].[People]([Id] int, [Name] nvarchar(80), [Born] datetime, [Hash] varbinary(8))\nGO\n");
    for i in 0..rows {
        if r.below(40) == 0 {
            out.push_str("GO\nSET IDENTITY_INSERT [dbo].[People] ON\n");
        }
        if r.below(60) == 0 {
            out.push_str("CREATE PROCEDURE x AS\nBEGIN\nINSERT INTO [dbo].[People] VALUES (@a, @b, NULL, NULL)\nEND\nGO\n");
        }
        let name = match r.below(6) {
            0 => format!("N'O''Brien; {i}'"),
            1 => format!("N'line\nbreak ) {i}'"),
            2 => format!("N'Nguyễn' + CHAR(10) + N'{i}'"),
            3 => "NULL".to_string(),
            _ => format!("N'Trần Thị {i}'"),
        };
        let sep = if r.below(5) == 0 { ";" } else { "" };
        out.push_str(&format!(
            "INSERT [dbo].[People] ([Id], [Name], [Born], [Hash]) VALUES ({i}, {name}, CAST(N'19{:02}-01-01T00:00:00.000' AS DateTime), 0x{:016X}){sep}\n",
            r.below(100),
            r.next()
        ));
    }
    out.push_str("GO\n");
    out
}

/// An Oracle script: `Insert into … values (…);` with dates, q-quotes and PL/SQL blocks.
fn oracle_script(seed: u64, rows: usize) -> String {
    let mut r = Lcg(seed);
    let mut out = String::from(
        "SET DEFINE OFF;\nCREATE TABLE EMP (EMPNO NUMBER, ENAME VARCHAR2(40), HIRED DATE);\n",
    );
    for i in 0..rows {
        if r.below(50) == 0 {
            out.push_str("BEGIN\n  INSERT INTO EMP VALUES (v_no, v_name, SYSDATE);\nEND;\n/\n");
        }
        let name = match r.below(4) {
            0 => format!("q'[it's ; {i}]'"),
            1 => format!("'a' || '{i}'"),
            _ => format!("'SMITH {i}'"),
        };
        out.push_str(&format!(
            "Insert into EMP (EMPNO,ENAME,HIRED) values ({i},{name},to_date('{:02}-JAN-{:02}','DD-MON-RR'));\n",
            1 + r.below(28),
            r.below(100)
        ));
    }
    out
}

#[test]
fn generated_tsql_reads_alike_in_parallel() {
    let sql = tsql_script(1, 2_000);
    let c = read_both("gen.sql", &sql);
    assert_eq!(table(&c, "People").rows.len(), 2_000);
    assert!(
        c.codes().is_empty(),
        "{:?}",
        &c.diags[..c.diags.len().min(3)]
    );
    let cut = &sql[..sql.len() * 2 / 3];
    read_both("cut.sql", cut);
}

#[test]
fn generated_oracle_reads_alike_in_parallel() {
    let sql = oracle_script(2, 2_000);
    let c = read_both("gen.sql", &sql);
    let t = table(&c, "EMP");
    assert_eq!(t.rows.len(), 2_000);
    assert!(t
        .rows
        .iter()
        .all(|r| r[2].len() == 10 && r[2].as_bytes()[4] == b'-'));
}

#[test]
fn tens_of_thousands_of_tiny_tables_are_all_there_and_said_once() {
    // The hostile shape of issue 11 (200,000 one-row tables in 13 MB), smaller: every table is
    // delivered, and what they lack is one diagnostic naming a few, not one per table.
    let mut sql = String::new();
    for t in 0..20_000 {
        sql.push_str(&format!("INSERT INTO t{t} VALUES ({t},'u{t}@x.vn');\n"));
    }
    let c = read_both_at("tiny.sql", &sql, &[4096, 65_536]);
    assert_eq!(c.tables.len(), 20_000);
    assert!(c.tables.iter().all(|t| t.rows.len() == 1));
    assert_eq!(c.diags.len(), 1, "{:?}", &c.diags[..c.diags.len().min(3)]);
    assert_eq!(c.diags[0].code, "no-schema");
    assert!(c.diags[0].message.contains("and 19995 more"));
}
