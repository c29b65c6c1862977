//! Peak heap over input size, with the default limits, for the inputs that make it largest:
//! [`RequestDecoder`] and [`ResponseDecoder`] must stay at or under 64 bytes of heap per input
//! byte. Measured with a counting global allocator (dhat's): the peak of live bytes while every
//! event of the input is decoded and kept (the list that keeps them is reserved beforehand, so
//! only what the decoder allocates counts, the events' own heap included). Each input is decoded
//! whole, then fed one byte at a time into a buffer reserved for all of it.
//!
//! The inputs: the smallest messages (where a fixed cost weighs most), 100 tiny fields `a:b`
//! (the default field limit), empty field values, pipelined messages to 64 KiB, chunked bodies of
//! one-octet chunks with and without chunk extensions, trailer sections of 100 tiny fields (the
//! field limit applies to them too), empty lines before a request, interim 1xx responses.
//!
//! Each case prints its ratio (`cargo test -p http-codec --test peak_heap -- --nocapture`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::fmt::Debug;

use framing::Decoder;
use http_codec::{RequestDecoder, ResponseDecoder};

// dhat's allocator counts every allocation of every thread while a profiler runs: one test, so
// that no other test allocates while this one measures.
#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

#[path = "../../framing/tests/support/peak_heap.rs"]
mod peak_heap_support;
use peak_heap_support::{MAX_RATIO, measure};

/// About the size of the long inputs.
const SIZE: usize = 64 * 1024;

/// Measures `decoder` on `input`, whole and byte by byte: at least `min_events` events, and the
/// ratio; returns the worst ratio.
fn check<D>(decoder: impl Fn() -> D, what: &str, input: &[u8], min_events: usize) -> f64
where
    D: Decoder,
    D::Error: Debug,
{
    let mut worst: f64 = 0.0;
    for (piece, how) in [(0, "whole"), (1, "bytewise")] {
        let (events, peak) = measure(decoder(), input, piece);
        assert!(
            events.len() >= min_events,
            "{what}: {} events",
            events.len()
        );
        drop(events);
        let ratio = peak as f64 / input.len() as f64;
        println!(
            "{what:<50} {how:<8} {:>6} B in, peak {peak:>8} B, {ratio:>6.2}x",
            input.len()
        );
        assert!(
            ratio <= MAX_RATIO,
            "{what} ({how}): peak heap {peak} bytes for {} input bytes, {ratio:.1}x > {MAX_RATIO}x",
            input.len()
        );
        worst = worst.max(ratio);
    }
    worst
}

/// `unit` repeated to about `SIZE` bytes: the bytes and the count.
fn repeat(unit: &[u8]) -> (Vec<u8>, usize) {
    let count = SIZE / unit.len();
    (unit.repeat(count), count)
}

