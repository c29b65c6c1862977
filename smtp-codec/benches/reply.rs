//! Criterion benchmarks for reply parsing, side by side with the SMTP parsers of crates.io:
//! Stalwart's `smtp-proto` (its `ResponseReceiver` and `EhloResponse::parse`) and duesee's
//! nom-based `smtp-codec` 0.2 (here `duesee_smtp`: `Reply_line`, `ehlo_ok_rsp`).
//!
//! Id convention (read by `scripts/bench.sh`): within a group, `ours*/<case>` is our code and
//! `<peer>/<case>` (`smtp-proto`, `duesee-smtp-codec`) the one it is compared with.
//!
//! | group | what |
//! |---|---|
//! | `smtp_reply` | `ehlo_12`: a 12-line EHLO reply (greeting, SIZE, 8BITMIME, PIPELINING, AUTH with three mechanisms, ...; 245 octets) assembled into one reply: code, and the text of every line |
//! | `smtp_ehlo` | the same bytes read as typed capabilities |
//!
//! `smtp_reply`: ours is [`ReplyDecoder`] (strict: same code on every line, each line's syntax
//! checked) giving a [`Reply`] holding one `String` of the lines joined by LF (one allocation
//! per reply); smtp-proto's `ResponseReceiver::parse`
//! gives the code, the enhanced code and one `String` of the lines joined by LF. duesee's crate
//! has no reply assembler, only `Reply_line`, which recognises the reply and returns its bytes
//! (no text gathered, nothing allocated): a row for scale, doing less work than the two others.
//!
//! `smtp_ehlo`: ours is [`ReplyDecoder`] then [`Capabilities::from_ehlo`] (every keyword typed,
//! SIZE's number and AUTH's mechanisms parsed, unknown keywords kept with their parameters);
//! smtp-proto's `EhloResponse::parse` (a bit set of known keywords, SIZE, AUTH mechanisms as a
//! bit set, the hostname); duesee's `ehlo_ok_rsp` (a `Vec` of typed capabilities).
//!
//! Ours reads from a `BytesMut` holding the bytes, as a client's socket reader has them;
//! building and freeing that buffer is setup, not timed (`iter_batched_ref`). The peers read the
//! `&[u8]`. Every side's output goes to `black_box` and is dropped inside the timed loop.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::hint::black_box;

use bytes::BytesMut;
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use framing::Decoder;
use smtp_codec::{Capabilities, Leniency, Limits, Reply, ReplyDecoder};

/// A modern MTA's answer to EHLO, 12 lines.
const EHLO_12: &[u8] = b"250-mx.example.com Hello client.example.org [192.0.2.25]\r\n\
250-SIZE 52428800\r\n\
250-8BITMIME\r\n\
250-PIPELINING\r\n\
250-AUTH PLAIN LOGIN XOAUTH2\r\n\
250-CHUNKING\r\n\
250-ENHANCEDSTATUSCODES\r\n\
250-DSN\r\n\
250-SMTPUTF8\r\n\
250-STARTTLS\r\n\
250-REQUIRETLS\r\n\
250 BINARYMIME\r\n";

fn ours(buf: &mut BytesMut) -> Reply {
    let mut d = ReplyDecoder::new(Limits::default(), Leniency::strict());
    d.decode(buf).unwrap().unwrap()
}

fn smtp_proto_reply(input: &[u8]) -> smtp_proto::Response<String> {
    let mut r = smtp_proto::response::parser::ResponseReceiver::default();
    r.parse(&mut input.iter()).unwrap()
}

fn smtp_proto_ehlo(input: &[u8]) -> smtp_proto::EhloResponse<String> {
    smtp_proto::EhloResponse::parse(&mut input.iter()).unwrap()
}

/// Before anything is timed: every parser takes the whole reply, and they agree on what it says.
fn check(input: &[u8]) {
    assert_eq!(input.len(), 245);
    let reply = ours(&mut BytesMut::from(input));
    assert_eq!(reply.code(), 250);
    assert_eq!(reply.lines().len(), 12);
    let theirs = smtp_proto_reply(input);
    assert_eq!(theirs.code, 250);
    assert_eq!(theirs.message, reply.lines().join("\n"));
    let (rest, line) = duesee_smtp::parse::response::Reply_line(input).unwrap();
    assert!(rest.is_empty());
    assert_eq!(line, input);

    let caps = Capabilities::from_ehlo(&reply).unwrap();
    assert_eq!(caps.size(), Some(52_428_800));
    assert_eq!(caps.auth_mechanisms().len(), 3);
    assert_eq!(caps.iter().count(), 11);
    let theirs = smtp_proto_ehlo(input);
    assert_eq!(theirs.size, 52_428_800);
    assert_eq!(theirs.auth_mechanisms.count_ones(), 3);
    assert_eq!(theirs.capabilities.count_ones(), 11);
    let (rest, theirs) = duesee_smtp::parse::response::ehlo_ok_rsp(input).unwrap();
    assert!(rest.is_empty());
    let duesee_smtp::types::Response::Ehlo { capabilities, .. } = theirs else {
        panic!("not an EHLO reply: {theirs:?}")
    };
    assert_eq!(capabilities.len(), 11);
}

fn bench(c: &mut Criterion) {
    let input = EHLO_12;
    check(input);

    let mut group = c.benchmark_group("smtp_reply");
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.bench_function(BenchmarkId::new("ours", "ehlo_12"), |b| {
        b.iter_batched_ref(
            || BytesMut::from(input),
            |buf| drop(black_box(ours(buf))),
            BatchSize::SmallInput,
        )
    });
    group.bench_function(BenchmarkId::new("smtp-proto", "ehlo_12"), |b| {
        b.iter(|| black_box(smtp_proto_reply(black_box(input))))
    });
    group.bench_function(BenchmarkId::new("duesee-smtp-codec", "ehlo_12"), |b| {
        b.iter(|| black_box(duesee_smtp::parse::response::Reply_line(black_box(input)).unwrap()))
    });
    group.finish();

    let mut group = c.benchmark_group("smtp_ehlo");
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.bench_function(BenchmarkId::new("ours", "ehlo_12"), |b| {
        b.iter_batched_ref(
            || BytesMut::from(input),
            |buf| drop(black_box(Capabilities::from_ehlo(&ours(buf)).unwrap())),
            BatchSize::SmallInput,
        )
    });
    group.bench_function(BenchmarkId::new("smtp-proto", "ehlo_12"), |b| {
        b.iter(|| black_box(smtp_proto_ehlo(black_box(input))))
    });
    group.bench_function(BenchmarkId::new("duesee-smtp-codec", "ehlo_12"), |b| {
        b.iter(|| black_box(duesee_smtp::parse::response::ehlo_ok_rsp(black_box(input)).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
