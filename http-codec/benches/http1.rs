//! Criterion benchmarks for the HTTP/1 codec, each group side by side with the crate it competes
//! with (`httparse`), on the same input bytes.
//!
//! Id convention (read by `scripts/bench.sh`): within a group, `ours*/<case>` is our code and
//! `<peer>/<case>` (here `httparse`) the one it is compared with.
//!
//! | group | what |
//! |---|---|
//! | `http1_head` | one whole head parsed by [`http_codec::head`] (strict [`Config::default`]) vs `httparse`: `firefox_request`, `response` |
//! | `http1_head_bytewise` | a 32 KiB request head through the streaming [`RequestDecoder`], given `whole` or one byte at a time (`bytewise`); httparse the same way (it re-parses from the start after each byte, as its callers must) |
//!
//! Both sides do the same work per iteration: a fresh array of 16 headers on the stack, one
//! parse of the whole head, the result (headers included) passed to `black_box`.
//!
//! The bytewise case shows the decoders' cost is linear under any split: ours bytewise against
//! ours whole is the figure to watch (at most 3x), httparse's bytewise is quadratic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::hint::black_box;

use bytes::BytesMut;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use framing::Decoder;
use http_codec::head::{Header, parse_request, parse_response};
use http_codec::{Config, Event, RequestDecoder};

/// The request of httparse's own benchmark (`benches/parse.rs`, `REQ`): a Firefox request with
/// nine header fields, about 720 bytes.
const FIREFOX_REQUEST: &[u8] = include_bytes!("../tests/vectors/httparse/firefox_request.http");

/// The response of httparse's own benchmark (`RESP`): the same fields after a `Date`.
const RESPONSE: &[u8] = include_bytes!("../tests/vectors/httparse/response.http");

/// Both parsers get this many header slots, as in httparse's benchmark.
const SLOTS: usize = 16;

/// `(name, value)` pairs, to compare both parsers' output.
fn pairs<'a>(it: impl Iterator<Item = (&'a [u8], &'a [u8])>) -> Vec<(Vec<u8>, Vec<u8>)> {
    it.map(|(n, v)| (n.to_vec(), v.to_vec())).collect()
}

/// Before anything is timed: the input is a whole head, our strict parser accepts all of it, and
/// both parsers see the same fields.
fn check_request(input: &[u8]) {
    assert!(input.ends_with(b"\r\n\r\n"));
    let mut ours = [Header::EMPTY; SLOTS];
    let (head, len) = match parse_request(input, &mut ours, &Config::default()) {
        Ok(Some(done)) => done,
        Ok(None) => panic!("our strict parser finds the request incomplete"),
        Err(e) => panic!("our strict parser rejects the request: {e} ({e:?})"),
    };
    assert_eq!(len, input.len());
    let mut theirs = [httparse::EMPTY_HEADER; SLOTS];
    let mut req = httparse::Request::new(&mut theirs);
    assert_eq!(
        req.parse(input).unwrap(),
        httparse::Status::Complete(input.len())
    );
    assert_eq!(Some(head.method), req.method.map(str::as_bytes));
    assert_eq!(Some(head.target), req.path.map(str::as_bytes));
    assert_eq!(
        pairs(head.headers.iter().map(|h| (h.name, h.value))),
        pairs(req.headers.iter().map(|h| (h.name.as_bytes(), h.value)))
    );
}

fn check_response(input: &[u8]) {
    assert!(input.ends_with(b"\r\n\r\n"));
    let mut ours = [Header::EMPTY; SLOTS];
    let (head, len) = match parse_response(input, &mut ours, &Config::default()) {
        Ok(Some(done)) => done,
        Ok(None) => panic!("our strict parser finds the response incomplete"),
        Err(e) => panic!("our strict parser rejects the response: {e} ({e:?})"),
    };
    assert_eq!(len, input.len());
    let mut theirs = [httparse::EMPTY_HEADER; SLOTS];
    let mut resp = httparse::Response::new(&mut theirs);
    assert_eq!(
        resp.parse(input).unwrap(),
        httparse::Status::Complete(input.len())
    );
    assert_eq!(Some(head.status), resp.code);
    assert_eq!(Some(head.reason), resp.reason.map(str::as_bytes));
    assert_eq!(
        pairs(head.headers.iter().map(|h| (h.name, h.value))),
        pairs(resp.headers.iter().map(|h| (h.name.as_bytes(), h.value)))
    );
}

