//! Runs the built `wire` binary against the contract in `docs/wire-json.md` (framing part).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

mod support;

use std::io::Write;
use std::process::{Command, Stdio};

use support::{error_of, jsonl, wire};

use serde_json::{Value, json};

/// Encodes `items` with `args`, checks the bytes, decodes them back, and checks the items.
fn roundtrip(args: &[&str], items: &[Value], expected_bytes: &[u8]) {
    let mut encode_args = vec!["encode"];
    encode_args.extend_from_slice(args);
    let encoded = wire(&encode_args, &jsonl(items));
    assert_eq!(encoded.code, 0, "encode {args:?}: {}", encoded.stderr);
    assert_eq!(encoded.stdout, expected_bytes, "encode {args:?}");

    let mut decode_args = vec!["decode"];
    decode_args.extend_from_slice(args);
    let decoded = wire(&decode_args, &encoded.stdout);
    assert_eq!(decoded.code, 0, "decode {args:?}: {}", decoded.text());
    assert_eq!(decoded.lines(), items, "decode {args:?}");
}

// --- length ----------------------------------------------------------------------------------

#[test]
fn length_decodes_the_classic_struct_message() {
    let run = wire(
        &["decode", "length", "--width", "4"],
        b"\0\0\0\x02hi\0\0\0\0",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.text(), "{\"payload\":\"hi\"}\n{\"payload\":\"\"}\n");
}

#[test]
fn length_with_type_byte_prints_type_before_payload() {
    let run = wire(
        &["decode", "length", "--width", "2", "--type-byte"],
        b"\x00\x04\x01ping\x00\x00\xff",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.text(),
        "{\"type\":1,\"payload\":\"ping\"}\n{\"type\":255,\"payload\":\"\"}\n"
    );
}

#[test]
fn length_roundtrips_every_width_and_byte_order() {
    let plain = [json!({"payload": "abc"}), json!({"payload": ""})];
    let typed = [
        json!({"type": 9, "payload": "abc"}),
        json!({"type": 0, "payload": ""}),
    ];
    for (width, n) in [("1", 1), ("2", 2), ("3", 3), ("4", 4), ("8", 8)] {
        // Big-endian: the length's last byte is the low one.
        let mut be = vec![0u8; n - 1];
        be.extend_from_slice(&[3, b'a', b'b', b'c']);
        be.extend_from_slice(&vec![0u8; n]);
        roundtrip(&["length", "--width", width], &plain, &be);

        let mut le = vec![3u8];
        le.extend_from_slice(&vec![0u8; n - 1]);
        le.extend_from_slice(b"abc");
        le.extend_from_slice(&vec![0u8; n]);
        roundtrip(
            &["length", "--width", width, "--little-endian"],
            &plain,
            &le,
        );

        let mut be_typed = vec![0u8; n - 1];
        be_typed.extend_from_slice(&[3, 9, b'a', b'b', b'c']);
        be_typed.extend_from_slice(&vec![0u8; n]);
        be_typed.push(0);
        roundtrip(
            &["length", "--width", width, "--type-byte"],
            &typed,
            &be_typed,
        );
    }
}

#[test]
fn length_roundtrips_all_256_byte_values() {
    let all: Vec<u8> = (0..=255).collect();
    let payload: String = all.iter().map(|&b| char::from(b)).collect();
    let mut expected = vec![0x01, 0x00];
    expected.extend_from_slice(&all);
    roundtrip(
        &["length", "--width", "2"],
        &[json!({ "payload": payload })],
        &expected,
    );
}

#[test]
fn truncated_frame_is_incomplete_after_the_complete_ones() {
    let run = wire(
        &["decode", "length", "--width", "4"],
        b"\0\0\0\x01a\0\0\0\x05hi",
    );
    let lines = run.lines();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0], json!({"payload": "a"}));
    let error = error_of(&run);
    assert_eq!(error["kind"], "incomplete");
    assert_eq!(error["offset"], 11);
    assert!(error["message"].as_str().unwrap().contains("3 more bytes"));
}

#[test]
fn truncated_header_is_incomplete() {
    let run = wire(&["decode", "length", "--width", "4"], b"\0\0");
    let error = error_of(&run);
    assert_eq!(error["kind"], "incomplete");
    assert_eq!(error["offset"], 2);
    assert_eq!(run.lines().len(), 1);
}

#[test]
fn too_large_frame_is_refused_at_its_header() {
    // Second frame claims 5 bytes, over --max 4; its header starts at byte 6.
    let run = wire(
        &["decode", "length", "--width", "4", "--max", "4"],
        b"\0\0\0\x02ok\0\0\0\x05hello",
    );
    assert_eq!(run.lines()[0], json!({"payload": "ok"}));
    let error = error_of(&run);
    assert_eq!(error["kind"], "too-large");
    assert_eq!(error["offset"], 6);
    assert_eq!(
        error["message"],
        "frame at byte 6 of 5 bytes exceeds the limit of 4"
    );
}

#[test]
fn four_gib_claim_is_too_large_with_the_default_limit() {
    let run = wire(
        &["decode", "length", "--width", "4", "--type-byte"],
        b"\xff\xff\xff\xff\x01",
    );
    let error = error_of(&run);
    assert_eq!(
        error,
        json!({
            "kind": "too-large",
            "offset": 0,
            "message": "frame at byte 0 of 4294967295 bytes exceeds the limit of 8388608"
        })
    );
    // Keys in the contract's order.
    assert_eq!(
        run.text(),
        "{\"error\":{\"kind\":\"too-large\",\"offset\":0,\"message\":\"frame at byte 0 of 4294967295 bytes exceeds the limit of 8388608\"}}\n"
    );
}

#[test]
fn length_encode_refuses_what_the_field_cannot_hold() {
    let payload = "x".repeat(256);
    let run = wire(
        &["encode", "length", "--width", "1"],
        &jsonl(&[json!({ "payload": payload })]),
    );
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("256"), "{}", run.stderr);
}

