//! HPACK (RFC 7541) against its vectors and hostile input:
//!
//! - every example of RFC 7541 Appendix C, decoded and encoded byte for byte (C.1 integers, C.2
//!   representations, C.3/C.4 requests without and with Huffman, C.5/C.6 responses with
//!   eviction), with the dynamic table checked after each block;
//! - every story of the hpack-test-case set kept in `tests/vectors/hpack` (and of the full set
//!   in `../shared/vectors/hpack` when it is there): each case's wire bytes decode to exactly its
//!   header list, in sequence with one dynamic table per story; the header lists (raw-data and
//!   the others) encoded by our encoder under every strategy, Huffman on and off and several
//!   table sizes, decode back to the same lists;
//! - proptest roundtrips, no panic on arbitrary bytes, Huffman identity;
//! - hostile blocks, each with the error and section it must give.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::path::{Path, PathBuf};

use bytes::{Bytes, BytesMut};
use http_codec::h2::hpack::{
    Decoder, Encoder, ErrorKind, HeaderField, Huffman, Indexing, huffman, integer, string,
};
use proptest::prelude::*;

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn fields(list: &[(&str, &str)]) -> Vec<HeaderField> {
    list.iter()
        .map(|(n, v)| HeaderField::new(n.as_bytes().to_vec(), v.as_bytes().to_vec()))
        .collect()
}

