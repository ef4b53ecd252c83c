//! Fuzzes the MySQL / PostgreSQL dump parser (statements, strings, COPY blocks).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    leakscope_formats::fuzzing::fuzz_sql(data);
});
