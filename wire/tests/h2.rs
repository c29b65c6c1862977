//! Runs the built `wire` binary against the `## hpack` and `## h2` parts of the contract in
//! `docs/wire-json.md` (and its additions there).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

mod support;

use std::path::Path;

use support::{Run, error_of, jsonl, wire};

use serde_json::{Value, json};

/// The error's kind and offset, and the objects before it.
fn error_parts(run: &Run) -> (String, u64, Vec<Value>) {
    let error = error_of(run);
    let mut lines = run.lines();
    lines.pop();
    (
        error["kind"].as_str().unwrap().to_string(),
        error["offset"].as_u64().unwrap(),
        lines,
    )
}

// --- hpack -------------------------------------------------------------------------------------

/// `wire decode hpack` of one `{"wire":HEX}` line per block.
fn decode_hpack(args: &[&str], blocks: &[&str]) -> Run {
    let mut all = vec!["decode", "hpack"];
    all.extend_from_slice(args);
    let lines: Vec<Value> = blocks.iter().map(|b| json!({ "wire": b })).collect();
    wire(&all, &jsonl(&lines))
}

/// `wire encode hpack` of `items`.
fn encode_hpack(args: &[&str], items: &[Value]) -> Run {
    let mut all = vec!["encode", "hpack"];
    all.extend_from_slice(args);
    wire(&all, &jsonl(items))
}

/// Encodes `items`, checks the blocks, decodes them back, and checks the items.
fn hpack_roundtrip(args: &[&str], items: &[Value], blocks: &[&str]) {
    let encoded = encode_hpack(args, items);
    assert_eq!(encoded.code, 0, "encode: {}", encoded.stderr);
    let wires: Vec<Value> = blocks.iter().map(|b| json!({ "wire": b })).collect();
    assert_eq!(encoded.lines(), wires, "encode");
    let mut all = vec!["decode", "hpack"];
    all.extend_from_slice(args);
    let decoded = wire(&all, &encoded.stdout);
    assert_eq!(decoded.code, 0, "decode: {}", decoded.text());
    assert_eq!(decoded.lines(), items, "decode");
}

/// `wire encode hpack` of `items`, which must be refused: the message on stderr.
fn hpack_refused(items: &[Value]) -> String {
    let run = encode_hpack(&[], items);
    assert_eq!(run.code, 1, "{items:?} encoded: {}", run.text());
    assert!(run.stdout.is_empty());
    run.stderr
}

#[test]
fn hpack_decodes_the_contract_example_exactly() {
    let run = decode_hpack(&[], &["828684410f7777772e6578616d706c652e636f6d"]);
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(
        run.text(),
        "{\"headers\":[[\":method\",\"GET\"],[\":scheme\",\"http\"],[\":path\",\"/\"],[\":authority\",\"www.example.com\"]]}\n"
    );
}

#[test]
fn hpack_keeps_one_dynamic_table_across_lines() {
    // RFC 7541 C.4: three requests with Huffman coding, the table carried over.
    let run = decode_hpack(
        &[],
        &[
            "828684418cf1e3c2e5f23a6ba0ab90f4ff",
            "828684be5886a8eb10649cbf",
            "828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(
        run.lines(),
        [
            json!({"headers":[[":method","GET"],[":scheme","http"],[":path","/"],[":authority","www.example.com"]]}),
            json!({"headers":[[":method","GET"],[":scheme","http"],[":path","/"],[":authority","www.example.com"],["cache-control","no-cache"]]}),
            json!({"headers":[[":method","GET"],[":scheme","https"],[":path","/index.html"],[":authority","www.example.com"],["custom-key","custom-value"]]}),
        ]
    );
    // Blank lines are skipped; keys besides "wire" (seqno, headers of a story) are ignored.
    let input = b"\n{\"seqno\":0,\"wire\":\"82\",\"headers\":[]}\r\n  \n{\"wire\":\"84\"}";
    let run = wire(&["decode", "hpack"], input);
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(
        run.lines(),
        [
            json!({"headers":[[":method","GET"]]}),
            json!({"headers":[[":path","/"]]})
        ]
    );
}

/// The header list of a story case: `[{name: value}]` as `[[name, value]]`.
fn story_headers(case: &Value) -> Value {
    let pairs: Vec<Value> = case["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            let (name, value) = h.as_object().unwrap().iter().next().unwrap();
            json!([name, value])
        })
        .collect();
    json!({ "headers": pairs })
}