#[test]
fn length_encode_checks_the_type_field_against_type_byte() {
    let untyped = wire(
        &["encode", "length", "--width", "4"],
        br#"{"type":1,"payload":"x"}"#,
    );
    assert_eq!(untyped.code, 1);
    assert!(untyped.stderr.contains("--type-byte"), "{}", untyped.stderr);

    let missing = wire(
        &["encode", "length", "--width", "4", "--type-byte"],
        br#"{"payload":"x"}"#,
    );
    assert_eq!(missing.code, 1);
    assert!(missing.stderr.contains("\"type\""), "{}", missing.stderr);

    let too_big = wire(
        &["encode", "length", "--width", "4", "--type-byte"],
        br#"{"type":256,"payload":"x"}"#,
    );
    assert_eq!(too_big.code, 1);
    assert!(too_big.stdout.is_empty());
}

#[test]
fn width_must_be_one_of_the_contract() {
    let run = wire(&["decode", "length", "--width", "5"], b"");
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    let run = wire(&["decode", "length"], b"");
    assert_eq!(run.code, 2, "--width is required");
}

// --- lines -----------------------------------------------------------------------------------

#[test]
fn crlf_lines_roundtrip() {
    roundtrip(
        &["lines"],
        &[
            json!({"line": "EHLO x"}),
            json!({"line": ""}),
            json!({"line": "tab\there"}),
        ],
        b"EHLO x\r\n\r\ntab\there\r\n",
    );
}

#[test]
fn lf_lines_roundtrip_and_keep_cr() {
    roundtrip(
        &["lines", "--lf"],
        &[json!({"line": "a\r"}), json!({"line": "b"})],
        b"a\r\nb\n",
    );
}

#[test]
fn bare_lf_is_malformed_unless_lenient() {
    let strict = wire(&["decode", "lines"], b"ok\r\nx\ny\r\n");
    assert_eq!(strict.lines()[0], json!({"line": "ok"}));
    let error = error_of(&strict);
    assert_eq!(error["kind"], "malformed");
    assert_eq!(error["offset"], 5);

    let lenient = wire(
        &["decode", "lines", "--lenient", "allow_bare_lf"],
        b"ok\r\nx\ny\r\n",
    );
    assert_eq!(lenient.code, 0, "{}", lenient.text());
    assert_eq!(
        lenient.lines(),
        [
            json!({"line": "ok"}),
            json!({"line": "x"}),
            json!({"line": "y"})
        ]
    );
}

#[test]
fn unknown_lenient_flag_is_a_usage_error() {
    let run = wire(
        &["decode", "lines", "--lenient", "allow_everything"],
        b"a\r\n",
    );
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("allow_everything"), "{}", run.stderr);
    assert!(run.stderr.contains("allow_bare_lf"), "{}", run.stderr);

    // allow_bare_lf is a lines option, not a length one.
    let run = wire(
        &[
            "decode",
            "length",
            "--width",
            "4",
            "--lenient",
            "allow_bare_lf",
        ],
        b"",
    );
    assert_eq!(run.code, 2);
}

#[test]
fn partial_last_line_is_incomplete() {
    let run = wire(&["decode", "lines"], b"abc\r\npartial");
    assert_eq!(run.lines()[0], json!({"line": "abc"}));
    let error = error_of(&run);
    assert_eq!(error["kind"], "incomplete");
    assert_eq!(error["offset"], 12);
}

#[test]
fn high_bytes_survive_the_latin1_mapping() {
    let input = b"caf\xe9 \x80\xff\r\n";
    let run = wire(&["decode", "lines"], input);
    assert_eq!(run.code, 0);
    // The JSON text is UTF-8; the string's characters are the bytes.
    assert_eq!(run.text(), "{\"line\":\"caf\u{e9} \u{80}\u{ff}\"}\n");
    let line = run.lines()[0]["line"].as_str().unwrap().to_string();
    let codes: Vec<u32> = line.chars().map(u32::from).collect();
    assert_eq!(codes, [0x63, 0x61, 0x66, 0xe9, 0x20, 0x80, 0xff]);

    let back = wire(&["encode", "lines"], &run.stdout);
    assert_eq!(back.code, 0, "{}", back.stderr);
    assert_eq!(back.stdout, input);
}

#[test]
fn char_above_ff_is_refused_on_encode() {
    let run = wire(
        &["encode", "lines"],
        "{\"line\":\"ok\"}\n{\"line\":\"\u{100}\"}\n".as_bytes(),
    );
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty(), "nothing is written on error");
    assert!(run.stderr.contains("line 2"), "{}", run.stderr);
    assert!(run.stderr.contains("U+0100"), "{}", run.stderr);

    let emoji = wire(
        &["encode", "length", "--width", "4"],
        r#"{"payload":"\ud83d\ude00"}"#.as_bytes(),
    );
    assert_eq!(emoji.code, 1);
    assert!(emoji.stderr.contains("U+1F600"), "{}", emoji.stderr);
}

#[test]
fn lines_that_cannot_be_a_line_are_refused_on_encode() {
    let run = wire(&["encode", "lines"], br#"{"line":"a\r\nb"}"#);
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("CR or LF"), "{}", run.stderr);
}

#[test]
fn invalid_json_is_refused_with_its_line_number() {
    let run = wire(&["encode", "lines"], b"{\"line\":\"a\"}\n{\"line\":\n");
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("line 2"), "{}", run.stderr);
    assert!(run.stderr.contains("invalid JSON"), "{}", run.stderr);

    let extra = wire(&["encode", "lines"], br#"{"line":"a","lines":"b"}"#);
    assert_eq!(extra.code, 1);
    assert!(extra.stderr.contains("\"lines\""), "{}", extra.stderr);

    let not_object = wire(&["encode", "lines"], b"[\"a\"]\n");
    assert_eq!(not_object.code, 1);
}