fn http1_head(c: &mut Criterion) {
    let config = Config::default();
    let mut group = c.benchmark_group("http1_head");

    let input = FIREFOX_REQUEST;
    check_request(input);
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.bench_function(BenchmarkId::new("ours", "firefox_request"), |b| {
        b.iter(|| {
            let mut headers = [Header::EMPTY; SLOTS];
            let parsed = parse_request(black_box(input), &mut headers, &config);
            black_box(&parsed);
        });
    });
    group.bench_function(BenchmarkId::new("httparse", "firefox_request"), |b| {
        b.iter(|| {
            let mut headers = [httparse::EMPTY_HEADER; SLOTS];
            let mut req = httparse::Request::new(&mut headers);
            let parsed = req.parse(black_box(input));
            black_box((&parsed, &req));
        });
    });

    let input = RESPONSE;
    check_response(input);
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.bench_function(BenchmarkId::new("ours", "response"), |b| {
        b.iter(|| {
            let mut headers = [Header::EMPTY; SLOTS];
            let parsed = parse_response(black_box(input), &mut headers, &config);
            black_box(&parsed);
        });
    });
    group.bench_function(BenchmarkId::new("httparse", "response"), |b| {
        b.iter(|| {
            let mut headers = [httparse::EMPTY_HEADER; SLOTS];
            let mut resp = httparse::Response::new(&mut headers);
            let parsed = resp.parse(black_box(input));
            black_box((&parsed, &resp));
        });
    });

    group.finish();
}

/// A request head of exactly 32 KiB: a request-line, Host, and 90 filler fields.
fn big_head() -> Vec<u8> {
    let mut head = b"GET /big HTTP/1.1\r\nHost: example.com\r\n".to_vec();
    let fields = 90;
    let room = 32 * 1024 - head.len() - 2;
    for i in 0..fields {
        let line_len = room / fields + usize::from(i < room % fields);
        let name = format!("X-Fill-{i:02}: ");
        head.extend_from_slice(name.as_bytes());
        head.extend(std::iter::repeat_n(b'v', line_len - name.len() - 2));
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(b"\r\n");
    assert_eq!(head.len(), 32 * 1024);
    head
}

/// Feeds `input` to a fresh decoder `step` bytes at a time until the head comes out.
fn decode_head(input: &[u8], step: usize) -> usize {
    let mut decoder = RequestDecoder::default();
    let mut buf = BytesMut::with_capacity(input.len());
    for piece in input.chunks(step) {
        buf.extend_from_slice(piece);
        if let Some(Event::Head(r)) = decoder.decode(&mut buf).unwrap() {
            return r.headers.len();
        }
    }
    panic!("no head")
}

/// Re-parses from the start after each `step` bytes, as a caller of httparse does.
fn httparse_head(input: &[u8], step: usize) -> usize {
    let mut end = 0;
    loop {
        end = (end + step).min(input.len());
        let mut headers = [httparse::EMPTY_HEADER; 128];
        let mut req = httparse::Request::new(&mut headers);
        if let httparse::Status::Complete(_) = req.parse(&input[..end]).unwrap() {
            return req.headers.len();
        }
    }
}

fn http1_head_bytewise(c: &mut Criterion) {
    let input = big_head();
    assert_eq!(decode_head(&input, input.len()), 91);
    assert_eq!(decode_head(&input, 1), 91);
    assert_eq!(httparse_head(&input, input.len()), 91);
    let mut group = c.benchmark_group("http1_head_bytewise");
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.sample_size(10);
    for (case, step) in [("whole", input.len()), ("bytewise", 1)] {
        group.bench_function(BenchmarkId::new("ours", case), |b| {
            b.iter(|| black_box(decode_head(black_box(&input), step)));
        });
        group.bench_function(BenchmarkId::new("httparse", case), |b| {
            b.iter(|| black_box(httparse_head(black_box(&input), step)));
        });
    }
    group.finish();
}

criterion_group!(benches, http1_head, http1_head_bytewise);
criterion_main!(benches);