/// The stories of one hpack-test-case directory in http-codec's vectors.
fn stories(dir: &str) -> Vec<Vec<Value>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../http-codec/tests/vectors/hpack")
        .join(dir);
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "{}", dir.display());
    paths
        .iter()
        .map(|p| {
            let story: Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
            story["cases"].as_array().unwrap().clone()
        })
        .collect()
}

#[test]
fn hpack_decodes_every_story_fed_as_it_is() {
    for dir in [
        "nghttp2",
        "go-hpack",
        "haskell-http2-static",
        "nghttp2-change-table-size",
    ] {
        for cases in stories(dir) {
            // One case per line, each with all its keys (seqno, header_table_size, headers).
            let run = wire(&["decode", "hpack"], &jsonl(&cases));
            assert_eq!(run.code, 0, "{dir}: {}", run.text());
            let expected: Vec<Value> = cases.iter().map(story_headers).collect();
            assert_eq!(run.lines(), expected, "{dir}");
        }
    }
}

#[test]
fn hpack_encodes_the_raw_data_stories_back_to_the_same_lists() {
    for cases in stories("raw-data") {
        let items: Vec<Value> = cases.iter().map(story_headers).collect();
        let encoded = encode_hpack(&[], &items);
        assert_eq!(encoded.code, 0, "{}", encoded.stderr);
        assert_eq!(encoded.lines().len(), items.len());
        let decoded = wire(&["decode", "hpack"], &encoded.stdout);
        assert_eq!(decoded.code, 0, "{}", decoded.text());
        assert_eq!(decoded.lines(), items);
    }
}

#[test]
fn hpack_encode_indexes_and_decodes_back() {
    // Every field indexed (Appendix C's strategy), Huffman where shorter: the second list is
    // all indexes.
    let first = json!({"headers":[[":method","GET"],[":authority","www.example.com"],["x-a","b"]]});
    let second =
        json!({"headers":[[":method","GET"],[":authority","www.example.com"],["x-a","b"]]});
    hpack_roundtrip(
        &[],
        &[first, second],
        &["82418cf1e3c2e5f23a6ba0ab90f4ff4003782d610162", "82bfbe"],
    );
    // An empty list is an empty block; credentials names are indexed like any name unless
    // marked never-indexed; bytes above 0x7f travel as ISO-8859-1 characters.
    hpack_roundtrip(
        &[],
        &[
            json!({"headers":[]}),
            json!({"headers":[["authorization","x"],["x-b","\u{ff}\u{0}\r\n"]]}),
        ],
        &["", "5701784003782d6204ff000d0a"],
    );
}

#[test]
fn hpack_never_indexed_fields_are_kept_as_such() {
    // A literal never indexed (RFC 7541 C.2.3): decode marks it, encode sends it the same way.
    let run = decode_hpack(&[], &["100870617373776f726406736563726574"]);
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(
        run.lines(),
        [json!({"headers":[["password","secret"]],"never_indexed":[0]})]
    );
    hpack_roundtrip(
        &[],
        &[
            json!({"headers":[[":method","GET"],["password","secret"]],"never_indexed":[1]}),
            json!({"headers":[["password","secret"]]}),
        ],
        &["821086ac684783d9278441496153", "4086ac684783d9278441496153"],
    );
}

#[test]
fn hpack_table_size_option() {
    // With a table of 0 octets nothing is indexed: index 62 does not exist.
    let run = decode_hpack(&["--table-size", "0"], &["400178017a", "be"]);
    let (kind, offset, before) = error_parts(&run);
    assert_eq!((kind.as_str(), offset), ("index-out-of-range", 5));
    assert_eq!(before, [json!({"headers":[["x","z"]]})]);
    // A size update above the limit.
    let run = decode_hpack(&["--table-size", "100"], &["3f4a"]);
    assert_eq!(error_parts(&run).0.as_str(), "size-update-too-large");
    // encode with the same size decodes back.
    hpack_roundtrip(
        &["--table-size", "0"],
        &[
            json!({"headers":[["x","z"]]}),
            json!({"headers":[["x","z"]]}),
        ],
        &["400178017a", "400178017a"],
    );
}

