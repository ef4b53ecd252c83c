//! Fuzzes delimiter/header/combolist sniffing and the delimited-text reader.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    leakscope_formats::fuzzing::fuzz_delimited(data);
});
