#![no_main]
libfuzzer_sys::fuzz_target!(
    |data: &[u8]| codec_fuzz::smtp_session_targets::smtp_client_session(data)
);