#[test]
fn blank_input_lines_are_skipped_on_encode() {
    let run = wire(
        &["encode", "lines"],
        b"\n{\"line\":\"a\"}\r\n\n  \n{\"line\":\"b\"}",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, b"a\r\nb\r\n");
}

// --- handshake -------------------------------------------------------------------------------

const NETW_HELLO: &[u8] = b"NETW\x00\x03\x00\x01\x00\x00\x00\x00\x00\x00\x00\x0b";

#[test]
fn handshake_decodes_the_contract_example() {
    let run = wire(&["decode", "handshake"], NETW_HELLO);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.text(),
        "{\"magic\":1313166423,\"version\":3,\"min_version\":1,\"capabilities\":11}\n"
    );
}

#[test]
fn handshake_roundtrips_with_default_and_custom_magic() {
    roundtrip(
        &["handshake"],
        &[json!({"magic": 1313166423, "version": 3, "min_version": 1, "capabilities": 11})],
        NETW_HELLO,
    );
    roundtrip(
        &["handshake", "--magic", "CAFEBABE"],
        &[
            json!({"magic": 0xCAFE_BABEu32, "version": 65535, "min_version": 0, "capabilities": u64::MAX}),
            json!({"magic": 0xCAFE_BABEu32, "version": 1, "min_version": 1, "capabilities": 0}),
        ],
        b"\xca\xfe\xba\xbe\xff\xff\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff\
          \xca\xfe\xba\xbe\x00\x01\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00",
    );
}

#[test]
fn bad_magic_is_an_error() {
    let run = wire(&["decode", "handshake"], b"GET / HTTP/1.1\r\n");
    assert_eq!(run.lines().len(), 1);
    let error = error_of(&run);
    assert_eq!(error["kind"], "bad-magic");
    assert_eq!(error["offset"], 0);
    assert!(error["message"].as_str().unwrap().contains("0x47455420"));

    // After a good hello, at the second one's offset.
    let mut input = NETW_HELLO.to_vec();
    input.extend_from_slice(b"NETX\x00\x03\x00\x01\x00\x00\x00\x00\x00\x00\x00\x0b");
    let run = wire(&["decode", "handshake"], &input);
    assert_eq!(run.lines()[0]["version"], 3);
    let error = error_of(&run);
    assert_eq!(error["kind"], "bad-magic");
    assert_eq!(error["offset"], 16);

    // The expected magic is configurable.
    let run = wire(&["decode", "handshake", "--magic", "4E455458"], NETW_HELLO);
    assert_eq!(error_of(&run)["kind"], "bad-magic");
}

#[test]
fn truncated_hello_is_incomplete() {
    let run = wire(&["decode", "handshake"], &NETW_HELLO[..10]);
    let error = error_of(&run);
    assert_eq!(error["kind"], "incomplete");
    assert_eq!(error["offset"], 10);
}

#[test]
fn hello_with_another_magic_is_refused_on_encode() {
    let run = wire(
        &["encode", "handshake"],
        br#"{"magic":1,"version":1,"min_version":1,"capabilities":0}"#,
    );
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("magic"), "{}", run.stderr);
}

// --- hex, files, empty input -----------------------------------------------------------------

#[test]
fn hex_input_ignores_whitespace_and_case() {
    let run = wire(
        &["decode", "length", "--width", "2", "--hex"],
        b"00 02 68 69\n\t00 01 FF\n",
    );
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(
        run.lines(),
        [json!({"payload": "hi"}), json!({"payload": "\u{ff}"})]
    );
}

#[test]
fn hex_output_is_lowercase_digits_and_a_newline() {
    let run = wire(
        &["encode", "handshake", "--hex"],
        br#"{"magic":1313166423,"version":3,"min_version":1,"capabilities":11}"#,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.text(), "4e45545700030001000000000000000b\n");

    let back = wire(&["decode", "handshake", "--hex"], &run.stdout);
    assert_eq!(back.code, 0);
    assert_eq!(back.lines()[0]["capabilities"], 11);
}

#[test]
fn bad_hex_is_an_error_line() {
    let run = wire(&["decode", "lines", "--hex"], b"0d 0a 6g");
    let error = error_of(&run);
    assert_eq!(error["kind"], "bad-hex");
    assert_eq!(error["offset"], 7);
    assert_eq!(run.lines().len(), 1);

    let odd = wire(&["decode", "lines", "--hex"], b"0d0a0");
    assert_eq!(error_of(&odd)["kind"], "bad-hex");
}

#[test]
fn input_from_a_file() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("wire-cli-lines.bin");
    std::fs::write(&path, b"one\r\ntwo\r\n").unwrap();
    let run = wire(&["decode", "lines", path.to_str().unwrap()], b"ignored");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.lines(),
        [json!({"line": "one"}), json!({"line": "two"})]
    );

    let missing = wire(&["decode", "lines", "/nonexistent/wire-input"], b"");
    assert_eq!(missing.code, 1);
    assert!(missing.stderr.contains("/nonexistent/wire-input"));
}

#[test]
fn empty_input_is_zero_items_and_success() {
    for proto in [&["length", "--width", "4"][..], &["lines"], &["handshake"]] {
        let mut args = vec!["decode"];
        args.extend_from_slice(proto);
        let run = wire(&args, b"");
        assert_eq!(run.code, 0, "{proto:?}");
        assert!(run.stdout.is_empty(), "{proto:?}");
    }
}

// --- demo ------------------------------------------------------------------------------------

