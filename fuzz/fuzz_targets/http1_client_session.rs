#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| codec_fuzz::http1_targets::http1_client_session(data));