fn dynamic(d: &Decoder) -> Vec<(String, String)> {
    d.table()
        .iter()
        .map(|f| {
            (
                String::from_utf8(f.name.to_vec()).unwrap(),
                String::from_utf8(f.value.to_vec()).unwrap(),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// RFC 7541 Appendix C

#[test]
fn c1_integers() {
    let mut out = Vec::new();
    integer::encode(10, 5, 0, &mut out);
    assert_eq!(out, [0b0000_1010]);
    assert_eq!(integer::decode(&out, 5).unwrap(), (10, 1));
    out.clear();
    integer::encode(1337, 5, 0, &mut out);
    assert_eq!(out, [0b0001_1111, 0b1001_1010, 0b0000_1010]);
    assert_eq!(integer::decode(&out, 5).unwrap(), (1337, 3));
    out.clear();
    integer::encode(42, 8, 0, &mut out);
    assert_eq!(out, [0b0010_1010]);
    assert_eq!(integer::decode(&out, 8).unwrap(), (42, 1));
}

/// One block of an Appendix C sequence: the list, the wire hex, the table after it.
struct Step {
    list: &'static [(&'static str, &'static str)],
    wire: &'static str,
    table: &'static [(&'static str, &'static str)],
    size: usize,
}

/// Decodes the steps with one decoder, and encodes them with one encoder (strategy `indexing`,
/// Huffman on or off): both byte for byte, the dynamic table checked after each.
fn replay_c(table_size: usize, indexing: Indexing, huffman: Huffman, steps: &[Step]) {
    let mut decoder = Decoder::new(table_size);
    let mut encoder = Encoder::new(table_size);
    encoder.set_indexing(indexing);
    encoder.set_huffman(huffman);
    for (i, step) in steps.iter().enumerate() {
        let wire = Bytes::from(hex(step.wire));
        let got = decoder.decode(&wire).unwrap();
        assert_eq!(got, fields(step.list), "step {i}: decoded list");
        let want: Vec<(String, String)> = step
            .table
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        assert_eq!(dynamic(&decoder), want, "step {i}: decoder table");
        assert_eq!(
            decoder.table().size(),
            step.size,
            "step {i}: decoder table size"
        );

        let mut out = BytesMut::new();
        encoder.encode(&fields(step.list), &mut out);
        assert_eq!(&out[..], &wire[..], "step {i}: encoded block");
        assert_eq!(
            encoder.table().size(),
            step.size,
            "step {i}: encoder table size"
        );
    }
}

#[test]
fn c2_1_literal_with_indexing() {
    replay_c(
        4096,
        Indexing::Always,
        Huffman::Never,
        &[Step {
            list: &[("custom-key", "custom-header")],
            wire: "400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572",
            table: &[("custom-key", "custom-header")],
            size: 55,
        }],
    );
}

#[test]
fn c2_2_literal_without_indexing() {
    replay_c(
        4096,
        Indexing::Never,
        Huffman::Never,
        &[Step {
            list: &[(":path", "/sample/path")],
            wire: "040c 2f73 616d 706c 652f 7061 7468",
            table: &[],
            size: 0,
        }],
    );
}

#[test]
fn c2_3_literal_never_indexed() {
    let wire = Bytes::from(hex("1008 7061 7373 776f 7264 0673 6563 7265 74"));
    let mut decoder = Decoder::new(4096);
    let got = decoder.decode(&wire).unwrap();
    // The never-indexed mark is kept, so re-encoding sends it the same way.
    assert_eq!(got, [HeaderField::sensitive("password", "secret")]);
    assert!(decoder.table().is_empty());
    for indexing in [Indexing::Incremental, Indexing::Always, Indexing::Never] {
        let mut encoder = Encoder::new(4096);
        encoder.set_indexing(indexing);
        encoder.set_huffman(Huffman::Never);
        let mut out = BytesMut::new();
        encoder.encode(&got, &mut out);
        assert_eq!(&out[..], &wire[..], "{indexing:?}");
        assert!(encoder.table().is_empty());
    }
}

#[test]
fn c2_4_indexed() {
    for indexing in [Indexing::Incremental, Indexing::Always, Indexing::Never] {
        let mut encoder = Encoder::new(4096);
        encoder.set_indexing(indexing);
        let mut out = BytesMut::new();
        encoder.encode(&fields(&[(":method", "GET")]), &mut out);
        assert_eq!(&out[..], b"\x82");
    }
    replay_c(
        4096,
        Indexing::Always,
        Huffman::Never,
        &[Step {
            list: &[(":method", "GET")],
            wire: "82",
            table: &[],
            size: 0,
        }],
    );
}

const REQ1: &[(&str, &str)] = &[
    (":method", "GET"),
    (":scheme", "http"),
    (":path", "/"),
    (":authority", "www.example.com"),
];
const REQ2: &[(&str, &str)] = &[
    (":method", "GET"),
    (":scheme", "http"),
    (":path", "/"),
    (":authority", "www.example.com"),
    ("cache-control", "no-cache"),
];
const REQ3: &[(&str, &str)] = &[
    (":method", "GET"),
    (":scheme", "https"),
    (":path", "/index.html"),
    (":authority", "www.example.com"),
    ("custom-key", "custom-value"),
];
const REQ_T1: &[(&str, &str)] = &[(":authority", "www.example.com")];
const REQ_T2: &[(&str, &str)] = &[
    ("cache-control", "no-cache"),
    (":authority", "www.example.com"),
];
const REQ_T3: &[(&str, &str)] = &[
    ("custom-key", "custom-value"),
    ("cache-control", "no-cache"),
    (":authority", "www.example.com"),
];

#[test]
fn c3_requests_without_huffman() {
    let steps = [
        Step {
            list: REQ1,
            wire: "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
            table: REQ_T1,
            size: 57,
        },
        Step {
            list: REQ2,
            wire: "8286 84be 5808 6e6f 2d63 6163 6865",
            table: REQ_T2,
            size: 110,
        },
        Step {
            list: REQ3,
            wire: "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65",
            table: REQ_T3,
            size: 164,
        },
    ];
    replay_c(4096, Indexing::Always, Huffman::Never, &steps);
    // The default strategy gives the same blocks (no sensitive or oversized field here).
    replay_c(4096, Indexing::Incremental, Huffman::Never, &steps);
}

#[test]
fn c4_requests_with_huffman() {
    let steps = [
        Step {
            list: REQ1,
            wire: "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
            table: REQ_T1,
            size: 57,
        },
        Step {
            list: REQ2,
            wire: "8286 84be 5886 a8eb 1064 9cbf",
            table: REQ_T2,
            size: 110,
        },
        Step {
            list: REQ3,
            wire: "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf",
            table: REQ_T3,
            size: 164,
        },
    ];
    replay_c(4096, Indexing::Always, Huffman::Always, &steps);
    // Every Huffman string of C.4 is shorter than its raw form: the default gives the same.
    replay_c(4096, Indexing::Incremental, Huffman::Shorter, &steps);
}

const RESP1: &[(&str, &str)] = &[
    (":status", "302"),
    ("cache-control", "private"),
    ("date", "Mon, 21 Oct 2013 20:13:21 GMT"),
    ("location", "https://www.example.com"),
];
const RESP2: &[(&str, &str)] = &[
    (":status", "307"),
    ("cache-control", "private"),
    ("date", "Mon, 21 Oct 2013 20:13:21 GMT"),
    ("location", "https://www.example.com"),
];
const RESP3: &[(&str, &str)] = &[
    (":status", "200"),
    ("cache-control", "private"),
    ("date", "Mon, 21 Oct 2013 20:13:22 GMT"),
    ("location", "https://www.example.com"),
    ("content-encoding", "gzip"),
    (
        "set-cookie",
        "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
    ),
];
const RESP_T1: &[(&str, &str)] = &[
    ("location", "https://www.example.com"),
    ("date", "Mon, 21 Oct 2013 20:13:21 GMT"),
    ("cache-control", "private"),
    (":status", "302"),
];
const RESP_T2: &[(&str, &str)] = &[
    (":status", "307"),
    ("location", "https://www.example.com"),
    ("date", "Mon, 21 Oct 2013 20:13:21 GMT"),
    ("cache-control", "private"),
];
const RESP_T3: &[(&str, &str)] = &[
    (
        "set-cookie",
        "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1",
    ),
    ("content-encoding", "gzip"),
    ("date", "Mon, 21 Oct 2013 20:13:22 GMT"),
];

#[test]
fn c5_responses_without_huffman() {
    let steps = [
        Step {
            list: RESP1,
            wire: "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133
                   2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70
                   6c65 2e63 6f6d",
            table: RESP_T1,
            size: 222,
        },
        Step {
            list: RESP2,
            wire: "4803 3330 37c1 c0bf",
            table: RESP_T2,
            size: 222,
        },
        Step {
            list: RESP3,
            wire: "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d
                   54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049
                   5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e
                   3d31",
            table: RESP_T3,
            size: 215,
        },
    ];
    replay_c(256, Indexing::Always, Huffman::Never, &steps);
    replay_c(256, Indexing::Incremental, Huffman::Never, &steps);
}

#[test]
fn c6_responses_with_huffman() {
    let steps = [
        Step {
            list: RESP1,
            wire: "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6
                   2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
            table: RESP_T1,
            size: 222,
        },
        Step {
            list: RESP2,
            wire: "4883 640e ffc1 c0bf",
            table: RESP_T2,
            size: 222,
        },
        Step {
            list: RESP3,
            wire: "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab
                   77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f
                   9587 3160 65c0 03ed 4ee5 b106 3d50 07",
            table: RESP_T3,
            size: 215,
        },
    ];
    replay_c(256, Indexing::Always, Huffman::Always, &steps);
    replay_c(256, Indexing::Incremental, Huffman::Always, &steps);
    // With Huffman only where shorter, C.6.2's `307` (3 octets either way) goes raw: the
    // blocks differ there and nowhere else, and decode to the same lists.
    let mut encoder = Encoder::new(256);
    let mut out = BytesMut::new();
    encoder.encode(&fields(RESP1), &mut out);
    assert_eq!(&out[..], &hex(steps[0].wire)[..]);
    out.clear();
    encoder.encode(&fields(RESP2), &mut out);
    assert_eq!(&out[..], b"\x48\x03307\xc1\xc0\xbf");
}

// ---------------------------------------------------------------------------------------------
// hpack-test-case stories

/// One case of a story: the table size announced before it, its wire bytes (absent in
/// raw-data), its header list.
struct Case {
    table_size: Option<usize>,
    wire: Option<Vec<u8>>,
    headers: Vec<HeaderField>,
}

fn load_story(path: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(path).unwrap();
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|case| Case {
            table_size: case
                .get("header_table_size")
                .and_then(|v| v.as_u64())
                .map(|v| v as usize),
            wire: case.get("wire").and_then(|w| w.as_str()).map(hex),
            headers: case["headers"]
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
        })
        .collect()
}

fn stories(root: &Path, dir: &str) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|e| e == "json"));
    paths.sort();
    paths
}

