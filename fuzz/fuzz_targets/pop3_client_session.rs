#![no_main]
libfuzzer_sys::fuzz_target!(
    |data: &[u8]| codec_fuzz::pop3_session_targets::pop3_client_session(data)
);