#[test]
fn hpack_error_kinds_with_offsets_in_the_blocks_as_one_stream() {
    // (block before, bad block, kind, offset within the bad block)
    let cases = [
        ("80", "index-zero", 0),
        ("8280", "index-zero", 1),
        ("ff", "integer-truncated", 1),
        ("ffffffffff0f", "integer-overflow", 5),
        ("ff80808080808080808080808000", "integer-too-long", 6),
        ("400561", "string-truncated", 2),
        ("bf", "index-out-of-range", 0),
        ("4084ffffffff0161", "huffman-eos", 5),
        ("4082ffff0161", "huffman-padding-too-long", 3),
        ("4081180161", "huffman-padding-not-ones", 2),
        ("3fe21f", "size-update-too-large", 0),
        ("823f00", "size-update-after-field", 1),
    ];
    for (block, kind, at) in cases {
        // After a first block of 3 octets, so the offset counts the blocks before.
        let run = decode_hpack(&[], &["828684", block]);
        let (k, offset, before) = error_parts(&run);
        assert_eq!(
            (k.as_str(), offset),
            (kind, 3 + at),
            "{block}: {}",
            run.text()
        );
        assert_eq!(before.len(), 1, "{block}");
    }
}

#[test]
fn hpack_bounds_the_decoded_list() {
    // 1,025 fields (one octet each) are over the field count.
    let run = decode_hpack(&[], &[&"82".repeat(1025)]);
    assert_eq!(error_parts(&run).0, "too-many-fields");
    // A field of 65,536 octets: over 64 KiB with its 32 octets of overhead.
    let long = format!("40017a7f81ff03{}", "61".repeat(65_536));
    let run = decode_hpack(&[], &[&long]);
    assert_eq!(
        error_parts(&run),
        ("header-list-too-large".to_string(), 0, vec![])
    );
    // encode refuses both, which decode would refuse.
    let many: Vec<Value> = (0..1025).map(|_| json!([":method", "GET"])).collect();
    assert!(hpack_refused(&[json!({ "headers": many })]).contains("1025 header fields"));
    let big = "a".repeat(65_536);
    assert!(hpack_refused(&[json!({"headers":[["z", big]]})]).contains("header list"));
}

#[test]
fn hpack_lines_that_are_not_blocks() {
    let run = wire(&["decode", "hpack"], b"{\"wire\":\"82\"}\nnot json\n");
    let (kind, offset, before) = error_parts(&run);
    assert_eq!((kind.as_str(), offset, before.len()), ("bad-line", 1, 1));
    assert!(
        error_of(&run)["message"]
            .as_str()
            .unwrap()
            .starts_with("line 2:")
    );
    for line in [
        &b"{\"wire\":82}"[..],
        b"{\"headers\":[]}",
        b"[1]",
        b"{\"wire\":\"\xff\"}",
    ] {
        let run = wire(&["decode", "hpack"], line);
        assert_eq!(error_parts(&run).0, "bad-line", "{line:?}");
    }
    for digits in ["8", "8x", "82 8"] {
        let run = decode_hpack(&[], &[digits]);
        let (kind, offset, _) = error_parts(&run);
        assert_eq!((kind.as_str(), offset), ("bad-hex", 0), "{digits}");
    }
}

#[test]
fn hpack_encode_refuses_what_would_not_decode_back() {
    for item in [
        json!({"headers":[["a"]]}),
        json!({"headers":[["a","b","c"]]}),
        json!({"headers":[["a",1]]}),
        json!({"headers":[["\u{100}","b"]]}),
        json!({"headers":{"a":"b"}}),
        json!({"headers":[],"extra":1}),
        json!({"headers":[["a","b"]],"never_indexed":[]}),
        json!({"headers":[["a","b"]],"never_indexed":[1]}),
        json!({"headers":[["a","b"],["c","d"]],"never_indexed":[1,0]}),
        json!({"headers":[["a","b"]],"never_indexed":[0,0]}),
        json!({"wire":"82"}),
        json!([]),
    ] {
        hpack_refused(&[item]);
    }
    // The line number of the refused object.
    let run = encode_hpack(&[], &[json!({"headers":[]}), json!({"headers":1})]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("line 2"), "{}", run.stderr);
}

// --- h2 ----------------------------------------------------------------------------------------

const PREFACE: &str = "505249202a20485454502f322e300d0a0d0a534d0d0a0d0a";