const WIRE_SETS: [&str; 4] = [
    "go-hpack",
    "haskell-http2-static",
    "nghttp2",
    "nghttp2-change-table-size",
];

/// A decoder for the stories: the HTTP/2 default table, list limits out of the way.
fn story_decoder() -> Decoder {
    let mut d = Decoder::new(4096);
    d.set_max_header_list_size(usize::MAX);
    d.set_max_field_count(usize::MAX);
    d
}

/// Decodes every case of the story in order with one decoder (and again with another through
/// the borrowed `decode_with`); returns the number of cases.
fn replay_wire_story(path: &Path) -> usize {
    let cases = load_story(path);
    let mut decoder = story_decoder();
    let mut borrowed = story_decoder();
    for (i, case) in cases.iter().enumerate() {
        if let Some(size) = case.table_size {
            decoder.set_max_table_size(size);
            borrowed.set_max_table_size(size);
        }
        let wire = Bytes::from(case.wire.clone().unwrap());
        let got = decoder
            .decode(&wire)
            .unwrap_or_else(|e| panic!("{} case {i}: {e}", path.display()));
        assert_eq!(got, case.headers, "{} case {i}", path.display());
        let mut list = Vec::new();
        borrowed
            .decode_with(&wire, |n, v, s| {
                list.push(HeaderField {
                    name: Bytes::copy_from_slice(n),
                    value: Bytes::copy_from_slice(v),
                    sensitive: s,
                })
            })
            .unwrap_or_else(|e| panic!("{} case {i} (decode_with): {e}", path.display()));
        assert_eq!(
            list,
            case.headers,
            "{} case {i} (decode_with)",
            path.display()
        );
    }
    cases.len()
}