#[test]
fn demo_shows_a_conversation_and_exits_zero() {
    let run = wire(&["demo"], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = run.text();
    // The framing section: up to the next section's title.
    let lines: Vec<&str> = text
        .lines()
        .enumerate()
        .take_while(|(i, l)| *i == 0 || !l.starts_with("== "))
        .map(|(_, l)| l)
        .collect();
    assert!(lines[0].starts_with("== framing"), "{}", lines[0]);

    // Both hellos, as `wire decode handshake` prints them, then the agreement.
    assert!(lines.contains(
        &"C: {\"magic\":1313166423,\"version\":3,\"min_version\":1,\"capabilities\":11}"
    ));
    assert!(
        lines.contains(
            &"S: {\"magic\":1313166423,\"version\":4,\"min_version\":2,\"capabilities\":6}"
        )
    );
    assert!(text.contains("agrees: version 3"));

    // Typed frames and lines in both directions, in conversation order.
    let said: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| {
            l.starts_with("C: {\"type\"")
                || l.starts_with("S: {\"type\"")
                || l.contains("{\"line\"")
        })
        .collect();
    assert_eq!(said.len(), 7, "{said:?}");
    assert!(said[0].starts_with("S: {\"type\":1"));
    assert!(said[1].starts_with("C: {\"type\":2"));
    assert!(said[2].starts_with("S: {\"type\":3"));
    assert_eq!(
        &said[3..],
        [
            "C: {\"line\":\"PING\"}",
            "S: {\"line\":\"PONG\"}",
            "C: {\"line\":\"QUIT\"}",
            "S: {\"line\":\"BYE\"}"
        ]
    );

    // Every C:/S: item parses as JSON.
    for l in lines
        .iter()
        .filter(|l| l.starts_with("C: ") || l.starts_with("S: "))
    {
        serde_json::from_str::<Value>(&l[3..]).unwrap_or_else(|e| panic!("{l}: {e}"));
    }

    // Hostile input is rejected with the error shape of `decode`.
    assert!(text.contains("{\"error\":{\"kind\":\"too-large\",\"offset\":0,"));
    assert!(text.contains("\"kind\":\"bad-magic\""));
}

#[test]
fn demo_is_deterministic() {
    let first = wire(&["demo"], b"");
    let second = wire(&["demo"], b"");
    assert_eq!(first.code, 0);
    assert_eq!(first.stdout, second.stdout);
}

// --- http1 -----------------------------------------------------------------------------------

#[test]
fn http1_requests_decode_as_the_contract_shows() {
    let run = wire(
        &["decode", "http1"],
        b"GET /a?b HTTP/1.1\r\nHost: example.com\r\nAccept:  */* \r\n\r\n",
    );
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(
        run.lines(),
        [
            json!({"type":"request","method":"GET","target":"/a?b","version":"HTTP/1.1",
            "headers":[["Host","example.com"],["Accept","*/*"]],"body":"","trailers":[]})
        ]
    );
}

#[test]
fn http1_roundtrips_requests_and_responses() {
    roundtrip(
        &["http1"],
        &[
            json!({"type":"request","method":"POST","target":"/x","version":"HTTP/1.1",
                "headers":[["Host","a"],["Transfer-Encoding","chunked"]],"body":"h\u{e9}\u{0}","trailers":[["T","1"]]}),
            json!({"type":"request","method":"PUT","target":"/y","version":"HTTP/1.0",
                "headers":[["content-length","2"]],"body":"hi","trailers":[]}),
        ],
        b"POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nh\xe9\x00\r\n0\r\nT: 1\r\n\r\nPUT /y HTTP/1.0\r\ncontent-length: 2\r\n\r\nhi",
    );
    roundtrip(
        &["http1", "--role", "client"],
        &[
            json!({"type":"response","version":"HTTP/1.1","status":200,"reason":"OK",
                "headers":[["Content-Length","2"]],"body":"hi","trailers":[]}),
            json!({"type":"response","version":"HTTP/1.1","status":404,"reason":"",
                "headers":[],"body":"to the end","trailers":[]}),
        ],
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhiHTTP/1.1 404 \r\n\r\nto the end",
    );
}

#[test]
fn http1_errors_name_kind_and_offset() {
    let run = wire(&["decode", "http1"], b"GET / HTTP/1.1\r\nHost : a\r\n\r\n");
    let e = error_of(&run);
    assert_eq!(
        (e["kind"].as_str(), e["offset"].as_u64()),
        (Some("syntax"), Some(20))
    );

    let run = wire(
        &["decode", "http1"],
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
    );
    assert_eq!(
        error_of(&run)["kind"],
        "content-length-with-transfer-encoding"
    );

    let run = wire(&["decode", "http1"], b"GET / HTTP/1.1\r\nHost: a\r\n");
    let e = error_of(&run);
    assert_eq!(
        (e["kind"].as_str(), e["offset"].as_u64()),
        (Some("incomplete"), Some(25))
    );
}

#[test]
fn http1_lenient_flags_are_the_codec_options() {
    let input = b"GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n";
    assert_eq!(
        error_of(&wire(&["decode", "http1"], input))["kind"],
        "syntax"
    );
    let run = wire(&["decode", "http1", "--lenient", "allow_obs_fold"], input);
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(run.lines()[0]["headers"][1], json!(["X", "a   b"]));
    let run = wire(&["decode", "http1", "--lenient", "no_such_flag"], input);
    assert_eq!(run.code, 2);
}

#[test]
fn http1_encode_refuses_injection_and_wrong_lengths() {
    let bad = [
        json!({"type":"request","method":"GET","target":"/","version":"HTTP/1.1",
            "headers":[["Host","a\r\nX: y"]],"body":"","trailers":[]}),
        json!({"type":"request","method":"GET","target":"/","version":"HTTP/1.1",
            "headers":[["Host","a"],["Content-Length","5"]],"body":"hi","trailers":[]}),
        json!({"type":"response","version":"HTTP/1.1","status":200,"reason":"OK",
            "headers":[],"body":"","trailers":[]}),
    ];
    for item in bad {
        let run = wire(&["encode", "http1"], &jsonl(std::slice::from_ref(&item)));
        assert_eq!(run.code, 1, "{item}");
        assert!(run.stdout.is_empty(), "{item}");
    }
}

