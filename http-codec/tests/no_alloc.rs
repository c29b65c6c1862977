//! The borrowed head parser ([`http_codec::head`]) never touches the heap: measured with a counting
//! global allocator (dhat's) on httparse's benchmark inputs, for the whole head, for every prefix
//! of it (the incomplete case a server hits on every short read), and for corrupted copies (the
//! error path).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use http_codec::head::{Header, parse_request, parse_response};
use http_codec::{Config, Error};

// dhat's allocator counts every allocation of every thread while a profiler runs.
#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// Runs `f` under a fresh heap profiler: its result, and how many heap blocks and bytes it
/// allocated.
///
/// dhat counts the allocations of every thread, and the test harness's own threads allocate now
/// and then (608 bytes once on a loaded machine; on another, one more allocation in a second
/// measurement too), so a count that is not zero is taken again, up to [`TRIES`] times in all:
/// the parser is deterministic, so an allocation of its own shows on every run, and the smallest
/// count is the parser's.
fn measure<T>(f: impl Fn() -> T) -> (T, u64, u64) {
    let once = || {
        let _profiler = dhat::Profiler::builder().testing().build();
        let before = dhat::HeapStats::get();
        let out = f();
        let after = dhat::HeapStats::get();
        (
            out,
            after.total_blocks - before.total_blocks,
            after.total_bytes - before.total_bytes,
        )
    };
    let mut best = once();
    for _ in 1..TRIES {
        if (best.1, best.2) == (0, 0) {
            break;
        }
        let again = once();
        if (again.1, again.2) < (best.1, best.2) {
            best = again;
        }
    }
    best
}

/// How many times [`measure`] counts before it believes an allocation.
const TRIES: usize = 5;

/// httparse's benchmark request (`benches/parse.rs`, `REQ`), as in `benches/http1.rs`.
const FIREFOX_REQUEST: &[u8] = include_bytes!("./vectors/httparse/firefox_request.http");

/// httparse's benchmark response (`RESP`).
const RESPONSE: &[u8] = include_bytes!("./vectors/httparse/response.http");

/// Our parse of `buf` as a request, reduced to (field count, head length) so nothing borrowed
/// leaves the measured closure.
fn request(buf: &[u8], config: &Config) -> Result<Option<(usize, usize)>, Error> {
    let mut headers = [Header::EMPTY; 16];
    parse_request(buf, &mut headers, config).map(|r| r.map(|(h, n)| (h.headers.len(), n)))
}

fn response(buf: &[u8], config: &Config) -> Result<Option<(usize, usize)>, Error> {
    let mut headers = [Header::EMPTY; 16];
    parse_response(buf, &mut headers, config).map(|r| r.map(|(h, n)| (h.headers.len(), n)))
}

type Parse = fn(&[u8], &Config) -> Result<Option<(usize, usize)>, Error>;

/// The whole head, then every prefix of it, each parsed under its own measurement.
fn whole_and_every_prefix(input: &[u8], parse: Parse, fields: usize) {
    let config = Config::default();
    let (r, blocks, bytes) = measure(|| parse(input, &config));
    assert_eq!(r, Ok(Some((fields, input.len()))));
    assert_eq!((blocks, bytes), (0, 0), "the whole head allocated");
    for len in 0..input.len() {
        let (r, blocks, bytes) = measure(|| parse(&input[..len], &config));
        assert_eq!(r, Ok(None), "prefix of {len} bytes");
        assert_eq!(
            (blocks, bytes),
            (0, 0),
            "the prefix of {len} bytes allocated {blocks} blocks, {bytes} bytes"
        );
    }
}

/// Each byte in turn replaced by a NUL (valid nowhere in a head): whatever the parser answers,
/// it allocates nothing to say it.
fn every_corruption(input: &[u8], parse: Parse) {
    let config = Config::default();
    let mut buf = input.to_vec();
    for i in 0..buf.len() {
        let original = buf[i];
        buf[i] = 0;
        let (r, blocks, bytes) = measure(|| parse(&buf, &config));
        assert!(r.is_err(), "NUL at {i} accepted: {r:?}");
        assert_eq!(
            (blocks, bytes),
            (0, 0),
            "NUL at {i} allocated {blocks} blocks, {bytes} bytes ({r:?})"
        );
        buf[i] = original;
    }
}

/// One test, not four: dhat counts the allocations of every thread, and while one test measures,
/// the harness thread reporting another one's result allocates (seen as 1 to 12 blocks in
/// prefixes that allocate nothing when run alone). With a single test nothing else runs.
#[test]
fn the_head_parser_never_allocates() {
    // The counter sees an allocation when there is one.
    let (_, blocks, bytes) = measure(|| std::hint::black_box(vec![0u8; 8]));
    assert_eq!((blocks, bytes), (1, 8));
    whole_and_every_prefix(FIREFOX_REQUEST, request, 9);
    whole_and_every_prefix(RESPONSE, response, 10);
    every_corruption(FIREFOX_REQUEST, request);
    every_corruption(RESPONSE, response);
}
