//! Criterion benchmarks for the framing codecs, each group side by side with the crate it
//! competes with (`tokio_util::codec`), on the same input bytes.
//!
//! Id convention (read by `scripts/bench.sh`): within a group, `ours*/<case>` is our codec and
//! `<peer>/<case>` (here `tokio-util`, or the `memcpy` baseline) the one it is compared with.
//!
//! | group | what |
//! |---|---|
//! | `length_delimited_decode` | a ~4 MiB buffer of frames, decoded whole; plus `memcpy/1MiB` |
//! | `length_delimited_decode_streamed` | the same bytes in 16 KiB reads, buffer reused; `memcpy` |
//! | `length_delimited_decode_streamed_cold` | the same with a new buffer each time (64 KiB, 1 MiB) |
//! | `length_delimited_encode` | ~4 MiB of frames encoded into a reused buffer |
//! | `lines_decode` | ~1 MiB of 80-byte lines (delimiter included), CRLF and LF |
//! | `lines_encode` | the same lines encoded |
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::hint::black_box;

use bytes::BytesMut;
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use framing::delimited::{Delimited, Utf8Delimited};
use framing::length_delimited::LengthDelimited;
use framing::{Decoder as _, Encoder as _};
use tokio_util::codec::{
    Decoder as TokioDecoder, Encoder as TokioEncoder, LengthDelimitedCodec, LinesCodec,
};

/// Payload sizes of the length-delimited groups, with their ids.
const FRAME_SIZES: [(usize, &str); 4] = [
    (16, "16B"),
    (1024, "1KiB"),
    (64 * 1024, "64KiB"),
    (1024 * 1024, "1MiB"),
];

/// About how many bytes one length-delimited iteration handles.
const FRAMES_TOTAL: usize = 4 * 1024 * 1024;

/// Both codecs accept frames up to this length, well above the largest benchmarked one.
const MAX_FRAME: usize = 8 * 1024 * 1024;

/// The read size of the streamed group: what one `read` of a socket typically returns.
const READ_SIZE: usize = 16 * 1024;

/// One line on the wire, delimiter included.
const LINE_LEN: usize = 80;

/// About how many bytes of lines one lines iteration handles.
const LINES_TOTAL: usize = 1024 * 1024;

/// Deterministic printable ASCII (no CR, no LF), so every run sees the same bytes.
fn printable(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b' ' + (x % 95) as u8
        })
        .collect()
}

/// `count` frames of `size` payload bytes, each with a 4-byte big-endian length.
fn frames_input(size: usize) -> (Vec<u8>, usize) {
    let count = (FRAMES_TOTAL / (size + 4)).max(1);
    let payload = printable(size, size as u64);
    let mut wire = Vec::with_capacity(count * (size + 4));
    for _ in 0..count {
        wire.extend_from_slice(&u32::try_from(size).unwrap().to_be_bytes());
        wire.extend_from_slice(&payload);
    }
    (wire, count)
}

fn ours_ld() -> LengthDelimited {
    LengthDelimited::builder()
        .max_frame_length(MAX_FRAME)
        .build()
}

fn tokio_ld() -> LengthDelimitedCodec {
    LengthDelimitedCodec::builder()
        .length_field_type::<u32>()
        .big_endian()
        .max_frame_length(MAX_FRAME)
        .new_codec()
}

/// Decodes every frame of `buf`; returns the number of frames and payload bytes.
fn drain_ours_ld(codec: &mut LengthDelimited, buf: &mut BytesMut) -> (usize, usize) {
    let (mut n, mut bytes) = (0, 0);
    while let Some(frame) = codec.decode(buf).unwrap() {
        n += 1;
        bytes += frame.payload.len();
        black_box(frame);
    }
    (n, bytes)
}

fn drain_tokio_ld(codec: &mut LengthDelimitedCodec, buf: &mut BytesMut) -> (usize, usize) {
    let (mut n, mut bytes) = (0, 0);
    while let Some(frame) = TokioDecoder::decode(codec, buf).unwrap() {
        n += 1;
        bytes += frame.len();
        black_box(frame);
    }
    (n, bytes)
}