/// `wire decode h2 --hex` with `args`.
fn decode_h2(args: &[&str], hex_input: &str) -> Run {
    let mut all = vec!["decode", "h2", "--hex"];
    all.extend_from_slice(args);
    wire(&all, hex_input.as_bytes())
}

#[test]
fn h2_server_role_reads_the_preface_then_every_frame_type() {
    let input = [
        PREFACE,
        "000006 04 00 00000000 0003 00000064", // SETTINGS
        "000000 04 01 00000000",               // SETTINGS ACK
        "000003 01 05 00000001 828684",        // HEADERS
        "00000a 01 2c 00000003 02 80000001 0f 8284 0000", // HEADERS padded, priority
        "000002 00 01 00000001 6869",          // DATA
        "000004 00 09 00000003 02 ff 0000",    // DATA padded
        "000005 02 00 00000005 00000003 10",   // PRIORITY
        "000004 03 00 00000005 00000008",      // RST_STREAM CANCEL
        "000004 03 00 00000007 00000042",      // RST_STREAM unknown code
        "000007 05 0c 00000001 01 00000002 82 00", // PUSH_PROMISE padded
        "000008 06 01 00000000 0102030405060708", // PING ACK
        "00000a 07 00 00000000 00000003 00000001 6f6b", // GOAWAY
        "000004 08 00 00000000 00010000",      // WINDOW_UPDATE, connection
        "000004 08 00 00000001 00000400",      // WINDOW_UPDATE, stream
        "000001 01 00 00000009 82",            // HEADERS without END_HEADERS
        "000001 09 04 00000009 84",            // CONTINUATION
        "000002 fa 81 00000009 ab00",          // unknown type
    ]
    .join(" ");
    let run = decode_h2(&[], &input);
    assert_eq!(run.code, 0, "{}", run.text());
    let expected = [
        json!({"type":"PREFACE"}),
        json!({"type":"SETTINGS","stream":0,"flags":[],"settings":[[3,100]]}),
        json!({"type":"SETTINGS","stream":0,"flags":["ACK"],"settings":[]}),
        json!({"type":"HEADERS","stream":1,"flags":["END_STREAM","END_HEADERS"],"header_block":"828684"}),
        json!({"type":"HEADERS","stream":3,"flags":["END_HEADERS","PADDED","PRIORITY"],"padding":2,"exclusive":true,"dependency":1,"weight":15,"header_block":"8284"}),
        json!({"type":"DATA","stream":1,"flags":["END_STREAM"],"data":"hi"}),
        json!({"type":"DATA","stream":3,"flags":["END_STREAM","PADDED"],"padding":2,"data":"\u{ff}"}),
        json!({"type":"PRIORITY","stream":5,"flags":[],"exclusive":false,"dependency":3,"weight":16}),
        json!({"type":"RST_STREAM","stream":5,"flags":[],"error_code":"CANCEL"}),
        json!({"type":"RST_STREAM","stream":7,"flags":[],"error_code":"0x42"}),
        json!({"type":"PUSH_PROMISE","stream":1,"flags":["END_HEADERS","PADDED"],"padding":1,"promised":2,"header_block":"82"}),
        json!({"type":"PING","stream":0,"flags":["ACK"],"opaque":"0102030405060708"}),
        json!({"type":"GOAWAY","stream":0,"flags":[],"last_stream":3,"error_code":"PROTOCOL_ERROR","debug":"ok"}),
        json!({"type":"WINDOW_UPDATE","stream":0,"flags":[],"increment":65536}),
        json!({"type":"WINDOW_UPDATE","stream":1,"flags":[],"increment":1024}),
        json!({"type":"HEADERS","stream":9,"flags":[],"header_block":"82"}),
        json!({"type":"CONTINUATION","stream":9,"flags":["END_HEADERS"],"header_block":"84"}),
        json!({"type":"UNKNOWN","stream":9,"flags":["0x01","0x80"],"code":250,"payload":"\u{ab}\u{0}"}),
    ];
    assert_eq!(run.lines(), expected);
    // The keys in the order the contract lists them.
    assert!(
        run.text()
            .contains("{\"type\":\"SETTINGS\",\"stream\":0,\"flags\":[],\"settings\":[[3,100]]}\n")
    );
}

