#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| codec_fuzz::hpack_targets::hpack_differential(data));