/// A fresh copy of `wire` to decode, and a handle that keeps its storage alive: the routine returns
/// both, so the 4 MiB buffer is freed after the timing, whichever codec let go of it last.
/// (tokio-util's decoder replaces an emptied buffer with a new allocation, so without the handle its
/// last frame would free the input buffer inside the timing and ours would not.)
fn fresh_copy(wire: &[u8]) -> (BytesMut, BytesMut) {
    let mut buf = BytesMut::with_capacity(wire.len() + 1);
    buf.extend_from_slice(wire);
    buf.extend_from_slice(&[0]);
    let keep = buf.split_off(wire.len());
    (buf, keep)
}

fn length_delimited_decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("length_delimited_decode");
    for (size, id) in FRAME_SIZES {
        let (wire, count) = frames_input(size);
        group.throughput(Throughput::Bytes(wire.len() as u64));

        // Both codecs see every frame, whole, before anything is timed.
        let mut buf = BytesMut::from(&wire[..]);
        assert_eq!(
            drain_ours_ld(&mut ours_ld(), &mut buf),
            (count, count * size)
        );
        assert!(buf.is_empty());
        let mut buf = BytesMut::from(&wire[..]);
        assert_eq!(
            drain_tokio_ld(&mut tokio_ld(), &mut buf),
            (count, count * size)
        );
        assert!(buf.is_empty());

        let mut ours = ours_ld();
        group.bench_function(BenchmarkId::new("ours", id), |b| {
            b.iter_batched(
                || fresh_copy(&wire),
                |(mut buf, keep)| {
                    black_box(drain_ours_ld(&mut ours, &mut buf));
                    (buf, keep)
                },
                BatchSize::LargeInput,
            );
        });
        let mut tokio = tokio_ld();
        group.bench_function(BenchmarkId::new("tokio-util", id), |b| {
            b.iter_batched(
                || fresh_copy(&wire),
                |(mut buf, keep)| {
                    black_box(drain_tokio_ld(&mut tokio, &mut buf));
                    (buf, keep)
                },
                BatchSize::LargeInput,
            );
        });
        if size == 1024 * 1024 {
            // The baseline: copying the same bytes once.
            let mut dst = wire.clone();
            group.bench_function(BenchmarkId::new("memcpy", id), |b| {
                b.iter(|| {
                    dst.copy_from_slice(black_box(&wire[..]));
                    black_box(&mut dst);
                });
            });
        }
    }
    group.finish();
}

/// Appends `wire` to `buf` one `READ_SIZE` read at a time, as from a socket, and decodes every
/// complete frame after each read; returns the number of frames and payload bytes.
fn stream<C>(
    wire: &[u8],
    buf: &mut BytesMut,
    codec: &mut C,
    drain: fn(&mut C, &mut BytesMut) -> (usize, usize),
) -> (usize, usize) {
    let (mut n, mut bytes) = (0, 0);
    for read in wire.chunks(READ_SIZE) {
        buf.extend_from_slice(read);
        let (dn, db) = drain(codec, buf);
        n += dn;
        bytes += db;
    }
    (n, bytes)
}