/// The encoder configurations a header list is replayed with.
fn encoder_configs() -> Vec<(Indexing, Huffman, usize)> {
    let mut configs = Vec::new();
    for indexing in [Indexing::Incremental, Indexing::Always, Indexing::Never] {
        for huffman in [Huffman::Shorter, Huffman::Always, Huffman::Never] {
            for size in [4096, 256, 0] {
                configs.push((indexing, huffman, size));
            }
        }
    }
    configs
}

/// Encodes every case of the story with one encoder per configuration and decodes with one
/// decoder: the same lists come back (with the never-indexed mark where the strategy sets it).
fn replay_encoded_story(path: &Path) -> usize {
    let cases = load_story(path);
    for (indexing, huffman, size) in encoder_configs() {
        let mut encoder = Encoder::new(4096);
        encoder.set_indexing(indexing);
        encoder.set_huffman(huffman);
        let mut decoder = story_decoder();
        if size != 4096 {
            encoder.set_max_table_size(size);
            decoder.set_max_table_size(size);
        }
        let mut out = BytesMut::new();
        for (i, case) in cases.iter().enumerate() {
            encoder.encode(&case.headers, &mut out);
            let got = decoder.decode(&out.split().freeze()).unwrap();
            let want: Vec<HeaderField> = case
                .headers
                .iter()
                .map(|f| HeaderField {
                    sensitive: indexing.never_indexes(f),
                    ..f.clone()
                })
                .collect();
            assert_eq!(
                got,
                want,
                "{} case {i} {indexing:?} {huffman:?} size {size}",
                path.display()
            );
            assert_eq!(encoder.table().size(), decoder.table().size());
            assert!(encoder.table().size() <= size);
        }
    }
    cases.len()
}