#[test]
fn demo_shows_an_http_exchange() {
    let run = wire(&["demo"], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = run.text();
    assert!(text.contains("== http1"), "{text}");
    assert!(
        text.contains(r#""body":"hello, world\n","trailers":[["Digest","sha-256=demo"]]"#),
        "{text}"
    );
    assert!(text.contains("CL.TE smuggling: 400"), "{text}");
}

// --- dns -------------------------------------------------------------------------------------

/// The contract's example message.
fn dns_example() -> Value {
    json!({"id":4660,"qr":true,"opcode":"QUERY","aa":false,"tc":false,"rd":true,"ra":true,"ad":false,"cd":false,
     "rcode":"NOERROR",
     "question":[{"name":"www.example.com.","type":"A","class":"IN"}],
     "answer":[{"name":"www.example.com.","ttl":300,"class":"IN","type":"A","data":"192.0.2.1"}],
     "authority":[],"additional":[],
     "edns":{"udp_size":1232,"version":0,"do":false,"options":[{"code":10,"data":"0011223344556677"}]}})
}

const DNS_EXAMPLE_WIRE: &[u8] = b"\x12\x34\x81\x80\x00\x01\x00\x01\x00\x00\x00\x01\
\x03www\x07example\x03com\x00\x00\x01\x00\x01\
\xc0\x0c\x00\x01\x00\x01\x00\x00\x01\x2c\x00\x04\xc0\x00\x02\x01\
\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x0c\x00\x0a\x00\x08\x00\x11\x22\x33\x44\x55\x66\x77";

#[test]
fn dns_decodes_as_the_contract_shows() {
    let run = wire(&["decode", "dns"], DNS_EXAMPLE_WIRE);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.lines(), [dns_example()]);
    // Keys in the contract's order.
    assert!(
        run.text()
            .starts_with("{\"id\":4660,\"qr\":true,\"opcode\":\"QUERY\",\"aa\"")
    );
    assert!(
        run.text()
            .contains("{\"name\":\"www.example.com.\",\"type\":\"A\",\"class\":\"IN\"}")
    );
}

#[test]
fn dns_roundtrips_the_contract_example_with_compression() {
    roundtrip(&["dns"], &[dns_example()], DNS_EXAMPLE_WIRE);
}

#[test]
fn dns_tcp_roundtrips_many_messages() {
    let mut second = dns_example();
    second["id"] = json!(1);
    second["edns"] = Value::Null;
    second["rcode"] = json!("NXDOMAIN");
    second["answer"] = json!([
        {"name":"a\\.b.example.","ttl":0,"class":"IN","type":"MX","data":"10 mail.example."},
        {"name":"example.","ttl":60,"class":"CH","type":"TXT","data":"\"v=1\" \"a \\\"q\\\"\""},
        {"name":"example.","ttl":60,"class":"IN","type":"SOA","data":"ns.example. admin.example. 1 2 3 4 5"},
        {"name":"example.","ttl":60,"class":"IN","type":"CAA","data":"0 issue \"ca.example.net\""},
        {"name":"example.","ttl":60,"class":"IN","type":"TYPE65280","data":"\\# 0"}
    ]);
    let items = [dns_example(), second];
    let encoded = wire(&["encode", "dns-tcp"], &jsonl(&items));
    assert_eq!(encoded.code, 0, "{}", encoded.stderr);
    assert_eq!(
        &encoded.stdout[..2],
        &(DNS_EXAMPLE_WIRE.len() as u16).to_be_bytes()
    );
    assert_eq!(
        &encoded.stdout[2..2 + DNS_EXAMPLE_WIRE.len()],
        DNS_EXAMPLE_WIRE
    );
    let decoded = wire(&["decode", "dns-tcp"], &encoded.stdout);
    assert_eq!(decoded.code, 0, "{}", decoded.text());
    assert_eq!(decoded.lines(), items);
}

#[test]
fn dns_extended_rcode_and_generic_types() {
    let mut m = dns_example();
    m["rcode"] = json!("BADVERS");
    m["question"] = json!([{"name":".","type":"TYPE12345","class":"CLASS4096"}]);
    let encoded = wire(&["encode", "dns"], &jsonl(&[m.clone()]));
    assert_eq!(encoded.code, 0, "{}", encoded.stderr);
    let decoded = wire(&["decode", "dns"], &encoded.stdout);
    assert_eq!(decoded.lines(), [m]);
}

#[test]
fn dns_errors_name_kind_and_offset() {
    let cases: &[(&[u8], &str, u64)] = &[
        (b"\x00\x00\x00", "incomplete", 0),
        (b"\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\xc0\x0c\x00\x01\x00\x01", "forward-pointer", 12),
        (b"\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\xc0\xff\x00\x01\x00\x01", "pointer-out-of-bounds", 12),
        (b"\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x01\x00", "trailing-bytes", 17),
        (b"\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x01\x00\x01\x00\x00\x00\x00\x00\x03\x01\x02\x03", "rdlength-short", 21),
    ];
    for (input, kind, offset) in cases {
        let run = wire(&["decode", "dns"], input);
        let error = error_of(&run);
        assert_eq!(error["kind"], *kind, "{error}");
        assert_eq!(error["offset"], *offset, "{error}");
    }
    // Over TCP the offset counts from the start of the stream.
    let mut stream = vec![0, 18];
    stream.extend_from_slice(cases[1].0);
    let error = error_of(&wire(&["decode", "dns-tcp"], &stream));
    assert_eq!(error["kind"], "forward-pointer");
    assert_eq!(error["offset"], 14);
    let error = error_of(&wire(&["decode", "dns-tcp"], b"\x00\x20\x00"));
    assert_eq!(error["kind"], "incomplete");
}

#[test]
fn dns_encode_refuses_bad_objects() {
    let bad = |edit: &dyn Fn(&mut Value)| {
        let mut m = dns_example();
        edit(&mut m);
        let run = wire(&["encode", "dns"], &jsonl(&[m]));
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.stdout.is_empty());
        run.stderr
    };
    assert!(bad(&|m| m["answer"][0]["data"] = json!("192.0.2")).contains("line 1"));
    bad(&|m| m["answer"][0]["type"] = json!("OPT"));
    bad(&|m| m["answer"][0]["type"] = json!("NOPE"));
    bad(&|m| m["question"][0]["name"] = json!("a..b"));
    bad(&|m| m["extra"] = json!(1));
    bad(&|m| m["id"] = json!(65536));
    bad(&|m| {
        m["edns"] = Value::Null;
        m["rcode"] = json!("BADVERS");
    });
    // `dns` is one message: a second object would not decode.
    let two = wire(&["encode", "dns"], &jsonl(&[dns_example(), dns_example()]));
    assert_eq!(two.code, 1);
    assert!(two.stderr.contains("line 2"), "{}", two.stderr);
}

