//! `CREATE` statements: `CREATE TABLE` gives a table's column names; procedures, functions,
//! triggers and packages are skipped whole (their bodies hold `INSERT`s and `;`s that are not
//! data); MySQL's `DELIMITER` blocks likewise.

use super::lex::Tok;
use super::out::Out;
use super::{is, lossy, starts_statement, Dump};

/// Words that start a constraint rather than a column inside `CREATE TABLE (...)`.
const NOT_COLUMNS: [&str; 12] = [
    "PRIMARY",
    "KEY",
    "UNIQUE",
    "CONSTRAINT",
    "INDEX",
    "FULLTEXT",
    "FOREIGN",
    "CHECK",
    "SPATIAL",
    "EXCLUDE",
    "LIKE",
    "PERIOD",
];

/// Objects whose definition has a body of statements.
const ROUTINES: [&str; 7] = [
    "PROCEDURE",
    "PROC",
    "FUNCTION",
    "TRIGGER",
    "PACKAGE",
    "TYPE",
    "EVENT",
];

/// Objects whose definition is one plain statement.
const PLAIN: [&str; 9] = [
    "VIEW", "INDEX", "DATABASE", "SCHEMA", "SEQUENCE", "SYNONYM", "USER", "ROLE", "DOMAIN",
];

impl<O: Out> Dump<'_, O> {
    /// Handles a `CREATE` statement (the keyword was read).
    pub(super) fn create(&mut self) {
        // `CREATE [OR REPLACE | OR ALTER] [TEMPORARY | DEFINER=`u`@`h` | …] <kind>`.
        for _ in 0..24 {
            let t = self.tok();
            match t {
                Tok::Word if is(&self.lex.text, "TABLE") => return self.create_table(),
                Tok::Word if ROUTINES.iter().any(|k| is(&self.lex.text, k)) => {
                    return self.skip_routine()
                }
                Tok::Word if PLAIN.iter().any(|k| is(&self.lex.text, k)) => {
                    return self.skip_statement()
                }
                Tok::Word | Tok::Ident | Tok::Str | Tok::Punct(b'.') => {}
                Tok::Eof => {
                    self.dirty = true;
                    return;
                }
                _ => {
                    self.lex.unread(t);
                    return self.skip_statement();
                }
            }
        }
        self.skip_statement()
    }

    fn create_table(&mut self) {
        loop {
            let t = self.tok();
            match t {
                Tok::Word
                    if ["IF", "NOT", "EXISTS", "ONLY"]
                        .iter()
                        .any(|w| is(&self.lex.text, w)) => {}
                _ if self.is_name(t) => {
                    let name = self.qualified();
                    return self.columns_of(name);
                }
                Tok::Eof => {
                    self.dirty = true;
                    return;
                }
                _ => {
                    self.lex.unread(t);
                    return self.skip_statement();
                }
            }
        }
    }

    /// Reads `( col type ..., CONSTRAINT ... )` after the table name.
    fn columns_of(&mut self, table: String) {
        if self.lex.skip_space() != Some(b'(') {
            return self.skip_statement();
        }
        self.tok();
        let mut cols = Vec::new();
        let mut depth = 1;
        let mut item_start = true;
        loop {
            let tok = self.tok();
            match tok {
                Tok::Eof => break,
                Tok::Punct(b';') | Tok::BatchEnd => {
                    // The statement ended before its `)`: a broken definition.
                    self.lex.unread(tok);
                    return;
                }
                Tok::Punct(b'(') => depth += 1,
                Tok::Punct(b')') => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                Tok::Punct(b',') if depth == 1 => {
                    item_start = true;
                    continue;
                }
                _ if item_start && depth == 1 && self.is_name(tok) => {
                    let w = lossy(&self.lex.text);
                    if tok != Tok::Word || !NOT_COLUMNS.iter().any(|k| w.eq_ignore_ascii_case(k)) {
                        cols.push(w);
                    }
                }
                _ => {}
            }
            item_start = false;
        }
        self.out.define(table, cols);
        self.skip_statement();
    }

    /// Skips a procedure, function, trigger or package definition. Bodies nest `BEGIN … END`
    /// (and `CASE … END`); the definition ends at the `;` after the body (or at the first `;`
    /// when it has none, like a PostgreSQL `$$` body), except in T-SQL and Oracle scripts where
    /// only the batch terminator (`GO`, `/`) ends it. A line that starts a data statement after
    /// the body has closed ends it too (a missing terminator must not hide the data).
    fn skip_routine(&mut self) {
        self.skip_block(0)
    }

    /// An Oracle PL/SQL anonymous block starts here (`BEGIN …` that is no transaction,
    /// `DECLARE …`): the word was just read.
    pub(super) fn anonymous_block(&self) -> bool {
        if self.lex.dialect.kind != super::dialect::Kind::Oracle {
            return false;
        }
        is(&self.lex.text, "BEGIN") || is(&self.lex.text, "DECLARE")
    }

    /// Skips a routine's definition (or an anonymous block, already `depth` blocks deep).
    pub(super) fn skip_block(&mut self, depth: usize) {
        let batch_only = self.lex.dialect.routines_end_at_batch();
        let mut depth = depth;
        let mut closed = false;
        loop {
            let t = self.tok();
            match t {
                Tok::BatchEnd => return,
                Tok::Eof => {
                    self.dirty = true;
                    return;
                }
                Tok::Punct(b';') if depth == 0 && !batch_only => return,
                Tok::Word
                    if is(&self.lex.text, "BEGIN") || (depth > 0 && is(&self.lex.text, "CASE")) =>
                {
                    depth += 1;
                }
                Tok::Word
                    if self.lex.text.len() >= 3
                        && self.lex.text[..3].eq_ignore_ascii_case(b"END") =>
                {
                    // `END`, `END$$` (a custom delimiter glued on), but not `END IF`/`END LOOP`.
                    let glued = self.lex.text.len() > 3
                        && !self.lex.text[3].is_ascii_alphanumeric()
                        && self.lex.text[3] != b'_';
                    if (self.lex.text.len() == 3 || glued) && self.end_of_block() && depth > 0 {
                        depth -= 1;
                        closed |= depth == 0;
                    }
                }
                Tok::Word
                    if depth == 0
                        && closed
                        && self.lex.tok_bol
                        && starts_statement(&self.lex.text) =>
                {
                    self.lex.unread(t);
                    return;
                }
                _ => {}
            }
        }
    }

    /// After an `END`: false for `END IF`, `END LOOP`, `END WHILE`, `END REPEAT`, `END FOR`
    /// (their openers were not counted); `END CASE` closes a `CASE`.
    fn end_of_block(&mut self) -> bool {
        let t = self.tok();
        if t == Tok::Word
            && ["IF", "LOOP", "WHILE", "REPEAT", "FOR"]
                .iter()
                .any(|w| is(&self.lex.text, w))
        {
            return false;
        }
        if !(t == Tok::Word && is(&self.lex.text, "CASE")) {
            self.lex.unread(t);
        }
        true
    }

    /// MySQL client's `DELIMITER x` (the word was read at the start of a line): with a
    /// delimiter other than `;`, what follows up to `DELIMITER ;` is routines and triggers,
    /// skipped. A line that starts a data statement outside any `BEGIN … END` ends the skip
    /// (a forgotten `DELIMITER ;` must not hide the data).
    pub(super) fn delimiter(&mut self) {
        loop {
            let (_, _) = self.lex.read_line();
            let d = self.lex.text.trim_ascii().to_vec();
            if d.is_empty() || d == b";" {
                return;
            }
            let mut depth = 0usize;
            loop {
                let t = self.tok();
                match t {
                    Tok::Eof => {
                        self.dirty = true;
                        return;
                    }
                    Tok::Word if self.lex.tok_bol && is(&self.lex.text, "DELIMITER") => break,
                    Tok::Word if is(&self.lex.text, "BEGIN") => depth += 1,
                    Tok::Word
                        if self.lex.text.len() >= 3
                            && self.lex.text[..3].eq_ignore_ascii_case(b"END")
                            && (self.lex.text.len() == 3 || self.lex.text[3..] == d[..]) =>
                    {
                        let closes = self.end_of_block();
                        depth = depth.saturating_sub(usize::from(closes));
                    }
                    Tok::Word
                        if depth == 0
                            && self.lex.tok_bol
                            && starts_statement(&self.lex.text)
                            && !is(&self.lex.text, "CREATE") =>
                    {
                        self.lex.unread(t);
                        return;
                    }
                    _ => {}
                }
            }
        }
    }
}
