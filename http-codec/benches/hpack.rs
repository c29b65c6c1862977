//! Criterion benchmarks for HPACK (RFC 7541) over the hpack-test-case stories, side by side with
//! the peers of issue 12: `loona-hpack` 0.4, `httlib-hpack` 0.1, h2 0.4 (HEADERS frames through
//! its `Codec`, public with the `unstable` feature) and nghttp2's C HPACK (through the bench-only
//! FFI shim `bench-peers/nghttp2-hpack`).
//!
//! The stories come from the full set in `../shared/vectors/hpack` when it is beside the
//! workspace (every story), else from the subset kept in `tests/vectors/hpack` (the first 20 of
//! each directory); the bench prints which.
//!
//! Id convention (read by `scripts/bench.sh`): within a group, `ours*/<case>` is our code and
//! `<peer>/<case>` the one it is compared with.
//!
//! | group | what |
//! |---|---|
//! | `hpack_decode` | every block of a story decoded in order with one fresh decoder per story: `nghttp2`, `go-hpack`, `haskell-http2-static` |
//! | `hpack_encode` | the header lists of `raw-data` encoded in order with one fresh encoder per story |
//! | `huffman_decode` | one Huffman-coded buffer of header text (the `raw-data` values, 64 KiB) decoded; throughput in decoded bytes |
//! | `huffman_encode` | the same text Huffman-coded |
//!
//! What each peer does per block (their APIs differ, each is used the cheapest way it offers):
//!
//! - ours: `Decoder::decode_into` into a reused `Vec<HeaderField>` (raw strings are zero-copy
//!   `Bytes` slices of the block, Huffman strings and table entries are owned);
//!   `ours-borrowed`: `Decoder::decode_with` (borrowed name and value, as loona's and
//!   nghttp2's callbacks); `ours-raw`: the encoder with `Huffman::Never` (loona's encoder
//!   never Huffman-codes);
//!   `Encoder::encode` with the default strategy (incremental indexing, Huffman where shorter).
//! - loona-hpack: `decode_with_cb` (borrowed name and value, nothing kept), and as
//!   `loona-hpack-owned` its `decode` (a `Vec` of owned name and value `Vec<u8>`s: the like
//!   for like of our owned list);
//!   `encode_into` (its only strategy: index everything, no Huffman).
//! - httlib-hpack: `decode` into a reused `Vec` of owned fields (its API drains a `Vec<u8>`: the
//!   block is copied into a reused one first); `encode` with Huffman, indexing and its best
//!   representation (flags 0x17); its owned inputs are built outside the measurement.
//! - h2: a story's blocks as one buffer of HEADERS frames read by `Codec` (frame header,
//!   HPACK, `http::HeaderMap` and pseudo-header parsing: what h2 does with a header block; a
//!   block h2 refuses for its stream, after decoding it, counts as decoded);
//!   encoding: `Codec::buffer` of `frame::Headers` built outside the measurement, then flush.
//! - nghttp2: `nghttp2_hd_inflate_hd3` (borrowed name and value); `nghttp2_hd_deflate_hd2`
//!   (its strategy, Huffman where shorter).
//!
//! Throughput is in input bytes (wire bytes for decoding, name + value octets for encoding),
//! so criterion reports bytes per second.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

mod peers;

use std::hint::black_box;

use bytes::{Bytes, BytesMut};
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use futures_util::StreamExt;
use http_codec::h2::hpack::{Decoder, Encoder, HeaderField, Huffman, huffman};
use peers::{MemIo, Story, headers_frame, load, noop_context};

/// A story's blocks as HEADERS frames on streams 1, 3, 5, ... for h2's `Codec`.
fn h2_input(story: &Story) -> Bytes {
    let mut out = Vec::new();
    for (i, block) in story.blocks.iter().enumerate() {
        headers_frame(2 * i as u32 + 1, block, &mut out);
    }
    Bytes::from(out)
}