#[test]
fn dns_empty_input_is_incomplete_and_an_empty_tcp_stream_is_zero_items() {
    // `dns` is one message: nothing is a message cut short in its header.
    let error = error_of(&wire(&["decode", "dns"], b""));
    assert_eq!(error["kind"], "incomplete", "{error}");
    assert_eq!(error["offset"], 0, "{error}");
    // `dns-tcp` is a stream of messages: an empty one holds none.
    let run = wire(&["decode", "dns-tcp"], b"");
    assert_eq!(run.code, 0);
    assert!(run.stdout.is_empty());
}

#[test]
fn dns_lenient_flags_are_the_codecs() {
    // A message with two trailing bytes: refused, then read with --lenient allow_trailing_bytes.
    let input = b"\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x01\x00\x00";
    assert_eq!(
        error_of(&wire(&["decode", "dns"], input))["kind"],
        "trailing-bytes"
    );
    let run = wire(
        &["decode", "dns", "--lenient", "allow_trailing_bytes"],
        input,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.lines()[0]["question"][0]["name"], ".");
    let run = wire(&["decode", "dns", "--lenient", "allow_everything"], input);
    assert_eq!(run.code, 2, "{}", run.stderr);
}

// --- dns demo --------------------------------------------------------------------------------

#[test]
fn demo_shows_a_dns_query_and_a_truncated_answer_retried_over_tcp() {
    let run = wire(&["demo"], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = run.text();
    let section: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("== dns"))
        .skip(1)
        .take_while(|l| !l.starts_with("== "))
        .collect();
    let said: Vec<serde_json::Value> = section
        .iter()
        .filter_map(|l| l.strip_prefix("C: ").or_else(|| l.strip_prefix("S: ")))
        .map(|j| serde_json::from_str(j).unwrap())
        .collect();
    // www: query and answer; big: query, truncated answer, the same query over TCP, full answer.
    assert_eq!(said.len(), 6, "{section:#?}");
    assert_eq!(said[1]["answer"].as_array().unwrap().len(), 2);
    assert_eq!(said[3]["tc"], json!(true));
    assert_eq!(said[3]["answer"], json!([]));
    assert_eq!(said[4]["id"], said[2]["id"]);
    assert_eq!(said[5]["tc"], json!(false));
    assert_eq!(said[5]["answer"].as_array().unwrap().len(), 40);
    assert!(section.iter().any(|l| l.contains("retries over TCP")));
}

// --- zone ------------------------------------------------------------------------------------

/// A zone with what the contract lists: `$ORIGIN`, `$TTL`, parentheses, comments, relative
/// names, `@`, omitted owner, TTL and class, BIND unit forms.
const ZONE_TEXT: &str = "$ORIGIN example.\n\
$TTL 1h\n\
@ IN SOA ns hostmaster ( 2024010101 ; serial\n\
\x20                        2h 1h 2w 5m )\n\
\x20 NS ns\n\
ns 300 IN A 192.0.2.1\n\
www IN 1d TXT \"a \\\"quoted\\\" string\" ; comment\n\
mail MX 10 @\n";

fn zone_objects() -> Vec<Value> {
    vec![
        json!({"name":"example.","ttl":3600,"class":"IN","type":"SOA",
               "data":"ns.example. hostmaster.example. 2024010101 7200 3600 1209600 300"}),
        json!({"name":"example.","ttl":3600,"class":"IN","type":"NS","data":"ns.example."}),
        json!({"name":"ns.example.","ttl":300,"class":"IN","type":"A","data":"192.0.2.1"}),
        json!({"name":"www.example.","ttl":86400,"class":"IN","type":"TXT",
               "data":"\"a \\\"quoted\\\" string\""}),
        json!({"name":"mail.example.","ttl":3600,"class":"IN","type":"MX","data":"10 example."}),
    ]
}

#[test]
fn zone_decodes_as_the_contract_shows() {
    let run = wire(&["decode", "zone"], ZONE_TEXT.as_bytes());
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(run.lines(), zone_objects());
    // The contract's example object, keys in its order.
    let run = wire(
        &["decode", "zone", "--ttl", "300"],
        b"www.example. A 192.0.2.1",
    );
    assert_eq!(
        run.text(),
        "{\"name\":\"www.example.\",\"ttl\":300,\"class\":\"IN\",\"type\":\"A\",\"data\":\"192.0.2.1\"}\n"
    );
}

