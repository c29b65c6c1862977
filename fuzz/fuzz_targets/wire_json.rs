#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| codec_fuzz::wire_targets::wire_json(data));
