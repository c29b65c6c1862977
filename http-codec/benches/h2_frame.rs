//! Criterion benchmarks for the HTTP/2 frame layer (RFC 9113 §4), issue 12:
//!
//! | group | what |
//! |---|---|
//! | `h2_frame_header` | 4096 frame headers (§4.1, 9 octets each) parsed: ours (`FrameHeader::parse`) and h2's `frame::Head::parse` |
//! | `h2_data_frames` | 64 DATA frames of 16 KiB (1 MiB + headers) through the frame decoder, against a plain memcpy of the same bytes |
//!
//! In `h2_data_frames`:
//!
//! - `memcpy/16k` copies the whole input into a preallocated buffer: the yardstick (target:
//!   our decoder at ≥ 0.5x of it).
//! - `ours-decode` runs `FrameDecoder::decode` over the input already in a `BytesMut` (each
//!   payload is split off, zero-copy; filling the buffer is not measured).
//! - `ours-receive` is what a connection does with bytes from the network: they arrive in
//!   16 KiB reads, are appended to the receive buffer (one copy) and decoded as frames complete.
//! - `h2` is h2's `Codec` reading the same bytes from memory in the same way (its read
//!   buffer, then its frame decoder).
//!
//! Throughput is in input bytes.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

mod peers;

use std::hint::black_box;
use std::task::Poll;

use bytes::{Bytes, BytesMut};
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use framing::Decoder as _;
use futures_util::StreamExt;
use http_codec::h2::frame::{Frame, FrameDecoder, FrameHeader};
use peers::{MemIo, noop_context};

const FRAMES: usize = 64;
const PAYLOAD: usize = 16 * 1024;

fn frame_headers() -> Vec<u8> {
    let mut out = Vec::with_capacity(4096 * 9);
    for i in 0..4096u32 {
        let len = (i * 37 % 16384).to_be_bytes();
        out.extend_from_slice(&[len[1], len[2], len[3], (i % 10) as u8, (i % 256) as u8]);
        out.extend_from_slice(&(i * 2 + 1).to_be_bytes());
    }
    out
}

fn header(c: &mut Criterion) {
    let input = frame_headers();
    let mut group = c.benchmark_group("h2_frame_header");
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.bench_function(BenchmarkId::new("ours", "4096"), |b| {
        b.iter(|| {
            let mut sum = 0u64;
            for chunk in black_box(&input).chunks_exact(9) {
                let h = FrameHeader::parse(chunk.try_into().unwrap());
                sum += u64::from(h.length) + u64::from(h.stream) + u64::from(h.kind ^ h.flags);
            }
            sum
        });
    });
    group.bench_function(BenchmarkId::new("h2", "4096"), |b| {
        b.iter(|| {
            let mut sum = 0u64;
            for chunk in black_box(&input).chunks_exact(9) {
                let h = h2::frame::Head::parse(chunk);
                // h2's Head keeps no length: it is read separately (as its FramedRead does).
                let length = u32::from_be_bytes([0, chunk[0], chunk[1], chunk[2]]);
                sum += u64::from(length)
                    + u64::from(u32::from(h.stream_id()))
                    + u64::from(h.kind() as u8 ^ h.flag());
            }
            sum
        });
    });
    group.finish();
}

fn data_frames() -> Vec<u8> {
    let mut out = Vec::with_capacity(FRAMES * (PAYLOAD + 9));
    let len = (PAYLOAD as u32).to_be_bytes();
    for i in 0..FRAMES {
        out.extend_from_slice(&[len[1], len[2], len[3], 0x0, 0x0]);
        out.extend_from_slice(&(2 * (i as u32 % 16) + 1).to_be_bytes());
        out.extend((0..PAYLOAD).map(|j| (i + j) as u8));
    }
    out
}

fn data(c: &mut Criterion) {
    let input = data_frames();
    let mut group = c.benchmark_group("h2_data_frames");
    group.throughput(Throughput::Bytes(input.len() as u64));
    group.bench_function(BenchmarkId::new("memcpy", "16k"), |b| {
        let mut dst = vec![0u8; input.len()];
        b.iter(|| {
            dst.copy_from_slice(black_box(&input));
            black_box(&dst);
        });
    });
    group.bench_function(BenchmarkId::new("ours-decode", "16k"), |b| {
        b.iter_batched_ref(
            || BytesMut::from(&input[..]),
            |buf| {
                let mut decoder = FrameDecoder::default();
                let mut n = 0;
                while let Some(frame) = decoder.decode(buf).unwrap() {
                    if let Frame::Data { data, .. } = &frame {
                        n += data.len();
                    }
                    black_box(&frame);
                }
                assert_eq!(n, FRAMES * PAYLOAD);
            },
            BatchSize::SmallInput,
        );
    });
    group.bench_function(BenchmarkId::new("ours-receive", "16k"), |b| {
        let mut buf = BytesMut::with_capacity(64 * 1024);
        b.iter(|| {
            let mut decoder = FrameDecoder::default();
            let mut n = 0;
            for read in black_box(&input).chunks(16 * 1024) {
                buf.extend_from_slice(read);
                while let Some(frame) = decoder.decode(&mut buf).unwrap() {
                    if let Frame::Data { data, .. } = &frame {
                        n += data.len();
                    }
                    black_box(&frame);
                }
            }
            assert_eq!(n, FRAMES * PAYLOAD);
        });
    });
    let bytes = Bytes::from(input.clone());
    group.bench_function(BenchmarkId::new("h2", "16k"), |b| {
        let mut cx = noop_context();
        b.iter(|| {
            let mut codec: h2::Codec<MemIo, Bytes> = h2::Codec::new(MemIo::new(bytes.clone()));
            let mut n = 0;
            while let Poll::Ready(Some(frame)) = codec.poll_next_unpin(&mut cx) {
                if let h2::frame::Frame::Data(d) = frame.unwrap() {
                    n += d.payload().len();
                }
            }
            assert_eq!(n, FRAMES * PAYLOAD);
        });
    });
    group.finish();
}

criterion_group!(benches, header, data);
criterion_main!(benches);
