//! Unit tests of the SQL lexer.
use super::super::dialect::{Dialect, Kind};
use super::*;

fn toks(src: &str, kind: Kind) -> Vec<(Tok, String)> {
    let mut input = src.as_bytes();
    let mut lx = Lexer::new(&mut input, Dialect::of(kind), 1 << 20);
    let mut out = Vec::new();
    loop {
        let t = lx.next();
        if t == Tok::Eof {
            return out;
        }
        out.push((t, String::from_utf8_lossy(&lx.text).into_owned()));
    }
}

fn strs(src: &str, kind: Kind) -> Vec<String> {
    toks(src, kind)
        .into_iter()
        .filter(|(t, _)| *t == Tok::Str)
        .map(|(_, s)| s)
        .collect()
}

#[test]
fn string_prefixes_never_leak_into_values() {
    assert_eq!(
        strs("N'Lê' n'x' E'a\\nb' X'4142' x'00ff' b'101' 0x4142 0b11 _utf8mb4'Trần' _binary 'ok' _latin1 0x41 q'[it's]' Q'{a}b}' U&'d'", Kind::MySql),
        ["Lê", "x", "a\nb", "AB", "00ff", "5", "AB", "3", "Trần", "ok", "A", "it's", "a}b", "d"]
    );
    // Binary that is not printable text stays hex.
    assert_eq!(strs("_binary '\\0\\0\\0'", Kind::MySql), ["000000"]);
    assert_eq!(
        strs("0x5F4DCC3B5AA765D61D8327DEB882CF99", Kind::TSql),
        ["5f4dcc3b5aa765d61d8327deb882cf99"]
    );
}

#[test]
fn identifiers_of_every_dialect() {
    assert_eq!(
        toks("[dbo].[My ]]T] \"Orders\" `x`", Kind::TSql),
        [
            (Tok::Ident, "dbo".into()),
            (Tok::Punct(b'.'), "".into()),
            (Tok::Ident, "My ]T".into()),
            (Tok::Ident, "Orders".into()),
            (Tok::Ident, "x".into())
        ]
    );
    // PostgreSQL arrays keep their brackets as words.
    assert_eq!(
        toks("ARRAY[1]", Kind::Postgres)[0],
        (Tok::Word, "ARRAY[1]".into())
    );
    // MySQL: "…" is a string with backslash escapes.
    assert_eq!(toks("\"a\\\"b\"", Kind::MySql), [(Tok::Str, "a\"b".into())]);
}

#[test]
fn batch_terminators_only_alone_on_their_line() {
    let t = toks("INSERT x\nGO\n  go 2\nGOTO\nx GO\n/\na / b\n", Kind::TSql);
    let ends = t.iter().filter(|(t, _)| *t == Tok::BatchEnd).count();
    assert_eq!(ends, 3);
    assert!(t.contains(&(Tok::Word, "GOTO".into())));
}

#[test]
fn dollar_quotes_and_executable_comments() {
    assert_eq!(
        toks("AS $f$ it's; $$ $f$ ;", Kind::Postgres)[1],
        (Tok::Str, " it's; $$ ".into())
    );
    let t = toks("(1,/*!50705 0x41,*/'x') /* gone */", Kind::MySql);
    let s: Vec<&str> = t.iter().map(|(_, s)| s.as_str()).collect();
    assert_eq!(s, ["", "1", "", "A", "", "x", ""]);
}

#[test]
fn an_unclosed_comment_loses_its_opener() {
    let src = "INSERT INTO t VALUES (1); /* never closed\nINSERT INTO t VALUES (2);";
    let mut input = src.as_bytes();
    let mut lx = Lexer::new(&mut input, Dialect::of(Kind::MySql), 1 << 20);
    let mut words = 0;
    while lx.next() != Tok::Eof {
        words += usize::from(lx.text == b"INSERT");
    }
    assert_eq!(words, 2);
    assert_eq!(
        lx.notes,
        [Note::UnclosedComment {
            line: 1,
            offset: 26
        }]
    );
}