fn local_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/hpack")
}

fn shared_root() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors/hpack");
    p.is_dir().then_some(p)
}

#[test]
fn stories_decode() {
    let mut count = (0, 0);
    for dir in WIRE_SETS {
        let paths = stories(&local_root(), dir);
        assert!(paths.len() >= 21, "{dir}: {} stories", paths.len());
        for p in paths {
            count.1 += replay_wire_story(&p);
            count.0 += 1;
        }
    }
    eprintln!("decoded {} stories, {} cases", count.0, count.1);
}

#[test]
fn stories_encode() {
    let mut count = (0, 0);
    for dir in ["raw-data", "nghttp2"] {
        for p in stories(&local_root(), dir) {
            count.1 += replay_encoded_story(&p);
            count.0 += 1;
        }
    }
    assert!(count.0 >= 42);
    eprintln!(
        "encoded {} stories, {} cases, 27 configurations each",
        count.0, count.1
    );
}

/// The whole shared set, large stories included, when it is next to the workspace.
#[test]
fn shared_stories() {
    let Some(root) = shared_root() else {
        eprintln!("no ../shared/vectors/hpack: only the stories in tests/vectors were replayed");
        return;
    };
    let mut decoded = (0, 0);
    for dir in WIRE_SETS {
        for p in stories(&root, dir) {
            decoded.1 += replay_wire_story(&p);
            decoded.0 += 1;
        }
    }
    let mut encoded = (0, 0);
    for p in stories(&root, "raw-data") {
        encoded.1 += replay_encoded_story(&p);
        encoded.0 += 1;
    }
    assert!(decoded.0 >= 127 && encoded.0 >= 32);
    eprintln!(
        "shared set: decoded {} stories ({} cases); encoded raw-data {} stories ({} cases)",
        decoded.0, decoded.1, encoded.0, encoded.1
    );
}

// ---------------------------------------------------------------------------------------------
// Hostile input

fn refuse(decoder: &mut Decoder, block: &[u8]) -> (u64, ErrorKind, &'static str) {
    let e = decoder.decode_slice(block).unwrap_err();
    (e.offset, e.kind.clone(), e.section())
}

#[test]
fn hostile_integer_overflow() {
    let mut d = Decoder::new(4096);
    // An index of 2^32 + 126.
    assert_eq!(
        refuse(&mut d, b"\xff\xff\xff\xff\xff\x0f"),
        (5, ErrorKind::IntegerOverflow, "RFC 7541 §5.1")
    );
    // A string length of more than 2^32.
    let mut d = Decoder::new(4096);
    assert_eq!(
        refuse(&mut d, b"\x00\x7f\xff\xff\xff\xff\x1f").1,
        ErrorKind::IntegerOverflow
    );
    // Endless zero continuation octets.
    let mut d = Decoder::new(4096);
    let mut block = vec![0xff];
    block.extend(std::iter::repeat_n(0x80, 10_000));
    assert_eq!(
        refuse(&mut d, &block),
        (6, ErrorKind::IntegerTooLong, "RFC 7541 §5.1")
    );
}

#[test]
fn hostile_string_past_the_end() {
    let mut d = Decoder::new(4096);
    assert_eq!(
        refuse(&mut d, b"\x82\x40\x0acustom"),
        (
            3,
            ErrorKind::StringTruncated {
                length: 10,
                available: 6
            },
            "RFC 7541 §5.2"
        )
    );
    // A huge claimed length with nothing behind it: refused before any allocation.
    let mut d = Decoder::new(4096);
    assert!(matches!(
        refuse(&mut d, b"\x00\x7f\xff\xff\xff\xff\x07").1,
        ErrorKind::StringTruncated { .. }
    ));
}

