#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| codec_fuzz::h2_targets::h2_frame(data));
