//! HPACK header-list bombs refused without allocating past the limit: peak heap measured with a
//! counting global allocator (dhat's) while [`Decoder::decode`] refuses
//!
//! - one large dynamic-table entry referenced 20,000 times (80 MB of header list, RFC 9113
//!   §10.5.1, from a 24 KB block),
//! - 16,000 one-octet references to a static entry (the field count),
//! - a Huffman string of 16 KiB that decodes past the limit (refused by its length, or stopped
//!   while decoding).
//!
//! Each case prints its peak (`cargo test -p http-codec --test hpack_heap -- --nocapture`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use bytes::Bytes;
use http_codec::h2::hpack::{Decoder, ErrorKind, Huffman, integer, string};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// Decodes `block` with `decoder`: the error kind and the peak of heap allocated meanwhile.
fn peak(mut decoder: Decoder, block: &Bytes) -> (ErrorKind, u64) {
    let profiler = dhat::Profiler::builder().testing().build();
    let before = dhat::HeapStats::get();
    let result = decoder.decode(block);
    let after = dhat::HeapStats::get();
    drop(profiler);
    let kind = result.unwrap_err().kind;
    (kind, (after.max_bytes - before.curr_bytes) as u64)
}

// One test: dhat's profiler counts the allocations of every thread; one profiler per case.
#[test]
fn bombs_are_refused_within_the_limit() {
    let limit = 64 * 1024;

    // A 4000-octet value in the dynamic table, then 20,000 references to it.
    let mut block = vec![0x40, 0x01, b'x'];
    integer::encode(4000, 7, 0, &mut block);
    block.extend(std::iter::repeat_n(b'v', 4000));
    block.extend(std::iter::repeat_n(0xbe, 20_000));
    let block = Bytes::from(block);
    let (kind, bytes) = peak(Decoder::new(4096), &block);
    assert_eq!(kind, ErrorKind::HeaderListTooLarge { limit });
    println!("table entry referenced 20,000 times: peak {bytes} B");
    // The table's copy of the entry and 16 fields sharing it: far under the list limit (the
    // fields share one copy, so the bound is on what a consumer would build from them).
    assert!(bytes < 16 * 1024, "{bytes}");

    // 16,000 references to :method GET: the field count stops it at 1024.
    let block = Bytes::from(vec![0x82; 16_000]);
    let (kind, bytes) = peak(Decoder::new(4096), &block);
    assert_eq!(kind, ErrorKind::TooManyFields { limit: 1024 });
    println!("16,000 static references: peak {bytes} B");
    assert!(bytes < 1024 * 128, "{bytes}");

    // A Huffman value that decodes to 26,000 octets against a 1,000-octet limit.
    let mut d = Decoder::new(4096);
    d.set_max_header_list_size(1000);
    let mut block = vec![0x00, 0x01, b'n'];
    string::encode(&[b'a'; 26_000], Huffman::Shorter, &mut block);
    let block = Bytes::from(block);
    let (kind, bytes) = peak(d, &block);
    assert_eq!(kind, ErrorKind::HeaderListTooLarge { limit: 1000 });
    println!("Huffman value past the limit (refused by its length): peak {bytes} B");
    assert!(bytes <= 2048, "{bytes}");

    // The same against 5,000 octets: short enough to start decoding, stopped at the limit.
    let mut d = Decoder::new(4096);
    d.set_max_header_list_size(5000);
    let (kind, bytes) = peak(d, &block);
    assert_eq!(kind, ErrorKind::HeaderListTooLarge { limit: 5000 });
    println!("Huffman value past the limit (stopped while decoding): peak {bytes} B");
    assert!(bytes <= 6000, "{bytes}");
}