/// The bytes arrive `READ_SIZE` at a time: each read is appended to the decoder's buffer (a copy
/// both codecs pay, as a real read does), then every complete frame is decoded.
///
/// - `length_delimited_decode_streamed`: one buffer for all iterations, as on a long-lived
///   connection; after the first iteration it is large enough, so this is the steady state. The
///   `memcpy` baseline appends the same reads to a buffer that is already large enough.
/// - `length_delimited_decode_streamed_cold`: a new buffer each iteration, as on a new
///   connection, so the buffer's growth (and freeing it) is measured: tokio-util reserves each
///   frame's claimed length when it reads the header, ours grows only with the bytes that arrive.
fn length_delimited_decode_streamed(c: &mut Criterion) {
    let mut group = c.benchmark_group("length_delimited_decode_streamed");
    for (size, id) in FRAME_SIZES {
        let (wire, count) = frames_input(size);
        group.throughput(Throughput::Bytes(wire.len() as u64));

        let mut ours = ours_ld();
        let mut buf = BytesMut::new();
        let got = stream(&wire, &mut buf, &mut ours, drain_ours_ld);
        assert_eq!((got, buf.len()), ((count, count * size), 0));
        group.bench_function(BenchmarkId::new("ours", id), |b| {
            b.iter(|| stream(black_box(&wire), &mut buf, &mut ours, drain_ours_ld));
        });

        let mut tokio = tokio_ld();
        let mut buf = BytesMut::new();
        let got = stream(&wire, &mut buf, &mut tokio, drain_tokio_ld);
        assert_eq!((got, buf.len()), ((count, count * size), 0));
        group.bench_function(BenchmarkId::new("tokio-util", id), |b| {
            b.iter(|| stream(black_box(&wire), &mut buf, &mut tokio, drain_tokio_ld));
        });

        if size == 1024 * 1024 {
            let mut dst = Vec::with_capacity(wire.len());
            dst.extend_from_slice(&wire);
            group.bench_function(BenchmarkId::new("memcpy", id), |b| {
                b.iter(|| {
                    dst.clear();
                    for read in black_box(&wire[..]).chunks(READ_SIZE) {
                        dst.extend_from_slice(read);
                    }
                    black_box(&mut dst);
                });
            });
        }
    }
    group.finish();

    let mut group = c.benchmark_group("length_delimited_decode_streamed_cold");
    for (size, id) in FRAME_SIZES {
        if size < 64 * 1024 {
            // Small frames never grow the buffer past a read: nothing to see here.
            continue;
        }
        let (wire, _) = frames_input(size);
        group.throughput(Throughput::Bytes(wire.len() as u64));
        let mut ours = ours_ld();
        group.bench_function(BenchmarkId::new("ours", id), |b| {
            b.iter(|| {
                stream(
                    black_box(&wire),
                    &mut BytesMut::new(),
                    &mut ours,
                    drain_ours_ld,
                )
            });
        });
        let mut tokio = tokio_ld();
        group.bench_function(BenchmarkId::new("tokio-util", id), |b| {
            b.iter(|| {
                stream(
                    black_box(&wire),
                    &mut BytesMut::new(),
                    &mut tokio,
                    drain_tokio_ld,
                )
            });
        });
    }
    group.finish();
}

fn length_delimited_encode(c: &mut Criterion) {
    let mut group = c.benchmark_group("length_delimited_encode");
    for (size, id) in FRAME_SIZES {
        let count = (FRAMES_TOTAL / (size + 4)).max(1);
        let payload = printable(size, size as u64);
        let (expected, _) = frames_input(size);
        group.throughput(Throughput::Bytes(expected.len() as u64));

        // Both write exactly the bytes the decode group reads.
        let mut dst = BytesMut::with_capacity(expected.len());
        let mut ours = ours_ld();
        for _ in 0..count {
            ours.encode(&payload[..], &mut dst).unwrap();
        }
        assert_eq!(&dst[..], &expected[..]);
        dst.clear();
        let mut tokio = tokio_ld();
        for _ in 0..count {
            TokioEncoder::encode(&mut tokio, &payload[..], &mut dst).unwrap();
        }
        assert_eq!(&dst[..], &expected[..]);

        group.bench_function(BenchmarkId::new("ours", id), |b| {
            b.iter(|| {
                dst.clear();
                for _ in 0..count {
                    ours.encode(black_box(&payload[..]), &mut dst).unwrap();
                }
                black_box(&mut dst);
            });
        });
        group.bench_function(BenchmarkId::new("tokio-util", id), |b| {
            b.iter(|| {
                dst.clear();
                for _ in 0..count {
                    TokioEncoder::encode(&mut tokio, black_box(&payload[..]), &mut dst).unwrap();
                }
                black_box(&mut dst);
            });
        });
    }
    group.finish();
}

/// `LINES_TOTAL / LINE_LEN` lines of `LINE_LEN` bytes on the wire, each ending in `delimiter`.
fn lines(delimiter: &[u8]) -> (Vec<String>, Vec<u8>) {
    let count = LINES_TOTAL / LINE_LEN;
    let content = LINE_LEN - delimiter.len();
    let lines: Vec<String> = (0..count)
        .map(|i| String::from_utf8(printable(content, i as u64 + 1)).unwrap())
        .collect();
    let mut wire = Vec::with_capacity(count * LINE_LEN);
    for line in &lines {
        wire.extend_from_slice(line.as_bytes());
        wire.extend_from_slice(delimiter);
    }
    (lines, wire)
}

