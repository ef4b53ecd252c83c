//! SQL dumps: MySQL (`mysqldump` style, multi-row INSERTs) and PostgreSQL (`pg_dump` plain, COPY).

use std::io::{self, Write};

use crate::SynthTable;

/// Rows per MySQL `INSERT` statement.
pub(crate) const INSERT_BATCH: usize = 500;

/// Appends `v` as a MySQL single-quoted string literal.
pub(crate) fn mysql_quote(out: &mut Vec<u8>, v: &str) {
    out.push(b'\'');
    for &b in v.as_bytes() {
        match b {
            0 => out.extend_from_slice(b"\\0"),
            b'\'' => out.extend_from_slice(b"\\'"),
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            0x1a => out.extend_from_slice(b"\\Z"),
            _ => out.push(b),
        }
    }
    out.push(b'\'');
}

/// Appends `v` escaped for PostgreSQL COPY text format (`\N` for empty).
pub(crate) fn pg_copy_field(out: &mut Vec<u8>, v: &str) {
    if v.is_empty() {
        out.extend_from_slice(b"\\N");
        return;
    }
    for &b in v.as_bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
}

/// Backtick-quoted MySQL identifier.
pub(crate) fn mysql_ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// Double-quoted PostgreSQL identifier.
pub(crate) fn pg_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// True when every non-empty value is a plain number without leading zeros (emitted unquoted).
fn numeric_column(table: &SynthTable, i: usize) -> bool {
    let mut any = false;
    let ok = table.rows.iter().map(|r| r[i].as_str()).filter(|v| !v.is_empty()).all(|v| {
        any = true;
        let b = v.as_bytes();
        let dots = b.iter().filter(|&&c| c == b'.').count();
        b.len() <= 18
            && dots <= 1
            && b.iter().all(|c| c.is_ascii_digit() || *c == b'.')
            && b[0].is_ascii_digit()
            && b[b.len() - 1].is_ascii_digit()
            && (b[0] != b'0' || b.len() == 1 || b[1] == b'.')
    });
    ok && any
}

pub(crate) const MYSQL_PREAMBLE: &str = "-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)\n--\n-- Host: 127.0.0.1    Database: leak\n-- ------------------------------------------------------\n\n/*!40101 SET NAMES utf8mb4 */;\n/*!40014 SET @OLD_FOREIGN_KEY_CHECKS=@@FOREIGN_KEY_CHECKS, FOREIGN_KEY_CHECKS=0 */;\n\n";

/// Writes a `mysqldump`-style dump of `tables`.
pub fn write_mysql_dump(tables: &[SynthTable], w: &mut dyn Write) -> io::Result<()> {
    w.write_all(MYSQL_PREAMBLE.as_bytes())?;
    for t in tables {
        let numeric: Vec<bool> = (0..t.columns.len()).map(|i| numeric_column(t, i)).collect();
        let name = mysql_ident(&t.name);
        let mut out = Vec::with_capacity(1 << 16);
        writeln!(out, "--\n-- Table structure for table {name}\n--\n\nDROP TABLE IF EXISTS {name};\nCREATE TABLE {name} (")?;
        for i in 0..t.columns.len() {
            let ty = if numeric[i] { "bigint" } else { "varchar(255)" };
            let sep = if i + 1 < t.columns.len() { "," } else { "" };
            writeln!(out, "  {} {ty} DEFAULT NULL{sep}", mysql_ident(&t.column_name(i)))?;
        }
        writeln!(out, ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n\nLOCK TABLES {name} WRITE;")?;
        for chunk in t.rows.chunks(INSERT_BATCH) {
            write!(out, "INSERT INTO {name} VALUES ")?;
            for (ri, row) in chunk.iter().enumerate() {
                out.extend_from_slice(if ri == 0 { b"(" } else { b",(" });
                for (ci, v) in row.iter().enumerate() {
                    if ci > 0 {
                        out.push(b',');
                    }
                    if v.is_empty() {
                        out.extend_from_slice(b"NULL");
                    } else if numeric[ci] {
                        out.extend_from_slice(v.as_bytes());
                    } else {
                        mysql_quote(&mut out, v);
                    }
                }
                out.push(b')');
            }
            out.extend_from_slice(b";\n");
            w.write_all(&out)?;
            out.clear();
        }
        writeln!(out, "UNLOCK TABLES;\n")?;
        w.write_all(&out)?;
    }
    w.write_all(b"-- Dump completed\n")
}

pub(crate) const PG_PREAMBLE: &str = "--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version 15.5\n-- Dumped by pg_dump version 15.5\n\nSET statement_timeout = 0;\nSET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\n\n";

/// Writes a plain-format `pg_dump` of `tables` (CREATE TABLE + COPY … FROM stdin).
pub fn write_pg_dump(tables: &[SynthTable], w: &mut dyn Write) -> io::Result<()> {
    w.write_all(PG_PREAMBLE.as_bytes())?;
    for t in tables {
        let name = format!("public.{}", pg_ident(&t.name));
        let cols: Vec<String> = (0..t.columns.len()).map(|i| pg_ident(&t.column_name(i))).collect();
        let mut out = Vec::with_capacity(1 << 16);
        writeln!(out, "CREATE TABLE {name} (")?;
        for (i, c) in cols.iter().enumerate() {
            writeln!(out, "    {c} text{}", if i + 1 < cols.len() { "," } else { "" })?;
        }
        writeln!(out, ");\n\nCOPY {name} ({}) FROM stdin;", cols.join(", "))?;
        for row in &t.rows {
            for (ci, v) in row.iter().enumerate() {
                if ci > 0 {
                    out.push(b'\t');
                }
                pg_copy_field(&mut out, v);
            }
            out.push(b'\n');
            if out.len() > 60_000 {
                w.write_all(&out)?;
                out.clear();
            }
        }
        out.extend_from_slice(b"\\.\n\n");
        w.write_all(&out)?;
    }
    w.write_all(b"--\n-- PostgreSQL database dump complete\n--\n")
}