/// Reads every frame of `input` through a fresh h2 `Codec`; returns how many.
fn h2_decode(input: &Bytes) -> usize {
    let mut codec: h2::Codec<MemIo, Bytes> = h2::Codec::new(MemIo::new(input.clone()));
    let mut cx = noop_context();
    let mut n = 0;
    loop {
        match codec.poll_next_unpin(&mut cx) {
            std::task::Poll::Ready(Some(Ok(frame))) => {
                black_box(&frame);
                n += 1;
            }
            // A block whose header list breaks an HTTP rule (a connection-specific field, a
            // response's pseudo-fields in a request) is decoded, then refused for its stream
            // only: counted as decoded, as the HPACK work was done.
            std::task::Poll::Ready(Some(Err(h2::proto::Error::Reset(..)))) => n += 1,
            std::task::Poll::Ready(Some(Err(e))) => panic!("h2 refused a story: {e:?}"),
            std::task::Poll::Ready(None) => return n,
            std::task::Poll::Pending => panic!("in-memory input never waits"),
        }
    }
}

fn decode(c: &mut Criterion) {
    let (root, limit) = peers::vectors_root();
    eprintln!(
        "hpack stories from {} ({})",
        root.display(),
        limit.map_or("all".to_string(), |l| format!("first {l} per directory"))
    );
    let mut group = c.benchmark_group("hpack_decode");
    for dir in ["nghttp2", "go-hpack", "haskell-http2-static"] {
        let stories = load(dir);
        let bytes: usize = stories.iter().flat_map(|s| &s.blocks).map(Bytes::len).sum();
        let blocks: usize = stories.iter().map(|s| s.blocks.len()).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(BenchmarkId::new("ours", dir), |b| {
            let mut out = Vec::with_capacity(64);
            b.iter(|| {
                for story in &stories {
                    let mut decoder = Decoder::new(4096);
                    for block in &story.blocks {
                        out.clear();
                        decoder.decode_into(block, &mut out).unwrap();
                        black_box(&out);
                    }
                }
            });
        });
        group.bench_function(BenchmarkId::new("ours-borrowed", dir), |b| {
            b.iter(|| {
                for story in &stories {
                    let mut decoder = Decoder::new(4096);
                    for block in &story.blocks {
                        decoder
                            .decode_with(block, |n, v, s| {
                                black_box((n, v, s));
                            })
                            .unwrap();
                    }
                }
            });
        });
        group.bench_function(BenchmarkId::new("loona-hpack", dir), |b| {
            b.iter(|| {
                for story in &stories {
                    let mut decoder = loona_hpack::Decoder::new();
                    for block in &story.blocks {
                        decoder
                            .decode_with_cb(block, |n, v| {
                                black_box((&n, &v));
                            })
                            .unwrap();
                    }
                }
            });
        });
        group.bench_function(BenchmarkId::new("loona-hpack-owned", dir), |b| {
            b.iter(|| {
                for story in &stories {
                    let mut decoder = loona_hpack::Decoder::new();
                    for block in &story.blocks {
                        black_box(decoder.decode(block).unwrap());
                    }
                }
            });
        });
        group.bench_function(BenchmarkId::new("httlib-hpack", dir), |b| {
            let mut buf = Vec::new();
            let mut out = Vec::with_capacity(64);
            b.iter(|| {
                for story in &stories {
                    let mut decoder = httlib_hpack::Decoder::with_dynamic_size(4096);
                    for block in &story.blocks {
                        buf.clear();
                        buf.extend_from_slice(block);
                        out.clear();
                        decoder.decode(&mut buf, &mut out).unwrap();
                        black_box(&out);
                    }
                }
            });
        });
        let h2_inputs: Vec<Bytes> = stories.iter().map(h2_input).collect();
        let decoded: usize = h2_inputs.iter().map(h2_decode).sum();
        assert_eq!(decoded, blocks, "h2 decoded every block");
        group.bench_function(BenchmarkId::new("h2", dir), |b| {
            b.iter(|| {
                for input in &h2_inputs {
                    black_box(h2_decode(input));
                }
            });
        });
        group.bench_function(BenchmarkId::new("nghttp2", dir), |b| {
            b.iter(|| {
                for story in &stories {
                    let mut inflater = nghttp2_hpack::Inflater::new().unwrap();
                    for block in &story.blocks {
                        inflater
                            .inflate(block, |n, v| {
                                black_box((n, v));
                            })
                            .unwrap();
                    }
                }
            });
        });
    }
    group.finish();
}

