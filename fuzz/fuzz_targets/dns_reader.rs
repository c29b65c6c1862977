#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| codec_fuzz::dns_reader_targets::dns_reader(data));
