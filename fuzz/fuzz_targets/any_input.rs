//! Fuzzes the whole sniff-and-read pipeline (magic bytes, encodings, every reader).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    leakscope_formats::fuzzing::fuzz_any(data);
});