#[test]
fn hostile_huffman() {
    // Padding longer than 7 bits: 'a' (00011) then 11 ones.
    let mut d = Decoder::new(4096);
    assert_eq!(
        refuse(&mut d, b"\x00\x01a\x82\x1f\xff"),
        (5, ErrorKind::HuffmanPaddingTooLong, "RFC 7541 §5.2")
    );
    // Padding that is not all ones.
    let mut d = Decoder::new(4096);
    assert_eq!(
        refuse(&mut d, b"\x00\x01a\x81\x1e").1,
        ErrorKind::HuffmanPaddingNotOnes
    );
    // EOS inside the string: 'a' then 30 ones.
    let mut d = Decoder::new(4096);
    assert_eq!(
        refuse(&mut d, b"\x00\x01a\x85\x1f\xff\xff\xff\xff").1,
        ErrorKind::HuffmanEos
    );
    // EOS alone as a name.
    let mut d = Decoder::new(4096);
    assert_eq!(
        refuse(&mut d, b"\x00\x84\xff\xff\xff\xff\x01b"),
        (5, ErrorKind::HuffmanEos, "RFC 7541 §5.2")
    );
}

#[test]
fn hostile_size_updates() {
    // Above the limit the decoder was given.
    let mut d = Decoder::new(4096);
    assert_eq!(
        refuse(&mut d, b"\x3f\xe2\x1f\x82"),
        (
            0,
            ErrorKind::SizeUpdateTooLarge {
                requested: 4097,
                limit: 4096
            },
            "RFC 7541 §6.3"
        )
    );
    // After the first field.
    let mut d = Decoder::new(4096);
    assert_eq!(
        refuse(&mut d, b"\x82\x3f\xe1\x1f"),
        (1, ErrorKind::SizeUpdateAfterField, "RFC 7541 §4.2")
    );
    // In a later block, after fields, too.
    let mut d = Decoder::new(4096);
    d.decode_slice(b"\x20").unwrap();
    assert_eq!(
        refuse(&mut d, b"\x82\x20").1,
        ErrorKind::SizeUpdateAfterField
    );
    // The limit lowered: the update that must follow is missing.
    let mut d = Decoder::new(4096);
    d.set_max_table_size(1024);
    assert_eq!(
        refuse(&mut d, b"\x82"),
        (
            0,
            ErrorKind::SizeUpdateMissing { limit: 1024 },
            "RFC 7541 §4.2"
        )
    );
}

#[test]
fn hostile_indexes() {
    let mut d = Decoder::new(4096);
    assert_eq!(
        refuse(&mut d, b"\x80"),
        (0, ErrorKind::IndexZero, "RFC 7541 §6.1")
    );
    let mut d = Decoder::new(4096);
    assert_eq!(
        refuse(&mut d, b"\x82\xbe"),
        (
            1,
            ErrorKind::IndexOutOfRange { index: 62, max: 61 },
            "RFC 7541 §2.3.3"
        )
    );
    // Past the dynamic table as a name index.
    let mut d = Decoder::new(4096);
    d.decode_slice(b"\x40\x01a\x01b").unwrap();
    assert_eq!(
        refuse(&mut d, b"\x7f\x01\x01x").1,
        ErrorKind::IndexOutOfRange { index: 64, max: 62 }
    );
    // An index of 2^32 - 1.
    let mut d = Decoder::new(4096);
    assert!(matches!(
        refuse(&mut d, b"\xff\x80\xff\xff\xff\x0f").1,
        ErrorKind::IndexOutOfRange { .. }
    ));
}

