//! Criterion benchmarks for the DATA content codec, each group side by side with a plain
//! `memchr` scan for LF over the same bytes in the same pieces, one call per line (the least any
//! line-aware reader must do), and, for unstuffing, with Stalwart's `smtp_proto` `DataReceiver`.
//!
//! Id convention (read by `scripts/bench.sh`): within a group, `ours*/<case>` is our code,
//! `memchr/<case>` the baseline (target: ours at least 0.5x its speed) and `smtp-proto/<case>` a
//! peer (target: at least 1.0x).
//!
//! | group | what |
//! |---|---|
//! | `data_unstuff` | a stuffed 10 MiB message (lines of 0 to 78 octets, 2 % starting with a dot) through [`DataDecoder`], fed in 4 KiB and 64 KiB pieces appended to one `BytesMut` as a socket reader would; `smtp-proto`: the same pieces through `DataReceiver::ingest` into a `Vec` cleared after each piece |
//! | `data_stuff` | the unstuffed content through [`DataEncoder`] in 4 KiB and 64 KiB pieces, each piece's output cleared as a socket writer would (no peer: neither smtp-proto 0.2 nor duesee's smtp-codec 0.2 has a dot-stuffing encoder) |
//!
//! Each side copies every byte once: ours appends the piece to its `BytesMut` and hands out the
//! unstuffed runs as `Bytes` split off it (no copy), smtp-proto copies the unstuffed runs from
//! the piece into its `Vec`. Ours does more per byte: strict, it refuses a bare CR or LF (SMTP
//! smuggling) and counts the line length; smtp-proto's receiver looks only for `\n.` (memmem)
//! and passes bare line ends through.
//!
//! Target: ours at least 1 GB/s, 0.5x memchr and 1.0x smtp-proto. Figures: BENCHMARKS.md, section
//! smtp-codec.
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
use smtp_codec::data::{DataDecoder, DataEncoder, DataEvent};
use smtp_codec::{Leniency, Limits};

/// About 10 MiB of content: CRLF lines of 0 to 78 printable octets (a deterministic LCG), one
/// in 50 starting with a dot.
fn content() -> Vec<u8> {
    let mut out = Vec::with_capacity(10 << 20);
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (x >> 33) as u32
    };
    while out.len() < 10 << 20 {
        let len = next() % 79;
        if next() % 50 == 0 {
            out.push(b'.');
        }
        for _ in 0..len {
            out.push(b' ' + (next() % 95) as u8);
        }
        out.extend_from_slice(b"\r\n");
    }
    out
}

fn stuffed(content: &[u8]) -> Vec<u8> {
    let mut e = DataEncoder::new(Limits::default(), Leniency::strict());
    let mut wire = BytesMut::new();
    e.encode_content(content, &mut wire).unwrap();
    e.finish(&mut wire).unwrap();
    wire.to_vec()
}

/// The baseline: every line end found with one `memchr` call per line, as a line reader does
/// (not `memchr_iter().count()`, which counts without stopping at each line).
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

fn unstuff(wire: &[u8], piece: usize) -> u64 {
    let mut d = DataDecoder::new(Limits::default(), Leniency::strict());
    let mut buf = BytesMut::with_capacity(2 * piece);
    let mut total = 0;
    for p in wire.chunks(piece) {
        buf.extend_from_slice(p);
        while let Some(event) = d.decode(&mut buf).unwrap() {
            match event {
                DataEvent::Data(b) => total += b.len() as u64,
                DataEvent::End => return total,
            }
        }
    }
    panic!("no end")
}

/// smtp-proto's DATA receiver on the same pieces: each piece's unstuffed bytes go to a `Vec`,
/// counted and cleared as ours are dropped.
fn smtp_proto_unstuff(wire: &[u8], piece: usize) -> u64 {
    let mut d = smtp_proto::request::receiver::DataReceiver::new();
    let mut out = Vec::with_capacity(2 * piece);
    let mut total = 0;
    for p in wire.chunks(piece) {
        let mut it = p.iter();
        let end = d.ingest(&mut it, &mut out);
        total += out.len() as u64;
        out.clear();
        if end {
            return total;
        }
    }
    panic!("no end")
}

fn stuff(content: &[u8], piece: usize) -> usize {
    let mut e = DataEncoder::new(Limits::default(), Leniency::strict());
    let mut dst = BytesMut::with_capacity(2 * piece);
    let mut total = 0;
    for p in content.chunks(piece) {
        e.encode_content(p, &mut dst).unwrap();
        total += dst.len();
        dst.clear();
    }
    e.finish(&mut dst).unwrap();
    total + dst.len()
}

fn bench(c: &mut Criterion) {
    let content = content();
    let wire = stuffed(&content);
    for piece in [4096, 65536] {
        assert_eq!(unstuff(&wire, piece), content.len() as u64);
        assert_eq!(smtp_proto_unstuff(&wire, piece), content.len() as u64);
    }
    let mut theirs = Vec::new();
    assert!(
        smtp_proto::request::receiver::DataReceiver::new().ingest(&mut wire.iter(), &mut theirs)
    );
    assert_eq!(theirs, content);

    let mut group = c.benchmark_group("data_unstuff");
    group.throughput(Throughput::Bytes(wire.len() as u64));
    group.sample_size(20);
    for (name, piece) in [("4k", 4096), ("64k", 65536)] {
        group.bench_with_input(BenchmarkId::new("ours", name), &piece, |b, &piece| {
            b.iter(|| unstuff(black_box(&wire), piece))
        });
        group.bench_with_input(BenchmarkId::new("memchr", name), &piece, |b, &piece| {
            b.iter(|| memchr_lines(black_box(&wire), piece))
        });
        group.bench_with_input(BenchmarkId::new("smtp-proto", name), &piece, |b, &piece| {
            b.iter(|| smtp_proto_unstuff(black_box(&wire), piece))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("data_stuff");
    group.throughput(Throughput::Bytes(content.len() as u64));
    group.sample_size(20);
    for (name, piece) in [("4k", 4096), ("64k", 65536)] {
        group.bench_with_input(BenchmarkId::new("ours", name), &piece, |b, &piece| {
            b.iter(|| stuff(black_box(&content), piece))
        });
        group.bench_with_input(BenchmarkId::new("memchr", name), &piece, |b, &piece| {
            b.iter(|| memchr_lines(black_box(&content), piece))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