fn lines_decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("lines_decode");
    for (id, delimiter) in [("crlf", &b"\r\n"[..]), ("lf", &b"\n"[..])] {
        let (lines, wire) = lines(delimiter);
        group.throughput(Throughput::Bytes(wire.len() as u64));
        let ours_bytes = || {
            if id == "crlf" {
                Delimited::crlf()
            } else {
                Delimited::lf()
            }
        };
        let ours_utf8 = || Utf8Delimited::new(ours_bytes());
        let tokio = || LinesCodec::new_with_max_length(framing::delimited::DEFAULT_MAX_LENGTH);

        // All three yield exactly the lines, delimiters stripped.
        let mut buf = BytesMut::from(&wire[..]);
        let mut codec = ours_bytes();
        for line in &lines {
            assert_eq!(codec.decode(&mut buf).unwrap().unwrap(), line.as_bytes());
        }
        assert!(buf.is_empty());
        let mut buf = BytesMut::from(&wire[..]);
        let mut codec = ours_utf8();
        for line in &lines {
            assert_eq!(&codec.decode(&mut buf).unwrap().unwrap(), line);
        }
        assert!(buf.is_empty());
        let mut buf = BytesMut::from(&wire[..]);
        let mut codec = tokio();
        for line in &lines {
            assert_eq!(
                &TokioDecoder::decode(&mut codec, &mut buf).unwrap().unwrap(),
                line
            );
        }
        assert!(buf.is_empty());

        let mut codec = ours_bytes();
        group.bench_function(BenchmarkId::new("ours-bytes", id), |b| {
            b.iter_batched(
                || BytesMut::from(&wire[..]),
                |mut buf| {
                    while let Some(line) = codec.decode(&mut buf).unwrap() {
                        black_box(line);
                    }
                    buf
                },
                BatchSize::LargeInput,
            );
        });
        let mut codec = ours_utf8();
        group.bench_function(BenchmarkId::new("ours-utf8", id), |b| {
            b.iter_batched(
                || BytesMut::from(&wire[..]),
                |mut buf| {
                    while let Some(line) = codec.decode(&mut buf).unwrap() {
                        black_box(line);
                    }
                    buf
                },
                BatchSize::LargeInput,
            );
        });
        let mut codec = tokio();
        group.bench_function(BenchmarkId::new("tokio-util", id), |b| {
            b.iter_batched(
                || BytesMut::from(&wire[..]),
                |mut buf| {
                    while let Some(line) = TokioDecoder::decode(&mut codec, &mut buf).unwrap() {
                        black_box(line);
                    }
                    buf
                },
                BatchSize::LargeInput,
            );
        });
    }
    group.finish();
}

fn lines_encode(c: &mut Criterion) {
    let mut group = c.benchmark_group("lines_encode");
    // LinesCodec writes LF only; ours is measured with LF (like for like) and with CRLF.
    for (id, delimiter) in [("lf", &b"\n"[..]), ("crlf", &b"\r\n"[..])] {
        let (lines, wire) = lines(delimiter);
        group.throughput(Throughput::Bytes(wire.len() as u64));
        let mut dst = BytesMut::with_capacity(wire.len());

        let mut ours = if id == "crlf" {
            Delimited::crlf()
        } else {
            Delimited::lf()
        };
        for line in &lines {
            ours.encode(line.as_str(), &mut dst).unwrap();
        }
        assert_eq!(&dst[..], &wire[..]);
        group.bench_function(BenchmarkId::new("ours", id), |b| {
            b.iter(|| {
                dst.clear();
                for line in black_box(&lines) {
                    ours.encode(line.as_str(), &mut dst).unwrap();
                }
                black_box(&mut dst);
            });
        });

        if id == "lf" {
            let mut tokio = LinesCodec::new();
            dst.clear();
            for line in &lines {
                TokioEncoder::encode(&mut tokio, line.as_str(), &mut dst).unwrap();
            }
            assert_eq!(&dst[..], &wire[..]);
            group.bench_function(BenchmarkId::new("tokio-util", id), |b| {
                b.iter(|| {
                    dst.clear();
                    for line in black_box(&lines) {
                        TokioEncoder::encode(&mut tokio, line.as_str(), &mut dst).unwrap();
                    }
                    black_box(&mut dst);
                });
            });
        }
    }
    group.finish();
}

criterion_group!(
    benches,
    length_delimited_decode,
    length_delimited_decode_streamed,
    length_delimited_encode,
    lines_decode,
    lines_encode
);
criterion_main!(benches);