/// One header list as an h2 HEADERS frame (pseudo-header fields into `Pseudo`, the others into
/// the `HeaderMap`); `None` when h2's types refuse a field.
fn h2_headers(stream: u32, list: &[HeaderField]) -> Option<h2::frame::Headers> {
    let mut map = http::HeaderMap::new();
    let (mut method, mut scheme, mut authority, mut path, mut status) =
        (None, None, None, None, None);
    for f in list {
        match &f.name[..] {
            b":method" => method = Some(f.value.clone()),
            b":scheme" => scheme = Some(f.value.clone()),
            b":authority" => authority = Some(f.value.clone()),
            b":path" => path = Some(f.value.clone()),
            b":status" => status = Some(f.value.clone()),
            name => {
                let name = http::HeaderName::from_bytes(name).ok()?;
                let value = http::HeaderValue::from_bytes(&f.value).ok()?;
                map.append(name, value);
            }
        }
    }
    let pseudo = if let Some(status) = status {
        h2::frame::Pseudo::response(http::StatusCode::from_bytes(&status).ok()?)
    } else {
        let method = http::Method::from_bytes(&method?).ok()?;
        let mut uri = http::Uri::builder();
        if let Some(s) = scheme {
            uri = uri.scheme(&s[..]);
        }
        if let Some(a) = authority {
            uri = uri.authority(&a[..]);
        }
        if let Some(p) = path {
            uri = uri.path_and_query(&p[..]);
        }
        h2::frame::Pseudo::request(method, uri.build().ok()?, None)
    };
    Some(h2::frame::Headers::new(stream.into(), pseudo, map))
}

/// httlib-hpack's encoder input: name, value, flags.
type HttlibField = (Vec<u8>, Vec<u8>, u8);
/// A borrowed field for nghttp2's deflater.
type Pair<'a> = (&'a [u8], &'a [u8]);

