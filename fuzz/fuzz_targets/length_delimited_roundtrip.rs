#![no_main]
libfuzzer_sys::fuzz_target!(
    |data: &[u8]| codec_fuzz::framing_targets::length_delimited_roundtrip(data)
);
