//! Criterion benchmarks for HPACK (RFC 7541), over the hpack-test-case stories kept in
//! `tests/vectors/hpack`.
//!
//! Id convention (read by `scripts/bench.sh`): within a group, `ours*/<case>` is our code and
//! `<peer>/<case>` the one it is compared with; the peers of issue 12 (loona-hpack,
//! httlib-hpack, h2, nghttp2) are to be added beside ours in the same groups.
//!
//! | group | what |
//! |---|---|
//! | `hpack_decode` | every block of a story decoded in order with one fresh [`Decoder`] per pass: `nghttp2`, `go-hpack`, `haskell-http2-static` (the first 20 stories of each, concatenated) |
//! | `hpack_encode` | the header lists of `raw-data` encoded in order with one fresh [`Encoder`] per pass, default strategy and Huffman |
//! | `huffman_decode` | one Huffman-coded buffer of header text (the `raw-data` values, 64 KiB) decoded; throughput in decoded bytes |
//! | `huffman_encode` | the same text Huffman-coded |
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

use std::hint::black_box;
use std::path::Path;

use bytes::{Bytes, BytesMut};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use http_codec::h2::hpack::{Decoder, Encoder, HeaderField, huffman};

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// The stories of one directory, first 20, as (blocks, header lists) per story.
fn load(dir: &str) -> Vec<(Vec<Bytes>, Vec<Vec<HeaderField>>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors/hpack")
        .join(dir);
    let mut paths: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths.truncate(20);
    paths
        .iter()
        .map(|p| {
            let json: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
            let mut blocks = Vec::new();
            let mut lists = Vec::new();
            for case in json["cases"].as_array().unwrap() {
                if let Some(w) = case.get("wire").and_then(|w| w.as_str()) {
                    blocks.push(Bytes::from(hex(w)));
                }
                lists.push(
                    case["headers"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .flat_map(|h| h.as_object().unwrap().iter())
                        .map(|(n, v)| {
                            HeaderField::new(
                                n.as_bytes().to_vec(),
                                v.as_str().unwrap().as_bytes().to_vec(),
                            )
                        })
                        .collect(),
                );
            }
            (blocks, lists)
        })
        .collect()
}

fn decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("hpack_decode");
    for dir in ["nghttp2", "go-hpack", "haskell-http2-static"] {
        let stories = load(dir);
        let bytes: usize = stories.iter().flat_map(|s| &s.0).map(Bytes::len).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(BenchmarkId::new("ours", dir), |b| {
            let mut out = Vec::with_capacity(64);
            b.iter(|| {
                for (blocks, _) in &stories {
                    let mut decoder = Decoder::new(4096);
                    for block in blocks {
                        out.clear();
                        decoder.decode_into(block, &mut out).unwrap();
                        black_box(&out);
                    }
                }
            });
        });
    }
    group.finish();
}

fn encode(c: &mut Criterion) {
    let mut group = c.benchmark_group("hpack_encode");
    let stories = load("raw-data");
    let bytes: usize = stories
        .iter()
        .flat_map(|s| &s.1)
        .flatten()
        .map(|f| f.name.len() + f.value.len())
        .sum();
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function(BenchmarkId::new("ours", "raw-data"), |b| {
        let mut out = BytesMut::with_capacity(64 * 1024);
        b.iter(|| {
            for (_, lists) in &stories {
                let mut encoder = Encoder::new(4096);
                for list in lists {
                    out.clear();
                    encoder.encode(list, &mut out);
                    black_box(&out);
                }
            }
        });
    });
    group.finish();
}

fn huffman_text() -> Vec<u8> {
    let mut text = Vec::new();
    for (_, lists) in load("raw-data") {
        for f in lists.iter().flatten() {
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
