//! A deterministic mini-fuzz run in the normal test suite: mutated SQL, CSV and archive inputs
//! through the public fuzzing entry points must never panic.

mod gen;

use gen::*;

fn mutate(seed: &[u8], r: &mut Rng) -> Vec<u8> {
    let mut v = seed.to_vec();
    for _ in 0..(1 + r.next() % 8) {
        if v.is_empty() {
            v.push(b'\'');
            continue;
        }
        let i = (r.next() % v.len() as u64) as usize;
        match r.next() % 4 {
            0 => v[i] = (r.next() % 256) as u8,
            1 => {
                v.truncate(i);
            }
            2 => v.insert(
                i,
                *b"'\"\\,;()\n\t`"
                    .get((r.next() % 11) as usize)
                    .unwrap_or(&b'x'),
            ),
            _ => {
                let j = (r.next() % v.len() as u64) as usize;
                let chunk: Vec<u8> = v[i.min(j)..i.max(j)].to_vec();
                v.splice(i..i, chunk);
            }
        }
    }
    v
}

#[test]
fn mutated_inputs_never_panic() {
    let sql = b"CREATE TABLE `u` (`id` int, `e` text);\nINSERT INTO `u` VALUES (1,'a\\'b'),(2,NULL),(3,_binary 'x');\nCOPY public.t (a, b) FROM stdin;\n1\t\\N\n\\.\n".to_vec();
    let tsql = b"CREATE TABLE [dbo].[T]([a] int, [b] nvarchar(9))\nGO\nINSERT [dbo].[T] ([a], [b]) VALUES (1, N'x''y')\nINSERT \"T\"(\"a\") VALUES(CAST(N'2001' AS date))\nGO\nCREATE PROC p AS\nBEGIN\nINSERT INTO T VALUES (@a)\nEND\nGO\n".to_vec();
    let ora = b"Insert into E (A,B) values (1,to_date('17-DEC-80','DD-MON-RR'));\nINSERT ALL INTO E VALUES (q'[x]') SELECT 1 FROM dual;\nBEGIN\n NULL;\nEND;\n/\n/* open\nINSERT INTO E VALUES (X'41', 0x42, b'1', _utf8'z', replace('a','b',char(10)));\n".to_vec();
    let csv = "id,name,email\n1,\"Lê, An\",a@x.vn\n2,\"multi\nline\",b@x.vn\n"
        .as_bytes()
        .to_vec();
    let combo = b"a@x.vn:pw\nb@y.cn:p:w\n".to_vec();
    let gz = gzip(&csv);
    let z = zip(&[("a.csv", &csv), ("b.sql", &sql)]);
    let json = br#"[{"a":{"b":1}},{"a":[1,2]},3]"#.to_vec();
    let mut r = Rng(2024);
    for round in 0..400 {
        for seed in [&sql, &tsql, &ora, &csv, &combo, &gz, &z, &json] {
            let input = mutate(seed, &mut r);
            leakscope_formats::fuzzing::fuzz_sql(&input);
            leakscope_formats::fuzzing::fuzz_delimited(&input);
            if round % 4 == 0 {
                leakscope_formats::fuzzing::fuzz_any(&input);
            }
        }
    }
}

/// Documents of every shape, mutated: never a panic or a hang, and one parser thread reads
/// exactly what three read.
#[test]
fn mutated_documents_read_alike_on_every_core_count() {
    let wrapper = br#"{"status":"ok","result":{"users":[{"id":1,"e":{"$oid":"5f1b2c3d4e5f6a7b8c9d0e1f"}},{"id":2,"tags":[1,{"a":"\u00e9"}]}]},"d":{"-M1":{"a":1,"b":2},"-M2":{"a":3,"b":4},"-M3":{"a":5}}}"#.to_vec();
    let lines = b"{\"index\":{\"_index\":\"p\",\"_id\":\"1\"}}\n{\"n\":\"An\"}\n{\"_index\":\"q\",\"_id\":\"2\",\"_source\":{\"x\":[1]}}\n{\"took\":1,\"hits\":{\"hits\":[{\"_index\":\"r\",\"_source\":{}}]}}\n".to_vec();
    let mut bson = Vec::new();
    leakscope_formats::bson_write::document(
        &[
            ("_id", leakscope_formats::bson_write::Val::I32(1)),
            ("s", leakscope_formats::bson_write::Val::Str("x")),
            (
                "d",
                leakscope_formats::bson_write::Val::Doc(vec![(
                    "a",
                    leakscope_formats::bson_write::Val::Arr(vec![
                        leakscope_formats::bson_write::Val::Null,
                    ]),
                )]),
            ),
        ],
        &mut bson,
    );
    let bson2 = [bson.clone(), bson.clone()].concat();
    let mut r = Rng(77);
    for _ in 0..300 {
        for seed in [&wrapper, &lines, &bson2] {
            let input = mutate(seed, &mut r);
            leakscope_formats::fuzzing::fuzz_documents(&input);
            leakscope_formats::fuzzing::fuzz_any(&input);
        }
    }
}

/// Inputs on which the fuzzer once found the parallel SQL reader disagreeing with the sequential
/// one (`fuzz_sql` asserts they agree): a COPY header whose line went on past a block cut, and an
/// unterminated COPY section whose synthesised header width came from an earlier statement's row.
#[test]
fn sql_inputs_the_fuzzer_found_read_alike_in_parallel() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("fuzz regression inputs") {
        let path = entry.unwrap().path();
        leakscope_formats::fuzzing::fuzz_sql(&std::fs::read(&path).unwrap());
        n += 1;
    }
    assert!(n >= 2, "regression inputs present in {}", dir.display());
}