#[test]
fn hostile_header_list_bomb() {
    // A 4000-octet value in the dynamic table, then 20,000 one-octet references to it: 80 MB
    // of header list from a 20 KB block. Refused at the limit, at the reference that crosses
    // it: nothing past it decoded.
    let mut block = vec![0x40, 0x01, b'x'];
    integer::encode(4000, 7, 0, &mut block);
    block.extend(std::iter::repeat_n(b'v', 4000));
    let references = block.len();
    block.extend(std::iter::repeat_n(0xbe, 20_000));
    let mut d = Decoder::new(4096);
    assert_eq!(d.max_header_list_size(), 64 * 1024);
    let e = d.decode_slice(&block).unwrap_err();
    assert_eq!(e.kind, ErrorKind::HeaderListTooLarge { limit: 65536 });
    assert_eq!(e.section(), "RFC 9113 §10.5.1");
    // 65536 / 4033 = 16 fields fit: the literal and 15 references.
    assert_eq!(e.offset as usize, references + 15);

    // The same with tiny fields: the field count stops it.
    let mut d = Decoder::new(4096);
    let mut block = vec![0x82; 5000];
    block.push(0x84);
    assert_eq!(
        refuse(&mut d, &block),
        (
            1024,
            ErrorKind::TooManyFields { limit: 1024 },
            "RFC 9113 §10.5.1"
        )
    );

    // A Huffman string that would decode past the limit: refused while decoding.
    let mut d = Decoder::new(4096);
    d.set_max_header_list_size(1000);
    let mut block = vec![0x00, 0x01, b'n'];
    let mut value = Vec::new();
    string::encode(&[b'a'; 5000], Huffman::Shorter, &mut value);
    block.extend(value);
    assert_eq!(
        refuse(&mut d, &block).1,
        ErrorKind::HeaderListTooLarge { limit: 1000 }
    );
}

#[test]
fn errors_read_well() {
    let mut d = Decoder::new(4096);
    let e = d.decode_slice(b"\x82\x84\x3f\xe1\x1f").unwrap_err();
    assert_eq!(
        e.to_string(),
        "dynamic table size update after a header field at byte 2 of the header block (RFC 7541 §4.2)"
    );
    assert_eq!(
        e.h2_error_code(),
        http_codec::h2::ErrorCode::COMPRESSION_ERROR
    );
    let h2 = e.to_h2(100);
    assert!(h2.is_connection_error());
    assert_eq!(
        h2.to_string(),
        "COMPRESSION_ERROR (connection error) at byte 100: HPACK: dynamic table size update after \
         a header field (RFC 9113 §4.3)"
    );
}

#[test]
fn huffman_every_byte_value_roundtrips_in_blocks() {
    let all: Vec<u8> = (0..=255).collect();
    let field = HeaderField::new(all.clone(), all.iter().rev().copied().collect::<Vec<u8>>());
    let mut e = Encoder::new(4096);
    let mut d = Decoder::new(4096);
    let mut out = BytesMut::new();
    e.encode([&field], &mut out);
    assert_eq!(d.decode(&out.freeze()).unwrap(), [field]);
}

// ---------------------------------------------------------------------------------------------
// Properties

fn header_field() -> impl Strategy<Value = HeaderField> {
    let name = prop_oneof![
        // Names from the static table, so indexes and name references are exercised.
        (1usize..=61).prop_map(|i| http_codec::h2::hpack::table::static_entry(i)
            .unwrap()
            .0
            .to_vec()),
        proptest::collection::vec(any::<u8>(), 0..12),
        Just(b"x-repeat".to_vec()),
    ];
    let value = prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..40),
        Just(b"GET".to_vec()),
        Just(b"200".to_vec()),
        proptest::collection::vec(b'a'..=b'z', 0..300),
    ];
    (name, value, proptest::bool::weighted(0.1)).prop_map(|(n, v, s)| HeaderField {
        name: n.into(),
        value: v.into(),
        sensitive: s,
    })
}