#[test]
fn h2_client_role_reads_frames_without_a_preface() {
    let run = decode_h2(
        &["--role", "client"],
        "000000 04 00 00000000 000000 04 01 00000000",
    );
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(
        run.lines(),
        [
            json!({"type":"SETTINGS","stream":0,"flags":[],"settings":[]}),
            json!({"type":"SETTINGS","stream":0,"flags":["ACK"],"settings":[]}),
        ]
    );
    // An empty input is no frames.
    let run = decode_h2(&["--role", "client"], "");
    assert_eq!((run.code, run.text()), (0, ""));
    // Undefined flags and the reserved bit are ignored (RFC 9113 §4.1).
    let run = decode_h2(&["--role", "client"], "000001 00 f2 80000001 61");
    assert_eq!(
        run.lines(),
        [json!({"type":"DATA","stream":1,"flags":[],"data":"a"})]
    );
}

#[test]
fn h2_error_kinds_with_offsets() {
    // A SETTINGS frame of 15 octets first, so every offset of a later frame is 24 + 15 = 39.
    let settings = "000006 04 00 00000000 0003 00000064";
    let cases = [
        ("000002 00 01 00000000 6869", "protocol-error"), // DATA on stream 0
        ("000006 04 00 00000001 0003 00000064", "protocol-error"), // SETTINGS on a stream
        ("000005 04 00 00000000 0003 000000", "frame-size-error"), // SETTINGS not 6n
        ("000006 04 01 00000000 0003 00000064", "frame-size-error"), // ACK with a payload
        ("000006 04 00 00000000 0002 00000002", "protocol-error"), // ENABLE_PUSH 2
        ("000006 04 00 00000000 0004 80000000", "flow-control-error"), // window > 2^31-1
        ("000006 04 00 00000000 0005 00000001", "protocol-error"), // MAX_FRAME_SIZE 1
        ("000007 06 00 00000000 01020304050607", "frame-size-error"), // PING of 7
        ("000008 06 00 00000001 0102030405060708", "protocol-error"), // PING on a stream
        ("000004 08 00 00000001 00000000", "protocol-error"), // increment 0, stream error
        ("000004 08 00 00000000 00000000", "protocol-error"), // increment 0, connection
        ("000003 08 00 00000000 000001", "frame-size-error"), // WINDOW_UPDATE of 3
        ("000003 03 00 00000001 000000", "frame-size-error"), // RST_STREAM of 3
        ("000004 03 00 00000000 00000000", "protocol-error"), // RST_STREAM on 0
        ("000004 02 00 00000001 00000000", "frame-size-error"), // PRIORITY of 4
        ("000005 02 00 00000001 00000001 10", "protocol-error"), // depends on itself
        ("000002 01 08 00000001 0500", "protocol-error"), // padding too long
        ("000003 00 08 00000001 016101", "protocol-error"), // padding not zero
        ("000000 00 08 00000001", "frame-size-error"),    // PADDED without Pad Length
        ("000004 01 20 00000001 00000000", "frame-size-error"), // priority cut short
        ("000007 07 00 00000000 00000001 000000", "frame-size-error"), // GOAWAY of 7
        ("000001 09 04 00000000 82", "protocol-error"),   // CONTINUATION on 0
        ("000003 05 04 00000001 000000", "frame-size-error"), // PUSH_PROMISE of 3
        ("004001 00 00 00000001", "frame-size-error"),    // over 16,384, refused at once
    ];
    for (frame, kind) in cases {
        let run = decode_h2(&[], &format!("{PREFACE} {settings} {frame}"));
        let (k, offset, before) = error_parts(&run);
        assert_eq!((k.as_str(), offset), (kind, 39), "{frame}: {}", run.text());
        assert_eq!(before.len(), 2, "{frame}");
    }
    // The message says the code, connection or stream, and the section.
    let run = decode_h2(&["--role", "client"], "000004 08 00 00000001 00000000");
    assert_eq!(
        error_of(&run)["message"],
        "PROTOCOL_ERROR (stream error on stream 1) at byte 0: a window increment of 0 (RFC 9113 §6.9)"
    );
}

