#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| codec_fuzz::dns_hickory_targets::dns_hickory(data));