fn indexing() -> impl Strategy<Value = Indexing> {
    prop_oneof![
        Just(Indexing::Incremental),
        Just(Indexing::Always),
        Just(Indexing::Never)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn encode_decode_roundtrip(
        lists in proptest::collection::vec(proptest::collection::vec(header_field(), 0..12), 1..6),
        indexing in indexing(),
        huffman in prop_oneof![Just(Huffman::Shorter), Just(Huffman::Always), Just(Huffman::Never)],
        sizes in proptest::collection::vec(prop_oneof![Just(0usize), Just(64), Just(256), Just(4096), 0usize..8192], 1..6),
    ) {
        let mut encoder = Encoder::new(4096);
        encoder.set_indexing(indexing);
        encoder.set_huffman(huffman);
        let mut decoder = Decoder::new(4096);
        decoder.set_max_header_list_size(usize::MAX);
        for (i, list) in lists.iter().enumerate() {
            // Table size changes between blocks, sometimes two at once.
            if let Some(&size) = sizes.get(i) {
                encoder.set_max_table_size(size);
                decoder.set_max_table_size(size);
            }
            let mut out = BytesMut::new();
            encoder.encode(list, &mut out);
            let got = decoder.decode(&out.freeze()).unwrap();
            let want: Vec<HeaderField> = list
                .iter()
                .map(|f| HeaderField { sensitive: indexing.never_indexes(f), ..f.clone() })
                .collect();
            prop_assert_eq!(got, want);
            prop_assert_eq!(encoder.table().size(), decoder.table().size());
            prop_assert_eq!(encoder.table().len(), decoder.table().len());
        }
    }

    #[test]
    fn decoder_never_panics(block in proptest::collection::vec(any::<u8>(), 0..200), size in 0usize..5000) {
        let mut decoder = Decoder::new(size);
        decoder.set_max_header_list_size(2000);
        if let Ok(list) = decoder.decode_slice(&block) {
            let total: usize = list.iter().map(HeaderField::size).sum();
            prop_assert!(total <= 2000);
            prop_assert!(decoder.table().size() <= decoder.table().max_size());
        }
    }

    #[test]
    fn decoder_never_panics_after_a_prefix(
        block in proptest::collection::vec(any::<u8>(), 0..100)
    ) {
        // A valid first block fills the table, so dynamic indexes resolve.
        let mut decoder = Decoder::new(4096);
        decoder.decode_slice(&hex("8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d")).unwrap();
        let _ = decoder.decode_slice(&block);
    }

    #[test]
    fn huffman_identity(input in proptest::collection::vec(any::<u8>(), 0..500)) {
        let mut coded = Vec::new();
        huffman::encode(&input, &mut coded);
        prop_assert_eq!(coded.len(), huffman::encoded_len(&input));
        let mut back = Vec::new();
        huffman::decode(&coded, &mut back).unwrap();
        prop_assert_eq!(back, input);
    }

    #[test]
    fn huffman_decode_never_panics(input in proptest::collection::vec(any::<u8>(), 0..100)) {
        let mut out = Vec::new();
        if huffman::decode(&input, &mut out).is_ok() {
            // What decodes re-encodes to the same octets (the code and its padding are unique).
            let mut again = Vec::new();
            huffman::encode(&out, &mut again);
            prop_assert_eq!(again, input);
        }
    }

    #[test]
    fn integers_roundtrip(value in any::<u32>(), prefix in 1u8..=8, flags in any::<u8>()) {
        let mut out = Vec::new();
        integer::encode(value, prefix, flags, &mut out);
        prop_assert_eq!(out.len(), integer::encoded_len(value, prefix));
        prop_assert_eq!(integer::decode(&out, prefix).unwrap(), (value, out.len()));
        prop_assert_eq!(out[0] & !((1u16 << prefix) - 1) as u8, flags & !((1u16 << prefix) - 1) as u8);
    }
}