fn encode(c: &mut Criterion) {
    let mut group = c.benchmark_group("hpack_encode");
    let stories = load("raw-data");
    let bytes: usize = stories
        .iter()
        .flat_map(|s| &s.lists)
        .flatten()
        .map(|f| f.name.len() + f.value.len())
        .sum();
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function(BenchmarkId::new("ours", "raw-data"), |b| {
        let mut out = BytesMut::with_capacity(64 * 1024);
        b.iter(|| {
            for story in &stories {
                let mut encoder = Encoder::new(4096);
                for list in &story.lists {
                    out.clear();
                    encoder.encode(list, &mut out);
                    black_box(&out);
                }
            }
        });
    });
    group.bench_function(BenchmarkId::new("ours-raw", "raw-data"), |b| {
        let mut out = BytesMut::with_capacity(64 * 1024);
        b.iter(|| {
            for story in &stories {
                let mut encoder = Encoder::new(4096);
                encoder.set_huffman(Huffman::Never);
                for list in &story.lists {
                    out.clear();
                    encoder.encode(list, &mut out);
                    black_box(&out);
                }
            }
        });
    });
    group.bench_function(BenchmarkId::new("loona-hpack", "raw-data"), |b| {
        let mut out = Vec::with_capacity(64 * 1024);
        b.iter(|| {
            for story in &stories {
                let mut encoder = loona_hpack::Encoder::new();
                for list in &story.lists {
                    out.clear();
                    encoder
                        .encode_into(list.iter().map(|f| (&f.name[..], &f.value[..])), &mut out)
                        .unwrap();
                    black_box(&out);
                }
            }
        });
    });
    let httlib_inputs = || -> Vec<Vec<Vec<HttlibField>>> {
        stories
            .iter()
            .map(|s| {
                s.lists
                    .iter()
                    .map(|l| {
                        l.iter()
                            .map(|f| (f.name.to_vec(), f.value.to_vec(), 0x17))
                            .collect()
                    })
                    .collect()
            })
            .collect()
    };
    group.bench_function(BenchmarkId::new("httlib-hpack", "raw-data"), |b| {
        let mut out = Vec::with_capacity(64 * 1024);
        b.iter_batched(
            httlib_inputs,
            |inputs| {
                for story in inputs {
                    let mut encoder = httlib_hpack::Encoder::with_dynamic_size(4096);
                    for list in story {
                        out.clear();
                        for field in list {
                            encoder.encode(field, &mut out).unwrap();
                        }
                        black_box(&out);
                    }
                }
            },
            BatchSize::LargeInput,
        );
    });
    let mut refused = 0;
    let h2_frames = || -> Vec<Vec<h2::frame::Headers>> {
        stories
            .iter()
            .map(|s| {
                s.lists
                    .iter()
                    .enumerate()
                    .filter_map(|(i, l)| h2_headers(2 * i as u32 + 1, l))
                    .collect()
            })
            .collect()
    };
    for (s, frames) in stories.iter().zip(h2_frames()) {
        refused += s.lists.len() - frames.len();
    }
    eprintln!("h2 refused {refused} raw-data header lists (its types reject a field)");
    group.bench_function(BenchmarkId::new("h2", "raw-data"), |b| {
        b.iter_batched(
            h2_frames,
            |frames| {
                let mut cx = noop_context();
                for story in frames {
                    let mut codec: h2::Codec<MemIo, Bytes> =
                        h2::Codec::new(MemIo::new(Bytes::new()));
                    for frame in story {
                        assert!(codec.poll_ready(&mut cx).is_ready());
                        codec.buffer(frame.into()).unwrap();
                    }
                    assert!(codec.flush(&mut cx).is_ready());
                    black_box(codec.get_ref().written);
                }
            },
            BatchSize::LargeInput,
        );
    });
    let nghttp2_lists: Vec<Vec<Vec<Pair<'_>>>> = stories
        .iter()
        .map(|s| {
            s.lists
                .iter()
                .map(|l| l.iter().map(|f| (&f.name[..], &f.value[..])).collect())
                .collect()
        })
        .collect();
    group.bench_function(BenchmarkId::new("nghttp2", "raw-data"), |b| {
        let mut out = Vec::with_capacity(64 * 1024);
        b.iter(|| {
            for story in &nghttp2_lists {
                let mut deflater = nghttp2_hpack::Deflater::new(4096).unwrap();
                for list in story {
                    out.clear();
                    deflater.deflate(list, &mut out).unwrap();
                    black_box(&out);
                }
            }
        });
    });
    group.finish();
}

fn huffman_text() -> Vec<u8> {
    let mut text = Vec::new();
    for story in load("raw-data") {
        for f in story.lists.iter().flatten() {
            text.extend_from_slice(&f.value);
        }
    }
    text.truncate(64 * 1024);
    text
}

fn huffman(c: &mut Criterion) {
    let text = huffman_text();
    let mut coded = Vec::new();
    huffman::encode(&text, &mut coded);
    let mut group = c.benchmark_group("huffman_decode");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function(BenchmarkId::new("ours", "raw-data-values"), |b| {
        let mut out = Vec::with_capacity(text.len());
        b.iter(|| {
            out.clear();
            huffman::decode(black_box(&coded), &mut out).unwrap();
            black_box(&out);
        });
    });
    group.bench_function(BenchmarkId::new("httlib-huffman", "raw-data-values"), |b| {
        let mut out = Vec::with_capacity(text.len());
        b.iter(|| {
            out.clear();
            httlib_huffman::decode(
                black_box(&coded),
                &mut out,
                httlib_huffman::DecoderSpeed::FiveBits,
            )
            .unwrap();
            black_box(&out);
        });
    });
    group.bench_function(BenchmarkId::new("loona-hpack", "raw-data-values"), |b| {
        let mut decoder = loona_hpack::huffman::HuffmanDecoder::new();
        b.iter(|| black_box(decoder.decode(black_box(&coded)).unwrap()));
    });
    group.finish();
    let mut group = c.benchmark_group("huffman_encode");
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function(BenchmarkId::new("ours", "raw-data-values"), |b| {
        let mut out = Vec::with_capacity(coded.len());
        b.iter(|| {
            out.clear();
            huffman::encode(black_box(&text), &mut out);
            black_box(&out);
        });
    });
    group.finish();
}

criterion_group!(benches, decode, encode, huffman);
criterion_main!(benches);