#[test]
fn h2_preface_and_incomplete_input() {
    // Not the preface (an HTTP/1 request), at the first byte that differs... at offset 0.
    let run = wire(&["decode", "h2"], b"GET / HTTP/1.1\r\n\r\n");
    assert_eq!(error_parts(&run), ("protocol-error".to_string(), 0, vec![]));
    // A preface cut short, and a wrong byte inside it.
    let run = decode_h2(&[], &PREFACE[..20]);
    assert_eq!(error_parts(&run), ("incomplete".to_string(), 0, vec![]));
    let run = decode_h2(&[], "505249202a20485454502f322e300d0a0d0a534d0d0a0d0b");
    assert_eq!(error_parts(&run).0, "protocol-error");
    // Input that ends inside a frame header or a payload: at the frame's start.
    for tail in ["0000", "000002 00 01 00000001 68"] {
        let run = decode_h2(&[], &format!("{PREFACE} 000000 04 01 00000000 {tail}"));
        let (kind, offset, before) = error_parts(&run);
        assert_eq!(
            (kind.as_str(), offset, before.len()),
            ("incomplete", 33, 2),
            "{tail}"
        );
    }
    // The preface in client role is not a frame: PRI is an over-long frame header.
    let run = decode_h2(&["--role", "client"], PREFACE);
    assert_eq!(error_parts(&run).0, "frame-size-error");
    // Bad hex is reported before decoding.
    assert_eq!(error_parts(&decode_h2(&[], "0g")).0, "bad-hex");
}

#[test]
fn h2_encode_writes_what_decode_reads() {
    let items = [
        json!({"type":"PREFACE"}),
        json!({"type":"SETTINGS","stream":0,"flags":[],"settings":[[3,100],[4,65535]]}),
        json!({"type":"HEADERS","stream":1,"flags":["END_HEADERS","PADDED","PRIORITY"],"padding":2,"exclusive":true,"dependency":3,"weight":15,"header_block":"8284"}),
        json!({"type":"DATA","stream":1,"flags":["END_STREAM"],"data":"h\u{ff}"}),
        json!({"type":"RST_STREAM","stream":7,"flags":[],"error_code":"0x42"}),
        json!({"type":"GOAWAY","stream":0,"flags":[],"last_stream":3,"error_code":"NO_ERROR","debug":""}),
        json!({"type":"PING","stream":0,"flags":["ACK"],"opaque":"0102030405060708"}),
        json!({"type":"UNKNOWN","stream":9,"flags":["0x01","0x80"],"code":250,"payload":"x"}),
    ];
    let encoded = wire(&["encode", "h2", "--hex"], &jsonl(&items));
    assert_eq!(encoded.code, 0, "{}", encoded.stderr);
    assert_eq!(
        encoded.text(),
        format!(
            "{PREFACE}00000c040000000000000300000064000400\
             00ffff00000a012c0000000102800000030f8284000000000200010000000168ff000004030000000007\
             00000042000008070000000000000000030000000000000806010000000001020304050607080000\
             01fa8100000009 78\n"
        )
        .replace(' ', "")
    );
    let decoded = decode_h2(&[], encoded.text());
    assert_eq!(decoded.code, 0, "{}", decoded.text());
    assert_eq!(decoded.lines(), items);
    // --role client: no preface.
    let frame = json!({"type":"WINDOW_UPDATE","stream":0,"flags":[],"increment":1});
    let encoded = wire(
        &["encode", "h2", "--role", "client"],
        &jsonl(std::slice::from_ref(&frame)),
    );
    assert_eq!(
        encoded.stdout,
        b"\x00\x00\x04\x08\x00\x00\x00\x00\x00\x00\x00\x00\x01"
    );
    assert_eq!(
        wire(&["decode", "h2", "--role", "client"], &encoded.stdout).lines(),
        [frame]
    );
}