/// A head of `start` then `fields` lines `a:b` (after `extra`), then the empty line.
fn head(start: &str, extra: &str, fields: usize, field: &str) -> String {
    let mut head = format!("{start}\r\n{extra}");
    for _ in 0..fields {
        head.push_str(field);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    head
}

/// A chunked body of `unit` chunks filling about `SIZE` bytes after `head` (none if `unit` is
/// empty), then the last chunk and `trailers` tiny trailer fields: the bytes and the number of
/// chunks.
fn chunked(head: &str, unit: &[u8], trailers: usize) -> (Vec<u8>, usize) {
    let mut msg = head.as_bytes().to_vec();
    let mut count = 0;
    while !unit.is_empty() && msg.len() + unit.len() + 5 <= SIZE {
        msg.extend_from_slice(unit);
        count += 1;
    }
    msg.extend_from_slice(b"0\r\n");
    for _ in 0..trailers {
        msg.extend_from_slice(b"a:b\r\n");
    }
    msg.extend_from_slice(b"\r\n");
    (msg, count)
}

const POST_CHUNKED: &str = "POST / HTTP/1.1\r\nHost:a\r\nTransfer-Encoding:chunked\r\n\r\n";
const OK_CHUNKED: &str = "HTTP/1.1 200 \r\nTransfer-Encoding:chunked\r\n\r\n";

#[test]
fn both_decoders_stay_under_64x() {
    let mut worst = (0.0, String::new());
    let mut note = |ratio: f64, what: &str| {
        if ratio > worst.0 {
            worst = (ratio, what.to_owned());
        }
    };

    // Requests.
    let req = RequestDecoder::default;
    for (what, input) in [
        (
            "request: HTTP/1.0, no field",
            "GET / HTTP/1.0\r\n\r\n".to_owned(),
        ),
        (
            "request: HTTP/1.1, Host only",
            head("GET / HTTP/1.1", "", 1, "Host:a"),
        ),
        (
            "request: 100 fields a:b",
            head("GET / HTTP/1.1", "Host:a\r\n", 99, "a:b"),
        ),
        (
            "request: 100 fields with empty values",
            head("GET / HTTP/1.1", "Host:a\r\n", 99, "a:"),
        ),
        (
            "request: long target, 100 fields",
            head(
                &format!("GET /{} HTTP/1.1", "x".repeat(8000)),
                "Host:a\r\n",
                99,
                "a:b",
            ),
        ),
    ] {
        note(check(req, what, input.as_bytes(), 2), what);
    }
    let what = "requests: pipelined, HTTP/1.0, no field";
    let (input, n) = repeat(b"GET / HTTP/1.0\r\n\r\n");
    note(check(req, what, &input, 2 * n), what);
    let what = "requests: pipelined, 100 fields a:b each";
    let (input, n) = repeat(head("GET / HTTP/1.1", "Host:a\r\n", 99, "a:b").as_bytes());
    note(check(req, what, &input, 2 * n), what);
    let what = "request: after 32,000 empty lines";
    let mut input = b"\r\n".repeat(32_000);
    input.extend_from_slice(b"GET / HTTP/1.0\r\n\r\n");
    note(check(req, what, &input, 2), what);
    let what = "request: chunked, 1-octet chunks";
    let (input, n) = chunked(POST_CHUNKED, b"1\r\nx\r\n", 0);
    note(check(req, what, &input, n + 2), what);
    let what = "request: chunked, 1-octet chunks with extensions";
    let (input, n) = chunked(POST_CHUNKED, b"1;a=b\r\nx\r\n", 0);
    note(check(req, what, &input, n + 2), what);
    let what = "request: chunked, no data, 100 trailer fields a:b";
    let (input, _) = chunked(POST_CHUNKED, b"", 100);
    note(check(req, what, &input, 2), what);
    let what = "request: 64 KiB Content-Length body";
    let mut input =
        format!("POST / HTTP/1.1\r\nHost:a\r\nContent-Length:{SIZE}\r\n\r\n").into_bytes();
    input.resize(input.len() + SIZE, b'x');
    note(check(req, what, &input, 3), what);

    // Responses.
    let resp = ResponseDecoder::default;
    for (what, input) in [
        (
            "response: 204, no field",
            "HTTP/1.1 204 \r\n\r\n".to_owned(),
        ),
        (
            "response: 100 fields a:b",
            head("HTTP/1.1 200 OK", "Content-Length:0\r\n", 99, "a:b"),
        ),
        (
            "response: 100 fields with empty values",
            head("HTTP/1.1 200 OK", "Content-Length:0\r\n", 99, "a:"),
        ),
    ] {
        note(check(resp, what, input.as_bytes(), 2), what);
    }
    let what = "responses: pipelined 204s";
    let (input, n) = repeat(b"HTTP/1.1 204 \r\n\r\n");
    note(check(resp, what, &input, 2 * n), what);
    let what = "responses: interim 100s, then a 204";
    let (mut input, n) = repeat(b"HTTP/1.1 100 \r\n\r\n");
    input.extend_from_slice(b"HTTP/1.1 204 \r\n\r\n");
    note(check(resp, what, &input, 2 * n + 2), what);
    let what = "response: chunked, 1-octet chunks";
    let (input, n) = chunked(OK_CHUNKED, b"1\r\nx\r\n", 0);
    note(check(resp, what, &input, n + 2), what);
    let what = "response: chunked, no data, 100 trailer fields a:b";
    let (input, _) = chunked(OK_CHUNKED, b"", 100);
    note(check(resp, what, &input, 2), what);
    let what = "response: body to the end of the stream";
    let mut input = b"HTTP/1.1 200 OK\r\n\r\n".to_vec();
    input.resize(SIZE, b'x');
    note(check(resp, what, &input, 3), what);

    typed_headers(&mut note);

    println!("worst: {:.2}x ({})", worst.0, worst.1);
}

/// Peak heap of one call of a typed header parser on `input`, its output kept until the end.
fn measure_typed<T>(parse: impl Fn(&[u8]) -> T, input: &[u8]) -> u64 {
    let profiler = dhat::Profiler::builder().testing().build();
    let before = dhat::HeapStats::get();
    let parsed = parse(input);
    let after = dhat::HeapStats::get();
    drop(parsed);
    drop(profiler);
    (after.max_bytes - before.curr_bytes) as u64
}

/// The typed header parsers (`http_codec::typed`) on lists of their smallest items, about
/// `SIZE` bytes, whether they accept them or not: each must stay under the bound too.
fn typed_headers(note: &mut impl FnMut(f64, &str)) {
    use http_codec::typed::{
        CacheControl, Connection, Cookie, MediaType, SetCookie, TransferEncoding, form_urlencoded,
        percent,
    };
    let cases: Vec<(&str, Vec<u8>, u64)> = vec![
        {
            // `a=; a=; ...; a=`: the separator is "; " between pairs, none after the last.
            let mut input = repeat(b"a=; ").0;
            input.truncate(input.len() - 2);
            let peak = measure_typed(Cookie::decode, &input);
            ("Cookie: a=; repeated", input, peak)
        },
        ("Cache-Control: a, repeated", repeat(b"a,").0, {
            measure_typed(CacheControl::decode, &repeat(b"a,").0)
        }),
        ("Connection: a, repeated", repeat(b"a,").0, {
            measure_typed(Connection::decode, &repeat(b"a,").0)
        }),
        ("Transfer-Encoding: gzip, repeated", repeat(b"gzip,").0, {
            measure_typed(TransferEncoding::decode, &repeat(b"gzip,").0)
        }),
        (
            "Content-Type: a/b;c=d repeated params",
            repeat(b";c=d").0,
            {
                let mut input = b"a/b".to_vec();
                input.extend_from_slice(&repeat(b";c=d").0);
                measure_typed(MediaType::decode, &input)
            },
        ),
        (
            "Set-Cookie: a=b; x repeated attributes",
            repeat(b"; x").0,
            {
                let mut input = b"a=b".to_vec();
                input.extend_from_slice(&repeat(b"; x").0);
                measure_typed(SetCookie::decode, &input)
            },
        ),
        ("form: a=& repeated", repeat(b"a=&").0, {
            measure_typed(form_urlencoded::decode, &repeat(b"a=&").0)
        }),
        ("form: & repeated (empty pairs)", repeat(b"&").0, {
            measure_typed(form_urlencoded::decode, &repeat(b"&").0)
        }),
        ("percent: %41 repeated", repeat(b"%41").0, {
            measure_typed(
                |b| percent::decode(b).map(std::borrow::Cow::into_owned),
                &repeat(b"%41").0,
            )
        }),
    ];
    for (what, input, peak) in cases {
        let ratio = peak as f64 / input.len() as f64;
        println!(
            "{what:<52} {:>6} B in, peak {peak:>7} B, {ratio:>6.3}x",
            input.len()
        );
        assert!(
            ratio <= MAX_RATIO,
            "{what}: peak heap {peak} bytes for {} input bytes, {ratio:.1}x > {MAX_RATIO}x",
            input.len()
        );
        note(ratio, what);
    }
}
