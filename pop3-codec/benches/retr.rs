//! Criterion benchmark for a large RETR answer read by the client's decoder, side by side with a
//! plain `memchr` scan for LF over the same bytes in the same pieces, one call per line (the
//! least any line-aware reader must do).
//!
//! Id convention (read by `scripts/bench.sh`): within a group, `ours*/<case>` is our code and
//! `memchr/<case>` the baseline (target: ours at least 0.5x its speed).
//!
//! | group | what |
//! |---|---|
//! | `pop3_retr` | `+OK` and a dot-stuffed 10 MiB message (CRLF lines of 0 to 78 octets, 2 % starting with a dot), then `.CRLF`, fed in 4 KiB (`4k`) and 64 KiB (`64k`) pieces appended to one `BytesMut` as a socket reader would |
//!
//! Ours per iteration: a [`ResponseDecoder`] told it answers `RETR 1` decodes the status line to
//! a [`pop3_codec::Response`], then hands out the content dot-unstuffed as `Bytes` split off the
//! buffer (no copy where nothing is unstuffed), strict: every line end must be CRLF (a bare CR
//! or LF is refused) and every line is held to the content line limit; each piece's length is
//! summed and the piece dropped. The baseline finds every LF of the same pieces and copies
//! nothing. Target (issue 11): ours at least 1 GB/s and 0.5x memchr. Figures: BENCHMARKS.md,
//! section pop3-codec.
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
use pop3_codec::{Command, Response, ResponseDecoder, ResponseEncoder, ResponseEvent};

/// About 10 MiB of content: CRLF lines of 0 to 78 printable octets (a deterministic LCG), one
/// in `1 / dots` starting with a dot (none when `dots` is 0).
fn content(size: usize, dots: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(size + 100);
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (x >> 33) as u32
    };
    while out.len() < size {
        let len = next() % 79;
        if dots != 0 && next() % dots == 0 {
            out.push(b'.');
        }
        for _ in 0..len {
            out.push(b' ' + (next() % 95) as u8);
        }
        out.extend_from_slice(b"\r\n");
    }
    out
}

/// The whole answer as the server writes it: status line, stuffed content, `.CRLF`.
fn answer(content: &[u8]) -> Vec<u8> {
    let mut wire = BytesMut::new();
    let status = Response::ok(format!("{} octets", content.len()));
    ResponseEncoder::default()
        .encode_multiline(&status, content, &mut wire)
        .unwrap();
    wire.to_vec()
}

/// The baseline: every line end found with one `memchr` call per line, as a line reader does.
fn memchr_lines(bytes: &[u8], piece: usize) -> usize {
    let mut lines = 0;
    for p in bytes.chunks(piece) {
        let mut at = 0;
        while let Some(i) = memchr::memchr(b'\n', &p[at..]) {
            at += i + 1;
            lines += 1;
        }
    }
    lines
}

/// Ours: the answer in `piece`-sized reads through a [`ResponseDecoder`]; the content's length.
fn retr(wire: &[u8], piece: usize) -> u64 {
    let mut d = ResponseDecoder::default();
    d.expect(&Command::Retr(1));
    let mut buf = BytesMut::with_capacity(2 * piece);
    let mut total = 0;
    for p in wire.chunks(piece) {
        buf.extend_from_slice(p);
        while let Some(event) = d.decode(&mut buf).unwrap() {
            match event {
                ResponseEvent::Status(r) => assert!(black_box(r).ok),
                ResponseEvent::Data(b) => total += black_box(b).len() as u64,
                ResponseEvent::End => return total,
                ResponseEvent::Challenge(_) => panic!("a challenge"),
            }
        }
    }
    panic!("no end")
}

fn bench(c: &mut Criterion) {
    let content = content(10 << 20, 50);
    let wire = answer(&content);
    assert!(
        memchr::memmem::find(&wire, b"\r\n..").is_some(),
        "no stuffed line"
    );
    for piece in [4096, 65536] {
        assert_eq!(retr(&wire, piece), content.len() as u64);
    }

    let mut group = c.benchmark_group("pop3_retr");
    group.throughput(Throughput::Bytes(wire.len() as u64));
    group.sample_size(20);
    for (name, piece) in [("4k", 4096), ("64k", 65536)] {
        group.bench_with_input(BenchmarkId::new("ours", name), &piece, |b, &piece| {
            b.iter(|| retr(black_box(&wire), piece))
        });
        group.bench_with_input(BenchmarkId::new("memchr", name), &piece, |b, &piece| {
            b.iter(|| memchr_lines(black_box(&wire), piece))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
