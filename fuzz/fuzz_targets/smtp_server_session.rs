#![no_main]
libfuzzer_sys::fuzz_target!(
    |data: &[u8]| codec_fuzz::smtp_server_targets::smtp_server_session(data)
);
