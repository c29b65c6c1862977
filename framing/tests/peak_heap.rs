//! Peak heap over input size, with the default limits, for the inputs that make it largest:
//! [`LengthDelimited`], [`Delimited`] and [`Utf8Delimited`] must stay at or under 64 bytes of
//! heap per input byte. Measured with a counting global allocator (dhat's): the peak of live
//! bytes while every item of the input is decoded and kept (the list that keeps them is
//! reserved beforehand, so only what the decoder allocates counts, the items' own heap
//! included). Each input is decoded whole, then fed one byte at a time into a buffer reserved
//! for all of it (what the decoder allocates under slow input).
//!
//! Each case prints its ratio (`cargo test -p framing --test peak_heap -- --nocapture`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::fmt::Debug;

use framing::Decoder;
use framing::delimited::{Delimited, Utf8Delimited};
use framing::length_delimited::LengthDelimited;

// dhat's allocator counts every allocation of every thread while a profiler runs: one test, so
// that no other test allocates while this one measures.
#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

mod support;
use support::peak_heap::{MAX_RATIO, measure};

/// About the size of the inputs.
const SIZE: usize = 64 * 1024;

/// Measures `decoder` on `input`, whole and byte by byte; checks the item count and the ratio.
fn check<D>(decoder: impl Fn() -> D, what: &str, input: &[u8], count: usize)
where
    D: Decoder,
    D::Error: Debug,
{
    for (piece, how) in [(0, "whole"), (1, "bytewise")] {
        let (items, peak) = measure(decoder(), input, piece);
        assert_eq!(items.len(), count, "{what}");
        drop(items);
        let ratio = peak as f64 / input.len() as f64;
        println!(
            "{what:<52} {how:<8} {:>6} B in, peak {peak:>7} B, {ratio:>6.3}x",
            input.len()
        );
        assert!(
            ratio <= MAX_RATIO,
            "{what} ({how}): peak heap {peak} bytes for {} input bytes, {ratio:.1}x > {MAX_RATIO}x",
            input.len()
        );
    }
}

/// `unit` repeated to fill `SIZE` bytes.
fn repeat(unit: &[u8]) -> (Vec<u8>, usize) {
    let count = SIZE / unit.len();
    (unit.repeat(count), count)
}

#[test]
fn every_decoder_stays_under_64x() {
    // LengthDelimited, defaults (a 4-byte big-endian length, 8 MiB limit).
    let (empty, n) = repeat(&[0, 0, 0, 0]);
    check(
        LengthDelimited::new,
        "LengthDelimited: empty frames",
        &empty,
        n,
    );
    let (one, n) = repeat(&[0, 0, 0, 1, b'x']);
    check(
        LengthDelimited::new,
        "LengthDelimited: 1-byte frames",
        &one,
        n,
    );
    let mut big = (SIZE as u32 - 4).to_be_bytes().to_vec();
    big.resize(SIZE, b'x');
    check(
        LengthDelimited::new,
        "LengthDelimited: one 64 KiB frame",
        &big,
        1,
    );
    // With a message type byte after the length.
    let typed = || LengthDelimited::builder().message_type().build();
    let (empty, n) = repeat(&[0, 0, 0, 0, 7]);
    check(typed, "LengthDelimited, type byte: empty frames", &empty, n);

    // Delimited, defaults (64 KiB lines).
    let (crlf, n) = repeat(b"\r\n");
    check(Delimited::crlf, "Delimited CRLF: empty lines", &crlf, n);
    let (short, n) = repeat(b"a\r\n");
    check(Delimited::crlf, "Delimited CRLF: 1-byte lines", &short, n);
    let mut long = vec![b'x'; SIZE - 2];
    long.extend_from_slice(b"\r\n");
    check(
        Delimited::crlf,
        "Delimited CRLF: one line of 64 KiB",
        &long,
        1,
    );
    let (lf, n) = repeat(b"\n");
    check(Delimited::lf, "Delimited LF: empty lines", &lf, n);
    let with = || Delimited::with_delimiter(b"\0").unwrap();
    let (nul, n) = repeat(b"\0");
    check(with, "Delimited NUL: empty lines", &nul, n);

    // Utf8Delimited: each line becomes a String.
    let utf8 = || Utf8Delimited::new(Delimited::lf());
    let (lf, n) = repeat(b"\n");
    check(utf8, "Utf8Delimited LF: empty lines", &lf, n);
    let (short, n) = repeat(b"a\n");
    check(utf8, "Utf8Delimited LF: 1-byte lines", &short, n);
    let (wide, n) = repeat("ü\n".as_bytes());
    check(utf8, "Utf8Delimited LF: 1-char lines of 2 bytes", &wide, n);
}
