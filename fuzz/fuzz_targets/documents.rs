//! Fuzzes the JSON / BSON document readers, one parser thread against three.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    leakscope_formats::fuzzing::fuzz_documents(data);
});
