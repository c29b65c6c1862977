#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| codec_fuzz::dns_client_targets::dns_client_session(data));