#[test]
fn h2_encode_refuses_what_would_not_decode_back() {
    let preface = json!({"type":"PREFACE"});
    for item in [
        json!({"type":"DATA","stream":0,"flags":[],"data":"x"}), // stream 0
        json!({"type":"DATA","stream":1,"flags":["PADDED"],"data":"x"}), // PADDED without padding
        json!({"type":"DATA","stream":1,"flags":[],"padding":1,"data":"x"}), // padding without PADDED
        json!({"type":"DATA","stream":1,"flags":["END_HEADERS"],"data":"x"}), // not DATA's flag
        json!({"type":"DATA","stream":1,"flags":["END_STREAM","END_STREAM"],"data":"x"}),
        json!({"type":"DATA","stream":1,"flags":[],"data":"x".repeat(16_385)}), // over 16,384
        json!({"type":"DATA","stream":1,"flags":[],"data":"\u{100}"}),
        json!({"type":"SETTINGS","stream":1,"flags":[],"settings":[]}),
        json!({"type":"SETTINGS","stream":0,"flags":["ACK"],"settings":[[1,1]]}),
        json!({"type":"SETTINGS","stream":0,"flags":[],"settings":[[2,2]]}), // ENABLE_PUSH 2
        json!({"type":"SETTINGS","stream":0,"flags":[],"settings":[[65536,2]]}),
        json!({"type":"PRIORITY","stream":1,"flags":[],"exclusive":false,"dependency":1,"weight":1}),
        json!({"type":"RST_STREAM","stream":1,"flags":[],"error_code":"CANCELLED"}),
        json!({"type":"RST_STREAM","stream":1,"flags":[],"error_code":"0x8"}), // named CANCEL
        json!({"type":"PING","stream":0,"flags":[],"opaque":"01"}),
        json!({"type":"WINDOW_UPDATE","stream":1,"flags":[],"increment":0}),
        json!({"type":"HEADERS","stream":1,"flags":[],"header_block":"8"}),
        json!({"type":"UNKNOWN","stream":1,"flags":[],"code":0,"payload":""}), // that is DATA
        json!({"type":"UNKNOWN","stream":1,"flags":["0x03"],"code":99,"payload":""}),
        json!({"type":"DATA","stream":1,"flags":[],"data":"x","extra":1}),
        json!({"type":"FOO","stream":1,"flags":[]}),
        json!({"type":"PREFACE"}), // twice
    ] {
        let run = wire(&["encode", "h2"], &jsonl(&[preface.clone(), item.clone()]));
        assert_eq!(run.code, 1, "{item} encoded: {:?}", run.stdout);
        assert!(run.stderr.contains("line 2"), "{item}: {}", run.stderr);
    }
    // --role server starts with the preface; --role client has none.
    let data = json!({"type":"DATA","stream":1,"flags":[],"data":"x"});
    assert_eq!(wire(&["encode", "h2"], &jsonl(&[data])).code, 1);
    assert_eq!(
        wire(&["encode", "h2", "--role", "client"], &jsonl(&[preface])).code,
        1
    );
}

#[test]
fn demo_has_an_http2_exchange() {
    let run = wire(&["demo"], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = run.text();
    let start = text.find("== h2:").expect("an h2 section");
    let section = &text[start..];
    let section = &section[..section[1..].find("\n== ").map_or(section.len(), |e| e + 1)];
    for line in [
        "C: {\"type\":\"PREFACE\"}",
        "S: {\"type\":\"SETTINGS\",\"stream\":0,\"flags\":[],\"settings\":[[3,100],[4,16],[6,65536]]}",
        "C: {\"type\":\"DATA\",\"stream\":3,\"flags\":[],\"data\":\"0123456789abcdef\"}",
        "-- client: stream 3's window is used up, 24 octets wait; the server consumes what came",
        "S: {\"type\":\"WINDOW_UPDATE\",\"stream\":3,\"flags\":[],\"increment\":16}",
        "C: {\"type\":\"DATA\",\"stream\":3,\"flags\":[\"END_STREAM\"],\"data\":\"wxyzABCD\"}",
        "-- client: 9 octets on stream 3, the end",
        "S: {\"type\":\"GOAWAY\",\"stream\":0,\"flags\":[],\"last_stream\":0,\"error_code\":\"ENHANCE_YOUR_CALM\",\"debug\":\"more CONTINUATION frames than Config::max_continuations\"}",
    ] {
        assert!(section.lines().any(|l| l == line), "{line}\n{section}");
    }
    // Two streams open at once: both requests before any response.
    let first_response = section.find("S: {\"type\":\"HEADERS\"").unwrap();
    assert!(
        section
            .find("\"stream\":3,\"flags\":[\"END_HEADERS\"]")
            .unwrap()
            < first_response
    );
    // Every C:/S: line is an object `wire decode h2` prints.
    for line in section.lines() {
        if let Some(object) = line
            .strip_prefix("C: ")
            .or_else(|| line.strip_prefix("S: "))
        {
            let value: Value = serde_json::from_str(object).unwrap();
            assert!(value["type"].is_string(), "{line}");
        }
    }
}
