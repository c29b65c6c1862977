#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| codec_fuzz::http1_typed_targets::http1_typed(data));