#[test]
fn zone_records_are_the_objects_of_a_message() {
    // The same object for the same record, from a zone and from a DNS message.
    let run = wire(&["decode", "zone"], ZONE_TEXT.as_bytes());
    let mut message = dns_example();
    message["answer"] = Value::Array(run.lines());
    let encoded = wire(&["encode", "dns"], &jsonl(&[message.clone()]));
    assert_eq!(encoded.code, 0, "{}", encoded.stderr);
    let decoded = wire(&["decode", "dns"], &encoded.stdout);
    assert_eq!(decoded.lines(), [message]);
}

#[test]
fn zone_origin_and_ttl_set_the_start() {
    let text = b"www A 192.0.2.1\n@ 60 TXT \"x\"\nsub 1h30m CNAME www\n";
    let run = wire(
        &["decode", "zone", "--origin", "example.", "--ttl", "2h"],
        text,
    );
    assert_eq!(run.code, 0, "{}", run.text());
    assert_eq!(
        run.lines(),
        [
            json!({"name":"www.example.","ttl":7200,"class":"IN","type":"A","data":"192.0.2.1"}),
            json!({"name":"example.","ttl":60,"class":"IN","type":"TXT","data":"\"x\""}),
            json!({"name":"sub.example.","ttl":5400,"class":"IN","type":"CNAME","data":"www.example."}),
        ]
    );
    // The origin is absolute with or without its dot; $ORIGIN and $TTL lines replace both.
    let same = wire(
        &["decode", "zone", "--origin", "example", "--ttl", "7200"],
        text,
    );
    assert_eq!(same.lines(), run.lines());
    let replaced = wire(
        &["decode", "zone", "--origin", "other.", "--ttl", "1"],
        b"$ORIGIN example.\n$TTL 2\nwww A 192.0.2.1\n",
    );
    assert_eq!(
        replaced.lines(),
        [json!({"name":"www.example.","ttl":2,"class":"IN","type":"A","data":"192.0.2.1"})]
    );
    // Without them, a relative name or a missing TTL is an error.
    let error = error_of(&wire(&["decode", "zone"], b"www A 192.0.2.1\n"));
    assert_eq!(error["kind"], "syntax");
    let error = error_of(&wire(&["decode", "zone"], b"www.example. A 192.0.2.1\n"));
    assert!(
        error["message"].as_str().unwrap().contains("no TTL"),
        "{error}"
    );
    // Bad values are usage errors.
    for args in [
        &["decode", "zone", "--origin", "a..b"][..],
        &["decode", "zone", "--ttl", "1x"],
        &["decode", "zone", "--ttl", "4294967296"],
    ] {
        let run = wire(args, b"");
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty());
    }
}

#[test]
fn zone_errors_give_offset_and_line_and_column() {
    let text = b"$TTL 1\na. A 192.0.2.1\nb. MX 10 c..d.\nz. A 192.0.2.9\n";
    let run = wire(&["decode", "zone"], text);
    let lines = run.lines();
    assert_eq!(lines.len(), 2, "{}", run.text());
    assert_eq!(lines[0]["name"], "a.");
    let error = error_of(&run);
    // The empty label of `c..d.`: line 3, column 12, byte 33 of the text.
    assert_eq!(error["kind"], "syntax", "{error}");
    assert_eq!(error["offset"], 33);
    let message = error["message"].as_str().unwrap();
    assert!(
        message.starts_with("zone file line 3, column 12: MX exchange: "),
        "{message}"
    );
    // Where each kind comes from.
    let cases: &[(&[u8], &str, u64)] = &[
        (b"$TTL 1\na. TXT ( \"x\"\n", "incomplete", 14),
        (b"$TTL 1\na. TXT \"x", "incomplete", 14),
        (b"$TTL 1\na. TXT \"x\" )\n", "syntax", 18),
        (b"$TTL 1\na. SOA a. b. 1 2 3 1x 5\n", "syntax", 26),
        (b"$INCLUDE other.zone\n", "syntax", 0),
        (b"$TTL 1\na. A \xff\n", "syntax", 12),
    ];
    for (input, kind, offset) in cases {
        let error = error_of(&wire(&["decode", "zone"], input));
        assert_eq!(error["kind"], *kind, "{error}");
        assert_eq!(error["offset"], *offset, "{error}");
    }
    let long = format!("$TTL 1\na. TXT ( \"{}\"\n", "x".repeat(70_000));
    let error = error_of(&wire(&["decode", "zone"], long.as_bytes()));
    assert_eq!(error["kind"], "too-large", "{error}");
    assert_eq!(error["offset"], 7);
    let label = format!("$TTL 1\n{}.a. A 192.0.2.1\n", "x".repeat(64));
    let error = error_of(&wire(&["decode", "zone"], label.as_bytes()));
    assert_eq!(error["kind"], "label-too-long", "{error}");
    assert_eq!(error["offset"], 7);
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("line 2, column 1: owner: ")
    );
}

#[test]
fn zone_encode_prints_zone_lines_that_decode_back() {
    let encoded = wire(&["encode", "zone"], &jsonl(&zone_objects()));
    assert_eq!(encoded.code, 0, "{}", encoded.stderr);
    assert_eq!(
        encoded.text(),
        "example. 3600 IN SOA ns.example. hostmaster.example. 2024010101 7200 3600 1209600 300\n\
         example. 3600 IN NS ns.example.\n\
         ns.example. 300 IN A 192.0.2.1\n\
         www.example. 86400 IN TXT \"a \\\"quoted\\\" string\"\n\
         mail.example. 3600 IN MX 10 example.\n"
    );
    // decode -> encode -> decode gives the same objects, and encode the same lines again.
    let decoded = wire(&["decode", "zone"], &encoded.stdout);
    assert_eq!(decoded.code, 0, "{}", decoded.text());
    assert_eq!(decoded.lines(), zone_objects());
    let again = wire(&["encode", "zone"], &decoded.stdout);
    assert_eq!(again.stdout, encoded.stdout);
}

