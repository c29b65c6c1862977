#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| codec_fuzz::smtp_targets::smtp_command(data));
