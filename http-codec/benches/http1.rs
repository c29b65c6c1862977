//! Criterion benchmarks for the HTTP/1 codec, each group side by side with the crate it competes
//! with (`httparse`), on the same input bytes.
//!
//! Id convention (read by `scripts/bench.sh`): within a group, `ours*/<case>` is our code and
//! `<peer>/<case>` (here `httparse`) the one it is compared with.
//!
//! | group | what |
//! |---|---|
//! | `http1_head` | one whole head parsed by [`http_codec::head`] (strict [`Config::default`]) vs `httparse`: `firefox_request`, `response` |
//!
//! Both sides do the same work per iteration: a fresh array of 16 headers on the stack, one
//! parse of the whole head, the result (headers included) passed to `black_box`.
//!
//! Not yet here: `http1_head_bytewise` (a 32 KiB head fed one byte at a time through the
//! streaming decoder), to come with the streaming decoder.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use http_codec::Config;
use http_codec::head::{Header, parse_request, parse_response};

/// The request of httparse's own benchmark (`benches/parse.rs`, `REQ`): a Firefox request with
/// nine header fields, about 720 bytes.
const FIREFOX_REQUEST: &[u8] = b"\
GET /wp-content/uploads/2010/03/hello-kitty-darth-vader-pink.jpg HTTP/1.1\r\n\
Host: www.kittyhell.com\r\n\
User-Agent: Mozilla/5.0 (Macintosh; U; Intel Mac OS X 10.6; ja-JP-mac; rv:1.9.2.3) Gecko/20100401 Firefox/3.6.3 Pathtraq/0.9\r\n\
Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n\
Accept-Language: ja,en-us;q=0.7,en;q=0.3\r\n\
Accept-Encoding: gzip,deflate\r\n\
Accept-Charset: Shift_JIS,utf-8;q=0.7,*;q=0.7\r\n\
Keep-Alive: 115\r\n\
Connection: keep-alive\r\n\
Cookie: wp_ozh_wsa_visits=2; wp_ozh_wsa_visit_lasttime=xxxxxxxxxx; __utma=xxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.x; __utmz=xxxxxxxxx.xxxxxxxxxx.x.x.utmccn=(referral)|utmcsr=reader.livedoor.com|utmcct=/reader/|utmcmd=referral|padding=under256\r\n\r\n";

/// The response of httparse's own benchmark (`RESP`): the same fields after a `Date`.
const RESPONSE: &[u8] = b"\
HTTP/1.1 200 OK\r\n\
Date: Wed, 21 Oct 2015 07:28:00 GMT\r\n\
Host: www.kittyhell.com\r\n\
User-Agent: Mozilla/5.0 (Macintosh; U; Intel Mac OS X 10.6; ja-JP-mac; rv:1.9.2.3) Gecko/20100401 Firefox/3.6.3 Pathtraq/0.9\r\n\
Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n\
Accept-Language: ja,en-us;q=0.7,en;q=0.3\r\n\
Accept-Encoding: gzip,deflate\r\n\
Accept-Charset: Shift_JIS,utf-8;q=0.7,*;q=0.7\r\n\
Keep-Alive: 115\r\n\
Connection: keep-alive\r\n\
Cookie: wp_ozh_wsa_visits=2; wp_ozh_wsa_visit_lasttime=xxxxxxxxxx; __utma=xxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.x; __utmz=xxxxxxxxx.xxxxxxxxxx.x.x.utmccn=(referral)|utmcsr=reader.livedoor.com|utmcct=/reader/|utmcmd=referral|padding=under256\r\n\r\n";

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

criterion_group!(benches, http1_head);
criterion_main!(benches);