#[test]
fn zone_roundtrips_every_typed_form_and_the_generic_one() {
    let text = "$ORIGIN example.\n$TTL 300\n\
        a A 192.0.2.1\n\
        a AAAA 2001:db8::1\n\
        a CH TXT \"chaos\"\n\
        b CNAME a\n\
        _sip._tcp SRV 0 5 5060 sip\n\
        c CAA 0 issue \"ca.example.net\"\n\
        d DS 60485 5 1 2BB183AF5F22588179A53B0A98631FAD1A292118\n\
        e NSEC f A MX RRSIG NSEC TYPE1234\n\
        s HTTPS 1 . alpn=\"h2,h3\" port=8443\n\
        x TYPE65280 \\# 2 abcd\n";
    let decoded = wire(&["decode", "zone"], text.as_bytes());
    assert_eq!(decoded.code, 0, "{}", decoded.text());
    assert_eq!(decoded.lines().len(), 10);
    let encoded = wire(&["encode", "zone"], &decoded.stdout);
    assert_eq!(encoded.code, 0, "{}", encoded.stderr);
    let again = wire(&["decode", "zone"], &encoded.stdout);
    assert_eq!(again.lines(), decoded.lines());
}

#[test]
fn zone_encode_refuses_bad_objects() {
    let bad = |edit: &dyn Fn(&mut Value)| {
        let mut objects = zone_objects();
        edit(&mut objects[2]);
        let run = wire(&["encode", "zone"], &jsonl(&objects));
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(run.stdout.is_empty());
        run.stderr
    };
    assert!(bad(&|r| r["data"] = json!("192.0.2")).contains("line 3"));
    bad(&|r| r["type"] = json!("OPT"));
    bad(&|r| r["ttl"] = json!(-1));
    bad(&|r| r["name"] = json!("a..b."));
    bad(&|r| r["extra"] = json!(1));
    bad(&|r| {
        r.as_object_mut().unwrap().remove("class");
    });
}

#[test]
fn zone_from_a_file_and_empty_input() {
    let path = std::env::temp_dir().join(format!("wire-zone-{}.zone", std::process::id()));
    std::fs::write(&path, ZONE_TEXT).unwrap();
    let run = wire(&["decode", "zone", path.to_str().unwrap()], b"");
    std::fs::remove_file(&path).unwrap();
    assert_eq!(run.lines(), zone_objects());
    let empty = wire(&["decode", "zone"], b"; nothing but a comment\n\n");
    assert_eq!(empty.code, 0);
    assert!(empty.stdout.is_empty());
}

#[test]
fn zone_decode_prints_each_record_as_its_entry_arrives() {
    use std::io::{BufRead, BufReader};
    use std::sync::mpsc;
    use std::time::Duration;

    let mut child = Command::new(env!("CARGO_BIN_EXE_wire"))
        .args(["decode", "zone", "--ttl", "1"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wire runs");
    let mut input = child.stdin.take().unwrap();
    let (lines_tx, lines_rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if lines_tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    // The first entry, and the start of the second: the first record comes out now.
    input.write_all(b"a. A 192.0.2.1\nb. A 192").unwrap();
    input.flush().unwrap();
    let first = lines_rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the first record before the input ends");
    assert!(first.contains("\"a.\""), "{first}");
    input.write_all(b".0.2.2\n").unwrap();
    drop(input);
    let second = lines_rx.recv_timeout(Duration::from_secs(60)).unwrap();
    assert!(second.contains("192.0.2.2"), "{second}");
    assert!(child.wait().unwrap().success());
    reader.join().unwrap();
}

/// The peak resident memory of process `pid` so far, in bytes (Linux's VmHWM).
#[cfg(target_os = "linux")]
fn peak_rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("VmHWM");
    let kib: u64 = line
        .trim_start_matches("VmHWM:")
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .unwrap();
    kib * 1024
}

#[cfg(target_os = "linux")]
#[test]
fn zone_decode_runs_in_constant_memory() {
    use std::io::{BufRead, BufReader};

    // 24 MiB of zone text through a pipe: reading it whole would take more than that.
    const TOTAL: usize = 24 << 20;
    let mut child = Command::new(env!("CARGO_BIN_EXE_wire"))
        .args(["decode", "zone", "--origin", "example.", "--ttl", "1h"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wire runs");
    let pid = child.id();
    let mut input = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let mut written = 0usize;
        let mut i = 0u64;
        let mut piece = String::new();
        let mut records = 0u64;
        while written < TOTAL {
            piece.clear();
            while piece.len() < 60_000 {
                use std::fmt::Write as _;
                let _ = writeln!(
                    piece,
                    "h{i} 300 IN A 192.0.2.{}\n   TXT \"record {i}\" ; comment",
                    i % 256
                );
                i += 1;
                records += 2;
            }
            input.write_all(piece.as_bytes()).unwrap();
            written += piece.len();
        }
        // Everything is written; the output is read meanwhile. How much memory so far?
        let peak = peak_rss(pid);
        drop(input);
        (records, peak)
    });
    let stdout = child.stdout.take().unwrap();
    let mut lines = 0u64;
    let mut last = String::new();
    for line in BufReader::new(stdout).lines() {
        last = line.unwrap();
        lines += 1;
    }
    let (records, peak) = writer.join().unwrap();
    assert!(child.wait().unwrap().success(), "{last}");
    assert_eq!(lines, records);
    eprintln!("wire decode zone: {TOTAL} bytes in, {lines} records out, peak RSS {peak} bytes");
    assert!(
        peak < TOTAL as u64 / 2,
        "peak RSS {peak} bytes for {TOTAL} bytes of input"
    );
}

#[test]
fn dns_encode_of_nothing_is_refused_as_decode_refuses_nothing() {
    let run = wire(&["encode", "dns"], b"");
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("one message"), "{}", run.stderr);
    let run = wire(&["encode", "dns-tcp"], b"");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
}
